"""The scenario format: one YAML file describes one incident or what-if.

Picture the Deir ez-Zor afternoon: coalition aircraft drop 37 bombs on Syrian
positions between 15:55 and 16:56. A pre-strike notice went over the hotline
with a location 9 km off, so the Russian check found nothing to object to. At
16:25 a Russian officer calls to stop the strike; the one designated point of
contact (POC) is away, the duty officer cannot make sense of the call, the
caller redials and holds for the POC, who comes back at 16:52. A file says
each of these things in its own section:

- ``sites``: the receiving side's protected positions;
- ``strike``: target, releases, accuracy, abort latency, harm per release;
- ``notification``: the optional pre-strike notice and the check against it;
- ``detection``, ``caller``, ``language``: when the receiving side notices and
  calls, what the caller does when the POC is away, misunderstanding; or
  ``callers``, a list of several parties calling at once, each with its own;
- ``desk``: the hotline desk's POCs (in groups, each with its own
  availability: away intervals, alternating spells or a shift roster), duty
  officers, call precedence and relay delay; ``other_desks``: desks a caller
  may ring instead;
- ``background_calls``: routine traffic competing for the hotline's POCs;
- ``report``: thresholds the report asks about ("message late after 27 min").

Without a ``strike`` the file is a hotline-only queueing model (Poisson calls,
POCs, service and patience), used to validate against queueing theory.

Every uncertain quantity is written inline as a distribution (see
``sim.scenario.distributions``); moments on the clock are ``"16:25"``-style
strings counted from ``clock_origin`` (``"08:00+1d"`` for the next day), or
durations after it. Every number must be finite; counts are whole numbers.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationInfo,
    field_validator,
    model_validator,
)

from sim.scenario.distributions import (
    Distribution,
    DurationDistribution,
    Empirical,
    Fixed,
    NonNegativeDistribution,
)
from sim.scenario.units import MINUTES_PER_DAY, format_clock, is_clock, parse_clock, parse_duration

HOTLINE = "hotline"
"""The name of the ``desk`` section's desk, as callers and the trace call it."""

_NonNegative = Annotated[float, Field(ge=0)]

MAX_PEOPLE_PER_RELEASE = 1_000_000

# ``json_schema_input_type`` makes the JSON Schema describe what a file may
# write (``"90 s"``, ``"16:25"``), not the minutes the validator makes of it.
Duration = Annotated[float, Field(ge=0), BeforeValidator(
    parse_duration, json_schema_input_type=_NonNegative | str)]
"""A non-negative number of minutes; strings with units are accepted."""


def _to_minutes_from_origin(value: Any, info: ValidationInfo) -> Any:
    """A clock time becomes minutes after the scenario's clock origin (negative before it)."""
    if is_clock(value):
        context = info.context or {}
        origin = context.get("clock_origin")
        if origin is None and context.get("clock_origin_given"):
            raise ValueError(f"clock time {value!r} cannot be placed: clock_origin is not a clock time")
        if origin is None:
            raise ValueError(f"clock time {value!r} needs a clock_origin at the top of the file")
        return round(parse_clock(value) - origin, 9)
    return parse_duration(value)


def _not_before_origin(minutes: float, info: ValidationInfo) -> float:
    if minutes < 0:
        origin = (info.context or {}).get("clock_origin")
        if origin is None:
            raise ValueError(f"a moment cannot be before the start, got {minutes:g} min")
        raise ValueError(f"{format_clock(origin + minutes)} is before the clock origin "
                         f"{format_clock(origin)}; a time on the next day is written "
                         f"\"{format_clock(origin + minutes + MINUTES_PER_DAY, days=False)[:5]}+1d\"")
    return minutes


