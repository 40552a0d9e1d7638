"""Does the simulated desk reproduce what queueing theory knows exactly?

Picture a desk of 5 POCs taking 27 calls an hour, 10 minutes each, callers
hanging up after 20 minutes on average. Erlang A says 52.8% of callers wait
and the mean wait is 2.20 min. The simulator runs the same desk in 30
independent replications of 5,000 calls each; every replication gives one
estimate of each figure, their mean has a t confidence interval, and the
figure passes when theory falls inside it.

A suite checks many figures at once (every figure of
``sim.model.queue_figures`` that theory gives, over a dozen desks), and with
84 intervals at 95% four would fail by chance alone. So each interval is
widened by Bonferroni to level ``1 - alpha / m`` for ``m`` figures: then the chance that *any*
figure of a correct model fails is at most ``alpha`` (1% by default), however
the figures depend on each other. The intervals stay narrow enough that a
model whose calls last 5% longer than theory is told fails on every desk.

Each replication warms up on its first calls (the desk starts empty) and
measures the rest; see ``BackgroundCalls.warmup_calls``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Iterator, Optional

from scipy.special import stdtrit

from sim.experiment.executors import Executor, LocalExecutor
from sim.model.outcome import Outcome
from sim.model.queue_figures import (
    ANSWERED_WAIT_OVER,
    MEAN_WAIT,
    MEAN_WAIT_ABANDONED,
    MEAN_WAIT_ANSWERED,
    P_ABANDON,
    P_WAIT,
    SERVICE_LEVEL,
    UTILISATION,
    WAIT_OVER,
    queue_figure,
)
from sim.run.replications import Batch, run_batch
from sim.run.statistics import summarise
from sim.scenario.distributions import Exponential
from sim.scenario.loader import ScenarioError
from sim.scenario.schema import Scenario
from sim.model.erlang import QueueFigures, erlang_a, erlang_c

FAMILY_ERROR = 0.01
"""Chance that a correct model fails at least one figure of a whole suite."""

REPLICATIONS = 30
MEASURED_CALLS = 5_000
WARMUP_CALLS = 1_000
SEED = 1
BATCH = 5
"""Replications per task handed to a worker."""


@dataclass(frozen=True)
class Case:
    """One desk: the scenario the simulator runs and what theory says it should give."""

    scenario: Scenario
    reference: QueueFigures

    @property
    def name(self) -> str:
        return self.scenario.name

    @property
    def parameters(self) -> str:
        r = self.reference
        patience = f", theta {r.patience_rate:.4g}/min" if r.patience_rate else ""
        load = r.arrival_rate / (r.servers * r.service_rate)
        return (f"c {r.servers}, lambda {r.arrival_rate:.4g}/min, mu {r.service_rate:.4g}/min"
                f"{patience}; offered load {load:.2f}")

    def analytic(self, key: str) -> Optional[float]:
        """Theory's value of an outcome of ``queue_outcomes``; None for ones it does not check."""
        return self.theory.get(key)

    @cached_property
    def theory(self) -> dict[str, float]:
        """Theory's value of every figure this desk checks, by outcome name.

        When callers never hang up, P(abandon) is zero and the answered-only
        figures and the service level are the all-calls ones again
        (P(wait > t | answered) = P(wait > t), service level = 1 - P(wait > t)),
        call for call in the model as in theory: checking them would add no
        check, only widen every interval. Nor is there an abandoner to time.
        """
        r = self.reference
        thresholds = self.scenario.report.wait_thresholds
        values = {P_WAIT.name: r.prob_wait, MEAN_WAIT.name: r.mean_wait, UTILISATION.name: r.utilisation,
                  **{WAIT_OVER.name(t): r.prob_wait_exceeds(t) for t in thresholds}}
        if r.patience_rate:
            values |= {P_ABANDON.name: r.prob_abandon, MEAN_WAIT_ANSWERED.name: r.mean_wait_answered,
                       MEAN_WAIT_ABANDONED.name: r.mean_wait_abandoned,
                       **{SERVICE_LEVEL.name(t): r.service_level(t) for t in thresholds},
                       **{ANSWERED_WAIT_OVER.name(t): r.prob_answered_wait_exceeds(t) for t in thresholds}}
        return values


