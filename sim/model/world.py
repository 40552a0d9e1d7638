"""One replication: build the desks, the strike and the callers, run, account.

``run_replication(scenario, seed, k)`` is the one entry point the rest of the
project uses. Replication ``k`` of seed ``s`` draws from the streams keyed by
``(s, k)`` only (``sim.model.streams``), so it gives the same answer wherever
and whenever it runs.

The run ends when the strike is over and nobody is calling any more, or at
the scenario's horizon, whichever comes first. A run the horizon cut off
says so (``cut_off``); a hold still going on then counts up to the horizon.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Optional

import simpy

from sim.model.accounting import Story, strike_outcomes
from sim.model.background import BackgroundTraffic
from sim.model.caller import StopCampaign
from sim.model.desk import DeskModel
from sim.model.detection import detection_process
from sim.model.notification import NoticeRecord, notice_process
from sim.model.query import QueryRecord, query_process
from sim.model.queue_figures import queue_outcomes
from sim.model.releases import plan_releases
from sim.model.site_notice import SiteNoticeRecord, site_notice_process
from sim.model.streams import Streams
from sim.model.strike import StrikeProcess
from sim.model.trace import Kind, NullTrace, Trace
from sim.scenario.schema import HOTLINE, Scenario


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
    desks = {name: DeskModel(env, name, config, streams, log, scenario.horizon)
             for name, config in scenario.desks.items()}
    if scenario.strike is None:
        return Replication(_run_hotline_only(env, scenario, desks[HOTLINE], streams, log), log)
    return Replication(_run_strike(env, scenario, desks, streams, log), log)


def _run_hotline_only(env: simpy.Environment, scenario: Scenario, desk: DeskModel,
                      streams: Streams, log: Trace) -> dict[str, float]:
    config = scenario.background_calls
    assert config is not None  # guaranteed by the schema
    traffic = BackgroundTraffic(env, config, desk, streams, until=None, trace=log)
    env.run(until=traffic.all_done)
    return queue_outcomes(traffic.record, scenario.desk.poc_count, scenario.report.wait_thresholds)


def _run_strike(env: simpy.Environment, scenario: Scenario, desks: dict[str, DeskModel], streams: Streams,
                log: Trace) -> dict[str, float]:
    config = scenario.strike
    assert config is not None
    plan = plan_releases(config, scenario.sites, streams)
    abort_latency = config.abort_latency.sample(streams("strike.abort_latency"))
    strike = StrikeProcess(env, config.start, plan, abort_latency, log)

    def order_abort(campaign: StopCampaign) -> None:
        if strike.order_abort(campaign.party.name):
            for other in campaigns:
                if other is not campaign:
                    other.stop()

    campaigns = [StopCampaign(env, party, i, desks[party.desk], streams, log, order_abort)
                 for i, party in enumerate(scenario.parties)]
    waiting_on: list[simpy.Event] = [strike.process]
    delays = [party.detection.delay.sample(streams(f"callers[{i}].detection"))
              if party.detection is not None else math.nan for i, party in enumerate(scenario.parties)]
    for campaign, delay in zip(campaigns, delays):
        if not math.isnan(delay):
            waiting_on.append(env.process(detection_process(env, strike, delay, campaign, log)))
    notice: Optional[NoticeRecord] = None
    if scenario.notification is not None:
        notice = NoticeRecord()
        waiting_on.append(env.process(notice_process(env, scenario.notification, config, scenario.sites,
                                                     desks[HOTLINE], campaigns[0], streams, log, notice)))
    site_notice: Optional[SiteNoticeRecord] = None
    if scenario.site_notice is not None:
        site_notice = SiteNoticeRecord()
        waiting_on.append(env.process(site_notice_process(env, scenario.site_notice, config, scenario.sites,
                                                          strike, streams, log, site_notice)))
    query: Optional[QueryRecord] = None
    if scenario.query is not None:
        query = QueryRecord()
        waiting_on.append(env.process(query_process(env, scenario.query, config, scenario.sites, strike, streams,
                                                    log, query)))
    if scenario.background_calls is not None:
        BackgroundTraffic(env, scenario.background_calls, desks[HOTLINE], streams, until=scenario.horizon,
                          trace=log)

    story_over = env.all_of(waiting_on)
    env.run(until=env.any_of([story_over, env.timeout(scenario.horizon)]))
    cut_off = not story_over.triggered
    if cut_off:
        log.record(env.now, Kind.HORIZON, "run", still_going=_still_going(strike, campaigns))
        for campaign in campaigns:
            campaign.close()
    return strike_outcomes(Story(
        plan=plan, strike=strike.record, calls=[c.record for c in campaigns],
        possible_calls=[strike.record.first_hit + d for d in delays],
        relay_delays={name: desk.time_to_order for name, desk in desks.items()},
        abort_latency=abort_latency, notice=notice, strike_start=config.start, cut_off=cut_off,
        clock_origin=scenario.origin_minutes, late_after=scenario.report.late_after,
        region_notice=scenario.notification is not None and scenario.notification.region_radius_km is not None,
        site_notice=site_notice, query=query))


def _still_going(strike: StrikeProcess, campaigns: list[StopCampaign]) -> list[str]:
    going = ["strike"] if strike.process.is_alive else []
    return going + [c.party.name for c in campaigns if c.process is not None and c.process.is_alive]
