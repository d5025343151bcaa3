"""A progress file that cannot be written (permissions, `chattr +i`, a read-only file system or
directory) is still read: `stats`, `doctor` (without --repair), `undo`'s refusal and
`quiz --json-questions` work from it, as the store's read-only connection (SQLite URI
`immutable=1` or `mode=ro`) reads it. A command that must save answers says in one line, in
the learner's language, that the file cannot be written and why, before any question; the
file is never changed. Before, even `stats` refused it ("permission denied")."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dlref.cli import main
from dlref.i18n import t
from dlref.quiz import store as store_module
from dlref.quiz.store import Store, StoreError
from tests.test_doctor_wal import killed_writer
from tests.test_store_words import read_only
from tests.test_trap_stats import version_2_file

ANSWER = ("relu", "value", 1, True, 5_000, "1", "1")


def answered(home: Path, n: int = 3) -> Path:
    home.mkdir(parents=True, exist_ok=True)
    path = home / "progress.sqlite3"
    with Store.open(path) as store:
        for i in range(n):
            store.record("relu", f"t{i}", i, i % 2 == 0, 5_000, "1", "1")
    assert os.listdir(home) == ["progress.sqlite3"]  # checkpointed and closed
    return path


@pytest.fixture
def unwritable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A real store that dlref finds it cannot write (its one seam for that, so this works
    whoever runs the tests); SQLite itself then reads it through a read-only connection."""
    home = tmp_path / "home"
    path = answered(home)
    monkeypatch.setenv("DLREF_HOME", str(home))
    reason = {"en": "Operation not permitted", "zh": "不允许这个操作"}
    monkeypatch.setattr(store_module, "_write_refusal", lambda p: StoreError.said(
        "store.file-read-only", path=p, reason=reason))
    return path


def test_a_store_opened_to_read_reads_and_refuses_every_write(unwritable: Path):
    before = unwritable.read_bytes()
    with Store.open(unwritable, create=False) as store:
        assert store.read_only is not None and not store.empty_stand_in
        assert len(store.reviews()) == 3 and store.stats()["reviews"] == 3
        with pytest.raises(sqlite3.OperationalError, match="readonly"):  # SQLite's own refusal
            store._db.execute("UPDATE reviews SET undone = 1")
        for write in (lambda: store.record(*ANSWER), store.undo, lambda: store.regrade(3, 4)):
            with pytest.raises(StoreError) as info:
                write()
            assert info.value.key == "store.file-read-only"
            assert info.value.text("zh").startswith(f"无法在 {unwritable} 中保存答案：这个文件"
                                                    "无法写入（不允许这个操作）")
        assert len(store.reviews()) == 3
    with pytest.raises(StoreError) as info:  # a command that writes is refused on opening
        Store.open(unwritable)
    assert str(info.value).startswith(f"cannot save answers in {unwritable}: the file cannot "
                                      "be written (Operation not permitted)")
    assert unwritable.read_bytes() == before
    assert os.listdir(unwritable.parent) == ["progress.sqlite3"]  # no -wal, no -shm made


def test_an_older_format_is_read_without_being_upgraded(tmp_path: Path, monkeypatch):
    """A version-2 file cannot be migrated in place: its copy in memory is."""
    path = version_2_file(tmp_path / "progress.sqlite3", "relu", "value", 1, 3, "1", "1")
    before = path.read_bytes()
    monkeypatch.setattr(store_module, "_write_refusal",
                        lambda p: StoreError.said("store.dir-read-only", dir=p.parent))
    with Store.open(path, create=False) as store:
        [review] = store.reviews()
        assert review.trap is None and store.stats()["reviews"] == 1
    assert path.read_bytes() == before


