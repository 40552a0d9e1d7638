"""The pre-strike notice and the receiving side's check of it.

Picture the 2016 notice: the coalition told the Russians over the hotline
where it was going to strike, but the location given was about 9 km from
the real target. The Russian side compared the reported point with its own
positions; none was near the wrong point, so nobody objected. Had the point
been right, the positions would have been inside the check radius and an
objection would have gone back over the hotline.

The notice is an urgent call like any other: it needs a POC of the hotline
desk to send it, so it waits when none is free. The check, and the
objection it may start, follow from when the notice actually went out. The
record keeps when the notice was *due* as well, because the time it waited
at the desk delays the objection and so belongs to the harm due to delay
(``sim.model.accounting``); and it says whether the conflict was found
before the strike began or only after (caught late).

A notice may name a region ("north Syria") instead of a point
(``region_radius_km``): the receiving side then objects for any of its sites
within the check radius of any point of the region, and the record says
whether the region contains the real target at all.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generator

import simpy

from sim.model.caller import StopCampaign
from sim.model.desk import DeskModel
from sim.model.geometry import distance, offset, sites_within
from sim.model.streams import Streams
from sim.model.trace import Kind, Trace
from sim.scenario.schema import Notification, Site, Strike

ACTOR = "notice"


@dataclass
class NoticeRecord:
    due: float = math.nan          # when the notice was due to go out
    sent: float = math.nan
    check_time: float = math.nan   # from sending to the end of the check
    checked: float = math.nan
    error_km: float = math.nan
    caught: bool = False           # the check found a protected site near the notified point
    covers_target: bool = True     # the notified point or region contains the target

    @property
    def objection_on_time(self) -> float:
        """When the objection would have been made had the notice gone out when due."""
        return self.due + self.check_time if self.caught else math.nan


def notice_process(env: simpy.Environment, notice: Notification, strike: Strike, sites: list[Site],
                   desk: DeskModel, campaign: StopCampaign, streams: Streams, trace: Trace,
                   record: NoticeRecord) -> Generator[simpy.Event, object, None]:
    lead = notice.lead_time.sample(streams("notification.lead_time"))
    error = notice.error.distance_km.sample(streams("notification.error_km"))
    bearing = notice.error.bearing_deg.sample(streams("notification.error_bearing"))
    record.check_time = notice.check_time.sample(streams("notification.check_time"))
    record.error_km = error
    record.due = max(strike.start - lead, 0.0)
    yield env.timeout(record.due)
    with desk.pocs.request(urgent=True) as poc:
        yield poc
        assert poc.seat is not None
        yield env.timeout(desk.message_time(poc.seat).sample(streams("notification.message_time")))
    record.sent = env.now
    reported = offset(strike.target.x_km, strike.target.y_km, error, bearing)
    trace.record(env.now, Kind.NOTICE_SENT, ACTOR, reported_x_km=round(reported[0], 3),
                 reported_y_km=round(reported[1], 3), error_km=round(error, 3), due=round(record.due, 4))
    yield env.timeout(record.check_time)
    region = notice.region_radius_km or 0.0
    record.covers_target = distance(*reported, strike.target.x_km, strike.target.y_km) <= region + 1e-9
    conflicts = sites_within(reported, notice.check_radius_km + region, sites)
    record.caught = bool(conflicts)
    record.checked = env.now
    trace.record(env.now, Kind.NOTICE_CHECKED, "receiving side", conflict=record.caught,
                 sites=[sites[i].name for i in conflicts])
    if record.caught:
        yield campaign.trigger("objection")
