"""``hotline run``: replay one scenario and write its run folder.

With ``--replications N`` (N > 1) it runs N independent replications on
local workers (or Dask) instead, and reports per outcome the mean with its
95% CI, the median and the 10th and 90th percentiles, and the probabilities
(e.g. of the message taking 27 minutes or more) with Wilson intervals. The
run folder then holds ``summary.json``, every replication in
``results.sqlite`` (``hotline export`` makes it a CSV) and the distribution
of the time to reach the POC.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim import api
from sim.cli.execution import add_executor_arguments, execute, executor_from_args, reports_failures
from sim.cli.scenario_args import add_scenario_arguments, load_from_args, seed_of
from sim.cli.outputs import fresh_folder
from sim.results.run_folder import new_run_folder
from sim.results.store import ResultStore
from sim.results.sweep_report import replication_warnings, replications_table
from sim.scenario.loader import ScenarioError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help="run a scenario and write summary, trace and timeline")
    add_scenario_arguments(parser)
    parser.add_argument("--out", type=Path, default=None,
                        help="write exactly to this folder (default: a new folder under results/runs/)")
    parser.add_argument("--replications", "-n", type=int, default=1, metavar="N",
                        help="independent replications (default 1: one replay with trace and timeline); "
                             "N > 1 reports statistics with 95%% confidence intervals")
    parser.add_argument("--resume", action="store_true",
                        help="with --replications and --out: run only the replications the folder is missing")
    add_executor_arguments(parser)
    parser.set_defaults(handler=run_command)


@reports_failures
def run_command(args: argparse.Namespace) -> int:
    loaded = load_from_args(args)
    seed = seed_of(args, loaded.scenario)
    if args.replications < 1:
        raise ScenarioError([f"--replications: expected at least 1, got {args.replications}"])
    if args.replications > 1:
        return run_replications(args, loaded, seed)
    out = fresh_folder(args.out) if args.out is not None else None  # refused before anything runs
    result = api.simulate(loaded, seed)
    folder = result.write(out if out is not None else new_run_folder(loaded.name))
    print(f"{loaded.name}  (seed {seed})")
    print(result.table())
    print(f"\nwrote {folder}/")
    return 0


def run_replications(args: argparse.Namespace, loaded: api.LoadedScenario, seed: int) -> int:
    """N replications as a one-point sweep: same workers, store and statistics as ``hotline sweep``."""
    plan = api.replications_plan(loaded, args.replications, seed)
    with executor_from_args(args) as executor:
        folder = args.out if args.out is not None else new_run_folder(loaded.name)
        execute(plan, folder, args.resume, executor, args.batch_size,
                f"the same command with --resume --out {folder}", args.engine).close()
    api.finish(folder)
    with ResultStore.open(folder) as store:
        table = replications_table(store, loaded.scenario.origin_minutes)
        warning_lines = replication_warnings(store)
    print(f"{loaded.name}  (seed {seed}, {args.replications} replications; 95% confidence intervals)")
    print(table)
    for line in warning_lines:
        print(f"warning: {line}")
    print(f"\nwrote {folder}/")
    return 0
