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
    ({"factors": [{"path": "desk.pocs.cuont", "values": [1, 2]}]}, ["factor desk.pocs.cuont=1", "cuont"]),
    ({"factors": [{"path": "notification.check_radius_km", "range": [5, 5]}],
      "design": {"kind": "latin_hypercube", "points": 4}}, ["factors.0", "range [5, 5] is empty"]),
    ({"factors": [{"path": "desk.pocs.count", "values": ["two"]}]}, ["desk.pocs.count", "two"]),
    ({"factors": [{"path": "caller.policy", "values": ["phone_a_friend"]}]}, ["caller.policy", "phone_a_friend"]),
    ({"replications": "many"}, ["replications", "'many'"]),
    ({"replications": 1}, ["replications", "greater than or equal to 2"]),
    ({"factors": []}, ["factors", "at least 1"]),
    ({"factors": [{"path": "desk.pocs.count", "values": []}]}, ["factors.0.values", "at least 1"]),
    ({"factors": [{"path": "desk.pocs.count"}]}, ["give either values or range"]),
    ({"factors": [{"path": "desk.pocs.count", "range": [1, 3]}]}, ["a grid needs values, or a range with a count"]),
    ({"factor": []}, ["factor: unknown key"]),
    ({"baseline": {"desk.pocs.count": 5, "caller.policy": "wait_for_poc"}}, ["baseline", "not a point of the grid"]),
    ({"baseline": {"desk.pocs.count": 1}}, ["baseline: give a value for factor caller.policy"]),
    ({"outcomes": ["killed_by_delay"]}, ["unknown outcome 'killed_by_delay'", "killed_due_to_delay"]),
    ({"plots": [{"kind": "line", "outcome": "killed_total", "x": "desk.pocs.count"}]},
     ["factor caller.policy varies"]),
    ({"plots": [{"kind": "tornado", "outcome": "killed_total"}]}, ["tornado plot needs a latin_hypercube"]),
    ({"base": "no_such_scenario.yaml"}, ["no_such_scenario.yaml: no such file"]),
])
def test_bad_sweep_file_is_refused_with_a_clear_message(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                        changes: dict[str, Any], expected: list[str]) -> None:
    out = tmp_path / "out"
    err = refused(capsys, "sweep", str(sweep_file(tmp_path, **changes)), "--out", str(out), "--workers", "1")
    for text in expected:
        assert text in err
    assert not out.exists()


def test_every_problem_is_reported_at_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sweep_file(tmp_path, replications=0, factors=[{"path": "x", "range": [3, 1]}], colour="red")
    err = refused(capsys, "sweep", str(path), "--out", str(tmp_path / "out"))
    assert "replications" in err and "range [3, 1] is empty" in err and "colour: unknown key" in err


def test_resume_into_another_sweeps_folder_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["sweep", str(sweep_file(tmp_path)), "--out", str(out), "--workers", "1", "--no-plots"]) == 0
    capsys.readouterr()
    before = (out / "results.sqlite").read_bytes()
    other = sweep_file(tmp_path, replications=5)
    err = refused(capsys, "sweep", str(other), "--out", str(out), "--resume", "--workers", "1")
    assert "different sweep" in err and "replications" in err
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
