"""One vocabulary: every outcome declared once, every trace event of a closed set, every bar drawn."""

from __future__ import annotations

from pathlib import Path

import pytest
from matplotlib.collections import PolyCollection

from hand_case import SCENARIOS, replicate, scenario
from sim.model.catalog import describe, is_declared
from sim.model.trace import Kind
from sim.model.world import run_replication
from sim.results.timeline import plot_timeline
from sim.scenario.loader import load_scenario

SHIPPED = sorted(SCENARIOS.glob("*.yaml")) + sorted((SCENARIOS / "validation").glob("*.yaml"))


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_outcome_of_every_shipped_scenario_is_declared(path: Path) -> None:
    loaded = load_scenario(path, ["background_calls.calls=300", "background_calls.warmup_calls=100"] if "validation" in str(path) else [])
    rep = run_replication(loaded, loaded.seed, 0, trace=True)
    assert [name for name in rep.outcomes if not is_declared(name)] == []
    assert all(isinstance(e.kind, Kind) for e in rep.trace.events)


def test_declarations_carry_words_units_and_when_undefined() -> None:
    killed = describe("killed_due_to_delay")
    assert (killed.kind, killed.axis_label()) == ("harm", "killed due to delay (people)")
    assert "nobody called" in killed.undefined
    late = describe("late_27")
    assert late.is_flag and late.label == "P(message not through within 27 min of the first call)"
    assert describe("time_to_message").axis_label() == "time from first call to message through (min)"


def _bars(figure) -> dict[str, int]:  # type: ignore[no-untyped-def]
    """Bars drawn on the timeline, by legend label."""
    counts: dict[str, int] = {}
    for collection in figure.axes[0].collections:
        if isinstance(collection, PolyCollection) and not collection.get_label().startswith("_"):
            counts[collection.get_label()] = counts.get(collection.get_label(), 0) + 1
    return counts


def test_the_timeline_draws_a_bar_for_every_state_in_the_trace(tmp_path: Path) -> None:
    rep = replicate(trace=True, language__misunderstood_first_attempts=1)
    # Dial 12, officer 12-13 (misunderstood), redial 16, officer 16-17, on hold 17-30, POC away 0-30.
    bars = _bars(plot_timeline(rep.trace.events, rep.outcomes, scenario(), tmp_path / "t.png"))
    assert bars == {"strike window": 1, "talking to the duty officer": 4, "on hold for a POC": 1, "POC away": 1}
    # four officer bars: two on the caller's row, two on the duty officer's


def test_the_timeline_draws_each_party_and_each_absent_poc(tmp_path: Path) -> None:
    case = scenario(detection=None, caller=None, desk__duty_officers={"count": 0},
                    callers=[{"name": "HQ", "detection": {"delay": 2}},
                             {"name": "liaison", "detection": {"delay": 3}}],
                    desk__pocs=[{"name": "designated POC", "availability": {"away": [{"start": 0, "end": 30}]}},
                                {"name": "night POC", "availability": {"away": [{"start": 0, "end": 20}]}}])
    rep = run_replication(case, seed=1, trace=True)
    figure = plot_timeline(rep.trace.events, rep.outcomes, case, tmp_path / "t.png")
    rows = [tick.get_text() for tick in figure.axes[0].get_yticklabels()]
    assert rows == ["Strike", "HQ", "Liaison", "designated POC", "night POC"]
    assert _bars(figure)["POC away"] == 2 and _bars(figure)["on hold for a POC"] == 2
