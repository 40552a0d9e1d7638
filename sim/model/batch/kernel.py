"""One replication's afternoon as compiled code, run for a whole batch.

The story is the SimPy model's (``sim.model.world``) for what the batch
engine covers (``coverage``). The desk, where the notice, the caller's
attempts and the background calls meet, is worked out one of two ways:

- *The event-driven desk* (``events.run_desk``), first: the desk's processes
  event by event, lines and preemption included, drawing from the streams
  what it needs. It gives up only when two ordinary events fall at the very
  same moment (SimPy then goes by the order it scheduled them in), which
  needs fixed values, or when the work arrays are outgrown.
- *The straight line* (``_straight_line``), for those replications. The
  notice takes the first POC free when it is due; the caller's attempts go
  one after another, each answered by a free POC or else by a duty officer
  while the call keeps its place in the POC line; background calls take a
  POC (or a duty officer, then a POC) in between. Each request is answered
  at the first moment a POC seat is at the phone (``seats``) and done with
  any call it is serving, which is exact as long as nobody else is in line
  or with a duty officer when a call arrives (and, under ``urgent_preempts``,
  nobody at the desk at all), no call comes as a seat changes (``tied``:
  a call ending, a seat leaving or coming back at that very moment), and the
  first background calls and away spells drawn as arrays (``inputs``)
  suffice. A replication it cannot settle either is marked ``SIMPY``, and
  the engine runs it on the SimPy model.

Either way the desk's results (``events.RESULTS``) then give the abort order
and the strike (``_strike``). Background calls after the caller's last
attempt and the notice cannot change an outcome and are not worked out. The
outputs are per-replication moments and durations from which ``accounting``
computes the outcomes. Moments at or after the horizon are censored the way
the SimPy run is (the run stops there).
"""

from __future__ import annotations

import math

import numpy as np

from sim.model.batch.compiled import compiled
from sim.model.batch.events import (A_ANSWER, A_MESSAGE, A_PATIENCE, A_POC_TELLING, A_REDIAL, A_RELAY, A_TELLING,
                                    ATT, ATTEMPT, CALLER_DRAWS, CAMPAIGN_END, DIALLED, DONE, ESCALATE_AFTER, FIRST_CALL,
                                    HOLD_TOTAL, HOLDING, PASS_TO_DUTY_OFFICER, RELAYING, RES, SENT, TALKING,
                                    THROUGH, WAITING, draw_attempt, run_desk)
from sim.model.batch.seats import INF, OVERFLOW, answer, changes_at, occupy

OK, MORE_SPELLS, SIMPY = 0, 1, 2
OTHER_OWNS, CALLER_OWNS = 0, 1
"""Whose call a seat had last, for ``tied``."""
TIED = -2.0
"""Status of a replication: computed; (straight line) needs more spells or calls than were drawn; to be run
on the SimPy model."""


OUTPUTS = ("status", "first_call", "attempts", "hold_time", "message_through", "abort_order", "strike_stop",
           "strike_end", "first_hit", "held", "cut_off", "dialled", "waiting", "talking", "holding", "relaying",
           "checked", "caught")
"""The columns ``run_kernel`` fills, in order (NaN where the SimPy record has none)."""


@compiled()
def held_time(start: float, end: float, horizon: float) -> float:
    """Time on hold from ``start`` to ``end``, counted up to the horizon as ``StopCampaign.close`` does."""
    return max(min(end, horizon) - start, 0.0) if start < horizon else 0.0


@compiled()
def tied(q: float, by_caller: bool, owner: np.ndarray, fixed: tuple, spells: tuple, state: tuple, r: int) -> bool:
    """Whether a request at ``q`` meets a seat changing at that very moment: a call ending (not the caller's
    own, which hangs up before it redials), a seat leaving or coming back. SimPy then goes by the order the
    two events were scheduled in, which the straight line does not know."""
    busy_to = state[1]
    for s in range(busy_to.size):
        if (busy_to[s] == q and not (by_caller and owner[s] == CALLER_OWNS)) or changes_at(s, q, fixed, spells,
                                                                                          state, r):
            return True
    return False


