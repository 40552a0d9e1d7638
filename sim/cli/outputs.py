"""Where a command may write: never over another run's results, never half a file.

Each check runs before any work starts, so a refused command writes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from matplotlib.figure import Figure

from sim.results.run_folder import new_run_folder
from sim.results.store import StoreError, is_empty
from sim.results.sweep_plots import DPI, FORMATS, STABLE_METADATA


def fresh_folder(folder: Path, flag: str = "--out") -> Path:
    """A folder that is new or empty; one that holds anything is another run's and is refused."""
    if folder.exists() and not folder.is_dir():
        raise StoreError(f"{flag} {folder}: is a file, not a folder")
    if not is_empty(folder):
        raise StoreError(f"{flag} {folder}: the folder is not empty, and hotline never writes over "
                         "another run's results; give a new or empty folder")
    return folder


def new_file(path: Path, flag: str) -> Path:
    """A file that does not exist yet, in a folder that does."""
    if path.is_dir():
        raise StoreError(f"{flag} {path}: is a folder; give the name of a file to write")
    if not path.parent.is_dir():
        raise StoreError(f"{flag} {path}: the folder {path.parent} does not exist")
    if path.exists():
        raise StoreError(f"{flag} {path}: the file exists, and hotline never overwrites it; "
                         "remove it or give another name")
    return path


def results_folder(out: Optional[Path], name: str, root: Path) -> Path:
    """``--out`` if it is new or empty; without it, a new ``root/<name>-NNN``."""
    return new_run_folder(name, root) if out is None else fresh_folder(out)


def save_figure(figure: Figure, stem: Path) -> None:
    """PNG and SVG, with no dates in the files."""
    for fmt in FORMATS:
        figure.savefig(stem.with_name(f"{stem.name}.{fmt}"), dpi=DPI, metadata=STABLE_METADATA.get(fmt))
