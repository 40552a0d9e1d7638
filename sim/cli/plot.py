"""``hotline plot``: draw a results folder's figures again, in other formats or elsewhere.

    hotline plot results/sweeps/staffing-001                  # into its plots/
    hotline plot results/sweeps/staffing-001 --format pdf --out figures/

The figures are the ones the stored sweep definition names. To change them,
edit the sweep file's ``plots`` and run ``hotline sweep FILE --resume``:
nothing is left to simulate, the definition is updated and the figures drawn.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim import api
from sim.results.store import StoreError, holds_results
from sim.results.sweep_plots import FORMATS


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("plot", help="draw the figures of a results folder")
    parser.add_argument("results", type=Path, help="results folder of a sweep or of run --replications")
    parser.add_argument("--out", type=Path, default=None, help="where to write (default: RESULTS/plots)")
    parser.add_argument("--format", nargs="+", choices=("png", "svg", "pdf"), default=list(FORMATS),
                        help="file formats (default: png svg)")
    parser.set_defaults(handler=plot_command)


def plot_command(args: argparse.Namespace) -> int:
    folder = args.results if args.results.is_dir() else args.results.parent
    out = args.out if args.out is not None else folder / "plots"
    if out.exists() and not out.is_dir():
        raise StoreError(f"--out {out}: is a file, not a folder")
    if holds_results(out):
        raise StoreError(f"--out {out}: holds a run's results; hotline never writes figures over them")
    for path in api.open_results(args.results).draw(out, args.format):
        print(path)
    return 0
