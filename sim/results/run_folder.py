"""A folder per run, never overwritten without being asked.

``hotline run`` writes to ``results/runs/<scenario>-<n>/`` with a fresh
``n`` each time and points ``results/runs/latest`` at it, so yesterday's run
is still there when today's disagrees with it. ``--out DIR`` writes exactly
to ``DIR`` for scripts that want a fixed place.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Iterable

from sim.model.trace import Event

DEFAULT_ROOT = Path("results") / "runs"


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


def write_trace(path: Path, events: Iterable[Event]) -> None:
    with path.open("w") as f:
        for event in events:
            f.write(json.dumps(event.as_dict(), sort_keys=True) + "\n")
