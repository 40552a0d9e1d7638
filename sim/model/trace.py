"""The event trace: every thing that happened in a replication, in order.

A replay writes it to ``trace.jsonl`` and draws the timeline from it; a
sweep of thousands of replications keeps none of it, so the model talks to a
``Trace`` or to a ``NullTrace`` that drops everything at no cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class Event:
    time: float
    kind: str
    actor: str
    detail: dict[str, Any] = field(default_factory=dict)

    def as_dict(self) -> dict[str, Any]:
        return {"time": round(self.time, 6), "kind": self.kind, "actor": self.actor,
                "detail": self.detail}


class Trace:
    enabled = True  # hot paths test this before building an event's detail

    def __init__(self) -> None:
        self.events: list[Event] = []

    def record(self, time: float, kind: str, actor: str, **detail: Any) -> None:
        self.events.append(Event(time, kind, actor, detail))

    def of_kind(self, kind: str) -> list[Event]:
        return [e for e in self.events if e.kind == kind]


class NullTrace(Trace):
    enabled = False

    def record(self, time: float, kind: str, actor: str, **detail: Any) -> None:
        pass
