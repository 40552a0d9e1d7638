"""``hotline run``: replay one scenario and write its run folder.

With ``--replications N`` (N > 1) it runs N independent replications on
local workers (or Dask) instead, and reports per outcome the mean with its
95% CI, the median and the 10th and 90th percentiles, and the probabilities
(e.g. of the message taking 27 minutes or more) with Wilson intervals. The
run folder then holds ``summary.json``, every replication in
``results.sqlite`` (``hotline export`` makes it a CSV) and the distribution
of the time to reach the POC.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.cli.execution import add_executor_arguments, execute, executor_from_args, reports_failures
from sim.cli.scenario_args import add_scenario_arguments, load_from_args, seed_of
from sim.experiment.plan import plan_replications
from sim.model.world import run_replication
from sim.results.report import budget_table, summary_document, summary_table, warnings
from sim.results.run_folder import new_run_folder, write_json, write_trace
from sim.results.sweep_plots import draw_all
from sim.results.sweep_report import replication_warnings, replications_table, statistics_document
from sim.results.timeline import plot_timeline
from sim.scenario.loader import ScenarioError, read_scenario_data
from sim.scenario.schema import Scenario


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("run", help="run a scenario and write summary, trace and timeline")
    add_scenario_arguments(parser)
    parser.add_argument("--out", type=Path, default=None,
                        help="write exactly to this folder (default: a new folder under results/runs/)")
    parser.add_argument("--replications", "-n", type=int, default=1, metavar="N",
                        help="independent replications (default 1: one replay with trace and timeline); "
                             "N > 1 reports statistics with 95%% confidence intervals")
    parser.add_argument("--resume", action="store_true",
                        help="with --replications and --out: run only the replications the folder is missing")
    add_executor_arguments(parser)
    parser.set_defaults(handler=run_command)


@reports_failures
def run_command(args: argparse.Namespace) -> int:
    path, scenario = load_from_args(args)
    seed = seed_of(args, scenario)
    if args.replications < 1:
        raise ScenarioError([f"--replications: expected at least 1, got {args.replications}"])
    if args.replications > 1:
        return run_replications(args, path, scenario, seed)
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
    for line in warnings(result.outcomes):
        print(f"warning: {line}")
    breakdown = budget_table(result.outcomes, origin)
    if breakdown:
        print(f"\n{breakdown}")
    print(f"\nwrote {folder}/")
    return 0


def run_replications(args: argparse.Namespace, path: Path, scenario: Scenario, seed: int) -> int:
    """N replications as a one-point sweep: same workers, store and statistics as ``hotline sweep``."""
    plan = plan_replications(str(path), read_scenario_data(path), args.overrides, seed, args.replications)
    with executor_from_args(args) as executor:
        folder = args.out if args.out is not None else new_run_folder(scenario.name)
        store = execute(plan, folder, args.resume, executor, args.batch_size,
                        f"the same command with --resume --out {folder}", args.engine)
    with store:
        document = statistics_document(store)
        write_json(folder / "summary.json", {
            **{k: v for k, v in document.items() if k != "points"},
            "scenario": scenario.name, "overrides": list(args.overrides),
            "outcomes": document["points"][0]["outcomes"]})
        draw_all(store, folder)
        table = replications_table(store, scenario.origin_minutes)
        warning_lines = replication_warnings(store)
    print(f"{scenario.name}  (seed {seed}, {args.replications} replications; 95% confidence intervals)")
    print(table)
    for line in warning_lines:
        print(f"warning: {line}")
    print(f"\nwrote {folder}/")
    return 0
