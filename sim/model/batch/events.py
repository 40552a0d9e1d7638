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
- A call holding for a POC and a duty officer at once hears the officer only
  when its process resumes (``OFFICER_ANSWER``, at the same moment): a POC
  answering it meanwhile comes first, as the model looks at the POC first.
  A background call then gives up its claim on an officer at once; the
  caller keeps it (in line, or an officer waiting) until its talk with the
  POC is over, as ``StopCampaign._attempt`` does.
- Background calls, away spells and present spells are drawn inside the loop
  from the model's own streams (``draws``), as many as the afternoon needs.

Two ordinary events due at the very same moment are processed by SimPy in the
order they were scheduled, which this loop does not track: ``run_desk`` then
returns ``TIE`` and the kernel tries the straight line, else the engine runs
the replication on the SimPy model. With continuous random quantities that
needs a step of fixed length 0 (the stochastic Deir ez-Zor POC takes the
message in no time) and stays rare (under 1% of replications on the staffing
points); fixed-value scenarios get there often. A replication needing more
room than the work arrays have (``CALLS`` calls at the desk at once, ``HEAP``
pending events) returns ``FULL`` and is treated likewise.
"""

from __future__ import annotations

import math

import numpy as np

from sim.model.batch.compiled import compiled
from sim.model.batch.draws import draw, uniform_at
from sim.scenario.quantiles import quantile

INF = math.inf
DONE, TIE, FULL = 0, 1, 2
"""What ``run_desk`` returns: the desk's story is settled; two events tied; the work arrays ran out."""

CALLS, HEAP = 64, 512
"""Calls at the desk at once (the caller, the notice, background calls) and pending events, at most."""
CALLER, NOTICE, FIRST_BACKGROUND = 0, 1, 2

NORMAL, LATE = 0, 1
# Event kinds.
ARRIVE, TIMER, DEADLINE, TRIGGER, NOTICE_DUE, ALT_LEAVE, ALT_BACK, FIXED_STEP, OFFICER_ANSWER = range(9)
# Phases of a call.
IDLE, HOLD, OFFICER_TALK, HOLD_FOR_POC, POC_TALK, RELAY, SERVICE, REDIAL, GONE = range(9)
WAIT_FOR_POC, PASS_TO_DUTY_OFFICER, ESCALATE_AFTER = 0, 1, 2
POLICIES = {"wait_for_poc": WAIT_FOR_POC, "pass_to_duty_officer": PASS_TO_DUTY_OFFICER,
            "escalate_after": ESCALATE_AFTER}
PRECEDENCES = {"fifo": 0, "urgent_first": 1, "urgent_preempts": 2}

RESULTS = ("first_call", "attempts", "hold", "through", "campaign_end", "dialled", "waiting", "talking", "holding",
           "relaying", "sent")
"""What ``run_desk`` writes into ``workspace(...)[RES]``, in order."""
FIRST_CALL, ATTEMPT, HOLD_TOTAL, THROUGH, CAMPAIGN_END, DIALLED, WAITING, TALKING, HOLDING, RELAYING, SENT = range(11)

# The work arrays, one tuple of few arrays (a compiled call passes every array of it), with their rows:
CF, CI, HF, HI, SF, SI, LINES, COUNT, RES, PAR, ATT, KEYS, ROWS, HANDOVERS, GROUPS, CALLER_DRAWS = range(16)
MOMENT, SINCE, PATIENCE, LEFT, STARTED = range(5)  # per call, float
RANK, PHASE, VERSION, ORDER, PSEAT, OSEAT, IN_LINE, IN_OFFICER_LINE, NUMBER, URGENT = range(10)  # per call, int
KEY, KIND, WHO, VER = range(4)  # per pending event (its moment in HF)
ABSENCES, HOLDER, ALT_IDLE, DRAWN, FIXED_IDLE, FIXED_NEXT, FIXED_AWAY = 0, 1, 2, 3, 5, 7, 9  # per seat (2 each from 3)
POC_QUEUE, OFFICER_QUEUE, OFFICERS = range(3)
HEAP_SIZE, SCHEDULED, ORDERED, POC_LINE, OFFICER_LINE, STATUS, SECOND_TELLING, ESCALATES, REPLICATION = range(9)
(HORIZON, MAX_ATTEMPTS, POLICY, ESCALATE, MIS_FIRST, P_MIS, P_POC, N_OFFICERS, PRECEDENCE, DESK_RELAY, MEAN_GAP,
 HAS_PATIENCE, NOTICE_MESSAGE) = range(13)  # this replication's parameters; NOTICE_MESSAGE + group
