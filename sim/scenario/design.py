"""Which combinations of factor values to run: a full grid or a Latin hypercube.

A *design point* is one what-if: "2 POCs, callers pass the message to the
duty officer, one background call an hour". A full grid runs every
combination of the listed values (3 x 3 x 2 = 18 points); the first factor
varies slowest, so the points read like a nested table.

With five or six factors over continuous ranges a grid explodes, and a
Latin hypercube samples instead: each factor's range is cut into ``n`` equal
strata, each stratum is used exactly once, and the strata of different
factors are paired at random. ``n`` points then cover every factor's whole
range evenly, which is what a tornado chart of each factor's effect needs.
A factor given as a list of values (a caller policy) is stratified over the
list; a range marked ``integer`` (a number of POCs) over its whole numbers;
other values are rounded to a thousandth of their range, finer than any
stratum of a design of fewer than a thousand points.
The pairing is drawn from the design's own seed, so the same file gives the
same points; the model's streams are untouched by it.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from typing import Any, Mapping, Sequence, Union

import numpy as np


@dataclass(frozen=True)
class Range:
    low: float
    high: float
    integer: bool = False


Dimension = Union[Range, Sequence[Any]]
"""A continuous (or whole-number) range, or a list of values to choose from."""


@dataclass(frozen=True)
class DesignPoint:
    index: int
    factors: dict[str, Any]  # dotted scenario path -> value

    @property
    def label(self) -> str:
        return ", ".join(f"{path}={value}" for path, value in self.factors.items()) or "base scenario"


def full_grid(levels: Mapping[str, Sequence[Any]]) -> list[dict[str, Any]]:
    """Every combination of the listed values, first factor slowest."""
    paths = list(levels)
    return [dict(zip(paths, combo)) for combo in itertools.product(*(levels[p] for p in paths))]


def latin_hypercube(dimensions: Mapping[str, Dimension], points: int, seed: int) -> list[dict[str, Any]]:
    """``points`` samples, each factor's strata used once, paired at random."""
    rng = np.random.default_rng(np.random.SeedSequence(seed))
    columns: dict[str, list[Any]] = {}
    for path, dimension in dimensions.items():
        u = (rng.permutation(points) + rng.uniform(size=points)) / points
        columns[path] = [value_at(dimension, float(x)) for x in u]
    return [{path: columns[path][i] for path in dimensions} for i in range(points)]


def value_at(dimension: Dimension, u: float) -> Any:
    """The value at quantile ``u`` in [0, 1) of a dimension."""
    if isinstance(dimension, Range):
        if dimension.integer:
            low, high = int(dimension.low), int(dimension.high)
            return min(low + int(u * (high - low + 1)), high)
        width = dimension.high - dimension.low
        digits = max(0, 3 - math.floor(math.log10(width)))  # four significant digits of the range
        return round(dimension.low + u * width, digits)
    return dimension[min(int(u * len(dimension)), len(dimension) - 1)]
