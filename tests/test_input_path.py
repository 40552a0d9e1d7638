"""One input path: sweep files read by the scenario loader, shipped names everywhere, schemas, check, list."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

from refusal import refused
from sim.cli import main
from sim.cli.study import shipped_sweeps
from sim.experiment.plan import plan_sweep
from sim.scenario.loader import ScenarioError, load_scenario, scenario_json_schema
from sim.scenario.sweep_spec import sweep_json_schema

ROOT = Path(__file__).resolve().parent.parent
SWEEPS = ROOT / "scenarios" / "sweeps"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text)
    return path


SWEEP = """\
name: tiny
base: deir_ez_zor_2016_stochastic
replications: 3
factors:
  - path: desk.pocs.count
    values: [1, 2]
"""


def test_sweep_set_reads_clock_times_as_the_scenario_loader_does(tmp_path: Path) -> None:
    # YAML 1.1 would read 16:10 unquoted as 970 (base 60): 970 minutes after the origin.
    path = write(tmp_path, "s.yaml", SWEEP + "set: {strike.start: 16:10}\n")
    plan = plan_sweep(path)
    assert plan.base["strike"]["start"] == "16:10"
    stochastic = load_scenario(ROOT / "scenarios" / "deir_ez_zor_2016_stochastic.yaml", ["strike.start=16:10"])
    assert plan.scenarios[0]["strike"]["start"] == "16:10" and stochastic.strike is not None
    assert stochastic.strike.start == 130.0  # 16:10 is 130 min after the 14:00 origin


def test_a_misspelt_factor_path_is_one_message_with_a_hint(tmp_path: Path,
                                                             capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "s.yaml", SWEEP.replace("desk.pocs.count", "desk.pocs.cuont"))
    assert refused(capsys, "sweep", str(path), "--out", str(tmp_path / "out")) == [
        f"{path}:5: factor desk.pocs.cuont: desk.pocs: unknown key 'cuont'; did you mean 'count'?"]


def test_a_range_on_a_text_factor_is_one_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "s.yaml", SWEEP.replace("values: [1, 2]", "values: [1, 2]\n  - path: caller.policy\n"
                                                                     "    range: [0, 1]\n    count: 5"))
    assert refused(capsys, "sweep", str(path), "--out", str(tmp_path / "out")) == [
        f"{path}:8: factor caller.policy=0.0: caller.policy: expected one of 'wait_for_poc', "
        "'pass_to_duty_officer', 'escalate_after', got 0.0"]


def test_sweep_errors_have_lines_and_plain_words(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "s.yaml", SWEEP.replace("replications: 3", "replications: [3]") +
                 "design: {kind: latin_hypercub}\nplots:\n  - {kind: line, outcome: killed_total, x: desk.pocs.count,"
                 " colour: red}\n")
    assert refused(capsys, "sweep", str(path), "--out", str(tmp_path / "out")) == [
        f"{path}:3: replications: expected a whole number, got [3]",
        f"{path}:7: design: unknown kind 'latin_hypercub'; expected one of grid, latin_hypercube",
        f"{path}:9: plots[0]: unknown key 'colour'"]


def test_a_misspelt_required_key_is_one_message(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "s.yaml", SWEEP.replace("values:", "vaules:") +
                 "design: {kind: latin_hypercube, point: 4}\nplots:\n  - {kind: heatmap, outcome: killed_total, x: a}\n")
    assert refused(capsys, "check", str(path)) == [
        f"{path}:6: factors[0]: unknown key 'vaules'; did you mean 'values'?",
        f"{path}:7: design: unknown key 'point'; did you mean 'points'?",
        f"{path}:9: plots[0].y: missing required key"]


def test_a_bad_set_value_and_a_bad_factor_value_name_their_lines(tmp_path: Path,
                                                                   capsys: pytest.CaptureFixture[str]) -> None:
    path = write(tmp_path, "s.yaml", SWEEP.replace("values: [1, 2]", "values: [1, -2]") +
                 "set:\n  language.misunderstanding_probability: 1.5\n")
    assert refused(capsys, "sweep", str(path), "--out", str(tmp_path / "out")) == [
        f"{path}:8: set language.misunderstanding_probability: language.misunderstanding_probability: "
        "expected a number of at most 1, got 1.5"]
    path.write_text(SWEEP.replace("values: [1, 2]", "values:\n      - 1\n      - -2\n"))
    assert refused(capsys, "sweep", str(path), "--out", str(tmp_path / "out")) == [
        f"{path}:8: factor desk.pocs.count=-2: desk.pocs.count: expected a non-negative integer, got -2"]


def test_base_and_extends_accept_shipped_names(tmp_path: Path) -> None:
    child = write(tmp_path, "child.yaml", "extends: deir_ez_zor_2016\nname: child\ncaller:\n"
                                          "  policy: pass_to_duty_officer\n")
    assert load_scenario(child).caller.policy == "pass_to_duty_officer"
    assert len(plan_sweep(write(tmp_path, "s.yaml", SWEEP)).points) == 2


def test_an_error_reached_through_extends_names_the_file_it_came_from(tmp_path: Path) -> None:
    write(tmp_path, "parent.yaml", "extends: deir_ez_zor_2016\nname: parent\ncaller:\n  policy: escalate_after\n"
                                   "  escalate_after: 5\n")
    child = write(tmp_path, "child.yaml", "extends: parent.yaml\nname: child\ncaller:\n"
                                          "  escalate_after: null\n")
    with pytest.raises(ScenarioError) as error:
        load_scenario(child)
    assert error.value.messages == [f"{child}:3: caller: policy 'escalate_after' needs escalate_after (a duration)"]
    write(tmp_path, "grand.yaml", "extends: child.yaml\nname: grand\ndesk:\n  pocs:\n    count: 2\n")
    write(tmp_path, "child.yaml", "extends: parent.yaml\nname: child\ndesk:\n  duty_officers: {count: 0}\n")
    grand = load_scenario(tmp_path / "grand.yaml", ["caller.policy=pass_to_duty_officer"])
    assert grand.desk.duty_officers.count == 0 and grand.desk.poc_count == 2
    with pytest.raises(ScenarioError) as error:
        load_scenario(tmp_path / "grand.yaml", ["desk.relay_delay=-1"])
    assert error.value.messages == ["--set desk.relay_delay=-1: desk.relay_delay: a duration cannot be negative, "
                                    "got -1"]


def test_a_value_inherited_from_the_parent_is_reported_at_the_parents_line(tmp_path: Path) -> None:
    parent = write(tmp_path, "parent.yaml", 'extends: deir_ez_zor_2016\nname: parent\nstrike:\n  start: "15:00"\n')
    child = write(tmp_path, "child.yaml", 'extends: parent.yaml\nname: child\nclock_origin: "15:30"\n')
    with pytest.raises(ScenarioError) as error:
        load_scenario(child)
    assert error.value.messages[0] == (f"{parent}:4: strike.start: 15:00:00 is before the clock origin 15:30:00; "
                                       'a time on the next day is written "15:00+1d"')


def test_schema_sweep_prints_a_schema_every_shipped_sweep_satisfies(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "--sweep"]) == 0
    schema = json.loads(capsys.readouterr().out)
    assert schema == sweep_json_schema() and schema["title"] == "hotline-sim sweep"
    for name in shipped_sweeps():
        jsonschema.validate(yaml.safe_load((SWEEPS / f"{name}.yaml").read_text()), schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate({"name": "x", "base": "y", "replications": 2, "factors": [{"path": "a", "value": 1}]},
                            schema)


def fields_without_description(schema: dict[str, Any]) -> list[str]:
    """Fields an editor shows no help for: no description of their own, nor of the section they name."""
    defs = schema.get("$defs", {})

    def described(field: dict[str, Any]) -> bool:
        ref = field.get("$ref", "").removeprefix("#/$defs/")
        return "description" in field or "description" in defs.get(ref, {})

    missing = [f"{name}.{key}" for name, model in defs.items()
               for key, field in model.get("properties", {}).items() if not described(field)]
    return missing + [key for key, field in schema.get("properties", {}).items() if not described(field)]


def test_every_sweep_field_has_a_description() -> None:
    assert fields_without_description(sweep_json_schema()) == []


def test_every_scenario_field_has_a_description() -> None:
    assert fields_without_description(scenario_json_schema()) == []


def test_check_accepts_sweeps_and_scenarios_by_name(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["check", "screening", "deir_ez_zor_2016"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{SWEEPS / 'screening.yaml'}: ok (sweep screening: 61 points x 200 replications)",
                   f"{ROOT / 'scenarios' / 'deir_ez_zor_2016.yaml'}: ok (Deir ez-Zor air raid, 17 September 2016 "
                   "(replay))"]
    bad = write(tmp_path, "s.yaml", SWEEP.replace("replications: 3", "replications: 1"))
    assert refused(capsys, "check", str(bad)) == [f"{bad}:3: replications: expected an integer of at least 2, got 1"]


def test_list_shows_the_shipped_scenarios_and_sweeps(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    names = [line.split()[0] for line in lines if line.startswith("  ")]
    assert names == ["deir_ez_zor_2016", "deir_ez_zor_2016_duty_officer", "deir_ez_zor_2016_second_poc",
                     "deir_ez_zor_2016_stochastic", "il20_2018", "kunduz_2015", "kunduz_2015_msf_account",
                     "salala_2011", "salala_2011_pakistani_account", "sarmada_2017", "mmc_abandon_example", "mmc_example",
                     "location_error", "screening", "staffing"]
    assert [line for line in lines if line.endswith(":")] == ["scenarios:", "validation cases:", "sweeps:"]
    assert main(["list", "--outcomes"]) == 0
    outcomes = capsys.readouterr().out.splitlines()
    assert any(line.split()[0] == "killed_due_to_delay" for line in outcomes)
    assert any(line.split()[0] == "late_<minutes>" for line in outcomes)
