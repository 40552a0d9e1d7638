"""The replay as one picture: who was doing what while the bombs fell.

The story of Deir ez-Zor is a race between two clocks: the strike's releases
and the call that could stop them. So the plot is a Gantt chart on one time
axis, one row per actor, top to bottom in the order the harm propagates:
the strike, each calling party, each POC (away: the reason for the wait),
the duty officers, the pre-strike notice. Bars are states that last (the strike window,
a call on hold, a POC away); markers are instants (a release, the message
getting through). What the delay cost is shown twice: releases after the
counterfactual stop ("had the first call been acted on at once") are red,
and the span from first call to message through is shaded and annotated.

The labels of the vertical moment lines sit on their own levels in a band
above the rows, each line drawn only up to its label, so the labels never
collide however close the moments are. Legend and headline figures live
outside the axes, on the right, so they never cover data. The x axis is the
scenario's clock when it has an origin (ticks on round clock times), else
minutes after the start. The figure is a plain ``Figure`` (no pyplot state).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any, Mapping, Optional, Sequence, cast

from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.text import Annotation
from matplotlib.ticker import AutoMinorLocator, FuncFormatter, MultipleLocator

from sim.model.trace import Event, Kind
from sim.scenario.schema import Scenario
from sim.scenario.units import format_clock

BAR = 0.5  # bar height, in row units
LEVEL = 0.42  # height of one label level in the band above the rows
# state of the caller's line -> (colour, hatch, legend label)
CALL_STYLE = {
    "ringing": ("#d9d9d9", "", "ringing"),
    "duty officer": ("#9ecae1", "", "talking to the duty officer"),
    "hold": ("#fff1b8", "////", "on hold for a POC"),
    "POC": ("#74c476", "", "talking to a POC"),
}
ENDINGS = {"misunderstood": "call misunderstood", "abandoned": "caller hung up on hold"}
RELEASE, LATE = "#4d4d4d", "#d62728"
WHITE = {"facecolor": "white", "edgecolor": "none", "pad": 1}  # label background over lines
MOMENTS = (  # (outcome key, label, colour, line style)
    ("first_call", "first call", "#e6550d", "-"),
    ("counterfactual_stop", "stop had the earliest possible call been acted on at once", "#756bb1", ":"),
    ("message_through", "message through", "#31a354", "-"),
    ("abort_order", "abort order", "#3182bd", "--"),
    ("strike_stop", "abort reaches aircraft", "#08306b", "--"),
)
Segment = tuple[float, float, str]


def _present(value: Optional[float]) -> bool:
    return value is not None and not math.isnan(value)


def _caller_of(e: Event) -> str:
    """The party an event belongs to: its actor for the caller's own events, else its ``caller`` detail."""
    return str(e.detail.get("caller", e.actor))


def call_segments(events: Sequence[Event], party: str, end: float) -> list[Segment]:
    """(start, end, state) pieces of one party's line: ringing or on hold, then talking to whom."""
    segments: list[Segment] = []
    state: Optional[str] = None
    since = 0.0
    for e in events:
        if _caller_of(e) != party:
            continue
        if e.kind == Kind.ANSWERED:
            new: Optional[str] = str(e.detail.get("role", "POC"))
        elif e.kind == Kind.CALL_DIAL:
            new = "ringing"
        elif e.kind == Kind.HOLD_START:
            new = "hold"
        elif e.kind in (Kind.HOLD_END, Kind.CALL_ENDED, Kind.MESSAGE_TAKEN, Kind.MESSAGE_THROUGH,
                        Kind.CALLER_GAVE_UP, Kind.CALLER_STOPPED) and state is not None:
            new = None
        else:
            continue
        if state is not None:
            segments.append((since, e.time, state))
        state, since = new, e.time
    if state is not None:
        segments.append((since, end, state))
    return [seg for seg in segments if seg[1] > seg[0]]


def relay_segments(events: Sequence[Event], end: float) -> list[tuple[float, float]]:
    """A duty officer passing a message on: from taking it to the message being through."""
    spans = []
    for e in events:
        if e.kind == Kind.MESSAGE_TAKEN:
            done = next((t.time for t in events if t.kind == Kind.MESSAGE_THROUGH and t.actor == "duty officer"
                         and _caller_of(t) == _caller_of(e) and t.time >= e.time), end)
            spans.append((e.time, done))
    return spans


def poc_away(events: Sequence[Event], end: float) -> dict[str, list[tuple[float, float]]]:
    """Away periods per POC; one still open when the trace ends runs to the edge."""
    away: dict[str, list[tuple[float, float]]] = {}
    left: dict[str, float] = {}
    for e in events:
        if e.kind == Kind.SEAT_AWAY:
            left[e.actor] = e.time
            away.setdefault(e.actor, [])
        elif e.kind == Kind.SEAT_BACK and e.actor in left:
            away[e.actor].append((left.pop(e.actor), e.time))
    for actor, start in left.items():
        away[actor].append((start, end))
    return away  # in the order the POCs first left: the desk's seat order at the start


