"""Scenario files in, a Scenario or exact, located error messages out."""

from __future__ import annotations

import pickle
from pathlib import Path

import jsonschema
import pytest

from sim.scenario.loader import (
    ScenarioError,
    apply_overrides,
    load_scenario,
    scenario_from_data,
    scenario_json_schema,
)
from sim.scenario.yaml_lines import parse_yaml

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"

BASE = """\
name: test
clock_origin: "15:00"
sites: [{name: camp, x_km: 0, y_km: 0, radius_km: 1}]
strike:
  start: "15:55"
  releases: {pattern: even, count: 37, window: "61 min"}
  abort_latency: "3 min"
  harm: {killed: 1.5, wounded: 2.5}
detection: {delay: "30 min"}
desk:
  pocs: {count: 1, availability: {away: [{start: "15:30", end: "16:52"}]}}
"""


@pytest.fixture(autouse=True)
def _in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)  # messages name the file as given: "s.yaml"


def edited(old: str, new: str) -> str:
    assert old in BASE, old
    return BASE.replace(old, new)


def errors(text: str, overrides: tuple[str, ...] = ()) -> list[str]:
    Path("s.yaml").write_text(text)
    with pytest.raises(ScenarioError) as caught:
        load_scenario("s.yaml", overrides)
    assert str(caught.value) == "\n".join(caught.value.messages)
    return caught.value.messages


MALFORMED = {
    "negative count": (
        edited("count: 37", "count: -3"),
        ["s.yaml:6: strike.releases.count: expected a positive integer, got -3"]),
    "wrong type": (
        edited("count: 37", "count: lots"),
        ["s.yaml:6: strike.releases.count: expected a whole number, got lots"]),
    "fraction where a whole number is needed": (
        edited("count: 1, avail", "count: 1.5, avail"),
        ["s.yaml:11: desk.pocs.count: expected a whole number, got 1.5"]),
    "unknown key with a close match": (
        edited("detection:", "detecton:"),
        ["s.yaml:9: unknown key 'detecton'; did you mean 'detection'?"]),
    "unknown nested key": (
        edited("count: 37", "cont: 37"),
        ["s.yaml:6: strike.releases: unknown key 'cont'; did you mean 'count'?"]),
    "unknown top-level key, nothing close": (
        BASE + "flavour: mint\n",
        ["s.yaml:12: unknown key 'flavour'"]),
    "unknown distribution": (
        edited('delay: "30 min"', "delay: {dist: normal, mean: 30}"),
        [("s.yaml:9: detection.delay: unknown distribution 'normal'; expected one of fixed, exponential, "
         "lognormal, uniform, triangular, gamma, weibull, empirical")]),
    "uniform with low above high": (
        edited('delay: "30 min"', 'delay: {dist: uniform, low: "40 min", high: 20}'),
        ["s.yaml:9: detection.delay: uniform needs low <= high, got low=40.0, high=20.0"]),
    "misspelt distribution parameter": (
        edited('delay: "30 min"', "delay: {dist: uniform, lo: 1, high: 20}"),
        ["s.yaml:9: detection.delay: unknown key 'lo'; did you mean 'low'?"]),  # one mistake, one message
    "clock times without clock_origin": (
        edited('clock_origin: "15:00"\n', ""),
        ["s.yaml:4: strike.start: clock time '15:55' needs a clock_origin at the top of the file",
         ("s.yaml:10: desk.pocs.availability.away[0].start: clock time '15:30' needs a clock_origin "
         "at the top of the file"),
         ("s.yaml:10: desk.pocs.availability.away[0].end: clock time '16:52' needs a clock_origin "
         "at the top of the file")]),
    "bad duration unit": (
        edited('abort_latency: "3 min"', 'abort_latency: "5 parsecs"'),
        ["s.yaml:7: strike.abort_latency: unknown time unit 'parsecs' in '5 parsecs'; use s, min, h or d"]),
    "YAML syntax error": (
        edited("releases: {pattern: even", "releases: {pattern: [even"),
        ["s.yaml:6: YAML syntax error: expected ',' or ']', but got '}'"]),
    "python object tag": (
        edited("name: test", 'name: !!python/object/apply:os.system ["touch pwned"]'),
        [("s.yaml:1: tag !!python/object/apply:os.system is not allowed: scenario files are read with "
         "safe YAML loading and hold plain data only (numbers, text, lists and mappings)")]),
    "escalate_after policy without a limit": (
        BASE + "caller: {policy: escalate_after}\n",
        ["s.yaml:12: caller: policy 'escalate_after' needs escalate_after (a duration)"]),
    "policy that does not exist": (
        BASE + "caller:\n  policy: hang_up\n",
        [("s.yaml:13: caller.policy: expected one of 'wait_for_poc', 'pass_to_duty_officer', "
         "'escalate_after', got hang_up")]),
    "missing strike.start": (
        edited('  start: "15:55"\n', ""),
        ["s.yaml:4: strike.start: missing required key"]),
    "empty file": (
        "# nothing here yet\n",
        ["s.yaml: the file is empty; expected a scenario, a mapping of sections (name:, strike:, desk:, ...)"]),
    "list at the top": (
        "- name: a\n- name: b\n",
        ["s.yaml:1: expected a scenario, a mapping of sections (name:, strike:, desk:, ...), got a list"]),
    "mapping where a list is expected": (
        edited("sites: [{name: camp, x_km: 0, y_km: 0, radius_km: 1}]", "sites: {name: camp}"),
        ["s.yaml:3: sites: expected a list, got {name: camp}"]),
    "list where a mapping is expected": (
        edited('detection: {delay: "30 min"}', "detection: [30]"),
        ["s.yaml:9: detection: expected a mapping, got [30]"]),
    "away interval ending before it starts": (
        edited('end: "16:52"', 'end: "15:10"'),
        ["s.yaml:11: desk.pocs.availability.away[0]: an away interval must end after it starts "
         '(write "08:00+1d" for the next day)']),
    "probability above one": (
        BASE + "language:\n  misunderstanding_probability: 1.5\n",
        ["s.yaml:13: language.misunderstanding_probability: expected a number of at most 1, got 1.5"]),
    "duplicate key": (
        BASE + "name: again\n",
        ["s.yaml:12: duplicate key 'name'"]),
}


