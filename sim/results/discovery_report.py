"""PRIM on a results folder: the rows, the box in words, a table, JSON and a picture.

Each replication is one case: its factor values are the conditions, and the
outcome beyond the threshold (``killed_due_to_delay`` above 5) is the case
of interest. Replications whose outcome is undefined are left out and
counted. Factors that take one value only are no condition and are dropped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from sim.results.discovery import Box, Limit, choose, full_limits, paste, peel, prune, significance
from sim.results.labels import outcome_label
from sim.results.store import ResultStore


@dataclass
class Discovery:
    outcome: str
    threshold: float
    below: bool
    columns: dict[str, np.ndarray]
    labels: dict[str, str]
    y: np.ndarray
    undefined: int
    trajectory: list[Box]
    chosen: int
    box: Box                     # the chosen box, pasted and pruned to its significant limits
    p_values: dict[str, float]

    @property
    def condition(self) -> str:
        return f"{outcome_label(self.outcome, unit=False)} {'below' if self.below else 'above'} {self.threshold:g}"

    @property
    def full(self) -> dict[str, Limit]:
        return full_limits(self.columns)


def case_table(store: ResultStore, outcome: str) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Factor columns (numeric, or text for listed values) and the outcome, one entry per replication."""
    if outcome not in store.outcomes:
        raise KeyError(outcome)
    names = store.columns()
    rows = list(store.rows())
    values = np.array([np.nan if r[names.index(outcome)] is None else r[names.index(outcome)] for r in rows],
                      dtype=float)
    columns = {}
    for factor in store.factors:
        raw = [r[names.index(factor)] for r in rows]
        numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in raw)
        column = np.array(raw, dtype=float) if numeric else np.array([str(v) for v in raw], dtype=object)
        if len(set(column.tolist())) > 1:
            columns[factor] = column
    return columns, values


def discover(columns: dict[str, np.ndarray], values: np.ndarray, labels: dict[str, str], outcome: str,
             threshold: float, below: bool = False, alpha: float = 0.05, min_mass: float = 0.05,
             min_coverage: float = 0.5) -> Discovery:
    defined = ~np.isnan(values)
    kept = {name: column[defined] for name, column in columns.items()}
    y = (values[defined] < threshold) if below else (values[defined] > threshold)
    trajectory = peel(kept, y, alpha, min_mass)
    chosen = choose(trajectory, min_coverage)
    box = prune(kept, y, paste(kept, y, trajectory[chosen], alpha))
    return Discovery(outcome, threshold, below, kept, labels, y, int((~defined).sum()), trajectory, chosen, box,
                     significance(kept, y, box))


def _limit_words(d: Discovery, name: str) -> str:
    limit, full = d.box.limits[name], d.full[name]
    label = d.labels.get(name, name)
    if isinstance(limit, frozenset):
        return f"{label} is {' or '.join(sorted(map(str, limit)))}"
    assert isinstance(full, tuple)
    if limit[0] == limit[1]:
        return f"{label} is {limit[0]:g}"
    if limit[0] > full[0] and limit[1] < full[1]:
        return f"{label} is between {limit[0]:g} and {limit[1]:g}"
    return f"{label} is at least {limit[0]:g}" if limit[0] > full[0] else f"{label} is at most {limit[1]:g}"


def in_words(d: Discovery) -> str:
    restricted = d.box.restricted(d.full)
    if not restricted:
        return f"No box of conditions stands out: {d.condition} is spread over the whole sweep."
    parts = [_limit_words(d, name) for name in restricted]
    conditions = ", ".join(parts[:-1]) + (" and " if len(parts) > 1 else "") + parts[-1]
    return (f"Afternoons with {d.condition} are mostly those where {conditions}: "
            f"{d.box.density:.0%} of those afternoons have it, against {d.y.mean():.0%} of all, "
            f"and they hold {d.box.coverage:.0%} of all afternoons that have it "
            f"({d.box.mass:.0%} of the afternoons swept).")


