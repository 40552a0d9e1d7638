"""The cheapest desk that meets the targets: queueing theory to rank, simulation to confirm.

Picture a desk manager with a budget line: "a message late by more than 10
minutes in at most 5% of afternoons like Deir ez-Zor, and on average at most
one person killed by the delay". A staffing file names the levers (POCs,
duty officers, caller policy, precedence), what each setting costs, and the
targets. Every combination of settings is a candidate desk.

1. **Theory first.** Where Erlang C or Erlang A speaks to a target (a
   hotline-only desk: service level, waits, abandonment), its figure is
   shown beside the simulation's. A candidate is *skipped as hopeless* when
   the theory is exact for it (exponential calls, POCs always there) and
   misses a target, or when its POCs cannot keep up with the routine calls
   at all and the message must reach a POC.
2. **Simulation to confirm**, cheapest first, with common random numbers:
   replication ``k`` of every candidate is the same afternoon. Each candidate
   starts with ``replications.initial`` replications and doubles them while
   a target is still in doubt, up to ``replications.max``. A target is *met*
   when its whole interval is on the right side of the line, *missed* when
   it is wholly on the wrong side. The intervals are Bonferroni-widened over
   every look at every target (``confidence`` 0.95 and 6 looks at 2 targets:
   each interval at 99.58%), so each verdict holds with at least the stated
   confidence although the sample grew until it was decided. A candidate
   still in doubt at the maximum says so; it is never called feasible.
3. Every candidate theory does not rule out gets the initial replications,
   which draw the cost-versus-risk picture; only those no dearer than the
   cheapest desk confirmed so far get more. A candidate ruled out by theory
   that is the next cheaper one below the answer is simulated too, so its
   failure is shown by both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal, Optional

from pydantic import Field, model_validator
import numpy as np
from scipy import stats  # type: ignore[import-untyped]

from sim.experiment.evaluate import run_points
from sim.experiment.executors import Executor
from sim.experiment.plan import SweepPlan, plan_spec
from sim.experiment.spec_file import BasedSpec, Strict, read_spec
from sim.scenario.sweep_spec import SweepSpec
from sim.model.catalog import describe
from sim.model.queue_figures import ANSWERED_WAIT_OVER, SERVICE_LEVEL, WAIT_OVER
from sim.run.replications import Rows
from sim.scenario.distributions import Exponential
from sim.scenario.loader import scenario_from_data
from sim.scenario.schema import Scenario
from sim.model.erlang import QueueFigures, erlang_a, erlang_c


class Lever(Strict):
    """One thing the desk can change, with what each of its settings costs."""

    path: str
    values: list[Any] = Field(min_length=1)
    cost: Optional[list[float]] = None
    cost_per_unit: Optional[float] = Field(default=None, ge=0)
    label: Optional[str] = None

    @model_validator(mode="after")
    def _priced(self) -> "Lever":
        if (self.cost is None) == (self.cost_per_unit is None):
            raise ValueError(f"lever {self.path}: give either cost (one per value) or cost_per_unit")
        if self.cost is not None and len(self.cost) != len(self.values):
            raise ValueError(f"lever {self.path}: {len(self.values)} values but {len(self.cost)} costs")
        if self.cost_per_unit is not None and not all(isinstance(v, (int, float)) and not isinstance(v, bool)
                                                      for v in self.values):
            raise ValueError(f"lever {self.path}: cost_per_unit needs numeric values")
        return self

    def price(self, value: Any) -> float:
        if self.cost is not None:
            return self.cost[self.values.index(value)]
        assert self.cost_per_unit is not None
        return self.cost_per_unit * float(value)


class Target(Strict):
    """A line an outcome must stay on the right side of: its mean, or for a yes/no outcome its share."""

    outcome: str
    at_most: Optional[float] = None
    at_least: Optional[float] = None

    @model_validator(mode="after")
    def _one_side(self) -> "Target":
        if (self.at_most is None) == (self.at_least is None):
            raise ValueError(f"target {self.outcome}: give either at_most or at_least")
        return self

    @property
    def limit(self) -> float:
        value = self.at_most if self.at_most is not None else self.at_least
        assert value is not None
        return value

    def words(self) -> str:
        what = describe(self.outcome)
        sign = "<=" if self.at_most is not None else ">="
        return f"{what.label if what.is_flag else 'mean ' + what.label} {sign} {self.limit:g}"

    def satisfied_by(self, value: float) -> bool:
        return value <= self.limit if self.at_most is not None else value >= self.limit


class Replications(Strict):
    initial: int = Field(default=100, ge=10)
    max: int = Field(default=3200, ge=10)

    @model_validator(mode="after")
    def _ordered(self) -> "Replications":
        if self.max < self.initial:
            raise ValueError(f"replications.max ({self.max}) is below replications.initial ({self.initial})")
        return self

    def stages(self) -> list[int]:
        """Cumulative replications at each look: initial, doubling, the last one at max."""
        sizes = [self.initial]
        while sizes[-1] < self.max:
            sizes.append(min(2 * sizes[-1], self.max))
        return sizes


class StaffingSpec(BasedSpec):
    cost_unit: str = "cost"
    levers: list[Lever] = Field(min_length=1)
    targets: list[Target] = Field(min_length=1)
    confidence: float = Field(default=0.95, gt=0.5, lt=1)
    replications: Replications = Replications()


def read_staffing(path: Path) -> StaffingSpec:
    return read_spec(path, StaffingSpec, "staffing file")


Verdict = Literal["met", "missed", "in doubt"]


@dataclass(frozen=True)
class Estimate:
    """One target's figure for one candidate: simulated value and interval, and the theory's figure."""

    target: Target
    n: int
    value: float
    low: float
    high: float
    theory: Optional[float]

    @property
    def verdict(self) -> Verdict:
        if self.n and self.target.satisfied_by(self.high if self.target.at_most is not None else self.low):
            return "met"
        if self.n and not self.target.satisfied_by(self.low if self.target.at_most is not None else self.high):
            return "missed"
        return "in doubt"


Status = Literal["feasible", "fails", "in doubt", "hopeless", "not needed"]


@dataclass
class Candidate:
    index: int
    settings: dict[str, Any]
    cost: float
    theory: dict[str, Optional[float]]
    hopeless: str = ""                 # why theory rules it out, if it does
    estimates: list[Estimate] = field(default_factory=list)
    replications: int = 0

    @property
    def label(self) -> str:
        return ", ".join(f"{path}={value}" for path, value in self.settings.items())

    @property
    def status(self) -> Status:
        verdicts = [e.verdict for e in self.estimates]
        if "missed" in verdicts:
            return "fails"
        if self.hopeless:
            return "hopeless"
        if verdicts and all(v == "met" for v in verdicts):
            return "feasible"
        return "in doubt" if verdicts else "not needed"

    def why_not(self) -> str:
        """What keeps this desk from the answer, in words."""
        missed = [e for e in self.estimates if e.verdict == "missed"]
        if missed:
            return "; ".join(f"{e.target.words()} missed: {e.value:.3g} [{e.low:.3g}, {e.high:.3g}]"
                             f"{'' if e.theory is None else f', theory {e.theory:.3g}'}" for e in missed)
        if self.hopeless:
            return self.hopeless
        doubt = [e for e in self.estimates if e.verdict == "in doubt"]
        return "; ".join(f"{e.target.words()} still in doubt after {e.n} replications: {e.value:.3g} "
                         f"[{e.low:.3g}, {e.high:.3g}]" for e in doubt) or "not simulated"


@dataclass
class StaffingAnswer:
    spec: StaffingSpec
    plan: SweepPlan
    candidates: list[Candidate]
    level: float                       # confidence of each interval after Bonferroni

    @property
    def answer(self) -> Optional[Candidate]:
        feasible = [c for c in self.candidates if c.status == "feasible"]
        return min(feasible, key=lambda c: (c.cost, c.index)) if feasible else None

    @property
    def next_cheaper(self) -> list[Candidate]:
        """The dearest candidates cheaper than the answer (all of them at that cost)."""
        answer = self.answer
        cheaper = [c for c in self.candidates if answer is None or c.cost < answer.cost]
        if not cheaper:
            return []
        top = max(c.cost for c in cheaper)
        return [c for c in cheaper if c.cost == top]

    @property
    def cheaper_in_doubt(self) -> list[Candidate]:
        """Cheaper candidates still undecided: the answer is the cheapest *confirmed*, not surely the cheapest."""
        answer = self.answer
        return [c for c in self.candidates if c.status == "in doubt" and (answer is None or c.cost < answer.cost)]


def staffing_plan(spec: StaffingSpec, path: Path) -> SweepPlan:
    """Every candidate desk as a grid point, each scenario checked before anything runs."""
    outcomes = [t.outcome for t in spec.targets]
    sweep = SweepSpec.model_validate({
        "name": spec.name, "description": spec.description, "base": spec.base, "set": spec.set,
        "seed": spec.seed, "replications": spec.replications.max, "outcomes": outcomes,
        "factors": [{"path": lever.path, "values": lever.values, "label": lever.label} for lever in spec.levers]})
    return plan_spec(sweep, path)


def candidates_of(spec: StaffingSpec, plan: SweepPlan) -> list[Candidate]:
    """Each grid point priced and judged by theory, cheapest first."""
    found = []
    for point in plan.points:
        cost = sum(lever.price(point.factors[lever.path]) for lever in spec.levers)
        scenario = scenario_from_data(plan.scenarios[point.index], plan.source)
        theory = {t.outcome: queue_theory(scenario, t.outcome) for t in spec.targets}
        found.append(Candidate(point.index, dict(point.factors), cost, theory, hopeless(scenario, spec.targets)))
    return sorted(found, key=lambda c: (c.cost, c.index))


def _queue(scenario: Scenario) -> Optional[QueueFigures]:
    """Erlang C or A for the hotline desk's routine calls, with its POCs always there; None if unstable."""
    calls = scenario.background_calls
    if calls is None or calls.rate_per_hour == 0:
        return None
    lam, mu = calls.rate_per_hour / 60, 1 / calls.service_time.mean_value
    theta = 1 / calls.patience.mean_value if calls.patience is not None else 0.0
    try:
        return erlang_a(scenario.desk.poc_count, lam, mu, theta) if theta else \
            erlang_c(scenario.desk.poc_count, lam, mu)
    except ValueError:  # unstable, or no POC
        return None


