"""``hotline discover``: under which conditions does an outcome go badly (PRIM)?

    hotline discover results/sweeps/screening-001 --outcome killed_due_to_delay --threshold 5
    hotline discover results/sweeps/staffing-001 --outcome time_to_message --threshold 10
    hotline discover RESULTS --outcome notice_caught --threshold 0.5 --below   # when does the check miss?

Writes ``discovery.json`` and ``discovery.png``/``.svg`` into the results
folder (or ``--out``).
"""

from __future__ import annotations

import argparse
import math
from pathlib import Path

from sim.cli.outputs import save_figure
from sim.results.store import ResultStore
from sim.scenario.sweep_spec import SweepError
from sim.results.discovery_report import case_table, discover, discovery_document, discovery_text, draw_discovery
from sim.results.labels import factor_label
from sim.results.run_folder import write_json


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("discover", help="PRIM: the conditions under which an outcome is beyond a threshold")
    parser.add_argument("results", type=Path, help="results folder of a sweep (or staffing, sensitivity)")
    parser.add_argument("--outcome", required=True, help="outcome column, e.g. killed_due_to_delay")
    parser.add_argument("--threshold", type=float, required=True, help="a case of interest is above this")
    parser.add_argument("--below", action="store_true", help="a case of interest is below the threshold instead")
    parser.add_argument("--alpha", type=float, default=0.05, help="share of the box peeled per step (default 0.05)")
    parser.add_argument("--min-mass", type=float, default=0.05,
                        help="smallest share of all cases a box may hold (default 0.05)")
    parser.add_argument("--min-coverage", type=float, default=0.5,
                        help="choose the densest box holding at least this share of the cases of interest "
                             "(default 0.5)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR", help="where to write (default: RESULTS)")
    parser.set_defaults(handler=discover_command)


def _checked(args: argparse.Namespace) -> None:
    for name, low, high in (("alpha", 0, 0.5), ("min-mass", 0, 1), ("min-coverage", 0, 1)):
        value = getattr(args, name.replace("-", "_"))
        if not (low < value < high or name == "min-coverage" and low <= value <= high):
            raise SweepError([f"--{name}: expected a number between {low:g} and {high:g}, got {value:g}"])
    if not math.isfinite(args.threshold):
        raise SweepError([f"--threshold: expected a finite number, got {args.threshold}"])


def discover_command(args: argparse.Namespace) -> int:
    _checked(args)
    with ResultStore.open(args.results) as store:
        if args.outcome not in store.outcomes:
            raise SweepError([f"--outcome: {args.outcome!r} is not in {args.results}; it has "
                              f"{', '.join(store.outcomes)}"])
        columns, values = case_table(store, args.outcome)
        manifest = store.manifest()
    if not columns:
        raise SweepError([f"{args.results}: no factor takes more than one value; nothing to discover"])
    definition = manifest.get("definition", {})
    given = {f["path"]: f.get("label") for f in definition.get("factors", []) + definition.get("inputs", [])}
    labels = {name: factor_label(name, given.get(name)) for name in columns}
    found = discover(columns, values, labels, args.outcome, args.threshold, args.below, args.alpha,
                     args.min_mass, args.min_coverage)
    if not found.y.any():
        raise SweepError([f"no replication has {found.condition}; nothing to discover"])
    folder = args.out or (args.results if args.results.is_dir() else args.results.parent)
    folder.mkdir(parents=True, exist_ok=True)
    write_json(folder / "discovery.json", discovery_document(found))
    save_figure(draw_discovery(found, manifest.get("name", "")), folder / "discovery")
    print(discovery_text(found))
    print(f"\nwrote {folder}/discovery.json and discovery.png")
    return 0
