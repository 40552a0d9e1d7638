"""The SimPy model's random numbers for a whole batch of replications at once.

Stream ``quantity`` of replication ``k`` under root seed ``s`` gives the same
n-th uniform here as ``Streams(s, k)(quantity)`` does one at a time
(``sim.model.streams``): the keys are computed with the same mix on arrays.
"""

from __future__ import annotations

import numpy as np

from sim.model.streams import _GOLDEN, _mix_array, quantity_key, root_key, uniforms
from sim.scenario.distributions import _Dist


class BatchStreams:
    """The streams of replications ``replications`` of root ``seed``, by quantity name."""

    def __init__(self, seed: int, replications: np.ndarray) -> None:
        counter = _mix_array(replications.astype(np.uint64) * np.uint64(_GOLDEN) + np.uint64(_GOLDEN))
        self._keys = _mix_array(np.uint64(root_key(seed)) ^ counter)
        self.size = replications.size

    def keys(self, quantity: str) -> np.ndarray:
        return _mix_array(self._keys ^ np.uint64(quantity_key(quantity)))

    def uniforms(self, quantity: str, draws: int, first: int = 0) -> np.ndarray:
        """Uniforms ``first .. first + draws - 1`` of every replication: shape (replications, draws)."""
        index = np.arange(first, first + draws, dtype=np.uint64)
        return uniforms(self.keys(quantity)[:, None], index[None, :])

    def sample(self, dist: _Dist, quantity: str) -> np.ndarray:
        """The first draw of ``quantity`` in every replication (what ``dist.sample(stream)`` gives)."""
        return dist.quantiles(self.uniforms(quantity, 1)[:, 0])

    def per_attempt(self, dist: _Dist, quantity: str, attempts: int) -> np.ndarray:
        """``dist.quantile(stream.at(n))`` for attempts n = 0 .. attempts (column n is attempt n)."""
        return dist.quantiles(self.uniforms(quantity, attempts + 1))
