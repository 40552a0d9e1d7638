"""Where a number came from: the code, the packages, the scenario.

A figure handed on in a report must say which code and which inputs made it,
so that anyone can make it again or see why it moved. Results folders record
this when they are written (``summary.json``'s ``environment``); the report
shows it.
"""

from __future__ import annotations

import hashlib
import json
import platform
import subprocess
from functools import lru_cache
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

PACKAGES = ("hotline-sim", "simpy", "numpy", "scipy", "pandas", "pyarrow", "matplotlib", "pydantic", "pyyaml")


def scenario_fingerprint(data: Any) -> str:
    """SHA-256 of the resolved scenario data: equal fingerprints, equal inputs."""
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def package_versions() -> dict[str, str]:
    def installed(name: str) -> str:
        try:
            return version(name)
        except PackageNotFoundError:
            return "not installed"
    return {name: installed(name) for name in PACKAGES}


@lru_cache(maxsize=1)
def git_commit() -> str:
    """The source tree's commit (``+dirty`` with uncommitted changes), or ``unknown`` outside git."""
    here = Path(__file__).resolve().parent
    try:
        commit = subprocess.run(["git", "rev-parse", "HEAD"], cwd=here, capture_output=True, text=True,
                                timeout=5, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"], cwd=here,
                               capture_output=True, text=True, timeout=5, check=True).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return commit + ("+dirty" if dirty else "")


def environment() -> dict[str, Any]:
    """The code and packages of this process, as recorded beside results."""
    return {"python": platform.python_version(), "git_commit": git_commit(), "packages": package_versions()}