Time = Annotated[float, BeforeValidator(_to_minutes_from_origin, json_schema_input_type=float | str)]
"""Minutes after the clock origin: ``"16:25"``, ``"08:00+1d"`` or a duration such as ``"85 min"``."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True, allow_inf_nan=False)


class Point(_Section):
    x_km: float = Field(0.0, description="Kilometres east of the scenario's local origin.")
    y_km: float = Field(0.0, description="Kilometres north of the scenario's local origin.")


class Site(Point):
    """A protected position of the receiving side: troops, a hospital, a village."""

    name: str = Field(description="What the site is, as reports and the trace name it.")
    radius_km: float = Field(default=1.0, gt=0,
                             description="A release landing within this distance of the centre hits the site.")


class HarmFalloff(_Section):
    """Harm per release that falls once people take cover or flee (the Haydan hospital case).

    On each site, the first ``full_releases`` releases harm in full; every later
    release on that site harms ``then_factor`` times as much.
    """

    full_releases: int = Field(default=1, ge=1, strict=True,
                               description="Releases on a site that harm in full before people take cover.")
    then_factor: float = Field(ge=0, le=1, description="Share of the harm each later release on that site does "
                                                       "(0: everybody has left, 1: nobody could).")


class Harm(_Section):
    """Killed and wounded per release that lands on a protected site."""

    killed: NonNegativeDistribution = Field(0.0, description="People killed per release on a site.")
    wounded: NonNegativeDistribution = Field(0.0, description="People wounded per release on a site.")
    falloff: Optional[HarmFalloff] = Field(
        None, description="Harm per release falling after the first releases on a site; none: every release "
                          "harms the same.")

    @field_validator("killed", "wounded")
    @classmethod
    def _people(cls, dist: Any) -> Any:
        """Totals over thousands of releases must stay finite numbers of people."""
        largest = dist.quantile(1.0 - 2.0 ** -53)  # the largest draw the streams can make
        if not largest <= MAX_PEOPLE_PER_RELEASE:
            raise ValueError(f"expected at most {MAX_PEOPLE_PER_RELEASE:,} people per release, got draws up to "
                             f"{largest:.3g}")
        return dist


class Releases(_Section):
    """When the weapons fall once the strike has begun.

    ``even``: ``count`` releases evenly spaced, the first at the strike start and
    the last ``window`` later; ``poisson``: ``count`` releases at random at
    ``rate_per_min``; ``explicit``: the listed ``times``.
    """

    pattern: Literal["even", "poisson", "explicit"] = Field(
        "even", description="even: evenly spaced over window; poisson: at random; explicit: at the listed times.")
    count: Optional[int] = Field(default=None, gt=0, strict=True,
                                 description="Number of releases (even and poisson patterns).")
    window: Optional[Duration] = Field(None, description="From the first to the last release (even pattern).")
    rate_per_min: Optional[float] = Field(default=None, gt=0,
                                          description="Releases per minute on average (poisson pattern).")
    times: Optional[list[Time]] = Field(
        None, description="Moment of each release (explicit pattern), none before the strike start.")

    @model_validator(mode="after")
    def _complete(self) -> "Releases":
        needs = {"even": ("count", "window"), "poisson": ("count", "rate_per_min"),
                 "explicit": ("times",)}[self.pattern]
        missing = [name for name in needs if getattr(self, name) is None]
        if missing:
            raise ValueError(f"pattern {self.pattern!r} needs {' and '.join(missing)}")
        if self.pattern == "explicit" and not self.times:
            raise ValueError("pattern 'explicit' needs at least one time")
        return self


class Strike(_Section):
    """The striking side's attack on ``target``."""

    target: Point = Field(Point(), description="The point the weapons are aimed at.")
    start: Time = Field(description="Moment of the first release; not before the clock origin.")
    releases: Releases = Field(description="How many weapons fall, and when.")
    cep_km: float = Field(
        0.0, ge=0, description="Circular error probable: half the releases land within this distance of the "
                               "target (circular normal scatter); 0 puts every release on the target.")
    abort_latency: DurationDistribution = Field(
        0.0, description="From the abort order to the moment it reaches the aircraft; no release falls after.")
    harm: Harm = Field(Harm(), description="Killed and wounded per release that lands on a protected site.")

    @model_validator(mode="before")
    @classmethod
    def _ring_is_gone(cls, data: Any) -> Any:
        if isinstance(data, dict) and "scatter_km" in data:
            raise ValueError("scatter_km (every release on a ring of that radius) is gone: give cep_km, the "
                             "circular error probable (half the releases land within it)")
        return data

    @model_validator(mode="after")
    def _releases_after_start(self) -> "Strike":
        early = [t for t in self.releases.times or [] if t < self.start]
        if early:
            raise ValueError(f"releases.times: {len(early)} release(s) before the strike start; "
                             "a release cannot fall before the strike begins")
        return self

    @field_validator("start")
    @classmethod
    def _start(cls, value: float, info: ValidationInfo) -> float:
        return _not_before_origin(value, info)


