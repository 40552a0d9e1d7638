"""The desk of one replication as a small compiled discrete-event simulation.

Picture the busy crisis desk of the staffing study: one POC, a routine call
every half hour, and the caller dialling while a routine caller already holds
for the POC. Who gets the POC next depends on the line, so the straight-line
kernel (``kernel``) cannot settle it; this module runs the SimPy model's
desk itself, event by event: a heap of moments, and each of the model's
processes (``sim.model.caller``, ``background``, ``notification``,
``availability``, ``staff``) as a state machine in plain arrays.

- The POC line is ordered as ``StaffPool`` orders it: (class rank, moment of
  calling, order of calling); under ``urgent_preempts`` an urgent call that
  finds no free POC breaks off the routine call in progress begun most
  recently, which rejoins the line at its old place for the rest of its time.
  Duty officers are a second pool, never preempted.
- Seats leave and come back as ``availability`` says (explicit intervals,
  roster off-duty spans and handovers, alternating spells); a seat finishes
  the call in progress before an alternating spell away or a handover starts.
- Deadlines (patience, escalation) are ``LATE`` as in the SimPy model: an
  answer due at the same moment comes first; patience before escalation.
- Background calls, away spells and present spells are drawn inside the loop
  from the model's own streams (``draws``), as many as the afternoon needs.

Two ordinary events due at the very same moment are processed by SimPy in the
order they were scheduled, which this loop does not track: ``run_desk`` then
returns ``TIE`` and the engine runs the replication on the SimPy model. With
continuous random quantities that has probability 0; fixed-value scenarios
mostly never get here (the kernel settles them). A replication needing more
room than the work arrays have (``CALLS`` calls at the desk at once, ``HEAP``
pending events) returns ``FULL`` and goes to SimPy likewise.
"""

from __future__ import annotations

import math

import numpy as np
from numba import njit

from sim.model.batch.draws import uniform_at
from sim.scenario.quantiles import quantile

INF = math.inf
DONE, TIE, FULL = 0, 1, 2
"""What ``run_desk`` returns: the desk's story is settled; two events tied; the work arrays ran out."""

CALLS, HEAP = 64, 512
"""Calls at the desk at once (the caller, the notice, background calls) and pending events, at most."""
CALLER, NOTICE, FIRST_BACKGROUND = 0, 1, 2

NORMAL, LATE = 0, 1
# Event kinds.
ARRIVE, TIMER, DEADLINE, TRIGGER, NOTICE_DUE, ALT_LEAVE, ALT_BACK, FIXED_STEP = range(8)
# Phases of a call.
IDLE, HOLD, OFFICER_TALK, HOLD_FOR_POC, POC_TALK, RELAY, SERVICE, REDIAL, GONE = range(9)
WAIT_FOR_POC, PASS_TO_DUTY_OFFICER, ESCALATE_AFTER = 0, 1, 2
POLICIES = {"wait_for_poc": WAIT_FOR_POC, "pass_to_duty_officer": PASS_TO_DUTY_OFFICER,
            "escalate_after": ESCALATE_AFTER}
PRECEDENCES = {"fifo": 0, "urgent_first": 1, "urgent_preempts": 2}

RESULTS = ("first_call", "attempts", "hold", "through", "campaign_end", "dialled", "waiting", "talking", "holding",
           "relaying", "sent")
"""What ``run_desk`` writes into its ``result`` array (``workspace(...)[5]``), in order."""
FIRST_CALL, ATTEMPT, HOLD_TOTAL, THROUGH, CAMPAIGN_END, DIALLED, WAITING, TALKING, HOLDING, RELAYING, SENT = range(11)
SECOND_TELLING, ESCALATES = 0, 1
"""The caller's flags in ``workspace(...)[6]``: the POC hears the message after a duty officer; the deadline
on hold for a POC is the escalation (not patience)."""


