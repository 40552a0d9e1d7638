"""The figures of one run, as a table a person reads and a JSON a program reads.

Moments are shown on the scenario's clock ("16:52:33", "00:10:00+1d" on the
next day) when it has a clock origin, and as minutes after the start
otherwise; durations in minutes. Below the table, a run that cannot answer
some question says so in a warning line (nobody called, the message never
got through, the horizon cut the run off), and a strike run shows where the
time went, part by part (``sim.model.accounting``).
"""

from __future__ import annotations

import math
from typing import Any, Optional, Sequence

from sim.model.accounting import PARTS
from sim.model.catalog import describe
from sim.scenario.units import format_clock

STRIKE_ROWS = (
    "first_hit", "first_call", "message_through", "time_to_message", "hold_time", "attempts", "abort_order",
    "strike_stop", "strike_end", "releases_total", "releases_before_message", "killed_total", "wounded_total",
    "counterfactual_stop", "releases_due_to_delay", "killed_due_to_delay", "wounded_due_to_delay",
    "notice_caught", "notice_caught_before_strike", "notice_lead", "notice_covers_target",
    "site_notice_at_cell", "site_notice_reached_cell", "site_notice_caught",
    "query_answered", "query_error_km", "query_yes", "query_wrong",
)
"""What ``hotline run`` shows of a strike run, in this order."""


def statement(label: str) -> str:
    """A flag's question as a statement: ``P(strike held)`` -> ``strike held``."""
    return label[2:-1] if label.startswith("P(") and label.endswith(")") else label


def rounded(outcomes: dict[str, float], digits: int = 6) -> dict[str, Optional[float]]:
    """JSON-safe figures: NaN becomes null, floats lose float noise."""
    return {k: (None if math.isnan(v) else round(v, digits)) for k, v in outcomes.items()}


def clock_times(outcomes: dict[str, float], origin: Optional[float]) -> dict[str, str]:
    if origin is None:
        return {}
    return {k: format_clock(origin + v) for k, v in outcomes.items()
            if describe(k).kind == "moment" and not math.isnan(v)}


def format_value(value: float, kind: str, origin: Optional[float]) -> str:
    if math.isnan(value):
        return "-"
    if kind == "moment":
        return format_clock(origin + value) if origin is not None else f"{value:.2f} min after start"
    if kind == "time":
        return f"{value:.2f} min"
    if kind == "count":
        return f"{value:.0f}"
    if kind == "flag":
        return "yes" if value else "no"
    if kind == "probability":
        return f"{value:.4f}"
    return f"{value:.1f}"


def _layout(rows: Sequence[tuple[str, ...]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return "\n".join("  " + "  ".join(cell.rjust(w) if i else cell.ljust(w) for i, (cell, w)
                                      in enumerate(zip(row, widths))).rstrip() for row in rows)


def summary_rows(outcomes: dict[str, float], origin: Optional[float]) -> list[tuple[str, str]]:
    """(words, value as shown) of each figure ``hotline run`` shows, in its order."""
    keys = [k for k in STRIKE_ROWS if k in outcomes] if "releases_total" in outcomes else list(outcomes)
    rows = []
    for key in keys:
        declared = describe(key)
        label = statement(declared.label) if declared.is_flag else declared.label
        rows.append((label, format_value(outcomes[key], declared.kind, origin)))
    return rows


def summary_table(outcomes: dict[str, float], origin: Optional[float]) -> str:
    rows = summary_rows(outcomes, origin)
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"  {label:<{width}}  {value}" for label, value in rows)


def warnings(outcomes: dict[str, float]) -> list[str]:
    """One line per question this run cannot answer, or answers only in part."""
    def yes(key: str) -> bool:
        return outcomes.get(key, 0.0) == 1.0

    lines = []
    if yes("nobody_called"):
        lines.append("nobody called (no release hit a protected site, and no notice was caught): there was no call "
                     "to delay, so the time to the message and the harm due to delay are undefined (-)")
    if yes("never_through"):
        lines.append("the message never got through (the callers gave up, or the run ended first): the time to "
                     "the message is undefined, and the harm due to delay counts every release after the "
                     "counterfactual stop")
    if yes("cut_off"):
        lines.append("the run was cut off by the scenario's horizon with the strike or a call still going on: "
                     "the figures cover only what happened before it, and the harm may be higher")
    if outcomes.get("notice_caught") == 1.0 and outcomes.get("notice_caught_before_strike") == 0.0:
        lines.append("the pre-strike check caught the conflict only after the strike had begun (caught late): "
                     "the time the notice waited counts in the harm due to delay")
    if yes("strike_crosses_midnight"):
        lines.append("the strike runs past midnight: clock times marked +1d are on the next day")
    return lines


def budget(outcomes: dict[str, float]) -> list[dict[str, Any]]:
    """Where the time went: each part with its minutes, releases and killed (parts that took no time left out)."""
    rows = []
    for part in PARTS:
        minutes = outcomes.get(f"delay_{part.key}", math.nan)
        releases = outcomes.get(f"releases_{part.key}", math.nan)
        if math.isnan(minutes) or (minutes == 0 and not releases):
            continue
        rows.append({"part": part.key, "label": part.label, "desk": part.desk, "minutes": minutes,
                     "releases": releases, "killed": outcomes[f"killed_{part.key}"]})
    return rows


def budget_table(outcomes: dict[str, float], origin: Optional[float]) -> str:
    """``hotline run``'s answer to "where did the 27 minutes go?"; empty when the message never got through."""
    parts = budget(outcomes)
    if not parts:
        return ""
    desk = [p for p in parts if p["desk"]]
    rows = [("part", "minutes", "releases", "killed")]
    rows += [(p["label"], f"{p['minutes']:.2f}", f"{p['releases']:.0f}", f"{p['killed']:.1f}") for p in parts]
    rows.append(("the desk's parts (= due to delay)", f"{sum(p['minutes'] for p in desk):.2f}",
                 f"{sum(p['releases'] for p in desk):.0f}", f"{sum(p['killed'] for p in desk):.1f}"))
    start = outcomes["first_hit"] if not math.isnan(outcomes["first_hit"]) else outcomes["earliest_call"]
    when = format_value(start, "moment", origin)
    return (f"Where did the time go? From {when} to the stop, each release charged to one part "
            f"(see README, 'Where the time went'):\n{_layout(rows)}")


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
        "warnings": warnings(outcomes),
        "budget": [{k: (round(v, 6) if isinstance(v, float) else v) for k, v in row.items()}
                   for row in budget(outcomes)],
    }