class LocationError(_Section):
    """How far and in which direction the notified location is off the real target."""

    distance_km: NonNegativeDistribution = Field(0.0, description="Distance of the notified point from the target.")
    bearing_deg: Distribution = Field(0.0, description="Direction of the error, degrees clockwise from north.")


class Notification(_Section):
    """The striking side's pre-strike notice and the receiving side's check of it."""

    lead_time: DurationDistribution = Field(
        description="How long before the strike start the notice is due to go out over the hotline.")
    error: LocationError = Field(LocationError(), description="Where the notified location is off the target.")
    check_radius_km: float = Field(gt=0, description="The receiving side objects when one of its sites lies "
                                                     "within this distance of the notified point.")
    check_time: DurationDistribution = Field(0.0, description="From the notice to the end of the check.")
    region_radius_km: Optional[float] = Field(
        None, gt=0, description="The notice names a region (\"north Syria\") of this radius around the notified "
                                "point rather than a point; the check then objects for a site within "
                                "check_radius_km of the region. None: the notice names a point.")


class Dissemination(_Section):
    """How a notice received by the striking side's headquarters reaches the striking cell."""

    probability: float = Field(default=1.0, ge=0, le=1, description="Chance that the notice ever reaches the "
                                                                    "striking cell (0 at Kunduz).")
    delay: DurationDistribution = Field(0.0, description="From the headquarters receiving the notice to the "
                                                         "striking cell having it.")


class SiteNotice(_Section):
    """The receiving side tells the striking side where its sites are (a no-strike list entry).

    The notice reaches the striking side's headquarters ``lead_time`` before
    the strike start, and its striking cell only through ``dissemination``.
    A cell that has it checks its target against the listed positions and
    holds fire (before the strike) or ceases fire (during it) when one lies
    within ``check_radius_km``.
    """

    lead_time: DurationDistribution = Field(description="How long before the strike start the striking side's "
                                                        "headquarters received the notice (\"4 d\").")
    error: LocationError = Field(default_factory=LocationError,
                                 description="Where the notified positions are off the sites.")
    dissemination: Dissemination = Field(default_factory=Dissemination,
                                         description="From the headquarters to the striking cell.")
    check_radius_km: float = Field(gt=0, description="The striking cell holds fire when a listed position lies "
                                                     "within this distance of its target.")


class Query(_Section):
    """Before striking, the striking side asks the other: \"are your forces at this point?\"

    The point asked about is the target moved by ``error``; the other side
    answers yes when one of its sites lies within ``check_radius_km`` of it,
    unless it denies (``denial_probability``). A yes holds the strike; a no
    clears it, rightly or wrongly.
    """

    lead_time: DurationDistribution = Field(description="How long before the strike start the question is asked.")
    error: LocationError = Field(default_factory=LocationError,
                                 description="Where the point asked about is off the target.")
    check_radius_km: float = Field(gt=0, description="The other side answers yes when one of its sites lies "
                                                     "within this distance of the point asked about.")
    answer_time: DurationDistribution = Field(0.0, description="From the question to the answer.")
    denial_probability: float = Field(default=0.0, ge=0, le=1, description="Chance that the other side answers "
                                                                           "no although it has a site there.")


