"""One replication: build the desk, the strike and the people, run, account.

``run_replication(scenario, seed, k)`` is the one entry point the rest of the
project uses. Replication ``k`` of seed ``s`` draws from the streams keyed by
``(s, k)`` only (``sim.model.streams``), so it gives the same answer wherever
and whenever it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import simpy

from sim.model.background import BackgroundTraffic
from sim.model.caller import StopCampaign
from sim.model.desk import HotlineDesk
from sim.model.detection import detection_process
from sim.model.notification import NoticeRecord, notice_process
from sim.model.outcomes import strike_outcomes
from sim.model.queue_figures import queue_outcomes
from sim.model.streams import Streams
from sim.model.strike import StrikeProcess, plan_releases
from sim.model.trace import NullTrace, Trace
from sim.scenario.schema import Scenario


@dataclass
class Replication:
    outcomes: dict[str, float]
    trace: Trace


def run_replication(scenario: Scenario, seed: int, replication: int = 0,
                    trace: bool = False) -> Replication:
    """Run replication ``replication`` of ``scenario`` under root ``seed``."""
    env = simpy.Environment()
    streams = Streams(seed, replication)
    log = Trace() if trace else NullTrace()
    desk = HotlineDesk(env, scenario.desk, streams, log)
    if scenario.strike is None:
        return Replication(_run_hotline_only(env, scenario, desk, streams, log), log)
    return Replication(_run_strike(env, scenario, desk, streams, log), log)


def _run_hotline_only(env: simpy.Environment, scenario: Scenario, desk: HotlineDesk,
                      streams: Streams, log: Trace) -> dict[str, float]:
    config = scenario.background_calls
    assert config is not None  # guaranteed by the schema
    traffic = BackgroundTraffic(env, config, desk, streams, until=None, trace=log)
    env.run(until=traffic.all_done)
    return queue_outcomes(traffic.record, scenario.desk.pocs.count, scenario.report.wait_thresholds)


def _run_strike(env: simpy.Environment, scenario: Scenario, desk: HotlineDesk, streams: Streams,
                log: Trace) -> dict[str, float]:
    strike_config = scenario.strike
    assert strike_config is not None
    plan = plan_releases(strike_config, scenario.sites, streams("strike", 0), streams("harm"))
    abort_latency = strike_config.abort_latency.sample(streams("strike", 1))
    relay_delay = scenario.desk.relay_delay.sample(streams("desk", 4))

    strike = StrikeProcess(env, strike_config, plan, abort_latency, log)
    campaign = StopCampaign(env, desk, scenario.caller, scenario.language, streams, log,
                            relay_delay, strike.order_abort)
    waiting_on: list[simpy.Event] = [strike.process]
    if scenario.detection is not None:
        delay = scenario.detection.delay.sample(streams("detection"))
        waiting_on.append(env.process(detection_process(env, strike, delay, campaign, log)))
    notice: Optional[NoticeRecord] = None
    if scenario.notification is not None:
        notice = NoticeRecord()
        waiting_on.append(env.process(notice_process(
            env, scenario.notification, strike_config, scenario.sites, desk, campaign, streams, log, notice)))
    if scenario.background_calls is not None:
        BackgroundTraffic(env, scenario.background_calls, desk, streams, until=scenario.horizon, trace=log)

    env.run(until=env.any_of([env.all_of(waiting_on), env.timeout(scenario.horizon)]))
    return strike_outcomes(strike.record, len(plan), campaign.record, notice, relay_delay, abort_latency)

