"""Small cases whose answers are worked out by hand, one per mechanism (see ``hand_case.py``)."""

from __future__ import annotations

import math

import pytest

from hand_case import run


def test_wait_for_poc_holds_until_the_poc_is_back() -> None:
    out = run()
    assert out["first_call"] == 12
    assert out["message_through"] == 30          # POC back at 30
    assert out["time_to_message"] == 18
    assert out["hold_time"] == 17                # on hold from 13, after the duty officer
    assert out["abort_order"] == 30 and out["strike_stop"] == 31
    assert out["releases_total"] == 11           # the strike was over at 20
    assert out["releases_before_message"] == 9   # 12, 13, ..., 20
    assert out["counterfactual_stop"] == 13      # 12 + 0 relay + 1 latency
    assert out["releases_due_to_delay"] == 8     # 13, ..., 20
    assert out["killed_due_to_delay"] == 8 and out["wounded_due_to_delay"] == 16


def test_pass_to_duty_officer_relays_at_once() -> None:
    out = run(caller__policy="pass_to_duty_officer")
    assert out["message_through"] == 15          # 12 + 1 answer + 2 relay
    assert out["strike_stop"] == 16
    assert out["releases_total"] == 6            # 10, ..., 15
    assert out["releases_before_message"] == 3   # 12, 13, 14
    assert out["releases_due_to_delay"] == 3     # 13, 14, 15


def test_escalate_after_passes_the_message_on_at_the_limit() -> None:
    out = run(caller__policy="escalate_after", caller__escalate_after=5)
    assert out["hold_time"] == 5                 # on hold 13 to 18: the limit counts time on hold
    assert out["message_through"] == 20          # + 2 relay by the duty officer
    assert out["releases_total"] == 11           # stop at 21: the release at 20 still falls


def test_misunderstood_call_is_redialled() -> None:
    out = run(language__misunderstood_first_attempts=1)
    # 12 dial, 13 misunderstood, redial at 16, duty officer 17, hold to 30.
    assert out["attempts"] == 2
    assert out["message_through"] == 30
    assert out["hold_time"] == 13


def test_patience_abandons_and_redials() -> None:
    out = run(caller__patience=5, caller__redial_delay=2)
    # Patience counts time on hold, not the minute with the duty officer:
    # dial 12, officer 12-13, hold 13-18 gives up; dial 20, officer 20-21, hold 21-26 gives up;
    # dial 28, officer 28-29, hold 29-30: the POC is back.
    assert out["attempts"] == 3
    assert out["message_through"] == 30
    assert out["hold_time"] == pytest.approx(5 + 5 + 1)


def test_without_duty_officer_the_caller_waits_for_the_poc() -> None:
    out = run(desk__duty_officers={"count": 0}, caller__policy="pass_to_duty_officer")
    assert out["message_through"] == 30
    assert out["hold_time"] == 18


def test_alternating_availability_with_fixed_periods() -> None:
    # Available 10, away 5, in turn: away during [10, 15), [25, 30), ...
    out = run(desk__pocs={"count": 1, "availability": {"available": 10, "away_for": 5}},
              desk__duty_officers={"count": 0})
    assert out["message_through"] == 15
    assert out["time_to_message"] == 3


def test_caught_notice_holds_the_strike() -> None:
    notice = {"lead_time": 8, "error": {"distance_km": 0}, "check_radius_km": 5, "check_time": 1}
    out = run(notification=notice, desk__pocs={"count": 1})
    # Notice at 2 (POC present), check at 3, objection through at 3, abort reaches at 4 < 10.
    assert out["notice_caught"] == 1
    assert out["first_call"] == 3
    assert out["strike_held"] == 1
    assert out["releases_total"] == 0 and out["killed_total"] == 0


def test_missed_notice_lets_the_strike_go_on() -> None:
    notice = {"lead_time": 8, "error": {"distance_km": 9, "bearing_deg": 270},
              "check_radius_km": 5, "check_time": 1}
    out = run(notification=notice)
    assert out["notice_caught"] == 0
    assert out["notice_error_km"] == 9
    assert out["first_call"] == 12                # detection, as without notice


def test_poisson_releases_and_random_harm_reproduce_and_stay_paired() -> None:
    changes = dict(strike__releases={"pattern": "poisson", "count": 30, "rate_per_min": 1.0},
                   strike__harm={"killed": {"dist": "exponential", "mean": 2}})
    first, again = run(**changes), run(**changes)
    assert first == again
    assert first["releases_due_to_delay"] <= first["releases_total"] <= 30
    assert 0 < first["killed_due_to_delay"] < first["killed_total"]


def test_no_hit_means_no_call() -> None:
    out = run(strike__target={"x_km": 10, "y_km": 0})
    assert math.isnan(out["first_call"])
    assert out["killed_total"] == 0 and out["releases_total"] == 11