class Detection(_Section):
    delay: DurationDistribution = Field(
        description="From the first release on a protected site until this party notices and calls.")


def _takes_time(dist: Any) -> Any:
    """A redial that can take no time at all would let a failing caller loop without the clock moving."""
    if (isinstance(dist, Fixed) and dist.value == 0) or (isinstance(dist, Empirical) and 0 in dist.values):
        raise ValueError("a redial must take some time (a delay of 0 lets a failing call repeat "
                         "without the clock moving); give a positive delay such as \"30 s\"")
    return dist


class Caller(_Section):
    """What a caller does when the POC is not there.

    Waiting *on hold* means waiting with nobody on the line: before anyone
    answers, and after a duty officer has taken the call while the caller
    holds for a POC. ``patience`` and ``escalate_after`` both count that time,
    within one attempt.
    """

    policy: Literal["wait_for_poc", "pass_to_duty_officer", "escalate_after"] = Field(
        "wait_for_poc", description="When a duty officer answers: hold for a POC, let the duty officer pass the "
                                    "message on at once, or hold up to escalate_after and then let them pass it.")
    escalate_after: Optional[Duration] = Field(
        None, description="Time on hold after which the caller has the duty officer pass the message on "
                          "(policy escalate_after).")
    patience: Optional[DurationDistribution] = Field(
        None, description="Time on hold (nobody on the line) after which the caller hangs up and redials; "
                          "none: holds until answered.")
    redial_delay: DurationDistribution = Field(
        1.0, description="From hanging up to dialling again; must be positive.")
    max_attempts: int = Field(default=20, gt=0, strict=True,
                              description="The caller gives up after this many attempts.")

    @model_validator(mode="after")
    def _limit_given(self) -> "Caller":
        if self.policy == "escalate_after" and self.escalate_after is None:
            raise ValueError("policy 'escalate_after' needs escalate_after (a duration)")
        return self

    @field_validator("redial_delay")
    @classmethod
    def _redial(cls, value: Any) -> Any:
        return _takes_time(value)


class Language(_Section):
    """Calls that fail because the two sides did not understand each other.

    The message is explained once per attempt, to whoever answers first; it is
    misunderstood with ``misunderstanding_probability``. If a duty officer
    understood it and the caller then reaches a POC, the POC understands too,
    unless ``poc_misunderstanding_probability`` is given for that second telling.
    """

    misunderstanding_probability: float = Field(
        default=0.0, ge=0, le=1, description="Chance that an attempt's message is not understood by whoever "
                                             "answers first (the caller then hangs up and redials).")
    poc_misunderstanding_probability: Optional[float] = Field(
        default=None, ge=0, le=1, description="Chance that the POC misunderstands a message a duty officer "
                                              "already understood (default: the POC understands it).")
    misunderstood_first_attempts: int = Field(
        default=0, ge=0, strict=True, description="The first this many attempts are misunderstood for certain.")


class Party(Caller):
    """One of several parties calling at once: its own detection, behaviour, language and channel."""

    name: str = Field(description="Who calls (a headquarters, a liaison officer, a second channel).")
    desk: str = Field(HOTLINE, description=f"The desk this party rings: {HOTLINE!r} (the desk section) or the "
                                           "name of one of other_desks.")
    detection: Optional[Detection] = Field(
        None, description="When this party notices the strike and calls; none: it only makes the objection "
                          "to a caught notice (the first party does that).")
    language: Language = Field(Language(), description="Misunderstanding between this party and the desk.")


class AwayInterval(_Section):
    start: Time = Field(description="When the POC leaves (after a call in progress); may be before the clock "
                                    "origin, written \"20:00-1d\".")
    end: Time = Field(description="When the POC is back; \"08:00+1d\" for the next day.")

    @model_validator(mode="after")
    def _ordered(self) -> "AwayInterval":
        if self.end <= self.start:
            raise ValueError("an away interval must end after it starts (write \"08:00+1d\" for the next day)")
        return self


