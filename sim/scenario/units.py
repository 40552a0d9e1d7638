"""Durations and clock times as people write them in scenario files.

The model counts time in minutes from the scenario's clock origin. A file may
say ``27`` (minutes), ``"90 s"``, ``"27 min"`` or ``"1.5 h"`` for a duration,
and ``"16:25"`` or ``"16:52:33"`` for a moment on the clock: with a clock
origin of ``"15:00"``, ``"16:25"`` is minute 85.

A clock time is on the day of the clock origin unless it says otherwise:
``"08:00+1d"`` is eight in the morning of the next day, ``"20:00-1d"`` eight
in the evening of the day before. A night shift is ``"20:00"`` to
``"08:00+1d"``; a POC who went off duty the evening before the clock starts
is away from ``"20:00-1d"``. Nothing wraps to another day silently.
"""

from __future__ import annotations

import re

_UNIT_MINUTES = {
    "s": 1 / 60, "sec": 1 / 60, "second": 1 / 60, "seconds": 1 / 60,
    "min": 1.0, "mins": 1.0, "minute": 1.0, "minutes": 1.0,
    "h": 60.0, "hr": 60.0, "hour": 60.0, "hours": 60.0,
    "d": 1440.0, "day": 1440.0, "days": 1440.0,
}
_DURATION = re.compile(r"^\s*([-+]?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?)\s*([a-zA-Z]+)?\s*$")
_CLOCK = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2}(?:\.\d*)?))?\s*(?:([+-])\s*(\d{1,3})\s*d)?\s*$")
MINUTES_PER_DAY = 1440.0
MAX_MINUTES = 1e8
"""No duration or moment in a scenario goes beyond this (about 190 years): far beyond any
hotline, and far enough below float overflow that every clock and sum stays exact."""


def parse_duration(value: object) -> float:
    """Minutes from a number (already minutes) or a string such as ``"90 s"``; at most ``MAX_MINUTES``."""
    return _bounded(_minutes(value), value)


def _minutes(value: object) -> float:
    if isinstance(value, bool):
        raise ValueError(f"expected a duration such as 27 or \"27 min\", got {value!r}")
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        match = _DURATION.match(value)
        if match:
            number, unit = match.groups()
            if unit is None:
                return float(number)
            factor = _UNIT_MINUTES.get(unit.lower())
            if factor is not None:
                return float(number) * factor
            raise ValueError(f"unknown time unit {unit!r} in {value!r}; use s, min, h or d")
    raise ValueError(f"expected a duration such as 27, \"90 s\" or \"1.5 h\", got {value!r}")


def _bounded(minutes: float, value: object) -> float:
    if abs(minutes) > MAX_MINUTES:  # infinity too; NaN is refused by the model's finite-number check
        raise ValueError(f"expected a duration of at most {MAX_MINUTES:,.0f} min (about 190 years), got {value!r}")
    return minutes


def parse_clock(value: object) -> float:
    """Minutes after midnight of the origin's day from ``"HH:MM[:SS]"``, ``"HH:MM+1d"`` or ``"HH:MM-1d"``."""
    if isinstance(value, str):
        match = _CLOCK.match(value)
        if match:
            hours, minutes, seconds, sign, days = match.groups()
            h, m, s = int(hours), int(minutes), float(seconds or 0)
            shift = (1 if sign == "+" else -1) * int(days) * MINUTES_PER_DAY if sign else 0.0
            if h < 24 and m < 60 and s < 60:
                return round(h * 60.0 + m + s / 60.0 + shift, 9)
    raise ValueError(f"expected a clock time such as \"16:25\" or \"08:00+1d\" (next day), got {value!r}")


def is_clock(value: object) -> bool:
    return isinstance(value, str) and _CLOCK.match(value) is not None


def format_clock(minutes_after_midnight: float, days: bool = True) -> str:
    """``1012.55`` -> ``"16:52:33"``; ``1445`` -> ``"00:05:00+1d"`` (without the day if ``days`` is False)."""
    total_seconds = round(minutes_after_midnight * 60.0)
    day, seconds = divmod(total_seconds, 24 * 3600)
    h, rest = divmod(seconds, 3600)
    m, s = divmod(rest, 60)
    suffix = f"{day:+d}d" if day and days else ""
    return f"{h:02d}:{m:02d}:{s:02d}{suffix}"
