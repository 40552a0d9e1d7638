"""The results database's rows: one blob of outcome values a replication, read back exactly."""

from __future__ import annotations

import sqlite3
import struct
from pathlib import Path
from typing import Any

import numpy as np
import pytest

import sim.results.store
from sim.results.store import ResultStore, StoreError, open_for_writing
from sim.scenario.design import DesignPoint

POINTS = [DesignPoint(0, {"desk.pocs.count": 1, "notice.enabled": True}),
          DesignPoint(1, {"desk.pocs.count": 3, "notice.enabled": False})]
MANIFEST = {"kind": "sweep", "name": "t", "factors": ["desk.pocs.count", "notice.enabled"], "fingerprint": "f",
            "definition": {}, "replications": 4}


def new_store(folder: Path, outcomes: list[str], resume: bool = False) -> ResultStore:
    return open_for_writing(folder, MANIFEST, POINTS, outcomes, resume=resume)


def blobs(folder: Path) -> list[tuple[Any, ...]]:
    with sqlite3.connect(folder / "results.sqlite") as db:
        return db.execute("SELECT point, replication, outcome_values FROM results ORDER BY key").fetchall()


def test_an_outcome_a_later_batch_adds_is_nan_for_the_earlier_rows(tmp_path: Path) -> None:
    with new_store(tmp_path / "a", ["x"]) as store:
        store.add_table(POINTS[0], [0, 1], ["x"], np.array([[1.0], [2.0]]))
        store.add_table(POINTS[0], [2], ["z", "x", "y"], np.array([[5.0, 3.0, 4.0]]))  # any order
        assert store.outcomes == ["x", "y", "z"]  # the new ones after the old, sorted
    assert blobs(tmp_path / "a") == [(0, 0, struct.pack("<d", 1.0)), (0, 1, struct.pack("<d", 2.0)),
                                     (0, 2, struct.pack("<3d", 3.0, 4.0, 5.0))]
    with ResultStore.open(tmp_path / "a") as store:  # the grown list of names is stored, not inferred
        assert store.outcomes == ["x", "y", "z"]
        replications, values = store.table(0, ["z", "x"])
        assert replications.tolist() == [0, 1, 2]
        assert np.array_equal(values, [[np.nan, 1.0], [np.nan, 2.0], [5.0, 3.0]], equal_nan=True)
        with pytest.raises(StoreError, match="no outcome 'w' stored"):
            store.values("w", 0)


def test_nan_round_trips_and_trailing_nan_is_not_stored(tmp_path: Path) -> None:
    values = np.array([[1.5, np.nan, -0.0], [np.nan, -2.0, np.nan], [np.nan, np.nan, np.nan], [np.inf, 7.0, 8.0]])
    with new_store(tmp_path / "a", ["x", "y", "z"]) as store:
        store.add_table(POINTS[1], [3, 0, 1, 2], ["x", "y", "z"], values)
    assert [len(blob) for _, _, blob in blobs(tmp_path / "a")] == [16, 0, 24, 24]  # replications 0, 1, 2, 3
    with ResultStore.open(tmp_path / "a") as store:
        replications, read = store.table(1, ["x", "y", "z"])
        assert replications.tolist() == [0, 1, 2, 3]
        assert np.array_equal(read, values[[1, 2, 3, 0]], equal_nan=True)
        assert np.signbit(read[3, 2])  # -0.0 stays -0.0: the bytes are the array's
        assert list(store.rows()) == [(1, 0, 3, 0, None, -2.0, None), (1, 1, 3, 0, None, None, None),
                                      (1, 2, 3, 0, np.inf, 7.0, 8.0), (1, 3, 3, 0, 1.5, None, -0.0)]


def test_reading_in_blocks_and_chunks_gives_what_reading_at_once_gives(tmp_path: Path,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    rng = np.random.default_rng(3)
    names = [f"o{i}" for i in range(7)]
    values = rng.normal(size=(25, 7))
    values[rng.random(values.shape) < 0.3] = np.nan  # blobs of every length in one chunk
    with new_store(tmp_path / "a", names[:4]) as store:
        store._rows_per_insert = 4  # SQLite's limit on bound values, made small: 3 INSERTs for 10 rows
        store.add_table(POINTS[0], range(10), names[:4], values[:10, :4])
        store.add_table(POINTS[0], range(10, 25), names, values[10:])
    expected = values.copy()
    expected[:10, 4:] = np.nan
    with ResultStore.open(tmp_path / "a") as store:
        assert np.array_equal(store.table(0, names)[1], expected, equal_nan=True)
        monkeypatch.setattr(sim.results.store, "BLOCK_CELLS", 60)  # 25 rows: 2 outcomes a block
        monkeypatch.setattr(sim.results.store, "FETCH_ROWS", 4)  # 7 chunks of rows
        blocks = list(store.blocks(0, names, 25))
        assert [b[0] for b in blocks] == [["o0", "o1"], ["o2", "o3"], ["o4", "o5"], ["o6"]]
        assert all(b[1].tolist() == list(range(25)) for b in blocks)
        assert np.array_equal(np.hstack([b[2] for b in blocks]), expected, equal_nan=True)
        assert len(list(store.rows(0))) == 25 and list(store.rows(1)) == []


def test_a_resumed_database_holds_the_bytes_of_an_uninterrupted_one(tmp_path: Path) -> None:
    """Whatever the batches and their order: each row is a function of its replication alone."""
    names = ["x", "y"]
    values = np.array([[1.0, 0.5], [2.0, np.nan], [np.nan, np.nan], [4.0, 1.5]])
    with new_store(tmp_path / "straight", names) as store:
        for point in POINTS:
            store.add_table(point, range(4), names, values + point.index)
    with new_store(tmp_path / "resumed", ["x"]) as store:  # killed after two batches
        store.add_table(POINTS[1], [2, 1], ["x"], values[[2, 1], :1] + 1)  # y undefined in both
        store.add_table(POINTS[1], [3], ["y", "x"], values[[3], ::-1] + 1)
    with new_store(tmp_path / "resumed", ["x"], resume=True) as store:
        assert store.outcomes == ["x", "y"] and store.counts() == {1: 3}
        assert store.replications_of(1) == {1, 2, 3}
        with pytest.raises(sqlite3.IntegrityError):  # a (point, replication) is stored once
            store.add_table(POINTS[1], [0, 3], names, values[[0, 3]] + 1)
        store.add_table(POINTS[1], [0], ["y", "x"], values[[0], ::-1] + 1)
        store.add_table(POINTS[0], range(4), names, values)
    assert blobs(tmp_path / "resumed") == blobs(tmp_path / "straight")
    with ResultStore.open(tmp_path / "resumed") as store:
        assert store.row_count() == 8 and store.counts() == {0: 4, 1: 4}


def test_a_database_of_the_column_per_outcome_layout_is_refused_in_one_line(tmp_path: Path) -> None:
    (tmp_path / "old").mkdir()
    with sqlite3.connect(tmp_path / "old" / "results.sqlite") as db:
        db.execute("CREATE TABLE manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL)")
        db.execute("CREATE TABLE results (point INTEGER, replication INTEGER, x REAL)")
    with pytest.raises(StoreError, match="written by an older hotline-sim, with a column per outcome; read it with that version"):
        ResultStore.open(tmp_path / "old")
