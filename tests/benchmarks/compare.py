"""Compare the latest benchmark run with the baseline kept in the repository.

Seconds depend on the machine; CI runners differ from laptops and from each
other. So CI compares ratios that do not: the hotline-only model's cost per
call over raw SimPy's, timed side by side; each Deir ez-Zor benchmark in
units of raw SimPy calls (one stochastic replication costs about as much as
50 raw calls); the whole ``hotline sweep`` command's speedup on 2 workers over 1, on
both engines; rows stored per second over rows the batch engine computes; peak memory at
2,000 over 200 replications; the staffing search's and the sensitivity
analysis's replications per second over a plain sweep's; the batch engine's
over the SimPy engine's; the highest over the lowest cost per SimPy event at
2, 200 and 2,000 background calls a day; a replay with its trace written
over the same replay without. A ratio fails only when it is worse than its
baseline by more than ``TOLERANCE`` (1.5x): the noise of a shared 2-core
runner stays well inside that, a real regression does not.

    python tests/benchmarks/compare.py [results/benchmarks/latest.json]
    python tests/benchmarks/compare.py --update-baseline   # after an intended change; say why in the commit

Exit status 1 when a ratio regressed or a benchmark is missing from the run.
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

HERE = Path(__file__).resolve().parent
BASELINE = HERE / "baseline.json"
LATEST = HERE.parents[1] / "results" / "benchmarks" / "latest.json"
TOLERANCE = 1.5

Benchmarks = dict[str, dict[str, Any]]  # by test name, as pytest-benchmark writes them
YARDSTICK = "test_bench_hotline_only_vs_raw_simpy"


def _extra(test: str, key: str) -> Callable[[Benchmarks], float]:
    return lambda runs: float(runs[test]["extra_info"][key])


def _in_raw_calls(test: str, per: str) -> Callable[[Benchmarks], float]:
    """Median seconds per unit of work, over raw SimPy's seconds per call."""
    def ratio(runs: Benchmarks) -> float:
        run = runs[test]
        per_unit = run["stats"]["median"] / run["extra_info"][per]
        return per_unit / runs[YARDSTICK]["extra_info"]["raw_simpy_seconds_per_call"]
    return ratio


def _rate_over(test: str, reference: str) -> Callable[[Benchmarks], float]:
    """Replications per second of ``test`` over those of ``reference``, timed in the same run."""
    def ratio(runs: Benchmarks) -> float:
        rate = runs[test]["extra_info"]["replications"] / runs[test]["stats"]["median"]
        return rate / (runs[reference]["extra_info"]["replications"] / runs[reference]["stats"]["median"])
    return ratio


@dataclass(frozen=True)
class Ratio:
    key: str
    label: str
    value: Callable[[Benchmarks], float]
    lower_is_better: bool

    def worse_by(self, baseline: float, latest: float) -> float:
        return latest / baseline if self.lower_is_better else baseline / latest


RATIOS = (
    Ratio("hotline_only_vs_raw_simpy", "hotline-only cost per call / raw SimPy's",
          _extra(YARDSTICK, "ratio_to_raw_simpy"), True),
    Ratio("deir_replay_in_raw_simpy_calls", "Deir ez-Zor replay, in raw SimPy calls",
          _in_raw_calls("test_bench_deir_ez_zor_replay", "replications"), True),
    Ratio("deir_stochastic_in_raw_simpy_calls", "stochastic Deir replication, in raw SimPy calls",
          _in_raw_calls("test_bench_deir_ez_zor_stochastic_replications", "replications"), True),
    Ratio("sweep_speedup_2_vs_1", "hotline sweep, whole command: 1-worker / 2-worker seconds",
          _extra("test_bench_sweep_one_and_two_workers", "speedup_2_vs_1"), False),
    Ratio("sweep_batch_engine_speedup_2_vs_1", "hotline sweep on the batch engine: 1-worker / 2-worker seconds",
          _extra("test_bench_sweep_batch_engine_one_and_two_workers", "speedup_2_vs_1"), False),
    Ratio("store_vs_batch_engine", "rows stored / rows computed by the batch engine, per second",
          _extra("test_bench_store_keeps_up_with_the_batch_engine", "store_vs_batch_engine"), False),
    Ratio("memory_2000_vs_200", "peak memory: 2,000 / 200 replications",
          _extra("test_bench_memory_flat_in_replications[simpy]", "peak_memory_ratio"), True),
    Ratio("memory_2000_vs_200_batch", "peak memory: 2,000 / 200 replications, batch engine",
          _extra("test_bench_memory_flat_in_replications[batch]", "peak_memory_ratio"), True),
    Ratio("staffing_vs_sweep", "staffing / plain sweep replications per second",
          _rate_over("test_bench_staffing", "test_bench_plain_sweep"), False),
    Ratio("sensitivity_vs_sweep", "sensitivity / plain sweep replications per second",
          _rate_over("test_bench_sensitivity", "test_bench_plain_sweep"), False),
    Ratio("batch_vs_simpy_speedup", "batch engine / SimPy engine replications per second",
          _extra("test_bench_batch_engine_vs_simpy", "speedup_batch_vs_simpy"), False),
    Ratio("load_cost_per_event_max_over_min", "cost per SimPy event: highest / lowest of 3 loads",
          _extra("test_bench_cost_per_event_flat_in_load", "cost_per_event_max_over_min"), True),
    Ratio("trace_vs_traceless", "replay with trace written / without",
          _extra("test_bench_trace_vs_traceless", "ratio_traced_to_traceless"), True),
    Ratio("batch_vs_simpy_staffing_speedup", "batch engine / SimPy engine on staffing points",
          _extra("test_bench_batch_engine_vs_simpy_on_staffing_points", "speedup_batch_vs_simpy"), False),
)


