"""Reading what still reads from a damaged progress file, the way SQLite's own guidance on
recovery does it (`.recover`, "read what still reads"): plain range queries over each table's
rowids, halving a range that hits a damaged page until single rows are left, so one bad page
costs only the rows on it.

Every row recovered is decoded as the store itself would (timestamps, flags, fsrs JSON); a row
that reads but holds garbage counts as lost. Nothing here writes to the damaged file: it is
opened read-only (`immutable=1` for the main file alone, `mode=ro` to include its `-wal`).

A damaged header (the first 100 bytes: the magic string, the page size…) makes SQLite refuse
the whole file although its pages are intact. So when the file does not read, or its header's
fixed fields are wrong, a copy in a temporary directory gets those fields put back
(`restored_header`) and is read the same way; the reading that recovers most wins.

A `-wal` beside the file is read as SQLite reads it (`read_wal`, after
https://www.sqlite.org/fileformat.html#the_write_ahead_log): a 32-byte header (magic, format
version, page size, salts, a checksum of its first 24 bytes), then frames of a 24-byte header
and a page, each checksummed cumulatively from the one before. SQLite applies the frames up to
the last commit frame whose salts match and whose checksums hold, and ignores the rest; a file
whose header fails those checks is no WAL at all, and SQLite ignores (and then deletes) it.
"""

from __future__ import annotations

import os
import re
import shutil
import sqlite3
import struct
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

#: Rows per range query; a range that fails is halved down to single rows.
CHUNK = 256

#: The first 16 bytes of every SQLite 3 file, and the length of the header they start.
MAGIC = b"SQLite format 3\x00"
HEADER = 100
#: The page sizes SQLite allows; 4096, its default (dlref never changes it), is tried first.
PAGE_SIZES = (4096, 512, 1024, 2048, 8192, 16384, 32768, 65536)


#: The two magic numbers of a WAL header: the low bit says the checksums read big-endian words.
WAL_MAGIC = (0x377F0682, 0x377F0683)
#: The only WAL format version SQLite writes, and the sizes of the WAL and frame headers.
WAL_VERSION = 3007000
WAL_HEADER = 32
FRAME_HEADER = 24


@dataclass(frozen=True)
class Wal:
    """What a `-wal` file holds, as SQLite would read it (`read_wal`).

    `problem` says why it is no WAL at all (None if its header holds): "short", "magic",
    "version", "page-size" or "checksum" (the header's own). Else `frames` and `commits` are
    the frames SQLite applies (up to the last commit frame whose checksums hold) and the
    transactions they make; `bad_frames` is True when a frame of this WAL (its salts match)
    fails its checksum, so that it and every frame after it are ignored."""

    size: int
    problem: str | None = None
    page_size: int = 0
    frames: int = 0
    commits: int = 0
    bad_frames: bool = False

    @property
    def status(self) -> str:
        """"none" (no -wal, or an empty one), "not-wal" (SQLite ignores the whole file),
        "pending" (committed frames SQLite applies), "bad-frames" (nothing committed reads:
        its frames fail their checksums) or "empty" (nothing committed: an unfinished or
        already applied write, which SQLite overwrites)."""
        if self.size == 0:
            return "none"
        if self.problem is not None:
            return "not-wal"
        if self.frames:
            return "pending"
        return "bad-frames" if self.bad_frames else "empty"

    @property
    def ignored(self) -> int:
        """Bytes after the frames SQLite applies (all of them for a file that is no WAL)."""
        if self.problem is not None:
            return self.size
        return max(0, self.size - WAL_HEADER - self.frames * (FRAME_HEADER + self.page_size))


def _checksum(data: bytes, big_endian: bool, s0: int, s1: int) -> tuple[int, int]:
    """SQLite's WAL checksum of `data` (a multiple of 8 bytes) from (s0, s1): over its 32-bit
    words in pairs, s0 += x0 + s1, s1 += x1 + s0, modulo 2**32."""
    words = struct.unpack(f"{'>' if big_endian else '<'}{len(data) // 4}I", data)
    pairs = iter(words)
    for x0, x1 in zip(pairs, pairs, strict=True):
        s0 = (s0 + x0 + s1) & 0xFFFFFFFF
        s1 = (s1 + x1 + s0) & 0xFFFFFFFF
    return s0, s1


