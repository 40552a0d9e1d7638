"""Yes/no questions asked of every replication, so a study can say "how often".

On 17 September 2016 the Russian caller needed 27 minutes to reach the
coalition's POC. Across a thousand stochastic afternoons the analyst asks how
often it takes that long again: each replication answers 1 (yes), 0 (no) or
NaN (the question did not arise: nobody ever called). Averaged over the
replications that is a probability, reported with Wilson's interval
(``sim.run.statistics.proportion``).

The indicators are computed next to the model's own outcomes in the worker
and stored as columns beside them, so a CSV export carries them too.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

LATE_AFTER_MIN = 27.0
"""The Deir ez-Zor delay: 16:25:33 first call, 16:52:33 message through."""


def _late(outcomes: dict[str, float]) -> float:
    """A call never got through counts as late; no call at all is undefined."""
    if math.isnan(outcomes["first_call"]):
        return math.nan
    through = outcomes["time_to_message"]
    return 1.0 if math.isnan(through) or through >= LATE_AFTER_MIN else 0.0


def _harm_due_to_delay(outcomes: dict[str, float]) -> float:
    if math.isnan(outcomes["first_call"]):
        return math.nan
    return float(outcomes["killed_due_to_delay"] + outcomes["wounded_due_to_delay"] > 0)


@dataclass(frozen=True)
class Indicator:
    key: str
    label: str
    compute: Callable[[dict[str, float]], float]


DERIVED = (
    Indicator("message_late", f"P(message through {LATE_AFTER_MIN:g} min or more after the first call, "
                              "or never)", _late),
    Indicator("harm_due_to_delay", "P(anyone killed or wounded due to delay)", _harm_due_to_delay),
)

BINARY_OUTCOMES = {
    "notice_caught": "P(pre-strike check catches the conflict)",
    "strike_held": "P(strike held before any release)",
}
"""Model outcomes that are already 1/0/NaN answers."""

PROBABILITY_LABELS = {**BINARY_OUTCOMES, **{i.key: i.label for i in DERIVED}}
"""Every yes/no column a store may hold, and how a report names its probability."""


def with_indicators(outcomes: dict[str, float]) -> dict[str, float]:
    """The outcomes plus the derived indicators (strike scenarios only)."""
    if "first_call" not in outcomes:
        return outcomes
    return {**outcomes, **{i.key: i.compute(outcomes) for i in DERIVED}}
