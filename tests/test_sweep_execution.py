"""Sweeps end to end: same rows on any executor, nothing lost to a kill, paired effects, exports, plots."""

from __future__ import annotations

import csv
import json
import math
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

import sim.results.store
from sim.cli import main
from sim.experiment.executors import LocalExecutor
from sim.experiment.plan import plan_replications
from sim.experiment.sweep import _batches
from sim.cli.progress import ProgressBar
from sim.experiment.sweep import Progress
from sim.results.store import ResultStore, open_for_writing
from sim.scenario.design import DesignPoint
from sim.results.sweep_report import effect, statistics_document

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "scenarios" / "deir_ez_zor_2016_stochastic.yaml"
FACTORS = [{"path": "desk.pocs.count", "values": [1, 2]},
           {"path": "caller.policy", "values": ["wait_for_poc", "pass_to_duty_officer"]}]


def sweep_file(folder: Path, name: str = "tiny", **fields: Any) -> Path:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.safe_dump({"name": name, "base": str(BASE), "replications": 12, "factors": FACTORS,
                                    **fields}))
    return path


def sweep(path: Path, out: Path, *flags: str) -> None:
    assert main(["sweep", str(path), "--out", str(out), *flags]) == 0


def dump(folder: Path) -> list[str]:
    """The whole database as SQL text: schema, manifest, points and every row, in key order."""
    with sqlite3.connect(folder / "results.sqlite") as db:
        return list(db.iterdump())


def row_count(database: Path) -> int:
    if not database.exists():
        return 0
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True, timeout=0.1) as db:
            return int(db.execute("SELECT COUNT(*) FROM results").fetchone()[0])
    except sqlite3.OperationalError:  # created but not yet holding the table
        return 0


def test_one_worker_two_workers_and_dask_give_identical_databases(tmp_path: Path) -> None:
    path = sweep_file(tmp_path)
    sweep(path, tmp_path / "one", "--workers", "1", "--no-plots")
    sweep(path, tmp_path / "two", "--workers", "2", "--batch-size", "5", "--no-plots")
    sweep(path, tmp_path / "dask", "--dask-local", "--workers", "2", "--batch-size", "3", "--no-plots")
    reference = dump(tmp_path / "one")
    assert sum(line.startswith('INSERT INTO "results"') for line in reference) == 4 * 12
    assert dump(tmp_path / "two") == reference
    assert dump(tmp_path / "dask") == reference


def test_two_workers_write_the_rows_statistics_and_figures_one_worker_writes(tmp_path: Path) -> None:
    """Default batches (shrinking at the end) and figures drawn by the workers change no byte that matters."""
    path = sweep_file(tmp_path, replications=60)
    sweep(path, tmp_path / "one", "--workers", "1")
    sweep(path, tmp_path / "two", "--workers", "2")
    assert dump(tmp_path / "two") == dump(tmp_path / "one")
    summaries = [json.loads((tmp_path / run / "summary.json").read_text())["points"] for run in ("one", "two")]
    assert summaries[0] == summaries[1]
    pngs = [{p.name: p.read_bytes() for p in (tmp_path / run / "plots").glob("*.png")} for run in ("one", "two")]
    assert len(pngs[0]) == 3 and pngs[0] == pngs[1]
    assert len(list((tmp_path / "two" / "plots").glob("*.svg"))) == 3


def test_batches_shrink_to_a_quarter_of_what_is_left_at_the_end() -> None:
    data = yaml.safe_load(BASE.read_text())
    plan = plan_replications(str(BASE), data, [], 7, 1000)
    fixed = [len(b.replications) for b in _batches(plan, ResultStore, {}, 100, "simpy")]
    assert fixed == [100] * 10
    # 7 x 100 while a quarter of what is left is 100 or more (1000 ... 400 left), then
    # ceil(300/4) = 75, ceil(225/4) = 57, ceil(168/4) = 42, ceil(126/4) = 32, then 25 (the least) x 3, 19
    shrinking = list(_batches(plan, ResultStore, {}, 100, "simpy", tail=2))
    assert [len(b.replications) for b in shrinking] == [100] * 7 + [75, 57, 42, 32, 25, 25, 25, 19]
    assert [k for b in shrinking for k in b.replications] == list(range(1000))