def load_runs(path: Path) -> tuple[Benchmarks, dict[str, Any]]:
    document = json.loads(path.read_text())
    return {b["name"]: b for b in document["benchmarks"]}, document.get("machine_info", {})


def measure(runs: Benchmarks) -> dict[str, float]:
    """Every ratio the run has; a missing benchmark leaves its ratio out."""
    values = {}
    for ratio in RATIOS:
        try:
            values[ratio.key] = round(ratio.value(runs), 3)
        except KeyError:
            continue
    return values


def compare(baseline: dict[str, float], latest: dict[str, float]) -> tuple[list[str], bool]:
    """The comparison table, and whether every ratio is within tolerance of its baseline."""
    width = max(len(r.label) for r in RATIOS)
    lines = [f"{'ratio':<{width}}  {'baseline':>8}  {'latest':>8}  {'worse by':>8}",]
    ok = True
    for ratio in RATIOS:
        if ratio.key not in baseline:
            lines.append(f"{ratio.label:<{width}}  {'-':>8}  {latest.get(ratio.key, '-'):>8}  "
                         f"{'':>8}  no baseline: run with --update-baseline")
            continue
        if ratio.key not in latest:
            ok = False
            lines.append(f"{ratio.label:<{width}}  {baseline[ratio.key]:>8}  {'-':>8}  {'':>8}  MISSING from the run")
            continue
        worse = ratio.worse_by(baseline[ratio.key], latest[ratio.key])
        verdict = "ok" if worse <= TOLERANCE else f"REGRESSED (limit {TOLERANCE:g}x)"
        ok = ok and worse <= TOLERANCE
        lines.append(f"{ratio.label:<{width}}  {baseline[ratio.key]:>8}  {latest[ratio.key]:>8}  "
                     f"{worse:>7.2f}x  {verdict}")
    return lines, ok


def absolute(runs: Benchmarks) -> list[str]:
    """This machine's own figures, for the README."""
    lines = []
    for name, run in sorted(runs.items()):
        figures = {k: v for k, v in run["extra_info"].items()
                   if "_per_second" in k and not k.startswith("target") or k == "peak_bytes"}
        if figures:
            lines.append(f"  {name}: " + ", ".join(f"{k} {v:,}" if isinstance(v, int) else f"{k} {v}"
                                                   for k, v in figures.items()))
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("latest", type=Path, nargs="?", default=LATEST, help=f"pytest-benchmark JSON (default {LATEST})")
    parser.add_argument("--update-baseline", action="store_true", help=f"write the run's ratios to {BASELINE}")
    args = parser.parse_args(argv)
    if not args.latest.is_file():
        print(f"compare: no benchmark results at {args.latest}; run the benchmarks with --benchmark-json first",
              file=sys.stderr)
        return 2
    runs, machine = load_runs(args.latest)
    latest = measure(runs)
    if args.update_baseline:
        cpu = machine.get("cpu", {}).get("brand_raw", "unknown CPU")
        BASELINE.write_text(json.dumps({
            "measured_on": f"{cpu}, {machine.get('cpu', {}).get('count', '?')} cores, "
                           f"Python {machine.get('python_version', '?')}",
            "tolerance": f"fails when a ratio is more than {TOLERANCE:g}x worse (tests/benchmarks/compare.py)",
            "ratios": latest}, indent=1) + "\n")
        print(f"wrote {BASELINE}")
    lines, ok = compare(json.loads(BASELINE.read_text())["ratios"], latest)
    print("\n".join(lines))
    print("\nthis machine:\n" + "\n".join(absolute(runs)))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
