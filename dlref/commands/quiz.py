"""`dlref quiz`, `dlref stats` and `dlref undo`: self-testing and progress."""

from __future__ import annotations

import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from dlref.commands.common import (
    COLOR_CHOICE,
    CONTEXT,
    complete_card,
    fail,
    find_card,
    lang_option,
    load_library,
    print_json,
    say,
    terminal_width,
    use_color,
    warn,
)
from dlref.i18n import LANGS, bilingual, pick, t

if TYPE_CHECKING:
    from dlref.cards import Card, Library


def select_cards(library: Library, names: tuple[str, ...]) -> list[Card]:
    """Cards named (or tagged) on the command line; all cards when none are named."""
    if not names:
        return list(library.cards.values())
    chosen: dict[str, Card] = {}
    tags = set(library.tags())
    for name in names:
        if name in tags and name not in library.cards:
            chosen.update({c.id: c for c in library.cards.values() if name in c.tags})
        else:
            card = find_card(library, name)
            chosen[card.id] = card
    return list(chosen.values())


@contextmanager
def open_store() -> Iterator[Any]:
    """The progress store, closed afterwards; a damaged file is moved aside and the user told.

    A StoreError anywhere in the `with` body (an unusable file, or contents dlref cannot read)
    ends the command with its one-line message and exit status 1, never a traceback.
    """
    from dlref.quiz.store import Store, StoreError

    try:
        with Store.open() as store:
            if store.recovery_message():  # damaged: moved aside, what still read recovered
                warn(store.recovery_message())
            yield store
    except StoreError as exc:
        fail(str(exc))


def read_answer(prompt: str, interactive: bool) -> str | None:
    """One line of input, or None at end of input."""
    if interactive:
        try:
            return input(prompt)
        except EOFError:
            return None
    click.echo(prompt, nl=False)
    line = sys.stdin.readline()
    if not line:
        click.echo()
        return None
    click.echo(line.rstrip("\n"))
    return line


@click.command(context_settings=CONTEXT)
@click.argument("names", nargs=-1, shell_complete=complete_card)
@click.option("-n", "count", default=10, show_default=True, type=click.IntRange(1, 500),
              help="How many questions.")
@lang_option
@click.option("--seed", type=click.IntRange(min=0), default=None,
              help="Seed for the questions, >= 0 (default: random).")
@click.option("--json-questions", is_flag=True,
              help="Print the questions with answers as JSON and record nothing.")
@click.option("--color", type=COLOR_CHOICE, default="auto", show_default=True)
def quiz(names: tuple[str, ...], count: int, lang: str, seed: int | None,
         json_questions: bool, color: str) -> None:
    """Numeric self-test on CARDs or TAGs (default: everything), due questions first.

    Answers may be numbers (0.731, .731, 7.31e-1, 73.1%, 1/3), small expressions
    (1/(1+e^-0.5), sqrt(2)/2), vectors ([0.09, 0.24, 0.67]) or shapes ((16, 8, 8), 16x8x8).
    Works with piped input, one answer per line. Progress is saved after every answer.

    \b
    Examples:
      dlref quiz relu -n 3
      dlref quiz activations --lang zh
      dlref quiz --seed 7 -n 5 --json-questions
    """
    import random

    from dlref.quiz.session import AnswerError, Session, plan
    from dlref.quiz.store import StoreError

    library = load_library()
    cards = select_cards(library, names)
    shown = lang
    seed = random.randrange(2**31) if seed is None else seed
    with open_store() as store:
        from dlref.quiz.questions import seeded

        questions = seeded(plan(cards, count, seed, store), seed)
        if not questions:
            fail(say("error.no-questions"))
        if json_questions:
            print_json([q.to_dict() for q in questions])
            return
        session = Session(questions, store)
        colored = use_color(color)
        interactive = sys.stdin.isatty()
        from dlref.render.style import paint

        try:
            for i, q in enumerate(questions, 1):
                hint = pick({"en": q.hint("en"), "zh": q.hint("zh")}, shown, " / ")
                click.echo(f"\n[{i}/{len(questions)}] {paint(q.card, 'dim', colored)}  "
                           f"{pick(q.prompt, shown, ' / ')}  {t('quiz.hint', shown, hint=hint)}",
                           color=colored)
                for option in q.choices_text(shown):
                    click.echo(f"    {option}")
                start = time.monotonic()
                while True:
                    line = read_answer("> ", interactive)
                    if line is None:
                        raise EOFError
                    if not line.strip():
                        continue
                    try:
                        outcome = session.answer(q, q.answer_text(line),
                                                 int((time.monotonic() - start) * 1000))
                        break
                    except StoreError as exc:
                        _summary(session, shown)
                        fail(say("error.cannot-save", error=exc))
                    except AnswerError as exc:
                        click.echo("  " + t("quiz.try-again", shown, sep="\n  ",
                                            hint=exc.text(shown)))
                if outcome.correct:
                    click.echo(paint("  " + t("quiz.right", shown), "ok", colored), color=colored)
                else:
                    verdict = t("quiz.wrong", shown, answer=q.shown_answer())
                    click.echo(paint("  " + verdict, "bad", colored), color=colored)
                    trap = _diagnosis(q, line)
                    if trap is not None:
                        click.echo("  " + t("quiz.trap", shown, sep="\n  ",
                                            card=trap.card or q.card,
                                            mistake=pick(trap.name, shown, " / ")))
                    if q.solution:
                        click.echo(f"    {pick(q.solution, shown, chr(10) + '    ')}")
                for line_ in q.reasons_text(shown):
                    click.echo(f"    {line_}")
        except (EOFError, KeyboardInterrupt) as stop:
            if isinstance(stop, KeyboardInterrupt):
                click.echo("\n" + t("quiz.interrupted", shown, sep="\n"))
            _summary(session, shown)
            sys.exit(130 if isinstance(stop, KeyboardInterrupt) else 0)
        _summary(session, shown)


