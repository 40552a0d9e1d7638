"""Hand-worked cases of the mechanisms the incident replays need (base case: ``hand_case.py``).

The base: 11 releases at 10, 11, ..., 20, each killing 1 and wounding 2 on the
one site (the target, radius 1 km); detection 2 min after the first release,
so the call is at 12; the POC is away until 30; one duty officer.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from hand_case import kinds, replicate, run, scenario
from sim.model.world import run_replication
from sim.results.timeline import plot_timeline

POC_PRESENT = {"count": 1}
SITE_NOTICE = {"lead_time": "4 d", "check_radius_km": 0.5}


def test_a_site_notice_that_reaches_the_cell_holds_the_strike() -> None:
    out = run(site_notice=SITE_NOTICE)
    # Received at 0 (4 days before the start at 10, clamped to the clock origin), at the cell at 0:
    # the target is the listed site, so the cell holds fire before the first release.
    assert out["site_notice_reached_cell"] == 1 and out["site_notice_caught"] == 1
    assert out["site_notice_at_cell"] == 0
    assert out["strike_held"] == 1 and out["releases_total"] == 0 and math.isnan(out["first_call"])


def test_a_site_notice_that_never_reaches_the_cell_changes_nothing() -> None:
    out = run(site_notice={**SITE_NOTICE, "dissemination": {"probability": 0}})
    assert out["site_notice_reached_cell"] == 0 and math.isnan(out["site_notice_caught"])
    assert math.isnan(out["site_notice_at_cell"])
    plain = run()
    assert {k: v for k, v in out.items() if not k.startswith("site_notice")} == plain


def test_a_late_site_notice_ceases_fire_at_once_on_board() -> None:
    # Received at 0 (10 min before the start), disseminated 13.5 min later: the cell stops at 13.5
    # with no abort latency, so the releases at 10, 11, 12, 13 fall and the one at 14 does not.
    out = run(site_notice={**SITE_NOTICE, "lead_time": 10, "dissemination": {"delay": 13.5}})
    assert out["site_notice_at_cell"] == 13.5
    assert out["abort_order"] == 13.5 and out["strike_stop"] == 13.5
    assert out["releases_total"] == 4 and out["killed_total"] == 4


def test_a_site_notice_whose_position_is_off_is_not_caught() -> None:
    out = run(site_notice={**SITE_NOTICE, "error": {"distance_km": 2}})
    assert out["site_notice_caught"] == 0 and out["releases_total"] == 11


def test_verification_delays_the_abort_order_after_the_message() -> None:
    base = run(caller__policy="pass_to_duty_officer")   # through at 15, order at 15, stop at 16
    out = run(caller__policy="pass_to_duty_officer", desk__verification=3, desk__relay_delay=1)
    assert out["message_through"] == base["message_through"] == 15
    assert out["abort_order"] == 19 and out["strike_stop"] == 20  # 15 + 1 relay + 3 verification, + 1
    assert out["releases_total"] == 10                         # 10..19; the release at 20 meets the abort
    assert out["delay_relay"] == 4
    # The counterfactual call at 12 would also have waited 4 before the order: stop at 17.
    assert out["counterfactual_stop"] == 17
    assert out["releases_relay"] == 4                          # 12, 13, 14, 15: releases in [12, 16)


def test_a_query_near_the_site_is_answered_yes_and_holds_the_strike() -> None:
    query = {"lead_time": 5, "error": {"distance_km": 0}, "check_radius_km": 3, "answer_time": 2}
    out = run(query=query)
    # Asked at 5, answered yes at 7, abort reaches the aircraft at 8 < 10.
    assert out["query_answered"] == 7 and out["query_yes"] == 1 and out["query_wrong"] == 0
    assert out["strike_held"] == 1 and out["releases_total"] == 0


def test_a_query_about_the_wrong_point_is_answered_no_and_is_wrong() -> None:
    query = {"lead_time": 5, "error": {"distance_km": 14, "bearing_deg": 90}, "check_radius_km": 3}
    rep = replicate(trace=True, query=query)
    out = rep.outcomes
    assert out["query_yes"] == 0 and out["query_wrong"] == 1 and out["query_error_km"] == 14
    assert out["releases_total"] == 11
    asked = kinds(rep, "query_asked")[0]
    assert (asked.detail["asked_x_km"], asked.detail["asked_y_km"]) == (14, 0)


def test_a_denial_at_the_right_point_is_wrong_too() -> None:
    query = {"lead_time": 5, "check_radius_km": 3, "denial_probability": 1}
    out = run(query=query)
    assert out["query_yes"] == 0 and out["query_wrong"] == 1 and out["releases_total"] == 11


def test_a_region_notice_is_checked_against_the_whole_region() -> None:
    notice = {"lead_time": 8, "error": {"distance_km": 9, "bearing_deg": 270}, "check_radius_km": 5,
              "check_time": 1}
    point = run(notification=notice, desk__pocs=POC_PRESENT)
    assert point["notice_caught"] == 0 and "notice_covers_target" not in point
    # A region of radius 5 around the point 9 km west: the site at 0 is 9 km from its centre,
    # within 5 + 5, so the check objects; the region (9 > 5) does not contain the target.
    region = run(notification={**notice, "region_radius_km": 5}, desk__pocs=POC_PRESENT)
    assert region["notice_caught"] == 1 and region["notice_covers_target"] == 0
    assert region["notice_lead"] == 8 and region["strike_held"] == 1
    wide = run(notification={**notice, "region_radius_km": 10}, desk__pocs=POC_PRESENT)
    assert wide["notice_covers_target"] == 1
    narrow = run(notification={**notice, "region_radius_km": 3.9}, desk__pocs=POC_PRESENT)
    assert narrow["notice_caught"] == 0                        # 9 > 3.9 + 5


def test_harm_falls_after_the_first_releases() -> None:
    out = run(strike__harm={"killed": 1, "wounded": 2, "falloff": {"full_releases": 2, "then_factor": 0.25}})
    # 11 releases on the site: 2 in full, 9 at a quarter: 2 + 9/4 killed, twice that wounded.
    assert out["killed_total"] == 2 + 9 * 0.25 and out["wounded_total"] == 2 * (2 + 9 * 0.25)
    # Due to delay: releases at 13..20 (8 of them), all after the first two: 8/4 = 2.
    assert out["killed_due_to_delay"] == 2


def test_several_callers_the_first_through_stops_the_strike() -> None:
    parties = [{"name": "field", "detection": {"delay": 2}},
               {"name": "capital", "desk": "ops", "detection": {"delay": 4}}]
    out = run(detection=None, caller=None, callers=parties,
              other_desks={"ops": {"pocs": POC_PRESENT, "verification": 2}})
    # field: 12 on hold for the POC back at 30; capital: dial 14, POC answers, through 14, order 16, stop 17.
    assert out["message_through"] == 14 and out["abort_order"] == 16 and out["strike_stop"] == 17
    assert out["releases_total"] == 7 and out["first_call"] == 12


def test_the_timeline_draws_the_query_and_the_site_notice(tmp_path: Path) -> None:
    case = scenario(query={"lead_time": 5, "error": {"distance_km": 14}, "check_radius_km": 3},
                    site_notice={**SITE_NOTICE, "dissemination": {"probability": 0}})
    rep = run_replication(case, seed=1, trace=True)
    figure = plot_timeline(rep.trace.events, rep.outcomes, case, tmp_path / "t.png")
    rows = [tick.get_text() for tick in figure.axes[0].get_yticklabels()]
    assert rows[-2:] == ["Query", "No-strike list"]
    texts = [t.get_text() for t in figure.axes[0].texts]
    assert "query, 14.0 km off; answer: no (wrong)" in texts
    assert "site notice at HQ, never reaches the cell" in texts


def test_a_site_notice_days_ahead_is_at_the_cell_when_the_run_starts() -> None:
    # Received 4 days before the strike at 10 and disseminated 2 days later: at the cell 2 days before
    # the strike, which the run sees as its clock origin (0), not 2 days after it.
    out = run(site_notice={**SITE_NOTICE, "dissemination": {"delay": "2 d"}})
    assert out["site_notice_at_cell"] == 0 and out["strike_held"] == 1
    # Received 5 min before the start (at 5) and disseminated 3 min later: at the cell at 8.
    late = run(site_notice={**SITE_NOTICE, "lead_time": 5, "dissemination": {"delay": 3}})
    assert late["site_notice_at_cell"] == 8 and late["strike_held"] == 1


def test_a_strike_checked_only_by_the_striking_side_needs_no_caller() -> None:
    # A site notice alone (no detection, no notice): the strike is held by the cell's own check.
    out = run(detection=None, site_notice=SITE_NOTICE)
    assert out["strike_held"] == 1 and out["nobody_called"] == 1
    with pytest.raises(ValueError, match="nobody would ever call"):
        scenario(detection=None)
