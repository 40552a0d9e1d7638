"""``hotline check`` validates scenario and sweep files; ``hotline schema`` prints their JSON Schema."""

from __future__ import annotations

import argparse
import json
from pathlib import Path

from sim.cli.scenario_args import add_limits_argument, limits_of, resolve_scenario_path
from sim.cli.sweep import resolve_sweep_path
from sim.experiment.plan import plan_sweep
from sim.scenario.loader import ScenarioError, load_scenario, read_document, scenario_json_schema
from sim.scenario.sweep_spec import sweep_json_schema


def register(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser("check", help="validate scenario and sweep files without running them")
    check.add_argument("files", nargs="+", metavar="FILE", help="scenario or sweep files, or shipped names")
    add_limits_argument(check)
    check.set_defaults(handler=run_check)
    schema = sub.add_parser("schema", help="print the JSON Schema of the scenario (or sweep) format")
    schema.add_argument("--sweep", action="store_true", help="the sweep format instead of the scenario format")
    schema.set_defaults(handler=run_schema)


def is_sweep(path: Path) -> bool:
    """A sweep file names a base scenario and factors; a scenario file does not."""
    try:
        data = read_document(path).data
    except ScenarioError:
        return False  # reported when it is checked as a scenario
    return "factors" in data or "base" in data


def run_check(args: argparse.Namespace) -> int:
    messages: list[str] = []
    for name in args.files:
        sweep = resolve_sweep_path(name)
        path = sweep if sweep.is_file() and is_sweep(sweep) else resolve_scenario_path(name)
        try:
            if path is sweep:
                plan = plan_sweep(path, limits_of(args))
                print(f"{path}: ok (sweep {plan.name}: {len(plan.points)} points x {plan.replications} replications)")
            else:
                print(f"{path}: ok ({load_scenario(path, limits=limits_of(args)).name})")
        except ScenarioError as error:
            messages.extend(error.messages)
    if messages:
        raise ScenarioError(messages)
    return 0


def run_schema(args: argparse.Namespace) -> int:
    print(json.dumps(sweep_json_schema() if args.sweep else scenario_json_schema(), indent=2))
    return 0
