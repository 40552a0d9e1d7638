"""What a results database says: per-point statistics and effects against the baseline.

Picture the staffing study's answer to "what does a second POC buy?": for
point "2 POCs, wait for the POC, 2 calls a day" the killed due to delay fall
by 3.2 people against the 2016 baseline, 95% CI [2.7, 3.6], from 1000 paired
replications; treated as two independent samples the same rows would give
an interval a third wider. This module computes those
figures from the store, one outcome of one point at a time, and lays them out
as ``summary.json`` (every outcome, every point) and as a terminal table
(the outcomes the sweep file calls headline).
"""

from __future__ import annotations

import math
from typing import Any, Optional, Sequence, Union

import numpy as np

from sim.model.accounting import PARTS
from sim.model.catalog import describe
from sim.results.labels import factor_label, is_probability, outcome_label
from sim.results.store import ResultStore, aligned
from sim.run.statistics import Difference, Proportion, Summary, paired_difference, proportion, summarise, \
    unpaired_difference
from sim.scenario.units import format_clock

Statistic = Union[Summary, Proportion]


def statistic(values: Any, outcome: str) -> Statistic:
    return proportion(values) if is_probability(outcome) else summarise(values)


def effect(store: ResultStore, outcome: str, point: int, baseline: int) -> tuple[Difference, Difference]:
    """(paired, unpaired) difference ``point - baseline`` over the shared replications."""
    return differences(*store.paired(outcome, point, baseline))


def differences(a: np.ndarray, b: np.ndarray) -> tuple[Difference, Difference]:
    """(paired, unpaired) difference ``a - b`` of two outcomes aligned by replication."""
    return paired_difference(a, b), unpaired_difference(a, b)


def factor_labels(manifest: dict[str, Any]) -> dict[str, str]:
    given = {f["path"]: f.get("label") for f in manifest.get("definition", {}).get("factors", [])}
    return {path: factor_label(path, given.get(path)) for path in manifest.get("factors", [])}


def _clean(value: Any) -> Any:
    if isinstance(value, float):
        return None if math.isnan(value) else round(value, 6)
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def statistics_document(store: ResultStore) -> dict[str, Any]:
    """Every outcome of every point, and every point's paired effect against the baseline.

    A point's outcomes are read a block at a time, with the baseline's same block beside them."""
    manifest = store.manifest()
    baseline: Optional[int] = manifest.get("baseline")
    counts = store.counts()
    points = []
    for point in store.points():
        entry: dict[str, Any] = {"point": point.index, "factors": point.factors, "outcomes": {}}
        against = baseline if baseline != point.index and manifest.get("factors") else None
        effects: dict[str, Any] = {}
        for names, replications, values in store.blocks(point.index, store.outcomes, counts.get(point.index, 0)):
            for j, outcome in enumerate(names):
                entry["outcomes"][outcome] = _clean(statistic(values[:, j], outcome).as_dict())
            if against is not None:
                a, b = aligned((replications, values), store.table(against, names))
                for j, outcome in enumerate(names):
                    paired, unpaired = differences(a[:, j], b[:, j])
                    effects[outcome] = {"paired": _clean(paired.as_dict()), "unpaired": _clean(unpaired.as_dict())}
        if against is not None:
            entry["effect_vs_baseline"] = effects
        points.append(entry)
    keep = ("kind", "name", "seed", "replications", "factors", "baseline", "code_version", "base_source")
    return {**{k: manifest.get(k) for k in keep}, "confidence_level": 0.95, "points": points}


def _num(value: float) -> str:
    if math.isnan(value):
        return "-"
    if value == 0:
        return "0"
    if abs(value) >= 100:
        return f"{value:.0f}"
    return f"{value:.2f}" if abs(value) >= 1 else f"{value:.3f}"


def _interval(low: float, high: float, show: Any = _num) -> str:
    return "-" if math.isnan(low) else f"[{show(low)}, {show(high)}]"


def _layout(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)


