"""A damaged file header (the first 100 bytes: the "SQLite format 3" magic, the page size…)
made SQLite refuse the whole file, so the salvage recovered nothing although every data page
was intact. The salvage now reads a copy with the header's fixed fields put back; the damaged
file itself is kept aside byte for byte."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from dlref.quiz import salvage as salvage_module
from dlref.quiz.store import Store
from tests.test_salvage import build, rows


def scribble(path: Path, start: int, data: bytes) -> bytes:
    """Overwrite bytes `start`… of the file with `data`; returns the file's new contents."""
    with open(path, "r+b") as handle:
        handle.seek(start)
        handle.write(data)
    return path.read_bytes()


@pytest.mark.parametrize(("start", "data"), [
    (0, b"XXXXXXXXXXXXXXXX"),  # the magic
    (0, b"\0" * 8),  # half the magic
    (16, b"\xff\x7f"),  # the page size: not a power of two
    (0, bytes(24)),  # magic, page size, format versions, reserved space, payload fractions
    (0, random.Random(1).randbytes(100)),  # the whole header
])
def test_reviews_come_back_after_header_damage(tmp_path: Path, start: int, data: bytes):
    path = tmp_path / "progress.sqlite3"
    build(path, 600).close()
    before_reviews, before_state = rows(path, "reviews"), rows(path, "state")
    damaged = scribble(path, start, data)
    with Store.open(path) as store:
        assert store.recovered_from is not None
        assert store.salvaged.readable and store.salvaged.lost_reviews == 0
        message = store.recovery_message()
    assert rows(path, "reviews") == before_reviews
    assert rows(path, "state") == before_state
    assert "recovered 600 reviews and" in message and "; lost 0 reviews" in message
    assert store.recovered_from.read_bytes() == damaged  # kept aside untouched


def test_a_header_damaged_file_with_its_wal_is_mended_by_the_wal(tmp_path: Path):
    """Answers still in the -wal (a killed process): the WAL holds page 1 as last written, so
    SQLite reads the file whole, nothing is set aside, and the checkpoint writes the header."""
    path = tmp_path / "progress.sqlite3"
    build(path, 300).close()
    keep = Store.open(path)  # held open: its last answers stay in the -wal
    keep._db.execute("PRAGMA wal_autocheckpoint = 0")
    build(path, 50, start=300, store=keep)
    wal = Path(f"{path}-wal").read_bytes()
    reviews = rows(path, "reviews")
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / path.name).write_bytes(path.read_bytes())
    scribble(copy / path.name, 0, b"garbage header!!")
    Path(f"{copy / path.name}-wal").write_bytes(wal)
    keep.close()
    with Store.open(copy / path.name) as store:
        assert store.recovered_from is None
        assert len(store.reviews(include_undone=True)) == 350 == len(reviews)
    assert (copy / path.name).read_bytes().startswith(b"SQLite format 3\0")


def test_the_doctor_report_counts_what_the_restored_header_gives_back(tmp_path: Path):
    path = tmp_path / "progress.sqlite3"
    build(path, 200).close()
    damaged = scribble(path, 0, b"\0" * 16)
    from dlref.quiz.store import health

    text = " ".join(f.text for f in health(path))
    assert "recovers 200 reviews" in text, text
    assert path.read_bytes() == damaged
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name]


@pytest.mark.parametrize("size", [4096 * 8, 18_000])
def test_pure_garbage_is_still_nothing_recovered(tmp_path: Path, size: int):
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(random.Random(size).randbytes(size))
    with Store.open(path) as store:
        assert store.reviews() == [] and not store.salvaged.readable
        assert "nothing in it could be read back" in store.recovery_message()


def test_a_restored_header_on_zeros_reads_nothing_and_scans_nothing(tmp_path: Path,
                                                                    monkeypatch):
    """A file of zeros with a valid header has no schema: no rowid is tried one by one."""
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(bytes(4096 * 64))
    calls = []
    real = salvage_module._read_range
    monkeypatch.setattr(salvage_module, "_read_range",
                        lambda *args: calls.append(args) or real(*args))
    with Store.open(path) as store:
        assert store.reviews() == [] and not store.salvaged.readable
    assert calls == []


def test_a_sound_file_without_the_tables_is_not_scanned_rowid_by_rowid(tmp_path: Path,
                                                                       monkeypatch):
    """`read_table` on a file whose schema reads but lacks the table returns nothing at once."""
    path = tmp_path / "other.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.executemany("INSERT INTO t VALUES (?)", [(i,) for i in range(5000)])
    db.commit()
    calls = []
    real = salvage_module._read_range
    monkeypatch.setattr(salvage_module, "_read_range",
                        lambda *args: calls.append(args) or real(*args))
    assert salvage_module.read_table(db, "reviews") == ([], 0)
    db.close()
    assert calls == []


@pytest.mark.parametrize("page_size", [1024, 8192])
def test_the_page_size_is_found_from_the_file_when_its_field_is_damaged(tmp_path: Path,
                                                                        page_size: int):
    path = tmp_path / "progress.sqlite3"
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA page_size = {page_size}")
    db.execute("VACUUM")
    db.close()
    build(path, 400).close()
    assert path.read_bytes()[16:18] == page_size.to_bytes(2, "big")
    before = rows(path, "reviews")
    scribble(path, 0, bytes(18))  # magic and page size
    with Store.open(path) as store:
        assert store.recovered_from is not None
    assert rows(path, "reviews") == before
