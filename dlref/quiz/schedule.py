"""A thin wrapper over the FSRS scheduler (py-fsrs 6.x): ratings, reviews, retrievability.

The rest of dlref never touches `fsrs` objects: scheduler state travels as the JSON string
`fsrs.Card.to_json()` produces, which is what the progress store keeps per (card, template).

Determinism: fsrs fuzzes Review-state intervals by default with the global `random` module,
so the same answers at the same times could give different due dates. Fuzzing only spreads
reviews of items learnt on the same day over neighbouring days; for a personal quiz of a few
hundred items that matters little, while reproducible due dates matter for tests and for
`dlref quiz --seed`. It is therefore switched off (`enable_fuzzing=False`).

All datetimes are UTC. A naive datetime is taken to be UTC already.
"""

from __future__ import annotations

from datetime import UTC, datetime

import fsrs

#: An answer that is right and given in under this many milliseconds is rated Easy.
#: Questions need a little arithmetic, so answering one in under 10 s means it is well known.
QUICK_MS = 10_000

#: The one scheduler: FSRS default parameters, 90 % desired retention, no fuzzing (see above).
SCHEDULER = fsrs.Scheduler(enable_fuzzing=False)

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


def rating_for(correct: bool, elapsed_ms: int | None) -> fsrs.Rating:
    """The FSRS rating of an answer: wrong → Again; right → Good, or Easy if under QUICK_MS.

    Hard is never used: a numeric answer is right or wrong, and slowness is not a lapse.
    An unknown or negative time counts as not quick.
    """
    if not correct:
        return fsrs.Rating.Again
    if elapsed_ms is not None and 0 <= elapsed_ms < QUICK_MS:
        return fsrs.Rating.Easy
    return fsrs.Rating.Good


def review(state_json: str | None, rating: fsrs.Rating | int,
           now: datetime | None = None) -> tuple[str, datetime]:
    """Apply one review to an item's state: returns (new state JSON, when it is due next).

    `state_json` None means the item has never been reviewed. Same inputs, same outputs.
    """
    now = utc(now)
    card = (fsrs.Card(card_id=_CARD_ID, due=now) if state_json is None
            else fsrs.Card.from_json(state_json))
    card, _log = SCHEDULER.review_card(card, fsrs.Rating(int(rating)), review_datetime=now)
    return card.to_json(), utc(card.due)


def due(state_json: str) -> datetime:
    """When an item with this state is due (UTC)."""
    return utc(fsrs.Card.from_json(state_json).due)


def retrievability(state_json: str | None, now: datetime | None = None) -> float:
    """FSRS's predicted probability (0..1) of recalling the item at `now`; 0 if never reviewed.

    fsrs counts elapsed time in whole days, so this stays at 1.0 on the day of a review.
    """
    if state_json is None:
        return 0.0
    card = fsrs.Card.from_json(state_json)
    return float(SCHEDULER.get_card_retrievability(card, current_datetime=utc(now)))


__all__ = ["QUICK_MS", "SCHEDULER", "rating_for", "retrievability", "review", "due", "utc"]
