"""What every `dlref` command shares: options (--lang, --color), the language of messages,
failing with a one-line message, loading the cards and finding one by name.

Commands import this module; `dlref.cli` (the group) imports the commands only by name, when
one runs, so there is no import cycle between the group and its commands.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import TYPE_CHECKING, Any, NoReturn

import click

from dlref.i18n import CHOICES, parse_choice, resolve_language, t

if TYPE_CHECKING:
    from dlref.cards import Card, Library

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
COLOR_CHOICE = click.Choice(["auto", "always", "never"])


def use_color(choice: str = "auto", stream: Any = None) -> bool:
    """--color wins; then NO_COLOR and TERM=dumb (no colour), then FORCE_COLOR, then whether
    the stream is a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if os.environ.get("FORCE_COLOR", "0") not in ("", "0"):
        return True
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def terminal_width() -> int:
    return shutil.get_terminal_size((80, 24)).columns


def ui_lang() -> str:
    """The language of this command's messages: its `--lang`, else the environment's."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and "dlref.lang" in ctx.meta:
        return ctx.meta["dlref.lang"]
    return resolve_language(None)


def say(key: str, **fields: object) -> str:
    """The interface word `key` in this command's language (both: one line each)."""
    return t(key, ui_lang(), sep="\n", **fields)


PROG = "dlref: "  # every message on stderr starts with the program's name


def warn(message: str) -> None:
    """Print `dlref: message` on stderr and go on."""
    click.echo(PROG + message, err=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print `dlref: message` on stderr and exit with `code`."""
    warn(message)
    sys.exit(code)


class LangType(click.ParamType):
    """`--lang`: en, zh or both, or a locale spelling of one (`zh_CN.UTF-8`); anything else
    is a usage error (exit 2) rather than a silent fall-back to English."""

    name = "lang"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        lang = parse_choice(str(value))
        if lang is None:
            self.fail(t("error.bad-lang", resolve_language(None), sep="\n", value=value),
                      param, ctx)
        return lang

    def shell_complete(self, ctx: click.Context, param: click.Parameter,
                       incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(c) for c in CHOICES if c.startswith(incomplete)]


def _remember_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    ctx.meta["dlref.lang"] = resolve_language(value)
    return ctx.meta["dlref.lang"]


def lang_option(fn: Any) -> Any:
    """`--lang/-l`, passed to the command already resolved against DLREF_LANG and the locale,
    and used for the command's messages too (see `ui_lang`)."""
    return click.option("--lang", "-l", type=LangType(), callback=_remember_lang,
                        help="en, zh or both (default: DLREF_LANG, then LANGUAGE, LC_ALL, "
                             "LC_MESSAGES, LANG; else en).")(fn)


def load_library() -> Library:
    """All cards; a broken file is mentioned once on stderr, and the rest still work."""
    from dlref.cards import Library

    library = Library.load()
    if library.errors:
        files = {e.path for e in library.errors}
        warn(say("error.broken-files", count=len(files)))
    return library


def find_card(library: Library, name: str) -> Card:
    """The card for `name`, or exit 1 with suggestions."""
    card = library.find(name)
    if card is not None:
        return card
    short = len(name) <= 60  # a longer name is cut, and echoed only once
    lines = [say("error.no-card", name=repr(name if short else name[:59] + "…"))]
    suggestions = library.suggest(name)
    if suggestions:
        lines.append(say("error.did-you-mean", names=", ".join(suggestions)))
    lines.append(say("error.search-hint", query=_quote(name) if short else "WORDS"))
    fail("\n".join(lines))


def _quote(text: str) -> str:
    """A name as the user could type it back: bare if it is a simple word, else quoted."""
    if text.replace("-", "").isalnum():
        return text
    import json

    return json.dumps(text, ensure_ascii=False)


def complete_card(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion over card ids and English aliases."""
    from click.shell_completion import CompletionItem

    from dlref.cards import Library

    library = Library.load()
    out = [CompletionItem(i, help=c.title_in("en")) for i, c in library.cards.items()
           if i.startswith(incomplete)]
    return out


def print_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
