"""`dlref quiz`, `dlref stats` and `dlref undo`: self-testing and progress."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

import click

from dlref.commands.common import (
    color_option,
    complete_card_or_tag,
    fail,
    find_card,
    lang_option,
    load_library,
    print_json,
    say,
    tag_named,
    terminal_width,
    typed,
    ui_lang,
    use_color,
    warn,
    wrapped,
)
from dlref.commands.helptext import command
from dlref.config import DAILY_NEW_MAX
from dlref.i18n import BOTH, LANGS, bilingual, listed, pick, t, tag_label

if TYPE_CHECKING:
    from dlref.cards import Card, Library


def select_cards(library: Library, names: tuple[str, ...]) -> list[Card]:
    """Cards named (or tagged) on the command line; all cards when none are named."""
    if not names:
        return list(library.cards.values())
    chosen: dict[str, Card] = {}
    for name in names:  # a card's name wins over a tag's name in another language (激活函数)
        tag = None if library.lookup(typed(name)).card else tag_named(library, name)
        if tag is not None:
            chosen.update({c.id: c for c in library.cards.values() if tag in c.tags})
        else:
            card = find_card(library, name)
            chosen[card.id] = card
    return list(chosen.values())


@contextmanager
def open_store(create: bool = True) -> Iterator[Any]:
    """The progress store, closed afterwards; a damaged file is moved aside and the user told.
    A command that only reads passes `create=False`: then a store that does not exist yet is
    an empty one, and no file or directory is made.

    A StoreError anywhere in the `with` body (an unusable file, or contents dlref cannot read)
    ends the command with its one-line message and exit status 1, never a traceback.
    """
    from dlref.quiz.store import Store, StoreError

    try:
        with Store.open(create=create) as store:
            note = store.recovery_message(ui_lang())  # damaged: moved aside, what still read
            if note:
                warn(note)
            yield store
    except StoreError as exc:
        fail(exc.text(ui_lang()))


def read_answer(prompt: str, interactive: bool) -> str | None:
    """One line of input, or None at end of input. Ctrl-D on a terminal echoes nothing, so
    the prompt's line is ended here, as it is when piped: the summary (or the shell's
    prompt) starts on a line of its own."""
    if interactive:
        try:
            return input(prompt)
        except EOFError:
            click.echo()
            return None
    click.echo(prompt, nl=False)
    line = sys.stdin.readline()
    if not line:
        click.echo()
        return None
    click.echo(line.rstrip("\n"))
    return line


@contextmanager
def held_ctrl_c() -> Iterator[None]:
    """Hold a Ctrl-C while the store and the session change together (an answer saved and
    counted, one taken back and uncounted), then deliver it: the summary then counts what the
    store kept. Pressed between the store's commit and the session's count, it left a saved
    answer out of the summary. Where SIGINT is ignored, or off the main thread, as it was."""
    import signal
    import threading

    old = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or old in (
            signal.SIG_IGN, None):
        yield
        return
    pressed: list[int] = []
    signal.signal(signal.SIGINT, lambda signum, _frame: pressed.append(signum))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, old)
        if pressed:
            signal.raise_signal(signal.SIGINT)  # as the handler in force would have had it


#: The grade keys after a verdict (the app reserves the same letters on its Quiz tab).
GRADE_KEYS = {"a": 1, "h": 2, "g": 3, "e": 4}


def read_key() -> str:
    """One key press from the terminal, without Enter (Ctrl-C still interrupts)."""
    import termios
    import tty

    fd = sys.stdin.fileno()
    old = termios.tcgetattr(fd)
    try:
        tty.setcbreak(fd, termios.TCSANOW)  # not TCSAFLUSH: a key typed early is kept
        key = os.read(fd, 1).decode("utf-8", "replace")
    finally:
        termios.tcsetattr(fd, termios.TCSADRAIN, old)
    if key == "\x03":
        raise KeyboardInterrupt
    if key == "\x04":
        raise EOFError
    return key


def ask_grade(session: Any, shown: str, colored: bool) -> None:
    """On a terminal: one key press to change the grade just given (a/h/g/e); any other key,
    Enter included, keeps the default (wrong → Again, right → Good)."""
    from dlref.render.style import strip_ansi
    from dlref.text.width import width_of

    outcome = session.outcomes[-1]
    default = bilingual(f"rating.{outcome.rating}")  # each language names it in its own words
    *above, last = [line for text in t("quiz.grade-line", shown, "\n", default=default).split("\n")
                    for line in wrapped([(text, "dim")], "  ", "  ", colored)]
    for line in above:
        click.echo(line, color=colored)
    click.echo(last + " ", nl=False, color=colored)
    key = read_key().lower()
    rating = GRADE_KEYS.get(key)
    queued = outcome.requeued
    if rating is not None and rating != outcome.rating:
        from dlref.quiz.store import StoreError

        try:
            with held_ctrl_c():
                session.grade(rating)
        except StoreError as exc:  # another dlref answered since: the grade stays
            click.echo(exc.text(shown, " / "))
    # an arrow, so the answer to the prompt stands apart from it without colour too
    graded = "→ " + t("quiz.graded", shown, rating=bilingual(f"rating.{outcome.rating}"))
    if width_of(strip_ansi(last)) + 1 + width_of(graded) > terminal_width():
        graded = "\n  " + graded  # on a line of its own rather than past the edge
    click.echo(graded)
    if outcome.requeued is not queued:  # the grade decides whether the item comes back
        said = "quiz.comes-back" if outcome.requeued is not None else "quiz.not-coming-back"
        _say(t(said, shown, sep=" / "), "  ", "  ", colored)


@command()
@click.argument("names", nargs=-1, shell_complete=complete_card_or_tag)
@click.option("-n", "count", default=10, show_default=True, type=click.IntRange(1, 500),
              help="At most how many questions (each item once, plus failed ones again).")
@lang_option
@click.option("--seed", type=click.IntRange(min=0), default=None,
              help="Seed for the questions, >= 0 (default: random).")
@click.option("--practice", is_flag=True,
              help="Practice: ask any items, record the answers, move no due date.")
@click.option("--new", "new_limit", type=click.IntRange(0, DAILY_NEW_MAX), default=None,
              help="New items a day (default: DLREF_NEW_PER_DAY, else the config's "
                   "daily_new, else 20).")
@click.option("--json-questions", is_flag=True,
              help="Print the questions with answers as JSON and record nothing.")
@color_option
def quiz(names: tuple[str, ...], count: int, lang: str, seed: int | None, practice: bool,
         new_limit: int | None, json_questions: bool, color: str) -> None:
    """Numeric self-test on CARDs or TAGs (default: everything): due items first, then new ones
    up to the daily limit; when nothing is due it is practice, which moves no due date.

    Answers may be numbers (0.731, .731, 7.31e-1, 73.1%, 1/3), small expressions
    (1/(1+e^-0.5), sqrt(2)/2), vectors ([0.09, 0.24, 0.67]) or shapes ((16, 8, 8), 16x8x8).
    Type ? if you do not know (shows the solution, counts as Again), skip to move on without
    recording, undo to take back the last answer. On a terminal, after the verdict, one key
    changes its grade: a Again, h Hard, g Good, e Easy (Enter keeps wrong → Again,
    right → Good). Works with piped input, one answer per line (no grade prompt).

    \b
    Examples:
      dlref quiz relu -n 3
      dlref quiz activations --lang zh
      dlref quiz --practice softmax
      dlref quiz --seed 7 -n 5 --json-questions
    """
    import os
    import random

    from dlref.quiz.session import build, due_text, parse_new_limit

    wanted = os.environ.get("DLREF_NEW_PER_DAY", "").strip()
    if new_limit is None and wanted and parse_new_limit(wanted) is None:  # said, not ignored
        warn(say("error.bad-env-new", value=wanted, most=DAILY_NEW_MAX))
    library = load_library()
    cards = select_cards(library, names)
    shown = lang
    seed = random.randrange(2**31) if seed is None else seed
    interactive = sys.stdin.isatty()
    with open_store(create=not json_questions) as store:
        session = build(cards, count, seed, store, new_limit=new_limit, practice=practice)
        if not session.questions:
            fail(say("error.no-questions"))
        if json_questions:
            print_json([q.to_dict() for q in session.questions])
            return
        if session.practice and not practice:
            if names:
                click.echo(say("quiz.practice-card", cards=listed(names)))
            else:
                due = store.next_due()
                click.echo(say("quiz.nothing-due", when=due_text(due)) if due is not None
                           else say("quiz.nothing-due-new", limit=_new_limit(new_limit)))
                if not interactive:
                    click.echo(say("quiz.practice-how"))
                    return
                answer = read_answer(t("quiz.offer-practice", shown, sep=" / "), True)
                if not answer or answer.strip().lower() not in ("y", "yes", "是"):
                    return
        _run(session, shown, use_color(color), interactive)


def _new_limit(flag: int | None) -> int:
    """Today's new-item limit as the session applied it: --new, else the environment's or the
    config's (`dlref.quiz.session.daily_new_limit`)."""
    from dlref.quiz.session import daily_new_limit

    return daily_new_limit() if flag is None else flag