def case_from_scenario(scenario: Scenario) -> Case:
    """Read c, lambda, mu and theta off an M/M/c(+M) scenario; ScenarioError if it is not one."""
    problems = []
    calls = scenario.background_calls
    if scenario.strike is not None or calls is None:
        raise ScenarioError(f"{scenario.name}: not a hotline-only model (it has a strike); "
                            "validation needs no strike and background_calls")
    desk = scenario.desk
    if not all(group.availability.always_present for group in desk.pocs):
        problems.append("desk.pocs.availability: POCs must always be at the desk")
    if desk.poc_count < 1:
        problems.append("desk.pocs.count: needs at least one POC")
    if desk.duty_officers.count:
        problems.append("desk.duty_officers.count: must be 0 (a duty officer answering first pauses the "
                        "caller's patience, which Erlang A does not know)")
    if calls.rate_per_hour <= 0:
        problems.append("background_calls.rate_per_hour: needs calls (> 0)")
    if not isinstance(calls.service_time, Exponential):
        problems.append(f"background_calls.service_time: must be exponential, got {calls.service_time.dist}")
    if calls.patience is not None and not isinstance(calls.patience, Exponential):
        problems.append(f"background_calls.patience: must be exponential or absent, got {calls.patience.dist}")
    if problems:
        raise ScenarioError([f"{scenario.name}: not an M/M/c(+M) model: {p}" for p in problems])
    lam, mu = calls.rate_per_hour / 60.0, 1.0 / calls.service_time.mean_value
    try:
        if calls.patience is None:
            return Case(scenario, erlang_c(desk.poc_count, lam, mu))
        return Case(scenario, erlang_a(desk.poc_count, lam, mu, 1.0 / calls.patience.mean_value))
    except ValueError as error:
        raise ScenarioError([f"{scenario.name}: {error}"]) from None


def desk_case(name: str, pocs: int, calls_per_hour: float, service_min: float,
              patience_min: Optional[float], thresholds: Iterable[float],
              measured_calls: int = MEASURED_CALLS) -> Case:
    """A case built in code: ``measured_calls`` per replication after the warm-up."""
    calls = {"rate_per_hour": calls_per_hour,
             "service_time": {"dist": "exponential", "mean": service_min},
             "calls": WARMUP_CALLS + measured_calls, "warmup_calls": WARMUP_CALLS}
    if patience_min is not None:
        calls["patience"] = {"dist": "exponential", "mean": patience_min}
    return case_from_scenario(Scenario.from_data({
        "name": name, "desk": {"pocs": {"count": pocs}, "duty_officers": {"count": 0}},
        "background_calls": calls, "report": {"wait_thresholds": list(thresholds)}}))


def builtin_cases() -> list[Case]:
    """Light to overloaded desks, 1 to 20 POCs, with and without impatient callers (10-min calls).

    Near capacity without abandonment, waits stay correlated over hundreds of
    calls, so those desks run longer to keep their intervals useful.
    """
    long = 4 * MEASURED_CALLS
    return [
        desk_case("1 POC, quiet", 1, 3.0, 10, None, [5, 20]),
        desk_case("1 POC, busy", 1, 4.8, 10, None, [10, 40]),
        desk_case("2 POCs", 2, 8.4, 10, None, [5]),
        desk_case("3 POCs, light", 3, 9.0, 10, None, [2]),
        desk_case("5 POCs, heavy", 5, 27.0, 10, None, [5, 20], long),
        desk_case("10 POCs, heavy", 10, 55.2, 10, None, [2, 10], long),
        desk_case("20 POCs", 20, 102.0, 10, None, [1, 5], long),
        desk_case("1 POC, impatient callers", 1, 5.4, 10, 15, [5, 20]),
        desk_case("2 POCs, very impatient callers", 2, 9.6, 10, 5, [2]),
        desk_case("3 POCs, fully loaded, impatient", 3, 18.0, 10, 10, [10]),
        desk_case("5 POCs, overloaded, impatient", 5, 36.0, 10, 30, [5, 20]),
        desk_case("10 POCs, heavy, patient callers", 10, 57.0, 10, 60, [5]),
    ]


@dataclass(frozen=True)
class Figure:
    key: str
    simulated: float
    ci_low: float
    ci_high: float
    analytic: float
    undefined_in: int = 0
    """Replications in which the figure had no value (no abandoner to time), left out of its interval."""

    @property
    def declared(self) -> Outcome:
        declared = queue_figure(self.key)
        assert declared is not None  # every checked figure is one of queue_outcomes
        return declared

    @property
    def label(self) -> str:
        return self.declared.label

    @property
    def passed(self) -> bool:
        return self.ci_low <= self.analytic <= self.ci_high


