"""A party's calls to stop a strike, attempt by attempt.

Picture the Russian officer at 16:25 on 17 September 2016. He dials; the
designated POC is away, so a duty officer picks up. The call is cryptic and
not understood; the officer offers to take a message, the caller declines,
hangs up and redials a few minutes later. This time he holds for the POC,
who comes back 27 minutes after the first call.

Each attempt goes the same way here. If a POC is free, the POC answers.
Otherwise the caller waits with nobody on the line until a POC or a duty
officer picks up, keeping a place in the POC line throughout. The message is
explained once, to whoever answers first, and may be misunderstood (see
``sim.scenario.schema.Language``); then the caller hangs up and redials after
``redial_delay``. Understood by a duty officer, the caller's policy decides:

- ``wait_for_poc``: hold until a POC picks up;
- ``pass_to_duty_officer``: the duty officer passes the message on at once;
- ``escalate_after``: hold up to the limit, then have the duty officer pass it on.

Time *on hold* is time with nobody on the line, before the first answer and
after a duty officer has spoken; ``patience`` (hang up and redial) and
``escalate_after`` count it within an attempt. An answer and a deadline due
at the same moment: the answer wins.

The message is *through* when it reaches someone who can act: a POC, or the
person the duty officer passes it to. A relay delay later the abort order is
given. One process per party: when another party's message stops the strike
first, an interrupt ends this one's calls, hanging up whatever it holds.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Callable, Generator, Optional, Union

import simpy

from sim.model.desk import DeskModel
from sim.model.staff import SeatRequest
from sim.model.streams import Streams
from sim.model.trace import Kind, Trace
from sim.scenario.schema import Party

LATE = 2
"""SimPy priority of deadlines: below NORMAL (1), so an answer due at the same moment comes first."""


class Deadline(simpy.Event):
    """A timeout that yields to every ordinary event due at the same moment."""

    def __init__(self, env: simpy.Environment, delay: float) -> None:
        super().__init__(env)
        self._ok = True
        self._value = None
        env.schedule(self, LATE, max(delay, 0.0))


@dataclass
class Attempt:
    """One call: where its time went, in minutes."""

    number: int
    dialled: float
    answered_by: str = ""     # "POC" or "duty officer": who picked up first
    waiting: float = 0.0      # on hold before anyone picked up
    talking: float = 0.0      # explaining the message to a duty officer and/or a POC
    holding: float = 0.0      # on hold for a POC after a duty officer spoke
    relaying: float = 0.0     # a duty officer passing the message on
    outcome: str = ""         # through, misunderstood, abandoned; empty while it lasts
    ended: float = math.nan


@dataclass
class CallRecord:
    """What one party's calls achieved; NaN where it never happened."""

    party: str
    desk: str
    reason: str = ""          # detection or objection
    first_call: float = math.nan
    message_through: float = math.nan
    through_via: str = ""     # POC or duty officer
    attempts: list[Attempt] = field(default_factory=list)
    gave_up: bool = False     # out of attempts
    stopped: bool = False     # another party stopped the strike first

    @property
    def hold_time(self) -> float:
        return sum(a.waiting + a.holding for a in self.attempts)


Answer = Union[SeatRequest, str]


