"""One random stream per source of randomness, derived from one seed.

Think of a sweep comparing one POC with two: in replication 7 the detection
delay, the misunderstanding of the first call and the background traffic
should be the *same* under both designs, so that the difference in harm is
due to staffing alone (common random numbers). That holds only if adding a
POC does not shift the draws of every other source. So each source, and each
entity within a source (POC 0, POC 1, ...), gets its own generator, keyed by
``SeedSequence(seed, spawn_key=(replication, source, *entity))``: the same
key gives the same stream whatever else the model draws, whichever worker
runs it and in whatever order replications finish.
"""

from __future__ import annotations

import numpy as np

SOURCES = (
    "detection",     # when the receiving side notices the strike
    "availability",  # POC away/available periods, one stream per POC
    "background",    # background calls: arrivals, service and patience
    "language",      # misunderstood calls
    "location",      # notified-location error and check timing
    "harm",          # killed and wounded per release
    "strike",        # release times and scatter (0), abort latency (1)
    "caller",        # redial delays (0) and patience (1)
    "desk",          # answer (0), message (1), officer relay (2), notice (3), relay to abort (4)
)
_INDEX = {name: i for i, name in enumerate(SOURCES)}


class Streams:
    """Lazily created generators for one replication of one seed."""

    __slots__ = ("seed", "replication", "_cache")

    def __init__(self, seed: int, replication: int) -> None:
        self.seed = seed
        self.replication = replication
        self._cache: dict[tuple[int, ...], np.random.Generator] = {}

    def __call__(self, source: str, *entity: int) -> np.random.Generator:
        key = (self.replication, _INDEX[source], *entity)
        rng = self._cache.get(key)
        if rng is None:
            rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(self.seed, spawn_key=key)))
            self._cache[key] = rng
        return rng
