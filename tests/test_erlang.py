"""Erlang C and Erlang A references checked against theory computed another way.

Every expected value here comes from a different method than the module's:
exact rational arithmetic for Erlang C, a dense linear solve of the truncated
chain for Erlang A, a Runge-Kutta integration for the waiting-time tail, and
closed forms where the queue has one (M/M/1, and theta = mu, where the number
at the desk is simply Poisson). The answered-only and abandoners-only figures
are checked against the tagged caller's absorbing chain solved densely,
against order statistics where one officer and patience as long as a call
make every caller's fate a race of exponentials, and against Erlang C where
nobody hangs up.
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from sim.model.erlang import QueueFigures, erlang_a, erlang_b, erlang_c


def exact_erlang_c(c: int, lam: Fraction, mu: Fraction) -> Fraction:
    """Textbook sum formula, in exact rationals: no rounding, no recursion."""
    a = lam / mu
    rho = a / c
    terms = [a**k / math.factorial(k) for k in range(c)]
    top = a**c / math.factorial(c) / (1 - rho)
    return top / (sum(terms) + top)


def stationary(c: int, lam: float, mu: float, theta: float, states: int) -> np.ndarray:
    """Stationary law of the truncated M/M/c+M chain by a dense solve of pi Q = 0."""
    q = np.zeros((states, states))
    for n in range(states - 1):
        q[n, n + 1] = lam
        q[n + 1, n] = min(n + 1, c) * mu + max(n + 1 - c, 0) * theta
    q -= np.diag(q.sum(axis=1))
    system = np.vstack([q.T, np.ones(states)])
    rhs = np.zeros(states + 1)
    rhs[-1] = 1.0
    return np.linalg.lstsq(system, rhs, rcond=None)[0]


def still_waiting_rk4(
    c: int, mu: float, theta: float, on_arrival: np.ndarray, times: list[float]
) -> list[float]:
    """P(still waiting at t) by Runge-Kutta on the tagged caller's chain."""
    return [float(u.sum()) for u in tagged_caller_rk4(c, mu, theta, on_arrival, times)]


def tagged_caller_rk4(
    c: int, mu: float, theta: float, on_arrival: np.ndarray, times: list[float]
) -> list[np.ndarray]:
    """``u[j]`` at each time: P(j callers still ahead and I am still waiting), by Runge-Kutta.

    Callers ahead leave at ``c mu + j theta``; I leave the queue at ``c mu``
    from the head and hang up at ``theta`` from anywhere.
    """
    rates = c * mu + theta * np.arange(on_arrival.size)

    def deriv(u: np.ndarray) -> np.ndarray:
        du = -(rates + theta) * u
        du[:-1] += rates[1:] * u[1:]
        return du

    u, now, dt, out = on_arrival.copy(), 0.0, 1e-3, []
    for target in times:
        while now < target - 1e-12:
            k1 = deriv(u)
            k2 = deriv(u + dt / 2 * k1)
            k3 = deriv(u + dt / 2 * k2)
            k4 = deriv(u + dt * k3)
            u = u + dt / 6 * (k1 + 2 * k2 + 2 * k3 + k4)
            now += dt
        out.append(u)
    return out


def tagged_caller_fates(c: int, mu: float, theta: float, ahead: int) -> dict[str, np.ndarray]:
    """Per number j queued ahead: P(answered), P(hang up), E[wait; answered], E[wait; hang up].

    A dense solve of the tagged caller's absorbing chain: ``N = (-Q)^-1`` over
    the waiting states holds the expected time spent in each, and the time
    spent in state k counts towards a fate with the chance of that fate from k.
    """
    rates = c * mu + theta * np.arange(ahead)
    q = np.diag(-(rates + theta))
    q[np.arange(1, ahead), np.arange(ahead - 1)] = rates[1:]
    time_in = np.linalg.inv(-q)
    answered = time_in @ np.eye(ahead)[0] * c * mu
    hang_up = time_in @ np.full(ahead, theta)
    return {"answered": answered, "hang_up": hang_up,
            "answered_wait": time_in @ answered, "abandoned_wait": time_in @ hang_up}


