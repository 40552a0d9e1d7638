"""The strike's plan: when each weapon would fall, where it lands, whom it harms.

Picture four nations' jets over Jabal Tharda, 37 releases between 15:55 and
16:56. Everything about each planned release is drawn before the clock
starts: its moment, its impact point and the killed and wounded if it lands
on a protected site. Whether it *does* fall depends only on the abort: a
release falls if it comes before the abort reaches the aircraft. Drawing the
plan first is what makes the counterfactual exact: the same releases, the
same harm, only the stop time differs.

Harm per release may fall over the strike (``Harm.falloff``): on each site,
after the first releases, people have taken cover or fled, so each later
release there harms a fixed share of the full figure.

Impact points scatter around the target as a circular normal distribution
given by the weapons' CEP (circular error probable: half the releases land
within it). Each coordinate has standard deviation ``CEP / sqrt(2 ln 2)``;
the distance from the target is then Rayleigh distributed, drawn here by its
inverse, with a uniform bearing.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import numpy as np

from sim.model.geometry import sites_hit
from sim.model.streams import Streams
from sim.scenario.schema import HarmFalloff, Site, Strike

SIGMA_PER_CEP = 1.0 / math.sqrt(2.0 * math.log(2.0))


@dataclass(frozen=True)
class PlannedRelease:
    time: float
    site: Optional[int]  # index of the protected site it lands on, or None
    killed: float
    wounded: float


def release_times(strike: Strike, streams: Streams) -> np.ndarray:
    r = strike.releases
    if r.pattern == "explicit":
        return np.sort(np.asarray(r.times or [], dtype=float))
    count = r.count or 0
    if r.pattern == "even":
        step = (r.window or 0.0) / (count - 1) if count > 1 else 0.0
        return strike.start + step * np.arange(count)
    gaps = -np.log1p(-streams("strike.release_gaps").uniforms(count)) / (r.rate_per_min or 1.0)
    return strike.start + np.cumsum(gaps)


def plan_releases(strike: Strike, sites: list[Site], streams: Streams) -> list[PlannedRelease]:
    """Every release the strike would make if nobody stopped it, in time order."""
    times = release_times(strike, streams)
    count = times.size
    x = np.full(count, strike.target.x_km)
    y = np.full(count, strike.target.y_km)
    if strike.cep_km > 0:
        sigma = strike.cep_km * SIGMA_PER_CEP
        distance = sigma * np.sqrt(-2.0 * np.log1p(-streams("strike.scatter_distance").uniforms(count)))
        bearing = 2.0 * math.pi * streams("strike.scatter_bearing").uniforms(count)
        x, y = x + distance * np.sin(bearing), y + distance * np.cos(bearing)
    killed = strike.harm.killed.sample_many(streams("harm.killed"), count)
    wounded = strike.harm.wounded.sample_many(streams("harm.wounded"), count)
    hits = sites_hit(x, y, sites)
    if strike.harm.falloff is not None:
        share = _falloff_shares(hits, strike.harm.falloff)
        killed, wounded = killed * share, wounded * share
    return [PlannedRelease(float(t), hit, float(k) if hit is not None else 0.0, float(w) if hit is not None else 0.0)
            for t, hit, k, w in zip(times, hits, killed, wounded)]


def _falloff_shares(hits: list[Optional[int]], falloff: HarmFalloff) -> np.ndarray:
    """Share of the full harm each release does: 1 for the first releases on its site, then the factor."""
    seen: dict[int, int] = {}
    shares = np.ones(len(hits))
    for i, site in enumerate(hits):
        if site is not None:
            seen[site] = seen.get(site, 0) + 1
            if seen[site] > falloff.full_releases:
                shares[i] = falloff.then_factor
    return shares
