"""A replay with its trace against the same replay without: target at most 1.5 times the cost.

The run is the hotline-only benchmark desk (5 POCs, 27 calls an hour,
10-minute calls) for 50,000 calls: every call is one ``background_call``
event, so the trace is as long as the run. The traced side is what
``hotline run`` does with such a scenario: simulate with the trace, write
the run folder (``summary.json`` and the 50,000-line ``trace.jsonl``; there
is no timeline without a strike) and make the printed table. The traceless
side is ``run_replication`` without a trace, timed before every round of
the traced one (pedantic ``setup`` is not timed), so both see the machine
at the same moment. ``extra_info`` records the ratio of the medians.
"""

from __future__ import annotations

import itertools
import statistics
import time
from pathlib import Path

from sim import api
from sim.model.world import run_replication
from sim.results.run_folder import read_trace

CALLS = 50_000
SEED = 1
DESK = api.load({
    "name": "benchmark desk", "desk": {"pocs": {"count": 5}, "duty_officers": {"count": 0}},
    "background_calls": {"rate_per_hour": 27.0, "calls": CALLS,
                         "service_time": {"dist": "exponential", "mean": 10.0}}})


def test_bench_trace_vs_traceless(benchmark, rates, rounds: int, tmp_path: Path) -> None:
    traceless_seconds: list[float] = []
    traceless: list[dict[str, float]] = []
    folders = (tmp_path / f"run-{n}" for n in itertools.count())

    def time_traceless() -> None:
        started = time.perf_counter()
        traceless.append(run_replication(DESK.scenario, SEED, 0).outcomes)
        traceless_seconds.append(time.perf_counter() - started)

    def replay() -> Path:
        run = api.simulate(DESK, SEED)
        run.table()
        return run.write(next(folders))

    folder = benchmark.pedantic(replay, setup=time_traceless, rounds=rounds)
    events = read_trace(folder / "trace.jsonl")
    assert len(events) == CALLS and {e.kind.value for e in events} == {"background_call"}
    assert api.simulate(DESK, SEED).outcomes == traceless[-1]  # the trace does not change the run
    seconds = rates(calls=CALLS)
    traceless_median = statistics.median(traceless_seconds)
    benchmark.extra_info.update({"trace_bytes": (folder / "trace.jsonl").stat().st_size,
                                 "traceless_calls_per_second": round(CALLS / traceless_median),
                                 "target_ratio_traced_to_traceless": 1.5})
    if seconds is not None:
        benchmark.extra_info["ratio_traced_to_traceless"] = round(seconds / traceless_median, 3)
