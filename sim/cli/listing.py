"""``hotline list``: the shipped scenarios and sweeps, by the names every command accepts.

    hotline list              # scenarios, validation cases and sweeps, each with its description
    hotline list --outcomes   # every outcome a sweep may name in outcomes: and plots:
"""

from __future__ import annotations

import argparse

from sim.model.catalog import DECLARED, FAMILIES
from sim.scenario.loader import read_document
from sim.scenario.shipped import resolve, shipped_names

SECTIONS = (("scenarios", ""), ("validation cases", "validation/"), ("sweeps", "sweeps/"))


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("list", help="list the shipped scenarios and sweeps (or, with --outcomes, the outcomes)")
    parser.add_argument("--outcomes", action="store_true", help="list the outcomes a sweep can name instead")
    parser.set_defaults(handler=list_command)


def list_command(args: argparse.Namespace) -> int:
    print("\n".join(outcome_lines() if args.outcomes else shipped_lines()))
    return 0


def shipped_lines() -> list[str]:
    lines: list[str] = []
    for title, folder in SECTIONS:
        names = shipped_names(folder)
        width = max(map(len, names), default=0)
        lines += [f"{title}:"] + [f"  {name:<{width}}  {_description(name, folder)}" for name in names] + [""]
    return lines[:-1]


def _description(name: str, folder: str) -> str:
    data = read_document(resolve(name, folders=(folder,))).data
    return " ".join(str(data.get("description") or data.get("name", "")).split())


def outcome_lines() -> list[str]:
    rows = [(name, outcome.label) for name, outcome in DECLARED.items()]
    rows += [(family.prefix + "<minutes>", family.label.format(t="<minutes>")) for family in FAMILIES]
    width = max(len(name) for name, _ in rows)
    return [f"{name:<{width}}  {label}" for name, label in rows]
