"""From a sweep file to a checked plan: every design point, its scenario, its seed.

Before any worker starts, every design point's scenario is built and
validated, and one replication of the first point is run to learn the
outcome columns. A typo in a path, an empty range or a policy name that does
not exist fails here, all problems in one message, not an hour into a run.

``hotline run --replications N`` is the same machinery with one design point
and no factors, so replications and sweeps share the executor, the store and
the statistics.

The plan's *fingerprint* hashes the sweep's name and everything that decides
the rows (base scenario content, fixed settings, seed, replications, design
points, code version); a ``--resume`` into a database with another fingerprint is
refused, so one sweep never mixes its rows with another's.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Optional, Sequence

import yaml

from sim import __version__
from sim.experiment.design import DesignPoint, Range, full_grid, latin_hypercube
from sim.experiment.sweep_spec import LatinHypercube, SweepError, SweepSpec, parse_sweep
from sim.model.world import run_replication
from sim.scenario.loader import ScenarioError, apply_overrides, read_scenario_data, scenario_from_data

MAX_MESSAGES = 12  # a typo in a factor path fails every point alike


def override(path: str, value: Any) -> str:
    """A factor value as a ``--set`` override (JSON is valid YAML flow)."""
    return f"{path}={json.dumps(value)}"


@dataclass(frozen=True)
class SweepPlan:
    kind: str                      # "sweep" or "replications"
    name: str
    definition: dict[str, Any]     # the resolved sweep definition, as stored in the manifest
    base: dict[str, Any]           # base scenario data, fixed settings applied
    source: str                    # where the base scenario came from
    seed: int
    replications: int
    factors: tuple[str, ...]
    points: tuple[DesignPoint, ...]
    baseline: Optional[int]
    outcomes: tuple[str, ...]      # outcome columns, learnt from a probe replication
    scenarios: dict[int, dict[str, Any]] = field(repr=False, compare=False, default_factory=dict)

    @property
    def fingerprint(self) -> str:
        decisive = {"name": self.name, "base": self.base, "seed": self.seed, "replications": self.replications,
                    "factors": self.factors, "points": [p.factors for p in self.points],
                    "code_version": __version__}
        return hashlib.sha256(json.dumps(decisive, sort_keys=True).encode()).hexdigest()

    def manifest(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "definition": self.definition,
                "base_scenario": self.base, "base_source": self.source, "seed": self.seed,
                "replications": self.replications, "factors": list(self.factors),
                "baseline": self.baseline, "code_version": __version__, "fingerprint": self.fingerprint}


def read_yaml(path: Path, what: str) -> Any:
    try:
        return yaml.safe_load(path.read_text())
    except OSError as error:
        raise SweepError([f"{path}: cannot read the {what}: {error.strerror or error}"]) from None
    except yaml.YAMLError as error:
        raise SweepError([f"{path}: not valid YAML: {error}"]) from None


def plan_sweep(path: Path) -> SweepPlan:
    """Read, validate and expand a sweep file."""
    return plan_spec(parse_sweep(read_yaml(path, "sweep file"), str(path)), path)


def plan_spec(spec: SweepSpec, path: Path) -> SweepPlan:
    """Expand and check a validated sweep whose file (real or stated) is ``path``: its base is relative to it."""
    base_path = (path.parent / spec.base).resolve()
    base = _with_overrides(read_scenario_data(base_path), [override(p, v) for p, v in spec.set.items()],
                           f"{path}: set")
    points, baseline = _design(spec)
    seed = spec.seed if spec.seed is not None else scenario_from_data(base, str(base_path)).seed
    definition = {**spec.model_dump(mode="json"), "seed": seed}
    plan = SweepPlan("sweep", spec.name, definition, base, str(base_path), seed, spec.replications,
                     tuple(f.path for f in spec.factors), tuple(points), baseline, ())
    return _checked(plan, spec.outcomes + [p.outcome for p in spec.plots], str(path))


def plan_replications(source: str, data: Any, overrides: Sequence[str], seed: int,
                      replications: int) -> SweepPlan:
    """``replications`` of one scenario: a sweep of one point and no factors."""
    base = _with_overrides(data, overrides, source)
    name = scenario_from_data(base, source).name
    definition = {"scenario": source, "overrides": list(overrides), "seed": seed, "replications": replications}
    plan = SweepPlan("replications", name, definition, base, source, seed, replications, (),
                     (DesignPoint(0, {}),), 0, ())
    return _checked(plan, [], source)


def _design(spec: SweepSpec) -> tuple[list[DesignPoint], Optional[int]]:
    """The design points, and the index of the baseline among them."""
    if isinstance(spec.design, LatinHypercube):
        dims = {f.path: (Range(*f.range, integer=f.integer) if f.range else f.values) for f in spec.factors}
        combos = latin_hypercube(dims, spec.design.points, spec.design.seed)  # type: ignore[arg-type]
        if spec.baseline is None:
            return [DesignPoint(i, c) for i, c in enumerate(combos)], None
        combos.insert(0, {f.path: spec.baseline[f.path] for f in spec.factors})  # the reference joins, first
        return [DesignPoint(i, c) for i, c in enumerate(combos)], 0
    combos = full_grid(spec.levels())
    wanted = spec.baseline if spec.baseline is not None else combos[0]
    matches = [i for i, c in enumerate(combos) if all(c[p] == wanted[p] for p in c)]
    if not matches:
        raise SweepError([f"{spec.name}: baseline {wanted} is not a point of the grid"])
    return [DesignPoint(i, c) for i, c in enumerate(combos)], matches[0]


def _checked(plan: SweepPlan, wanted_outcomes: list[str], source: str) -> SweepPlan:
    """Validate every point's scenario, then run one replication to learn the outcome columns."""
    messages = _factor_problems(plan, source)
    scenarios: dict[int, dict[str, Any]] = {}
    for point in plan.points if not messages else ():
        where = f"{source}: point {point.index} ({point.label})"
        try:
            scenarios[point.index] = _with_overrides(plan.base, [override(p, v) for p, v in point.factors.items()],
                                                     where)
            scenario_from_data(scenarios[point.index], where)
        except ScenarioError as error:
            messages += error.messages
    if messages:
        more = [f"... and {len(messages) - MAX_MESSAGES} more"] if len(messages) > MAX_MESSAGES else []
        raise SweepError(messages[:MAX_MESSAGES] + more)
    first = scenario_from_data(scenarios[plan.points[0].index], source)
    outcomes = tuple(run_replication(first, plan.seed, 0).outcomes)
    unknown = sorted({o for o in wanted_outcomes if o not in outcomes})
    if unknown:
        raise SweepError([f"{source}: unknown outcome {o!r}; the scenario gives {', '.join(outcomes)}"
                          for o in unknown])
    return replace(plan, outcomes=outcomes, scenarios=scenarios)


