"""Everything the kernel needs for a batch, drawn from the model's streams as arrays.

Each array is the SimPy model's draw of the same quantity with the same
stream and index (the stream names are the ones in ``sim.model``), so both
engines see the same afternoons.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from sim.model.availability import on_duty
from sim.model.batch.draws import BatchStreams
from sim.model.batch.events import POLICIES
from sim.model.geometry import _EPSILON_KM
from sim.model.releases import SIGMA_PER_CEP
from sim.scenario.distributions import Fixed, _Dist
from sim.scenario.quantiles import encode_all
from sim.scenario.schema import HOTLINE, Roster, Scenario, Strike

INF = math.inf
NAN = math.nan


@dataclass
class Plan:
    """The releases of every replication: planned times, and the site each lands on (-1: none)."""

    times: np.ndarray
    sites: np.ndarray


def release_plan(strike: Strike, sites: list, streams: BatchStreams) -> Plan:
    """``sim.model.releases.plan_releases`` for every replication (harm is drawn later, for releases that fall)."""
    r, size = strike.releases, streams.size
    if r.pattern == "explicit":
        times = np.broadcast_to(np.sort(np.asarray(r.times or [], dtype=float)), (size, len(r.times or [])))
    elif r.pattern == "even":
        count = r.count or 0
        step = (r.window or 0.0) / (count - 1) if count > 1 else 0.0
        times = np.broadcast_to(strike.start + step * np.arange(count), (size, count))
    else:
        gaps = -np.log1p(-streams.uniforms("strike.release_gaps", r.count or 0)) / (r.rate_per_min or 1.0)
        times = strike.start + np.cumsum(gaps, axis=1)
    # Without scatter every release lands on the target: one point to place, for all of them.
    x = np.full(times.shape if strike.cep_km > 0 else (1, 1), strike.target.x_km)
    y = np.full(x.shape, strike.target.y_km)
    if strike.cep_km > 0:
        sigma = strike.cep_km * SIGMA_PER_CEP
        distance = sigma * np.sqrt(-2.0 * np.log1p(-streams.uniforms("strike.scatter_distance", times.shape[1])))
        bearing = 2.0 * math.pi * streams.uniforms("strike.scatter_bearing", times.shape[1])
        x, y = x + distance * np.sin(bearing), y + distance * np.cos(bearing)
    landed = np.full(x.shape, -1, dtype=np.int64)
    if sites and times.size:
        d = np.stack([np.hypot(x - s.x_km, y - s.y_km) for s in sites], axis=-1)
        inside = d <= np.array([s.radius_km for s in sites])
        nearest = np.where(inside, d, np.inf).argmin(axis=-1)
        landed = np.where(inside.any(axis=-1), nearest, -1)
    return Plan(np.ascontiguousarray(times, dtype=float), np.ascontiguousarray(np.broadcast_to(landed, times.shape)))


def _roster_absences(roster: Roster, horizon: float) -> list[tuple[float, float, float]]:
    """The ``_roster`` process of ``sim.model.availability`` as absences (leave, back, handover)."""
    shifts = on_duty(roster, horizon)
    on = bool(shifts) and shifts[0][0] <= 0.0
    left, out = 0.0, []
    for index, (start, end) in enumerate(shifts):
        if not on:
            out.append((left, max(start, left), NAN))
            on = True
        if end >= horizon:
            return out
        follows = index + 1 < len(shifts) and shifts[index + 1][0] <= end
        if follows and roster.handover == 0:
            continue
        if follows:
            out.append((end, NAN, roster.handover))
        else:
            left, on = end, False
    if not on:
        out.append((left, INF, NAN))
    return out


def seats(scenario: Scenario, streams: BatchStreams, spells: int) -> tuple:
    """The POC seats in desk order: their group, fixed absences (explicit, roster) and alternating spells."""
    groups, lists, alternating = [], [], []
    for g, group in enumerate(scenario.desk.pocs):
        availability = group.availability
        explicit = [(max(i.start, 0.0), i.end, NAN) for i in sorted(availability.away, key=lambda i: i.start)
                    if i.end > 0]
        roster = _roster_absences(availability.roster, scenario.horizon) if availability.roster else []
        for i in range(group.count):
            groups.append(g)
            lists.append((explicit, roster))
            quantity = f"{HOTLINE}.pocs[{g}][{i}]"
            if availability.alternating:
                assert availability.available is not None and availability.away_for is not None
                present = availability.available.quantiles(streams.uniforms(f"{quantity}.available", spells))
                away = availability.away_for.quantiles(streams.uniforms(f"{quantity}.away_for", spells))
                alternating.append((True, availability.starts_away, present, away))
            else:
                alternating.append((False, False, np.empty((streams.size, 0)), np.empty((streams.size, 0))))
    count = len(groups)
    width = max([len(kind) for pair in lists for kind in pair] + [1])
    leaves, backs, handovers = (np.full((count, 2, width), NAN) for _ in range(3))
    counts = np.zeros((count, 2), dtype=np.int64)
    for s, pair in enumerate(lists):
        for kind, entries in enumerate(pair):
            counts[s, kind] = len(entries)
            for j, (leave, back, handover) in enumerate(entries):
                leaves[s, kind, j], backs[s, kind, j], handovers[s, kind, j] = leave, back, handover
    drawn = max([a[2].shape[1] for a in alternating] + [0])
    present = np.zeros((count, streams.size, drawn))
    away = np.zeros((count, streams.size, drawn))
    for s, (on, _, p, a) in enumerate(alternating):
        if on:
            present[s], away[s] = p, a
    alt = (np.array([a[0] for a in alternating], dtype=np.bool_), present, away,
           np.array([a[1] for a in alternating], dtype=np.bool_))
    return np.array(groups, dtype=np.int64), (leaves, backs, handovers, counts), alt


def caller(scenario: Scenario, streams: BatchStreams) -> tuple:
    """The caller's settings, its detection delays, and what ``events.draw_attempt`` needs to draw each attempt's
    numbers when it is made: stream keys and distribution rows in the order of ``events.A_PATIENCE ...``."""
    party = scenario.parties[0]
    q = "callers[0]"
    officers = scenario.desk.duty_officers
    detect = (streams.sample(party.detection.delay, f"{q}.detection") if party.detection is not None
              else np.full(streams.size, NAN))
    names = ("patience", "redial_delay", "answer_time", "officer_relay", "language", "poc_language", "message_time")
    keys = np.stack([streams.keys(f"{q}.{name}") for name in names])
    unused: _Dist = Fixed(value=0.0)  # the tellings are compared as uniforms
    rows = encode_all([party.patience or unused, party.redial_delay, officers.answer_time, officers.relay_delay,
                       unused, unused, *[g.message_time for g in scenario.desk.pocs]])
    language = party.language
    p_poc = language.poc_misunderstanding_probability
    return (detect, party.max_attempts, POLICIES[party.policy], party.escalate_after or 0.0,
            language.misunderstood_first_attempts, language.misunderstanding_probability,
            NAN if p_poc is None else p_poc, party.patience is not None, keys, rows)


@dataclass
class NoticeDraws:
    due: np.ndarray
    error_km: np.ndarray
    check_time: np.ndarray
    caught: np.ndarray     # the check finds a site near the reported point


def notice(scenario: Scenario, streams: BatchStreams) -> tuple[tuple, NoticeDraws]:
    n, strike = scenario.notification, scenario.strike
    size = streams.size
    if n is None or strike is None:
        empty = np.zeros(size)
        return (False, empty, np.zeros((len(scenario.desk.pocs), size)), empty, np.zeros(size, np.bool_)), \
            NoticeDraws(np.full(size, NAN), np.full(size, NAN), np.full(size, NAN), np.zeros(size, np.bool_))
    lead = streams.sample(n.lead_time, "notification.lead_time")
    error = streams.sample(n.error.distance_km, "notification.error_km")
    bearing = np.radians(streams.sample(n.error.bearing_deg, "notification.error_bearing"))
    check = streams.sample(n.check_time, "notification.check_time")
    u_message = streams.uniforms("notification.message_time", 1)[:, 0]
    message = np.stack([g.message_time.quantiles(u_message) for g in scenario.desk.pocs])
    x = strike.target.x_km + error * np.sin(bearing)
    y = strike.target.y_km + error * np.cos(bearing)
    caught = np.zeros(size, np.bool_)
    for site in scenario.sites:
        caught |= np.hypot(x - site.x_km, y - site.y_km) <= n.check_radius_km + _EPSILON_KM
    due = np.maximum(strike.start - lead, 0.0)
    return (True, due, message, check, caught), NoticeDraws(due, error, check, caught)


def background(scenario: Scenario, streams: BatchStreams, calls: int) -> tuple:
    """The first ``calls`` background calls of every replication: arrival, service, patience, officer's time."""
    config = scenario.background_calls
    size = streams.size
    if config is None or config.rate_per_hour <= 0:
        empty = np.zeros((size, 0))
        return False, empty, empty, empty, empty, 0
    mean_gap = 1.0 / (config.rate_per_hour / 60.0)
    arrivals = np.cumsum(-mean_gap * np.log1p(-streams.uniforms("background.gaps", calls)), axis=1)
    service = config.service_time.quantiles(streams.uniforms("background.service_time", calls))
    patience = (config.patience.quantiles(streams.uniforms("background.patience", calls))
                if config.patience is not None else np.full((size, calls), INF))
    officer = scenario.desk.duty_officers.answer_time.quantiles(streams.uniforms("background.answer_time", calls))
    limit = config.calls if config.calls is not None else np.iinfo(np.int64).max
    return True, arrivals, service, patience, officer, limit