def _threshold(name: str, prefix: str) -> Optional[float]:
    text = name[len(prefix):].replace("p", ".") if name.startswith(prefix) else ""
    try:
        return float(text)
    except ValueError:
        return None


def queue_theory(scenario: Scenario, outcome: str) -> Optional[float]:
    """What Erlang C/A says of ``outcome`` for a hotline-only desk; None where it says nothing."""
    if scenario.strike is not None:
        return None
    queue = _queue(scenario)
    if queue is None:
        return None
    figures = {"p_wait": queue.prob_wait, "mean_wait": queue.mean_wait, "p_abandon": queue.prob_abandon,
               "utilisation": queue.utilisation, "mean_wait_answered": queue.mean_wait_answered}
    if outcome in figures:
        return float(figures[outcome])
    for family, figure in ((WAIT_OVER, queue.prob_wait_exceeds), (SERVICE_LEVEL, queue.service_level),
                           (ANSWERED_WAIT_OVER, queue.prob_answered_wait_exceeds)):
        t = _threshold(outcome, family.prefix)
        if t is not None:
            return float(figure(t))
    return None


def _exact(scenario: Scenario) -> bool:
    """Erlang's assumptions hold: no strike, exponential calls and patience, POCs always at the desk."""
    calls = scenario.background_calls
    return (scenario.strike is None and calls is not None and isinstance(calls.service_time, Exponential)
            and (calls.patience is None or isinstance(calls.patience, Exponential))
            and all(g.availability.always_present for g in scenario.desk.pocs))


