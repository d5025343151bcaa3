"""Reading what still reads from a damaged progress file, the way SQLite's own guidance on
recovery does it (`.recover`, "read what still reads"): plain range queries over each table's
rowids, halving a range that hits a damaged page until single rows are left, so one bad page
costs only the rows on it.

Every row recovered is decoded as the store itself would (timestamps, flags, fsrs JSON); a row
that reads but holds garbage counts as lost. Nothing here writes to the damaged file: it is
opened read-only (`immutable=1` for the main file alone, `mode=ro` to include its `-wal`).
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Rows per range query; a range that fails is halved down to single rows.
CHUNK = 256


@dataclass
class Salvaged:
    """What came back from a damaged file: rows as dicts, and how many rowids could not be
    read (`lost_*`; for the state table, which has gaps, an upper bound)."""

    reviews: list[dict[str, Any]] = field(default_factory=list)
    state: list[dict[str, Any]] = field(default_factory=list)
    lost_reviews: int = 0
    lost_state: int = 0
    readable: bool = False  # False: not even the table list read back
    rebuilt_state: int = 0  # schedules lost but recomputed from the item's latest review


def _connect(path: Path, with_wal: bool) -> sqlite3.Connection:
    mode = "mode=ro" if with_wal else "immutable=1"
    db = sqlite3.connect(f"{path.resolve().as_uri()}?{mode}", uri=True, timeout=1)
    db.row_factory = sqlite3.Row
    return db


def _upper_bound(db: sqlite3.Connection, table: str) -> tuple[int, bool]:
    """(highest rowid, exact?): `max(rowid)` if it reads, else the same through each of the
    table's indexes (each holds every rowid on pages of its own, so a damaged last page of the
    table does not stop it), else a bound no table of this file can exceed with dense rowids
    (every row takes at least 16 bytes of a page). That last bound is loose: every rowid past
    the real end is then tried one by one (a 2.4 MB file took a minute), so it is the last
    resort."""
    for via in ["", *(f' INDEXED BY "{name}"' for name in _full_indexes(db, table))]:
        try:
            top = db.execute(f"SELECT max(rowid) FROM {table}{via}").fetchone()[0]  # noqa: S608
            return int(top or 0), True
        except sqlite3.DatabaseError:
            continue
    pages = db.execute("PRAGMA page_count").fetchone()[0]
    size = db.execute("PRAGMA page_size").fetchone()[0]
    return pages * size // 16, False


def _full_indexes(db: sqlite3.Connection, table: str) -> list[str]:
    """The names of `table`'s indexes that hold every row (not partial: no WHERE)."""
    try:
        found = db.execute("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND "
                           "tbl_name = ?", (table,)).fetchall()
    except sqlite3.DatabaseError:
        return []
    return [name for name, sql in found
            if '"' not in name and not re.search(r"\bwhere\b", sql or "", re.IGNORECASE)]


def _read_range(db: sqlite3.Connection, table: str, lo: int, hi: int,
                out: list[sqlite3.Row]) -> list[int]:
    """Append the rows with lo <= rowid < hi that read to `out`; return the rowids that do not."""
    try:
        rows = db.execute(f"SELECT rowid AS _rowid_, * FROM {table}"  # noqa: S608
                          " WHERE rowid >= ? AND rowid < ? ORDER BY rowid", (lo, hi)).fetchall()
    except sqlite3.DatabaseError:
        if hi - lo == 1:
            return _read_one(db, table, lo, out)
        mid = (lo + hi) // 2
        return _read_range(db, table, lo, mid, out) + _read_range(db, table, mid, hi, out)
    out.extend(rows)  # all or nothing: a query that fails half-way adds no row twice
    return []


def _read_one(db: sqlite3.Connection, table: str, rowid: int, out: list[sqlite3.Row]) -> list[int]:
    """One row by equality: a range of one still steps on to the next row, so the last row
    before a damaged page failed with it; a lookup by rowid reads only its own page."""
    try:
        out.extend(db.execute(f"SELECT rowid AS _rowid_, * FROM {table}"  # noqa: S608
                              " WHERE rowid = ?", (rowid,)).fetchall())
    except sqlite3.DatabaseError:
        return [rowid]
    return []


def read_table(db: sqlite3.Connection, table: str) -> tuple[list[sqlite3.Row], int]:
    """Every row of `table` that still reads, and how many rowids up to the last one did not."""
    top, exact = _upper_bound(db, table)
    rows: list[sqlite3.Row] = []
    failed: list[int] = []
    for lo in range(1, top + 1, CHUNK):
        failed += _read_range(db, table, lo, min(lo + CHUNK, top + 1), rows)
    last = top if exact else max((r["_rowid_"] for r in rows), default=0)
    return rows, sum(1 for rowid in failed if rowid <= last)


def salvage(path: Path, check_review: Any, check_state: Any) -> Salvaged:
    """The rows of `path` that still read and decode (`check_review(row)` / `check_state(row)`
    raise ValueError-like errors for a row dlref cannot use). The main file is read both with
    and without its `-wal`; the reading that recovers more reviews wins."""
    best = Salvaged()
    for with_wal in (False, True):
        if with_wal and not Path(f"{path}-wal").exists():
            continue
        got = Salvaged()
        try:
            db = _connect(path, with_wal)
        except sqlite3.Error:
            continue
        try:
            for table, keep, checker in (("reviews", got.reviews, check_review),
                                         ("state", got.state, check_state)):
                try:
                    rows, lost = read_table(db, table)
                    got.readable = True
                except sqlite3.DatabaseError:  # the schema itself does not read
                    rows, lost = [], 0
                for row in rows:
                    data = {k: row[k] for k in row.keys() if k != "_rowid_"}
                    if _usable(checker, data):
                        keep.append(data)
                    else:
                        lost += 1
                if table == "reviews":
                    got.lost_reviews = lost
                else:
                    got.lost_state = lost
        finally:
            db.close()
        if (len(got.reviews), len(got.state), got.readable) > (
                len(best.reviews), len(best.state), best.readable):
            best = got
    return best


def _usable(checker: Any, row: Mapping[str, Any]) -> bool:
    try:
        checker(row)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, ArithmeticError):
        return False
    return True
