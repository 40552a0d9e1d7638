"""A desk: who picks up the phone, and when they are there.

Picture the air operations centre in 2016: one designated point of contact
(POC) takes the other side's calls and can act on them; beside the POC sits
a duty officer who can answer the phone but only take a message. POCs come
in groups that share how they are available (the designated POC, a second
POC added in a what-if, a night shift); each POC of a group is its own seat
with its own spells away (``sim.model.availability``).

A desk is two ``StaffPool``s: the POCs, in the desk's precedence, and the
duty officers (never preempted: they only take messages). A call that finds
no POC free is answered by a free duty officer, urgent or routine alike;
each duty officer is one server.
"""

from __future__ import annotations

import simpy

from sim.model.availability import start_availability
from sim.model.staff import Seat, StaffPool
from sim.model.streams import Streams
from sim.model.trace import Trace
from sim.scenario.distributions import DurationDistribution
from sim.scenario.schema import HOTLINE, Desk


class DeskModel:
    def __init__(self, env: simpy.Environment, name: str, config: Desk, streams: Streams, trace: Trace,
                 horizon: float) -> None:
        self.name = name
        self.config = config
        prefix = "" if name == HOTLINE else f"{name}: "
        self._message_time: dict[str, DurationDistribution] = {}
        names: list[str] = []
        for group in config.pocs:
            for i in range(group.count):
                seat = prefix + (group.name if group.count == 1 else f"{group.name} {i + 1}")
                names.append(seat)
                self._message_time[seat] = group.message_time
        self.pocs = StaffPool(env, names, config.precedence, trace)
        officers = config.duty_officers
        self.duty_officers = StaffPool(
            env, [prefix + ("duty officer" if officers.count == 1 else f"duty officer {i + 1}")
                  for i in range(officers.count)],
            "fifo" if config.precedence == "fifo" else "urgent_first", trace, absences_traced=False)
        seats = iter(self.pocs.seats)
        for g, group in enumerate(config.pocs):
            for i in range(group.count):
                start_availability(env, self.pocs, next(seats), group.availability, streams,
                                   f"{name}.pocs[{g}][{i}]", horizon)
        self.relay_delay = config.relay_delay.sample(streams(f"{name}.relay_delay"))
        """From the message reaching someone who can act to the abort order (one draw per replication)."""
        self.verification = config.verification.sample(streams(f"{name}.verification"))
        """After the relay: the striking side checks the claim before ordering the abort."""

    @property
    def time_to_order(self) -> float:
        """From the message through to the abort order: relay, then verification."""
        return self.relay_delay + self.verification

    def message_time(self, seat: Seat) -> DurationDistribution:
        """How long the POC at ``seat`` takes an urgent message (its group's)."""
        return self._message_time[seat.name]
