"""The pre-strike notice and the receiving side's check of it.

Picture the 2016 notice: the coalition told the Russians over the hotline
where it was going to strike, but the location given was about 9 km from
the real target. The Russian side compared the reported point with its own
positions; none was near the wrong point, so nobody objected. Had the point
been right, the positions would have been inside the check radius and an
objection would have gone back over the hotline.

The notice is a call like any other: it needs a POC at the desk to send it.
The objection then starts the receiving side's stop campaign, which waits on
the same desk.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generator

import simpy

from sim.model.caller import StopCampaign
from sim.model.desk import HotlineDesk
from sim.model.geometry import offset, sites_within
from sim.model.streams import Streams
from sim.model.trace import Trace
from sim.scenario.schema import Notification, Site, Strike

ACTOR = "notice"


@dataclass
class NoticeRecord:
    sent: float = math.nan
    reported_x_km: float = math.nan
    reported_y_km: float = math.nan
    error_km: float = math.nan
    caught: bool = False


def notice_process(env: simpy.Environment, notice: Notification, strike: Strike, sites: list[Site],
                   desk: HotlineDesk, campaign: StopCampaign, streams: Streams, trace: Trace,
                   record: NoticeRecord) -> Generator[simpy.Event, None, None]:
    rng = streams("location")
    lead = notice.lead_time.sample(rng)
    error = notice.error.distance_km.sample(rng)
    bearing = notice.error.bearing_deg.sample(rng)
    check_time = notice.check_time.sample(rng)
    yield env.timeout(max(strike.start - lead, 0.0))
    with desk.request_poc() as poc:
        yield poc
        yield env.timeout(desk.config.pocs.message_time.sample(streams("desk", 3)))
    record.sent = env.now
    record.error_km = error
    record.reported_x_km, record.reported_y_km = offset(strike.target.x_km, strike.target.y_km, error, bearing)
    trace.record(env.now, "notice_sent", ACTOR, reported_x_km=round(record.reported_x_km, 3),
                 reported_y_km=round(record.reported_y_km, 3), error_km=round(error, 3))
    yield env.timeout(check_time)
    conflicts = sites_within((record.reported_x_km, record.reported_y_km), notice.check_radius_km, sites)
    record.caught = bool(conflicts)
    trace.record(env.now, "notice_checked", "receiving side", conflict=record.caught,
                 sites=[sites[i].name for i in conflicts])
    if record.caught:
        yield campaign.trigger("objection")
