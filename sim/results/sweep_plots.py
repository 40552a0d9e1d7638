"""Figures of a results database, each one able to stand alone in a report.

Four kinds, named in the sweep file's ``plots`` (``sim.scenario.sweep_spec``):

- ``line``: an outcome's mean against one factor, a 95% CI band around it,
  one line per value of a second factor, one panel per value of a third
  (killed due to delay against POCs, a line per caller policy);
- ``heatmap``: an outcome over two factors, each cell annotated with its mean
  and CI half-width (location error x check radius);
- ``cdf``: the distribution of an outcome per design point, with a mark (the
  sweep's ``mark``, or the base scenario's first ``report.late_after``
  threshold for the time to the message). Curves are fractions of *all*
  replications, and each ends in a step at "never" on the right: the share
  of replications in which the message never got through or nobody called
  is drawn, not hidden;
- ``tornado``: for a Latin hypercube, each factor's effect on an outcome: the
  point means in the top quarter of its range against the bottom quarter
  (a step shows at full height), largest on top, with the linear fit's
  slope beside it as a diamond (a straight line through a step misstates it).

Every figure is written as PNG (small, for READMEs) and SVG (for print).
"""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass
from numbers import Number
from pathlib import Path
from typing import Any, Callable, Iterator, Optional, Sequence

import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from PIL import Image

from sim.scenario.design import DesignPoint
from sim.scenario.sweep_spec import CdfPlot, HeatmapPlot, LinePlot, SweepSpec, TornadoPlot
from sim.results.labels import factor_label, is_probability, outcome_label
from sim.results.store import ResultStore
from sim.results.sweep_report import Statistic, statistic
from sim.run.statistics import Difference, Proportion, linear_effects, unpaired_difference
from sim.scenario.units import parse_duration

FORMATS = ("png", "svg")
STABLE_METADATA = {"png": {"Software": None}, "svg": {"Date": None}, "pdf": {"CreationDate": None}}
"""No dates or versions in the files: the same results draw the same bytes."""
DPI = 100
PANEL_W, PANEL_H = 4.4, 3.8
CELL_W = 0.62  # inches per heatmap column, room for "12.3 / ±0.45"


class Context:
    """What every drawing needs: the store, the spec, labels, points."""

    def __init__(self, store: ResultStore) -> None:
        self.store = store
        self.manifest = store.manifest()
        self.points = store.points()
        definition = self.manifest["definition"]
        self.spec: Optional[SweepSpec] = (SweepSpec.model_validate(definition)
                                          if self.manifest["kind"] == "sweep" else None)
        given = {f.path: f.label for f in self.spec.factors} if self.spec else {}
        self.labels = {p: factor_label(p, given.get(p)) for p in self.manifest["factors"]}
        self.title = self.manifest["name"]
        self.replications = self.manifest["replications"]

    def stat(self, outcome: str, point: DesignPoint) -> Statistic:
        return statistic(self.store.values(outcome, point.index), outcome)

    def select(self, where: dict[str, Any]) -> list[DesignPoint]:
        return [p for p in self.points if all(p.factors[f] == v for f, v in where.items())]


def _levels(points: Sequence[DesignPoint], factor: Optional[str]) -> list[Any]:
    """A factor's values among ``points``, in design order (``[None]`` for no factor)."""
    if factor is None:
        return [None]
    seen: list[Any] = []
    for p in points:
        if p.factors[factor] not in seen:
            seen.append(p.factors[factor])
    return seen


def _having(points: Sequence[DesignPoint], factor: Optional[str], value: Any) -> list[DesignPoint]:
    return [p for p in points if factor is None or p.factors[factor] == value]


def _estimate(stat: Statistic) -> tuple[float, float, float]:
    return (stat.p if isinstance(stat, Proportion) else stat.mean), stat.ci_low, stat.ci_high


def _panels(count: int, extra_width: float = 1.8, panel_width: float = PANEL_W) -> tuple[Figure, list[Axes]]:
    fig = Figure(figsize=(panel_width * count + extra_width, PANEL_H + 1.0), layout="constrained")
    return fig, list(fig.subplots(1, count, sharey=True, squeeze=False)[0])


