"""The desk model against Erlang C and Erlang A, and ``hotline validate`` end to end.

The suite runs 12 desks x 30 replications at seed 1 and checks 84 figures,
each at a t interval of level 1 - 0.01/84 (Bonferroni): a correct model fails
any figure with probability at most 1%, at any seed. A desk whose callers
hang up checks its answered-only and abandoners-only figures too; one whose
callers never do has none of its own (they are its all-calls figures again).
The same suite with the model's calls lasting 5% longer than theory is told
must fail.
"""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest

from sim.cli import main
from sim.experiment.executors import LocalExecutor
from sim.model.queue_figures import queue_figure
from sim.scenario.loader import ScenarioError, load_scenario
from sim.scenario.schema import Scenario
from sim.validation import suite
from sim.model.erlang import erlang_a, erlang_c
from sim.validation.suite import Case, Validation, builtin_cases, case_from_scenario, format_validation, validate

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
EXAMPLE = SCENARIOS / "validation" / "mmc_example.yaml"
ABANDON_EXAMPLE = SCENARIOS / "validation" / "mmc_abandon_example.yaml"


def load(case: Case) -> float:
    r = case.reference
    return r.arrival_rate / (r.servers * r.service_rate)


def slower_calls(case: Case, factor: float) -> Case:
    """The same desk in theory, but the model's calls last ``factor`` times longer."""
    data = case.scenario.model_dump(mode="json")
    data["background_calls"]["service_time"]["mean"] *= factor
    return replace(case, scenario=Scenario.from_data(data))


@pytest.fixture(scope="module")
def cases() -> list[Case]:
    return builtin_cases()


@pytest.fixture(scope="module")
def checked(cases: list[Case]) -> Validation:
    with LocalExecutor(2) as executor:
        return validate(cases, executor=executor)


def test_suite_covers_heavy_large_and_impatient_desks(cases: list[Case]) -> None:
    assert len(cases) >= 10
    assert len({c.name for c in cases}) == len(cases)
    assert any(load(c) >= 0.9 and c.reference.servers >= 5 and not c.reference.patience_rate for c in cases)
    assert any(c.reference.servers >= 20 for c in cases)
    impatient = [c for c in cases if c.reference.patience_rate]
    assert len(impatient) >= 4
    assert any(load(c) > 1 for c in impatient)  # only abandonment keeps this line finite


SERVED_AND_ABANDONED = {"p_abandon", "mean_wait_answered", "mean_wait_abandoned"}


def test_every_figure_agrees_with_theory_within_its_interval(cases: list[Case], checked: Validation) -> None:
    assert checked.passed, format_validation(checked)
    # P(wait > 0), mean wait, utilisation and P(wait > t) per threshold t; with patience also
    # P(abandon), the answered and abandoners' mean waits, and P(wait > t | answered), service level per t.
    per_case = [3 + len(c.scenario.report.wait_thresholds)
                + (3 + 2 * len(c.scenario.report.wait_thresholds) if c.reference.patience_rate else 0)
                for c in cases]
    assert sum(per_case) == 84
    assert len(checked.figures) == sum(per_case)
    assert checked.level == pytest.approx(1 - 0.01 / 84)
    for case, figures in checked.cases:
        keys = [f.key for f in figures]
        assert keys[:2] == ["p_wait", "mean_wait"]
        assert (SERVED_AND_ABANDONED <= set(keys)) == bool(case.reference.patience_rate)
        assert (SERVED_AND_ABANDONED & set(keys) == set()) == (not case.reference.patience_rate)


def test_intervals_are_narrow_enough_to_catch_a_real_error(checked: Validation) -> None:
    """A pass is only worth something if the interval could have missed theory."""
    for f in checked.figures:
        half = (f.ci_high - f.ci_low) / 2
        declared = queue_figure(f.key)
        assert declared is not None
        if declared.kind == "time":
            assert half < 0.2 * f.analytic, f
        else:
            assert half < 0.05, f


def test_a_wrong_service_rate_fails_the_suite(cases: list[Case]) -> None:
    with LocalExecutor(2) as executor:
        broken = validate([slower_calls(c, 1.05) for c in cases], executor=executor)
    assert not broken.passed
    for case, figures in broken.cases:
        utilisation = next(f for f in figures if f.key == "utilisation")
        assert not utilisation.passed, f"{case.name}: {utilisation}"
        assert utilisation.simulated > utilisation.ci_low > utilisation.analytic  # busier than theory
    assert "FAIL" in format_validation(broken)


def test_abandoners_too_rare_to_time_fail_the_check_and_say_why() -> None:
    """Patience of 10^5 min on a half-loaded desk: one caller in 10,000 hangs up, so
    4 x 200 measured calls hold no abandoner with chance e^-0.08 = 92% (none at seed 1).
    Theory still has their mean wait (about 20 min); the run has none, and must not pass it."""
    rare = suite.desk_case("rare hang-ups", 1, 3.0, 10, 1e5, [5], measured_calls=200)
    result = validate([rare], replications=4)
    abandoners = next(f for f in result.figures if f.key == "mean_wait_abandoned")
    assert abandoners.undefined_in == 4 and not abandoners.passed
    assert ("undefined in 4 of 4 replications, left out: no measured call hung up"
            in format_validation(result))


