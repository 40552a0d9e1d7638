"""Every outcome the model can report, by name: the one place tables, labels, the store and plots look.

The declarations live beside the code that computes them (``accounting`` for
strike scenarios, the hotline-only figures for queueing models); this module
gathers them, and resolves the names that carry a threshold (``late_27``,
``p_wait_gt_5``) through their families.
"""

from __future__ import annotations

from sim.model.accounting import LATE, STRIKE_OUTCOMES
from sim.model.outcome import Outcome, OutcomeFamily

QUEUE_OUTCOMES = (
    Outcome("calls", "calls measured", "count"),
    Outcome("p_wait", "P(wait > 0)", "probability"),
    Outcome("mean_wait", "mean wait", "time"),
    Outcome("p_abandon", "P(abandon)", "probability"),
    Outcome("utilisation", "utilisation of the POCs", "probability"),
)
QUEUE_FAMILIES = (OutcomeFamily("p_wait_gt_", "P(wait > {t})", "probability"),)

DECLARED: dict[str, Outcome] = {o.name: o for o in (*STRIKE_OUTCOMES, *QUEUE_OUTCOMES)}
FAMILIES: tuple[OutcomeFamily, ...] = (LATE, *QUEUE_FAMILIES)


def describe(name: str) -> Outcome:
    """The declaration of ``name``; an undeclared name (an old database) reads as a plain quantity."""
    if name in DECLARED:
        return DECLARED[name]
    for family in FAMILIES:
        member = family.member(name)
        if member is not None:
            return member
    return Outcome(name, name.replace("_", " "), "quantity")


def is_declared(name: str) -> bool:
    return name in DECLARED or any(f.member(name) is not None for f in FAMILIES)
