"""A results database as pandas tables, and those tables as CSV or Parquet with a data dictionary.

Two tables, both tidy (one observation per row):

- ``replications``: one row per (design point, replication): the factor
  values and every outcome, as the store holds them;
- ``summary``: one row per (design point, outcome): the estimate (the mean,
  or for a yes/no outcome the share of yes) with its 95% interval, the
  spread, and the paired effect against the baseline point.

A column called ``time_to_message`` means nothing to the colleague who opens
the file next month, so every exported table gets a data dictionary beside
it (``FILE.dictionary.csv``): each column's words, unit, kind, definition
and when it is empty, built from the outcome declarations
(``sim.model.catalog``) and the factor labels. Parquet files carry the same
words in each field's metadata.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Literal

import pandas as pd

from sim.model.catalog import describe
from sim.results.csv_export import write_csv
from sim.results.store import ResultStore
from sim.results.sweep_report import effect, factor_labels, statistic
from sim.run.statistics import Proportion

Table = Literal["replications", "summary"]
TABLES: tuple[Table, ...] = ("replications", "summary")
FORMATS = ("csv", "parquet")

KIND_MEANINGS = {
    "moment": "a moment, in minutes after the scenario's clock_origin (or after the start without one)",
    "time": "a duration",
    "count": "a whole number of events",
    "harm": "people killed or wounded",
    "probability": "a share measured inside one replication (e.g. of calls that waited)",
    "flag": "a yes/no answer per replication: 1 yes, 0 no",
    "quantity": "a measured quantity",
    "factor": "a design factor: the value set on the scenario at this dotted path",
    "key": "a key of the row",
    "statistic": "a statistic over the replications of one design point",
}
UNIT_WORDS = {"clock": "min after clock_origin", "min": "min", "people": "people", "km": "km"}


@dataclass(frozen=True)
class Column:
    """One column of an exported table, in words."""

    name: str
    label: str
    kind: str
    unit: str = ""
    definition: str = ""
    undefined: str = ""
    """When the cell is empty, in words."""


def _cell(value: Any) -> Any:
    """A factor value as a table cell: scalars as themselves, a distribution as its JSON text."""
    return value if value is None or isinstance(value, (bool, int, float, str)) else json.dumps(value, sort_keys=True)


def outcome_column(name: str) -> Column:
    declared = describe(name)
    unit = "1 = yes, 0 = no" if declared.is_flag else UNIT_WORDS.get(declared.shown_unit, declared.shown_unit)
    return Column(name, declared.label, declared.kind, unit, KIND_MEANINGS[declared.kind], declared.undefined)


def factor_columns(store: ResultStore) -> list[Column]:
    return [Column(path, label, "factor", definition=f"{KIND_MEANINGS['factor']} ({path})")
            for path, label in factor_labels(store.manifest()).items()]


KEYS = [Column("point", "design point", "key", definition="index of the design point in the sweep (0 for "
                                                          "the replications of one scenario)"),
        Column("replication", "replication", "key", definition="replication k; every point's replication k "
                                                                "uses the same random streams")]

SUMMARY_COLUMNS = [
    Column("outcome", "outcome", "key", definition="the outcome's column name in the replications table"),
    Column("label", "outcome in words", "key", definition="what the outcome measures"),
    Column("unit", "unit of the outcome", "key", definition="unit of estimate, intervals, spread and effect"),
    Column("kind", "kind of outcome", "key", definition="moment, time, count, harm, probability, flag or quantity"),
    Column("n", "replications used", "statistic", definition="replications in which the outcome is defined"),
    Column("missing", "replications left out", "statistic",
           definition="replications in which the outcome is undefined (see the outcome's undefined case)"),
    Column("estimate", "estimate", "statistic", definition="mean over the replications; for a flag, the share "
                                                           "of yes (P)"),
    Column("ci_low", "95% CI, low", "statistic", definition="lower end of the 95% interval of the estimate: "
                                                            "Student t for a mean, Wilson for a share",
           undefined="fewer than two values"),
    Column("ci_high", "95% CI, high", "statistic", definition="upper end of the 95% interval of the estimate",
           undefined="fewer than two values"),
    Column("sd", "standard deviation", "statistic", definition="sample standard deviation over replications",
           undefined="a flag, or fewer than two values"),
    Column("median", "median", "statistic", definition="median over replications", undefined="a flag"),
    Column("p10", "10th percentile", "statistic", definition="10th percentile over replications",
           undefined="a flag"),
    Column("p90", "90th percentile", "statistic", definition="90th percentile over replications",
           undefined="a flag"),
    Column("successes", "replications with yes", "statistic", definition="count of yes for a flag",
           undefined="not a flag"),
    Column("effect", "effect against the baseline", "statistic",
           definition="mean of (this point - baseline point) over replications paired by k (common random "
                      "numbers)", undefined="the baseline itself, or no baseline"),
    Column("effect_ci_low", "effect, 95% CI low", "statistic", definition="paired t interval of the effect",
           undefined="the baseline itself, no baseline, or fewer than two pairs"),
    Column("effect_ci_high", "effect, 95% CI high", "statistic", definition="paired t interval of the effect",
           undefined="the baseline itself, no baseline, or fewer than two pairs"),
    Column("unpaired_ci_low", "effect, unpaired 95% CI low", "statistic",
           definition="Welch interval of the same difference ignoring the pairing, to show what pairing buys",
           undefined="the baseline itself, no baseline, or fewer than two values"),
    Column("unpaired_ci_high", "effect, unpaired 95% CI high", "statistic",
           definition="Welch interval of the same difference ignoring the pairing",
           undefined="the baseline itself, no baseline, or fewer than two values"),
]


def replications_frame(store: ResultStore) -> pd.DataFrame:
    """Every stored row; outcomes as floats with NaN where undefined."""
    frame = pd.DataFrame.from_records(list(store.rows()), columns=store.columns())
    return frame.astype({o: float for o in store.outcomes})


def summary_frame(store: ResultStore) -> pd.DataFrame:
    """One row per (point, outcome): estimate, interval, spread and the paired effect against the baseline."""
    baseline = store.manifest().get("baseline") if store.factors else None
    records = []
    for point in store.points():
        for outcome in store.outcomes:
            declared = outcome_column(outcome)
            stat = statistic(store.values(outcome, point.index), outcome)
            row: dict[str, Any] = {"point": point.index, **{f: _cell(point.factors[f]) for f in store.factors},
                                   "outcome": outcome, "label": declared.label, "unit": declared.unit,
                                   "kind": declared.kind, "n": stat.n, "missing": stat.missing}
            if isinstance(stat, Proportion):
                row.update(estimate=stat.p, ci_low=stat.ci_low, ci_high=stat.ci_high, sd=math.nan,
                           median=math.nan, p10=math.nan, p90=math.nan, successes=stat.successes)
            else:
                row.update(estimate=stat.mean, ci_low=stat.ci_low, ci_high=stat.ci_high, sd=stat.sd,
                           median=stat.median, p10=stat.p10, p90=stat.p90, successes=None)
            paired = unpaired = None
            if baseline is not None and point.index != baseline:
                paired, unpaired = effect(store, outcome, point.index, baseline)
            row.update(effect=paired.mean if paired else math.nan,
                       effect_ci_low=paired.ci_low if paired else math.nan,
                       effect_ci_high=paired.ci_high if paired else math.nan,
                       unpaired_ci_low=unpaired.ci_low if unpaired else math.nan,
                       unpaired_ci_high=unpaired.ci_high if unpaired else math.nan)
            records.append(row)
    frame = pd.DataFrame.from_records(records, columns=[c.name for c in dictionary(store, "summary")])
    return frame.astype({"successes": "Int64"})


def dictionary(store: ResultStore, table: Table) -> list[Column]:
    """The columns of ``table``, in order, with their words and units."""
    if table == "replications":
        return [*KEYS, *factor_columns(store), *(outcome_column(o) for o in store.outcomes)]
    return [KEYS[0], *factor_columns(store), *SUMMARY_COLUMNS]


def frame(store: ResultStore, table: Table) -> pd.DataFrame:
    return replications_frame(store) if table == "replications" else summary_frame(store)


def dictionary_path(path: Path) -> Path:
    """``staffing.csv`` -> ``staffing.dictionary.csv``: the data dictionary beside a table."""
    return path.with_name(f"{path.stem}.dictionary.csv")


def export(store: ResultStore, table: Table, path: Path) -> list[Path]:
    """Write ``table`` to ``path`` (CSV or Parquet, by its suffix) and its dictionary beside it."""
    fmt = path.suffix.lstrip(".").lower()
    if fmt not in FORMATS:
        raise ValueError(f"{path}: expected a file ending in .csv or .parquet")
    columns = dictionary(store, table)
    path.parent.mkdir(parents=True, exist_ok=True)
    if fmt == "parquet":
        _write_parquet(frame(store, table), columns, store.manifest(), path)
    elif table == "replications":
        with path.open("w", newline="") as stream:  # streamed: memory stays flat however big the sweep
            write_csv(store, stream)
    else:
        summary_frame(store).to_csv(path, index=False, lineterminator="\n")
    pd.DataFrame([asdict(c) for c in columns]).to_csv(dictionary_path(path), index=False, lineterminator="\n")
    return [path, dictionary_path(path)]


def _write_parquet(data: pd.DataFrame, columns: list[Column], manifest: dict[str, Any], path: Path) -> None:
    """Parquet with each field's words in its metadata and the run's provenance in the file's."""
    import pyarrow as pa  # type: ignore[import-untyped]
    import pyarrow.parquet as pq  # type: ignore[import-untyped]

    table = pa.Table.from_pandas(data, preserve_index=False)
    words = {c.name: c for c in columns}
    fields = [field.with_metadata({k: v for k, v in asdict(words[field.name]).items() if k != "name" and v})
              for field in table.schema]
    provenance = {k: manifest.get(k) for k in ("kind", "name", "seed", "replications", "code_version",
                                               "fingerprint", "base_source")}
    schema = pa.schema(fields, metadata={**(table.schema.metadata or {}),
                                         b"hotline-sim": json.dumps(provenance, sort_keys=True).encode()})
    pq.write_table(table.cast(schema), path)
