"""`dlref export`: an Anki deck or JSON."""

from __future__ import annotations

import json
from pathlib import Path

import click
from click.core import ParameterSource

from dlref.commands.common import (
    CONTEXT,
    LangType,
    fail,
    lang_option,
    load_library,
    say,
)
from dlref.commands.helptext import SpokenGroup
from dlref.i18n import listed, os_reason


def shown(path: Path) -> str:
    """A file name the learner typed, as a message shows it: its control characters visible
    (an escape sequence in a name must not reach the terminal)."""
    from dlref.cards.sanitize import clean

    return clean(str(path))


def _file_named(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """FILE as a Path; an empty name (an unset variable, say) names no file, where as a Path
    it would be the current directory."""
    if value is not None and not value.strip():
        raise click.BadParameter(say("error.empty-file"), ctx, param)
    return None if value is None else Path(value)


def _deck_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """`export anki --lang`: the deck's language, and when given, the language of the
    command's messages and help too (as every other command's --lang). Not given, the language
    given to `export` (`dlref --lang zh export anki`, which is `dlref export --lang zh anki`),
    else both."""
    if value is not None:
        ctx.meta["dlref.lang"] = value
        return value
    group = ctx.parent
    if group is not None and group.get_parameter_source("lang") is ParameterSource.COMMANDLINE:
        return group.params["lang"]
    return "both"


def _said_in(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    """`export json --lang`: the messages' (and help's) language when given; else the one
    `export` resolved already (its --lang, DLREF_LANG, the config, the locale), which a
    `dlref --lang zh export json` gave it."""
    if value is not None:
        ctx.meta["dlref.lang"] = value
    return ctx.meta["dlref.lang"]


@click.group(cls=SpokenGroup, context_settings=CONTEXT)
@lang_option
def export(lang: str) -> None:
    """Export the cards: an Anki deck or JSON."""


@export.command("anki", context_settings=CONTEXT)
@click.argument("file", type=click.Path(dir_okay=False, writable=True), callback=_file_named)
@click.option("--lang", "-l", type=LangType(), callback=_deck_lang, is_eager=True,
              help="The deck's language (and the messages'): en, zh or both (a locale "
                   "spelling works too).  [default: the --lang given to export, else both]")
@click.option("--parts", default="concepts,quiz,choices", show_default=True,
              help="Which notes, comma-separated: concepts (a flashcard per card), quiz "
                   "(type-in notes: frozen instances of every question template), choices.")
def export_anki(file: Path, lang: str, parts: str) -> None:
    """Write an Anki package (.apkg): concept flashcards, the quiz as type-in notes, and
    every choice question.

    Re-importing a newer export updates the notes instead of duplicating them.
    """
    from dlref.export import PARTS, write_anki

    chosen = tuple(p.strip() for p in parts.split(",") if p.strip())
    unknown = [p for p in chosen if p not in PARTS]
    if unknown or not chosen:
        raise click.BadParameter(say("export.bad-parts", parts=listed(PARTS), got=parts),
                                 param_hint="'--parts'")

    if file.suffix != ".apkg":
        fail(say("error.apkg-suffix", file=shown(file)), 2)
    if not file.parent.is_dir():
        fail(say("error.no-dir", dir=shown(file.parent)), 2)
    cards = list(load_library().cards.values())
    try:
        count = write_anki(cards, file, lang, chosen)
    except OSError as exc:
        fail(say("error.cannot-write", where=shown(file), reason=os_reason(exc)))
    click.echo(say("export.wrote", notes=count, cards=len(cards), file=shown(file)), err=True)


def _file_or_dash(ctx: click.Context, param: click.Parameter, value: str | None) -> Path | None:
    """FILE, where `-` is standard output, as in every Unix tool (`./-` names the file)."""
    return None if value == "-" else _file_named(ctx, param, value)


@export.command("json", context_settings=CONTEXT)
@click.argument("file", required=False, type=click.Path(dir_okay=False, allow_dash=True),
                callback=_file_or_dash)
@click.option("--lang", "-l", type=LangType(), callback=_said_in, is_eager=True,
              help="en, zh or both (default: DLREF_LANG, then LANGUAGE, LC_ALL, "
                   "LC_MESSAGES, LANG; else en).")
def export_json(file: Path | None, lang: str) -> None:
    """Write every card as JSON (to FILE, or to standard output: no FILE, or -)."""
    from dlref.export import cards_json, write_json

    cards = list(load_library().cards.values())
    if file is None:
        click.echo(json.dumps(cards_json(cards), ensure_ascii=False, indent=2))
        return
    try:
        write_json(cards, file)  # whole or not at all: a learner's last export is kept
    except OSError as exc:
        fail(say("error.cannot-write", where=shown(file), reason=os_reason(exc)))
    click.echo(say("export.wrote-json", cards=len(cards), file=shown(file)), err=True)
