"""The ``hotline`` command: one subcommand per module in this package.

Every subcommand turns a bad input into a clear message on stderr and exit
status 2, with no traceback and nothing written under ``results/``. A place
that cannot be written (a read-only medium) is one line and status 2 too;
output piped into a reader that stops early (``| head``) ends quietly with
status 141, as a program stopped by SIGPIPE does.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Optional, Sequence

from sim import __version__
from sim.cli import check, discover, export, listing, plot, report, run, sensitivity, staff, study, sweep, validate
from sim.results.store import StoreError
from sim.scenario.loader import ScenarioError

COMMANDS = (run, sweep, study, staff, sensitivity, discover, export, plot, report, check, listing, validate)
BROKEN_PIPE = 128 + 13  # the status of a program killed by SIGPIPE


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
    except (ScenarioError, UsageError, StoreError) as error:
        print(f"hotline: error: {error}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("hotline: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        return BROKEN_PIPE
    except OSError as error:  # a read-only medium, a full disk, a folder without permission
        where = f"{error.filename}: " if error.filename else ""
        print(f"hotline: error: cannot write {where}{error.strerror or error}", file=sys.stderr)
        return 2
