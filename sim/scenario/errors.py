"""Pydantic validation errors rewritten as what a scenario author needs to read.

Pydantic reports ``('detection', 'delay', 'uniform')``, ``Value error,
uniform needs low <= high`` or ``Input should be greater than 0``. A person
editing a YAML file wants the key path they wrote and a plain expectation:
``detection.delay: uniform needs low <= high, ...`` or ``strike.releases.count:
expected a positive integer, got -3``. This module does that translation,
independent of where the data came from; ``sim.scenario.loader`` adds the
file name and line.

Pydantic's locations mix the author's keys with its own parts (the tag of a
distribution, ``function-after[...]``); the key path is recovered by walking
the data the author wrote along the location and keeping only the steps that
exist in it.
"""

from __future__ import annotations

import difflib
import re
import types
from dataclasses import dataclass
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, ValidationError

from sim.scenario.yaml_lines import KeyPath

_NOTHING = object()


@dataclass(frozen=True)
class Problem:
    """One error: ``path`` locates it in the data; ``shown_path`` is what the message names."""

    path: KeyPath
    shown_path: KeyPath
    message: str
    value: Any = _NOTHING  # the offending value, when the message should say what it got

    @property
    def shows_value(self) -> bool:
        return self.value is not _NOTHING


def problems(error: ValidationError, data: Any, root: type[BaseModel]) -> list[Problem]:
    """Every error of ``error`` as a Problem, in pydantic's order, without repeats.

    A misspelt required key is one mistake: "unknown key 'point'; did you mean
    'points'?" says it all, so the "missing required key" for ``points`` goes.
    """
    found: list[Problem] = []
    for item in error.errors(include_url=False):
        problem = _problem(item, data, root)
        if problem not in found:
            found.append(problem)
    hinted = {(*p.shown_path, match.group(1)) for p in found
              if (match := re.search(r"did you mean '([^']+)'\?$", p.message))}
    return [p for p in found if not (p.message == "missing required key" and p.path in hinted)]


def dotted(path: KeyPath) -> str:
    """``("desk", "pocs", "availability", "away", 0, "end")`` -> ``desk.pocs.availability.away[0].end``."""
    text = ""
    for part in path:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def show(value: Any, limit: int = 60) -> str:
    """A value as it would be written in YAML flow style, shortened if long."""
    text = yaml.safe_dump(value, default_flow_style=True, width=10**6).strip().removesuffix("\n...")
    return text if len(text) <= limit else text[:limit - 3] + "..."


def value_at(data: Any, path: KeyPath, default: Any = None) -> Any:
    """The value at ``path`` in plain data, or ``default`` if it is not there."""
    for part in path:
        data = _child(data, part)
        if data is _NOTHING:
            return default
    return data


def _child(node: Any, part: Any) -> Any:
    if isinstance(node, dict) and part in node:
        return node[part]
    if isinstance(node, list) and isinstance(part, int) and 0 <= part < len(node):
        return node[part]
    return _NOTHING


def _problem(item: Any, data: Any, root: type[BaseModel]) -> Problem:
    kind, ctx = item["type"], item.get("ctx") or {}
    path = _key_path(item["loc"], data, keep_last=kind == "missing")
    value = value_at(data, path, item["input"])
    if kind == "extra_forbidden":
        return Problem(path, path[:-1], _unknown_key(path, data, root))
    if kind == "invalid_key":
        return Problem(path, path[:-1], f"unknown key {path[-1]!r} (keys are names, not numbers)")
    if kind == "missing":
        return Problem(path, path, "missing required key")
    if kind in ("value_error", "assertion_error"):
        return Problem(path, path, str(ctx.get("error", item["msg"])))
    if kind == "union_tag_invalid":
        expected = ctx.get("expected_tags", "").replace("'", "")
        what = "distribution" if ctx.get("discriminator") == "'dist'" else str(ctx.get("discriminator", "kind")).strip("'")
        return Problem(path, path, f"unknown {what} {ctx.get('tag')!r}; expected one of {expected}")
    if not path and kind in ("model_type", "dict_type", "model_attributes_type"):
        whole = getattr(root, "WHOLE", "a scenario must be a mapping of sections (name, strike, desk, ...)")
        return Problem(path, path, whole, value)
    return Problem(path, path, _expectation(kind, ctx, item["msg"], _is_int(root, path, data)), value)


def _key_path(loc: tuple[Any, ...], data: Any, keep_last: bool) -> KeyPath:
    """The steps of ``loc`` that exist in ``data``; pydantic's own parts are dropped.

    The last step of a ``missing`` error names the absent key and is kept.
    """
    path: list[str | int] = []
    node = data
    for index, part in enumerate(loc):
        child = _child(node, part)
        if child is not _NOTHING:
            node = child
        elif not (keep_last and index == len(loc) - 1 and isinstance(part, str)):
            continue
        path.append(part)
    return tuple(path)


