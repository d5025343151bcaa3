"""The schedule reflects what the learner remembers, not how they clicked: each test is a way of
clicking (undo, ?, a clock or a time zone that moves) that must not change what FSRS is told.
Real store in a temporary directory, real fsrs, the clock fixed through `now=`."""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs
import pytest
from click.testing import CliRunner
from quiz_helpers import wrong

from dlref.cli import main
from dlref.quiz.questions import generate
from dlref.quiz.session import Session, choose
from dlref.quiz.store import Store

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
FSRS = fsrs.Scheduler(enable_fuzzing=False)


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def typed(answer: object) -> str:
    return " ".join(map(repr, answer)) if isinstance(answer, list) else repr(answer)


# -- ? shows the answer: nothing typed after it is a recall ---------------------------------------


def test_an_answer_shown_with_a_question_mark_and_taken_back_stays_again(tmp_path: Path):
    """? then undo asked the same question again, and typing the answer just shown was a right
    answer rated Good: the item graduated a learning step on an answer it had read. The
    grade keys already refuse to lift a ? above Again; undo must not be the way round."""
    q = generate("relu", "derivative", 1)
    with Store.open(tmp_path / "p.sqlite3") as store:
        session = Session([q], store)
        session.reveal(q, 0, now=T0)
        session.undo()
        outcome = session.answer(q, typed(q.answer), 900, now=T0 + timedelta(seconds=20))
        assert (outcome.rating, outcome.revealed) == (1, True)
        with pytest.raises(ValueError, match="stays Again"):
            session.grade(3)
        [review] = store.reviews()
        assert (review.rating, review.correct) == (1, False)
        expected, _ = FSRS.review_card(fsrs.Card(card_id=0, due=T0), fsrs.Rating.Again,
                                       T0 + timedelta(seconds=20))
        assert store.state("relu", "derivative") == expected.to_json()


def test_the_cli_says_why_an_answer_after_a_question_mark_counts_as_again():
    qs = json.loads(run("quiz", "relu", "--seed", "1", "-n", "2", "--new", "5",
                        "--json-questions").stdout)
    out = run("quiz", "relu", "--seed", "1", "-n", "2", "--new", "5",
              stdin=f"?\nundo\n{typed(qs[0]['answer'])}\n")
    assert out.exit_code == 0, out.output
    after = out.stdout.split("took back")[1]
    assert "✓ right" not in after
    assert "answer was shown with ? before" in after
    stats = json.loads(run("stats", "--json").stdout)
    assert (stats["reviews"], stats["correct"]) == (1, 0)


def test_a_wrong_answer_graded_good_does_not_come_back_as_a_relearning_step(tmp_path: Path):
    """Wrong, then graded Good after the verdict (a slip, the learner says): the fresh draw
    queued for the failure still came back 3 questions later and, answered right under the
    learn-ahead allowed to failed items, graduated the new item to a 2-day interval within
    a minute, further than a right first answer gets (a 10-minute step). Graded Good, it
    is treated as a right answer: no retry queued, no learn-ahead."""
    q = generate("relu", "derivative", 1)
    other = generate("relu", "value", 1)
    with Store.open(tmp_path / "p.sqlite3") as store:
        session = Session([q, other], store)
        failing = session.answer(q, wrong(q), 900, now=T0)
        retry = failing.requeued
        assert retry is not None and retry in session.questions
        graded = session.grade(3)
        assert graded.requeued is None and retry not in session.questions
        assert session.questions == [q, other]
        # were it asked anyway (the app still showing it), it is practice: not due yet
        late = session.answer(retry, typed(retry.answer), 900, now=T0 + timedelta(seconds=30))
        assert late.kind == "practice"
        expected, _ = FSRS.review_card(fsrs.Card(card_id=0, due=T0), fsrs.Rating.Good, T0)
        assert store.state("relu", "derivative") == expected.to_json()
        # graded Again once more: it fails again, and comes back
        session.undo()
        again = session.grade(1)
        assert again.requeued is not None and again.requeued in session.questions


