"""A quiz session: which questions to ask, checking answers, recording them, the summary.

The session never prints and never reads input: the CLI and the TUI drive it. Every answer is
recorded (committed) the moment it is checked, so an interrupted session loses nothing.

How a session flows (issue 12), the same for every front end:

* `build()` picks the questions. A *review* session asks the items that are due, then new
  items up to the daily new-item limit (`DLREF_NEW_PER_DAY`, the config's `daily_new`, else
  DAILY_NEW); each item at most once. When none of the chosen cards has anything due (or
  `practice=True`), it is a *practice* session: the cards' items with fresh numbers, logged
  but never rescheduled.
* `answer()` checks and records an answer; its default grade is Again if wrong, Good if right.
  A wrong answer that a known mistake explains (`Question.diagnose`) is recorded with that
  mistake, so `dlref stats` can say which mistakes a learner makes most.
  Input of the wrong shape (a number for a vector, the wrong number of entries) raises
  AnswerError with a hint, like unreadable input: nothing is recorded.
* `reveal()` is "I don't know" (`?`): recorded as a wrong answer rated Again. Its answer
  has been shown, so when `undo` takes it back, what is typed for that question afterwards
  is recorded the same way (wrong, Again, no regrade): undoing a ? and typing the answer
  just read is not a recall.
* `skip()` moves on and records nothing.
* `grade(rating)` changes the grade of the last answer (Again 1 / Hard 2 / Good 3 / Easy 4)
  after its verdict; `undo()` takes the last answer of the session back.
* A failed item (rated Again: wrong or revealed, unless graded otherwise after the
  verdict) comes back RELEARN_GAP questions later (or at the end)
  with fresh numbers, as Anki's relearning steps do, until answered right (at most
  RELEARN_MAX times a session); a written (fixed) question cannot be redrawn, so it waits for
  its relearning step in a later session instead of repeating word for word.
"""

from __future__ import annotations

import os
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from dlref.config import DAILY_NEW  # new items a (local) day unless the learner says
from dlref.i18n import LANGS, t
from dlref.quiz import schedule
from dlref.quiz.answer import AnswerError, check_answer, check_shape, parse_answer
from dlref.quiz.questions import (
    Question,
    Trap,
    fixed_questions,
    generate,
    item_seed,
    shuffled,
    templates_for,
)

if TYPE_CHECKING:
    from dlref.cards import Card
    from dlref.quiz.store import Review, Store

Item = tuple[str, str]  # (card id, template id)

#: A failed item comes back after this many other questions (or at the end).
RELEARN_GAP = 3
#: ... and at most this many times in one session.
RELEARN_MAX = 4
#: What the learner types for "I don't know", to skip, and to take back the last answer.
REVEAL, SKIP, UNDO = "?", "skip", "undo"


def parse_new_limit(text: str) -> int | None:
    """A new-item limit as written in `DLREF_NEW_PER_DAY`: a whole number in ASCII digits
    from 0 to the config's bound (`dlref.config.DAILY_NEW_MAX`), else None. Not `isdigit`
    alone: it passes "²", which int() refuses."""
    from dlref.config import DAILY_NEW_MAX

    text = text.strip()
    if not (text.isascii() and text.isdigit()) or len(text) > len(str(DAILY_NEW_MAX)):
        return None
    return int(text) if int(text) <= DAILY_NEW_MAX else None


def command_word(text: str) -> str | None:
    """REVEAL, SKIP or UNDO when the typed line is one of them, else None (an answer). Read
    as the answer parser reads input, width folded (NFKC) and in any case: a Chinese input
    method types ？ for ?, and ？ went to the parser as an unknown character '?'."""
    import unicodedata

    word = unicodedata.normalize("NFKC", text).strip().casefold()
    return word if word in (REVEAL, SKIP, UNDO) else None


