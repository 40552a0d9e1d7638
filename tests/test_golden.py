"""Golden summaries: no model output of a shipped scenario changes unnoticed.

Every ``scenarios/*.yaml`` (found by glob, so a new scenario is covered the
day it is added) runs 50 replications at the seed in its file. A replay
whose replications all agree is deterministic and keeps one; a stochastic
scenario keeps each outcome's mean over the 50 and its value in every
replication. A figure that moves by more than float noise fails the test
with a table of what moved (outcome, old, new).

When a change is intended, regenerate and say why in the commit::

    python -m pytest tests/test_golden.py --update-golden
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any, Optional

import pytest

from sim.model.world import run_replication
from sim.run.statistics import summarise
from sim.scenario.loader import load_scenario

ROOT = Path(__file__).resolve().parent.parent
SCENARIOS = ROOT / "scenarios"
GOLDEN = Path(__file__).resolve().parent / "golden"
REPLICATIONS = 50
DIGITS = 12          # significant digits kept in the files
REL_TOL = 1e-9       # float noise, e.g. a sum taken in another order
SHOWN = 10
UPDATE = "python -m pytest tests/test_golden.py --update-golden"

Value = Optional[float]  # JSON has no NaN: an undefined figure is null


def _kept(value: float) -> Value:
    return None if math.isnan(value) else float(f"{value:.{DIGITS}g}")


def _same(old: Value, new: Value) -> bool:
    if old is None or new is None:
        return old is new
    return math.isclose(old, new, rel_tol=REL_TOL, abs_tol=1e-12)


def golden_summary(path: Path) -> dict[str, Any]:
    scenario = load_scenario(path)
    runs = [run_replication(scenario, scenario.seed, k).outcomes for k in range(REPLICATIONS)]
    columns = {key: [_kept(run[key]) for run in runs] for key in runs[0]}
    deterministic = all(len(set(map(str, column))) == 1 for column in columns.values())
    summary: dict[str, Any] = {
        "scenario": path.name, "name": scenario.name, "seed": scenario.seed,
        "replications": 1 if deterministic else REPLICATIONS,
        "means": {key: _kept(summarise([math.nan if v is None else v for v in column]).mean)
                  for key, column in columns.items()},
    }
    if not deterministic:
        summary["values"] = columns
    return summary


def _shown(value: Value) -> str:
    return "-" if value is None else f"{value:.10g}"


def differences(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    """What moved, as lines a person reads; empty when nothing did."""
    lines = [f"  {key}: {old.get(key)} -> {new.get(key)}"
             for key in ("name", "seed", "replications") if old.get(key) != new.get(key)]
    old_means, new_means = old["means"], new["means"]
    moved = [(key, old_means.get(key), new_means.get(key)) for key in {**old_means, **new_means}
             if key not in old_means or key not in new_means or not _same(old_means[key], new_means[key])]
    if moved:
        width = max(len("outcome"), *(len(key) for key, _, _ in moved))
        lines += [f"  {'outcome':<{width}}  {'old':>14}  {'new':>14}"]
        lines += [f"  {key:<{width}}  {_shown(a):>14}  {_shown(b):>14}" for key, a, b in moved]
    old_values, new_values = old.get("values", {}), new.get("values", {})
    moved_keys = {key for key, _, _ in moved}
    single = [(k, key, a, b) for key in old_values.keys() & new_values.keys() - moved_keys
              for k, (a, b) in enumerate(zip(old_values[key], new_values[key])) if not _same(a, b)]
    if single:
        lines += [f"  {len(single)} values of single replications moved, their means did not:",
                  *(f"  replication {k} {key}: {_shown(a)} -> {_shown(b)}" for k, key, a, b in sorted(single)[:SHOWN])]
    if not lines:
        return []
    what = "its replay" if new["replications"] == 1 else f"means of {new['replications']} replications"
    return [f"{new['scenario']} (seed {new['seed']}, {what}) moved:", *lines,
            f"If the change is intended: {UPDATE}  (and say why in the commit)"]


def write(file: Path, summary: dict[str, Any]) -> None:
    file.parent.mkdir(exist_ok=True)
    file.write_text(json.dumps(summary, indent=1) + "\n")


@pytest.mark.parametrize("path", sorted(SCENARIOS.glob("*.yaml")), ids=lambda path: path.stem)
def test_shipped_scenario_matches_its_golden_summary(path: Path, update_golden: bool) -> None:
    new = golden_summary(path)
    file = GOLDEN / f"{path.stem}.json"
    if update_golden:
        write(file, new)
    assert file.is_file(), f"no golden summary for {path.name}; create it with {UPDATE}"
    moved = differences(json.loads(file.read_text()), new)
    if moved:
        pytest.fail("\n".join(moved), pytrace=False)


def test_every_golden_summary_belongs_to_a_shipped_scenario(update_golden: bool) -> None:
    stale = [file for file in GOLDEN.glob("*.json") if not (SCENARIOS / f"{file.stem}.yaml").is_file()]
    if update_golden:
        for file in stale:
            file.unlink()
        stale = []
    assert not stale, f"golden summaries of scenarios that are gone: {[f.name for f in stale]}; run {UPDATE}"


def test_replays_keep_one_replication_and_stochastic_scenarios_all() -> None:
    assert golden_summary(SCENARIOS / "deir_ez_zor_2016.yaml")["replications"] == 1
    stochastic = golden_summary(SCENARIOS / "deir_ez_zor_2016_stochastic.yaml")
    assert stochastic["replications"] == REPLICATIONS
    assert len(set(stochastic["values"]["first_call"])) > 1


def test_a_moved_figure_is_reported_with_its_old_and_new_value() -> None:
    old = golden_summary(SCENARIOS / "deir_ez_zor_2016_stochastic.yaml")
    new = json.loads(json.dumps(old))
    new["means"]["killed_due_to_delay"] += 0.5
    report = "\n".join(differences(old, new))
    assert "killed_due_to_delay" in report and "releases_total" not in report
    assert f"{old['means']['killed_due_to_delay']:.10g}" in report
    assert f"{new['means']['killed_due_to_delay']:.10g}" in report
    assert UPDATE in report

    swapped = json.loads(json.dumps(old))
    column = swapped["values"]["time_to_message"]
    column[3], column[4] = column[4], column[3]  # same mean, two replications changed
    assert "replication 3 time_to_message" in "\n".join(differences(old, swapped))
    assert differences(old, json.loads(json.dumps(old))) == []