class Shift(_Section):
    start: Time = Field(description="Clock time the shift starts, on the roster's first day.")
    end: Time = Field(description="Clock time the shift ends; \"08:00+1d\" for a night shift.")


class Roster(_Section):
    """A cycle of shifts repeated every ``period`` (a day or a week).

    At the end of a shift the POC finishes a call in progress. If the next
    shift starts right then, the handover takes ``handover`` minutes more
    before the incoming POC answers; if a gap follows, the seat is empty until
    the next shift. Callers on hold keep their place through a handover and
    are answered by the incoming POC (or any other POC present).
    """

    period: Duration = Field(MINUTES_PER_DAY, gt=0, description="Length of the cycle: \"1 d\" or \"7 d\".")
    shifts: list[Shift] = Field(min_length=1, description="The shifts of one cycle, clock times on its first "
                                                          "day (\"+2d\" for the third day of a week).")
    handover: Duration = Field(0.0, description="Between back-to-back shifts: time the seat does not answer "
                                                "while the outgoing POC briefs the incoming one.")

    @model_validator(mode="after")
    def _fits(self) -> "Roster":
        spans = []
        for i, shift in enumerate(self.shifts):
            if shift.end <= shift.start:
                raise ValueError(f"shifts[{i}] must end after it starts (\"08:00+1d\" for the next day)")
            if shift.end - shift.start > self.period:
                raise ValueError(f"shifts[{i}] is longer than the period")
            spans.append(((shift.start % self.period), shift.end - shift.start))
        spans.sort()
        for (start, length), (next_start, _) in zip(spans, spans[1:] + [(spans[0][0] + self.period, 0.0)]):
            if start + length > next_start + 1e-9:
                raise ValueError("shifts overlap: a roster seat has one POC at a time")
        return self


class Availability(_Section):
    """When each POC of a group is at the phone; the kinds below combine.

    ``away``: explicit intervals (replays); ``available``/``away_for``: spells
    drawn in turn, from each POC's own stream (stochastic studies); ``roster``:
    shifts. With none, the POCs are always there. A POC on a call finishes it
    before leaving.
    """

    away: list[AwayInterval] = Field(default_factory=list, description="Intervals during which each POC of "
                                                                        "the group is away.")
    available: Optional[DurationDistribution] = Field(None, description="Length of a spell at the desk "
                                                                        "(alternating with away_for).")
    away_for: Optional[DurationDistribution] = Field(None, description="Length of a spell away from the desk.")
    starts_away: bool = Field(False, description="Alternating spells start with an away spell.")
    roster: Optional[Roster] = Field(None, description="Shifts: the POC is at the desk only on shift.")

    @model_validator(mode="after")
    def _alternating_complete(self) -> "Availability":
        if (self.available is None) != (self.away_for is None):
            raise ValueError("alternating availability needs both available and away_for")
        if self.starts_away and self.available is None:
            raise ValueError("starts_away goes with alternating availability (available and away_for)")
        return self

    @property
    def alternating(self) -> bool:
        return self.available is not None

    @property
    def always_present(self) -> bool:
        return not self.away and not self.alternating and self.roster is None


class PocGroup(_Section):
    """POCs who share how they are available: the designated POC, a second POC, a night shift."""

    name: str = Field("POC", description="What the group is called in reports and the trace.")
    count: int = Field(default=1, ge=0, strict=True, description="Number of POCs in the group.")
    availability: Availability = Field(Availability(), description="When each POC of the group is at the phone.")
    message_time: DurationDistribution = Field(0.0, description="Time a POC spends taking an urgent message.")


def _groups(value: Any) -> Any:
    """``pocs:`` may be one group (a mapping) or a list of groups."""
    return [value] if isinstance(value, dict) else value


class DutyOfficers(_Section):
    """Officers who answer when no POC is free but can only take a message; each is one server."""

    count: int = Field(default=1, ge=0, strict=True, description="Number of duty officers.")
    answer_time: DurationDistribution = Field(0.0, description="Time a duty officer spends with a call.")
    relay_delay: DurationDistribution = Field(0.0, description="Time for a duty officer to get a message to "
                                                               "someone who can act.")