def _diagnosis(q: Any, line: str) -> Any:
    """The known mistake a wrong answer matches (Question.diagnose), or None."""
    from dlref.quiz.answer import AnswerError, parse_answer

    try:
        return q.diagnose(parse_answer(q.answer_text(line), kind=q.kind))
    except AnswerError:
        return None


def _summary(session: Any, lang: str) -> None:
    s = session.summary()

    def line(code: str) -> str:
        out = t("quiz.score", code, score=f"{s['correct']}/{s['answered']}",
                seconds=s["seconds"])
        return out + (t("quiz.of-asked", code, asked=s["asked"])
                      if s["answered"] < s["asked"] else "")

    click.echo("\n" + pick({code: line(code) for code in LANGS}, lang, "\n"))
    if s["weakest"]:
        click.echo(t("quiz.review-next", lang, sep="\n", cards=", ".join(s["weakest"])))






@click.command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@lang_option
@click.option("--color", type=COLOR_CHOICE, default="auto", show_default=True)
def stats(as_json: bool, lang: str, color: str) -> None:
    """Your quiz progress: reviews, accuracy per card and tag, what is due, streak."""
    library = load_library()
    tags = {card_id: card.tags for card_id, card in library.cards.items()}
    with open_store() as store:
        figures = store.stats(tags=tags)
    if as_json:
        print_json(figures)
        return
    from dlref.render.style import paint
    from dlref.render.table import table

    colored = use_color(color)
    if not figures["reviews"]:
        click.echo(say("stats.none"))
        return

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{100 * value:.0f}%"

    click.echo(paint(say("stats.heading"), "heading", colored), color=colored)
    click.echo("  " + say("stats.line", reviews=figures["reviews"],
                          accuracy=pct(figures["accuracy"]), retention=pct(figures["retention"]),
                          streak=figures["streak"]).replace("\n", "\n  "))
    click.echo("  " + say("stats.due", now=figures["due_now"],
                          week=" ".join(str(n) for n in figures["due_next_7_days"])
                          ).replace("\n", "\n  "))
    for key, label in (("by_card", "col.card"), ("by_tag", "col.tag")):
        rows = sorted(figures[key].items(), key=lambda kv: (kv[1]["accuracy"], kv[0]))
        click.echo("")
        click.echo(table((t(label, lang), t("col.reviews", lang), t("col.accuracy", lang)),
                         [(k, v["reviews"], pct(v["accuracy"])) for k, v in rows], colored),
                   nl=False, color=colored)
    days = figures["accuracy_by_day"]
    if len(days) >= 2:
        from dlref.demos.base import Plot, Series
        from dlref.render.plot import render_plot

        series = Series(bilingual("stats.accuracy-pct"), list(range(len(days))),
                        [100 * a for _, a, _ in days])
        plot = Plot(bilingual("stats.by-day", first=days[0][0], last=days[-1][0]), [series],
                    xlabel=bilingual("stats.day"))
        click.echo("")
        click.echo(render_plot(plot, lang, min(terminal_width(), 80), colored, height=10),
                   color=colored)


@click.command(context_settings=CONTEXT)
def undo() -> None:
    """Take back the last quiz answer (its review and its effect on scheduling)."""
    with open_store() as store:
        review = store.undo()
    if review is None:
        fail(say("error.nothing-to-undo"))
    click.echo(say("quiz.undid", mark="✓" if review.correct else "✗", card=review.card,
                   template=review.template, answer=review.answer,
                   when=f"{review.ts:%Y-%m-%d %H:%M}"))
