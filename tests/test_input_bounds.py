"""Bounded work for any input: aliases, nesting, sizes, workers."""

from __future__ import annotations

from pathlib import Path

import pytest

from refusal import REPLAY, STOCHASTIC, refused
from sim.cli import main
from sim.cli import execution
from sim.experiment.sweep import MAX_BATCH, MAX_COMPILED_BATCH, batch_size, largest_batch
from sim.scenario.limits import DEFAULT, Limits, expected_events, size_problems
from sim.scenario.loader import ScenarioError, load_scenario
from sim.scenario.yaml_lines import YamlProblem, parse_yaml



def laughs(levels: int, indent: str = "") -> str:
    """Each level lists the one before ten times: 10**levels values once expanded."""
    lines = [f"{indent}a0: &a0 [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]"]
    lines += [f"{indent}a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, levels)]
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_the_line_that_expands_too_far() -> None:
    with pytest.raises(YamlProblem) as problem:
        parse_yaml(laughs(30))
    # a4 expands to 1 + 10 * (1 + 10 * (...)) = 111,111 values: the first beyond the limit.
    assert str(problem.value) == ("line 5: YAML aliases here repeat more than 100,000 values (a document that "
                                  "expands itself); write the values out instead")


def test_a_document_with_a_few_aliases_reads_as_usual() -> None:
    document = parse_yaml(laughs(3))
    assert len(document.data["a2"]) == 10 and document.data["a2"][0] == document.data["a1"]


def test_an_alias_bomb_inside_a_distribution_is_refused_with_its_file_and_line(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.yaml"
    # x15 (line 22) doubles v0's three nodes 15 times over: 2**17 - 1 = 131,071 values.
    path.write_text(f"extends: {REPLAY}\nname: bomb\nstrike:\n  harm:\n    killed:\n      dist: empirical\n"
                    "      values: &v0 [1, 2]\n" + "".join(f"x{i}: &v{i} [*v{i - 1}, *v{i - 1}]\n" for i in range(1, 40)))
    assert refused(capsys, "check", str(path)) == [
        f"{path}:22: YAML aliases here repeat more than 100,000 values (a document that expands itself); "
        "write the values out instead"]


def test_merge_keys_cannot_double_their_way_past_the_bound() -> None:
    text = "b0: &b0 {k: 1, j: 2}\n" + "".join(f"b{i}: &b{i}\n  <<: [*b{i - 1}, *b{i - 1}]\n  k{i}: 1\n"
                                               for i in range(1, 40))
    with pytest.raises(YamlProblem, match="YAML aliases here repeat more than 100,000 values"):
        parse_yaml(text)


def test_nesting_deeper_than_the_parser_can_follow_is_one_message() -> None:
    with pytest.raises(YamlProblem) as problem:
        parse_yaml("[" * 5000 + "]" * 5000)
    assert str(problem.value) == ("YAML nested too deeply (lists or mappings inside each other thousands of "
                                  "levels down)")


def test_a_billion_releases_are_refused_before_any_work(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert refused(capsys, "run", str(REPLAY), "--set", "strike.releases.count=1000000000", "--out", str(out)) == [
        "--set strike.releases.count=1000000000: strike.releases.count: expected at most 10,000 releases (a limit "
        "far above any real hotline; --allow-large raises it), got 1000000000"]
    assert not out.exists()


def test_a_call_rate_of_a_billion_an_hour_is_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # 1e9 calls an hour over the 24-hour horizon: 2.4e10 routine calls in one replication.
    assert refused(capsys, "run", str(STOCHASTIC), "--set", "background_calls.rate_per_hour=1e9",
                   "--out", str(tmp_path / "out")) == [
        "--set background_calls.rate_per_hour=1e9: background_calls.rate_per_hour: expected at most 1,000,000 "
        "routine calls in one replication (a limit far above any real hotline; --allow-large raises it), "
        "got 24,000,000,000 (1e+09 an hour for 1,440 min)"]


def test_availability_that_flickers_is_refused_by_its_expected_events(tmp_path: Path,
                                                                       capsys: pytest.CaptureFixture[str]) -> None:
    # Spells of 0.01 + 0.01 min for 24 h: 2 * 1440 / 0.02 = 144,000 changes per POC, 100 POCs.
    path = tmp_path / "s.yaml"
    path.write_text(f"extends: {STOCHASTIC}\nname: flicker\ndesk:\n  pocs:\n    count: 100\n    availability:\n"
                    "      available: 0.01\n      away_for: 0.01\n")
    assert refused(capsys, "check", str(path)) == [
        f"{path}:6: desk.pocs.availability: one replication would take about 1.4e+07 simulated events, more "
        "than the limit of 10,000,000 (--allow-large raises it)"]
    scenario = load_scenario(path, limits=DEFAULT.raised())
    events, source = expected_events(scenario)
    assert source == ("desk", "pocs", 0, "availability")
    assert events == pytest.approx(100 * 2 * 1440 / 0.02, rel=0.01)


def test_allow_large_raises_every_limit_a_thousandfold(capsys: pytest.CaptureFixture[str]) -> None:
    assert DEFAULT.raised() == Limits(10_000_000, 10_000_000, 10_000_000, 1_000_000_000, 10_000_000_000,
                                      100_000_000, 1_000_000_000)
    assert main(["check", str(REPLAY), "--allow-large"]) == 0
    scenario = load_scenario(REPLAY)
    assert [p.message for p in size_problems(scenario, Limits(releases=36, sites=0))] == [
        "expected at most 36 releases (a limit far above any real hotline; --allow-large raises it)",
        "expected at most 0 sites (a limit far above any real hotline; --allow-large raises it)"]


def test_design_points_and_replications_are_bounded(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(f"name: big\nbase: {STOCHASTIC}\nreplications: 2000000\nfactors:\n"
                    "  - {path: desk.pocs.count, range: [1, 100], count: 100, integer: true}\n"
                    "  - {path: caller.escalate_after, range: [1, 100], count: 100}\n"
                    "  - {path: detection.delay, range: [1, 100], count: 100}\n")
    assert refused(capsys, "sweep", str(path), "--out", str(tmp_path / "out")) == [
        f"{path}:3: replications: expected at most 1,000,000 replications per point (a limit far above any real "
        "hotline; --allow-large raises it), got 2000000",
        f"{path}:4: design: expected at most 100,000 design points (a limit far above any real hotline; "
        "--allow-large raises it), got 1,000,000"]
    assert refused(capsys, "run", str(REPLAY), "-n", "2000000", "--out", str(tmp_path / "out")) == [
        "--replications: expected at most 1,000,000 replications (a limit far above any real hotline; "
        "--allow-large raises it), got 2000000"]
    assert not (tmp_path / "out").exists()


def test_durations_beyond_190_years_are_refused(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    with pytest.raises(ScenarioError) as error:
        load_scenario(REPLAY, ["horizon=1e300", "strike.abort_latency={dist: exponential, mean: 1e12}"])
    assert error.value.messages == [
        "--set horizon=1e300: horizon: expected a duration of at most 100,000,000 min (about 190 years), got 1e+300",
        "--set strike.abort_latency={dist: exponential, mean: 1e12}: strike.abort_latency: expected a duration of "
        "at most 100,000,000 min (about 190 years), got 1000000000000.0"]


def test_small_runs_give_every_worker_a_batch() -> None:
    assert batch_size(20, 20, 2) == 10     # two batches for two workers, not one of 20
    assert batch_size(3, 3, 2) == 2
    assert batch_size(1000, 27000, 2) == 500  # big runs keep big batches
    assert batch_size(200, 200, 1) == 25


def test_batches_on_the_batch_engine_are_bigger() -> None:
    """The staffing study (81 points x 1000 on 2 workers): 500 on SimPy, a whole point on the batch engine."""
    assert batch_size(1000, 81_000, 2, largest_batch([load_scenario(REPLAY)], "simpy")) == 500
    assert batch_size(1000, 81_000, 2, largest_batch([load_scenario(REPLAY)], "auto")) == 1000
    assert batch_size(10_000, 810_000, 2, MAX_COMPILED_BATCH) == 4000
    several_callers = load_scenario(REPLAY.parent / "kunduz_2015.yaml")  # not covered: SimPy's batches for all
    assert largest_batch([load_scenario(REPLAY), several_callers], "auto") == MAX_BATCH


def test_workers_beyond_the_cores_or_the_batches_are_capped_with_a_note(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(execution, "available_cores", lambda: 2)
    assert main(["run", str(REPLAY), "-n", "4", "--workers", "8", "--batch-size", "4",
                 "--out", str(tmp_path / "a")]) == 0
    err = capsys.readouterr().err.splitlines()
    assert err[:2] == ["hotline: note: --workers 8 is more than the 2 cores here; using 2",
                       "hotline: note: the work makes only 1 batch of 4 replications, so 1 worker will run"]
    assert "on 1 local worker ->" in err[2]


def test_a_factor_value_beyond_a_limit_is_reported_at_its_line(tmp_path: Path,
                                                                 capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(f"name: s\nbase: {STOCHASTIC}\nreplications: 2\nfactors:\n"
                    "  - {path: desk.pocs.count, values: [1, 20000]}\n")
    assert refused(capsys, "check", str(path)) == [
        f"{path}:5: factor desk.pocs.count=20000: desk.pocs: expected at most 10,000 POCs on one desk (a limit far "
        "above any real hotline; --allow-large raises it), got 20000"]
    assert main(["check", str(path), "--allow-large"]) == 0