A_PATIENCE, A_REDIAL, A_ANSWER, A_RELAY, A_TELLING, A_POC_TELLING, A_MESSAGE = range(7)  # per attempt; + group
K_GAP, K_SERVICE, K_PATIENCE, K_ANSWER, K_SPELLS = range(5)  # stream keys; K_SPELLS + 2 seat + (0 away, 1 present)
R_SERVICE, R_PATIENCE, R_ANSWER, R_SPELLS = range(4)  # distribution rows; R_SPELLS + 2 group + (0 away, 1 present)


def workspace(m: tuple) -> tuple:
    """The work arrays of ``run_desk`` for model ``m`` (see ``run_desk``), allocated once for a whole batch."""
    seat_group, officers, handovers = m[4], m[5], m[6][2]
    groups = m[1][9].shape[0] - A_MESSAGE
    attempts = m[1][1] + 1
    background_rows, spell_rows = m[3][4], m[7][3]
    width = max(background_rows.shape[1], spell_rows.shape[2])
    rows = np.zeros((R_SPELLS + 2 * groups, width))
    rows[:R_SPELLS, :background_rows.shape[1]] = background_rows
    for g in range(groups):
        for present in range(2):
            rows[R_SPELLS + 2 * g + present, :spell_rows.shape[2]] = spell_rows[present, g]
    seats = seat_group.size
    return (np.zeros((5, CALLS)), np.zeros((10, CALLS), np.int64), np.zeros(HEAP), np.zeros((4, HEAP), np.int64),
            np.zeros(seats), np.zeros((11, seats), np.int64), np.zeros((3, max(CALLS, officers)), np.int64),
            np.zeros(9, np.int64), np.zeros(len(RESULTS)), np.zeros(NOTICE_MESSAGE + groups),
            np.zeros((A_MESSAGE + groups, attempts)), np.zeros(K_SPELLS + 2 * seats, np.uint64), rows,
            np.ascontiguousarray(handovers), seat_group, (m[1][7], m[1][8], m[1][9]))


@compiled()
def draw_attempt(att: np.ndarray, draws: tuple, r: int, a: int) -> None:
    """The caller's numbers for attempt ``a`` of replication ``r`` into column ``a`` of ``att`` (``A_...`` rows):
    draw ``a`` of each quantity's stream, as ``StopCampaign`` takes them (``stream.at(attempt)``)."""
    has_patience, keys, rows = draws
    att[A_PATIENCE, a] = draw(rows[A_PATIENCE], keys[A_PATIENCE, r], a) if has_patience else INF
    for q in (A_REDIAL, A_ANSWER, A_RELAY):
        att[q, a] = draw(rows[q], keys[q, r], a)
    att[A_TELLING, a] = uniform_at(keys[A_TELLING, r], a)
    att[A_POC_TELLING, a] = uniform_at(keys[A_POC_TELLING, r], a)
    u = uniform_at(keys[A_MESSAGE, r], a)
    for g in range(rows.shape[0] - A_MESSAGE):
        att[A_MESSAGE + g, a] = quantile(rows[A_MESSAGE + g], u)


@compiled(inline=True)
def _push(ws: tuple, t: float, priority: int, kind: int, who: int, version: int) -> None:
    ht, h, count = ws[HF], ws[HI], ws[COUNT]
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
        if ht[parent] < t or (ht[parent] == t and h[KEY, parent] < key):
            break
        ht[i] = ht[parent]
        for q in range(4):
            h[q, i] = h[q, parent]
        i = parent
    ht[i] = t
    h[KEY, i], h[KIND, i], h[WHO, i], h[VER, i] = key, kind, who, version


@compiled(inline=True)
def _pop(ws: tuple) -> tuple[float, int, int, int, int]:
    """The earliest event (time, priority, kind, who, version), taken off the heap."""
    ht, h, count = ws[HF], ws[HI], ws[COUNT]
    t, key, kind, who, version = ht[0], h[KEY, 0], h[KIND, 0], h[WHO, 0], h[VER, 0]
    n = count[HEAP_SIZE] - 1
    count[HEAP_SIZE] = n
    lt, lk = ht[n], h[KEY, n]
    i = 0
    while True:
        child = 2 * i + 1
        if child >= n:
            break
        right = child + 1
        if right < n and (ht[right] < ht[child] or (ht[right] == ht[child] and h[KEY, right] < h[KEY, child])):
            child = right
        if lt < ht[child] or (lt == ht[child] and lk < h[KEY, child]):
            break
        ht[i] = ht[child]
        for q in range(4):
            h[q, i] = h[q, child]
        i = child
    if n > 0:
        ht[i] = lt
        for q in range(4):
            h[q, i] = h[q, n]
    return t, key >> 50, kind, who, version