def workspace(seats: int, officers: int) -> tuple:
    """The work arrays of ``run_desk``, allocated once for a whole batch."""
    calls = (np.zeros(CALLS, np.int64), np.zeros(CALLS, np.int64), np.zeros(CALLS, np.int64),
             np.zeros(CALLS), np.zeros(CALLS, np.int64), np.zeros(CALLS, np.int64), np.zeros(CALLS, np.int64),
             np.zeros(CALLS, np.bool_), np.zeros(CALLS, np.bool_), np.zeros(CALLS), np.zeros(CALLS),
             np.zeros(CALLS), np.zeros(CALLS), np.zeros(CALLS, np.int64), np.zeros(CALLS, np.bool_))
    heap = (np.zeros(HEAP), np.zeros(HEAP, np.int64), np.zeros(HEAP, np.int64), np.zeros(HEAP, np.int64),
            np.zeros(HEAP, np.int64))
    seat = (np.zeros(seats, np.int64), np.zeros(seats, np.int64), np.zeros(seats), np.zeros(seats, np.bool_),
            np.zeros((seats, 2), np.bool_), np.zeros((seats, 2), np.int64), np.zeros((seats, 2), np.int64),
            np.zeros((seats, 2), np.bool_))
    lines = (np.zeros(CALLS, np.int64), np.zeros(CALLS, np.int64), np.zeros(max(officers, 1), np.int64))
    return calls, heap, seat, lines, np.zeros(8, np.int64), np.zeros(len(RESULTS)), np.zeros(4)


# Counters in ``count``: heap size, events scheduled, requests made, POC line length, officer line length,
# caller attempts, background calls arrived, status.
HEAP_SIZE, SCHEDULED, ORDER, POC_LINE, OFFICER_LINE, ATTEMPTS, ARRIVED, STATUS = range(8)


@njit(cache=True)
def _push(ws: tuple, t: float, priority: int, kind: int, who: int, version: int) -> None:
    ht, hk, hkind, hwho, hver = ws[1]
    count = ws[4]
    n = count[HEAP_SIZE]
    if n >= ht.size:
        count[STATUS] = FULL
        return
    key = priority * (1 << 50) + count[SCHEDULED]
    count[SCHEDULED] += 1
    i = n
    count[HEAP_SIZE] = n + 1
    while i > 0:
        parent = (i - 1) // 2
        if ht[parent] < t or (ht[parent] == t and hk[parent] < key):
            break
        ht[i], hk[i], hkind[i], hwho[i], hver[i] = ht[parent], hk[parent], hkind[parent], hwho[parent], hver[parent]
        i = parent
    ht[i], hk[i], hkind[i], hwho[i], hver[i] = t, key, kind, who, version


@njit(cache=True)
def _pop(ws: tuple) -> tuple[float, int, int, int, int]:
    """The earliest event (time, priority, kind, who, version), taken off the heap."""
    ht, hk, hkind, hwho, hver = ws[1]
    count = ws[4]
    t, key, kind, who, version = ht[0], hk[0], hkind[0], hwho[0], hver[0]
    n = count[HEAP_SIZE] - 1
    count[HEAP_SIZE] = n
    lt, lk, lkind, lwho, lver = ht[n], hk[n], hkind[n], hwho[n], hver[n]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= n:
            break
        if child + 1 < n and (ht[child + 1] < ht[child] or (ht[child + 1] == ht[child] and hk[child + 1] < hk[child])):
            child += 1
        if lt < ht[child] or (lt == ht[child] and lk < hk[child]):
            break
        ht[i], hk[i], hkind[i], hwho[i], hver[i] = ht[child], hk[child], hkind[child], hwho[child], hver[child]
        i = child
    if n > 0:
        ht[i], hk[i], hkind[i], hwho[i], hver[i] = lt, lk, lkind, lwho, lver
    return t, key >> 50, kind, who, version


@njit(cache=True)
def _before(ws: tuple, a: int, b: int) -> bool:
    """Call ``a`` is ahead of call ``b`` in a line: (rank, moment of calling, order of calling)."""
    rank, moment, order = ws[0][0], ws[0][3], ws[0][4]
    if rank[a] != rank[b]:
        return rank[a] < rank[b]
    if moment[a] != moment[b]:
        return moment[a] < moment[b]
    return order[a] < order[b]


