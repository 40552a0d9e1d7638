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
for whole numbers) or ``values`` to choose among. The file is read by the
scenario loader (same YAML, same ``file:line: key: expected ..., got ...``
messages and did-you-mean hints); every mistake is reported once, at its
line, before anything runs. Whether a path and value make a valid scenario
is checked when the plan is built (``sim.experiment.plan``), and reported at
the line of the factor value.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal, Optional, Union

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from sim.scenario.errors import Problem
from sim.scenario.loader import JSON_SCHEMA_DIALECT, ScenarioError, located, read_document, validate
from sim.scenario.yaml_lines import Document, KeyPath

_PATH = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(\.([A-Za-z_][A-Za-z0-9_]*|\d+))*$")
_PLOT_HELP = "Factor named by dotted path, as in factors."


class SweepError(ScenarioError):
    """A sweep file, results folder or executor that cannot be used as asked (exit status 2)."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, allow_inf_nan=False)


def _finite(value: Any) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    if isinstance(value, dict):
        return all(_finite(v) for v in value.values())
    if isinstance(value, list):
        return all(_finite(v) for v in value)
    return True


class Factor(_Strict):
    """One scenario value varied by the sweep."""

    path: str = Field(description="Dotted path of the scenario value to vary, as for --set: desk.pocs.count.")
    values: Optional[list[Any]] = Field(default=None, min_length=1,
                                        description="The values to run (numbers, names or distributions).")
    range: Optional[tuple[float, float]] = Field(
        default=None, description="[low, high]: a grid takes count evenly spaced values, ends included; "
                                  "a Latin hypercube samples the whole range.")
    count: Optional[int] = Field(default=None, ge=2, description="How many evenly spaced values of range a grid runs.")
    integer: bool = Field(default=False, description="The range holds whole numbers only (a number of POCs).")
    label: Optional[str] = Field(default=None, description="How tables and figures name the factor.")

    @field_validator("path")
    @classmethod
    def _dotted(cls, path: str) -> str:
        if not _PATH.match(path):
            raise ValueError(f"{path!r} is not a dotted scenario path such as desk.pocs.count")
        return path

    @field_validator("values")
    @classmethod
    def _finite_values(cls, values: Optional[list[Any]]) -> Optional[list[Any]]:
        if values is not None and not _finite(values):
            raise ValueError("expected finite values, got NaN or infinity")
        return values

    @model_validator(mode="after")
    def _one_kind(self) -> "Factor":
        if (self.values is None) == (self.range is None):
            raise ValueError("give either values or range")
        if self.range is not None:
            low, high = self.range
            if not low < high:
                raise ValueError(f"range [{low:g}, {high:g}] is empty (low must be below high)")
            if self.integer and not (low.is_integer() and high.is_integer()):
                raise ValueError("an integer range needs whole-number ends")
            if self.integer and self.count is not None and self.count > high - low + 1:
                raise ValueError(f"{self.count} whole numbers do not fit in [{low:g}, {high:g}]")
        elif self.count is not None or self.integer:
            raise ValueError("count and integer go with a range, not with values")
        if self.values is not None and len({repr(v) for v in self.values}) < len(self.values):
            raise ValueError("values repeat")
        return self


class Grid(_Strict):
    """Every combination of the factors' values, first factor slowest."""

    kind: Literal["grid"] = Field(description="A full grid.")


class LatinHypercube(_Strict):
    """points samples, each factor's range cut into points strata used once each."""

    kind: Literal["latin_hypercube"] = Field(description="A Latin hypercube sample.")
    points: int = Field(ge=2, description="How many design points to sample.")
    seed: int = Field(default=0, ge=0, description="Seed of the sample (not of the model's streams).")


class _Plot(_Strict):
    name: Optional[str] = Field(default=None, pattern=r"^[A-Za-z0-9_.-]+$",
                                description="File name of the figure (default: from kind and outcome).")
    where: dict[str, Any] = Field(default_factory=dict,
                                  description="Factors held at one of their values: {factor path: value}.")
    panels: Optional[str] = Field(default=None, description="A factor with one panel per value. " + _PLOT_HELP)
    headline: bool = Field(default=False, description="hotline study copies this figure into results/studies/.")


class LinePlot(_Plot):
    """Outcome against one factor with CI bands, one line per value of another."""

    kind: Literal["line"] = Field(description="Outcome against a factor, with 95% confidence bands.")
    outcome: str = Field(description="Outcome to plot, e.g. killed_due_to_delay.")
    x: str = Field(description="Factor on the horizontal axis. " + _PLOT_HELP)
    lines: Optional[str] = Field(default=None, description="A factor with one line per value. " + _PLOT_HELP)


class HeatmapPlot(_Plot):
    """Outcome over two factors."""

    kind: Literal["heatmap"] = Field(description="Outcome over two factors.")
    outcome: str = Field(description="Outcome to plot, e.g. notice_caught.")
    x: str = Field(description="Factor across. " + _PLOT_HELP)
    y: str = Field(description="Factor up. " + _PLOT_HELP)


class CdfPlot(_Plot):
    """Distribution of an outcome, one curve per design point (per value of ``lines``)."""

    kind: Literal["cdf"] = Field(description="Distribution of an outcome over the replications.")
    outcome: str = Field(default="time_to_message", description="Outcome whose distribution is drawn.")
    lines: Optional[str] = Field(default=None, description="A factor with one curve per value. " + _PLOT_HELP)
    mark: Optional[float] = Field(default=None, description="A vertical mark, e.g. 27 for the 2016 wait.")


