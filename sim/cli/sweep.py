"""``hotline sweep``: run a sweep file into a results folder, then summarise and plot it.

    hotline sweep staffing                          # a shipped sweep, all cores
    hotline sweep my_sweep.yaml --workers 8 --out results/sweeps/mine
    hotline sweep my_sweep.yaml --resume --out results/sweeps/mine   # after Ctrl-C or a crash
    hotline sweep my_sweep.yaml --scheduler tcp://head-node:8786     # the same on a Dask cluster

Without ``--out`` a sweep goes to a new ``results/sweeps/<name>-NNN/``, and
``--resume`` picks the newest such folder. The folder gets
``results.sqlite`` (every row), ``summary.json`` (every point's statistics
and paired effects against the baseline) and ``plots/`` (PNG and SVG). On
several local workers, the workers draw the figures while the main process
writes the statistics, so the whole command, not only its replications,
runs nearly twice as fast on two cores as on one.
"""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import Optional

from sim import api
from sim.api import sweep_path as resolve_sweep_path
from sim.cli.scenario_args import add_limits_argument, limits_of
from sim.cli.execution import add_executor_arguments, execute, executor_from_args, reports_failures
from sim.experiment.executors import Executor
from sim.experiment.plan import plan_sweep
from sim.results.run_folder import new_run_folder, slug
from sim.results.store import ResultStore
from sim.results.sweep_plots import draw_job, plot_jobs
from sim.results.sweep_report import sweep_table

SWEEPS_ROOT = Path("results") / "sweeps"
PLOTS = "plots"  # the figures' folder, as sim.api writes them
TABLE_OUTCOMES = ("killed_due_to_delay", "time_to_message", "never_through", "mean_wait", "p_wait")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("sweep", help="run a sweep file (design points x replications) into a results folder")
    parser.add_argument("sweep", help="sweep file, or the name of a shipped sweep (e.g. staffing)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="results folder (default: a new results/sweeps/<name>-NNN/; "
                             "with --resume, the newest one)")
    parser.add_argument("--resume", action="store_true",
                        help="run only what the results folder is missing (refused if it holds another sweep)")
    parser.add_argument("--no-plots", action="store_true", help="skip the figures")
    add_limits_argument(parser)
    add_executor_arguments(parser)
    parser.set_defaults(handler=sweep_command)


def newest_folder(name: str, root: Path = SWEEPS_ROOT) -> Optional[Path]:
    """The highest-numbered ``root/<name>-NNN``, if any."""
    pattern = re.compile(re.escape(slug(name)) + r"-(\d+)")
    found = [(int(m.group(1)), p) for p in root.glob(f"{slug(name)}-*") if (m := pattern.fullmatch(p.name))]
    return max(found)[1] if found else None


@reports_failures
def sweep_command(args: argparse.Namespace) -> int:
    path = resolve_sweep_path(args.sweep)
    plan = plan_sweep(path, limits_of(args))
    with executor_from_args(args) as executor:
        folder = args.out or (newest_folder(plan.name) if args.resume else None) \
            or new_run_folder(plan.name, SWEEPS_ROOT)
        again = f"hotline sweep {args.sweep} --resume --out {folder}"
        with execute(plan, folder, args.resume, executor, args.batch_size, again, args.engine) as store:
            print(report(store, folder, plots=not args.no_plots, sweep_file=path, executor=executor))
    print(f"\nwrote {folder}/")
    return 0


def report(store: ResultStore, folder: Path, plots: bool, sweep_file: Optional[Path] = None,
           executor: Optional[Executor] = None) -> str:
    """Write summary.json and the figures, keep the sweep file; return the headline table.

    With an ``executor`` of several workers, they draw the figures while this process works out the
    statistics; with one, this process draws them afterwards, each figure once for both formats."""
    drawn = executor.start(draw_job, plot_jobs(store, folder / PLOTS)) \
        if plots and executor is not None and executor.workers > 1 else None
    api.finish(folder, plots and drawn is None, sweep_file)
    wanted = store.manifest()["definition"].get("outcomes") or TABLE_OUTCOMES
    table = sweep_table(store, [o for o in wanted if o in store.outcomes])
    if drawn is not None:
        drawn()
    return table