def simpson(values: np.ndarray, grid: np.ndarray) -> float:
    """Simpson's rule on an even number of equal steps."""
    h = grid[1] - grid[0]
    return float(h / 3 * (values[0] + values[-1] + 4 * values[1:-1:2].sum() + 2 * values[2:-1:2].sum()))


def poisson_pmf(mean: float, n: np.ndarray) -> np.ndarray:
    log_fact = np.array([math.lgamma(k + 1) for k in n])
    return np.exp(-mean + n * math.log(mean) - log_fact)


# --- Erlang C -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("c", "lam", "mu"),
    [
        (1, Fraction(7, 10), Fraction(1)),
        (2, Fraction(1), Fraction(1)),
        (3, Fraction(5), Fraction(2)),
        (10, Fraction(8), Fraction(1)),
        (100, Fraction(95), Fraction(1)),
    ],
)
def test_erlang_c_matches_the_exact_sum_formula(
    c: int, lam: Fraction, mu: Fraction
) -> None:
    prob = exact_erlang_c(c, lam, mu)
    fig = erlang_c(c, float(lam), float(mu))
    assert fig.prob_wait == pytest.approx(float(prob), rel=1e-12)
    assert fig.mean_wait == pytest.approx(float(prob / (c * mu - lam)), rel=1e-12)
    assert fig.utilisation == pytest.approx(float(lam / (c * mu)), rel=1e-15)
    assert fig.prob_abandon == 0.0


def test_mm1_is_the_textbook_single_server_queue() -> None:
    lam, mu = 0.8, 1.0
    fig = erlang_c(1, lam, mu)
    assert fig.prob_wait == pytest.approx(0.8, rel=1e-14)
    assert fig.mean_wait == pytest.approx(
        0.8 / (1.0 - 0.8), rel=1e-13
    )  # rho / (mu - lam) = 4
    assert fig.prob_wait_exceeds(3.0) == pytest.approx(
        0.8 * math.exp(-0.2 * 3.0), rel=1e-13
    )


def test_two_officers_at_half_load_wait_a_third_of_the_time() -> None:
    fig = erlang_c(2, 1.0, 1.0)
    assert fig.prob_wait == pytest.approx(1 / 3, rel=1e-14)
    assert fig.mean_wait == pytest.approx(
        1 / 3, rel=1e-14
    )  # C / (c mu - lam) = (1/3) / 1
    assert fig.prob_wait_exceeds(0.0) == fig.prob_wait
    assert fig.prob_wait_exceeds(2.0) == pytest.approx(math.exp(-2.0) / 3, rel=1e-14)


def test_hundred_officers_near_capacity_stay_finite_and_obey_the_erlang_b_identity() -> (
    None
):
    c, a = 100, 95.0
    fig = erlang_c(c, a, 1.0)
    assert 0.0 < fig.prob_wait < 1.0 and math.isfinite(fig.mean_wait)
    # Erlang B from the direct formula in log space, then C = c B / (c - a (1 - B)).
    log_terms = np.array([k * math.log(a) - math.lgamma(k + 1) for k in range(c + 1)])
    blocking = math.exp(log_terms[-1] - np.logaddexp.reduce(log_terms))
    assert erlang_b(c, a) == pytest.approx(blocking, rel=1e-12)
    assert fig.prob_wait == pytest.approx(
        c * blocking / (c - a * (1 - blocking)), rel=1e-12
    )


# --- Erlang A -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("c", "lam", "mu"), [(1, 0.7, 1.0), (2, 1.0, 1.0), (10, 9.0, 1.0), (100, 95.0, 1.0)]
)
def test_erlang_a_with_almost_infinite_patience_is_erlang_c(
    c: int, lam: float, mu: float
) -> None:
    ref = erlang_c(c, lam, mu)
    for theta, rel in ((0.0, 1e-10), (1e-9, 1e-6)):
        fig = erlang_a(c, lam, mu, theta)
        assert fig.prob_wait == pytest.approx(ref.prob_wait, rel=rel)
        assert fig.mean_wait == pytest.approx(ref.mean_wait, rel=rel)
        assert fig.utilisation == pytest.approx(ref.utilisation, rel=rel)
        assert fig.prob_abandon == pytest.approx(0.0, abs=1e-6)
        for t in (0.0, 0.3, 1.0, 5.0):
            assert fig.prob_wait_exceeds(t) == pytest.approx(
                ref.prob_wait_exceeds(t), rel=rel, abs=1e-14
            )


