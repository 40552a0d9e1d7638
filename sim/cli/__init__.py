"""The ``hotline`` command: one subcommand per module in this package.

Every subcommand turns a bad input into a clear message on stderr and exit
status 2, with no traceback and nothing written under ``results/``.
"""

from __future__ import annotations

import argparse
import sys
from typing import Optional, Sequence

from sim import __version__
from sim.cli import check, export, plot, report, run, study, sweep, validate
from sim.scenario.loader import ScenarioError

COMMANDS = (run, sweep, study, export, plot, report, check, validate)


class UsageError(Exception):
    """A bad command line or input file that is not a scenario error."""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="hotline",
        description="Simulate a military deconfliction hotline: how long a warning takes to get "
                    "through, and what each minute of delay costs.",
    )
    parser.add_argument("--version", action="version", version=f"hotline-sim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for module in COMMANDS:
        module.register(sub)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    args = build_parser().parse_args(argv)
    try:
        return int(args.handler(args) or 0)
    except (ScenarioError, UsageError) as error:
        print(f"hotline: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("hotline: interrupted", file=sys.stderr)
        return 130
