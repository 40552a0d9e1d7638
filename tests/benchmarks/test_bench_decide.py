"""What staffing and sensitivity cost beyond the replications they run.

All three run the stochastic Deir ez-Zor afternoon on one worker (in
process): a plain sweep (4 desks x 250 replications), the staffing search
over the same 4 desks (sequential looks, intervals, theory), and Morris
screening of 7 inputs (4 trajectories, 32 sample points x 20 replications:
sampling, one scenario per point, SALib's analysis). Each reports
replications per second; ``compare.py`` divides the staffing and the
sensitivity rates by the sweep's, so their overhead is known on any machine.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sim.experiment.executors import LocalExecutor
from sim.experiment.plan import plan_sweep
from sim.experiment.sensitivity import SensitivitySpec, prepare, sensitivity
from sim.experiment.staffing import StaffingSpec, settle, staffing_plan
from sim.experiment.sweep import run_plan
from sim.results.store import open_for_writing

SCENARIOS = Path(__file__).resolve().parents[2] / "scenarios"
BASE = "../deir_ez_zor_2016_stochastic.yaml"
LEVERS = [{"path": "desk.pocs.count", "values": [1, 2], "cost_per_unit": 5},
          {"path": "caller.policy", "values": ["wait_for_poc", "pass_to_duty_officer"], "cost": [0, 0.5]}]


def test_bench_plain_sweep(benchmark, rates, tmp_path_factory: pytest.TempPathFactory) -> None:
    path = tmp_path_factory.mktemp("sweep") / "sweep.yaml"
    path.write_text(yaml.safe_dump({"name": "bench", "base": str(SCENARIOS / "deir_ez_zor_2016_stochastic.yaml"),
                                    "replications": 250, "factors": [{k: v for k, v in lever.items()
                                                                      if k in ("path", "values")}
                                                                     for lever in LEVERS]}))
    plan = plan_sweep(path)

    def sweep() -> int:
        with open_for_writing(tmp_path_factory.mktemp("out") / "out", plan.manifest(), plan.points, plan.outcomes,
                              resume=False) as store, \
                LocalExecutor(1) as executor:
            return run_plan(plan, store, executor)

    assert benchmark.pedantic(sweep, rounds=3, iterations=1) == 1000
    rates(replications=1000)


def test_bench_staffing(benchmark, rates) -> None:
    spec = StaffingSpec.model_validate({
        "name": "bench", "base": BASE, "levers": LEVERS, "replications": {"initial": 100, "max": 400},
        "targets": [{"outcome": "late_10", "at_most": 0.1}, {"outcome": "killed_due_to_delay", "at_most": 3}]})
    plan = staffing_plan(spec, SCENARIOS / "staffing" / "bench.yaml")

    def staff() -> int:
        with LocalExecutor(1) as executor:
            return sum(c.replications for c in settle(spec, plan, executor).candidates)

    replications = benchmark.pedantic(staff, rounds=3, iterations=1)
    assert 400 <= replications <= 1600
    rates(replications=replications)


def test_bench_sensitivity(benchmark, rates) -> None:
    inputs = [{"path": "desk.pocs.availability.away_for.mean", "range": [10, 60]},
              {"path": "detection.delay.mean", "range": [10, 60]},
              {"path": "language.misunderstanding_probability", "range": [0, 0.6]},
              {"path": "background_calls.rate_per_hour", "range": [0, 2]},
              {"path": "notification.error.distance_km", "range": [0, 15]},
              {"path": "strike.abort_latency", "range": [1, 10]},
              {"path": "strike.harm.killed.scale", "range": [0.4, 1.3]}]
    spec = SensitivitySpec.model_validate({"name": "bench", "base": BASE, "method": "morris", "samples": 4,
                                           "replications": 20, "bootstrap": 100,
                                           "outcomes": ["killed_due_to_delay"], "inputs": inputs})
    prepared = prepare(spec, SCENARIOS / "sensitivity" / "bench.yaml")

    def analyse() -> int:
        with LocalExecutor(1) as executor:
            (result,) = sensitivity(prepared, executor)
        return result.points * result.replications

    assert benchmark.pedantic(analyse, rounds=3, iterations=1) == 32 * 20
    rates(replications=32 * 20)