class StopCampaign:
    """Started once, by whichever comes first: an objection or a detection."""

    def __init__(self, env: simpy.Environment, party: Party, index: int, desk: DeskModel, streams: Streams,
                 trace: Trace, order_abort: Callable[["StopCampaign"], None]) -> None:
        self.env = env
        self.party = party
        self.desk = desk
        self.trace = trace
        self.order_abort = order_abort
        # One stream per quantity, indexed by attempt: a change of policy or path shifts no other draw.
        q = f"callers[{index}]"
        self.redial, self.patience = streams(f"{q}.redial_delay"), streams(f"{q}.patience")
        self.answer, self.message = streams(f"{q}.answer_time"), streams(f"{q}.message_time")
        self.officer_relay = streams(f"{q}.officer_relay")
        self.first_telling, self.poc_telling = streams(f"{q}.language"), streams(f"{q}.poc_language")
        self.record = CallRecord(party.name, desk.name)
        self.process: Optional[simpy.Process] = None
        self._patience_left: Optional[float] = None
        self._on_hold: Optional[tuple[Attempt, str, float]] = None

    def trigger(self, reason: str) -> simpy.Process:
        """Start calling now unless already calling; the process ends with the abort order or giving up."""
        if self.process is None:
            self.record.reason = reason
            self.record.first_call = self.env.now
            self.process = self.env.process(self._campaign())
        return self.process

    def stop(self) -> None:
        """Another party's message stopped the strike: stop calling."""
        if self.process is not None and self.process.is_alive:
            self.process.interrupt("stopped")

    def close(self) -> None:
        """The run ends (horizon): a hold still going on counts up to now."""
        if self._on_hold is not None:
            attempt, part, since = self._on_hold
            setattr(attempt, part, getattr(attempt, part) + self.env.now - since)
            self._on_hold = None

    def _campaign(self) -> Generator[simpy.Event, object, None]:
        name = self.party.name
        try:
            while len(self.record.attempts) < self.party.max_attempts:
                attempt = Attempt(len(self.record.attempts) + 1, self.env.now)
                self.record.attempts.append(attempt)
                self.trace.record(self.env.now, Kind.CALL_DIAL, name, attempt=attempt.number,
                                  reason=self.record.reason, desk=self.desk.name)
                patience = self.party.patience
                self._patience_left = None if patience is None else patience.quantile(self.patience.at(attempt.number))
                attempt.outcome = yield from self._attempt(attempt)
                attempt.ended = self.env.now
                if attempt.outcome == "through":
                    yield self.env.timeout(self.desk.relay_delay)
                    self.order_abort(self)
                    return
                delay = self.party.redial_delay.quantile(self.redial.at(attempt.number))
                self.trace.record(self.env.now, Kind.CALL_ENDED, name, attempt=attempt.number,
                                  outcome=attempt.outcome, redial_in=round(delay, 4))
                yield self.env.timeout(delay)
            self.record.gave_up = True
            self.trace.record(self.env.now, Kind.CALLER_GAVE_UP, name, attempts=len(self.record.attempts))
        except simpy.Interrupt:
            self.record.stopped = True
            self.trace.record(self.env.now, Kind.CALLER_STOPPED, name)

    def _attempt(self, attempt: Attempt) -> Generator[simpy.Event, object, str]:
        desk = self.desk
        with desk.pocs.request(urgent=True) as poc:
            if poc.triggered or not len(desk.duty_officers):
                answer = yield from self._hold(attempt, "waiting", [poc])
                if answer is not poc:
                    return "abandoned"
                return (yield from self._with_poc(attempt, poc, second_telling=False))
            with desk.duty_officers.request(urgent=True) as officer:
                answer = yield from self._hold(attempt, "waiting", [poc, officer])
                if answer is poc:
                    return (yield from self._with_poc(attempt, poc, second_telling=False))
                if answer is not officer:
                    return "abandoned"
                attempt.answered_by = "duty officer"
                self._answered(attempt, officer)
                yield from self._talk(attempt, desk.config.duty_officers.answer_time.quantile(
                    self.answer.at(attempt.number)))
            if not self._understood(attempt, second_telling=False):
                return "misunderstood"
            policy = self.party.policy
            if policy == "pass_to_duty_officer":
                return (yield from self._relay_by_duty_officer(attempt))
            limit = None
            if policy == "escalate_after":
                assert self.party.escalate_after is not None
                limit = self.party.escalate_after - attempt.waiting
            answer = yield from self._hold(attempt, "holding", [poc], escalate_after=limit)
            if answer is poc:
                return (yield from self._with_poc(attempt, poc, second_telling=True))
            if answer == "escalate":
                return (yield from self._relay_by_duty_officer(attempt))
            return "abandoned"

    def _hold(self, attempt: Attempt, part: str, requests: list[SeatRequest],
              escalate_after: Optional[float] = None) -> Generator[simpy.Event, object, Answer]:
        """Wait with nobody on the line for one of ``requests``; patience and escalation count down."""
        answered = next((r for r in requests if r.triggered), None)
        if answered is not None:
            return answered
        give_up = None if self._patience_left is None else Deadline(self.env, self._patience_left)
        escalate = None if escalate_after is None else Deadline(self.env, escalate_after)
        since = self.env.now
        self._on_hold = (attempt, part, since)
        self.trace.record(since, Kind.HOLD_START, self.party.name, attempt=attempt.number)
        try:
            yield self.env.any_of([*requests, *(d for d in (give_up, escalate) if d is not None)])
        finally:
            if self._on_hold is not None:
                self._on_hold = None
                held = self.env.now - since
                setattr(attempt, part, getattr(attempt, part) + held)
                if self._patience_left is not None:
                    self._patience_left -= held
                self.trace.record(self.env.now, Kind.HOLD_END, self.party.name, attempt=attempt.number)
        answered = next((r for r in requests if r.triggered), None)
        if answered is not None:
            return answered
        # A timeout counts as triggered from the moment it is made: only a processed deadline has passed.
        return "escalate" if escalate is not None and escalate.processed else "abandoned"

    def _answered(self, attempt: Attempt, request: SeatRequest) -> None:
        assert request.seat is not None
        self.trace.record(self.env.now, Kind.ANSWERED, request.seat.name, attempt=attempt.number,
                          caller=self.party.name, role=attempt.answered_by)

    def _talk(self, attempt: Attempt, minutes: float) -> Generator[simpy.Event, object, None]:
        yield self.env.timeout(minutes)
        attempt.talking += minutes

    def _with_poc(self, attempt: Attempt, poc: SeatRequest,
                  second_telling: bool) -> Generator[simpy.Event, object, str]:
        attempt.answered_by = attempt.answered_by or "POC"
        seat = poc.seat
        assert seat is not None
        self.trace.record(self.env.now, Kind.ANSWERED, seat.name, attempt=attempt.number,
                          caller=self.party.name, role="POC")
        yield from self._talk(attempt, self.desk.message_time(seat).quantile(self.message.at(attempt.number)))
        self.desk.pocs.hang_up(poc)
        if not self._understood(attempt, second_telling):
            return "misunderstood"
        self._through("POC")
        return "through"

    def _understood(self, attempt: Attempt, second_telling: bool) -> bool:
        """Drawn once per telling: to whoever answered first, and to a POC after a duty officer."""
        language = self.party.language
        if second_telling:
            p = language.poc_misunderstanding_probability
            return p is None or not self.poc_telling.at(attempt.number) < p
        if attempt.number <= language.misunderstood_first_attempts:
            return False
        p = language.misunderstanding_probability
        return not self.first_telling.at(attempt.number) < p

    def _relay_by_duty_officer(self, attempt: Attempt) -> Generator[simpy.Event, object, str]:
        self.trace.record(self.env.now, Kind.MESSAGE_TAKEN, "duty officer", attempt=attempt.number,
                          caller=self.party.name)
        minutes = self.desk.config.duty_officers.relay_delay.quantile(self.officer_relay.at(attempt.number))
        yield self.env.timeout(minutes)
        attempt.relaying += minutes
        self._through("duty officer")
        return "through"

    def _through(self, via: str) -> None:
        self.record.message_through = self.env.now
        self.record.through_via = via
        self.trace.record(self.env.now, Kind.MESSAGE_THROUGH, via, caller=self.party.name)
