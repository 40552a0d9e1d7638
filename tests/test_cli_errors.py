"""Malformed scenarios through the CLI: one clear message, status 2, nothing written."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli import main

GOOD = """\
name: test
clock_origin: "15:00"
sites: [{name: camp, radius_km: 1}]
strike:
  start: "15:55"
  releases: {pattern: even, count: 37, window: "61 min"}
  abort_latency: "3 min"
detection: {delay: "30 min"}
desk:
  pocs: {count: 1}
"""

CASES = [
    ("count: 37", "count: -3", "s.yaml:6: strike.releases.count: expected a positive integer, got -3"),
    ("count: 37", "count: many", "s.yaml:6: strike.releases.count: expected a whole number, got many"),
    ("detection:", "detecton:", "s.yaml:8: unknown key 'detecton'; did you mean 'detection'?"),
    ('delay: "30 min"', "delay: {dist: normal, mean: 3}",
     "s.yaml:8: detection.delay: unknown distribution 'normal'"),
    ('delay: "30 min"', "delay: {dist: uniform, low: 9, high: 1}",
     "s.yaml:8: detection.delay: uniform needs low <= high"),
    ('abort_latency: "3 min"', 'abort_latency: "3 parsecs"',
     "s.yaml:7: strike.abort_latency: unknown time unit 'parsecs'"),
    ('clock_origin: "15:00"\n', "", "strike.start: clock time '15:55' needs a clock_origin"),
    ("pocs: {count: 1}", "pocs: {count: 1, availability: {away: [{start: 5, end: 2}]}}",
     "desk.pocs.availability.away[0]: an away interval must end after it starts "
     '(write "08:00+1d" for the next day)'),
    ("desk:", "caller: {policy: escalate_after}\ndesk:",
     "caller: policy 'escalate_after' needs escalate_after"),
    ("name: test", "name: test\nname: again", "duplicate key 'name'"),
    ("sites: [{name: camp, radius_km: 1}]", "sites: {name: camp}", "sites: expected a list"),
    ("name: test", "name: !!python/object/apply:os.system [echo]", "is not allowed"),
    ("window: \"61 min\"}", "window: \"61 min\"", "YAML syntax error"),
    ("detection: {delay: \"30 min\"}\n", "", "a strike needs detection or notification"),
]


@pytest.mark.parametrize("old, new, message", CASES)
def test_malformed_file_is_refused_cleanly(tmp_path: Path, monkeypatch, capsys,
                                            old: str, new: str, message: str) -> None:
    assert old in GOOD
    (tmp_path / "s.yaml").write_text(GOOD.replace(old, new, 1))
    monkeypatch.chdir(tmp_path)
    assert main(["run", "s.yaml"]) == 2
    err = capsys.readouterr().err
    assert message in err
    assert "Traceback" not in err
    assert not (tmp_path / "results").exists()
    assert main(["check", "s.yaml"]) == 2


def test_good_file_checks(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "s.yaml").write_text(GOOD)
    monkeypatch.chdir(tmp_path)
    assert main(["check", "s.yaml"]) == 0
    assert "s.yaml: ok (test)" in capsys.readouterr().out


def test_bad_override_and_missing_file(tmp_path: Path, monkeypatch, capsys) -> None:
    (tmp_path / "s.yaml").write_text(GOOD)
    monkeypatch.chdir(tmp_path)
    assert main(["run", "s.yaml", "--set", "caller.policy=xyz"]) == 2
    assert "--set caller.policy=xyz: caller.policy: expected one of" in capsys.readouterr().err
    assert main(["run", "nowhere.yaml"]) == 2
    assert "nowhere.yaml: no such file" in capsys.readouterr().err
    assert not (tmp_path / "results").exists()


def test_schema_command_prints_json_schema(capsys) -> None:
    assert main(["schema"]) == 0
    assert '"title": "hotline-sim scenario"' in capsys.readouterr().out
