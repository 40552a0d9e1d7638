"""The desk, worked by hand: each POC's own availability, rosters, precedence, duty officers.

Most cases vary the hand case of ``hand_case.py`` (strike from minute 10,
first call at 12, the designated POC away from 0 to 30). Precedence is
checked on the desk's line itself with callers whose times are set here.
"""

from __future__ import annotations

from typing import Generator

import pytest
import simpy
from pydantic import ValidationError

from hand_case import SCENARIOS, kinds, replicate, run
from sim.model.staff import Preempted, StaffPool
from sim.model.trace import NullTrace
from sim.model.world import run_replication
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario

AWAY = {"away": [{"start": 0, "end": 30}]}


# 1. Each POC (group) has its own availability -------------------------------------------------

def test_a_second_poc_who_is_present_answers_at_once() -> None:
    out = run(desk__pocs=[{"name": "designated POC", "availability": AWAY}, {"name": "second POC"}])
    # The second POC answers the 12:00 call; the abort reaches the aircraft at 13.
    assert out["message_through"] == 12 and out["time_to_message"] == 0
    assert out["releases_total"] == 3          # 10, 11, 12; the one at 13 does not fall
    assert out["releases_due_to_delay"] == 0


def test_a_group_shares_its_away_intervals() -> None:
    out = run(desk__pocs={"count": 2, "availability": AWAY})
    assert out["message_through"] == 30        # both POCs of the group are away until 30


def test_adding_a_present_poc_shortens_the_replay_hold() -> None:
    replay = load_scenario(SCENARIOS / "deir_ez_zor_2016.yaml")
    second = load_scenario(SCENARIOS / "deir_ez_zor_2016.yaml", ["desk.pocs.1.count=1"])
    before = run_replication(replay, replay.seed).outcomes
    after = run_replication(second, second.seed).outcomes
    assert before["time_to_message"] == pytest.approx(27.0)
    # 16:25:33 misunderstood by the second POC, redial at 16:28:33 answered and understood.
    assert after["time_to_message"] == pytest.approx(3.0)
    assert after["releases_due_to_delay"] == 2 and before["releases_due_to_delay"] == 16


def test_alternating_spells_are_drawn_per_poc() -> None:
    rep = replicate(trace=True, desk__pocs={"count": 2, "availability": {
        "available": {"dist": "exponential", "mean": 20}, "away_for": {"dist": "exponential", "mean": 10}}},
        detection__delay=200)
    away = {}
    for e in kinds(rep, "poc_away"):
        away.setdefault(e.actor, []).append(e.time)
    assert set(away) == {"POC 1", "POC 2"}
    assert away["POC 1"][0] != away["POC 2"][0]   # each POC its own stream


def test_alternating_with_fixed_periods() -> None:
    # Available 10, away 5, in turn: away during [10, 15), [25, 30), ...
    out = run(desk__pocs={"count": 1, "availability": {"available": 10, "away_for": 5}},
              desk__duty_officers={"count": 0})
    assert out["message_through"] == 15 and out["time_to_message"] == 3


def test_an_interval_may_start_the_day_before_the_clock_origin() -> None:
    # Origin 06:00; the POC has been away since 20:00 the evening before and is back at 08:00 (minute 120).
    out = run(clock_origin="06:00", strike__start="07:00", desk__duty_officers={"count": 0},
              desk__pocs={"availability": {"away": [{"start": "20:00-1d", "end": "08:00"}]}})
    assert out["first_call"] == 62 and out["message_through"] == 120


ROSTER = {"period": "1 d", "handover": "15 min",
          "shifts": [{"start": "08:00", "end": "20:00"}, {"start": "20:00", "end": "08:00+1d"}]}


