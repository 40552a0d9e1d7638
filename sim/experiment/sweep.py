"""Running a plan: open or resume its database, hand out batches, store rows as they come.

Picture the staffing study, 27 points x 1000 replications on two cores. The
work is cut into batches of one point's replications, big enough that
handing one out costs little next to running it (a replication takes well
under a millisecond) and small enough that every worker gets several, so
none waits idle at the end and a kill loses little. Each finished batch is
committed to the database at once; after a Ctrl-C, a ``kill -9`` or a
crashed worker, ``--resume`` asks the database what is there and runs only
the rest.

Where the rows go is guarded. A new sweep goes only into an empty folder; a
``--resume`` goes only into a database whose fingerprint (everything that
decides the rows) matches the plan's.
"""

from __future__ import annotations

import itertools
import math
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator, Optional

from sim.experiment.executors import Executor
from sim.experiment.plan import SweepPlan
from sim.experiment.sweep_spec import SweepError
from sim.results.store import FILE_NAME, ResultStore, StoreError, database_path
from sim.run.replications import Batch, run_batch

MAX_BATCH = 500
MIN_BATCH = 25
BATCHES_PER_WORKER = 8


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


def open_store(plan: SweepPlan, folder: Path, resume: bool) -> ResultStore:
    """A fresh database in an empty folder, or the plan's own database to resume."""
    path = database_path(folder)
    if resume and path.is_file():
        store = ResultStore.open(folder)
        stored = store.manifest()
        if stored.get("fingerprint") != plan.fingerprint:
            store.close()
            raise SweepError([f"{folder} holds the results of a different sweep; refusing to resume into it "
                              f"({_differences(stored, plan.manifest())}). Run into a new folder with --out."])
        store.update_manifest("definition", plan.definition)  # plots or wording may have changed
        return store
    if folder.exists() and any(folder.iterdir()):
        hint = " (use --resume to finish it)" if path.is_file() else ""
        raise SweepError([f"{folder} is not empty; a new sweep needs an empty or new folder{hint}"])
    return ResultStore.create(folder, plan.manifest(), plan.points, plan.outcomes)


def _differences(stored: dict, wanted: dict) -> str:
    keys = ("name", "code_version", "seed", "replications", "factors", "base_scenario")
    differ = [k.replace("_", " ") for k in keys if stored.get(k) != wanted.get(k)]
    return "differs in " + ", ".join(differ) if differ else "differs in its design points"


def batch_size(replications: int, missing: int, workers: int) -> int:
    """Several batches per worker, each big enough that scheduling stays cheap."""
    size = math.ceil(missing / (workers * BATCHES_PER_WORKER)) if missing else 1
    return max(min(size, MAX_BATCH, replications), min(MIN_BATCH, replications))


def _batches(plan: SweepPlan, store: ResultStore, stored: dict[int, int], size: int,
             engine: str) -> Iterator[Batch]:
    """The missing replications, point by point, asked of the store only when a point comes up."""
    for point in plan.points:
        if stored.get(point.index, 0) >= plan.replications:
            continue
        have = store.replications_of(point.index) if stored.get(point.index) else set()
        todo = iter(k for k in range(plan.replications) if k not in have)
        while chunk := tuple(itertools.islice(todo, size)):
            yield Batch(point.index, plan.scenarios[point.index], plan.source, plan.seed, chunk, engine)


def run_plan(plan: SweepPlan, store: ResultStore, executor: Executor, size: Optional[int] = None,
             on_progress: Optional[Callable[[Progress], None]] = None, engine: str = "simpy") -> int:
    """Run every missing (point, replication) on ``engine`` (``sim.run.engines``); return the rows stored."""
    stored = store.counts()
    remaining = {p.index: plan.replications - stored.get(p.index, 0) for p in plan.points}
    total = len(plan.points) * plan.replications
    todo = sum(remaining.values())
    size = size or batch_size(plan.replications, todo, executor.workers)
    points = {p.index: p for p in plan.points}
    started, added = time.monotonic(), 0

    def report() -> None:
        if on_progress is not None:
            on_progress(Progress(len(points), sum(1 for r in remaining.values() if r == 0), total,
                                 total - todo + added, added, time.monotonic() - started))

    report()
    for index, rows in executor.map_unordered(run_batch, _batches(plan, store, stored, size, engine)):
        store.add(points[index], rows)
        remaining[index] -= len(rows)
        added += len(rows)
        report()
    return added


def existing_store(folder: Path) -> ResultStore:
    """Open a results folder for reading, with a clear message when there is none."""
    try:
        return ResultStore.open(folder)
    except StoreError as error:
        raise SweepError([str(error) + f" (a sweep or `hotline run --replications` writes {FILE_NAME})"]) from None
