"""One SQLite database per sweep: every finished replication, never lost.

Picture a sweep of 18 design points x 200 replications killed at 2,000 rows.
The 2,000 rows that had come back were committed batch by batch, each batch
one transaction; ``--resume`` asks the database which (point, replication)
keys are there and runs only the others. Since replication ``k`` of point
``p`` always gives the same numbers, the resumed database holds exactly what
an uninterrupted run would have written: the tables are keyed by (point,
replication) (``WITHOUT ROWID``), so not even the order of finishing shows.

Tables:

- ``manifest``: key -> JSON value: the resolved sweep, the base scenario, the
  seed, the code version and the fingerprint that ``--resume`` checks;
- ``points``: one row per design point with its factor values;
- ``results``: one row per (point, replication): the factor values (a column
  per dotted path) and the outcomes (a column per outcome; NULL where the
  model gave NaN).

Readers get numpy arrays of one outcome for one point at a time, so memory
stays flat however many replications a sweep holds.
"""

from __future__ import annotations

import json
import math
import sqlite3
from pathlib import Path
from typing import Any, Iterator, Optional, Sequence

import numpy as np

from sim.experiment.design import DesignPoint

FILE_NAME = "results.sqlite"


class StoreError(Exception):
    """A results folder that holds no database, or one we cannot read."""


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _cell(value: Any) -> Any:
    """Scalars as themselves, NaN as NULL, anything else as JSON text."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return json.dumps(value, sort_keys=True)


def database_path(folder: Path) -> Path:
    """The database of a results folder (or the file itself when given one)."""
    return folder if folder.suffix == ".sqlite" else folder / FILE_NAME


class ResultStore:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._db = sqlite3.connect(path, isolation_level=None)
        self._db.execute("PRAGMA journal_mode=WAL")
        self._db.execute("PRAGMA synchronous=NORMAL")
        columns = [row[1] for row in self._db.execute("PRAGMA table_info(results)")]
        manifest = self.manifest() if columns else {}
        self.factors: list[str] = list(manifest.get("factors", []))
        self.outcomes: list[str] = columns[2 + len(self.factors):]

    @classmethod
    def create(cls, folder: Path, manifest: dict[str, Any], points: Sequence[DesignPoint],
               outcomes: Sequence[str]) -> "ResultStore":
        """A new database; ``manifest["factors"]`` names the factor columns."""
        folder.mkdir(parents=True, exist_ok=True)
        path = database_path(folder)
        db = sqlite3.connect(path, isolation_level=None)
        factors = list(manifest["factors"])
        with db:  # one transaction: the tables and the manifest appear together or not at all
            db.execute("BEGIN")
            db.execute("CREATE TABLE manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
            db.execute("CREATE TABLE points (point INTEGER PRIMARY KEY, label TEXT NOT NULL, "
                       "factors TEXT NOT NULL) WITHOUT ROWID")
            columns = [_q(f) for f in factors] + [f"{_q(o)} REAL" for o in outcomes]
            db.execute("CREATE TABLE results (point INTEGER NOT NULL REFERENCES points, "
                       f"replication INTEGER NOT NULL, {''.join(c + ', ' for c in columns)}"
                       "PRIMARY KEY (point, replication)) WITHOUT ROWID")
            db.executemany("INSERT INTO manifest VALUES (?, ?)",
                           [(k, json.dumps(v, sort_keys=True)) for k, v in manifest.items()])
            db.executemany("INSERT INTO points VALUES (?, ?, ?)",
                           [(p.index, p.label, json.dumps(p.factors)) for p in points])
        db.close()
        return cls(path)

    @classmethod
    def open(cls, folder: Path) -> "ResultStore":
        path = database_path(folder)
        if not path.is_file():
            raise StoreError(f"{folder}: no results database here (expected {path.name})")
        try:
            store = cls(path)
            store.manifest()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{path}: not a hotline-sim results database ({error})") from None
        return store

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> "ResultStore":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def manifest(self) -> dict[str, Any]:
        return {k: json.loads(v) for k, v in self._db.execute("SELECT key, value FROM manifest")}

    def update_manifest(self, key: str, value: Any) -> None:
        with self._db:
            self._db.execute("UPDATE manifest SET value = ? WHERE key = ?", (json.dumps(value, sort_keys=True), key))

    def points(self) -> list[DesignPoint]:
        return [DesignPoint(i, json.loads(f)) for i, f in
                self._db.execute("SELECT point, factors FROM points ORDER BY point")]

    def replications_of(self, point: int) -> set[int]:
        return {k for (k,) in self._db.execute("SELECT replication FROM results WHERE point = ?", (point,))}

    def counts(self) -> dict[int, int]:
        """Stored replications per point."""
        return dict(self._db.execute("SELECT point, COUNT(*) FROM results GROUP BY point"))

    def row_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM results").fetchone()[0])

    def add(self, point: DesignPoint, rows: Sequence[tuple[int, dict[str, float]]]) -> None:
        """Commit one finished batch of a point in one transaction."""
        new = sorted({key for _, outcomes in rows for key in outcomes} - set(self.outcomes))
        names = ["point", "replication", *self.factors, *self.outcomes, *new]
        factor_cells = [_cell(point.factors[f]) for f in self.factors]
        sql = f"INSERT INTO results ({', '.join(map(_q, names))}) VALUES ({', '.join('?' * len(names))})"
        outcome_keys = [*self.outcomes, *new]
        with self._db:
            self._db.execute("BEGIN")
            for key in new:  # an outcome the first replication did not have
                self._db.execute(f"ALTER TABLE results ADD COLUMN {_q(key)} REAL")
            self._db.executemany(sql, [(point.index, k, *factor_cells,
                                        *(_cell(o.get(key, math.nan)) for key in outcome_keys))
                                       for k, o in rows])
        self.outcomes += new

    def values(self, outcome: str, point: int) -> np.ndarray:
        """One outcome of one point, by replication; NaN where undefined."""
        rows = self._db.execute(f"SELECT {_q(outcome)} FROM results WHERE point = ? ORDER BY replication",
                                (point,))
        return np.array([np.nan if v is None else v for (v,) in rows], dtype=float)

    def paired(self, outcome: str, point: int, baseline: int) -> tuple[np.ndarray, np.ndarray]:
        """The outcome of two points over the replications both have, aligned by replication."""
        rows = self._db.execute(
            f"SELECT a.{_q(outcome)}, b.{_q(outcome)} FROM results a JOIN results b "
            "ON a.replication = b.replication WHERE a.point = ? AND b.point = ? ORDER BY a.replication",
            (point, baseline)).fetchall()
        array = np.array([[np.nan if v is None else v for v in row] for row in rows], dtype=float)
        array = array.reshape(-1, 2)
        return array[:, 0], array[:, 1]

    def columns(self) -> list[str]:
        return ["point", "replication", *self.factors, *self.outcomes]

    def rows(self, point: Optional[int] = None) -> Iterator[tuple[Any, ...]]:
        """Every stored row in (point, replication) order, streamed."""
        where, args = ("WHERE point = ?", (point,)) if point is not None else ("", ())
        yield from self._db.execute(
            f"SELECT {', '.join(map(_q, self.columns()))} FROM results {where} ORDER BY point, replication", args)
