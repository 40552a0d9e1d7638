"""One SQLite database per sweep: every finished replication, never lost.

Picture a sweep of 18 design points x 200 replications killed at 2,000 rows.
The 2,000 rows that had come back were committed batch by batch, each batch
one transaction; ``--resume`` asks the database which (point, replication)
keys are there and runs only the others. Since replication ``k`` of point
``p`` always gives the same numbers, and a row's bytes are a function of its
numbers alone, the resumed database holds exactly what an uninterrupted run
would have written, byte for byte: rows are keyed by (point, replication), so
not even the order of finishing or the size of the batches shows.

Tables:

- ``manifest``: key -> JSON value: the resolved sweep, the base scenario, the
  seed, the code version and the fingerprint that ``--resume`` checks;
- ``points``: one row per design point with its factor values;
- ``outcome_names``: the outcomes in the order their values are stored; a
  batch with an outcome the earlier ones lacked appends it (in its transaction);
- ``results``: one row per (point, replication): ``key`` = point x 2^32 +
  replication (the rowid, so rows are unique and append in order), the columns
  ``point`` and ``replication`` computed from it, and ``outcome_values``: one
  blob of float64 little-endian values in the order of ``outcome_names``,
  without trailing NaN (a shorter blob means NaN for the later outcomes; a
  row of 57 outcomes takes 456 bytes). The factor values of a row are its
  point's.

A batch goes in as one array (``add_table``): put in the stored order, turned
into bytes in one go, cut into a blob a row, and inserted by one multi-row
INSERT binding two cells a row, in one transaction. With the closing
checkpoint it costs about 2.5 microseconds a row (1.5 x the rate the batch
engine computes rows; it was 5.3 with a column per outcome,
``tests/benchmarks/test_bench_store.py``), nearly all of it SQLite moving 456
bytes a row through its pages, the WAL and the checkpoint: even one blob a
whole batch costs about half of that. Readers get numpy arrays of one point at
a time, the blobs of ``FETCH_ROWS`` rows joined and read with one
``np.frombuffer``, in blocks of at most ``BLOCK_CELLS`` values, so memory stays
flat however many replications a sweep holds.

Where rows go is guarded here, from plain data (the manifest and its
fingerprint): a new database goes only into an empty folder; a resume only
into a database with the same fingerprint, and with at least as many
replications per point as it already holds (so a finished sweep can be
extended); one writer at a time holds the folder's lock, and a second is told
who holds it. A writer keeps the database in WAL mode and turns it back into
one self-contained file when it closes; readers open it read-only (as
immutable where SQLite cannot even read it so, on a read-only medium), so
exporting and plotting never write a byte into a results folder.
"""

from __future__ import annotations

import fcntl
import json
import math
import os
import socket
import sqlite3
import time
from pathlib import Path
from typing import IO, Any, Iterator, Optional, Sequence

import numpy as np

from sim.scenario.design import DesignPoint

FILE_NAME = "results.sqlite"
LOCK_NAME = ".hotline.lock"
FETCH_ROWS = 10_000
KEY_SPAN = 2 ** 32
"""A row's key is point * KEY_SPAN + replication: SQLite appends rows to a rowid table cheaply."""
PAGE_BYTES = 16_384
"""About 36 rows of 57 outcomes a page; storing measured 15% faster than with 4 KiB or 64 KiB pages."""
BLOCK_CELLS = 4_000_000
"""Values of one point read at once (32 MB): all outcomes of up to 70,000 replications."""
RESULT_FILES = (FILE_NAME, "summary.json", "trace.jsonl")
"""Files that mark a folder as holding a run's results, which no other run may overwrite."""


class StoreError(Exception):
    """A results folder that holds no database, one we cannot read, or one we must not write."""


def holds_results(folder: Path) -> bool:
    return folder.is_dir() and any((folder / name).exists() for name in RESULT_FILES)


