"""The hotline desk: who picks up the phone, and when they are there.

Picture the air operations centre in 2016: one designated point of contact
(POC) per day takes the other side's calls and can act on them; beside the
POC sits a duty officer who can answer the phone but only take a message.
POCs leave the desk (a briefing, a meal, another call) and come back.

Here the POCs are one ``simpy.PriorityResource`` whose capacity is the number
of POCs. A POC stepping away is an *away request* at top priority that holds
one unit until the POC comes back; a POC on a call finishes it first, as a
person would. Callers queue for a unit at normal priority, first come first
served. Duty officers are a plain ``simpy.Resource``.
"""

from __future__ import annotations

from typing import Callable, Generator

import simpy

from sim.model.streams import Streams
from sim.model.trace import Trace
from sim.scenario.schema import Availability, Desk

AWAY_PRIORITY = -1
CALL_PRIORITY = 0


class HotlineDesk:
    def __init__(self, env: simpy.Environment, desk: Desk, streams: Streams, trace: Trace) -> None:
        self.env = env
        self.config = desk
        self.streams = streams
        self.trace = trace
        self.pocs = simpy.PriorityResource(env, capacity=max(desk.pocs.count, 1))
        self.duty_officers = simpy.Resource(env, capacity=max(desk.duty_officers.count, 1))
        self.has_duty_officer = desk.duty_officers.count > 0
        if desk.pocs.count == 0:  # nobody who can act ever sits at the desk
            self.env.process(self._away_forever())
        for index in range(desk.pocs.count):
            availability = desk.pocs.availability
            if availability.alternating:
                env.process(self._alternate(index, availability))
            for interval in availability.away:
                env.process(self._away(index, interval.start, interval.end))

    def request_poc(self) -> simpy.resources.resource.PriorityRequest:
        return self.pocs.request(priority=CALL_PRIORITY)

    def poc_free_now(self, request: simpy.Event) -> bool:
        """True when the request was granted the moment it was made."""
        return request.triggered

    def _away_forever(self) -> Generator[simpy.Event, None, None]:
        yield self.pocs.request(priority=AWAY_PRIORITY)

    def _away(self, index: int, start: float, end: float) -> Generator[simpy.Event, None, None]:
        """An explicit away interval of a replay; a POC on a call leaves after it."""
        yield self.env.timeout(start)
        with self.pocs.request(priority=AWAY_PRIORITY) as away:
            yield away
            if self.env.now < end:
                self.trace.record(self.env.now, "poc_away", f"POC {index + 1}")
                yield self.env.timeout(end - self.env.now)
                self.trace.record(self.env.now, "poc_back", f"POC {index + 1}")

    def _alternate(self, index: int, availability: Availability) -> Generator[simpy.Event, None, None]:
        """Available and away periods drawn in turn from this POC's own stream."""
        rng = self.streams("availability", index)
        draw_available: Callable[..., float] = availability.available.sample  # type: ignore[union-attr]
        draw_away: Callable[..., float] = availability.away_for.sample  # type: ignore[union-attr]
        away_first = availability.starts_away
        while True:
            if not away_first:
                yield self.env.timeout(draw_available(rng))
            away_first = False
            with self.pocs.request(priority=AWAY_PRIORITY) as away:
                yield away
                self.trace.record(self.env.now, "poc_away", f"POC {index + 1}")
                yield self.env.timeout(draw_away(rng))
                self.trace.record(self.env.now, "poc_back", f"POC {index + 1}")
