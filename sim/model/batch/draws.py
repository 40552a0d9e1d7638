"""The SimPy model's random numbers for a whole batch of replications at once.

Stream ``quantity`` of replication ``k`` under root seed ``s`` gives the same
n-th uniform here as ``Streams(s, k)(quantity)`` does one at a time
(``sim.model.streams``): the keys are computed with the same mix, in compiled code.
"""

from __future__ import annotations

import numpy as np

from sim.compiled import njit
from sim.model.streams import _GOLDEN, _HALF_ULP, _M1, _M2, _SCALE, _SHIFT, quantity_key, root_key
from sim.scenario.distributions import _Dist
from sim.scenario.quantiles import quantile


class BatchStreams:
    """The streams of replications ``replications`` of root ``seed``, by quantity name."""

    def __init__(self, seed: int, replications: np.ndarray) -> None:
        self._keys = _replication_keys(np.uint64(root_key(seed)), replications.astype(np.uint64))
        self.size = replications.size

    def keys(self, quantity: str) -> np.ndarray:
        return _stream_keys(self._keys, np.uint64(quantity_key(quantity)))

    def uniforms(self, quantity: str, draws: int, first: int = 0) -> np.ndarray:
        """Uniforms ``first .. first + draws - 1`` of every replication: shape (replications, draws)."""
        return _uniform_table(self._keys, np.uint64(quantity_key(quantity)), first, draws)

    def sample(self, dist: _Dist, quantity: str) -> np.ndarray:
        """The first draw of ``quantity`` in every replication (what ``dist.sample(stream)`` gives)."""
        return dist.quantiles(self.uniforms(quantity, 1)[:, 0])


# The same numbers inside compiled code, one at a time: a replication's kernel draws what it needs when it needs it.

_U30, _U27, _U31, _USHIFT = np.uint64(30), np.uint64(27), np.uint64(31), np.uint64(_SHIFT)
_UGOLDEN, _UM1, _UM2 = np.uint64(_GOLDEN), np.uint64(_M1), np.uint64(_M2)


@njit(cache=True)
def mix(z: np.uint64) -> np.uint64:
    """``sim.model.streams._mix`` on a uint64 (whose arithmetic wraps as the Python one masks)."""
    z = np.uint64(z)  # a Python int below 2**63 would come in as int64
    z = (z ^ (z >> _U30)) * _UM1
    z = (z ^ (z >> _U27)) * _UM2
    return z ^ (z >> _U31)


@njit(cache=True)
def key_of(parent: np.uint64, index: np.uint64) -> np.uint64:
    """``replication_key`` (parent = root key, index = replication) and the counter of ``uniform``."""
    return mix(np.uint64(parent) ^ mix(np.uint64(index) * _UGOLDEN + _UGOLDEN))


@njit(cache=True)
def uniform_at(key: np.uint64, n: int) -> float:
    """Uniform ``n`` of the stream with ``key``: ``sim.model.streams.uniform(key, n)``, in (0, 1)."""
    return (float(key_of(key, np.uint64(n)) >> _USHIFT) + _HALF_ULP) * _SCALE


@njit(cache=True)
def stream_key_of(replication: np.uint64, quantity: np.uint64) -> np.uint64:
    """``sim.model.streams.stream_key``: the key of one quantity's stream in one replication."""
    return mix(np.uint64(replication) ^ np.uint64(quantity))


@njit(cache=True)
def draw(row: np.ndarray, key: np.uint64, n: int) -> float:
    """Draw ``n`` of a quantity with distribution ``row`` (``sim.scenario.quantiles``) and stream ``key``."""
    return quantile(row, uniform_at(key, n))


# The tables of a batch, compiled: a batch asks for some 40 of them, and numpy's cost per call on arrays of a
# few hundred numbers was most of a small batch's time.

@njit(cache=True)
def _replication_keys(root: np.uint64, replications: np.ndarray) -> np.ndarray:
    out = np.empty(replications.size, dtype=np.uint64)
    for i in range(replications.size):
        out[i] = key_of(root, replications[i])
    return out


@njit(cache=True)
def _stream_keys(replications: np.ndarray, quantity: np.uint64) -> np.ndarray:
    out = np.empty(replications.size, dtype=np.uint64)
    for i in range(replications.size):
        out[i] = stream_key_of(replications[i], quantity)
    return out


@njit(cache=True)
def _uniform_table(replications: np.ndarray, quantity: np.uint64, first: int, draws: int) -> np.ndarray:
    out = np.empty((replications.size, draws))
    for i in range(replications.size):
        key = stream_key_of(replications[i], quantity)
        for j in range(draws):
            out[i, j] = uniform_at(key, first + j)
    return out