@compiled(inline=True)
def _join(ws: tuple, line: int, c: int) -> None:
    """Call ``c`` joins a line at its place: (rank, moment of calling, order of calling)."""
    queue, count, ci, cf = ws[LINES][line], ws[COUNT], ws[CI], ws[CF]
    slot = POC_LINE if line == POC_QUEUE else OFFICER_LINE
    n = count[slot]
    i = n
    while i > 0:
        b = queue[i - 1]
        if ci[RANK, c] != ci[RANK, b]:
            ahead = ci[RANK, c] < ci[RANK, b]
        elif cf[MOMENT, c] != cf[MOMENT, b]:
            ahead = cf[MOMENT, c] < cf[MOMENT, b]
        else:
            ahead = ci[ORDER, c] < ci[ORDER, b]
        if not ahead:
            break
        queue[i] = b
        i -= 1
    queue[i] = c
    count[slot] = n + 1


@compiled(inline=True)
def _leave_line(ws: tuple, line: int, c: int) -> None:
    queue, count = ws[LINES][line], ws[COUNT]
    slot = POC_LINE if line == POC_QUEUE else OFFICER_LINE
    j = 0
    for i in range(count[slot]):
        if queue[i] != c:
            queue[j] = queue[i]
            j += 1
    count[slot] = j


@compiled(inline=True)
def _head(ws: tuple, line: int) -> int:
    """Take the head of a line (-1 when empty)."""
    queue, count = ws[LINES][line], ws[COUNT]
    slot = POC_LINE if line == POC_QUEUE else OFFICER_LINE
    n = count[slot]
    if n == 0:
        return -1
    head = queue[0]
    for i in range(1, n):
        queue[i - 1] = queue[i]
    count[slot] = n - 1
    return head


