"""What one replication cost, and how much of it the delay cost.

Picture the Deir ez-Zor replay: the first call came at 16:25 and the message
got through at 16:52. Had that first call been acted on at once, the abort
order would have gone out a relay delay later and reached the aircraft an
abort latency after that. Every release that fell after that moment is harm
*due to delay*. The counterfactual uses this replication's own draws (the
same releases, the same harm, the same relay delay and latency), so it is an
exact paired difference, not the gap between two noisy runs.
"""

from __future__ import annotations

import math

from sim.model.background import QueueRecord

NAN = math.nan
WAIT_THRESHOLD_PREFIX = "p_wait_gt_"  # + threshold in minutes: P(wait > t)


def queue_outcomes(queue: QueueRecord, servers: int, thresholds: list[float]) -> dict[str, float]:
    waits, served = queue.waits, queue.served
    n = len(waits)
    if n == 0:
        return {"calls": 0.0}
    span = queue.measured_to - queue.measured_from
    out = {
        "calls": float(n),
        "p_wait": sum(1 for w in waits if w > 0) / n,
        "mean_wait": sum(waits) / n,
        "p_abandon": 1.0 - sum(served) / n,
        "utilisation": queue.busy_time / (servers * span) if span > 0 else NAN,
    }
    for t in thresholds:
        out[f"{WAIT_THRESHOLD_PREFIX}{t:g}"] = sum(1 for w in waits if w > t) / n
    return out
