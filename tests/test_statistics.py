"""Confidence intervals checked against hand computations and scipy's own tests."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import stats

from sim.run.statistics import linear_effects, paired_difference, proportion, summarise, unpaired_difference

NAN = math.nan


def test_mean_interval_is_the_t_interval_and_leaves_out_nan() -> None:
    s = summarise([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, NAN, NAN])
    assert (s.n, s.missing) == (10, 2)
    assert s.mean == 5.5
    assert s.sd == pytest.approx(3.0276503540974917)
    half = 2.2621571627982 * 3.0276503540974917 / math.sqrt(10)  # t(0.975, 9)
    assert (s.ci_low, s.ci_high) == pytest.approx((5.5 - half, 5.5 + half))
    assert (s.p10, s.median, s.p90) == pytest.approx((1.9, 5.5, 9.1))


def test_undefined_everywhere_is_reported_not_invented() -> None:
    s = summarise([NAN, NAN])
    assert (s.n, s.missing) == (0, 2) and math.isnan(s.mean) and math.isnan(s.ci_low)
    one = summarise([4.0])
    assert one.mean == 4.0 and math.isnan(one.ci_low)  # no interval from one value


@pytest.mark.parametrize("yes, n, low, high", [
    (0, 10, 0.0, 0.2775328),     # z^2 / (n + z^2)
    (5, 10, 0.2365931, 0.7634069),
    (10, 10, 0.7224672, 1.0),
    (1, 1000, 0.0001765, 0.0056426),
])
def test_wilson_interval(yes: int, n: int, low: float, high: float) -> None:
    p = proportion([1.0] * yes + [0.0] * (n - yes) + [NAN])
    assert (p.n, p.missing, p.successes) == (n, 1, yes)
    assert p.p == yes / n
    assert (p.ci_low, p.ci_high) == pytest.approx((low, high), abs=1e-6)


def test_welch_interval_matches_scipy() -> None:
    x, y = [1.0, 2.0, 3.0, 4.0, 9.0], [2.0, 4.0, 6.0, 8.0, 10.0, 13.0, NAN]
    d = unpaired_difference(x, y)
    ref = stats.ttest_ind(x, y[:-1], equal_var=False).confidence_interval(0.95)
    assert d.mean == pytest.approx(np.mean(x) - np.mean(y[:-1]))
    assert (d.ci_low, d.ci_high) == pytest.approx((ref.low, ref.high))


def test_paired_interval_uses_the_pairs_and_beats_unpaired_when_they_move_together() -> None:
    rng = np.random.default_rng(1)
    shared = rng.normal(10, 5, size=200)
    a, b = shared + 1.0 + rng.normal(0, 0.5, 200), shared.copy()
    a[3], b[7] = NAN, NAN
    paired = paired_difference(a, b)
    assert paired.n == 198
    ref = stats.ttest_rel(np.delete(a, [3, 7]), np.delete(b, [3, 7])).confidence_interval(0.95)
    assert (paired.ci_low, paired.ci_high) == pytest.approx((ref.low, ref.high))
    assert paired.ci_low < 1.0 < paired.ci_high
    assert unpaired_difference(a, b).width > 5 * paired.width


def test_linear_effects_recover_slopes_over_the_range() -> None:
    rng = np.random.default_rng(2)
    x = rng.uniform(size=(80, 3))
    y = 2.0 + 3.0 * x[:, 0] - 1.0 * x[:, 1] + rng.normal(0, 0.1, 80)
    effects = linear_effects(x, y)
    assert [e.mean for e in effects] == pytest.approx([3.0, -1.0, 0.0], abs=0.1)
    assert all(e.ci_low < truth < e.ci_high for e, truth in zip(effects, (3.0, -1.0, 0.0)))
    assert all(math.isnan(e.mean) for e in linear_effects(x[:3], y[:3]))  # too few points to fit
