"""One figure for the cross-incident study: where each incident's minutes went, on a common axis.

One horizontal bar per incident, starting at its first release on a
protected site (minute 0) and stacked by the parts of the delay budget in
the order they happened (``BUDGET_GROUPS``), so a reader sees at a glance
that Deir ez-Zor's time went to holding and Kunduz's to verification. Each
bar ends with the killed of the incident and the share due to delay. An
incident where nobody called has no budget; its row says so.
"""

from __future__ import annotations

from pathlib import Path

from matplotlib.figure import Figure

from sim.experiment.incidents import IncidentRow
from sim.model.accounting import BUDGET_GROUPS

COLOURS = ("#9e9e9e", "#f4a261", "#e9c46a", "#e76f51", "#2a9d8f", "#264653")


def plot_budgets(rows: list[IncidentRow], path: Path) -> Figure:
    figure = Figure(figsize=(10, 0.7 * len(rows) + 1.8), layout="constrained")
    axes = figure.add_subplot()
    labels = [row.label for row in rows]
    longest = max((sum(row.minutes(g) for _, g in BUDGET_GROUPS) for row in rows if row.called), default=1.0)
    for y, row in enumerate(rows):
        if not row.called:
            axes.text(0.5, y, "nobody called: no delay budget", va="center", fontsize=9, color="#555555")
            continue
        left = 0.0
        for (name, group), colour in zip(BUDGET_GROUPS, COLOURS):
            width = row.minutes(group)
            axes.barh(y, width, left=left, color=colour, edgecolor="white", label=name if y == 0 else None)
            left += width
        out = row.outcomes
        axes.text(left + longest * 0.01, y, f"{out['killed_total']:.0f} killed, {out['killed_due_to_delay']:.1f} "
                  f"due to the desk", va="center", fontsize=8)
    axes.set_yticks(range(len(rows)), labels)
    axes.invert_yaxis()
    axes.set_xlim(0, longest * 1.35)
    axes.set_xlabel("minutes from the first release on a protected site")
    axes.set_title("Where the time went: the same delay budget for each incident")
    axes.legend(loc="lower right", fontsize=8, frameon=False)
    axes.grid(axis="x", alpha=0.3)
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, dpi=110)
    return figure
