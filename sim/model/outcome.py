"""What an outcome is: a name, its words, its unit, its kind, and when it has no value.

Picture the line ``killed due to delay  26.8`` in a report, the column
``killed_due_to_delay`` in a CSV and the y axis of a sweep plot: all three
must say the same thing in the same unit. So each outcome the model reports
is declared once, here as a value of ``Outcome``, next to the code that
computes it; tables, labels, the store, the CSV and the plots read the
declaration instead of spelling the outcome again.

Outcomes whose name carries a threshold ("P(wait > 5 min)", "message not
through within 27 min") come in families: ``OutcomeFamily`` makes the name
and the words for each threshold a scenario asks for.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Literal, Optional

Kind = Literal["moment", "time", "count", "harm", "probability", "flag", "quantity"]
"""How a value reads and is summarised.

- ``moment``: minutes after the clock origin, shown on the scenario's clock;
- ``time``: a duration in minutes;
- ``count``: releases, calls, attempts;
- ``harm``: people killed or wounded;
- ``probability``: a fraction measured inside one replication (share of calls
  that waited), summarised over replications by its mean;
- ``flag``: a yes/no answer per replication (1, 0, or NaN when the question did
  not arise), summarised over replications as a proportion with Wilson's interval;
- ``quantity``: any other measure with a unit (km).
"""

UNITS: dict[Kind, str] = {"moment": "clock", "time": "min", "count": "", "harm": "people",
                          "probability": "", "flag": "", "quantity": ""}


@dataclass(frozen=True)
class Outcome:
    name: str
    label: str
    kind: Kind
    unit: str = ""
    undefined: str = ""
    """When the value is NaN (censored or not applicable), in words; empty when it never is."""

    @property
    def shown_unit(self) -> str:
        return self.unit or UNITS[self.kind]

    @property
    def is_flag(self) -> bool:
        return self.kind == "flag"

    def axis_label(self) -> str:
        """``killed due to delay (people)``; a flag's label is its question and needs no unit."""
        unit = self.shown_unit
        return f"{self.label} ({unit})" if unit and unit != "clock" and not self.is_flag else self.label


@dataclass(frozen=True)
class OutcomeFamily:
    """Outcomes that differ only by a threshold in minutes: ``p_wait_gt_5``, ``p_wait_gt_20``.

    ``label`` has a ``{t}`` placeholder for the threshold as written (``5 min``).
    """

    prefix: str
    label: str
    kind: Kind
    unit: str = ""
    undefined: str = ""

    def name(self, minutes: float) -> str:
        return f"{self.prefix}{_number(minutes)}"

    def member(self, name: str) -> Optional[Outcome]:
        """The declaration of ``name`` if it belongs to this family."""
        if not name.startswith(self.prefix):
            return None
        text = name[len(self.prefix):].replace("p", ".")
        if not re.fullmatch(r"\d+(\.\d+)?", text):
            return None
        minutes = float(text)
        return Outcome(name, self.label.format(t=f"{minutes:g} min"), self.kind, self.unit, self.undefined)

    def outcome(self, minutes: float) -> Outcome:
        member = self.member(self.name(minutes))
        assert member is not None
        return member


def _number(minutes: float) -> str:
    """A threshold as it appears in a column name: ``27`` -> ``27``, ``2.5`` -> ``2p5``."""
    if not math.isfinite(minutes) or minutes < 0:
        raise ValueError(f"a threshold must be a finite non-negative number of minutes, got {minutes!r}")
    text = f"{minutes:.6f}".rstrip("0").rstrip(".")
    return text.replace(".", "p")
