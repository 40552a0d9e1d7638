"""Which uncertain assumptions decide the answer: Sobol and Morris indices over a scenario's inputs.

Picture the Deir ez-Zor afternoon with seven assumptions nobody knows well:
how long the POC is away, how late the strike is noticed, how often a call
is misunderstood, the call load, the location error, the abort latency and
the harm per release. Variance-based sensitivity asks what share of the
variance of the outcome each assumption explains alone (Sobol first-order
index S1) and with its interactions (total index ST); Morris screening ranks
many inputs cheaply by the mean absolute change one step of an input makes
(mu*). Samples and indices come from SALib, whose bootstrap gives each index
an interval.

The model is random as well as uncertain: two afternoons with the same
assumptions differ. Each sample point therefore runs ``replications``
replications, and the index is computed on the point means. Replication
``k`` is the same afternoon at every point (common random numbers), so the
point mean is a deterministic function of the inputs and the indices are
those of that function; its distance from the infinite-replication mean is
the *noise*. Two shares separate the model's own randomness from the inputs':

- ``randomness share``: of the variance of one replication's outcome over
  the whole sample, the part the inputs do not explain, i.e. the mean
  within-point variance over (that + the variance of the true point means);
- ``noise share``: of the variance of the point means the indices are
  computed on, the part that is replication noise (within-point variance /
  replications, averaged over points). Above 10% the indices are blurred by
  noise and a warning says to raise ``replications``.
"""

from __future__ import annotations

import json
import math
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Literal, Optional

import numpy as np
from pydantic import Field, ValidationInfo, field_validator, model_validator
from SALib.analyze import morris as morris_analysis  # type: ignore[import-untyped]
from SALib.analyze import sobol as sobol_analysis  # type: ignore[import-untyped]
from SALib.sample import morris as morris_sample  # type: ignore[import-untyped]
from SALib.sample import sobol as sobol_sample  # type: ignore[import-untyped]

from sim.scenario.design import DesignPoint, Dimension, Range, value_at
from sim.experiment.evaluate import run_points
from sim.experiment.executors import Executor
from sim.experiment.plan import override
from sim.experiment.spec_file import BasedSpec, Strict, read_spec
from sim.scenario.sweep_spec import SweepError
from sim.model.world import run_replication
from sim.run.replications import Rows
from sim.scenario.loader import ScenarioError, apply_overrides, read_scenario_data, scenario_from_data

NOISE_LIMIT = 0.10
NEGATIVE = -0.02       # an index below this is not rounding: the sample is too small
UNSTABLE = 0.10        # an interval half-width above this: the index is not pinned down


class Input(Strict):
    """One uncertain assumption: a scenario value by dotted path, uniform over a range or a list."""

    path: str
    range: Optional[tuple[float, float]] = None
    values: Optional[list[Any]] = Field(default=None, min_length=2)
    integer: bool = False
    label: Optional[str] = None

    @model_validator(mode="after")
    def _one_kind(self) -> "Input":
        if (self.range is None) == (self.values is None):
            raise ValueError(f"input {self.path}: give either range or values")
        if self.range is not None and not self.range[0] < self.range[1]:
            raise ValueError(f"input {self.path}: range [{self.range[0]:g}, {self.range[1]:g}] is empty")
        if self.integer and self.range is None:
            raise ValueError(f"input {self.path}: integer goes with a range")
        return self

    @property
    def dimension(self) -> Dimension:
        if self.range is not None:
            return Range(*self.range, integer=self.integer)
        assert self.values is not None
        return self.values

    def ends(self) -> list[Any]:
        """The values to check before running: the two ends, or every listed value."""
        return [value_at(self.dimension, 0.0), value_at(self.dimension, 1.0)] if self.range else list(self.values or [])


class SensitivitySpec(BasedSpec):
    method: Literal["sobol", "morris"] = "sobol"
    samples: int = Field(ge=2, description="Sobol: base samples N (a power of 2); Morris: trajectories")
    levels: int = Field(default=4, ge=2, description="Morris: grid levels per input")
    replications: int = Field(ge=2, description="replications per sample point, common random numbers")
    bootstrap: int = Field(default=1000, ge=100)
    confidence: float = Field(default=0.95, gt=0.5, lt=1)
    outcomes: list[str] = Field(min_length=1)
    inputs: list[Input] = Field(min_length=2)

    @model_validator(mode="after")
    def _coherent(self) -> "SensitivitySpec":
        paths = [i.path for i in self.inputs]
        if len(set(paths)) < len(paths):
            raise ValueError("an input is listed twice")
        return self

    @field_validator("samples")
    @classmethod
    def _power_of_two(cls, samples: int, info: ValidationInfo) -> int:
        if info.data.get("method") == "sobol" and samples & (samples - 1):
            raise ValueError(f"Sobol sequences need a power of 2, got {samples}")
        return samples

    def points(self) -> int:
        d = len(self.inputs)
        return self.samples * (d + 2) if self.method == "sobol" else self.samples * (d + 1)