class Desk(_Section):
    """People at one desk who answer a line, and the order in which callers are served."""

    precedence: Literal["fifo", "urgent_first", "urgent_preempts"] = Field(
        "fifo", description="Who is served first: fifo (in order of calling); urgent_first (stop calls, "
                            "objections and notices ahead of routine calls); urgent_preempts (as urgent_first, "
                            "and a POC interrupts a routine call for an urgent one, resuming it after).")
    pocs: Annotated[list[PocGroup], BeforeValidator(_groups, json_schema_input_type=PocGroup | list[PocGroup])] \
        = Field(default_factory=lambda: [PocGroup()], description="One group of POCs, or a list of groups.")
    duty_officers: DutyOfficers = Field(DutyOfficers(), description="Who answers when no POC is free.")
    relay_delay: DurationDistribution = Field(0.0, description="From the message reaching someone who can act "
                                                               "to the abort order.")
    verification: DurationDistribution = Field(
        0.0, description="After the relay and before the abort order: the striking side checks the claim "
                         "against what it knows of its own fire (17 min at Kunduz, none at Deir ez-Zor).")

    @property
    def poc_count(self) -> int:
        return sum(group.count for group in self.pocs)


class BackgroundCalls(_Section):
    """Routine traffic for the hotline desk: Poisson arrivals, each served by one POC."""

    rate_per_hour: float = Field(ge=0, description="Routine calls per hour on average.")
    service_time: DurationDistribution = Field(description="Length of a routine call.")
    patience: Optional[DurationDistribution] = Field(
        None, description="Time on hold after which a routine caller hangs up (and does not call back).")
    calls: Optional[int] = Field(default=None, gt=0, strict=True,
                                 description="Hotline-only model: stop after this many calls.")
    warmup_calls: int = Field(default=0, ge=0, strict=True,
                              description="Hotline-only model: calls not measured while the desk fills up.")


class Report(_Section):
    """Thresholds the report asks about."""

    late_after: list[Duration] = Field(
        default_factory=list, description="For each t: P(message not through within t of the first call).")
    wait_thresholds: list[Duration] = Field(
        default_factory=list, description="Hotline-only model: for each t, P(wait > t) and service level at t.")


