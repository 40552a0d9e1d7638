"""Where a command may write: never over another run's results, never half a file.

Each check runs before any work starts, so a refused command writes nothing.
"""

from __future__ import annotations

from pathlib import Path

from sim.results.store import StoreError, is_empty


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