@njit(cache=True)
def _join(ws: tuple, line: int, c: int) -> None:
    queue, count = ws[3][line], ws[4]
    slot = POC_LINE if line == 0 else OFFICER_LINE
    n = count[slot]
    i = n
    while i > 0 and _before(ws, c, queue[i - 1]):
        queue[i] = queue[i - 1]
        i -= 1
    queue[i] = c
    count[slot] = n + 1


@njit(cache=True)
def _leave_line(ws: tuple, line: int, c: int) -> None:
    queue, count = ws[3][line], ws[4]
    slot = POC_LINE if line == 0 else OFFICER_LINE
    n = count[slot]
    j = 0
    for i in range(n):
        if queue[i] != c:
            queue[j] = queue[i]
            j += 1
    count[slot] = j


@njit(cache=True)
def _head(ws: tuple, line: int) -> int:
    """Take the head of a line (-1 when empty)."""
    queue, count = ws[3][line], ws[4]
    slot = POC_LINE if line == 0 else OFFICER_LINE
    n = count[slot]
    if n == 0:
        return -1
    head = queue[0]
    for i in range(1, n):
        queue[i - 1] = queue[i]
    count[slot] = n - 1
    return head


@njit(cache=True)
def run_desk(ws: tuple, m: tuple, r: int, detected: float) -> int:
    """Run replication ``r``'s desk until the caller and the notice are done, or the horizon; fill ``ws[5]``.

    ``m`` is the model: (horizon, caller, notice, background, seat groups, duty officers, fixed absences,
    alternating spells, precedence (0 fifo, 1 urgent first, 2 urgent preempts), desk relay delays);
    ``detected``: when the caller notices the strike (INF: never).
    """
    horizon, notice, background, seat_group, n_officers, fixed = m[0], m[2], m[3], m[4], m[5], m[6]
    has_notice, due, check_time, caught_at_check = notice[0], notice[1], notice[3], notice[4]
    on, mean_gap, limit, keys, rows, has_patience = background
    leaves, backs, handovers, counts = fixed
    has_alt, starts_away = m[7][0], m[7][1]
    (rank, phase, version, moment, order, pseat, oseat, in_line, in_officer_line, since, patience_left, left,
     started, number, urgent) = ws[0]
    absences, holder, answered_at, alt_idle, fixed_idle, fixed_next, drawn, fixed_away = ws[2]
    count, result = ws[4], ws[5]
    count[:] = 0
    officers = ws[3][2]
    officers[:] = -1
    phase[:] = GONE
    pseat[:] = -1
    oseat[:] = -1
    in_line[:] = False
    in_officer_line[:] = False
    urgent[:] = False
    result[:] = INF
    result[ATTEMPT] = result[HOLD_TOTAL] = 0.0
    result[CAMPAIGN_END] = -INF
    phase[CALLER] = phase[NOTICE] = IDLE
    urgent[CALLER] = urgent[NOTICE] = True
    rank[CALLER] = rank[NOTICE] = 0
    # Each seat at minute 0: the absences that begin then, and the first step of each process.
    for s in range(seat_group.size):
        absences[s], holder[s], answered_at[s], alt_idle[s] = 0, -1, -INF, False
        drawn[s, 0] = drawn[s, 1] = 0
        for k in range(2):
            fixed_idle[s, k] = fixed_away[s, k] = False
            fixed_next[s, k] = 0
            if counts[s, k] > 0:
                if leaves[s, k, 0] <= 0.0:
                    absences[s] += 1
                    fixed_away[s, k] = True
                    if backs[s, k, 0] < INF:
                        _push(ws, backs[s, k, 0], NORMAL, FIXED_STEP, 2 * s + k, 0)
                else:
                    _push(ws, leaves[s, k, 0], NORMAL, FIXED_STEP, 2 * s + k, 0)
        if has_alt[s]:
            if starts_away[s]:
                absences[s] += 1
                _push(ws, _spell(ws, m, r, s, 0), NORMAL, ALT_BACK, s, 0)
            else:
                _push(ws, _spell(ws, m, r, s, 1), NORMAL, ALT_LEAVE, s, 0)
    triggers = 0
    if detected < horizon:
        _push(ws, detected, NORMAL, TRIGGER, CALLER, 0)
        triggers += 1
    if has_notice:
        _push(ws, due[r], NORMAL, NOTICE_DUE, NOTICE, 0)
    else:
        phase[NOTICE] = GONE
    if on and limit > 0:
        _push(ws, -mean_gap * math.log1p(-uniform_at(keys[0, r], 0)), NORMAL, ARRIVE, 0, 0)
    while count[STATUS] == DONE and count[HEAP_SIZE] > 0:
        if phase[NOTICE] == GONE and (phase[CALLER] == GONE or (phase[CALLER] == IDLE and triggers == 0)):
            break
        now, priority, kind, who, ver = _pop(ws)
        if now >= horizon:
            break
        if (kind == TIMER or kind == DEADLINE) and ver != version[who]:
            continue
        while count[HEAP_SIZE] > 0 and ws[1][2][0] == TIMER and ws[1][4][0] != version[ws[1][3][0]]:
            _pop(ws)  # a call's timer that will not come (its service was broken off)
        if priority == NORMAL and count[HEAP_SIZE] > 0 and ws[1][0][0] == now and ws[1][1][0] < (1 << 50):
            count[STATUS] = TIE  # two ordinary events at one moment: SimPy's order of scheduling decides
            break
        if kind == ARRIVE:
            if who + 1 < limit:
                _push(ws, now + -mean_gap * math.log1p(-uniform_at(keys[0, r], who + 1)), NORMAL, ARRIVE,
                      who + 1, 0)
            c = _free_slot(ws)
            if c < 0:
                break
            number[c] = who
            left[c] = quantile(rows[0], uniform_at(keys[1, r], who))
            patience_left[c] = quantile(rows[1], uniform_at(keys[2, r], who)) if has_patience else INF
            urgent[c] = False
            rank[c] = 0 if m[8] == 0 else 1
            moment[c] = now
            order[c] = count[ORDER]
            count[ORDER] += 1
            phase[c] = HOLD
            since[c] = now
            if _poc_request(ws, m, c, now):
                _serve(ws, c, now)
            elif n_officers > 0 and _officer_request(ws, c, n_officers):
                _officer_answered(ws, m, r, c, now)
            elif has_patience:
                _deadline(ws, c, now + max(patience_left[c], 0.0))
        elif kind == TRIGGER:
            triggers -= 1
            if phase[CALLER] == IDLE:
                result[FIRST_CALL] = now
                _dial(ws, m, r, now)
        elif kind == NOTICE_DUE:
            moment[NOTICE] = now
            order[NOTICE] = count[ORDER]
            count[ORDER] += 1
            phase[NOTICE] = HOLD
            if _poc_request(ws, m, NOTICE, now):
                _poc_answered(ws, m, r, NOTICE, now)
        elif kind == TIMER and who == NOTICE:  # the notice has gone out; the check follows
            _poc_hang_up(ws, m, r, NOTICE, now)
            phase[NOTICE] = GONE
            result[SENT] = now
            checked = now + check_time[r]
            if caught_at_check[r] and checked < horizon:
                _push(ws, checked, NORMAL, TRIGGER, CALLER, 0)
                triggers += 1
        elif (kind == TIMER or kind == DEADLINE) and who == CALLER:
            _caller_step(ws, m, r, kind, now)
        elif kind == TIMER:  # a background call's service is over, or its duty officer has spoken
            c = who
            if phase[c] == SERVICE:
                phase[c] = GONE
                _poc_hang_up(ws, m, r, c, now)
            else:
                _officer_hang_up(ws, m, r, c, now)
                if pseat[c] >= 0:
                    _serve(ws, c, now)
                else:
                    phase[c] = HOLD_FOR_POC
                    since[c] = now
                    if has_patience:
                        _deadline(ws, c, now + max(patience_left[c], 0.0))
        elif kind == DEADLINE:  # a background caller's patience ran out: it hangs up for good
            phase[who] = GONE
            _poc_hang_up(ws, m, r, who, now)
            _officer_hang_up(ws, m, r, who, now)
        elif kind == ALT_LEAVE:
            absences[who] += 1
            if holder[who] < 0:
                _push(ws, now + _spell(ws, m, r, who, 0), NORMAL, ALT_BACK, who, 0)
            else:
                alt_idle[who] = True
        elif kind == ALT_BACK:
            _push(ws, now + _spell(ws, m, r, who, 1), NORMAL, ALT_LEAVE, who, 0)
            _back(ws, m, r, who, now)
        else:  # FIXED_STEP: an explicit interval or a roster change
            s, k = who // 2, who % 2
            j = fixed_next[s, k]
            if not fixed_away[s, k]:
                fixed_away[s, k] = True
                absences[s] += 1
                if math.isnan(handovers[s, k, j]):
                    if backs[s, k, j] < INF:
                        _push(ws, backs[s, k, j], NORMAL, FIXED_STEP, who, 0)
                elif holder[s] < 0:
                    _push(ws, now + handovers[s, k, j], NORMAL, FIXED_STEP, who, 0)
                else:
                    fixed_idle[s, k] = True
            else:
                fixed_away[s, k] = False
                fixed_next[s, k] = j + 1
                if j + 1 < counts[s, k]:
                    _push(ws, max(leaves[s, k, j + 1], now), NORMAL, FIXED_STEP, who, 0)
                _back(ws, m, r, s, now)
    if count[STATUS] != DONE:
        return count[STATUS]
    # The horizon: a hold still going on counts up to it; a call still going on never ended.
    if phase[CALLER] == HOLD or phase[CALLER] == HOLD_FOR_POC:
        result[HOLD_TOTAL] += horizon - since[CALLER]
    if phase[CALLER] != IDLE and phase[CALLER] != GONE:
        result[CAMPAIGN_END] = INF
    return DONE


