"""What one replication cost, how much of it the delay cost, and where the time went.

Picture the Deir ez-Zor replay. The first bombs hit at 15:55; the first call
came at 16:25:33 and the message got through at 16:52:33; a minute later the
abort was ordered and three minutes after that it reached the aircraft.

**Harm due to delay.** Let A be the earliest moment a call to stop the strike
could have been made: a party's detection, or the objection to a caught
notice had the notice gone out when it was due. Had the call at A been acted
on at once, the abort order would have followed a relay delay R later and
reached the aircraft an abort latency L after that: the *counterfactual
stop* A + R + L. Every release that fell at or after it is harm due to
delay. The counterfactual uses this replication's own draws (the same
releases, harm, R and L), so it is an exact paired difference, not the gap
between two noisy runs. Nobody called: it is undefined (NaN), and
``nobody_called`` says so.

**Where the time went.** From the first hit T0 to the stop the time splits
into consecutive parts (``PARTS``): detection, then the desk's parts (the
notice waiting at the desk, earlier attempts, waiting to be answered,
explaining the message, holding for the POC, a duty officer passing it on),
then the relay to the abort order and the abort latency. Releases are
charged to parts in the order in which the chain could have stopped them:
those before A to detection; the next R minutes (relay, and the striking
side's verification) to the relay and the next L
to the abort latency (no desk could have saved those once the call was
made); the rest, up to the stop, to the desk's parts in the order they
happened. The desk's parts therefore add up exactly to the harm due to delay.

Undefined figures are NaN and each declaration says when; flags say why a
run cannot answer (nobody called, never through, cut off by the horizon).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional, Sequence

from sim.model.caller import Attempt, CallRecord
from sim.model.notification import NoticeRecord
from sim.model.outcome import Outcome, OutcomeFamily
from sim.model.query import QueryRecord
from sim.model.releases import PlannedRelease
from sim.model.site_notice import SiteNoticeRecord
from sim.model.strike import StrikeRecord
from sim.scenario.units import MINUTES_PER_DAY

NAN = math.nan
NOBODY = "nobody called"
NOT_THROUGH = "nobody called, or the message never got through"


@dataclass(frozen=True)
class Part:
    key: str
    label: str
    desk: bool  # one of the desk's parts, which add up to the harm due to delay


PARTS = (
    Part("detection", "detection", False),
    Part("notice_wait", "notice waiting at the desk", True),
    Part("earlier_attempts", "earlier attempts (failed calls, redials, other callers)", True),
    Part("waiting", "waiting to be answered", True),
    Part("talking", "explaining the message", True),
    Part("holding", "holding for the POC", True),
    Part("officer_relay", "duty officer passing it on", True),
    Part("relay", "relay and verification to the abort order", False),
    Part("abort_latency", "abort latency", False),
)

BUDGET_GROUPS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("detection", ("detection",)),
    ("reaching someone", ("notice_wait", "earlier_attempts", "waiting")),
    ("being understood", ("talking",)),
    ("holding", ("holding",)),
    ("relay and verification", ("officer_relay", "relay")),
    ("abort latency", ("abort_latency",)),
)
"""The parts of ``PARTS`` grouped as a cross-incident comparison reads them, in the order they happen."""

STRIKE_OUTCOMES = (
    Outcome("first_hit", "first release on a protected site", "moment", undefined="no release hit a site"),
    Outcome("first_call", "first call to stop the strike", "moment", undefined=NOBODY),
    Outcome("earliest_call", "earliest moment a call could have been made", "moment", undefined=NOBODY),
    Outcome("message_through", "message through to someone who can act", "moment", undefined=NOT_THROUGH),
    Outcome("time_to_message", "time from first call to message through", "time", undefined=NOT_THROUGH),
    Outcome("hold_time", "time on hold (all callers, all attempts)", "time", undefined=NOBODY),
    Outcome("attempts", "call attempts", "count"),
    Outcome("abort_order", "abort order given", "moment", undefined="no abort order"),
    Outcome("strike_stop", "abort reaches the aircraft", "moment", undefined="no abort order"),
    Outcome("strike_end", "strike over", "moment", undefined="cut off by the horizon"),
    Outcome("releases_planned", "releases planned", "count"),
    Outcome("releases_total", "releases in all", "count"),
    Outcome("releases_before_message", "releases between first call and message through", "count",
            undefined=NOBODY),
    Outcome("killed_total", "killed in all", "harm"),
    Outcome("wounded_total", "wounded in all", "harm"),
    Outcome("counterfactual_stop", "stop had the earliest possible call been acted on at once", "moment",
            undefined=NOBODY),
    Outcome("releases_due_to_delay", "releases due to delay", "count", undefined=NOBODY),
    Outcome("killed_due_to_delay", "killed due to delay", "harm", undefined=NOBODY),
    Outcome("wounded_due_to_delay", "wounded due to delay", "harm", undefined=NOBODY),
    Outcome("harm_due_to_delay", "P(anyone killed or wounded due to delay)", "flag", undefined=NOBODY),
    Outcome("notice_caught", "P(pre-strike check caught the conflict)", "flag", undefined="no notice went out"),
    Outcome("notice_caught_before_strike", "P(pre-strike check caught the conflict before the strike began)",
            "flag", undefined="no notice went out"),
    Outcome("notice_error_km", "location error of the notice", "quantity", unit="km",
            undefined="no notice"),
    Outcome("strike_held", "P(strike held before any release)", "flag"),
    Outcome("nobody_called", "P(nobody called)", "flag"),
    Outcome("never_through", "P(message never got through)", "flag", undefined=NOBODY),
    Outcome("cut_off", "P(run cut off by the horizon)", "flag"),
    Outcome("strike_crosses_midnight", "P(strike runs past midnight)", "flag", undefined="no clock origin"),
    # Only in scenarios with the section they describe, so existing scenarios keep their outcomes.
    Outcome("notice_lead", "time from the notice going out to the strike start", "time",
            undefined="no notice went out"),
    Outcome("notice_covers_target", "P(the notified region contains the target)", "flag",
            undefined="no notice went out"),
    Outcome("site_notice_at_cell", "site notice at the striking cell", "moment", undefined="it never did"),
    Outcome("site_notice_reached_cell", "P(the site notice reached the striking cell)", "flag"),
    Outcome("site_notice_caught", "P(the striking cell found its target on the no-strike list)", "flag",
            undefined="the site notice never reached the cell"),
    Outcome("query_answered", "answer to the striking side's query", "moment"),
    Outcome("query_error_km", "location error of the query", "quantity", unit="km"),
    Outcome("query_yes", "P(the query was answered: yes, our forces are there)", "flag"),
    Outcome("query_wrong", "P(the query's answer was wrong at the real target)", "flag"),
    *(Outcome(f"delay_{p.key}", f"time: {p.label}", "time", undefined=NOT_THROUGH) for p in PARTS),
    *(Outcome(f"releases_{p.key}", f"releases charged to {p.label}", "count", undefined=NOT_THROUGH)
      for p in PARTS),
    *(Outcome(f"killed_{p.key}", f"killed charged to {p.label}", "harm", undefined=NOT_THROUGH) for p in PARTS),
)

LATE = OutcomeFamily("late_", "P(message not through within {t} of the first call)", "flag", undefined=NOBODY)
"""One flag per ``report.late_after`` threshold: never through counts as late."""


@dataclass(frozen=True)
class Story:
    """Everything a replication with a strike leaves behind, for the accounting."""

    plan: Sequence[PlannedRelease]
    strike: StrikeRecord
    calls: Sequence[CallRecord]
    possible_calls: Sequence[float]   # each party's detection call moment, had it been made (NaN: none)
    relay_delays: dict[str, float]    # per desk
    abort_latency: float
    notice: Optional[NoticeRecord]
    strike_start: float
    cut_off: bool
    clock_origin: Optional[float]
    late_after: Sequence[float]
    region_notice: bool = False
    site_notice: Optional[SiteNoticeRecord] = None
    query: Optional[QueryRecord] = None


def strike_outcomes(story: Story) -> dict[str, float]:
    strike, fallen = story.strike, story.strike.fallen
    called = [c for c in story.calls if not math.isnan(c.first_call)]
    through = [c for c in called if not math.isnan(c.message_through)]
    decisive = _decisive(strike, through)
    first_call = min((c.first_call for c in called), default=NAN)
    earliest = _earliest_call(story) if called else NAN
    relay = story.relay_delays[(decisive or (called[0] if called else story.calls[0])).desk]
    stop_cf = earliest + relay + story.abort_latency
    message = decisive.message_through if decisive else NAN
    out = {
        "first_hit": strike.first_hit,
        "first_call": first_call,
        "earliest_call": earliest,
        "message_through": message,
        "time_to_message": message - first_call,
        "hold_time": sum(c.hold_time for c in called) if called else NAN,
        "attempts": float(sum(len(c.attempts) for c in story.calls)),
        "abort_order": strike.abort_order,
        "strike_stop": strike.stop_time if strike.stop_time < math.inf else NAN,
        "strike_end": strike.ended,
        "releases_planned": float(len(story.plan)),
        "releases_total": float(len(fallen)),
        "releases_before_message": _count(fallen, first_call, message if decisive else math.inf)
        if called else NAN,
        "killed_total": sum((r.killed for r in fallen), 0.0),
        "wounded_total": sum((r.wounded for r in fallen), 0.0),
        "counterfactual_stop": stop_cf,
        **_due_to_delay(fallen, stop_cf, defined=bool(called)),
        **_notice(story.notice, story.strike_start),
        "strike_held": float(strike.held),
        "nobody_called": float(not called),
        "never_through": float(decisive is None) if called else NAN,
        "cut_off": float(story.cut_off),
        "strike_crosses_midnight": _crosses_midnight(story),
        **_budget(story, decisive, first_call, earliest, relay),
    }
    if story.region_notice:
        out.update(_region_notice(story.notice, story.strike_start))
    if story.site_notice is not None:
        out.update(_site_notice(story.site_notice))
    if story.query is not None:
        out.update(_query(story.query))
    for t in story.late_after:
        out[LATE.name(t)] = NAN if not called else float(not (message - first_call < t))
    return out


def _decisive(strike: StrikeRecord, through: Sequence[CallRecord]) -> Optional[CallRecord]:
    """The party whose abort order counted, else the first through (its relay was cut off by the horizon)."""
    ordered = [c for c in through if c.party == strike.ordered_by]
    return ordered[0] if ordered else min(through, key=lambda c: c.message_through, default=None)


def _earliest_call(story: Story) -> float:
    """A: a party's detection call, or the objection had the notice gone out when due."""
    candidates = [t for t in story.possible_calls if not math.isnan(t)]
    if story.notice is not None and story.notice.caught:
        candidates.append(story.notice.objection_on_time)
    candidates += [c.first_call for c in story.calls if not math.isnan(c.first_call)]
    return min(candidates)


