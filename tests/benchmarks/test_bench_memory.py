"""Memory stays flat in the number of replications: rows go to the store, not into a list.

The streaming runner (``hotline run --replications``: a plan of one point,
run into its SQLite store on one worker) runs 200 and then 2,000
replications of the stochastic Deir ez-Zor scenario, in batches of 50 for
both so that only the number of replications differs, on each engine.
``tracemalloc`` measures the peak Python memory of each run; a runner that
held every row would peak about 5 times higher at 2,000, a streaming one
about the same.

A finished replication's SimPy environment is a reference cycle (processes,
generators and the environment point at each other), freed only when the
cyclic garbage collector gets round to it, and its full collections come
rarer as a run goes on. Left alone, that garbage alone makes the peak 2.3
times higher at 2,000 replications than at 200 (then it levels off: 1.43 MB
at 8,000). So a full collection follows every batch: the peak is then what
the runner holds, which is what streaming is about. A first, small run
before the measured ones keeps one-time costs (loading compiled code,
building a gamma quantile table) out of both peaks.
"""

from __future__ import annotations

import gc
import tracemalloc
from pathlib import Path

import pytest

from sim.experiment.executors import LocalExecutor
from sim.experiment.plan import plan_replications
from sim.experiment.sweep import run_plan
from sim.results.store import open_for_writing
from sim.scenario.loader import read_scenario_data

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "deir_ez_zor_2016_stochastic.yaml"
FEW, MANY = 200, 2_000
BATCH = 50


def peak_bytes(replications: int, folder: Path, engine: str) -> int:
    """Peak traced memory while ``replications`` run into a new store in ``folder``."""
    data = read_scenario_data(SCENARIO)
    plan = plan_replications(str(SCENARIO), data, [], data["seed"], replications)
    with open_for_writing(folder, plan.manifest(), plan.points, plan.outcomes, resume=False) as store:
        gc.collect()
        tracemalloc.start()
        try:
            stored = run_plan(plan, store, LocalExecutor(1), size=BATCH, on_progress=lambda _: gc.collect(),
                              engine=engine)
            peak = tracemalloc.get_traced_memory()[1]
        finally:
            tracemalloc.stop()
        assert stored == store.row_count() == replications
    return peak


@pytest.mark.parametrize("engine", ["simpy", "batch"])
def test_bench_memory_flat_in_replications(benchmark, tmp_path: Path, engine: str) -> None:
    folders = iter(range(1_000))
    peak_bytes(BATCH, tmp_path / "warm", engine)  # one-time costs (compiled code, tables) out of the way

    def measure() -> tuple[int, int]:
        run = next(folders)
        return peak_bytes(FEW, tmp_path / f"few-{run}", engine), peak_bytes(MANY, tmp_path / f"many-{run}", engine)

    few, many = benchmark.pedantic(measure, rounds=1)
    benchmark.extra_info.update({"engine": engine, "replications": [FEW, MANY], "peak_bytes": [few, many],
                                 "peak_memory_ratio": round(many / few, 3)})