@compiled()
def routine_call(n: int, r: int, arrived: float, background: tuple, n_officers: int, fixed: tuple, spells: tuple,
                 state: tuple, owner: np.ndarray) -> tuple[float, float]:
    """Background call ``n``, with nobody else in line: when it leaves the line, and the desk (``OVERFLOW``;
    ``TIED`` for a tie, see ``tied``)."""
    service, patience, answer_time = background[2][r, n], background[3][r, n], background[4][r, n]
    if tied(arrived, False, owner, fixed, spells, state, r):
        return TIED, TIED
    tau, seat = answer(arrived, fixed, spells, state, r)
    if tau == OVERFLOW:
        return OVERFLOW, OVERFLOW
    if tau == arrived:
        begins = arrived
    elif n_officers > 0:
        told = arrived + answer_time
        if tau <= told:
            begins = told
        elif tau < INF and tau <= told + patience:
            begins = tau
        else:
            return told + patience, told + patience
    elif tau < INF and tau <= arrived + patience:
        begins = tau
    else:
        return arrived + patience, arrived + patience
    if not occupy(seat, tau, begins + service, fixed, spells, state, r):
        return OVERFLOW, OVERFLOW
    owner[seat] = OTHER_OWNS
    return begins, begins + service


@compiled()
def catch_up(t: float, r: int, background: tuple, queue: np.ndarray, horizon: float, n_officers: int,
             fixed: tuple, spells: tuple, state: tuple, strict: bool, owner: np.ndarray) -> int:
    """Work out the background calls that arrive before ``t``, each with nobody else in line.

    ``queue`` holds (next call, moment nobody is in line or with a duty officer any more). A call arriving
    before then, or a request at ``t`` before then, makes the replication ``SIMPY``. A call being served
    by a POC only keeps that seat busy (``seats.answer``), unless urgent calls break off routine ones
    (``strict``): then the desk must be free of every call.
    """
    has_background, arrivals, limit = background[0], background[1], background[5]
    if has_background:
        while True:
            n = int(queue[0])
            if n >= limit:
                break
            if n >= arrivals.shape[1]:
                return MORE_SPELLS
            arrived = arrivals[r, n]
            if arrived >= t or arrived >= horizon:
                break
            if arrived < queue[1]:
                return SIMPY
            in_line, left = routine_call(n, r, arrived, background, n_officers, fixed, spells, state, owner)
            if left == OVERFLOW:
                return MORE_SPELLS
            if left == TIED:
                return SIMPY
            queue[0] = n + 1
            queue[1] = left if strict else in_line
    return SIMPY if t < queue[1] else OK


EVENTS, STRAIGHT = 0, 1
"""Which way ``run_kernel`` works replications out: the event desk, or the straight line (for its ties)."""


def scratch(m: tuple) -> tuple:
    """The straight line's work arrays for model ``m``, allocated once for a batch."""
    seats = m[4].size
    return (np.empty(seats), np.empty(seats), np.empty(m[6][0].shape), np.empty(seats), np.empty(seats),
            np.empty((seats, 2), np.int64)), np.empty(2), np.empty(seats, np.int64)


@compiled()
def run_kernel(out: np.ndarray, strike: tuple, m: tuple, background: tuple, alt: tuple, ws: tuple, work: tuple,
               path: int) -> None:
    """Fill ``out[column, r]`` (columns ``OUTPUTS``) for every replication ``r``.

    ``m`` is the model as ``events.run_desk`` takes it; ``background`` and ``alt`` are the first background
    calls and spells drawn as arrays for the straight line; ``ws`` is ``events.workspace``, ``work`` is
    ``scratch``; ``path`` is ``EVENTS`` or ``STRAIGHT``.
    """
    times, hits, start, latency = strike
    horizon, caller, notice, desk_relay = m[0], m[1], m[2], m[9]
    detect = caller[0]
    check_time, caught_at_check = notice[3], notice[4]
    state, queue, owner = work
    res = ws[RES]
    releases = times.shape[1]
    for r in range(times.shape[0]):
        # The first release on a site had nobody stopped the strike, and the detection it sets off.
        first_hit_free = INF
        for i in range(releases):
            moment = max(times[r, i], start)
            if hits[r, i] and moment < horizon:
                first_hit_free = moment
                break
        detected = first_hit_free + detect[r] if not math.isnan(detect[r]) else INF
        if path == EVENTS:
            done = run_desk(ws, m, r, detected) == DONE
        else:
            done = _straight_line(res, r, m, background, alt, state, detected, ws[ATT], ws[CALLER_DRAWS],
                                  queue, owner) == OK
        if not done:
            out[0, r] = SIMPY
            continue
        _strike(out, r, res, times, hits, start, latency[r], horizon, detect[r], desk_relay[r],
                notice[0], res[SENT] + check_time[r], caught_at_check[r])