def read_sensitivity(path: Path) -> SensitivitySpec:
    return read_spec(path, SensitivitySpec, "sensitivity file")


@dataclass
class Indices:
    """One outcome's indices, with what it took and what to beware of."""

    outcome: str
    method: str
    names: list[str]
    first: np.ndarray = field(default_factory=lambda: np.empty(0))      # S1, or Morris mu*
    first_conf: np.ndarray = field(default_factory=lambda: np.empty(0))
    total: np.ndarray = field(default_factory=lambda: np.empty(0))      # ST, or Morris sigma
    total_conf: np.ndarray = field(default_factory=lambda: np.empty(0))
    randomness_share: float = math.nan
    noise_share: float = math.nan
    points: int = 0
    replications: int = 0
    warnings: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        keys = ("S1", "S1_conf", "ST", "ST_conf") if self.method == "sobol" else \
            ("mu_star", "mu_star_conf", "sigma", "sigma_conf")
        columns = [self.first, self.first_conf, self.total, self.total_conf]
        return {"outcome": self.outcome, "method": self.method, "points": self.points,
                "replications": self.replications, "randomness_share": _round(self.randomness_share),
                "noise_share": _round(self.noise_share), "warnings": self.warnings,
                "inputs": {name: {k: _round(float(c[i])) for k, c in zip(keys, columns)}
                           for i, name in enumerate(self.names)}}


def _round(value: float) -> Optional[float]:
    return None if not math.isfinite(value) else round(value, 6)


Evaluate = Callable[[np.ndarray], dict[str, np.ndarray]]
"""Unit-cube sample (points x inputs) -> per outcome, an array (points x replications), NaN where undefined."""


def unit_sample(method: str, dimensions: int, samples: int, levels: int, seed: int) -> np.ndarray:
    """SALib's sample on [0, 1]^d: Saltelli/Sobol' (N (d + 2) points) or Morris trajectories (N (d + 1))."""
    problem = {"num_vars": dimensions, "names": [f"x{i}" for i in range(dimensions)],
               "bounds": [[0.0, 1.0]] * dimensions}
    if method == "sobol":
        return np.asarray(sobol_sample.sample(problem, samples, calc_second_order=False, seed=seed))
    return np.asarray(morris_sample.sample(problem, samples, num_levels=levels, seed=seed))


def analyse(names: list[str], method: str, samples: int, levels: int, seed: int, bootstrap: int,
            confidence: float, evaluate: Evaluate) -> list[Indices]:
    """Sample, evaluate every point's replications, and compute each outcome's indices."""
    unit = unit_sample(method, len(names), samples, levels, seed)
    return [indices(outcome, names, method, unit, runs, levels, seed, bootstrap, confidence)
            for outcome, runs in evaluate(unit).items()]


def noise_shares(runs: np.ndarray) -> tuple[float, float]:
    """(randomness share of one replication's variance, noise share of the point means' variance)."""
    counts = np.sum(~np.isnan(runs), axis=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)
        within = np.nanvar(runs, axis=1, ddof=1)
    means = np.nanmean(runs, axis=1)
    noise = float(np.mean(within / counts))
    spread = float(np.var(means, ddof=1))
    inputs = max(spread - noise, 0.0)
    randomness = float(np.mean(within))
    return (randomness / (randomness + inputs) if randomness + inputs > 0 else math.nan,
            noise / spread if spread > 0 else math.nan)


def indices(outcome: str, names: list[str], method: str, unit: np.ndarray, runs: np.ndarray, levels: int,
            seed: int, bootstrap: int, confidence: float) -> Indices:
    """The indices of one outcome from its runs at the sample points."""
    result = Indices(outcome, method, names, points=runs.shape[0], replications=runs.shape[1])
    defined = np.sum(~np.isnan(runs), axis=1)
    if np.any(defined < 2):
        result.warnings.append(f"{outcome} has fewer than two defined replications at "
                               f"{int(np.sum(defined < 2))} of {runs.shape[0]} sample points; no indices")
        return result
    means = np.nanmean(runs, axis=1)
    result.randomness_share, result.noise_share = noise_shares(runs)
    if np.var(means) == 0:
        result.warnings.append(f"{outcome} does not vary over the sample; no indices")
        return result
    problem = {"num_vars": len(names), "names": names, "bounds": [[0.0, 1.0]] * len(names)}
    if method == "sobol":
        found = sobol_analysis.analyze(problem, means, calc_second_order=False, num_resamples=bootstrap,
                                       conf_level=confidence, seed=seed)
        result.first, result.first_conf = np.asarray(found["S1"]), np.asarray(found["S1_conf"])
        result.total, result.total_conf = np.asarray(found["ST"]), np.asarray(found["ST_conf"])
    else:
        found = morris_analysis.analyze(problem, unit, means, num_resamples=bootstrap, conf_level=confidence,
                                        num_levels=levels, seed=seed)
        result.first, result.first_conf = np.asarray(found["mu_star"]), np.asarray(found["mu_star_conf"])
        result.total, result.total_conf = np.asarray(found["sigma"]), np.full(len(names), math.nan)
    result.warnings += _warnings(result)
    return result


