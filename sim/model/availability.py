"""When each POC is at the phone: away intervals, alternating spells, shift rosters.

Picture three POCs. The designated POC of the 2016 replay left for a meeting
at 15:40 and came back at 16:52:33 (an explicit away interval). A POC in a
stochastic study is at the desk for spells of about 90 minutes and away for
about 30, drawn in turn from that POC's own stream (alternating spells). A
POC of a 24-hour desk works the night shift from 20:00 to 08:00+1d and hands
over to the day shift (a roster).

Each kind is a SimPy process that tells the desk's ``StaffPool`` when the
seat leaves and comes back; a POC on a call finishes it first. Kinds
combine: a rostered POC may also step away in alternating spells.
"""

from __future__ import annotations

import math
from typing import Generator

import simpy

from sim.model.staff import Seat, StaffPool
from sim.model.streams import Streams
from sim.scenario.schema import Availability, AwayInterval, Roster


def start_availability(env: simpy.Environment, pool: StaffPool, seat: Seat, availability: Availability,
                       streams: Streams, quantity: str, horizon: float) -> None:
    """Start the processes that take ``seat`` away and back; ``quantity`` names its streams."""
    if availability.away:
        env.process(_intervals(env, pool, seat, availability.away))
    if availability.alternating:
        env.process(_alternating(env, pool, seat, availability, streams, quantity))
    if availability.roster is not None:
        env.process(_roster(env, pool, seat, availability.roster, horizon))


def _intervals(env: simpy.Environment, pool: StaffPool, seat: Seat,
               intervals: list[AwayInterval]) -> Generator[simpy.Event, None, None]:
    """Explicit intervals; one that began before the clock origin has the seat away from minute 0."""
    changes = sorted([(max(i.start, 0.0), 1) for i in intervals if i.end > 0]
                     + [(i.end, -1) for i in intervals if i.end > 0])
    for moment, step in changes:
        if moment > env.now:
            yield env.timeout(moment - env.now)
        if step > 0:
            pool.leave(seat)
        else:
            pool.back(seat)


def _alternating(env: simpy.Environment, pool: StaffPool, seat: Seat, availability: Availability,
                 streams: Streams, quantity: str) -> Generator[simpy.Event, None, None]:
    """At the desk for an ``available`` spell, then away for ``away_for`` once any call is finished."""
    assert availability.available is not None and availability.away_for is not None
    present, away = streams(f"{quantity}.available"), streams(f"{quantity}.away_for")
    if not availability.starts_away:
        yield env.timeout(availability.available.sample(present))
    while True:
        pool.leave(seat)
        yield pool.idle(seat)
        yield env.timeout(availability.away_for.sample(away))
        pool.back(seat)
        yield env.timeout(availability.available.sample(present))


def on_duty(roster: Roster, horizon: float) -> list[tuple[float, float]]:
    """The roster's shifts as (start, end) minutes, unrolled over [0, horizon], back-to-back ones kept apart."""
    period = roster.period
    cycles = range(math.floor(-max(s.end for s in roster.shifts) / period),
                   math.ceil((horizon - min(s.start for s in roster.shifts)) / period) + 1)
    spans = sorted((s.start + k * period, s.end + k * period)
                   for k in cycles for s in roster.shifts)
    return [(start, end) for start, end in spans if end > 0 and start < horizon]


def _roster(env: simpy.Environment, pool: StaffPool, seat: Seat, roster: Roster,
            horizon: float) -> Generator[simpy.Event, None, None]:
    """Off duty between shifts; at a back-to-back change, the call in progress, then the handover."""
    shifts = on_duty(roster, horizon)
    on = bool(shifts) and shifts[0][0] <= 0.0
    if not on:
        pool.leave(seat)
    for index, (start, end) in enumerate(shifts):
        if not on:
            if start > env.now:
                yield env.timeout(start - env.now)
            pool.back(seat)
            on = True
        if end >= horizon:
            return
        yield env.timeout(end - env.now)
        follows = index + 1 < len(shifts) and shifts[index + 1][0] <= end
        if follows and roster.handover == 0:
            continue  # the next POC sits down as this one gets up
        pool.leave(seat)
        on = False
        if follows:
            yield pool.idle(seat)
            yield env.timeout(roster.handover)
            pool.back(seat)
            on = True
