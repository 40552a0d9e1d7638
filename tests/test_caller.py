"""The caller: misunderstanding once per telling, and what patience and escalation count (items 4 and 5)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy.stats import binomtest

from hand_case import replicate, run, scenario
from sim.model.world import run_replication

REPLICATIONS = 4000


def _first_attempt_failed(**changes: object) -> tuple[int, int]:
    case = scenario(language__misunderstanding_probability=0.3, **changes)
    failed = sum(run_replication(case, seed=5, replication=k).outcomes["attempts"] > 1 for k in range(REPLICATIONS))
    return int(failed), REPLICATIONS


@pytest.mark.parametrize("policy", ["wait_for_poc", "pass_to_duty_officer"])
def test_a_message_is_misunderstood_once_per_attempt(policy: str) -> None:
    # The duty officer answers (the POC is away), then under wait_for_poc the POC takes the call at 30.
    # Drawn again at the POC, the first attempt would fail 1 - 0.7^2 = 51% of the time; once, 30%.
    failed, n = _first_attempt_failed(caller__policy=policy)
    assert binomtest(failed, n, 0.3).pvalue > 0.001
    assert abs(failed / n - 0.3) < 0.03


def test_a_separate_probability_for_the_poc_applies_to_the_second_telling() -> None:
    # Officer understands with 0.7, then the POC with 0.5: the attempt fails with 1 - 0.35 = 0.65.
    failed, n = _first_attempt_failed(language__poc_misunderstanding_probability=0.5)
    assert binomtest(failed, n, 0.65).pvalue > 0.001


def test_a_poc_answering_first_hears_the_message_once() -> None:
    failed, n = _first_attempt_failed(desk__pocs={"count": 1}, language__poc_misunderstanding_probability=0.9)
    assert binomtest(failed, n, 0.3).pvalue > 0.001   # the POC's own probability is for a second telling only


def test_patience_counts_time_on_hold_and_an_answer_wins_a_tie() -> None:
    # Dial 12, officer 12-13, on hold from 13; the POC is back at 30, after 17 minutes on hold.
    exactly = run(caller__patience=17)
    assert exactly["attempts"] == 1 and exactly["message_through"] == 30
    short = run(caller__patience=16.9, caller__redial_delay=0.1)
    # gives up at 29.9, redials at 30.0: the POC (free since 30) answers at once.
    assert short["attempts"] == 2 and short["message_through"] == pytest.approx(30.0)


def test_patience_without_a_duty_officer_counts_from_dialling() -> None:
    # Nobody answers: the whole wait is on hold. Patience 18 reaches exactly 30.
    out = run(desk__duty_officers={"count": 0}, caller__patience=18)
    assert out["attempts"] == 1 and out["hold_time"] == 18 and out["delay_waiting"] == 18


def test_escalation_counts_time_on_hold_and_the_poc_wins_a_tie() -> None:
    # On hold from 13; with a 5-minute limit the officer takes the message at 18 unless a POC answers first.
    out = run(caller__policy="escalate_after", caller__escalate_after=5,
              desk__pocs={"availability": {"away": [{"start": 0, "end": 18}]}})
    assert out["message_through"] == 18 and out["delay_officer_relay"] == 0   # the POC, at the limit
    out = run(caller__policy="escalate_after", caller__escalate_after=5,
              desk__pocs={"availability": {"away": [{"start": 0, "end": 18.5}]}})
    assert out["message_through"] == 20 and out["delay_officer_relay"] == 2   # escalated at 18, relayed by 20


def test_a_caller_out_of_attempts_never_gets_through() -> None:
    rep = replicate(trace=True, caller__max_attempts=1, language__misunderstood_first_attempts=1)
    out = rep.outcomes
    assert out["never_through"] == 1 and math.isnan(out["time_to_message"])
    assert out["releases_due_to_delay"] == 8          # every release from the counterfactual stop (13) on
    assert [e.kind for e in rep.trace.events if e.actor == "caller"][-1] == "caller_gave_up"


def test_redials_are_drawn_per_attempt() -> None:
    # With a random redial delay, attempt 2's delay is the same whether or not attempt 1 met the officer.
    delays = {"dist": "uniform", "low": 1, "high": 5}
    a = replicate(trace=True, caller__redial_delay=delays, language__misunderstood_first_attempts=2)
    b = replicate(trace=True, caller__redial_delay=delays, language__misunderstood_first_attempts=2,
                  desk__duty_officers={"count": 0}, desk__pocs={"count": 1})
    gaps = [[e.detail["redial_in"] for e in r.trace.events if e.kind == "call_ended"] for r in (a, b)]
    assert gaps[0] == gaps[1] and len(gaps[0]) == 2 and np.ptp(gaps[0]) > 0


def test_patience_running_out_before_escalation_hangs_up() -> None:
    # The POC is away until 30. Each attempt: the duty officer answers at once and talks 1 min, the caller
    # holds 2 min (patience), hangs up and redials 4 min later: holds 13-15, 20-22, 27-29; at 33 the POC
    # is back and answers. Escalation after 10 min never comes into it.
    out = run(caller__policy="escalate_after", caller__escalate_after=10, caller__patience=2, caller__redial_delay=4)
    assert out["attempts"] == 4
    assert out["message_through"] == pytest.approx(33.0)
    assert out["hold_time"] == pytest.approx(6.0)


def test_escalation_before_patience_runs_out_passes_the_message_on() -> None:
    # Escalation after 2 min on hold, patience 5: held 13-15, the duty officer relays for 2 min: through at 17.
    out = run(caller__policy="escalate_after", caller__escalate_after=2, caller__patience=5)
    assert out["attempts"] == 1
    assert out["message_through"] == pytest.approx(17.0)
    assert out["delay_officer_relay"] == pytest.approx(2.0)