class TornadoPlot(_Plot):
    """Each factor's effect on an outcome over its range (Latin hypercube designs)."""

    kind: Literal["tornado"] = Field(description="Each factor's effect over its range (Latin hypercube).")
    outcome: str = Field(description="Outcome whose sensitivity is ranked.")


Plot = Annotated[Union[LinePlot, HeatmapPlot, CdfPlot, TornadoPlot], Field(discriminator="kind")]


class SweepSpec(_Strict):
    """A sweep file: one base scenario run under many what-ifs."""

    WHOLE: ClassVar[str] = "a sweep must be a mapping (name, base, factors, ...)"

    name: str = Field(min_length=1, description="Name of the sweep; results go to results/sweeps/<name>-NNN/.")
    description: str = Field(default="", description="One line saying what the sweep asks.")
    base: str = Field(min_length=1, description="Base scenario: a file relative to this one, or a shipped "
                                                "scenario's name (deir_ez_zor_2016_stochastic).")
    set: dict[str, Any] = Field(default_factory=dict,
                                description="Values fixed for every point, by dotted path, as --set does.")
    seed: Optional[int] = Field(default=None, ge=0, description="Root seed (default: the base scenario's).")
    replications: int = Field(ge=2, description="Replications per design point; raise it and --resume to "
                                                "tighten the intervals of a finished sweep.")
    factors: list[Factor] = Field(min_length=1, description="The scenario values the sweep varies.")
    design: Annotated[Union[Grid, LatinHypercube], Field(discriminator="kind")] = Field(
        default=Grid(kind="grid"), description="{kind: grid} (default) or {kind: latin_hypercube, points: N}.")
    baseline: Optional[dict[str, Any]] = Field(
        default=None, description="The reference point, a value for every factor; effects are paired against it "
                                  "(default: the grid's first point).")
    outcomes: list[str] = Field(default_factory=list, description="Outcomes for the summary table and default plots.")
    plots: list[Plot] = Field(default_factory=list, description="Figures to draw (default: chosen from the design).")

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


def load_sweep(path: Path) -> tuple[SweepSpec, Document]:
    """Read and check a sweep file with the scenario loader; every problem at its line."""
    document = read_document(path, "a sweep", "a mapping with name, base, factors, replications, ...")
    spec: SweepSpec = validate(SweepSpec, document, str(path))
    found = coherence_problems(spec)
    if found:
        raise SweepError(located(found, document, str(path)).messages)
    return spec, document


def coherence_problems(spec: SweepSpec) -> list[Problem]:
    """What each part is fine alone but wrong together: a repeated factor, a plot of a non-factor."""
    problems: list[Problem] = []

    def add(path: KeyPath, message: str) -> None:
        problems.append(Problem(path, path, message))

    paths = [f.path for f in spec.factors]
    grid = isinstance(spec.design, Grid)
    for i, f in enumerate(spec.factors):
        if f.path in paths[:i]:
            add(("factors", i, "path"), f"factor {f.path} is listed twice")
        if grid and f.range is not None and f.count is None:
            add(("factors", i), "a grid needs values, or a range with a count")
        if not grid and f.count is not None:
            add(("factors", i, "count"), "count has no meaning in a Latin hypercube")
    if spec.baseline is not None:
        for given in spec.baseline:
            if given not in paths:
                add(("baseline", given), f"{given} is not a factor")
        for p in paths:
            if p not in spec.baseline:
                add(("baseline",), f"give a value for factor {p}")
    levels = spec.levels() if grid and not problems else {}
    for i, plot in enumerate(spec.plots):
        for key, message in _plot_problems(plot, paths, levels):
            add(("plots", i, *key), message)
    return problems


def _plot_problems(plot: Any, paths: list[str], levels: dict[str, list[Any]]) -> list[tuple[KeyPath, str]]:
    """``levels`` is empty for a Latin hypercube."""
    named = {a: getattr(plot, a) for a in ("x", "y", "lines", "panels") if getattr(plot, a, None)}
    problems: list[tuple[KeyPath, str]] = [((a,), f"{p} is not a factor") for a, p in named.items() if p not in paths]
    problems += [(("where", p), f"{p} is not a factor") for p in plot.where if p not in paths]
    if len(set(named.values())) < len(named):
        problems.append(((), "a factor is used twice"))
    if isinstance(plot, (LinePlot, HeatmapPlot)) and not levels:
        problems.append((("kind",), f"a {plot.kind} plot needs a grid design"))
    if isinstance(plot, TornadoPlot) and levels:
        problems.append((("kind",), "a tornado plot needs a latin_hypercube design"))
    if problems or not levels:
        return problems
    for path, value in plot.where.items():
        if value not in levels[path]:
            problems.append((("where", path), f"{path}={value!r} is not one of its values {levels[path]}"))
    if not isinstance(plot, CdfPlot):
        problems += [((), f"factor {path} varies: name it as x, {'y' if plot.kind == 'heatmap' else 'lines'} "
                          "or panels, or fix it with where") for path, values in levels.items()
                     if len(values) > 1 and path not in named.values() and path not in plot.where]
    return problems


def sweep_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of sweep files, for editors and ``hotline schema --sweep``."""
    schema = SweepSpec.model_json_schema(mode="validation")
    schema.pop("title", None)
    return {"$schema": JSON_SCHEMA_DIALECT, "title": "hotline-sim sweep",
            "description": "Design points x replications of one base scenario; see sim/scenario/sweep_spec.py.",
            **schema}