def _run(session: Any, shown: str, colored: bool, interactive: bool) -> None:
    """Ask the session's questions until the end (or end of input), then the summary."""
    from dlref.quiz.session import REVEAL, SKIP, UNDO, AnswerError, command_word, took_back_text
    from dlref.quiz.store import StoreError

    keys = "quiz.keys-terminal" if interactive else "quiz.keys"  # Ctrl-D: a terminal's word
    _say(t(keys, shown, sep="\n"), "", "  ", colored, "dim")
    if session.practice:
        _say(t("quiz.practice-note", shown, sep="\n"), "", "  ", colored, "dim")
    i = 0
    try:
        while i < len(session.questions):
            q = session.questions[i]
            click.echo()
            # each language its own paragraph, its prompt followed by its hint
            asked = [f"{pick(q.prompt, code)}  {t('quiz.hint', code, hint=q.hint(code))}"
                     for code in (LANGS if shown == BOTH else (shown,))]
            _say([(f"[{i + 1}/{len(session.questions)}] ", None), (q.card, "dim"),
                  (f"  {asked[0]}", None)], "", "    ", colored)
            for more in asked[1:]:
                _say(more, "    ", "    ", colored)
            for option in q.choices_text(shown):
                _say([(option, None)], "    ", " " * (6 + option.index(")")), colored)
            start = time.monotonic()
            outcome = None
            while True:
                line = read_answer("> ", interactive)
                if line is None:
                    raise EOFError
                word = line.strip()
                if not word:
                    continue
                said = command_word(word)
                try:
                    if said == SKIP:
                        session.skip(q)
                        _say(t("quiz.skipped", shown, sep=" / "), "  ", "  ", colored)
                        break
                    if said == UNDO:
                        try:
                            with held_ctrl_c():
                                back = session.undo()
                        except StoreError as exc:  # another dlref answered since: kept
                            _say(exc.text(shown, " / "), "  ", "  ", colored)
                            continue
                        if back is None:
                            _say(t("quiz.nothing-to-take-back", shown, sep=" / "), "  ", "  ",
                                 colored)
                            continue
                        _say(took_back_text(back, shown), "  ", "  ", colored)
                        i = max(0, next((k for k, x in enumerate(session.questions)
                                         if x is back.question), i))
                        break
                    elapsed = int((time.monotonic() - start) * 1000)
                    with held_ctrl_c():
                        outcome = (session.reveal(q, elapsed) if said == REVEAL
                                   else session.answer(q, line, elapsed))
                    break
                except StoreError as exc:
                    _summary(session, shown)
                    fail(say("error.cannot-save", error=exc.words))
                except AnswerError as exc:
                    _say(t("quiz.try-again", shown, sep="\n", hint={"en": exc.en, "zh": exc.zh}),
                         "  ", "    ", colored)
            if outcome is None:
                if said == SKIP:
                    i += 1
                continue
            _verdict(q, outcome, shown, colored)
            if interactive and not outcome.revealed:  # "I don't know" stays Again
                ask_grade(session, shown, colored)
            i += 1
    except (EOFError, KeyboardInterrupt) as stop:
        if isinstance(stop, KeyboardInterrupt):
            click.echo("\n" + t("quiz.interrupted", shown, sep="\n"))
        _summary(session, shown)
        sys.exit(130 if isinstance(stop, KeyboardInterrupt) else 0)
    _summary(session, shown)


