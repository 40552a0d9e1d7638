"""The strike, the notice and the harm, worked by hand (items 6 to 12 and 15 of the model-truth issue).

Cases vary ``hand_case.py``: releases at 10, 11, ..., 20, first call at 12, the POC away until 30.
"""

from __future__ import annotations

import math

import pytest
from pydantic import ValidationError
from scipy.stats import binomtest

from hand_case import SCENARIOS, kinds, replicate, run, scenario
from sim.model.accounting import PARTS
from sim.model.world import run_replication
from sim.scenario.loader import load_scenario

NOTICE = {"lead_time": 8, "error": {"distance_km": 0}, "check_radius_km": 5, "check_time": 1}


# 6. The strike stops when the abort arrives ---------------------------------------------------

def test_the_strike_ends_the_moment_the_abort_arrives() -> None:
    rep = replicate(trace=True, caller__policy="pass_to_duty_officer", strike__abort_latency=1.5)
    out = rep.outcomes
    # Through at 15 (12 + 1 officer + 2 relay), abort order at 15, reaches the aircraft at 16.5.
    assert out["message_through"] == 15 and out["strike_stop"] == 16.5
    assert out["strike_end"] == 16.5                 # not 17, the next planned release
    assert out["releases_total"] == 7                # 10, ..., 16
    [end] = kinds(rep, "strike_end")
    assert end.time == 16.5 and end.detail["aborted"]


def test_a_release_due_when_the_abort_arrives_does_not_fall_in_either_account() -> None:
    out = run(caller__policy="pass_to_duty_officer")
    # Stop at 16: the release at 16 does not fall; the counterfactual stop is 13, and the
    # release at 13 is counted due to delay: in both accounts a release at the stop does not fall.
    assert out["strike_stop"] == 16 and out["releases_total"] == 6
    assert out["counterfactual_stop"] == 13 and out["releases_due_to_delay"] == 3   # 13, 14, 15


# 7. Several parties call ---------------------------------------------------------------------

def _two_parties(**changes: object) -> dict[str, float]:
    return run(detection=None, caller=None,
               callers=[{"name": "HQ", "detection": {"delay": 2}},
                        {"name": "liaison", "desk": "liaison desk", "detection": {"delay": 4}}],
               other_desks={"liaison desk": {"pocs": {"count": 1}, "duty_officers": {"count": 0}}}, **changes)


def test_the_first_party_through_stops_the_strike() -> None:
    rep = replicate(trace=True, detection=None, caller=None,
                    callers=[{"name": "HQ", "detection": {"delay": 2}},
                             {"name": "liaison", "desk": "liaison desk", "detection": {"delay": 4}}],
                    other_desks={"liaison desk": {"pocs": {"count": 1}, "duty_officers": {"count": 0}}})
    out = rep.outcomes
    # HQ calls at 12 and holds for the hotline's absent POC; the liaison calls its own desk at 14 and is
    # through at once; abort at 14, stop at 15. The counterfactual starts from HQ's call at 12.
    assert (out["first_call"], out["message_through"], out["strike_stop"]) == (12, 14, 15)
    assert out["releases_total"] == 5 and out["counterfactual_stop"] == 13 and out["releases_due_to_delay"] == 2
    assert out["delay_earlier_attempts"] == 2          # the time before the call that got through
    assert [e.actor for e in kinds(rep, "caller_stopped")] == ["HQ"]


def test_a_single_caller_is_the_default() -> None:
    assert [p.name for p in scenario().parties] == ["caller"]
    with pytest.raises(ValidationError, match="either callers"):
        scenario(callers=[{"name": "HQ", "detection": {"delay": 2}}])


# 8. A late notice is not a caught notice --------------------------------------------------------

def test_a_caught_notice_holds_the_strike() -> None:
    out = run(notification=NOTICE, desk__pocs={"count": 1})
    # Notice at 2 (POC present), check at 3, objection through at 3, abort reaches at 4 < 10.
    assert out["notice_caught"] == 1 and out["notice_caught_before_strike"] == 1
    assert out["first_call"] == 3 and out["strike_held"] == 1
    assert out["releases_total"] == 0 and out["killed_total"] == 0


