"""The cross-incident study: the same budget and what-ifs for every replay, checked against the replays."""

from __future__ import annotations

from pathlib import Path

import pytest

from hand_case import SCENARIOS
from sim.cli import main
from sim.experiment.incidents import BUDGET_GROUPS, WHAT_IFS, IncidentRow, budget_table, study_incidents, \
    what_if_table
from sim.model.world import run_replication
from sim.results.incident_plots import plot_budgets
from sim.scenario.loader import load_scenario


@pytest.fixture(scope="module")
def rows() -> dict[str, IncidentRow]:
    return {row.scenario: row for row in study_incidents(SCENARIOS)}


def _group(name: str) -> tuple[str, ...]:
    return dict(BUDGET_GROUPS)[name]


def test_the_budget_reads_each_incident_s_own_figures(rows: dict[str, IncidentRow]) -> None:
    dez, kunduz, salala = rows["deir_ez_zor_2016"], rows["kunduz_2015"], rows["salala_2011"]
    # Deir ez-Zor: detection 30.55 min; the failed first call (1 min with the duty officer) and the
    # redial 3 min later = reaching someone 4; holding 22; relay 1.
    assert dez.minutes(_group("detection")) == pytest.approx(30.55)
    assert dez.minutes(_group("reaching someone")) == pytest.approx(4)
    assert dez.minutes(_group("holding")) == pytest.approx(22)
    assert dez.minutes(_group("relay and verification")) == pytest.approx(1)
    # Kunduz: 11 to detect, 1 with the officer, 17 of verification; Salala: 73 of verification.
    assert kunduz.minutes(_group("detection")) == pytest.approx(11)
    assert kunduz.minutes(_group("being understood")) == pytest.approx(1)
    assert kunduz.minutes(_group("relay and verification")) == pytest.approx(17)
    assert salala.minutes(_group("relay and verification")) == pytest.approx(73)
    # Every release that fell up to the stop is charged to exactly one part.
    for row in (dez, kunduz, salala):
        charged = sum(row.charged("releases", group) for _, group in BUDGET_GROUPS)
        assert charged == row.outcomes["releases_total"]
    assert not rows["il20_2018"].called
    table = budget_table(list(rows.values()))
    assert "| Il-20 2018 | - | - | - | - | - | - | 4 |" in table


def test_what_ifs_match_the_replays_and_their_variants(rows: dict[str, IncidentRow]) -> None:
    dez = rows["deir_ez_zor_2016"]
    # Duty officer passes at once: 12 releases saved (README), each killing 62/37.
    assert dez.saved["pass_at_once"] == pytest.approx((12, 12 * 62 / 37), abs=1e-4)
    second = load_scenario(SCENARIOS / "deir_ez_zor_2016_second_poc.yaml")
    killed = run_replication(second, second.seed).outcomes["killed_total"]
    assert dez.saved["second_poc"][1] == pytest.approx(62 - killed)
    assert dez.saved["correct_location"] == pytest.approx((37, 62))    # the check catches it: strike held
    assert rows["kunduz_2015"].saved["dissemination"] == pytest.approx((211, 42), abs=1e-4)
    assert rows["kunduz_2015"].saved["correct_location"] == (0, 0)     # the notice was right already
    assert rows["salala_2011"].saved["correct_location"] == pytest.approx((3, 24))
    # Not applicable: no routine traffic to overtake anywhere; nobody called in the Il-20 replay.
    assert all(row.saved["urgent_first"] is None for row in rows.values())
    assert rows["il20_2018"].saved["second_poc"] is None and rows["il20_2018"].saved["pass_at_once"] is None
    assert rows["deir_ez_zor_2016"].saved["dissemination"] is None
    table = what_if_table(list(rows.values()))
    assert all(f"**{w.label}**" in table for w in WHAT_IFS)


def test_the_figure_stacks_one_bar_per_part_for_each_incident_that_called(rows: dict[str, IncidentRow],
                                                                           tmp_path: Path) -> None:
    figure = plot_budgets(list(rows.values()), tmp_path / "budget.png")
    called = sum(row.called for row in rows.values())
    assert len(figure.axes[0].patches) == called * len(BUDGET_GROUPS)
    assert (tmp_path / "budget.png").is_file()


def test_hotline_study_incidents_writes_the_tables_and_the_figure(tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["study", "incidents", "--out", str(tmp_path)]) == 0
    folder = tmp_path / "incidents"
    assert sorted(p.name for p in folder.iterdir()) == ["budget.md", "budget.png", "what_ifs.md"]
    assert "| Kunduz 2015 (US account) | 11.0 min" in (folder / "budget.md").read_text()
    assert "Assumptions:" in (folder / "what_ifs.md").read_text()