@pytest.mark.parametrize("text, expected", MALFORMED.values(), ids=MALFORMED.keys())
def test_malformed_file_gives_exact_messages(text: str, expected: list[str]) -> None:
    assert errors(text) == expected


def test_python_tags_are_never_executed(tmp_path: Path) -> None:
    errors(edited("name: test", 'name: !!python/object/apply:os.system ["touch pwned"]'))
    assert not (tmp_path / "pwned").exists()


def test_every_error_is_reported_sorted_by_line() -> None:
    text = BASE.replace("count: 37", "count: -3").replace("detection:", "detecton:") + "seed: -1\n"
    assert errors(text) == [
        "s.yaml:6: strike.releases.count: expected a positive integer, got -3",
        "s.yaml:9: unknown key 'detecton'; did you mean 'detection'?",
        "s.yaml:12: seed: expected a non-negative integer, got -1",
    ]


@pytest.mark.parametrize("override, expected", [
    ("caller.policy=xyz",
     ("--set caller.policy=xyz: caller.policy: expected one of 'wait_for_poc', 'pass_to_duty_officer', "
     "'escalate_after', got xyz")),
    ("strike.releases.count=0", "--set strike.releases.count=0: strike.releases.count: expected a positive integer, got 0"),
    ("strike.releases.cont=3", "--set strike.releases.cont=3: strike.releases: unknown key 'cont'; did you mean 'count'?"),
    ("caller.policy", "--set caller.policy: expected PATH=VALUE"),
    ("=3", "--set =3: expected PATH=VALUE"),
    ("sites[3].radius_km=2", "--set sites[3].radius_km=2: sites has 1 item, so no [3]"),
    ("name.first=x", "--set name.first=x: name is test, not a mapping"),
    ("desk.pocs.count=[1", "--set desk.pocs.count=[1: YAML syntax error: expected ',' or ']', but got '<stream end>'"),
])
def test_bad_override(override: str, expected: str) -> None:
    assert errors(BASE, (override,)) == [expected]


