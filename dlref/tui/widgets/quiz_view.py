"""The Quiz tab: questions for the card (or everything due), recorded like `dlref quiz`.

The answer box has focus only while a question waits for an answer. After the verdict the view
itself takes focus, so single keys work again at once: `n` or Enter for the next question, `l`,
`1`/`2`/`3`, and the grade keys `a`/`h`/`g`/`e` (reserved here for Again/Hard/Good/Easy).
"""

from __future__ import annotations

import random
import time
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Input, Static

from dlref.cards import Card
from dlref.i18n import BOTH, pick, t
from dlref.quiz.answer import AnswerError
from dlref.quiz.session import Session, plan
from dlref.quiz.store import StoreError


def bilingual(texts: dict[str, str], lang: str) -> str:
    """A prompt or solution in `lang`; both languages on two lines."""
    return pick(texts, lang, "\n")


class QuizView(VerticalScroll):
    """One question at a time: prompt, answer box, ✓/✗ and the worked solution."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "next", show=False),
    ]

    def __init__(self, store: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.session: Session | None = None
        self.index = 0
        self.card: Card | None = None
        self.cards: list[Card] = []  # what the round is over, for "another round"
        self.size_of_round = 5
        self.answered = False
        self.outcome = None  # the last answer's outcome, shown until the next question
        self._shown_at = time.monotonic()

    def compose(self) -> ComposeResult:
        yield Static("", id="quiz-progress")
        yield Static("", id="quiz-prompt")
        yield Input(placeholder=t("quiz.answer-here", BOTH), id="quiz-answer")
        yield Static("", id="quiz-feedback")

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._lang_changed)

    @property
    def lang(self) -> str:
        return self.app.lang

    def _lang_changed(self, lang: str) -> None:
        self.query_one("#quiz-answer", Input).placeholder = t("quiz.answer-here", lang)
        if self.session is None:
            return
        if self.answered and self.outcome is not None:
            self._show_prompt(self.outcome.question)  # the question too, not only the verdict
            self._show_verdict(self.outcome)
        elif not self.answered:
            self._ask(keep_answer=True)

    def start(self, cards: list[Card], n: int = 5, seed: int | None = None) -> None:
        """A fresh set of questions on these cards (due first)."""
        self.card = cards[0] if len(cards) == 1 else None
        self.cards, self.size_of_round = list(cards), n
        seed = random.randrange(2**31) if seed is None else seed
        try:
            questions = plan(cards, n, seed, self.store)
        except StoreError as exc:  # the progress file's contents are damaged
            self.query_one("#quiz-feedback", Static).update(
                Content.styled(t("quiz.plan-failed", self.lang, error=exc), "$error"))
            return
        self.session = Session(questions, self.store)
        self.index = 0
        self._ask()

    @property
    def question(self):
        if self.session is None or self.index >= len(self.session.questions):
            return None
        return self.session.questions[self.index]

    def _ask(self, keep_answer: bool = False) -> None:
        q = self.question
        feedback = self.query_one("#quiz-feedback", Static)
        self.query_one("#quiz-answer", Input).disabled = q is None
        if not keep_answer:
            self.query_one("#quiz-answer", Input).value = ""
            feedback.update("")
        self.answered = False
        if q is None:
            s = self.session.summary() if self.session else {"correct": 0, "answered": 0}
            done = t("quiz.done", self.lang, score=f"{s['correct']}/{s['answered']}")
            self.query_one("#quiz-prompt", Static).update(
                Content(f"{done} — {t('quiz.another', self.lang)}"))
            self.query_one("#quiz-progress", Static).update("")
            return
        self._show_prompt(q)
        self._shown_at = time.monotonic()

    def _show_prompt(self, q: Any) -> None:
        hint = pick({"en": q.hint("en"), "zh": q.hint("zh")}, self.lang, " / ")
        self.query_one("#quiz-progress", Static).update(
            Content.styled(f"{self.index + 1}/{len(self.session.questions)} · {q.card}", "dim"))
        self.query_one("#quiz-prompt", Static).update(
            Content.styled(bilingual(q.prompt, self.lang), "bold") + "\n"
            + Content.styled(t("quiz.hint", self.lang, hint=hint), "dim"))

    @property
    def waiting(self) -> bool:
        """A question is on screen and not answered yet."""
        return self.question is not None and not self.answered

    def take_focus(self) -> None:
        """The answer box while a question waits for an answer, else the view itself."""
        box = self.query_one("#quiz-answer", Input)
        box.disabled = not self.waiting
        self.screen.set_focus(box if self.waiting else self)

    def action_next(self) -> None:
        """Enter on the view: after a verdict the next question; while one waits, its box."""
        if not self.waiting:
            self.next_question()
        self.take_focus()

    def next_question(self) -> None:
        if self.question is None and self.cards:  # the round is over: another one
            self.start(self.cards, n=self.size_of_round)
            return
        self.index += 1  # skipping an unanswered question records nothing
        self._ask()

    @on(Input.Submitted, "#quiz-answer")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        q = self.question
        feedback = self.query_one("#quiz-feedback", Static)
        if q is None or self.session is None:
            return
        if self.answered:
            self.action_next()
            return
        if not event.value.strip():
            return
        elapsed = int((time.monotonic() - self._shown_at) * 1000)
        try:
            outcome = self.session.answer(q, event.value, elapsed)
        except AnswerError as exc:
            feedback.update(Content.styled(f"? {exc.text(self.lang)}", "$warning"))
            return
        except StoreError as exc:
            self.app.notify(t("error.cannot-save", self.lang, error=exc), severity="error",
                            timeout=10, markup=False)
            return
        self.answered = True
        self.outcome = outcome
        self._show_verdict(outcome)
        self.take_focus()  # the keys are the learner's again: n, Enter, l, 1/2/3, a/h/g/e

    def _show_verdict(self, outcome: Any) -> None:
        """✓ or ✗ with the answer, the worked solution and how to go on, in the language."""
        q, lang = outcome.question, self.lang
        if outcome.correct:
            verdict = Content.styled(t("quiz.right", lang), "$success")
        else:
            verdict = Content.styled(t("quiz.wrong", lang, answer=q.shown_answer()), "$error")
        self.query_one("#quiz-feedback", Static).update(Content("\n").join(
            [verdict, Content(bilingual(q.solution, lang)),
             Content.styled(t("quiz.next", lang), "dim")]))