def read_wal(path: Path | str, first_commit: bool = False) -> Wal:
    """The `-wal` file at `path` read as SQLite reads it (see `Wal`); size 0 if there is none.

    With `first_commit`, reading stops at the first commit frame that holds (enough to tell
    whether anything in it will be applied) instead of checking every frame."""
    try:
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            return _read_wal(handle, size, first_commit)
    except OSError:
        return Wal(0)


def _read_wal(handle: Any, size: int, first_commit: bool) -> Wal:
    header = handle.read(WAL_HEADER)
    if len(header) < WAL_HEADER:
        return Wal(size, "short" if size else None)
    magic, version, page_size, _seq, salt1, salt2, sum1, sum2 = struct.unpack(">8I", header)
    if magic not in WAL_MAGIC:
        return Wal(size, "magic")
    if version != WAL_VERSION:
        return Wal(size, "version")
    if page_size not in PAGE_SIZES:
        return Wal(size, "page-size")
    big = bool(magic & 1)
    sums = _checksum(header[:24], big, 0, 0)
    if sums != (sum1, sum2):
        return Wal(size, "checksum", page_size)
    frames = commits = applied = 0
    bad = False
    while True:
        frame = handle.read(FRAME_HEADER + page_size)
        if len(frame) < FRAME_HEADER + page_size:
            break  # a frame cut short: never a committed one
        page, commit, f_salt1, f_salt2, f_sum1, f_sum2 = struct.unpack(">6I", frame[:24])
        if (f_salt1, f_salt2) != (salt1, salt2):
            break  # left over from before the WAL was last restarted
        sums = _checksum(frame[24:], big, *_checksum(frame[:8], big, *sums))
        if page == 0 or sums != (f_sum1, f_sum2):
            bad = True
            break
        frames += 1
        if commit:
            applied, commits = frames, commits + 1
            if first_commit:
                break
    return Wal(size, None, page_size, applied, commits, bad)


@dataclass
class Salvaged:
    """What came back from a damaged file: rows as dicts, and how many rows could not be
    read (`lost_*`: exact when an index of the table still reads, else the rowids that failed,
    for the state table, which has gaps, an upper bound)."""

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
    """Every row of `table` that still reads, and how many did not: the rows an index of the
    table lists that did not come back, when one reads whole (a damaged cell can drop its row
    without any query failing: counting only failed rowids said "0 lost" of six gone), else
    how many rowids up to the last one failed.

    DatabaseError if the schema does not read; nothing at all if it reads without `table`
    (else every rowid the file could hold would be tried one by one, each failing)."""
    if db.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?",
                  (table,)).fetchone() is None:
        return [], 0
    top, exact = _upper_bound(db, table)
    rows: list[sqlite3.Row] = []
    failed: list[int] = []
    for lo in range(1, top + 1, CHUNK):
        failed += _read_range(db, table, lo, min(lo + CHUNK, top + 1), rows)
    last = top if exact else max((r["_rowid_"] for r in rows), default=0)
    failed = [rowid for rowid in failed if rowid <= last]
    listed = _listed_rowids(db, table)
    if listed is None:
        return rows, len(failed)
    return rows, len((listed | set(failed)) - {r["_rowid_"] for r in rows})


def _listed_rowids(db: sqlite3.Connection, table: str) -> set[int] | None:
    """The rowids of `table` as the first of its full indexes that reads whole lists them
    (an index keeps every row's rowid on pages of its own), or None if none does."""
    for name in _full_indexes(db, table):
        try:
            return {r[0] for r in db.execute(
                f'SELECT rowid FROM {table} INDEXED BY "{name}"')}  # noqa: S608
        except sqlite3.DatabaseError:
            continue
    return None


def _read(db: sqlite3.Connection, check_review: Any, check_state: Any) -> Salvaged:
    """The rows of an open file that read and decode (see `salvage`)."""
    got = Salvaged()
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
    return got


def _read_file(path: Path, with_wal: bool, check_review: Any, check_state: Any) -> Salvaged:
    """What `path` gives back read with or without its -wal; empty if it does not open."""
    try:
        db = _connect(path, with_wal)
    except sqlite3.Error:
        return Salvaged()
    try:
        return _read(db, check_review, check_state)
    finally:
        db.close()


def _better(got: Salvaged, best: Salvaged) -> bool:
    return (len(got.reviews), len(got.state), got.readable) > (
        len(best.reviews), len(best.state), best.readable)


