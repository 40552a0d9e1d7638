"""From a sweep file to a checked plan: every design point, its scenario, its seed.

Before any worker starts, every design point's scenario is built and
validated, and one replication of the first point is run to learn the
outcome columns. A typo in a path, an empty range or a policy name that does
not exist fails here, all problems in one message, not an hour into a run.

``hotline run --replications N`` is the same machinery with one design point
and no factors, so replications and sweeps share the executor, the store and
the statistics.

The plan's *fingerprint* hashes the sweep's name and everything that decides
the rows (base scenario content, fixed settings, seed, design points, code
version); a ``--resume`` into a database with another fingerprint is refused,
so one sweep never mixes its rows with another's. The number of replications
is left out on purpose: replication ``k`` of a point is the same whatever the
total, so a finished sweep can be extended with more replications per point.
"""

from __future__ import annotations

import difflib
import hashlib
import math
import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Optional, Sequence

from sim import __version__
from sim.model.world import run_replication
from sim.scenario.design import DesignPoint, Range, full_grid, latin_hypercube
from sim.scenario.limits import DEFAULT, Limits, too_many
from sim.scenario.loader import ScenarioError, apply_overrides, read_scenario_data, scenario_from_data
from sim.scenario.shipped import resolve
from sim.scenario.sweep_spec import LatinHypercube, SweepError, SweepSpec, load_sweep
from sim.scenario.yaml_lines import Document, KeyPath

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
        decisive = {"name": self.name, "base": self.base, "seed": self.seed,
                    "factors": self.factors, "points": [p.factors for p in self.points],
                    "code_version": __version__}
        return hashlib.sha256(json.dumps(decisive, sort_keys=True).encode()).hexdigest()

    def manifest(self) -> dict[str, Any]:
        return {"kind": self.kind, "name": self.name, "definition": self.definition,
                "base_scenario": self.base, "base_source": self.source, "seed": self.seed,
                "replications": self.replications, "factors": list(self.factors),
                "baseline": self.baseline, "code_version": __version__, "fingerprint": self.fingerprint}


def plan_sweep(path: Path, limits: Limits = DEFAULT) -> SweepPlan:
    """Read, validate and expand a sweep file; its sizes within ``limits``."""
    spec, document = load_sweep(path)
    return plan_spec(spec, path, limits, document)


def plan_spec(spec: SweepSpec, path: Path, limits: Limits = DEFAULT,
              document: Optional[Document] = None) -> SweepPlan:
    """Expand and check a validated sweep whose file (real, or stated by a staffing file) is ``path``.

    Its base is relative to ``path``; with the ``document`` it was read from, problems name their lines.
    """
    document = document or Document(None)
    base_path = resolve(spec.base, path.parent).resolve()
    if not base_path.is_file():
        raise SweepError(f"{_at(path, document, ('base',), 'base')}: expected a scenario file (relative to "
                         f"the sweep file) or a shipped scenario's name, got {spec.base}: no such file")
    base = read_scenario_data(base_path)
    messages = [m for key, value in spec.set.items()
                for m in _value_problems(base, key, value, _at(path, document, ("set", key), f"set {key}"), limits)]
    if messages:
        raise SweepError(messages)
    base = _with_overrides(base, [override(p, v) for p, v in spec.set.items()], f"{path}: set")
    _check_sizes(spec, path, document, limits)
    points, baseline = _design(spec, _at(path, document, ("baseline",), "baseline"))
    seed = spec.seed if spec.seed is not None else scenario_from_data(base, str(base_path)).seed
    definition = {**spec.model_dump(mode="json"), "seed": seed}
    plan = SweepPlan("sweep", spec.name, definition, base, str(base_path), seed, spec.replications,
                     tuple(f.path for f in spec.factors), tuple(points), baseline, ())
    wanted = {**{_at(path, document, ("outcomes", i), f"outcomes[{i}]"): o for i, o in enumerate(spec.outcomes)},
              **{_at(path, document, ("plots", i, "outcome"), f"plots[{i}].outcome"): p.outcome
                 for i, p in enumerate(spec.plots)}}
    return _checked(plan, wanted, str(path), _factor_problems(spec, base, path, document, limits), limits)


def plan_replications(source: str, data: Any, overrides: Sequence[str], seed: int,
                      replications: int, limits: Limits = DEFAULT) -> SweepPlan:
    """``replications`` of one scenario: a sweep of one point and no factors."""
    base = _with_overrides(data, overrides, source)
    name = scenario_from_data(base, source).name
    definition = {"scenario": source, "overrides": list(overrides), "seed": seed, "replications": replications}
    plan = SweepPlan("replications", name, definition, base, source, seed, replications, (),
                     (DesignPoint(0, {}),), 0, ())
    if replications > limits.replications:
        raise SweepError(f"--replications: {too_many('replications', limits.replications)}, got {replications}")
    return _checked(plan, {}, source, [], limits)


