"""The figures of a hotline-only run, counted over all calls, answered calls or abandoners.

Picture 1,000 callers at an overloaded desk: 800 are answered, 200 hang up.
"Mean wait" can then mean three different numbers. Over *all* calls, each
abandoner counts with the time it held before hanging up. Over *answered*
calls only, it is what call centres call the average speed of answer (ASA).
Over *abandoners* only, it is how long people held before giving up.
Queueing practice reports all three, and an analyst who reads one for another
is wrong by minutes, so every figure says in its words which calls it counts:

- all calls: P(wait > 0), mean wait, P(wait > t), service level (share of all
  calls answered within t: an abandoner counts as not answered), P(abandon),
  and the utilisation of the POCs;
- answered calls only: mean wait (the ASA) and P(wait > t | answered);
- abandoners only: mean wait until they hang up.

A wait ends when a POC answers or the caller hangs up. Each figure is
declared once here; the validation suite checks each against Erlang C and
Erlang A (``sim.validation``), and the reports take their words from here.
"""

from __future__ import annotations

import math
from typing import Optional, Union

import numpy as np

from sim.model.background import QueueRecord
from sim.model.outcome import Outcome, OutcomeFamily

_NO_CALLS = "no call was measured"
_NO_ANSWER = "no measured call was answered"

CALLS = Outcome("calls", "calls measured", "count")
P_WAIT = Outcome("p_wait", "P(wait > 0)", "probability", undefined=_NO_CALLS)
MEAN_WAIT = Outcome("mean_wait", "mean wait of all calls", "time", undefined=_NO_CALLS)
WAIT_OVER = OutcomeFamily("p_wait_gt_", "P(wait > {t})", "probability", undefined=_NO_CALLS)
SERVICE_LEVEL = OutcomeFamily("service_level_", "service level: P(answered within {t})", "probability",
                              undefined=_NO_CALLS)
P_ABANDON = Outcome("p_abandon", "P(abandon)", "probability", undefined=_NO_CALLS)
UTILISATION = Outcome("utilisation", "utilisation of the POCs", "probability",
                      undefined="fewer than two calls measured: no time span to measure over")
MEAN_WAIT_ANSWERED = Outcome("mean_wait_answered", "mean wait of answered calls: the average speed of answer",
                             "time", undefined=_NO_ANSWER)
ANSWERED_WAIT_OVER = OutcomeFamily("p_answered_wait_gt_", "P(wait > {t} | answered)", "probability",
                                   undefined=_NO_ANSWER)
MEAN_WAIT_ABANDONED = Outcome("mean_wait_abandoned", "mean wait of abandoners until they hang up", "time",
                              undefined="no measured call hung up (always so when callers have no patience limit)")

Figure = Union[Outcome, OutcomeFamily]
ALL_CALLS: tuple[Figure, ...] = (CALLS, P_WAIT, MEAN_WAIT, WAIT_OVER, SERVICE_LEVEL, P_ABANDON, UTILISATION)
ANSWERED_ONLY: tuple[Figure, ...] = (MEAN_WAIT_ANSWERED, ANSWERED_WAIT_OVER)
ABANDONERS_ONLY: tuple[Figure, ...] = (MEAN_WAIT_ABANDONED,)
QUEUE_FIGURES = ALL_CALLS + ANSWERED_ONLY + ABANDONERS_ONLY
"""Every figure of a hotline-only run, in the order reports show them."""


def queue_figure(name: str) -> Optional[Outcome]:
    """The declaration of a hotline-only figure (``service_level_5`` included); None for other names."""
    for figure in QUEUE_FIGURES:
        if isinstance(figure, OutcomeFamily):
            member = figure.member(name)
            if member is not None:
                return member
        elif figure.name == name:
            return figure
    return None


def queue_outcomes(queue: QueueRecord, servers: int, thresholds: list[float]) -> dict[str, float]:
    """Every figure of ``QUEUE_FIGURES``, NaN where its population is empty, thresholds in minutes."""
    waits = np.asarray(queue.waits, dtype=float)
    answered = np.asarray(queue.served, dtype=bool)
    span = queue.measured_to - queue.measured_from
    answered_waits, abandoned_waits = waits[answered], waits[~answered]
    return {
        CALLS.name: float(waits.size),
        P_WAIT.name: _share(waits > 0),
        MEAN_WAIT.name: _mean(waits),
        **{WAIT_OVER.name(t): _share(waits > t) for t in thresholds},
        **{SERVICE_LEVEL.name(t): _share(answered & (waits <= t)) for t in thresholds},
        P_ABANDON.name: _share(~answered),
        UTILISATION.name: queue.busy_time / (servers * span) if span > 0 else math.nan,
        MEAN_WAIT_ANSWERED.name: _mean(answered_waits),
        **{ANSWERED_WAIT_OVER.name(t): _share(answered_waits > t) for t in thresholds},
        MEAN_WAIT_ABANDONED.name: _mean(abandoned_waits),
    }


def _share(hits: np.ndarray) -> float:
    return float(hits.mean()) if hits.size else math.nan


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else math.nan
