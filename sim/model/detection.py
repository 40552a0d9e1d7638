"""The receiving side notices its positions are being hit, and calls.

Picture the Syrian positions on Jabal Tharda: the first bombs fall at 15:55,
and it takes about half an hour for word to reach Russian officers who can
call the hotline. The delay runs from the first release that lands on a
protected site.
"""

from __future__ import annotations

from typing import Generator

import simpy

from sim.model.caller import StopCampaign
from sim.model.strike import StrikeProcess
from sim.model.trace import Trace


def detection_process(env: simpy.Environment, strike: StrikeProcess, delay: float,
                      campaign: StopCampaign, trace: Trace) -> Generator[simpy.Event, None, None]:
    fired = yield strike.first_hit | strike.process
    if strike.first_hit not in fired:
        return  # the strike ended without touching a protected site
    yield env.timeout(delay)
    trace.record(env.now, "detected", "receiving side", delay=round(delay, 4))
    yield campaign.trigger("detection")