@dataclass(frozen=True)
class Validation:
    cases: list[tuple[Case, list[Figure]]]
    replications: int
    seed: int
    level: float          # of each interval
    family_error: float

    @property
    def figures(self) -> list[Figure]:
        return [f for _, figures in self.cases for f in figures]

    @property
    def passed(self) -> bool:
        return all(f.passed for f in self.figures)

    @property
    def failures(self) -> list[Figure]:
        return [f for f in self.figures if not f.passed]


def _batches(cases: list[Case], replications: int, seed: int, size: int) -> Iterator[Batch]:
    """Case ``i`` runs replications ``i R`` to ``i R + R - 1``: its own streams, independent of the others."""
    for i, case in enumerate(cases):
        data = case.scenario.model_dump(mode="json")
        for first in range(i * replications, (i + 1) * replications, size):
            yield Batch(i, data, case.name, seed, tuple(range(first, min(first + size, (i + 1) * replications))))


def simulate(cases: list[Case], replications: int, seed: int, executor: Executor,
             batch: int = BATCH) -> list[dict[str, list[float]]]:
    """Per case and checked figure, its value in each replication, in replication order."""
    rows: list[list[tuple[int, dict[str, float]]]] = [[] for _ in cases]
    for i, batch_rows in executor.map_unordered(run_batch, _batches(cases, replications, seed, batch)):
        rows[i] += batch_rows
    return [{key: [outcomes[key] for _, outcomes in sorted(case_rows, key=lambda row: row[0])]
             for key in case_rows[0][1] if case.analytic(key) is not None}
            for case, case_rows in zip(cases, rows)]


def validate(cases: list[Case], replications: int = REPLICATIONS, seed: int = SEED,
             family_error: float = FAMILY_ERROR, executor: Optional[Executor] = None,
             batch: int = BATCH) -> Validation:
    """Simulate every case (in this process unless given an executor) and check each figure.

    Each figure's t interval is at level ``1 - family_error / m`` for the
    ``m`` figures of the whole run (Bonferroni).
    """
    if replications < 2:
        raise ValueError(f"a confidence interval needs at least 2 replications, got {replications}")
    runs = list(zip(cases, simulate(cases, replications, seed, executor or LocalExecutor(1), batch)))
    count = sum(len(values) for _, values in runs)
    level = 1.0 - family_error / count
    return Validation([(case, [_figure(case, key, sample, level) for key, sample in values.items()])
                       for case, values in runs], replications, seed, level, family_error)


def _figure(case: Case, key: str, sample: list[float], level: float) -> Figure:
    """The t interval over the replications that define the figure; with fewer than two it has none and fails."""
    summary = summarise(sample)
    half = math.nan
    if summary.n >= 2:
        half = float(stdtrit(summary.n - 1, 1.0 - (1.0 - level) / 2)) * summary.sd / math.sqrt(summary.n)
    analytic = case.analytic(key)
    assert analytic is not None  # simulate() keeps only the figures theory gives
    return Figure(key, summary.mean, summary.mean - half, summary.mean + half, analytic, summary.missing)


def format_validation(result: Validation) -> str:
    """One block per case: simulated value, interval, theory, pass or FAIL per figure."""
    lines = [(f"{len(result.cases)} desks, {result.replications} replications each (seed {result.seed}); "
              f"intervals at {100 * result.level:.5g}%: Bonferroni over {len(result.figures)} figures, "
              f"{100 * result.family_error:g}% chance that a correct model fails any")]
    width = max(len(f.label) for f in result.figures)
    for case, figures in result.cases:
        lines += ["", f"{case.name}  ({case.parameters})",
                  f"  {'figure':<{width}}  {'simulated':>9}  {'interval':^22}  {'theory':>9}"]
        for f in figures:
            interval = f"[{f.ci_low:.4f}, {f.ci_high:.4f}]"
            lines.append(f"  {f.label:<{width}}  {f.simulated:9.4f}  {interval:^22}  {f.analytic:9.4f}  "
                         f"{'pass' if f.passed else 'FAIL'}")
            if f.undefined_in:
                lines.append(f"    undefined in {f.undefined_in} of {result.replications} replications, "
                             f"left out: {f.declared.undefined}")
    failed = len(result.failures)
    lines += ["", f"{len(result.figures) - failed} of {len(result.figures)} figures agree with theory"
              + (f"; {failed} FAIL" if failed else "")]
    return "\n".join(lines)
