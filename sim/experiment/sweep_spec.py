"""The sweep file: which scenario, which factors, which design, how many replications.

A sweep answers "what does each choice cost or save?" by running one base
scenario under many what-ifs. The file names the base scenario and each
factor by its dotted path in the scenario, exactly as ``--set`` does::

    name: staffing
    base: ../deir_ez_zor_2016_stochastic.yaml   # relative to this file
    set: {language.misunderstanding_probability: 0.2}   # optional: fixed for every point
    replications: 200                           # per design point
    factors:
      - {path: desk.pocs.count, values: [1, 2, 3]}
      - {path: caller.policy, values: [wait_for_poc, pass_to_duty_officer]}
    design: {kind: grid}                        # or latin_hypercube
    baseline: {desk.pocs.count: 1, caller.policy: wait_for_poc}
    plots:
      - {kind: line, outcome: killed_due_to_delay, x: desk.pocs.count, lines: caller.policy}

A grid factor lists ``values`` (or a ``range`` with a ``count`` of evenly
spaced values); a Latin hypercube factor gives a ``range`` (``integer: true``
for whole numbers) or ``values`` to choose among. Every mistake is reported
at once, with where it is, before anything runs; whether a path and value
make a valid scenario is checked when the plan is built
(``sim.experiment.plan``).
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from sim.scenario.loader import ScenarioError

_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.([A-Za-z_][A-Za-z0-9_]*|\d+))*$")


class SweepError(ScenarioError):
    """A sweep file, results folder or executor that cannot be used as asked (exit status 2)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Factor(_Strict):
    """One scenario value varied by the sweep."""

    path: str
    values: Optional[list[Any]] = Field(default=None, min_length=1)
    range: Optional[tuple[float, float]] = None
    count: Optional[int] = Field(default=None, ge=2)
    integer: bool = False
    label: Optional[str] = None

    @field_validator("path")
    @classmethod
    def _dotted(cls, path: str) -> str:
        if not _PATH.match(path):
            raise ValueError(f"{path!r} is not a dotted scenario path such as desk.pocs.count")
        return path

    @model_validator(mode="after")
    def _one_kind(self) -> "Factor":
        if (self.values is None) == (self.range is None):
            raise ValueError(f"factor {self.path}: give either values or range")
        if self.range is not None:
            low, high = self.range
            if not low < high:
                raise ValueError(f"factor {self.path}: range [{low:g}, {high:g}] is empty (low must be below high)")
            if self.integer and not (low.is_integer() and high.is_integer()):
                raise ValueError(f"factor {self.path}: an integer range needs whole-number ends")
            if self.integer and self.count is not None and self.count > high - low + 1:
                raise ValueError(f"factor {self.path}: {self.count} whole numbers do not fit in [{low:g}, {high:g}]")
        elif self.count is not None or self.integer:
            raise ValueError(f"factor {self.path}: count and integer go with a range, not with values")
        if self.values is not None and len({repr(v) for v in self.values}) < len(self.values):
            raise ValueError(f"factor {self.path}: values repeat")
        return self


class Grid(_Strict):
    kind: Literal["grid"]


class LatinHypercube(_Strict):
    kind: Literal["latin_hypercube"]
    points: int = Field(ge=2)
    seed: int = Field(default=0, ge=0)


class _Plot(_Strict):
    name: Optional[str] = Field(default=None, pattern=r"^[A-Za-z0-9_.-]+$")
    where: dict[str, Any] = Field(default_factory=dict)
    panels: Optional[str] = None
    headline: bool = False  # copied into results/studies/ by ``hotline study``


class LinePlot(_Plot):
    """Outcome against one factor with CI bands, one line per value of another."""

    kind: Literal["line"]
    outcome: str
    x: str
    lines: Optional[str] = None


class HeatmapPlot(_Plot):
    """Outcome over two factors."""

    kind: Literal["heatmap"]
    outcome: str
    x: str
    y: str


class CdfPlot(_Plot):
    """Distribution of an outcome, one curve per design point (per value of ``lines``)."""

    kind: Literal["cdf"]
    outcome: str = "time_to_message"
    lines: Optional[str] = None
    mark: Optional[float] = None


class TornadoPlot(_Plot):
    """Each factor's effect on an outcome over its range (Latin hypercube designs)."""

    kind: Literal["tornado"]
    outcome: str