def test_statistics_read_block_by_block_equal_statistics_read_at_once(tmp_path: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    sweep(sweep_file(tmp_path), tmp_path / "out", "--workers", "1", "--no-plots")
    with ResultStore.open(tmp_path / "out") as store:
        at_once = statistics_document(store)
        monkeypatch.setattr(sim.results.store, "BLOCK_CELLS", 30)  # 12 replications: 2 outcomes a block
        assert len(list(store.blocks(1, store.outcomes, 12))) == math.ceil(len(store.outcomes) / 2)
        assert statistics_document(store) == at_once
    assert at_once["points"][1]["outcomes"]["killed_due_to_delay"]["n"] == 12


def test_a_batch_is_stored_as_its_array_says(tmp_path: Path) -> None:
    """NaN becomes NULL (read back as NaN), replications stay integers, a new outcome gets a column,
    and dict rows store the same cells as the array."""
    point = DesignPoint(0, {"desk.pocs.count": 2, "caller.policy": "wait_for_poc"})
    manifest = {"kind": "sweep", "name": "t", "factors": list(point.factors), "fingerprint": "f", "replications": 3}
    with open_for_writing(tmp_path / "a", manifest, [point], ["x"], resume=False) as store:
        store.add_table(point, [4, 2], ["x", "y"], np.array([[1.5, np.nan], [np.nan, -2.0]]))
        store.add(point, [(7, {"y": 3.25, "x": 0.5})])
        assert store.outcomes == ["x", "y"]
        assert list(store.rows()) == [(0, 2, 2, "wait_for_poc", None, -2.0), (0, 4, 2, "wait_for_poc", 1.5, None),
                                      (0, 7, 2, "wait_for_poc", 0.5, 3.25)]
        replications, values = store.table(0, ["y", "x"])
        assert replications.tolist() == [2, 4, 7]
        assert np.array_equal(values, [[-2.0, np.nan], [np.nan, 1.5], [3.25, 0.5]], equal_nan=True)


def test_a_local_pool_starts_tasks_now_and_gives_results_in_order() -> None:
    with LocalExecutor(2) as executor:
        wait = executor.start(abs, [-3, 1, -2])
        assert executor._pool is not None  # already running
        assert wait() == [3, 1, 2]
    with LocalExecutor(1) as executor:
        assert executor.start(abs, [-3])() == [3]


@pytest.fixture(scope="module")
def long_sweep(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[str]]:
    """A sweep long enough to interrupt (4 x 2000 replications), and its uninterrupted database."""
    folder = tmp_path_factory.mktemp("long")
    path = sweep_file(folder, replications=2000)
    sweep(path, folder / "whole", "--workers", "2", "--no-plots")
    return path, dump(folder / "whole")


def start_sweep(path: Path, out: Path) -> subprocess.Popen:
    """A real ``hotline sweep`` process, stopped once it has committed a few hundred rows."""
    child = subprocess.Popen([sys.executable, "-m", "sim", "sweep", str(path), "--out", str(out), "--workers", "2",
                              "--batch-size", "10", "--no-plots"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)
    deadline = time.monotonic() + 60
    while row_count(out / "results.sqlite") < 300 and child.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert child.poll() is None, "the sweep should still be running"
    return child


def forked_workers(pid: int) -> list[int]:
    """Children of ``pid`` running its own command line (forked workers, not helper processes)."""
    command = Path(f"/proc/{pid}/cmdline").read_bytes()
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            parent = int(stat.read_text().rsplit(")", 1)[1].split()[1])
            if parent == pid and (stat.parent / "cmdline").read_bytes() == command:
                found.append(int(stat.parent.name))
        except OSError:
            continue
    return found


def resumed_equals_uninterrupted(path: Path, out: Path, reference: list[str]) -> None:
    stored = row_count(out / "results.sqlite")
    assert 300 <= stored < 8000, "the stop should land part way through"
    sweep(path, out, "--resume", "--workers", "2", "--no-plots")
    assert dump(out) == reference


def test_sweep_killed_part_way_resumes_to_the_uninterrupted_database(
        tmp_path: Path, long_sweep: tuple[Path, list[str]]) -> None:
    path, reference = long_sweep
    child = start_sweep(path, tmp_path / "killed")
    os.kill(child.pid, signal.SIGKILL)
    child.communicate(timeout=10)
    resumed_equals_uninterrupted(path, tmp_path / "killed", reference)


def test_ctrl_c_keeps_the_stored_rows_and_says_how_to_finish(
        tmp_path: Path, long_sweep: tuple[Path, list[str]]) -> None:
    path, reference = long_sweep
    child = start_sweep(path, tmp_path / "stopped")
    os.killpg(child.pid, signal.SIGINT)  # what a terminal sends to the whole process group
    _, err = child.communicate(timeout=30)
    assert child.returncode == 130
    assert f"finish with: hotline sweep {path} --resume --out {tmp_path / 'stopped'}" in err
    assert f"{row_count(tmp_path / 'stopped' / 'results.sqlite')} of 8000 replications are stored" in err
    resumed_equals_uninterrupted(path, tmp_path / "stopped", reference)


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds worker processes through /proc")
def test_a_crashed_worker_loses_nothing_already_stored(tmp_path: Path, long_sweep: tuple[Path, list[str]]) -> None:
    path, reference = long_sweep
    child = start_sweep(path, tmp_path / "crashed")
    workers = forked_workers(child.pid)
    assert workers, "the sweep runs on worker processes"
    os.kill(workers[0], signal.SIGKILL)
    _, err = child.communicate(timeout=30)
    assert child.returncode == 1
    assert "a worker process died" in err and "--resume" in err
    resumed_equals_uninterrupted(path, tmp_path / "crashed", reference)


def test_paired_interval_is_narrower_than_unpaired_on_the_staffing_sweep(tmp_path: Path) -> None:
    spec = yaml.safe_load((ROOT / "scenarios" / "sweeps" / "staffing.yaml").read_text())
    spec.update(base=str(BASE), replications=150, plots=[])
    path = tmp_path / "staffing.yaml"
    path.write_text(yaml.safe_dump(spec))
    sweep(path, tmp_path / "out", "--workers", "2", "--no-plots")
    with ResultStore.open(tmp_path / "out") as store:
        points = {(p.factors["desk.pocs.count"], p.factors["caller.policy"],
                   p.factors["background_calls.rate_per_hour"], p.factors["desk.precedence"]): p.index
                  for p in store.points()}
        baseline = store.manifest()["baseline"]
        assert baseline == points[(1, "wait_for_poc", 0.0833, "fifo")]
        second_poc = points[(2, "wait_for_poc", 0.0833, "fifo")]
        paired, unpaired = effect(store, "killed_due_to_delay", second_poc, baseline)
        a, b = store.values("killed_due_to_delay", second_poc), store.values("killed_due_to_delay", baseline)
    assert paired.n == 150
    assert paired.mean == pytest.approx(a.mean() - b.mean())
    assert paired.ci_high < 0  # a second POC saves lives, and we are sure of it
    assert unpaired.mean == pytest.approx(paired.mean)
    assert paired.width < unpaired.width / 1.1
    assert np.corrcoef(a, b)[0, 1] > 0.2  # common random numbers make the pairs move together


def test_csv_export_is_one_tidy_row_per_point_and_replication(tmp_path: Path) -> None:
    sweep(sweep_file(tmp_path), tmp_path / "out", "--workers", "1", "--no-plots")
    assert main(["export", str(tmp_path / "out"), "--csv", str(tmp_path / "rows.csv")]) == 0
    with (tmp_path / "rows.csv").open() as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == 4 * 12
    assert list(rows[0])[:4] == ["point", "replication", "desk.pocs.count", "caller.policy"]
    assert {(r["desk.pocs.count"], r["caller.policy"]) for r in rows} == {
        ("1", "wait_for_poc"), ("1", "pass_to_duty_officer"), ("2", "wait_for_poc"), ("2", "pass_to_duty_officer")}
    with ResultStore.open(tmp_path / "out") as store:
        killed = store.values("killed_due_to_delay", 3)
    assert [float(r["killed_due_to_delay"]) for r in rows if r["point"] == "3"] == list(killed)
    assert all(r["late_27"] in ("0.0", "1.0") for r in rows)


def test_sweep_writes_summary_and_standalone_figures(tmp_path: Path) -> None:
    plots = [
        {"name": "line", "kind": "line", "outcome": "killed_due_to_delay", "x": "desk.pocs.count",
         "lines": "caller.policy"},
        {"name": "heat", "kind": "heatmap", "outcome": "late_27", "x": "desk.pocs.count", "y": "caller.policy"},
        {"name": "cdf", "kind": "cdf", "lines": "desk.pocs.count", "panels": "caller.policy"},
    ]
    out = tmp_path / "out"
    sweep(sweep_file(tmp_path, plots=plots), out, "--workers", "1")
    for name in ("line", "heat", "cdf"):
        assert (out / "plots" / f"{name}.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert "<svg" in (out / "plots" / f"{name}.svg").read_text()[:500]
    assert "POCs on the desk" in (out / "plots" / "line.svg").read_text()  # axis labels in words
    summary = json.loads((out / "summary.json").read_text())
    assert summary["baseline"] == 0 and len(summary["points"]) == 4
    late = summary["points"][1]["outcomes"]["late_27"]
    assert late["ci_low"] <= late["p"] <= late["ci_high"] and late["n"] == 12
    effect_of = summary["points"][2]["effect_vs_baseline"]["killed_due_to_delay"]
    assert effect_of["paired"]["n"] == 12 and effect_of["paired"]["width"] <= effect_of["unpaired"]["width"] * 1.5
    assert main(["plot", str(out), "--out", str(tmp_path / "again"), "--format", "png"]) == 0
    assert sorted(p.name for p in (tmp_path / "again").iterdir()) == ["cdf.png", "heat.png", "line.png"]


def test_latin_hypercube_sweep_draws_a_tornado(tmp_path: Path) -> None:
    path = sweep_file(tmp_path, replications=6, design={"kind": "latin_hypercube", "points": 8, "seed": 1},
                      factors=[{"path": "desk.pocs.count", "range": [1, 3], "integer": True},
                               {"path": "language.misunderstanding_probability", "range": [0, 0.6]},
                               {"path": "caller.policy", "values": ["wait_for_poc", "pass_to_duty_officer"]}])
    sweep(path, tmp_path / "out", "--workers", "1")
    assert (tmp_path / "out" / "plots" / "tornado-killed_due_to_delay.png").stat().st_size > 5000
    with ResultStore.open(tmp_path / "out") as store:
        values = [p.factors["language.misunderstanding_probability"] for p in store.points()]
    assert len(values) == 8 and all(0 <= v <= 0.6 for v in values)


def test_progress_bar_is_quiet_off_a_terminal_and_informative_on_one(tmp_path: Path,
                                                                      capsys: pytest.CaptureFixture[str]) -> None:
    sweep(sweep_file(tmp_path), tmp_path / "out", "--workers", "1", "--no-plots")
    assert "\r" not in capsys.readouterr().err

    class Terminal:
        text = ""

        def isatty(self) -> bool:
            return True

        def write(self, text: str) -> None:
            self.text += text

        def flush(self) -> None:
            pass

    terminal = Terminal()
    bar = ProgressBar(terminal)  # type: ignore[arg-type]
    bar(Progress(points=18, points_done=9, replications=9000, replications_done=4500, done_this_run=4000,
                 elapsed=2.0))
    bar.close()
    assert "9/18 points" in terminal.text and "4,500/9,000 replications" in terminal.text
    assert "2,000/s" in terminal.text and "ETA 0:02" in terminal.text


def test_study_refreshes_headline_figures_and_table(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from sim.cli import study

    plots = [{"name": "headline", "kind": "line", "outcome": "killed_due_to_delay", "x": "desk.pocs.count",
              "lines": "caller.policy", "headline": True},
             {"name": "other", "kind": "cdf"}]
    path = sweep_file(tmp_path, plots=plots)
    monkeypatch.setattr(study, "resolve_sweep_path", lambda name: path)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "results" / "studies" / "tiny").mkdir(parents=True)
    (tmp_path / "results" / "studies" / "tiny" / "stale.png").write_bytes(b"old")
    assert main(["study", "tiny", "--workers", "1"]) == 0
    headline = tmp_path / "results" / "studies" / "tiny"
    assert sorted(p.name for p in headline.iterdir()) == ["headline.png", "summary.txt"]
    assert "killed due to delay (people)" in (headline / "summary.txt").read_text()
    assert (tmp_path / "results" / "sweeps" / "tiny-001" / "plots" / "other.svg").exists()
