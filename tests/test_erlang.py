"""Erlang C and Erlang A references checked against theory computed another way.

Every expected value here comes from a different method than the module's:
exact rational arithmetic for Erlang C, a dense linear solve of the truncated
chain for Erlang A, a Runge-Kutta integration for the waiting-time tail, and
closed forms where the queue has one (M/M/1, and theta = mu, where the number
at the desk is simply Poisson).
"""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest

from sim.validation.erlang import QueueFigures, erlang_a, erlang_b, erlang_c


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
    """P(still waiting at t) by Runge-Kutta on the tagged caller's chain.

    ``u[j]`` = P(j callers still ahead and I am still waiting). Callers ahead
    leave at ``c mu + j theta``; I leave the queue at ``c mu`` from the head
    and hang up at ``theta`` from anywhere.
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
        out.append(float(u.sum()))
    return out


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
    h = grid[1] - grid[0]
    simpson = (
        h / 3 * (tail[0] + tail[-1] + 4 * tail[1:-1:2].sum() + 2 * tail[2:-1:2].sum())
    )
    # Simpson with h = 0.05 is good to about 1e-7 on this tail.
    assert simpson == pytest.approx(fig.mean_wait, rel=1e-6)
    assert fig.patience_rate * simpson == pytest.approx(fig.prob_abandon, rel=1e-6)


def test_large_desk_tail_is_finite_and_ordered() -> None:
    fig = erlang_a(100, 150.0, 1.0, 0.5)
    tail = [fig.prob_wait_exceeds(t) for t in (0.0, 0.5, 2.0, 10.0)]
    assert all(math.isfinite(p) and 0.0 <= p <= 1.0 for p in tail)
    assert tail == sorted(tail, reverse=True) and tail[-1] < 1e-2


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
