"""When a POC seat is at the phone, as compiled functions over plain arrays.

The SimPy model runs one process per kind of availability (``sim.model.availability``)
and a seat is present when no kind has it away. Here each kind is a list of
absences ``[leave, back)`` worked out lazily: explicit intervals and roster
off-duty spans are known in advance; an alternating spell away, or a roster
handover, starts only once the seat has finished the call it was on when it
left, so its end depends on the seat's last call (``busy_from``, ``busy_to``).

Every function is pure except ``commit``, which fixes the absences that began
before a new call, before that call is recorded: a query never settles an
absence from a call that has not happened yet.

Per seat, the fixed lists hold ``(leave, back, handover)``: ``handover`` is
NaN for a fixed ``back``, else the absence ends ``handover`` after the seat is
idle. The alternating state is ``(next leave, back of the last absence,
away spells used, available spells used)``.
"""

from __future__ import annotations

import math

import numpy as np

from sim.model.batch.compiled import compiled

INF = math.inf
OVERFLOW = -1.0
"""Returned by a query that ran out of drawn spells: the straight line cannot settle the replication."""


@compiled()
def _resolved_back(leave: float, back: float, handover: float, busy_from: float, busy_to: float) -> float:
    if math.isnan(handover):
        return back
    start = busy_to if busy_from <= leave < busy_to else leave
    return start + handover


@compiled()
def fixed_next_present(q: float, leaves: np.ndarray, backs: np.ndarray, handovers: np.ndarray,
                       settled: np.ndarray, busy_from: float, busy_to: float) -> float:
    """The first moment at or after ``q`` when no absence of this list holds the seat."""
    for j in range(leaves.size):
        if q < leaves[j]:
            return q
        back = settled[j] if not math.isnan(settled[j]) else _resolved_back(
            leaves[j], backs[j], handovers[j], busy_from, busy_to)
        if q < back:
            q = back
    return q


@compiled()
def alt_next_present(q: float, leave: float, back: float, used_away: int, used_present: int,
                     present: np.ndarray, away: np.ndarray, busy_from: float, busy_to: float) -> float:
    """The first moment at or after ``q`` when the alternating spells have the seat at the desk."""
    while True:
        if q < back:
            q = back
        if q < leave:
            return q
        if used_away >= away.size or used_present >= present.size:
            return OVERFLOW
        start = busy_to if busy_from <= leave < busy_to else leave
        back = start + away[used_away]
        used_away += 1
        leave = back + present[used_present]
        used_present += 1


@compiled()
def commit(s: int, t: float, fixed: tuple, alt: tuple, state: tuple, r: int) -> bool:
    """Settle seat ``s``'s absences that began before ``t`` (a call starts then); False when spells ran out."""
    leaves, backs, handovers, counts = fixed
    has_alt, present, away = alt
    busy_from, busy_to, settled, alt_leave, alt_back, alt_used = state
    for kind in range(counts.shape[1]):
        for j in range(counts[s, kind]):
            if leaves[s, kind, j] < t and math.isnan(settled[s, kind, j]):
                settled[s, kind, j] = _resolved_back(leaves[s, kind, j], backs[s, kind, j], handovers[s, kind, j],
                                                     busy_from[s], busy_to[s])
    if has_alt[s]:
        while alt_leave[s] < t:
            if alt_used[s, 0] >= away.shape[2] or alt_used[s, 1] >= present.shape[2]:
                return False
            start = busy_to[s] if busy_from[s] <= alt_leave[s] < busy_to[s] else alt_leave[s]
            alt_back[s] = start + away[s, r, alt_used[s, 0]]
            alt_used[s, 0] += 1
            alt_leave[s] = alt_back[s] + present[s, r, alt_used[s, 1]]
            alt_used[s, 1] += 1
    return True


@compiled()
def next_present(s: int, q: float, fixed: tuple, alt: tuple, state: tuple, r: int) -> float:
    """The first moment at or after ``q`` when seat ``s`` is at the phone (``OVERFLOW``: draw more spells)."""
    leaves, backs, handovers, counts = fixed
    has_alt, present, away = alt
    busy_from, busy_to, settled, alt_leave, alt_back, alt_used = state
    while True:
        start = q
        for kind in range(counts.shape[1]):
            n = counts[s, kind]
            q = fixed_next_present(q, leaves[s, kind, :n], backs[s, kind, :n], handovers[s, kind, :n],
                                   settled[s, kind, :n], busy_from[s], busy_to[s])
        if has_alt[s]:
            q = alt_next_present(q, alt_leave[s], alt_back[s], alt_used[s, 0], alt_used[s, 1],
                                 present[s, r], away[s, r], busy_from[s], busy_to[s])
            if q == OVERFLOW:
                return OVERFLOW
        if q == start or q == INF:
            return q


@compiled()
def changes_at(s: int, q: float, fixed: tuple, alt: tuple, state: tuple, r: int) -> bool:
    """Whether seat ``s`` leaves or comes back at exactly ``q`` (True also when the drawn spells run out first)."""
    leaves, backs, handovers, counts = fixed
    has_alt, present, away = alt
    busy_from, busy_to, settled, alt_leave, alt_back, alt_used = state
    for kind in range(counts.shape[1]):
        for j in range(counts[s, kind]):
            back = settled[s, kind, j] if not math.isnan(settled[s, kind, j]) else _resolved_back(
                leaves[s, kind, j], backs[s, kind, j], handovers[s, kind, j], busy_from[s], busy_to[s])
            if leaves[s, kind, j] == q or back == q:
                return True
    if not has_alt[s]:
        return False
    leave, back, used_away, used_present = alt_leave[s], alt_back[s], alt_used[s, 0], alt_used[s, 1]
    while leave < q:  # the spells up to q, as ``alt_next_present`` works them out
        if back == q:
            return True
        if used_away >= away.shape[2] or used_present >= present.shape[2]:
            return True
        start = busy_to[s] if busy_from[s] <= leave < busy_to[s] else leave
        back = start + away[s, r, used_away]
        used_away += 1
        leave = back + present[s, r, used_present]
        used_present += 1
    return leave == q or back == q


@compiled()
def answer(q: float, fixed: tuple, alt: tuple, state: tuple, r: int) -> tuple[float, int]:
    """When a request made at ``q`` is answered, and by which seat (the first in order on a tie).

    A seat still on an earlier call (``busy_to``) answers once that call is over and it is at the phone.
    """
    best, seat = INF, -1
    for s in range(state[0].size):
        t = next_present(s, max(q, state[1][s]), fixed, alt, state, r)
        if t == OVERFLOW:
            return OVERFLOW, -1
        if t < best:
            best, seat = t, s
    return best, seat


@compiled()
def occupy(s: int, start: float, end: float, fixed: tuple, alt: tuple, state: tuple, r: int) -> bool:
    """Seat ``s`` is on a call from ``start`` to ``end``; False when spells ran out."""
    if not commit(s, start, fixed, alt, state, r):
        return False
    state[0][s] = start
    state[1][s] = end
    return True
