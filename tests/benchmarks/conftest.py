"""What every benchmark reports beside its timing.

Under ``--benchmark-disable`` (the plain test run) each benchmark runs once
as a test and nothing is timed, so only the amounts of work are recorded.
"""

from __future__ import annotations

from typing import Callable, Optional

import pytest


@pytest.fixture
def rates(benchmark) -> Callable[..., Optional[float]]:
    """``rates(calls=100_000)`` after the benchmark: the amount and the median rate into extra_info.

    Returns the median seconds per round, or None when nothing was timed.
    """
    def record(**units: int) -> Optional[float]:
        benchmark.extra_info.update(units)
        if not benchmark.enabled:
            return None
        seconds = float(benchmark.stats.stats.median)
        benchmark.extra_info.update({f"{name}_per_second": round(count / seconds) for name, count in units.items()})
        return seconds
    return record


@pytest.fixture
def rounds(request: pytest.FixtureRequest) -> int:
    """Rounds of the benchmarks that fix their own: ``--benchmark-min-rounds`` (CI's short mode passes 3)."""
    return int(request.config.getoption("benchmark_min_rounds"))