def _warnings(result: Indices) -> list[str]:
    found = []
    if result.noise_share > NOISE_LIMIT:
        found.append(f"replication noise is {result.noise_share:.0%} of the variance of the point means "
                     f"(over {NOISE_LIMIT:.0%}): raise replications")
    if result.method != "sobol":
        return found
    low = [n for n, s, t in zip(result.names, result.first, result.total) if min(s, t) < NEGATIVE]
    if low:
        found.append(f"negative indices ({', '.join(low)}): the sample is too small; raise samples")
    wide = [n for n, a, b in zip(result.names, result.first_conf, result.total_conf) if max(a, b) > UNSTABLE]
    if wide:
        found.append(f"unstable indices, interval half-width over {UNSTABLE:g} ({', '.join(wide)}): "
                     "raise samples")
    if float(np.sum(result.first)) > 1 + UNSTABLE:
        found.append(f"first-order indices add up to {float(np.sum(result.first)):.2f}, above 1: raise samples")
    return found


@dataclass(frozen=True)
class Prepared:
    """A checked sensitivity file: its base scenario data, seed and the outcomes it can analyse."""

    spec: SensitivitySpec
    base: dict[str, Any]
    source: str
    seed: int


def prepare(spec: SensitivitySpec, path: Path) -> Prepared:
    """Check every input at its ends and every outcome name before anything runs; raise SweepError."""
    source = str((path.parent / spec.base).resolve())
    base = _overridden(read_scenario_data(source), spec.set, f"{path}: set")
    messages = []
    for item in spec.inputs:
        for value in item.ends():
            where = f"{path}: input {override(item.path, value)}"
            try:
                scenario_from_data(_overridden(base, {item.path: value}, where), where)
            except ScenarioError as error:
                messages += error.messages
                break
    if messages:
        raise SweepError(messages)
    scenario = scenario_from_data(base, source)
    seed = spec.seed if spec.seed is not None else scenario.seed
    given = run_replication(scenario, seed, 0).outcomes
    unknown = [o for o in spec.outcomes if o not in given]
    if unknown:
        raise SweepError([f"{path}: unknown outcome {o!r}; the scenario gives {', '.join(given)}" for o in unknown])
    return Prepared(spec, base, source, seed)


def _overridden(data: dict[str, Any], values: dict[str, Any], where: str) -> dict[str, Any]:
    try:
        return apply_overrides(data, [override(p, v) for p, v in values.items()])
    except ScenarioError as error:
        raise SweepError([f"{where}: {m.split(': ', 1)[-1]}" for m in error.messages]) from None


def scenario_evaluator(prepared: Prepared, executor: Executor,
                       keep: Optional[Callable[[list[DesignPoint], dict[int, Rows]], None]] = None) -> Evaluate:
    """Run every distinct sample point ``replications`` times (CRN); ``keep`` gets the points and rows."""
    spec = prepared.spec

    def evaluate(unit: np.ndarray) -> dict[str, np.ndarray]:
        rows_of_point: list[int] = []
        distinct: dict[str, DesignPoint] = {}
        for row in unit:
            factors = {i.path: value_at(i.dimension, float(u)) for i, u in zip(spec.inputs, row)}
            key = json.dumps(factors, sort_keys=True)
            if key not in distinct:
                distinct[key] = DesignPoint(len(distinct), factors)
            rows_of_point.append(distinct[key].index)
        points = list(distinct.values())
        scenarios = {p.index: _overridden(prepared.base, p.factors, f"sample point {p.index} ({p.label})")
                     for p in points}
        for p in points:
            scenario_from_data(scenarios[p.index], f"{prepared.source}: sample point {p.index} ({p.label})")
        rows = run_points(executor, scenarios, prepared.source, prepared.seed,
                          {p.index: range(spec.replications) for p in points})
        if keep is not None:
            keep(points, rows)
        taken = np.array(rows_of_point)
        return {o: np.array([[r.get(o, math.nan) for _, r in rows[p.index]] for p in points])[taken]
                for o in spec.outcomes}

    return evaluate


def sensitivity(prepared: Prepared, executor: Executor,
                keep: Optional[Callable[[list[DesignPoint], dict[int, Rows]], None]] = None) -> list[Indices]:
    spec = prepared.spec
    names = [i.path for i in spec.inputs]
    return analyse(names, spec.method, spec.samples, spec.levels, prepared.seed, spec.bootstrap, spec.confidence,
                   scenario_evaluator(prepared, executor, keep))