def hopeless(scenario: Scenario, targets: list[Target]) -> str:
    """Why theory rules the desk out, or "" when it does not."""
    if _exact(scenario):
        for target in targets:
            value = queue_theory(scenario, target.outcome)
            if value is not None and not target.satisfied_by(value):
                return f"{target.words()} missed in theory: Erlang C/A gives {value:.3g}"
    calls = scenario.background_calls
    must_reach_poc = all(p.policy == "wait_for_poc" for p in scenario.parties)
    if calls is not None and calls.patience is None and calls.rate_per_hour > 0 and must_reach_poc:
        capacity = sum(g.count * _share_present(g.availability) for g in scenario.desk.pocs) \
            / calls.service_time.mean_value * 60
        if calls.rate_per_hour >= capacity:
            return (f"the POCs cannot keep up: {calls.rate_per_hour:g} routine calls an hour against "
                    f"{capacity:.3g} they can answer while present, and the message must reach a POC")
    return ""


def _share_present(availability: Any) -> float:
    """Long-run share of time a POC is at the desk (alternating spells); 1 when always there."""
    if availability.alternating:
        here, away = availability.available.mean_value, availability.away_for.mean_value
        return float(here / (here + away))
    return 1.0


def estimate(target: Target, rows: Rows, level: float, theory: Optional[float]) -> Estimate:
    """The target's outcome over ``rows``: a share with Wilson's interval, or a mean with Student's."""
    values = [r[1].get(target.outcome, math.nan) for r in rows]
    defined = [v for v in values if not math.isnan(v)]
    n = len(defined)
    if n < 2:
        return Estimate(target, n, math.nan, math.nan, math.nan, theory)
    mean = sum(defined) / n
    if describe(target.outcome).is_flag:
        ci = stats.binomtest(int(round(sum(defined))), n).proportion_ci(level, method="wilson")
        return Estimate(target, n, mean, float(ci.low), float(ci.high), theory)
    sd = float(np.std(defined, ddof=1))
    if sd == 0:
        return Estimate(target, n, mean, mean, mean, theory)
    low, high = stats.t.interval(level, n - 1, loc=mean, scale=sd / math.sqrt(n))
    return Estimate(target, n, mean, float(low), float(high), theory)


