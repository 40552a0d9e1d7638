"""The scenario format: one YAML file describes one incident or what-if.

Picture the Deir ez-Zor afternoon: coalition aircraft drop 37 bombs on Syrian
positions between 15:55 and 16:56. A pre-strike notice went over the hotline
with a location 9 km off, so the Russian check found nothing to object to. At
16:25 a Russian officer calls to stop the strike; the one designated point of
contact (POC) is away, the duty officer cannot make sense of the call, the
caller redials and holds for the POC, who comes back at 16:52. A file says
each of these things in its own section:

- ``sites``: the receiving side's protected positions;
- ``strike``: target, releases, abort latency, harm per release;
- ``notification``: the optional pre-strike notice and the check against it;
- ``detection``: how long until the receiving side notices and calls;
- ``caller`` and ``language``: what the caller does when the POC is away,
  redials, patience, misunderstanding;
- ``desk``: POCs with their availability, duty officers, relay delays;
- ``background_calls``: other traffic competing for the POCs.

Without a ``strike`` the file is a hotline-only queueing model (Poisson calls,
POCs, service and patience), used to validate against queueing theory.

Every uncertain quantity is written inline as a distribution (see
``sim.scenario.distributions``); moments on the clock are ``"16:25"``-style
strings counted from ``clock_origin``, or durations after it.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal, Optional

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)

from sim.scenario.distributions import Distribution, DurationDistribution
from sim.scenario.units import is_clock, parse_clock, parse_duration

_NonNegative = Annotated[float, Field(ge=0)]

# ``json_schema_input_type`` makes the JSON Schema describe what a file may
# write (``"90 s"``, ``"16:25"``), not the minutes the validator makes of it.
Duration = Annotated[float, Field(ge=0), BeforeValidator(
    parse_duration, json_schema_input_type=_NonNegative | str)]
"""A non-negative number of minutes; strings with units are accepted."""


def _to_minutes_from_origin(value: Any, info: ValidationInfo) -> Any:
    """A clock time becomes minutes after the scenario's clock origin."""
    if is_clock(value):
        context = info.context or {}
        origin = context.get("clock_origin")
        if origin is None and context.get("clock_origin_given"):
            raise ValueError(f"clock time {value!r} cannot be placed: clock_origin is not a clock time")
        if origin is None:
            raise ValueError(f"clock time {value!r} needs a clock_origin at the top of the file")
        minutes = parse_clock(value) - origin
        return minutes if minutes >= 0 else minutes + 1440.0
    return parse_duration(value)


Time = Annotated[float, Field(ge=0), BeforeValidator(
    _to_minutes_from_origin, json_schema_input_type=_NonNegative | str)]
"""Minutes after the clock origin: ``"16:25"`` or a duration such as ``"85 min"``."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, validate_default=True)


class Point(_Section):
    x_km: float = 0.0
    y_km: float = 0.0


class Site(Point):
    """A protected position of the receiving side: troops, a hospital, a village."""

    name: str
    radius_km: float = Field(default=1.0, gt=0)


class Harm(_Section):
    """Killed and wounded per release that lands on a protected site."""

    killed: Distribution = 0.0
    wounded: Distribution = 0.0


class Releases(_Section):
    """When the weapons fall once the strike has begun.

    ``even``: ``count`` releases evenly spaced, the first at the strike start and
    the last ``window`` later; ``poisson``: ``count`` releases at random at
    ``rate`` per minute; ``explicit``: the listed ``times``.
    """

    pattern: Literal["even", "poisson", "explicit"] = "even"
    count: Optional[int] = Field(default=None, gt=0)
    window: Optional[Duration] = None
    rate_per_min: Optional[float] = Field(default=None, gt=0)
    times: Optional[list[Time]] = None

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
    target: Point = Point()
    start: Time
    releases: Releases
    scatter_km: Distribution = 0.0
    abort_latency: DurationDistribution = 0.0
    harm: Harm = Harm()


class LocationError(_Section):
    """How far and in which direction the notified location is off the real target."""

    distance_km: Distribution = 0.0
    bearing_deg: Distribution = Field(default=0.0)


class Notification(_Section):
    """The striking side's pre-strike notice and the receiving side's check of it."""

    lead_time: DurationDistribution
    error: LocationError = LocationError()
    check_radius_km: float = Field(gt=0)
    check_time: DurationDistribution = 0.0


class Detection(_Section):
    delay: DurationDistribution


class Caller(_Section):
    """What the receiving side's caller does when the POC is not there."""

    policy: Literal["wait_for_poc", "pass_to_duty_officer", "escalate_after"] = "wait_for_poc"
    escalate_after: Optional[Duration] = None
    patience: Optional[DurationDistribution] = None
    redial_delay: DurationDistribution = 0.0
    max_attempts: int = Field(default=20, gt=0)

    @model_validator(mode="after")
    def _limit_given(self) -> "Caller":
        if self.policy == "escalate_after" and self.escalate_after is None:
            raise ValueError("policy 'escalate_after' needs escalate_after (a duration)")
        return self


