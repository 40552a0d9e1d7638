"""``hotline check`` validates scenario files; ``hotline schema`` prints their JSON Schema."""

from __future__ import annotations

import argparse
import json

from sim.cli.scenario_args import resolve_scenario_path
from sim.scenario.loader import ScenarioError, load_scenario, scenario_json_schema


def register(sub: argparse._SubParsersAction) -> None:
    check = sub.add_parser("check", help="validate scenario files without running them")
    check.add_argument("scenarios", nargs="+", metavar="SCENARIO")
    check.set_defaults(handler=run_check)
    schema = sub.add_parser("schema", help="print the JSON Schema of the scenario format")
    schema.set_defaults(handler=run_schema)


def run_check(args: argparse.Namespace) -> int:
    messages: list[str] = []
    for name in args.scenarios:
        path = resolve_scenario_path(name)
        try:
            scenario = load_scenario(path)
        except ScenarioError as error:
            messages.extend(error.messages)
            continue
        print(f"{path}: ok ({scenario.name})")
    if messages:
        raise ScenarioError(messages)
    return 0


def run_schema(args: argparse.Namespace) -> int:
    print(json.dumps(scenario_json_schema(), indent=2))
    return 0
