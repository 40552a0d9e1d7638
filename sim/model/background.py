"""Everyday hotline traffic that competes with the urgent call for the POCs.

Picture the desk in late 2017: 15 to 20 calls a day about routine
deconfliction, each taking a POC for some minutes. They arrive as a Poisson
process; each caller holds for a POC, and hangs up if its patience runs out.
With no strike at all, this is the M/M/c (+M) queue that queueing theory
solves exactly, which is how the desk model is validated.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Generator, Optional

import simpy

from sim.model.desk import HotlineDesk
from sim.model.streams import Streams
from sim.model.trace import Trace
from sim.scenario.schema import BackgroundCalls


@dataclass
class QueueRecord:
    """Per measured call: its wait (until service or hang-up) and whether it was served."""

    waits: list[float] = field(default_factory=list)
    served: list[bool] = field(default_factory=list)
    busy_time: float = 0.0
    measured_from: float = 0.0
    measured_to: float = 0.0


class BackgroundTraffic:
    def __init__(self, env: simpy.Environment, config: BackgroundCalls, desk: HotlineDesk,
                 streams: Streams, until: Optional[float], trace: Trace) -> None:
        self.env = env
        self.trace = trace
        self.config = config
        self.pocs = desk.pocs
        self.arrival_rng = streams("background", 0)
        self.service_rng = streams("background", 1)
        self.patience_rng = streams("background", 2)
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
        exponential = self.arrival_rng.exponential
        n = 0
        while limit is None or n < limit:
            yield self.env.timeout(exponential(mean_gap))
            if self._until is not None and self.env.now >= self._until:
                return
            if n == warmup:
                self.record.measured_from = self.env.now
            self._open += 1
            self.env.process(self._call(n >= warmup))
            n += 1
        self.record.measured_to = self.env.now

    def _call(self, measured: bool) -> Generator[simpy.Event, None, None]:
        env = self.env
        arrived = env.now
        service = self.config.service_time.sample(self.service_rng)
        request = self.pocs.request(priority=0)
        if self.config.patience is None:
            yield request
            served = True
        else:
            patience = self.config.patience.sample(self.patience_rng)
            if not request.triggered:
                yield request | env.timeout(patience)
            served = request.triggered
            if not served:
                request.cancel()
        if self.trace.enabled:
            self.trace.record(env.now, "background_call", "background", arrived=round(arrived, 4),
                              outcome="answered" if served else "abandoned")
        if measured:
            self.record.waits.append(env.now - arrived)
            self.record.served.append(served)
            if served:
                self.record.busy_time += service
        if served:
            yield env.timeout(service)
            self.pocs.release(request)
        self._open -= 1
        if self._open == 0 and not self.process.is_alive and not self.all_done.triggered:
            self.all_done.succeed()
