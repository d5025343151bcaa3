"""dlref.quiz.store: the progress file — recording, undo, stats, durability, concurrency, damage."""

from __future__ import annotations

import os
import re
import signal
import sqlite3
import subprocess
import sys
import textwrap
from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import fsrs
import platformdirs
import pytest

from dlref.quiz import store as store_module
from dlref.quiz.store import SCHEMA_VERSION, Store, StoreError, default_path, streak

NOW = datetime(2025, 3, 10, 15, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "progress.sqlite3"


def count_rows(path: Path, where: str = "") -> int:
    with sqlite3.connect(path) as db:
        return db.execute(f"SELECT count(*) FROM reviews {where}").fetchone()[0]


def replay(reviews: list[tuple[datetime, bool, int]]) -> fsrs.Card:
    """An item's fsrs card after these (time, correct, elapsed_ms) answers, straight from fsrs:
    wrong → Again, right → Good whatever the time; an answer before the card is due is
    practice and leaves it alone."""
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    card = fsrs.Card(card_id=0, due=reviews[0][0])
    for when, correct, _ms in reviews:
        if when < card.due:
            continue
        rating = fsrs.Rating.Good if correct else fsrs.Rating.Again
        card, _ = scheduler.review_card(card, rating, when)
    return card


# -- location, schema, pragmas -------------------------------------------------------------------


def test_default_path_follows_dlref_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert default_path() == tmp_path / "dlref-home" / "progress.sqlite3"  # set by conftest
    with Store.open() as store:
        assert store.path == default_path() and store.path.is_file()
    monkeypatch.delenv("DLREF_HOME")
    assert default_path() == Path(platformdirs.user_data_dir("dlref")) / "progress.sqlite3"


def test_wal_mode_busy_timeout_and_schema_version(path: Path) -> None:
    with Store.open(path) as store:
        db = store._db
        assert db.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert db.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
        store.record("relu", "value", 1, True, 5000, "1", "1")
        with sqlite3.connect(path) as other:  # WAL is a property of the file, seen by all
            assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
            assert other.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION == 3
            tables = {r[0] for r in other.execute("SELECT name FROM sqlite_master")}
            assert {"reviews", "state"} <= tables


def test_a_version_4_is_one_more_migration_function(path: Path,
                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    with Store.open(path) as store:
        store.record("relu", "value", 1, True, 5000, "1", "1")

    def to_v4(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE reviews ADD COLUMN lang TEXT")

    monkeypatch.setattr(store_module, "SCHEMA_VERSION", 4)
    monkeypatch.setitem(store_module.MIGRATIONS, 4, to_v4)
    with Store.open(path) as store:
        assert len(store.reviews()) == 1
        assert store._db.execute("PRAGMA user_version").fetchone()[0] == 4
        assert [tuple(r) for r in store._db.execute("SELECT lang FROM reviews")] == [(None,)]


# -- recording and undo ----------------------------------------------------------------------------


def test_record_commits_and_survives_reopening(path: Path) -> None:
    t = NOW - timedelta(hours=1)
    with Store.open(path) as store:
        assert store.recovered_from is None
        ids = [store.record("relu", "value", 11, True, 25_000, "0.5", "0.5", now=t),
               store.record("relu", "grad", 12, False, 3_000, "1", "0", now=t),
               store.record("tanh", "value", 13, True, 2_000, ".76", "0.762", now=t)]
        assert count_rows(path) == 3  # visible to another connection: committed
    with Store.open(path) as store:
        got = store.reviews()
        assert [r.id for r in got] == ids
        assert [(r.card, r.template, r.seed, r.correct, r.rating, r.elapsed_ms, r.answer,
                 r.expected, r.undone) for r in got] == [
            ("relu", "value", 11, True, fsrs.Rating.Good, 25_000, "0.5", "0.5", False),
            ("relu", "grad", 12, False, fsrs.Rating.Again, 3_000, "1", "0", False),
            ("tanh", "value", 13, True, fsrs.Rating.Good, 2_000, ".76", "0.762", False),
        ]  # 2 s is not Easy: speed never sets the grade
        assert all(r.ts == t for r in got)
        assert sorted(store.known_items()) == [("relu", "grad"), ("relu", "value"),
                                               ("tanh", "value")]
        # earliest first: Again (1 min), then the two Good (10 min)
        assert store.due(now=NOW) == [("relu", "grad", t + timedelta(minutes=1)),
                                      ("relu", "value", t + timedelta(minutes=10)),
                                      ("tanh", "value", t + timedelta(minutes=10))]
        assert store.due(now=NOW, limit=1) == [("relu", "grad", t + timedelta(minutes=1))]
        assert store.due(now=t) == []
        assert store.state("tanh", "value") == replay([(t, True, 2_000)]).to_json()


def test_undo_restores_the_previous_state_and_count(path: Path) -> None:
    t0, t1 = NOW - timedelta(days=2), NOW
    with Store.open(path) as store:
        assert store.undo() is None
        store.record("relu", "value", 1, True, 20_000, "1", "1", now=t0)
        after_first = store.state("relu", "value")
        due_first = store.due(now=NOW)
        last = store.record("relu", "value", 2, False, 20_000, "2", "1", now=t1)
        assert store.state("relu", "value") != after_first

        undone = store.undo()
        assert undone is not None and undone.id == last and undone.undone and undone.seed == 2
        assert store.state("relu", "value") == after_first  # exactly, byte for byte
        assert store.due(now=NOW) == due_first
        assert len(store.reviews()) == 1
        assert [r.undone for r in store.reviews(include_undone=True)] == [False, True]
    with Store.open(path) as store:  # the undo was committed too
        assert len(store.reviews()) == 1 and store.state("relu", "value") == after_first
        assert store.undo() is not None
        assert store.known_items() == [] and store.due(now=NOW) == [] and store.reviews() == []
        assert store.undo() is None
        # a new answer after undoing everything starts from a fresh state again
        store.record("relu", "value", 3, True, 20_000, "1", "1", now=t0)
        assert store.state("relu", "value") == after_first


def test_undo_walks_back_across_items(path: Path) -> None:
    with Store.open(path) as store:
        store.record("a", "t", 1, True, 20_000, "1", "1", now=NOW)
        a1 = store.state("a", "t")
        store.record("b", "t", 2, True, 20_000, "1", "1", now=NOW)
        store.record("a", "t", 3, False, 20_000, "1", "2", now=NOW + timedelta(minutes=20))
        assert [store.undo().seed for _ in range(2)] == [3, 2]  # type: ignore[union-attr]
        assert store.known_items() == [("a", "t")] and store.state("a", "t") == a1


# -- stats -----------------------------------------------------------------------------------------

# (days before today, card, template, correct, elapsed_ms)
ROWS = [
    (6, "relu", "value", True, 20_000),
    (6, "relu", "grad", False, 30_000),
    (4, "sigmoid", "value", True, 3_000),
    (3, "relu", "value", False, 15_000),
    (3, "softmax", "vec", True, 12_000),
    (1, "sigmoid", "value", True, 25_000),
    (0, "relu", "grad", True, 4_000),
    (0, "softmax", "vec", False, 9_000),
]
TAGS = {"relu": ["activations"], "sigmoid": ["activations"],
        "softmax": ["activations", "probability"]}


def when(k: int, days_ago: int) -> datetime:
    return datetime.combine(TODAY - timedelta(days=days_ago), time(10, k), tzinfo=UTC)


@pytest.fixture
def filled(path: Path) -> Store:
    store = Store.open(path)
    for k, (ago, card, template, correct, ms) in enumerate(ROWS):
        store.record(card, template, k, correct, ms, "given", "expected", now=when(k, ago))
    store.record("relu", "value", 99, True, 1_000, "x", "x", now=NOW)  # undone: counts nowhere
    store.undo()
    yield store
    store.close()


def test_stats_counts_and_accuracies(filled: Store) -> None:
    s = filled.stats(now=NOW, tags=TAGS)
    right = [r for r in ROWS if r[3]]
    assert (s["reviews"], s["correct"]) == (8, 5) == (len(ROWS), len(right))
    assert s["accuracy"] == pytest.approx(5 / 8)

    per_card: dict[str, list[bool]] = defaultdict(list)
    per_tag: dict[str, list[bool]] = defaultdict(list)
    per_day: dict[str, list[bool]] = defaultdict(list)
    for ago, card, _t, correct, _ms in ROWS:
        per_card[card].append(correct)
        for tag in TAGS[card]:
            per_tag[tag].append(correct)
        per_day[(TODAY - timedelta(days=ago)).isoformat()].append(correct)

    def table(groups: dict[str, list[bool]]) -> dict[str, dict[str, object]]:
        return {k: {"reviews": len(v), "correct": sum(v), "accuracy": sum(v) / len(v)}
                for k, v in groups.items()}

    assert s["by_card"] == table(per_card)
    assert s["by_card"]["relu"] == {"reviews": 4, "correct": 2, "accuracy": 0.5}
    assert s["by_tag"] == table(per_tag)
    assert s["by_tag"]["probability"] == {"reviews": 2, "correct": 1, "accuracy": 0.5}
    assert s["accuracy_by_day"] == [(d, sum(v) / len(v), len(v))
                                    for d, v in sorted(per_day.items())]
    assert s["accuracy_by_day"][0] == ((TODAY - timedelta(days=6)).isoformat(), 0.5, 2)


def test_stats_due_counts_and_retention(filled: Store) -> None:
    items: dict[tuple[str, str], list[tuple[datetime, bool, int]]] = defaultdict(list)
    for k, (ago, card, template, correct, ms) in enumerate(ROWS):
        items[(card, template)].append((when(k, ago), correct, ms))
    cards = {item: replay(answers) for item, answers in items.items()}

    for now in (NOW, NOW + timedelta(days=3), NOW - timedelta(days=2)):
        s = filled.stats(now=now)
        assert s["items"] == len(cards) == 4
        assert s["due_now"] == sum(c.due <= now for c in cards.values())
        assert s["due_now"] == len(filled.due(now=now))
        week = Counter(max(0, (c.due.date() - now.date()).days) for c in cards.values())
        assert s["due_next_7_days"] == [week[d] for d in range(7)]
        scheduler = fsrs.Scheduler()
        mean = sum(scheduler.get_card_retrievability(c, now) for c in cards.values()) / 4
        assert s["predicted_recall"] == pytest.approx(mean)
    # the figures are not all trivial: something is due now, something later this week
    s = filled.stats(now=NOW)
    assert 1 <= s["due_now"] < s["items"]
    assert 0 < s["predicted_recall"] < 1


def test_stats_streak_forgives_one_missed_day(filled: Store) -> None:
    # reviews 6, 4, 3, 1 and 0 days ago: today, yesterday, (2 forgiven), 3, 4, then 5 ends it
    assert filled.stats(now=NOW)["streak"] == 4
    assert filled.stats(now=NOW + timedelta(days=1))["streak"] == 4  # none yet "today"
    assert filled.stats(now=NOW + timedelta(days=2))["streak"] == 0  # nothing yesterday either


@pytest.mark.parametrize(("days_ago", "expected"), [
    ([], 0),
    ([0], 1),
    ([1], 1),
    ([2], 0),
    ([0, 1, 2], 3),
    ([0, 2, 3], 3),          # one gap inside the run
    ([1, 3], 2),             # run from yesterday, one gap
    ([0, 2, 4, 5], 2),       # the second gap ends it
    ([0, 1, 4, 5], 2),       # two missed days in a row end it
    ([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 10),
])
def test_streak_rule(days_ago: list[int], expected: int) -> None:
    today = date(2025, 1, 1)
    assert streak([today - timedelta(days=d) for d in days_ago], today) == expected


def test_stats_of_an_empty_store(path: Path) -> None:
    with Store.open(path) as store:
        s = store.stats(now=NOW, tags=TAGS)
    assert s["reviews"] == s["correct"] == s["due_now"] == s["streak"] == s["items"] == 0
    assert s["accuracy"] is None and s["predicted_recall"] is None
    assert s["true_retention"] == dict.fromkeys(("today", "last_7_days", "last_30_days", "all"))
    assert s["calibration"] == [] and s["daily_reviews"] == {} and s["practice"] == 0
    assert s["due_next_7_days"] == [0] * 7
    assert s["by_card"] == s["by_tag"] == {} and s["accuracy_by_day"] == []


# -- durability and concurrency (real processes) ---------------------------------------------------

RECORDER = textwrap.dedent("""
    import sys
    from dlref.quiz.store import Store

    store = Store.open(sys.argv[1])
    for i in range(100_000):
        rid = store.record("card", f"t{i % 5}", i, i % 3 != 0, 12_000, str(i), str(i))
        print(i, rid, flush=True)
        sys.stdin.readline()  # wait for the test before answering the next one
""")


def test_kill_9_loses_no_committed_answer(path: Path) -> None:
    n = 25
    proc = subprocess.Popen([sys.executable, "-c", RECORDER, str(path)], text=True,
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert proc.stdin is not None and proc.stdout is not None
    printed = []
    try:
        for _ in range(n):
            line = proc.stdout.readline()
            assert line, proc.stderr.read() if proc.stderr else ""
            printed.append(tuple(map(int, line.split())))
            proc.stdin.write("go\n")
            proc.stdin.flush()
        proc.send_signal(signal.SIGKILL)  # possibly in the middle of answer n+1
    finally:
        proc.kill()
        proc.wait()
        proc.stdout.close()
        proc.stdin.close()
        proc.stderr.close()  # type: ignore[union-attr]
    assert proc.returncode == -signal.SIGKILL
    assert Path(f"{path}-wal").exists()  # the answers are (at least partly) only in the WAL

    with Store.open(path) as store:
        assert store.recovered_from is None
        got = store.reviews()
        assert len(got) in (n, n + 1)
        assert [(r.seed, r.id) for r in got[:n]] == printed
        assert [tuple(r) for r in store._db.execute("PRAGMA integrity_check")] == [("ok",)]
        # the state of each item agrees with the log: log row and state were one transaction
        for k in range(5):
            answers = [(r.ts, r.correct, r.elapsed_ms) for r in got if r.template == f"t{k}"]
            assert store.state("card", f"t{k}") == replay(answers).to_json()


CONCURRENT = textwrap.dedent("""
    import sys
    from dlref.quiz.store import Store

    store = Store.open(sys.argv[1])
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(50):
        # both processes answer the same five items: their state updates must not be lost
        store.record("shared", f"t{i % 5}", i, i % 4 != 0, 15_000, sys.argv[2], "x")
    print("done", flush=True)
""")


def test_two_processes_recording_at_once_both_land(path: Path) -> None:
    procs = [subprocess.Popen([sys.executable, "-c", CONCURRENT, str(path), name], text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE)
             for name in ("first", "second")]  # both create the (new) file at the same time
    for p in procs:
        assert p.stdout is not None
        if p.stdout.readline() != "ready\n":
            for q in procs:
                q.kill()
            pytest.fail(f"a recorder did not start: {p.communicate()[1]}")
    outs = [p.communicate("go\n", timeout=60) for p in procs]  # released together
    for p, (out, err) in zip(procs, outs, strict=True):
        assert (p.returncode, out, err) == (0, "done\n", "")

    with Store.open(path) as store:
        got = store.reviews()
        assert len(got) == 100
        assert Counter(r.answer for r in got) == {"first": 50, "second": 50}
        assert [r.ts for r in got] == sorted(r.ts for r in got)  # log order is time order
        for k in range(5):
            answers = [(r.ts, r.correct, r.elapsed_ms) for r in got if r.template == f"t{k}"]
            assert len(answers) == 20
            assert store.state("shared", f"t{k}") == replay(answers).to_json()


NEW_ITEMS = textwrap.dedent("""
    import sys
    from dlref.quiz.store import Store

    store = Store.open(sys.argv[1])
    print("ready", flush=True)
    sys.stdin.readline()
    for i in range(20):
        # each process was planned, on its own, with the day's whole allowance of new items
        store.record("c", f"{sys.argv[2]}{i}", i, True, 5_000, "1", "1", new_limit=12)
    print("done", flush=True)
""")


def test_two_sessions_at_once_share_the_days_new_item_limit(path: Path) -> None:
    """Two quizzes planned at the same moment each see 12 places left for new items; what
    they answer together introduces 12 new items, and the rest are logged as practice (the
    items stay new for another day), however the two interleave."""
    procs = [subprocess.Popen([sys.executable, "-c", NEW_ITEMS, str(path), name], text=True,
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE) for name in ("a", "b")]
    for p in procs:
        assert p.stdout is not None and p.stdout.readline() == "ready\n"
    for p, (out, err) in zip(procs, [p.communicate("go\n", timeout=60) for p in procs],
                             strict=True):
        assert (p.returncode, out, err) == (0, "done\n", "")
    db = sqlite3.connect(path)
    rows = db.execute("SELECT kind, state_before IS NULL FROM reviews").fetchall()
    db.close()
    assert len(rows) == 40 and Counter(rows) == {("review", 1): 12, ("practice", 1): 28}
    with Store.open(path) as store:
        assert store.new_today() == 12 and len(store.known_items()) == 12


def test_the_new_item_limit_at_record_time_leaves_due_reviews_alone(path: Path) -> None:
    with Store.open(path) as store:
        day1 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        store.record("c", "old", 1, False, 5_000, "0", "1", now=day1, new_limit=1)
        store.record("c", "new", 1, True, 5_000, "1", "1", now=day1, new_limit=1)
        assert [r.kind for r in store.reviews()] == ["review", "practice"]
        later = day1 + timedelta(minutes=20)  # "old", failed, is due again; the limit is spent
        store.record("c", "old", 1, True, 5_000, "1", "1", now=later, new_limit=1)
        assert store.reviews()[-1].kind == "review"


# -- damaged, foreign and unusable files -----------------------------------------------------------

CORRUPT_NAME = re.compile(r"progress\.sqlite3\.corrupt-\d{8}T\d{6}(-\d+)?")


def real_database(path: Path, n: int = 300) -> bytes:
    with Store.open(path) as store:
        for i in range(n):
            store.record(f"card{i % 30}", "t", i, i % 2 == 0, 5_000, "a" * 40, "b" * 40)
    assert not Path(f"{path}-wal").exists()  # checkpointed on close: all in the main file
    return path.read_bytes()


def damage(path: Path, how: str) -> bytes:
    if how == "garbage":
        data = b"this is not an SQLite database, just some bytes\n" * 200
        path.parent.mkdir(parents=True)
    else:
        data = real_database(path)
        if how == "truncated":
            data = data[: len(data) // 2 + 1234]
        else:  # "scribbled": a run of junk in the middle, size unchanged
            mid = len(data) // 2
            data = data[:mid] + b"\xde\xad\xbe\xef" * 1024 + data[mid + 4096:]
    path.write_bytes(data)
    return data


@pytest.mark.parametrize("how", ["garbage", "truncated", "scribbled"])
def test_a_damaged_file_is_moved_aside_and_a_fresh_store_started(path: Path, how: str) -> None:
    original = damage(path, how)
    wal = b"stale write-ahead log"
    Path(f"{path}-wal").write_bytes(wal)
    with Store.open(path) as store:
        aside = store.recovered_from
        assert aside is not None and aside.parent == path.parent
        assert CORRUPT_NAME.fullmatch(aside.name), aside.name
        assert aside.read_bytes() == original
        assert Path(f"{aside}-wal").read_bytes() == wal
        # what still read back was salvaged (issue 17), each row as it was recorded
        kept = store.reviews()
        assert len(kept) == len(store.salvaged.reviews)
        assert all(r.card == f"card{r.seed % 30}" and r.seed == r.id - 1 for r in kept)
        if how == "garbage":
            assert kept == [] and "nothing in it could be read back" in store.recovery_message()
        store.record("relu", "value", 1, True, 5_000, "1", "1")
    with Store.open(path) as store:
        assert store.recovered_from is None and len(store.reviews()) == len(kept) + 1
    assert aside.read_bytes() == original  # still there, never overwritten


def test_damage_twice_keeps_both_old_files(path: Path) -> None:
    damage(path, "garbage")
    with Store.open(path) as store:
        first = store.recovered_from
    path.write_bytes(b"damaged again" * 100)
    with Store.open(path) as store:
        second = store.recovered_from
    assert first is not None and second is not None and first != second
    assert first.read_bytes().startswith(b"this is not") and second.read_bytes().startswith(
        b"damaged again")


def test_an_empty_file_is_a_new_store_not_damage(path: Path) -> None:
    path.parent.mkdir(parents=True)
    path.touch()
    with Store.open(path) as store:
        assert store.recovered_from is None
        store.record("relu", "value", 1, True, 5_000, "1", "1")
    assert os.listdir(path.parent) == ["progress.sqlite3"]


def test_a_file_from_a_newer_dlref_is_refused_and_untouched(path: Path) -> None:
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE future (x)")
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    before = path.read_bytes()
    with pytest.raises(StoreError, match=rf"newer dlref .*format {SCHEMA_VERSION + 1}.*up to "
                                         rf"{SCHEMA_VERSION}.*untouched") as err:
        Store.open(path)
    assert str(path) in str(err.value)
    assert path.read_bytes() == before
    assert os.listdir(path.parent) == ["progress.sqlite3"]


def test_a_newer_file_is_refused_in_the_learners_language(path: Path) -> None:
    """The message the learner meets is Chinese in Chinese, from the CLI and the app's start,
    and English (str) stays English; the file is untouched."""
    path.parent.mkdir(parents=True)
    with sqlite3.connect(path) as db:
        db.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    db.close()
    with pytest.raises(StoreError) as err:
        Store.open(path)
    assert "newer dlref" in str(err.value)
    assert f"由更新版本的 dlref 写入（进度格式 {SCHEMA_VERSION + 1}" in err.value.text("zh")
    assert err.value.text("both").splitlines() == [str(err.value), err.value.text("zh")]
    env = {**os.environ, "DLREF_HOME": str(path.parent)}
    for argv in (["stats", "--lang", "zh"], ["quiz", "relu", "--lang", "zh"]):
        result = subprocess.run([sys.executable, "-m", "dlref", *argv], capture_output=True,
                                text=True, env=env, stdin=subprocess.DEVNULL, timeout=60)
        assert result.returncode == 1 and "Traceback" not in result.stderr
        assert result.stderr.startswith(f"dlref: {path} 由更新版本的 dlref 写入"), result.stderr
    result = subprocess.run([sys.executable, "-m", "dlref.tui"], capture_output=True, text=True,
                            env={**env, "LANG": "zh_CN.UTF-8", "DLREF_LANG": "zh"},
                            stdin=subprocess.DEVNULL, timeout=60)
    assert result.returncode == 1 and "由更新版本的 dlref 写入" in result.stderr


def test_a_directory_in_the_way_is_a_store_error(path: Path) -> None:
    path.mkdir(parents=True)
    with pytest.raises(StoreError, match="is not a file"):
        Store.open(path)


def test_an_uncreatable_location_is_a_store_error(tmp_path: Path) -> None:
    (tmp_path / "plain-file").write_text("x")
    with pytest.raises(StoreError, match="plain-file: it is a file, not a directory"):
        Store.open(tmp_path / "plain-file" / "sub" / "progress.sqlite3")


def test_no_read_write_permission_is_a_store_error(path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    real_database(path, 3)
    monkeypatch.setattr(store_module.os, "access", lambda *_args: False)
    with pytest.raises(StoreError, match="permission denied"):
        Store.open(path)
    assert not list(path.parent.glob("*.corrupt-*"))


# -- sound SQLite, bad contents: refused with a message, the file kept as it is ------------------

#: (tampering SQL, the commands that must refuse it, words the message must contain)
TAMPERING = [
    ("UPDATE state SET fsrs_card = 'not json'", ["stats", "quiz"],
     "state of relu/value: fsrs_card is not fsrs scheduler state (Expecting value"),
    ("UPDATE state SET fsrs_card = '{}'", ["stats", "quiz"],
     "fsrs_card is not fsrs scheduler state (missing 'card_id')"),
    ("UPDATE state SET due = 'yesterday'", ["stats"], "due = 'yesterday'"),
    ("UPDATE state SET due = X'3132'", ["stats"], "due = b'12' is not text"),
    ("UPDATE reviews SET ts = 'garbage'", ["stats", "undo"], "ts = 'garbage'"),
    ("UPDATE reviews SET correct = 'x'", ["stats", "undo"], "correct = 'x' is not 0 or 1"),
    ("UPDATE reviews SET state_before = 'not json'", ["undo"],
     "review 2: state_before is not fsrs scheduler state"),
    ("DROP TABLE state", ["stats", "undo", "quiz"], "state table is missing"),
    ("ALTER TABLE reviews DROP COLUMN answer", ["stats", "undo", "quiz"], "lacks column(s) answer"),
]


def tampered(sql: str) -> Path:
    """A real store at the default path, relu/value answered twice (due now), then `sql`."""
    with Store.open() as store:
        for days_ago in (3, 2):
            store.record("relu", "value", 1, True, 20_000, "1", "1", now=NOW - timedelta(days_ago))
        path = store.path
    db = sqlite3.connect(path)
    try:
        db.execute(sql)
        db.commit()
    finally:
        db.close()
    assert os.listdir(path.parent) == [path.name]  # checkpointed: the file is all there is
    return path


@pytest.mark.parametrize(("sql", "commands", "words"), TAMPERING,
                         ids=[sql.split(" SET ")[-1] for sql, _, _ in TAMPERING])
def test_bad_contents_are_a_clear_error_and_the_file_is_kept(sql: str, commands: list[str],
                                                            words: str) -> None:
    from click.testing import CliRunner

    from dlref.cli import main

    path = tampered(sql)
    original = path.read_bytes()
    for command in commands:
        args = {"quiz": ["quiz", "relu", "-n", "1", "--seed", "1"]}.get(command, [command])
        result = CliRunner().invoke(main, args, input="?\n")  # "I don't know" is recorded
        assert isinstance(result.exception, SystemExit), (command, result.exception)
        assert result.exit_code == 1, (command, result.output)
        assert "Traceback" not in result.output
        error = result.stderr.strip().splitlines()[-1]
        saving = "could not save that answer: " if command == "quiz" and "fsrs" in sql else ""
        assert error.startswith(f"dlref: {saving}{path} has contents dlref cannot read"), error
        assert words in error and "fix or move it" in error, error
        assert path.read_bytes() == original, command
        assert os.listdir(path.parent) == [path.name], command


def test_undo_meeting_a_bad_review_changes_nothing(path: Path) -> None:
    with Store.open(path) as store:
        store.record("relu", "value", 1, True, 5_000, "1", "1", now=NOW)
    with sqlite3.connect(path) as db:
        db.execute("UPDATE reviews SET rating = 'Good'")
    db.close()
    with Store.open(path) as store:
        with pytest.raises(StoreError, match=r"review 1: rating = 'Good' is not a whole number"):
            store.undo()
        assert store.known_items() == [("relu", "value")]  # rolled back: the review still counts
    assert count_rows(path, "WHERE undone = 0") == 1


def test_a_store_opened_only_to_read_creates_nothing_and_keeps_no_answer(tmp_path: Path) -> None:
    path = tmp_path / "not" / "yet" / "progress.sqlite3"
    with Store.open(path, create=False) as store:
        assert store.reviews() == [] and store.undo() is None and store.due(now=NOW) == []
        assert store.stats(now=NOW)["reviews"] == 0
        with pytest.raises(RuntimeError):  # an answer given to it would be lost: refused
            store.record("relu", "value", 1, True, 0, "1", "1", now=NOW)
    assert not (tmp_path / "not").exists()
    with Store.open(path) as store:  # the default creates it, and then it is read as usual
        store.record("relu", "value", 1, True, 0, "1", "1", now=NOW)
    with Store.open(path, create=False) as store:
        assert [r.template for r in store.reviews()] == ["value"]
    assert count_rows(path) == 1
