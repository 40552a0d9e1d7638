"""The scenarios and sweeps that ship with hotline-sim, by name.

``hotline run deir_ez_zor_2016``, ``extends: deir_ez_zor_2016`` and a sweep's
``base: deir_ez_zor_2016_stochastic`` all mean the same installed file, so
a what-if written anywhere can start from a shipped replay.
"""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path
from typing import Optional

SCENARIO_FOLDERS = ("", "validation/")
SWEEP_FOLDERS = ("sweeps/",)


def resolve(name: str, relative_to: Optional[Path] = None, folders: tuple[str, ...] = SCENARIO_FOLDERS) -> Path:
    """``name`` as a file (relative to ``relative_to`` if given), else the shipped file of that name."""
    path = Path(name) if relative_to is None else relative_to / name
    if path.exists() or Path(name).parent != Path("."):
        return path
    for folder in folders:
        shipped = files("sim.scenarios") / f"{folder}{Path(name).stem}.yaml"
        if Path(name).suffix in ("", ".yaml") and shipped.is_file():
            with as_file(shipped) as real:
                return Path(real)
    return path


def shipped_names(folder: str) -> list[str]:
    """The names of the shipped files in ``folder`` ("" for scenarios, "sweeps/", "validation/")."""
    return sorted(p.name.removesuffix(".yaml") for p in (files("sim.scenarios") / folder).iterdir()
                  if p.name.endswith(".yaml"))
