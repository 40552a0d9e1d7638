"""Reading a scenario file, with every mistake reported where it was made.

Scenario files are written by hand, often under time pressure, by people who
know the incident rather than pydantic. So the loader's job is less to parse
than to explain: it reads the file with safe YAML only (a scenario is data; a
``!!python/object`` tag is refused, never executed), keeps the line of every
key, applies ``--set PATH=VALUE`` overrides, validates the result with
``Scenario.from_data`` and turns every validation error into one line::

    deir.yaml:14: strike.releases.count: expected a positive integer, got -3
    deir.yaml:20: unknown key 'detecton'; did you mean 'detection'?
    --set caller.policy=xyz: caller.policy: expected one of 'wait_for_poc', ..., got xyz

All the errors of a file are reported at once, sorted by line, as one
``ScenarioError``. A value that came from the file named by ``extends``
is reported at that file's line. Sweep files go through the same reading and
the same messages (``read_document`` and ``validate``, used by
``sim.scenario.sweep_spec``); sweeps reuse ``apply_overrides`` to set factor
values by dotted path and ``scenario_from_data`` to validate data that has
no file.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Optional

from pydantic import BaseModel, ValidationError

from sim.scenario.errors import Problem, dotted, problems, show, value_at
from sim.scenario.limits import DEFAULT, Limits, size_problems
from sim.scenario.schema import Scenario
from sim.scenario.shipped import resolve
from sim.scenario.yaml_lines import Document, KeyPath, YamlProblem, parse_yaml

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class ScenarioError(Exception):
    """A scenario (or an override of it) that cannot be used; one message per problem."""

    def __init__(self, messages: Sequence[str] | str) -> None:
        self.messages: list[str] = [messages] if isinstance(messages, str) else list(messages)
        super().__init__(self.messages)  # args stay (messages,), so the error pickles intact

    def __str__(self) -> str:
        return "\n".join(self.messages)


def load_scenario(path: str | Path, overrides: Sequence[str] = (), limits: Limits = DEFAULT) -> Scenario:
    """Read, override and validate one scenario file, sizes within ``limits``; raises ScenarioError.

    A file with ``extends: other.yaml`` (relative to itself) is that file with
    its own keys laid over it, mapping by mapping: a what-if states only what
    differs from the replay it starts from.
    """
    data, source = _extended(Path(path), read_document(Path(path)), ())
    data, applied = _apply(data, [_parse_override(text) for text in overrides])
    source = replace(source, overrides=applied)
    scenario = _validate(data, source)
    too_large = [_as_written(problem, data) for problem in size_problems(scenario, limits)]
    if too_large:
        raise _error([_message(problem, source) for problem in too_large])
    return scenario


def _as_written(problem: Problem, data: Any) -> Problem:
    """A problem found on the model, at the path the file writes: ``desk.pocs`` where one
    mapping stands for the model's list of one group, not ``desk.pocs[0]``."""
    def written(path: KeyPath) -> KeyPath:
        kept: list[str | int] = []
        for part in path:
            if not (isinstance(part, int) and isinstance(value_at(data, tuple(kept)), dict)):
                kept.append(part)
        return tuple(kept)
    return replace(problem, path=written(problem.path), shown_path=written(problem.shown_path))


def _extended(path: Path, document: Document, seen: tuple[Path, ...]) -> tuple[dict[str, Any], "_Source"]:
    """The file's data laid over the file it extends, if any (that one checked on its own),
    and where each key of the result was written."""
    data, own = document.data, _Source(str(path), document.lines, document.written)
    parent_name = data.get("extends")
    if parent_name is None:
        return data, own
    line = document.lines.get(("extends",))
    if not isinstance(parent_name, str):
        raise ScenarioError(_at(str(path), line, "extends: expected the path or shipped name of a scenario "
                                                 f"file, got {show(parent_name)}"))
    parent = resolve(parent_name, path.parent)
    chain = (*seen, path.resolve())
    if parent.resolve() in chain:
        raise ScenarioError(_at(str(path), line, f"extends: {parent_name} leads back to this file (a cycle)"))
    base, base_source = _extended(parent, read_document(parent), chain)
    _validate(base, base_source)
    merged = _merge(base, data)
    merged.pop("extends")
    return merged, own.laid_over(base_source, data)


