"""Generate a progress store of N reviews (default 100 000) for benchmarks and tests.

Usage: python benchmarks/make_store.py PATH [--reviews N] [--items K] [--seed S]

A year of a learner's history, simulated with FSRS itself: K items (default 400) start on
random days; each is reviewed when due, recalled with probability equal to FSRS's predicted
recall (so the calibration table has something true to show), rated Again or Good, with a
little practice in between. Rows are written in one transaction through the store's own
schema (format 3; no answer diagnosed), so `dlref stats` reads them as it reads a real store.
"""

from __future__ import annotations

import argparse
import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import fsrs

from dlref.quiz.store import Store


def generate(path: Path, reviews: int = 100_000, items: int = 400, seed: int = 0,
             end: datetime | None = None) -> int:
    """Write a store of `reviews` answers at `path` (which must not exist); returns the count."""
    rnd = random.Random(seed)
    end = end or datetime.now(UTC)
    start = end - timedelta(days=365)
    scheduler = fsrs.Scheduler(enable_fuzzing=False)
    cards: dict[int, fsrs.Card] = {}
    # every item's next review time; a heap would be faster, a sorted scan is clear enough
    clock = {k: start + timedelta(minutes=rnd.randrange(365 * 24 * 60)) for k in range(items)}
    rows = []
    while len(rows) < reviews:
        k = min(clock, key=clock.__getitem__)
        when = clock[k]
        if when > end:  # the year is full: wrap around with a fresh item
            k = max(clock) + 1
            when = start + timedelta(minutes=rnd.randrange(365 * 24 * 60))
        card = cards.get(k)
        before = None if card is None else card.to_json()
        p = 0.0 if card is None else scheduler.get_card_retrievability(card, when)
        phase = 0 if card is None else int(card.state)
        correct = rnd.random() < (0.7 if card is None else p)
        rating = fsrs.Rating.Good if correct else fsrs.Rating.Again
        card = card or fsrs.Card(card_id=0, due=when)
        card, _ = scheduler.review_card(card, rating, when)
        cards[k] = card
        rows.append((when.isoformat(timespec="microseconds"), f"card{k % 97}", f"t{k}", k,
                     int(correct), int(rating), 9_000, "1", "1", before, 0, "review", phase,
                     None if before is None else p))
        if rnd.random() < 0.1 and len(rows) < reviews:  # some practice, a minute later
            rows.append(((when + timedelta(minutes=1)).isoformat(timespec="microseconds"),
                         f"card{k % 97}", f"t{k}", k, 1, 3, 9_000, "1", "1", card.to_json(), 0,
                         "practice", int(card.state), 1.0))
        clock[k] = max(card.due, when + timedelta(minutes=1))
    rows.sort(key=lambda r: r[0])
    with Store.open(path) as store:
        db = store._db
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO reviews (ts, card, template, seed, correct, rating, elapsed_ms, answer,"
            " expected, state_before, undone, kind, phase, predicted)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
        db.executemany(
            "INSERT INTO state (card, template, fsrs_card, due) VALUES (?, ?, ?, ?)",
            [(f"card{k % 97}", f"t{k}", c.to_json(),
              c.due.isoformat(timespec="microseconds")) for k, c in cards.items()])
        db.execute("COMMIT")
    return len(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path", type=Path)
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--items", type=int, default=400)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if args.path.exists():
        sys.exit(f"{args.path} exists; give a new path")
    n = generate(args.path, args.reviews, args.items, args.seed)
    print(f"{args.path}: {n} reviews")


if __name__ == "__main__":
    main()