class Language(_Section):
    """Calls that fail because the two sides did not understand each other."""

    misunderstanding_probability: float = Field(default=0.0, ge=0, le=1)
    misunderstood_first_attempts: int = Field(default=0, ge=0)


class AwayInterval(_Section):
    start: Time
    end: Time

    @model_validator(mode="after")
    def _ordered(self) -> "AwayInterval":
        if self.end <= self.start:
            raise ValueError("an away interval must end after it starts")
        return self


class Availability(_Section):
    """When each POC is at the phone.

    Replays list explicit ``away`` intervals; sweeps draw alternating
    ``available``/``away_for`` periods, starting ``available`` unless
    ``starts_away``.
    """

    away: list[AwayInterval] = Field(default_factory=list)
    available: Optional[DurationDistribution] = None
    away_for: Optional[DurationDistribution] = None
    starts_away: bool = False

    @model_validator(mode="after")
    def _one_model(self) -> "Availability":
        alternating = (self.available is not None, self.away_for is not None)
        if any(alternating) and not all(alternating):
            raise ValueError("alternating availability needs both available and away_for")
        if all(alternating) and self.away:
            raise ValueError("give either explicit away intervals or alternating periods, not both")
        return self

    @property
    def alternating(self) -> bool:
        return self.available is not None


class Pocs(_Section):
    count: int = Field(default=1, ge=0)
    availability: Availability = Availability()
    message_time: DurationDistribution = 0.0


class DutyOfficers(_Section):
    count: int = Field(default=1, ge=0)
    answer_time: DurationDistribution = 0.0
    relay_delay: DurationDistribution = 0.0


class Desk(_Section):
    pocs: Pocs = Pocs()
    duty_officers: DutyOfficers = DutyOfficers()
    relay_delay: DurationDistribution = 0.0


class BackgroundCalls(_Section):
    """Other traffic for the POCs: Poisson arrivals, each served by one POC."""

    rate_per_hour: float = Field(ge=0)
    service_time: DurationDistribution
    patience: Optional[DurationDistribution] = None
    calls: Optional[int] = Field(default=None, gt=0)
    warmup_calls: int = Field(default=0, ge=0)


class Report(_Section):
    """Extra figures a hotline-only run reports."""

    wait_thresholds: list[Duration] = Field(default_factory=list)


class Scenario(_Section):
    name: str
    description: str = ""
    extends: Optional[str] = None  # resolved by the loader: this file laid over that one
    clock_origin: Optional[str] = None
    seed: int = Field(default=0, ge=0, strict=True)
    horizon: Duration = 24 * 60.0
    sites: list[Site] = Field(default_factory=list)
    strike: Optional[Strike] = None
    notification: Optional[Notification] = None
    detection: Optional[Detection] = None
    caller: Caller = Caller()
    language: Language = Language()
    desk: Desk = Desk()
    background_calls: Optional[BackgroundCalls] = None
    report: Report = Report()

    @field_validator("clock_origin")
    @classmethod
    def _clock(cls, value: Optional[str]) -> Optional[str]:
        if value is not None:
            parse_clock(value)
        return value

    @model_validator(mode="after")
    def _coherent(self) -> "Scenario":
        if self.strike is None:
            if self.background_calls is None:
                raise ValueError("a scenario needs a strike, or background_calls for a hotline-only model")
            calls = self.background_calls
            if calls.calls is None or calls.rate_per_hour == 0:
                raise ValueError("a hotline-only scenario (no strike) needs background_calls.calls "
                                 "and a rate_per_hour above 0")
            if calls.warmup_calls >= calls.calls:
                raise ValueError(f"background_calls.warmup_calls ({calls.warmup_calls}) leaves none "
                                 f"of the {calls.calls} calls to measure")
        elif self.detection is None and self.notification is None:
            raise ValueError("a strike needs detection or notification: nobody would ever call")
        if self.desk.pocs.count == 0 and self.desk.duty_officers.count == 0:
            raise ValueError("the desk needs at least one POC or duty officer")
        return self

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