@compiled()
def run_desk(ws: tuple, m: tuple, r: int, detected: float) -> int:
    """Run replication ``r``'s desk until the caller and the notice are done, or the horizon; fill ``ws[RES]``.

    ``m`` is the model: (horizon, caller, notice, background, seat groups, duty officers, fixed absences,
    alternating spells, precedence (0 fifo, 1 urgent first, 2 urgent preempts), desk relay delays), as
    ``engine`` builds it; ``detected``: when the caller notices the strike (INF: never).
    """
    horizon, caller, notice, background, seat_group, fixed = m[0], m[1], m[2], m[3], m[4], m[6]
    has_notice, due, check_time, caught_at_check = notice[0], notice[1], notice[3], notice[4]
    on, limit = background[0], background[2]
    leaves, backs, handovers, counts = fixed
    has_alt, starts_away = m[7][0], m[7][1]
    cf, ci, si, count, res, par, att, keys = ws[CF], ws[CI], ws[SI], ws[COUNT], ws[RES], ws[PAR], ws[ATT], ws[KEYS]
    # This replication's numbers, where the helpers find them.
    par[HORIZON], par[MAX_ATTEMPTS], par[POLICY], par[ESCALATE] = horizon, caller[1], caller[2], caller[3]
    par[MIS_FIRST], par[P_MIS], par[P_POC], par[N_OFFICERS] = caller[4], caller[5], caller[6], m[5]
    par[PRECEDENCE], par[DESK_RELAY], par[MEAN_GAP], par[HAS_PATIENCE] = m[8], m[9][r], background[1], background[5]
    for g in range(notice[2].shape[0]):
        par[NOTICE_MESSAGE + g] = notice[2][g, r]
    for q in range(4):
        keys[q] = background[3][q, r]
    for s in range(seat_group.size):
        keys[K_SPELLS + 2 * s] = m[7][2][0, s, r]
        keys[K_SPELLS + 2 * s + 1] = m[7][2][1, s, r]
    count[:] = 0
    count[REPLICATION] = r
    ws[LINES][OFFICERS, :] = -1
    ci[PHASE, :] = GONE
    ci[PSEAT, :] = -1
    ci[OSEAT, :] = -1
    ci[IN_LINE, :] = 0
    ci[IN_OFFICER_LINE, :] = 0
    ci[URGENT, :] = 0
    res[:] = INF
    res[ATTEMPT] = res[HOLD_TOTAL] = 0.0
    res[CAMPAIGN_END] = -INF
    ci[PHASE, CALLER] = ci[PHASE, NOTICE] = IDLE
    ci[URGENT, CALLER] = ci[URGENT, NOTICE] = 1
    ci[RANK, CALLER] = ci[RANK, NOTICE] = 0
    # Each seat at minute 0: the absences that begin then, and the first step of each process.
    si[:, :] = 0
    si[HOLDER, :] = -1
    ws[SF][:] = -INF
    for s in range(seat_group.size):
        for k in range(2):
            if counts[s, k] > 0:
                if leaves[s, k, 0] <= 0.0:
                    si[ABSENCES, s] += 1
                    si[FIXED_AWAY + k, s] = 1
                    if backs[s, k, 0] < INF:
                        _push(ws, backs[s, k, 0], NORMAL, FIXED_STEP, 2 * s + k, 0)
                else:
                    _push(ws, leaves[s, k, 0], NORMAL, FIXED_STEP, 2 * s + k, 0)
        if has_alt[s]:
            if starts_away[s]:
                si[ABSENCES, s] += 1
                _push(ws, _spell(ws, s, 0), NORMAL, ALT_BACK, s, 0)
            else:
                _push(ws, _spell(ws, s, 1), NORMAL, ALT_LEAVE, s, 0)
    triggers = 0
    if detected < horizon:
        _push(ws, detected, NORMAL, TRIGGER, CALLER, 0)
        triggers += 1
    if has_notice:
        _push(ws, due[r], NORMAL, NOTICE_DUE, NOTICE, 0)
    else:
        ci[PHASE, NOTICE] = GONE
    mean_gap = par[MEAN_GAP]
    if on and limit > 0:
        _push(ws, -mean_gap * math.log1p(-uniform_at(keys[K_GAP], 0)), NORMAL, ARRIVE, 0, 0)
    hf, hi = ws[HF], ws[HI]
    while count[STATUS] == DONE and count[HEAP_SIZE] > 0:
        if ci[PHASE, NOTICE] == GONE and (ci[PHASE, CALLER] == GONE or (ci[PHASE, CALLER] == IDLE and triggers == 0)):
            break
        now, priority, kind, who, ver = _pop(ws)
        if now >= horizon:
            break
        if (kind == TIMER or kind == DEADLINE) and ver != ci[VERSION, who]:
            continue
        while count[HEAP_SIZE] > 0 and hi[KIND, 0] == TIMER and hi[VER, 0] != ci[VERSION, hi[WHO, 0]]:
            _pop(ws)  # a call's timer that will not come (its service was broken off)
        if priority == NORMAL and count[HEAP_SIZE] > 0 and hf[0] == now and hi[KEY, 0] < (1 << 50):
            count[STATUS] = TIE  # two ordinary events at one moment: SimPy's order of scheduling decides
            break
        if kind == ARRIVE:
            if who + 1 < limit:
                _push(ws, now + -mean_gap * math.log1p(-uniform_at(keys[K_GAP], who + 1)), NORMAL, ARRIVE,
                      who + 1, 0)
            c = _free_slot(ws)
            if c < 0:
                break
            ci[NUMBER, c] = who
            cf[LEFT, c] = draw(ws[ROWS][R_SERVICE], keys[K_SERVICE], who)
            cf[PATIENCE, c] = (draw(ws[ROWS][R_PATIENCE], keys[K_PATIENCE], who)
                               if par[HAS_PATIENCE] else INF)
            ci[URGENT, c] = 0
            ci[RANK, c] = 0 if par[PRECEDENCE] == 0 else 1
            cf[MOMENT, c] = now
            ci[ORDER, c] = count[ORDERED]
            count[ORDERED] += 1
            ci[PHASE, c] = HOLD
            cf[SINCE, c] = now
            if _poc_request(ws, c, now):
                _serve(ws, c, now)
            elif par[N_OFFICERS] > 0 and _officer_request(ws, c):
                _officer_answered(ws, c, now)
            elif par[HAS_PATIENCE]:
                _deadline(ws, c, now + max(cf[PATIENCE, c], 0.0))
        elif kind == OFFICER_ANSWER:  # still on hold with the officer's answer: no POC answered meanwhile
            if ci[OSEAT, who] >= 0 and ci[PHASE, who] == HOLD:
                _officer_answered(ws, who, now)
        elif kind == TRIGGER:
            triggers -= 1
            if ci[PHASE, CALLER] == IDLE:
                res[FIRST_CALL] = now
                _dial(ws, now)
        elif kind == NOTICE_DUE:
            cf[MOMENT, NOTICE] = now
            ci[ORDER, NOTICE] = count[ORDERED]
            count[ORDERED] += 1
            ci[PHASE, NOTICE] = HOLD
            if _poc_request(ws, NOTICE, now):
                _poc_answered(ws, NOTICE, now)
        elif kind == TIMER and who == NOTICE:  # the notice has gone out; the check follows
            _poc_hang_up(ws, NOTICE, now)
            ci[PHASE, NOTICE] = GONE
            res[SENT] = now
            checked = now + check_time[r]
            if caught_at_check[r] and checked < horizon:
                _push(ws, checked, NORMAL, TRIGGER, CALLER, 0)
                triggers += 1
        elif (kind == TIMER or kind == DEADLINE) and who == CALLER:
            _caller_step(ws, kind, now)
        elif kind == TIMER:  # a background call's service is over, or its duty officer has spoken
            c = who
            if ci[PHASE, c] == SERVICE:
                ci[PHASE, c] = GONE
                _poc_hang_up(ws, c, now)
            else:
                _officer_hang_up(ws, c, now)
                if ci[PSEAT, c] >= 0:
                    _serve(ws, c, now)
                else:
                    ci[PHASE, c] = HOLD_FOR_POC
                    cf[SINCE, c] = now
                    if par[HAS_PATIENCE]:
                        _deadline(ws, c, now + max(cf[PATIENCE, c], 0.0))
        elif kind == DEADLINE:  # a background caller's patience ran out: it hangs up for good
            ci[PHASE, who] = GONE
            _poc_hang_up(ws, who, now)
            _officer_hang_up(ws, who, now)
        elif kind == ALT_LEAVE:
            si[ABSENCES, who] += 1
            if si[HOLDER, who] < 0:
                _push(ws, now + _spell(ws, who, 0), NORMAL, ALT_BACK, who, 0)
            else:
                si[ALT_IDLE, who] = 1
        elif kind == ALT_BACK:
            _push(ws, now + _spell(ws, who, 1), NORMAL, ALT_LEAVE, who, 0)
            _back(ws, who, now)
        else:  # FIXED_STEP: an explicit interval or a roster change
            s, k = who // 2, who % 2
            j = si[FIXED_NEXT + k, s]
            if not si[FIXED_AWAY + k, s]:
                si[FIXED_AWAY + k, s] = 1
                si[ABSENCES, s] += 1
                if math.isnan(handovers[s, k, j]):
                    if backs[s, k, j] < INF:
                        _push(ws, backs[s, k, j], NORMAL, FIXED_STEP, who, 0)
                elif si[HOLDER, s] < 0:
                    _push(ws, now + handovers[s, k, j], NORMAL, FIXED_STEP, who, 0)
                else:
                    si[FIXED_IDLE + k, s] = 1
            else:
                si[FIXED_AWAY + k, s] = 0
                si[FIXED_NEXT + k, s] = j + 1
                if j + 1 < counts[s, k]:
                    _push(ws, max(leaves[s, k, j + 1], now), NORMAL, FIXED_STEP, who, 0)
                _back(ws, s, now)
    if count[STATUS] != DONE:
        return count[STATUS]
    # The horizon: a hold still going on counts up to it; a call still going on never ended.
    if ci[PHASE, CALLER] == HOLD or ci[PHASE, CALLER] == HOLD_FOR_POC:
        res[HOLD_TOTAL] += horizon - cf[SINCE, CALLER]
    if ci[PHASE, CALLER] != IDLE and ci[PHASE, CALLER] != GONE:
        res[CAMPAIGN_END] = INF
    return DONE


