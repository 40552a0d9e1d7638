"""Row storage keeps up with the batch engine.

10,000 replications of the stochastic Deir ez-Zor afternoon are computed on
the batch engine as a sweep's workers compute them (``sim.run.engines.replicate``,
the engine's columns as one array per batch), timed round by round; then the
same rows go into a new results database as a sweep stores them: batches of
500 (``MAX_BATCH``), each one transaction of ``ResultStore.add_table``, and
the database closed (its write-ahead log folded back into the file). Opening
the new database is left out of the timing.

``extra_info`` reports rows stored per second over rows computed per second
(``store_vs_batch_engine``). On two workers the main process stores what both
compute, so the target is at least 2.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path
from typing import Any

import numpy as np

from sim.experiment.plan import plan_replications
from sim.experiment.sweep import MAX_BATCH
from sim.results.store import ResultStore, open_for_writing
from sim.run.engines import replicate
from sim.scenario.loader import read_scenario_data, scenario_from_data

SCENARIO = Path(__file__).resolve().parents[2] / "scenarios" / "deir_ez_zor_2016_stochastic.yaml"
ROWS = 10_000


def test_bench_store_keeps_up_with_the_batch_engine(benchmark, tmp_path: Path, rounds: int) -> None:
    data = read_scenario_data(SCENARIO)
    scenario = scenario_from_data(data, str(SCENARIO))
    plan = plan_replications(str(SCENARIO), data, [], scenario.seed, ROWS)
    replicate(scenario, scenario.seed, range(10), "batch")  # loads the compiled loop
    batches = [range(k, min(k + MAX_BATCH, ROWS)) for k in range(0, ROWS, MAX_BATCH)]
    computed: list[tuple[list[str], np.ndarray]] = []
    compute_seconds = []
    for _ in range(rounds):
        started = time.perf_counter()
        computed = [replicate(scenario, scenario.seed, batch, "batch") for batch in batches]
        compute_seconds.append(time.perf_counter() - started)
    folders = iter(range(1_000))

    def new_store() -> tuple[tuple[ResultStore], dict[str, Any]]:
        folder = tmp_path / f"store-{next(folders)}"
        return (open_for_writing(folder, plan.manifest(), plan.points, plan.outcomes, resume=False),), {}

    def store_all(store: ResultStore) -> ResultStore:
        with store:
            for batch, (names, values) in zip(batches, computed):
                store.add_table(plan.points[0], batch, names, values)
        return store

    store = benchmark.pedantic(store_all, setup=new_store, rounds=rounds, iterations=1)
    with ResultStore.open(store.path) as written:
        assert written.row_count() == ROWS
        assert np.array_equal(written.values("killed_due_to_delay", 0),
                              np.concatenate([v[:, n.index("killed_due_to_delay")] for n, v in computed]),
                              equal_nan=True)
    benchmark.extra_info["rows"] = ROWS
    if benchmark.enabled:
        stored_rate = ROWS / benchmark.stats.stats.median
        computed_rate = ROWS / statistics.median(compute_seconds)
        benchmark.extra_info.update({"rows_stored_per_second": round(stored_rate),
                                     "rows_computed_per_second": round(computed_rate),
                                     "store_vs_batch_engine": round(stored_rate / computed_rate, 3),
                                     "target_store_vs_batch_engine": 2.0})