def _verdict(q: Any, outcome: Any, shown: str, colored: bool) -> None:
    from dlref.quiz.session import REVEAL

    if outcome.revealed:
        _say(t("quiz.revealed", shown, sep=" / ", answer=q.shown_answer()), "  ", "  ",
             colored, "bad")
        if outcome.given != REVEAL:  # typed after a ? that undo took back
            _say(t("quiz.seen-answer", shown, sep="\n"), "  ", "  ", colored, "dim")
        if q.solution:
            _say(pick(q.solution, shown, "\n"), "    ", "    ", colored)
    elif outcome.correct:
        _say(t("quiz.right", shown), "  ", "  ", colored, "ok")
    else:
        _say(t("quiz.wrong", shown, answer=q.shown_answer()), "  ", "  ", colored, "bad")
        trap = outcome.trap
        if trap is not None:
            _say(t("quiz.trap", shown, sep="\n", card=trap.card or q.card, mistake=trap.name),
                 "  ", "  ", colored)
        if q.solution:
            _say(pick(q.solution, shown, "\n"), "    ", "    ", colored)
    for reason in q.reasons_text(shown):  # "2) ✗ why…", the lines after hanging under "why"
        _say(reason, "    ", " " * (8 + reason.index(")")), colored)
    if outcome.requeued is not None:
        _say(t("quiz.comes-back", shown, sep=" / "), "  ", "  ", colored)