@compiled(inline=True)
def _spell(ws: tuple, s: int, present: int) -> float:
    """Seat ``s``'s next spell at the desk (``present`` 1) or away (0), drawn in turn from its stream."""
    si = ws[SI]
    n = si[DRAWN + present, s]
    si[DRAWN + present, s] = n + 1
    row = ws[ROWS][R_SPELLS + 2 * ws[GROUPS][s] + present]
    return draw(row, ws[KEYS][K_SPELLS + 2 * s + present], n)


@compiled(inline=True)
def _free_slot(ws: tuple) -> int:
    ci = ws[CI]
    for c in range(FIRST_BACKGROUND, CALLS):
        if ci[PHASE, c] == GONE:
            return c
    ws[COUNT][STATUS] = FULL
    return -1


@compiled(inline=True)
def _timer(ws: tuple, c: int, t: float) -> None:
    ci = ws[CI]
    ci[VERSION, c] += 1
    _push(ws, t, NORMAL, TIMER, c, ci[VERSION, c])


@compiled(inline=True)
def _deadline(ws: tuple, c: int, t: float) -> None:
    ci = ws[CI]
    ci[VERSION, c] += 1
    _push(ws, t, LATE, DEADLINE, c, ci[VERSION, c])


@compiled(inline=True)
def _serve(ws: tuple, c: int, now: float) -> None:
    """A background call's POC talks with it for what is ``LEFT`` of its length."""
    ws[CI][PHASE, c] = SERVICE
    ws[CF][STARTED, c] = now
    _timer(ws, c, now + ws[CF][LEFT, c])


