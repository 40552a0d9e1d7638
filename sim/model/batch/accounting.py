"""``sim.model.accounting.strike_outcomes`` for a whole batch, in one compiled pass per replication.

Picture replication 0 of the stochastic Deir ez-Zor afternoon after the
kernel: the abort reached the aircraft at about 16:26, so 19 of the 37
releases fell, all on the positions. ``account`` walks the releases once, in
time order: it draws the killed and wounded of each one that fell (draw i of
the streams ``harm.killed`` and ``harm.wounded`` for release i, as
``plan_releases`` does, but only for releases that fell on a site, since the
others count for nothing) and adds them to every sum they belong to: the
totals, the releases between first call and message, those due to delay, and
the part of the delay budget whose window holds the release.

Each sum starts at 0.0 and adds the releases in time order, and every window
edge is computed with the same operations in the same order as the SimPy
accounting, so a release exactly on an edge is charged to the same part by
both engines. The sums agree to the last bit of the harm draws, which may
differ there: the SimPy model turns its uniforms into harm with numpy's
vectorised ``log1p`` and ``exp``, the compiled quantile with the C library's.
"""

from __future__ import annotations

import math

import numpy as np

from sim.compiled import njit
from sim.model.accounting import LATE, PARTS
from sim.model.batch.draws import BatchStreams, uniform_at
from sim.model.batch.inputs import NoticeDraws, Plan
from sim.model.batch.kernel import OK, OUTPUTS
from sim.scenario.quantiles import encode, quantile
from sim.scenario.schema import Scenario
from sim.scenario.units import MINUTES_PER_DAY

NAN, INF = math.nan, math.inf
Columns = dict[str, np.ndarray]

HEAD = ("first_hit", "first_call", "earliest_call", "message_through", "time_to_message", "hold_time", "attempts",
        "abort_order", "strike_stop", "strike_end", "releases_planned", "releases_total", "releases_before_message",
        "killed_total", "wounded_total", "counterfactual_stop", "releases_due_to_delay", "killed_due_to_delay",
        "wounded_due_to_delay", "harm_due_to_delay", "notice_caught", "notice_caught_before_strike",
        "notice_error_km", "strike_held", "nobody_called", "never_through", "cut_off", "strike_crosses_midnight")
"""The outcomes before the delay budget, in the order of ``strike_outcomes`` (rows 0.. of ``account``'s result)."""

PART_KEYS = ("detection", "notice_wait", "earlier_attempts", "waiting", "talking", "holding", "officer_relay",
             "relay", "abort_latency")
"""The parts as ``account`` numbers them; ``strike_columns`` maps them to ``PARTS`` by key, so the compiled
code (whose cache does not see a change in another module) never depends on the order of ``PARTS``."""
(DETECTION, NOTICE_WAIT, EARLIER_ATTEMPTS, WAITING, TALKING, HOLDING, OFFICER_RELAY, RELAY,
 ABORT_LATENCY) = range(len(PART_KEYS))
DELAY, RELEASES, KILLED = (len(HEAD) + len(PART_KEYS) * i for i in range(3))
LATE_ROWS = len(HEAD) + 3 * len(PART_KEYS)

KERNEL = ("first_call", "attempts", "hold_time", "message_through", "abort_order", "strike_stop", "strike_end",
          "first_hit", "held", "cut_off", "dialled", "waiting", "talking", "holding", "relaying", "checked", "caught")
"""The kernel's columns ``account`` reads, looked up in ``OUTPUTS`` at each call (not baked into its cache)."""
(K_FIRST_CALL, K_ATTEMPTS, K_HOLD_TIME, K_MESSAGE, K_ABORT_ORDER, K_STRIKE_STOP, K_STRIKE_END, K_FIRST_HIT,
 K_HELD, K_CUT_OFF, K_DIALLED, K_WAITING, K_TALKING, K_HOLDING, K_RELAYING, K_CHECKED, K_CAUGHT) = range(len(KERNEL))


