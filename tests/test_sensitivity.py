"""Sobol and Morris indices: known answers through the same code path the scenarios use."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import yaml

from sim.cli import main
from sim.experiment.sensitivity import analyse, prepare, read_sensitivity

ROOT = Path(__file__).resolve().parent.parent
BASE = ROOT / "scenarios" / "deir_ez_zor_2016_stochastic.yaml"

# Ishigami, a = 7, b = 0.1, inputs uniform on [-pi, pi] (Ishigami and Homma 1990; Saltelli et al. 2008):
A, B = 7.0, 0.1
V1 = 0.5 * (1 + B * math.pi ** 4 / 5) ** 2
V2 = A ** 2 / 8
V13 = B ** 2 * math.pi ** 8 * (1 / 18 - 1 / 50)
VARIANCE = V1 + V2 + V13
S1 = [V1 / VARIANCE, V2 / VARIANCE, 0.0]
ST = [(V1 + V13) / VARIANCE, V2 / VARIANCE, V13 / VARIANCE]


def ishigami(unit: np.ndarray) -> np.ndarray:
    x = -math.pi + 2 * math.pi * unit
    return np.sin(x[:, 0]) + A * np.sin(x[:, 1]) ** 2 + B * x[:, 2] ** 4 * np.sin(x[:, 0])


def noisy(function: Any, replications: int, sd: float) -> Any:
    """Each sample point 'replicated': the function plus independent noise of standard deviation ``sd``."""
    def evaluate(unit: np.ndarray) -> dict[str, np.ndarray]:
        rng = np.random.default_rng(7)
        return {"y": function(unit)[:, None] + rng.normal(0, sd, (len(unit), replications))}
    return evaluate


def test_ishigami_indices_by_hand() -> None:
    assert S1 == pytest.approx([0.3139, 0.4424, 0.0], abs=1e-4)
    assert ST == pytest.approx([0.5576, 0.4424, 0.2437], abs=1e-4)
    assert VARIANCE == pytest.approx(13.8446, abs=1e-4)


def test_sobol_recovers_ishigami_and_the_noise_share() -> None:
    (result,) = analyse(["x1", "x2", "x3"], "sobol", 1024, 4, 1, 500, 0.95, noisy(ishigami, 4, 1.0))
    shrink = VARIANCE / (VARIANCE + 1.0 / 4)  # noise left in the point means widens the denominator
    assert result.first == pytest.approx(np.array(S1) * shrink, abs=0.05)
    assert result.total == pytest.approx(np.array(ST), abs=0.05)
    assert np.all(np.abs(result.first - np.array(S1) * shrink) <= result.first_conf + 0.02)
    assert result.noise_share == pytest.approx(0.25 / (VARIANCE + 0.25), abs=0.004)
    assert result.randomness_share == pytest.approx(1 / (1 + VARIANCE), abs=0.01)
    assert result.warnings == []


def test_too_small_a_sample_is_flagged() -> None:
    (result,) = analyse(["x1", "x2", "x3"], "sobol", 8, 4, 1, 200, 0.95, noisy(ishigami, 2, 0.1))
    assert any("raise samples" in w for w in result.warnings)


def test_noisy_model_is_flagged() -> None:
    (result,) = analyse(["x1", "x2", "x3"], "sobol", 256, 4, 1, 200, 0.95, noisy(ishigami, 2, 4.0))
    assert result.noise_share == pytest.approx(8 / (VARIANCE + 8), abs=0.05)
    assert any("raise replications" in w for w in result.warnings)


def test_morris_on_a_linear_function() -> None:
    """One step changes y by exactly its coefficient over the unit range: mu* = |coefficient|, sigma = 0."""
    def linear(unit: np.ndarray) -> np.ndarray:
        return 1.0 * unit[:, 0] - 2.0 * unit[:, 1] + 0.0 * unit[:, 2]
    (result,) = analyse(["a", "b", "c"], "morris", 10, 4, 3, 200, 0.95, noisy(linear, 2, 0.0))
    assert result.first == pytest.approx([1.0, 2.0, 0.0])
    assert result.total == pytest.approx([0.0, 0.0, 0.0], abs=1e-12)


def sensitivity_file(folder: Path, **fields: Any) -> Path:
    path = folder / "s.yaml"
    path.write_text(yaml.safe_dump({
        "name": "tiny", "base": str(BASE), "method": "morris", "samples": 3, "replications": 4,
        "outcomes": ["time_to_message", "killed_due_to_delay"],
        "inputs": [{"path": "desk.pocs.count", "range": [1, 3], "integer": True},
                   {"path": "strike.abort_latency", "range": [1, 10]}], **fields}))
    return path


def test_cli_morris_on_a_scenario(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "out"
    assert main(["sensitivity", str(sensitivity_file(tmp_path)), "--workers", "1", "--out", str(out)]) == 0
    document = json.loads((out / "sensitivity.json").read_text())
    time, killed = document["outcomes"]
    # the abort latency acts after the message is through: it cannot move the time to the message
    assert time["inputs"]["strike.abort_latency"]["mu_star"] == 0
    assert time["inputs"]["desk.pocs.count"]["mu_star"] > 0
    assert killed["inputs"]["strike.abort_latency"]["mu_star"] > 0
    assert (out / "morris_time_to_message.png").is_file() and (out / "results.sqlite").is_file()
    assert "abort latency (min)" in capsys.readouterr().out


@pytest.mark.parametrize("change, message", [
    ({"samples": 100, "method": "sobol"}, "s.yaml:18: samples: Sobol sequences need a power of 2, got 100"),
    ({"inputs": [{"path": "desk.pocs.count", "range": [3, 1]}, {"path": "caller.policy", "values": ["a", "b"]}]},
     "s.yaml:3: inputs[0]: input desk.pocs.count: range [3, 1] is empty"),
])
def test_bad_sensitivity_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                              capsys: pytest.CaptureFixture[str], change: dict[str, Any], message: str) -> None:
    monkeypatch.chdir(tmp_path)
    sensitivity_file(tmp_path, **change)
    assert main(["sensitivity", "s.yaml", "--out", str(tmp_path / "out")]) == 2
    assert capsys.readouterr().err == f"hotline: error: {message}\n"
    assert not (tmp_path / "out").exists()


def test_bad_input_value_named_before_running(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = sensitivity_file(tmp_path, inputs=[{"path": "desk.pocs.count", "range": [1, 3], "integer": True},
                                              {"path": "caller.policy", "values": ["wait_for_poc", "hold_on"]}])
    assert main(["sensitivity", str(path), "--out", str(tmp_path / "out")]) == 2
    err = capsys.readouterr().err
    assert "input caller.policy=\"hold_on\"" in err and "expected one of" in err


@pytest.mark.parametrize("name", ["deir_sobol", "deir_morris"])
def test_shipped_sensitivity_files_prepare(name: str) -> None:
    path = ROOT / "scenarios" / "sensitivity" / f"{name}.yaml"
    prepared = prepare(read_sensitivity(path), path)
    assert len(prepared.spec.inputs) == 7 and prepared.seed == 2016
