"""Seats at a desk, and the line of callers waiting for one.

Picture the air operations centre with two POC seats. A call comes in: a
free seat answers at once; otherwise the caller joins the line. Who is next
when a seat frees up is the desk's *precedence*:

- ``fifo``: in the order they called;
- ``urgent_first``: stop calls, objections and notices ahead of routine
  calls, each class in the order it called;
- ``urgent_preempts``: as ``urgent_first``, and an urgent call that finds no
  free POC makes one break off a routine call (the one begun most recently);
  the routine caller goes back to the head of the routine line and is
  served again, for the rest of its time, as soon as a POC is free.

People come and go. A seat that ``leave``s stops taking new calls but
finishes the one in progress (the trace records it away from the moment it
is free); a seat that comes ``back`` answers the head of the line at once.
Several reasons to be away (an away spell, the end of a shift) add up: the
seat answers again when none is left.

Each seat is one server. The line is a heap ordered by place in line, so
joining it and taking its head cost the logarithm of its length: at 2,000
routine calls a day one POC has some 1,900 callers waiting by the evening,
and a hotline-only run far over capacity tens of thousands. A caller who
hangs up is only marked as gone (taking it out of the middle of the heap
would cost the length of the line); the head of the line skips it.
"""

from __future__ import annotations

import heapq
import itertools
from typing import Any, Literal, Optional

import simpy

from sim.model.trace import Kind, Trace

Precedence = Literal["fifo", "urgent_first", "urgent_preempts"]
Key = tuple[int, float, int]
"""Place in line: (class rank, moment of calling, order of calling)."""


class Preempted:
    """The cause of the interrupt a routine call gets when an urgent one takes its POC."""

    def __init__(self, seat: "Seat") -> None:
        self.seat = seat


class Seat:
    """One person who answers the phone: a POC or a duty officer."""

    __slots__ = ("name", "absences", "request", "idle_waiters")

    def __init__(self, name: str) -> None:
        self.name = name
        self.absences = 0
        self.request: Optional[SeatRequest] = None
        self.idle_waiters: list[simpy.Event] = []

    @property
    def present(self) -> bool:
        return self.absences == 0

    @property
    def free(self) -> bool:
        return self.absences == 0 and self.request is None


class SeatRequest(simpy.Event):
    """A caller's claim on a seat; it succeeds with the seat that answers.

    Use it in a ``with`` block: leaving the block hangs up, whether the call
    was answered (the seat is freed) or is still in line (it leaves the line).
    """

    def __init__(self, pool: "StaffPool", urgent: bool, key: Key, process: Optional[simpy.Process]) -> None:
        super().__init__(pool.env)
        self.pool = pool
        self.urgent = urgent
        self.key = key
        self.process = process
        self.seat: Optional[Seat] = None
        self.answered_at = float("nan")
        self.queued = False
        self.in_progress = False
        """The call itself is going on (not a duty officer's talk before it): only then can it be broken off."""

    def __enter__(self) -> "SeatRequest":
        return self

    def __exit__(self, *exc: Any) -> None:
        self.pool.hang_up(self)


class StaffPool:
    """The seats of one role at one desk, and their line."""

    def __init__(self, env: simpy.Environment, names: list[str], precedence: Precedence, trace: Trace,
                 absences_traced: bool = True) -> None:
        self.env = env
        self.seats = [Seat(name) for name in names]
        self.precedence = precedence
        self.trace = trace
        self.absences_traced = absences_traced
        self._line: list[tuple[Key, SeatRequest]] = []  # a heap
        self._order = itertools.count()

    def __len__(self) -> int:
        return len(self.seats)

    def request(self, urgent: bool, key: Optional[Key] = None) -> SeatRequest:
        """Ring: answered at once by a free seat, or placed in line (at ``key``, to resume a broken-off call)."""
        if key is None:
            rank = 0 if urgent or self.precedence == "fifo" else 1
            key = (rank, self.env.now, next(self._order))
        request = SeatRequest(self, urgent, key, self.env.active_process)
        seat = next((s for s in self.seats if s.free), None)
        if seat is None and urgent and self.precedence == "urgent_preempts":
            seat = self._routine_to_break_off()
        if seat is not None:
            self._answer(seat, request)
        else:
            heapq.heappush(self._line, (key, request))
            request.queued = True
        return request

    def hang_up(self, request: SeatRequest) -> None:
        """End the call: free its seat if it was answered, or leave the line if not (idempotent)."""
        if request.seat is not None:
            seat, request.seat = request.seat, None
            seat.request = None
            for waiter in seat.idle_waiters:
                waiter.succeed()
            seat.idle_waiters.clear()
            if seat.present:
                self._offer(seat)
            elif self.absences_traced:
                self.trace.record(self.env.now, Kind.SEAT_AWAY, seat.name)
        else:
            request.queued = False  # if still in line: left there, skipped when it reaches the head

    def leave(self, seat: Seat) -> None:
        """The person at ``seat`` stops taking calls, after the one in progress."""
        seat.absences += 1
        if seat.absences == 1 and seat.request is None and self.absences_traced:
            self.trace.record(self.env.now, Kind.SEAT_AWAY, seat.name)

    def back(self, seat: Seat) -> None:
        seat.absences -= 1
        if seat.present:
            if self.absences_traced and seat.request is None:
                self.trace.record(self.env.now, Kind.SEAT_BACK, seat.name)
            self._offer(seat)

    def idle(self, seat: Seat) -> simpy.Event:
        """An event that fires when ``seat`` has no call (at once if it has none now)."""
        event = self.env.event()
        if seat.request is None:
            event.succeed()
        else:
            seat.idle_waiters.append(event)
        return event

    def _offer(self, seat: Seat) -> None:
        """``seat`` answers the first caller in line who has not hung up, if it is free."""
        while self._line and seat.free:
            request = heapq.heappop(self._line)[1]
            if request.queued:
                request.queued = False
                self._answer(seat, request)

    def _answer(self, seat: Seat, request: SeatRequest) -> None:
        if seat.request is not None:  # an urgent call takes this seat from a routine one
            broken_off = seat.request
            broken_off.seat = None
            if broken_off.process is not None and broken_off.process.is_alive:
                broken_off.process.interrupt(Preempted(seat))
        seat.request = request
        request.seat = seat
        request.answered_at = self.env.now
        request.succeed(seat)

    def _routine_to_break_off(self) -> Optional[Seat]:
        """The present seat whose routine call in progress began most recently, if any seat has one.

        A call answered but not yet begun (its caller still hearing the answer, or still with a duty
        officer) is left alone: there is nothing to break off yet.
        """
        busy = [s for s in self.seats if s.present and s.request is not None and not s.request.urgent
                and s.request.in_progress]
        return max(busy, key=lambda s: s.request.answered_at, default=None)  # type: ignore[union-attr]