def strike_columns(scenario: Scenario, out: np.ndarray, plan: Plan, streams: BatchStreams, detect: np.ndarray,
                   drawn: NoticeDraws, relay: np.ndarray, latency: np.ndarray) -> Columns:
    """Every outcome column, in the order of ``strike_outcomes``, from the kernel's ``out`` (rows ``OUTPUTS``).

    Replications the kernel did not settle (``status`` not ``OK``: the engine computes them again) are NaN.
    """
    strike = scenario.strike
    assert strike is not None
    late = np.asarray(scenario.report.late_after, dtype=float)
    result = np.empty((LATE_ROWS + late.size, out.shape[1]))
    columns = np.array([OUTPUTS.index(name) for name in KERNEL], dtype=np.int64)
    part = {key: i for i, key in enumerate(PART_KEYS)}
    desk = np.array([part[p.key] for p in PARTS if p.desk], dtype=np.int64)
    origin = scenario.origin_minutes
    settled = out[OUTPUTS.index("status")] == OK
    account(result, out, settled, columns, plan.times, plan.sites, scenario.horizon, strike.start,
            (encode(strike.harm.killed), streams.keys("harm.killed"), encode(strike.harm.wounded),
             streams.keys("harm.wounded")),
            detect, drawn.due, drawn.check_time, drawn.error_km, relay, latency, desk,
            scenario.notification is not None, NAN if origin is None else origin, late)
    named = dict(zip(HEAD, result))
    for kind, first in (("delay", DELAY), ("releases", RELEASES), ("killed", KILLED)):
        named.update((f"{kind}_{p.key}", result[first + part[p.key]]) for p in PARTS)
    named.update((LATE.name(t), result[LATE_ROWS + j]) for j, t in enumerate(scenario.report.late_after))
    return named


@njit(cache=True)
def _min(a: float, b: float) -> float:
    """The smaller of two moments, ignoring NaN (a candidate that does not exist), as ``np.fmin``."""
    return b if math.isnan(a) or b < a else a


@njit(cache=True)
def _if(condition: bool, value: float) -> float:
    return value if condition else NAN


@njit(cache=True)
def _flag(condition: bool) -> float:
    return 1.0 if condition else 0.0


