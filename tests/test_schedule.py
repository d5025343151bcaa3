"""dlref.quiz.schedule: ratings, FSRS reviews through JSON state, determinism."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta, timezone

import fsrs
import pytest

from dlref.quiz import schedule
from dlref.quiz.schedule import is_due, rating_for, retrievability, review

NOW = datetime(2025, 3, 1, 9, 30, tzinfo=UTC)
Again, Good, Easy = fsrs.Rating.Again, fsrs.Rating.Good, fsrs.Rating.Easy


def test_rating_mapping_ignores_speed() -> None:
    # the FSRS maintainers' advice for right/wrong grading; speed is not an argument at all
    assert rating_for(False) == Again and rating_for(True) == Good


@pytest.mark.parametrize("bad", [0, 5, True, 3.0, "3", None])
def test_check_rating_names_the_argument(bad: object) -> None:
    with pytest.raises(ValueError, match="rating"):
        schedule.check_rating(bad)


def test_is_due_new_item_and_after_its_step() -> None:
    assert is_due(None, NOW)
    state, due = review(None, Good, NOW)  # a learning step (10 min in FSRS-6's defaults)
    assert not is_due(state, NOW + timedelta(minutes=1))
    assert is_due(state, due)
    # failed in this session: a learning step may be taken up to 20 minutes early (Anki)
    failed, when = review(None, Again, NOW)
    assert not is_due(failed, NOW + timedelta(seconds=5))
    assert is_due(failed, NOW + timedelta(seconds=5), learn_ahead=True)
    # a Review-state item is due all of its due date (Anki's review cards), never the day
    # before, learn-ahead or not (tests run in UTC: the date is UTC's)
    ripe, ripe_due = matured()
    midnight = ripe_due.replace(hour=0, minute=0, second=0, microsecond=0)
    assert is_due(ripe, midnight) and ripe_due - midnight > timedelta(minutes=5)
    assert not is_due(ripe, midnight - timedelta(seconds=1), learn_ahead=True)


def matured(days: int = 4) -> tuple[str, datetime]:
    """An item answered right (Good) each time it fell due, `days` times."""
    state, due = review(None, Good, NOW)
    for _ in range(days):
        state, due = review(state, Good, due)
    assert json.loads(state)["state"] == fsrs.State.Review
    return state, due


def test_wrong_answer_is_due_sooner_than_right_one() -> None:
    assert review(None, Again, NOW)[1] < review(None, Good, NOW)[1]
    state, when = matured()
    assert review(state, Again, when)[1] < review(state, Good, when)[1]
    assert review(state, Again, when)[1] - when <= timedelta(days=1)


def test_easy_is_due_later_than_good() -> None:
    assert review(None, Easy, NOW)[1] > review(None, Good, NOW)[1]
    state, when = matured()
    assert review(state, Easy, when)[1] > review(state, Good, when)[1]


def test_due_is_after_the_review_and_utc() -> None:
    for rating in (Again, Good, Easy):
        state, due = review(None, rating, NOW)
        assert due > NOW and due.utcoffset() == timedelta(0)
        assert schedule.due(state) == due


def test_same_inputs_same_due_date_no_fuzz() -> None:
    assert schedule.scheduler().enable_fuzzing is False
    state, when = matured(6)
    assert [review(state, Good, when) for _ in range(20)] == [review(state, Good, when)] * 20


def test_state_round_trips_through_json() -> None:
    state, when = matured()
    card = fsrs.Card.from_json(state)
    assert card.to_json() == state
    assert fsrs.Card.from_dict(json.loads(state)).to_dict() == json.loads(state)
    # reviewing the object directly gives the same as going through the JSON wrapper
    direct, _log = fsrs.Scheduler(enable_fuzzing=False).review_card(card, Good, when)
    assert review(state, Good, when) == (direct.to_json(), direct.due)


def test_naive_and_non_utc_datetimes_are_taken_as_utc() -> None:
    plus8 = timezone(timedelta(hours=8))
    assert review(None, Easy, NOW.replace(tzinfo=None)) == review(None, Easy, NOW)
    assert review(None, Easy, NOW.astimezone(plus8)) == review(None, Easy, NOW)


def test_retrievability() -> None:
    assert retrievability(None, NOW) == 0.0
    state, due = matured()
    when = datetime.fromisoformat(json.loads(state)["last_review"])
    assert retrievability(state, when) == pytest.approx(1.0)
    assert retrievability(state, when + timedelta(hours=23)) == pytest.approx(1.0)  # whole days
    assert retrievability(state, due) == pytest.approx(0.9, abs=0.01)  # desired retention
    later = [retrievability(state, when + timedelta(days=d)) for d in (1, 10, 100)]
    assert 1.0 > later[0] > later[1] > later[2] > 0.0
    expected = fsrs.Scheduler().get_card_retrievability(fsrs.Card.from_json(state),
                                                        when + timedelta(days=10))
    assert later[1] == pytest.approx(expected)
