"""``hotline sweep`` on one and on two local workers, the whole command as a user runs it.

The sweep: 4 design points (one or two POCs x two caller policies) x 3,000
replications of the stochastic Deir ez-Zor afternoon, on the SimPy engine
(the batch engine makes a sweep this size too short to time), about 5
seconds on one worker. Each round runs

    hotline sweep FILE --workers 1 --engine simpy --out NEW
    hotline sweep FILE --workers 2 --engine simpy --out NEW

through ``sim.cli.main``, from reading the command line to the last figure
written: plan, replications, statistics, ``summary.json``, the table and 6
figure files. ``extra_info`` reports the whole command's speedup (target
**1.9**) and, timed inside the same runs, the replication loop's
(``run_plan``) alone, with the seconds of each.

This process has done its imports already. A fresh ``hotline`` process
spends ``startup_seconds`` (measured here, in a subprocess) importing before
it reads the command line, the same on one worker or two; the speedup with
it added to both runs is reported too (``speedup_2_vs_1_with_startup``).

The second benchmark runs the same sweep on the batch engine (``--engine
auto``): a second worker must not make it slower (target ratio 1.0).
A benchmark reports; it never fails a build on timing.
"""

from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

import sim.cli.execution
from sim.cli import main

BASE = Path(__file__).resolve().parents[2] / "scenarios" / "deir_ez_zor_2016_stochastic.yaml"
REPLICATIONS = 3000
POINTS = 4
FILES = 6  # 3 figures (line, heatmap, cdf) x PNG and SVG


@pytest.fixture(scope="module")
def sweep_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("bench") / "bench.yaml"
    path.write_text(yaml.safe_dump({
        "name": "bench", "base": str(BASE), "replications": REPLICATIONS,
        "factors": [{"path": "desk.pocs.count", "values": [1, 2]},
                    {"path": "caller.policy", "values": ["wait_for_poc", "pass_to_duty_officer"]}]}))
    return path


class Timed:
    """Runs ``hotline sweep`` and keeps the wall time of the command and of its replication loop."""

    def __init__(self, sweep_file: Path, engine: str, out: Callable[[], Path],
                 monkeypatch: pytest.MonkeyPatch) -> None:
        self.sweep_file, self.engine, self.out = sweep_file, engine, out
        self.command: dict[int, list[float]] = {1: [], 2: []}
        self.loop: dict[int, list[float]] = {1: [], 2: []}
        self._last_loop = 0.0
        run_plan = sim.cli.execution.run_plan

        def timed_run_plan(*args: Any, **kwargs: Any) -> int:
            started = time.perf_counter()
            try:
                return run_plan(*args, **kwargs)
            finally:
                self._last_loop = time.perf_counter() - started

        monkeypatch.setattr(sim.cli.execution, "run_plan", timed_run_plan)

    def __call__(self, workers: int) -> None:
        folder = self.out()
        started = time.perf_counter()
        status = main(["sweep", str(self.sweep_file), "--workers", str(workers), "--engine", self.engine,
                       "--out", str(folder)])
        self.command[workers].append(time.perf_counter() - started)
        self.loop[workers].append(self._last_loop)
        assert status == 0
        assert len(list((folder / "plots").iterdir())) == FILES

    def speedup(self, seconds: dict[int, list[float]]) -> float:
        return statistics.median(seconds[1]) / statistics.median(seconds[2])


def startup_seconds() -> float:
    """A fresh interpreter loading ``hotline sweep`` (``sim.cli`` loads the named command alone), as every run
    of it does first."""
    started = time.perf_counter()
    subprocess.run([sys.executable, "-c", "from sim.cli import build_parser; build_parser('sweep')"], check=True)
    return time.perf_counter() - started


def run_both(benchmark, timed: Timed, rounds: int) -> None:
    """One worker, then two, round after round, so that a busy spell of the machine falls on both alike."""
    def one_worker_first() -> tuple[tuple[int], dict[str, Any]]:
        timed(1)
        return (2,), {}

    benchmark.pedantic(timed, setup=one_worker_first, rounds=rounds, iterations=1)
    if not benchmark.enabled:
        return
    one, two = statistics.median(timed.command[1]), statistics.median(timed.command[2])
    benchmark.extra_info.update({
        "replications": POINTS * REPLICATIONS,
        "command_seconds_1_worker": round(one, 3),
        "command_seconds_2_workers": round(two, 3),
        "loop_seconds_1_worker": round(statistics.median(timed.loop[1]), 3),
        "loop_seconds_2_workers": round(statistics.median(timed.loop[2]), 3),
        "speedup_2_vs_1": round(timed.speedup(timed.command), 3),
        "loop_speedup_2_vs_1": round(timed.speedup(timed.loop), 3),
    })


def test_bench_sweep_one_and_two_workers(benchmark, sweep_file: Path, tmp_path_factory, monkeypatch,
                                         rounds: int) -> None:
    timed = Timed(sweep_file, "simpy", lambda: tmp_path_factory.mktemp("sweep") / "out", monkeypatch)
    run_both(benchmark, timed, rounds)
    if benchmark.enabled:
        startup = startup_seconds()
        one, two = benchmark.extra_info["command_seconds_1_worker"], benchmark.extra_info["command_seconds_2_workers"]
        benchmark.extra_info.update({"startup_seconds": round(startup, 3),
                                     "speedup_2_vs_1_with_startup": round((one + startup) / (two + startup), 3),
                                     "target_speedup": 1.9})


def test_bench_sweep_batch_engine_one_and_two_workers(benchmark, sweep_file: Path, tmp_path_factory, monkeypatch,
                                                      rounds: int) -> None:
    timed = Timed(sweep_file, "auto", lambda: tmp_path_factory.mktemp("batch") / "out", monkeypatch)
    timed(1)  # loads the compiled loop into this process, as any first run on a machine does
    timed.command[1].clear()
    timed.loop[1].clear()
    run_both(benchmark, timed, rounds)
    if benchmark.enabled:
        benchmark.extra_info["target_speedup"] = 1.0
