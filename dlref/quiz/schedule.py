"""A thin wrapper over the FSRS scheduler (py-fsrs 6.x): ratings, reviews, retrievability.

The rest of dlref never touches `fsrs` objects: scheduler state travels as the JSON string
`fsrs.Card.to_json()` produces, which is what the progress store keeps per (card, template).

Determinism: fsrs fuzzes Review-state intervals by default with the global `random` module,
so the same answers at the same times could give different due dates. Fuzzing only spreads
reviews of items learnt on the same day over neighbouring days; for a personal quiz of a few
hundred items that matters little, while reproducible due dates matter for tests and for
`dlref quiz --seed`. It is therefore switched off (`enable_fuzzing=False`).

All datetimes are UTC. A naive datetime is taken to be UTC already. Days that a learner
counts (the daily new-item limit, "today") are local calendar days, in the time zone the
system is set to when counting (`local_day`): a learner in Shanghai or Los Angeles has the
same day as their calendar, not one that turns at 08:00 or 16:00.
"""

from __future__ import annotations

import json
import os
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

import fsrs

#: Ratings as stored (fsrs.Rating values).
AGAIN, HARD, GOOD, EASY = 1, 2, 3, 4
RATINGS = (AGAIN, HARD, GOOD, EASY)

#: Anki's "learn ahead limit": inside a session, an item failed in that session (in a
#: learning or relearning step) may be reviewed again this much before its step has elapsed.
LEARN_AHEAD = timedelta(minutes=20)

#: The parameters file `dlref optimize` writes (beside the progress store), if any.
PARAMS_FILE = "fsrs-parameters.json"


def _params_path() -> Path:
    from dlref.quiz.store import default_path

    return default_path().with_name(PARAMS_FILE)


def load_parameters(path: Path | None = None) -> tuple[float, ...] | None:
    """Personal FSRS parameters written by `dlref optimize`, or None (use the defaults).

    A file that does not read as a list of parameters fsrs takes (the right number of
    floats, each within fsrs's bounds) is ignored.
    """
    path = _params_path() if path is None else path
    try:
        values = json.loads(path.read_text(encoding="utf-8"))["parameters"]
        params = tuple(float(v) for v in values)
        fsrs.Scheduler(parameters=params)  # ValueError: a wrong count, or one out of bounds
    except (OSError, ValueError, TypeError, KeyError):
        return None
    return params


def make_scheduler(parameters: tuple[float, ...] | None = None) -> fsrs.Scheduler:
    """An fsrs Scheduler: these parameters (default FSRS-6 ones if None), 90 % desired
    retention, no fuzzing (see above)."""
    if parameters is None:
        return fsrs.Scheduler(enable_fuzzing=False)
    return fsrs.Scheduler(parameters=parameters, enable_fuzzing=False)


#: FSRS with default parameters (what `dlref optimize` compares against).
DEFAULT_SCHEDULER = make_scheduler()
_in_use: list[fsrs.Scheduler] = []


def scheduler() -> fsrs.Scheduler:
    """The scheduler in use: the learner's own parameters if `dlref optimize` saved better ones
    (unless DLREF_DEFAULT_PARAMETERS is set), else FSRS's defaults. Read once per process."""
    if not _in_use:
        params = None if os.environ.get("DLREF_DEFAULT_PARAMETERS") else load_parameters()
        _in_use.append(DEFAULT_SCHEDULER if params is None else make_scheduler(params))
    return _in_use[0]


def reset_scheduler() -> None:
    """Forget the scheduler in use (after `dlref optimize` saved parameters, and in tests)."""
    _in_use.clear()

# fsrs uses card_id only to label its ReviewLog; a constant keeps the stored JSON reproducible
# (by default it is the creation time in milliseconds, and creating a Card sleeps 1 ms).
_CARD_ID = 0


def utc(moment: datetime | None = None) -> datetime:
    """`moment` (default: now) as an aware UTC datetime; naive input is taken to be UTC.

    fsrs refuses anything whose tzinfo is not exactly `timezone.utc`, hence the conversion.
    """
    if moment is None:
        return datetime.now(UTC)
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def local_date(moment: datetime | None = None) -> date:
    """The learner's calendar date at `moment` (default: now), in the system's time zone."""
    return utc(moment).astimezone().date()