def daily_new_limit() -> int:
    """`DLREF_NEW_PER_DAY` if `parse_new_limit` reads it, else the config file's `daily_new`,
    else DAILY_NEW (a broken config file: DAILY_NEW; the command reports the file)."""
    limit = parse_new_limit(os.environ.get("DLREF_NEW_PER_DAY", ""))
    if limit is not None:
        return limit
    from dlref.config import ConfigError, load_config

    try:
        return load_config().daily_new
    except ConfigError:
        return DAILY_NEW


def items_for(cards: list[Card]) -> dict[Item, Any]:
    """Every askable item of these cards: generated templates, then fixed questions."""
    out: dict[Item, Any] = {}
    for card in cards:
        for template_id in templates_for(card.id):
            out[(card.id, template_id)] = None
        for q in fixed_questions(card):
            out[(card.id, q.template)] = q
    return out


def _option(question: Question, text: str) -> float:
    """A choice question's answer (a letter or T/F already made its number) as the option
    number; 2.0, as `--json-questions` writes it, is option 2. AnswerError with the hint when
    it names no option (5 of 4, 1.5, x): a slip, not a choice, so nothing is marked wrong."""
    try:
        given = parse_answer(text, kind="scalar")
    except AnswerError:
        given = None
    if given is None or given != int(given) or not 1 <= given <= len(question.options):
        raise AnswerError(*(t("quiz.not-an-option", lang, hint=question.hint(lang))
                            for lang in ("en", "zh")))
    return given


def _question(items: dict[Item, Any], item: Item, seed: int) -> Question:
    """The item's question for this session: drawn from its template, or the card's fixed
    question (a choice question with its options shuffled by the session's seed)."""
    fixed = items[item]
    if fixed is None:
        return generate(item[0], item[1], item_seed(seed, *item))
    return shuffled(fixed, item_seed(seed, *item)) if fixed.options else fixed


def local_clock(moment: datetime, with_date: bool = True) -> str:
    """A stored (UTC) time as the learner's clock shows it, with the zone's name, as the days
    they count are theirs (`schedule.local_day`): "2026-03-04 17:00 CST" in Shanghai."""
    local = schedule.utc(moment).astimezone()
    return f"{local:%Y-%m-%d %H:%M %Z}" if with_date else f"{local:%H:%M %Z}"