def salvage(path: Path, check_review: Any, check_state: Any) -> Salvaged:
    """The rows of `path` that still read and decode (`check_review(row)` / `check_state(row)`
    raise ValueError-like errors for a row dlref cannot use). The main file is read both with
    and without its `-wal`, and, if it does not read or its header is damaged, a copy of it
    alone with the header restored (a -wal holds a sound page 1, so the file would not be
    found damaged for its header); the reading that recovers more reviews wins."""
    best = Salvaged()
    has_wal = Path(f"{path}-wal").exists()
    for with_wal in (False, True) if has_wal else (False,):
        got = _read_file(path, with_wal, check_review, check_state)
        if _better(got, best):
            best = got
    try:
        with open(path, "rb") as handle:
            header = handle.read(HEADER)
        if best.readable and _header_sound(header):
            return best
        with tempfile.TemporaryDirectory(prefix="dlref-salvage-") as scratch:
            copy = Path(scratch) / path.name
            shutil.copyfile(path, copy)
            _write_header(copy, restored_header(header, _page_size(copy, header)))
            got = _read_file(copy, False, check_review, check_state)
            if _better(got, best):
                best = got
    except OSError:  # no room for the copy, or the file vanished: what was read stands
        pass
    return best


def _header_sound(header: bytes) -> bool:
    """Whether the header's fixed fields hold what SQLite needs: the magic, a valid page size,
    no reserved bytes (dlref never asks for them) and the payload fractions 64, 32, 32."""
    return (len(header) == HEADER and header.startswith(MAGIC)
            and _stated_page_size(header) is not None and header[20:24] == bytes([0, 64, 32, 32]))


def _stated_page_size(header: bytes) -> int | None:
    """The page size the header states (bytes 16-17; 1 means 65536), None if not valid."""
    raw = int.from_bytes(header[16:18], "big")
    size = 65536 if raw == 1 else raw
    return size if size in PAGE_SIZES else None


def restored_header(header: bytes, page_size: int) -> bytes:
    """`header` with every field put back that SQLite needs and a dlref file always holds
    alike: the magic, `page_size`, the journal mode (1: the copy is read without a -wal),
    no reserved bytes, the payload fractions, the page count left to the file's length (0), no
    auto-vacuum, and the schema format (4) and text encoding (UTF-8) where the stored ones are
    not valid. The rest (counters, schema cookie, user version) reading does not depend on."""
    out = bytearray(header.ljust(HEADER, b"\0"))
    out[0:16] = MAGIC
    out[16:18] = (1 if page_size == 65536 else page_size).to_bytes(2, "big")
    out[18] = out[19] = 1
    out[20:24] = bytes([0, 64, 32, 32])
    out[28:32] = bytes(4)
    if not 1 <= int.from_bytes(out[44:48], "big") <= 4:
        out[44:48] = (4).to_bytes(4, "big")
    out[52:56] = out[64:68] = bytes(4)
    if not 1 <= int.from_bytes(out[56:60], "big") <= 3:
        out[56:60] = (1).to_bytes(4, "big")
    return bytes(out)


def _write_header(copy: Path, header: bytes) -> None:
    with open(copy, "r+b") as handle:
        handle.write(header)


def _page_size(copy: Path, header: bytes) -> int:
    """The page size of a file whose header may be damaged: the first of the stated one and
    the sizes that divide the file's length with which every table the schema names reads
    from end to end; else the stated one if valid, else SQLite's default."""
    stated = _stated_page_size(header)
    length = copy.stat().st_size
    candidates = dict.fromkeys([*([stated] if stated else []),
                                *(p for p in PAGE_SIZES if length % p == 0)])
    for size in candidates:
        _write_header(copy, restored_header(header, size))
        if _reads_whole(copy):
            return size
    return stated or PAGE_SIZES[0]


def _reads_whole(path: Path) -> bool:
    """Whether the schema of `path` (read alone) names tables and each counts to its end."""
    try:
        db = _connect(path, with_wal=False)
    except sqlite3.Error:
        return False
    try:
        tables = [name for (name,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")]
        for name in tables:
            db.execute(f'SELECT count(*) FROM "{name}"').fetchone()  # noqa: S608
        return bool(tables)
    except sqlite3.Error:
        return False
    finally:
        db.close()


def _usable(checker: Any, row: Mapping[str, Any]) -> bool:
    try:
        checker(row)
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, ArithmeticError):
        return False
    return True
