"""The comments of a scenario or sweep file: its stated sources and assumptions.

The shipped files say in comments where each number comes from and what was
assumed ("harm spread evenly over the releases ... a strong assumption").
A report handed on without them hands on numbers without their caveats, so
this module reads them back: the header block at the top of the file, and
each comment beside or just above a key, with the key's dotted path. A file
that ``extends`` another has that file's notes too.

YAML's parser drops comments, so they are found from its tokens: on each
line, text after the last token that starts with ``#`` is a comment, and a
line inside a multi-line scalar is never one.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from sim.scenario.errors import dotted
from sim.scenario.yaml_lines import YamlProblem, parse_yaml


@dataclass(frozen=True)
class FileNotes:
    file: str
    header: tuple[str, ...]
    """The comment lines above the first key, ``#`` and one space removed, indentation kept."""
    keys: tuple[tuple[str, str], ...]
    """(dotted key, comment) for each comment beside a key or on the lines just above it."""


def _comments(lines: list[str], text: str) -> dict[int, tuple[str, bool]]:
    """Line (0-based) -> (comment text, whether it stands alone on its line)."""
    ends: dict[int, int] = {}  # line -> column where its last token ends
    inside: set[int] = set()   # lines within a multi-line scalar
    for token in yaml.scan(text):
        start, end = token.start_mark, token.end_mark
        if end.line > start.line:
            inside.update(range(start.line + 1, end.line))
            ends[start.line] = len(lines[start.line])
        if end.column > 0:  # a block scalar ends at column 0 of the line after it
            ends[end.line] = max(ends.get(end.line, 0), end.column)
    found: dict[int, tuple[str, bool]] = {}
    for number, line in enumerate(lines):
        rest = line[ends.get(number, 0):].strip()
        if number not in inside and rest.startswith("#"):
            found[number] = (rest[1:].removeprefix(" ").rstrip(), number not in ends)
    return found


def file_notes(path: Path) -> FileNotes:
    """The header and per-key comments of one file (raises OSError, YamlProblem or yaml.YAMLError)."""
    text = path.read_text()
    lines = text.splitlines()
    comments = _comments(lines, text)
    key_lines: dict[int, str] = {}
    for key, line in sorted(parse_yaml(text).lines.items(), key=lambda item: len(item[0]), reverse=True):
        if key:
            key_lines[line - 1] = dotted(key)  # the outermost key on a line wins
    first_key = min(key_lines, default=len(lines))
    header = [comments[n][0] for n in sorted(comments) if n < first_key]
    while header and not header[-1].strip():
        header.pop()
    keys: list[tuple[str, str]] = []
    above: list[str] = []
    for number in range(first_key, len(lines)):
        comment = comments.get(number)
        if comment is not None and comment[1]:
            above.append(comment[0])
        elif number in key_lines:
            said = above + ([comment[0]] if comment is not None else [])
            if said:
                keys.append((key_lines[number], " ".join(said)))
            above = []
    return FileNotes(str(path), tuple(header), tuple(keys))


def scenario_notes(path: Path) -> list[FileNotes]:
    """The notes of ``path`` and of every file it extends, nearest first."""
    notes: list[FileNotes] = []
    seen: set[Path] = set()
    current: Path | None = path
    while current is not None and current.resolve() not in seen:
        seen.add(current.resolve())
        notes.append(file_notes(current))
        try:
            parent = parse_yaml(current.read_text()).data.get("extends")
        except (YamlProblem, AttributeError):
            parent = None
        current = current.parent / parent if isinstance(parent, str) else None
    return notes
