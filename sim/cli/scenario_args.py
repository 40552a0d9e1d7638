"""Command-line arguments shared by the commands that take a scenario."""

from __future__ import annotations

import argparse

from sim.api import LoadedScenario, load, scenario_path as resolve_scenario_path  # noqa: F401 (check, validate)
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


def load_from_args(args: argparse.Namespace) -> LoadedScenario:
    scenario = load(args.scenario, *args.overrides)
    if args.seed is not None and args.seed < 0:
        raise ScenarioError([f"--seed: expected a non-negative integer, got {args.seed}"])
    return scenario


def seed_of(args: argparse.Namespace, scenario: Scenario) -> int:
    return scenario.seed if args.seed is None else args.seed
