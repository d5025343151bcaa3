"""Damaged progress is salvaged (issue 17): every review and state row that still reads comes
back into the new store, with a count of what was recovered and lost; a -wal that is not its
database's is set aside alone; every schema version dlref did not write is a one-line message."""

from __future__ import annotations

import os
import random
import shutil
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from dlref.cli import main
from dlref.quiz.store import Store, StoreError

T0 = datetime(2026, 1, 1, tzinfo=UTC)


def build(path: Path, n: int, start: int = 0, store: Store | None = None) -> Store:
    """A real store with `n` reviews over 37 cards × 5 templates (every 7th answer undone
    afterwards is not needed: undo is covered elsewhere). Fast: no fsync per answer."""
    store = store or Store.open(path)
    store._db.execute("PRAGMA synchronous = OFF")
    for i in range(start, start + n):
        store.record(f"card{i % 37}", f"t{i % 5}", i, i % 3 != 0, 5_000, f"{i}", f"{i}",
                     now=T0 + timedelta(minutes=i))
    return store


def rows(path: Path, table: str) -> dict[int, tuple]:
    """Every row of a sound file, by rowid, read with plain sqlite3 (independent of Store)."""
    db = sqlite3.connect(path)
    try:
        return {r[0]: tuple(r[1:]) for r in db.execute(f"SELECT rowid, * FROM {table}")}
    finally:
        db.close()


def damage_pages(path: Path, seed: int, count: int = 3) -> list[int]:
    """Overwrite `count` random pages with random bytes: never page 1 (the schema) nor a table's
    root page (which, for these two-level tables, is the only interior page: losing it loses
    the table, whatever the salvage), so the test does not hinge on where SQLite put them."""
    size = 4096
    pages = os.path.getsize(path) // size
    db = sqlite3.connect(path)
    roots = {r[0] for r in db.execute("SELECT rootpage FROM sqlite_master WHERE rootpage > 0")}
    db.close()
    rnd = random.Random(seed)
    chosen = sorted(rnd.sample([p for p in range(2, pages + 1) if p not in roots], count))
    with open(path, "r+b") as handle:
        for page in chosen:
            handle.seek((page - 1) * size)
            handle.write(rnd.randbytes(size))
    return chosen


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_three_damaged_pages_lose_only_their_rows(tmp_path: Path, seed: int):
    path = tmp_path / "progress.sqlite3"
    build(path, 4000).close()
    before_reviews, before_state = rows(path, "reviews"), rows(path, "state")
    assert os.path.getsize(path) // 4096 > 250  # like the 309-page file
    damage_pages(path, seed)
    with Store.open(path) as store:
        assert store.recovered_from is not None
        got = store.salvaged
        after_reviews, after_state = rows(path, "reviews"), rows(path, "state")
        message = store.recovery_message()
    # every recovered row is exactly the row that was written; nothing invented
    assert all(before_reviews[i] == row for i, row in after_reviews.items())
    assert set(after_state.values()) <= set(before_state.values())
    assert len(after_reviews) + got.lost_reviews == 4000  # the count adds up
    assert len(after_reviews) >= 0.9 * 4000
    assert len(after_state) + got.lost_state >= len(before_state) * 0.9
    assert (f"recovered {len(after_reviews)} reviews and {len(after_state)} item schedules"
            in message)
    assert f"; lost {got.lost_reviews} review" in message
    assert "\n" not in message
    assert store.recovered_from.exists()  # the damaged file is kept aside as before