_PLAIN = {
    "int_parsing": "expected a whole number", "int_type": "expected a whole number",
    "int_from_float": "expected a whole number",
    "float_parsing": "expected a number", "float_type": "expected a number",
    "finite_number": "expected a finite number",
    "bool_parsing": "expected true or false", "bool_type": "expected true or false",
    "string_type": "expected text", "list_type": "expected a list", "tuple_type": "expected a list",
    "dict_type": "expected a mapping", "model_type": "expected a mapping",
    "model_attributes_type": "expected a mapping",
}


def _expectation(kind: str, ctx: dict[str, Any], msg: str, integer: bool) -> str:
    if kind in _PLAIN:
        return _PLAIN[kind]
    noun = "an integer" if integer else "a number"
    if kind == "greater_than":
        if ctx["gt"] == 0:
            return f"expected a positive {noun.split()[-1]}"
        return f"expected {noun} above {_num(ctx['gt'])}"
    if kind == "greater_than_equal":
        return (f"expected a non-negative {noun.split()[-1]}" if ctx["ge"] == 0
                else f"expected {noun} of at least {_num(ctx['ge'])}")
    if kind == "less_than":
        return f"expected {noun} below {_num(ctx['lt'])}"
    if kind == "less_than_equal":
        return f"expected {noun} of at most {_num(ctx['le'])}"
    if kind == "literal_error":
        options = re.findall(r"'(?:[^'\\]|\\.)*'", ctx.get("expected", ""))
        return f"expected one of {', '.join(options)}" if options else "expected " + ctx.get("expected", "")
    if kind in ("too_short", "too_long"):
        count = ctx.get("min_length" if kind == "too_short" else "max_length")
        return f"expected at {'least' if kind == 'too_short' else 'most'} {count} item{'s' * (count != 1)}"
    if msg.startswith("Input should be "):
        return "expected " + msg.removeprefix("Input should be ")
    return msg[:1].lower() + msg[1:]


def _num(bound: Any) -> str:
    return f"{bound:g}" if isinstance(bound, float) else str(bound)


def _unknown_key(path: KeyPath, data: Any, root: type[BaseModel]) -> str:
    key = path[-1]
    model = _model_or_type(_annotation_at(root, path[:-1], data), value_at(data, path[:-1]))
    allowed = list(model.model_fields) if isinstance(model, type) and issubclass(model, BaseModel) else []
    close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.6)
    return f"unknown key {key!r}" + (f"; did you mean {close[0]!r}?" if close else "")


def _is_int(root: type[BaseModel], path: KeyPath, data: Any) -> bool:
    return _strip(_annotation_at(root, path, data), value_at(data, path)) is int


def _annotation_at(root: type[BaseModel], path: KeyPath, data: Any) -> Any:
    """The declared type at ``path`` of the model tree, or None if the path leaves it."""
    annotation: Any = root
    for depth, part in enumerate(path):
        current = _model_or_type(annotation, value_at(data, path[:depth]))
        if isinstance(part, int):
            if get_origin(current) is not list:
                return None
            annotation = get_args(current)[0]
        elif isinstance(current, type) and issubclass(current, BaseModel) and part in current.model_fields:
            annotation = current.model_fields[part].annotation
        else:
            return None
    return annotation


def _model_or_type(annotation: Any, value: Any) -> Any:
    """Like ``_strip``, and a list's item type where one mapping stands for a list of one."""
    current = _strip(annotation, value)
    if get_origin(current) is list and isinstance(value, dict):
        return _strip(get_args(current)[0], value)
    return current


def _strip(annotation: Any, value: Any) -> Any:
    """Unwrap Annotated and Optional; of a union of distributions, the one ``value`` names."""
    while True:
        origin = get_origin(annotation)
        if origin is Annotated:
            annotation = get_args(annotation)[0]
        elif origin in (Union, types.UnionType):
            members = [a for a in get_args(annotation) if a is not type(None)]
            if len(members) == 1:
                annotation = members[0]
                continue
            models = [m for m in members if isinstance(m, type) and issubclass(m, BaseModel)]
            key = next((k for k in ("dist", "kind") if models and all(k in m.model_fields for m in models)), "dist")
            tag = value.get(key) if isinstance(value, dict) else "fixed"
            chosen = [m for m in models if key in m.model_fields and _literal_has(m.model_fields[key].annotation, tag)]
            return chosen[0] if chosen else None
        else:
            return annotation


def _literal_has(annotation: Any, value: Any) -> bool:
    return get_origin(annotation) is Literal and value in get_args(annotation)
