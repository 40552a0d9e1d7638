"""How sure are we? Means, quantiles and differences with 95% confidence intervals.

Picture 200 replications of the Deir ez-Zor afternoon: the killed due to
delay are 0 in most of them and 10 or more in a few. Their mean is an
estimate; the interval ``mean +- t(0.975, n-1) * sd / sqrt(n)`` covers the
true mean in 95% of studies like this one (replications are independent, so
the t interval is the textbook one). A yes/no outcome such as "the pre-strike
check caught the conflict" is a proportion, whose interval is Wilson's: it
stays inside [0, 1] and is honest when the count is 0 or n.

Comparing two designs, the same replication ``k`` was run under both with the
same random streams, so ``a_k - b_k`` is one paired observation and the
noise both share cancels. The paired interval is the t interval of those
differences; the unpaired (Welch) interval treats the two samples as strangers
and is wider whenever the pairs move together. Both are here so a report can
show what common random numbers bought.

Undefined values (NaN, e.g. the time to the POC when nobody called) are left
out per outcome, and every result says how many values it used.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
from scipy.special import ndtri, stdtrit

LEVEL = 0.95
_Z = float(ndtri(0.5 + LEVEL / 2))
NAN = math.nan


def _t(dof: float) -> float:
    """Student's t quantile for a two-sided interval at ``LEVEL``."""
    return float(stdtrit(dof, 0.5 + LEVEL / 2))


def _defined(values: Any) -> np.ndarray:
    array = np.asarray(values, dtype=float)
    return array[~np.isnan(array)]


def _t_interval(mean: float, sd: float, n: int) -> tuple[float, float]:
    if n < 2:
        return NAN, NAN
    half = _t(n - 1) * sd / math.sqrt(n)
    return mean - half, mean + half


@dataclass(frozen=True)
class Summary:
    """One outcome over the replications that define it."""

    n: int
    missing: int
    mean: float
    ci_low: float
    ci_high: float
    sd: float
    median: float
    p10: float
    p90: float

    @property
    def half_width(self) -> float:
        return (self.ci_high - self.ci_low) / 2

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def summarise(values: Any) -> Summary:
    """Mean with its t interval, median and 10th/90th percentiles, NaN left out."""
    all_values = np.asarray(values, dtype=float)
    x = _defined(all_values)
    n = int(x.size)
    if n == 0:
        return Summary(0, int(all_values.size), NAN, NAN, NAN, NAN, NAN, NAN, NAN)
    mean = float(x.mean())
    sd = float(x.std(ddof=1)) if n > 1 else NAN
    low, high = _t_interval(mean, sd, n)
    p10, median, p90 = (float(q) for q in np.percentile(x, [10, 50, 90]))
    return Summary(n, int(all_values.size) - n, mean, low, high, sd, median, p10, p90)


@dataclass(frozen=True)
class Proportion:
    """How often a yes/no outcome was yes, with Wilson's interval."""

    n: int
    missing: int
    successes: int
    p: float
    ci_low: float
    ci_high: float

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def proportion(values: Any) -> Proportion:
    """Values are 1 (yes), 0 (no) or NaN (question did not arise)."""
    all_values = np.asarray(values, dtype=float)
    x = _defined(all_values)
    n = int(x.size)
    missing = int(all_values.size) - n
    if n == 0:
        return Proportion(0, missing, 0, NAN, NAN, NAN)
    successes = int(np.count_nonzero(x))
    p = successes / n
    z2 = _Z * _Z
    centre = (p + z2 / (2 * n)) / (1 + z2 / n)
    half = _Z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / (1 + z2 / n)
    return Proportion(n, missing, successes, p, max(centre - half, 0.0), min(centre + half, 1.0))


@dataclass(frozen=True)
class Difference:
    """Mean of ``a - b`` with its interval; ``n`` counts pairs (paired) or the smaller sample."""

    n: int
    mean: float
    ci_low: float
    ci_high: float

    @property
    def width(self) -> float:
        return self.ci_high - self.ci_low

    def as_dict(self) -> dict[str, Any]:
        return {**asdict(self), "width": self.width}


def paired_difference(a: Any, b: Any) -> Difference:
    """``a[k] - b[k]`` over the replications ``k`` where both are defined."""
    d = np.asarray(a, dtype=float) - np.asarray(b, dtype=float)
    d = _defined(d)
    n = int(d.size)
    if n == 0:
        return Difference(0, NAN, NAN, NAN)
    mean = float(d.mean())
    low, high = _t_interval(mean, float(d.std(ddof=1)) if n > 1 else NAN, n)
    return Difference(n, mean, low, high)


def unpaired_difference(a: Any, b: Any) -> Difference:
    """Welch's interval for ``mean(a) - mean(b)``, ignoring any pairing."""
    x, y = _defined(a), _defined(b)
    if x.size < 2 or y.size < 2:
        mean = float(x.mean() - y.mean()) if x.size and y.size else NAN
        return Difference(int(min(x.size, y.size)), mean, NAN, NAN)
    vx, vy = x.var(ddof=1) / x.size, y.var(ddof=1) / y.size
    mean = float(x.mean() - y.mean())
    se2 = vx + vy
    if se2 == 0:
        return Difference(int(min(x.size, y.size)), mean, mean, mean)
    df = se2 * se2 / (vx * vx / (x.size - 1) + vy * vy / (y.size - 1))
    half = _t(df) * math.sqrt(se2)
    return Difference(int(min(x.size, y.size)), mean, mean - half, mean + half)


def linear_effects(design: Any, response: Any) -> list[Difference]:
    """Least-squares slope of each design column (with an intercept), with its t interval.

    With every column scaled to run from 0 at its low end to 1 at its high
    end, a slope is the change in the response over the factor's whole range,
    the others held fixed: the bar of a tornado chart.
    """
    x = np.asarray(design, dtype=float)
    y = np.asarray(response, dtype=float)
    keep = ~np.isnan(y)
    x, y = x[keep], y[keep]
    n, k = x.shape
    if n <= k + 1:
        return [Difference(n, NAN, NAN, NAN) for _ in range(k)]
    a = np.column_stack([np.ones(n), x])
    coef, _, rank, _ = np.linalg.lstsq(a, y, rcond=None)
    if rank < k + 1:  # a column is constant or a copy of another: slopes not identifiable
        return [Difference(n, NAN, NAN, NAN) for _ in range(k)]
    dof = n - k - 1
    sigma2 = float(np.sum((y - a @ coef) ** 2)) / dof
    se = np.sqrt(np.diag(sigma2 * np.linalg.inv(a.T @ a)))
    t = _t(dof)
    return [Difference(n, float(b), float(b - t * s), float(b + t * s)) for b, s in zip(coef[1:], se[1:])]