def test_a_notice_that_waits_at_the_desk_is_caught_late_and_its_wait_is_harm_due_to_delay() -> None:
    out = run(notification=NOTICE, desk__duty_officers={"count": 0})
    # The notice is due at 2 but the POC is away until 30: sent at 30, checked at 31, after the strike
    # began at 10. Had it gone out at 2 the objection would have come at 3 (the earliest call), the
    # abort at 4: all 11 releases are due to delay. The detection call at 12 was the first actual call.
    assert out["notice_caught"] == 1 and out["notice_caught_before_strike"] == 0
    assert out["earliest_call"] == 3 and out["first_call"] == 12 and out["counterfactual_stop"] == 4
    assert out["releases_due_to_delay"] == 11
    assert out["delay_notice_wait"] == 9 and out["releases_notice_wait"] == 3     # 10, 11, 12
    assert out["delay_waiting"] == 18 and out["releases_waiting"] == 8            # 13, ..., 20


def test_a_missed_notice_lets_the_strike_go_on() -> None:
    out = run(notification={**NOTICE, "error": {"distance_km": 9, "bearing_deg": 270}})
    assert out["notice_caught"] == 0 and out["notice_caught_before_strike"] == 0
    assert out["notice_error_km"] == 9 and out["first_call"] == 12


# 9. Where the time went ------------------------------------------------------------------------

def test_the_replay_budget_adds_up_to_27_minutes_and_16_releases() -> None:
    replay = load_scenario(SCENARIOS / "deir_ez_zor_2016.yaml")
    out = run_replication(replay, replay.seed).outcomes
    desk = [p.key for p in PARTS if p.desk]
    # 16:25:33 misunderstood (1 min with the officer, 3 to redial), 16:29:33 officer 1 min, hold 22 min.
    assert {k: out[f"delay_{k}"] for k in desk} == pytest.approx(
        {"notice_wait": 0, "earlier_attempts": 4, "waiting": 0, "talking": 1, "holding": 22, "officer_relay": 0})
    assert sum(out[f"delay_{k}"] for k in desk) == pytest.approx(out["time_to_message"]) == pytest.approx(27)
    assert sum(out[f"releases_{k}"] for k in desk) == out["releases_due_to_delay"] == 16
    assert out["delay_detection"] == pytest.approx(30.55) and out["releases_detection"] == 19
    assert (out["releases_relay"], out["releases_abort_latency"]) == (0, 2)
    assert sum(out[f"releases_{p.key}"] for p in PARTS) == out["releases_total"] == 37


def test_the_desk_parts_add_up_to_the_harm_due_to_delay_in_every_replication() -> None:
    stochastic = load_scenario(SCENARIOS / "deir_ez_zor_2016_stochastic.yaml")
    for k in range(300):
        out = run_replication(stochastic, stochastic.seed, k).outcomes
        if out["never_through"]:
            continue
        desk = [p.key for p in PARTS if p.desk]
        assert sum(out[f"releases_{p}"] for p in desk) == out["releases_due_to_delay"]
        assert sum(out[f"killed_{p}"] for p in desk) == pytest.approx(out["killed_due_to_delay"])
        assert sum(out[f"delay_{p}"] for p in desk) == pytest.approx(out["message_through"] - out["earliest_call"])


def test_releases_before_the_strike_start_are_refused() -> None:
    with pytest.raises(ValidationError, match="before the strike start"):
        scenario(strike__releases={"pattern": "explicit", "times": [5, 12]})


# 10. Scatter is a spread ------------------------------------------------------------------------

def test_cep_scatter_hits_a_site_as_often_as_the_circular_normal_says() -> None:
    # Half the releases land within the CEP; within r: 1 - 0.5^((r / CEP)^2). A 1 km site under a
    # 1.2 km CEP: 1 - 0.5^(1/1.44) = 0.3822 (a ring of 1.2 km would never hit it).
    case = scenario(strike__cep_km=1.2, strike__releases={"pattern": "even", "count": 20000, "window": 20000},
                    detection__delay=10**6, horizon="30 d")
    hits = run_replication(case, seed=3).outcomes["killed_total"]
    assert binomtest(int(hits), 20000, 1 - 0.5 ** (1 / 1.44)).pvalue > 0.001


