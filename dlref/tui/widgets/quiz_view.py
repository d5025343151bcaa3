"""The Quiz tab: questions for the card (or everything due), recorded like `dlref quiz`."""

from __future__ import annotations

import random
import time
from typing import Any

from rich.markup import escape
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Input, Static

from dlref.cards import Card
from dlref.quiz.answer import AnswerError
from dlref.quiz.session import Session, plan
from dlref.quiz.store import StoreError


def bilingual(texts: dict[str, str], lang: str) -> str:
    if lang == "both":
        return "\n".join(t for t in dict.fromkeys([texts.get("en", ""), texts.get("zh", "")])
                         if t)
    return texts.get(lang) or texts.get("en", "")


class QuizView(VerticalScroll):
    """One question at a time: prompt, answer box, ✓/✗ and the worked solution."""

    def __init__(self, store: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.store = store
        self.session: Session | None = None
        self.index = 0
        self.lang = "en"
        self.card: Card | None = None
        self.answered = False
        self._shown_at = time.monotonic()

    def compose(self) -> ComposeResult:
        yield Static("", id="quiz-progress")
        yield Static("", id="quiz-prompt")
        yield Input(placeholder="answer · 答案 (Enter)", id="quiz-answer")
        yield Static("", id="quiz-feedback")

    def start(self, cards: list[Card], lang: str, n: int = 5, seed: int | None = None) -> None:
        """A fresh set of questions on these cards (due first)."""
        self.lang = lang
        self.card = cards[0] if len(cards) == 1 else None
        seed = random.randrange(2**31) if seed is None else seed
        try:
            questions = plan(cards, n, seed, self.store)
        except StoreError as exc:  # the progress file's contents are damaged
            self.query_one("#quiz-feedback", Static).update(f"[red]{escape(str(exc))}[/red]")
            return
        self.session = Session(questions, self.store)
        self.index = 0
        self._ask()

    @property
    def question(self):
        if self.session is None or self.index >= len(self.session.questions):
            return None
        return self.session.questions[self.index]

    def _ask(self) -> None:
        q = self.question
        feedback = self.query_one("#quiz-feedback", Static)
        answer = self.query_one("#quiz-answer", Input)
        answer.value = ""
        feedback.update("")
        self.answered = False
        if q is None:
            s = self.session.summary() if self.session else {"correct": 0, "answered": 0}
            done = "本轮完成" if self.lang == "zh" else "Done"
            self.query_one("#quiz-prompt", Static).update(
                f"{done}: {s['correct']}/{s['answered']} ✓ — n: "
                + ("再来一轮" if self.lang == "zh" else "another round"))
            self.query_one("#quiz-progress", Static).update("")
            return
        hint = bilingual({"en": q.hint("en"), "zh": q.hint("zh")}, self.lang)
        self.query_one("#quiz-progress", Static).update(
            f"[dim]{self.index + 1}/{len(self.session.questions)} · {q.card}[/dim]")
        self.query_one("#quiz-prompt", Static).update(
            f"[b]{escape(bilingual(q.prompt, self.lang))}[/b]\n[dim]({escape(hint)})[/dim]")
        self._shown_at = time.monotonic()

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        if self.question is not None and not self.answered:
            self._ask()

    def next_question(self) -> None:
        if self.question is None and self.card is not None:
            self.start([self.card], self.lang)
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
            self.next_question()
            return
        if not event.value.strip():
            return
        elapsed = int((time.monotonic() - self._shown_at) * 1000)
        try:
            outcome = self.session.answer(q, event.value, elapsed)
        except AnswerError as exc:
            hint = getattr(exc, "zh", None) if self.lang == "zh" else None
            feedback.update(f"[yellow]? {escape(str(hint or exc))}[/yellow]")
            return
        except StoreError as exc:
            self.app.notify(f"Could not save that answer: {exc}", severity="error", timeout=10,
                            markup=False)  # the message holds a path, e.g. with [brackets]
            return
        self.answered = True
        if outcome.correct:
            text = "[green]✓ right · 正确[/green]"
        else:
            text = f"[red]✗ {escape(q.shown_answer())}[/red]"
        solution = escape(bilingual(q.solution, self.lang))
        more = "Enter / n: next" if self.lang != "zh" else "Enter / n：下一题"
        feedback.update(f"{text}\n{solution}\n[dim]{more}[/dim]")
