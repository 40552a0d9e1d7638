"""Command-line options and behaviour shared by everything that runs replications.

``hotline run --replications``, ``hotline sweep`` and ``hotline study`` all
take ``--workers N`` (local processes, default all cores), ``--scheduler
tcp://HOST:PORT`` or ``--dask-local`` (Dask), and ``--batch-size``; all show
the progress bar; and all say, when interrupted or when a worker dies, how
many replications are safe in the database and how to finish the job.
"""

from __future__ import annotations

import argparse
import functools
import sys
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path
from typing import Callable, Optional

from sim.cli.progress import ProgressBar
from sim.experiment.executors import DaskExecutor, Executor, ExecutorUnavailable, LocalExecutor, available_cores
from sim.experiment.plan import SweepPlan
from sim.experiment.sweep import batch_count, largest_batch, run_plan
from sim.experiment.sweep import batch_size as default_batch_size
from sim.results.store import ResultStore, open_for_writing
from sim.scenario.sweep_spec import SweepError
from sim.run.engines import ENGINES, engine_note, replicate, uses_batch
from sim.scenario.loader import scenario_from_data
from sim.scenario.schema import Scenario


class RunFailed(Exception):
    """Work stopped part way; what was stored is kept."""


def reports_failures(handler: Callable[[argparse.Namespace], int]) -> Callable[[argparse.Namespace], int]:
    """An executor that cannot be had is a usage error (status 2); a dead worker is status 1."""
    @functools.wraps(handler)
    def wrapped(args: argparse.Namespace) -> int:
        try:
            return handler(args)
        except ExecutorUnavailable as error:
            raise SweepError([str(error)]) from None
        except RunFailed as error:
            print(f"hotline: error: {error}", file=sys.stderr)
            return 1
    return wrapped


def add_executor_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("execution")
    group.add_argument("--workers", type=int, default=None, metavar="N",
                       help="worker processes (default: all cores; 1 runs everything in this process); "
                            "several also draw a sweep's figures; with --dask-local, Dask workers")
    where = group.add_mutually_exclusive_group()
    where.add_argument("--scheduler", metavar="ADDRESS",
                       help="run on a Dask cluster, e.g. tcp://head-node:8786 (needs hotline-sim[dask])")
    where.add_argument("--dask-local", action="store_true",
                       help="run on a Dask LocalCluster on this machine (needs hotline-sim[dask])")
    group.add_argument("--batch-size", type=int, default=None, metavar="N",
                       help="replications per batch handed to a worker (default: chosen from the work)")
    group.add_argument("--engine", choices=ENGINES, default="auto",
                       help="batch: the array engine (same rows, far faster); simpy: the reference model; "
                            "auto (default): batch where it covers the scenario")


def note(text: str) -> None:
    print(f"hotline: note: {text}", file=sys.stderr)


def executor_from_args(args: argparse.Namespace) -> Executor:
    if args.batch_size is not None and args.batch_size < 1:
        raise ExecutorUnavailable(f"--batch-size must be at least 1, got {args.batch_size}")
    workers, cores = args.workers, available_cores()
    if workers is not None and workers > cores and args.scheduler is None:
        note(f"--workers {workers} is more than the {cores} core{'s' * (cores > 1)} here; using {cores}")
        workers = cores
    if args.scheduler or args.dask_local:
        return DaskExecutor(args.scheduler, workers)
    return LocalExecutor(workers)


def warm(scenarios: list[Scenario], seed: int, engine: str) -> None:
    """Load the batch engine's compiled loop here, once, before the worker processes start: forked
    from this process, they inherit it instead of each loading it again (a quarter of a second)."""
    covered = next((s for s in scenarios if uses_batch(s, engine)), None)
    if covered is not None:
        replicate(covered, seed, (0,), engine)


def execute(plan: SweepPlan, folder: Path, resume: bool, executor: Executor, batch_size: Optional[int],
            again: str, engine: str = "simpy") -> ResultStore:
    """Run what ``folder`` is missing of ``plan``; ``again`` is the command that would resume it."""
    try:
        scenarios = [scenario_from_data(s, plan.source) for s in plan.scenarios.values()]
        engine_line = engine_note(scenarios, engine)
    except ValueError as error:
        raise SweepError([str(error)]) from None
    store = open_for_writing(folder, plan.manifest(), plan.points, plan.outcomes, resume)
    if engine_line:
        print(engine_line, file=sys.stderr)
    if isinstance(executor, LocalExecutor) and executor.workers > 1:
        warm(scenarios, plan.seed, engine)
    bar = ProgressBar()
    total = len(plan.points) * plan.replications
    stored = store.counts()
    largest = largest_batch(scenarios, engine)
    size = batch_size or default_batch_size(plan.replications, total - sum(stored.values()), executor.workers,
                                            largest)
    batches = batch_count(plan, stored, size)
    if isinstance(executor, LocalExecutor) and batches and executor.cap(batches):
        note(f"the work makes only {batches} batch{'es' * (batches > 1)} of {size} replications, "
             f"so {executor.workers} worker{'s' * (executor.workers > 1)} will run")
    left = f" ({total - sum(stored.values())} of {total} replications left to run)" if resume else ""
    print(f"{plan.name}: {len(plan.points)} point{'s' * (len(plan.points) > 1)} x {plan.replications} "
          f"replications on {executor.describe()} -> {folder}/{left}", file=sys.stderr)
    try:
        run_plan(plan, store, executor, batch_size, bar, engine, largest)
    except (KeyboardInterrupt, BrokenProcessPool) as stop:
        bar.close()
        kept = store.row_count()
        store.close()
        print(f"hotline: {kept} of {total} replications are stored in {folder}; finish with: {again}",
              file=sys.stderr)
        if isinstance(stop, KeyboardInterrupt):
            raise
        raise RunFailed(f"a worker process died ({stop})") from None
    bar.close()
    return store