@njit(cache=True)
def _spell(ws: tuple, m: tuple, r: int, s: int, present: int) -> float:
    """Seat ``s``'s next spell at the desk (``present`` 1) or away (0), drawn in turn from its stream."""
    drawn = ws[2][6]
    keys, rows = m[7][2], m[7][3]
    n = drawn[s, present]
    drawn[s, present] = n + 1
    return quantile(rows[present, m[4][s]], uniform_at(keys[present, s, r], n))


@njit(cache=True)
def _free_slot(ws: tuple) -> int:
    phase, count = ws[0][1], ws[4]
    for c in range(FIRST_BACKGROUND, phase.size):
        if phase[c] == GONE:
            return c
    count[STATUS] = FULL
    return -1


@njit(cache=True)
def _timer(ws: tuple, c: int, t: float) -> None:
    version = ws[0][2]
    version[c] += 1
    _push(ws, t, NORMAL, TIMER, c, version[c])


@njit(cache=True)
def _deadline(ws: tuple, c: int, t: float) -> None:
    version = ws[0][2]
    version[c] += 1
    _push(ws, t, LATE, DEADLINE, c, version[c])


@njit(cache=True)
def _serve(ws: tuple, c: int, now: float) -> None:
    """A background call's POC talks with it for what is ``left`` of its length."""
    ws[0][1][c] = SERVICE
    ws[0][12][c] = now
    _timer(ws, c, now + ws[0][11][c])


