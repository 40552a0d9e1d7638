"""Reading back a scenario file's stated sources and assumptions from its comments."""

from __future__ import annotations

from pathlib import Path

from sim.scenario.comments import file_notes, scenario_notes

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"

TEXT = '''# Title line
#
# Assumptions:
#   - harm evenly spread
name: "A # that is no comment"   # the title
description: >
  a folded text # with a hash that is text
  on two lines
# about the strike
strike:
  start: "15:55"
  harm:
    # per release
    killed: 1.5  # 62 / 37
  releases: {pattern: even, count: 3}  # flow mapping
'''


def test_header_inline_and_preceding_comments_with_their_keys(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(TEXT)
    notes = file_notes(path)
    assert notes.header == ("Title line", "", "Assumptions:", "  - harm evenly spread")
    assert notes.keys == (("name", "the title"), ("strike", "about the strike"),
                          ("strike.harm.killed", "per release 62 / 37"),
                          ("strike.releases", "flow mapping"))


def test_a_what_if_brings_the_notes_of_the_file_it_extends() -> None:
    notes = scenario_notes(SCENARIOS / "deir_ez_zor_2016_duty_officer.yaml")
    assert [Path(n.file).name for n in notes] == ["deir_ez_zor_2016_duty_officer.yaml", "deir_ez_zor_2016.yaml"]
    assert any("harm spread evenly over the releases" in line for line in notes[1].header)
    assert ("strike.harm.killed", "62 / 37") in notes[1].keys
