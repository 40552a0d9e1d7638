"""Everyday hotline traffic that competes with the urgent calls for the POCs.

Picture the desk in late 2017: 15 to 20 calls a day about routine
deconfliction, each taking a POC for some minutes. They arrive as a Poisson
process. A routine caller who finds no POC free is answered by a free duty
officer, if there is one, and then holds for a POC, keeping a place in line;
with ``patience``, it hangs up after that long on hold (with nobody on the
line) and does not call back. Under ``urgent_preempts`` a routine call may be
broken off for an urgent one and resumed, for the rest of its length, when a
POC is free again; a caller whose call was broken off does not hang up.

With no strike at all, no duty officer and a single class of calls, this is
the M/M/c (+M) queue that queueing theory solves exactly, which is how the
desk model is validated. Each call's service time, patience and duty-officer
time are draws number ``n`` of their streams, for call ``n``.
"""

from __future__ import annotations

import contextlib
import math
from dataclasses import dataclass, field
from typing import Generator, Optional

import simpy

from sim.model.caller import Deadline
from sim.model.desk import DeskModel
from sim.model.staff import SeatRequest
from sim.model.streams import Streams
from sim.model.trace import Kind, Trace
from sim.scenario.schema import BackgroundCalls

ACTOR = "routine caller"


@dataclass
class QueueRecord:
    """Per measured call: its wait (until a POC answers, or the caller hangs up) and whether it was served."""

    waits: list[float] = field(default_factory=list)
    served: list[bool] = field(default_factory=list)
    busy_time: float = 0.0
    measured_from: float = 0.0
    measured_to: float = 0.0


class BackgroundTraffic:
    def __init__(self, env: simpy.Environment, config: BackgroundCalls, desk: DeskModel,
                 streams: Streams, until: Optional[float], trace: Trace) -> None:
        self.env = env
        self.trace = trace
        self.config = config
        self.desk = desk
        self.gaps = streams("background.gaps")
        self.service, self.patience = streams("background.service_time"), streams("background.patience")
        self.answer = streams("background.answer_time")
        self.record = QueueRecord()
        self.all_done = env.event()
        self._open = 0
        self._until = until
        self.process = env.process(self._arrivals())

    def _arrivals(self) -> Generator[simpy.Event, None, None]:
        rate_per_min = self.config.rate_per_hour / 60.0
        if rate_per_min <= 0:
            return
        limit = self.config.calls
        warmup = self.config.warmup_calls
        mean_gap = 1.0 / rate_per_min
        n = 0
        while limit is None or n < limit:
            yield self.env.timeout(-mean_gap * math.log1p(-self.gaps.uniform()))
            if self._until is not None and self.env.now >= self._until:
                return
            if n == warmup:
                self.record.measured_from = self.env.now
            self._open += 1
            self.env.process(self._call(n, n >= warmup))
            n += 1
        self.record.measured_to = self.env.now

    def _call(self, n: int, measured: bool) -> Generator[simpy.Event, object, None]:
        env, pocs = self.env, self.desk.pocs
        arrived = env.now
        with pocs.request(urgent=False) as poc:
            served = yield from self._ring(n, poc)
            if self.trace.enabled:
                self.trace.record(env.now, Kind.BACKGROUND_CALL, ACTOR, arrived=round(arrived, 4),
                                  outcome="answered" if served else "abandoned")
            if measured:
                self.record.waits.append(env.now - arrived)
                self.record.served.append(served)
            left = 0.0
            if served:
                service = self.config.service_time.quantile(self.service.at(n))
                if measured:
                    self.record.busy_time += service
                left = yield from self._serve(poc, service)
            key = poc.key
        while left > 0:  # broken off for an urgent call: back at the old place in line
            with pocs.request(urgent=False, key=key) as poc:
                yield poc
                left = yield from self._serve(poc, left)
        self._open -= 1
        if self._open == 0 and not self.process.is_alive and not self.all_done.triggered:
            self.all_done.succeed()

    def _ring(self, n: int, poc: SeatRequest) -> Generator[simpy.Event, object, bool]:
        """Until a POC answers (True) or patience runs out on hold (False); a free duty officer may answer first."""
        if poc.triggered:
            return True
        patience = None if self.config.patience is None else self.config.patience.quantile(self.patience.at(n))
        officers = self.desk.duty_officers
        officer = officers.request(urgent=False) if len(officers) else None
        with officer if officer is not None else contextlib.nullcontext():
            waits: list[simpy.Event] = [poc, *([officer] if officer is not None else [])]
            give_up = None if patience is None else Deadline(self.env, patience)
            since = self.env.now
            yield self.env.any_of(waits + ([give_up] if give_up is not None else []))
            if poc.triggered:
                return True
            if officer is None or not officer.triggered:
                return False
            if patience is not None:
                patience -= self.env.now - since
            yield self.env.timeout(self.desk.config.duty_officers.answer_time.quantile(self.answer.at(n)))
        give_up = None if patience is None else Deadline(self.env, patience)
        yield self.env.any_of([poc] + ([give_up] if give_up is not None else []))
        return poc.triggered

    def _serve(self, poc: SeatRequest, minutes: float) -> Generator[simpy.Event, object, float]:
        """The call for ``minutes``; returns what is left if an urgent call breaks it off."""
        started = self.env.now
        poc.in_progress = True
        try:
            yield self.env.timeout(minutes)
            return 0.0
        except simpy.Interrupt:
            self.trace.record(self.env.now, Kind.PREEMPTED, ACTOR)
            return minutes - (self.env.now - started)
        finally:
            poc.in_progress = False
