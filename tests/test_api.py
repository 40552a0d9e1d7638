"""The Python API: the README's notebook session, and the API giving the command line's numbers."""

from __future__ import annotations

import json
import math
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

import sim
from sim.results.store import StoreError
from sim.cli import main
from sim.scenario.loader import ScenarioError

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"


def readme_session() -> str:
    text = (ROOT / "README.md").read_text()
    section = text[text.index("## In a notebook: the Python API"):]
    return re.search(r"```python\n(.*?)```", section, re.S).group(1)  # type: ignore[union-attr]


def test_the_readme_notebook_session_runs_and_gives_the_sourced_numbers(tmp_path: Path, monkeypatch,
                                                                          capsys) -> None:
    monkeypatch.chdir(tmp_path)
    session = readme_session()
    assert len(session.strip().splitlines()) == 10
    names: dict = {}
    exec(compile(session, "README.md", "exec"), names)
    assert capsys.readouterr().out.splitlines()[0] == "27.0 37"  # the sourced afternoon: 27 min, 37 releases
    assert len(names["reps"]) == 200 and names["reps"]["killed_due_to_delay"].notna().any()
    # The check catches the conflict exactly when the location error is within the check radius.
    caught = names["caught"]
    expected = (caught["notification.error.distance_km"] <= caught["notification.check_radius_km"]).astype(float)
    assert len(caught) == 11 * 5
    assert (caught["estimate"].to_numpy() == expected.to_numpy()).all()
    assert (tmp_path / "location_error.parquet").is_file()
    assert (tmp_path / "location_error.dictionary.csv").is_file()
    assert names["heatmap"].axes  # a drawn figure


def test_a_dict_a_file_and_a_shipped_name_load_the_same_scenario() -> None:
    by_name = sim.load("deir_ez_zor_2016")
    by_file = sim.load(SCENARIOS / "deir_ez_zor_2016.yaml")
    by_dict = sim.load(by_file.data)
    assert by_name.fingerprint == by_file.fingerprint == by_dict.fingerprint
    assert sim.simulate(by_dict).outcomes == sim.simulate(by_name).outcomes


def test_overrides_mean_what_set_means_on_the_command_line(tmp_path: Path) -> None:
    settings = ["caller.policy=pass_to_duty_officer", "desk.duty_officers.relay_delay=2"]
    assert main(["run", "--out", str(tmp_path), *(a for s in settings for a in ("--set", s))]) == 0
    cli = json.loads((tmp_path / "summary.json").read_text())["outcomes"]
    as_text = sim.simulate(sim.load("deir_ez_zor_2016", *settings)).outcomes
    as_mapping = sim.simulate(sim.load("deir_ez_zor_2016").override(
        {"caller.policy": "pass_to_duty_officer", "desk.duty_officers.relay_delay": 2})).outcomes
    assert as_text == as_mapping
    assert as_text["releases_total"] == cli["releases_total"] == 25  # the duty-officer what-if of the README
    assert as_text["killed_total"] == pytest.approx(cli["killed_total"], abs=1e-6)


def test_a_bad_override_raises_the_command_lines_message() -> None:
    with pytest.raises(ScenarioError) as error:
        sim.load("deir_ez_zor_2016", "desk.pocs.count=-1")
    assert str(error.value).startswith("--set desk.pocs.count=-1: ")


def test_replications_give_the_command_lines_rows_and_textbook_intervals(tmp_path: Path) -> None:
    stochastic = sim.load("deir_ez_zor_2016_stochastic")
    reps = sim.replicate(stochastic, 60, workers=1, out=tmp_path / "api")
    assert main(["run", str(SCENARIOS / "deir_ez_zor_2016_stochastic.yaml"), "-n", "60", "--workers", "2",
                 "--out", str(tmp_path / "cli")]) == 0
    cli = sim.open_results(tmp_path / "cli")
    pd.testing.assert_frame_equal(reps.replications, cli.replications)
    killed = reps.replications["killed_due_to_delay"].dropna().to_numpy()
    row = reps.summary.set_index("outcome").loc["killed_due_to_delay"]
    half = stats.t.ppf(0.975, killed.size - 1) * killed.std(ddof=1) / math.sqrt(killed.size)
    assert row["estimate"] == pytest.approx(killed.mean())
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((killed.mean() - half, killed.mean() + half))
    assert row["unit"] == "people" and row["n"] + row["missing"] == 60


def test_a_sweeps_effects_are_paired_differences_of_its_rows(tmp_path: Path) -> None:
    file = tmp_path / "pocs.yaml"
    file.write_text(f"name: pocs\nbase: {SCENARIOS / 'deir_ez_zor_2016_stochastic.yaml'}\nreplications: 40\n"
                    "factors: [{path: desk.pocs.count, values: [1, 2]}]\nbaseline: {desk.pocs.count: 1}\n")
    results = sim.sweep(file, workers=1, plots=False)
    rows = results.replications.pivot(index="replication", columns="desk.pocs.count", values="time_to_message")
    differences = (rows[2] - rows[1]).dropna().to_numpy()
    effect = results.summary.query("outcome == 'time_to_message' and point == 1").iloc[0]
    half = stats.t.ppf(0.975, differences.size - 1) * differences.std(ddof=1) / np.sqrt(differences.size)
    assert effect["effect"] == pytest.approx(differences.mean())
    assert effect["effect_ci_high"] - effect["effect_ci_low"] == pytest.approx(2 * half)
    assert (results.folder / "sweep.yaml").read_text() == file.read_text()  # the report reads its comments


def test_a_temporary_results_folder_goes_with_its_results() -> None:
    reps = sim.replicate(sim.load("deir_ez_zor_2016_stochastic"), 2, workers=1, plots=False)
    folder = reps.folder
    assert (folder / "results.sqlite").is_file()
    del reps
    assert not folder.exists()


def test_a_folder_without_results_is_refused_in_words(tmp_path: Path) -> None:
    with pytest.raises(StoreError, match="no results database"):
        sim.open_results(tmp_path)


def test_every_public_name_is_there_and_typed() -> None:
    for name in sim.__all__:
        assert getattr(sim, name) is not None
    assert sim.simulate.__annotations__["return"] == "Run"


def test_the_model_does_not_pay_for_the_api() -> None:
    """Workers import the model, not pandas; only the command line and notebooks import the API."""
    code = "import sys, sim.run.replications; print('pandas' in sys.modules, 'sim.api' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]
    below = [p for p in (ROOT / "sim").rglob("*.py")
             if p.parent.name != "cli" and p.name not in ("api.py", "__init__.py") and "sim.api" in p.read_text()]
    assert below == []