class Scenario(_Section):
    name: str = Field(description="Title of the scenario in reports and figures.")
    description: str = Field("", description="What the scenario is, in a sentence or two.")
    extends: Optional[str] = Field(None, description="A scenario file (relative to this one, or a shipped name) "
                                                     "this file is laid over, mapping by mapping.")
    clock_origin: Optional[str] = Field(None, description="Clock time of minute 0, e.g. \"14:00\"; needed for "
                                                          "clock times elsewhere in the file.")
    seed: int = Field(default=0, ge=0, strict=True, description="Root seed of every random stream.")
    horizon: Duration = Field(24 * 60.0, gt=0, description="The run stops here; anything still going on is "
                                                            "reported as cut off.")
    sites: list[Site] = Field(default_factory=list, description="The receiving side's protected positions.")
    strike: Optional[Strike] = Field(None, description="The attack; absent for a hotline-only queueing model.")
    notification: Optional[Notification] = Field(None, description="The pre-strike notice, if one is given.")
    site_notice: Optional[SiteNotice] = Field(
        None, description="The receiving side's notice of its sites to the striking side (no-strike list).")
    query: Optional[Query] = Field(None, description="The striking side's question before the strike: are your "
                                                     "forces at this point?")
    detection: Optional[Detection] = Field(None, description="When the (single) caller notices the strike.")
    caller: Caller = Field(Caller(), description="What the (single) caller does.")
    language: Language = Field(Language(), description="Misunderstanding between the (single) caller and the desk.")
    callers: list[Party] = Field(default_factory=list, description="Several parties calling at once, each with "
                                                                   "its own detection, behaviour, language and "
                                                                   "desk; replaces detection, caller, language.")
    desk: Desk = Field(Desk(), description=f"The hotline desk ({HOTLINE!r}).")
    other_desks: dict[str, Desk] = Field(default_factory=dict, description="Other desks a party may ring, by name.")
    background_calls: Optional[BackgroundCalls] = Field(None, description="Routine traffic on the hotline desk.")
    report: Report = Field(Report(), description="Thresholds the report asks about.")

    _parties: list[Party] = PrivateAttr(default_factory=list)

    @field_validator("clock_origin")
    @classmethod
    def _clock(cls, value: Optional[str]) -> Optional[str]:
        if value is not None:
            minutes = parse_clock(value)
            if not 0 <= minutes < MINUTES_PER_DAY:
                raise ValueError(f"clock_origin is a time of day without a day, got {value!r}")
        return value

    @model_validator(mode="after")
    def _coherent(self) -> "Scenario":
        if self.callers and ("detection" in self.model_fields_set or "caller" in self.model_fields_set
                             or "language" in self.model_fields_set):
            raise ValueError("give either callers (several parties) or detection, caller and language "
                             "(one caller), not both")
        parties = list(self.callers) or [Party(name="caller", detection=self.detection, language=self.language,
                                               **self.caller.model_dump())]
        names = [p.name for p in parties]
        if len(set(names)) < len(names):
            raise ValueError("callers: two parties have the same name")
        if HOTLINE in self.other_desks:
            raise ValueError(f"other_desks: {HOTLINE!r} is the desk section's own name")
        for party in parties:
            if party.desk != HOTLINE and party.desk not in self.other_desks:
                known = ", ".join([HOTLINE, *self.other_desks])
                raise ValueError(f"callers: {party.name} rings desk {party.desk!r}, which is not one of {known}")
        for name, desk in self.desks.items():
            if desk.poc_count == 0 and desk.duty_officers.count == 0:
                raise ValueError(f"desk {name!r} needs at least one POC or duty officer")
        if self.strike is None:
            self._hotline_only()
        elif self.notification is None and all(p.detection is None for p in parties) \
                and self.site_notice is None and self.query is None:
            raise ValueError("a strike needs detection or notification: nobody would ever call")
        self._parties = parties
        return self

    def _hotline_only(self) -> None:
        if self.background_calls is None:
            raise ValueError("a scenario needs a strike, or background_calls for a hotline-only model")
        calls = self.background_calls
        if calls.calls is None or calls.rate_per_hour == 0:
            raise ValueError("a hotline-only scenario (no strike) needs background_calls.calls "
                             "and a rate_per_hour above 0")
        if calls.warmup_calls >= calls.calls:
            raise ValueError(f"background_calls.warmup_calls ({calls.warmup_calls}) leaves none "
                             f"of the {calls.calls} calls to measure")
        if self.desk.poc_count == 0:
            raise ValueError("a hotline-only scenario needs at least one POC to answer the calls")

    @property
    def parties(self) -> list[Party]:
        """Who calls: the ``callers`` list, or the single caller of ``detection``, ``caller`` and ``language``."""
        return self._parties

    @property
    def desks(self) -> dict[str, Desk]:
        return {HOTLINE: self.desk, **self.other_desks}

    @property
    def origin_minutes(self) -> Optional[float]:
        return parse_clock(self.clock_origin) if self.clock_origin else None

    @classmethod
    def from_data(cls, data: Any) -> "Scenario":
        """Validate parsed YAML; clock times resolve against its ``clock_origin``."""
        origin, given = None, isinstance(data, dict) and data.get("clock_origin") is not None
        if given and isinstance(data["clock_origin"], str) and is_clock(data["clock_origin"]):
            try:
                origin = parse_clock(data["clock_origin"])
            except ValueError:  # "25:00": reported on clock_origin itself
                pass
        return cls.model_validate(data, context={"clock_origin": origin, "clock_origin_given": given})

