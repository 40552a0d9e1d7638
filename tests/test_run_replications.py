"""`hotline run --replications N`: statistics a reviewer accepts, identical on any worker count."""

from __future__ import annotations

import json
import math
from pathlib import Path

import numpy as np
import pytest

from sim.cli import main
from sim.model.world import run_replication
from sim.results.store import ResultStore
from sim.scenario.loader import load_scenario

STOCHASTIC = Path(__file__).resolve().parent.parent / "scenarios" / "deir_ez_zor_2016_stochastic.yaml"


def run(folder: Path, *flags: str) -> dict:
    assert main(["run", str(STOCHASTIC), "--replications", "60", "--out", str(folder), *flags]) == 0
    return json.loads((folder / "summary.json").read_text())


def test_replications_report_intervals_quantiles_and_probabilities(tmp_path: Path, capsys) -> None:
    summary = run(tmp_path / "two", "--workers", "2")
    assert summary["replications"] == 60 and summary["kind"] == "replications"
    delay = summary["outcomes"]["time_to_message"]
    assert delay["n"] == 60 and delay["missing"] == 0
    assert delay["ci_low"] < delay["mean"] < delay["ci_high"]
    assert delay["p10"] <= delay["median"] <= delay["p90"]
    late = summary["outcomes"]["late_27"]
    assert late["n"] == 60 and late["p"] == pytest.approx(late["successes"] / 60, abs=1e-6)
    assert late["ci_low"] <= late["p"] <= late["ci_high"]
    assert summary["outcomes"]["notice_caught"]["p"] == 0  # 9 km off with a 5 km radius: never caught
    printed = capsys.readouterr().out
    assert "95% CI" in printed and "P(pre-strike check caught the conflict)" in printed
    assert "P(message not through within 27 min of the first call)" in printed
    assert (tmp_path / "two" / "cdf-time_to_message.png").exists()

    # The stored rows are exactly what the model gives for replications 0..59 of the file's seed ...
    scenario = load_scenario(STOCHASTIC)
    with ResultStore.open(tmp_path / "two") as store:
        stored = store.values("killed_due_to_delay", 0)
    direct = [run_replication(scenario, scenario.seed, k).outcomes["killed_due_to_delay"] for k in range(60)]
    assert list(stored) == direct
    assert summary["outcomes"]["killed_due_to_delay"]["mean"] == pytest.approx(np.mean(direct), abs=1e-6)
    # ... and the summary is the same whatever the worker count.
    assert run(tmp_path / "one", "--workers", "1")["outcomes"] == summary["outcomes"]


def test_single_run_path_is_unchanged(tmp_path: Path) -> None:
    assert main(["run", str(STOCHASTIC), "--out", str(tmp_path)]) == 0
    assert {p.name for p in tmp_path.iterdir()} == {"summary.json", "trace.jsonl", "timeline.png", "timeline.svg"}
    outcomes = json.loads((tmp_path / "summary.json").read_text())["outcomes"]
    assert not math.isnan(outcomes["time_to_message"])


def test_zero_replications_is_refused(tmp_path: Path, capsys) -> None:
    assert main(["run", str(STOCHASTIC), "--replications", "0", "--out", str(tmp_path / "x")]) == 2
    assert "--replications" in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
