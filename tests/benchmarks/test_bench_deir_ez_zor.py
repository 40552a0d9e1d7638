"""The Deir ez-Zor afternoon: one replay, and 1,000 stochastic replications on one worker.

The replay is what ``hotline run`` does by default; the stochastic scenario
is what sweeps and ``--replications`` multiply by thousands, so its rate
per worker (target: at least 1,500 replications per second) decides how
long a study takes.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.model.world import run_replication
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
REPLICATIONS = 1_000


def replicate(scenario: Scenario, count: int) -> list[dict[str, float]]:
    return [run_replication(scenario, scenario.seed, k).outcomes for k in range(count)]


def test_bench_deir_ez_zor_replay(benchmark, rates) -> None:
    scenario = load_scenario(SCENARIOS / "deir_ez_zor_2016.yaml")
    outcomes = benchmark(run_replication, scenario, scenario.seed, 0).outcomes
    assert outcomes["time_to_message"] == pytest.approx(27.0)
    rates(replications=1)


def test_bench_deir_ez_zor_stochastic_replications(benchmark, rates) -> None:
    scenario = load_scenario(SCENARIOS / "deir_ez_zor_2016_stochastic.yaml")
    runs = benchmark(replicate, scenario, REPLICATIONS)
    assert len({run["first_call"] for run in runs}) > REPLICATIONS / 2  # replications differ
    rates(replications=REPLICATIONS)
    benchmark.extra_info["target_replications_per_second"] = 1_500
