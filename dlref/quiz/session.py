"""A quiz session: which questions to ask, checking answers, recording them, the summary.

The session never prints and never reads input: the CLI and the TUI drive it. Every answer is
recorded (committed) the moment it is checked, so an interrupted session loses nothing.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from dlref.quiz.answer import AnswerError, check_answer, parse_answer
from dlref.quiz.questions import Question, fixed_questions, generate, item_seed, templates_for

if TYPE_CHECKING:
    from dlref.cards import Card
    from dlref.quiz.store import Store

Item = tuple[str, str]  # (card id, template id)


def items_for(cards: list[Card]) -> dict[Item, Any]:
    """Every askable item of these cards: generated templates, then fixed questions."""
    out: dict[Item, Any] = {}
    for card in cards:
        for template_id in templates_for(card.id):
            out[(card.id, template_id)] = None
        for q in fixed_questions(card):
            out[(card.id, q.template)] = q
    return out


def plan(cards: list[Card], n: int, seed: int, store: Store | None,
         now: datetime | None = None) -> list[Question]:
    """N questions: due ones first (as the scheduler says), then new ones, then the rest.

    Same seed and same store give the same questions.
    """
    import numpy as np

    items = items_for(cards)
    if not items or n <= 0:
        return []
    due = [(c, t) for c, t, _ in (store.due(now=now) if store else []) if (c, t) in items]
    known = {(c, t) for c, t in (store.known_items() if store else [])}
    fresh = [i for i in items if i not in known]
    order = np.random.default_rng(seed).permutation(len(fresh))
    fresh = [fresh[k] for k in order]
    rest = [i for i in items if i in known and i not in due]
    queue = list(dict.fromkeys(due + fresh + rest))
    chosen = [queue[k % len(queue)] for k in range(n)]
    questions = []
    for k, (card_id, template_id) in enumerate(chosen):
        fixed = items[(card_id, template_id)]
        round_ = k // len(queue)  # repeats of an item get a fresh draw
        if fixed is not None:
            questions.append(fixed)
        else:
            qseed = item_seed(seed + round_, card_id, template_id)
            questions.append(generate(card_id, template_id, qseed))
    return questions


@dataclass
class Outcome:
    question: Question
    given: str
    correct: bool
    elapsed_ms: int


@dataclass
class Session:
    """Questions to ask and the outcomes so far."""

    questions: list[Question]
    store: Store | None = None
    outcomes: list[Outcome] = field(default_factory=list)
    started: float = field(default_factory=time.monotonic)

    def answer(self, question: Question, text: str, elapsed_ms: int) -> Outcome:
        """Check and record an answer. Raises AnswerError (nothing recorded) if unparseable."""
        given = parse_answer(text, kind=question.kind)
        correct = check_answer(given, question.answer, decimals=question.decimals)
        outcome = Outcome(question, text.strip(), correct, elapsed_ms)
        if self.store is not None:
            self.store.record(
                card=question.card, template=question.template, seed=question.seed,
                correct=correct, elapsed_ms=elapsed_ms, answer=text.strip(),
                expected=str(question.to_dict()["answer"]),
            )
        self.outcomes.append(outcome)
        return outcome

    def summary(self) -> dict[str, Any]:
        """Score, time and the cards missed most."""
        right = sum(o.correct for o in self.outcomes)
        misses = Counter(o.question.card for o in self.outcomes if not o.correct)
        return {
            "answered": len(self.outcomes),
            "correct": right,
            "asked": len(self.questions),
            "seconds": round(time.monotonic() - self.started, 1),
            "weakest": [card for card, _ in misses.most_common(3)],
        }


__all__ = ["AnswerError", "Outcome", "Session", "plan"]