def _parties(events: Sequence[Event]) -> list[str]:
    return list(dict.fromkeys(e.actor for e in events if e.kind == Kind.CALL_DIAL))


def _bar(ax: Axes, y: float, start: float, end: float, colour: str, label: str,
         hatch: str = "", text: str = "") -> None:
    ax.broken_barh([(start, end - start)], (y - BAR / 2, BAR), facecolors=colour, hatch=hatch,
                   edgecolor="#555555", linewidth=0.6, label=label, zorder=2)
    lo, hi = ax.get_xlim()
    if text and end - start > 0.06 * (hi - lo):
        ax.text((start + end) / 2, y, text, ha="center", va="center", fontsize=8, zorder=3)


def plot_timeline(events: Sequence[Event], outcomes: Mapping[str, float], scenario: Scenario,
                  path: Optional[Path] = None) -> Figure:
    """Draw the replay's timeline, to ``path`` if given (the format follows its suffix), and return the figure."""
    shift = scenario.origin_minutes or 0.0
    evs = [Event(e.time + shift, e.kind, e.actor, e.detail) for e in events]
    moments = {k: outcomes[k] + shift for k, *_ in MOMENTS if _present(outcomes.get(k))}
    times = [e.time for e in evs] + list(moments.values())
    lo, hi = (min(times), max(times)) if times else (shift, shift + 60.0)
    pad = max(0.03 * (hi - lo), 1.0)
    lo, hi = lo - pad, hi + pad

    parties = _parties(evs)
    segments = {party: call_segments(evs, party, hi) for party in parties}
    away = poc_away(evs, hi)
    relays = relay_segments(evs, hi)
    officer = [seg for party in parties for seg in segments[party] if seg[2] == "duty officer"]
    notice = [e for e in evs if e.kind in (Kind.NOTICE_SENT, Kind.NOTICE_CHECKED)]
    exchanges = {row: [e for e in evs if e.kind in kinds] for row, kinds in EXCHANGES.items()}
    exchanges = {row: found for row, found in exchanges.items() if found}
    names = {party: party[:1].upper() + party[1:] for party in parties} or {"": "Caller"}
    rows = ["Strike", *names.values(), *away, *(["Duty officer"] if officer or relays else []),
            *(["Notice"] if notice else []), *exchanges]
    y = {name: len(rows) - 1 - i for i, name in enumerate(rows)}

    fig = Figure(figsize=(12, 6), dpi=150)
    fig.subplots_adjust(left=0.12, right=0.76, top=0.92, bottom=0.1)  # room for "designated POC 2"
    ax = fig.add_subplot()
    bracket = "first_call" in moments and "message_through" in moments
    ax.set_xlim(lo, hi)  # both limits first: labels are measured against them
    ax.set_ylim(-0.7, len(rows) - 0.3 + LEVEL * (len(moments) + bracket))
    _draw_strike(ax, evs, y["Strike"], outcomes.get("counterfactual_stop", math.nan) + shift)
    for party, name in names.items():
        _draw_caller(ax, [e for e in evs if _caller_of(e) == party], segments.get(party, []), y[name])
    for actor, periods in away.items():
        for start, end in periods:
            _bar(ax, y[actor], start, end, "#bdbdbd", "POC away",
                 text="away" if end < hi else "away, not back by the end")
    for start, end, _ in officer:
        _bar(ax, y["Duty officer"], start, end, CALL_STYLE["duty officer"][0], "talking to the duty officer")
    for start, end in relays:
        _bar(ax, y["Duty officer"], start, end, "#6baed6", "duty officer relays", "..", "relay")
    if notice:
        _draw_notice(ax, notice, y["Notice"])
    for row, found in exchanges.items():
        _draw_exchange(ax, found, y[row])

    _draw_moments(ax, evs, outcomes, moments, len(rows), shift, scenario.origin_minutes is not None)
    ax.set_yticks([y[r] for r in rows], rows)
    ax.tick_params(axis="y", length=0)
    ax.spines[["top", "right", "left"]].set_visible(False)
    _format_x(ax, scenario.origin_minutes is not None)
    ax.set_title(scenario.name, fontsize=12, loc="left")

    handles, labels = ax.get_legend_handles_labels()
    unique = dict(zip(labels, handles))
    ax.legend(unique.values(), unique.keys(), loc="upper left", bbox_to_anchor=(1.01, 1.0),
              fontsize=8, frameon=False)
    ax.text(1.02, 0.0, _headline(outcomes), transform=ax.transAxes, fontsize=9, va="bottom",
            bbox={"boxstyle": "round", "facecolor": "#f7f7f7", "edgecolor": "#999999"})
    if path is not None:
        fig.savefig(path)
    return fig