def _headline(fig: Figure, what: str, how: str) -> None:
    """A title and a line saying how the figures were made, wrapped to the figure."""
    width = int(fig.get_figwidth() * 12)  # characters of 11 pt text per inch, with a margin
    fig.suptitle("\n".join([textwrap.fill(what, width), textwrap.fill(how, width)]), fontsize=11)


def _bare(label: str) -> str:
    """A label without its trailing unit, for titles: "location error (km)" -> "location error"."""
    return re.sub(r" \([^)]*\)$", "", label)


def _panel_title(ax: Axes, ctx: Context, factor: Optional[str], value: Any) -> None:
    if factor is not None:
        ax.set_title(f"{ctx.labels[factor]} = {value}", fontsize=10)


def draw_line(ctx: Context, plot: LinePlot) -> Figure:
    chosen = ctx.select(plot.where)
    xs = _levels(chosen, plot.x)
    numeric = all(isinstance(x, Number) for x in xs)
    panels = _levels(chosen, plot.panels)
    fig, axes = _panels(len(panels))
    for ax, panel in zip(axes, panels):
        in_panel = _having(chosen, plot.panels, panel)
        for line in _levels(in_panel, plot.lines):
            pts = sorted(_having(in_panel, plot.lines, line), key=lambda p: xs.index(p.factors[plot.x]))
            pos = [p.factors[plot.x] if numeric else xs.index(p.factors[plot.x]) for p in pts]
            est, low, high = np.array([_estimate(ctx.stat(plot.outcome, p)) for p in pts]).T
            drawn = ax.plot(pos, est, marker="o", label=str(line))
            ax.fill_between(pos, low, high, color=drawn[0].get_color(), alpha=0.18, linewidth=0)
        _panel_title(ax, ctx, plot.panels, panel)
        ax.set_xlabel(ctx.labels[plot.x])
        if numeric and all(isinstance(x, int) for x in xs):
            ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        elif not numeric:
            ax.set_xticks(range(len(xs)), [str(x) for x in xs], rotation=15)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel(outcome_label(plot.outcome))
    if plot.lines is not None:
        fig.legend(*axes[0].get_legend_handles_labels(), title=ctx.labels[plot.lines], loc="outside right center")
    _headline(fig, f"{outcome_label(plot.outcome, unit=False)} against {_bare(ctx.labels[plot.x])}",
              f"{ctx.title}: mean and 95% CI band over {ctx.replications} replications per point")
    return fig


def draw_heatmap(ctx: Context, plot: HeatmapPlot) -> Figure:
    chosen = ctx.select(plot.where)
    xs, ys, panels = _levels(chosen, plot.x), _levels(chosen, plot.y), _levels(chosen, plot.panels)
    grids = []
    for panel in panels:
        cells = np.full((len(ys), len(xs), 3), np.nan)
        for p in _having(chosen, plot.panels, panel):
            cells[ys.index(p.factors[plot.y]), xs.index(p.factors[plot.x])] = _estimate(ctx.stat(plot.outcome, p))
        grids.append(cells)
    vmin, vmax = np.nanmin([g[..., 0] for g in grids]), np.nanmax([g[..., 0] for g in grids])
    fig, axes = _panels(len(panels), extra_width=1.2, panel_width=max(PANEL_W, CELL_W * len(xs) + 1.0))
    with_half = not is_probability(plot.outcome)  # a Wilson interval is not symmetric: no "±"
    for ax, panel, cells in zip(axes, panels, grids):
        image = ax.imshow(cells[..., 0], origin="lower", aspect="auto", cmap="viridis", vmin=vmin, vmax=vmax)
        for (i, j), value in np.ndenumerate(cells[..., 0]):
            half = (cells[i, j, 2] - cells[i, j, 1]) / 2
            light = value < vmin + 0.55 * (vmax - vmin) if vmax > vmin else True
            text = f"{value:.3g}" + (f"\n±{half:.2g}" if with_half and np.isfinite(half) and half > 0 else "")
            ax.text(j, i, text, ha="center", va="center", fontsize=7, color="white" if light else "black")
        ax.set_xticks(range(len(xs)), [f"{x:g}" if isinstance(x, Number) else str(x) for x in xs])
        ax.set_yticks(range(len(ys)), [f"{y:g}" if isinstance(y, Number) else str(y) for y in ys])
        ax.set_xlabel(ctx.labels[plot.x])
        _panel_title(ax, ctx, plot.panels, panel)
    axes[0].set_ylabel(ctx.labels[plot.y])
    fig.colorbar(image, ax=axes, label=outcome_label(plot.outcome))
    fixed = ", ".join(f"{ctx.labels[f]} = {v}" for f, v in plot.where.items())
    _headline(fig, f"{outcome_label(plot.outcome, unit=False)} over {_bare(ctx.labels[plot.x])} and "
                   f"{_bare(ctx.labels[plot.y])}",
              f"{ctx.title}{' (' + fixed + ')' if fixed else ''}: "
              f"{'mean ± 95% CI half-width' if with_half else 'share of replications (Wilson CIs in summary.json)'}"
              f", {ctx.replications} replications per point")
    return fig


