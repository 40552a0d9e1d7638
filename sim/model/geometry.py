"""Flat-earth geometry in kilometres east (x) and north (y) of a local origin.

Over the few kilometres that matter here (a notified point 9 km off, a check
radius of a few km) a flat plane is exact enough, and it keeps the numbers
readable. Bearings are degrees clockwise from north, as on a map.
"""

from __future__ import annotations

import math
from typing import Optional, Sequence

import numpy as np

from sim.scenario.schema import Point, Site

_EPSILON_KM = 1e-9


def offset(x_km: float, y_km: float, distance_km: float, bearing_deg: float) -> tuple[float, float]:
    rad = math.radians(bearing_deg)
    return x_km + distance_km * math.sin(rad), y_km + distance_km * math.cos(rad)


def distance(ax: float, ay: float, bx: float, by: float) -> float:
    return math.hypot(ax - bx, ay - by)


def site_hit(x_km: float, y_km: float, sites: Sequence[Site]) -> Optional[int]:
    """Index of the nearest site whose area contains the impact point, if any."""
    best, best_d = None, math.inf
    for i, site in enumerate(sites):
        d = distance(x_km, y_km, site.x_km, site.y_km)
        if d <= site.radius_km and d < best_d:
            best, best_d = i, d
    return best


def sites_hit(x_km: np.ndarray, y_km: np.ndarray, sites: Sequence[Site]) -> list[Optional[int]]:
    """``site_hit`` of every impact point at once."""
    if not sites:
        return [None] * len(x_km)
    centres = np.array([[s.x_km, s.y_km] for s in sites])
    radii = np.array([s.radius_km for s in sites])
    d = np.hypot(x_km[:, None] - centres[None, :, 0], y_km[:, None] - centres[None, :, 1])
    inside = d <= radii[None, :]
    nearest = np.where(inside, d, np.inf).argmin(axis=1)
    return [int(j) if inside[i, j] else None for i, j in enumerate(nearest)]


def sites_within(point: Point | tuple[float, float], radius_km: float, sites: Sequence[Site]) -> list[int]:
    """Sites whose centre lies within ``radius_km`` of a reported point.

    A point exactly on the circle counts as inside, whatever the rounding of
    the sine and cosine that placed it (hence the tolerance).
    """
    px, py = (point.x_km, point.y_km) if isinstance(point, Point) else point
    return [i for i, s in enumerate(sites) if distance(px, py, s.x_km, s.y_km) <= radius_km + _EPSILON_KM]