@njit(cache=True)
def _answer(ws: tuple, s: int, c: int, now: float) -> None:
    ws[2][1][s] = c
    ws[2][2][s] = now
    ws[0][5][c] = s
    ws[0][7][c] = False


@njit(cache=True)
def _poc_request(ws: tuple, m: tuple, c: int, now: float) -> bool:
    """Ring for a POC: answered at once (True), breaking off a routine call if urgent calls preempt, or in line."""
    absences, holder, answered_at = ws[2][0], ws[2][1], ws[2][2]
    phase, urgent = ws[0][1], ws[0][14]
    if _seat_or_line(ws, c, now, False):
        return True
    if not (urgent[c] and m[8] == 2):
        _seat_or_line(ws, c, now, True)
        return False
    best, latest = -1, -INF
    for s in range(absences.size):
        b = holder[s]
        if absences[s] == 0 and b >= 0 and not urgent[b] and phase[b] == SERVICE and (best < 0 or answered_at[s] > latest):
            best, latest = s, answered_at[s]
    if best < 0:
        _seat_or_line(ws, c, now, True)
        return False
    b = holder[best]
    left, started = ws[0][11], ws[0][12]
    left[b] = left[b] - (now - started[b])
    ws[0][2][b] += 1  # its end of service will not come
    ws[0][5][b] = -1
    _answer(ws, best, c, now)
    if left[b] > 0:  # back at its old place in line, for the rest of its length
        phase[b] = HOLD_FOR_POC
        if _seat_or_line(ws, b, now, True):
            _serve(ws, b, now)
    else:
        phase[b] = GONE
    return True


