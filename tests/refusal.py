"""What every refused command must look like: status 2, one ``hotline: error:`` block, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from sim.cli import main

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"
REPLAY = SCENARIOS / "deir_ez_zor_2016.yaml"
STOCHASTIC = SCENARIOS / "deir_ez_zor_2016_stochastic.yaml"


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> list[str]:
    """The error lines of a command that must be refused."""
    assert main(list(argv)) == 2
    err = capsys.readouterr().err
    assert err.startswith("hotline: error: ") and "Traceback" not in err
    return err.removeprefix("hotline: error: ").splitlines()
