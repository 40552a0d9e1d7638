"""The figures of one replay, as a table a person reads and a JSON a program reads.

Moments are shown on the scenario's clock ("16:52:33") when it has a clock
origin, and as minutes after the start otherwise; durations in minutes.
"""

from __future__ import annotations

import math
from typing import Any, Optional

from sim.model.outcome import Outcome
from sim.model.queue_figures import queue_figure
from sim.scenario.units import format_clock

MOMENTS = ("first_call", "message_through", "abort_order", "strike_stop", "counterfactual_stop")

# (outcome key, label, kind) in the order the table shows them.
STRIKE_ROWS = (
    ("first_call", "first call to stop the strike", "moment"),
    ("message_through", "message through to someone who can act", "moment"),
    ("time_to_message", "time from first call to the POC (message through)", "minutes"),
    ("hold_time", "time on hold", "minutes"),
    ("attempts", "call attempts", "count"),
    ("abort_order", "abort order given", "moment"),
    ("strike_stop", "abort reaches the aircraft", "moment"),
    ("releases_total", "releases in all", "count"),
    ("releases_before_message", "releases between first call and message through", "count"),
    ("killed_total", "killed in all", "people"),
    ("wounded_total", "wounded in all", "people"),
    ("counterfactual_stop", "stop had the first call been acted on at once", "moment"),
    ("releases_due_to_delay", "releases due to delay", "count"),
    ("killed_due_to_delay", "killed due to delay", "people"),
    ("wounded_due_to_delay", "wounded due to delay", "people"),
    ("notice_caught", "pre-strike check caught the conflict", "flag"),
)


def row_kind(outcome: Outcome) -> str:
    """The kind of a declared outcome in this table's words (a duration shows in minutes)."""
    return "minutes" if outcome.kind == "time" else outcome.kind


def rounded(outcomes: dict[str, float], digits: int = 6) -> dict[str, Optional[float]]:
    """JSON-safe figures: NaN becomes null, floats lose float noise."""
    return {k: (None if math.isnan(v) else round(v, digits)) for k, v in outcomes.items()}


def clock_times(outcomes: dict[str, float], origin: Optional[float]) -> dict[str, str]:
    if origin is None:
        return {}
    return {k: format_clock(origin + outcomes[k]) for k in MOMENTS
            if k in outcomes and not math.isnan(outcomes[k])}


def format_value(value: float, kind: str, origin: Optional[float]) -> str:
    if math.isnan(value):
        return "-"
    if kind == "moment":
        return format_clock(origin + value) if origin is not None else f"{value:.2f} min after start"
    if kind == "minutes":
        return f"{value:.2f} min"
    if kind == "count":
        return f"{value:.0f}"
    if kind == "flag":
        return "yes" if value else "no"
    if kind == "probability":
        return f"{value:.4f}"
    return f"{value:.1f}"


def summary_table(outcomes: dict[str, float], origin: Optional[float]) -> str:
    if "releases_total" in outcomes:
        lines = [(label, format_value(outcomes[key], kind, origin)) for key, label, kind in STRIKE_ROWS
                 if key in outcomes]
    else:
        figures = [figure for figure in map(queue_figure, outcomes) if figure is not None]
        lines = [(f.label, format_value(outcomes[f.name], row_kind(f), origin)) for f in figures]
    width = max(len(label) for label, _ in lines)
    return "\n".join(f"  {label:<{width}}  {value}" for label, value in lines)


def summary_document(scenario_name: str, source: str, seed: int, outcomes: dict[str, float],
                     origin: Optional[float], overrides: list[str]) -> dict[str, Any]:
    from sim import __version__

    return {
        "scenario": scenario_name,
        "source": source,
        "seed": seed,
        "overrides": overrides,
        "code_version": __version__,
        "outcomes": rounded(outcomes),
        "clock": clock_times(outcomes, origin),
    }
