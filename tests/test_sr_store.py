"""Issue 12 in the store: format 2 (review vs practice), practice never moves a due date,
regrading the last answer, the daily-new count, honest statistics, and the migration from a
version-1 file (sound or damaged). Expected schedules come from the fsrs package directly."""

from __future__ import annotations

import json
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs
import pytest

from dlref.quiz.questions import generate
from dlref.quiz.store import Store, StoreError

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FSRS = fsrs.Scheduler(enable_fuzzing=False)


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "progress.sqlite3"


def fsrs_card(ratings_at: list[tuple[int, datetime]]) -> fsrs.Card:
    card = fsrs.Card(card_id=0, due=ratings_at[0][1])
    for rating, when in ratings_at:
        card, _ = FSRS.review_card(card, fsrs.Rating(rating), when)
    return card


# -- practice and reviews ----------------------------------------------------------------------


def test_practice_never_moves_a_due_date(path: Path) -> None:
    with Store.open(path) as store:
        store.record("relu", "value", 1, True, 0, "1", "1", now=T0)  # new: a review
        state = store.state("relu", "value")
        due = fsrs_card([(3, T0)]).due
        assert store.due(now=due) == [("relu", "value", due)]
        # answered again 1 minute later (right, then wrong): not due → practice
        for correct in (True, False):
            store.record("relu", "value", 2, correct, 0, "x", "1", now=T0 + timedelta(minutes=1))
            assert store.state("relu", "value") == state
        kinds = [r.kind for r in store.reviews()]
        assert kinds == ["review", "practice", "practice"]
        # once the step has elapsed it is a review again and moves on as fsrs says
        store.record("relu", "value", 3, True, 0, "1", "1", now=due)
        assert store.state("relu", "value") == fsrs_card([(3, T0), (3, due)]).to_json()
        # practice counts in accuracy, marked as practice
        s = store.stats(now=due)
        assert (s["reviews"], s["correct"], s["practice"]) == (4, 3, 2)
        # explicit practice (a preview) leaves even a due item alone
        later = fsrs_card([(3, T0), (3, due)]).due
        before = store.state("relu", "value")
        store.record("relu", "value", 4, False, 0, "0", "1", now=later, practice=True)
        assert store.state("relu", "value") == before


def test_learn_ahead_is_only_for_learning_steps(path: Path) -> None:
    with Store.open(path) as store:
        store.record("a", "t", 1, False, 0, "0", "1", now=T0)  # Again: 1-minute step
        store.record("a", "t", 2, True, 0, "1", "1", now=T0 + timedelta(seconds=20),
                     learn_ahead=True)
        assert [r.kind for r in store.reviews()] == ["review", "review"]
        expected = fsrs_card([(1, T0), (3, T0 + timedelta(seconds=20))])
        assert store.state("a", "t") == expected.to_json()


def test_regrade_reruns_the_review_with_the_new_rating(path: Path) -> None:
    with Store.open(path) as store:
        rid = store.record("relu", "value", 1, True, 0, "1", "1", now=T0)
        review = store.regrade(rid, 4)  # Easy after the verdict
        assert review.rating == 4 and store.get(rid).rating == 4
        assert store.state("relu", "value") == fsrs_card([(4, T0)]).to_json()
        store.regrade(rid, 2)  # changed again: Hard, from the same state before
        assert store.state("relu", "value") == fsrs_card([(2, T0)]).to_json()
        other = store.record("tanh", "value", 2, True, 0, "1", "1", now=T0)
        with pytest.raises(StoreError, match="no longer the latest answer") as info:
            store.regrade(rid, 3)  # no longer the latest answer: nothing changes
        assert info.value.text("zh").startswith(f"第 {rid} 条复习记录已不是进度文件 ")
        assert store.get(rid).rating == 2
        with pytest.raises(ValueError, match="rating"):
            store.regrade(other, 5)
        # undo after a regrade restores the state before exactly
        store.undo()
        store.undo()
        assert store.known_items() == []


def test_new_today_counts_first_reviews_of_the_day(path: Path) -> None:
    with Store.open(path) as store:
        store.record("a", "t", 1, True, 0, "1", "1", now=T0 - timedelta(days=1))
        store.record("b", "t", 1, True, 0, "1", "1", now=T0)
        store.record("c", "t", 1, False, 0, "1", "1", now=T0)
        store.record("c", "t", 1, True, 0, "1", "1", now=T0 + timedelta(minutes=5))
        assert store.new_today(now=T0 + timedelta(hours=1)) == 2
        store.undo()
        store.undo()
        assert store.new_today(now=T0 + timedelta(hours=1)) == 1
        assert store.next_due(now=T0) == fsrs_card([(3, T0)]).due


# -- honest statistics -------------------------------------------------------------------------


