"""Every outcome the model can report, by name: the one place tables, labels, the store and plots look.

The declarations live beside the code that computes them (``accounting`` for
strike scenarios, the hotline-only figures for queueing models); this module
gathers them, and resolves the names that carry a threshold (``late_27``,
``p_wait_gt_5``) through their families.
"""

from __future__ import annotations

from sim.model.accounting import LATE, STRIKE_OUTCOMES
from sim.model.outcome import Outcome, OutcomeFamily
from sim.model.queue_figures import QUEUE_FIGURES

DECLARED: dict[str, Outcome] = {o.name: o for o in (*STRIKE_OUTCOMES, *QUEUE_FIGURES)
                                if isinstance(o, Outcome)}
FAMILIES: tuple[OutcomeFamily, ...] = (LATE, *(f for f in QUEUE_FIGURES if isinstance(f, OutcomeFamily)))


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