def local_day(moment: datetime | None = None) -> tuple[datetime, datetime]:
    """The local calendar day holding `moment`, as UTC [start, end): from one local midnight
    to the next, so 23 or 25 hours on a daylight-saving change."""
    day = local_date(moment)
    start, end = (datetime.combine(d, time()).astimezone()  # naive: local, DST and all
                  for d in (day, day + timedelta(days=1)))
    return utc(start), utc(end)


def rating_for(correct: bool) -> int:
    """The default rating of an answer, as the FSRS maintainers advise for right/wrong grading:
    wrong → Again, right → Good. The learner may change it (Hard, Easy) after the verdict;
    how fast the answer came never matters.
    """
    return GOOD if correct else AGAIN


def check_rating(rating: object) -> int:
    """`rating` as an int 1..4; ValueError naming it otherwise."""
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS:
        raise ValueError(f"rating must be 1 (Again), 2 (Hard), 3 (Good) or 4 (Easy), "
                         f"not {rating!r}")
    return rating


def review(state_json: str | None, rating: fsrs.Rating | int,
           now: datetime | None = None) -> tuple[str, datetime]:
    """Apply one review to an item's state: returns (new state JSON, when it is due next).

    `state_json` None means the item has never been reviewed. Same inputs, same outputs.
    """
    now = utc(now)
    card = (fsrs.Card(card_id=_CARD_ID, due=now) if state_json is None
            else fsrs.Card.from_json(state_json))
    card, _log = scheduler().review_card(card, fsrs.Rating(int(rating)), review_datetime=now)
    return card.to_json(), utc(card.due)


def is_due(state_json: str | None, now: datetime | None = None,
           learn_ahead: bool = False) -> bool:
    """Whether answering the item now is a scheduled review (else it is practice).

    A new item (no state) is due; otherwise its due time must have come (for an item in
    review, its due date: `due_at`). With `learn_ahead`
    (an item failed earlier in the same session), an item in a learning or relearning step
    is due up to LEARN_AHEAD early, as in Anki.

    Never before the item's last review: a clock set back would otherwise date a review
    before the one it follows (fsrs then sees a negative elapsed time, and replaying the log
    in time order, as its Optimizer does, gives another state than the one stored).
    """
    if state_json is None:
        return True
    card = fsrs.Card.from_json(state_json)
    now = utc(now)
    if card.last_review is not None and now < utc(card.last_review):
        return False
    if learn_ahead and card.state != fsrs.State.Review:
        return utc(card.due) <= now + LEARN_AHEAD
    return due_at(card.due, card.state == fsrs.State.Review, now)


def due_at(due: datetime, in_review: bool, now: datetime | None = None) -> bool:
    """Whether an item due at `due` is due at `now`. An item in FSRS's Review state (its
    interval whole days) is due all of its due date, on the learner's calendar, as Anki's
    review cards are: reviewed at 21:00, it is due at 20:30 N days on, not only from 21:00,
    so a session a little earlier than the last does not push every item a day late. A
    learning step (minutes) is due at its time."""
    if in_review:
        return local_date(due) <= local_date(now)
    return utc(due) <= utc(now)


def available_from(due: datetime, in_review: bool) -> datetime:
    """When an item due at `due` becomes due (`due_at`): a review item at the local midnight
    that starts its due date, a learning step at its time (UTC)."""
    return local_day(due)[0] if in_review else utc(due)


def phase(state_json: str | None) -> int:
    """The item's FSRS state before a review: 0 new, 1 learning, 2 review, 3 relearning."""
    return 0 if state_json is None else int(fsrs.Card.from_json(state_json).state)


def due(state_json: str) -> datetime:
    """When an item with this state is due (UTC)."""
    return utc(fsrs.Card.from_json(state_json).due)


def recall(stability: float | None, last_review: datetime | None,
           now: datetime | None = None) -> float:
    """FSRS's forgetting curve from an item's stability and last review, as
    `Scheduler.get_card_retrievability` computes it (whole elapsed days; 0 if never
    reviewed), without decoding the item's JSON: `dlref stats` does this for every item."""
    if stability is None or last_review is None:
        return 0.0
    decay = -scheduler().parameters[20]
    factor = 0.9 ** (1 / decay) - 1
    days = max(0, (utc(now) - utc(last_review)).days)
    return float((1 + factor * days / stability) ** decay)