def discovery_text(d: Discovery) -> str:
    lines = [f"{d.condition}: {int(d.y.sum())} of {d.y.size} replications ({d.y.mean():.1%}), "
             f"over {len(d.columns)} factors" + (f"; {d.undefined} replications undefined, left out"
                                                 if d.undefined else ""),
             f"peeling trajectory: {len(d.trajectory)} boxes; box {d.chosen} chosen, pasted and pruned: coverage "
             f"{d.box.coverage:.1%}, density {d.box.density:.1%}, mass {d.box.mass:.1%}"]
    rows = [["factor", "limits", "data range", "quasi p-value"]]
    for name in d.box.restricted(d.full):
        rows.append([d.labels.get(name, name), _show(d.box.limits[name]), _show(d.full[name]),
                     f"{d.p_values[name]:.2g}"])
    widths = [max(len(r[i]) for r in rows) for i in range(4)]
    lines += ["  " + "  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in rows]
    return "\n".join(lines + ["", in_words(d)])


def _show(limit: Limit) -> str:
    if isinstance(limit, frozenset):
        return ", ".join(sorted(map(str, limit)))
    return f"[{limit[0]:g}, {limit[1]:g}]"


def discovery_document(d: Discovery) -> dict[str, Any]:
    def limits(box: Box) -> dict[str, Any]:
        return {name: sorted(map(str, lim)) if isinstance(lim, frozenset) else list(lim)
                for name, lim in box.limits.items() if name in box.restricted(d.full)}
    return {"outcome": d.outcome, "threshold": d.threshold, "direction": "below" if d.below else "above",
            "cases": d.y.size, "of_interest": int(d.y.sum()), "undefined": d.undefined,
            "trajectory": [{"coverage": round(b.coverage, 6), "density": round(b.density, 6),
                            "mass": round(b.mass, 6), "limits": limits(b)} for b in d.trajectory],
            "chosen": d.chosen,
            "box": {"coverage": round(d.box.coverage, 6), "density": round(d.box.density, 6),
                    "mass": round(d.box.mass, 6), "limits": limits(d.box),
                    "p_values": {k: float(f"{v:.3g}") for k, v in d.p_values.items()}},
            "in_words": in_words(d)}


def draw_discovery(d: Discovery, title: str) -> Figure:
    """Left: coverage against density along the peeling trajectory. Right: the box's limits in each range."""
    fig = Figure(figsize=(12, 4.8), layout="constrained")
    left, right = fig.subplots(1, 2, gridspec_kw={"width_ratios": [1, 1.2]})
    restricted = [len(b.restricted(d.full)) for b in d.trajectory]
    dots = left.scatter([b.coverage for b in d.trajectory], [b.density for b in d.trajectory], c=restricted,
                        cmap="viridis", s=28)
    fig.colorbar(dots, ax=left, label="factors restricted", ticks=sorted(set(restricted)))
    left.scatter([d.box.coverage], [d.box.density], s=200, facecolors="none", edgecolors="crimson", linewidths=1.5,
                 label="chosen box (pasted, pruned)")
    left.axhline(d.y.mean(), color="grey", linestyle=":", linewidth=1, label="share among all")
    left.set_xlabel("coverage: share of the cases of interest inside the box")
    left.set_ylabel("density: share of the box's cases of interest")
    left.set_xlim(0, 1.02)
    left.set_ylim(0, 1.02)
    left.grid(alpha=0.3)
    left.legend(loc="lower left", fontsize=8)
    names = d.box.restricted(d.full)
    for i, name in enumerate(names):
        limit, full = d.box.limits[name], d.full[name]
        if isinstance(limit, frozenset):
            everything = sorted(map(str, full))
            for j, value in enumerate(everything):
                inside = value in limit
                right.barh(i, 1 / len(everything), 0.6, left=j / len(everything),
                           color="#2ca02c" if inside else "#eeeeee", edgecolor="white")
                right.text((j + 0.5) / len(everything), i, value, ha="center", va="center", fontsize=7)
        else:
            assert isinstance(full, tuple)
            span = full[1] - full[0]
            low, high = (limit[0] - full[0]) / span, (limit[1] - full[0]) / span
            right.barh(i, 1, 0.6, color="#eeeeee")
            right.barh(i, max(high - low, 0.01), 0.6, left=min(low, 0.99), color="#2ca02c")
            if limit[0] == limit[1]:
                right.text(low, i + 0.35, f"{limit[0]:g}", fontsize=7, ha="left")
            else:
                right.text(low, i + 0.35, f"{limit[0]:g}", fontsize=7, ha="left")
                right.text(high, i + 0.35, f"{limit[1]:g}", fontsize=7, ha="right")
    right.set_yticks(range(len(names)), [f"{d.labels.get(n, n)}\n(p = {d.p_values[n]:.2g})" for n in names])
    right.set_xlim(0, 1)
    right.set_ylim(-0.6, len(names) - 0.4)
    right.set_xlabel("the box (green) within each factor's swept range")
    fig.suptitle(f"Scenario discovery (PRIM): {d.condition}, {title}\n"
                 f"chosen box: coverage {d.box.coverage:.0%}, density {d.box.density:.0%} "
                 f"(all afternoons: {d.y.mean():.0%})", fontsize=10)
    return fig