def _count(fallen: Sequence[PlannedRelease], start: float, end: float) -> float:
    return float(sum(1 for r in fallen if start <= r.time < end))


def _due_to_delay(fallen: Sequence[PlannedRelease], stop_cf: float, defined: bool) -> dict[str, float]:
    if not defined:
        return {"releases_due_to_delay": NAN, "killed_due_to_delay": NAN, "wounded_due_to_delay": NAN,
                "harm_due_to_delay": NAN}
    late = [r for r in fallen if r.time >= stop_cf]
    killed, wounded = sum((r.killed for r in late), 0.0), sum((r.wounded for r in late), 0.0)
    return {"releases_due_to_delay": float(len(late)), "killed_due_to_delay": killed,
            "wounded_due_to_delay": wounded, "harm_due_to_delay": float(killed + wounded > 0)}


def _notice(notice: Optional[NoticeRecord], strike_start: float) -> dict[str, float]:
    if notice is None:
        return {"notice_caught": NAN, "notice_caught_before_strike": NAN, "notice_error_km": NAN}
    sent = not math.isnan(notice.checked)
    return {"notice_caught": float(notice.caught) if sent else NAN,
            "notice_caught_before_strike": float(notice.caught and notice.checked < strike_start) if sent else NAN,
            "notice_error_km": notice.error_km}


