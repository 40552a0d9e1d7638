"""`hotline run` end to end: the replays, the run folder, determinism."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim.cli import main

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def run_to(folder: Path, *args: str) -> dict:
    assert main(["run", *args, "--out", str(folder)]) == 0
    return json.loads((folder / "summary.json").read_text())


def releases_in_trace(folder: Path) -> list[dict]:
    events = [json.loads(line) for line in (folder / "trace.jsonl").read_text().splitlines()]
    return [e for e in events if e["kind"] == "release"]


def test_deir_ez_zor_replay_reproduces_the_sourced_afternoon(tmp_path: Path, capsys) -> None:
    summary = run_to(tmp_path)  # the embedded default scenario
    out = summary["outcomes"]
    assert summary["scenario"].startswith("Deir ez-Zor")
    assert out["time_to_message"] == pytest.approx(27.0)
    assert out["releases_before_message"] == 15
    assert out["releases_total"] == 37
    assert out["killed_total"] == pytest.approx(62, abs=0.01)
    assert summary["clock"]["first_call"] == "16:25:33"
    assert summary["clock"]["message_through"] == "16:52:33"
    assert summary["clock"]["strike_stop"] == "16:56:33"  # 4 min after the message
    assert out["notice_caught"] == 0
    # The figures come out of the trace, not out of thin air.
    first, through = out["first_call"], out["message_through"]
    assert sum(first <= r["time"] < through for r in releases_in_trace(tmp_path)) == 15
    assert (tmp_path / "timeline.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    printed = capsys.readouterr().out
    assert "16:52:33" in printed and "27.00 min" in printed


def test_duty_officer_what_if_saves_releases(tmp_path: Path) -> None:
    replay = run_to(tmp_path / "replay", str(SCENARIOS / "deir_ez_zor_2016.yaml"))
    what_if = run_to(tmp_path / "what_if", str(SCENARIOS / "deir_ez_zor_2016_duty_officer.yaml"))
    saved = replay["outcomes"]["releases_total"] - what_if["outcomes"]["releases_total"]
    assert saved > 0
    assert len(releases_in_trace(tmp_path / "what_if")) == what_if["outcomes"]["releases_total"]
    assert what_if["outcomes"]["killed_total"] < replay["outcomes"]["killed_total"]
    # Message through 1 min answer + 3 min redial + 1 min answer + 2 min relay after 16:25:33.
    assert what_if["clock"]["message_through"] == "16:32:33"


def test_sarmada_runs_without_notice(tmp_path: Path) -> None:
    out = run_to(tmp_path, str(SCENARIOS / "sarmada_2017.yaml"))["outcomes"]
    assert out["notice_caught"] is None
    assert out["releases_total"] == 4 and out["killed_total"] == 20
    assert out["releases_due_to_delay"] == 0  # over before anybody called


def test_same_seed_gives_byte_identical_summary(tmp_path: Path) -> None:
    stochastic = str(SCENARIOS / "deir_ez_zor_2016_stochastic.yaml")
    run_to(tmp_path / "a", stochastic, "--seed", "11")
    run_to(tmp_path / "b", stochastic, "--seed", "11")
    run_to(tmp_path / "c", stochastic, "--seed", "12")
    a, b, c = ((tmp_path / x / "summary.json").read_bytes() for x in "abc")
    assert a == b
    assert a != c


def test_overrides_change_the_run(tmp_path: Path) -> None:
    out = run_to(tmp_path, "--set", "caller.policy=pass_to_duty_officer")["outcomes"]
    assert out["releases_total"] < 37


def test_default_folders_never_overwrite(tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["run"]) == 0
    assert main(["run"]) == 0
    runs = tmp_path / "results" / "runs"
    folders = sorted(p.name for p in runs.iterdir() if p.name != "latest")
    assert len(folders) == 2 and folders[0] != folders[1]
    assert (runs / "latest").resolve().name == folders[1]
    assert all((runs / f / "summary.json").exists() for f in folders)


def test_both_engines_store_the_same_rows_and_an_uncovered_scenario_says_so(tmp_path: Path, capsys) -> None:
    from sim.results.store import ResultStore

    stochastic = str(SCENARIOS / "deir_ez_zor_2016_stochastic.yaml")
    values = {}
    for engine in ("simpy", "batch"):
        assert main(["run", stochastic, "-n", "40", "--workers", "1", "--engine", engine,
                     "--out", str(tmp_path / engine)]) == 0
        with ResultStore.open(tmp_path / engine) as store:
            values[engine] = [list(store.values(o, 0)) for o in ("killed_due_to_delay", "time_to_message", "attempts")]
    assert values["batch"] == values["simpy"]
    capsys.readouterr()
    queue = str(SCENARIOS / "validation" / "mmc_example.yaml")
    assert main(["run", queue, "-n", "3", "--workers", "1", "--out", str(tmp_path / "auto")]) == 0
    assert "engine: SimPy (the batch engine does not cover a hotline-only queueing model)" in capsys.readouterr().err
    assert main(["run", queue, "-n", "3", "--engine", "batch", "--out", str(tmp_path / "refused")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--engine batch: the batch engine does not cover" in err
    assert not (tmp_path / "refused").exists()