def _default_mark(ctx: Context, plot: CdfPlot) -> Optional[float]:
    """The sweep's mark, or the base scenario's first late-after threshold for the time to the message."""
    if plot.mark is not None or plot.outcome != "time_to_message":
        return plot.mark
    thresholds = ctx.manifest.get("base_scenario", {}).get("report", {}).get("late_after") or []
    return parse_duration(thresholds[0]) if thresholds else None


def draw_cdf(ctx: Context, plot: CdfPlot) -> Figure:
    chosen = ctx.select(plot.where)
    panels = _levels(chosen, plot.panels)
    mark = _default_mark(ctx, plot)
    named = {plot.panels, plot.lines, *plot.where}
    varying = [f for f in ctx.labels if f not in named and len(_levels(chosen, f)) > 1]
    curves = {p.index: ctx.store.values(plot.outcome, p.index) for p in chosen}
    defined = np.concatenate([v[~np.isnan(v)] for v in curves.values()] + [np.zeros(1)])
    right = max(float(np.percentile(defined, 99)), 1.5 * mark if mark is not None else 0.0) * 1.02
    never = right * 1.12  # where the curves take the replications that have no value
    fig, axes = _panels(len(panels))
    for ax, panel in zip(axes, panels):
        for p in _having(chosen, plot.panels, panel):
            values = curves[p.index]
            ordered = np.sort(values[~np.isnan(values)])
            label = ", ".join(str(p.factors[f]) for f in ([plot.lines] if plot.lines else []) + varying) or "all"
            steps = np.arange(1, ordered.size + 1) / max(values.size, 1)
            reached = steps[-1] if steps.size else 0.0
            ax.step(np.r_[0.0, ordered, never], np.r_[0.0, steps, 1.0 if values.size else 0.0],
                    where="post", label=f"{label} (never: {1 - reached:.1%})")
        ax.axvline(right, color="#999999", linestyle=":", linewidth=1)
        if mark is not None:
            ax.axvline(mark, color="crimson", linestyle="--", linewidth=1)
            ax.text(mark, 0.02, f" {mark:g} min", color="crimson", fontsize=8, rotation=90, va="bottom",
                    ha="right")
        _panel_title(ax, ctx, plot.panels, panel)
        ax.set_xlabel(outcome_label(plot.outcome))
        ax.set_xlim(0 if defined.min() >= 0 else None, never * 1.04)
        ticks = [t for t in MaxNLocator(6).tick_values(0, right) if 0 <= t <= right]
        ax.set_xticks([*ticks, never], [f"{t:g}" for t in ticks] + ["never"])
        ax.set_ylim(0, 1.02)
        ax.grid(alpha=0.3)
    axes[0].set_ylabel("fraction of replications at or below")
    if len(axes[0].get_lines()) > 3 or plot.lines:
        title = ", ".join(ctx.labels[f] for f in ([plot.lines] if plot.lines else []) + varying)
        fig.legend(*axes[0].get_legend_handles_labels(), title=title or None, loc="outside right center")
    fixed = ", ".join(f"{ctx.labels[f]} = {v}" for f, v in plot.where.items())
    _headline(fig, f"Distribution of {outcome_label(plot.outcome, unit=False)}",
              f"{ctx.title}{' (' + fixed + ')' if fixed else ''}: {ctx.replications} replications per point; "
              f"axis cut at {right:.0f}; the step at 'never': the message never got through, or nobody called")
    return fig


