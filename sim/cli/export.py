"""``hotline export``: a results folder as tidy CSV, for pandas, R or a spreadsheet.

    hotline export results/sweeps/staffing-001 --csv staffing.csv
    hotline export results/runs/latest --csv - | head       # to stdout
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim.cli.outputs import new_file
from sim.results.csv_export import write_csv
from sim.results.store import ResultStore


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("export", help="write a results folder as tidy CSV (one row per point and replication)")
    parser.add_argument("results", type=Path, help="results folder of a sweep or of run --replications")
    parser.add_argument("--csv", required=True, metavar="FILE", help="CSV file to write ('-' for stdout)")
    parser.set_defaults(handler=export_command)


def export_command(args: argparse.Namespace) -> int:
    target = None if args.csv == "-" else new_file(Path(args.csv), "--csv")
    with ResultStore.open(args.results) as store:
        if target is None:
            write_csv(store, sys.stdout)
            return 0
        with open(target, "x", newline="") as stream:
            count = write_csv(store, stream)
    print(f"wrote {count} rows to {args.csv}", file=sys.stderr)
    return 0
