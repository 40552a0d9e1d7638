"""The strike: weapons released one after another until they run out or the abort arrives.

The releases follow the plan (``sim.model.releases``). An abort order
reaches the aircraft an abort latency after it is given; from that moment
no release falls, and the strike ends there and then: the arriving abort
interrupts the strike process, which is waiting for its next release. A
release due at the very moment the abort arrives does not fall (the
interrupt comes first), here as in the counterfactual of
``sim.model.accounting``.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Generator

import simpy

from sim.model.releases import PlannedRelease
from sim.model.trace import Kind, Trace

ACTOR = "strike"


@dataclass
class StrikeRecord:
    fallen: list[PlannedRelease] = field(default_factory=list)
    first_hit: float = math.nan       # the first release on a protected site
    abort_order: float = math.nan
    ordered_by: str = ""
    stop_time: float = math.inf       # when the abort reaches the aircraft
    ended: float = math.nan           # the strike is over (last release, or the abort arrived)
    held: bool = False                # the abort arrived before the first release was due


class StrikeProcess:
    """Releases the plan in time order; ``first_hit`` fires at the first release on a site."""

    def __init__(self, env: simpy.Environment, start: float, plan: list[PlannedRelease],
                 abort_latency: float, trace: Trace) -> None:
        self.env = env
        self.plan = plan
        self.abort_latency = abort_latency
        self.trace = trace
        self.record = StrikeRecord()
        self.first_hit = env.event()
        self.releasing = False
        self.process = env.process(self._run(start))

    def order_abort(self, by: str, on_board: bool = False) -> bool:
        """The abort order is given now (the first one counts); it reaches the aircraft after the latency.

        ``on_board``: the striking cell itself stops (its own no-strike check), so no latency.
        """
        if not math.isnan(self.record.abort_order):
            return False
        latency = 0.0 if on_board else self.abort_latency
        self.record.abort_order = self.env.now
        self.record.ordered_by = by
        self.record.stop_time = self.env.now + latency
        self.trace.record(self.env.now, Kind.ABORT_ORDER, by, reaches_aircraft_at=round(self.record.stop_time, 4))
        self.env.process(self._abort_travels(latency))
        return True

    def _abort_travels(self, latency: float) -> Generator[simpy.Event, None, None]:
        yield self.env.timeout(latency)
        if self.releasing:  # before the start, the strike finds the abort there when it begins
            self.process.interrupt("abort")

    def _run(self, start: float) -> Generator[simpy.Event, None, None]:
        env, record = self.env, self.record
        yield env.timeout(start)
        if record.stop_time <= env.now:
            record.held = True
            record.ended = env.now
            self.trace.record(env.now, Kind.STRIKE_HELD, ACTOR, planned_releases=len(self.plan))
            return
        self.trace.record(env.now, Kind.STRIKE_START, ACTOR, planned_releases=len(self.plan))
        self.releasing = True
        try:
            for i, release in enumerate(self.plan):
                if release.time > env.now:
                    yield env.timeout(release.time - env.now)
                if env.now >= record.stop_time:
                    break
                record.fallen.append(release)
                self.trace.record(env.now, Kind.RELEASE, ACTOR, index=i + 1, site=release.site,
                                  killed=release.killed, wounded=release.wounded)
                if release.site is not None and not self.first_hit.triggered:
                    record.first_hit = env.now
                    self.first_hit.succeed(release)
        except simpy.Interrupt:
            pass  # the abort reached the aircraft
        self.releasing = False
        record.ended = env.now
        self.trace.record(env.now, Kind.STRIKE_END, ACTOR, releases=len(record.fallen),
                          aborted=len(record.fallen) < len(self.plan))
