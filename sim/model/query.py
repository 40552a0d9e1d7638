"""The striking side asks first: "are your forces at this point?"

Picture Salala, 25 November 2011: before engaging, a US-Afghan force asks
the border coordination centre whether Pakistani troops are near a point.
The point passed on is about 14 km off the posts about to be hit, so the
Pakistani liaison officer truthfully answers no, and the strike goes ahead.

The point asked about is the target moved by the query's location error.
The other side answers yes when one of its sites lies within the check
radius of that point, unless it denies (an evasive or mistaken answer). A
yes holds the strike (the striking side orders its own abort, which reaches
the aircraft an abort latency later); a no clears it. The answer is *wrong*
when it differs from the true answer at the real target.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Generator

import simpy

from sim.model.geometry import offset, sites_within
from sim.model.streams import Streams
from sim.model.strike import StrikeProcess
from sim.model.trace import Kind, Trace
from sim.scenario.schema import Query, Site, Strike


@dataclass
class QueryRecord:
    asked: float = math.nan
    answered: float = math.nan
    error_km: float = math.nan
    yes: bool = False      # "yes, our forces are there"
    wrong: bool = False    # the answer differs from the truth at the real target


def query_process(env: simpy.Environment, query: Query, config: Strike, sites: list[Site], strike: StrikeProcess,
                  streams: Streams, trace: Trace, record: QueryRecord) -> Generator[simpy.Event, object, None]:
    lead = query.lead_time.sample(streams("query.lead_time"))
    record.error_km = query.error.distance_km.sample(streams("query.error_km"))
    bearing = query.error.bearing_deg.sample(streams("query.error_bearing"))
    answer_time = query.answer_time.sample(streams("query.answer_time"))
    denies = streams("query.denial").uniform() < query.denial_probability
    asked_at = config.start - lead   # before the clock origin, it happens at the origin
    record.asked = max(asked_at, 0.0)
    yield env.timeout(record.asked)
    asked = offset(config.target.x_km, config.target.y_km, record.error_km, bearing)
    trace.record(env.now, Kind.QUERY_ASKED, "striking side", asked_x_km=round(asked[0], 3),
                 asked_y_km=round(asked[1], 3), error_km=round(record.error_km, 3))
    yield env.timeout(max(asked_at + answer_time, 0.0) - env.now)
    record.answered = env.now
    record.yes = bool(sites_within(asked, query.check_radius_km, sites)) and not denies
    truth = bool(sites_within(config.target, query.check_radius_km, sites))
    record.wrong = record.yes != truth
    trace.record(env.now, Kind.QUERY_ANSWERED, "receiving side", yes=record.yes, wrong=record.wrong)
    if record.yes:
        strike.order_abort("query answer")
