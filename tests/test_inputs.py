"""Units, distributions and random streams: the pieces every scenario leans on."""

from __future__ import annotations

import numpy as np
import pytest
from pydantic import TypeAdapter, ValidationError

from sim.model.streams import Streams
from sim.scenario.distributions import DurationDistribution
from sim.scenario.units import format_clock, parse_clock, parse_duration

DIST = TypeAdapter(DurationDistribution)


@pytest.mark.parametrize("text, minutes", [
    (27, 27.0), ("27", 27.0), ("90 s", 1.5), ("27 min", 27.0), ("1.5 h", 90.0), ("2 days", 2880.0),
])
def test_durations(text: object, minutes: float) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("bad", ["5 parsecs", "soon", True, None, [1]])
def test_bad_durations(bad: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(bad)


def test_clock_round_trip() -> None:
    assert parse_clock("16:25") == 985.0
    assert parse_clock("16:52:33") == pytest.approx(1012.55)
    assert format_clock(1012.55) == "16:52:33"
    assert format_clock(1440 + 5) == "00:05:00+1d"          # the next day says so
    assert format_clock(1440 + 5, days=False) == "00:05:00"
    assert parse_clock("08:00+1d") == 1440 + 480
    assert parse_clock("20:00-1d") == -240
    assert format_clock(-240) == "20:00:00-1d"
    with pytest.raises(ValueError):
        parse_clock("25:00")


@pytest.mark.parametrize("spec, mean", [
    ({"dist": "exponential", "mean": "10 min"}, 10.0),
    ({"dist": "lognormal", "mean": 30, "sd": 10}, 30.0),
    ({"dist": "uniform", "low": 1, "high": 5}, 3.0),
    ({"dist": "triangular", "low": 2, "mode": 3, "high": 7}, 4.0),
    ({"dist": "gamma", "shape": 2, "scale": 1.5}, 3.0),
    ({"dist": "weibull", "shape": 1.5, "scale": 10}, 10 * 0.9027452929509336),
    ({"dist": "empirical", "values": [1, 2, 6]}, 3.0),
    ("90 s", 1.5),
])
def test_distribution_sample_means_match_their_parameters(spec: object, mean: float) -> None:
    dist = DIST.validate_python(spec)
    assert dist.mean_value == pytest.approx(mean)
    stream = Streams(7, 0)("test")
    draws = np.array([dist.sample(stream) for _ in range(20_000)])
    standard_error = max(draws.std(), 1e-12) / np.sqrt(draws.size)
    assert abs(draws.mean() - mean) < 4 * standard_error + 1e-12


def test_lognormal_has_the_requested_spread() -> None:
    dist = DIST.validate_python({"dist": "lognormal", "mean": 30, "sd": 10})
    stream = Streams(3, 0)("test")
    draws = np.array([dist.sample(stream) for _ in range(50_000)])
    assert draws.std() == pytest.approx(10, rel=0.05)


@pytest.mark.parametrize("bad", [
    {"dist": "uniform", "low": 5, "high": 1},
    {"dist": "exponential", "mean": -1},
    {"dist": "triangular", "low": 1, "mode": 9, "high": 5},
    {"dist": "normal", "mean": 1},
    {"mean": 1},
])
def test_bad_distributions(bad: object) -> None:
    with pytest.raises(ValidationError):
        DIST.validate_python(bad)


def test_streams_are_keyed_by_seed_replication_and_quantity() -> None:
    a, b = Streams(42, 3), Streams(42, 3)
    b("harm.killed").uniforms(100)  # drawing from another quantity ...
    assert a("detection").uniform() == b("detection").uniform()  # ... leaves this one alone
    assert Streams(42, 3)("pocs[0][0]").uniform() != Streams(42, 3)("pocs[0][1]").uniform()
    assert Streams(42, 3)("caller").uniform() != Streams(42, 4)("caller").uniform()
    assert Streams(42, 3)("caller").uniform() != Streams(43, 3)("caller").uniform()
