"""The Quiz tab: questions for the card (or everything due), run like `dlref quiz`.

The tab drives the same session as the CLI (`dlref.quiz.session.build`, issue 12): due items
first, then new ones; practice (said on screen, no due date moves) when nothing is due. In the
answer box, `?` means "I don't know" (the answer and its solution, rated Again), `skip` moves on
recording nothing, `undo` takes back the session's last answer; input of the wrong shape is a
hint and another try. A failed item comes back later in the round with new numbers (the
session's question list grows: it is read by index). The round ends with the summary: score,
reviews against practice, skips, the cards to review next.

The answer box has focus only while a question waits for an answer. After the verdict the view
itself takes focus, so single keys work again at once: `n` or Enter for the next question, `l`,
`1`/`2`/`3`, and the grade keys `a`/`h`/`g`/`e` (Again/Hard/Good/Easy, bound here and shown
in the footer only after a verdict) that change the grade just given.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.widgets import Input, Static

from dlref.cards import Card
from dlref.i18n import BOTH, LANGS, listed, one, pick, t
from dlref.quiz import schedule
from dlref.quiz.answer import AnswerError
from dlref.quiz.session import (
    REVEAL,
    SKIP,
    UNDO,
    Outcome,
    Session,
    build,
    command_word,
    daily_new_limit,
    due_text,
    took_back_text,
)
from dlref.quiz.store import StoreError
from dlref.text.width import width_of
from dlref.tui.widgets.wrapped import Paragraph, WrappedText, paragraph, paragraphs

#: Words for the feedback line, in the language asked for.
Said = Callable[[str], list[Paragraph]]

#: The grade keys after a verdict, as in `dlref quiz` (none is an app or list key).
GRADE_KEYS = {"a": 1, "h": 2, "g": 3, "e": 4}


def why(exc: Exception) -> dict[str, str] | str:
    """What went wrong, for a message that quotes it: in each language for a StoreError."""
    return exc.words if isinstance(exc, StoreError) else str(exc)


def bilingual(texts: dict[str, str], lang: str) -> str:
    """A prompt or solution in `lang`; both languages on two lines."""
    return pick(texts, lang, "\n")


class QuizView(VerticalScroll):
    """One question at a time: prompt, answer box, ✓/✗ and the worked solution."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "next", "Next question", show=False, id="quiz-next"),
        # One footer entry for the four ("a/h/g/e Grade"), shown only after a verdict.
        *(Binding(key, f"grade({rating})", "Grade", show=key == "a", key_display="a/h/g/e",
                  id=f"grade.{rating}") for key, rating in GRADE_KEYS.items()),
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
        self.outcome: Outcome | None = None  # the last answer's outcome, shown until the next
        self.notice: tuple[str, dict[str, Any]] | None = None  # practice / nothing due
        # what the feedback line says while a question waits (skipped, took back, try again),
        # in a language: said again in the new one after F5
        self.said: Said | None = None
        self._shown_at = time.monotonic()

    def compose(self) -> ComposeResult:
        yield Static("", id="quiz-progress")
        # wrapped as the CLI wraps them (`dlref.text.wrap`): Chinese between characters
        yield WrappedText(id="quiz-notice")
        yield WrappedText(id="quiz-prompt")
        yield Input(placeholder=t("quiz.answer-here", BOTH), id="quiz-answer")
        yield WrappedText(id="quiz-feedback")

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._lang_changed)

    @property
    def lang(self) -> str:
        return self.app.lang

    def _lang_changed(self, lang: str) -> None:
        self.query_one("#quiz-answer", Input).placeholder = t("quiz.answer-here", lang)
        self._label_grades()
        if self.session is None:  # no round: why, if it was refused
            if self.said is not None:
                self._say(self.said)
            return
        self._show_notice()
        if self.answered and self.outcome is not None:
            self._show_prompt(self.outcome.question)  # the question too, not only the verdict
            self._show_verdict(self.outcome)
        elif not self.answered:
            self._ask(keep_answer=True)
            if self.said is not None:
                self._say(self.said)

    def _label_grades(self) -> None:
        """The grade keys' footer entry in the language."""
        word = t("quiz.grade", one(self.lang))
        for key, bindings in self._bindings.key_to_bindings.items():
            if key in GRADE_KEYS:
                self._bindings.key_to_bindings[key] = [replace(b, description=word)
                                                       for b in bindings]
        self.refresh_bindings()

    # -- a round ----------------------------------------------------------------------------

    def start(self, cards: list[Card], n: int = 5, seed: int | None = None) -> None:
        """A fresh round on these cards: due items first, then new ones; practice when none
        of them is due (said on screen: practice moves no due date)."""
        self.card = cards[0] if len(cards) == 1 else None
        self.cards, self.size_of_round = list(cards), n
        seed = random.randrange(2**31) if seed is None else seed
        self.outcome, self.notice = None, None
        refusal = getattr(self.store, "read_only", None)
        if refusal is not None:  # no answer could be saved: said before any question, as the CLI
            self._refuse(refusal.text)
            return
        try:
            session = build(cards, n, seed, self.store)
            if session.practice:
                self.notice = self._practice_notice(cards)
        except StoreError as exc:  # the progress file's contents are damaged
            words = exc.words  # `exc` is unbound once the except clause ends
            self._refuse(lambda lang: t("quiz.plan-failed", lang, error=words))
            return
        self.session = session
        self.index = 0
        self._show_notice()
        if not session.questions:
            self.answered = False
            self._show_box(False)
            self.query_one("#quiz-progress", Static).update("")
            self.query_one("#quiz-prompt", WrappedText).show_text(
                t("quiz.no-questions", self.lang))
            self._say(None)
            return
        self._ask()

    def _refuse(self, why: Callable[[str], str]) -> None:
        """No round: `why(lang)` says why on the feedback line (again after F5, `_say`)."""
        self.session = None
        self._show_box(False)
        self.query_one("#quiz-progress", Static).update("")
        self.query_one("#quiz-prompt", WrappedText).show_text("")
        self._say(lambda lang: paragraphs(why(lang), "$error"))

    def _practice_notice(self, cards: list[Card]) -> tuple[str, dict[str, Any]]:
        """What the CLI says when nothing is due: for one card, "nothing of relu is due: this
        is practice"; over every card, when the next review is (or that today's new items are
        done)."""
        if self.card is not None:
            return "quiz.practice-card", {"cards": self.card.id}
        due = self.store.next_due() if self.store is not None else None
        if due is None:
            return "quiz.nothing-due-new", {"limit": daily_new_limit()}
        return "quiz.nothing-due", {"when": due_text(due)}

    def _show_notice(self) -> None:
        box = self.query_one("#quiz-notice", WrappedText)
        box.display = self.notice is not None
        if self.notice is None:
            box.show_text("")
            return
        key, fields = self.notice
        text = t(key, self.lang, sep="\n", **fields)
        if key != "quiz.practice-card":  # that one says "practice" itself
            text += "\n" + t("quiz.practice-note", self.lang, sep=" / ")
        box.show_text(text, "$warning")

    @property
    def question(self):
        if self.session is None or self.index >= len(self.session.questions):
            return None
        return self.session.questions[self.index]

    def _say(self, said: Said | None) -> None:
        """Put `said` (its words in a language) on the feedback line, in the app's language,
        and keep it for a language switch; None empties the line."""
        self.said = said
        self.query_one("#quiz-feedback", WrappedText).show(
            said(self.lang) if said is not None else paragraphs(""))

    def _ask(self, keep_answer: bool = False, said: Said | None = None) -> None:
        """Show the current question (or the round's summary); `said` is a line to keep on
        the feedback line (what happened to the previous question: skipped, taken back)."""
        q = self.question
        self._show_box(q is not None)
        if not keep_answer:
            self.query_one("#quiz-answer", Input).value = ""
            self._say(said)
            self.scroll_home(animate=False)  # a new question is read from its top
        self.answered = False
        self.refresh_bindings()  # the grade keys leave the footer
        if q is None:
            self._show_summary()
            return
        self._show_prompt(q)
        self._shown_at = time.monotonic()

    def _show_box(self, shown: bool) -> None:
        """The answer box only while there is a question: at the round's end (or with no
        questions) an empty, disabled "your answer" box looked like it waited for one."""
        box = self.query_one("#quiz-answer", Input)
        box.disabled = not shown
        box.display = shown

    def _show_summary(self) -> None:
        """The round's end, in the CLI's words: score, reviews vs practice, what to review."""
        s = self.session.summary() if self.session else None
        if s is None:
            return
        lines = [t("quiz.done", self.lang, score=f"{s['correct']}/{s['answered']}"),
                 t("quiz.tally", self.lang, sep="\n", reviews=s["reviews"],
                   practice=s["practice"], skipped=s["skipped"])]
        if s["weakest"]:
            lines.append(t("quiz.review-next", self.lang, sep="\n",
                           cards=listed(s["weakest"])))
        lines.append(t("quiz.another", self.lang))
        self.query_one("#quiz-prompt", WrappedText).show_text("\n".join(lines))
        self.query_one("#quiz-progress", Static).update("")

    def _show_prompt(self, q: Any) -> None:
        """The question as the CLI asks it: prompt, how to type the answer, then options."""
        hint = t("quiz.hint", self.lang, hint={"en": q.hint("en"), "zh": q.hint("zh")})
        self.query_one("#quiz-progress", Static).update(
            Content.styled(f"{self.index + 1}/{len(self.session.questions)} · {q.card}", "dim"))
        # an option's next lines under its text, not its number: "  1/a) " hangs
        options = [p for option in q.choices_text(self.lang)
                   for p in paragraphs(option, first="  ", rest=" " * width_of(
                       "  " + option[:option.index(") ") + 2]))]
        self.query_one("#quiz-prompt", WrappedText).show([
            *paragraphs(bilingual(q.prompt, self.lang), "bold"), *paragraphs(hint, "dim"),
            *options,
            *paragraphs(t("quiz.keys", self.lang, sep=" / "), "dim")])

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
        """The next question; on one not answered yet, a skip (nothing recorded); after the
        last, another round."""
        if self.question is None and self.cards:  # the round is over: another one
            self.start(self.cards, n=self.size_of_round)
            return
        if self.waiting and self.session is not None:
            self.session.skip(self.question)
        self.index += 1
        self._ask()

    # -- answering ----------------------------------------------------------------------------

    @on(Input.Submitted, "#quiz-answer")
    def _submit(self, event: Input.Submitted) -> None:
        event.stop()
        q = self.question
        if q is None or self.session is None:
            return
        if self.answered:
            self.action_next()
            return
        word = event.value.strip()
        if not word:
            return
        said = command_word(word)  # ？ and ＳＫＩＰ from an input method too
        if said == SKIP:
            self.session.skip(q)
            self.index += 1
            self._ask(said=lambda lang: paragraphs(t("quiz.skipped", lang, sep=" / "), "dim"))
            self.take_focus()
            return
        if said == UNDO:
            self.undo()
            return
        elapsed = int((time.monotonic() - self._shown_at) * 1000)
        try:
            outcome = (self.session.reveal(q, elapsed) if said == REVEAL
                       else self.session.answer(q, event.value, elapsed))
        except AnswerError as exc:  # unreadable, or the wrong shape: a hint, not a mark
            hint = {"en": exc.en, "zh": exc.zh}
            self._say(lambda lang: paragraphs(t("quiz.try-again", lang, sep="\n", hint=hint),
                                              "$warning"))
            return
        except StoreError as exc:
            self.app.notify(t("error.cannot-save", self.lang, error=why(exc)), severity="error",
                            timeout=10, markup=False)
            return
        self.answered = True
        self.outcome, self.said = outcome, None
        self._show_verdict(outcome)
        self.call_after_refresh(self.scroll_end, animate=False)  # the verdict, on a short screen
        self.refresh_bindings()  # the grade keys join the footer
        self.take_focus()  # the keys are the learner's again: n, Enter, l, 1/2/3, a/h/g/e

    def _show_verdict(self, outcome: Outcome) -> None:
        """✓ or ✗ (or the revealed answer) with the grade in force, the worked solution,
        whether it comes back, and the keys to grade it or go on, in the language."""
        q, lang = outcome.question, self.lang
        graded = pick({code: t("quiz.graded", code, rating=t(f"rating.{outcome.rating}", code))
                       for code in LANGS}, lang)
        if outcome.revealed:
            verdict = (t("quiz.revealed", lang, sep=" / ", answer=q.shown_answer()), "$error")
        elif outcome.correct:
            verdict = (t("quiz.right", lang), "$success")
        else:
            verdict = (t("quiz.wrong", lang, answer=q.shown_answer()), "$error")
        lines = [paragraph([verdict, ("  ", None), (graded, "bold")])]
        if outcome.revealed and outcome.given != REVEAL:  # typed after a ? that undo took back
            lines += paragraphs(t("quiz.seen-answer", lang, sep="\n"), "dim")
        if outcome.trap is not None:  # the known mistake this answer matches
            lines += paragraphs(t("quiz.trap", lang, sep="\n", mistake=outcome.trap.name,
                                  card=outcome.trap.card or q.card), "$warning")
        if not outcome.correct and q.solution:
            lines += paragraphs(bilingual(q.solution, lang))
        for reason in q.reasons_text(lang):  # "2) ✗ why…", the next lines under "why"
            lines += paragraphs(reason, rest=" " * width_of(reason[:reason.index(") ") + 4]))
        if outcome.requeued is not None:
            lines += paragraphs(t("quiz.comes-back", lang, sep=" / "))
        elif not outcome.correct and outcome.rating != schedule.AGAIN:  # graded as a slip
            lines += paragraphs(t("quiz.not-coming-back", lang, sep=" / "))
        keys = "quiz.next-keys" if outcome.revealed else "quiz.regrade-keys"
        lines += paragraphs(t(keys, lang, sep="\n"), "dim")
        self.query_one("#quiz-feedback", WrappedText).show(lines)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The grade keys work (and show) only while a verdict is on screen."""
        if action == "grade":  # not after "I don't know", which stays Again
            return self.answered and self.outcome is not None and not self.outcome.revealed
        return True

    def action_grade(self, rating: int) -> None:
        """Change the grade of the answer just given (Again/Hard/Good/Easy), as the CLI's
        one key after the verdict; the verdict line shows the grade in force."""
        if not self.check_action("grade", (rating,)) or self.session is None:
            return
        try:
            self.outcome = self.session.grade(rating)
        except StoreError as exc:  # another dlref answered since: the grade stays, as in the CLI
            self.app.notify(exc.text(self.lang), severity="warning", timeout=10, markup=False)
            return
        self._show_verdict(self.outcome)

    def undo(self) -> None:
        """Take back the session's last answer (its record and its effect on the schedule)
        and ask that question again; says so if there is nothing to take back."""
        if self.session is None:
            return
        try:
            back = self.session.undo()
        except StoreError as exc:  # another dlref answered since: the answer stays, as in the CLI
            self.app.notify(exc.text(self.lang), severity="warning", timeout=10, markup=False)
            return
        if back is None:
            self._say(lambda lang: paragraphs(t("quiz.nothing-to-take-back", lang, sep=" / "),
                                              "$warning"))
            self.take_focus()
            return
        self.index = max(0, next((k for k, x in enumerate(self.session.questions)
                                  if x is back.question), self.index))
        self.outcome = None
        self._ask(said=lambda lang: paragraphs(took_back_text(back, lang), "dim"))
        self.take_focus()
