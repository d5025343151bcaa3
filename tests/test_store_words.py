"""Every reason the progress store refuses a file is said in the learner's language: each
message is triggered for real (a damaged, foreign or tampered file, a read-only directory, a
crowd of set-aside copies) and read in Chinese, from the store and through the CLI."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner

from dlref.cli import main
from dlref.i18n import t
from dlref.quiz import store as store_module
from dlref.quiz.store import Store, StoreError, health

MOMENT = datetime(2026, 12, 7, 6, 30, 5, tzinfo=UTC)
STAMP = "20261207T063005"
GARBAGE = b"this is not an SQLite database, just some bytes\n" * 50


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """`path` (a directory or a file) cannot be written for the block's length: immutable
    (`chattr +i`) when running as root, whom permission bits do not stop; else mode 0555."""
    if os.geteuid() == 0:
        done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
        if done.returncode != 0:
            pytest.skip(f"chattr +i does not work here: {done.stderr.decode().strip()}")
        undo = ["chattr", "-i", str(path)]
    else:
        mode = path.stat().st_mode
        path.chmod(0o555)
        undo = None
    try:
        yield
    finally:
        if undo:
            subprocess.run(undo, check=True)
        else:
            path.chmod(mode)


def dlref(*argv: str, home: Path, lang: str = "zh_CN.UTF-8") -> subprocess.CompletedProcess:
    """The real command in a subprocess, with `home` as DLREF_HOME and `lang` as LANG."""
    env = {**os.environ, "DLREF_HOME": str(home), "LANG": lang}
    return subprocess.run([sys.executable, "-m", "dlref", *argv], capture_output=True,
                          text=True, env=env, stdin=subprocess.DEVNULL, timeout=60)


def refusal(path: Path) -> StoreError:
    with pytest.raises(StoreError) as info:
        Store.open(path)
    return info.value


def answered(path: Path) -> Path:
    """A real store at `path` holding one answer, closed."""
    with Store.open(path) as store:
        store.record("relu", "value", 1, True, 5_000, "1", "1")
    return path


def stale_wal(home: Path) -> Path:
    """A sound store whose -wal is a stale copy of an earlier one (as a backup restore leaves):
    the WAL does not belong to the file."""
    path = home / "progress.sqlite3"
    store = Store.open(path)
    store._db.execute("PRAGMA wal_autocheckpoint = 0")
    store.record("relu", "value", 1, True, 5_000, "1", "1")
    old = Path(f"{path}-wal").read_bytes()
    for i in range(20):
        store.record("relu", f"t{i}", i, True, 5_000, "1", "1")
    store._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    Path(f"{path}-wal").write_bytes(old)
    return path


# -- damaged files that cannot be set aside -------------------------------------------------------


def test_a_damaged_file_in_a_read_only_directory_is_said_in_chinese(tmp_path: Path):
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(GARBAGE)
    with read_only(tmp_path):
        error = refusal(path)
        cli = dlref("stats", home=tmp_path)
    assert error.key == "store.cannot-move-aside"
    assert error.text("zh").startswith(f"进度文件 {path} 已损坏，且无法移到一旁：")
    assert str(error).startswith(f"{path} is damaged and could not be moved aside: ")
    assert cli.returncode == 1 and "Traceback" not in cli.stderr
    assert cli.stderr == f"dlref: {error.text('zh')}\n"
    assert path.read_bytes() == GARBAGE and os.listdir(tmp_path) == [path.name]


def test_too_many_damaged_copies_beside_the_file(tmp_path: Path):
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(GARBAGE)
    for k in range(1, 1000):
        (tmp_path / f"{path.name}.corrupt-{STAMP}{'' if k == 1 else f'-{k}'}").touch()
    with pytest.raises(StoreError) as info:
        store_module._aside_name(path, MOMENT)
    assert info.value.text("zh") == t("store.too-many-aside", "zh", path=path)
    assert "旁边已有太多损坏的进度文件副本" in info.value.text("zh")
    (tmp_path / f"{path.name}.corrupt-{STAMP}-500").unlink()  # one free name is enough
    assert store_module._aside_name(path, MOMENT).name.endswith(f"{STAMP}-500")


def test_a_file_that_comes_back_damaged_every_time_is_given_up(tmp_path: Path, monkeypatch):
    """Another process writes a damaged file again each time this one moves it aside."""
    path = tmp_path / "progress.sqlite3"
    path.write_bytes(GARBAGE)
    real = store_module._move_aside
    moved = []

    def move_and_let_the_other_write(where: Path, identity):  # noqa: ANN001, ANN202
        target = real(where, identity)
        moved.append(target)
        where.write_bytes(GARBAGE + bytes([len(moved)]))  # the competitor's new damaged file
        return target

    monkeypatch.setattr(store_module, "_move_aside", move_and_let_the_other_write)
    error = refusal(path)
    assert len(moved) == 3 and all(p is not None and p.exists() for p in moved)
    assert error.text("zh") == f"进度文件 {path} 反复出现损坏，已放弃"
    assert str(error) == f"{path} keeps coming up damaged; giving up"


# -- a -wal that is not the file's -----------------------------------------------------------------


def test_a_foreign_wal_that_cannot_be_moved_is_said_in_chinese(tmp_path: Path):
    path = stale_wal(tmp_path)
    wal = Path(f"{path}-wal")
    if os.geteuid() != 0:
        pytest.skip("only root can make the -wal itself immutable (a read-only directory "
                    "stops SQLite before the -wal is judged)")
    with read_only(wal):
        error = refusal(path)
    assert error.key == "store.cannot-move-wal"
    assert error.text("zh") == t("store.cannot-move-wal", "zh", wal=wal, path=path,
                                 reason="不允许这个操作")  # the system's reason in Chinese too
    assert str(error).endswith(os.strerror(1))
    assert wal.exists() and not list(tmp_path.glob("*foreign*"))


def test_too_many_set_aside_wal_files(tmp_path: Path):
    path = stale_wal(tmp_path)
    for k in range(1, 1000):
        Path(f"{path}-wal.foreign-{STAMP}{'' if k == 1 else f'-{k}'}").touch()
    with pytest.raises(StoreError) as info:
        store_module._wal_aside(path, MOMENT)
    assert info.value.text("zh") == f"{path} 旁边已有太多移到一旁的 -wal 文件，请先清理"
    assert Path(f"{path}-wal").exists()


def test_a_set_aside_shm_takes_its_own_numbered_name(tmp_path: Path):
    """An -shm set aside earlier in the same second no longer blocks every numbered name."""
    path = stale_wal(tmp_path)
    Path(f"{path}-shm").write_bytes(b"index")
    Path(f"{path}-shm.foreign-{STAMP}").write_bytes(b"older index")
    target = store_module._wal_aside(path, MOMENT)
    assert target.name == f"{path.name}-wal.foreign-{STAMP}-2"
    assert Path(f"{path}-shm.foreign-{STAMP}-2").read_bytes() == b"index"
    assert Path(f"{path}-shm.foreign-{STAMP}").read_bytes() == b"older index"


# -- files dlref did not write ---------------------------------------------------------------------


def with_schema(path: Path, *sql: str) -> bytes:
    db = sqlite3.connect(path)
    for statement in sql:
        db.execute(statement)
    db.commit()
    db.close()
    return path.read_bytes()


def test_a_negative_format_is_said_in_chinese(tmp_path: Path):
    path = tmp_path / "progress.sqlite3"
    data = with_schema(path, "PRAGMA user_version = -1")
    error = refusal(path)
    assert error.text("zh") == t("store.format-negative", "zh", path=path, version=-1,
                                 writes=store_module.SCHEMA_VERSION)
    assert "的进度格式是 -1" in error.text("zh") and path.read_bytes() == data


def test_another_programs_database_is_said_in_chinese_by_the_cli(tmp_path: Path):
    path = tmp_path / "progress.sqlite3"
    data = with_schema(path, "CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)")
    error = refusal(path)
    assert error.text("zh").startswith(f"{path} 不是 dlref 的进度文件（没有进度格式，且含有 "
                                       f"dlref 不用的数据表：moz_places）")
    result = dlref("quiz", "relu", "--lang", "zh", home=tmp_path, lang="C.UTF-8")
    assert result.returncode == 1 and result.stderr == f"dlref: {error.text('zh')}\n"
    doctor = dlref("doctor", home=tmp_path)
    assert f"✗ {error.text('zh')}" in doctor.stdout and "not a dlref" not in doctor.stdout
    assert path.read_bytes() == data


def test_a_file_sqlite_cannot_set_up_is_said_in_chinese(tmp_path: Path):
    """A view where dlref's table belongs: the file opens, but its indexes cannot be made."""
    path = tmp_path / "progress.sqlite3"
    with_schema(path, "CREATE VIEW reviews AS SELECT 1 AS id")
    error = refusal(path)
    assert error.key == "store.cannot-set-up"
    assert error.text("zh").startswith(f"无法初始化进度文件 {path}：")