@njit(cache=True)
def _seat_or_line(ws: tuple, c: int, now: float, join: bool) -> bool:
    """A free seat answers call ``c`` (True); else, with ``join``, it joins the POC line."""
    absences, holder = ws[2][0], ws[2][1]
    for s in range(absences.size):
        if absences[s] == 0 and holder[s] < 0:
            _answer(ws, s, c, now)
            return True
    if join:
        _join(ws, 0, c)
        ws[0][7][c] = True
    return False


@njit(cache=True)
def _officer_request(ws: tuple, c: int, n_officers: int) -> bool:
    officers = ws[3][2]
    for d in range(n_officers):
        if officers[d] < 0:
            officers[d] = c
            ws[0][6][c] = d
            return True
    _join(ws, 1, c)
    ws[0][8][c] = True
    return False


@njit(cache=True)
def _poc_hang_up(ws: tuple, m: tuple, r: int, c: int, now: float) -> None:
    """End call ``c``'s claim on a POC: free its seat (for the line, unless away), or leave the line."""
    pseat, in_line = ws[0][5], ws[0][7]
    if pseat[c] >= 0:
        s = pseat[c]
        pseat[c] = -1
        ws[2][1][s] = -1
        _idle(ws, m, r, s, now)
        _offer(ws, m, r, s, now)
    elif in_line[c]:
        _leave_line(ws, 0, c)
        in_line[c] = False


@njit(cache=True)
def _officer_hang_up(ws: tuple, m: tuple, r: int, c: int, now: float) -> None:
    oseat, in_officer_line = ws[0][6], ws[0][8]
    officers = ws[3][2]
    if oseat[c] >= 0:
        d = oseat[c]
        oseat[c] = -1
        officers[d] = -1
        head = _head(ws, 1)
        if head >= 0:
            ws[0][8][head] = False
            officers[d] = head
            oseat[head] = d
            _officer_answered(ws, m, r, head, now)
    elif in_officer_line[c]:
        _leave_line(ws, 1, c)
        in_officer_line[c] = False


@njit(cache=True)
def _idle(ws: tuple, m: tuple, r: int, s: int, now: float) -> None:
    """Seat ``s`` has no call: the spell away or the handover waiting for that begins."""
    alt_idle, fixed_idle, fixed_next = ws[2][3], ws[2][4], ws[2][5]
    if alt_idle[s]:
        alt_idle[s] = False
        _push(ws, now + _spell(ws, m, r, s, 0), NORMAL, ALT_BACK, s, 0)
    for k in range(2):
        if fixed_idle[s, k]:
            fixed_idle[s, k] = False
            _push(ws, now + m[6][2][s, k, fixed_next[s, k]], NORMAL, FIXED_STEP, 2 * s + k, 0)


@njit(cache=True)
def _back(ws: tuple, m: tuple, r: int, s: int, now: float) -> None:
    absences = ws[2][0]
    absences[s] -= 1
    if absences[s] == 0:
        _offer(ws, m, r, s, now)


