"""The batch engine against the SimPy engine, one core: the stochastic Deir ez-Zor afternoon and staffing points.

Both engines run replications in this process, timed in the same run. On the
shipped stochastic scenario the batch engine runs 4,000 at a time (and in
sweep batches of 500), the SimPy engine 200 one after another. On two points
of the staffing sweep where calls meet at the desk (3 POCs, urgent calls
preempting, 2 background calls an hour; 1 POC, first come first served, 0.75
an hour) each engine runs the same replications of both points. ``extra_info``
records replications per second of each engine, their ratios (target: 100x)
and the share of replications the batch engine left to SimPy (two events at
one moment). A benchmark reports; it never fails a build on timing.
"""

from __future__ import annotations

import math
import statistics
import time
from pathlib import Path

import numpy as np

from sim.experiment.plan import plan_sweep
from sim.model.batch.engine import run_rows, settled
from sim.model.batch.kernel import SIMPY
from sim.model.world import run_replication
from sim.scenario.loader import load_scenario, scenario_from_data

ROOT = Path(__file__).resolve().parents[2] / "scenarios"
SCENARIO = ROOT / "deir_ez_zor_2016_stochastic.yaml"
BATCH, SWEEP_BATCH, SIMPY_REPLICATIONS = 4_000, 500, 200
STAFFING_POINTS = ({"desk.pocs.count": 3, "caller.policy": "wait_for_poc", "background_calls.rate_per_hour": 2.0,
                    "desk.precedence": "urgent_preempts"},
                   {"desk.pocs.count": 1, "caller.policy": "wait_for_poc", "background_calls.rate_per_hour": 0.75,
                    "desk.precedence": "fifo"})
STAFFING_BATCH, STAFFING_SIMPY = 2_000, 100


def in_sweep_batches(scenario, count: int) -> int:
    return sum(len(run_rows(scenario, scenario.seed, range(k, k + SWEEP_BATCH))) for k in range(0, count, SWEEP_BATCH))


def assert_same(rows: list[dict[str, float]], reference: list[dict[str, float]]) -> None:
    for row, expected in zip(rows, reference):  # the same afternoons
        assert all(math.isclose(row[n], v, rel_tol=1e-9, abs_tol=1e-9) or (math.isnan(row[n]) and math.isnan(v))
                   for n, v in expected.items())


def test_bench_batch_engine_vs_simpy(benchmark, rounds: int) -> None:
    scenario = load_scenario(SCENARIO)
    run_rows(scenario, scenario.seed, range(10))  # loads the compiled loop
    simpy_seconds, sweep_seconds = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        reference = [run_replication(scenario, scenario.seed, k).outcomes for k in range(SIMPY_REPLICATIONS)]
        simpy_seconds.append(time.perf_counter() - started)
        started = time.perf_counter()
        in_sweep_batches(scenario, BATCH)
        sweep_seconds.append(time.perf_counter() - started)
    rows = benchmark.pedantic(run_rows, args=(scenario, scenario.seed, range(BATCH)), rounds=rounds, iterations=1)
    assert_same(rows, reference)
    _, status = settled(scenario, scenario.seed, np.arange(BATCH))
    benchmark.extra_info.update({"replications": BATCH, "share_run_on_simpy": round(float(np.mean(status == SIMPY)), 4),
                                 "target_speedup": 100})
    if not benchmark.enabled:
        return
    rate_batch = BATCH / float(benchmark.stats.stats.median)
    rate_sweep = BATCH / statistics.median(sweep_seconds)
    rate_simpy = SIMPY_REPLICATIONS / statistics.median(simpy_seconds)
    benchmark.extra_info.update({
        "replications_per_second_batch": round(rate_batch),
        "replications_per_second_batch_in_sweep_batches": round(rate_sweep),
        "replications_per_second_simpy": round(rate_simpy),
        "speedup_batch_vs_simpy": round(rate_batch / rate_simpy, 2),
        "speedup_in_sweep_batches": round(rate_sweep / rate_simpy, 2),
    })


def test_bench_batch_engine_vs_simpy_on_staffing_points(benchmark, rounds: int) -> None:
    plan = plan_sweep(ROOT / "sweeps" / "staffing.yaml")
    points = [scenario_from_data(plan.scenarios[next(p.index for p in plan.points if p.factors == wanted)], "staffing")
              for wanted in STAFFING_POINTS]
    seed = plan.seed

    def batch() -> list[list[dict[str, float]]]:
        return [run_rows(point, seed, range(STAFFING_BATCH)) for point in points]

    [run_rows(point, seed, range(10)) for point in points]  # loads the compiled loop
    simpy_seconds = []
    for _ in range(rounds):
        started = time.perf_counter()
        reference = [[run_replication(point, seed, k).outcomes for k in range(STAFFING_SIMPY)] for point in points]
        simpy_seconds.append(time.perf_counter() - started)
    rows = benchmark.pedantic(batch, rounds=rounds, iterations=1)
    for got, expected in zip(rows, reference):
        assert_same(got, expected)
    left = [float(np.mean(settled(point, seed, np.arange(STAFFING_BATCH))[1] == SIMPY)) for point in points]
    benchmark.extra_info.update({"points": len(points), "replications_per_point": STAFFING_BATCH,
                                 "share_run_on_simpy": round(max(left), 4), "target_speedup": 100})
    if not benchmark.enabled:
        return
    rate_batch = len(points) * STAFFING_BATCH / float(benchmark.stats.stats.median)
    rate_simpy = len(points) * STAFFING_SIMPY / statistics.median(simpy_seconds)
    benchmark.extra_info.update({
        "replications_per_second_batch": round(rate_batch),
        "replications_per_second_simpy": round(rate_simpy),
        "speedup_batch_vs_simpy": round(rate_batch / rate_simpy, 2),
    })
