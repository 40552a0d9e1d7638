"""A party notices its positions are being hit, and calls.

Picture the Syrian positions on Jabal Tharda: the first bombs fall at 15:55,
and it takes about half an hour for word to reach Russian officers who can
call the hotline. Each party has its own delay, counted from the first
release that lands on a protected site. A party that notices after the
strike has already been stopped does not call.
"""

from __future__ import annotations

from typing import Any, Generator

import simpy

from sim.model.caller import StopCampaign
from sim.model.strike import StrikeProcess
from sim.model.trace import Kind, Trace


def detection_process(env: simpy.Environment, strike: StrikeProcess, delay: float,
                      campaign: StopCampaign, trace: Trace) -> Generator[simpy.Event, Any, None]:
    fired = yield strike.first_hit | strike.process
    if strike.first_hit not in fired:
        return  # the strike ended without touching a protected site
    yield env.timeout(delay)
    if strike.record.ordered_by:
        return  # someone else's call stopped it already
    trace.record(env.now, Kind.DETECTED, campaign.party.name, delay=round(delay, 4))
    yield campaign.trigger("detection")