@pytest.mark.parametrize(
    ("c", "lam", "mu", "theta"),
    [(1, 0.8, 1.0, 0.5), (1, 3.0, 1.0, 0.2), (5, 6.0, 1.5, 0.7)],
)
def test_erlang_a_matches_a_dense_solve_of_the_chain(
    c: int, lam: float, mu: float, theta: float
) -> None:
    pi = stationary(c, lam, mu, theta, states=400)
    n = np.arange(pi.size)
    mean_queue = float(np.maximum(n - c, 0) @ pi)
    busy = float(np.minimum(n, c) @ pi)
    fig = erlang_a(c, lam, mu, theta)
    assert fig.prob_wait == pytest.approx(pi[c:].sum(), rel=1e-9)
    assert fig.mean_wait == pytest.approx(mean_queue / lam, rel=1e-9)
    assert fig.prob_abandon == pytest.approx(theta * mean_queue / lam, rel=1e-9)
    assert fig.utilisation == pytest.approx(
        busy / c, rel=1e-9
    )  # served flow = busy officers * mu


def test_patience_equal_to_service_makes_the_desk_an_infinite_server_queue() -> None:
    """With theta = mu every caller leaves at rate mu, so N is Poisson(lam / mu)."""
    c, lam = 50, 75.0
    fig = erlang_a(c, lam, 1.0, 1.0)
    n = np.arange(400)
    pmf = poisson_pmf(lam, n)
    assert fig.prob_wait == pytest.approx(pmf[c:].sum(), rel=1e-10)
    assert fig.mean_wait == pytest.approx(
        float(np.maximum(n - c, 0) @ pmf) / lam, rel=1e-10
    )


@pytest.mark.parametrize(("c", "theta"), [(50, 1.0), (50, 0.2), (100, 0.5), (100, 5.0)])
def test_overloaded_desk_sheds_the_excess_load(c: int, theta: float) -> None:
    """At offered load 1.5 a large desk serves about c mu and loses the rest."""
    fig = erlang_a(c, 1.5 * c, 1.0, theta)
    for value in (fig.prob_wait, fig.prob_abandon, fig.utilisation):
        assert math.isfinite(value) and 0.0 < value <= 1.0
    assert fig.prob_abandon == pytest.approx(1 - 1 / 1.5, abs=0.02)
    assert fig.utilisation == pytest.approx(1.0, abs=0.02)
    assert 0.0 < fig.prob_wait_exceeds(1.0) < fig.prob_wait


# --- Waiting-time tail of Erlang A ---------------------------------------------


@pytest.mark.parametrize(
    ("c", "lam", "mu", "theta"), [(1, 0.8, 1.0, 0.5), (3, 4.0, 1.0, 0.6)]
)
def test_erlang_a_tail_matches_runge_kutta(
    c: int, lam: float, mu: float, theta: float
) -> None:
    pi = stationary(c, lam, mu, theta, states=200)
    times = [0.5, 1.0, 2.0, 4.0]
    expected = still_waiting_rk4(c, mu, theta, pi[c:], times)
    fig = erlang_a(c, lam, mu, theta)
    assert [fig.prob_wait_exceeds(t) for t in times] == pytest.approx(
        expected, rel=1e-8
    )


