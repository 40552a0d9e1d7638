"""The batch engine's compiled accounting, by hand and against ``sim.model.accounting`` on random columns.

Each hand case is the small strike of ``hand_case`` (releases at minutes 10,
11, ..., 20 on the site, 1 killed and 2 wounded each) with the kernel's
columns written down directly: when the caller called, when the message got
through, where the successful attempt's time went, when the abort reached
the aircraft. Binary-exact numbers put window edges exactly on releases, so
each case also says which part a release on an edge is charged to (the part
that starts there, as in the SimPy accounting).
"""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from hand_case import scenario
from sim.model.accounting import PARTS, Story, strike_outcomes
from sim.model.batch.accounting import strike_columns
from sim.model.batch.draws import BatchStreams
from sim.model.batch.inputs import NoticeDraws, Plan
from sim.model.batch.kernel import OUTPUTS, SIMPY
from sim.model.caller import Attempt, CallRecord
from sim.model.notification import NoticeRecord
from sim.model.releases import plan_releases
from sim.model.strike import StrikeRecord
from sim.model.streams import Streams
from sim.scenario.schema import Scenario

NAN = math.nan
RELEASES = [10.0 + i for i in range(11)]
KERNEL = {"status": 0.0, "attempts": 1.0, "held": 0.0, "cut_off": 0.0, "caught": 0.0}  # the rest NaN unless given
THROUGH = {"first_hit": 10, "first_call": 12, "dialled": 13, "waiting": 1, "talking": 2, "holding": 0, "relaying": 1,
           "message_through": 17, "hold_time": 1, "attempts": 2, "abort_order": 17.5, "strike_stop": 19,
           "strike_end": 19}
"""Called at 12 (the detection call, 2 minutes after the first hit at 10), through at 13 + 1 + 2 + 0 + 1 = 17;
with relay 0.5 and latency 1.5 the abort reaches the aircraft at 19, so releases 10 to 18 fall."""


def account(case: Scenario, kernel: dict[str, float], times: Optional[list[float]] = None,
            sites: Optional[list[int]] = None, detect: float = 2.0, relay: float = 0.5, latency: float = 1.5,
            notice: tuple[float, float, float] = (NAN, NAN, NAN), replication: int = 0,
            seed: int = 1) -> dict[str, float]:
    """The outcomes of one replication with kernel columns ``kernel``; ``notice`` is (due, check time, error)."""
    times = RELEASES if times is None else times
    out = np.full((len(OUTPUTS), 1), NAN)
    for name, value in {**KERNEL, **kernel}.items():
        out[OUTPUTS.index(name), 0] = value
    plan = Plan(np.array([times], dtype=float), np.array([sites or [0] * len(times)], dtype=np.int64))
    due, check, error = (np.array([v]) for v in notice)
    drawn = NoticeDraws(due, error, check, np.array([kernel.get("caught", 0) > 0]))
    columns = strike_columns(case, out, plan, BatchStreams(seed, np.array([replication])), np.array([detect]), drawn,
                             np.array([relay]), np.array([latency]))
    return {name: float(column[0]) for name, column in columns.items()}


def parts(out: dict[str, float], kind: str) -> dict[str, float]:
    return {p.key: out[f"{kind}_{p.key}"] for p in PARTS}


def test_each_release_on_an_edge_goes_to_the_part_that_starts_there() -> None:
    out = account(scenario(), THROUGH)
    # A = 12, the counterfactual stop A + 0.5 + 1.5 = 14; the desk's windows follow from 14:
    # notice wait [14, 14), earlier attempts [14, 15), waiting [15, 16), talking [16, 18), holding [18, 18),
    # the duty officer's relay [18, the stop at 19).
    assert out["earliest_call"] == 12 and out["counterfactual_stop"] == 14
    assert parts(out, "delay") == {"detection": 2, "notice_wait": 0, "earlier_attempts": 1, "waiting": 1,
                                   "talking": 2, "holding": 0, "officer_relay": 1, "relay": 0.5,
                                   "abort_latency": 1.5}
    # Detection [10, 12) holds 10 and 11; 12 is the relay's first moment; 13 the abort latency's [12.5, 14).
    assert parts(out, "releases") == {"detection": 2, "notice_wait": 0, "earlier_attempts": 1, "waiting": 1,
                                      "talking": 2, "holding": 0, "officer_relay": 1, "relay": 1,
                                      "abort_latency": 1}
    assert parts(out, "killed") == parts(out, "releases")  # one killed per release
    assert (out["releases_total"], out["killed_total"], out["wounded_total"]) == (9, 9, 18)
    # Due to delay: 14 to 18, the desk's parts exactly (1 + 1 + 2 + 1).
    assert (out["releases_due_to_delay"], out["killed_due_to_delay"], out["wounded_due_to_delay"]) == (5, 5, 10)
    assert out["harm_due_to_delay"] == 1
    assert out["releases_before_message"] == 5  # 12 to 16: the call at 12 counts, the message at 17 does not
    assert (out["time_to_message"], out["hold_time"], out["attempts"]) == (5, 1, 2)
    assert (out["nobody_called"], out["never_through"], out["strike_held"]) == (0, 0, 0)
    assert out["releases_planned"] == 11 and out["strike_stop"] == 19