def test_the_old_ring_is_refused_with_a_pointer_to_cep() -> None:
    with pytest.raises(ValidationError, match="give cep_km"):
        scenario(strike__scatter_km=1.2)


# 11. Runs that cannot answer say so -------------------------------------------------------------

def test_nobody_called_is_flagged_and_harm_due_to_delay_is_undefined() -> None:
    out = run(strike__target={"x_km": 10, "y_km": 0})
    assert out["nobody_called"] == 1 and math.isnan(out["first_call"])
    assert math.isnan(out["killed_due_to_delay"]) and math.isnan(out["time_to_message"])
    assert out["killed_total"] == 0 and out["releases_total"] == 11


def test_a_run_cut_off_by_the_horizon_says_so_and_counts_the_hold_so_far() -> None:
    out = run(horizon=25, desk__duty_officers={"count": 0})
    # Still holding at 25 (since 12); the strike ended at 20.
    assert out["cut_off"] == 1 and out["never_through"] == 1
    assert out["hold_time"] == 13                   # not 0: counted up to the horizon
    out = run(horizon=15, desk__duty_officers={"count": 0})
    assert out["cut_off"] == 1 and out["releases_total"] == 6 and math.isnan(out["strike_end"])


def test_a_strike_past_midnight_is_flagged() -> None:
    out = run(clock_origin="23:50", strike__start="23:55", strike__releases={"pattern": "even", "count": 11,
                                                                            "window": 10})
    assert out["strike_crosses_midnight"] == 1
    assert math.isnan(run()["strike_crosses_midnight"])     # no clock origin: no clock to cross


def test_a_clock_time_before_the_origin_does_not_wrap_silently() -> None:
    with pytest.raises(ValidationError, match='"16:00\\+1d"'):
        scenario(clock_origin="20:00", strike__start="16:00")
    assert scenario(clock_origin="20:00", strike__start="16:00+1d").strike.start == 20 * 60  # type: ignore[union-attr]


# 12. Nonsense is refused -------------------------------------------------------------------------

@pytest.mark.parametrize("changes, words", [
    ({"strike__harm": {"killed": -1}}, "cannot be negative"),
    ({"strike__harm": {"killed": {"dist": "uniform", "low": -1, "high": 2}}}, "cannot be negative"),
    ({"strike__abort_latency": float("nan")}, "finite"),
    ({"strike__cep_km": float("inf")}, "finite"),
    ({"notification": {**NOTICE, "error": {"distance_km": -3}}}, "cannot be negative"),
    ({"strike__releases": {"pattern": "even", "count": True, "window": 10}}, "integer"),
    ({"caller__redial_delay": 0}, "must take some time"),
    ({"sites": [{"name": "camp", "x_km": float("nan")}]}, "finite"),
    ({"strike__harm": {"killed": 1e308}}, "at most 1,000,000 people per release"),  # totals would be inf
    ({"strike__harm": {"wounded": {"dist": "gamma", "shape": 1, "scale": 1e5}}}, "got draws up to 3.67e"),
])
def test_nonsense_is_refused(changes: dict, words: str) -> None:
    with pytest.raises(ValidationError, match=words):
        scenario(**changes)


# 15. Common random numbers survive a change from fixed to random ------------------------------

def test_making_the_lead_time_random_moves_no_other_draw() -> None:
    stochastic = load_scenario(SCENARIOS / "deir_ez_zor_2016_stochastic.yaml")
    random_lead = load_scenario(SCENARIOS / "deir_ez_zor_2016_stochastic.yaml",
                                ['notification.lead_time={dist: uniform, low: 50, high: 70}'])
    same_point = same_call = 0
    for k in range(200):
        a, b = (run_replication(s, s.seed, k, trace=True) for s in (stochastic, random_lead))
        sent = [next(e.detail for e in r.trace.events if e.kind == "notice_sent") for r in (a, b)]
        same_point += sent[0]["reported_x_km"] == sent[1]["reported_x_km"]
        same_call += a.outcomes["first_call"] == b.outcomes["first_call"]
    assert same_point == 200          # the notified point (error distance and bearing) is the same
    assert same_call == 200           # and so is everything the detection path draws