def test_erlang_a_tail_starts_at_prob_wait_falls_and_integrates_to_mean_wait() -> None:
    """E[wait] = integral of P(wait > t); hanging up at rate theta gives P(abandon)."""
    fig = erlang_a(2, 1.8, 1.0, 1.0)
    assert fig.prob_wait_exceeds(0.0) == pytest.approx(fig.prob_wait, rel=1e-14)
    grid = np.linspace(0.0, 40.0, 801)
    tail = np.array([fig.prob_wait_exceeds(t) for t in grid])
    assert np.all(np.diff(tail) < 0.0)
    # Simpson with h = 0.05 is good to about 1e-7 on this tail.
    area = simpson(tail, grid)
    assert area == pytest.approx(fig.mean_wait, rel=1e-6)
    assert fig.patience_rate * area == pytest.approx(fig.prob_abandon, rel=1e-6)


def test_large_desk_tail_is_finite_and_ordered() -> None:
    fig = erlang_a(100, 150.0, 1.0, 0.5)
    tail = [fig.prob_wait_exceeds(t) for t in (0.0, 0.5, 2.0, 10.0)]
    assert all(math.isfinite(p) and 0.0 <= p <= 1.0 for p in tail)
    assert tail == sorted(tail, reverse=True) and tail[-1] < 1e-2


# --- Answered-only and abandoners-only figures -----------------------------------


@pytest.mark.parametrize(
    ("c", "lam", "mu", "theta"),
    [(1, 0.8, 1.0, 0.5), (3, 4.0, 1.0, 0.6), (5, 6.0, 1.5, 0.7), (5, 0.6, 0.1, 1 / 30)],
)
def test_fates_match_a_dense_solve_of_the_tagged_caller(
    c: int, lam: float, mu: float, theta: float
) -> None:
    queued = stationary(c, lam, mu, theta, states=400)[c:]
    fates = tagged_caller_fates(c, mu, theta, queued.size)
    fig = erlang_a(c, lam, mu, theta)
    assert fig.prob_abandon == pytest.approx(queued @ fates["hang_up"], rel=1e-9)
    assert fig.answered_wait == pytest.approx(queued @ fates["answered_wait"], rel=1e-9)
    assert fig.abandoned_wait == pytest.approx(queued @ fates["abandoned_wait"], rel=1e-9)
    assert fig.answered_wait + fig.abandoned_wait == pytest.approx(fig.mean_wait, rel=1e-12)
    assert fig.mean_wait_answered == pytest.approx(
        queued @ fates["answered_wait"] / (1 - queued @ fates["hang_up"]), rel=1e-9
    )
    assert fig.mean_wait_abandoned == pytest.approx(
        queued @ fates["abandoned_wait"] / (queued @ fates["hang_up"]), rel=1e-9
    )


@pytest.mark.parametrize(
    ("c", "lam", "mu", "theta"), [(1, 0.8, 1.0, 0.5), (3, 4.0, 1.0, 0.6)]
)
def test_answered_tail_and_service_level_match_runge_kutta(
    c: int, lam: float, mu: float, theta: float
) -> None:
    """P(answered, wait > t) = sum over j of P(still waiting with j ahead at t) P(answered from j)."""
    queued = stationary(c, lam, mu, theta, states=200)[c:]
    fates = tagged_caller_fates(c, mu, theta, queued.size)
    answered_from, answered = fates["answered"], 1 - float(queued @ fates["hang_up"])
    times = [0.5, 1.0, 2.0, 4.0]
    late = [float(u @ answered_from) for u in tagged_caller_rk4(c, mu, theta, queued, times)]
    fig = erlang_a(c, lam, mu, theta)
    assert [fig.prob_answered_wait_exceeds(t) for t in times] == pytest.approx(
        [x / answered for x in late], rel=1e-8
    )
    assert [fig.service_level(t) for t in times] == pytest.approx(
        [answered - x for x in late], rel=1e-8
    )