@njit(cache=True)
def account(result: np.ndarray, out: np.ndarray, settled: np.ndarray, columns: np.ndarray, times: np.ndarray,
            sites: np.ndarray, horizon: float, start: float, harm: tuple, detect: np.ndarray, due: np.ndarray,
            check_time: np.ndarray, error_km: np.ndarray, relay: np.ndarray, latency: np.ndarray, desk: np.ndarray,
            has_notice: bool, origin: float, late: np.ndarray) -> None:
    """Fill ``result[row, r]`` (rows ``HEAD``, then delay, releases and killed per part, then ``late``)."""
    killed_row, killed_keys, wounded_row, wounded_keys = harm
    parts = len(PART_KEYS)
    minutes, opens, closes = np.empty(parts), np.empty(parts), np.empty(parts)
    charged, charged_killed = np.empty(parts), np.empty(parts)
    releases = times.shape[1]
    for r in range(times.shape[0]):
        if not settled[r]:
            result[:, r] = NAN
            continue
        k = out[:, r]
        first_call, message, first_hit = k[columns[K_FIRST_CALL]], k[columns[K_MESSAGE]], k[columns[K_FIRST_HIT]]
        called, decisive = not math.isnan(first_call), not math.isnan(message)
        caught, checked = k[columns[K_CAUGHT]] > 0, k[columns[K_CHECKED]]
        objection = due[r] + check_time[r] if caught else NAN
        earliest = _if(called, _min(_min(first_hit + detect[r], objection), first_call))
        stop_cf = earliest + relay[r] + latency[r]
        before_end = message if decisive else INF
        stop = k[columns[K_STRIKE_STOP]]
        stop = INF if math.isnan(stop) else stop
        falls = k[columns[K_HELD]] == 0 and start < horizon

        # The budget's parts (``sim.model.accounting._budget``): minutes, and the window each charges.
        dialled = k[columns[K_DIALLED]]
        detection = earliest - first_hit
        minutes[DETECTION] = NAN if math.isnan(first_hit) else (0.0 if 0.0 > detection else detection)
        minutes[NOTICE_WAIT] = first_call - earliest
        minutes[EARLIER_ATTEMPTS] = dialled - first_call
        minutes[WAITING] = k[columns[K_WAITING]]
        minutes[TALKING] = k[columns[K_TALKING]]
        minutes[HOLDING] = k[columns[K_HOLDING]]
        minutes[OFFICER_RELAY] = k[columns[K_RELAYING]]
        minutes[RELAY] = relay[r]
        minutes[ABORT_LATENCY] = latency[r]
        detected_late = first_hit < earliest
        opens[DETECTION], closes[DETECTION] = _if(detected_late, first_hit), _if(detected_late, earliest)
        opens[RELAY], closes[RELAY] = earliest, earliest + relay[r]
        opens[ABORT_LATENCY], closes[ABORT_LATENCY] = earliest + relay[r], earliest + relay[r] + latency[r]
        edge = earliest + relay[r] + latency[r]
        for i in range(desk.size):
            p = desk[i]
            end = edge + minutes[p] if i < desk.size - 1 else INF  # the last part runs to the stop, exactly
            opens[p], closes[p] = edge, end
            edge = end
        charged[:] = 0.0
        charged_killed[:] = 0.0

        fallen = before_message = due_to_delay = 0.0
        killed_total = wounded_total = late_killed = late_wounded = 0.0
        for i in range(releases):
            t = times[r, i]
            if not (falls and t < stop and t < horizon):
                continue
            killed = wounded = 0.0
            if sites[r, i] >= 0:  # ``draws.draw`` spelt out: its extra call costs a third of this pass
                killed = quantile(killed_row, uniform_at(killed_keys[r], i))
                wounded = quantile(wounded_row, uniform_at(wounded_keys[r], i))
            fallen += 1.0
            killed_total += killed
            wounded_total += wounded
            if first_call <= t < before_end:
                before_message += 1.0
            if t >= stop_cf:
                due_to_delay += 1.0
                late_killed += killed
                late_wounded += wounded
            for p in range(parts if decisive else 0):  # the budget is undefined without a message through
                if opens[p] <= t < closes[p]:
                    charged[p] += 1.0
                    charged_killed[p] += killed

        ended = k[columns[K_STRIKE_END]]
        crosses = NAN
        if not math.isnan(origin):
            end = start if math.isnan(ended) else ended
            day = MINUTES_PER_DAY
            crosses = _flag(math.floor((origin + start) / day) != math.floor((origin + end) / day))
        sent = has_notice and not math.isnan(checked)
        head = (first_hit, first_call, earliest, message, message - first_call,
                _if(called, k[columns[K_HOLD_TIME]]), k[columns[K_ATTEMPTS]], k[columns[K_ABORT_ORDER]],
                k[columns[K_STRIKE_STOP]], ended, float(releases), fallen, _if(called, before_message),
                killed_total, wounded_total, stop_cf, _if(called, due_to_delay), _if(called, late_killed),
                _if(called, late_wounded), _if(called, _flag(late_killed + late_wounded > 0)),
                _if(sent, _flag(caught)), _if(sent, _flag(caught and checked < start)), error_km[r],
                k[columns[K_HELD]], _flag(not called), _if(called, _flag(not decisive)), k[columns[K_CUT_OFF]],
                crosses)
        for j in range(len(head)):
            result[j, r] = head[j]
        for p in range(parts):
            result[DELAY + p, r] = _if(decisive, minutes[p])
            result[RELEASES + p, r] = _if(decisive, charged[p])
            result[KILLED + p, r] = _if(decisive, charged_killed[p])
        for j in range(late.size):
            result[LATE_ROWS + j, r] = _if(called, _flag(not (message - first_call < late[j])))