def test_an_objection_before_the_first_hit_leaves_nothing_to_detection() -> None:
    # The notice was due at 5 and its check takes 4: the objection could have come at 9, before the first hit at
    # 10 (the detection call at 12). Stop had it been acted on: 9 + 0.5 + 1.5 = 11. The real call at 12 waited
    # 3 minutes on the notice's account, got through at 12 + 2 + 1 = 15; the abort arrived at 17.
    kernel = {**THROUGH, "dialled": 12, "waiting": 2, "talking": 1, "relaying": 0, "hold_time": 2,
              "message_through": 15, "abort_order": 15.5, "strike_stop": 17, "strike_end": 17,
              "checked": 9, "caught": 1}
    notice = {"lead_time": 5, "error": {"distance_km": 0}, "check_radius_km": 5, "check_time": 4}
    out = account(scenario(notification=notice), kernel, notice=(5, 4, 0.25))
    assert (out["earliest_call"], out["counterfactual_stop"]) == (9, 11)
    assert out["delay_detection"] == 0 and out["delay_notice_wait"] == 3
    assert parts(out, "releases") == {"detection": 0, "notice_wait": 3, "earlier_attempts": 0, "waiting": 2,
                                      "talking": 1, "holding": 0, "officer_relay": 0, "relay": 0,
                                      "abort_latency": 1}  # relay [9, 9.5) is before the strike; 10 in [9.5, 11)
    assert (out["releases_total"], out["releases_due_to_delay"], out["releases_before_message"]) == (7, 6, 3)
    assert (out["notice_caught"], out["notice_caught_before_strike"], out["notice_error_km"]) == (1, 1, 0.25)


def test_never_through_leaves_the_budget_undefined_and_counts_as_late() -> None:
    kernel = {**THROUGH, "message_through": NAN, "abort_order": NAN, "strike_stop": NAN, "strike_end": 20}
    out = account(scenario(report={"late_after": [5, 27]}), kernel)
    assert all(math.isnan(v) for kind in ("delay", "releases", "killed") for v in parts(out, kind).values())
    assert (out["never_through"], out["late_5"], out["late_27"]) == (1, 1, 1)
    assert math.isnan(out["time_to_message"])
    assert out["releases_total"] == 11 and out["releases_before_message"] == 9  # 12 to 20: no message ends it
    assert out["releases_due_to_delay"] == 7  # 14 to 20


def test_late_flags_compare_the_time_to_message_with_each_threshold() -> None:
    out = account(scenario(report={"late_after": [5, 27]}), THROUGH)  # through 5 minutes after the call
    assert (out["late_5"], out["late_27"]) == (1, 0)  # not within 5 (5 < 5 is false), within 27


def test_nobody_called_counts_the_harm_and_leaves_the_rest_undefined() -> None:
    out = account(scenario(report={"late_after": [27]}),
                  {"first_hit": 10, "attempts": 0, "strike_end": 20, "first_call": NAN})
    assert (out["releases_total"], out["killed_total"], out["wounded_total"]) == (11, 11, 22)
    assert out["nobody_called"] == 1
    for name in ("earliest_call", "hold_time", "counterfactual_stop", "releases_before_message",
                 "releases_due_to_delay", "harm_due_to_delay", "never_through", "late_27", "delay_relay"):
        assert math.isnan(out[name]), name


