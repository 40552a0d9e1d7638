"""The batch engine against the SimPy engine on the stochastic Deir ez-Zor afternoon, one core.

Both engines run replications of the shipped stochastic scenario in this
process, timed in the same run: the batch engine 4,000 at a time (a sweep
batch is at most 500, so it also runs in batches of 500), the SimPy engine
200 one after another. ``extra_info`` records replications per second of
each, their ratio (target: 100x), and the share of replications the batch
engine handed to SimPy because two calls met at the desk. A benchmark
reports; it never fails a build on timing.
"""

from __future__ import annotations

import math
import statistics
import time
from pathlib import Path

import numpy as np

from sim.model.batch.engine import SPELLS, _computed, run_rows
from sim.model.batch.kernel import SIMPY
from sim.model.world import run_replication
from sim.scenario.loader import load_scenario

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "deir_ez_zor_2016_stochastic.yaml"
BATCH, SWEEP_BATCH, SIMPY_REPLICATIONS = 4_000, 500, 200


def in_sweep_batches(scenario, count: int) -> int:
    return sum(len(run_rows(scenario, scenario.seed, range(k, k + SWEEP_BATCH))) for k in range(0, count, SWEEP_BATCH))


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
    for row, expected in zip(rows, reference):  # the same afternoons
        assert all(math.isclose(row[n], v, rel_tol=1e-9, abs_tol=1e-9) or (math.isnan(row[n]) and math.isnan(v))
                   for n, v in expected.items())
    _, status = _computed(scenario, scenario.seed, np.arange(BATCH), SPELLS)
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
