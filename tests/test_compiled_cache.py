"""The compiled code's cache folder changes whenever any source that compiles changes.

numba checks only the file a function is defined in; a kernel loaded from its
cache after a change to the quantile it calls would disagree with the SimPy
engine without a word. ``sim.compiled`` names the cache folder after every
source file that uses numba.
"""

from __future__ import annotations

from pathlib import Path

import numba

from sim.compiled import cache_folder, fingerprint


def package(root: Path, kernel: str, other: str) -> Path:
    (root / "model").mkdir(parents=True)
    (root / "model" / "kernel.py").write_text(kernel)
    (root / "plots.py").write_text(other)
    return root


def test_the_fingerprint_follows_compiled_sources_only(tmp_path: Path) -> None:
    compiled = "from sim.compiled import njit\n@njit(cache=True)\ndef f(x):\n    return x\n"
    base = fingerprint(package(tmp_path / "a", compiled, "import matplotlib\n"))
    assert fingerprint(package(tmp_path / "b", compiled, "import matplotlib  # changed\n")) == base
    assert fingerprint(package(tmp_path / "c", compiled.replace("x\n", "x + 1\n"), "import matplotlib\n")) != base


def test_the_cache_lives_under_numba_cache_dir_or_the_users_cache(tmp_path: Path) -> None:
    sources = package(tmp_path / "p", "import numba\n", "")
    name = f"numba-{fingerprint(sources)}"
    assert cache_folder({"NUMBA_CACHE_DIR": "/n"}, sources) == Path("/n/hotline-sim") / name
    assert cache_folder({"XDG_CACHE_HOME": "/x"}, sources) == Path("/x/hotline-sim") / name
    assert numba.config.CACHE_DIR == str(cache_folder())  # what this process uses
