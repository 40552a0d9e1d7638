"""``hotline validate``: check the desk model against Erlang C and Erlang A.

    hotline validate                                  # the built-in suite of 12 desks
    hotline validate scenarios/validation/*.yaml -n 50 --workers 2

Prints, per desk and figure, the simulated mean, its confidence interval
(Bonferroni over every figure of the run), theory's value and pass or FAIL.
Exit status 0 when every figure agrees with theory, 1 when any does not, 2
when a file is not an M/M/c(+M) hotline-only scenario.
"""

from __future__ import annotations

import argparse

from sim.cli.execution import add_executor_arguments, executor_from_args, reports_failures
from sim.cli.scenario_args import add_limits_argument, limits_of, resolve_scenario_path
from sim.scenario.loader import ScenarioError, load_scenario
from sim.validation.suite import (
    BATCH,
    FAMILY_ERROR,
    REPLICATIONS,
    SEED,
    builtin_cases,
    case_from_scenario,
    format_validation,
    validate,
)


def register(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("validate", help="check the desk model against queueing theory (Erlang C and A)")
    parser.add_argument("scenarios", nargs="*", metavar="SCENARIO",
                        help="hotline-only M/M/c(+M) scenario files (default: the built-in suite of 12 desks)")
    parser.add_argument("--replications", "-n", type=int, default=REPLICATIONS, metavar="N",
                        help=f"independent replications per desk (default {REPLICATIONS})")
    parser.add_argument("--seed", type=int, default=SEED,
                        help=f"root seed for every desk, files included (default {SEED}); "
                             "each desk runs its own replications of it")
    parser.add_argument("--family-error", type=float, default=FAMILY_ERROR, metavar="ALPHA",
                        help="chance that a correct model fails any figure of the run "
                             f"(default {FAMILY_ERROR:g}); shared out over the figures by Bonferroni")
    add_limits_argument(parser)
    add_executor_arguments(parser)
    parser.set_defaults(handler=validate_command)


@reports_failures
def validate_command(args: argparse.Namespace) -> int:
    problems = []
    if args.replications < 2:
        problems.append(f"--replications: a confidence interval needs at least 2, got {args.replications}")
    if args.seed < 0:
        problems.append(f"--seed: expected a non-negative integer, got {args.seed}")
    if not 0 < args.family_error < 1:
        problems.append(f"--family-error: expected a probability between 0 and 1, got {args.family_error:g}")
    if problems:
        raise ScenarioError(problems)
    paths = [resolve_scenario_path(name) for name in args.scenarios]
    cases = [case_from_scenario(load_scenario(path, limits=limits_of(args))) for path in paths] if paths \
        else builtin_cases()
    with executor_from_args(args) as executor:
        result = validate(cases, args.replications, args.seed, args.family_error, executor,
                          args.batch_size or BATCH)
    print(format_validation(result))
    return 0 if result.passed else 1
