"""Erlang C and Erlang A: what queueing theory says the hotline should do.

Picture a hotline desk staffed by ``c`` officers. Calls arrive at random
(a Poisson stream, ``lam`` per minute) and each conversation lasts an
exponential time (``mu`` calls per minute per officer). A caller who finds
every officer busy waits in line.

* Erlang C (M/M/c): callers wait forever. The desk only keeps up when the
  utilisation ``rho = lam / (c mu)`` is below 1; then the chance of waiting,
  the mean wait and the whole waiting-time tail have closed forms.
* Erlang A (M/M/c+M): each waiting caller hangs up after an exponential
  patience (rate ``theta``). Abandonment keeps the line finite even when
  ``lam > c mu``; the figures come from the exact birth-death chain of the
  number of callers at the desk, solved numerically in log space.

A SimPy run of the same desk, with the same rates, must reproduce these
numbers within its confidence intervals; that is how the model is validated.
Times are in whatever unit the rates use (minutes in this project).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

_LOG_TAIL = math.log(1e-15)
"""Log of the relative probability mass the Erlang A chain may drop past its end."""

_MAX_STATES = 2_000_000
"""Guard against chains that would need more states than is sensible."""


@dataclass(frozen=True)
class QueueFigures:
    """Steady-state figures of one desk, as a caller arriving at random sees them.

    A wait ends when an officer answers or the caller hangs up, so the mean
    wait splits by how it ended: ``mean_wait = answered_wait + abandoned_wait``,
    where ``answered_wait`` is E[wait; answered] (the wait of answered callers,
    counted per arrival; zero for the others) and ``abandoned_wait`` is
    E[wait; hung up]. ``queue_on_arrival[j]`` is the probability that an
    arrival finds all officers busy and ``j`` callers already queued (Erlang
    A only; empty for Erlang C, whose waiting-time tail has a closed form).
    """

    servers: int
    arrival_rate: float
    service_rate: float
    patience_rate: float
    prob_wait: float
    mean_wait: float
    prob_abandon: float
    utilisation: float
    answered_wait: float
    abandoned_wait: float
    queue_on_arrival: tuple[float, ...] = field(default=(), repr=False)

    @property
    def mean_wait_answered(self) -> float:
        """Mean wait of the answered callers: the average speed of answer."""
        return self.answered_wait / (1.0 - self.prob_abandon)

    @property
    def mean_wait_abandoned(self) -> float:
        """Mean time to hang up of the callers who do; NaN when nobody can (no patience limit)."""
        return self.abandoned_wait / self.prob_abandon if self.prob_abandon > 0.0 else math.nan

    def prob_wait_exceeds(self, t: float) -> float:
        """P(an arriving caller is still waiting, neither served nor gone, at ``t``).

        For Erlang C this is the classic ``C exp(-(c mu - lam) t)``. For
        Erlang A a caller who finds ``j`` others queued reaches an officer
        when the ``j`` ahead have all left (each step at rate
        ``c mu + j theta``: the head is served or anyone ahead hangs up) and
        the head is then served (rate ``c mu``), while its own patience runs
        out at rate ``theta``. That pure-death chain is solved by
        uniformization and weighted by what arrivals find.
        """
        t = _checked_time(t)
        if not self.queue_on_arrival:
            drain = self.servers * self.service_rate
            return self.prob_wait * math.exp(-(drain - self.arrival_rate) * t)
        mass, rates = self._queue_chain()
        return math.exp(-self.patience_rate * t) * _uniformized_value(mass, rates, t, np.ones(mass.size))

    def prob_answered_wait_exceeds(self, t: float) -> float:
        """P(wait > ``t`` | answered): the waiting-time tail of the answered callers only."""
        return self._answered_after(t) / (1.0 - self.prob_abandon)

    def service_level(self, t: float) -> float:
        """P(answered within ``t``): the share of *all* callers answered by then; a caller who hangs up never is."""
        return (1.0 - self.prob_abandon) - self._answered_after(t)

    def _answered_after(self, t: float) -> float:
        """P(answered and wait > ``t``): still waiting at ``t`` with ``j`` ahead, then answered from there."""
        t = _checked_time(t)
        if not self.queue_on_arrival:
            return self.prob_wait_exceeds(t)  # Erlang C: every caller is answered
        mass, rates = self._queue_chain()
        answered_from = np.cumprod(rates / (rates + self.patience_rate))
        return math.exp(-self.patience_rate * t) * _uniformized_value(mass, rates, t, answered_from)

    def _queue_chain(self) -> tuple[np.ndarray, np.ndarray]:
        """What arrivals find queued ahead, and the rate at which the line ahead shortens by one."""
        mass = np.array(self.queue_on_arrival)
        return mass, self.servers * self.service_rate + self.patience_rate * np.arange(mass.size)


def _checked_time(t: float) -> float:
    t = float(t)
    if not (math.isfinite(t) and t >= 0.0):
        raise ValueError(f"time t must be finite and >= 0, got {t!r}")
    return t


def _uniformized_value(mass: np.ndarray, rates: np.ndarray, t: float, value: np.ndarray) -> float:
    """Sum of ``value[j]`` over the mass of a pure-death chain (j -> j-1, 0 -> absorbed) in state j at ``t``.

    With ``value`` all ones this is the mass not yet absorbed. Uniformization:
    jumps come at a Poisson rate ``big`` (the fastest state), each one a step
    of a substochastic matrix with only non-negative entries, so nothing
    cancels and the result is accurate for any chain length.
    """
    big = float(rates[-1])
    x = big * t
    if x == 0.0:
        return float(mass @ value)
    move = rates / big
    stay = 1.0 - move
    steps = math.ceil(x + 10.0 * math.sqrt(x) + 10.0)
    ks = np.arange(steps + 1)
    log_fact = np.concatenate(([0.0], np.cumsum(np.log(ks[1:]))))
    weights = np.exp(-x + ks * math.log(x) - log_fact)
    floor = 1e-17 * float(mass.sum())
    total = 0.0
    for weight in weights:
        total += weight * float(mass @ value)
        if float(mass.sum()) < floor:
            break
        stepped = mass * stay
        stepped[:-1] += mass[1:] * move[1:]
        mass = stepped
    return float(total)


def _waits_by_fate(rates: np.ndarray, theta: float) -> tuple[np.ndarray, np.ndarray]:
    """Per number ``j`` queued ahead on arrival: (E[wait; answered], E[wait; hung up]) of the tagged caller.

    With ``i`` ahead the caller leaves that state at ``r_i + theta``: the
    line ahead shortens at ``r_i = c mu + i theta`` (from ``i = 0`` that is
    being answered) and it hangs up at ``theta``. Time spent in a state does
    not depend on the way out, so with ``d_i = r_i / (r_i + theta)`` and the
    chances ``s_i`` of being answered and ``b_i`` of hanging up from ``i``:

        s_i = d_i s_(i-1),   b_i = theta / (r_i + theta) + d_i b_(i-1)   (s_(-1) = 1, b_(-1) = 0)
        E[wait; answered | i] = s_i / (r_i + theta) + d_i E[wait; answered | i-1]
        E[wait; hung up | i]  = b_i / (r_i + theta) + d_i E[wait; hung up | i-1]

    Every term is non-negative, so nothing cancels however rarely callers hang up.
    """
    answered_wait, abandoned_wait = np.empty(rates.size), np.empty(rates.size)
    answered, abandoned, wait_a, wait_b = 1.0, 0.0, 0.0, 0.0
    for i, rate in enumerate(rates.tolist()):
        leave = rate + theta
        stay_in_line = rate / leave
        answered *= stay_in_line
        abandoned = theta / leave + stay_in_line * abandoned
        wait_a = answered / leave + stay_in_line * wait_a
        wait_b = abandoned / leave + stay_in_line * wait_b
        answered_wait[i], abandoned_wait[i] = wait_a, wait_b
    return answered_wait, abandoned_wait


def _check_rates(c: int, lam: float, mu: float) -> None:
    """Reject inputs that make no queue: the formulas would return nonsense."""
    if isinstance(c, bool) or not isinstance(c, (int, np.integer)) or c < 1:
        raise ValueError(f"number of servers c must be a positive integer, got {c!r}")
    for name, value in (("arrival rate lam", lam), ("service rate mu", mu)):
        if not (math.isfinite(value) and value > 0.0):
            raise ValueError(f"{name} must be finite and > 0, got {value!r}")


def erlang_b(c: int, offered_load: float) -> float:
    """Erlang B blocking probability with ``c`` servers and load ``a = lam / mu``.

    Uses the recursion ``B(k) = a B(k-1) / (k + a B(k-1))``: every term stays
    in [0, 1], so it is stable where ``a**c / c!`` would overflow.
    """
    blocking = 1.0
    for k in range(1, c + 1):
        blocking = offered_load * blocking / (k + offered_load * blocking)
    return blocking


def erlang_c(c: int, lam: float, mu: float) -> QueueFigures:
    """M/M/c figures: ``c`` officers, Poisson calls at ``lam``, service rate ``mu``.

    Raises ValueError unless ``lam < c mu``: otherwise the line grows forever.
    """
    _check_rates(c, lam, mu)
    rho = lam / (c * mu)
    if rho >= 1.0:
        raise ValueError(
            f"Erlang C is unstable: utilisation lam/(c mu) = {rho:.4g} >= 1; "
            "add servers or use erlang_a with abandonment"
        )
    blocking = erlang_b(c, lam / mu)
    prob_wait = blocking / (1.0 - rho * (1.0 - blocking))
    mean_wait = prob_wait / (c * mu - lam)
    return QueueFigures(
        servers=int(c),
        arrival_rate=float(lam),
        service_rate=float(mu),
        patience_rate=0.0,
        prob_wait=prob_wait,
        mean_wait=mean_wait,
        prob_abandon=0.0,
        utilisation=rho,
        answered_wait=mean_wait,
        abandoned_wait=0.0,
    )


def _log_weights(c: int, lam: float, mu: float, theta: float) -> np.ndarray:
    """Unnormalised log P(N = n) of the Erlang A chain, cut where the tail is negligible.

    Above ``c`` the ratio ``lam / (c mu + (n - c) theta)`` never grows, so once it
    is below 1 the tail beyond ``n`` is at most ``p_n r / (1 - r)``.
    """
    log_lam = math.log(lam)
    logs = [0.0]
    peak = 0.0
    for n in range(1, _MAX_STATES):
        rate = min(n, c) * mu + max(n - c, 0) * theta
        logs.append(logs[-1] + log_lam - math.log(rate))
        peak = max(peak, logs[-1])
        if n < c:
            continue
        ratio = lam / (c * mu + (n + 1 - c) * theta)
        if ratio < 1.0:
            tail = logs[-1] + math.log(ratio / (1.0 - ratio))
            if tail < peak + _LOG_TAIL:
                return np.array(logs)
    raise ValueError(
        "Erlang A chain too long to truncate: load too near capacity for this patience"
    )


def erlang_a(c: int, lam: float, mu: float, theta: float) -> QueueFigures:
    """M/M/c+M figures: as Erlang C, but waiting callers hang up at rate ``theta``.

    ``theta = 0`` is allowed (it is Erlang C) and then needs ``lam < c mu``.
    A wait here ends when the caller is served or hangs up, whichever is first.
    """
    _check_rates(c, lam, mu)
    if not (math.isfinite(theta) and theta >= 0.0):
        raise ValueError(f"patience rate theta must be finite and >= 0, got {theta!r}")
    if theta == 0.0 and lam >= c * mu:
        raise ValueError(
            f"without abandonment (theta = 0) the queue is unstable: "
            f"lam/(c mu) = {lam / (c * mu):.4g} >= 1"
        )
    logs = _log_weights(c, lam, mu, theta)
    probs = np.exp(logs - logs.max())
    probs /= probs.sum()
    waiting = probs[c:]
    mean_queue = float(np.arange(waiting.size) @ waiting)
    mean_wait = mean_queue / lam
    prob_abandon = theta * mean_wait
    answered_wait, abandoned_wait = _waits_by_fate(c * mu + theta * np.arange(waiting.size), theta)
    return QueueFigures(
        servers=int(c),
        arrival_rate=float(lam),
        service_rate=float(mu),
        patience_rate=float(theta),
        prob_wait=float(waiting.sum()),
        mean_wait=mean_wait,
        prob_abandon=prob_abandon,
        utilisation=lam * (1.0 - prob_abandon) / (c * mu),
        answered_wait=float(waiting @ answered_wait),
        abandoned_wait=float(waiting @ abandoned_wait),
        queue_on_arrival=tuple(waiting.tolist()),
    )
