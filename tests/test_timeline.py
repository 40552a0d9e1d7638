"""The replay timeline draws for the Deir ez-Zor replay and its variants.

Each variant takes away or changes a piece of the picture (no hold, no
notice, no releases at all) that the plot has to cope with.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any, Callable

import pytest
import yaml

from sim.model.world import Replication, run_replication
from sim.results.timeline import plot_timeline
from sim.scenario.schema import Scenario

DEIR = Path(__file__).resolve().parent.parent / "scenarios" / "deir_ez_zor_2016.yaml"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def replay(change: Callable[[dict[str, Any]], None] = lambda data: None) -> tuple[Scenario, Replication]:
    data = copy.deepcopy(yaml.safe_load(DEIR.read_text()))
    change(data)
    scenario = Scenario.from_data(data)
    return scenario, run_replication(scenario, scenario.seed, 0, trace=True)


def pass_to_duty_officer(data: dict[str, Any]) -> None:
    data["caller"]["policy"] = "pass_to_duty_officer"


def without_notification(data: dict[str, Any]) -> None:
    data.pop("notification")


def notice_caught(data: dict[str, Any]) -> None:
    data["notification"]["check_radius_km"] = 20


def draw(scenario: Scenario, replication: Replication, path: Path) -> bytes:
    plot_timeline(replication.trace.events, replication.outcomes, scenario, path)
    assert path.exists()
    return path.read_bytes()


@pytest.mark.parametrize("change", [lambda data: None, pass_to_duty_officer, without_notification],
                         ids=["deir", "pass_to_duty_officer", "no_notification"])
def test_writes_png(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> None:
    scenario, replication = replay(change)
    assert replication.outcomes["releases_total"] > 0
    content = draw(scenario, replication, tmp_path / "timeline.png")
    assert content.startswith(PNG_MAGIC) and len(content) > 10_000


def test_held_strike(tmp_path: Path) -> None:
    scenario, replication = replay(notice_caught)
    assert replication.outcomes["strike_held"] == 1
    assert replication.outcomes["releases_total"] == 0
    assert not [e for e in replication.trace.events if e.kind == "release"]
    assert draw(scenario, replication, tmp_path / "held.png").startswith(PNG_MAGIC)


def test_svg_path_gives_svg(tmp_path: Path) -> None:
    scenario, replication = replay()
    content = draw(scenario, replication, tmp_path / "timeline.svg")
    assert b"<svg" in content[:1000]
    assert not (tmp_path / "timeline.png").exists()


def test_empty_trace(tmp_path: Path) -> None:
    scenario, _ = replay()
    plot_timeline([], {}, scenario, tmp_path / "empty.png")
    assert (tmp_path / "empty.png").read_bytes().startswith(PNG_MAGIC)
