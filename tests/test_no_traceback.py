"""Inputs and faults that used to print a traceback: each is one line and its documented exit status."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from refusal import REPLAY, STOCHASTIC, refused
from sim.cli import main
from sim.results.store import FolderLock

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A finished run of 300 replications: enough CSV to fill a pipe."""
    folder = tmp_path_factory.mktemp("results") / "run"
    assert main(["run", str(STOCHASTIC), "-n", "300", "--workers", "1", "--out", str(folder)]) == 0
    return folder


def test_an_overflowing_duration(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert refused(capsys, "run", str(REPLAY), "--set", "strike.abort_latency=1e308", "--out", str(out)) == [
        "--set strike.abort_latency=1e308: strike.abort_latency: expected a duration of at most 100,000,000 min "
        "(about 190 years), got 1e+308"]
    assert not out.exists()


@pytest.mark.parametrize("values, message", [
    ("[1, .nan]", "factors[0].values: expected finite values, got NaN or infinity"),
    ("[1, .inf]", "factors[0].values: expected finite values, got NaN or infinity"),
])
def test_nan_or_infinity_among_factor_values_writes_nothing(tmp_path: Path, capsys: pytest.CaptureFixture[str],
                                                           values: str, message: str) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(f"name: s\nbase: {STOCHASTIC}\nreplications: 2\nfactors:\n"
                    f"  - {{path: language.misunderstanding_probability, values: {values}}}\n")
    out = tmp_path / "out"
    assert refused(capsys, "sweep", str(path), "--out", str(out)) == [f"{path}:5: {message}"]
    assert not out.exists()


def test_csv_at_a_folder_a_missing_folder_or_an_existing_file(results: Path, tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    assert refused(capsys, "export", str(results), "--csv", str(tmp_path)) == [
        f"--csv {tmp_path}: is a folder; give the name of a file to write"]
    missing = tmp_path / "no" / "x.csv"
    assert refused(capsys, "export", str(results), "--csv", str(missing)) == [
        f"--csv {missing}: the folder {missing.parent} does not exist"]
    existing = tmp_path / "mine.csv"
    existing.write_text("my own notes\n")
    assert refused(capsys, "export", str(results), "--csv", str(existing)) == [
        f"--csv {existing}: the file exists, and hotline never overwrites it; remove it or give another name"]
    assert existing.read_text() == "my own notes\n"


def test_out_at_an_existing_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    file = tmp_path / "notes.txt"
    file.write_text("mine\n")
    assert refused(capsys, "run", str(REPLAY), "--out", str(file)) == [f"--out {file}: is a file, not a folder"]
    assert refused(capsys, "run", str(REPLAY), "-n", "3", "--out", str(file)) == [
        f"{file}: is a file, not a results folder"]
    assert file.read_text() == "mine\n"


def test_a_malformed_scheduler_address(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (line,) = refused(capsys, "run", str(REPLAY), "-n", "3", "--scheduler", "foo:bar:baz", "--out",
                      str(tmp_path / "out"))
    assert line.startswith("--scheduler: expected an address such as tcp://head-node:8786, got foo:bar:baz (")
    assert not (tmp_path / "out").exists()


def test_output_piped_into_head_ends_quietly(results: Path) -> None:
    command = f"{sys.executable} -m sim export {results} --csv - | head -n 1"
    finished = subprocess.run(["bash", "-o", "pipefail", "-c", command], capture_output=True, text=True,
                              timeout=120)
    assert finished.stdout.startswith("point,replication,")
    assert finished.stderr == ""
    assert finished.returncode == 141  # as a program stopped by SIGPIPE


def test_a_second_writer_is_told_who_holds_the_folder(results: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lock = FolderLock(results)
    try:
        holder = lock.path.read_text()
        assert refused(capsys, "run", str(STOCHASTIC), "-n", "300", "--resume", "--workers", "1",
                       "--out", str(results)) == [
            f"{results} is being written by another hotline run ({holder}); wait for it to finish, or write to "
            "another folder with --out"]
    finally:
        lock.release()
    assert main(["run", str(STOCHASTIC), "-n", "300", "--resume", "--workers", "1", "--out", str(results)]) == 0


def test_a_hotline_only_file_with_no_poc(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "scenarios" / "validation" / "mmc_example.yaml"
    assert refused(capsys, "run", str(path), "--set", "desk.pocs.count=0", "--set", "desk.duty_officers.count=1",
                   "--out", str(tmp_path / "out")) == [
        f"{path}:14: a hotline-only scenario needs at least one POC to answer the calls"]