def due_text(moment: datetime, now: datetime | None = None) -> dict[str, str]:
    """When a review is due, as the front ends say it, in each language (a bilingual field):
    "in 7 min (14:05 UTC)" within the hour, else "2026-03-04 09:00 UTC" (the learner's
    local time; `local_clock`)."""
    minutes = int((moment - (now or datetime.now(UTC))).total_seconds() // 60) + 1
    if minutes < 60:
        return {code: t("quiz.in-minutes", code, n=max(1, minutes),
                        when=local_clock(moment, with_date=False)) for code in LANGS}
    return dict.fromkeys(LANGS, local_clock(moment))


def item_words(card: str) -> dict[str, str]:
    """An item as a learner knows it, in each language (a bilingual field for `t`): its card's
    title, never the template's id; with the answer and the time beside it, that names the
    answer. A card that no longer loads (a user card since deleted or broken) is named by its id."""
    from dlref.cards.library import card_by_file

    found = card_by_file(card)
    return {code: found.title_in(code) if found is not None else card for code in LANGS}


def recorded_answer(review: Review) -> str:
    """A stored answer as the learner gave it: for a choice question (written in its card's
    file) the option's number and letter, "2 (b)", since the session records the number
    whichever was typed; otherwise as stored. A card or question since gone: as stored."""
    from dlref.cards.library import card_by_file

    found = card_by_file(review.card)
    if found is None:
        return review.answer
    question = next((q for q in fixed_questions(found)
                     if q.template == review.template and q.options), None)
    return review.answer if question is None else question.shown_given(review.answer)


def undid_text(review: Review, lang: str, sep: str = " · ") -> str:
    """What `dlref undo` and the app's palette say after taking `review` back."""
    return t("quiz.undid", lang, sep=sep, mark="✓" if review.correct else "✗",
             item=item_words(review.card), answer=recorded_answer(review),
             when=local_clock(review.ts))


def took_back_text(outcome: Outcome, lang: str, sep: str = " / ") -> str:
    """What a session says when `undo` takes back its last answer (CLI and app alike); a
    choice answer as its option's number and letter, as `undid_text` says it."""
    q = outcome.question
    return t("quiz.took-back", lang, sep=sep, item=item_words(q.card),
             given=q.shown_given(outcome.given))


@dataclass
class Plan:
    """What `choose()` decided: the items in order, and whether this is practice."""

    items: list[Item]
    practice: bool
    due: int = 0  # how many of them are due reviews
    new: int = 0  # how many are new
    new_held_back: int = 0  # new items left for another day by the daily limit


def choose(cards: list[Card], n: int, seed: int, store: Store | None,
           now: datetime | None = None, new_limit: int | None = None,
           practice: bool = False) -> Plan:
    """Up to n items, each once: due ones (earliest first), then new ones (shuffled by seed)
    up to the daily new limit; if there are none, or `practice`, a practice plan over every
    item of the cards (new ones last). Same seed and store, same plan."""
    import numpy as np

    items = items_for(cards)
    if not items or n <= 0:
        return Plan([], practice)
    limit = daily_new_limit() if new_limit is None else new_limit
    known = set(store.known_items()) if store else set()
    fresh = [i for i in items if i not in known]
    fresh = [fresh[k] for k in np.random.default_rng(seed).permutation(len(fresh))]
    if not practice:
        due = [(c, t) for c, t, _ in (store.due(now=now) if store else []) if (c, t) in items]
        room = max(0, limit - (store.new_today(now) if store else 0))
        chosen = (due + fresh[:room])[:n]
        if chosen:
            n_due = min(len(due), n)
            return Plan(chosen, False, n_due, len(chosen) - n_due,
                        max(0, len(fresh) - room))
    rest = [i for i in items if i in known]
    rest = [rest[k] for k in np.random.default_rng(seed + 1).permutation(len(rest))]
    return Plan((rest + fresh)[:n], True)


def plan(cards: list[Card], n: int, seed: int, store: Store | None,
         now: datetime | None = None) -> list[Question]:
    """The questions `choose()` picks, drawn with this seed (kept for front ends that only
    need the list). Same seed and same store give the same questions."""
    items = items_for(cards)
    return [_question(items, item, seed) for item in choose(cards, n, seed, store, now).items]


@dataclass
class Outcome:
    """One answer given in the session. `kind` is "review" (the schedule moved), "practice"
    (logged only) or "skipped" (nothing recorded); `rating` the grade in force."""

    question: Question
    given: str
    correct: bool
    elapsed_ms: int
    kind: str = "review"
    rating: int | None = None
    review_id: int | None = None
    revealed: bool = False
    requeued: Question | None = None  # the fresh draw queued because this one failed
    trap: Trap | None = None  # the known mistake a wrong answer matched, if any


@dataclass
class Session:
    """Questions to ask and the outcomes so far. `questions` grows when a failed item is
    queued again; front ends ask `questions[i]` for i = 0, 1, ... until the end."""

    questions: list[Question]
    store: Store | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)
    practice: bool = False  # a practice session: nothing is rescheduled
    seed: int = 0
    _skips: list[int] = field(default_factory=list)  # each skip: how many answers preceded it
    plan: Plan | None = None
    new_limit: int | None = None  # new items a day; None: no limit at record time
    _returns: Counter[Item] = field(default_factory=Counter)
    _failed: set[Item] = field(default_factory=set)
    _revealed: list[Question] = field(default_factory=list)  # answers shown by ?, undone too

    # -- answering -----------------------------------------------------------------------

    def answer(self, question: Question, text: str, elapsed_ms: int,
               now: datetime | None = None) -> Outcome:
        """Check and record an answer. Raises AnswerError (nothing recorded) if it cannot be
        read or has the wrong shape for the question (the error's text is the hint); for a
        choice question, also if it names no option (5 of 4, 0, 1.5: a slip, not a choice)."""
        if question.options:
            text = question.answer_text(text)  # a letter, or T/F, becomes the option's number
        given = (_option(question, text) if question.options
                 else parse_answer(text, kind=question.kind))
        check_shape(given, question.answer)
        correct = check_answer(given, question.answer, decimals=question.decimals)
        if any(q is question for q in self._revealed):
            # its answer was shown with ? (then taken back): typing it now is not a recall
            return self._shown(question, text.strip(), elapsed_ms, now)
        trap = None if correct else question.diagnose(given)
        return self._record(question, text.strip(), correct, elapsed_ms, now, trap)

    def reveal(self, question: Question, elapsed_ms: int = 0,
               now: datetime | None = None) -> Outcome:
        """"I don't know" (`?`): recorded as wrong, rated Again; show the answer and solution.
        The question is remembered as seen: answered again after an undo, it stays Again."""
        return self._shown(question, REVEAL, elapsed_ms, now)

    def _shown(self, question: Question, given: str, elapsed_ms: int,
               now: datetime | None) -> Outcome:
        """Record an answer to a question whose answer the learner has seen: wrong, Again."""
        outcome = self._record(question, given, False, elapsed_ms, now)
        outcome.revealed = True
        self._revealed.append(question)
        return outcome

    def skip(self, question: Question) -> None:
        """Move on without recording anything."""
        self._skips.append(len(self.outcomes))

    @property
    def skipped(self) -> int:
        """Questions skipped so far; `undo` goes back to before the skips made after the
        answer it takes back, as those questions come round again."""
        return len(self._skips)

    def _record(self, question: Question, given: str, correct: bool, elapsed_ms: int,
                now: datetime | None, trap: Trap | None = None) -> Outcome:
        item = (question.card, question.template)
        rating = schedule.rating_for(correct)
        outcome = Outcome(question, given, correct, elapsed_ms, rating=rating,
                          kind="practice" if self.practice else "review", trap=trap)
        if self.store is not None:
            rid = self.store.record(
                card=question.card, template=question.template, seed=question.seed,
                correct=correct, elapsed_ms=elapsed_ms, answer=given,
                expected=str(question.to_dict()["answer"]), now=now, rating=rating,
                learn_ahead=item in self._failed, practice=self.practice,
                trap=None if trap is None else {**trap.name, "card": trap.card or question.card},
                new_limit=self.new_limit)
            outcome.review_id = rid
            stored = self.store.get(rid)
            outcome.kind = stored.kind if stored is not None else outcome.kind
        self.outcomes.append(outcome)
        self._relearn(outcome)
        return outcome

    def _relearn(self, outcome: Outcome) -> None:
        """An answer rated Again fails its item: a fresh draw is queued, and the item's next
        answer in the session is a relearning step (learn-ahead). Rated anything else (a
        wrong answer graded Good: a slip, says the learner), it is treated as a right one:
        the draw queued for it, not asked yet since it comes later, is withdrawn."""
        item = (outcome.question.card, outcome.question.template)
        if outcome.rating == schedule.AGAIN:
            self._failed.add(item)
            if outcome.requeued is None:
                outcome.requeued = self._requeue(outcome.question)
            return
        if outcome.requeued is not None:
            self.questions = [q for q in self.questions if q is not outcome.requeued]
            self._returns[item] -= 1
            outcome.requeued = None
        if not any((o.question.card, o.question.template) == item
                   and o.rating == schedule.AGAIN for o in self.outcomes):
            self._failed.discard(item)

    def _requeue(self, question: Question) -> Question | None:
        """Queue a fresh draw of a failed item RELEARN_GAP questions on (or at the end)."""
        item = (question.card, question.template)
        if question.template not in templates_for(question.card):
            return None  # a written question: no fresh numbers to draw
        if self._returns[item] >= RELEARN_MAX:
            return None
        self._returns[item] += 1
        asked = {(q.card, q.template, q.seed) for q in self.questions}
        for k in range(1, 20):
            fresh = generate(question.card, question.template,
                             item_seed(self.seed + 7919 * (self._returns[item] * 20 + k), *item))
            if ((fresh.card, fresh.template, fresh.seed) not in asked
                    and fresh.prompt != question.prompt):
                break
        else:
            return None
        at = next((i for i, q in enumerate(self.questions) if q is question), -1)
        at = len(self.questions) if at < 0 else min(len(self.questions), at + 1 + RELEARN_GAP)
        self.questions.insert(at, fresh)
        return fresh

    # -- after the verdict ---------------------------------------------------------------

    def grade(self, rating: int) -> Outcome:
        """Change the grade of the last answer (1 Again, 2 Hard, 3 Good, 4 Easy). The
        relearning follows the grade, not the verdict (`_relearn`): graded Again, its item
        comes back with fresh numbers; graded otherwise, it does not.

        ValueError if there is no answer to grade, the rating is not 1..4, or the last answer
        was "I don't know": that stays Again, whatever key is pressed after it.
        """
        rating = schedule.check_rating(rating)
        if not self.outcomes:
            raise ValueError("no answer to grade in this session")
        last = self.outcomes[-1]
        if last.revealed:
            raise ValueError("an answer revealed with ? stays Again")
        if self.store is not None and last.review_id is not None:
            self.store.regrade(last.review_id, rating)
        last.rating = rating
        self._relearn(last)
        return last

    def undo(self) -> Outcome | None:
        """Take back the last answer of this session (its record and its effect on the
        schedule, and the fresh draw it queued if not asked yet); None if nothing to undo."""
        if not self.outcomes:
            return None
        last = self.outcomes[-1]
        if self.store is not None and last.review_id is not None:
            # only this answer: StoreError, nothing changed, if another dlref answered since
            self.store.undo(last.review_id)
        self.outcomes.pop()
        self._skips = [k for k in self._skips if k <= len(self.outcomes)]
        item = (last.question.card, last.question.template)
        if last.requeued is not None and not any(
                o.question is last.requeued for o in self.outcomes):
            self.questions = [q for q in self.questions if q is not last.requeued]
            self._returns[item] -= 1
        if not any((o.question.card, o.question.template) == item
                   and o.rating == schedule.AGAIN for o in self.outcomes):
            self._failed.discard(item)  # its next answer is not a relearning step after all
        return last

    def summary(self) -> dict[str, Any]:
        """Score, reviews vs practice, time and the cards missed most."""
        right = sum(o.correct for o in self.outcomes)
        misses = Counter(o.question.card for o in self.outcomes if not o.correct)
        return {
            "answered": len(self.outcomes),
            "correct": right,
            "reviews": sum(o.kind == "review" for o in self.outcomes),
            "practice": sum(o.kind == "practice" for o in self.outcomes),
            "skipped": self.skipped,
            "asked": len(self.outcomes) + self.skipped,  # put to the learner so far
            "planned": len(self.questions),  # the round, failed items' returns included
            "seconds": round(time.monotonic() - self.started, 1),
            "weakest": [card for card, _ in misses.most_common(3)],
        }


def build(cards: list[Card], n: int, seed: int, store: Store | None,
          now: datetime | None = None, new_limit: int | None = None,
          practice: bool = False) -> Session:
    """A session over these cards: see `choose()` for which items and `Session` for the flow."""
    chosen = choose(cards, n, seed, store, now, new_limit, practice)
    items = items_for(cards)
    return Session([_question(items, item, seed) for item in chosen.items], store,
                   practice=chosen.practice, seed=seed, plan=chosen,
                   new_limit=daily_new_limit() if new_limit is None else new_limit)


def next_due(store: Store | None, now: datetime | None = None) -> datetime | None:
    """When the next item falls due (for "nothing is due; next at ...")."""
    return store.next_due(now) if store is not None else None


__all__ = ["DAILY_NEW", "REVEAL", "SKIP", "UNDO", "AnswerError", "Outcome", "Plan", "Session",
           "build", "choose", "command_word", "daily_new_limit", "item_words", "next_due",
           "parse_new_limit", "plan", "took_back_text", "undid_text"]