@compiled(inline=True)
def _answer(ws: tuple, s: int, c: int, now: float) -> None:
    ws[SI][HOLDER, s] = c
    ws[SF][s] = now
    ws[CI][PSEAT, c] = s
    ws[CI][IN_LINE, c] = 0


@compiled()
def _poc_request(ws: tuple, c: int, now: float) -> bool:
    """Ring for a POC: answered at once (True), breaking off a routine call if urgent calls preempt, or in line."""
    ci, cf, si, answered_at = ws[CI], ws[CF], ws[SI], ws[SF]
    if _seat_or_line(ws, c, now, False):
        return True
    if not (ci[URGENT, c] and ws[PAR][PRECEDENCE] == 2):
        _seat_or_line(ws, c, now, True)
        return False
    best, latest = -1, -INF
    for s in range(answered_at.size):
        b = si[HOLDER, s]
        if si[ABSENCES, s] == 0 and b >= 0 and not ci[URGENT, b] and ci[PHASE, b] == SERVICE and (
                best < 0 or answered_at[s] > latest):
            best, latest = s, answered_at[s]
    if best < 0:
        _seat_or_line(ws, c, now, True)
        return False
    b = si[HOLDER, best]
    cf[LEFT, b] = cf[LEFT, b] - (now - cf[STARTED, b])
    ci[VERSION, b] += 1  # its end of service will not come
    ci[PSEAT, b] = -1
    _answer(ws, best, c, now)
    if cf[LEFT, b] > 0:  # back at its old place in line, for the rest of its length
        ci[PHASE, b] = HOLD_FOR_POC
        if _seat_or_line(ws, b, now, True):
            _serve(ws, b, now)
    else:
        ci[PHASE, b] = GONE
    return True


@compiled()
def _seat_or_line(ws: tuple, c: int, now: float, join: bool) -> bool:
    """A free seat answers call ``c`` (True); else, with ``join``, it joins the POC line."""
    si = ws[SI]
    for s in range(si.shape[1]):
        if si[ABSENCES, s] == 0 and si[HOLDER, s] < 0:
            _answer(ws, s, c, now)
            return True
    if join:
        _join(ws, POC_QUEUE, c)
        ws[CI][IN_LINE, c] = 1
    return False


@compiled()
def _officer_request(ws: tuple, c: int) -> bool:
    officers = ws[LINES][OFFICERS]
    for d in range(int(ws[PAR][N_OFFICERS])):
        if officers[d] < 0:
            officers[d] = c
            ws[CI][OSEAT, c] = d
            return True
    _join(ws, OFFICER_QUEUE, c)
    ws[CI][IN_OFFICER_LINE, c] = 1
    return False


@compiled()
def _poc_hang_up(ws: tuple, c: int, now: float) -> None:
    """End call ``c``'s claim on a POC: free its seat (for the line, unless away), or leave the line."""
    ci = ws[CI]
    if ci[PSEAT, c] >= 0:
        s = ci[PSEAT, c]
        ci[PSEAT, c] = -1
        ws[SI][HOLDER, s] = -1
        _idle(ws, s, now)
        _offer(ws, s, now)
    elif ci[IN_LINE, c]:
        _leave_line(ws, POC_QUEUE, c)
        ci[IN_LINE, c] = 0


@compiled()
def _officer_hang_up(ws: tuple, c: int, now: float) -> None:
    ci = ws[CI]
    officers = ws[LINES][OFFICERS]
    if ci[OSEAT, c] >= 0:
        d = ci[OSEAT, c]
        ci[OSEAT, c] = -1
        officers[d] = -1
        head = _head(ws, OFFICER_QUEUE)
        if head >= 0:  # the call hears it when its process resumes, after a POC answering it meanwhile
            ci[IN_OFFICER_LINE, head] = 0
            officers[d] = head
            ci[OSEAT, head] = d
            _push(ws, now, NORMAL, OFFICER_ANSWER, head, 0)
    elif ci[IN_OFFICER_LINE, c]:
        _leave_line(ws, OFFICER_QUEUE, c)
        ci[IN_OFFICER_LINE, c] = 0