def test_a_table_dropped_while_the_store_is_open_is_said_in_chinese(tmp_path: Path):
    path = tmp_path / "progress.sqlite3"
    with Store.open(path) as store:
        store.record("relu", "value", 1, True, 5_000, "1", "1")
        with_schema(path, "DROP TABLE reviews")
        with pytest.raises(StoreError) as info:
            store.reviews()
    assert info.value.text("zh") == f"无法读取 {path}：no such table: reviews"


def test_a_path_sqlite_cannot_open_is_said_in_chinese(tmp_path: Path):
    """Longer than SQLite's limit on a file name (512 bytes), though the system takes it."""
    deep = tmp_path / ("x" * 200) / ("y" * 200) / ("z" * 200)
    path = deep / "progress.sqlite3"
    error = refusal(path)
    assert error.text("zh").startswith(f"无法打开 {path}：")


# -- contents dlref cannot read --------------------------------------------------------------------


@pytest.mark.parametrize(("sql", "where", "why"), [
    ("UPDATE reviews SET ts = 'garbage'", "第 1 条复习记录",
     "ts = 'garbage' is not an ISO 8601 time"),
    ("UPDATE state SET due = 'yesterday'", "relu/value 的复习日程",
     "due = 'yesterday' is not an ISO 8601 time"),
    ("DROP TABLE state", "表结构", "缺少数据表 state"),
    ("ALTER TABLE reviews DROP COLUMN answer", "表结构", "数据表 reviews 缺少列 answer"),
])
def test_bad_contents_are_said_in_chinese(tmp_path: Path, monkeypatch, sql, where, why):
    path = answered(tmp_path / "progress.sqlite3")
    data = with_schema(path, sql)
    monkeypatch.setenv("DLREF_HOME", str(tmp_path))
    result = CliRunner().invoke(main, ["stats", "--lang", "zh"])
    assert result.exit_code == 1
    said = f"进度文件 {path} 里有 dlref 无法读取的内容（{where}：{why}）；文件保留在原处：" \
           "请修复或移走它，或设置 DLREF_HOME 换一个目录。"
    assert result.stderr == f"dlref: {said}\n"
    assert path.read_bytes() == data