def test_override_that_creates_a_section_owns_its_missing_keys() -> None:
    override = "notification.error.distance_km={dist: uniform, low: 0, high: 15}"
    assert errors(BASE, (override,)) == [
        f"--set {override}: notification.lead_time: missing required key",
        f"--set {override}: notification.check_radius_km: missing required key",
    ]


def test_valid_file_loads_with_units_and_clock_times() -> None:
    Path("s.yaml").write_text(BASE + 'caller: {redial_delay: "90 s", escalate_after: "1.5 h"}\n')
    scenario = load_scenario("s.yaml")
    assert scenario.name == "test"
    assert scenario.strike is not None
    assert scenario.strike.start == 55.0                   # 15:55 with the clock origin at 15:00
    assert scenario.strike.releases.window == 61.0
    assert scenario.strike.abort_latency.mean_value == 3.0
    assert scenario.caller.redial_delay.mean_value == 1.5  # "90 s"
    assert scenario.caller.escalate_after == 90.0
    away = scenario.desk.pocs[0].availability.away[0]
    assert (away.start, away.end) == (30.0, 112.0)


def test_unquoted_clock_times_are_clock_times_not_base_60_numbers() -> None:
    Path("s.yaml").write_text(BASE.replace('"15:55"', "15:55"))
    assert load_scenario("s.yaml").strike.start == 55.0  # YAML 1.1 would read 15:55 as 955


def test_overrides_change_values() -> None:
    Path("s.yaml").write_text(BASE)
    scenario = load_scenario("s.yaml", [
        "caller.policy=pass_to_duty_officer", "desk.pocs.count=2", "strike.releases.count=10",
        "sites[0].radius_km=2.5", "sites.0.x_km=3", 'detection.delay="45 min"',
        "detection.delay={dist: uniform, low: 0, high: 15}",
    ])
    assert scenario.caller.policy == "pass_to_duty_officer"
    assert scenario.desk.pocs[0].count == 2
    assert scenario.strike is not None and scenario.strike.releases.count == 10
    assert (scenario.sites[0].radius_km, scenario.sites[0].x_km) == (2.5, 3.0)
    assert scenario.detection is not None and scenario.detection.delay.mean_value == 7.5  # the last one wins


def test_apply_overrides_copies_and_creates_mappings() -> None:
    data = {"desk": {"pocs": {"count": 1}}, "sites": [{"name": "a"}]}
    changed = apply_overrides(data, ["desk.pocs.count=3", "notification.error.distance_km=9", "sites.0.name=b"])
    assert changed == {"desk": {"pocs": {"count": 3}}, "sites": [{"name": "b"}],
                       "notification": {"error": {"distance_km": 9}}}
    assert data == {"desk": {"pocs": {"count": 1}}, "sites": [{"name": "a"}]}


def test_scenario_from_data_names_its_source() -> None:
    data = parse_yaml(BASE.replace("count: 37", "count: -3")).data
    with pytest.raises(ScenarioError) as caught:
        scenario_from_data(data, "sweep.yaml: point 2")
    assert caught.value.messages == ["sweep.yaml: point 2: strike.releases.count: expected a positive integer, got -3"]
    assert pickle.loads(pickle.dumps(caught.value)).messages == caught.value.messages


@pytest.mark.parametrize("name, expected", [
    ("missing.yaml", "missing.yaml: no such file"),
    (".", ".: is a directory, not a scenario file"),
])
def test_unreadable_paths(name: str, expected: str) -> None:
    with pytest.raises(ScenarioError) as caught:
        load_scenario(name)
    assert caught.value.messages == [expected]


def test_shipped_scenarios_load() -> None:
    for path in sorted(SCENARIOS.glob("*.yaml")):
        load_scenario(path)


def test_json_schema_accepts_shipped_scenarios_and_rejects_unknown_keys() -> None:
    schema = scenario_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["title"] == "hotline-sim scenario"
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    examples = [parse_yaml(path.read_text()).data for path in sorted(SCENARIOS.glob("*.yaml"))]
    examples.append(parse_yaml(BASE).data)
    for data in examples:
        assert list(validator.iter_errors(data)) == []
    misspelt = parse_yaml(BASE.replace("detection:", "detecton:")).data
    assert [error.message for error in validator.iter_errors(misspelt)] == [
        "Additional properties are not allowed ('detecton' was unexpected)"]
