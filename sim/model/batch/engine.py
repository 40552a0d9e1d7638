"""The batch engine: many replications of a covered scenario at once, the same rows as ``run_replication``.

Picture a sweep point of 1,000 replications of the stochastic Deir ez-Zor
afternoon. The SimPy model walks through each one event by event; here the
random numbers of all 1,000 are drawn as arrays from the same streams
(``inputs``), a compiled loop works out each replication's calls and strike
(``kernel``), and a second compiled pass draws the harm of the releases that
fell and adds up every outcome (``accounting``). The
result is, replication by replication, what ``run_replication`` returns, to
rounding (the tests demand 1e-9). A replication the kernel cannot settle
exactly (the notice still at the desk when the caller dials) is run on the
SimPy model. ``uncovered`` says whether a scenario can run here at all.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from sim.model.batch import inputs
from sim.model.batch.accounting import Columns, strike_columns
from sim.model.batch.coverage import uncovered
from sim.model.batch.draws import BatchStreams
from sim.model.batch.kernel import MORE_SPELLS, OUTPUTS, SIMPY, run_kernel
from sim.model.world import run_replication
from sim.scenario.schema import HOTLINE, Scenario

SPELLS = 8
"""Away spells per POC and background calls drawn at first; replications that need more run again with 4x."""


def run_columns(scenario: Scenario, seed: int, replications: Sequence[int]) -> Columns:
    """Every outcome of replications ``replications`` of a covered scenario, as columns."""
    reason = uncovered(scenario)
    if reason is not None:
        raise ValueError(f"the batch engine does not cover {reason}")
    ks = np.asarray(replications, dtype=np.int64)
    columns, status = _computed(scenario, seed, ks, SPELLS)
    spells = SPELLS
    while (status == MORE_SPELLS).any():
        spells *= 4
        again = np.flatnonzero(status == MORE_SPELLS)
        redone, status_again = _computed(scenario, seed, ks[again], spells)
        for name, column in columns.items():
            column[again] = redone[name]
        status[again] = status_again
    for i in np.flatnonzero(status == SIMPY):
        row = run_replication(scenario, seed, int(ks[i])).outcomes
        for name, column in columns.items():
            column[i] = row[name]
    return columns


def run_rows(scenario: Scenario, seed: int, replications: Sequence[int]) -> list[dict[str, float]]:
    """``[run_replication(scenario, seed, k).outcomes for k in replications]``, computed as a batch."""
    columns = run_columns(scenario, seed, replications)
    names = list(columns)
    return [dict(zip(names, row)) for row in np.column_stack(list(columns.values())).tolist()]


def _computed(scenario: Scenario, seed: int, ks: np.ndarray, spells: int) -> tuple[Columns, np.ndarray]:
    strike = scenario.strike
    assert strike is not None
    streams = BatchStreams(seed, ks)
    plan = inputs.release_plan(strike, scenario.sites, streams)
    latency = streams.sample(strike.abort_latency, "strike.abort_latency")
    relay = streams.sample(scenario.desk.relay_delay, f"{HOTLINE}.relay_delay")
    seat_group, fixed, alt = inputs.seats(scenario, streams, spells)
    notice, drawn = inputs.notice(scenario, streams)
    caller = inputs.caller(scenario, streams)
    background = inputs.background(scenario, streams, spells)
    out = np.zeros((len(OUTPUTS), ks.size))
    run_kernel(out, scenario.horizon, (plan.times, plan.sites >= 0, strike.start, latency), caller, notice,
               background, seat_group, scenario.desk.duty_officers.count, relay, fixed, alt,
               scenario.desk.precedence == "urgent_preempts")
    status = out[OUTPUTS.index("status")].astype(np.int64)
    return strike_columns(scenario, out, plan, streams, caller[0], drawn, relay, latency), status
