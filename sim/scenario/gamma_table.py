"""The gamma quantile in about 10 nanoseconds: a table built once per shape, checked against scipy.

Picture the stochastic Deir ez-Zor afternoon: each of its 37 releases draws
killed and wounded from gamma distributions, so a batch of 4,000 afternoons
asks for some 200,000 gamma quantiles. scipy's ``gammaincinv`` solves for
each one by iteration (about 250 nanoseconds); that alone would cost more
than everything else the batch engine does. Yet the shape is the same for all
of them, so the quantile function ``x(u)`` can be tabulated once.

The table holds ``x`` and its exact slope (from the density: ``dx/du =
1/f(x)``) at evenly spaced nodes, and a cubic Hermite curve through
neighbouring nodes gives ``x`` in between. ``x(u)`` is smooth in the middle
but not in the tails, so each third of the range gets a coordinate in which it
is smooth: ``log x`` against ``log u`` below ``LOWER`` (there ``x`` grows like
``u**(1/shape)``), ``x`` against ``u`` in the middle, and ``x`` against ``-log(1-u)``
above ``UPPER`` (where ``x`` grows like ``-log(1-u)``). The nodes span every
uniform a stream can give (2**-53 to 1 - 2**-53, ``sim.model.streams.unit``).

Every table is checked when it is built: at the midpoint between each pair of
nodes (where a cubic Hermite curve is furthest from the truth) it must agree
with scipy to ``TOLERANCE`` relative. A shape where it does not (very small
shapes, whose quantiles underflow) gets no table, and its draws use scipy's
``gammaincinv`` itself. Both engines draw through the same table, so they give
the same numbers.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import Optional

import numpy as np
from scipy.special import gammainccinv, gammaincinv, gammaln

from sim.compiled import njit

LOWER, UPPER = 0.05, 0.95
TAIL_NODES, MIDDLE_NODES = 1024, 2048
TOLERANCE = 1e-9
"""Largest relative error a table may have anywhere (they reach about 1e-10 for shapes from 0.3 up)."""

_S_LOW, _S_HIGH = math.log(2.0 ** -54), math.log(LOWER)     # log u, lower tail
_W_LOW, _W_HIGH = -math.log1p(-UPPER), -math.log(2.0 ** -53)  # -log(1 - u), upper tail
_SEGMENTS = ((_S_LOW, _S_HIGH, TAIL_NODES), (LOWER, UPPER, MIDDLE_NODES), (_W_LOW, _W_HIGH, TAIL_NODES))
SIZE = 2 * sum(n + 1 for _, _, n in _SEGMENTS)
"""Numbers in a table: for each segment, its node values then its node slopes."""


def _nodes(shape: float, segment: int, count: int) -> tuple[np.ndarray, np.ndarray]:
    """Values and slopes at ``count`` evenly spaced points of a segment (the nodes, or the midpoints)."""
    low, high, nodes = _SEGMENTS[segment]
    h = (high - low) / nodes
    t = low + h * (np.arange(count) + (0.5 if count == nodes else 0.0))
    log_gamma = gammaln(shape)

    def density(x: np.ndarray) -> np.ndarray:
        return np.exp((shape - 1) * np.log(x) - x - log_gamma)

    with np.errstate(all="ignore"):  # underflowing shapes give non-finite nodes and are refused below
        if segment == 0:
            u = np.exp(t)
            x = gammaincinv(shape, u)
            return np.log(x), u / (x * density(x))         # d log x / d log u
        if segment == 1:
            x = gammaincinv(shape, t)
            return x, 1.0 / density(x)                     # dx/du
        x = gammainccinv(shape, np.exp(-t))                # 1 - u = exp(-w), exactly
        return x, np.exp(-t) / density(x)                  # dx/dw


@lru_cache(maxsize=64)
def gamma_table(shape: float) -> Optional[np.ndarray]:
    """The table of the unit-scale gamma quantile of ``shape``, or None when it cannot reach ``TOLERANCE``."""
    parts: list[np.ndarray] = []
    for segment, (_, _, nodes) in enumerate(_SEGMENTS):
        parts.extend(_nodes(shape, segment, nodes + 1))
    table = np.concatenate(parts)
    if not np.isfinite(table).all():
        return None
    for segment, (low, high, nodes) in enumerate(_SEGMENTS):
        h = (high - low) / nodes
        exact, _ = _nodes(shape, segment, nodes)
        got = np.array([_segment_value(table, segment, low + h * (j + 0.5)) for j in range(nodes)])
        if segment == 0:
            exact, got = np.exp(exact), np.exp(got)
        if not np.all(np.abs(got - exact) <= TOLERANCE * np.abs(exact)):
            return None
    table.flags.writeable = False
    return table


@njit(cache=True)
def _hermite(table: np.ndarray, offset: int, nodes: int, low: float, high: float, t: float) -> float:
    """The cubic Hermite curve of the segment at ``offset`` (``nodes`` + 1 values, then as many slopes) at ``t``."""
    h = (high - low) / nodes
    p = (t - low) / h
    i = min(max(int(p), 0), nodes - 1)
    s = p - i
    s2 = s * s
    s3 = s2 * s
    slopes = offset + nodes + 1
    return ((2 * s3 - 3 * s2 + 1) * table[offset + i] + (s3 - 2 * s2 + s) * h * table[slopes + i]
            + (3 * s2 - 2 * s3) * table[offset + i + 1] + (s3 - s2) * h * table[slopes + i + 1])


@njit(cache=True)
def _segment_value(table: np.ndarray, segment: int, t: float) -> float:
    offset = 0
    for j in range(segment):
        offset += 2 * (_SEGMENTS[j][2] + 1)
    low, high, nodes = _SEGMENTS[segment]
    return _hermite(table, offset, nodes, low, high, t)


@njit(cache=True)
def table_quantile(table: np.ndarray, u: float) -> float:
    """The unit-scale gamma quantile at ``u`` from the table of its shape."""
    if u < LOWER:
        return math.exp(_segment_value(table, 0, math.log(u)))
    if u <= UPPER:
        return _segment_value(table, 1, u)
    return _segment_value(table, 2, -math.log1p(-u))
