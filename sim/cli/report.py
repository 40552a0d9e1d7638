"""``hotline report``: one self-contained HTML file to hand a run, a replication set or a sweep on.

    hotline report results/runs/latest                    # -> results/runs/latest/report.html
    hotline report results/sweeps/staffing-001 -o staffing.html

The file has its CSS and figures (SVG) inline and no script: it opens from
disk with no network and prints cleanly. What it holds: ``sim.results.html_report``.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.results.html_report import write_report


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("report", help="write a self-contained HTML report of a run or results folder")
    parser.add_argument("results", type=Path, metavar="RUN_OR_RESULTS_DIR",
                        help="folder of hotline run (with or without --replications) or hotline sweep")
    parser.add_argument("-o", "--out", type=Path, default=None, metavar="FILE",
                        help="HTML file to write (default: report.html in the folder)")
    parser.set_defaults(handler=report_command)


def report_command(args: argparse.Namespace) -> int:
    out = args.out if args.out is not None else args.results / "report.html"
    print(write_report(args.results, out))
    return 0