@compiled()
def _straight_line(res: np.ndarray, r: int, m: tuple, background: tuple, alt: tuple, state: tuple,
                   detected: float, att: np.ndarray, draws: tuple, queue: np.ndarray, owner: np.ndarray) -> int:
    """The notice and the caller's attempts of replication ``r`` into ``res`` (``events.RESULTS``), if exact."""
    horizon, seat_group, n_officers, fixed, strict = m[0], m[4], m[5], m[6], m[8] == 2
    max_attempts, policy, escalate, mis_first, p_mis, p_poc = m[1][1:7]
    has_notice, due, notice_message, check_time, caught_at_check = m[2]
    has_alt, present, away, starts_away = alt
    spells = (has_alt, present, away)
    state[0][:] = -INF
    state[1][:] = -INF
    state[2][:] = np.nan
    state[4][:] = -INF
    for s in range(seat_group.size):
        state[3][s] = 0.0 if starts_away[s] else (present[s, r, 0] if has_alt[s] else INF)
        state[5][s, 0] = 0
        state[5][s, 1] = 0 if starts_away[s] else 1
    queue[0], queue[1] = 0.0, -INF
    owner[:] = OTHER_OWNS
    # The notice: a POC takes it when it is due; the check follows.
    sent = objection = INF
    notice_in_line = -INF
    if has_notice:
        status = catch_up(due[r], r, background, queue, horizon, n_officers, fixed, spells, state, strict, owner)
        if status != OK:
            return status
        if tied(due[r], False, owner, fixed, spells, state, r):
            return SIMPY
        tau, seat = answer(due[r], fixed, spells, state, r)
        if tau == OVERFLOW:
            return MORE_SPELLS
        notice_in_line = INF
        if seat >= 0:
            sent = tau + notice_message[seat_group[seat], r]
            if not occupy(seat, tau, sent, fixed, spells, state, r):
                return MORE_SPELLS
            queue[1] = notice_in_line = sent if strict else tau
            checked = sent + check_time[r]
            if caught_at_check[r] and checked < horizon:
                objection = checked
    first_call = min(detected, objection)
    if first_call >= horizon:
        first_call = INF
    elif first_call <= notice_in_line:
        return SIMPY  # the caller dials while the notice is in line
    # The caller's attempts.
    attempts, hold = 0, 0.0
    through = campaign_end = INF
    dialled = waiting_t = talking_t = holding_t = relaying_t = np.nan
    t = first_call
    while attempts < max_attempts and t < horizon:
        status = catch_up(t, r, background, queue, horizon, n_officers, fixed, spells, state, strict, owner)
        if status != OK:
            return status
        if tied(t, True, owner, fixed, spells, state, r):
            return SIMPY
        attempts += 1
        a = attempts
        draw_attempt(att, draws, r, a)
        patience_left = att[A_PATIENCE, a]
        waiting = talking = holding = relaying = 0.0
        told = t  # until a duty officer has finished talking
        tau, seat = answer(t, fixed, spells, state, r)
        if tau == OVERFLOW:
            return MORE_SPELLS
        outcome_through = False
        if tau == t or n_officers == 0:
            # A POC answers (at once, or after a hold with nobody on the line).
            if tau - t > patience_left:
                waiting = patience_left
                ended = t + patience_left
                hold += held_time(t, ended, horizon)
            else:
                waiting = tau - t
                hold += held_time(t, tau, horizon)
                if seat < 0:
                    ended = INF
                else:
                    minutes = att[A_MESSAGE + seat_group[seat], a]
                    ended = tau + minutes
                    talking = minutes
                    if not occupy(seat, tau, ended, fixed, spells, state, r):
                        return MORE_SPELLS
                    owner[seat] = CALLER_OWNS
                    outcome_through = not (a <= mis_first or att[A_TELLING, a] < p_mis)
        else:
            # A duty officer answers at once; the call keeps its place in the POC line.
            told = t + att[A_ANSWER, a]
            talking = att[A_ANSWER, a]
            if a <= mis_first or att[A_TELLING, a] < p_mis:
                ended = told
                if tau <= told:
                    if not occupy(seat, tau, told, fixed, spells, state, r):
                        return MORE_SPELLS
                    owner[seat] = CALLER_OWNS
            else:
                relay_from = poc_from = INF  # when a duty officer passes it on, or a POC takes it
                if policy == PASS_TO_DUTY_OFFICER:
                    relay_from = told
                elif tau <= told:
                    poc_from = told
                else:
                    give_up = told + patience_left
                    escalate_at = told + max(escalate, 0.0) if policy == ESCALATE_AFTER else INF
                    if tau < INF and tau <= give_up and tau <= escalate_at:
                        holding = tau - told
                        hold += held_time(told, tau, horizon)
                        poc_from = tau
                    elif give_up <= escalate_at:
                        holding = patience_left
                        ended = give_up
                        hold += held_time(told, give_up, horizon)
                    else:
                        holding = escalate_at - told
                        hold += held_time(told, escalate_at, horizon)
                        relay_from = escalate_at
                if poc_from < INF:
                    minutes = att[A_MESSAGE + seat_group[seat], a]
                    ended = poc_from + minutes
                    talking += minutes
                    if not occupy(seat, tau, ended, fixed, spells, state, r):
                        return MORE_SPELLS
                    owner[seat] = CALLER_OWNS
                    outcome_through = math.isnan(p_poc) or not att[A_POC_TELLING, a] < p_poc
                if relay_from < INF:
                    relaying = att[A_RELAY, a]
                    ended = relay_from + relaying
                    outcome_through = True
                    if tau <= ended:
                        if not occupy(seat, tau, ended, fixed, spells, state, r):
                            return MORE_SPELLS
                        owner[seat] = CALLER_OWNS
        queue[1] = ended if strict else max(told, min(tau, ended))
        if outcome_through:
            through = ended
            campaign_end = ended + m[9][r]
            dialled, waiting_t, talking_t, holding_t, relaying_t = t, waiting, talking, holding, relaying
            break
        t = ended + att[A_REDIAL, a]
        campaign_end = t
    if first_call == INF:
        campaign_end = -INF
    res[FIRST_CALL], res[ATTEMPT], res[HOLD_TOTAL], res[THROUGH], res[CAMPAIGN_END] = (
        first_call, attempts, hold, through, campaign_end)
    res[DIALLED], res[WAITING], res[TALKING], res[HOLDING], res[RELAYING] = (
        dialled, waiting_t, talking_t, holding_t, relaying_t)
    res[SENT] = sent
    return OK


