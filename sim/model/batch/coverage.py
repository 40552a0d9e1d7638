"""Whether the batch engine computes a scenario exactly as the SimPy model does.

The batch engine covers a strike with one caller on the hotline desk, any POC
groups and availability (alternating spells, explicit intervals, rosters with
handovers), duty officers, the three policies, patience, misunderstanding and
redial, the notice, and background calls with or without patience under any
precedence, lines and preemption included (``kernel``, ``events``; a
replication where two desk events fall at the very same moment is handed to
the SimPy model by the engine itself). What it does not cover runs on the
SimPy model; ``uncovered`` names the first such feature in words a user reads
on one line.
"""

from __future__ import annotations

from typing import Optional

from sim.scenario.distributions import Fixed
from sim.scenario.schema import HOTLINE, Scenario


def uncovered(scenario: Scenario) -> Optional[str]:
    """None when the batch engine covers ``scenario``, else the feature it does not cover."""
    if scenario.strike is None:
        return "a hotline-only queueing model"
    if len(scenario.parties) > 1:
        return "several callers"
    if scenario.parties[0].desk != HOTLINE:
        return "a caller ringing another desk than the hotline"
    if scenario.site_notice is not None:
        return "a notice of the receiving side's sites (site_notice)"
    if scenario.query is not None:
        return "a query from the striking side"
    if scenario.notification is not None and scenario.notification.region_radius_km is not None:
        return "a notice naming a region"
    if scenario.strike.harm.falloff is not None:
        return "harm falling over the strike"
    if not (isinstance(scenario.desk.verification, Fixed) and scenario.desk.verification.value == 0):
        return "verification before the abort order"
    for group in scenario.desk.pocs:
        away = sorted((i.start, i.end) for i in group.availability.away)
        if any(later[0] <= earlier[1] for earlier, later in zip(away, away[1:])):
            return f"away intervals of POC group {group.name!r} that meet or overlap"
    return None