def test_a_held_strike_and_the_horizon_stop_the_releases() -> None:
    held = account(scenario(), {**THROUGH, "held": 1, "first_hit": NAN, "strike_stop": 9, "strike_end": 10})
    assert (held["releases_total"], held["killed_total"], held["strike_held"]) == (0, 0, 1)
    cut = account(scenario(horizon=15), {**THROUGH, "strike_stop": NAN, "strike_end": NAN, "cut_off": 1})
    assert (cut["releases_total"], cut["wounded_total"], cut["cut_off"]) == (5, 10, 1)  # 10 to 14


def test_the_harm_of_release_i_is_draw_i_of_the_harm_streams_and_only_hits_count() -> None:
    # Killed uniform on (0, 1) is the stream's uniform itself; wounded on (0, 2) twice it (exact in binary).
    case = scenario(strike__harm={"killed": {"dist": "uniform", "low": 0, "high": 1},
                                  "wounded": {"dist": "uniform", "low": 0, "high": 2}})
    kernel = {**THROUGH, "strike_stop": 13.5}  # releases 10 to 13 fall
    out = account(case, kernel, sites=[0, -1, 0, 0, 0, 0, 0, 0, 0, 0, 0], replication=5, seed=9)
    killed = Streams(9, 5)("harm.killed").uniforms(11)
    wounded = Streams(9, 5)("harm.wounded").uniforms(11)
    assert out["releases_total"] == 4
    assert out["killed_total"] == killed[0] + killed[2] + killed[3]  # release 1 missed the site
    assert out["wounded_total"] == 2 * wounded[0] + 2 * wounded[2] + 2 * wounded[3]
    assert out["killed_detection"] == killed[0]  # 10 (11, in the window too, harmed nobody)
    assert out["killed_due_to_delay"] == 0.0  # nothing fell at or after 14


def test_a_replication_the_kernel_left_to_simpy_is_not_accounted() -> None:
    out = account(scenario(), {**THROUGH, "status": SIMPY})
    assert all(math.isnan(v) for v in out.values())  # the engine runs it on the SimPy model instead


@pytest.mark.parametrize("origin, ended, crosses", [("23:45", 19, 1), ("23:45", NAN, 0), ("12:00", 19, 0)])
def test_the_strike_crosses_midnight_when_start_and_end_fall_on_different_days(origin: str, ended: float,
                                                                               crosses: int) -> None:
    # From 23:45 the strike starts at 23:55 and, ending at minute 19, ends at 00:04; cut off, it counts as ending
    # where it began.
    out = account(scenario(clock_origin=origin), {**THROUGH, "strike_end": ended})
    assert out["strike_crosses_midnight"] == crosses


# Against the SimPy accounting, on random kernel columns on a quarter-minute grid (so that edges meet releases).
# A release charged to the wrong side of an edge moves a whole release's harm, far beyond the 1e-12 allowed for
# the harm draws, which may differ in the last bit: the SimPy model's come from numpy's vectorised log1p and exp.

moments = st.integers(0, 160).map(lambda q: q / 4)
short = st.integers(0, 8).map(lambda q: q / 4)


@st.composite
def columns(draw: st.DrawFn) -> tuple[Scenario, dict[str, Any]]:
    times = draw(st.lists(st.integers(40, 140).map(lambda q: q / 4), min_size=1, max_size=14))
    case = scenario(**{
        "strike__releases": {"pattern": "explicit", "times": times},
        "strike__cep_km": draw(st.sampled_from([0.0, 1.0])),
        "strike__harm": {"killed": {"dist": "gamma", "shape": 2, "scale": 0.8},
                         "wounded": {"dist": "exponential", "mean": 3}},
        "horizon": draw(st.sampled_from([30, 1440])), "clock_origin": draw(st.sampled_from([None, "23:50"])),
        "report": {"late_after": [5, 27]},
        **({"notification": {"lead_time": 5, "error": {"distance_km": 0}, "check_radius_km": 5, "check_time": 4}}
           if draw(st.booleans()) else {}),
    })
    called, through = draw(st.integers(0, 3)) > 0, draw(st.integers(0, 3)) > 0
    first_call = draw(moments)
    dialled = first_call + draw(short)
    spent = [draw(short) for _ in range(4)]  # waiting, talking, holding, relaying
    message = dialled + sum(spent) if called and through else NAN
    relay, latency = draw(short), draw(short)
    stop = draw(st.one_of(st.just(NAN), moments))
    return case, {
        "replication": draw(st.integers(0, 2**20)), "seed": draw(st.integers(0, 2**32)),
        "first_hit": draw(st.one_of(st.just(NAN), moments)), "detect": draw(st.one_of(st.just(NAN), short)),
        "first_call": first_call if called else NAN, "message": message, "dialled": dialled, "spent": spent,
        "misunderstood_first": draw(st.booleans()), "relay": relay, "latency": latency, "stop": stop,
        "held": draw(st.booleans()) and not math.isnan(stop), "strike_end": draw(st.one_of(st.just(NAN), moments)),
        "notice": (draw(moments), 4.0, draw(st.floats(0, 10))), "caught": draw(st.booleans()),
        "checked": draw(st.one_of(st.just(NAN), moments)), "abort_order": draw(st.one_of(st.just(NAN), moments)),
    }


