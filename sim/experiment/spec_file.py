"""Reading a staffing or sensitivity file with line numbers in every message.

These files are written by hand like scenario files, so they are read the
same way: safe YAML with the line of every key (``sim.scenario.yaml_lines``),
validated by a pydantic model, each problem turned into one line
``file:line: key.path: expected ..., got ...`` (``sim.scenario.errors``).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional, TypeVar

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from sim.scenario.errors import dotted, problems, show
from sim.scenario.loader import ScenarioError
from sim.scenario.yaml_lines import YamlProblem, parse_yaml


class Strict(BaseModel):
    """A section of a spec file: unknown keys are mistakes, values do not change once read."""

    model_config = ConfigDict(extra="forbid", frozen=True)


class BasedSpec(Strict):
    """What every decision file starts with: its name and the scenario it works on, with fixed settings."""

    name: str = Field(min_length=1)
    description: str = ""
    base: str = Field(min_length=1)
    set: dict[str, Any] = Field(default_factory=dict)
    seed: Optional[int] = Field(default=None, ge=0)


Model = TypeVar("Model", bound=BaseModel)


def read_spec(path: Path, model: type[Model], what: str) -> Model:
    """The file at ``path`` validated as ``model``; raises ScenarioError with every problem, by line."""
    name = str(path)
    try:
        document = parse_yaml(path.read_text(encoding="utf-8"))
    except (FileNotFoundError, IsADirectoryError):
        raise ScenarioError(f"{name}: no such {what}") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ScenarioError(f"{name}: cannot read the {what}: {error}") from None
    except YamlProblem as bad:
        raise ScenarioError(f"{name}:{bad.line}: {bad.message}" if bad.line else f"{name}: {bad.message}") from None
    if not isinstance(document.data, dict):
        raise ScenarioError(f"{name}: expected a {what}, a mapping of keys, got {show(document.data)}")
    try:
        return model.model_validate(document.data)
    except ValidationError as error:
        found = problems(error, document.data, model)
    messages = []
    for problem in found:
        body = f"{dotted(problem.shown_path)}: {problem.message}" if problem.shown_path else problem.message
        if problem.shows_value:
            body += f", got {document.written.get(problem.path) or show(problem.value)}"
        line = next((document.lines[problem.path[:n]] for n in range(len(problem.path), -1, -1)
                     if problem.path[:n] in document.lines), None)
        messages.append((line or 0, f"{name}:{line}: {body}" if line else f"{name}: {body}"))
    raise ScenarioError([text for _, text in sorted(messages, key=lambda m: m[0])])