def _draw_strike(ax: Axes, evs: Sequence[Event], row: float, counterfactual: float) -> None:
    held = [e for e in evs if e.kind == Kind.STRIKE_HELD]
    if held:
        ax.plot(held[0].time, row, "o", color="#31a354", markersize=9, label="strike held", zorder=4)
        planned = held[0].detail.get("planned_releases", 0)
        _keep_inside(ax, ax.annotate(f"strike held: none of {planned} releases fell", (held[0].time, row),
                                     xytext=(-8, 0), textcoords="offset points", ha="right", va="center",
                                     fontsize=8))
        return
    start = next((e.time for e in evs if e.kind == Kind.STRIKE_START), None)
    if start is not None:
        end = next((e.time for e in evs if e.kind == Kind.STRIKE_END), ax.get_xlim()[1])
        _bar(ax, row, start, end, "#f0f0f0", "strike window")
    for e in (e for e in evs if e.kind == Kind.RELEASE):
        late = e.time >= counterfactual  # False when there is no counterfactual (NaN)
        ax.plot(e.time, row, "|", color=LATE if late else RELEASE, markersize=16, markeredgewidth=1.8,
                label="release due to delay" if late else "release", zorder=3)


def _draw_caller(ax: Axes, evs: Sequence[Event], segments: Sequence[tuple[float, float, str]],
                 row: float) -> None:
    for start, end, state in segments:
        colour, hatch, label = CALL_STYLE[state]
        minutes = f" {end - start:.0f} min" if state == "hold" else ""
        _bar(ax, row, start, end, colour, label, hatch, f"{label.split(' for')[0]}{minutes}")
    for e in evs:
        if e.kind in (Kind.CALL_ENDED, Kind.CALLER_GAVE_UP):
            label = ENDINGS.get(e.detail.get("outcome", ""), "caller gave up")
            ax.plot(e.time, row, "X", color="#a50f15", markersize=8, label=label, zorder=4)
        elif e.kind == Kind.CALLER_STOPPED:
            ax.plot(e.time, row, "s", color="#636363", markersize=6, label="stops calling: strike stopped",
                    zorder=4)
        elif e.kind == Kind.MESSAGE_THROUGH:
            ax.plot(e.time, row, "*", color="#31a354", markeredgecolor="black", markersize=14,
                    label="message through", zorder=4)
    if not any(e.kind == Kind.CALL_DIAL for e in evs):
        ax.annotate("no call made", (ax.get_xlim()[0], row), xytext=(8, 0), textcoords="offset points",
                    va="center", fontsize=8, style="italic")


def _draw_notice(ax: Axes, notice: Sequence[Event], row: float) -> None:
    """The notice going out and the receiving side's check of it, with one line of text."""
    parts = []
    for e in notice:
        if e.kind == Kind.NOTICE_SENT:
            ax.plot(e.time, row, "o", color="#636363", markersize=7, label="notice sent", zorder=4)
            parts.append(f"notice sent, {e.detail.get('error_km', math.nan):.1f} km off")
        else:
            conflict = bool(e.detail.get("conflict"))
            ax.plot(e.time, row, "s", color=LATE if conflict else "#636363", markersize=7, zorder=4,
                    label=f"notice checked: {'conflict' if conflict else 'no conflict'}")
            parts.append("checked: conflict, objection" if conflict else "checked: no conflict found")
    ax.plot([notice[0].time, notice[-1].time], [row, row], color="#636363", linewidth=1.2, zorder=3)
    ax.annotate("; ".join(parts), (notice[-1].time, row), xytext=(8, 0), textcoords="offset points",
                va="center", fontsize=8, zorder=5, bbox=WHITE)


EXCHANGES = {
    "Query": (Kind.QUERY_ASKED, Kind.QUERY_ANSWERED),
    "No-strike list": (Kind.SITE_NOTICE_RECEIVED, Kind.SITE_NOTICE_CHECKED),
}
"""Rows for the striking side's query and the receiving side's site notice, when the trace has them."""


def _exchange_text(e: Event) -> str:
    d = e.detail
    if e.kind == Kind.QUERY_ASKED:
        return f"query, {d.get('error_km', math.nan):.1f} km off"
    if e.kind == Kind.QUERY_ANSWERED:
        return f"answer: {'yes' if d.get('yes') else 'no'}{' (wrong)' if d.get('wrong') else ''}"
    if e.kind == Kind.SITE_NOTICE_RECEIVED:
        return "site notice at HQ" + ("" if d.get("reaches_cell") else ", never reaches the cell")
    return "at the cell: " + ("target listed, fire held" if d.get("conflict") else "target not listed")


