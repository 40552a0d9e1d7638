"""``njit`` for the package's compiled code, with numba's cache in a folder named after the sources.

numba's own cache (``cache=True``) checks only the file a function is defined
in. Picture a change to ``quantile`` in ``sim/scenario/quantiles.py``: the
batch engine's kernel, which calls it, lives in another file, so numba would
load the kernel compiled with the *old* quantile and the batch engine would
quietly disagree with the SimPy engine. So the package's compiled functions
cache under one folder named after a fingerprint of every source file that
uses numba: change any of them and all of them compile afresh (once).

The folder is ``hotline-sim/numba-<fingerprint>`` under ``NUMBA_CACHE_DIR`` when
that is set, else under the user's cache folder (``XDG_CACHE_HOME``, default
``~/.cache``). numba reads the setting when a compiled function is defined, so
every module of the package takes ``njit`` from here, not from numba.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Mapping

import numba

PACKAGE = Path(__file__).resolve().parent


def fingerprint(package: Path = PACKAGE) -> str:
    """A hash of the path and text of every source file under ``package`` that uses numba."""
    digest = hashlib.sha256()
    for path in sorted(package.rglob("*.py")):
        text = path.read_bytes()
        if b"numba" in text or b"njit" in text:
            digest.update(str(path.relative_to(package)).encode() + b"\0" + text + b"\0")
    return digest.hexdigest()[:16]


def cache_folder(environ: Mapping[str, str] = os.environ, package: Path = PACKAGE) -> Path:
    root = environ.get("NUMBA_CACHE_DIR") or environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(root) / "hotline-sim" / f"numba-{fingerprint(package)}"


numba.config.CACHE_DIR = str(cache_folder())  # type: ignore[attr-defined]  # set at run time by design
njit = numba.njit
