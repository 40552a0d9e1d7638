"""``sim.model.accounting.strike_outcomes`` on columns: every declared outcome for a batch at once.

The sums and window edges are computed in the same order as the per-replication
accounting, so that a release exactly on the edge of a window is charged to the
same part by both engines.
"""

from __future__ import annotations

import math

import numpy as np

from sim.model.accounting import LATE, PARTS
from sim.scenario.schema import Scenario
from sim.scenario.units import MINUTES_PER_DAY

NAN = math.nan
Columns = dict[str, np.ndarray]


def _where(condition: np.ndarray, value: np.ndarray) -> np.ndarray:
    return np.where(condition, value, NAN)


def _sum(selected: np.ndarray, harm: np.ndarray) -> np.ndarray:
    """Harm of the selected releases, added left to right as ``sum`` does (so to the last bit)."""
    if not harm.shape[1]:
        return np.zeros(harm.shape[0])
    return np.where(selected, harm, 0.0).cumsum(axis=1)[:, -1]


def _charged(times: np.ndarray, fallen: np.ndarray, harm: np.ndarray, start: np.ndarray,
             end: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Releases that fell with ``start <= time < end``, and their harm, per replication."""
    inside = fallen & (times >= start[:, None]) & (times < end[:, None])
    return inside.sum(axis=1).astype(float), _sum(inside, harm)


def strike_columns(scenario: Scenario, k: Columns, times: np.ndarray, fallen: np.ndarray, killed: np.ndarray,
                   wounded: np.ndarray, possible_call: np.ndarray, objection_on_time: np.ndarray,
                   notice_error: np.ndarray, relay: np.ndarray, latency: np.ndarray) -> Columns:
    """The outcome columns, in the order of ``strike_outcomes``, from the kernel's columns ``k``."""
    strike = scenario.strike
    assert strike is not None
    called = ~np.isnan(k["first_call"])
    decisive = ~np.isnan(k["message_through"])
    first_call, message, first_hit = k["first_call"], k["message_through"], k["first_hit"]
    earliest = _where(called, np.fmin(np.fmin(possible_call, objection_on_time), first_call))
    stop_cf = earliest + relay + latency
    before_end = np.where(decisive, message, np.inf)
    before_message, _ = _charged(times, fallen, killed, first_call, before_end)
    late = fallen & (times >= stop_cf[:, None])
    late_killed, late_wounded = _sum(late, killed), _sum(late, wounded)
    has_notice = scenario.notification is not None
    checked = ~np.isnan(k["checked"])
    caught = k["caught"] > 0
    out: Columns = {
        "first_hit": first_hit,
        "first_call": first_call,
        "earliest_call": earliest,
        "message_through": message,
        "time_to_message": message - first_call,
        "hold_time": _where(called, k["hold_time"]),
        "attempts": k["attempts"],
        "abort_order": k["abort_order"],
        "strike_stop": k["strike_stop"],
        "strike_end": k["strike_end"],
        "releases_planned": np.full(first_call.size, float(times.shape[1])),
        "releases_total": fallen.sum(axis=1).astype(float),
        "releases_before_message": _where(called, before_message),
        "killed_total": _sum(fallen, killed),
        "wounded_total": _sum(fallen, wounded),
        "counterfactual_stop": stop_cf,
        "releases_due_to_delay": _where(called, late.sum(axis=1).astype(float)),
        "killed_due_to_delay": _where(called, late_killed),
        "wounded_due_to_delay": _where(called, late_wounded),
        "harm_due_to_delay": _where(called, (late_killed + late_wounded > 0).astype(float)),
        "notice_caught": _where(checked, caught.astype(float)) if has_notice else np.full(first_call.size, NAN),
        "notice_caught_before_strike": _where(checked, (caught & (k["checked"] < strike.start)).astype(float))
        if has_notice else np.full(first_call.size, NAN),
        "notice_error_km": notice_error,
        "strike_held": k["held"],
        "nobody_called": (~called).astype(float),
        "never_through": _where(called, (~decisive).astype(float)),
        "cut_off": k["cut_off"],
        "strike_crosses_midnight": _crosses_midnight(scenario, k["strike_end"]),
        **_budget(k, times, fallen, killed, decisive, first_call, earliest, relay, latency),
    }
    for t in scenario.report.late_after:
        out[LATE.name(t)] = _where(called, (~(message - first_call < t)).astype(float))
    return out


def _crosses_midnight(scenario: Scenario, ended: np.ndarray) -> np.ndarray:
    origin, strike = scenario.origin_minutes, scenario.strike
    assert strike is not None
    if origin is None:
        return np.full(ended.size, NAN)
    end = np.where(np.isnan(ended), strike.start, ended)
    day = MINUTES_PER_DAY
    return np.not_equal(math.floor((origin + strike.start) / day), np.floor((origin + end) / day)).astype(float)


def _budget(k: Columns, times: np.ndarray, fallen: np.ndarray, killed: np.ndarray, decisive: np.ndarray,
            first_call: np.ndarray, earliest: np.ndarray, relay: np.ndarray, latency: np.ndarray) -> Columns:
    first_hit = k["first_hit"]
    minutes = {
        "detection": _where(~np.isnan(first_hit), np.maximum(earliest - first_hit, 0.0)),
        "notice_wait": first_call - earliest,
        "earlier_attempts": k["dialled"] - first_call,
        "waiting": k["waiting"],
        "talking": k["talking"],
        "holding": k["holding"],
        "officer_relay": k["relaying"],
        "relay": relay,
        "abort_latency": latency,
    }
    detected_late = first_hit < earliest
    windows = {"detection": (_where(detected_late, first_hit), _where(detected_late, earliest)),
               "relay": (earliest, earliest + relay),
               "abort_latency": (earliest + relay, earliest + relay + latency)}
    edge = earliest + relay + latency
    desk_parts = [p for p in PARTS if p.desk]
    for part in desk_parts:
        end = edge + minutes[part.key] if part is not desk_parts[-1] else np.full(edge.size, np.inf)
        windows[part.key] = (edge, end)
        edge = end
    out: Columns = {}
    for kind in ("delay", "releases", "killed"):
        for part in PARTS:
            if kind == "delay":
                out[f"delay_{part.key}"] = _where(decisive, minutes[part.key])
                continue
            count, harm = _charged(times, fallen, killed, *windows[part.key])
            out[f"{kind}_{part.key}"] = _where(decisive, count if kind == "releases" else harm)
    return out
