"""``hotline study``: rerun the shipped studies and refresh their headline figures.

    hotline study                      # every shipped sweep
    hotline study staffing --workers 2

Each study runs into a new ``results/sweeps/<name>-NNN/`` (full database,
summary and every figure), then its headline figures (``headline: true`` in
the sweep file) go as small PNGs to ``results/studies/<name>/``, with the
headline table as ``summary.txt``: the files the README shows.
"""

from __future__ import annotations

import argparse
from importlib.resources import files
from pathlib import Path

from sim.cli.execution import add_executor_arguments, execute, executor_from_args, reports_failures
from sim.cli.sweep import SWEEPS_ROOT, report, resolve_sweep_path
from sim.experiment.plan import plan_sweep
from sim.results.run_folder import new_run_folder
from sim.results.sweep_plots import draw_all

STUDIES_ROOT = Path("results") / "studies"


def shipped_sweeps() -> list[str]:
    return sorted(p.name.removesuffix(".yaml") for p in (files("sim.scenarios") / "sweeps").iterdir()
                  if p.name.endswith(".yaml"))


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("study", help="rerun the shipped studies and refresh their headline figures")
    parser.add_argument("studies", nargs="*", metavar="NAME", help=f"shipped sweeps (default: all: "
                        f"{', '.join(shipped_sweeps())})")
    parser.add_argument("--out", type=Path, default=STUDIES_ROOT, metavar="DIR",
                        help=f"headline folder (default: {STUDIES_ROOT})")
    add_executor_arguments(parser)
    parser.set_defaults(handler=study_command)


@reports_failures
def study_command(args: argparse.Namespace) -> int:
    plans = [plan_sweep(resolve_sweep_path(name)) for name in args.studies or shipped_sweeps()]
    with executor_from_args(args) as executor:
        for plan in plans:
            folder = new_run_folder(plan.name, SWEEPS_ROOT)
            again = f"hotline sweep {plan.name} --resume --out {folder}"
            with execute(plan, folder, False, executor, args.batch_size, again, args.engine) as store:
                table = report(store, folder, plots=True)
                headline = args.out / plan.name
                for stale in headline.glob("*.png"):
                    stale.unlink()
                written = draw_all(store, headline, ("png",), headline_only=True, compact=True)
                (headline / "summary.txt").write_text(table + "\n")
            print(f"{table}\n\nwrote {folder}/ and {', '.join(str(p) for p in written)}\n")
    return 0