def test_the_cli_says_a_wrong_answer_graded_good_does_not_come_back():
    from test_sr_cli import drive

    qs = json.loads(run("quiz", "relu", "-n", "2", "--seed", "1", "--json-questions").stdout)
    assert "options" in qs[0] and "options" not in qs[1]  # the second one can be redrawn
    out = drive(["quiz", "relu", "-n", "2", "--seed", "1"],
                [("> ", typed(qs[0]["answer"]).encode() + b"\n"), ("Enter = Good", b"\r"),
                 ("> ", " ".join("9" for _ in qs[1]["answer"]).encode() + b"\n"),
                 ("Enter = Again", b"g")])
    assert "it comes back later" in out and "→ graded Good" in out
    assert "it does not come back in this session" in out.split("→ graded Good")[-1]
    assert "[3/" not in out and "Score 1/2" in out
    with Store.open() as store:
        assert [r.rating for r in store.reviews()] == [3, 3]


# -- the clock ----------------------------------------------------------------------------------


def test_a_clock_set_back_before_the_last_review_moves_no_schedule(tmp_path: Path):
    """Failed at 09:00, the system clock then set back to 08:55: the retry 'at 08:56' was a
    review dated before the one it follows (learn-ahead made the 1-minute step due), with a
    negative elapsed time, so the stored state was no longer what fsrs gives for the log in
    time order (which is how its Optimizer replays it). It is practice: the item stays due."""
    q = generate("relu", "derivative", 1)
    with Store.open(tmp_path / "p.sqlite3") as store:
        session = Session([q], store)
        failing = session.answer(q, wrong(q), 900, now=T0)
        assert failing.rating == 1 and failing.requeued is not None
        failed = store.state("relu", "derivative")
        retry = failing.requeued
        outcome = session.answer(retry, typed(retry.answer), 900,
                                 now=T0 - timedelta(minutes=4))
        assert outcome.correct and outcome.kind == "practice"
        assert store.state("relu", "derivative") == failed
        # with the clock right again, the same retry is a review, as fsrs has it
        later = T0 + timedelta(minutes=1)
        session.undo()
        assert session.answer(retry, typed(retry.answer), 900, now=later).kind == "review"
        card = fsrs.Card(card_id=0, due=T0)
        for rating, when in ((fsrs.Rating.Again, T0), (fsrs.Rating.Good, later)):
            card, _ = FSRS.review_card(card, rating, when)
        assert store.state("relu", "derivative") == card.to_json()


# -- days are the learner's days ------------------------------------------------------------------


@pytest.fixture
def zone() -> Iterator[Callable[[str], None]]:
    """Set the system's time zone (TZ) for this test; the one before comes back after it."""
    before = os.environ.get("TZ")

    def set_zone(name: str) -> None:
        os.environ["TZ"] = name
        time.tzset()

    yield set_zone
    if before is None:
        os.environ.pop("TZ", None)
    else:
        os.environ["TZ"] = before
    time.tzset()


def at(local: str, offset_hours: float) -> datetime:
    """A moment written as the learner's wall clock and its UTC offset then."""
    return (datetime.fromisoformat(local) - timedelta(hours=offset_hours)).replace(tzinfo=UTC)


def first_reviews(store: Store, when: datetime, *templates: str) -> None:
    for template in templates:
        store.record("relu", template, 1, True, 0, "1", "1", now=when)


def relu_cards() -> list:
    from dlref.cards.library import card_by_file

    return [card_by_file("relu")]


def test_the_new_item_limit_is_per_local_day_not_per_utc_day(tmp_path: Path, zone):
    """In Shanghai (UTC+8) the UTC day turns at 08:00: two new items at 07:30 and the limit
    of 2 was there again at 08:30, the same morning. In Los Angeles it turned at 16:00."""
    zone("Asia/Shanghai")
    with Store.open(tmp_path / "p.sqlite3") as store:
        first_reviews(store, at("2026-03-02T07:30", 8), "value", "derivative")
        later = at("2026-03-02T08:30", 8)
        assert store.new_today(later) == 2
        plan = choose(relu_cards(), 10, 1, store, now=later, new_limit=2)
        assert plan.new == 0
        # at record time too (two sessions at once): a third new item is practice today
        rid = store.record("relu", "tf-grad-sign", 1, True, 0, "2", "2", now=later, new_limit=2)
        assert store.get(rid).kind == "practice"
        assert store.new_today(at("2026-03-03T00:10", 8)) == 0  # local midnight: a new day
    zone("America/Los_Angeles")
    with Store.open(tmp_path / "la.sqlite3") as store:
        first_reviews(store, at("2026-03-02T15:00", -8), "value", "derivative")
        assert store.new_today(at("2026-03-02T17:00", -8)) == 2  # 01:00 UTC the next day