def test_a_bad_item_and_its_english_stay_as_they_were(tmp_path: Path):
    path = answered(tmp_path / "progress.sqlite3")
    with_schema(path, "UPDATE state SET fsrs_card = 'not json'")
    with Store.open(path) as store, pytest.raises(StoreError) as info:
        store.record("relu", "value", 1, True, 5_000, "1", "1",
                     now=datetime.now(UTC) + timedelta(days=30))
    assert "(state of relu/value: fsrs_card is not fsrs scheduler state" in str(info.value)
    assert "（relu/value 的复习日程：fsrs_card is not fsrs scheduler state" in info.value.text("zh")


# -- read-only directories -------------------------------------------------------------------------


def test_a_read_only_directory_with_no_file_yet_is_said_in_chinese(tmp_path: Path):
    home = tmp_path / "home"
    home.mkdir()
    with read_only(home):
        error = refusal(home / "progress.sqlite3")
        quiz = dlref("quiz", "relu", "-n", "1", home=home)
        doctor = dlref("doctor", home=home)
    assert error.text("zh") == t("store.dir-read-only", "zh", dir=home)
    assert quiz.returncode == 1 and quiz.stderr == f"dlref: {error.text('zh')}\n"
    assert doctor.returncode == 1 and f"✗ {error.text('zh')}" in doctor.stdout
    assert os.listdir(home) == []