def test_roster_handover_after_the_call_in_progress() -> None:
    # Origin 06:00. The notice is due at 19:55 (lead 5 min before the 20:00 strike) and takes the POC
    # 10 minutes: busy until 20:05, past the 20:00 end of the day shift. The outgoing POC finishes it,
    # then hands over for 15 minutes: the night POC answers from 20:20. The caller (20:02, no duty
    # officer) is answered then and takes 10 minutes too: through at 20:30.
    rep = replicate(trace=True, clock_origin="06:00", strike__start="20:00",
                    strike__releases={"pattern": "even", "count": 41, "window": 40},
                    notification={"lead_time": 5, "error": {"distance_km": 20}, "check_radius_km": 1},
                    desk__duty_officers={"count": 0},
                    desk__pocs={"availability": {"roster": ROSTER}, "message_time": 10})
    out = rep.outcomes
    origin = 360
    assert out["first_call"] == 20 * 60 + 2 - origin
    assert out["message_through"] == 20 * 60 + 30 - origin
    assert out["delay_waiting"] == 18 and out["delay_talking"] == 10
    # Two handovers: 08:00 (the night POC idle, 15 minutes) and 20:00 (after the notice, from 20:05).
    changes = [(a.time, b.time) for a, b in zip(kinds(rep, "poc_away"), kinds(rep, "poc_back"))]
    assert changes == [(8 * 60 - origin, 8 * 60 + 15 - origin), (20 * 60 + 5 - origin, 20 * 60 + 20 - origin)]


def test_a_night_shift_crossing_midnight_covers_the_start() -> None:
    # Origin 22:00: the night shift began at 20:00, so the POC is on duty at minute 0; it ends at 08:00+1d
    # (minute 600) and, with only that shift, the seat is empty until 20:00+1d.
    night = {"shifts": [{"start": "20:00", "end": "08:00+1d"}]}
    out = run(clock_origin="22:00", strike__start="09:00+1d", desk__duty_officers={"count": 0},
              desk__pocs={"availability": {"roster": night}}, horizon="2 d")
    first_call = (24 + 9 - 22) * 60 + 2
    assert out["first_call"] == first_call
    assert out["message_through"] == (24 + 20 - 22) * 60   # back on shift at 20:00 the next day
    out = run(clock_origin="22:00", strike__start="23:00", desk__duty_officers={"count": 0},
              desk__pocs={"availability": {"roster": night}})
    assert out["time_to_message"] == 0


def test_overlapping_shifts_are_refused() -> None:
    with pytest.raises(ValidationError, match="overlap"):
        Scenario.from_data({"name": "x", "clock_origin": "00:00", "strike": {"start": 10, "releases": {
            "count": 1, "window": 0}}, "detection": {"delay": 1}, "desk": {"pocs": {"availability": {"roster": {
                "shifts": [{"start": "08:00", "end": "20:00"}, {"start": "19:00", "end": "07:00+1d"}]}}}}})


# 2. Precedence, on the line itself -------------------------------------------------------------

def _serve(env: simpy.Environment, pool: StaffPool, name: str, urgent: bool, at: float, minutes: float,
           log: dict[str, list[float]]) -> Generator[simpy.Event, object, None]:
    yield env.timeout(at)
    left, key = minutes, None
    while left > 0:
        with pool.request(urgent, key) as request:
            yield request
            log.setdefault(name, []).append(env.now)
            started = env.now
            request.in_progress = True
            try:
                yield env.timeout(left)
                left = 0
            except simpy.Interrupt as stop:
                assert isinstance(stop.cause, Preempted)
                left -= env.now - started
                key = request.key
            request.in_progress = False
    log.setdefault(name, []).append(env.now)


def _desk(precedence: str) -> dict[str, list[float]]:
    """One POC; routine A at 0 (10 min), routine B at 1 (10 min), urgent U at 2 (5 min)."""
    env = simpy.Environment()
    pool = StaffPool(env, ["POC"], precedence, NullTrace())  # type: ignore[arg-type]
    log: dict[str, list[float]] = {}
    for name, urgent, at in (("A", False, 0), ("B", False, 1), ("U", True, 2)):
        env.process(_serve(env, pool, name, urgent, at, 5 if urgent else 10, log))
    env.run()
    return log


def test_fifo_serves_in_order_of_calling() -> None:
    assert _desk("fifo") == {"A": [0, 10], "B": [10, 20], "U": [20, 25]}


def test_urgent_first_jumps_the_routine_line() -> None:
    assert _desk("urgent_first") == {"A": [0, 10], "U": [10, 15], "B": [15, 25]}