def test_a_time_zone_change_between_sessions_counts_the_day_where_the_learner_is(
        tmp_path: Path, zone):
    """Two new items on Monday evening in Shanghai; flown to Los Angeles, where it is still
    Monday morning: the day's new items are done. On Tuesday there, room again."""
    zone("Asia/Shanghai")
    with Store.open(tmp_path / "p.sqlite3") as store:
        first_reviews(store, at("2026-03-02T22:00", 8), "value", "derivative")
        zone("America/Los_Angeles")
        assert store.new_today(at("2026-03-02T08:00", -8)) == 2
        assert store.new_today(at("2026-03-03T08:00", -8)) == 0


def test_the_local_day_holds_23_hours_when_daylight_saving_starts(tmp_path: Path, zone):
    """Los Angeles, 8 March 2026: midnight is PST (UTC-8), the next midnight PDT (UTC-7)."""
    zone("America/Los_Angeles")
    from dlref.quiz.schedule import local_day

    start, end = local_day(at("2026-03-08T23:00", -7))
    assert (start, end - start) == (at("2026-03-08T00:00", -8), timedelta(hours=23))
    with Store.open(tmp_path / "p.sqlite3") as store:
        first_reviews(store, at("2026-03-07T23:30", -8), "value")  # Saturday night
        first_reviews(store, at("2026-03-08T00:30", -8), "derivative")  # Sunday
        assert store.new_today(at("2026-03-08T23:00", -7)) == 1


def test_stats_count_the_learners_days(tmp_path: Path, zone):
    """Monday 17:50 in Los Angeles is Tuesday 01:50 UTC: an item due Tuesday 10:00 was counted
    as due 'today', Monday's answers were Tuesday's on the heatmap, and Sunday then Monday
    was no streak."""
    zone("America/Los_Angeles")
    now = at("2026-03-02T17:50", -8)
    with Store.open(tmp_path / "p.sqlite3") as store:
        first_reviews(store, at("2026-03-01T09:50", -8), "value")  # Sunday
        first_reviews(store, at("2026-03-01T10:00", -8), "value")  # graduates: due in 2 days
        assert store.next_due(now) == at("2026-03-03T00:00", -8)  # due all Tuesday
        first_reviews(store, at("2026-03-02T17:00", -8), "derivative")  # Monday: due 17:10
        s = store.stats(now=now)
    assert s["due_now"] == 1
    assert s["due_next_7_days"] == [1, 1, 0, 0, 0, 0, 0]
    assert s["daily_reviews"] == {"2026-03-01": 2, "2026-03-02": 1}
    assert s["streak"] == 2


def test_stats_name_the_week_from_the_learners_today(zone):
    """`dlref stats` named the days after 'today' from the UTC date: on a Monday evening in
    Los Angeles it read 'today 3  Wed 0 …'. A zone whose date is not UTC's right now."""
    from dlref.i18n import t

    zone("Pacific/Kiritimati" if datetime.now(UTC).hour >= 11 else "Etc/GMT+12")
    today = datetime.now().astimezone().date()
    assert today != datetime.now(UTC).date()
    with Store.open() as store:
        store.record("relu", "value", 1, True, 0, "1", "1")  # due in 10 minutes: today
    out = run("stats")
    assert out.exit_code == 0, out.output
    names = t("stats.weekday-names", "en").split()
    assert f"today 1  {names[(today + timedelta(days=1)).weekday()]} 0" in out.stdout
    letters = t("stats.weekdays", "en")
    [row] = [line for line in out.stdout.splitlines()
             if line.startswith(f"  {letters[today.weekday()]} ") and line.rstrip()[-1] != "·"]
    assert row.rstrip()[-1] in "░▒▓█"  # today's answer in today's row, the latest week


