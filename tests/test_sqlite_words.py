"""SQLite's own English ("database disk image is malformed", "database is locked"…) is said in
the learner's language wherever a store error quotes it (`sqlite_reason`), as `os_reason` does
for the system's; a message SQLite words in a way dlref does not know stays SQLite's own."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from dlref.cli import main
from dlref.quiz import store as store_module
from dlref.quiz.store import Store, StoreError, sqlite_reason
from tests.test_salvage import build


def error_of(action) -> sqlite3.Error:
    with pytest.raises(sqlite3.Error) as info:
        action()
    return info.value


def made(tmp_path: Path) -> Path:
    path = tmp_path / "made.sqlite3"
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE t (x)")
    db.commit()
    db.close()
    return path


def not_a_database(tmp_path: Path) -> sqlite3.Error:
    path = tmp_path / "garbage"
    path.write_bytes(random.Random(1).randbytes(8192))
    return error_of(lambda: sqlite3.connect(path).execute("SELECT * FROM sqlite_master"))


def malformed(tmp_path: Path) -> sqlite3.Error:
    path = made(tmp_path)
    with open(path, "r+b") as handle:  # page 1's b-tree header, right after the file header
        handle.seek(100)
        handle.write(b"\xff" * 12)
    return error_of(lambda: sqlite3.connect(path).execute("SELECT * FROM t"))


def locked(tmp_path: Path) -> sqlite3.Error:
    path = made(tmp_path)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    return error_of(lambda: other.execute("BEGIN IMMEDIATE"))


def read_only(tmp_path: Path) -> sqlite3.Error:
    db = sqlite3.connect(f"{made(tmp_path).as_uri()}?mode=ro", uri=True)
    return error_of(lambda: db.execute("INSERT INTO t VALUES (1)"))


def full(tmp_path: Path) -> sqlite3.Error:
    db = sqlite3.connect(made(tmp_path))
    db.execute("PRAGMA max_page_count = 3")
    return error_of(lambda: db.execute("INSERT INTO t VALUES (?)", ("x" * 100_000,)))


def cannot_open(tmp_path: Path) -> sqlite3.Error:
    return error_of(lambda: sqlite3.connect(tmp_path / "no such dir" / "x.sqlite3"))


@pytest.mark.parametrize(("make", "en", "zh"), [
    (not_a_database, "file is not a database", "这不是一个数据库文件"),
    (locked, "database is locked", "数据库被另一个程序锁定（可能是另一个正在运行的 dlref）"),
    (read_only, "attempt to write a readonly database", "数据库是只读的，无法写入"),
    (full, "database or disk is full", "数据库或磁盘已满"),
    (cannot_open, "unable to open database file", "无法打开数据库文件"),
])
def test_sqlites_common_errors_have_words_in_both_languages(tmp_path: Path, make, en, zh):
    assert sqlite_reason(make(tmp_path)) == {"en": en, "zh": zh}


def test_a_malformed_file_is_said_in_chinese(tmp_path: Path):
    assert sqlite_reason(malformed(tmp_path)) == {"en": "database disk image is malformed",
                                                  "zh": "数据库文件已损坏"}


def test_what_sqlite_adds_is_kept_after_the_chinese(tmp_path: Path):
    """A schema entry that does not parse: SQLite names it; that stays, after our words."""
    path = made(tmp_path)
    db = sqlite3.connect(path)
    db.execute("PRAGMA writable_schema = ON")
    db.execute("UPDATE sqlite_master SET sql = 'CREATE TABLE t (x' WHERE name = 't'")
    db.commit()
    db.close()
    exc = error_of(lambda: sqlite3.connect(path).execute("SELECT * FROM t"))
    assert str(exc).startswith("malformed database schema (t)")
    assert sqlite_reason(exc) == {"en": str(exc), "zh": f"数据库文件已损坏：{exc}"}


def test_without_a_result_code_the_usual_words_are_recognised():
    assert sqlite_reason(sqlite3.OperationalError("disk I/O error")) == {
        "en": "disk I/O error", "zh": "磁盘读写出错"}


def test_an_unknown_message_stays_sqlites_own(tmp_path: Path):
    db = sqlite3.connect(made(tmp_path))
    exc = error_of(lambda: db.execute("SELECT * FROM nowhere"))
    assert sqlite_reason(exc) == "no such table: nowhere"


def test_doctor_says_a_damaged_file_in_chinese(tmp_path: Path, monkeypatch):
    monkeypatch.setenv("DLREF_HOME", str(tmp_path))
    path = tmp_path / "progress.sqlite3"
    build(path, 20).close()
    with open(path, "r+b") as handle:
        handle.write(b"XXXXXXXXXXXXXXXX")
    result = CliRunner().invoke(main, ["doctor", "--lang", "zh"])
    assert "✗ 已损坏：这不是一个数据库文件" in result.stdout, result.stdout
    assert "not a database" not in result.output
    english = CliRunner().invoke(main, ["doctor", "--lang", "en"])
    assert "✗ damaged: file is not a database" in english.stdout


def test_a_store_locked_by_another_program_is_said_in_chinese(tmp_path: Path, monkeypatch):
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "progress.sqlite3"
    store = build(path, 3)
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError) as info:
            store.record("relu", "value", 1, True, 5_000, "1", "1")
    finally:
        holder.close()
        store.close()
    assert info.value.text("zh") == (f"无法写入 {path}："
                                     "数据库被另一个程序锁定（可能是另一个正在运行的 dlref）")
    assert str(info.value) == f"cannot write {path}: database is locked"


def test_a_store_is_read_while_another_program_writes(tmp_path: Path, monkeypatch):
    """Opening took the write lock to check the schema, so `stats` (or a new quiz) waited
    5 s behind another dlref's transaction and then failed with "locked"."""
    monkeypatch.setattr(store_module, "BUSY_TIMEOUT_MS", 50)
    path = tmp_path / "progress.sqlite3"
    build(path, 3).close()
    holder = sqlite3.connect(path, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        with Store.open(path) as store:
            assert len(store.reviews()) == 3
    finally:
        holder.close()


def test_an_answer_that_cannot_be_written_says_why_in_chinese(tmp_path: Path, monkeypatch):
    path = tmp_path / "progress.sqlite3"
    store = build(path, 3)
    store._db.execute("PRAGMA max_page_count = 1")  # as a full disk: no page to grow into
    with pytest.raises(StoreError) as info:
        store.record("relu", "value", 1, True, 5_000, "x" * 50_000, "1")
    store.close()
    assert info.value.text("zh") == f"无法写入 {path}：数据库或磁盘已满"
