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
from sim.experiment.executors import DaskExecutor, Executor, ExecutorUnavailable, LocalExecutor
from sim.experiment.plan import SweepPlan
from sim.experiment.sweep import open_store, run_plan
from sim.experiment.sweep_spec import SweepError
from sim.results.store import ResultStore
from sim.run.engines import ENGINES, engine_note
from sim.scenario.loader import scenario_from_data


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
                       help="worker processes (default: all cores); with --dask-local, Dask workers")
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


def executor_from_args(args: argparse.Namespace) -> Executor:
    if args.batch_size is not None and args.batch_size < 1:
        raise ExecutorUnavailable(f"--batch-size must be at least 1, got {args.batch_size}")
    if args.scheduler or args.dask_local:
        return DaskExecutor(args.scheduler, args.workers)
    return LocalExecutor(args.workers)


def execute(plan: SweepPlan, folder: Path, resume: bool, executor: Executor, batch_size: Optional[int],
            again: str, engine: str = "simpy") -> ResultStore:
    """Run what ``folder`` is missing of ``plan``; ``again`` is the command that would resume it."""
    try:
        note = engine_note((scenario_from_data(s, plan.source) for s in plan.scenarios.values()), engine)
    except ValueError as error:
        raise SweepError([str(error)]) from None
    store = open_store(plan, folder, resume)
    if note:
        print(note, file=sys.stderr)
    bar = ProgressBar()
    total = len(plan.points) * plan.replications
    print(f"{plan.name}: {len(plan.points)} point{'s' * (len(plan.points) > 1)} x {plan.replications} "
          f"replications on {executor.describe()} -> {folder}/", file=sys.stderr)
    try:
        run_plan(plan, store, executor, batch_size, bar, engine)
    except (KeyboardInterrupt, BrokenProcessPool) as stop:
        bar.close()
        stored = store.row_count()
        store.close()
        print(f"hotline: {stored} of {total} replications are stored in {folder}; finish with: {again}",
              file=sys.stderr)
        if isinstance(stop, KeyboardInterrupt):
            raise
        raise RunFailed(f"a worker process died ({stop})") from None
    bar.close()
    return store
