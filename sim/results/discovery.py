"""Scenario discovery: the boxes of conditions under which a yes/no outcome is likely (PRIM).

Picture the screening sweep's 12,000 afternoons and the question "when does
the delay kill more than five?". The Patient Rule Induction Method
(Friedman and Fisher 1999), as the EMA Workbench uses it, starts from the
box holding every afternoon and *peels*: it tries cutting off a thin slice
(``alpha``, 5%) of the afternoons at the low or the high end of each numeric
factor, or one value of a factor that takes a list of values, and keeps the
cut that leaves the highest share of bad afternoons in the box. Each cut is
one step of the *peeling trajectory*. Peels of different sizes (a slice of a
range, a whole listed value) are compared as Friedman and Fisher do, by the
rise in density per share of the afternoons peeled away, so the search
stays patient. The trajectory trades **coverage** (the share
of all bad afternoons inside the box) against **density** (the share of the
afternoons inside the box that are bad). The chosen box is then *pasted*:
a slice is added back wherever that raises the density.

Each limit of the chosen box comes with a quasi p-value, as in the EMA
Workbench: lift that one restriction, and ask how likely it would be, at the
density of the larger box, to find as many bad afternoons as the box holds
(a one-sided binomial test). A large p-value says the limit adds little, and
such limits are lifted one at a time, the least significant first, until
every limit left is significant (``prune``): the box reported is one whose
every condition counts.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional, Union

import numpy as np
from scipy import stats  # type: ignore[import-untyped]

Limit = Union[tuple[float, float], frozenset[Any]]
"""A numeric factor's [low, high], or the values a listed factor may take."""


@dataclass(frozen=True)
class Box:
    limits: dict[str, Limit]
    inside: np.ndarray = field(repr=False)      # which rows are in the box
    coverage: float
    density: float
    mass: float

    def restricted(self, full: dict[str, Limit]) -> list[str]:
        """The factors whose limits are narrower than the data's."""
        return [name for name, limit in self.limits.items() if limit != full[name]]


def full_limits(columns: dict[str, np.ndarray]) -> dict[str, Limit]:
    return {name: (float(x.min()), float(x.max())) if _numeric(x) else frozenset(x.tolist())
            for name, x in columns.items()}


def _numeric(x: np.ndarray) -> bool:
    return x.dtype.kind in "iuf"


def _within(x: np.ndarray, limit: Limit) -> np.ndarray:
    if isinstance(limit, frozenset):
        return np.isin(x, list(limit))
    return (x >= limit[0]) & (x <= limit[1])


def in_box(columns: dict[str, np.ndarray], limits: dict[str, Limit]) -> np.ndarray:
    inside = np.ones(len(next(iter(columns.values()))), dtype=bool)
    for name, limit in limits.items():
        inside &= _within(columns[name], limit)
    return inside


def _box(columns: dict[str, np.ndarray], y: np.ndarray, limits: dict[str, Limit]) -> Box:
    inside = in_box(columns, limits)
    n = int(inside.sum())
    hits = int(y[inside].sum())
    return Box(dict(limits), inside, hits / max(int(y.sum()), 1), hits / n if n else 0.0, n / y.size)


def _peels(x: np.ndarray, inside: np.ndarray, limit: Limit, alpha: float) -> list[Limit]:
    """The limits one peel of a factor can give: a slice off each end, or one value fewer."""
    if isinstance(limit, frozenset):
        return [limit - {value} for value in limit] if len(limit) > 1 else []
    values = x[inside]
    low, high = limit
    found: list[Limit] = []
    cut = float(np.quantile(values, alpha, method="lower"))
    above = values[values > cut] if cut == low else values[values >= cut]
    if above.size:
        found.append((float(above.min()), high))
    cut = float(np.quantile(values, 1 - alpha, method="higher"))
    below = values[values < cut] if cut == high else values[values <= cut]
    if below.size:
        found.append((low, float(below.max())))
    return [f for f in found if f != limit]


def peel(columns: dict[str, np.ndarray], y: np.ndarray, alpha: float = 0.05,
         min_mass: float = 0.05) -> list[Box]:
    """The peeling trajectory: from the box of all rows, one peel at a time, while some peel raises the density."""
    limits = full_limits(columns)
    trajectory = [_box(columns, y, limits)]
    while trajectory[-1].mass > min_mass:
        current = trajectory[-1]
        best: Optional[Box] = None
        gain = 0.0
        for name, x in columns.items():
            for option in _peels(x, current.inside, current.limits[name], alpha):
                candidate = _box(columns, y, {**current.limits, name: option})
                if candidate.mass < min_mass or candidate.mass >= current.mass:
                    continue
                rise = (candidate.density - current.density) / (current.mass - candidate.mass)
                if rise > gain:
                    best, gain = candidate, rise
        if best is None:
            break
        trajectory.append(best)
    return trajectory


def paste(columns: dict[str, np.ndarray], y: np.ndarray, box: Box, alpha: float = 0.05) -> Box:
    """Widen the box a slice at a time wherever that raises its density."""
    full = full_limits(columns)
    while True:
        best = box
        for name, x in columns.items():
            limit = box.limits[name]
            options: list[Limit] = []
            if isinstance(limit, frozenset):
                options = [limit | {v} for v in full[name] - limit]  # type: ignore[operator]
            else:
                outside = x[in_box(columns, {k: v for k, v in box.limits.items() if k != name}) & ~box.inside]
                step = max(int(alpha * box.inside.sum()), 1)
                lower, upper = np.sort(outside[outside < limit[0]]), np.sort(outside[outside > limit[1]])
                if lower.size:
                    options.append((float(lower[-min(step, lower.size)]), limit[1]))
                if upper.size:
                    options.append((limit[0], float(upper[min(step, upper.size) - 1])))
            for option in options:
                candidate = _box(columns, y, {**box.limits, name: option})
                if candidate.density > best.density:
                    best = candidate
        if best is box:
            return box
        box = best


def significance(columns: dict[str, np.ndarray], y: np.ndarray, box: Box) -> dict[str, float]:
    """Per restricted factor, the one-sided binomial p-value of the box against the box without that limit."""
    full = full_limits(columns)
    hits, n = int(y[box.inside].sum()), int(box.inside.sum())
    found = {}
    for name in box.restricted(full):
        wider = in_box(columns, {**box.limits, name: full[name]})
        rate = float(y[wider].mean())
        found[name] = float(stats.binomtest(hits, n, rate, alternative="greater").pvalue) if rate < 1 else 1.0
    return found


def prune(columns: dict[str, np.ndarray], y: np.ndarray, box: Box, level: float = 0.05) -> Box:
    """Lift the least significant limit while one has a p-value above ``level``."""
    full = full_limits(columns)
    while True:
        p_values = significance(columns, y, box)
        weakest = max(p_values, key=lambda name: p_values[name], default=None)
        if weakest is None or p_values[weakest] <= level:
            return box
        box = _box(columns, y, {**box.limits, weakest: full[weakest]})


def choose(trajectory: list[Box], min_coverage: float) -> int:
    """The densest box on the trajectory that still holds ``min_coverage`` of the cases of interest."""
    return max((i for i, b in enumerate(trajectory) if b.coverage >= min_coverage), default=0)