def race_of_exponentials(lam: Fraction, terms: int = 150) -> dict[str, Fraction]:
    """One officer, calls and patience both Exp(1): E[wait; answered], E[wait; hang up] and P(hang up).

    With theta = mu everyone at the desk leaves at rate 1, served or not, so
    the number there is Poisson(lam) and a caller who finds n others is
    answered when all n have gone: its offered wait is the largest of n
    Exp(1), raced against its own Exp(1) patience. It is answered when its
    patience is the largest of the n + 1 (chance 1/(n+1)), after the second
    largest of them, E = H(n+1) - 1; otherwise it hangs up after its own time,
    E[patience | not the largest] = (1 - H(n+1)/(n+1)) / (1 - 1/(n+1)).
    Poisson weights lam^n/n! are exact fractions; e^-lam cancels.
    """
    weight, harmonic = Fraction(1), Fraction(1)  # n = 0: answered at once, H(1) = 1
    total = weight
    answered_wait = abandoned_wait = hang_up = Fraction(0)
    for n in range(1, terms):
        weight *= lam / n
        harmonic += Fraction(1, n + 1)
        total += weight
        answered_wait += weight * (harmonic - 1) / (n + 1)
        abandoned_wait += weight * (1 - harmonic / (n + 1))
        hang_up += weight * Fraction(n, n + 1)
    return {"answered_wait": answered_wait / total, "abandoned_wait": abandoned_wait / total,
            "hang_up": hang_up / total}


@pytest.mark.parametrize("lam", [Fraction(1, 2), Fraction(3, 2), Fraction(4)])
def test_one_officer_with_patience_as_long_as_a_call_is_a_race_of_exponentials(lam: Fraction) -> None:
    exact = race_of_exponentials(lam)
    fig = erlang_a(1, float(lam), 1.0, 1.0)
    assert fig.prob_abandon == pytest.approx(float(exact["hang_up"]), rel=1e-12)
    assert fig.answered_wait == pytest.approx(float(exact["answered_wait"]), rel=1e-12)
    assert fig.abandoned_wait == pytest.approx(float(exact["abandoned_wait"]), rel=1e-12)
    assert fig.mean_wait_answered == pytest.approx(
        float(exact["answered_wait"] / (1 - exact["hang_up"])), rel=1e-12
    )
    assert fig.mean_wait_abandoned == pytest.approx(
        float(exact["abandoned_wait"] / exact["hang_up"]), rel=1e-12
    )


@pytest.mark.parametrize("t", [0.0, 0.3, 1.0, 4.0])
def test_answered_tail_of_the_race_of_exponentials(t: float) -> None:
    """Answered after t: the largest of n Exp(1) beats t and loses to patience,
    integral from t of n x^(n-1) e^-2v dv with x = 1 - e^-v."""
    lam = 1.5
    x = 1.0 - math.exp(-t)
    n = np.arange(1, 150)
    weights = poisson_pmf(lam, n)
    late = float(weights @ (1 / (n + 1) - x**n + n * x ** (n + 1) / (n + 1)))
    fig = erlang_a(1, lam, 1.0, 1.0)
    answered = 1 - fig.prob_abandon
    assert fig.prob_answered_wait_exceeds(t) == pytest.approx(late / answered, rel=1e-10)
    assert fig.service_level(t) == pytest.approx(answered - late, rel=1e-10)


def test_answered_and_abandoner_waits_integrate_from_the_tails() -> None:
    """E[wait; answered] is the integral of P(answered, wait > t); callers still
    waiting at t hang up at rate theta, so E[wait; hang up] = integral of theta t P(wait > t)."""
    fig = erlang_a(2, 1.8, 1.0, 1.0)
    grid = np.linspace(0.0, 15.0, 601)  # P(wait > 15) < 1e-19; Simpson with h = 0.025: ~1e-7 relative
    answered = 1 - fig.prob_abandon
    late = np.array([answered * fig.prob_answered_wait_exceeds(t) for t in grid])
    hanging_up = np.array([fig.patience_rate * t * fig.prob_wait_exceeds(t) for t in grid])
    assert simpson(late, grid) == pytest.approx(fig.answered_wait, rel=1e-6)
    assert simpson(hanging_up, grid) == pytest.approx(fig.abandoned_wait, rel=1e-6)


