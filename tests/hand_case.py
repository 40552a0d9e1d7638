"""The small strike every hand-worked test starts from, and a way to vary it.

A strike starts at minute 10 with 11 releases one minute apart (10, 11, ...,
20), each killing 1 and wounding 2 on the one protected site; the receiving
side detects 2 minutes after the first release and calls at minute 12. The
single POC is away from 0 to 30; one duty officer answers in 1 minute and
needs 2 to pass a message on. Abort latency 1 minute, no relay delay, redial
after 3 minutes.
"""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

from sim.model.world import Replication, run_replication
from sim.scenario.schema import Scenario

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"

BASE: dict[str, Any] = {
    "name": "hand case",
    "sites": [{"name": "camp", "radius_km": 1}],
    "strike": {
        "start": 10,
        "releases": {"pattern": "even", "count": 11, "window": 10},
        "abort_latency": 1,
        "harm": {"killed": 1, "wounded": 2},
    },
    "detection": {"delay": 2},
    "caller": {"policy": "wait_for_poc", "redial_delay": 3},
    "desk": {
        "pocs": {"count": 1, "availability": {"away": [{"start": 0, "end": 30}]}},
        "duty_officers": {"count": 1, "answer_time": 1, "relay_delay": 2},
    },
}


def scenario(**changes: Any) -> Scenario:
    """BASE with ``section__key=value`` changes (``None`` deletes the key)."""
    data = copy.deepcopy(BASE)
    for path, value in changes.items():
        node = data
        *parents, last = path.split("__")
        for key in parents:
            node = node.setdefault(key, {})
        if value is None:
            node.pop(last, None)
        else:
            node[last] = value
    return Scenario.from_data(data)


def replicate(trace: bool = False, replication: int = 0, **changes: Any) -> Replication:
    return run_replication(scenario(**changes), seed=1, replication=replication, trace=trace)


def run(**changes: Any) -> dict[str, float]:
    return replicate(**changes).outcomes


def kinds(rep: Replication, kind: str) -> list[Any]:
    return [e for e in rep.trace.events if e.kind == kind]
