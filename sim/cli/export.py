"""``hotline export``: a results folder as tidy tables for pandas, R or a spreadsheet.

    hotline export results/sweeps/staffing-001 --csv staffing.csv               # one row per replication
    hotline export results/sweeps/staffing-001 --table summary --parquet s.parquet  # one row per point and outcome
    hotline export results/runs/latest --csv - | head                            # to stdout

Each file gets its data dictionary beside it (``staffing.dictionary.csv``):
every column's words, unit, kind and when it is empty.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

from sim import api
from sim.experiment.sweep import existing_store
from sim.experiment.sweep_spec import SweepError
from sim.results.csv_export import write_csv
from sim.results.tables import TABLES


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
    if table == "summary":
        api.open_results(results).summary.to_csv(sys.stdout, index=False, lineterminator="\n")
    else:
        with existing_store(results) as store:
            write_csv(store, sys.stdout)
    sys.stdout.flush()


def export_command(args: argparse.Namespace) -> int:
    if args.csv is None and args.parquet is None:
        raise SweepError(["export: expected --csv FILE or --parquet FILE (or both)"])
    if args.csv == "-":
        try:
            to_stdout(args.results, args.table)
        except BrokenPipeError:  # the reader (head, less) has had enough
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    results = api.open_results(args.results)
    for name, suffix in ((args.csv, ".csv"), (args.parquet, ".parquet")):
        if name is not None and Path(name).suffix.lower() != suffix:
            raise SweepError([f"export: {name}: expected a file name ending in {suffix}"])
    for name in (args.csv, args.parquet):
        if name is not None:
            table, dictionary = results.export(name, args.table)
            print(f"wrote {table} and its data dictionary {dictionary}", file=sys.stderr)
    return 0