def _design(spec: SweepSpec, where: str = "baseline") -> tuple[list[DesignPoint], Optional[int]]:
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
        shown = ", ".join(f"{p}={v}" for p, v in wanted.items())
        raise SweepError([f"{where}: {shown} is not a point of the grid"])
    return [DesignPoint(i, c) for i, c in enumerate(combos)], matches[0]


def _checked(plan: SweepPlan, wanted: dict[str, str], source: str, messages: list[str], limits: Limits) -> SweepPlan:
    """Validate every point's scenario, then run one replication to learn the outcome columns.

    ``wanted`` maps where an outcome was named (``file:line: outcomes[0]``) to the name."""
    scenarios: dict[int, dict[str, Any]] = {}
    for point in plan.points if not messages else ():
        where = f"{source}: point {point.index} ({point.label})"
        try:
            scenarios[point.index] = _with_overrides(plan.base, [override(p, v) for p, v in point.factors.items()],
                                                     where)
            scenario_from_data(scenarios[point.index], where, limits)
        except ScenarioError as error:
            messages += error.messages
    if messages:
        more = [f"... and {len(messages) - MAX_MESSAGES} more"] if len(messages) > MAX_MESSAGES else []
        raise SweepError(messages[:MAX_MESSAGES] + more)
    first = scenario_from_data(scenarios[plan.points[0].index], source)
    outcomes = tuple(run_replication(first, plan.seed, 0).outcomes)
    unknown = [f"{where}: unknown outcome {name!r}{_did_you_mean(name, outcomes)}; `hotline list --outcomes` "
               "names them all" for where, name in wanted.items() if name not in outcomes]
    if unknown:
        raise SweepError(unknown)
    return replace(plan, outcomes=outcomes, scenarios=scenarios)


def _check_sizes(spec: SweepSpec, path: Path, document: Document, limits: Limits) -> None:
    """Design points and replications within ``limits``, before any point is built."""
    problems = []
    if spec.replications > limits.replications:
        problems.append(f"{_at(path, document, ('replications',), 'replications')}: "
                        f"{too_many('replications per point', limits.replications)}, got {spec.replications}")
    key: KeyPath = ("design", "points") if isinstance(spec.design, LatinHypercube) else ("factors",)
    count = spec.design.points if isinstance(spec.design, LatinHypercube) else \
        math.prod(len(f.values) if f.values is not None else f.count or 2 for f in spec.factors)
    if count > limits.design_points:
        problems.append(f"{_at(path, document, key, 'design')}: "
                        f"{too_many('design points', limits.design_points)}, got {count:,}")
    if problems:
        raise SweepError(problems)


def _did_you_mean(name: str, names: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, names, n=2, cutoff=0.6)
    return f"; did you mean {' or '.join(map(repr, close))}?" if close else ""


def _factor_problems(spec: SweepSpec, base: dict[str, Any], path: Path, document: Document,
                     limits: Limits) -> list[str]:
    """Each factor value alone on the base, reported at the line it was written on.

    A path that fails alike for every value is one mistake, reported once at
    the path; a range is reported once, at the range, by its first bad value.
    """
    messages: list[str] = []
    for i, factor in enumerate(spec.factors):
        values = list(factor.values) if factor.values is not None else list(_range_values(spec, factor.path))
        failures: list[list[str]] = []
        for j, value in enumerate(values):
            key = ("factors", i, "values", j) if factor.values is not None else ("factors", i, "range")
            failures.append(_value_problems(base, factor.path, value, _at(path, document, key,
                                                                            f"factor {override(factor.path, value)}"),
                                            limits))
        bad = [f for f in failures if f]
        if len(values) > 1 and len(bad) == len(values) and len({tuple(m.split(": ", 2)[-1] for m in f)
                                                                for f in bad}) == 1:
            where = _at(path, document, ("factors", i, "path"), f"factor {factor.path}")
            messages += [f"{where}: {m.split(': ', 2)[-1]}" for m in bad[0]]
        elif factor.values is None:
            messages += bad[0] if bad else []
        else:
            messages += [m for f in bad for m in f]
    return messages


def _range_values(spec: SweepSpec, path: str) -> list[Any]:
    """The values a range factor takes: the grid's levels, or the design's sampled values."""
    if isinstance(spec.design, LatinHypercube):
        values: list[Any] = []
        for point in _design(spec)[0]:  # not a dict or set: a baseline may set a value that cannot be hashed
            if point.factors[path] not in values:
                values.append(point.factors[path])
        return values
    return spec.levels()[path]


def _at(path: Path, document: Document, key: KeyPath, what: str) -> str:
    line = next((document.lines[key[:n]] for n in range(len(key), 0, -1) if key[:n] in document.lines), None)
    return f"{path}:{line}: {what}" if line is not None else f"{path}: {what}"


def _value_problems(base: dict[str, Any], path: str, value: Any, where: str, limits: Limits) -> list[str]:
    """Messages, each starting with ``where``, if ``path=value`` set on ``base`` is no valid scenario."""
    try:
        scenario_from_data(_with_overrides(base, [override(path, value)], where), where, limits)
    except ScenarioError as error:
        return error.messages
    return []


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
