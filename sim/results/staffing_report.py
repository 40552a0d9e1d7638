"""The staffing answer in words, in a table, as JSON, and as a cost-versus-risk picture.

The answer a desk manager reads first: the cheapest desk that meets every
target, with each target's figure and interval; the next cheaper desk and
the target it misses; then every candidate, with theory beside simulation.
The picture puts each candidate's cost against each target's figure, the
line to stay under, and the frontier: the best figure any desk of that
cost or less reaches.
"""

from __future__ import annotations

import math
from typing import Any, Optional

import numpy as np
from matplotlib.figure import Figure

from sim.experiment.staffing import Candidate, Estimate, StaffingAnswer
from sim.model.catalog import describe
from sim.results.labels import factor_label

COLOURS = {"feasible": "#2ca02c", "fails": "#d62728", "fails (theory too)": "#8c1c1c", "in doubt": "#ff7f0e", "hopeless": "#7f7f7f",
           "not needed": "#1f77b4"}


def status_of(answer: StaffingAnswer, candidate: Candidate) -> str:
    """The candidate's status, with "not needed" for a dearer desk left in doubt once the answer stood."""
    best = answer.answer
    if candidate.status == "in doubt" and best is not None and candidate.cost > best.cost:
        return "not needed"
    if candidate.hopeless and candidate.status == "fails":
        return "fails (theory too)"
    return candidate.status


def _figure(e: Estimate) -> str:
    if math.isnan(e.value):
        return "-"
    return f"{e.value:.3g} [{e.low:.3g}, {e.high:.3g}]"


def _settings(answer: StaffingAnswer, candidate: Candidate) -> str:
    labels = {lv.path: factor_label(lv.path, lv.label) for lv in answer.spec.levers}
    return ", ".join(f"{labels[p]} {v}" for p, v in candidate.settings.items())


def _cost(answer: StaffingAnswer, cost: float) -> str:
    return f"{answer.spec.cost_unit}: {cost:g}"


def staffing_text(answer: StaffingAnswer) -> str:
    spec = answer.spec
    skipped = sum(1 for c in answer.candidates if c.hopeless)
    lines = [f"{spec.name}: {len(answer.candidates)} candidate desks, {skipped} ruled out by queueing theory; "
             f"the rest simulated with common random numbers, {spec.replications.initial} to "
             f"{spec.replications.max} replications each as needed.",
             f"Each interval is at {answer.level:.2%} (Bonferroni over every look at every target), so each "
             f"verdict holds with at least {spec.confidence:.0%} confidence.", ""]
    best = answer.answer
    if best is None:
        lines.append("No candidate desk is confirmed to meet every target.")
    else:
        lines.append(f"Cheapest desk that meets every target ({_cost(answer, best.cost)}): {_settings(answer, best)}")
        lines += [f"  {e.target.words()}: {_figure(e)} over {e.n} replications"
                  + ("" if e.theory is None else f"; theory {e.theory:.3g}") for e in best.estimates]
    for other in answer.next_cheaper:
        lines.append(f"{'Next cheaper' if best else 'Dearest desk tried'} ({_cost(answer, other.cost)}): "
                     f"{_settings(answer, other)}")
        lines.append(f"  {'fails' if other.status in ('fails', 'hopeless') else 'not confirmed'}: "
                     f"{other.why_not()}")
    for doubt in answer.cheaper_in_doubt:
        if doubt not in answer.next_cheaper:
            lines.append(f"Cheaper but still in doubt ({_cost(answer, doubt.cost)}): {_settings(answer, doubt)}: "
                         f"{doubt.why_not()}")
    if answer.cheaper_in_doubt:
        lines.append("  so the answer is the cheapest desk *confirmed*; raise replications.max to settle the rest.")
    return "\n".join(lines) + "\n\n" + staffing_table(answer)


