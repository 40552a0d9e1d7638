"""Which engine computes a batch of replications: the SimPy model or the batch engine.

Both give the same rows replication by replication (``tests/test_batch_engine.py``
holds them to 1e-9), so the choice is one of speed: ``auto`` takes the batch
engine whenever it covers the scenario, ``batch`` insists on it, ``simpy``
keeps the reference engine (the one that writes traces).
"""

from __future__ import annotations

import math
from typing import Iterable, Literal, Optional, Sequence

import numpy as np

from sim.model.batch.coverage import uncovered
from sim.model.batch.engine import run_columns
from sim.model.world import run_replication
from sim.scenario.schema import Scenario

Engine = Literal["auto", "batch", "simpy"]
ENGINES: tuple[Engine, ...] = ("auto", "batch", "simpy")


def uses_batch(scenario: Scenario, engine: str) -> bool:
    """Whether ``engine`` runs ``scenario`` on the batch engine (``batch`` on an uncovered one is refused earlier)."""
    return engine != "simpy" and uncovered(scenario) is None


def replicate(scenario: Scenario, seed: int, replications: Sequence[int],
              engine: str) -> tuple[list[str], np.ndarray]:
    """The outcomes of replications ``replications`` on the engine chosen: their names, and one row
    per replication in order (NaN where a replication lacks one).

    A table, not a dict per row: the batch engine computes columns, and a sweep pickles the
    table back from its worker and stores it, so no per-row dict is ever built on that path."""
    if uses_batch(scenario, engine):
        columns = run_columns(scenario, seed, replications)
        return list(columns), np.column_stack(list(columns.values())).reshape(len(replications), len(columns))
    rows = [run_replication(scenario, seed, k).outcomes for k in replications]
    names = list(dict.fromkeys(name for row in rows for name in row))
    return names, np.array([[row.get(name, math.nan) for name in names] for row in rows],
                           dtype=float).reshape(len(rows), len(names))


def engine_note(scenarios: Iterable[Scenario], engine: str) -> Optional[str]:
    """One line when ``auto`` falls back to SimPy for some scenario; raises ValueError when ``batch`` cannot run."""
    if engine == "simpy":
        return None
    reasons = [r for r in (uncovered(s) for s in scenarios) if r is not None]
    if not reasons:
        return None
    if engine == "batch":
        raise ValueError(f"--engine batch: the batch engine does not cover {reasons[0]}; "
                         f"use --engine simpy or auto")
    return f"engine: SimPy (the batch engine does not cover {reasons[0]})"
