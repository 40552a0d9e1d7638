"""The compiled draws give the SimPy model's numbers exactly: same uniform, same quantile, bit for bit.

The batch engine draws inside compiled loops (``sim.model.batch.draws``) with
each distribution encoded as a row (``sim.scenario.quantiles``); the SimPy
model draws one ``Stream`` at a time in Python. Replication by replication
agreement of the two engines rests on these two facts.
"""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import TypeAdapter
from scipy.special import gammaincinv

from sim.model.batch.draws import draw, key_of, stream_key_of, uniform_at
from sim.model.streams import Streams, quantity_key, root_key, unit
from sim.scenario.distributions import Distribution
from sim.scenario.gamma_table import LOWER, UPPER, gamma_table, table_quantile
from sim.scenario.quantiles import encode, encode_all, quantile

U = np.uint64
DISTRIBUTIONS = [
    {"dist": "fixed", "value": 3.5},
    {"dist": "exponential", "mean": 10},
    {"dist": "lognormal", "mean": 30, "sd": 10},
    {"dist": "lognormal", "mean": 2, "sd": 0},
    {"dist": "uniform", "low": 1, "high": 5},
    {"dist": "triangular", "low": 1, "mode": 2, "high": 5},
    {"dist": "triangular", "low": 0, "mode": 0, "high": 4},
    {"dist": "gamma", "shape": 2, "scale": 0.837838},
    {"dist": "gamma", "shape": 0.3, "scale": 5},
    {"dist": "gamma", "shape": 0.05, "scale": 5},  # no table: scipy's gammaincinv
    {"dist": "weibull", "shape": 1.5, "scale": 2},
    {"dist": "empirical", "values": [4, 1, 9]},
]


@pytest.mark.parametrize("spec", DISTRIBUTIONS, ids=lambda s: s["dist"])
def test_the_compiled_quantile_is_the_distributions_own(spec: dict) -> None:
    dist = TypeAdapter(Distribution).validate_python(spec)
    row = encode(dist)
    u = np.concatenate([np.random.default_rng(1).random(500), [1e-12, 0.5, 1 - 2 ** -53]])
    assert [quantile(row, x) for x in u] == [dist.quantile(float(x)) for x in u]


def test_the_empirical_row_carries_its_values_and_rows_stack_padded() -> None:
    dist = TypeAdapter(Distribution).validate_python({"dist": "empirical", "values": [4, 1, 9]})
    assert [quantile(encode(dist), u) for u in (0.1, 0.4, 0.9)] == [4.0, 1.0, 9.0]  # thirds of (0, 1)
    table = encode_all([TypeAdapter(Distribution).validate_python(3.0), dist])
    assert table.shape == (2, 8) and quantile(table[0], 0.7) == 3.0 and quantile(table[1], 0.7) == 9.0


def test_compiled_uniforms_are_the_streams_numbers() -> None:
    seed = 20160917
    for k in (0, 1, 7, 2 ** 40 + 3):
        replication = key_of(U(root_key(seed)), U(k))
        for quantity in ("callers[0].detection", "harm.killed", "hotline.pocs[0][0].away_for"):
            key = stream_key_of(U(replication), U(quantity_key(quantity)))
            stream = Streams(seed, k)(quantity)
            assert int(key) == stream.key
            assert [uniform_at(U(key), n) for n in range(6)] == [stream.uniform() for _ in range(6)]


def test_a_draw_is_the_quantile_of_that_uniform() -> None:
    dist = TypeAdapter(Distribution).validate_python({"dist": "lognormal", "mean": 30, "sd": 10})
    stream = Streams(5, 3)("callers[0].detection")
    key = U(stream.key)
    assert [draw(encode(dist), key, n) for n in range(4)] == [dist.sample(stream) for _ in range(4)]


@pytest.mark.parametrize("shape", [0.3, 0.7, 1.0, 2.0, 7.5, 40.0, 1000.0])
def test_the_gamma_table_gives_scipys_quantile_to_a_billionth(shape: float) -> None:
    rng = np.random.default_rng(11)
    u = np.concatenate([rng.random(4000), np.exp(rng.uniform(np.log(2.0 ** -54), 0, 4000)),  # into both tails
                        -np.expm1(-rng.uniform(0, 36.7, 4000)), [2.0 ** -54, LOWER, UPPER, 1 - 2.0 ** -53]])
    table = gamma_table(shape)
    assert table is not None
    got = np.array([table_quantile(table, x) for x in u])
    np.testing.assert_allclose(got, gammaincinv(shape, u), rtol=1e-9, atol=0)


def test_a_shape_the_table_cannot_reach_draws_from_scipy_itself() -> None:
    dist = TypeAdapter(Distribution).validate_python({"dist": "gamma", "shape": 0.05, "scale": 3})
    assert gamma_table(0.05) is None  # quantiles down to 1e-320: the log-log tail cannot hold them
    u = np.array([1e-6, 0.3, 0.999])
    assert list(dist.quantiles(u)) == list(3 * gammaincinv(0.05, u))


def test_no_stream_gives_exactly_0_or_1() -> None:
    """With 53 bits plus a half, the largest word would round up to 1.0 and an exponential draw to infinity."""
    assert unit(2 ** 64 - 1) == 1 - 2.0 ** -53 and unit(0) == 2.0 ** -53
    assert 0.0 < unit(2 ** 63 + 2 ** 12 - 1) < 1.0
