"""The ``hotline`` command: one subcommand per module in this package.

Every subcommand turns a bad input into a clear message on stderr and exit
status 2, with no traceback and nothing written under ``results/``. A place
that cannot be written (a read-only medium) is one line and status 2 too;
output piped into a reader that stops early (``| head``) ends quietly with
status 141, as a program stopped by SIGPIPE does.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from typing import Optional, Sequence

from sim import __version__
from sim.results.store import StoreError
from sim.scenario.loader import ScenarioError

COMMANDS = {"run": "run", "sweep": "sweep", "study": "study", "staff": "staff", "sensitivity": "sensitivity",
            "discover": "discover", "export": "export", "plot": "plot", "report": "report", "check": "check",
            "schema": "check", "list": "listing", "validate": "validate"}
"""Each command and the module of this package that registers it (``register(sub)``), in the order of --help.

A command line that names a command loads that command's module alone: ``hotline sweep`` does not import
pandas for ``export`` or SALib for ``sensitivity``, and its workers start sooner."""
BROKEN_PIPE = 128 + 13  # the status of a program killed by SIGPIPE


class UsageError(Exception):
    """A bad command line or input file that is not a scenario error."""


def build_parser(command: Optional[str] = None) -> argparse.ArgumentParser:
    """The parser of every command, or of ``command`` alone."""
    parser = argparse.ArgumentParser(
        prog="hotline",
        description="Simulate a military deconfliction hotline: how long a warning takes to get "
                    "through, and what each minute of delay costs.",
    )
    parser.add_argument("--version", action="version", version=f"hotline-sim {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    modules = [COMMANDS[command]] if command in COMMANDS else COMMANDS.values()
    for name in dict.fromkeys(modules):
        importlib.import_module(f"sim.cli.{name}").register(sub)
    return parser


def main(argv: Optional[Sequence[str]] = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    args = build_parser(argv[0] if argv else None).parse_args(argv)
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