def _merge(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    merged = copy.deepcopy(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = copy.deepcopy(value)
    return merged


_SCENARIO_KEYS = "a mapping of sections (name:, strike:, desk:, ...)"


def read_document(path: Path, what: str = "a scenario", keys: str = _SCENARIO_KEYS) -> Document:
    """The parsed file, which must hold a mapping; raises ScenarioError.

    ``what`` and ``keys`` name the kind of file in messages ("a sweep", "a
    mapping with name, base, factors, ...").
    """
    name = str(path)
    try:
        document = parse_yaml(_read(Path(path), name))
    except YamlProblem as problem:
        raise ScenarioError([_at(name, problem.line, problem.message)]) from None
    if document.data is None:
        raise ScenarioError(f"{name}: the file is empty; expected {what}, {keys}")
    if not isinstance(document.data, dict):
        raise ScenarioError(f"{name}:{document.lines[()]}: expected {what}, {keys}, got {_kind(document.data)}")
    return document


def read_scenario_data(path: str | Path) -> dict[str, Any]:
    """A valid scenario file's data, ``extends`` resolved, for sweeps to set factors on."""
    data, source = _extended(Path(path), read_document(Path(path)), ())
    _validate(data, source)
    return data


def scenario_from_data(data: Any, source_name: str, limits: Optional[Limits] = None) -> Scenario:
    """Validate already-parsed scenario data (sizes too, given ``limits``); messages start with ``source_name``."""
    scenario = _validate(data, _Source(source_name))
    too_large = [_as_written(problem, data) for problem in size_problems(scenario, limits)] if limits else []
    if too_large:
        raise _error([_message(problem, _Source(source_name)) for problem in too_large])
    return scenario


def validate(model: type[BaseModel], document: Document, name: str) -> Any:
    """``document`` validated as ``model``, every problem one line at the file's line."""
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        found = problems(error, document.data, model)
    raise located(found, document, name)


def located(found: Sequence[Problem], document: Document, name: str) -> ScenarioError:
    """Problems of a parsed file as one ScenarioError, a line each, in the file's order."""
    return _error([_message(problem, _Source(name, document.lines, document.written)) for problem in found])


def _error(keyed: list[tuple[tuple[int, int], str]]) -> ScenarioError:
    ordered = sorted(keyed, key=lambda pair: pair[0])
    return ScenarioError(list(dict.fromkeys(text for _, text in ordered)))


def apply_overrides(data: dict[str, Any], overrides: Sequence[str]) -> dict[str, Any]:
    """A copy of ``data`` with each ``PATH=VALUE`` set; ``data`` itself is left alone.

    ``PATH`` is dotted (``desk.pocs.count``), with list items as ``sites[0]`` or
    ``sites.0``; missing mappings on the way are created. ``VALUE`` is read as
    safe YAML: ``2``, ``pass_to_duty_officer``, ``"90 s"``,
    ``{dist: uniform, low: 0, high: 15}``.
    """
    return _apply(data, [_parse_override(text) for text in overrides])[0]


def scenario_json_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of scenario files, for editors and ``hotline schema``."""
    schema = Scenario.model_json_schema(mode="validation")
    schema.pop("title", None)
    return {"$schema": JSON_SCHEMA_DIALECT, "title": "hotline-sim scenario",
            "description": "One incident or what-if for the hotline simulator; see sim/scenario/schema.py.",
            **schema}


@dataclass(frozen=True)
class _Override:
    text: str                        # as given, for messages
    path: KeyPath                    # where it sets; digits become indices once a list is met
    value: Any
    written: dict[KeyPath, str] = field(default_factory=dict)  # scalars as written, below path
    created: tuple[KeyPath, ...] = ()  # mappings it had to create on the way

    def caused(self, path: KeyPath) -> bool:
        """Whether a problem at ``path`` lies in what this override set or created."""
        return any(path[:len(mine)] == mine for mine in (self.path, *self.created))


@dataclass(frozen=True)
class _Source:
    name: str
    lines: dict[KeyPath, int] = field(default_factory=dict)
    written: dict[KeyPath, str] = field(default_factory=dict)
    overrides: Sequence[_Override] = ()
    files: dict[KeyPath, str] = field(default_factory=dict)  # keys written in an extended file

    def laid_over(self, parent: "_Source", data: dict[str, Any]) -> "_Source":
        """Where each key of ``data`` laid over the parent's data was written."""
        def kept(path: KeyPath) -> bool:  # not under a value of this file that replaced the parent's
            return not any(path[:n] in self.lines and not isinstance(value_at(data, path[:n]), dict)
                           for n in range(1, len(path)))
        inherited = [path for path in parent.lines if kept(path) and path not in self.lines]
        return replace(self, lines={**self.lines, **{p: parent.lines[p] for p in inherited}},
                       written={**{p: t for p, t in parent.written.items() if kept(p)}, **self.written},
                       files={**{p: parent.files.get(p, parent.name) for p in inherited}})


def _read(path: Path, name: str) -> str:
    if path.is_dir():
        raise ScenarioError([f"{name}: is a directory, not a scenario file"])
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ScenarioError([f"{name}: no such file"]) from None
    except UnicodeDecodeError:
        raise ScenarioError([f"{name}: not a text file (a scenario is UTF-8 YAML)"]) from None
    except OSError as error:
        raise ScenarioError([f"{name}: cannot read the file: {error.strerror or error}"]) from None


def _at(name: str, line: int | None, message: str) -> str:
    return f"{name}: {message}" if line is None else f"{name}:{line}: {message}"


def _kind(value: Any) -> str:
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return show(value)


_SEGMENT = re.compile(r"^([^.\[\]=\s]+)((?:\[\d+\])*)$")


def _parse_override(text: str) -> _Override:
    path_text, equals, value_text = text.partition("=")
    segments = path_text.strip().split(".")
    matches = [_SEGMENT.match(segment) for segment in segments]
    if not equals or not path_text.strip() or not all(matches):
        raise ScenarioError([f"--set {text}: expected PATH=VALUE"])
    path: list[str | int] = []
    for match in matches:
        assert match is not None
        path.append(match.group(1))
        path.extend(int(index) for index in re.findall(r"\d+", match.group(2)))
    try:
        document = parse_yaml(value_text)
    except YamlProblem as problem:
        raise ScenarioError([f"--set {text}: {problem.message}"]) from None
    return _Override(text, tuple(path), document.data, document.written)


def _apply(data: dict[str, Any], overrides: Sequence[_Override]) -> tuple[dict[str, Any], list[_Override]]:
    """Set each override into a deep copy; also return them with their paths resolved."""
    data = copy.deepcopy(data)
    return data, [_set(data, override) for override in overrides]


def _set(data: dict[str, Any], override: _Override) -> _Override:
    node: Any = data
    done: list[str | int] = []
    created: list[KeyPath] = []
    for depth, part in enumerate(override.path):
        where = dotted(tuple(done)) or "the scenario"
        if isinstance(node, list):
            if isinstance(part, str) and part.isdigit():
                part = int(part)
            if not isinstance(part, int):
                raise ScenarioError(f"--set {override.text}: {where} is a list; "
                                    f"name an item, as in {where}[0]")
            if not 0 <= part < len(node):
                raise ScenarioError(f"--set {override.text}: {where} has {len(node)} "
                                    f"item{'s' * (len(node) != 1)}, so no [{part}]")
        elif not isinstance(node, dict) or isinstance(part, int):
            raise ScenarioError(f"--set {override.text}: {where} is {_kind(node)}, not "
                                f"{'a list' if isinstance(part, int) else 'a mapping'}")
        done.append(part)
        if depth == len(override.path) - 1:
            node[part] = copy.deepcopy(override.value)
        else:
            if isinstance(node, dict) and node.get(part) is None:
                node[part] = {}
                created.append(tuple(done))
            node = node[part]
    return replace(override, path=tuple(done), created=tuple(created))


def _validate(data: Any, source: _Source) -> Scenario:
    try:
        return Scenario.from_data(data)
    except ValidationError as error:
        found = problems(error, data, Scenario)
    raise _error([_message(problem, source) for problem in found])


def _message(problem: Problem, source: _Source) -> tuple[tuple[int, int], str]:
    """The message, and a sort key: file lines in order, then overrides in order."""
    body = f"{dotted(problem.shown_path)}: {problem.message}" if problem.shown_path else problem.message
    for index in range(len(source.overrides) - 1, -1, -1):
        override = source.overrides[index]
        if override.caused(problem.path):
            return (2, index), f"--set {override.text}: {body}{_got(problem, override.written, override.path)}"
    body += _got(problem, source.written, ())
    where = next((problem.path[:n] for n in range(len(problem.path), -1, -1) if problem.path[:n] in source.lines),
                 None)
    line = None if where is None else source.lines[where]
    name = source.files.get(where, source.name) if where is not None else source.name
    return (1 if line is not None else 0, line or 0), _at(name, line, body)


def _got(problem: Problem, written: dict[KeyPath, str], below: KeyPath) -> str:
    if not problem.shows_value:
        return ""
    inside = problem.path[:len(below)] == below
    text = (written.get(problem.path[len(below):]) if inside else None) or show(problem.value)
    return f", got {text}"
