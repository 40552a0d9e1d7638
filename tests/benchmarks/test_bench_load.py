"""Cost per SimPy event at 2, 200 and 2,000 background calls a day: target flat within 2x.

The stochastic Deir ez-Zor afternoon with its routine traffic turned up.
At 2 calls a day a replication is the strike and the callers, about 60
events; at 200 the desk is busy, about 340; at 2,000 (83 an hour at one POC
who serves 6) the line grows all day, to some 1,900 callers, and a
replication processes about 8,800 events. A desk whose cost per call grew
with its line (a re-sort per request, a scan of the line) would show here
as a cost per event rising with the load.

What is left is not the line. At 2 calls a day the replication's fixed cost
(streams, the release plan, the accounting) is spread over few events; at
2,000 every caller still waiting holds some 17 objects (its process, two
generators, its requests to the POC and the duty officer, the wait for
either) for hours, they reach Python's oldest garbage-collector generation,
and the full collections that follow take up to half the replication.
Both come to roughly 1.7-1.9 times the cost per event at 200 a day.

Events are counted once, untimed, by an environment that counts the steps
it takes; the timed rounds run the unchanged model. Each round runs the
three loads one after another and times each, so the ratio of the highest
to the lowest cost per event is measured on the same machine at the same
moment. Before each load the garbage left by the one before is collected,
untimed: otherwise the cycles of 2,000 a day's waiting callers are
collected while the next round's 2 a day runs, and charged to it.
"""

from __future__ import annotations

import gc
import statistics
import time
from pathlib import Path

import pytest
import simpy

from sim.model import world
from sim.model.world import run_replication
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "deir_ez_zor_2016_stochastic.yaml"
LOADS = {2: 800, 200: 250, 2_000: 6}  # calls a day -> replications per round (about 0.3 s each)


class CountingEnvironment(simpy.Environment):
    steps = 0

    def step(self) -> None:
        CountingEnvironment.steps += 1
        super().step()


def scenario_at(calls_a_day: int) -> Scenario:
    return load_scenario(SCENARIO, [f"background_calls.rate_per_hour={calls_a_day / 24}"])


def replicate(scenario: Scenario, count: int) -> None:
    for k in range(count):
        run_replication(scenario, scenario.seed, k)


def events_per_replication(scenario: Scenario, count: int, monkeypatch: pytest.MonkeyPatch) -> float:
    with monkeypatch.context() as patch:
        patch.setattr(world.simpy, "Environment", CountingEnvironment)
        CountingEnvironment.steps = 0
        replicate(scenario, count)
        return CountingEnvironment.steps / count


def test_bench_cost_per_event_flat_in_load(benchmark, rounds: int, monkeypatch: pytest.MonkeyPatch) -> None:
    scenarios = {load: scenario_at(load) for load in LOADS}
    events = {load: events_per_replication(scenarios[load], count, monkeypatch) for load, count in LOADS.items()}
    assert events[2] < 100 < events[200] < 500 < 5_000 < events[2_000]
    seconds: dict[int, list[float]] = {load: [] for load in LOADS}

    def three_loads() -> None:
        for load, count in LOADS.items():
            gc.collect()  # no load pays for the garbage another left (untimed)
            started = time.perf_counter()
            replicate(scenarios[load], count)
            seconds[load].append(time.perf_counter() - started)

    benchmark.pedantic(three_loads, rounds=rounds)
    benchmark.extra_info.update({f"events_per_replication_{load}_a_day": round(events[load], 1) for load in LOADS})
    benchmark.extra_info["target_cost_per_event_max_over_min"] = 2.0
    if not benchmark.enabled:
        return
    per_event = {}
    for load, count in LOADS.items():
        per_replication = statistics.median(seconds[load]) / count
        per_event[load] = per_replication / events[load]
        benchmark.extra_info[f"seconds_per_replication_{load}_a_day"] = per_replication
        benchmark.extra_info[f"microseconds_per_event_{load}_a_day"] = round(per_event[load] * 1e6, 3)
    benchmark.extra_info["cost_per_event_max_over_min"] = round(max(per_event.values()) / min(per_event.values()), 3)