def test_a_read_only_directory_is_not_called_damage(tmp_path: Path):
    """No answer can be saved in a read-only directory (SQLite must make its -wal and -shm
    there): doctor says why, offers no repair of a sound file, and still checks it; `stats`,
    which only reads, reads it as it is; a quiz is refused before any question."""
    path = answered(tmp_path / "progress.sqlite3")
    with read_only(tmp_path):
        found = health(path, "zh")
        stats = dlref("stats", home=tmp_path)
        quiz = dlref("quiz", "relu", "-n", "1", home=tmp_path)
    said = t("store.dir-read-only", "zh", dir=tmp_path)
    assert (False, said) in [(f.ok, f.text) for f in found]
    assert not any("损坏" in f.text or "移到一旁" in f.text or f.repairable for f in found)
    assert (True, "quick_check：正常") in [(f.ok, f.text) for f in found]
    assert stats.returncode == 0 and stats.stderr == "", stats.stderr
    assert "作答 1 次" in stats.stdout
    assert quiz.returncode == 1 and quiz.stderr == f"dlref: {said}\n" and quiz.stdout == ""
    assert os.listdir(tmp_path) == ["progress.sqlite3"]


# -- dlref doctor's own lines ----------------------------------------------------------------------


def test_doctor_names_bad_rows_in_chinese_and_in_both(tmp_path: Path):
    path = answered(tmp_path / "progress.sqlite3")
    with_schema(path, "UPDATE reviews SET correct = 7", "UPDATE state SET due = 'x'")
    (ok, zh), = [(f.ok, f.text) for f in health(path, "zh") if "无法读取" in f.text]
    assert not ok
    assert zh == "有 2 行 dlref 无法读取：第 1 条复习记录：correct = 7 is not 0 or 1; " \
                 "relu/value 的复习日程：due = 'x' is not an ISO 8601 time"
    both = [f.text for f in health(path, "both") if "cannot read" in f.text]
    assert both == ["2 rows dlref cannot read: review 1: correct = 7 is not 0 or 1; state of "
                    f"relu/value: due = 'x' is not an ISO 8601 time / {zh}"]



# -- another dlref answered meanwhile -----------------------------------------------------------


def test_a_session_takes_back_only_its_own_answer(tmp_path: Path):
    """The CLI and the app share the file: undo (or a new grade) after the other one answered
    changes nothing, and says why in Chinese, instead of taking back the other's answer."""
    from dlref.quiz.questions import generate
    from dlref.quiz.session import Session

    path = tmp_path / "progress.sqlite3"
    with Store.open(path) as mine, Store.open(path) as other:
        question = generate("relu", "value", 1)
        session = Session([question], mine)
        session.answer(question, "[9, 9, 9]", 900)  # wrong: recorded, graded Again
        theirs = other.record("tanh", "value", 2, True, 5_000, "1", "1")
        for act in (session.undo, lambda: session.grade(4)):
            with pytest.raises(StoreError) as info:
                act()
            assert info.value.text("zh") == t("store.not-latest", "zh", path=path,
                                              id=session.outcomes[-1].review_id)
        assert len(session.outcomes) == 1  # still this session's answer, still graded Again
        assert [(r.card, r.rating) for r in other.reviews()] == [("relu", 1), ("tanh", 3)]
        assert other.get(theirs).undone is False
        other.undo()  # the other takes its answer back: this session's is the latest again
        assert session.undo() is not None and mine.reviews() == []