def _say(text: str | list[tuple[str, str | None]], first: str, rest: str, colored: bool,
         style: str | None = None) -> None:
    """Text (each of its lines) or styled runs, wrapped to the terminal after the prefixes."""
    paragraphs = [[(line, style)] for line in text.split("\n")] if isinstance(text, str) \
        else [text]
    for runs in paragraphs:
        for line in wrapped(runs, first, rest, colored):
            click.echo(line, color=colored)


def _summary(session: Any, lang: str) -> None:
    s = session.summary()

    def line(code: str) -> str:
        out = t("quiz.score", code, score=f"{s['correct']}/{s['answered']}",
                seconds=s["seconds"])
        return out + (t("quiz.of-asked", code, asked=s["asked"], planned=s["planned"])
                      if s["asked"] < s["planned"] else "")

    click.echo()  # each line wrapped to the terminal, as the questions are
    _say(pick({code: line(code) for code in LANGS}, lang, "\n"), "", "  ", False)
    _say(t("quiz.tally", lang, sep="\n", reviews=s["reviews"], practice=s["practice"],
           skipped=s["skipped"]), "", "  ", False)
    if s["weakest"]:
        _say(t("quiz.review-next", lang, sep="\n", cards=listed(s["weakest"])), "", "  ",
             False)


