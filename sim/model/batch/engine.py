"""The batch engine: many replications of a covered scenario at once, the same rows as ``run_replication``.

Picture a sweep point of 1,000 replications of the stochastic Deir ez-Zor
afternoon. The SimPy model walks through each one event by event; here the
numbers all 1,000 share the shape of are drawn as arrays from the same
streams (``inputs``), a compiled loop works out each replication's calls and
strike (``kernel``: a compiled event-driven desk, ``events``, which draws the
rest itself, and a straight line for ties), and a second compiled
pass draws the harm of the releases that fell and adds up every outcome
(``accounting``). The result is, replication by replication, what
``run_replication`` returns, to rounding (the tests demand 1e-9). A
replication neither path settles exactly (two desk events at the very same
moment while calls meet in line, which needs fixed values) is run on the
SimPy model. ``uncovered`` says whether a scenario can run here at all.
"""

from __future__ import annotations

from typing import Sequence

import numpy as np

from sim.model.batch import inputs
from sim.model.batch.accounting import Columns, strike_columns
from sim.model.batch.coverage import uncovered
from sim.model.batch.draws import BatchStreams
from sim.model.batch.events import PRECEDENCES, workspace
from sim.model.batch.kernel import EVENTS, OUTPUTS, SIMPY, STRAIGHT, run_kernel, scratch
from sim.model.world import run_replication
from sim.scenario.schema import HOTLINE, Scenario

SPELLS = 8
"""Away spells per POC and background calls drawn as arrays for the straight line (``kernel``); the event
desk (``events``) draws its own, as many as it needs."""


def run_columns(scenario: Scenario, seed: int, replications: Sequence[int]) -> Columns:
    """Every outcome of replications ``replications`` of a covered scenario, as columns."""
    reason = uncovered(scenario)
    if reason is not None:
        raise ValueError(f"the batch engine does not cover {reason}")
    ks = np.asarray(replications, dtype=np.int64)
    columns, status = settled(scenario, seed, ks)
    for i in np.flatnonzero(status == SIMPY):
        row = run_replication(scenario, seed, int(ks[i])).outcomes
        for name, column in columns.items():
            column[i] = row[name]
    return columns


def settled(scenario: Scenario, seed: int, ks: np.ndarray) -> tuple[Columns, np.ndarray]:
    """The columns of replications ``ks`` as the kernel settles them, and their status (``SIMPY``: neither path).

    The event desk goes first; the replications it leaves (ties) go to the straight line, whose arrays of
    drawn spells and calls are then drawn for those alone.
    """
    columns, status = computed(scenario, seed, ks, EVENTS)
    tied = np.flatnonzero(status == SIMPY)
    if tied.size:
        again, status[tied] = computed(scenario, seed, ks[tied], STRAIGHT)
        for name, column in columns.items():
            column[tied] = again[name]
    return columns, status


def computed(scenario: Scenario, seed: int, ks: np.ndarray, path: int) -> tuple[Columns, np.ndarray]:
    """The columns of replications ``ks`` worked out on one path of the kernel (``EVENTS``, ``STRAIGHT``),
    and their status (``SIMPY``: not settled on that path)."""
    strike = scenario.strike
    assert strike is not None
    streams = BatchStreams(seed, ks)
    plan = inputs.release_plan(strike, scenario.sites, streams)
    latency = streams.sample(strike.abort_latency, "strike.abort_latency")
    relay = streams.sample(scenario.desk.relay_delay, f"{HOTLINE}.relay_delay")
    spells = SPELLS if path == STRAIGHT else 0
    seat_group, fixed, alt = inputs.seats(scenario, streams, spells)
    notice, drawn = inputs.notice(scenario, streams)
    caller = inputs.caller(scenario, streams)
    officers = scenario.desk.duty_officers.count
    model = (scenario.horizon, caller, notice, inputs.lazy_background(scenario, streams), seat_group, officers, fixed,
             inputs.lazy_spells(scenario, streams), PRECEDENCES[scenario.desk.precedence], relay)
    out = np.zeros((len(OUTPUTS), ks.size))
    run_kernel(out, (plan.times, plan.sites >= 0, strike.start, latency), model,
               inputs.background(scenario, streams, spells), alt, workspace(model), scratch(model), path)
    status = out[OUTPUTS.index("status")].astype(np.int64)
    return strike_columns(scenario, out, plan, streams, caller[0], drawn, relay, latency), status