def test_service_level_runs_from_no_wait_to_everyone_answered() -> None:
    fig = erlang_a(3, 3.6, 1.0, 0.5)
    assert fig.service_level(0.0) == pytest.approx(1 - fig.prob_wait, rel=1e-12)
    assert fig.prob_answered_wait_exceeds(0.0) < fig.prob_wait  # abandoners waited, by definition
    assert fig.service_level(60.0) == pytest.approx(1 - fig.prob_abandon, rel=1e-12)
    levels = [fig.service_level(t) for t in (0.0, 0.5, 1.0, 2.0, 5.0)]
    assert levels == sorted(levels)


@pytest.mark.parametrize(("c", "lam", "mu"), [(1, 0.7, 1.0), (5, 4.5, 1.0), (100, 95.0, 1.0)])
def test_without_abandonment_every_caller_is_answered(c: int, lam: float, mu: float) -> None:
    ref = erlang_c(c, lam, mu)
    assert ref.mean_wait_answered == ref.mean_wait and math.isnan(ref.mean_wait_abandoned)
    for t in (0.0, 0.5, 3.0):
        assert ref.prob_answered_wait_exceeds(t) == ref.prob_wait_exceeds(t)
        assert ref.service_level(t) == pytest.approx(1 - ref.prob_wait_exceeds(t), rel=1e-15)
    for theta, rel in ((0.0, 1e-10), (1e-9, 1e-6)):
        fig = erlang_a(c, lam, mu, theta)
        assert fig.mean_wait_answered == pytest.approx(ref.mean_wait, rel=rel)
        for t in (0.0, 0.5, 3.0):
            assert fig.prob_answered_wait_exceeds(t) == pytest.approx(ref.prob_wait_exceeds(t), rel=rel)
            assert fig.service_level(t) == pytest.approx(ref.service_level(t), rel=rel)
    assert math.isnan(erlang_a(c, lam, mu, 0.0).mean_wait_abandoned)


@pytest.mark.parametrize(("c", "lam", "mu"), [(1, 0.7, 1.0), (5, 4.5, 1.0)])
def test_the_rare_abandoner_of_a_patient_desk_is_one_with_a_long_wait(c: int, lam: float, mu: float) -> None:
    """As theta -> 0 a caller hangs up with chance ~ theta V, so abandoners are the
    long waits, length-biased: E[V^2] / (2 E[V]), which for Erlang C's exponential
    wait (rate c mu - lam, given any wait) is 1 / (c mu - lam)."""
    fig = erlang_a(c, lam, mu, 1e-9)
    assert fig.mean_wait_abandoned == pytest.approx(1 / (c * mu - lam), rel=1e-6)


# --- Invalid arguments --------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((0, 1.0, 1.0), "positive integer"),
        ((-1, 1.0, 1.0), "positive integer"),
        ((1.5, 1.0, 1.0), "positive integer"),
        ((2, 0.0, 1.0), "arrival rate"),
        ((2, 1.0, -1.0), "service rate"),
        ((2, math.nan, 1.0), "arrival rate"),
        ((2, 2.0, 1.0), "unstable"),
        ((1, 3.0, 1.0), "unstable"),
    ],
)
def test_erlang_c_rejects_bad_or_unstable_input(args: tuple, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        erlang_c(*args)


@pytest.mark.parametrize(
    ("args", "match"),
    [
        ((0, 1.0, 1.0, 0.5), "positive integer"),
        ((2, -1.0, 1.0, 0.5), "arrival rate"),
        ((2, 1.0, 0.0, 0.5), "service rate"),
        ((2, 1.0, 1.0, -0.1), "patience"),
        ((2, 1.0, 1.0, math.inf), "patience"),
        ((2, 3.0, 1.0, 0.0), "unstable"),
    ],
)
def test_erlang_a_rejects_bad_input(args: tuple, match: str) -> None:
    with pytest.raises(ValueError, match=match):
        erlang_a(*args)


@pytest.mark.parametrize("fig", [erlang_c(2, 1.0, 1.0), erlang_a(2, 1.0, 1.0, 0.5)])
def test_negative_time_is_rejected(fig: QueueFigures) -> None:
    with pytest.raises(ValueError, match="time t"):
        fig.prob_wait_exceeds(-1.0)
