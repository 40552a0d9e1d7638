"""`extends:` lays a what-if over the scenario it starts from."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli import main
from sim.scenario.loader import ScenarioError, load_scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


def test_what_if_changes_only_what_it_states() -> None:
    replay = load_scenario(SCENARIOS / "deir_ez_zor_2016.yaml")
    what_if = load_scenario(SCENARIOS / "deir_ez_zor_2016_duty_officer.yaml")
    assert what_if.caller.policy == "pass_to_duty_officer"
    assert what_if.caller.redial_delay == replay.caller.redial_delay
    assert what_if.strike == replay.strike and what_if.desk == replay.desk
    assert what_if.name != replay.name


def test_nested_mappings_merge_key_by_key(tmp_path: Path) -> None:
    (tmp_path / "child.yaml").write_text(
        f"extends: {SCENARIOS / 'deir_ez_zor_2016.yaml'}\nname: two officers\ndesk:\n  duty_officers:\n"
        "    count: 2\n")
    scenario = load_scenario(tmp_path / "child.yaml")
    assert scenario.desk.duty_officers.count == 2
    assert scenario.desk.duty_officers.relay_delay.mean_value == 2.0  # kept from the replay
    assert scenario.desk.pocs[0].availability.away[0].end == pytest.approx(172.55)


def test_a_list_is_replaced_whole(tmp_path: Path) -> None:
    (tmp_path / "child.yaml").write_text(
        f"extends: {SCENARIOS / 'deir_ez_zor_2016.yaml'}\nname: two POCs\ndesk:\n  pocs:\n    count: 2\n")
    scenario = load_scenario(tmp_path / "child.yaml")
    assert [(g.name, g.count, g.availability.always_present) for g in scenario.desk.pocs] == [("POC", 2, True)]


def test_cycles_and_broken_parents_are_reported(tmp_path: Path, capsys) -> None:
    (tmp_path / "a.yaml").write_text("extends: b.yaml\nname: a\n")
    (tmp_path / "b.yaml").write_text("extends: a.yaml\nname: b\n")
    with pytest.raises(ScenarioError, match="a cycle"):
        load_scenario(tmp_path / "a.yaml")
    (tmp_path / "bad.yaml").write_text("name: bad\nstrike: {start: -3}\n")
    (tmp_path / "child.yaml").write_text("extends: bad.yaml\nname: child\n")
    assert main(["check", str(tmp_path / "child.yaml")]) == 2
    assert "bad.yaml:2: strike" in capsys.readouterr().err
