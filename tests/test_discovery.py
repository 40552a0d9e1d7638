"""PRIM: a planted box found again, p-values worked out by hand, and the command on a sweep."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import yaml

from sim.cli import main
from sim.results.discovery import Box, in_box, paste, peel, prune, significance
from sim.results.discovery_report import discover, in_words


def planted(n: int = 6000, seed: int = 5) -> tuple[dict[str, np.ndarray], np.ndarray, np.ndarray]:
    """Cases of interest 90% likely inside x1 >= 0.6, x2 <= 0.3, c in {a, b}; 5% likely elsewhere."""
    rng = np.random.default_rng(seed)
    columns = {"x1": rng.uniform(size=n), "x2": rng.uniform(size=n), "x3": rng.uniform(size=n),
               "c": rng.choice(np.array(["a", "b", "c"], dtype=object), size=n)}
    inside = (columns["x1"] >= 0.6) & (columns["x2"] <= 0.3) & np.isin(columns["c"], ["a", "b"])
    y = rng.uniform(size=n) < np.where(inside, 0.9, 0.05)
    return columns, y, inside


def test_planted_box_is_found() -> None:
    columns, y, inside = planted()
    # the planted box holds 0.4 x 0.3 x 2/3 = 8% of the cases, 0.9 x 8% of them of interest, against
    # 0.05 x 92% outside it: at most 61% of the cases of interest are inside it
    found = discover(columns, y.astype(float), {}, "bad", 0.5, min_coverage=0.55)
    limits = found.box.limits
    assert limits["x1"][0] == pytest.approx(0.6, abs=0.03) and limits["x1"][1] == pytest.approx(1, abs=1e-3)
    assert limits["x2"][1] == pytest.approx(0.3, abs=0.03) and limits["x2"][0] == pytest.approx(0, abs=1e-3)
    assert limits["c"] == frozenset({"a", "b"})
    assert "x3" not in found.box.restricted(found.full)
    assert found.box.density > 0.85 and found.box.coverage > 0.55
    assert max(found.p_values.values()) < 1e-10
    # the box holds the planted cases and little else
    assert np.mean(found.box.inside[inside]) > 0.85 and np.mean(inside[found.box.inside]) > 0.9
    assert in_words(found).startswith("Afternoons with bad above 0.5 are mostly those where x1 is at least 0.6")


def test_trajectory_trades_coverage_for_density() -> None:
    columns, y, _ = planted()
    trajectory = peel(columns, y)
    assert trajectory[0].coverage == 1 and trajectory[0].density == pytest.approx(y.mean())
    densities = [b.density for b in trajectory]
    coverages = [b.coverage for b in trajectory]
    assert densities == sorted(densities) and coverages == sorted(coverages, reverse=True)
    assert trajectory[-1].mass >= 0.05


def test_quasi_p_value_by_hand() -> None:
    """Box x >= 0.5: 8 of its 10 cases are of interest; without the limit, 10 of 20. P(Bin(10, 0.5) >= 8) = 56/1024."""
    x = np.arange(20) / 20
    y = np.zeros(20, dtype=bool)
    y[[10, 11, 12, 13, 14, 15, 16, 17]] = True
    y[[0, 1]] = True
    columns = {"x": x}
    limits = {"x": (0.5, 0.95)}
    inside = in_box(columns, limits)
    box = Box(limits, inside, 0.8, 0.8, 0.5)
    assert significance(columns, y, box) == {"x": pytest.approx(56 / 1024)}


def test_pasting_adds_back_what_raises_density() -> None:
    """Peeled too far (x >= 0.7) when every case from 0.5 up is of interest: pasting widens to 0.5."""
    x = np.arange(100) / 100
    y = x >= 0.5
    columns = {"x": x}
    limits = {"x": (0.7, 0.99)}
    box = Box(limits, in_box(columns, limits), 0.6, 1.0, 0.3)
    pasted = paste(columns, y, box)
    assert pasted.limits["x"] == (0.7, 0.99)  # density already 1: nothing raises it
    limits = {"x": (0.3, 0.6)}
    peeled = Box(limits, in_box(columns, limits), 0.22, 11 / 31, 0.31)
    assert paste(columns, y, peeled).limits["x"][1] == pytest.approx(0.99)


def test_cli_on_a_sweep(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    base = Path(__file__).resolve().parent.parent / "scenarios" / "deir_ez_zor_2016_stochastic.yaml"
    sweep = tmp_path / "s.yaml"
    sweep.write_text(yaml.safe_dump({
        "name": "grid", "base": str(base), "replications": 60,
        "factors": [{"path": "desk.pocs.count", "values": [1, 3]},
                    {"path": "caller.policy", "values": ["wait_for_poc", "pass_to_duty_officer"]}]}))
    out = tmp_path / "out"
    assert main(["sweep", str(sweep), "--out", str(out), "--workers", "1", "--no-plots"]) == 0
    capsys.readouterr()
    assert main(["discover", str(out), "--outcome", "time_to_message", "--threshold", "20"]) == 0
    text = capsys.readouterr().out
    document = json.loads((out / "discovery.json").read_text())
    assert document["box"]["limits"]["caller.policy"] == ["wait_for_poc"]
    assert "caller policy is wait_for_poc" in text and (out / "discovery.png").is_file()
    assert main(["discover", str(out), "--outcome", "nothing", "--threshold", "1"]) == 2
    assert "--outcome: 'nothing' is not in" in capsys.readouterr().err


def test_pruning_lifts_a_limit_that_adds_nothing() -> None:
    """x2 is noise: a box limited on it as well as on x loses that limit."""
    rng = np.random.default_rng(2)
    columns = {"x": rng.uniform(size=4000), "x2": rng.uniform(size=4000)}
    y = rng.uniform(size=4000) < np.where(columns["x"] > 0.5, 0.6, 0.1)
    limits = {"x": (0.5, 1.0), "x2": (0.1, 1.0)}
    box = prune(columns, y, Box(limits, in_box(columns, limits), 0, 0, 0))
    assert box.limits["x"] == (0.5, 1.0) and box.limits["x2"] == pytest.approx(
        (columns["x2"].min(), columns["x2"].max()))
