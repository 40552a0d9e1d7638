"""A results database as tidy CSV: one row per (design point, replication).

Tidy means one observation per row and one variable per column, the shape
pandas (``pd.read_csv``), R (``read.csv``) and spreadsheets expect::

    point,replication,desk.pocs.count,caller.policy,...,time_to_message,...,killed_due_to_delay
    0,0,1,wait_for_poc,...,3.2145,...,0.0

Undefined outcomes (NaN in the model, NULL in the database) are empty cells,
which all three read as missing. Rows are streamed from the database, never
held in memory together.
"""

from __future__ import annotations

import csv
from typing import TextIO

from sim.results.store import ResultStore


def write_csv(store: ResultStore, stream: TextIO) -> int:
    """Write every row; return how many."""
    writer = csv.writer(stream, lineterminator="\n")
    writer.writerow(store.columns())
    count = 0
    for row in store.rows():
        writer.writerow("" if cell is None else cell for cell in row)
        count += 1
    return count
