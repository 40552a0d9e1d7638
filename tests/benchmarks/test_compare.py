"""The CI gate: a ratio fails only past the tolerance, and only in the direction that is worse."""

from __future__ import annotations

import pytest
from compare import RATIOS, TOLERANCE, compare, measure


def run(name: str, median: float = 1.0, **extra: float) -> dict:
    return {"name": name, "stats": {"median": median}, "extra_info": extra}


RUNS = {r["name"]: r for r in (
    run("test_bench_hotline_only_vs_raw_simpy", 0.9, ratio_to_raw_simpy=1.125, raw_simpy_seconds_per_call=8e-6),
    run("test_bench_deir_ez_zor_replay", 0.0004, replications=1),
    run("test_bench_deir_ez_zor_stochastic_replications", 0.4, replications=1000),
    run("test_bench_sweep_one_and_two_workers", speedup_2_vs_1=1.9),
    run("test_bench_memory_flat_in_replications[simpy]", peak_memory_ratio=1.02),
    run("test_bench_memory_flat_in_replications[batch]", peak_memory_ratio=1.04),
    run("test_bench_sweep_batch_engine_one_and_two_workers", speedup_2_vs_1=1.2),
    run("test_bench_store_keeps_up_with_the_batch_engine", store_vs_batch_engine=3.0),
    run("test_bench_plain_sweep", 0.5, replications=1000),
    run("test_bench_staffing", 0.8, replications=1200),
    run("test_bench_sensitivity", 0.64, replications=640),
    run("test_bench_batch_engine_vs_simpy", speedup_batch_vs_simpy=8.0),
    run("test_bench_cost_per_event_flat_in_load", cost_per_event_max_over_min=1.8),
    run("test_bench_trace_vs_traceless", ratio_traced_to_traceless=1.4),
    run("test_bench_batch_engine_vs_simpy_on_staffing_points", speedup_batch_vs_simpy=12.0),
)}


def test_work_is_measured_in_raw_simpy_calls() -> None:
    ratios = measure(RUNS)
    assert ratios["deir_replay_in_raw_simpy_calls"] == pytest.approx(0.0004 / 8e-6)
    assert ratios["deir_stochastic_in_raw_simpy_calls"] == pytest.approx(0.4 / 1000 / 8e-6)
    assert ratios["hotline_only_vs_raw_simpy"] == 1.125
    assert ratios["staffing_vs_sweep"] == pytest.approx(1500 / 2000)  # 1,200 in 0.8 s against 1,000 in 0.5 s
    assert ratios["sensitivity_vs_sweep"] == pytest.approx(1000 / 2000)
    assert ratios["batch_vs_simpy_staffing_speedup"] == 12.0
    assert set(ratios) == {r.key for r in RATIOS}


def test_only_a_regression_past_the_tolerance_fails() -> None:
    baseline = measure(RUNS)
    slower = {**baseline, "hotline_only_vs_raw_simpy": baseline["hotline_only_vs_raw_simpy"] * (TOLERANCE - 0.1)}
    assert compare(baseline, slower)[1]
    much_slower = {**baseline, "hotline_only_vs_raw_simpy": baseline["hotline_only_vs_raw_simpy"] * (TOLERANCE + 0.1)}
    lines, ok = compare(baseline, much_slower)
    assert not ok and any("REGRESSED" in line and "hotline-only" in line for line in lines)
    assert compare(baseline, {**baseline, "memory_2000_vs_200": 0.5})[1]  # better is never a failure


def test_a_lower_speedup_is_the_worse_direction() -> None:
    baseline = measure(RUNS)
    assert compare(baseline, {**baseline, "sweep_speedup_2_vs_1": 3.0})[1]
    assert not compare(baseline, {**baseline, "sweep_speedup_2_vs_1": 1.9 / (TOLERANCE + 0.1)})[1]


def test_a_benchmark_missing_from_the_run_fails_and_a_new_one_does_not() -> None:
    baseline = measure(RUNS)
    lines, ok = compare(baseline, {k: v for k, v in baseline.items() if k != "sweep_speedup_2_vs_1"})
    assert not ok and any("MISSING" in line for line in lines)
    assert compare({k: v for k, v in baseline.items() if k != "sweep_speedup_2_vs_1"}, baseline)[1]
