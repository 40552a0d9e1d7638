"""Words and units for outcome columns and factor paths, so tables and figures stand alone.

A figure whose axis says ``killed_due_to_delay`` against
``desk.pocs.count`` makes a reviewer ask; one that says "killed due to delay
(people)" against "POCs on the desk" does not. Outcome words and units come
from the model's declarations (``sim.model.catalog``); a factor may carry its
own ``label`` in the sweep file, and common paths have one here.
"""

from __future__ import annotations

from typing import Optional

from sim.model.catalog import describe

FACTOR_LABELS = {
    "desk.pocs.count": "POCs on the desk",
    "desk.precedence": "call precedence",
    "desk.duty_officers.count": "duty officers on the desk",
    "caller.policy": "caller policy",
    "caller.escalate_after": "escalation limit (min)",
    "caller.patience": "caller's patience on hold (min)",
    "notification.error.distance_km": "location error (km)",
    "notification.check_radius_km": "check radius (km)",
    "notification.lead_time": "notice lead time (min)",
    "background_calls.rate_per_hour": "background calls per hour",
    "language.misunderstanding_probability": "P(answered call misunderstood)",
    "detection.delay": "detection delay (min)",
    "strike.abort_latency": "abort latency (min)",
    "strike.cep_km": "CEP of the weapons (km)",
}


def is_probability(outcome: str) -> bool:
    """A yes/no column, summarised as a proportion with Wilson's interval."""
    return describe(outcome).is_flag


def outcome_kind(outcome: str) -> str:
    return describe(outcome).kind


def outcome_label(outcome: str, unit: bool = True) -> str:
    """``killed due to delay (people)``; a flag's label is its question."""
    declared = describe(outcome)
    return declared.axis_label() if unit else declared.label


def factor_label(path: str, given: Optional[str] = None) -> str:
    return given or FACTOR_LABELS.get(path, path)
