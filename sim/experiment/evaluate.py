"""Run chosen replications of chosen scenarios on an executor, rows back by point.

Staffing and sensitivity do not run a fixed design to the end: staffing adds
replications to the desks still in doubt, sensitivity runs thousands of
sample points a few replications each. Both hand this module scenarios by
point and the replications wanted of each, and get the outcome rows back in
replication order. Replication ``k`` of every point draws from the streams
of ``(seed, k)``, so every point sees the same afternoons (common random
numbers) whichever executor runs it.
"""

from __future__ import annotations

import itertools
from typing import Any, Iterator, Mapping, Sequence

from sim.experiment.executors import Executor
from sim.experiment.sweep import batch_size
from sim.run.replications import Batch, Rows, run_batch


def run_points(executor: Executor, scenarios: Mapping[int, dict[str, Any]], source: str, seed: int,
               wanted: Mapping[int, Sequence[int]]) -> dict[int, Rows]:
    """``wanted[point]`` replications of each point's scenario; rows per point, by replication."""
    total = sum(len(r) for r in wanted.values())
    size = batch_size(max((len(r) for r in wanted.values()), default=1), total, executor.workers)

    def batches() -> Iterator[Batch]:
        for point, replications in wanted.items():
            todo = iter(replications)
            while chunk := tuple(itertools.islice(todo, size)):
                yield Batch(point, scenarios[point], source, seed, chunk)

    rows: dict[int, Rows] = {point: [] for point in wanted}
    for point, batch_rows in executor.map_unordered(run_batch, batches()):
        rows[point].extend(batch_rows)
    return {point: sorted(found, key=lambda row: row[0]) for point, found in rows.items()}
