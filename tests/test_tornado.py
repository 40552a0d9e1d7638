"""The tornado chart states a step at its full height, where a linear fit misstates it."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from sim.cli import main
from sim.results.store import ResultStore
from sim.results.sweep_plots import Context, tornado_effects

BASE = Path(__file__).resolve().parent.parent / "scenarios" / "deir_ez_zor_2016_stochastic.yaml"


def test_location_error_step_at_the_check_radius(tmp_path: Path) -> None:
    """The check catches the conflict exactly when the error is within the 5 km radius (the site sits on the
    target): a step from 1 to 0 at a third of the 0-15 km range. The lowest quarter (0-3.75 km) always
    catches it, the highest (11.25-15 km) never: the bar is -1 exactly. A straight line through a step at a
    third of a uniform range has slope -(1/3)(2/3)(1/2) / (1/12) = -4/3: the linear fit overstates it."""
    sweep = tmp_path / "s.yaml"
    sweep.write_text(yaml.safe_dump({
        "name": "step", "base": str(BASE), "replications": 2,
        "factors": [{"path": "notification.error.distance_km", "range": [0, 15]},
                    {"path": "language.misunderstanding_probability", "range": [0, 0.6]}],
        "design": {"kind": "latin_hypercube", "points": 40, "seed": 3}}))
    out = tmp_path / "out"
    assert main(["sweep", str(sweep), "--out", str(out), "--workers", "1", "--no-plots"]) == 0
    with ResultStore.open(out) as store:
        names, binned, linear = tornado_effects(Context(store), "notice_caught")
    assert names[0] == "location error (km) (0 → 15)"
    assert binned[0].mean == -1 and binned[0].ci_low == binned[0].ci_high == -1
    assert linear[0].mean == pytest.approx(-4 / 3, abs=0.15)
    assert binned[1].mean == 0  # misunderstanding acts after the check: no effect on it