def _draw_exchange(ax: Axes, found: Sequence[Event], row: float) -> None:
    """A query and its answer, or a site notice and the cell's check, with one line of text."""
    for e in found:
        ax.plot(e.time, row, "D", color="#636363", markersize=6, zorder=4)
    ax.plot([found[0].time, found[-1].time], [row, row], color="#636363", linewidth=1.2, zorder=3)
    ax.annotate("; ".join(_exchange_text(e) for e in found), (found[-1].time, row), xytext=(8, 0),
                textcoords="offset points", va="center", fontsize=8, zorder=5, bbox=WHITE)


def _draw_moments(ax: Axes, evs: Sequence[Event], outcomes: Mapping[str, float],
                  moments: Mapping[str, float], n_rows: int, shift: float, clock: bool) -> None:
    """Vertical lines, each labelled on its own level above the rows."""
    lo, hi = ax.get_xlim()
    mid = (lo + hi) / 2
    base = n_rows - 0.5 + LEVEL / 2
    bracket = "first_call" in moments and "message_through" in moments
    if bracket:
        first, through = moments["first_call"], moments["message_through"]
        ax.axvspan(first, through, color="#fdd0a2", alpha=0.35, zorder=0, linewidth=0)
        ax.annotate("", (first, base - LEVEL / 3), (through, base - LEVEL / 3),
                    arrowprops={"arrowstyle": "|-|,widthA=0.3,widthB=0.3", "color": "#a63603"})
        via = next((e.actor for e in evs if e.kind == Kind.MESSAGE_THROUGH), "POC")
        n = outcomes.get("releases_before_message", math.nan)
        count = f", {n:.0f} release{'' if n == 1 else 's'}" if _present(n) else ""
        who = "the POC" if via == "POC" else "action via the duty officer"
        _keep_inside(ax, ax.annotate(f"{through - first:.1f} min to {who}{count}",
                                     ((first + through) / 2, base - LEVEL / 3), xytext=(0, 2),
                                     textcoords="offset points", ha="center", va="bottom", fontsize=8,
                                     color="#a63603", fontweight="bold", zorder=5, bbox=WHITE))
    styles = {k: rest for k, *rest in MOMENTS}
    right = sorted((k for k in moments if moments[k] > mid), key=moments.__getitem__)
    left = sorted((k for k in moments if moments[k] <= mid), key=moments.__getitem__, reverse=True)
    for level, key in enumerate(right + left, start=int(bracket)):
        t = moments[key]
        label, colour, style = styles[key]
        top = base + LEVEL * level
        ax.vlines(t, -0.5, top, colors=colour, linestyles=cast(Any, style), linewidth=1.3, zorder=1)
        when = format_clock(t) if clock else f"{t - shift:.1f} min"
        _keep_inside(ax, ax.annotate(f"{label} {when}", (t, top), xytext=(-3 if t > mid else 3, 0),
                                     textcoords="offset points", ha="right" if t > mid else "left",
                                     va="center", fontsize=8, color=colour, zorder=5, bbox=WHITE))


def _keep_inside(ax: Axes, label: Annotation) -> None:
    """Slide a label sideways so that it does not run out of the axes."""
    box, frame = label.get_window_extent(), ax.get_window_extent()
    overflow = min(frame.x1 - box.x1, 0.0) or max(frame.x0 - box.x0, 0.0)
    dx, dy = label.xyann
    label.xyann = (dx + overflow * 72.0 / ax.figure.dpi, dy)  # pixels to points


def _format_x(ax: Axes, clock: bool) -> None:
    lo, hi = ax.get_xlim()
    step = next((s for s in (1, 2, 5, 10, 15, 30, 60, 120, 240) if (hi - lo) / s <= 12), 480)
    ax.xaxis.set_major_locator(MultipleLocator(step))
    ax.xaxis.set_minor_locator(AutoMinorLocator())
    if clock:
        ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _: format_clock(x)[:5]))
        ax.set_xlabel("local time (HH:MM)")
    else:
        ax.set_xlabel("minutes after the start")
    ax.grid(axis="x", color="#eeeeee", zorder=0)


def _headline(outcomes: Mapping[str, float]) -> str:
    rows = (("releases_total", "releases in all", "{:.0f}"),
            ("releases_before_message", "between call and message", "{:.0f}"),
            ("releases_due_to_delay", "due to delay", "{:.0f}"),
            ("killed_due_to_delay", "killed due to delay", "{:.1f}"))
    lines = [f"{label}: {fmt.format(outcomes[k])}" for k, label, fmt in rows if _present(outcomes.get(k))]
    return "\n".join(lines) if lines else "no strike figures"