def test_the_cli_quiz_keeps_going_when_its_undo_is_refused(tmp_path: Path):
    path = tmp_path / "progress.sqlite3"
    env = {**os.environ, "DLREF_HOME": str(tmp_path), "LANG": "zh_CN.UTF-8"}
    quiz = subprocess.Popen([sys.executable, "-m", "dlref", "quiz", "relu", "-n", "2",
                             "--seed", "1"], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)
    quiz.stdin.write("?\n")  # "I don't know": recorded as Again
    quiz.stdin.flush()
    deadline = datetime.now(UTC) + timedelta(seconds=60)
    while not (path.exists() and _count(path) == 1):
        assert datetime.now(UTC) < deadline and quiz.poll() is None, quiz.stderr.read()
    with Store.open(path) as other:
        other.record("tanh", "value", 2, True, 5_000, "1", "1")
    out, err = quiz.communicate("undo\n?\n", timeout=60)
    assert quiz.returncode == 0 and err == "" and "Traceback" not in out
    with Store.open(path) as store:
        first = store.reviews()[0]
        assert [r.card for r in store.reviews()] == ["relu", "tanh", "relu"]
    assert t("store.not-latest", "zh", path=path, id=first.id) in out
    assert "已撤销" not in out and "得分 0/2" in out


def _count(path: Path) -> int:
    """Reviews in the file, 0 while the quiz is still creating it."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
        try:
            return db.execute("SELECT count(*) FROM reviews").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_home_that_is_a_file_is_named_as_such(tmp_path: Path, lang: str):
    home = tmp_path / "home"
    home.write_text("not a directory")
    env = {**os.environ, "DLREF_HOME": str(home / "sub"), "DLREF_LANG": lang}
    stats = subprocess.run([sys.executable, "-m", "dlref", "stats"], capture_output=True,
                           text=True, env=env, timeout=60)
    assert stats.returncode == 1 and "Traceback" not in stats.stderr
    assert stats.stderr.strip() == "dlref: " + t("store.parent-not-dir", lang, dir=home)
    lookup = subprocess.run([sys.executable, "-m", "dlref", "relu"], capture_output=True,
                            text=True, env=env, timeout=60)
    assert lookup.returncode == 0 and lookup.stderr == ""  # no config there: the defaults


def test_doctor_offers_repair_only_for_what_repair_mends(tmp_path: Path):
    """A file from a newer dlref says to upgrade; --repair cannot open it, so doctor does not
    offer it. A damaged file is offered the repair."""
    home = tmp_path / "home"
    home.mkdir()
    path = answered(home / "progress.sqlite3")
    with_schema(path, "PRAGMA user_version = 99")
    env = {**os.environ, "DLREF_HOME": str(home), "DLREF_LANG": "en"}
    newer = subprocess.run([sys.executable, "-m", "dlref", "doctor"], capture_output=True,
                           text=True, env=env, timeout=60)
    assert newer.returncode == 1 and "Upgrade dlref" in newer.stdout
    assert "--repair" not in newer.stderr and "1 problem found." in newer.stderr
    path.write_bytes(b"not a database" * 100)
    damaged = subprocess.run([sys.executable, "-m", "dlref", "doctor"], capture_output=True,
                             text=True, env=env, timeout=60)
    assert damaged.returncode == 1 and "dlref doctor --repair" in damaged.stderr