@njit(cache=True)
def _offer(ws: tuple, m: tuple, r: int, s: int, now: float) -> None:
    """A seat free and present answers the head of the line."""
    if ws[2][0][s] == 0 and ws[2][1][s] < 0:
        head = _head(ws, 0)
        if head >= 0:
            _answer(ws, s, head, now)
            _poc_answered(ws, m, r, head, now)


@njit(cache=True)
def _poc_answered(ws: tuple, m: tuple, r: int, c: int, now: float) -> None:
    """Call ``c`` was in line and a POC answers it now: it goes on as its process does."""
    phase, since, seat = ws[0][1], ws[0][9], ws[0][5][c]
    if c == NOTICE:
        phase[c] = POC_TALK
        _timer(ws, c, now + m[2][2][m[4][seat], r])
    elif c == CALLER:
        if phase[c] == HOLD or phase[c] == HOLD_FOR_POC:
            _end_hold(ws, now)
            _officer_hang_up(ws, m, r, c, now)  # still in the duty officers' line, if at all
            _caller_poc_talk(ws, m, r, now)
    elif phase[c] == HOLD or phase[c] == HOLD_FOR_POC:
        _officer_hang_up(ws, m, r, c, now)
        _serve(ws, c, now)


@njit(cache=True)
def _officer_answered(ws: tuple, m: tuple, r: int, c: int, now: float) -> None:
    """A duty officer answers call ``c`` now: it talks, keeping its place in the POC line."""
    phase, since, patience_left = ws[0][1], ws[0][9], ws[0][10]
    if c == CALLER:
        a = int(ws[5][ATTEMPT])
        _end_hold(ws, now)
        phase[c] = OFFICER_TALK
        minutes = m[1][9][r, a]
        ws[5][TALKING] += minutes
        _timer(ws, c, now + minutes)
    else:
        phase[c] = OFFICER_TALK
        patience_left[c] -= now - since[c]
        background = m[3]
        n = ws[0][13][c]
        _timer(ws, c, now + quantile(background[4][2], uniform_at(background[3][3, r], n)))


@njit(cache=True)
def _end_hold(ws: tuple, now: float) -> None:
    """The caller's hold ends now: count it as waiting or holding, and against patience."""
    phase, since, patience_left = ws[0][1], ws[0][9], ws[0][10]
    held = now - since[CALLER]
    ws[5][WAITING if phase[CALLER] == HOLD else HOLDING] += held
    ws[5][HOLD_TOTAL] += held
    patience_left[CALLER] -= held


@njit(cache=True)
def _dial(ws: tuple, m: tuple, r: int, now: float) -> None:
    """The caller's next attempt: a POC if one is free, else hold, and a duty officer may answer first."""
    result, flags = ws[5], ws[6]
    phase, since, patience_left = ws[0][1], ws[0][9], ws[0][10]
    a = int(result[ATTEMPT]) + 1
    result[ATTEMPT] = a
    result[DIALLED] = now
    result[WAITING] = result[TALKING] = result[HOLDING] = result[RELAYING] = 0.0
    flags[SECOND_TELLING] = 0.0
    patience_left[CALLER] = m[1][7][r, a]
    ws[0][3][CALLER] = now
    ws[0][4][CALLER] = ws[4][ORDER]
    ws[4][ORDER] += 1
    phase[CALLER] = HOLD
    since[CALLER] = now
    if _poc_request(ws, m, CALLER, now):
        _caller_poc_talk(ws, m, r, now)
    elif m[5] > 0 and _officer_request(ws, CALLER, m[5]):
        _officer_answered(ws, m, r, CALLER, now)
    elif patience_left[CALLER] < INF:
        _deadline(ws, CALLER, now + max(patience_left[CALLER], 0.0))


@njit(cache=True)
def _caller_poc_talk(ws: tuple, m: tuple, r: int, now: float) -> None:
    a = int(ws[5][ATTEMPT])
    minutes = m[1][10][m[4][ws[0][5][CALLER]], r, a]
    ws[5][TALKING] += minutes
    ws[0][1][CALLER] = POC_TALK
    _timer(ws, CALLER, now + minutes)


