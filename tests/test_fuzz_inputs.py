"""Property: any mutation of a shipped scenario or sweep gets status 0 or 2, never a traceback.

Hypothesis takes a shipped file and changes one thing a careless or hostile
author might: a value's type or sign, NaN, infinity, a huge number, a
deleted, duplicated or unknown key, or random bytes. The command must then
exit 0 or 2, print no traceback, write nothing when it refuses, and simulate
no more events than the documented limit.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
from pathlib import Path
from typing import Any, Iterator

import pytest
import simpy
import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from sim.cli import main
from sim.scenario.limits import DEFAULT
from sim.scenario.yaml_lines import parse_yaml

ROOT = Path(__file__).resolve().parent.parent / "scenarios"
INCIDENTS = sorted(ROOT.glob("*.yaml"))
CHECKED = sorted((ROOT / "validation").glob("*.yaml")) + sorted((ROOT / "sweeps").glob("*.yaml"))
ODD_VALUES = [float("nan"), float("inf"), -float("inf"), 1e308, -1e308, -1, 0, 10**12, -(10**12), 2**63,
              "text", "", "16:25", "-3 min", None, True, [], {}, [1, 2], {"dist": "normal"}]


def shipped_data(path: Path) -> dict[str, Any]:
    """The file's data with relative ``extends``/``base`` made absolute, so a copy elsewhere still resolves."""
    data = parse_yaml(path.read_text()).data
    for key in ("extends", "base"):
        if isinstance(data.get(key), str):
            data[key] = str((path.parent / data[key]).resolve())
    return data


def paths_in(data: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield prefix
    items = data.items() if isinstance(data, dict) else enumerate(data) if isinstance(data, list) else ()
    for key, value in items:
        yield from paths_in(value, (*prefix, key))


def mutated(data: Any, path: tuple[Any, ...], how: str, value: Any) -> Any:
    """A copy of ``data`` with the node at ``path`` replaced, deleted, or given an unknown key."""
    if not path:
        return value if how == "replace" else data
    copy = yaml.safe_load(yaml.safe_dump(data))
    parent = copy
    for key in path[:-1]:
        parent = parent[key]
    if how == "delete":
        del parent[path[-1]]
    elif how == "unknown" and isinstance(parent[path[-1]], dict):
        parent[path[-1]]["colour"] = value
    else:
        parent[path[-1]] = value
    return copy


@st.composite
def mutations(draw: st.DrawFn, files: list[Path]) -> tuple[Path, bytes]:
    path = draw(st.sampled_from(files))
    data = shipped_data(path)
    text = yaml.safe_dump(data, allow_unicode=True).encode()
    how = draw(st.sampled_from(["replace", "replace", "replace", "delete", "unknown", "duplicate", "bytes"]))
    if how == "bytes":
        start = draw(st.integers(0, len(text)))
        return path, text[:start] + draw(st.binary(min_size=1, max_size=16)) + text[start + 1:]
    if how == "duplicate":
        lines = text.splitlines(keepends=True)
        line = draw(st.integers(0, len(lines) - 1))
        return path, b"".join(lines[:line + 1] + [lines[line]] + lines[line + 1:])
    where = draw(st.sampled_from(list(paths_in(data))))
    value = draw(st.sampled_from(ODD_VALUES))
    return path, yaml.safe_dump(mutated(data, where, how, value), allow_unicode=True).encode()


@pytest.fixture
def event_count(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Counts every simulated event; fails at the documented limit instead of running on."""
    counter = [0]
    step = simpy.Environment.step

    def counted(self: simpy.Environment) -> None:
        counter[0] += 1
        assert counter[0] <= DEFAULT.events, "a replication ran past the limit of simulated events"
        step(self)

    monkeypatch.setattr(simpy.Environment, "step", counted)
    return counter


def exits_cleanly(argv: list[str], out: Path) -> None:
    err = io.StringIO()
    with contextlib.redirect_stderr(err), contextlib.redirect_stdout(io.StringIO()):
        status = main(argv)
    assert status in (0, 2), err.getvalue()
    event(f"exit status {status}")
    assert "Traceback" not in err.getvalue()
    if status == 2:
        assert err.getvalue().startswith("hotline: error: ")
        assert not out.exists(), "a refused command wrote its output"


@settings(max_examples=50, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations(INCIDENTS))
def test_a_mutated_scenario_runs_or_is_refused_cleanly(event_count: list[int], case: tuple[Path, bytes]) -> None:
    _, text = case
    with tempfile.TemporaryDirectory() as folder:
        scenario = Path(folder) / "mutated.yaml"
        scenario.write_bytes(text)
        event_count[0] = 0
        exits_cleanly(["run", str(scenario), "--out", str(Path(folder) / "out")], Path(folder) / "out")


@settings(max_examples=20, deadline=None, database=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(mutations(CHECKED))
def test_a_mutated_sweep_or_validation_case_checks_or_is_refused_cleanly(event_count: list[int],
                                                                         case: tuple[Path, bytes]) -> None:
    _, text = case
    with tempfile.TemporaryDirectory() as folder:
        file = Path(folder) / "mutated.yaml"
        file.write_bytes(text)
        event_count[0] = 0
        exits_cleanly(["check", str(file)], Path(folder) / "out")
