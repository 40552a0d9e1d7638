"""The hotline-only figures, counted by hand over all calls, answered calls and abandoners.

The record below is eight calls worked on paper: waits 0, 0, 3, 6, 12, 2,
8 and 5 minutes, of which the 12- and the 2-minute callers hung up. Each
figure counts a different population, and the figures tie together: the
mean wait of all calls is the answered and the abandoners' means weighted by
how many of each there were.
"""

from __future__ import annotations

import math

import pytest

from sim.model.background import QueueRecord
from sim.model.outcome import Outcome
from sim.model.queue_figures import QUEUE_FIGURES, queue_figure, queue_outcomes
from sim.model.world import run_replication
from sim.scenario.schema import Scenario

HAND = QueueRecord(waits=[0.0, 0.0, 3.0, 6.0, 12.0, 2.0, 8.0, 5.0],
                   served=[True, True, True, True, False, False, True, True],
                   busy_time=30.0, measured_from=10.0, measured_to=30.0)


def desk(patience_min: float | None) -> Scenario:
    calls = {"rate_per_hour": 30, "service_time": {"dist": "exponential", "mean": 10},
             "calls": 600, "warmup_calls": 100}
    if patience_min is not None:
        calls["patience"] = {"dist": "exponential", "mean": patience_min}
    return Scenario.from_data({"name": "desk", "desk": {"pocs": {"count": 4}, "duty_officers": {"count": 0}},
                               "background_calls": calls, "report": {"wait_thresholds": [5, 2.5]}})


def test_every_figure_counted_by_hand() -> None:
    assert queue_outcomes(HAND, servers=2, thresholds=[5, 2.5]) == {
        "calls": 8.0,
        "p_wait": 6 / 8,                   # all but the two answered at once
        "mean_wait": 36 / 8,               # abandoners count with their time to hang up
        "p_wait_gt_5": 3 / 8,              # 6, 12, 8 (5 is not more than 5)
        "p_wait_gt_2p5": 5 / 8,            # 3, 6, 12, 8, 5
        "service_level_5": 4 / 8,          # answered after 0, 0, 3, 5: the 2-minute abandoner is not
        "service_level_2p5": 2 / 8,
        "p_abandon": 2 / 8,
        "utilisation": 30 / (2 * 20),
        "mean_wait_answered": 22 / 6,      # 0, 0, 3, 6, 8, 5
        "p_answered_wait_gt_5": 2 / 6,     # 6, 8
        "p_answered_wait_gt_2p5": 4 / 6,   # 3, 6, 8, 5
        "mean_wait_abandoned": 14 / 2,     # 12, 2
    }


def test_the_mean_wait_of_all_calls_weighs_answered_and_abandoners() -> None:
    figures = queue_outcomes(HAND, servers=2, thresholds=[])
    answered, abandoned = 1 - figures["p_abandon"], figures["p_abandon"]
    assert figures["mean_wait"] == pytest.approx(
        answered * figures["mean_wait_answered"] + abandoned * figures["mean_wait_abandoned"], rel=1e-15)


def test_every_figure_is_declared_in_report_order_and_says_whom_it_counts() -> None:
    names = list(queue_outcomes(HAND, servers=2, thresholds=[5]))
    declared = [queue_figure(name) for name in names]
    assert all(isinstance(d, Outcome) for d in declared)
    assert names == [f.name if isinstance(f, Outcome) else f.name(5) for f in QUEUE_FIGURES]
    labels = {name: d.label for name, d in zip(names, declared) if d is not None}
    assert labels["mean_wait"] == "mean wait of all calls"
    assert labels["mean_wait_answered"] == "mean wait of answered calls: the average speed of answer"
    assert labels["p_answered_wait_gt_5"] == "P(wait > 5 min | answered)"
    assert labels["service_level_5"] == "service level: P(answered within 5 min)"
    assert labels["mean_wait_abandoned"] == "mean wait of abandoners until they hang up"
    answered = declared[names.index("mean_wait_answered")]
    assert answered is not None and answered.axis_label() == labels["mean_wait_answered"] + " (min)"
    assert queue_figure("killed_total") is None and queue_figure("p_wait_gt_x") is None


def test_no_abandoner_leaves_their_mean_wait_undefined_and_says_why() -> None:
    record = QueueRecord(waits=[0.0, 4.0, 1.0], served=[True, True, True], busy_time=5.0,
                         measured_from=0.0, measured_to=10.0)
    figures = queue_outcomes(record, servers=1, thresholds=[2])
    assert math.isnan(figures["mean_wait_abandoned"])
    declared = queue_figure("mean_wait_abandoned")
    assert declared is not None and "no measured call hung up" in declared.undefined
    assert figures["mean_wait_answered"] == figures["mean_wait"] == 5 / 3
    assert figures["p_answered_wait_gt_2"] == figures["p_wait_gt_2"] == 1 / 3
    assert figures["service_level_2"] == 2 / 3


def test_with_nobody_answered_the_answered_figures_are_undefined() -> None:
    record = QueueRecord(waits=[3.0, 1.0], served=[False, False], measured_from=0.0, measured_to=4.0)
    figures = queue_outcomes(record, servers=1, thresholds=[2])
    assert math.isnan(figures["mean_wait_answered"]) and math.isnan(figures["p_answered_wait_gt_2"])
    assert figures["service_level_2"] == 0.0 and figures["p_abandon"] == 1.0 and figures["utilisation"] == 0.0
    assert figures["mean_wait_abandoned"] == 2.0


def test_with_no_call_measured_every_figure_but_the_count_is_undefined_and_says_why() -> None:
    figures = queue_outcomes(QueueRecord(), servers=3, thresholds=[5])
    assert figures["calls"] == 0.0
    for name, value in figures.items():
        if name != "calls":
            declared = queue_figure(name)
            assert math.isnan(value) and declared is not None and declared.undefined, name


def test_a_desk_without_patience_answers_every_call_so_the_answered_figures_are_the_all_calls_ones() -> None:
    figures = run_replication(desk(None), seed=3).outcomes
    assert figures["calls"] == 500 and figures["p_abandon"] == 0.0
    assert figures["mean_wait_answered"] == figures["mean_wait"] > 0
    assert figures["p_answered_wait_gt_5"] == figures["p_wait_gt_5"] > 0
    assert figures["service_level_5"] == pytest.approx(1 - figures["p_wait_gt_5"], abs=1e-15)
    assert math.isnan(figures["mean_wait_abandoned"])


def test_an_impatient_desk_splits_its_calls_into_answered_and_abandoners() -> None:
    figures = run_replication(desk(5.0), seed=3).outcomes
    abandoned = figures["p_abandon"]
    assert 0 < abandoned < 1
    assert figures["mean_wait"] == pytest.approx(
        (1 - abandoned) * figures["mean_wait_answered"] + abandoned * figures["mean_wait_abandoned"], rel=1e-12)
    for t in ("5", "2p5"):  # answered within t = answered, less those answered after t
        assert figures[f"service_level_{t}"] == pytest.approx(
            (1 - abandoned) * (1 - figures[f"p_answered_wait_gt_{t}"]), abs=1e-12)
