"""``hotline staff``: the cheapest desk, checked against Erlang C worked out here by hand."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import pytest
import yaml

from sim.cli import main
from sim.experiment.executors import LocalExecutor
from sim.experiment.staffing import read_staffing, settle, staffing_plan

ROOT = Path(__file__).resolve().parent.parent
DESK = ROOT / "scenarios" / "staffing" / "hotline_15_a_day.yaml"

LAM = 15 / 1440   # calls per minute: 15 a day
MU = 1 / 10       # 10-minute calls
T = 2.0           # answered within 2 minutes


def service_level_by_hand(c: int) -> float:
    """Erlang C: P(answered within t) = 1 - C(c, a) exp(-(c mu - lam) t), a = lam / mu."""
    a, rho = LAM / MU, LAM / (c * MU)
    below = sum(a ** k / math.factorial(k) for k in range(c))
    top = a ** c / math.factorial(c) / (1 - rho)
    prob_wait = top / (below + top)
    return 1 - prob_wait * math.exp(-(c * MU - LAM) * T)


def staffing_file(folder: Path, **fields: Any) -> Path:
    path = folder / "desk.yaml"
    path.write_text(yaml.safe_dump({
        "name": "desk", "base": str(DESK), "cost_unit": "POCs",
        "set": {"background_calls.calls": 450, "background_calls.warmup_calls": 50},
        "levers": [{"path": "desk.pocs.count", "values": [1, 2, 3], "cost_per_unit": 1}],
        "targets": [{"outcome": "service_level_2", "at_least": 0.95}],
        "replications": {"initial": 20, "max": 80}, **fields}))
    return path


def test_hand_calculation_gives_two_pocs() -> None:
    # one POC: busy 10.4% of the time, so 8.7% wait more than 2 minutes; two POCs: 0.4%
    assert service_level_by_hand(1) == pytest.approx(1 - 0.10417 * math.exp(-0.089583 * 2), rel=1e-4)
    assert service_level_by_hand(1) < 0.95 < service_level_by_hand(2)


def test_cheapest_desk_matches_erlang_c(tmp_path: Path) -> None:
    spec_path = staffing_file(tmp_path)
    spec = read_staffing(spec_path)
    with LocalExecutor(1) as executor:
        answer = settle(spec, staffing_plan(spec, spec_path), executor)
    best = answer.answer
    assert best is not None and best.settings == {"desk.pocs.count": 2} and best.cost == 2
    assert best.theory["service_level_2"] == pytest.approx(service_level_by_hand(2), rel=1e-9)
    estimate = best.estimates[0]
    assert estimate.verdict == "met" and estimate.low <= service_level_by_hand(2) + 0.002
    (one,) = answer.next_cheaper
    assert one.settings == {"desk.pocs.count": 1}
    assert one.hopeless.startswith("mean service level: P(answered within 2 min) >= 0.95 missed in theory")
    assert one.theory["service_level_2"] == pytest.approx(service_level_by_hand(1), rel=1e-9)
    # simulated too, beside the theory, and it misses by simulation alone
    assert one.estimates[0].verdict == "missed"
    assert one.estimates[0].low < service_level_by_hand(1) < one.estimates[0].high
    # every interval of 2 looks (20, 40, 80 replications is 3 looks) at one target: 1 - 0.05 / 3
    assert answer.level == pytest.approx(1 - 0.05 / 3)


def test_sequential_replications_stop_when_decided(tmp_path: Path) -> None:
    """A target far from the line is decided at the first look; one close to it takes more."""
    spec_path = staffing_file(tmp_path, targets=[{"outcome": "service_level_2", "at_least": 0.912}],
                              levers=[{"path": "desk.pocs.count", "values": [1, 2], "cost_per_unit": 1}])
    spec = read_staffing(spec_path)
    with LocalExecutor(1) as executor:
        answer = settle(spec, staffing_plan(spec, spec_path), executor)
    one, two = answer.candidates
    assert two.replications == 20  # 99.6% against 91.2%: settled at once
    assert one.replications == 80 and one.status == "in doubt"  # 91.29% against 91.2%: never settled
    assert answer.answer is two and answer.cheaper_in_doubt == [one]


def test_cli_writes_answer_and_frontier(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["staff", str(staffing_file(tmp_path)), "--workers", "1", "--out", str(out)]) == 0
    text = capsys.readouterr().out
    assert "Cheapest desk that meets every target (POCs: 2): POCs on the desk 2" in text
    assert "Next cheaper (POCs: 1)" in text
    document = json.loads((out / "staffing.json").read_text())
    assert document["answer"]["settings"] == {"desk.pocs.count": 2}
    assert [c["status"] for c in document["candidates"]] == ["fails (theory too)", "feasible", "feasible"]
    assert (out / "frontier.png").stat().st_size > 10_000 and (out / "results.sqlite").is_file()


@pytest.mark.parametrize("change, message", [
    ({"levers": [{"path": "desk.pocs.count", "values": [1, 2], "cost": [1]}]},
     "desk.yaml:4: levers[0]: lever desk.pocs.count: 2 values but 1 costs"),
    ({"targets": [{"outcome": "service_level_2", "at_least": 0.9, "at_most": 1}]},
     "desk.yaml:18: targets[0]: target service_level_2: give either at_most or at_least"),
    ({"confidence": 2}, "desk.yaml:2: confidence: expected a number below 1, got 2"),
    ({"levers": [{"path": "desk.pocs.count", "values": [1], "cost_per_unit": 1, "colour": 3}]},
     "desk.yaml:4: levers[0]: unknown key 'colour'"),
])
def test_bad_staffing_file_one_line_each(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                         monkeypatch: pytest.MonkeyPatch, change: dict[str, Any],
                                         message: str) -> None:
    monkeypatch.chdir(tmp_path)
    staffing_file(tmp_path, **change)
    out = tmp_path / "out"
    assert main(["staff", "desk.yaml", "--out", str(out)]) == 2
    assert capsys.readouterr().err == f"hotline: error: {message}\n"
    assert not out.exists()


def test_unknown_outcome_named_before_running(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = staffing_file(tmp_path, targets=[{"outcome": "killed_due_to_delay", "at_most": 1}])
    assert main(["staff", str(path), "--out", str(tmp_path / "out")]) == 2
    assert "unknown outcome 'killed_due_to_delay'" in capsys.readouterr().err


@pytest.mark.parametrize("name", ["deir_desk", "service_level"])
def test_shipped_staffing_files_plan(name: str) -> None:
    path = ROOT / "scenarios" / "staffing" / f"{name}.yaml"
    spec = read_staffing(path)
    plan = staffing_plan(spec, path)
    assert len(plan.points) == math.prod(len(lever.values) for lever in spec.levers)
    assert {t.outcome for t in spec.targets} <= set(plan.outcomes)