def tornado_effects(ctx: Context, outcome: str) -> tuple[list[str], list[Difference], list[Difference]]:
    """Per factor (per listed value): its name, the top-minus-bottom-quarter effect and the linear-fit slope."""
    assert ctx.spec is not None
    means = np.array([_estimate(ctx.stat(outcome, p))[0] for p in ctx.points])
    columns, names, effects = [], [], []
    for f in ctx.spec.factors:
        values = [p.factors[f.path] for p in ctx.points]
        if f.range is not None:
            low, high = f.range
            u = np.array([(v - low) / (high - low) for v in values])
            columns.append(u)
            names.append(f"{ctx.labels[f.path]} ({low:g} → {high:g})")
            effects.append(unpaired_difference(means[u >= 0.75], means[u < 0.25]))
        else:
            first = (f.values or [])[0]
            for level in (f.values or [])[1:]:
                columns.append(np.array([float(v == level) for v in values]))
                names.append(f"{ctx.labels[f.path]}: {level} (vs {first})")
                effects.append(unpaired_difference(means[columns[-1] == 1],
                                                   means[np.array([v == first for v in values])]))
    return names, effects, linear_effects(np.array(columns).T, means)


def draw_tornado(ctx: Context, plot: TornadoPlot) -> Figure:
    """Bars: mean of the point means in the highest quarter of a factor's range minus the lowest quarter's
    (Welch interval), the other factors averaged over; a step (the location error at the check radius)
    shows at its full height. Diamonds: the slope of a linear fit over the whole range, which averages a
    step or a curve into a straight line and so misstates it; where the two disagree, the effect is not
    linear."""
    names, effects, linear = tornado_effects(ctx, plot.outcome)
    order = sorted(range(len(names)), key=lambda i: abs(np.nan_to_num(effects[i].mean)))
    fig = Figure(figsize=(9, 2.2 + 0.45 * len(names)), layout="constrained")
    ax = fig.subplots()
    est = [effects[i].mean for i in order]
    err = [[effects[i].mean - effects[i].ci_low for i in order], [effects[i].ci_high - effects[i].mean for i in order]]
    ax.barh(range(len(order)), est, xerr=err, color=["#d62728" if e > 0 else "#1f77b4" for e in est], capsize=3,
            label="highest quarter of the range minus lowest (listed values: against the first)")
    ax.scatter([linear[i].mean for i in order], range(len(order)), marker="D", color="black", s=18, zorder=3,
               label="linear fit over the whole range (misstates steps and curves)")
    ax.set_yticks(range(len(order)), [names[i] for i in order])
    ax.axvline(0, color="black", linewidth=0.8)
    ax.set_xlabel(f"change in {outcome_label(plot.outcome)}")
    ax.grid(axis="x", alpha=0.3)
    fig.legend(loc="outside lower center", fontsize=8, ncols=1)
    _headline(fig, f"What drives {outcome_label(plot.outcome, unit=False)}",
              f"{ctx.title}: {len(ctx.points)} Latin hypercube points x {ctx.replications} replications; "
              "top against bottom quarter of each range, 95% CI")
    return fig


DRAWERS: dict[str, Callable[[Context, Any], Figure]] = {
    "line": draw_line, "heatmap": draw_heatmap, "cdf": draw_cdf, "tornado": draw_tornado}