@compiled()
def _idle(ws: tuple, s: int, now: float) -> None:
    """Seat ``s`` has no call: the spell away or the handover waiting for that begins."""
    si = ws[SI]
    if si[ALT_IDLE, s]:
        si[ALT_IDLE, s] = 0
        _push(ws, now + _spell(ws, s, 0), NORMAL, ALT_BACK, s, 0)
    for k in range(2):
        if si[FIXED_IDLE + k, s]:
            si[FIXED_IDLE + k, s] = 0
            _push(ws, now + ws[HANDOVERS][s, k, si[FIXED_NEXT + k, s]], NORMAL, FIXED_STEP, 2 * s + k, 0)


@compiled()
def _back(ws: tuple, s: int, now: float) -> None:
    si = ws[SI]
    si[ABSENCES, s] -= 1
    if si[ABSENCES, s] == 0:
        _offer(ws, s, now)


@compiled()
def _offer(ws: tuple, s: int, now: float) -> None:
    """A seat free and present answers the head of the line."""
    if ws[SI][ABSENCES, s] == 0 and ws[SI][HOLDER, s] < 0:
        head = _head(ws, POC_QUEUE)
        if head >= 0:
            _answer(ws, s, head, now)
            _poc_answered(ws, head, now)


@compiled()
def _poc_answered(ws: tuple, c: int, now: float) -> None:
    """Call ``c`` was in line and a POC answers it now: it goes on as its process does."""
    ci = ws[CI]
    if c == NOTICE:
        ci[PHASE, c] = POC_TALK
        _timer(ws, c, now + ws[PAR][NOTICE_MESSAGE + ws[GROUPS][ci[PSEAT, c]]])
    elif c == CALLER:
        if ci[PHASE, c] == HOLD or ci[PHASE, c] == HOLD_FOR_POC:
            _end_hold(ws, now)
            _caller_poc_talk(ws, now)  # its claim on a duty officer lasts until the talk is over
    elif ci[PHASE, c] == HOLD or ci[PHASE, c] == HOLD_FOR_POC:
        _officer_hang_up(ws, c, now)
        _serve(ws, c, now)


@compiled()
def _officer_answered(ws: tuple, c: int, now: float) -> None:
    """A duty officer answers call ``c`` now: it talks, keeping its place in the POC line."""
    ci, cf = ws[CI], ws[CF]
    if c == CALLER:
        _end_hold(ws, now)
        ci[PHASE, c] = OFFICER_TALK
        minutes = ws[ATT][A_ANSWER, int(ws[RES][ATTEMPT])]
        ws[RES][TALKING] += minutes
        _timer(ws, c, now + minutes)
    else:
        ci[PHASE, c] = OFFICER_TALK
        cf[PATIENCE, c] -= now - cf[SINCE, c]
        _timer(ws, c, now + draw(ws[ROWS][R_ANSWER], ws[KEYS][K_ANSWER], ci[NUMBER, c]))


@compiled(inline=True)
def _end_hold(ws: tuple, now: float) -> None:
    """The caller's hold ends now: count it as waiting or holding, and against patience."""
    cf, res = ws[CF], ws[RES]
    held = now - cf[SINCE, CALLER]
    res[WAITING if ws[CI][PHASE, CALLER] == HOLD else HOLDING] += held
    res[HOLD_TOTAL] += held
    cf[PATIENCE, CALLER] -= held


@compiled()
def _dial(ws: tuple, now: float) -> None:
    """The caller's next attempt: a POC if one is free, else hold, and a duty officer may answer first."""
    res, ci, cf, count = ws[RES], ws[CI], ws[CF], ws[COUNT]
    a = int(res[ATTEMPT]) + 1
    res[ATTEMPT] = a
    res[DIALLED] = now
    res[WAITING] = res[TALKING] = res[HOLDING] = res[RELAYING] = 0.0
    count[SECOND_TELLING] = 0
    draw_attempt(ws[ATT], ws[CALLER_DRAWS], count[REPLICATION], a)
    cf[PATIENCE, CALLER] = ws[ATT][A_PATIENCE, a]
    cf[MOMENT, CALLER] = now
    ci[ORDER, CALLER] = count[ORDERED]
    count[ORDERED] += 1
    ci[PHASE, CALLER] = HOLD
    cf[SINCE, CALLER] = now
    if _poc_request(ws, CALLER, now):
        _caller_poc_talk(ws, now)
    elif ws[PAR][N_OFFICERS] > 0 and _officer_request(ws, CALLER):
        _officer_answered(ws, CALLER, now)
    elif cf[PATIENCE, CALLER] < INF:
        _deadline(ws, CALLER, now + max(cf[PATIENCE, CALLER], 0.0))


