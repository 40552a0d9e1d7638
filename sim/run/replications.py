"""A batch of replications: the unit of work a worker process is handed.

Picture a sweep of 27 designs x 1000 replications on two cores. Sending each
replication on its own would spend more time pickling than simulating (one
replication takes well under a millisecond), so the work goes out in batches:
"design point 4, this scenario, seed 20160917, replications 500 to 999".
Replication ``k`` draws only from the streams keyed by ``(seed, k)``, so a
batch gives the same rows on any worker, in any order, on any machine; the
results come back keyed by (point, replication) and completion order does
not matter.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

from sim.run.engines import replicate
from sim.scenario.loader import scenario_from_data

Rows = list[tuple[int, dict[str, float]]]
"""(replication, outcomes) pairs, in the order the batch listed them."""


@dataclass(frozen=True)
class Batch:
    point: int
    scenario: dict[str, Any]  # scenario data with the point's overrides applied
    source: str               # where the data came from, for messages
    seed: int
    replications: tuple[int, ...]
    engine: str = "simpy"     # see sim.run.engines


@dataclass(frozen=True)
class Table:
    """A finished batch as one array: row ``i`` is replication ``replications[i]``, column ``j``
    outcome ``names[j]`` (NaN where undefined). Cheap to pickle and to store."""
    point: int
    replications: tuple[int, ...]
    names: list[str]
    values: np.ndarray


def run_table(batch: Batch) -> Table:
    """Run every replication of the batch; picklable, so any executor can call it."""
    scenario = scenario_from_data(batch.scenario, batch.source)
    return Table(batch.point, batch.replications, *replicate(scenario, batch.seed, batch.replications, batch.engine))


def run_batch(batch: Batch) -> tuple[int, Rows]:
    """``run_table`` as (replication, outcomes) pairs, for callers that look outcomes up by name."""
    table = run_table(batch)
    return table.point, [(k, dict(zip(table.names, row))) for k, row in zip(table.replications, table.values.tolist())]
