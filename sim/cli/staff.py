"""``hotline staff``: the cheapest desk that meets the targets of a staffing file.

    hotline staff deir_desk                      # a shipped staffing file
    hotline staff my_desk.yaml --workers 2 --out results/staffing/mine

The folder gets ``results.sqlite`` (every replication run, by candidate),
``staffing.json`` (every candidate: cost, theory, estimates, verdicts) and
``frontier.png``/``.svg`` (cost against risk).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.cli.execution import add_executor_arguments, executor_from_args, reports_failures
from sim.cli.outputs import results_folder, save_figure
from sim.scenario.shipped import resolve
from sim.experiment.staffing import read_staffing, settle, staffing_plan
from sim.results.run_folder import write_json
from sim.results.staffing_report import draw_frontier, staffing_document, staffing_text
from sim.results.store import open_for_writing

ROOT = Path("results") / "staffing"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("staff", help="the cheapest desk that meets a staffing file's targets")
    parser.add_argument("staffing", help="staffing file, or the name of a shipped one (e.g. deir_desk)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="an empty or new results folder (default: a new results/staffing/<name>-NNN/)")
    add_executor_arguments(parser)
    parser.set_defaults(handler=staff_command)


@reports_failures
def staff_command(args: argparse.Namespace) -> int:
    path = resolve(args.staffing, folders=("staffing/",))
    spec = read_staffing(path)
    plan = staffing_plan(spec, path)
    folder = results_folder(args.out, spec.name, ROOT)
    points = {p.index: p for p in plan.points}
    manifest = {**plan.manifest(), "staffing": spec.model_dump(mode="json")}
    with executor_from_args(args) as executor, open_for_writing(folder, manifest, plan.points,
                                                                   plan.outcomes, resume=False) as store:
        print(f"{spec.name}: {len(plan.points)} candidate desks on {executor.describe()} -> {folder}/",
              file=sys.stderr)
        answer = settle(spec, plan, executor, lambda index, rows: store.add(points[index], rows))
    write_json(folder / "staffing.json", staffing_document(answer))
    save_figure(draw_frontier(answer), folder / "frontier")
    print(staffing_text(answer))
    print(f"\nwrote {folder}/")
    return 0 if answer.answer is not None else 1
