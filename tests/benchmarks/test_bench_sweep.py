"""Sweep throughput on one and on two local workers.

The same small sweep (4 design points x 1000 replications of the stochastic
Deir ez-Zor afternoon, batches chosen by the sweep) runs on 1 worker (in
process) and on 2 worker processes, each from an empty database to the last
committed row. ``extra_info`` records replications per second of each and
their ratio; the target is a ratio of at least 1.8 on a machine with two
free cores. A benchmark reports; it never fails a build on timing.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

import pytest
import yaml

from sim.experiment.executors import LocalExecutor
from sim.experiment.plan import SweepPlan, plan_sweep
from sim.experiment.sweep import run_plan
from sim.results.store import open_for_writing

BASE = Path(__file__).resolve().parents[2] / "scenarios" / "deir_ez_zor_2016_stochastic.yaml"
REPLICATIONS = 1000
ROUNDS = 3


@pytest.fixture(scope="module")
def plan(tmp_path_factory: pytest.TempPathFactory) -> SweepPlan:
    path = tmp_path_factory.mktemp("bench") / "bench.yaml"
    path.write_text(yaml.safe_dump({
        "name": "bench", "base": str(BASE), "replications": REPLICATIONS,
        "factors": [{"path": "desk.pocs.count", "values": [1, 2]},
                    {"path": "caller.policy", "values": ["wait_for_poc", "pass_to_duty_officer"]}]}))
    return plan_sweep(path)


def sweep_once(plan: SweepPlan, workers: int, folder: Path, seconds: list[float]) -> int:
    """One sweep from an empty database to its last committed row; its wall time joins ``seconds``."""
    started = time.perf_counter()
    with open_for_writing(folder, plan.manifest(), plan.points, plan.outcomes, resume=False) as store, LocalExecutor(workers) as executor:
        stored = run_plan(plan, store, executor)
    seconds.append(time.perf_counter() - started)
    return stored


def test_bench_sweep_one_and_two_workers(benchmark, plan: SweepPlan, tmp_path_factory) -> None:
    total = len(plan.points) * plan.replications
    one: list[float] = []
    two: list[float] = []
    for _ in range(ROUNDS):
        assert sweep_once(plan, 1, tmp_path_factory.mktemp("one") / "out", one) == total
    stored = benchmark.pedantic(lambda: sweep_once(plan, 2, tmp_path_factory.mktemp("two") / "out", two),
                                rounds=ROUNDS, iterations=1)
    assert stored == total
    rate_one, rate_two = total / statistics.median(one), total / statistics.median(two)
    benchmark.extra_info.update({
        "replications": total,
        "replications_per_second_1_worker": round(rate_one),
        "replications_per_second_2_workers": round(rate_two),
        "speedup_2_vs_1": round(rate_two / rate_one, 3),
        "target_speedup": 1.8,
    })
