"""Command-line arguments shared by the commands that take a scenario."""

from __future__ import annotations

import argparse
from pathlib import Path

from sim.api import LoadedScenario, load, scenario_path
from sim.scenario.limits import LARGE, Limits, limits_for
from sim.scenario.loader import ScenarioError
from sim.scenario.schema import Scenario

DEFAULT_SCENARIO = "deir_ez_zor_2016"


def add_scenario_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", nargs="?", default=DEFAULT_SCENARIO,
                        help="scenario file, or the name of a shipped scenario "
                             f"(default: the embedded {DEFAULT_SCENARIO} replay)")
    parser.add_argument("--seed", type=int, default=None, help="root seed (default: the file's seed)")
    parser.add_argument("--set", dest="overrides", action="append", default=[], metavar="PATH=VALUE",
                        help="override a value by dotted path, e.g. --set caller.policy=pass_to_duty_officer")
    add_limits_argument(parser)


def add_limits_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--allow-large", action="store_true",
                        help=f"raise every size limit (releases, calls, POCs, sites, design points, replications, "
                             f"events per replication) {LARGE:,}-fold; see README, 'Limits'")


def limits_of(args: argparse.Namespace) -> Limits:
    return limits_for(args.allow_large)


def resolve_scenario_path(name: str) -> Path:
    """A file path as given, else a shipped scenario (or validation case) of that name."""
    return scenario_path(name)


def load_from_args(args: argparse.Namespace) -> LoadedScenario:
    scenario = load(args.scenario, *args.overrides, limits=limits_of(args))
    if args.seed is not None and args.seed < 0:
        raise ScenarioError([f"--seed: expected a non-negative integer, got {args.seed}"])
    return scenario


def seed_of(args: argparse.Namespace, scenario: Scenario) -> int:
    return scenario.seed if args.seed is None else args.seed
