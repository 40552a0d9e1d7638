"""``trace.jsonl``: the format written, and the events read back unchanged."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from sim import api
from sim.model.trace import Event, Kind
from sim.model.world import run_replication
from sim.results.run_folder import read_trace, trace_line, write_trace
from sim.scenario.loader import load_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def test_a_line_is_the_documented_compact_object() -> None:
    release = Event(115.0, Kind.RELEASE, "strike", {"site": 0, "index": 1, "killed": 1.5, "wounded": 0.25})
    assert trace_line(release) == ('{"time":115.0,"kind":"release","actor":"strike",'
                                   '"detail":{"index":1,"killed":1.5,"site":0,"wounded":0.25}}\n')
    back = Event(0, Kind.SEAT_BACK, 'POC "Alpha" ü', {})  # the clock starts at the integer 0
    assert trace_line(back) == '{"time":0.0,"kind":"poc_back","actor":"POC \\"Alpha\\" \\u00fc","detail":{}}\n'
    checked = Event(65.0, Kind.NOTICE_CHECKED, "receiving side",
                    {"sites": [0, 2], "conflict": True, "error_km": float("nan"), "note": 'a "b"'})
    assert trace_line(checked) == ('{"time":65.0,"kind":"notice_checked","actor":"receiving side",'
                                   '"detail":{"conflict":true,"error_km":NaN,"note":"a \\"b\\"","sites":[0,2]}}\n')


def test_time_is_written_exactly() -> None:
    third = 1 / 3 + 100
    assert json.loads(trace_line(Event(third, Kind.HORIZON, "run", {})))["time"] == third


def test_a_stochastic_replay_reads_back_as_the_same_events(tmp_path: Path) -> None:
    scenario = load_scenario(SCENARIOS / "deir_ez_zor_2016_stochastic.yaml",
                             ["background_calls.rate_per_hour=2"])  # routine calls among the strike's events
    events = run_replication(scenario, scenario.seed, 3, trace=True).trace.events
    kinds = {e.kind for e in events}
    assert {Kind.RELEASE, Kind.CALL_DIAL, Kind.NOTICE_CHECKED, Kind.BACKGROUND_CALL} <= kinds
    assert any(isinstance(v, list) for e in events for v in e.detail.values())  # the notice's sites
    path = tmp_path / "trace.jsonl"
    write_trace(path, events)
    read = read_trace(path)
    assert read == events
    assert all(type(e.kind) is Kind for e in read)
    assert len(path.read_text().splitlines()) == len(events)


def test_more_events_than_one_block_are_all_written(tmp_path: Path) -> None:
    events = [Event(float(i), Kind.BACKGROUND_CALL, "routine caller", {"outcome": "answered"}) for i in range(10_000)]
    write_trace(tmp_path / "trace.jsonl", events)
    assert read_trace(tmp_path / "trace.jsonl") == events


def test_a_kind_outside_the_closed_set_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "trace.jsonl"
    path.write_text('{"time":1.0,"kind":"coffee_break","actor":"POC","detail":{}}\n')
    with pytest.raises(ValueError, match="coffee_break"):
        read_trace(path)


def test_the_run_folder_trace_is_the_runs_events(tmp_path: Path) -> None:
    run = api.simulate(api.load("deir_ez_zor_2016_duty_officer"))
    run.write(tmp_path)
    events = read_trace(tmp_path / "trace.jsonl")
    assert events == list(run.events)
    assert [e.kind for e in events].count(Kind.RELEASE) == run.outcomes["releases_total"]