def plots_of(ctx: Context) -> list[Any]:
    """The sweep file's plots; without any, one figure per kind that fits the design."""
    outcomes = ctx.store.outcomes
    if ctx.spec is None:
        return [CdfPlot(kind="cdf", outcome="time_to_message")] if "time_to_message" in outcomes else []
    if ctx.spec.plots:
        return list(ctx.spec.plots)
    key = (ctx.spec.outcomes or [o for o in ("killed_due_to_delay", "mean_wait") if o in outcomes] or outcomes)[0]
    factors = [f.path for f in ctx.spec.factors]
    if ctx.spec.design.kind == "latin_hypercube":
        return [TornadoPlot(kind="tornado", outcome=o) for o in (ctx.spec.outcomes or [key])]
    rest = {f: _levels(ctx.points, f)[0] for f in factors[3:]}
    plots: list[Any] = [LinePlot(kind="line", outcome=key, x=factors[0], lines=next(iter(factors[1:2]), None),
                                 panels=next(iter(factors[2:3]), None), where=rest)]
    if len(factors) >= 2:
        plots.append(HeatmapPlot(kind="heatmap", outcome=key, x=factors[0], y=factors[1],
                                 panels=next(iter(factors[2:3]), None), where=rest))
    if "time_to_message" in outcomes:
        plots.append(CdfPlot(kind="cdf", lines=factors[0], where={f: _levels(ctx.points, f)[0] for f in factors[1:]}))
    return plots


def file_stem(plot: Any) -> str:
    axes = [getattr(plot, a, None) for a in ("x", "y", "lines", "panels")]
    return plot.name or "-".join([plot.kind, plot.outcome, *(a.replace(".", "_") for a in axes if a)])


def figures(store: ResultStore, headline_only: bool = False) -> Iterator[tuple[str, Figure]]:
    """Each plot of the store as (file stem, figure), drawn one at a time."""
    ctx = Context(store)
    for plot in plots_of(ctx):
        if not headline_only or plot.headline:
            yield file_stem(plot), DRAWERS[plot.kind](ctx, plot)


def draw_all(store: ResultStore, folder: Path, formats: Sequence[str] = FORMATS,
             headline_only: bool = False, compact: bool = False) -> list[Path]:
    """Draw every plot of the store into ``folder``; return the files written.

    ``compact`` writes PNGs with a 128-colour palette: a quarter of the bytes
    with no visible change, for figures committed to the repository.
    """
    folder.mkdir(parents=True, exist_ok=True)
    return [_save(fig, folder / f"{stem}.{fmt}", compact)
            for stem, fig in figures(store, headline_only) for fmt in formats]


def _save(fig: Figure, path: Path, compact: bool = False) -> Path:
    fig.savefig(path, dpi=DPI, metadata=STABLE_METADATA.get(path.suffix[1:]))
    if compact and path.suffix == ".png":
        with Image.open(path) as image:
            palette = image.convert("RGB").quantize(colors=128, method=Image.Quantize.FASTOCTREE)
        palette.save(path, optimize=True)
    return path


@dataclass(frozen=True)
class PlotJob:
    """One file of ``draw_all``: plot number ``plot`` of a database, in one format. Worker processes
    draw these side by side while the main process works out the statistics."""
    database: Path
    folder: Path
    plot: int
    format: str


def plot_jobs(store: ResultStore, folder: Path, formats: Sequence[str] = FORMATS) -> list[PlotJob]:
    """The files ``draw_all(store, folder, formats)`` writes, as jobs for ``draw_job``."""
    folder.mkdir(parents=True, exist_ok=True)
    return [PlotJob(store.path, folder, i, fmt) for i in range(len(plots_of(Context(store)))) for fmt in formats]


def draw_job(job: PlotJob) -> Path:
    """Draw one job's figure from its own read-only connection and write it; picklable."""
    with ResultStore.open(job.database) as store:
        ctx = Context(store)
        plot = plots_of(ctx)[job.plot]
        return _save(DRAWERS[plot.kind](ctx, plot), job.folder / f"{file_stem(plot)}.{job.format}")
