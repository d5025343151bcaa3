"""The `dlref` command line: parse arguments, call the core, render for a terminal or a pipe.

Heavy imports (NumPy, Textual, plotext) happen inside the commands that need them, so that
`dlref show` starts as fast as Python and click allow.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import click

from dlref import __version__

if TYPE_CHECKING:
    from dlref.cards import Card, Library

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
COLOR_CHOICE = click.Choice(["auto", "always", "never"])


# -- shared helpers -----------------------------------------------------------------------------


def use_color(choice: str = "auto", stream: Any = None) -> bool:
    """--color wins; then NO_COLOR, then FORCE_COLOR, then whether the stream is a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "0") not in ("", "0"):
        return True
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def terminal_width() -> int:
    return shutil.get_terminal_size((80, 24)).columns


def fail(message: str, code: int = 1) -> NoReturn:
    click.echo(f"dlref: {message}", err=True)
    sys.exit(code)


def load_library() -> Library:
    """All cards; a broken file is mentioned once on stderr, and the rest still work."""
    from dlref.cards import Library

    library = Library.load()
    if library.errors:
        files = {e.path for e in library.errors}
        click.echo(f"dlref: {len(files)} content file(s) have errors and were skipped; "
                   "run `dlref check` for details", err=True)
    return library


def find_card(library: Library, name: str) -> Card:
    """The card for `name`, or exit 1 with suggestions."""
    card = library.find(name)
    if card is not None:
        return card
    lines = [f"no card named {name!r}."]
    suggestions = library.suggest(name)
    if suggestions:
        lines.append(f"Did you mean: {', '.join(suggestions)}?")
    lines.append(f"Search the text with: dlref search {_quote(name)}")
    fail("\n".join(lines))


def _quote(text: str) -> str:
    return text if text.replace("-", "").isalnum() else json.dumps(text, ensure_ascii=False)


