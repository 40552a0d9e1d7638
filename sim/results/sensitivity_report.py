"""Sensitivity indices as a table and a picture: what each assumption explains, alone and with others.

Sobol: per input, the first-order index S1 (alone) and the total index ST
(with all its interactions), each with its bootstrap interval; beside them
the interaction share ST - S1, whose bar spans the two intervals added (a
conservative interval: SALib bootstraps each index, not their difference).
Morris: mu* (mean absolute effect of one step) with its interval, and sigma
(how much that effect changes with the other inputs: interaction or
non-linearity). Every figure says how much of the variance was replication
noise.
"""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from sim.experiment.sensitivity import Indices
from sim.results.labels import outcome_label


def draw_indices(result: Indices, labels: dict[str, str], title: str) -> Figure:
    order = np.argsort(np.nan_to_num(result.total if result.method == "sobol" else result.first))
    names = [labels.get(result.names[i], result.names[i]) for i in order]
    y = np.arange(len(names))
    fig = Figure(figsize=(11, 1.6 + 0.5 * len(names)), layout="constrained")
    left, right = fig.subplots(1, 2, sharey=True, gridspec_kw={"width_ratios": [3, 2]})
    if result.method == "sobol":
        left.barh(y + 0.2, result.first[order], 0.4, xerr=result.first_conf[order], capsize=3,
                  color="#1f77b4", label="first order S1 (alone)")
        left.barh(y - 0.2, result.total[order], 0.4, xerr=result.total_conf[order], capsize=3,
                  color="#ff7f0e", label="total ST (with interactions)")
        left.set_xlabel("share of the variance of the point means")
        interaction = result.total[order] - result.first[order]
        right.barh(y, interaction, 0.5, xerr=result.first_conf[order] + result.total_conf[order], capsize=3,
                   color="#9467bd")
        right.set_xlabel("interaction share ST - S1\n(interval: both half-widths added)")
    else:
        left.barh(y, result.first[order], 0.5, xerr=result.first_conf[order], capsize=3, color="#1f77b4",
                  label="mu* (mean absolute effect of one step)")
        left.set_xlabel(f"mu*: {outcome_label(result.outcome)}")
        right.barh(y, result.total[order], 0.5, color="#9467bd")
        right.set_xlabel("sigma: how much the step's effect varies\n(interactions or non-linearity)")
    left.set_yticks(y, names)
    for ax in (left, right):
        ax.axvline(0, color="black", linewidth=0.8)
        ax.grid(axis="x", alpha=0.3)
    left.legend(loc="lower right", fontsize=8)
    what = "Sobol indices" if result.method == "sobol" else "Morris screening"
    fig.suptitle(f"{what} of {outcome_label(result.outcome, unit=False)}: {title}\n"
                 f"{result.points} sample points x {result.replications} replications (common random numbers)\n"
                 f"model randomness {result.randomness_share:.0%} of one afternoon's variance; replication "
                 f"noise {result.noise_share:.1%} of the variance of the point means", fontsize=10)
    return fig


def indices_table(result: Indices, labels: dict[str, str]) -> str:
    """One outcome's indices, largest total effect first, then the noise shares and any warning."""
    head = f"{outcome_label(result.outcome)}: {result.method}, {result.points} points x {result.replications} replications"
    lines = [head]
    if result.first.size:
        if result.method == "sobol":
            rows = [["input", "S1", "95% CI", "ST", "95% CI", "ST - S1"]]
            cells = [[f"{result.first[i]:.3f}", f"+-{result.first_conf[i]:.3f}", f"{result.total[i]:.3f}",
                      f"+-{result.total_conf[i]:.3f}", f"{result.total[i] - result.first[i]:.3f}"]
                     for i in range(len(result.names))]
            key = result.total
        else:
            rows = [["input", "mu*", "95% CI", "sigma"]]
            cells = [[f"{result.first[i]:.3g}", f"+-{result.first_conf[i]:.2g}", f"{result.total[i]:.3g}"]
                     for i in range(len(result.names))]
            key = result.first
        rows += [[labels.get(result.names[i], result.names[i]), *cells[i]] for i in np.argsort(-key)]
        widths = [max(len(r[c]) for r in rows) for c in range(len(rows[0]))]
        lines += ["  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.append(f"  model randomness: {result.randomness_share:.1%} of the variance of one replication; "
                 f"replication noise: {result.noise_share:.1%} of the variance of the point means")
    lines += [f"  warning: {w}" for w in result.warnings]
    return "\n".join(lines)