def test_lost_schedules_are_rebuilt_from_their_reviews(tmp_path: Path):
    """A damaged page of the state table: each item's schedule is recomputed from its latest
    review in force, exactly as record() computed it (fsrs is deterministic here)."""
    path = tmp_path / "progress.sqlite3"
    store = build(path, 1500)
    for _ in range(20):  # undone reviews must not be replayed
        store.undo()
    store.close()
    before_state = set(rows(path, "state").values())
    db = sqlite3.connect(path)
    try:
        leaves = [r[0] for r in db.execute(
            "SELECT pageno FROM dbstat WHERE name = 'state' AND pagetype = 'leaf'")]
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table to find the state table's pages")
    finally:
        db.close()
    size = 4096
    with open(path, "r+b") as handle:
        handle.seek((leaves[len(leaves) // 2] - 1) * size)
        handle.write(random.Random(5).randbytes(size))
    with Store.open(path) as store:
        got = store.salvaged
        assert got.rebuilt_state > 0 and got.lost_reviews == 0
        assert f"({got.rebuilt_state} rebuilt from their reviews)" in store.recovery_message()
    assert set(rows(path, "state").values()) == before_state


@pytest.mark.parametrize("table", ["reviews", "state"])
def test_a_damaged_last_page_costs_its_rows_not_a_scan_of_every_rowid(tmp_path: Path, table: str,
                                                                      monkeypatch):
    """The page holding a table's highest rowids is where an append is torn. `max(rowid)` then
    fails; the bound comes from the table's indexes, so exactly that page's rows are lost and
    the salvage does not try every rowid a file of this size could hold one by one (a 2.4 MB
    file took a minute)."""
    import dlref.quiz.salvage as salvage

    path = tmp_path / "progress.sqlite3"
    build(path, 4000).close()
    before = rows(path, table)
    db = sqlite3.connect(path)
    try:
        leaves = db.execute("SELECT pageno, ncell FROM dbstat WHERE name = ? AND pagetype = "
                            "'leaf' ORDER BY path", (table,)).fetchall()
    except sqlite3.OperationalError:
        pytest.skip("this SQLite has no dbstat table to find the table's pages")
    finally:
        db.close()
    last, cells = leaves[-1]  # b-tree order: the rightmost leaf holds the highest rowids
    with open(path, "r+b") as handle:
        handle.seek((last - 1) * 4096)
        handle.write(random.Random(3).randbytes(4096))
    calls = []
    real = salvage._read_range

    def counted(*args):
        calls.append(args[2:4])
        return real(*args)

    monkeypatch.setattr(salvage, "_read_range", counted)
    with Store.open(path) as store:
        got = store.salvaged
    lost = got.lost_reviews if table == "reviews" else got.lost_state
    kept = got.reviews if table == "reviews" else got.state
    assert lost == cells and len(kept) == len(before) - cells
    assert len(calls) < 4 * (len(before) // salvage.CHUNK + 1) + 4 * salvage.CHUNK


def test_the_cli_says_how_many_were_recovered(tmp_path: Path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("DLREF_HOME", str(home))
    path = home / "progress.sqlite3"
    build(path, 3000).close()
    damage_pages(path, 7)
    result = CliRunner().invoke(main, ["stats", "--json"])
    assert result.exit_code == 0, result.output
    notice = [line for line in result.stderr.splitlines() if "damaged" in line]
    assert len(notice) == 1 and "recovered " in notice[0] and "review" in notice[0]
    import json

    assert json.loads(result.stdout)["reviews"] >= 2700


def test_a_page_of_garbage_rows_counts_them_lost_not_recovered(tmp_path: Path):
    """Rows that read but hold what dlref never writes are not copied into the new store."""
    path = tmp_path / "progress.sqlite3"
    build(path, 500).close()
    db = sqlite3.connect(path)
    db.execute("UPDATE reviews SET ts = 'yesterday' WHERE id <= 10")
    db.execute("UPDATE state SET fsrs_card = '{' WHERE rowid <= 3")
    db.commit()
    db.close()
    damage_pages(path, 11, count=1)
    with Store.open(path) as store:
        kept = {r.id for r in store.reviews(include_undone=True)}
        assert not kept & set(range(1, 11))
        assert len(kept) + store.salvaged.lost_reviews == 500


def test_garbage_is_nothing_recovered_said_so(tmp_path: Path):
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(b"not sqlite at all\n" * 1000)
    with Store.open(path) as store:
        assert store.reviews() == []
        assert "nothing in it could be read back" in store.recovery_message()


# -- a -wal that is not its database's ----------------------------------------------------------


def stale_wal_copy(tmp_path: Path, first: int, then: int) -> Path:
    """A store whose -wal is a stale copy from earlier: `first` answers were in that WAL, the
    file now holds `first + then`, checkpointed. The kind of mix a backup restore leaves."""
    path = tmp_path / "progress.sqlite3"
    store = build(path, 0)
    store._db.execute("PRAGMA wal_autocheckpoint = 0")
    build(path, first, store=store)
    shutil.copyfile(f"{path}-wal", tmp_path / "old-wal")
    build(path, then, start=first, store=store)
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    assert not Path(f"{path}-wal").exists()
    shutil.copyfile(tmp_path / "old-wal", f"{path}-wal")
    return path


@pytest.mark.parametrize(("first", "then"), [(200, 200), (50, 3000)])
def test_a_stale_wal_is_set_aside_alone_and_the_file_kept(tmp_path: Path, first, then):
    path = stale_wal_copy(tmp_path, first, then)
    main_bytes = path.read_bytes()
    stale = Path(f"{path}-wal").read_bytes()
    with Store.open(path) as store:
        assert store.recovered_from is None  # the intact file is not condemned
        assert store.wal_set_aside is not None and store.wal_set_aside.read_bytes() == stale
        assert len(store.reviews()) == first + then
        assert "did not belong to it" in store.recovery_message()
    assert not list(tmp_path.glob("*.corrupt-*"))
    assert rows(path, "reviews") and main_bytes[:16] == path.read_bytes()[:16]


def test_a_wal_from_a_crash_is_this_files_and_is_kept(tmp_path: Path):
    """The usual -wal: answers committed but not yet checkpointed when the process died."""
    live = tmp_path / "live"
    live.mkdir()
    path = live / "progress.sqlite3"
    store = build(path, 100)
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store._db.execute("PRAGMA wal_autocheckpoint = 0")
    build(path, 100, start=100, store=store)
    crashed = tmp_path / "crashed"
    crashed.mkdir()
    for suffix in ("", "-wal"):  # as a kill -9 leaves them (the process never closed)
        shutil.copyfile(f"{path}{suffix}", crashed / f"progress.sqlite3{suffix}")
    store.close()
    assert os.path.getsize(crashed / "progress.sqlite3-wal") > 0
    with Store.open(crashed / "progress.sqlite3") as again:
        assert again.wal_set_aside is None and again.recovered_from is None
        assert again.recovery_message() is None
        assert len(again.reviews()) == 200


# -- schema versions dlref did not write ----------------------------------------------------------


def with_version(path: Path, version: int, foreign: bool = False) -> bytes:
    db = sqlite3.connect(path)
    if foreign:
        db.execute("CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    db.execute(f"PRAGMA user_version = {version}")
    db.commit()
    db.close()
    return path.read_bytes()


@pytest.mark.parametrize(("version", "foreign", "piece"), [
    (-1, False, "progress format -1, which no dlref writes"),
    (-(2**31), False, f"progress format {-(2**31)}, which no dlref writes"),
    (0, True, "is not a dlref progress file (no progress format, and tables dlref does not "
              "use: moz_places)"),
    (4, False, "was written by a newer dlref (progress format 4"),
    (2**31 - 1, False, "newer dlref"),
])
def test_every_foreign_schema_version_is_one_line_and_untouched(tmp_path: Path, monkeypatch,
                                                                version, foreign, piece):
    home = tmp_path / "home"
    home.mkdir()
    path = home / "progress.sqlite3"
    data = with_version(path, version, foreign)
    with pytest.raises(StoreError) as info:
        Store.open(path)
    assert piece in str(info.value) and "\n" not in str(info.value)
    assert path.read_bytes() == data and sorted(os.listdir(home)) == ["progress.sqlite3"]
    monkeypatch.setenv("DLREF_HOME", str(home))
    result = CliRunner().invoke(main, ["stats"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1 and piece in result.stderr
    assert "Traceback" not in result.output


def test_version_zero_with_only_dlref_tables_or_nothing_is_fine(tmp_path: Path):
    path = tmp_path / "progress.sqlite3"
    with_version(path, 0)  # an empty SQLite file
    with Store.open(path) as store:
        store.record("relu", "t", 1, True, 5_000, "1", "1")
        assert len(store.reviews()) == 1


# -- dlref doctor ---------------------------------------------------------------------------------


@pytest.fixture
def home(tmp_path: Path, monkeypatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("DLREF_HOME", str(home))
    return home


def doctor(*args: str):
    return CliRunner().invoke(main, ["doctor", *args])


def test_doctor_on_a_healthy_store(home: Path):
    assert doctor().exit_code == 0  # no file yet: fine
    build(home / "progress.sqlite3", 30).close()
    result = doctor()
    assert result.exit_code == 0, result.output
    assert "✓ quick_check: ok" in result.stdout and "✓ 30 reviews" in result.stdout
    assert result.stdout.rstrip().endswith("All good.")


def test_doctor_reports_damage_changes_nothing_and_repair_salvages(home: Path):
    path = home / "progress.sqlite3"
    build(path, 3000).close()
    damage_pages(path, 3)
    data = path.read_bytes()
    result = doctor()
    assert result.exit_code == 1
    assert "✗ damaged" in result.stdout and "would be lost" in result.stdout
    assert path.read_bytes() == data and not list(home.glob("*.corrupt-*"))
    result = doctor("--repair")
    assert result.exit_code == 0, result.output
    assert "recovered " in result.stdout and list(home.glob("*.corrupt-*"))
    assert "✓ quick_check: ok" in doctor().stdout


def test_doctor_and_the_recovery_notice_speak_the_learners_language(home: Path, monkeypatch):
    """In Chinese, doctor's findings and the repair's counts are Chinese, and the counts are the
    rows the repaired file holds (read with plain sqlite3)."""
    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "DLREF_LANG"):
        monkeypatch.delenv(var, raising=False)
    path = home / "progress.sqlite3"
    assert "还没有进度" in doctor().stdout
    build(path, 3000).close()
    healthy = doctor().stdout
    assert "✓ quick_check：正常" in healthy and "✓ 3000 次复习，" in healthy
    assert "bytes" not in healthy and "review" not in healthy
    damage_pages(path, 3)
    result = doctor()
    assert result.exit_code == 1
    assert "✗ 已损坏：" in result.stdout and "次复习将丢失" in result.stdout
    result = doctor("--repair")
    assert result.exit_code == 0, result.output
    recovered = len(rows(path, "reviews"))
    (aside,) = [p for p in home.glob("*.corrupt-*") if not p.name.endswith(("-wal", "-shm"))]
    assert f"→ 你的进度文件已损坏，已移到 {aside}，并新建了一个进度文件：" \
           f"恢复了 {recovered} 次复习和 " in result.stdout
    assert f"；{3000 - recovered} 次复习和 " in result.stdout
    assert "recovered" not in result.stdout
    result = doctor("--lang", "both")  # one finding a line, English / Chinese
    assert f"✓ {recovered} reviews, " in result.stdout
    assert f"/ {recovered} 次复习，" in result.stdout


def test_a_damaged_file_is_announced_in_chinese_by_the_cli(home: Path, monkeypatch):
    monkeypatch.setenv("DLREF_LANG", "zh")
    (home / "progress.sqlite3").write_bytes(b"this is not a database" * 100)
    result = CliRunner().invoke(main, ["stats"])
    assert result.exit_code == 0
    assert result.stderr.startswith("dlref: 你的进度文件已损坏，已移到 ")
    assert result.stderr.rstrip().endswith("并新建了一个进度文件：原文件中没有任何内容可以读回。")


def test_doctor_names_a_foreign_wal_and_bad_rows(home: Path, tmp_path: Path):
    path = stale_wal_copy(home, 50, 300)
    result = doctor()
    assert result.exit_code == 1 and "does not belong to this file" in result.stdout
    assert Path(f"{path}-wal").exists()  # only reported
    assert doctor("--repair").exit_code == 0
    db = sqlite3.connect(path)
    db.execute("UPDATE reviews SET correct = 7 WHERE id = 3")
    db.commit()
    db.close()
    result = doctor()
    assert result.exit_code == 1
    assert "1 row dlref cannot read: review 3: correct = 7 is not 0 or 1" in result.stdout


def test_doctor_counts_broken_card_files(home: Path, tmp_path: Path, monkeypatch):
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "bad.md").write_text("no front matter")
    monkeypatch.setenv("DLREF_PATH", str(cards))
    result = doctor()
    assert result.exit_code == 1
    assert "problems in 1 file: run `dlref check`" in result.stdout


def test_doctor_reports_a_foreign_version_in_one_line(home: Path):
    with_version(home / "progress.sqlite3", -1)
    result = doctor()
    assert result.exit_code == 1
    assert "✗" in result.stdout and "which no dlref writes" in result.stdout


def test_a_live_wal_of_another_open_store_is_left_alone(tmp_path: Path):
    """The app holds the store open with answers in its -wal while the CLI opens it too: the
    WAL is this file's, so nothing is set aside and both keep recording."""
    path = tmp_path / "progress.sqlite3"
    first = build(path, 100)
    first._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    first._db.execute("PRAGMA wal_autocheckpoint = 0")
    build(path, 50, start=100, store=first)
    assert os.path.getsize(f"{path}-wal") > 0
    with Store.open(path) as second:
        assert second.wal_set_aside is None and second.recovered_from is None
        assert len(second.reviews()) == 150
        second.record("relu", "t", 1, True, 5_000, "1", "1")
    build(path, 1, start=150, store=first)
    assert len(first.reviews()) == 152
    first.close()
    assert not list(tmp_path.glob("*foreign*")) and not list(tmp_path.glob("*corrupt*"))


def test_doctor_counts_the_reviews_stats_counts_not_the_undone_ones(home: Path):
    with build(home / "progress.sqlite3", 30) as store:
        store.undo()
        store.undo()
    result = doctor()
    assert result.exit_code == 0, result.output
    assert "✓ 28 reviews, " in result.stdout