def settle(spec: StaffingSpec, plan: SweepPlan, executor: Executor,
           store_rows: Optional[Callable[[int, Rows], None]] = None) -> StaffingAnswer:
    """Run the candidates cheapest first until the cheapest feasible desk is confirmed."""
    stages = spec.replications.stages()
    level = 1 - (1 - spec.confidence) / (len(stages) * len(spec.targets))
    candidates = candidates_of(spec, plan)
    rows: dict[int, Rows] = {c.index: [] for c in candidates}

    def run(chosen: list[Candidate], upto: int) -> None:
        wanted = {c.index: range(c.replications, upto) for c in chosen if c.replications < upto}
        for index, new in run_points(executor, plan.scenarios, plan.source, plan.seed, wanted).items():
            rows[index].extend(new)
            if store_rows is not None:
                store_rows(index, new)
        for c in chosen:
            c.replications = max(c.replications, upto)
            c.estimates = [estimate(t, rows[c.index], level, c.theory[t.outcome]) for t in spec.targets]

    for stage in stages:
        best = min((c.cost for c in candidates if c.status == "feasible"), default=math.inf)
        open_ = [c for c in candidates if not c.hopeless and c.cost <= best
                 and c.status in ("in doubt", "not needed")]
        if not open_:
            break
        run(open_, stage)
    answer = StaffingAnswer(spec, plan, candidates, level)
    confirm = [c for c in answer.next_cheaper if c.hopeless and not c.estimates]
    if confirm:  # theory ruled it out: show the simulation beside it
        run(confirm, stages[0])
    return answer