def is_empty(folder: Path) -> bool:
    """No folder, or one holding nothing but a stale lock file."""
    return not folder.exists() or (folder.is_dir() and all(p.name == LOCK_NAME for p in folder.iterdir()))


class FolderLock:
    """An exclusive lock on a results folder, held while one process writes into it.

    The kernel drops the lock when its holder dies, however it dies, so a
    killed sweep never leaves the folder locked; the file names the holder.
    """

    def __init__(self, folder: Path) -> None:
        self.path = folder / LOCK_NAME
        self._file: Optional[IO[str]] = open(self.path, "a+")
        try:
            fcntl.flock(self._file, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            self._file.seek(0)
            holder = self._file.read().strip() or "another process"
            self.release()
            raise StoreError(f"{folder} is being written by another hotline run ({holder}); "
                             "wait for it to finish, or write to another folder with --out") from None
        self._file.seek(0)
        self._file.truncate()
        self._file.write(f"pid {os.getpid()} on {socket.gethostname()}, since "
                         f"{time.strftime('%Y-%m-%d %H:%M:%S')}")
        self._file.flush()

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the lock
            self._file = None


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _cell(value: Any) -> Any:
    """A factor value as SQLite gives a cell back: numbers and text as themselves, a bool as an
    integer, NaN as None, anything else as JSON text."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if isinstance(value, bool):
        return int(value)
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return json.dumps(value, sort_keys=True)


def database_path(folder: Path) -> Path:
    """The database of a results folder (or the file itself when given one)."""
    return folder if folder.suffix == ".sqlite" else folder / FILE_NAME


class ResultStore:
    def __init__(self, path: Path, read_only: bool = False, lock: Optional[FolderLock] = None) -> None:
        self.path = path
        self.read_only = read_only
        self._lock = lock
        if read_only:
            self._db = _connect_read_only(path)
        else:
            self._db = sqlite3.connect(path, isolation_level=None)
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        tables = {name for (name,) in self._db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "results" in tables and "outcome_names" not in tables:
            self._db.close()
            raise StoreError(f"{path}: written by an older hotline-sim, with a column per outcome; "
                             "read it with that version")
        manifest = self.manifest() if tables else {}
        self.factors: list[str] = list(manifest.get("factors", []))
        self.outcomes: list[str] = [name for (name,) in self._db.execute(
            "SELECT name FROM outcome_names ORDER BY position")] if tables else []
        self._position = {name: i for i, name in enumerate(self.outcomes)}
        self._factor_cells: dict[int, tuple[Any, ...]] = {}
        self._rows_per_insert = self._db.getlimit(sqlite3.SQLITE_LIMIT_VARIABLE_NUMBER) // 2

    @classmethod
    def create(cls, folder: Path, manifest: dict[str, Any], points: Sequence[DesignPoint],
               outcomes: Sequence[str], lock: Optional[FolderLock] = None) -> "ResultStore":
        """A new database; ``manifest["factors"]`` names the factors, ``outcomes`` the first outcomes."""
        folder.mkdir(parents=True, exist_ok=True)
        path = database_path(folder)
        db = sqlite3.connect(path, isolation_level=None)
        db.execute(f"PRAGMA page_size={PAGE_BYTES}")
        with db:  # one transaction: the tables and the manifest appear together or not at all
            db.execute("BEGIN")
            db.execute("CREATE TABLE manifest (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID")
            db.execute("CREATE TABLE points (point INTEGER PRIMARY KEY, label TEXT NOT NULL, "
                       "factors TEXT NOT NULL) WITHOUT ROWID")
            db.execute("CREATE TABLE outcome_names (position INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE)")
            db.execute("CREATE TABLE results (key INTEGER PRIMARY KEY, outcome_values BLOB NOT NULL, "
                       f"point INTEGER GENERATED ALWAYS AS (key / {KEY_SPAN}) VIRTUAL, "
                       f"replication INTEGER GENERATED ALWAYS AS (key % {KEY_SPAN}) VIRTUAL)")
            db.executemany("INSERT INTO manifest VALUES (?, ?)",
                           [(k, json.dumps(v, sort_keys=True)) for k, v in manifest.items()])
            db.executemany("INSERT INTO points VALUES (?, ?, ?)",
                           [(p.index, p.label, json.dumps(p.factors)) for p in points])
            db.executemany("INSERT INTO outcome_names VALUES (?, ?)", enumerate(dict.fromkeys(outcomes)))
        db.close()
        return cls(path, lock=lock)

    @classmethod
    def open(cls, folder: Path, read_only: bool = True, lock: Optional[FolderLock] = None) -> "ResultStore":
        path = database_path(folder)
        if not path.is_file():
            raise StoreError(f"{folder}: no results database here (expected {path.name}; "
                             "a sweep or `hotline run --replications` writes one)")
        try:
            store = cls(path, read_only, lock)
            store.manifest()
        except sqlite3.DatabaseError as error:
            raise StoreError(f"{path}: not a hotline-sim results database ({error})") from None
        return store

    def close(self) -> None:
        if not self.read_only:
            try:  # back to one self-contained file: copied to a read-only medium, it reads without a WAL
                self._db.execute("PRAGMA journal_mode=DELETE")
            except sqlite3.OperationalError:  # a reader still has it open; it stays in WAL mode
                pass
        self._db.close()
        if self._lock is not None:
            self._lock.release()

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
        return {k for (k,) in self._db.execute("SELECT replication FROM results WHERE key BETWEEN ? AND ?",
                                               _keys(point))}

    def counts(self) -> dict[int, int]:
        """Stored replications per point."""
        return dict(self._db.execute("SELECT point, COUNT(*) FROM results GROUP BY point"))

    def row_count(self) -> int:
        return int(self._db.execute("SELECT COUNT(*) FROM results").fetchone()[0])

    def add(self, point: DesignPoint, rows: Sequence[tuple[int, dict[str, float]]]) -> None:
        """Commit one finished batch of a point, given as (replication, outcomes) pairs."""
        names = sorted({name for _, outcomes in rows for name in outcomes})
        self.add_table(point, [k for k, _ in rows], names,
                       np.array([[outcomes.get(name, math.nan) for name in names] for _, outcomes in rows],
                                dtype=float).reshape(len(rows), len(names)))

    def add_table(self, point: DesignPoint, replications: Sequence[int], names: Sequence[str],
                  values: np.ndarray) -> None:
        """Commit one finished batch of a point in one transaction: row ``i`` of ``values`` holds
        replication ``replications[i]``, column ``j`` the outcome ``names[j]``.

        The array is put in the stored order of outcomes (NaN for one this batch lacks), written as
        float64 bytes in one go and cut into one blob a row, without the row's trailing NaNs. The
        rows go in as few multi-row INSERTs as SQLite's limit on bound values allows, two values a
        row: about a third less CPU than ``executemany``, which runs the statement once a row."""
        keys = [int(k) for k in replications]
        if keys and not 0 <= min(keys) <= max(keys) < KEY_SPAN:
            raise ValueError(f"replications run from 0 to {KEY_SPAN - 1}")
        new = sorted(set(names) - set(self._position))
        positions = {**self._position, **{name: len(self.outcomes) + i for i, name in enumerate(new)}}
        ordered = np.full((len(keys), len(positions)), np.nan, dtype="<f8")
        ordered[:, [positions[name] for name in names]] = values
        blobs = _encode(ordered)
        with self._db:
            self._db.execute("BEGIN")
            self._db.executemany("INSERT INTO outcome_names VALUES (?, ?)",
                                 enumerate(new, start=len(self.outcomes)))
            cells = [c for row in zip([point.index * KEY_SPAN + k for k in keys], blobs) for c in row]
            for start in range(0, len(cells), 2 * self._rows_per_insert):
                chunk = cells[start:start + 2 * self._rows_per_insert]
                self._db.execute("INSERT INTO results (key, outcome_values) VALUES "
                                 + ", ".join(["(?, ?)"] * (len(chunk) // 2)), chunk)
        self.outcomes += new
        self._position.update((n, i) for i, n in enumerate(self.outcomes))

    def values(self, outcome: str, point: int) -> np.ndarray:
        """One outcome of one point, by replication; NaN where undefined."""
        return self.table(point, [outcome])[1][:, 0]

    def table(self, point: int, outcomes: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """The replications of ``point`` in order, and ``outcomes`` as columns (NaN where undefined).

        The rows come ``FETCH_ROWS`` at a time, each chunk's blobs decoded together, so no more than
        a chunk of undecoded rows exists besides the answer."""
        columns = [self._column(o) for o in outcomes]
        cursor = self._db.execute("SELECT replication, outcome_values FROM results WHERE key BETWEEN ? AND ? "
                                  "ORDER BY key", _keys(point))
        keys, chunks = [], []
        for rows in iter(lambda: cursor.fetchmany(FETCH_ROWS), []):
            replications, blobs = zip(*rows)
            keys.append(np.array(replications, dtype=np.int64))
            chunks.append(_decode(blobs, columns))
        if not chunks:
            return np.empty(0, dtype=np.int64), np.empty((0, len(outcomes)))
        return np.concatenate(keys), np.concatenate(chunks)

    def blocks(self, point: int, outcomes: Sequence[str],
               replications: int) -> Iterator[tuple[list[str], np.ndarray, np.ndarray]]:
        """``table`` a few outcomes at a time, ``BLOCK_CELLS`` values at most for ``replications`` rows:
        memory stays bounded however many replications a point holds."""
        step = max(1, BLOCK_CELLS // max(replications, 1))
        for start in range(0, len(outcomes), step):
            names = list(outcomes[start:start + step])
            yield (names, *self.table(point, names))

    def paired(self, outcome: str, point: int, baseline: int) -> tuple[np.ndarray, np.ndarray]:
        """The outcome of two points over the replications both have, aligned by replication."""
        a, b = aligned(self.table(point, [outcome]), self.table(baseline, [outcome]))
        return a[:, 0], b[:, 0]

    def columns(self) -> list[str]:
        return ["point", "replication", *self.factors, *self.outcomes]

    def rows(self, point: Optional[int] = None) -> Iterator[tuple[Any, ...]]:
        """Every stored row in (point, replication) order, streamed: point, replication, the
        factor values (as SQLite gave them back when they had a column each) and the outcomes
        (None where NaN)."""
        where, args = ("WHERE key BETWEEN ? AND ?", _keys(point)) if point is not None else ("", ())
        cursor = self._db.execute(f"SELECT point, replication, outcome_values FROM results {where} ORDER BY key", args)
        for rows in iter(lambda: cursor.fetchmany(FETCH_ROWS), []):
            values = _decode([blob for _, _, blob in rows], range(len(self.outcomes)))
            cells = values.astype(object)
            cells[np.isnan(values)] = None
            for (p, k, _), outcomes in zip(rows, cells.tolist()):
                yield (p, k, *self._factors_of(p), *outcomes)

    def _column(self, outcome: str) -> int:
        if outcome not in self._position:
            raise StoreError(f"{self.path}: no outcome {outcome!r} stored")
        return self._position[outcome]

    def _factors_of(self, point: int) -> tuple[Any, ...]:
        if not self._factor_cells:
            self._factor_cells = {p.index: tuple(_cell(p.factors[f]) for f in self.factors) for p in self.points()}
        return self._factor_cells[point]


def _keys(point: int) -> tuple[int, int]:
    """The first and last key a point's rows can have."""
    return point * KEY_SPAN, (point + 1) * KEY_SPAN - 1


def _encode(rows: np.ndarray) -> list[bytes]:
    """Each row of a float64 array as its bytes, cut after its last value that is not NaN."""
    if rows.shape[1] == 0:
        return [b""] * len(rows)
    defined = ~np.isnan(rows)
    kept = np.where(defined.any(axis=1), rows.shape[1] - np.argmax(defined[:, ::-1], axis=1), 0)
    data, step = rows.tobytes(), 8 * rows.shape[1]
    return [data[start:start + 8 * k] for start, k in zip(range(0, len(data), step), kept.tolist())]


def _decode(blobs: Sequence[bytes], columns: Sequence[int]) -> np.ndarray:
    """The values at ``columns`` of blobs of float64 values, a row a blob; NaN past a blob's end."""
    size = 8 * max(max(columns, default=-1) + 1, max(map(len, blobs), default=0) // 8)
    tail = np.full(size // 8, np.nan).tobytes()
    joined = b"".join([blob if len(blob) == size else blob + tail[len(blob):] for blob in blobs])
    return np.frombuffer(joined, dtype="<f8").reshape(len(blobs), size // 8)[:, columns]


def aligned(a: tuple[np.ndarray, np.ndarray], b: tuple[np.ndarray, np.ndarray]) -> tuple[np.ndarray, np.ndarray]:
    """Two ``table`` results cut to the replications both hold, row for row."""
    _, first, second = np.intersect1d(a[0], b[0], assume_unique=True, return_indices=True)
    return a[1][first], b[1][second]


def _connect_read_only(path: Path) -> sqlite3.Connection:
    """Read-only; on a read-only medium, where SQLite cannot make its WAL index, as immutable."""
    uri = path.resolve().as_uri()
    db = sqlite3.connect(f"{uri}?mode=ro", uri=True)
    try:
        db.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()
        return db
    except sqlite3.OperationalError:
        db.close()
        return sqlite3.connect(f"{uri}?immutable=1", uri=True)


def open_for_writing(folder: Path, manifest: dict[str, Any], points: Sequence[DesignPoint],
                     outcomes: Sequence[str], resume: bool) -> ResultStore:
    """A fresh database in an empty folder, or (``resume``) the same sweep's database, locked."""
    path = database_path(folder)
    if folder.exists() and not folder.is_dir():
        raise StoreError(f"{folder}: is a file, not a results folder")
    if not (resume and path.is_file()) and not is_empty(folder):
        hint = " (use --resume to finish or extend it)" if path.is_file() else ""
        raise StoreError(f"{folder} is not empty; a new run needs an empty or new folder{hint}")
    folder.mkdir(parents=True, exist_ok=True)
    lock = FolderLock(folder)
    try:
        if resume and path.is_file():
            with ResultStore.open(folder) as reader:  # read-only: a refusal leaves every byte as it was
                _check_resume(reader, folder, manifest)
            store = ResultStore.open(folder, read_only=False, lock=lock)
            store.update_manifest("definition", manifest["definition"])  # plots or wording may have changed
            store.update_manifest("replications", manifest["replications"])
            return store
        if not is_empty(folder):  # another run filled it while we took the lock
            raise StoreError(f"{folder} is not empty; a new run needs an empty or new folder")
        return ResultStore.create(folder, manifest, points, outcomes, lock)
    except BaseException:
        lock.release()
        raise


def _check_resume(store: ResultStore, folder: Path, wanted: dict[str, Any]) -> None:
    stored = store.manifest()
    if stored.get("fingerprint") != wanted["fingerprint"]:
        raise StoreError(f"{folder} holds the results of a different sweep; refusing to resume into it "
                         f"({_differences(stored, wanted)}). Run into a new folder with --out.")
    have = max(store.counts().values(), default=0)
    if wanted["replications"] < have:
        raise StoreError(f"{folder} already holds {have} replications per point; --resume can add "
                         f"replications, not drop them (ask for {have} or more)")


def _differences(stored: dict[str, Any], wanted: dict[str, Any]) -> str:
    keys = ("name", "code_version", "seed", "factors", "base_scenario")
    differ = [k.replace("_", " ") for k in keys if stored.get(k) != wanted.get(k)]
    return "differs in " + ", ".join(differ) if differ else "differs in its design points"
