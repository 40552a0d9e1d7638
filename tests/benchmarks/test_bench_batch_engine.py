"""The batch engine against the SimPy engine, one core: the stochastic Deir ez-Zor afternoon and staffing points.

Both engines run replications in this process, timed in the same run. On the
shipped stochastic scenario the batch engine runs 4,000 at a time (and in
sweep batches of 500), the SimPy engine 200 one after another. The batch
engine is timed to its columns (``run_columns``), which is what a sweep stores;
each engine's rows are then compared, untimed. On the 81 points of the
staffing sweep (``scenarios/sweeps/staffing.yaml``: up to 2 background calls
an hour, so lines form) the batch engine runs the sweep's 1,000 replications of each (one batch), the
SimPy engine 5; the busiest point (3 POCs, urgent calls preempting, 2 calls an
hour) is also timed on its own. ``extra_info``
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
from sim.model.batch.engine import run_columns, settled
from sim.model.batch.kernel import SIMPY
from sim.model.world import run_replication
from sim.scenario.loader import load_scenario, scenario_from_data

ROOT = Path(__file__).resolve().parents[2] / "scenarios"
SCENARIO = ROOT / "deir_ez_zor_2016_stochastic.yaml"
BATCH, SWEEP_BATCH, SIMPY_REPLICATIONS = 4_000, 500, 200
BUSIEST = {"desk.pocs.count": 3, "caller.policy": "wait_for_poc", "background_calls.rate_per_hour": 2.0,
           "desk.precedence": "urgent_preempts"}
STAFFING_BATCH, STAFFING_SIMPY = 1000, 5  # the sweep's 1,000 a point: one batch each on the batch engine


def in_sweep_batches(scenario, count: int) -> None:
    for k in range(0, count, SWEEP_BATCH):
        run_columns(scenario, scenario.seed, range(k, k + SWEEP_BATCH))


def assert_same(columns: dict[str, np.ndarray], reference: list[dict[str, float]]) -> None:
    for k, expected in enumerate(reference):  # the same afternoons
        assert all(math.isclose(columns[n][k], v, rel_tol=1e-9, abs_tol=1e-9)
                   or (math.isnan(columns[n][k]) and math.isnan(v)) for n, v in expected.items())


def test_bench_batch_engine_vs_simpy(benchmark, rounds: int) -> None:
    scenario = load_scenario(SCENARIO)
    run_columns(scenario, scenario.seed, range(10))  # loads the compiled loop
    simpy_seconds, sweep_seconds = [], []
    for _ in range(rounds):
        started = time.perf_counter()
        reference = [run_replication(scenario, scenario.seed, k).outcomes for k in range(SIMPY_REPLICATIONS)]
        simpy_seconds.append(time.perf_counter() - started)
        started = time.perf_counter()
        in_sweep_batches(scenario, BATCH)
        sweep_seconds.append(time.perf_counter() - started)
    columns = benchmark.pedantic(run_columns, args=(scenario, scenario.seed, range(BATCH)), rounds=rounds,
                                 iterations=1)
    assert_same(columns, reference)
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
    """Every point of the staffing sweep, and apart the busiest (3 POCs, urgent calls preempting, 2 calls an hour)."""
    plan = plan_sweep(ROOT / "sweeps" / "staffing.yaml")
    points = [scenario_from_data(plan.scenarios[p.index], "staffing") for p in plan.points]
    busiest = next(i for i, p in enumerate(plan.points) if p.factors == BUSIEST)
    seed = plan.seed

    def batch(chosen: list) -> list[dict[str, np.ndarray]]:
        return [run_columns(point, seed, range(STAFFING_BATCH)) for point in chosen]

    def simpy(chosen: list, replications: int) -> list[list[dict[str, float]]]:
        return [[run_replication(point, seed, k).outcomes for k in range(replications)] for point in chosen]

    batch(points)  # loads the compiled loop
    simpy_seconds, busiest_seconds = [], {"batch": [], "simpy": []}
    for _ in range(rounds):
        started = time.perf_counter()
        reference = simpy(points, STAFFING_SIMPY)
        simpy_seconds.append(time.perf_counter() - started)
        for engine, run in (("batch", lambda: batch([points[busiest]] * 4)),
                            ("simpy", lambda: simpy([points[busiest]], 4 * STAFFING_SIMPY))):
            started = time.perf_counter()
            run()
            busiest_seconds[engine].append(time.perf_counter() - started)
    columns = benchmark.pedantic(batch, args=(points,), rounds=rounds, iterations=1)
    for got, expected in zip(columns, reference):
        assert_same(got, expected)
    left = [float(np.mean(settled(point, seed, np.arange(STAFFING_BATCH))[1] == SIMPY)) for point in points]
    benchmark.extra_info.update({"points": len(points), "replications_per_point": STAFFING_BATCH,
                                 "share_run_on_simpy": round(float(np.mean(left)), 5),
                                 "share_run_on_simpy_at_most": round(max(left), 4), "target_speedup": 100})
    if not benchmark.enabled:
        return
    rate_batch = len(points) * STAFFING_BATCH / float(benchmark.stats.stats.median)
    rate_simpy = len(points) * STAFFING_SIMPY / statistics.median(simpy_seconds)
    busiest_batch = 4 * STAFFING_BATCH / statistics.median(busiest_seconds["batch"])
    busiest_simpy = 4 * STAFFING_SIMPY / statistics.median(busiest_seconds["simpy"])
    benchmark.extra_info.update({
        "replications_per_second_batch": round(rate_batch),
        "replications_per_second_simpy": round(rate_simpy),
        "speedup_batch_vs_simpy": round(rate_batch / rate_simpy, 2),
        "speedup_on_the_busiest_point": round(busiest_batch / busiest_simpy, 2),
    })
