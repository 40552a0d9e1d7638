"""The event trace: every thing that happened in a replication, in order.

A replay writes it to ``trace.jsonl`` and draws the timeline from it; a
sweep of thousands of replications keeps none of it, so the model talks to a
``Trace`` or to a ``NullTrace`` that drops everything at no cost.

A hotline-only replay of 200,000 calls records 200,000 events, so the
trace keeps them as four columns (times, kinds, actors, details): recording
one is four appends and the keyword dict. Kept as 200,000 objects, they
would each be one more for Python's garbage collector to walk, and their
number alone sets off collections of the whole process. ``events`` makes
them ``Event`` named tuples when asked (the timeline, the tests);
``trace.jsonl`` is written straight from the columns (``rows``, and
``sim.results.run_folder`` for the format).

The kinds of event form a closed set (``Kind``): the timeline, the tests and
anyone reading a trace file can rely on every kind being one of these.
"""

from __future__ import annotations

from enum import Enum
from typing import Any, Iterator, NamedTuple


class Kind(str, Enum):
    STRIKE_START = "strike_start"          # the first release is due
    STRIKE_HELD = "strike_held"            # the abort arrived before the strike began
    RELEASE = "release"                    # a weapon falls
    STRIKE_END = "strike_end"              # no more releases: all fell, or the abort reached the aircraft
    ABORT_ORDER = "abort_order"            # someone who can act orders the abort
    DETECTED = "detected"                  # a party notices its sites are hit
    NOTICE_SENT = "notice_sent"            # the pre-strike notice goes over the hotline
    NOTICE_CHECKED = "notice_checked"      # the receiving side has checked it
    SITE_NOTICE_RECEIVED = "site_notice_received"  # the striking side's HQ has the receiving side's sites
    SITE_NOTICE_CHECKED = "site_notice_checked"    # the striking cell has checked its target against them
    QUERY_ASKED = "query_asked"            # the striking side asks: are your forces at this point?
    QUERY_ANSWERED = "query_answered"
    CALL_DIAL = "call_dial"                # a party dials (an attempt begins)
    ANSWERED = "answered"                  # a POC or duty officer picks up
    HOLD_START = "hold_start"              # the caller waits with nobody on the line
    HOLD_END = "hold_end"
    CALL_ENDED = "call_ended"              # an attempt failed (misunderstood, hung up)
    MESSAGE_TAKEN = "message_taken"        # a duty officer takes the message to pass on
    MESSAGE_THROUGH = "message_through"    # the message reached someone who can act
    CALLER_GAVE_UP = "caller_gave_up"      # out of attempts
    CALLER_STOPPED = "caller_stopped"      # another party's message stopped the strike first
    SEAT_AWAY = "poc_away"                 # a POC leaves the phone (after any call in progress)
    SEAT_BACK = "poc_back"
    PREEMPTED = "preempted"                # a routine call broken off for an urgent one
    BACKGROUND_CALL = "background_call"    # a routine call answered or abandoned
    HORIZON = "horizon"                    # the run was cut off with something still going on

    def __str__(self) -> str:
        return self.value


class Event(NamedTuple):
    time: float  # minutes after the start
    kind: Kind
    actor: str
    detail: dict[str, Any]  # what else there is to say, by name: numbers, words, flags, lists of words


Row = tuple[float, Kind, str, dict[str, Any]]
"""An event as a plain tuple, in the order of ``Event``'s fields."""


class Trace:
    enabled = True  # hot paths test this before building an event's detail

    def __init__(self) -> None:
        self._times: list[float] = []
        self._kinds: list[Kind] = []
        self._actors: list[str] = []
        self._details: list[dict[str, Any]] = []

    def record(self, time: float, kind: Kind, actor: str, **detail: Any) -> None:
        self._times.append(time)
        self._kinds.append(kind)
        self._actors.append(actor)
        self._details.append(detail)

    def rows(self) -> Iterator[Row]:
        """Every event in order, one plain tuple at a time."""
        return zip(self._times, self._kinds, self._actors, self._details)

    @property
    def events(self) -> list[Event]:
        return list(map(Event, self._times, self._kinds, self._actors, self._details))


class NullTrace(Trace):
    enabled = False

    def record(self, time: float, kind: Kind, actor: str, **detail: Any) -> None:
        pass