def test_the_rates_come_off_the_scenario_file() -> None:
    impatient = case_from_scenario(load_scenario(ABANDON_EXAMPLE))
    assert impatient.reference == erlang_a(5, 36 / 60, 1 / 10, 1 / 30)
    patient = case_from_scenario(load_scenario(EXAMPLE))
    assert patient.reference == erlang_c(5, 27 / 60, 1 / 10)
    assert patient.analytic("p_wait_gt_20") == pytest.approx(patient.reference.prob_wait_exceeds(20))
    assert patient.analytic("p_abandon") is None
    assert patient.analytic("calls") is None
    assert patient.analytic("mean_wait_answered") is None  # the mean wait again: nobody hangs up
    assert impatient.analytic("mean_wait_answered") == impatient.reference.mean_wait_answered
    assert impatient.analytic("mean_wait_abandoned") == impatient.reference.mean_wait_abandoned
    assert impatient.analytic("service_level_5") == impatient.reference.service_level(5)
    assert impatient.analytic("p_answered_wait_gt_20") == impatient.reference.prob_answered_wait_exceeds(20)


@pytest.mark.parametrize(("overrides", "message"), [
    (["background_calls.service_time={dist: lognormal, mean: 10, sd: 3}"],
     "background_calls.service_time: must be exponential, got lognormal"),
    (["background_calls.patience=15"], "background_calls.patience: must be exponential or absent, got fixed"),
    (["desk.pocs.availability.away=[{start: 10, end: 20}]"], "POCs must always be at the desk"),
    (["background_calls.rate_per_hour=30"], "Erlang C is unstable"),
])
def test_a_desk_theory_cannot_solve_is_refused(overrides: list[str], message: str) -> None:
    with pytest.raises(ScenarioError, match=message):
        case_from_scenario(load_scenario(EXAMPLE, overrides))


def test_a_strike_scenario_is_refused() -> None:
    with pytest.raises(ScenarioError, match="not a hotline-only model"):
        case_from_scenario(load_scenario(SCENARIOS / "deir_ez_zor_2016.yaml"))


def test_hotline_validate_prints_each_figure_and_passes(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", str(EXAMPLE), str(ABANDON_EXAMPLE), "-n", "8", "--workers", "2"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line.endswith((" pass", " FAIL"))]
    assert len(lines) == 5 + 12 and all(line.endswith(" pass") for line in lines)
    assert "17 of 17 figures agree with theory" in out
    assert "Bonferroni over 17 figures" in out

    def theory_column(label: str) -> list[float]:
        return [float(line.split()[-2]) for line in lines if line.strip().startswith(label)]

    assert theory_column("mean wait of all calls") == pytest.approx(
        [erlang_c(5, 0.45, 0.1).mean_wait, erlang_a(5, 0.6, 0.1, 1 / 30).mean_wait], abs=5e-5)
    assert theory_column("mean wait of abandoners") == pytest.approx(
        [erlang_a(5, 0.6, 0.1, 1 / 30).mean_wait_abandoned], abs=5e-5)


def test_hotline_validate_exits_1_when_model_and_theory_disagree(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setattr(suite, "erlang_c", lambda c, lam, mu: erlang_c(c, lam, mu * 1.05))
    assert main(["validate", str(EXAMPLE), "-n", "8", "--workers", "1"]) == 1
    out = capsys.readouterr().out
    assert "utilisation of the POCs" in out and "FAIL" in out


def test_hotline_validate_refuses_a_strike_scenario(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["validate", "deir_ez_zor_2016"]) == 2
    assert "not a hotline-only model" in capsys.readouterr().err


def test_hotline_run_reports_the_queue_outcomes(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["run", str(EXAMPLE), "--out", str(tmp_path)]) == 0
    printed = capsys.readouterr().out
    for label in ("calls measured", "P(wait > 0)", "mean wait of all calls", "P(abandon)",
                  "utilisation of the POCs", "P(wait > 5 min)", "P(wait > 20 min)",
                  "service level: P(answered within 20 min)", "P(wait > 20 min | answered)",
                  "mean wait of answered calls: the average speed of answer"):
        assert label in printed
    abandoners = next(line for line in printed.splitlines() if "mean wait of abandoners" in line)
    assert abandoners.split()[-1] == "-"  # nobody hung up: no figure rather than a made-up zero
    outcomes = json.loads((tmp_path / "summary.json").read_text())["outcomes"]
    theory = erlang_c(5, 0.45, 0.1)
    assert outcomes["calls"] == 20_000
    assert outcomes["p_abandon"] == 0
    assert outcomes["mean_wait_abandoned"] is None  # nobody hung up: undefined, not zero
    assert outcomes["mean_wait_answered"] == outcomes["mean_wait"]
    assert outcomes["service_level_20"] == pytest.approx(1 - outcomes["p_wait_gt_20"], abs=2e-6)
    assert outcomes["utilisation"] == pytest.approx(theory.utilisation, abs=0.03)
    assert outcomes["p_wait"] == pytest.approx(theory.prob_wait, abs=0.08)
    assert outcomes["p_wait_gt_20"] == pytest.approx(theory.prob_wait_exceeds(20), abs=0.08)
    assert outcomes["mean_wait"] == pytest.approx(theory.mean_wait, rel=0.5)
