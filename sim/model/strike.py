"""The strike: weapons released one after another until they run out or an
abort order reaches the aircraft.

Picture four nations' jets over Jabal Tharda, 37 releases between 15:55 and
16:56. Everything about each planned release (when it would fall, where it
lands, whom it kills and wounds) is drawn before the clock starts, from the
``strike`` and ``harm`` streams. Whether it *does* fall depends only on the
abort: a release falls if it comes before the abort reaches the aircraft.
Drawing the plan first is what makes the counterfactual exact: the same
releases, the same harm, only the stop time differs.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Generator

import numpy as np
import simpy

from sim.model.geometry import offset, site_hit
from sim.model.trace import Trace
from sim.scenario.schema import Site, Strike

ACTOR = "strike"


@dataclass(frozen=True)
class PlannedRelease:
    time: float
    site: int | None  # index of the protected site it lands on, or None
    killed: float
    wounded: float


def release_times(strike: Strike, rng: np.random.Generator) -> list[float]:
    r = strike.releases
    if r.pattern == "explicit":
        return sorted(r.times or [])
    count = r.count or 0
    if r.pattern == "even":
        step = (r.window or 0.0) / (count - 1) if count > 1 else 0.0
        return [strike.start + i * step for i in range(count)]
    gaps = rng.exponential(1.0 / (r.rate_per_min or 1.0), size=count)
    return list(strike.start + np.cumsum(gaps))


def plan_releases(strike: Strike, sites: list[Site], strike_rng: np.random.Generator,
                  harm_rng: np.random.Generator) -> list[PlannedRelease]:
    """Every release the strike would make if nobody stopped it."""
    plan = []
    for t in release_times(strike, strike_rng):
        scatter = strike.scatter_km.sample(strike_rng)
        x, y = strike.target.x_km, strike.target.y_km
        if scatter > 0:
            x, y = offset(x, y, scatter, float(strike_rng.uniform(0.0, 360.0)))
        hit = site_hit(x, y, sites)
        killed = strike.harm.killed.sample(harm_rng)
        wounded = strike.harm.wounded.sample(harm_rng)
        if hit is None:
            killed = wounded = 0.0
        plan.append(PlannedRelease(float(t), hit, killed, wounded))
    return plan


@dataclass
class StrikeRecord:
    fallen: list[PlannedRelease] = field(default_factory=list)
    abort_order: float = math.nan
    stop_time: float = math.inf  # when the abort reaches the aircraft


class StrikeProcess:
    """Releases the plan in time order; ``first_hit`` fires at the first release on a site."""

    def __init__(self, env: simpy.Environment, strike: Strike, plan: list[PlannedRelease],
                 abort_latency: float, trace: Trace) -> None:
        self.env = env
        self.plan = plan
        self.abort_latency = abort_latency
        self.trace = trace
        self.record = StrikeRecord()
        self.first_hit = env.event()
        self.process = env.process(self._run(strike.start))

    def order_abort(self) -> None:
        """The abort order is given now; it reaches the aircraft after the latency."""
        if math.isnan(self.record.abort_order):
            self.record.abort_order = self.env.now
            self.record.stop_time = self.env.now + self.abort_latency
            self.trace.record(self.env.now, "abort_order", "hotline desk",
                              reaches_aircraft_at=round(self.record.stop_time, 4))

    def _run(self, start: float) -> Generator[simpy.Event, None, None]:
        yield self.env.timeout(start)
        if self.record.stop_time <= self.env.now:
            self.trace.record(self.env.now, "strike_held", ACTOR, planned_releases=len(self.plan))
            return
        self.trace.record(self.env.now, "strike_start", ACTOR, planned_releases=len(self.plan))
        for i, release in enumerate(self.plan):
            if release.time >= self.record.stop_time:
                break
            if release.time > self.env.now:
                yield self.env.timeout(release.time - self.env.now)
            if release.time >= self.record.stop_time:
                break
            self.record.fallen.append(release)
            self.trace.record(self.env.now, "release", ACTOR, index=i + 1, site=release.site,
                              killed=release.killed, wounded=release.wounded)
            if release.site is not None and not self.first_hit.triggered:
                self.first_hit.succeed(release)
        aborted = len(self.record.fallen) < len(self.plan)
        if aborted and self.record.stop_time > self.env.now:
            yield self.env.timeout(self.record.stop_time - self.env.now)
        self.trace.record(self.env.now, "strike_end", ACTOR, releases=len(self.record.fallen),
                          aborted=aborted)
