"""Random numbers as a pure function of (seed, replication, quantity, draw).

Picture replication 7 of a sweep that compares one POC with two. The
detection delay, the misunderstood first call and the background traffic
must be the *same* numbers under both designs, so that the difference in
harm is due to staffing alone (common random numbers). That holds only if
nothing one quantity draws can shift what another gets: adding a POC must
not move the detection delay, and turning ``lead_time: 60`` into a
distribution around 60 must not move the redial delays.

So every random quantity (the detection delay of caller 0, the away spells
of POC 2, the gaps between background calls) has its own ``Stream``, named
by a string, and the n-th number of a stream is computed from
``(root seed, replication, quantity name, n)`` alone. The computation is a
counter-based generator: SplitMix64's output mix (the generator numpy's
``SeedSequence`` tradition grew from) applied to a keyed counter. The root
key comes from ``numpy.random.SeedSequence(seed)``; a stream's key mixes in
the replication and a hash of the quantity's name; its n-th uniform mixes
the key with the mixed counter ``n``. There is no state to create, copy or
advance, so a stream costs nothing until it draws, a worker can start at any
replication, and an engine that computes thousands of replications at once
with array operations (``uniforms``) gets the very same numbers.

Every draw consumes exactly one uniform, taken to a value by the inverse
distribution function (``sim.scenario.distributions``), so the n-th draw of
a quantity is the same number whatever distribution it follows.
"""

from __future__ import annotations

import hashlib
from functools import lru_cache

import numpy as np

_MASK = (1 << 64) - 1
_GOLDEN = 0x9E3779B97F4A7C15
_M1, _M2 = 0xBF58476D1CE4E5B9, 0x94D049BB133111EB
_HALF_ULP = 0.5
_SHIFT = 12
_SCALE = 2.0 ** -52
"""A uniform is the top 52 bits of a mixed word, plus a half, over 2**52: every value is exact in float64, so the
largest is 1 - 2**-53 and the smallest 2**-53 (with 53 bits, the half would round the largest up to 1.0)."""


def _mix(z: int) -> int:
    """SplitMix64's finaliser: a bijection of 64-bit integers that scrambles every bit."""
    z = ((z ^ (z >> 30)) * _M1) & _MASK
    z = ((z ^ (z >> 27)) * _M2) & _MASK
    return z ^ (z >> 31)


def _counter(n: int) -> int:
    return _mix((n * _GOLDEN + _GOLDEN) & _MASK)


@lru_cache(maxsize=64)
def root_key(seed: int) -> int:
    """The 64-bit key of a root seed, from numpy's SeedSequence."""
    return int(np.random.SeedSequence(seed).generate_state(1, np.uint64)[0])


@lru_cache(maxsize=4096)
def quantity_key(name: str) -> int:
    """A stable 64-bit hash of a quantity's name (the same in every Python process)."""
    return int.from_bytes(hashlib.blake2b(name.encode(), digest_size=8).digest(), "little")


def replication_key(seed: int, replication: int) -> int:
    return _mix(root_key(seed) ^ _counter(replication))


def stream_key(replication_key: int, quantity: str) -> int:
    return _mix(replication_key ^ quantity_key(quantity))


def unit(bits: int) -> float:
    """A 64-bit word as a uniform in (0, 1), never 0 or 1."""
    return ((bits >> _SHIFT) + _HALF_ULP) * _SCALE


def uniform(key: int, n: int) -> float:
    """The n-th uniform of the stream with ``key``."""
    return unit(_mix(key ^ _counter(n)))


class Stream:
    """One quantity's numbers in one replication, drawn in order."""

    __slots__ = ("key", "drawn")

    def __init__(self, key: int) -> None:
        self.key = key
        self.drawn = 0

    def uniform(self) -> float:
        """The next uniform: ``uniform(key, n)`` written out, since every draw of the model passes here."""
        n = self.drawn
        self.drawn = n + 1
        z = (n * _GOLDEN + _GOLDEN) & _MASK
        z = ((z ^ (z >> 30)) * _M1) & _MASK
        z = ((z ^ (z >> 27)) * _M2) & _MASK
        z = self.key ^ z ^ (z >> 31)
        z = ((z ^ (z >> 30)) * _M1) & _MASK
        z = ((z ^ (z >> 27)) * _M2) & _MASK
        return (((z ^ (z >> 31)) >> _SHIFT) + _HALF_ULP) * _SCALE

    def at(self, index: int) -> float:
        """Uniform number ``index`` of the stream, without moving on: for per-attempt or per-call quantities,
        so that an attempt that does not need a draw leaves the next attempt's draw where it was."""
        return uniform(self.key, index)

    def uniforms(self, count: int) -> np.ndarray:
        """The next ``count`` uniforms at once (the same numbers ``uniform`` would give in turn)."""
        values = uniforms(np.full(count, self.key, dtype=np.uint64),
                          np.arange(self.drawn, self.drawn + count, dtype=np.uint64))
        self.drawn += count
        return values


class Streams:
    """The streams of one replication of one root seed, by quantity name."""

    __slots__ = ("seed", "replication", "_key")

    def __init__(self, seed: int, replication: int) -> None:
        self.seed = seed
        self.replication = replication
        self._key = replication_key(seed, replication)

    def __call__(self, quantity: str) -> Stream:
        """A fresh stream of ``quantity``: the same numbers however often it is asked for."""
        return Stream(stream_key(self._key, quantity))


# The same construction on arrays: one element per (stream, draw).

def _mix_array(z: np.ndarray) -> np.ndarray:
    z = (z ^ (z >> np.uint64(30))) * np.uint64(_M1)
    z = (z ^ (z >> np.uint64(27))) * np.uint64(_M2)
    return z ^ (z >> np.uint64(31))


def uniforms(keys: np.ndarray, draws: np.ndarray) -> np.ndarray:
    """``uniform(keys[i], draws[i])`` for every i, with uint64 arithmetic that wraps as the scalar one masks."""
    keys = np.asarray(keys, dtype=np.uint64)
    draws = np.asarray(draws, dtype=np.uint64)
    counter = _mix_array(draws * np.uint64(_GOLDEN) + np.uint64(_GOLDEN))
    bits = _mix_array(keys ^ counter) >> np.uint64(_SHIFT)
    return (bits.astype(np.float64) + _HALF_ULP) * _SCALE