@command()
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@lang_option
@color_option
def stats(as_json: bool, lang: str, color: str) -> None:
    """Your quiz progress: reviews, accuracy per card and tag, what is due, streak."""
    library = load_library()
    tags = {card_id: card.tags for card_id, card in library.cards.items()}
    with open_store(create=False) as store:
        figures = store.stats(tags=tags)
    if as_json:
        print_json(figures)
        return
    from dlref.render.table import table
    from dlref.text.wrap import NO_BREAK

    colored = use_color(color)
    if not figures["reviews"]:
        click.echo(say("stats.none"))
        return

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{100 * value:.0f}%"

    _say(say("stats.heading"), "", "  ", colored, "heading")

    def indent(text: str, style: str | None = None) -> None:
        _say(text, "  ", "    ", colored, style)

    indent(say("stats.line", reviews=figures["reviews"], practice=figures["practice"],
               accuracy=pct(figures["accuracy"]), streak=figures["streak"]))
    retention, counted = figures["true_retention"], figures["due_reviews"]
    if counted["all"]:
        def measured(window: str) -> str:
            return (f"{pct(retention[window])} ({counted[window]})" if counted[window]
                    else "-")

        indent(say("stats.retention", today=measured("today"), week=measured("last_7_days"),
                   month=measured("last_30_days")))
    else:
        indent(say("stats.no-due-reviews"))
    if figures["predicted_recall"] is not None:
        indent(say("stats.predicted", recall=pct(figures["predicted_recall"]),
                   items=figures["items"]), "dim")
    indent(say("stats.next-week", now=figures["due_now"],
               week={code: _week(figures["due_next_7_days"], code, glue=NO_BREAK)
                     for code in LANGS}))
    from dlref.quiz.store import CALIBRATION_MIN

    if figures["calibration_enough"]:
        click.echo("")
        _say(say("stats.calibration"), "", "  ", colored, "heading")
        click.echo(table((t("col.bin", lang), t("col.reviews", lang), t("col.predicted", lang),
                          t("col.actual", lang)),
                         [(f"{100 * b['from']:.0f}–{100 * b['to']:.0f}%", b["reviews"],
                           pct(b["predicted"]), pct(b["actual"]))
                          for b in figures["calibration"]], colored, terminal_width()),
                   nl=False, color=colored)
    else:
        indent(say("stats.calibration-later", need=CALIBRATION_MIN,
                   have=sum(b["reviews"] for b in figures["calibration"])), "dim")
    click.echo("")
    _say(say("stats.heatmap"), "", "  ", colored, "heading")
    # a year on a wide terminal or piped; on a narrow one, the weeks that fit
    weeks = terminal_width() - 5 if sys.stdout.isatty() else None
    click.echo(heatmap(figures["daily_reviews"], lang, weeks=weeks))
    for key, label in (("by_card", "col.card"), ("by_tag", "col.tag")):
        rows = sorted(figures[key].items(), key=lambda kv: (kv[1]["accuracy"], kv[0]))
        if not rows:  # answers only on cards that are gone, which have no tags: no table
            continue
        named = tag_label if key == "by_tag" else lambda k, _lang: k  # tags as the sidebar says
        click.echo("")
        click.echo(table((t(label, lang), t("col.reviews", lang), t("col.accuracy", lang)),
                         [(named(k, lang), v["reviews"], pct(v["accuracy"])) for k, v in rows],
                         colored, terminal_width()),
                   nl=False, color=colored)
    if figures["traps"]:
        click.echo("")
        _say(say("stats.traps"), "", "  ", colored, "heading")
        click.echo(table((t("col.mistake", lang), t("col.card", lang), t("col.times", lang)),
                         [(pick(x["mistake"], lang, " / "), x["card"], x["count"])
                          for x in figures["traps"][:TOP_TRAPS]], colored,
                         width=terminal_width()),
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


#: How many of the mistakes made most `dlref stats` lists (`--json` has them all).
TOP_TRAPS = 10


def _week(counts: list[int], lang: str, today: Any = None, glue: str = " ") -> str:
    """The next 7 days' due counts, each after its day: "today 3  Thu 0  Fri 2 ...". Day
    names, not the heatmap's letters: T and S each stand for two days. The learner's local
    days, as `stats` counts them. `glue` joins a day to its count (`NO_BREAK`: the line is
    not broken between them, 'Wed' / '0')."""
    from datetime import timedelta

    from dlref.quiz.schedule import local_date

    names = t("stats.weekday-names", lang).split()
    today = today or local_date()
    days = [t("stats.today", lang)] + [names[(today + timedelta(days=k)).weekday()]
                                         for k in range(1, len(counts))]
    return "  ".join(f"{day}{glue}{n}" for day, n in zip(days, counts, strict=True))


#: Shades for the heatmap: no answers, then four levels up to the busiest day.
SHADES = " ░▒▓█"


def heatmap(daily: dict[str, int], lang: str, today: Any = None,
            weeks: int | None = None) -> str:
    """A year of daily answers as a contribution calendar: 7 rows (Monday to Sunday), one
    column per week, the oldest week on the left; a day with no answers is '·', the others
    are shaded by their count against the busiest day: ░ up to a quarter of its count,
    ▒ up to half, ▓ up to three quarters, █ above. `weeks` caps the columns (the latest
    weeks are kept), for a narrow terminal. Days are the learner's local days, as `stats`
    counts them."""
    from datetime import timedelta

    from dlref.quiz.schedule import local_date

    today = today or local_date()
    start = today - timedelta(days=364)
    start -= timedelta(days=start.weekday())  # a Monday
    if weeks is not None:
        monday = today - timedelta(days=today.weekday())
        start = max(start, monday - timedelta(weeks=max(weeks, 1) - 1))
    weeks = (today - start).days // 7 + 1
    top = max(daily.values(), default=0)
    names = t("stats.weekdays", lang if lang in LANGS else "en")
    rows = []
    for weekday in range(7):
        cells = []
        for week in range(weeks):
            day = start + timedelta(days=7 * week + weekday)
            if day > today:
                cells.append(" ")
                continue
            n = daily.get(day.isoformat(), 0)
            cells.append("·" if n == 0 else SHADES[max(1, min(4, -(-4 * n // top)))])
        rows.append(f"  {names[weekday]} " + "".join(cells))
    return "\n".join(rows)


@command()
@lang_option
def undo(lang: str) -> None:
    """Take back the last quiz answer (its review and its effect on scheduling)."""
    with open_store(create=False) as store:
        review = store.undo()
    if review is None:
        fail(say("error.nothing-to-undo"))
    from dlref.quiz.session import undid_text

    click.echo(undid_text(review, ui_lang(), "\n"))


@command()
@lang_option
def optimize(lang: str) -> None:
    """Fit FSRS parameters to your own reviews and use them if they predict better.

    Needs about a thousand due reviews, and PyTorch: pip install 'dlref[optimize]'. A fifth
    of your items are held out; the fitted parameters are kept only if their log-loss on
    those items' reviews is lower than the defaults'.
    """
    from dlref.quiz import schedule

    with open_store(create=False) as store:
        histories = store.histories()
    have = schedule.due_review_count(histories)
    if have < schedule.OPTIMIZE_MIN:
        fail(say("optimize.too-few", have=have, need=schedule.OPTIMIZE_MIN,
                 more=schedule.OPTIMIZE_MIN - have))
    train, held = schedule.split(histories)
    try:
        params = schedule.fit(train)
    except ImportError:
        fail(say("optimize.missing"))
    default, n = schedule.log_loss(held, schedule.DEFAULT_SCHEDULER)
    fitted, _ = schedule.log_loss(held, schedule.make_scheduler(params))
    click.echo(say("optimize.result", n=n, default=f"{default:.4f}", fitted=f"{fitted:.4f}"))
    if fitted < default:
        path = schedule.save_parameters(params, {"default_log_loss": default,
                                                 "fitted_log_loss": fitted, "held_out": n})
        click.echo(say("optimize.kept", path=path))
    else:
        click.echo(say("optimize.not-better"))