Plot = Annotated[Union[LinePlot, HeatmapPlot, CdfPlot, TornadoPlot], Field(discriminator="kind")]


class SweepSpec(_Strict):
    name: str = Field(min_length=1)
    description: str = ""
    base: str = Field(min_length=1)
    set: dict[str, Any] = Field(default_factory=dict)
    seed: Optional[int] = Field(default=None, ge=0)
    replications: int = Field(ge=2)
    factors: list[Factor] = Field(min_length=1)
    design: Annotated[Union[Grid, LatinHypercube], Field(discriminator="kind")] = Grid(kind="grid")
    baseline: Optional[dict[str, Any]] = None
    outcomes: list[str] = Field(default_factory=list)
    plots: list[Plot] = Field(default_factory=list)

    @model_validator(mode="after")
    def _coherent(self) -> "SweepSpec":
        paths = [f.path for f in self.factors]
        problems = [f"factor {p} is listed twice" for p in sorted({p for p in paths if paths.count(p) > 1})]
        grid = isinstance(self.design, Grid)
        for f in self.factors:
            if grid and f.range is not None and f.count is None:
                problems.append(f"factor {f.path}: a grid needs values, or a range with a count")
            if not grid and f.count is not None:
                problems.append(f"factor {f.path}: count has no meaning in a Latin hypercube")
        if self.baseline is not None:
            unknown = sorted(set(self.baseline) - set(paths))
            missing = [p for p in paths if p not in self.baseline]
            problems += [f"baseline: {p} is not a factor" for p in unknown]
            problems += [f"baseline: give a value for factor {p}" for p in missing]
        levels = self.levels() if grid and not problems else {}
        for i, plot in enumerate(self.plots):
            problems += [f"plots.{i}: {m}" for m in _plot_problems(plot, paths, levels)]
        if problems:
            raise ValueError("; ".join(problems))
        return self

    def levels(self) -> dict[str, list[Any]]:
        """Grid values per factor, ranges with a count spread evenly, ends included."""
        out: dict[str, list[Any]] = {}
        for f in self.factors:
            if f.values is not None:
                out[f.path] = list(f.values)
            else:
                low, high = f.range  # type: ignore[misc]
                n = f.count or 2
                values = [low + (high - low) * i / (n - 1) for i in range(n)]
                out[f.path] = [round(v) if f.integer else round(v, 6) for v in values]
        return out


def _plot_problems(plot: Any, paths: list[str], levels: dict[str, list[Any]]) -> list[str]:
    """``levels`` is empty for a Latin hypercube."""
    named = [getattr(plot, a) for a in ("x", "y", "lines", "panels") if getattr(plot, a, None)]
    problems = [f"{p} is not a factor" for p in named + list(plot.where) if p not in paths]
    if len(set(named)) < len(named):
        problems.append("a factor is used twice")
    if isinstance(plot, (LinePlot, HeatmapPlot)) and not levels:
        problems.append(f"a {plot.kind} plot needs a grid design")
    if isinstance(plot, TornadoPlot) and levels:
        problems.append("a tornado plot needs a latin_hypercube design")
    if problems or not levels:
        return problems
    for path, value in plot.where.items():
        if value not in levels[path]:
            problems.append(f"where: {path}={value!r} is not one of its values {levels[path]}")
    if not isinstance(plot, CdfPlot):
        problems += [f"factor {path} varies: name it as x, {'y' if plot.kind == 'heatmap' else 'lines'} "
                     "or panels, or fix it with where" for path, values in levels.items()
                     if len(values) > 1 and path not in named and path not in plot.where]
    return problems


def parse_sweep(data: Any, source: str) -> SweepSpec:
    """Validate a parsed sweep file; every problem in one SweepError."""
    try:
        return SweepSpec.model_validate(data)
    except ValidationError as error:
        raise SweepError([f"{source}: {_where(e['loc'])}{_message(e)}" for e in error.errors()]) from None


def _where(loc: tuple[Any, ...]) -> str:
    parts = [str(p) for p in loc if p not in ("grid", "latin_hypercube", "line", "heatmap", "cdf", "tornado")]
    return ".".join(parts) + ": " if parts else ""


def _message(error: Any) -> str:
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        return "unknown key"
    if error["type"] == "missing":
        return "required"
    if error["type"] not in ("value_error",) and "input" in error and not isinstance(error["input"], dict):
        return f"{message} (got {error['input']!r})"
    return message
