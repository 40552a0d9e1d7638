"""Words and units for outcome columns and factor paths, so tables and figures stand alone.

A figure whose axis says ``killed_due_to_delay`` against
``desk.pocs.count`` makes a reviewer ask; one that says "killed due to delay
(people)" against "POCs on the desk" does not. Outcome words come from the
replay report (``sim.results.report``) and the indicators
(``sim.run.indicators``); a factor may carry its own ``label`` in the sweep
file, and common paths have one here.
"""

from __future__ import annotations

from typing import Optional

from sim.model.queue_figures import queue_figure
from sim.results.report import STRIKE_ROWS, row_kind
from sim.run.indicators import PROBABILITY_LABELS

_UNITS = {"minutes": "min", "moment": "min after clock origin", "people": "people", "probability": ""}
_ROWS = {key: (label, kind) for key, label, kind in STRIKE_ROWS}
_OWN = {  # outcomes the replay table does not show, or words that read better on an axis
    "time_to_message": ("time from first call to message through", "minutes"),
    "releases_planned": ("releases planned", "count"),
    "notice_error_km": ("location error of the notice (km)", "km"),
}
_KNOWN = {**_ROWS, **_OWN}

FACTOR_LABELS = {
    "desk.pocs.count": "POCs on the desk",
    "desk.duty_officers.count": "duty officers on the desk",
    "caller.policy": "caller policy",
    "caller.escalate_after": "escalation limit (min)",
    "notification.error.distance_km": "location error (km)",
    "notification.check_radius_km": "check radius (km)",
    "notification.lead_time": "notice lead time (min)",
    "background_calls.rate_per_hour": "background calls per hour",
    "language.misunderstanding_probability": "P(answered call misunderstood)",
    "detection.delay": "detection delay (min)",
}


def is_probability(outcome: str) -> bool:
    """A 1/0 column, summarised as a proportion with Wilson's interval."""
    return outcome in PROBABILITY_LABELS


def outcome_kind(outcome: str) -> str:
    if is_probability(outcome):
        return "probability"
    queue = queue_figure(outcome)
    if queue is not None:
        return row_kind(queue)
    return _KNOWN.get(outcome, ("", "count"))[1]


def outcome_label(outcome: str, unit: bool = True) -> str:
    """``killed due to delay (people)``; a probability's label is its question."""
    if is_probability(outcome):
        return PROBABILITY_LABELS[outcome]
    queue = queue_figure(outcome)
    if queue is not None:
        return queue.axis_label() if unit else queue.label
    label, kind = _KNOWN.get(outcome, (outcome.replace("_", " "), "count"))
    suffix = _UNITS.get(kind, "")
    return f"{label} ({suffix})" if unit and suffix and "(" not in label else label


def factor_label(path: str, given: Optional[str] = None) -> str:
    return given or FACTOR_LABELS.get(path, path)