def complete_card(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion over card ids and English aliases."""
    from click.shell_completion import CompletionItem

    from dlref.cards import Library

    library = Library.load()
    out = [CompletionItem(i, help=c.title_in("en")) for i, c in library.cards.items()
           if i.startswith(incomplete)]
    return out


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


# -- the group ----------------------------------------------------------------------------------


@click.group(context_settings=CONTEXT, invoke_without_command=True)
@click.version_option(__version__, "-V", "--version", prog_name="dlref")
@click.pass_context
def main(ctx: click.Context) -> None:
    """dlref: deep-learning concepts in English and 中文 — cards, live demos and quizzes.

    With no command on a terminal, opens the interactive app; otherwise prints this help.
    """
    if ctx.invoked_subcommand is not None:
        return
    if sys.stdin.isatty() and sys.stdout.isatty() and "tui" in main.commands:
        ctx.invoke(main.commands["tui"])
    else:
        click.echo(ctx.get_help())


# -- show ---------------------------------------------------------------------------------------


@main.command(context_settings=CONTEXT)
@click.argument("name", shell_complete=complete_card)
@click.option("--lang", "-l", help="en, zh or both (default: DLREF_LANG, LANGUAGE/LANG, en).")
@click.option("--raw", is_flag=True, help="Print the card's markdown.")
@click.option("--json", "as_json", is_flag=True, help="Print the card's fields as JSON.")
@click.option("--color", type=COLOR_CHOICE, default="auto", show_default=True,
              help="Colour: auto follows the terminal, NO_COLOR and FORCE_COLOR.")
def show(name: str, lang: str | None, raw: bool, as_json: bool, color: str) -> None:
    """Show the card for NAME: an id, an alias in any language, or a prefix.

    \b
    Examples:
      dlref show relu
      dlref show 线性整流函数
      dlref show "batch norm" --lang both
    """
    from dlref.cards.lang import BOTH, resolve_language

    library = load_library()
    card = find_card(library, name)
    if as_json:
        print_json(card.to_dict())
        return
    wanted = resolve_language(lang)
    langs = [lang_ for lang_ in card.languages] if wanted == BOTH else [wanted]
    if wanted == BOTH:
        langs = [x for x in ("en", "zh") if x in card.languages] or card.languages[:1]
    shown = []
    for code in langs:
        if code in card.languages:
            shown.append(code)
        else:
            click.echo(f"dlref: {card.id} has no {code!r} text; showing English.", err=True)
            shown.append("en")
    shown = list(dict.fromkeys(shown))
    if raw:
        click.echo("\n\n".join(card.markdown(code) for code in shown))
        return
    click.echo(render_for_terminal(card, shown, color), nl=False, color=use_color(color))


def render_for_terminal(card: Card, langs: list[str], color_choice: str) -> str:
    from dlref import render

    color = use_color(color_choice)
    width = terminal_width()
    if len(langs) == 2 and width >= 100:
        return render.render_side_by_side(card, langs[0], langs[1], width, color)
    return "\n".join(render.render_card(card, code, width, color) for code in langs)


# -- list / search / check ----------------------------------------------------------------------


@main.command("list", context_settings=CONTEXT)
@click.option("--tag", "-t", help="Only cards with this tag.")
@click.option("--json", "as_json", is_flag=True, help="Print the cards as JSON.")
@click.option("--color", type=COLOR_CHOICE, default="auto", show_default=True)
def list_cards(tag: str | None, as_json: bool, color: str) -> None:
    """List the cards: ids when piped, a table on a terminal."""
    library = load_library()
    cards = list(library.cards.values())
    if tag:
        cards = [c for c in cards if tag in c.tags]
        if not cards:
            fail(f"no card has the tag {tag!r}. Tags: {', '.join(library.tags())}")
    if as_json:
        print_json([{"id": c.id, "title": c.title, "tags": c.tags, "aliases": c.aliases}
                    for c in cards])
    elif not sys.stdout.isatty():
        for card in cards:
            click.echo(card.id)
    else:
        from dlref.render import table

        rows = [(c.id, c.title_in("en"), c.title.get("zh", ""), ", ".join(c.tags)) for c in cards]
        colored = use_color(color)
        click.echo(table(("id", "English", "中文", "tags"), rows, colored), nl=False, color=colored)


@main.command(context_settings=CONTEXT)
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", "-n", default=10, show_default=True, type=click.IntRange(1, 100))
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@click.option("--color", type=COLOR_CHOICE, default="auto", show_default=True)
def search(query: tuple[str, ...], limit: int, as_json: bool, color: str) -> None:
    """Full-text search over titles, aliases and text in every language.

    \b
    Examples:
      dlref search 梯度
      dlref search vanishing gradient
    """
    from dlref.render import paint

    text = " ".join(query)
    hits = load_library().search(text, limit)
    if as_json:
        print_json([{"id": h.card.id, "score": h.score, "lang": h.lang, "line": h.line}
                    for h in hits])
        return
    if not hits:
        fail(f"nothing matches {text!r}. List the cards with: dlref list")
    colored = use_color(color)
    for hit in hits:
        click.echo(f"{paint(hit.card.id, 'bold', colored)}  {hit.card.title_in(hit.lang)}",
                   color=colored)
        click.echo(f"    {hit.line}")


@main.command(context_settings=CONTEXT)
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
def check(path: Path | None) -> None:
    """Validate content: schema, languages, links, aliases and worked examples.

    With PATH (a card file or a directory), check those cards alongside the bundled ones.
    Problems are printed as file:line: message; the exit code is 1 if there are any.
    """
    from dlref.cards import Library
    from dlref.cards.library import content_dirs
    from dlref.cards.validate import check_library

    dirs = content_dirs()
    if path is not None:
        root = path if path.is_dir() else path.parent
        if root.resolve() != dirs[0][0].resolve():
            dirs = [d for d in dirs if d[1]] + [(root, False)]
    library = Library.load(dirs)
    errors = check_library(library, only=path)
    for error in errors:
        click.echo(str(error))
    count = len(library.cards)
    if errors:
        fail(f"{len(errors)} problem(s) found.")
    click.echo(f"{count} cards OK.", err=True)


# -- demo ---------------------------------------------------------------------------------------


def parse_settings(pairs: tuple[str, ...]) -> dict[str, str]:
    """`--set lr=0.1 --set optimizer=adam` → {"lr": "0.1", "optimizer": "adam"}."""
    out = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            fail(f"--set takes knob=value, got {pair!r}", 2)
        out[name.strip()] = value
    return out


@main.command(context_settings=CONTEXT)
@click.argument("name", required=False, shell_complete=complete_card)
@click.option("--set", "settings", multiple=True, metavar="KNOB=VALUE",
              help="Set a knob (repeatable).")
@click.option("--seed", default=0, show_default=True, type=int, help="Random seed.")
@click.option("--list", "list_demos", is_flag=True, help="List the demos and their knobs.")
@click.option("--json", "as_json", is_flag=True, help="Print the numbers as JSON.")
@click.option("--code", is_flag=True, help="Print the source of the kernels the demo uses.")
@click.option("--lang", "-l", help="en or zh (default: DLREF_LANG, LANGUAGE/LANG, en).")
@click.option("--color", type=COLOR_CHOICE, default="auto", show_default=True)
def demo(name: str | None, settings: tuple[str, ...], seed: int, list_demos: bool,
         as_json: bool, code: bool, lang: str | None, color: str) -> None:
    """Run the live demo NAME (a demo name, or any card name as `show` takes).

    \b
    Examples:
      dlref demo --list
      dlref demo gradient-descent --set lr=0.1 --set optimizer=adam
      dlref demo pooling --set kernel_size=3 --set stride=2
      dlref demo relu --code
    """
    from dlref import demos

    if list_demos or not name:
        _list_demos(as_json)
        return
    preset: dict[str, Any] = {}
    if name in demos.NAMES:
        the_demo = demos.get(name)
    else:
        card = find_card(load_library(), name)
        if not card.demo:
            fail(f"card {card.id!r} has no demo")
        the_demo, preset = demos.get(card.demo), dict(card.demo_set)
    try:
        values = the_demo.resolve(parse_settings(settings), preset)
    except demos.KnobError as exc:
        knobs = "\n".join(f"  {k.describe()} (default {_value(k.default)})"
                          for k in the_demo.knobs)
        fail(f"{exc}\nKnobs of {the_demo.name}:\n{knobs}", 2)
    if code:
        import inspect

        kernels = list(the_demo.kernels)
        own = [k for k in kernels if k.__name__.startswith(name.replace("-", "_"))]
        for kernel in own or kernels:
            click.echo(f"# {kernel.__module__}.{kernel.__name__}\n{inspect.getsource(kernel)}")
        return
    import numpy as np

    result = the_demo.run(values, np.random.default_rng(seed))
    if as_json:
        print_json({"demo": the_demo.name, "seed": seed, "knobs": values, **result.to_dict()})
        return
    from dlref import render
    from dlref.cards.lang import resolve_language

    shown = resolve_language(lang)
    shown = shown if shown in ("en", "zh") else "en"
    colored = use_color(color)
    head = ", ".join(f"{k}={v}" for k, v in values.items())
    title = the_demo.title.get(shown) or the_demo.title["en"]
    click.echo(render.paint(f"{title}  ({the_demo.name}: {head})", "title", colored),
               color=colored)
    click.echo(render.render_result(result, shown, terminal_width(), colored), nl=False,
               color=colored)


def _value(value: Any) -> str:
    return str(value).lower() if isinstance(value, bool) else str(value)


def _list_demos(as_json: bool) -> None:
    from dlref import demos

    cards = load_library().cards.values()
    rows = []
    for name in demos.NAMES:
        d = demos.get(name)
        rows.append({"name": name, "title": dict(d.title),
                     "cards": [c.id for c in cards if c.demo == name],
                     "knobs": [k.describe() for k in d.knobs], "stepwise": d.frames is not None})
    if as_json:
        print_json(rows)
        return
    for row in rows:
        click.echo(f"{row['name']:<18} {row['title']['en']}")
        click.echo(f"{'':<18} cards: {', '.join(row['cards']) or '-'}")
        click.echo(f"{'':<18} knobs: {'; '.join(row['knobs'])}")


# -- glossary -----------------------------------------------------------------------------------


@main.command(context_settings=CONTEXT)
@click.argument("query", required=False, default="")
@click.option("--json", "as_json", is_flag=True, help="Print the terms as JSON.")
@click.option("--color", type=COLOR_CHOICE, default="auto", show_default=True)
def glossary(query: str, as_json: bool, color: str) -> None:
    """The English ↔ Chinese term table, built from the cards' titles and aliases.

    \b
    Examples:
      dlref glossary
      dlref glossary 梯度
    """
    rows = load_library().glossary(query)
    if as_json:
        print_json(rows)
        return
    if not rows:
        fail(f"no term matches {query!r}")
    from dlref.render import table

    colored = use_color(color)
    body = [("; ".join(r.get("en", [])), "；".join(r.get("zh", [])), r["id"]) for r in rows]
    if sys.stdout.isatty() or colored:
        click.echo(table(("English", "中文", "card"), body, colored), nl=False, color=colored)
    else:
        for en, zh, card_id in body:
            click.echo(f"{en}\t{zh}\t{card_id}")


# -- quiz ---------------------------------------------------------------------------------------


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


def open_store() -> Any:
    """The progress store; a damaged file is moved aside and the user told where."""
    from dlref.quiz.store import Store, StoreError

    try:
        store = Store.open()
    except StoreError as exc:
        fail(str(exc))
    if store.recovered_from is not None:
        click.echo(f"dlref: your progress file was damaged; it was moved to "
                   f"{store.recovered_from} and a new one started.", err=True)
    return store


def _text(bilingual: dict[str, str], lang: str) -> str:
    if lang == "both":
        parts = [bilingual.get("en", ""), bilingual.get("zh", "")]
        return " / ".join(p for p in dict.fromkeys(parts) if p)
    return bilingual.get(lang) or bilingual.get("en", "")


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


@main.command(context_settings=CONTEXT)
@click.argument("names", nargs=-1, shell_complete=complete_card)
@click.option("-n", "count", default=10, show_default=True, type=click.IntRange(1, 500),
              help="How many questions.")
@click.option("--lang", "-l", help="en, zh or both (default: DLREF_LANG, LANGUAGE/LANG, en).")
@click.option("--seed", type=int, default=None, help="Seed for the questions (default: random).")
@click.option("--json-questions", is_flag=True,
              help="Print the questions with answers as JSON and record nothing.")
@click.option("--color", type=COLOR_CHOICE, default="auto", show_default=True)
def quiz(names: tuple[str, ...], count: int, lang: str | None, seed: int | None,
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

    from dlref.cards.lang import resolve_language
    from dlref.quiz.session import AnswerError, Session, plan

    library = load_library()
    cards = select_cards(library, names)
    shown = resolve_language(lang)
    seed = random.randrange(2**31) if seed is None else seed
    store = open_store()
    with store:
        questions = plan(cards, count, seed, store)
        if not questions:
            fail("no questions for these cards yet.")
        if json_questions:
            print_json([q.to_dict() for q in questions])
            return
        session = Session(questions, store)
        colored = use_color(color)
        interactive = sys.stdin.isatty()
        from dlref.render import paint

        try:
            for i, q in enumerate(questions, 1):
                hint = _text({"en": q.hint("en"), "zh": q.hint("zh")}, shown)
                click.echo(f"\n[{i}/{len(questions)}] {paint(q.card, 'dim', colored)}  "
                           f"{_text(q.prompt, shown)}  ({hint})", color=colored)
                start = time.monotonic()
                while True:
                    line = read_answer("> ", interactive)
                    if line is None:
                        raise EOFError
                    if not line.strip():
                        continue
                    try:
                        outcome = session.answer(q, line, int((time.monotonic() - start) * 1000))
                        break
                    except AnswerError as exc:
                        if shown == "zh":
                            click.echo(f"  ? {getattr(exc, 'zh', None) or exc}——请再试一次。")
                        else:
                            click.echo(f"  ? {exc} — try again.")
                answer = q.shown_answer()
                if outcome.correct:
                    click.echo(paint("  ✓ right", "ok", colored), color=colored)
                else:
                    click.echo(paint(f"  ✗ the answer is {answer}", "bad", colored),
                               color=colored)
                    click.echo(f"    {_text(q.solution, shown)}")
        except (EOFError, KeyboardInterrupt) as stop:
            if isinstance(stop, KeyboardInterrupt):
                click.echo("\n(interrupted — answers so far are saved)")
            _summary(session, shown)
            sys.exit(130 if isinstance(stop, KeyboardInterrupt) else 0)
        _summary(session, shown)


def _summary(session: Any, lang: str) -> None:
    s = session.summary()
    zh = lang == "zh"
    score = f"{s['correct']}/{s['answered']}"
    line = (f"得分 {score}，用时 {s['seconds']} 秒" if zh
            else f"Score {score} in {s['seconds']} s")
    if s["answered"] < s["asked"]:
        line += f"（共 {s['asked']} 题）" if zh else f" ({s['asked']} asked)"
    click.echo(f"\n{line}")
    if s["weakest"]:
        click.echo(("最需要复习：" if zh else "Review next: ") + ", ".join(s["weakest"]))


# -- export -------------------------------------------------------------------------------------


@main.group(context_settings=CONTEXT)
def export() -> None:
    """Export the cards: an Anki deck or JSON."""


@export.command("anki", context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@click.option("--lang", "-l", type=click.Choice(["en", "zh", "both"]), default="both",
              show_default=True)
def export_anki(file: Path, lang: str) -> None:
    """Write an Anki package (.apkg): one note per card and per fixed question.

    Re-importing a newer export updates the notes instead of duplicating them.
    """
    from dlref.export import write_anki

    if file.suffix != ".apkg":
        fail(f"{file}: an Anki package must end in .apkg", 2)
    if not file.parent.is_dir():
        fail(f"{file.parent}: no such directory", 2)
    cards = list(load_library().cards.values())
    try:
        count = write_anki(cards, file, lang)
    except OSError as exc:
        fail(f"cannot write {file}: {exc.strerror}")
    click.echo(f"Wrote {count} notes ({len(cards)} cards) to {file}", err=True)


@export.command("json", context_settings=CONTEXT)
@click.argument("file", required=False, type=click.Path(dir_okay=False, path_type=Path))
def export_json(file: Path | None) -> None:
    """Write every card as JSON (to FILE, or to standard output)."""
    from dlref.export import cards_json

    data = json.dumps(cards_json(list(load_library().cards.values())), ensure_ascii=False,
                      indent=2)
    if file is None:
        click.echo(data)
        return
    try:
        file.write_text(data + "\n", encoding="utf-8")
    except OSError as exc:
        fail(f"cannot write {file}: {exc.strerror}")


# -- the app ------------------------------------------------------------------------------------


@main.command(context_settings=CONTEXT)
@click.argument("name", required=False, shell_complete=complete_card)
def tui(name: str | None) -> None:
    """Open the interactive app (what plain `dlref` does on a terminal).

    Keys: / search, l language, 1 2 3 tabs, space play/pause, n next question,
    ctrl+p jump to any card, ? all keys, q quit.
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail("the app needs a terminal; try `dlref show NAME` or `dlref --help`.", 2)
    from dlref.tui import run

    run(name)


# -- progress -----------------------------------------------------------------------------------


@main.command(context_settings=CONTEXT)
@click.option("--json", "as_json", is_flag=True, help="Print the figures as JSON.")
@click.option("--color", type=COLOR_CHOICE, default="auto", show_default=True)
def stats(as_json: bool, color: str) -> None:
    """Your quiz progress: reviews, accuracy per card and tag, what is due, streak."""
    library = load_library()
    tags = {card_id: card.tags for card_id, card in library.cards.items()}
    with open_store() as store:
        figures = store.stats(tags=tags)
    if as_json:
        print_json(figures)
        return
    from dlref.render import paint, table

    colored = use_color(color)
    if not figures["reviews"]:
        click.echo("No reviews yet. Start with: dlref quiz")
        return

    def pct(value: float | None) -> str:
        return "-" if value is None else f"{100 * value:.0f}%"

    click.echo(paint("Progress", "heading", colored), color=colored)
    click.echo(f"  reviews {figures['reviews']}   accuracy {pct(figures['accuracy'])}   "
               f"retention {pct(figures['retention'])}   streak {figures['streak']} day(s)")
    click.echo(f"  due now {figures['due_now']}   next 7 days "
               f"{' '.join(str(n) for n in figures['due_next_7_days'])}")
    for key, label in (("by_card", "card"), ("by_tag", "tag")):
        rows = sorted(figures[key].items(), key=lambda kv: (kv[1]["accuracy"], kv[0]))
        click.echo("")
        click.echo(table((label, "reviews", "accuracy"),
                         [(k, v["reviews"], pct(v["accuracy"])) for k, v in rows], colored),
                   nl=False, color=colored)
    days = figures["accuracy_by_day"]
    if len(days) >= 2:
        from dlref.demos.base import Plot, Series
        from dlref.render import render_plot

        series = Series("accuracy %", list(range(len(days))), [100 * a for _, a, _ in days])
        plot = Plot({"en": f"Accuracy by day ({days[0][0]} → {days[-1][0]})"}, [series],
                    xlabel="day")
        click.echo("")
        click.echo(render_plot(plot, "en", min(terminal_width(), 80), colored, height=10),
                   color=colored)


@main.command(context_settings=CONTEXT)
def undo() -> None:
    """Take back the last quiz answer (its review and its effect on scheduling)."""
    with open_store() as store:
        review = store.undo()
    if review is None:
        fail("nothing to undo.")
    mark = "✓" if review.correct else "✗"
    click.echo(f"Undid {mark} {review.card} / {review.template}: {review.answer!r} "
               f"({review.ts:%Y-%m-%d %H:%M} UTC)")
