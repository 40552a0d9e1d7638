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
    assert format_clock(1440 + 5) == "00:05:00"
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
    rng = np.random.default_rng(7)
    draws = np.array([dist.sample(rng) for _ in range(20_000)])
    standard_error = max(draws.std(), 1e-12) / np.sqrt(draws.size)
    assert abs(draws.mean() - mean) < 4 * standard_error + 1e-12


def test_lognormal_has_the_requested_spread() -> None:
    dist = DIST.validate_python({"dist": "lognormal", "mean": 30, "sd": 10})
    rng = np.random.default_rng(3)
    draws = np.array([dist.sample(rng) for _ in range(50_000)])
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


def test_streams_are_keyed_by_seed_replication_source_and_entity() -> None:
    a, b = Streams(42, 3), Streams(42, 3)
    b("harm").random(100)  # drawing from another source ...
    assert a("detection").random() == b("detection").random()  # ... leaves this one alone
    assert Streams(42, 3)("availability", 0).random() != Streams(42, 3)("availability", 1).random()
    assert Streams(42, 3)("caller").random() != Streams(42, 4)("caller").random()
    assert Streams(42, 3)("caller").random() != Streams(43, 3)("caller").random()
