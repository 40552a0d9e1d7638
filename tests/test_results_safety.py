"""Nothing lost, nothing overwritten: foreign folders refused, read-only readers, resume and extend."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from refusal import REPLAY, STOCHASTIC, refused
from sim.cli import main
from sim.results.store import LOCK_NAME



def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file's bytes, but the lock's: it names whoever last held the folder."""
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file() and p.name != LOCK_NAME}


def rows(folder: Path) -> list[tuple[object, ...]]:
    with sqlite3.connect(folder / "results.sqlite") as db:
        return db.execute("SELECT * FROM results ORDER BY point, replication").fetchall()


def replications(tmp_path: Path, name: str, n: int, *flags: str) -> Path:
    folder = tmp_path / name
    assert main(["run", str(STOCHASTIC), "-n", str(n), "--workers", "1", "--out", str(folder), *flags]) == 0
    return folder


def test_no_command_writes_over_another_runs_results(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = replications(tmp_path, "done", 5)
    before = snapshot(folder)
    capsys.readouterr()
    assert refused(capsys, "run", str(REPLAY), "--out", str(folder)) == [
        f"--out {folder}: the folder is not empty, and hotline never writes over another run's results; "
        "give a new or empty folder"]
    assert refused(capsys, "run", str(REPLAY), "-n", "3", "--out", str(folder)) == [
        f"{folder} is not empty; a new run needs an empty or new folder (use --resume to finish or extend it)"]
    assert refused(capsys, "plot", str(folder), "--out", str(folder)) == [
        f"--out {folder}: holds a run's results; hotline never writes figures over them"]
    assert snapshot(folder) == before


def test_export_reads_without_writing_a_byte(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = replications(tmp_path, "done", 5)
    before = snapshot(folder)
    assert main(["export", str(folder), "--csv", str(tmp_path / "out.csv")]) == 0
    assert main(["plot", str(folder), "--out", str(tmp_path / "figures")]) == 0
    assert snapshot(folder) == before  # no journal, no WAL index, no change to the database
    assert len((tmp_path / "out.csv").read_text().splitlines()) == 1 + 5


def test_a_place_that_cannot_be_written_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = replications(tmp_path, "done", 3)
    capsys.readouterr()
    assert refused(capsys, "export", str(folder), "--csv", "/sys/hotline.csv") == [
        "cannot write /sys/hotline.csv: Permission denied"]


def test_resume_says_what_is_left_and_extends_a_finished_run(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    whole = replications(tmp_path, "whole", 30)
    folder = replications(tmp_path, "grown", 10)
    capsys.readouterr()
    replications(tmp_path, "grown", 30, "--resume")
    err = capsys.readouterr().err
    assert "1 point x 30 replications on 1 local worker -> " in err
    assert err.splitlines()[0].endswith(f"{folder}/ (20 of 30 replications left to run)")
    assert rows(folder) == rows(whole)  # replication k is the same whatever the total


def test_resume_cannot_drop_replications(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    folder = replications(tmp_path, "done", 10)
    capsys.readouterr()
    before = snapshot(folder)
    assert refused(capsys, "run", str(STOCHASTIC), "-n", "5", "--resume", "--workers", "1", "--out", str(folder)) == [
        f"{folder} already holds 10 replications per point; --resume can add replications, not drop them "
        "(ask for 10 or more)"]
    assert snapshot(folder) == before


def test_a_finished_sweep_grows_by_editing_its_replications(tmp_path: Path,
                                                            capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "s.yaml"
    text = (f"name: s\nbase: {STOCHASTIC}\nreplications: 4\n"
            "factors:\n  - {path: desk.pocs.count, values: [1, 2]}\n")
    path.write_text(text)
    out = tmp_path / "out"
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1", "--no-plots"]) == 0
    path.write_text(text.replace("replications: 4", "replications: 6"))
    capsys.readouterr()
    assert main(["sweep", str(path), "--out", str(out), "--workers", "1", "--no-plots", "--resume"]) == 0
    assert "(4 of 12 replications left to run)" in capsys.readouterr().err
    assert main(["sweep", str(path), "--out", str(tmp_path / "straight"), "--workers", "1", "--no-plots"]) == 0
    assert rows(out) == rows(tmp_path / "straight")
