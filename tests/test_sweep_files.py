"""Bad sweep files and misused results folders: a clear message, status 2, nothing run."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from sim.cli import main

BASE = Path(__file__).resolve().parent.parent / "scenarios" / "deir_ez_zor_2016_stochastic.yaml"
GOOD: dict[str, Any] = {
    "name": "tiny",
    "base": str(BASE),
    "replications": 4,
    "factors": [{"path": "desk.pocs.count", "values": [1, 2]},
                {"path": "caller.policy", "values": ["wait_for_poc", "pass_to_duty_officer"]}],
}


def sweep_file(folder: Path, **changes: Any) -> Path:
    path = folder / "sweep.yaml"
    path.write_text(yaml.safe_dump({**GOOD, **changes}))
    return path


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    assert main(list(argv)) == 2
    err = capsys.readouterr().err
    assert err.startswith("hotline: error:") and "Traceback" not in err
    return err


@pytest.mark.parametrize("changes, expected", [
    ({"factors": [{"path": "desk.pocs.cuont", "values": [1, 2]}]},
     ["{f}:3: factor desk.pocs.cuont: desk.pocs: unknown key 'cuont'; did you mean 'count'?"]),
    ({"factors": [{"path": "notification.check_radius_km", "range": [5, 5]}],
      "design": {"kind": "latin_hypercube", "points": 4}},
     ["{f}:6: factors[0]: range [5, 5] is empty (low must be below high)"]),
    ({"factors": [{"path": "desk.pocs.count", "values": ["two"]}]},
     ["{f}:5: factor desk.pocs.count=\"two\": desk.pocs.count: expected a whole number, got two"]),
    ({"factors": [{"path": "caller.policy", "values": ["phone_a_friend"]}]},
     ["{f}:5: factor caller.policy=\"phone_a_friend\": caller.policy: expected one of 'wait_for_poc', "
      "'pass_to_duty_officer', 'escalate_after', got phone_a_friend"]),
    ({"replications": "many"}, ["{f}:12: replications: expected a whole number, got many"]),
    ({"replications": 1}, ["{f}:12: replications: expected an integer of at least 2, got 1"]),
    ({"factors": []}, ["{f}:2: factors: expected at least 1 item, got []"]),
    ({"factors": [{"path": "desk.pocs.count", "values": []}]},
     ["{f}:4: factors[0].values: expected at least 1 item, got []"]),
    ({"factors": [{"path": "desk.pocs.count"}]}, ["{f}:3: factors[0]: give either values or range"]),
    ({"factors": [{"path": "desk.pocs.count", "range": [1, 3]}]},
     ["{f}:3: factors[0]: a grid needs values, or a range with a count"]),
    ({"factor": []}, ["{f}:2: unknown key 'factor'; did you mean 'factors'?"]),
    ({"baseline": {"desk.pocs.count": 5, "caller.policy": "wait_for_poc"}},
     ["{f}:2: baseline: caller.policy=wait_for_poc, desk.pocs.count=5 is not a point of the grid"]),
    ({"baseline": {"desk.pocs.count": 1}}, ["{f}:2: baseline: give a value for factor caller.policy"]),
    ({"factors": [{"path": "desk.pocs.count", "range": [1, 3], "integer": True}],  # found by the fuzz test
      "design": {"kind": "latin_hypercube", "points": 4}, "baseline": {"desk.pocs.count": []}},
     ["{f}:10: factor desk.pocs.count=[]: desk.pocs.count: expected a whole number, got []"]),
    ({"outcomes": ["killed_by_delay"]},
     ["{f}:13: outcomes[0]: unknown outcome 'killed_by_delay'; did you mean 'killed_relay' or "
      "'killed_due_to_delay'?; "
      "`hotline list --outcomes` names them all"]),
    ({"plots": [{"kind": "line", "outcome": "killed_total", "x": "desk.pocs.count"}]},
     ["{f}:13: plots[0]: factor caller.policy varies: name it as x, lines or panels, or fix it with where"]),
    ({"plots": [{"kind": "tornado", "outcome": "killed_total"}]},
     ["{f}:13: plots[0].kind: a tornado plot needs a latin_hypercube design"]),
    ({"base": "no_such_scenario.yaml"},
     ["{f}:1: base: expected a scenario file (relative to the sweep file) or a shipped scenario's name, "
      "got no_such_scenario.yaml: no such file"]),
    ({"factors": [{"path": "desk.pocs.count", "values": [1, float("nan")]}]},
     ["{f}:4: factors[0].values: expected finite values, got NaN or infinity"]),
    ({"factors": [{"path": "caller.escalate_after", "range": [0, float("inf")], "count": 3}]},
     ["{f}:7: factors[0].range[1]: expected a finite number, got .inf"]),
    ({"factors": [{"path": "caller.policy", "range": [1, 3], "count": 3}]},
     ["{f}:5: factor caller.policy=1.0: caller.policy: expected one of 'wait_for_poc', 'pass_to_duty_officer', "
      "'escalate_after', got 1.0"]),
])
def test_bad_sweep_file_is_refused_with_a_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        changes: dict[str, Any], expected: list[str]) -> None:
    out = tmp_path / "out"
    path = sweep_file(tmp_path, **changes)
    err = refused(capsys, "sweep", str(path), "--out", str(out), "--workers", "1")
    assert err.removeprefix("hotline: error: ").splitlines() == [line.replace("{f}", str(path)) for line in expected]
    assert not out.exists()


def test_every_problem_is_reported_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sweep_file(tmp_path, replications=0, factors=[{"path": "x", "range": [3, 1]}], colour="red")
    err = refused(capsys, "sweep", str(path), "--out", str(tmp_path / "out"))
    assert err.removeprefix("hotline: error: ").splitlines() == [
        f"{path}:2: unknown key 'colour'",
        f"{path}:4: factors[0]: range [3, 1] is empty (low must be below high)",
        f"{path}:9: replications: expected an integer of at least 2, got 0"]


def test_resume_into_another_sweeps_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["sweep", str(sweep_file(tmp_path)), "--out", str(out), "--workers", "1", "--no-plots"]) == 0
    capsys.readouterr()
    before = (out / "results.sqlite").read_bytes()
    other = sweep_file(tmp_path, seed=5)
    err = refused(capsys, "sweep", str(other), "--out", str(out), "--resume", "--workers", "1")
    assert "different sweep" in err and "seed" in err
    err = refused(capsys, "sweep", str(other), "--out", str(out), "--workers", "1")
    assert "not empty" in err and "--resume" in err
    assert (out / "results.sqlite").read_bytes() == before


def test_a_bad_worker_count_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    err = refused(capsys, "sweep", str(sweep_file(tmp_path)), "--out", str(out), "--workers", "0")
    assert "--workers must be at least 1" in err
    assert not out.exists()


def test_export_and_plot_need_a_results_folder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert "no results database" in refused(capsys, "export", str(tmp_path), "--csv", str(tmp_path / "x.csv"))
    assert "no results database" in refused(capsys, "plot", str(tmp_path))


def test_shipped_sweeps_are_valid() -> None:
    from sim.cli.study import shipped_sweeps
    from sim.cli.sweep import resolve_sweep_path
    from sim.experiment.plan import plan_sweep

    sizes = {name: len(plan_sweep(resolve_sweep_path(name)).points) for name in shipped_sweeps()}
    assert sizes == {"location_error": 55, "screening": 61, "staffing": 81}  # 3 x 3 x 3 x 3 precedences