def _factor_problems(plan: SweepPlan, source: str) -> list[str]:
    """Each factor value alone on the base: a bad path is reported once, a bad value per value."""
    messages: list[str] = []
    for path in plan.factors:
        failures: list[list[str]] = []
        values = list({json.dumps(p.factors[path], sort_keys=True): p.factors[path] for p in plan.points}.values())
        for value in values:
            where = f"{source}: factor {override(path, value)}"
            try:
                scenario_from_data(_with_overrides(plan.base, [override(path, value)], where), where)
            except ScenarioError as error:
                failures.append(error.messages)
        every_value = len(failures) == len(values)
        messages += failures[0] if every_value else [m for f in failures for m in f]
    return messages


def _with_overrides(data: Any, overrides: Sequence[str], where: str) -> dict[str, Any]:
    """A copy of ``data`` with the overrides set; a path that cannot be set is reported at ``where``."""
    if not isinstance(data, dict):
        raise SweepError([f"{where}: a scenario must be a mapping of sections"])
    try:
        return apply_overrides(data, overrides)
    except ScenarioError as error:
        prefixes = [f"--set {o}: " for o in overrides]
        raise SweepError([f"{where}: " + next((m.removeprefix(p) for p in prefixes if m.startswith(p)), m)
                          for m in error.messages]) from None
