"""The hotline-only model against a raw SimPy M/M/c of the same size: the yardstick.

Both run 100,000 calls through 5 servers at 90% load (27 calls an hour,
10-minute calls). ``raw_simpy_mmc`` is the least a SimPy model of that queue
can do: Poisson arrivals, a ``Resource``, one numpy draw per gap and per
service, the waits recorded. Our model adds what the hotline needs (a
priority resource shared with POC absences, per-source random streams,
warm-up and the outcome accounting); the target is at most 1.5 times raw
SimPy's cost per call.

Raw SimPy is timed before every round of ours (pedantic ``setup`` is not
timed), so both see the same machine at the same moment, and its cost per
call is the unit ``compare.py`` measures every other benchmark in.
"""

from __future__ import annotations

import statistics
import time
from typing import Generator

import numpy as np
import pytest
import simpy

from sim.model.world import run_replication
from sim.scenario.schema import Scenario

CALLS = 100_000
SERVERS = 5
CALLS_PER_HOUR = 27.0
SERVICE_MIN = 10.0
SEED = 1

SCENARIO = Scenario.from_data({
    "name": "benchmark desk", "desk": {"pocs": {"count": SERVERS}, "duty_officers": {"count": 0}},
    "background_calls": {"rate_per_hour": CALLS_PER_HOUR, "calls": CALLS,
                         "service_time": {"dist": "exponential", "mean": SERVICE_MIN}}})


def raw_simpy_mmc(calls: int, servers: int, mean_gap: float, mean_service: float, seed: int) -> list[float]:
    """The waits of ``calls`` callers of a plain M/M/c queue in SimPy."""
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=servers)
    rng = np.random.default_rng(seed)
    waits: list[float] = []

    def call() -> Generator[simpy.Event, None, None]:
        arrived = env.now
        with desk.request() as request:
            yield request
            waits.append(env.now - arrived)
            yield env.timeout(rng.exponential(mean_service))

    def arrivals() -> Generator[simpy.Event, None, None]:
        for _ in range(calls):
            yield env.timeout(rng.exponential(mean_gap))
            env.process(call())

    env.process(arrivals())
    env.run()
    return waits


def test_bench_hotline_only_vs_raw_simpy(benchmark, rates, rounds: int) -> None:
    raw_seconds: list[float] = []

    def time_raw_simpy() -> None:
        started = time.perf_counter()
        waits = raw_simpy_mmc(CALLS, SERVERS, 60.0 / CALLS_PER_HOUR, SERVICE_MIN, SEED)
        raw_seconds.append(time.perf_counter() - started)
        assert len(waits) == CALLS

    outcomes = benchmark.pedantic(lambda: run_replication(SCENARIO, SEED, 0).outcomes, setup=time_raw_simpy,
                                  rounds=rounds)
    assert outcomes["calls"] == CALLS
    assert outcomes["utilisation"] == pytest.approx(0.9, abs=0.02)
    seconds = rates(calls=CALLS)
    raw = statistics.median(raw_seconds)
    benchmark.extra_info.update({"raw_simpy_calls_per_second": round(CALLS / raw),
                                 "raw_simpy_seconds_per_call": raw / CALLS, "target_ratio_to_raw_simpy": 1.5})
    if seconds is not None:
        benchmark.extra_info["ratio_to_raw_simpy"] = round(seconds / raw, 3)