def retrievability(state_json: str | None, now: datetime | None = None) -> float:
    """FSRS's predicted probability (0..1) of recalling the item at `now`; 0 if never reviewed.

    fsrs counts elapsed time in whole days, so this stays at 1.0 on the day of a review.
    """
    if state_json is None:
        return 0.0
    card = fsrs.Card.from_json(state_json)
    return float(scheduler().get_card_retrievability(card, current_datetime=utc(now)))


# -- personal parameters (`dlref optimize`) ------------------------------------------------------

#: Due reviews (Review-state, a day or more apart) the optimizer needs before fitting: the
#: FSRS documentation advises about a thousand reviews; fewer mostly fit noise.
OPTIMIZE_MIN = 1000
#: Share of items held out to compare default and fitted parameters.
HOLD_OUT = 0.2

History = list[tuple[datetime, int]]  # one item's (time, rating) reviews, oldest first


def due_review_count(histories: dict[object, History]) -> int:
    """Reviews the optimizer learns from: those of an item in FSRS's Review state a whole day
    or more after the previous review (what fsrs's Optimizer counts), under default
    parameters."""
    count = 0
    for history in histories.values():
        card = None
        for when, rating in history:
            if card is not None and card.last_review and (when - card.last_review).days > 0:
                count += 1
            card = card or fsrs.Card(card_id=0, due=when)
            card, _ = DEFAULT_SCHEDULER.review_card(card, fsrs.Rating(rating), when)
    return count


def log_loss(histories: dict[object, History], scheduler: fsrs.Scheduler) -> tuple[float, int]:
    """(mean log-loss, reviews scored) of `scheduler`'s predicted recall against what happened:
    every review a day or more after the item's previous one is scored with p = the item's
    retrievability then and y = 0 for Again, 1 otherwise; the item is then reviewed with the
    recorded rating. As in the srs-benchmark, lower is better."""
    import math

    total, n = 0.0, 0
    for history in histories.values():
        card = None
        for when, rating in history:
            if card is not None and card.last_review and (when - card.last_review).days > 0:
                p = min(max(scheduler.get_card_retrievability(card, when), 1e-6), 1 - 1e-6)
                y = 0 if rating == AGAIN else 1
                total -= y * math.log(p) + (1 - y) * math.log(1 - p)
                n += 1
            card = card or fsrs.Card(card_id=0, due=when)
            card, _ = scheduler.review_card(card, fsrs.Rating(rating), when)
    return (total / n if n else float("nan")), n


def split(histories: dict[object, History]) -> tuple[dict[object, History],
                                                      dict[object, History]]:
    """(train, held out): every fifth item, in a stable order, is held out."""
    keys = sorted(histories, key=str)
    held = set(keys[::round(1 / HOLD_OUT)])
    return ({k: v for k, v in histories.items() if k not in held},
            {k: v for k, v in histories.items() if k in held})


def fit(histories: dict[object, History]) -> tuple[float, ...]:
    """FSRS parameters fitted to these histories with fsrs's own Optimizer (needs PyTorch:
    ImportError otherwise)."""
    from fsrs.optimizer import Optimizer

    ids = {key: k for k, key in enumerate(sorted(histories, key=str))}
    logs = [fsrs.ReviewLog(card_id=ids[key], rating=fsrs.Rating(rating), review_datetime=when,
                           review_duration=None)
            for key, history in histories.items() for when, rating in history]
    return tuple(Optimizer(logs).compute_optimal_parameters())


def save_parameters(params: tuple[float, ...], report: dict[str, object],
                    path: Path | None = None) -> Path:
    """Write the fitted parameters (and how they compared) where `load_parameters` reads."""
    path = _params_path() if path is None else path
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({"parameters": list(params), **report}, indent=2) + "\n",
                    encoding="utf-8")
    reset_scheduler()
    return path


__all__ = ["AGAIN", "DEFAULT_SCHEDULER", "EASY", "GOOD", "HARD", "LEARN_AHEAD", "RATINGS",
           "available_from", "check_rating", "due", "due_at", "is_due", "load_parameters",
           "local_date", "local_day", "make_scheduler", "phase", "rating_for",
           "recall", "reset_scheduler", "retrievability", "review", "scheduler", "utc",
           "OPTIMIZE_MIN", "due_review_count", "fit", "log_loss", "save_parameters", "split"]