def lazy_background(scenario: Scenario, streams: BatchStreams) -> tuple:
    """What ``events`` needs to draw any background call itself: stream keys (gaps, service, patience,
    officer's answer) and distribution rows (service, patience, officer's answer)."""
    config = scenario.background_calls
    on = config is not None and config.rate_per_hour > 0
    names = ("background.gaps", "background.service_time", "background.patience", "background.answer_time")
    keys = np.stack([streams.keys(name) for name in names])
    if config is None or not on:
        return False, 1.0, 0, keys, encode_all([Fixed(value=0.0)] * 3), False
    officer = scenario.desk.duty_officers.answer_time
    patience = config.patience if config.patience is not None else Fixed(value=0.0)
    limit = config.calls if config.calls is not None else np.iinfo(np.int64).max
    return (True, 1.0 / (config.rate_per_hour / 60.0), limit, keys,
            encode_all([config.service_time, patience, officer]), config.patience is not None)


def lazy_spells(scenario: Scenario, streams: BatchStreams) -> tuple:
    """Alternating spells for ``events``: per seat whether it alternates and starts away, stream keys
    [away, present][seat] and rows [away, present][group]."""
    has, first, keys = [], [], []
    away_rows: list[_Dist] = []
    present_rows: list[_Dist] = []
    for g, group in enumerate(scenario.desk.pocs):
        availability = group.availability
        alternating = bool(availability.alternating)
        away_rows.append(availability.away_for if alternating and availability.away_for else Fixed(value=0.0))
        present_rows.append(availability.available if alternating and availability.available else Fixed(value=0.0))
        for i in range(group.count):
            quantity = f"{HOTLINE}.pocs[{g}][{i}]"
            has.append(alternating)
            first.append(alternating and availability.starts_away)
            keys.append((streams.keys(f"{quantity}.away_for"), streams.keys(f"{quantity}.available")))
    seat_keys = np.array(keys, dtype=np.uint64).reshape(len(has), 2, streams.size).transpose(1, 0, 2)
    table = encode_all(away_rows + present_rows)
    return (np.array(has, dtype=np.bool_), np.array(first, dtype=np.bool_), np.ascontiguousarray(seat_keys),
            np.ascontiguousarray(table.reshape(2, len(away_rows), table.shape[1])))
