"""The cross-incident study: the same delay budget and the same what-ifs for every replay.

Picture five afternoons side by side: Deir ez-Zor, where the call waited 27
minutes for the POC; Kunduz, where the message was through in a minute and
the verification took 17; Salala, where the query went to the wrong point;
the Il-20, where the notice came a minute before the strike. Each replay
runs once (they are deterministic) and its delay budget is read from the
same outcomes (``sim.model.accounting``), grouped as ``BUDGET_GROUPS``.

Each what-if is a change to the replay's own data, applied the same way to
every incident, and its saving is the replay's killed (and releases) minus
the what-if's. A what-if that has nothing to act on in an incident (no
duty officer ever answered, no site notice) is reported as not applicable,
not as a saving of zero.
"""

from __future__ import annotations

import copy
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Optional

from sim.model.accounting import BUDGET_GROUPS
from sim.model.world import run_replication
from sim.scenario.loader import load_scenario
from sim.scenario.schema import Scenario
from sim.scenario.shipped import resolve

INCIDENTS = (
    ("Deir ez-Zor 2016", "deir_ez_zor_2016"),
    ("Kunduz 2015 (US account)", "kunduz_2015"),
    ("Kunduz 2015 (MSF account)", "kunduz_2015_msf_account"),
    ("Salala 2011 (US clock)", "salala_2011"),
    ("Salala 2011 (Pakistani account)", "salala_2011_pakistani_account"),
    ("Il-20 2018", "il20_2018"),
    ("Sarmada 2017", "sarmada_2017"),
)
"""The shipped replays the study compares, as (label, scenario file stem)."""

Data = dict[str, Any]


@dataclass(frozen=True)
class WhatIf:
    key: str
    label: str
    assumption: str
    change: Callable[[Data], bool]
    """Changes the scenario data in place; False when it has nothing to act on in this incident."""
    needs_call: bool = False
    """It speeds up a call: not applicable where nobody called."""


def _desks(data: Data) -> list[Data]:
    return [data.setdefault("desk", {}), *data.get("other_desks", {}).values()]


def _second_poc(data: Data) -> bool:
    for desk in _desks(data):
        groups = desk.setdefault("pocs", [{}])
        groups.append({"name": "second POC (what-if)", "count": 1,
                       "message_time": groups[0].get("message_time", 0.0)})
    return True


def _parties(data: Data) -> list[Data]:
    return data["callers"] if data.get("callers") else [data.setdefault("caller", {})]


def _pass_at_once(data: Data) -> bool:
    for party in _parties(data):
        party["policy"] = "pass_to_duty_officer"
    return True


def _urgent_first(data: Data) -> bool:
    for desk in _desks(data):
        desk["precedence"] = "urgent_first"
    return data.get("background_calls") is not None


def _correct_location(data: Data) -> bool:
    sections = [data[name] for name in ("notification", "query", "site_notice") if data.get(name)]
    for section in sections:
        section["error"] = {"distance_km": 0.0, "bearing_deg": 0.0}
        section.pop("region_radius_km", None)
    return bool(sections)


def _dissemination_works(data: Data) -> bool:
    if not data.get("site_notice"):
        return False
    data["site_notice"]["dissemination"] = {"probability": 1.0, "delay": 0.0}
    return True


WHAT_IFS = (
    WhatIf("second_poc", "second POC present", "every desk gains a POC who is always there and takes a message "
           "as long as the desk's first POC", _second_poc, needs_call=True),
    WhatIf("pass_at_once", "duty officer passes at once", "every caller lets a duty officer pass the message on at "
           "once (the desk's duty-officer answer and relay times)", _pass_at_once, needs_call=True),
    WhatIf("urgent_first", "urgent calls first", "every desk serves stop calls ahead of routine calls; it can act "
           "only where routine traffic competes for the POCs", _urgent_first, needs_call=True),
    WhatIf("correct_location", "correct location", "the notice, the query and the site notice give the true point "
           "(no error, no region)", _correct_location),
    WhatIf("dissemination", "dissemination works", "a site notice received by the striking side reaches the "
           "striking cell at once", _dissemination_works),
)


@dataclass(frozen=True)
class IncidentRow:
    label: str
    scenario: str
    outcomes: dict[str, float]
    saved: dict[str, Optional[tuple[float, float]]]  # what-if key -> (releases, killed) saved; None: n/a

    def minutes(self, group: tuple[str, ...]) -> float:
        return sum(self.outcomes[f"delay_{p}"] for p in group)

    def charged(self, kind: str, group: tuple[str, ...]) -> float:
        return sum(self.outcomes[f"{kind}_{p}"] for p in group)

    @property
    def called(self) -> bool:
        return not math.isnan(self.outcomes["delay_relay"])


def _run(scenario: Scenario) -> dict[str, float]:
    return run_replication(scenario, scenario.seed).outcomes


def study_incident(label: str, path: Path) -> IncidentRow:
    scenario = load_scenario(path)
    base = _run(scenario)
    data = scenario.model_dump(exclude_unset=True)
    saved: dict[str, Optional[tuple[float, float]]] = {}
    for what_if in WHAT_IFS:
        changed = copy.deepcopy(data)
        if (what_if.needs_call and base["nobody_called"]) or not what_if.change(changed):
            saved[what_if.key] = None
            continue
        out = _run(Scenario.from_data(changed))
        saved[what_if.key] = (base["releases_total"] - out["releases_total"], base["killed_total"] - out["killed_total"])
    return IncidentRow(label, path.stem, base, saved)


def study_incidents(scenarios: Optional[Path] = None) -> list[IncidentRow]:
    """The study over the replays in ``scenarios`` (default: the shipped ones)."""
    return [study_incident(label, scenarios / f"{stem}.yaml" if scenarios else resolve(stem))
            for label, stem in INCIDENTS]


def _cell(value: float, digits: int = 1) -> str:
    return "-" if math.isnan(value) else f"{value:.{digits}f}"


def budget_table(rows: list[IncidentRow]) -> str:
    """Minutes, releases and killed charged to each part of the budget, per incident (markdown)."""
    head = ["incident", *(name for name, _ in BUDGET_GROUPS), "releases", "killed", "killed due to delay"]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [row.label]
        for _, group in BUDGET_GROUPS:
            if not row.called:
                cells.append("-")
                continue
            cells.append(f"{row.minutes(group):.1f} min, {row.charged('releases', group):.0f} rel., "
                         f"{row.charged('killed', group):.1f} k.")
        out = row.outcomes
        cells += [f"{out['releases_total']:.0f}", _cell(out["killed_total"]), _cell(out["killed_due_to_delay"])]
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def what_if_table(rows: list[IncidentRow]) -> str:
    """Killed (and releases) each what-if would have saved in each incident (markdown)."""
    head = ["incident", *(w.label for w in WHAT_IFS)]
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in rows:
        cells = [row.label]
        for what_if in WHAT_IFS:
            saved = row.saved[what_if.key]
            cells.append("n/a" if saved is None else f"{saved[1]:.1f} killed ({saved[0]:.0f} releases)")
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "Assumptions:", *(f"- **{w.label}**: {w.assumption}." for w in WHAT_IFS)]
    return "\n".join(lines)