def test_three_wrong_answers_do_not_claim_retention(path: Path) -> None:
    with Store.open(path) as store:
        for k in range(3):
            store.record("relu", f"t{k}", k, False, 0, "9", "1", now=T0)
        s = store.stats(now=T0 + timedelta(minutes=1))
    assert s["accuracy"] == 0
    assert s["true_retention"]["today"] is None  # no due review yet: nothing measured
    assert s["due_reviews"]["all"] == 0


def hand_built(path: Path) -> Store:
    """A store written with plain SQL: due reviews with known predictions and outcomes."""
    store = Store.open(path)
    rows = []
    # (days ago, predicted, correct) for due reviews (phase 2), plus noise that must not count
    plan = [(0, 0.95, 1), (0, 0.95, 0), (1, 0.92, 1), (3, 0.85, 1), (3, 0.81, 0),
            (10, 0.55, 0), (10, 0.58, 1), (40, 0.99, 1)]
    now = T0
    for k, (ago, predicted, correct) in enumerate(plan):
        ts = (now - timedelta(days=ago, minutes=k)).isoformat(timespec="microseconds")
        rows.append((ts, "relu", f"t{k}", k, correct, 3 if correct else 1, 0, "a", "b",
                     "{}", 0, "review", 2, predicted))
    # a learning step, practice, and an undone review: none of them are due reviews
    t = now.isoformat(timespec="microseconds")
    rows += [(t, "relu", "L", 1, 0, 1, 0, "a", "b", "{}", 0, "review", 1, 1.0),
             (t, "relu", "P", 1, 0, 1, 0, "a", "b", "{}", 0, "practice", 2, 0.9),
             (t, "relu", "U", 1, 0, 1, 0, "a", "b", "{}", 1, "review", 2, 0.9)]
    store._db.executemany(
        "INSERT INTO reviews (ts, card, template, seed, correct, rating, elapsed_ms, answer,"
        " expected, state_before, undone, kind, phase, predicted)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
    return store


def test_true_retention_windows_and_calibration_from_a_hand_built_store(path: Path) -> None:
    with hand_built(path) as store:
        s = store.stats(now=T0)
    tr, n = s["true_retention"], s["due_reviews"]
    assert (n["today"], tr["today"]) == (2, 0.5)
    assert (n["last_7_days"], tr["last_7_days"]) == (5, 3 / 5)
    assert (n["last_30_days"], tr["last_30_days"]) == (7, 4 / 7)
    assert (n["all"], tr["all"]) == (8, 5 / 8)
    assert s["reviews"] == 10 and s["practice"] == 1  # the undone one counts nowhere
    bins = {(b["from"], b["to"]): b for b in s["calibration"]}
    assert sorted(bins) == [(0.5, 0.6), (0.8, 0.9), (0.9, 1.0)]
    assert bins[(0.5, 0.6)] == {"from": 0.5, "to": 0.6, "reviews": 2,
                                "predicted": pytest.approx(0.565), "actual": 0.5}
    assert bins[(0.8, 0.9)]["actual"] == 0.5 and bins[(0.8, 0.9)]["reviews"] == 2
    assert bins[(0.9, 1.0)]["reviews"] == 4
    assert bins[(0.9, 1.0)]["predicted"] == pytest.approx((0.95 + 0.95 + 0.92 + 0.99) / 4)
    assert bins[(0.9, 1.0)]["actual"] == 3 / 4
    assert s["calibration_enough"] is False  # 8 < CALIBRATION_MIN
    days = s["daily_reviews"]
    assert days[T0.date().isoformat()] == 4  # two due reviews, the step and the practice
    assert days[(T0 - timedelta(days=10)).date().isoformat()] == 2
    assert (T0 - timedelta(days=40)).date().isoformat() in days


def test_true_retention_counts_what_the_grade_says_was_remembered(path: Path) -> None:
    """A due review marked wrong but graded Good (a slip, says the learner) passed, and one
    marked right but graded Again (a guess) did not: FSRS learns recall from the grade, so
    true retention and calibration measure the same thing; accuracy keeps the marks."""
    with Store.open(path) as store:
        t = T0.isoformat(timespec="microseconds")
        store._db.executemany(
            "INSERT INTO reviews (ts, card, template, seed, correct, rating, elapsed_ms, answer,"
            " expected, state_before, undone, kind, phase, predicted)"
            " VALUES (?, 'relu', ?, 1, ?, ?, 0, 'a', 'b', '{}', 0, 'review', 2, 0.9)",
            [(t, "slip", 0, 3), (t, "guess", 1, 1), (t, "known", 1, 4), (t, "hard", 0, 2)])
        s = store.stats(now=T0)
    assert s["accuracy"] == 2 / 4  # as marked
    assert s["due_reviews"]["today"] == 4 and s["true_retention"]["today"] == 3 / 4  # as graded
    (only,) = s["calibration"]
    assert only["reviews"] == 4 and only["actual"] == 3 / 4


def test_stats_reports_a_bad_row_found_by_sql(path: Path) -> None:
    with hand_built(path) as store:
        store._db.execute("UPDATE reviews SET kind = 'guess' WHERE template = 't3'")
        with pytest.raises(StoreError, match=r"review 4: kind = 'guess'"):
            store.stats(now=T0)
        store._db.execute("UPDATE reviews SET kind = 'review', predicted = 7 WHERE id = 4")
        with pytest.raises(StoreError, match=r"predicted = 7.0 is not a probability"):
            store.stats(now=T0)


# -- migration from version 1 -------------------------------------------------------------------

V1_SCHEMA = """
CREATE TABLE reviews (id INTEGER PRIMARY KEY, ts TEXT NOT NULL, card TEXT NOT NULL,
    template TEXT NOT NULL, seed INTEGER, correct INTEGER NOT NULL, rating INTEGER NOT NULL,
    elapsed_ms INTEGER NOT NULL, answer TEXT NOT NULL, expected TEXT NOT NULL,
    state_before TEXT, undone INTEGER NOT NULL DEFAULT 0);
CREATE INDEX reviews_item ON reviews (card, template);
CREATE TABLE state (card TEXT NOT NULL, template TEXT NOT NULL, fsrs_card TEXT NOT NULL,
    due TEXT NOT NULL, PRIMARY KEY (card, template));
CREATE INDEX state_due ON state (due);
PRAGMA user_version = 1;
"""


def write_v1(path: Path, items: int = 3, answers: int = 3) -> list[tuple]:
    """A version-1 file as dlref 1 wrote it: every answer a review, quick ones rated Easy."""
    db = sqlite3.connect(path)
    db.executescript(V1_SCHEMA)
    log = []
    for i in range(items):
        card, when = None, T0
        for j in range(answers):
            correct = (i + j) % 3 != 0
            rating = 4 if correct and j % 2 else 3 if correct else 1  # old speed-based Easy
            before = None if card is None else card.to_json()
            card = card or fsrs.Card(card_id=0, due=when)
            card, _ = FSRS.review_card(card, fsrs.Rating(rating), when)
            row = (when.isoformat(timespec="microseconds"), f"c{i}", "t", j, int(correct),
                   rating, 2_000, "a", "b", before, 0)
            log.append(row)
            db.execute("INSERT INTO reviews (ts, card, template, seed, correct, rating,"
                       " elapsed_ms, answer, expected, state_before, undone)"
                       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", row)
            when = card.due
        db.execute("INSERT INTO state VALUES (?, ?, ?, ?)",
                   (f"c{i}", "t", card.to_json(), card.due.isoformat(timespec="microseconds")))
    db.commit()
    db.close()
    return log


def test_migration_from_version_1_keeps_every_review_and_its_meaning(path: Path) -> None:
    log = write_v1(path)
    states_before = dict(sqlite3.connect(path).execute(
        "SELECT card, fsrs_card FROM state").fetchall())
    with Store.open(path) as store:
        assert store._db.execute("PRAGMA user_version").fetchone()[0] == 3
        got = store.reviews()
        assert [r.rating for r in got] == [row[5] for row in log]  # speed-based Easy kept
        assert {r.kind for r in got} == {"review"}
        for r, row in zip(got, log, strict=True):
            before = row[9]
            if before is None:
                assert (r.phase, r.predicted) == (0, None)
            else:
                card = fsrs.Card.from_json(before)
                assert r.phase == int(card.state)
                assert r.predicted == pytest.approx(
                    FSRS.get_card_retrievability(card, datetime.fromisoformat(row[0])))
        assert {c: store.state(c, "t") for c in states_before} == states_before
        # and it goes on working: undo of a migrated review restores its state before
        last = store.undo()
        assert last is not None and store.state(last.card, "t") == log[-1][9]


def test_a_damaged_version_1_file_is_salvaged_into_the_current_version(path: Path) -> None:
    from tests.test_salvage import damage_pages

    log = write_v1(path, items=400, answers=10)
    damage_pages(path, seed=5, count=2)
    with Store.open(path) as store:
        assert store.recovered_from is not None
        got = store.reviews()
        assert len(got) + store.salvaged.lost_reviews == len(log)
        assert len(got) >= 0.8 * len(log)
        assert {r.kind for r in got} == {"review"}
        assert all(r.predicted is None or 0 <= r.predicted <= 1 for r in got)
        by_key = {(row[1], row[3]): row for row in log}
        assert all(r.rating == by_key[(r.card, r.seed)][5] for r in got)
        assert json.loads(store._db.execute("SELECT fsrs_card FROM state LIMIT 1")
                          .fetchone()[0])["card_id"] == 0


# -- personal parameters -----------------------------------------------------------------------


def test_log_loss_is_the_mean_over_reviews_a_day_apart() -> None:
    import math

    from dlref.quiz import schedule

    t1, t2, t3 = T0, T0 + timedelta(hours=2), T0 + timedelta(days=3)
    histories = {"a": [(t1, 3), (t2, 3), (t3, 1)], "b": [(t1, 3), (t1 + timedelta(days=5), 3)]}
    # by hand with fsrs: only the reviews a whole day after the previous one are scored
    card_a = fsrs_card([(3, t1), (3, t2)])
    card_b = fsrs_card([(3, t1)])
    p_a = FSRS.get_card_retrievability(card_a, t3)
    p_b = FSRS.get_card_retrievability(card_b, t1 + timedelta(days=5))
    expected = -(math.log(1 - p_a) + math.log(p_b)) / 2
    loss, n = schedule.log_loss(histories, FSRS)
    assert n == 2 and loss == pytest.approx(expected)
    assert schedule.due_review_count(histories) == 2
    train, held = schedule.split({k: [] for k in "abcdefghij"})
    assert len(held) == 2 and not set(train) & set(held) and len(train) + len(held) == 10


def test_saved_parameters_are_used_and_bad_files_ignored(tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    from dlref.quiz import schedule

    monkeypatch.setenv("DLREF_HOME", str(tmp_path))
    params = list(FSRS.parameters)
    params[0] = 0.9  # a different initial stability for Again
    schedule.save_parameters(tuple(params), {"default_log_loss": 0.4, "fitted_log_loss": 0.3})
    try:
        assert schedule.load_parameters() == tuple(params)
        mine = fsrs.Scheduler(parameters=params, enable_fuzzing=False)
        expected, _ = mine.review_card(fsrs.Card(card_id=0, due=T0), fsrs.Rating.Again, T0)
        assert schedule.review(None, 1, T0)[0] == expected.to_json()
        (tmp_path / schedule.PARAMS_FILE).write_text('{"parameters": [1, 2]}')
        schedule.reset_scheduler()
        assert schedule.load_parameters() is None
        assert schedule.scheduler() is schedule.DEFAULT_SCHEDULER
    finally:
        schedule.reset_scheduler()


def test_optimize_without_pytorch_says_which_extra(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util
    import sys

    from click.testing import CliRunner

    from dlref.cli import main

    if importlib.util.find_spec("torch") is not None:
        pytest.skip("PyTorch is installed: the optimizer would run")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    try:
        from make_store import generate
    finally:
        sys.path.pop(0)
    monkeypatch.setenv("DLREF_HOME", str(tmp_path))
    generate(tmp_path / "progress.sqlite3", reviews=6000, items=60)
    result = CliRunner().invoke(main, ["optimize"])
    assert result.exit_code == 1, result.output
    assert "pip install 'dlref[optimize]'" in result.stderr
    assert "Traceback" not in result.output


def test_optimize_fits_and_keeps_only_better_parameters(tmp_path: Path,
                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("torch")
    pytest.importorskip("pandas")
    import sys

    from click.testing import CliRunner

    from dlref.cli import main
    from dlref.quiz import schedule

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "benchmarks"))
    try:
        from make_store import generate
    finally:
        sys.path.pop(0)
    monkeypatch.setenv("DLREF_HOME", str(tmp_path))
    generate(tmp_path / "progress.sqlite3", reviews=4000, items=80)
    try:
        result = CliRunner().invoke(main, ["optimize"])
        assert result.exit_code == 0, result.output
        with Store.open(tmp_path / "progress.sqlite3") as store:
            _, held = schedule.split(store.histories())
        default, n = schedule.log_loss(held, FSRS)  # recomputed with fsrs's own scheduler
        assert f"held-out reviews ({n}): default {default:.4f}" in result.output
        saved = tmp_path / schedule.PARAMS_FILE
        if "are better" in result.output:
            data = json.loads(saved.read_text())
            assert len(data["parameters"]) == len(FSRS.parameters)
            fitted = fsrs.Scheduler(parameters=data["parameters"], enable_fuzzing=False)
            assert schedule.log_loss(held, fitted)[0] == pytest.approx(data["fitted_log_loss"])
            assert data["fitted_log_loss"] < default
        else:
            assert "not better" in result.output and not saved.exists()
    finally:
        schedule.reset_scheduler()


def test_an_answer_revealed_with_a_question_mark_cannot_be_regraded(path: Path) -> None:
    from dlref.quiz.session import Session

    with Store.open(path) as s:
        session = Session([generate("relu", "derivative", 1)], store=s)
        session.reveal(session.questions[0])
        with pytest.raises(ValueError, match="stays Again"):
            session.grade(4)
        assert [r.rating for r in s.reviews()] == [1]
