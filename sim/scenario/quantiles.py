"""Every distribution's inverse distribution function as compiled code, one row of numbers per distribution.

Picture the batch engine working through replication 7 of the stochastic
Deir ez-Zor afternoon: the POC's next away spell is due, so it needs draw 3
of the stream ``hotline.pocs[0][0].away_for``, a lognormal. It has the
uniform; what it needs is the lognormal's quantile at that uniform, inside
its compiled loop, without going back to Python. So each distribution is
written once as a row of float64 (``encode``): a code for its kind, then its
parameters, and ``quantile(row, u)`` computes the value from the row.

The functions are the ones ``sim.scenario.distributions`` defines, with the
same special functions (``ndtri`` and ``gammaincinv`` are scipy's own compiled
code, called from numba), and the distributions' own ``quantile`` calls this
code where it has no plain formula (gamma), so the SimPy engine and the batch
engine turn the same uniform into the same number. A gamma row carries the
table of its shape (``sim.scenario.gamma_table``) after its parameters.
"""

from __future__ import annotations

import math
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import llvmlite.binding
import numpy as np
from numba import types
from numba.extending import get_cython_function_address

from sim.compiled import njit
from sim.scenario.gamma_table import gamma_table, table_quantile

if TYPE_CHECKING:
    from sim.scenario.distributions import _Dist

FIXED, EXPONENTIAL, LOGNORMAL, UNIFORM, TRIANGULAR, GAMMA, WEIBULL, EMPIRICAL = range(8)
PARAMETERS = 4
"""Row layout: ``[code, p0, p1, p2, p3]``; an empirical row has its value count in p0 and the values after; a gamma
row is ``[code, shape, scale, 1 if a table follows else 0, 0, table...]``."""



def _scipy_function(name: str, signature: Any) -> Any:
    """scipy's compiled special function ``name``, callable from numba by a symbol name of our own.

    Registering the address under a name (rather than calling a ctypes pointer) keeps the compiled
    functions that use it cacheable: the cache refers to the name, resolved again in each process.
    """
    symbol = f"hotline_scipy_{name}"
    llvmlite.binding.add_symbol(symbol, get_cython_function_address("scipy.special.cython_special", name))
    return types.ExternalFunction(symbol, signature)


ndtri: Any = _scipy_function("ndtri", types.float64(types.float64))
"""The standard normal quantile (in compiled code only; Python calls ``scipy.special.ndtri``, the same code)."""
gammaincinv: Any = _scipy_function("gammaincinv", types.float64(types.float64, types.float64))
"""The inverse regularised lower incomplete gamma function, likewise."""


def encode(dist: "_Dist") -> np.ndarray:
    """``dist`` as a row for ``quantile``."""
    parameters: list[float]
    kind = dist.dist  # type: ignore[attr-defined]
    if kind == "fixed":
        code, parameters = FIXED, [dist.value]  # type: ignore[attr-defined]
    elif kind == "exponential":
        code, parameters = EXPONENTIAL, [dist.mean]  # type: ignore[attr-defined]
    elif kind == "lognormal":
        code, parameters = LOGNORMAL, list(dist._log_parameters())  # type: ignore[attr-defined]
    elif kind == "uniform":
        code, parameters = UNIFORM, [dist.low, dist.high]  # type: ignore[attr-defined]
    elif kind == "triangular":
        code, parameters = TRIANGULAR, [dist.low, dist.mode, dist.high]  # type: ignore[attr-defined]
    elif kind == "gamma":
        return gamma_row(dist.shape, dist.scale)  # type: ignore[attr-defined]
    elif kind == "weibull":
        code, parameters = WEIBULL, [dist.shape, dist.scale]  # type: ignore[attr-defined]
    elif kind == "empirical":
        values = [float(v) for v in dist.values]  # type: ignore[attr-defined]
        return np.array([EMPIRICAL, len(values), 0.0, 0.0, 0.0, *values], dtype=np.float64)
    else:  # pragma: no cover - the schema admits no other kind
        raise ValueError(f"no compiled quantile for distribution {kind!r}")
    row = np.zeros(1 + PARAMETERS)
    row[0] = code
    row[1:1 + len(parameters)] = parameters
    return row


@lru_cache(maxsize=256)
def gamma_row(shape: float, scale: float) -> np.ndarray:
    """The row of a gamma distribution, with the table of its shape when one reaches the tolerance."""
    table = gamma_table(shape)
    row = np.concatenate([[GAMMA, shape, scale, 0.0 if table is None else 1.0, 0.0], [] if table is None else table])
    row.flags.writeable = False
    return row


def encode_all(dists: "list[_Dist]") -> np.ndarray:
    """Several distributions as the rows of one array (padded with zeros to the longest row)."""
    rows = [encode(d) for d in dists]
    table = np.zeros((len(rows), max([r.size for r in rows] + [1 + PARAMETERS])))
    for i, row in enumerate(rows):
        table[i, :row.size] = row
    return table


@njit(cache=True)
def quantile(row: np.ndarray, u: float) -> float:
    """The value below which a fraction ``u`` of the distribution ``row`` lies, for ``u`` in (0, 1)."""
    code = int(row[0])
    if code == FIXED:
        return row[1]
    if code == EXPONENTIAL:
        return -row[1] * math.log1p(-u)
    if code == LOGNORMAL:
        return math.exp(row[1] + row[2] * ndtri(u))
    if code == UNIFORM:
        return row[1] + u * (row[2] - row[1])
    if code == TRIANGULAR:
        low, mode, high = row[1], row[2], row[3]
        width = high - low
        if u < (mode - low) / width:
            return low + math.sqrt(u * width * (mode - low))
        return high - math.sqrt((1 - u) * width * (high - mode))
    if code == GAMMA:
        if row[3] > 0:
            return row[2] * table_quantile(row[1 + PARAMETERS:], u)
        return row[2] * gammaincinv(row[1], u)
    if code == WEIBULL:
        return row[2] * (-math.log1p(-u)) ** (1 / row[1])
    return row[1 + PARAMETERS + int(u * int(row[1]))]  # EMPIRICAL


@njit(cache=True)
def quantiles(row: np.ndarray, u: np.ndarray) -> np.ndarray:
    """``quantile`` of every element of ``u`` (any shape)."""
    flat = u.ravel()
    out = np.empty(flat.size)
    for i in range(flat.size):
        out[i] = quantile(row, flat[i])
    return out.reshape(u.shape)