def test_urgent_preempts_breaks_off_a_routine_call_and_resumes_it() -> None:
    # U takes the POC from A at 2; A (8 minutes left) is back at the head of the routine line and
    # resumes at 7, ahead of B who called later.
    assert _desk("urgent_preempts") == {"A": [0, 7, 15], "U": [2, 7], "B": [15, 25]}


def test_a_caller_who_hangs_up_in_line_is_skipped() -> None:
    # One POC busy 0-10 with A; B (called at 1) hangs up at 4, C (called at 2) is next: 10-15, then
    # D (called at 3) 15-20. B never reaches the POC.
    env = simpy.Environment()
    pool = StaffPool(env, ["POC"], "fifo", NullTrace())
    log: dict[str, list[float]] = {}

    def impatient() -> Generator[simpy.Event, object, None]:
        yield env.timeout(1)
        with pool.request(False) as request:
            yield env.any_of([request, env.timeout(3)])
            log["B"] = [env.now, float(request.triggered)]

    env.process(impatient())
    for name, at, minutes in (("A", 0, 10), ("C", 2, 5), ("D", 3, 5)):
        env.process(_serve(env, pool, name, False, at, minutes, log))
    env.run()
    assert log == {"A": [0, 10], "B": [4, 0.0], "C": [10, 15], "D": [15, 20]}


def test_a_routine_call_answered_but_not_begun_is_not_broken_off() -> None:
    # R is answered by the POC at 0 but spends 3 minutes with a duty officer before its 10-minute call
    # begins; U rings at 1, finds nothing in progress to break off and waits: served at 13.
    env = simpy.Environment()
    pool = StaffPool(env, ["POC"], "urgent_preempts", NullTrace())
    log: dict[str, list[float]] = {}

    def routine() -> Generator[simpy.Event, object, None]:
        with pool.request(False) as request:
            yield request
            yield env.timeout(3)  # still with the duty officer: a preemption here would be lost
            request.in_progress = True
            yield env.timeout(10)
            log["R"] = [3, env.now]

    env.process(routine())
    env.process(_serve(env, pool, "U", True, 1, 5, log))
    env.run()
    assert log == {"R": [3, 13], "U": [13, 18]}


def test_every_precedence_runs_a_busy_afternoon_and_urgent_calls_wait_less() -> None:
    # 2 routine calls an hour of 10 min each, with a duty officer answering overflow: routine calls are
    # answered by a POC while still with the officer, the case that once broke preemption.
    scenario = load_scenario(SCENARIOS / "deir_ez_zor_2016_stochastic.yaml", ["background_calls.rate_per_hour=2"])
    holds: dict[str, float] = {}
    for precedence in ("fifo", "urgent_first", "urgent_preempts"):
        changed = scenario.model_copy(update={"desk": scenario.desk.model_copy(update={"precedence": precedence})})
        holds[precedence] = sum(run_replication(changed, 1, k).outcomes["hold_time"] for k in range(300))
    assert holds["fifo"] > holds["urgent_first"] > holds["urgent_preempts"]


# 3. Duty officers are servers -------------------------------------------------------------------

TWO_CALLERS = {"callers": [{"name": "HQ", "detection": {"delay": 2}, "policy": "pass_to_duty_officer"},
                           {"name": "liaison", "detection": {"delay": 2}, "policy": "pass_to_duty_officer"}]}


def _answers(officers: int) -> dict[str, float]:
    rep = replicate(trace=True, detection=None, caller=None, **{"callers": TWO_CALLERS["callers"]},
                    desk__duty_officers={"count": officers, "answer_time": 5, "relay_delay": 2})
    return {e.detail["caller"]: e.time for e in kinds(rep, "answered")}


def test_one_duty_officer_answers_one_caller_at_a_time() -> None:
    # Both call at 12; the one officer talks with HQ until 17, then with the liaison.
    assert _answers(1) == {"HQ": 12, "liaison": 17}


def test_a_second_duty_officer_answers_the_second_caller_at_once() -> None:
    assert _answers(2) == {"HQ": 12, "liaison": 12}