def sweep_table(store: ResultStore, outcomes: Sequence[str]) -> str:
    """Per headline outcome: each point's estimate and its paired effect against the baseline."""
    manifest = store.manifest()
    baseline: Optional[int] = manifest.get("baseline")
    labels = factor_labels(manifest)
    blocks = []
    for outcome in outcomes:
        header = ["point", *labels.values(), "n", "estimate", "95% CI"]
        if baseline is not None:
            header += ["vs baseline (paired)", "95% CI", "unpaired CI / paired"]
        rows = [header]
        for point in store.points():
            stat = statistic(store.values(outcome, point.index), outcome)
            estimate = stat.p if isinstance(stat, Proportion) else stat.mean
            row = [str(point.index), *(str(point.factors[f]) for f in labels), str(stat.n), _num(estimate),
                   _interval(stat.ci_low, stat.ci_high)]
            if baseline is not None and point.index == baseline:
                row += ["(baseline)", "", ""]
            elif baseline is not None:
                paired, unpaired = effect(store, outcome, point.index, baseline)
                ratio = unpaired.width / paired.width if paired.width > 0 else math.nan
                row += [("+" if paired.mean > 0 else "") + _num(paired.mean),
                        _interval(paired.ci_low, paired.ci_high), "-" if math.isnan(ratio) else f"{ratio:.1f}x"]
            rows.append(row)
        blocks.append(f"{outcome_label(outcome)}\n{_layout(rows)}")
    return "\n\n".join(blocks)


def _is_budget(outcome: str) -> bool:
    return any(outcome == f"{kind}_{p.key}" for kind in ("delay", "releases", "killed") for p in PARTS)


def replication_warnings(store: ResultStore) -> list[str]:
    """The shares of replications that cannot answer, and what that does to the means."""
    lines = []
    for flag, what in (("nobody_called", "nobody called; the figures about calls and harm due to delay are "
                                         "over the others"),
                       ("never_through", "the message never got through; the times to the message are over the "
                                         "others, and every 'not through within' counts them as late"),
                       ("cut_off", "the run was cut off by the horizon; its harm figures are lower bounds")):
        if flag in store.outcomes:
            share = proportion(store.values(flag, 0))
            if share.successes:
                lines.append(f"in {share.successes} of {share.n} replications ({share.p:.1%}) {what}")
    return lines


def replications_table(store: ResultStore, origin: Optional[float]) -> str:
    """One scenario's replications: every outcome's spread, where the time went, then the probabilities."""
    def show(kind: str) -> Any:
        if kind == "moment" and origin is not None:
            return lambda v: "-" if math.isnan(v) else format_clock(origin + v)
        return _num

    rows = [["", "n", "mean", "95% CI", "median", "p10", "p90", "undefined in"]]
    chances = [["", "n", "P", "95% CI (Wilson)"]]
    notes: dict[str, str] = {}
    for outcome in store.outcomes:
        if _is_budget(outcome):
            continue
        stat = statistic(store.values(outcome, 0), outcome)
        if isinstance(stat, Proportion):
            chances.append([outcome_label(outcome), str(stat.n), _num(stat.p), _interval(stat.ci_low, stat.ci_high)])
            continue
        declared = describe(outcome)
        fmt = show(declared.kind)
        label = f"{declared.label} (clock)" if declared.kind == "moment" and origin is not None \
            else outcome_label(outcome)
        undefined = ""
        if stat.missing:
            notes.setdefault(declared.undefined, f"({len(notes) + 1})")
            undefined = f"{stat.missing} {notes[declared.undefined]}"
        rows.append([label, str(stat.n), fmt(stat.mean), _interval(stat.ci_low, stat.ci_high, fmt),
                     fmt(stat.median), fmt(stat.p10), fmt(stat.p90), undefined])
    text = _layout(rows)
    text += "".join(f"\n  {mark} {why}" for why, mark in notes.items())
    budget = budget_means(store)
    if budget:
        text += "\n\n" + budget
    return text + ("\n\n" + _layout(chances) if len(chances) > 1 else "")


def budget_means(store: ResultStore, point: int = 0) -> str:
    """Where the time went, on average over the replications in which the message got through."""
    if "delay_holding" not in store.outcomes:
        return ""
    rows = [["where the time went (mean)", "minutes", "releases", "killed"]]
    n = 0
    for part in PARTS:
        minutes = store.values(f"delay_{part.key}", point)
        n = int(np.count_nonzero(~np.isnan(minutes)))
        if n == 0:
            return ""
        releases, killed = store.values(f"releases_{part.key}", point), store.values(f"killed_{part.key}", point)
        rows.append([part.label, _num(float(np.nanmean(minutes))), _num(float(np.nanmean(releases))),
                     _num(float(np.nanmean(killed)))])
    return _layout(rows) + f"\n  (over the {n} replications in which the message got through)"
