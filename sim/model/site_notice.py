"""The receiving side's notice of its sites, and whether it reaches the striking cell.

Picture Kunduz, 29 September 2015: MSF sends the trauma centre's exact
coordinates to the US headquarters, which confirms receipt. Four days later
a gunship launched early, without the no-strike list, fires on the
hospital. The notice was right and on time; it never reached the crew.

So the notice arrives at the striking side's headquarters ``lead_time``
before the strike, and reaches the striking cell only with the
dissemination probability, a dissemination delay later. A cell that has it
compares its target with the listed positions (the true sites moved by the
notice's location error): one within the check radius and the cell holds
fire, or ceases fire at once if the strike has begun (no abort latency: the
cell is the one firing).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generator

import simpy

from sim.model.geometry import distance, offset
from sim.model.streams import Streams
from sim.model.strike import StrikeProcess
from sim.model.trace import Kind, Trace
from sim.scenario.schema import Site, SiteNotice, Strike

ACTOR = "striking cell"


@dataclass
class SiteNoticeRecord:
    received: float = math.nan      # at the striking side's headquarters
    at_cell: float = math.nan       # at the striking cell; NaN if it never got there
    disseminated: bool = False
    caught: bool = False            # the cell found its target on the list


def site_notice_process(env: simpy.Environment, notice: SiteNotice, config: Strike, sites: list[Site],
                        strike: StrikeProcess, streams: Streams, trace: Trace,
                        record: SiteNoticeRecord) -> Generator[simpy.Event, object, None]:
    lead = notice.lead_time.sample(streams("site_notice.lead_time"))
    error = notice.error.distance_km.sample(streams("site_notice.error_km"))
    bearing = notice.error.bearing_deg.sample(streams("site_notice.error_bearing"))
    record.disseminated = streams("site_notice.dissemination").uniform() < notice.dissemination.probability
    delay = notice.dissemination.delay.sample(streams("site_notice.dissemination_delay"))
    # Moments before the clock origin happen at it: the run cannot see earlier, but a notice that
    # reached the cell days before the strike is there when it starts.
    received = config.start - lead
    record.received = max(received, 0.0)
    yield env.timeout(record.received)
    trace.record(env.now, Kind.SITE_NOTICE_RECEIVED, "striking HQ", reaches_cell=record.disseminated)
    if not record.disseminated:
        return
    yield env.timeout(max(received + delay, 0.0) - env.now)
    record.at_cell = env.now
    listed = [offset(s.x_km, s.y_km, error, bearing) for s in sites]
    record.caught = any(distance(x, y, config.target.x_km, config.target.y_km) <= notice.check_radius_km + 1e-9
                        for x, y in listed)
    trace.record(env.now, Kind.SITE_NOTICE_CHECKED, ACTOR, conflict=record.caught)
    if record.caught:
        strike.order_abort("no-strike list", on_board=True)
