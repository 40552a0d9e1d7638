"""Small cases whose answers are worked out by hand, one per mechanism.

Base case: a strike starts at minute 10 with 11 releases one minute apart
(10, 11, ..., 20), one killed each; the receiving side detects 2 minutes after
the first release and calls at minute 12. The POC is away from 0 to 30; the
duty officer answers in 1 minute. Abort latency 1 minute, no relay delays.
"""

from __future__ import annotations

import copy
import math

import pytest

from sim.model.world import run_replication
from sim.scenario.schema import Scenario

BASE = {
    "name": "hand case",
    "sites": [{"name": "camp", "radius_km": 1}],
    "strike": {
        "start": 10,
        "releases": {"pattern": "even", "count": 11, "window": 10},
        "abort_latency": 1,
        "harm": {"killed": 1, "wounded": 2},
    },
    "detection": {"delay": 2},
    "caller": {"policy": "wait_for_poc", "redial_delay": 3},
    "desk": {
        "pocs": {"count": 1, "availability": {"away": [{"start": 0, "end": 30}]}},
        "duty_officers": {"count": 1, "answer_time": 1, "relay_delay": 2},
    },
}


def run(**changes: object) -> dict[str, float]:
    data = copy.deepcopy(BASE)
    for path, value in changes.items():
        node = data
        *parents, last = path.split("__")
        for key in parents:
            node = node.setdefault(key, {})
        node[last] = value
    return run_replication(Scenario.from_data(data), seed=1).outcomes


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
    assert out["hold_time"] == 4                 # 13 to 17: five minutes after dialling
    assert out["message_through"] == 19          # + 2 relay by the duty officer
    assert out["releases_total"] == 10           # stop at 20: the release at 20 does not fall


def test_misunderstood_call_is_redialled() -> None:
    out = run(language__misunderstood_first_attempts=1)
    # 12 dial, 13 misunderstood, redial at 16, duty officer 17, hold to 30.
    assert out["attempts"] == 2
    assert out["message_through"] == 30
    assert out["hold_time"] == 13


def test_patience_abandons_and_redials() -> None:
    out = run(caller__patience=5, caller__redial_delay=2)
    # dial 12 -> gives up 17 -> dial 19 -> gives up 24 -> dial 26 -> POC back at 30.
    assert out["attempts"] == 3
    assert out["message_through"] == 30
    assert out["hold_time"] == pytest.approx(4 + 4 + 3)


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


def test_a_second_poc_answers_at_once() -> None:
    out = run(desk__pocs={"count": 2, "availability": {"away": [{"start": 0, "end": 30}]}})
    # Both POCs follow the same explicit intervals: both away.
    assert out["message_through"] == 30
    out = run(desk__pocs={"count": 2})
    assert out["message_through"] == 12 and out["time_to_message"] == 0
    assert out["releases_due_to_delay"] == 0


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