# -- the fsrs API -------------------------------------------------------------------------------


def test_a_parameters_file_fsrs_refuses_is_ignored_not_a_stopped_quiz(tmp_path: Path):
    """fsrs.Scheduler checks each parameter's bounds; a saved file with one outside them
    (edited by hand, or from another FSRS version) made every answer fail to save, with a
    message blaming the progress file's contents."""
    from dlref.quiz import schedule

    params = list(fsrs.Scheduler().parameters)
    params[4] = 99.0  # bounds 1..10
    path = tmp_path / "dlref-home" / schedule.PARAMS_FILE
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"parameters": params}), encoding="utf-8")
    assert schedule.load_parameters(path) is None
    schedule.reset_scheduler()
    try:
        q = generate("relu", "derivative", 1)
        with Store.open() as store:
            Session([q], store).answer(q, typed(q.answer), 900, now=T0)
            expected, _ = FSRS.review_card(fsrs.Card(card_id=0, due=T0), fsrs.Rating.Good, T0)
            assert store.state("relu", "derivative") == expected.to_json()
    finally:
        schedule.reset_scheduler()


def test_due_and_undo_times_are_the_learners_clock(tmp_path: Path, zone):
    """Days are the learner's, so are the times beside them: in Shanghai an item due at
    09:00 UTC is due at 17:00 CST, and `dlref undo` dates the answer it takes back on that
    clock too. They read "09:00 UTC" whatever the zone."""
    from click.testing import CliRunner

    from dlref.cli import main
    from dlref.quiz.session import due_text

    zone("Asia/Shanghai")
    now = datetime(2026, 3, 4, 8, 50, tzinfo=UTC)
    soon, later = now + timedelta(minutes=10), now + timedelta(days=1)
    assert due_text(soon, now)["en"] == "in 11 min (17:00 CST)"
    assert due_text(soon, now)["zh"] == "11 分钟后（17:00 CST）"
    assert due_text(later, now) == {"en": "2026-03-05 16:50 CST", "zh": "2026-03-05 16:50 CST"}
    home = tmp_path / "home"
    home.mkdir()
    with Store.open(home / "progress.sqlite3") as store:
        store.record("relu", "value", 1, True, 0, "1", "1", now=now)
    result = CliRunner().invoke(main, ["undo", "--lang", "en"], env={"DLREF_HOME": str(home)})
    assert result.exit_code == 0 and "(2026-03-04 16:50 CST)" in result.output


def test_a_review_is_due_all_of_its_due_date_on_the_learners_calendar(tmp_path: Path, zone):
    """Reviewed at 21:00 with an interval of N days, an item was due only from 21:00 on day
    N: a session at 20:30 that day found nothing due and the item waited another day, so
    each slightly earlier session made every interval a day longer. Now, as Anki's review
    cards, it is due from that day's local midnight: planned, and recorded as a review."""
    from dlref.quiz import schedule

    zone("Asia/Shanghai")
    with Store.open(tmp_path / "p.sqlite3") as store:
        first_reviews(store, at("2026-03-01T20:50", 8), "value")
        first_reviews(store, at("2026-03-01T21:00", 8), "value")  # graduates to review
        state = store.state("relu", "value")
        assert json.loads(state)["state"] == fsrs.State.Review
        day = schedule.local_date(schedule.due(state))
        evening = schedule.due(state).astimezone()
        assert evening.hour == 21  # due at the time of day it was answered, on `day`
        before = at(f"{day.isoformat()}T20:30", 8)
        eve = at(f"{(day - timedelta(days=1)).isoformat()}T23:59", 8)
        assert store.due(eve) == [] and store.stats(now=eve)["due_now"] == 0
        assert store.next_due(eve) == at(f"{day.isoformat()}T00:00", 8)  # its midnight
        assert [(c, t) for c, t, _ in store.due(before)] == [("relu", "value")]
        assert store.stats(now=before)["due_now"] == 1
        plan = choose(relu_cards(), 10, 1, store, now=before, new_limit=0)
        assert plan.due == 1
        rid = store.record("relu", "value", 2, True, 0, "1", "1", now=before)
        assert store.get(rid).kind == "review" and store.get(rid).phase == 2
