"""Running a plan: open or resume its database, hand out batches, store rows as they come.

Picture the staffing study, 27 points x 1000 replications on two cores. The
work is cut into batches of one point's replications, big enough that
handing one out costs little next to running it (a replication takes well
under a millisecond) and small enough that every worker gets several, so
none waits idle at the end and a kill loses little. Each finished batch is
committed to the database at once; after a Ctrl-C, a ``kill -9`` or a
crashed worker, ``--resume`` asks the database what is there and runs only
the rest. The last batches are smaller (a quarter of what is left, down to
25 replications), so two workers finish within a few milliseconds of each
other, not one idling through the other's last 500 replications.

A finished batch comes back as one array (``sim.run.replications.Table``),
not a dict per replication: the batch engine computes a replication in tens
of microseconds, and the main process, which stores what every worker
computes, must not spend more than that per row.

Where the rows go is guarded by the store (``sim.results.store``), which the
caller opens and hands in: this module only needs something that says what
is stored and takes new rows, so the experiment layer never imports the
results layer above it.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator, Optional, Protocol, Sequence

import numpy as np

from sim.experiment.executors import Executor
from sim.experiment.plan import SweepPlan
from sim.run.engines import uses_batch
from sim.run.replications import Batch, Table, run_table
from sim.scenario.design import DesignPoint
from sim.scenario.schema import Scenario

MAX_BATCH = 500
"""Replications in a batch at most on the SimPy engine (about 0.2 s of work): progress and a Ctrl-C come often."""
MAX_COMPILED_BATCH = 4000
"""The same on the batch engine, where 500 replications take about 2 ms: bigger batches keep a batch's own
cost (the worker loading its scenario, sending and storing the batch) small beside its work."""
MIN_BATCH = 25
BATCHES_PER_WORKER = 8


class RowStore(Protocol):
    """Where finished replications go: ``sim.results.store.ResultStore``."""

    def counts(self) -> dict[int, int]: ...

    def replications_of(self, point: int) -> set[int]: ...

    def add_table(self, point: DesignPoint, replications: Sequence[int], names: Sequence[str],
                  values: np.ndarray) -> None: ...


@dataclass(frozen=True)
class Progress:
    points: int
    points_done: int
    replications: int
    replications_done: int
    done_this_run: int
    elapsed: float

    @property
    def rate(self) -> float:
        return self.done_this_run / self.elapsed if self.elapsed > 0 else 0.0


def largest_batch(scenarios: Iterable[Scenario], engine: str) -> int:
    """``MAX_COMPILED_BATCH`` when every point runs on the batch engine, else ``MAX_BATCH``."""
    return MAX_COMPILED_BATCH if all(uses_batch(s, engine) for s in scenarios) else MAX_BATCH


def batch_size(replications: int, missing: int, workers: int, largest: int = MAX_BATCH) -> int:
    """Several batches per worker, each big enough that scheduling stays cheap (at most ``largest``);
    and at least one batch per worker, so that a small run still keeps every worker busy."""
    if not missing:
        return 1
    size = math.ceil(missing / (workers * BATCHES_PER_WORKER))
    size = max(min(size, largest, replications), min(MIN_BATCH, replications))
    return max(1, min(size, math.ceil(missing / workers)))


def batch_count(plan: SweepPlan, stored: dict[int, int], size: int) -> int:
    """How many batches of ``size`` the missing replications make (each batch is one point's)."""
    return sum(math.ceil(max(plan.replications - stored.get(p.index, 0), 0) / size) for p in plan.points)


def _batches(plan: SweepPlan, store: RowStore, stored: dict[int, int], size: int, engine: str,
             tail: Optional[int] = None) -> Iterator[Batch]:
    """The missing replications, point by point, asked of the store only when a point comes up.

    With ``tail`` (the number of workers), batches shrink once fewer than two of ``size`` per worker
    are left: each takes a quarter of what is left, down to ``MIN_BATCH``, so the workers finish within
    a small batch of each other instead of one waiting out the other's last big batch."""
    left = sum(max(plan.replications - stored.get(p.index, 0), 0) for p in plan.points)
    smallest = min(MIN_BATCH, size)
    for point in plan.points:
        if stored.get(point.index, 0) >= plan.replications:
            continue
        have = store.replications_of(point.index) if stored.get(point.index) else set()
        todo = iter(k for k in range(plan.replications) if k not in have)
        while chunk := tuple(itertools.islice(todo, size if tail is None else
                                              max(smallest, min(size, math.ceil(left / (2 * tail)))))):
            left -= len(chunk)
            yield Batch(point.index, plan.scenarios[point.index], plan.source, plan.seed, chunk, engine)


def run_plan(plan: SweepPlan, store: RowStore, executor: Executor, size: Optional[int] = None,
             on_progress: Optional[Callable[[Progress], None]] = None, engine: str = "simpy",
             largest: int = MAX_BATCH) -> int:
    """Run every missing (point, replication) on ``engine`` (``sim.run.engines``); return the rows stored.

    Batches hold ``size`` replications, or without it ``batch_size`` of them (at most ``largest``,
    see ``largest_batch``), shrinking at the end."""
    stored = store.counts()
    remaining = {p.index: plan.replications - stored.get(p.index, 0) for p in plan.points}
    total = len(plan.points) * plan.replications
    todo = sum(remaining.values())
    tail = executor.workers if not size and executor.workers > 1 else None
    size = size or batch_size(plan.replications, todo, executor.workers, largest)
    points = {p.index: p for p in plan.points}
    started, added = time.monotonic(), 0

    def report() -> None:
        if on_progress is not None:
            on_progress(Progress(len(points), sum(1 for r in remaining.values() if r == 0), total,
                                 total - todo + added, added, time.monotonic() - started))

    report()
    table: Table
    for table in executor.map_unordered(run_table, _batches(plan, store, stored, size, engine, tail)):
        store.add_table(points[table.point], table.replications, table.names, table.values)
        remaining[table.point] -= len(table.replications)
        added += len(table.replications)
        report()
    return added