@njit(cache=True)
def _caller_step(ws: tuple, m: tuple, r: int, kind: int, now: float) -> None:
    """The caller's timer or deadline has come: the attempt goes on as ``StopCampaign._attempt`` does."""
    (detect, max_attempts, policy, escalate, mis_first, p_mis, p_poc,
     patience, redial, answer_time, message, officer_relay, telling, poc_telling) = m[1]
    result, flags = ws[5], ws[6]
    phase, since, patience_left = ws[0][1], ws[0][9], ws[0][10]
    a = int(result[ATTEMPT])
    state = phase[CALLER]
    if kind == DEADLINE:
        _end_hold(ws, now)
        if state == HOLD_FOR_POC and flags[ESCALATES] > 0:
            _relay(ws, m, r, now)
        else:  # abandoned
            _officer_hang_up(ws, m, r, CALLER, now)
            _poc_hang_up(ws, m, r, CALLER, now)
            _redial(ws, m, r, now)
    elif state == REDIAL:
        if a < max_attempts:
            _dial(ws, m, r, now)
        else:
            phase[CALLER] = GONE
    elif state == POC_TALK:
        _poc_hang_up(ws, m, r, CALLER, now)
        if flags[SECOND_TELLING] > 0:
            understood = math.isnan(p_poc) or not poc_telling[r, a] < p_poc
        else:
            understood = not (a <= mis_first or telling[r, a] < p_mis)
        if understood:
            _through(ws, m, r, now)
        else:
            _redial(ws, m, r, now)
    elif state == RELAY:
        _through(ws, m, r, now)
        _poc_hang_up(ws, m, r, CALLER, now)
    else:  # OFFICER_TALK is over
        _officer_hang_up(ws, m, r, CALLER, now)
        flags[SECOND_TELLING] = 1.0
        if a <= mis_first or telling[r, a] < p_mis:
            _poc_hang_up(ws, m, r, CALLER, now)
            _redial(ws, m, r, now)
        elif policy == PASS_TO_DUTY_OFFICER:
            _relay(ws, m, r, now)
        elif ws[0][5][CALLER] >= 0:
            _caller_poc_talk(ws, m, r, now)
        else:
            phase[CALLER] = HOLD_FOR_POC
            since[CALLER] = now
            give_up = now + max(patience_left[CALLER], 0.0) if patience_left[CALLER] < INF else INF
            escalate_at = now + max(escalate - result[WAITING], 0.0) if policy == ESCALATE_AFTER else INF
            flags[ESCALATES] = 1.0 if escalate_at < give_up else 0.0
            if min(give_up, escalate_at) < INF:
                _deadline(ws, CALLER, min(give_up, escalate_at))


@njit(cache=True)
def _relay(ws: tuple, m: tuple, r: int, now: float) -> None:
    """A duty officer passes the message on (the caller keeps its place in the POC line meanwhile)."""
    minutes = m[1][11][r, int(ws[5][ATTEMPT])]
    ws[5][RELAYING] = minutes
    ws[0][1][CALLER] = RELAY
    _timer(ws, CALLER, now + minutes)


@njit(cache=True)
def _through(ws: tuple, m: tuple, r: int, now: float) -> None:
    ws[5][THROUGH] = now
    ws[5][CAMPAIGN_END] = now + m[9][r]
    ws[0][1][CALLER] = GONE


@njit(cache=True)
def _redial(ws: tuple, m: tuple, r: int, now: float) -> None:
    """Hang up and dial again after the redial delay, while attempts are left and before the horizon."""
    a = int(ws[5][ATTEMPT])
    t = now + m[1][8][r, a]
    ws[5][CAMPAIGN_END] = t
    if a < m[1][1] and t < m[0]:
        ws[0][1][CALLER] = REDIAL
        _timer(ws, CALLER, t)
    else:
        ws[0][1][CALLER] = GONE