def simpy_accounting(case: Scenario, c: dict[str, Any]) -> dict[str, float]:
    """``strike_outcomes`` of the story these columns tell, with the SimPy model's own release plan."""
    strike = case.strike
    assert strike is not None
    plan = plan_releases(strike, case.sites, Streams(c["seed"], c["replication"]))
    stop = math.inf if math.isnan(c["stop"]) else c["stop"]
    falls = not c["held"] and strike.start < case.horizon
    record = StrikeRecord(fallen=[r for r in plan if falls and r.time < stop and r.time < case.horizon],
                          first_hit=c["first_hit"], abort_order=c["abort_order"], ordered_by="caller",
                          stop_time=stop, ended=c["strike_end"], held=c["held"])
    waiting, talking, holding, relaying = c["spent"]
    attempts = [Attempt(1, c["first_call"], outcome="misunderstood")] if c["misunderstood_first"] else []
    attempts.append(Attempt(len(attempts) + 1, c["dialled"], waiting=waiting, talking=talking, holding=holding,
                            relaying=relaying, outcome="through" if not math.isnan(c["message"]) else "abandoned"))
    call = CallRecord("caller", "hotline", first_call=c["first_call"], message_through=c["message"],
                      attempts=attempts if not math.isnan(c["first_call"]) else [])
    due, check, error = c["notice"]
    notice = (NoticeRecord(due=due, check_time=check, checked=c["checked"], error_km=error, caught=c["caught"])
              if case.notification is not None else None)
    return strike_outcomes(Story(
        plan=plan, strike=record, calls=[call], possible_calls=[c["first_hit"] + c["detect"]],
        relay_delays={"hotline": c["relay"]}, abort_latency=c["latency"], notice=notice, strike_start=strike.start,
        cut_off=False, clock_origin=case.origin_minutes, late_after=case.report.late_after))


@settings(max_examples=300, deadline=None)
@given(drawn=columns())
def test_random_columns_give_the_simpy_accountings_numbers(drawn: tuple[Scenario, dict[str, Any]]) -> None:
    case, c = drawn
    expected = simpy_accounting(case, c)
    strike = case.strike
    assert strike is not None
    plan = plan_releases(strike, case.sites, Streams(c["seed"], c["replication"]))
    called = not math.isnan(c["first_call"])
    attempts = (1 + c["misunderstood_first"]) if called else 0
    waiting, talking, holding, relaying = c["spent"]
    has_notice = case.notification is not None
    kernel = {"first_hit": c["first_hit"], "first_call": c["first_call"], "message_through": c["message"],
              "dialled": c["dialled"], "waiting": waiting, "talking": talking, "holding": holding,
              "relaying": relaying, "hold_time": waiting + holding if called else 0.0, "attempts": attempts,
              "abort_order": c["abort_order"], "strike_stop": c["stop"], "strike_end": c["strike_end"],
              "held": float(c["held"]), "checked": c["checked"] if has_notice else NAN,
              "caught": float(c["caught"] and has_notice)}
    got = account(case, kernel, [r.time for r in plan], [-1 if r.site is None else r.site for r in plan],
                  c["detect"], c["relay"], c["latency"], c["notice"] if has_notice else (NAN, NAN, NAN),
                  c["replication"], c["seed"])
    assert list(got) == list(expected)
    for name, value in expected.items():  # harm to the last bits (numpy's log1p against the C library's)
        same = got[name] == pytest.approx(value, rel=1e-12, abs=1e-12)
        assert same or (math.isnan(got[name]) and math.isnan(value)), f"{name}: batch {got[name]}, SimPy {value}"
