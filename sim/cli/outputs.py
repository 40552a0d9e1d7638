"""Where the decision commands (staff, sensitivity, discover) find their files and put their results."""

from __future__ import annotations

from importlib.resources import as_file, files
from pathlib import Path
from typing import Optional

from matplotlib.figure import Figure

from sim.experiment.sweep_spec import SweepError
from sim.results.run_folder import new_run_folder
from sim.results.sweep_plots import DPI, FORMATS, STABLE_METADATA


def shipped(folder: str, name: str) -> Path:
    """A file path as given, else the shipped ``scenarios/<folder>/<name>.yaml``."""
    path = Path(name)
    if path.exists() or path.suffix in (".yaml", ".yml"):
        return path
    found = files("sim.scenarios") / folder / f"{name}.yaml"
    if found.is_file():
        with as_file(found) as real:
            return Path(real)
    return path


def fresh_folder(out: Optional[Path], name: str, root: Path) -> Path:
    """``out`` if it is empty or new, else a refusal; without ``out``, a new ``root/<name>-NNN``."""
    if out is None:
        return new_run_folder(name, root)
    if out.exists() and any(out.iterdir()):
        raise SweepError([f"{out} is not empty; results go into an empty or new folder"])
    return out


def save_figure(figure: Figure, stem: Path) -> None:
    """PNG and SVG, with no dates in the files."""
    for fmt in FORMATS:
        figure.savefig(stem.with_name(f"{stem.name}.{fmt}"), dpi=DPI, metadata=STABLE_METADATA.get(fmt))
