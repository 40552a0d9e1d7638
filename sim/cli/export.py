"""``hotline export``: a results folder as tidy tables for pandas, R or a spreadsheet.

    hotline export results/sweeps/staffing-001 --csv staffing.csv               # one row per replication
    hotline export results/sweeps/staffing-001 --table summary --parquet s.parquet  # one row per point and outcome
    hotline export results/runs/latest --csv - | head                            # to stdout

Each file gets its data dictionary beside it (``staffing.dictionary.csv``):
every column's words, unit, kind and when it is empty.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sim import api
from sim.cli.outputs import new_file
from sim.results.csv_export import write_csv
from sim.results.store import ResultStore
from sim.results.tables import TABLES, dictionary_path
from sim.scenario.sweep_spec import SweepError


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("export", help="write a results folder as tidy CSV or Parquet, with a data dictionary")
    parser.add_argument("results", type=Path, help="results folder of a sweep or of run --replications")
    parser.add_argument("--table", choices=TABLES, default="replications",
                        help="replications: one row per point and replication (default); "
                             "summary: one row per point and outcome, with 95%% intervals and effects")
    parser.add_argument("--csv", metavar="FILE", help="CSV file to write ('-' for stdout, without a dictionary)")
    parser.add_argument("--parquet", metavar="FILE", type=Path, help="Parquet file to write")
    parser.set_defaults(handler=export_command)


def to_stdout(results: Path, table: str) -> None:
    """Without a dictionary; a reader that stops early (``head``) ends the command quietly."""
    if table == "summary":
        api.open_results(results).summary.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        with ResultStore.open(results) as store:
            write_csv(store, sys.stdout)
    sys.stdout.flush()


def export_command(args: argparse.Namespace) -> int:
    if args.csv is None and args.parquet is None:
        raise SweepError(["export: expected --csv FILE or --parquet FILE (or both)"])
    if args.csv == "-":
        to_stdout(args.results, args.table)
        return 0
    targets = [(Path(name), flag) for name, flag in ((args.csv, "--csv"), (args.parquet, "--parquet"))
               if name is not None]
    for path, flag in targets:  # every check before anything is written
        new_file(path, flag)
        if path.suffix.lower() != f".{flag[2:]}":
            raise SweepError([f"{flag} {path}: expected a file name ending in .{flag[2:]}"])
        new_file(dictionary_path(path), f"{flag} (its data dictionary)")
    results = api.open_results(args.results)
    for path, _ in targets:
        table, dictionary = results.export(path, args.table)
        print(f"wrote {table} and its data dictionary {dictionary}", file=sys.stderr)
    return 0