def _region_notice(notice: Optional[NoticeRecord], strike_start: float) -> dict[str, float]:
    assert notice is not None
    sent = not math.isnan(notice.sent)
    return {"notice_lead": strike_start - notice.sent,
            "notice_covers_target": float(notice.covers_target) if sent else NAN}


def _site_notice(record: SiteNoticeRecord) -> dict[str, float]:
    return {"site_notice_at_cell": record.at_cell, "site_notice_reached_cell": float(record.disseminated),
            "site_notice_caught": float(record.caught) if record.disseminated else NAN}


def _query(record: QueryRecord) -> dict[str, float]:
    return {"query_answered": record.answered, "query_error_km": record.error_km,
            "query_yes": float(record.yes), "query_wrong": float(record.wrong)}


def _crosses_midnight(story: Story) -> float:
    if story.clock_origin is None:
        return NAN
    end = story.strike.ended if not math.isnan(story.strike.ended) else story.strike_start
    day = MINUTES_PER_DAY
    return float(math.floor((story.clock_origin + story.strike_start) / day)
                 != math.floor((story.clock_origin + end) / day))


def _budget(story: Story, decisive: Optional[CallRecord], first_call: float, earliest: float,
            relay: float) -> dict[str, float]:
    out = {f"{kind}_{p.key}": NAN for kind in ("delay", "releases", "killed") for p in PARTS}
    if decisive is None:
        return out
    attempt: Attempt = next(a for a in decisive.attempts if a.outcome == "through")
    first_hit = story.strike.first_hit
    minutes = {
        "detection": max(earliest - first_hit, 0.0) if not math.isnan(first_hit) else NAN,
        "notice_wait": first_call - earliest,
        "earlier_attempts": attempt.dialled - first_call,
        "waiting": attempt.waiting,
        "talking": attempt.talking,
        "holding": attempt.holding,
        "officer_relay": attempt.relaying,
        "relay": relay,
        "abort_latency": story.abort_latency,
    }
    windows = {"detection": (first_hit, earliest) if first_hit < earliest else (NAN, NAN),
               "relay": (earliest, earliest + relay),
               "abort_latency": (earliest + relay, earliest + relay + story.abort_latency)}
    edge = earliest + relay + story.abort_latency  # the counterfactual stop, computed as above
    desk_parts = [p for p in PARTS if p.desk]
    for part in desk_parts:
        end = edge + minutes[part.key] if part is not desk_parts[-1] else math.inf  # to the stop, exactly
        windows[part.key] = (edge, end)
        edge = end
    for part in PARTS:
        start, end = windows[part.key]
        charged = [r for r in story.strike.fallen if start <= r.time < end]
        out[f"delay_{part.key}"] = minutes[part.key]
        out[f"releases_{part.key}"] = float(len(charged))
        out[f"killed_{part.key}"] = sum((r.killed for r in charged), 0.0)
    return out
