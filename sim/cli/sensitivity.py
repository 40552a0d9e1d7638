"""``hotline sensitivity``: which uncertain assumptions decide the answer.

    hotline sensitivity deir_sobol                  # a shipped sensitivity file
    hotline sensitivity deir_morris --workers 2     # the cheap first pass
    hotline sensitivity my.yaml --out results/sensitivity/mine

The folder gets ``results.sqlite`` (every replication of every distinct
sample point), ``sensitivity.json`` (indices with intervals, noise shares,
warnings) and one figure per outcome (PNG and SVG).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from sim import __version__
from sim.cli.execution import add_executor_arguments, executor_from_args, reports_failures
from sim.cli.outputs import results_folder, save_figure
from sim.scenario.shipped import resolve
from sim.scenario.design import DesignPoint
from sim.experiment.sensitivity import Prepared, prepare, read_sensitivity, sensitivity
from sim.results.labels import factor_label
from sim.results.run_folder import write_json
from sim.results.sensitivity_report import draw_indices, indices_table
from sim.results.store import open_for_writing
from sim.run.replications import Rows

ROOT = Path("results") / "sensitivity"


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("sensitivity", help="Sobol or Morris indices of a scenario's uncertain inputs")
    parser.add_argument("file", help="sensitivity file, or the name of a shipped one (e.g. deir_sobol)")
    parser.add_argument("--out", type=Path, default=None, metavar="DIR",
                        help="an empty or new results folder (default: a new results/sensitivity/<name>-NNN/)")
    add_executor_arguments(parser)
    parser.set_defaults(handler=sensitivity_command)


def _manifest(prepared: Prepared) -> dict[str, Any]:
    spec = prepared.spec
    return {"kind": "sensitivity", "name": spec.name, "definition": spec.model_dump(mode="json"),
            "base_scenario": prepared.base, "base_source": prepared.source, "seed": prepared.seed,
            "replications": spec.replications, "factors": [i.path for i in spec.inputs], "baseline": None,
            "code_version": __version__}


@reports_failures
def sensitivity_command(args: argparse.Namespace) -> int:
    path = resolve(args.file, folders=("sensitivity/",))
    prepared = prepare(read_sensitivity(path), path)
    spec = prepared.spec
    folder = results_folder(args.out, spec.name, ROOT)

    def keep(points: list[DesignPoint], rows: dict[int, Rows]) -> None:
        with open_for_writing(folder, _manifest(prepared), points, spec.outcomes, resume=False) as store:
            for point in points:
                store.add(point, rows[point.index])

    with executor_from_args(args) as executor:
        print(f"{spec.name}: {spec.method}, {spec.points()} sample points x {spec.replications} replications "
              f"on {executor.describe()} -> {folder}/", file=sys.stderr)
        results = sensitivity(prepared, executor, keep)
    labels = {i.path: factor_label(i.path, i.label) for i in spec.inputs}
    write_json(folder / "sensitivity.json", {"name": spec.name, "method": spec.method, "seed": prepared.seed,
                                             "confidence": spec.confidence,
                                             "outcomes": [r.as_dict() for r in results]})
    for result in results:
        if result.first.size:
            save_figure(draw_indices(result, labels, spec.name), folder / f"{result.method}_{result.outcome}")
        print(indices_table(result, labels))
    print(f"\nwrote {folder}/")
    return 0
