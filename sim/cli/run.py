"""``hotline run``: replay one scenario and write its run folder."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.scenario_args import add_scenario_arguments, load_from_args, seed_of
from sim.model.world import run_replication
from sim.results.report import summary_document, summary_table
from sim.results.run_folder import new_run_folder, write_json, write_trace
from sim.results.timeline import plot_timeline


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help="run a scenario and write summary, trace and timeline")
    add_scenario_arguments(parser)
    parser.add_argument("--out", type=Path, default=None,
                        help="write exactly to this folder (default: a new folder under results/runs/)")
    parser.set_defaults(handler=run_command)


def run_command(args: argparse.Namespace) -> int:
    path, scenario = load_from_args(args)
    seed = seed_of(args, scenario)
    result = run_replication(scenario, seed, 0, trace=True)
    origin = scenario.origin_minutes

    folder = args.out if args.out is not None else new_run_folder(scenario.name)
    folder.mkdir(parents=True, exist_ok=True)
    write_json(folder / "summary.json", summary_document(
        scenario.name, str(path), seed, result.outcomes, origin, list(args.overrides)))
    write_trace(folder / "trace.jsonl", result.trace.events)
    if scenario.strike is not None:
        plot_timeline(result.trace.events, result.outcomes, scenario, folder / "timeline.png")

    print(f"{scenario.name}  (seed {seed})")
    print(summary_table(result.outcomes, origin))
    print(f"\nwrote {folder}/")
    return 0
