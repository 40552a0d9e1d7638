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


def run_batch(batch: Batch) -> tuple[int, Rows]:
    """Run every replication of the batch; picklable, so any executor can call it."""
    scenario = scenario_from_data(batch.scenario, batch.source)
    rows = replicate(scenario, batch.seed, batch.replications, batch.engine)
    return batch.point, list(zip(batch.replications, rows))