def test_the_cli_reads_and_refuses_before_asking(unwritable: Path):
    runner = CliRunner()
    stats = runner.invoke(main, ["stats", "--lang", "en"])
    assert stats.exit_code == 0 and stats.stderr == "" and "answers 3" in stats.stdout
    listed = runner.invoke(main, ["quiz", "relu", "-n", "2", "--seed", "1", "--json-questions"])
    assert listed.exit_code == 0 and '"card": "relu"' in listed.stdout
    quiz = runner.invoke(main, ["quiz", "relu", "-n", "1", "--seed", "1", "--lang", "zh"],
                         input="1\n")
    assert quiz.exit_code == 1 and quiz.stdout == ""  # refused before the first question
    assert quiz.stderr == (f"dlref: 无法在 {unwritable} 中保存答案：这个文件无法写入"
                           "（不允许这个操作）。请让它可写，或设置 DLREF_HOME 换一个目录；"
                           "`dlref stats` 和 `dlref doctor` 仍可读取它。\n")
    undo = runner.invoke(main, ["undo", "--lang", "en"])
    assert undo.exit_code == 1 and undo.stderr.count("\n") == 1
    assert undo.stderr.startswith(f"dlref: cannot save answers in {unwritable}")
    doctor = runner.invoke(main, ["doctor", "--lang", "en"])
    assert doctor.exit_code == 1
    assert (f"✗ cannot save answers in {unwritable}: the file cannot be written"
            in doctor.stdout)
    assert "✓ quick_check: ok" in doctor.stdout and "✓ 3 reviews" in doctor.stdout
    assert doctor.stderr == "dlref: 1 problem found.\n"  # no repair offered: it cannot mend it
    repair = runner.invoke(main, ["doctor", "--repair", "--lang", "en"])
    assert "→ --repair cannot mend this" in repair.stdout
    assert os.listdir(unwritable.parent) == ["progress.sqlite3"]


def dlref(*argv: str, home: Path, lang: str, stdin: str = "") -> subprocess.CompletedProcess:
    env = {**os.environ, "DLREF_HOME": str(home), "LANG": lang}
    env.pop("DLREF_LANG", None)
    return subprocess.run([sys.executable, "-m", "dlref", *argv], input=stdin,
                          capture_output=True, text=True, env=env, timeout=60, check=False)


def test_an_immutable_file_end_to_end(tmp_path: Path):
    """For real: `chattr +i` (which stops root too; mode 0444 when not root)."""
    home = tmp_path / "home"
    path = answered(home)
    before = path.read_bytes()
    with read_only(path):
        stats = dlref("stats", home=home, lang="zh_CN.UTF-8")
        doctor = dlref("doctor", home=home, lang="zh_CN.UTF-8")
        quiz = dlref("quiz", "relu", "-n", "1", "--seed", "1", home=home, lang="C.UTF-8",
                     stdin="1\n")
        quiz_zh = dlref("quiz", "relu", "-n", "1", home=home, lang="zh_CN.UTF-8", stdin="1\n")
        listing = sorted(os.listdir(home))
    assert stats.returncode == 0 and stats.stderr == "" and "作答 3 次" in stats.stdout
    assert doctor.returncode == 1 and "Traceback" not in doctor.stderr
    assert f"✗ 无法在 {path} 中保存答案：这个文件无法写入（" in doctor.stdout
    assert "✓ quick_check：正常" in doctor.stdout and "✓ 3 次复习" in doctor.stdout
    assert quiz.returncode == 1 and quiz.stdout == "" and quiz.stderr.count("\n") == 1
    assert quiz.stderr.startswith(f"dlref: cannot save answers in {path}: the file cannot "
                                  "be written (")
    assert quiz_zh.returncode == 1 and quiz_zh.stdout == ""
    assert quiz_zh.stderr.startswith(f"dlref: 无法在 {path} 中保存答案")
    assert "Traceback" not in quiz.stderr + quiz_zh.stderr
    assert listing == ["progress.sqlite3"] and path.read_bytes() == before
    assert t("store.file-read-only", "en", path=path, reason="x").split(":")[0] in quiz.stderr


def test_an_immutable_file_with_a_killed_writers_wal_loses_no_answer(tmp_path: Path):
    """The answers only in the -wal are read through it; once writable again, nothing is
    missing."""
    home = tmp_path / "home"
    path = killed_writer(home, 6, first=2)
    with read_only(path):
        stats = dlref("stats", "--json", home=home, lang="C.UTF-8")
        quiz = dlref("quiz", "relu", "-n", "1", home=home, lang="C.UTF-8", stdin="1\n")
    assert stats.returncode == 0, stats.stderr
    assert '"reviews": 8' in stats.stdout
    assert quiz.returncode == 1 and quiz.stdout == "" and "cannot save answers" in quiz.stderr
    with Store.open(path) as store:
        assert len(store.reviews()) == 8 and store.wal_set_aside is None
