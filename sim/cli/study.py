"""``hotline study``: rerun the shipped studies and refresh their headline figures.

    hotline study                      # every shipped sweep, then the incident study
    hotline study staffing --workers 2
    hotline study incidents            # the cross-incident study alone

Each study runs into a new ``results/sweeps/<name>-NNN/`` (full database,
summary and every figure), then its headline figures (``headline: true`` in
the sweep file) go as small PNGs to ``results/studies/<name>/``, with the
headline table as ``summary.txt``: the files the README shows.

``incidents`` is the cross-incident study (``sim.experiment.incidents``):
the same delay budget and the same what-ifs for every shipped replay, as
``budget.md``, ``what_ifs.md`` and ``budget.png`` in
``results/studies/incidents/``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.scenario_args import add_limits_argument, limits_of
from sim.cli.execution import add_executor_arguments, execute, executor_from_args, reports_failures
from sim.cli.sweep import SWEEPS_ROOT, report, resolve_sweep_path
from sim.experiment.incidents import budget_table, study_incidents, what_if_table
from sim.experiment.plan import plan_sweep
from sim.results.incident_plots import plot_budgets
from sim.results.run_folder import new_run_folder
from sim.results.sweep_plots import draw_all
from sim.scenario.shipped import shipped_names

STUDIES_ROOT = Path("results") / "studies"
INCIDENTS = "incidents"


def shipped_sweeps() -> list[str]:
    return shipped_names("sweeps/")


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("study", help="rerun the shipped studies and refresh their headline figures")
    parser.add_argument("studies", nargs="*", metavar="NAME", help=f"shipped sweeps or {INCIDENTS!r} (default: "
                        f"all: {', '.join([*shipped_sweeps(), INCIDENTS])})")
    parser.add_argument("--out", type=Path, default=STUDIES_ROOT, metavar="DIR",
                        help=f"headline folder (default: {STUDIES_ROOT})")
    add_limits_argument(parser)
    add_executor_arguments(parser)
    parser.set_defaults(handler=study_command)


@reports_failures
def study_command(args: argparse.Namespace) -> int:
    names = args.studies or [*shipped_sweeps(), INCIDENTS]
    paths = [resolve_sweep_path(name) for name in names if name != INCIDENTS]
    plans = [plan_sweep(path, limits_of(args)) for path in paths]
    with executor_from_args(args) as executor:
        for path, plan in zip(paths, plans):
            folder = new_run_folder(plan.name, SWEEPS_ROOT)
            again = f"hotline sweep {plan.name} --resume --out {folder}"
            with execute(plan, folder, False, executor, args.batch_size, again, args.engine) as store:
                table = report(store, folder, plots=True, sweep_file=path)
                headline = args.out / plan.name
                for stale in headline.glob("*.png"):
                    stale.unlink()
                written = draw_all(store, headline, ("png",), headline_only=True, compact=True)
                (headline / "summary.txt").write_text(table + "\n")
            print(f"{table}\n\nwrote {folder}/ and {', '.join(str(p) for p in written)}\n")
    if INCIDENTS in names:
        incident_study(args.out / INCIDENTS)
    return 0


def incident_study(out: Path) -> None:
    """Every shipped replay's delay budget and what-ifs, as two tables and one figure."""
    rows = study_incidents()
    out.mkdir(parents=True, exist_ok=True)
    budget, what_ifs = budget_table(rows), what_if_table(rows)
    (out / "budget.md").write_text(budget + "\n")
    (out / "what_ifs.md").write_text(what_ifs + "\n")
    plot_budgets(rows, out / "budget.png")
    print(f"{budget}\n\n{what_ifs}\n\nwrote {out}/budget.md, what_ifs.md, budget.png\n")