def staffing_table(answer: StaffingAnswer) -> str:
    header = [answer.spec.cost_unit, *(factor_label(lv.path, lv.label) for lv in answer.spec.levers), "status", "n"]
    for target in answer.spec.targets:
        header += [target.words(), "theory"]
    rows = [header]
    for c in answer.candidates:
        row = [f"{c.cost:g}", *(str(v) for v in c.settings.values()), status_of(answer, c), str(c.replications)]
        for i, target in enumerate(answer.spec.targets):
            theory = c.theory[target.outcome]
            row += [_figure(c.estimates[i]) if c.estimates else "-",
                    "-" if theory is None else f"{theory:.3g}"]
        rows.append(row)
    widths = [max(len(r[i]) for r in rows) for i in range(len(header))]
    return "\n".join("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows)


def _clean(value: Optional[float]) -> Optional[float]:
    return None if value is None or math.isnan(value) else round(value, 6)


def staffing_document(answer: StaffingAnswer) -> dict[str, Any]:
    def figures(e: Estimate) -> dict[str, Any]:
        return {"estimate": _clean(e.value), "ci_low": _clean(e.low), "ci_high": _clean(e.high), "n": e.n,
                "verdict": e.verdict}

    def entry(c: Candidate) -> dict[str, Any]:
        simulated = {e.target.outcome: figures(e) for e in c.estimates}
        return {"point": c.index, "settings": c.settings, "cost": c.cost, "status": status_of(answer, c),
                "replications": c.replications, "hopeless": c.hopeless or None,
                "targets": [{"target": t.words(), "outcome": t.outcome, "theory": _clean(c.theory[t.outcome]),
                             **simulated.get(t.outcome, {})} for t in answer.spec.targets]}
    best = answer.answer
    return {"name": answer.spec.name, "cost_unit": answer.spec.cost_unit, "confidence": answer.spec.confidence,
            "interval_level": round(answer.level, 6), "seed": answer.plan.seed,
            "answer": entry(best) if best else None,
            "next_cheaper": [entry(c) for c in answer.next_cheaper],
            "candidates": [entry(c) for c in answer.candidates]}


def draw_frontier(answer: StaffingAnswer) -> Figure:
    """Cost against each target's figure; the frontier is the best figure at that cost or less."""
    targets = answer.spec.targets
    fig = Figure(figsize=(5.2 * len(targets) + 1.6, 4.6), layout="constrained")
    axes = fig.subplots(1, len(targets), squeeze=False)[0]
    best = answer.answer
    for ax, (i, target) in zip(axes, enumerate(targets)):
        for status, colour in COLOURS.items():
            chosen = [c for c in answer.candidates if status_of(answer, c) == status and c.estimates
                      and not math.isnan(c.estimates[i].value)]
            if not chosen:
                continue
            x = np.array([c.cost for c in chosen])
            y = np.array([c.estimates[i].value for c in chosen])
            err = np.array([[c.estimates[i].value - c.estimates[i].low for c in chosen],
                            [c.estimates[i].high - c.estimates[i].value for c in chosen]])
            ax.errorbar(x, y, yerr=err, fmt="o", color=colour, capsize=3, label=status, alpha=0.85)
        theory = [(c.cost, c.theory[target.outcome]) for c in answer.candidates
                  if c.theory[target.outcome] is not None]
        if theory:
            ax.scatter(*zip(*theory), marker="x", color="black", label="queueing theory", zorder=3)
        simulated = sorted((c.cost, c.estimates[i].value) for c in answer.candidates
                           if c.estimates and not math.isnan(c.estimates[i].value))
        if simulated:
            better = np.minimum.accumulate if target.at_most is not None else np.maximum.accumulate
            costs, values = zip(*simulated)
            ax.step(costs, better(np.array(values)), where="post", color="black", linewidth=1, alpha=0.6,
                    label="frontier")
        ax.axhline(target.limit, color="crimson", linestyle="--", linewidth=1)
        if best is not None:
            ax.scatter([best.cost], [best.estimates[i].value], s=220, facecolors="none", edgecolors="black",
                       linewidths=1.5, label="answer", zorder=4)
        ax.set_xlabel(f"cost ({answer.spec.cost_unit})")
        ax.set_ylabel(target.words() if describe(target.outcome).is_flag else
                      f"mean {describe(target.outcome).axis_label()}")
        ax.grid(alpha=0.3)
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside right center")
    fig.suptitle(f"{answer.spec.name}: cost against risk ({answer.level:.2%} intervals; dashed: the target)",
                 fontsize=11)
    return fig
