"""A folder per run, never overwritten without being asked.

``hotline run`` writes to ``results/runs/<scenario>-<n>/`` with a fresh
``n`` each time and points ``results/runs/latest`` at it, so yesterday's run
is still there when today's disagrees with it. ``--out DIR`` writes exactly
to ``DIR`` for scripts that want a fixed place.

``trace.jsonl`` is JSON Lines: one event per line, in the order it happened,
as an object with four keys in this order::

    {"time":115.0,"kind":"release","actor":"strike","detail":{"index":1,"killed":1.41,"site":0,"wounded":1.53}}

``time`` is minutes after the start, written exactly (the shortest text that
reads back as the same float), ``kind`` is one of ``sim.model.trace.Kind``,
``detail`` has its keys sorted (an undefined figure in it is ``NaN``, as
Python's ``json`` writes and reads it). A 200,000-call hotline-only replay
writes 200,000 lines, so each line is formatted directly from the event's
tuple, without spaces, and the file is written in blocks as it is
formatted. ``read_trace`` gives back the very events ``write_trace`` was
given.
"""

from __future__ import annotations

import json
import math
import os
import re
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import Any, Iterable

from sim.model.trace import Event, Kind, Row

DEFAULT_ROOT = Path("results") / "runs"
SWEEP_COPY = "sweep.yaml"
"""A results folder's copy of the sweep file it ran, whose comments state the question for the report."""
BLOCK = 4096  # trace lines formatted and written at a time
_COMPACT = json.JSONEncoder(separators=(",", ":"))


def slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-") or "run"


def new_run_folder(name: str, root: Path = DEFAULT_ROOT) -> Path:
    """Create ``root/<name>-<n>`` with the next free ``n`` and point ``latest`` at it."""
    root.mkdir(parents=True, exist_ok=True)
    base = slug(name)
    taken = [int(m.group(1)) for p in root.iterdir()
             if (m := re.fullmatch(re.escape(base) + r"-(\d+)", p.name))]
    n = max(taken, default=0) + 1
    while True:
        folder = root / f"{base}-{n:03d}"
        try:
            folder.mkdir()
            break
        except FileExistsError:  # another run took it a moment ago
            n += 1
    latest = root / "latest"
    tmp = root / f".latest-{os.getpid()}"
    tmp.unlink(missing_ok=True)
    tmp.symlink_to(folder.name)
    os.replace(tmp, latest)
    return folder


def write_json(path: Path, data: Any) -> None:
    """Sorted keys, fixed indentation: the same run gives the same bytes."""
    path.write_text(json.dumps(data, indent=2, sort_keys=True, allow_nan=False) + "\n")


@lru_cache(maxsize=256)
def _text(word: str) -> str:
    """A name or word as a JSON string: a replay has a handful, each repeated on thousands of lines."""
    return json.dumps(word)


def _value(value: Any) -> str:
    """A detail as JSON: numbers and words (nearly all of a trace) directly, the rest by ``json``."""
    if type(value) is float and math.isfinite(value):
        return float.__repr__(value)
    if type(value) is str:
        return _text(value)
    return _COMPACT.encode(value)


def trace_line(event: Row) -> str:
    """One line of ``trace.jsonl`` (the format is in the module's docstring)."""
    time, kind, actor, detail = event
    items = ",".join([f"{_text(key)}:{_value(detail[key])}" for key in sorted(detail)])
    return f'{{"time":{float(time)!r},"kind":"{kind._value_}","actor":{_text(actor)},"detail":{{{items}}}}}\n'


def write_trace(path: Path, events: Iterable[Row]) -> None:
    lines = map(trace_line, events)
    with path.open("w") as f:
        while block := "".join(islice(lines, BLOCK)):
            f.write(block)


def read_trace(path: Path) -> list[Event]:
    """The events of a ``trace.jsonl``, as the replay recorded them."""
    with path.open() as f:
        rows = [json.loads(line) for line in f]
    return [Event(row["time"], Kind(row["kind"]), row["actor"], row["detail"]) for row in rows]
