"""Exported tables: CSV and Parquet, per replication and per point, each with its data dictionary."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import sim
from sim.cli import main

SCENARIOS = Path(__file__).resolve().parent.parent / "scenarios"


@pytest.fixture(scope="module")
def sweep_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("exports")
    file = folder / "pocs.yaml"
    file.write_text(f"name: pocs\nbase: {SCENARIOS / 'deir_ez_zor_2016_stochastic.yaml'}\nreplications: 50\n"
                    "factors: [{path: desk.pocs.count, values: [1, 2], label: POCs on duty}]\n"
                    "baseline: {desk.pocs.count: 1}\n")
    sim.sweep(file, out=folder / "out", workers=1, plots=False)
    return folder / "out"


def read_dictionary(path: Path) -> dict[str, dict[str, str]]:
    with path.open(newline="") as stream:
        return {row["name"]: row for row in csv.DictReader(stream)}


def test_replications_csv_has_every_row_and_a_dictionary_of_every_column(sweep_folder: Path, tmp_path: Path,
                                                                         capsys) -> None:
    target = tmp_path / "rows.csv"
    assert main(["export", str(sweep_folder), "--csv", str(target)]) == 0
    rows = pd.read_csv(target)
    assert len(rows) == 2 * 50 and list(rows["replication"][:3]) == [0, 1, 2]
    words = read_dictionary(tmp_path / "rows.dictionary.csv")
    assert list(words) == list(rows.columns)
    assert words["desk.pocs.count"]["label"] == "POCs on duty"  # the sweep file's own label
    assert words["killed_due_to_delay"]["unit"] == "people"
    assert words["time_to_message"]["unit"] == "min"
    assert words["time_to_message"]["undefined"] == "nobody called, or the message never got through"
    assert words["late_27"]["unit"] == "1 = yes, 0 = no"
    assert words["first_call"]["unit"] == "min after clock_origin"
    assert "wrote" in capsys.readouterr().err


def test_summary_rows_are_the_statistics_of_the_replication_rows(sweep_folder: Path, tmp_path: Path) -> None:
    target = tmp_path / "summary.parquet"
    assert main(["export", str(sweep_folder), "--table", "summary", "--parquet", str(target)]) == 0
    summary = pd.read_parquet(target)
    rows = sim.open_results(sweep_folder).replications
    late = rows[rows["desk.pocs.count"] == 1]["late_27"].dropna()
    row = summary.query("outcome == 'late_27' and point == 0").iloc[0]
    # Wilson's interval, by its formula.
    n, p, z = len(late), late.mean(), 1.959963984540054
    centre = (p + z * z / (2 * n)) / (1 + z * z / n)
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / (1 + z * z / n)
    assert row["estimate"] == pytest.approx(p) and row["successes"] == late.sum()
    assert (row["ci_low"], row["ci_high"]) == pytest.approx((max(centre - half, 0), centre + half))
    assert row["unit"] == "1 = yes, 0 = no" and math.isnan(row["effect"])  # the baseline has no effect
    schema = pq.read_schema(target)
    assert schema.field("ci_low").metadata[b"label"] == b"95% CI, low"
    assert b'"seed": 20160917' in schema.metadata[b"hotline-sim"]
    words = read_dictionary(tmp_path / "summary.dictionary.csv")
    assert list(words) == list(summary.columns)


def test_parquet_fields_carry_their_units(sweep_folder: Path, tmp_path: Path) -> None:
    sim.open_results(sweep_folder).export(tmp_path / "rows.parquet")
    schema = pq.read_schema(tmp_path / "rows.parquet")
    assert schema.field("killed_due_to_delay").metadata[b"unit"] == b"people"
    assert schema.field("desk.pocs.count").metadata[b"label"] == b"POCs on duty"


def test_summary_csv_and_parquet_hold_the_same_table(sweep_folder: Path, tmp_path: Path) -> None:
    results = sim.open_results(sweep_folder)
    results.export(tmp_path / "s.csv", table="summary")
    results.export(tmp_path / "s.parquet", table="summary")
    from_csv, from_parquet = pd.read_csv(tmp_path / "s.csv"), pd.read_parquet(tmp_path / "s.parquet")
    assert from_csv.shape == from_parquet.shape == (2 * len(results.replications.columns[3:]), 21)
    assert from_csv["estimate"].to_numpy() == pytest.approx(from_parquet["estimate"].to_numpy(), nan_ok=True)


def test_export_without_a_file_or_with_a_wrong_suffix_is_refused(sweep_folder: Path, tmp_path: Path,
                                                                 capsys) -> None:
    assert main(["export", str(sweep_folder)]) == 2
    assert main(["export", str(sweep_folder), "--parquet", str(tmp_path / "x.csv")]) == 2
    err = capsys.readouterr().err
    assert err.count("hotline: error:") == 2 and "Traceback" not in err
    assert not list(tmp_path.iterdir())
