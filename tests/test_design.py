"""Grid and Latin hypercube designs: every combination, every stratum once."""

from __future__ import annotations

from collections import Counter

from sim.scenario.design import Range, full_grid, latin_hypercube


def test_full_grid_is_every_combination_first_factor_slowest() -> None:
    points = full_grid({"desk.pocs.count": [1, 2, 3], "caller.policy": ["wait_for_poc", "escalate_after"]})
    assert len(points) == 6
    assert points[0] == {"desk.pocs.count": 1, "caller.policy": "wait_for_poc"}
    assert points[1] == {"desk.pocs.count": 1, "caller.policy": "escalate_after"}
    assert points[-1] == {"desk.pocs.count": 3, "caller.policy": "escalate_after"}


def test_latin_hypercube_uses_each_stratum_once() -> None:
    n = 30
    points = latin_hypercube({
        "notification.error.distance_km": Range(0, 15),
        "desk.pocs.count": Range(1, 3, integer=True),
        "caller.policy": ["wait_for_poc", "pass_to_duty_officer", "escalate_after"],
    }, n, seed=7)
    assert len(points) == n
    errors = [p["notification.error.distance_km"] for p in points]
    assert sorted(int(e / 15 * n) for e in errors) == list(range(n))  # one value per 0.5 km stratum
    assert Counter(p["desk.pocs.count"] for p in points) == {1: 10, 2: 10, 3: 10}
    assert Counter(p["caller.policy"] for p in points) == {
        "wait_for_poc": 10, "pass_to_duty_officer": 10, "escalate_after": 10}


def test_latin_hypercube_is_fixed_by_its_seed() -> None:
    dims = {"a": Range(0, 1), "b": Range(10, 20)}
    assert latin_hypercube(dims, 12, seed=3) == latin_hypercube(dims, 12, seed=3)
    assert latin_hypercube(dims, 12, seed=3) != latin_hypercube(dims, 12, seed=4)