@compiled()
def _strike(out: np.ndarray, r: int, res: np.ndarray, times: np.ndarray, hits: np.ndarray, start: float,
            latency: float, horizon: float, detect: float, desk_relay: float, has_notice: bool, checked: float,
            caught_at_check: bool) -> None:
    """The abort, the strike and the end of the story, from the desk's results; the row of ``out``."""
    releases = times.shape[1]
    first_call, through, campaign_end = res[FIRST_CALL], res[THROUGH], res[CAMPAIGN_END]
    caught = caught_at_check and checked < horizon
    order = through + desk_relay if through < horizon else INF
    if order >= horizon:
        order = INF
    stop = order + latency
    held = stop <= start and start < horizon
    strike_end = INF
    first_hit = INF
    if start < horizon:
        if held:
            strike_end = start
        else:
            last = max(times[r, releases - 1], start) if releases else start
            strike_end = stop if stop <= last else last
            for i in range(releases):
                moment = max(times[r, i], start)
                if moment >= stop or moment >= horizon:
                    break
                if hits[r, i]:
                    first_hit = moment
                    break
    story_end = strike_end
    if not math.isnan(detect):
        if first_hit == INF:
            detection_end = strike_end
        else:
            noticed = first_hit + detect
            detection_end = noticed if order <= noticed else max(noticed, campaign_end)
        story_end = max(story_end, detection_end)
    if has_notice:
        story_end = max(story_end, max(checked, campaign_end) if caught else checked)
    nan = np.nan
    through_ok = through < horizon
    out[0, r] = OK
    out[1, r] = first_call if first_call < INF else nan
    out[2, r] = res[ATTEMPT]
    out[3, r] = res[HOLD_TOTAL]
    out[4, r] = through if through_ok else nan
    out[5, r] = order if order < INF else nan
    out[6, r] = stop if order < INF else nan
    out[7, r] = strike_end if strike_end < horizon else nan
    out[8, r] = first_hit if first_hit < INF else nan
    out[9, r] = held
    out[10, r] = story_end >= horizon
    out[11, r] = res[DIALLED] if through_ok else nan
    out[12, r] = res[WAITING] if through_ok else nan
    out[13, r] = res[TALKING] if through_ok else nan
    out[14, r] = res[HOLDING] if through_ok else nan
    out[15, r] = res[RELAYING] if through_ok else nan
    out[16, r] = checked if checked < horizon else nan
    out[17, r] = caught
