"""The receiving side's call to stop a strike, attempt by attempt.

Picture the Russian officer at 16:25 on 17 September 2016. He dials; the
designated POC is away, so a duty officer picks up. The call is cryptic and
not understood; the officer offers to take a message, the caller declines,
hangs up and redials a few minutes later. This time he holds for the POC,
who comes back 27 minutes after the first call.

Each attempt goes the same way here. If a POC is free, the POC answers.
Otherwise a duty officer answers (if the desk has one) while the caller's
place in the POC queue is kept. An answered call may be misunderstood, and
then the caller hangs up and redials after ``redial_delay``. Understood by a
duty officer, the caller's policy decides:

- ``wait_for_poc``: hold until a POC picks up;
- ``pass_to_duty_officer``: the duty officer relays the message at once;
- ``escalate_after``: hold up to the limit, then have the duty officer relay.

A caller with ``patience`` hangs up after that long on hold and redials.
The message is *through* when it reaches someone who can act: a POC, or the
person the duty officer relays it to. The campaign ends a relay delay later,
when that person gives the abort order.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable, Generator, Optional

import simpy

from sim.model.desk import HotlineDesk
from sim.model.streams import Streams
from sim.model.trace import Trace
from sim.scenario.schema import Caller, Language

ACTOR = "caller"


@dataclass
class CallRecord:
    """What the campaign achieved; NaN where it never happened."""

    reason: str = ""
    first_call: float = math.nan
    message_through: float = math.nan
    through_via: str = ""
    hold_time: float = 0.0
    attempts: int = 0
    misunderstood: int = 0
    abandoned: int = 0


class StopCampaign:
    """Started once, by whichever comes first: an objection or a detection."""

    def __init__(self, env: simpy.Environment, desk: HotlineDesk, caller: Caller,
                 language: Language, streams: Streams, trace: Trace,
                 relay_delay: float, order_abort: Callable[[], None]) -> None:
        self.env = env
        self.desk = desk
        self.caller = caller
        self.language = language
        self.trace = trace
        # One stream per use, so that a change of policy or path does not
        # shift the draws of any other use (sharper paired comparisons).
        self.redial_rng = streams("caller", 0)
        self.patience_rng = streams("caller", 1)
        self.language_rng = streams("language")
        self.answer_rng = streams("desk", 0)
        self.message_rng = streams("desk", 1)
        self.officer_relay_rng = streams("desk", 2)
        self.relay_delay = relay_delay
        self.order_abort = order_abort
        self.record = CallRecord()
        self.process: Optional[simpy.Process] = None

    def trigger(self, reason: str) -> simpy.Event:
        """Start calling now unless already calling; the process ends at the abort order."""
        if self.process is None:
            self.record.reason = reason
            self.record.first_call = self.env.now
            self.process = self.env.process(self._campaign())
        return self.process

    def _campaign(self) -> Generator[simpy.Event, None, None]:
        while self.record.attempts < self.caller.max_attempts:
            self.record.attempts += 1
            attempt = self.record.attempts
            self.trace.record(self.env.now, "call_dial", ACTOR, attempt=attempt, reason=self.record.reason)
            outcome = yield self.env.process(self._attempt(attempt))
            if outcome == "through":
                yield self.env.timeout(self.relay_delay)
                self.order_abort()
                return
            delay = self.caller.redial_delay.sample(self.redial_rng)
            self.trace.record(self.env.now, "call_ended", ACTOR, attempt=attempt, outcome=outcome,
                              redial_in=round(delay, 4))
            yield self.env.timeout(delay)
        self.trace.record(self.env.now, "caller_gave_up", ACTOR, attempts=self.record.attempts)

    def _misunderstood(self, attempt: int) -> bool:
        if attempt <= self.language.misunderstood_first_attempts:
            return True
        p = self.language.misunderstanding_probability
        return p > 0 and self.language_rng.random() < p

    def _attempt(self, attempt: int) -> Generator[simpy.Event, object, str]:
        desk = self.desk
        dialled = self.env.now
        poc = desk.request_poc()
        if not desk.poc_free_now(poc) and desk.has_duty_officer:
            officer = desk.duty_officers.request()
            answered = yield poc | officer
            if poc not in answered:
                outcome = yield self.env.process(self._with_duty_officer(attempt, poc, officer, dialled))
                return outcome
            self._hang_up(desk.duty_officers, officer)
        outcome = yield self.env.process(self._hold_for_poc(attempt, poc, dialled, limit=None))
        return outcome

    def _with_duty_officer(self, attempt: int, poc: simpy.Event, officer: simpy.Event,
                           dialled: float) -> Generator[simpy.Event, object, str]:
        desk = self.desk
        self.trace.record(self.env.now, "answered", "duty officer", attempt=attempt)
        yield self.env.timeout(desk.config.duty_officers.answer_time.sample(self.answer_rng))
        desk.duty_officers.release(officer)
        if self._misunderstood(attempt):
            self.record.misunderstood += 1
            self._hang_up(desk.pocs, poc)
            return "misunderstood"
        policy = self.caller.policy
        if policy == "pass_to_duty_officer":
            self._hang_up(desk.pocs, poc)
            return (yield self.env.process(self._relay_by_duty_officer(attempt)))
        limit = self.caller.escalate_after if policy == "escalate_after" else None
        remaining = None if limit is None else max(limit - (self.env.now - dialled), 0.0)
        return (yield self.env.process(self._hold_for_poc(attempt, poc, dialled, remaining)))

    def _hold_for_poc(self, attempt: int, poc: simpy.Event, dialled: float,
                      limit: Optional[float]) -> Generator[simpy.Event, object, str]:
        """Hold for a POC, up to the escalation limit and the caller's patience."""
        desk = self.desk
        held_from = self.env.now
        if not poc.triggered:
            self.trace.record(self.env.now, "hold_start", ACTOR, attempt=attempt)
            waits = [poc]
            patience = self.caller.patience
            give_up = None
            if patience is not None:
                give_up = self.env.timeout(max(patience.sample(self.patience_rng) - (self.env.now - dialled), 0.0))
                waits.append(give_up)
            escalate = None
            if limit is not None:
                escalate = self.env.timeout(limit)
                waits.append(escalate)
            fired = yield self.env.any_of(waits)
            self.record.hold_time += self.env.now - held_from
            self.trace.record(self.env.now, "hold_end", ACTOR, attempt=attempt)
            if poc not in fired:
                self._hang_up(desk.pocs, poc)
                if escalate is not None and escalate in fired:
                    return (yield self.env.process(self._relay_by_duty_officer(attempt)))
                self.record.abandoned += 1
                return "abandoned"
        self.trace.record(self.env.now, "answered", "POC", attempt=attempt)
        yield self.env.timeout(desk.config.pocs.message_time.sample(self.message_rng))
        desk.pocs.release(poc)
        if self._misunderstood(attempt):
            self.record.misunderstood += 1
            return "misunderstood"
        self._through("POC")
        return "through"

    def _relay_by_duty_officer(self, attempt: int) -> Generator[simpy.Event, None, str]:
        self.trace.record(self.env.now, "message_taken", "duty officer", attempt=attempt)
        yield self.env.timeout(self.desk.config.duty_officers.relay_delay.sample(self.officer_relay_rng))
        self._through("duty officer")
        return "through"

    def _through(self, via: str) -> None:
        self.record.message_through = self.env.now
        self.record.through_via = via
        self.trace.record(self.env.now, "message_through", via)

    @staticmethod
    def _hang_up(resource: simpy.Resource, request: simpy.Event) -> None:
        if request.triggered:
            resource.release(request)
        else:
            request.cancel()