@compiled()
def _caller_poc_talk(ws: tuple, now: float) -> None:
    minutes = ws[ATT][A_MESSAGE + ws[GROUPS][ws[CI][PSEAT, CALLER]], int(ws[RES][ATTEMPT])]
    ws[RES][TALKING] += minutes
    ws[CI][PHASE, CALLER] = POC_TALK
    _timer(ws, CALLER, now + minutes)


@compiled()
def _caller_step(ws: tuple, kind: int, now: float) -> None:
    """The caller's timer or deadline has come: the attempt goes on as ``StopCampaign._attempt`` does."""
    res, ci, cf, count, par, att = ws[RES], ws[CI], ws[CF], ws[COUNT], ws[PAR], ws[ATT]
    a = int(res[ATTEMPT])
    state = ci[PHASE, CALLER]
    if kind == DEADLINE:
        _end_hold(ws, now)
        if state == HOLD_FOR_POC and count[ESCALATES]:
            _relay(ws, now)
        else:  # abandoned
            _officer_hang_up(ws, CALLER, now)
            _poc_hang_up(ws, CALLER, now)
            _redial(ws, now)
    elif state == REDIAL:
        _dial(ws, now)
    elif state == POC_TALK:
        _poc_hang_up(ws, CALLER, now)
        _officer_hang_up(ws, CALLER, now)
        if count[SECOND_TELLING]:
            understood = math.isnan(par[P_POC]) or not att[A_POC_TELLING, a] < par[P_POC]
        else:
            understood = not (a <= par[MIS_FIRST] or att[A_TELLING, a] < par[P_MIS])
        if understood:
            _through(ws, now)
        else:
            _redial(ws, now)
    elif state == RELAY:
        _through(ws, now)
        _poc_hang_up(ws, CALLER, now)
    else:  # OFFICER_TALK is over
        _officer_hang_up(ws, CALLER, now)
        count[SECOND_TELLING] = 1
        if a <= par[MIS_FIRST] or att[A_TELLING, a] < par[P_MIS]:
            _poc_hang_up(ws, CALLER, now)
            _redial(ws, now)
        elif par[POLICY] == PASS_TO_DUTY_OFFICER:
            _relay(ws, now)
        elif ci[PSEAT, CALLER] >= 0:
            _caller_poc_talk(ws, now)
        else:
            ci[PHASE, CALLER] = HOLD_FOR_POC
            cf[SINCE, CALLER] = now
            patience = cf[PATIENCE, CALLER]
            give_up = now + max(patience, 0.0) if patience < INF else INF
            escalate_at = now + max(par[ESCALATE] - res[WAITING], 0.0) if par[POLICY] == ESCALATE_AFTER else INF
            count[ESCALATES] = 1 if escalate_at < give_up else 0
            if min(give_up, escalate_at) < INF:
                _deadline(ws, CALLER, min(give_up, escalate_at))


@compiled()
def _relay(ws: tuple, now: float) -> None:
    """A duty officer passes the message on (the caller keeps its place in the POC line meanwhile)."""
    minutes = ws[ATT][A_RELAY, int(ws[RES][ATTEMPT])]
    ws[RES][RELAYING] = minutes
    ws[CI][PHASE, CALLER] = RELAY
    _timer(ws, CALLER, now + minutes)


@compiled()
def _through(ws: tuple, now: float) -> None:
    ws[RES][THROUGH] = now
    ws[RES][CAMPAIGN_END] = now + ws[PAR][DESK_RELAY]
    ws[CI][PHASE, CALLER] = GONE


@compiled()
def _redial(ws: tuple, now: float) -> None:
    """Hang up and dial again after the redial delay, while attempts are left and before the horizon."""
    a = int(ws[RES][ATTEMPT])
    t = now + ws[ATT][A_REDIAL, a]
    ws[RES][CAMPAIGN_END] = t
    if a < ws[PAR][MAX_ATTEMPTS] and t < ws[PAR][HORIZON]:
        ws[CI][PHASE, CALLER] = REDIAL
        _timer(ws, CALLER, t)
    else:
        ws[CI][PHASE, CALLER] = GONE
