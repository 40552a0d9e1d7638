"""Size limits: no input makes a run long or large unless the user asked for that size.

A typo can ask for a billion releases (``count: 1e9``), a call rate of a
billion an hour, or a sweep of a million points; each would run for hours or
exhaust memory before saying anything. Every size is checked against a limit
far above any real hotline before any work starts, and a user who means it
raises every limit a thousandfold with ``--allow-large``; nothing is ever
lifted silently.

The expected number of simulated events of one replication is estimated from
what generates them: releases, routine calls, the spells of every POC's
alternating availability and roster, and each caller's attempts.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields, replace
from typing import Optional

from sim.scenario.errors import Problem
from sim.scenario.schema import Availability, Scenario
from sim.scenario.yaml_lines import KeyPath

LARGE = 1000
"""How much ``--allow-large`` raises every limit."""

EVENTS_PER_CALL = 6  # arrival, queueing, answer, service, hang-up, trace: a generous count


@dataclass(frozen=True)
class Limits:
    releases: int = 10_000
    sites: int = 10_000
    pocs: int = 10_000          # on one desk, all groups together
    calls: int = 1_000_000      # routine calls in one replication
    events: int = 10_000_000    # expected simulated events in one replication
    design_points: int = 100_000
    replications: int = 1_000_000  # per design point

    def raised(self, factor: int = LARGE) -> "Limits":
        return replace(self, **{f.name: getattr(self, f.name) * factor for f in fields(self)})


DEFAULT = Limits()


def limits_for(allow_large: bool) -> Limits:
    return DEFAULT.raised() if allow_large else DEFAULT


def too_many(what: str, limit: int) -> str:
    return f"expected at most {limit:,} {what} (a limit far above any real hotline; --allow-large raises it)"


def size_problems(scenario: Scenario, limits: Limits) -> list[Problem]:
    """Every size of ``scenario`` beyond ``limits``, at the key that sets it."""
    found: list[Problem] = []

    def check(path: KeyPath, amount: float, limit: int, what: str) -> None:
        if amount > limit:
            found.append(Problem(path, path, too_many(what, limit), amount))

    strike = scenario.strike
    if strike is not None:
        releases = strike.releases
        key = "times" if releases.pattern == "explicit" else "count"
        check(("strike", "releases", key), _release_count(scenario) or 0, limits.releases, "releases")
    check(("sites",), len(scenario.sites), limits.sites, "sites")
    for name, desk in scenario.desks.items():
        where: KeyPath = ("desk", "pocs") if desk is scenario.desk else ("other_desks", name, "pocs")
        check(where, desk.poc_count, limits.pocs, "POCs on one desk")
    calls = scenario.background_calls
    if calls is not None and calls.calls is not None:
        check(("background_calls", "calls"), calls.calls, limits.calls, "routine calls in one replication")
    elif calls is not None and _call_count(scenario) > limits.calls:
        path = ("background_calls", "rate_per_hour")
        found.append(Problem(path, path, f"{too_many('routine calls in one replication', limits.calls)}, got "
                                         f"{_call_count(scenario):,.0f} ({calls.rate_per_hour:g} an hour for "
                                         f"{scenario.horizon:,g} min)"))
    if not found:
        events, source = expected_events(scenario)
        if events > limits.events:
            found.append(Problem(source, source, f"one replication would take about {_round(events)} simulated "
                                                 f"events, more than the limit of {limits.events:,} "
                                                 "(--allow-large raises it)"))
    return found


def _round(events: float) -> str:
    return f"{events:.2g}" if math.isinf(events) or events >= 1e6 else f"{events:,.0f}"


def _release_count(scenario: Scenario) -> Optional[int]:
    releases = scenario.strike.releases if scenario.strike is not None else None
    if releases is None:
        return None
    return len(releases.times or []) if releases.pattern == "explicit" else releases.count


def _call_count(scenario: Scenario) -> float:
    calls = scenario.background_calls
    if calls is None:
        return 0.0
    if calls.calls is not None:
        return float(calls.calls)
    return calls.rate_per_hour * scenario.horizon / 60


def expected_events(scenario: Scenario) -> tuple[float, KeyPath]:
    """About how many events one replication simulates, and the key that drives most of them."""
    horizon = scenario.horizon
    parts: dict[KeyPath, float] = {
        ("strike", "releases"): float(_release_count(scenario) or 0),
        ("background_calls",): EVENTS_PER_CALL * _call_count(scenario),
        ("callers",) if scenario.callers else ("caller", "max_attempts"):
            EVENTS_PER_CALL * sum(p.max_attempts for p in scenario.parties),
    }
    for name, desk in scenario.desks.items():
        base: KeyPath = ("desk",) if desk is scenario.desk else ("other_desks", name)
        for index, group in enumerate(desk.pocs):
            path = (*base, "pocs", index, "availability")
            parts[path] = parts.get(path, 0.0) + group.count * _spells(group.availability, horizon)
    source = max(parts, key=lambda key: parts[key])
    return sum(parts.values()), source


def _spells(availability: Availability, horizon: float) -> float:
    """Changes between at the desk and away within ``horizon``, for one POC."""
    changes = 2.0 * len(availability.away)
    if availability.available is not None and availability.away_for is not None:
        cycle = availability.available.mean_value + availability.away_for.mean_value
        changes += math.inf if cycle <= 0 else 2 * horizon / cycle
    roster = availability.roster
    if roster is not None:
        changes += 2 * len(roster.shifts) * (horizon / roster.period + 1)
    return changes
