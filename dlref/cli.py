"""The `dlref` command line: parse arguments, call the core, render for a terminal or a pipe.

Heavy imports (NumPy, Textual, plotext) happen inside the commands that need them, so that
`dlref show` starts as fast as Python and click allow.
"""

from __future__ import annotations

import json
import os
import shutil
import sys
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
    short = len(name) <= 60  # a longer name is cut, and echoed only once
    lines = [f"no card named {name if short else name[:59] + '…'!r}."]
    suggestions = library.suggest(name)
    if suggestions:
        lines.append(f"Did you mean: {', '.join(suggestions)}?")
    lines.append(f"Search the text with: dlref search {_quote(name) if short else 'WORDS'}")
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


COMMANDS = {  # name -> (module in dlref.commands, attribute)
    "show": ("show", "show"),
    "list": ("browse", "list_cards"),
    "search": ("browse", "search"),
    "glossary": ("browse", "glossary"),
    "check": ("check", "check"),
    "doctor": ("doctor", "doctor"),
    "demo": ("demo", "demo"),
    "quiz": ("quiz", "quiz"),
    "stats": ("quiz", "stats"),
    "undo": ("quiz", "undo"),
    "export": ("export", "export"),
    "tui": ("app", "tui"),
}


class LazyGroup(click.Group):
    """A group that imports a subcommand's module only when that subcommand runs.

    Keeps `dlref show` from paying for the definitions of every other command.
    """

    def main(self, *args, **kwargs):  # noqa: ANN201 - click's own signature
        """Click's main, plus a one-line message for an output that cannot be written (a full
        disk behind `>`, say); click itself only quiets a closed pipe."""
        try:
            return super().main(*args, **kwargs)
        except OSError as exc:
            where = f" {exc.filename}" if exc.filename else " the output"
            click.echo(f"dlref: cannot write{where}: {exc.strerror or exc}", err=True)
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no 2nd error at exit
            sys.exit(1)

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        import importlib

        module, attribute = COMMANDS[name]
        return getattr(importlib.import_module(f"dlref.commands.{module}"), attribute)


@click.group(cls=LazyGroup, context_settings=CONTEXT, invoke_without_command=True)
@click.version_option(__version__, "-V", "--version", prog_name="dlref")
@click.pass_context
def main(ctx: click.Context) -> None:
    """dlref: deep-learning concepts in English and 中文 — cards, live demos and quizzes.

    With no command on a terminal, opens the interactive app; otherwise prints this help.
    """
    if ctx.invoked_subcommand is not None:
        return
    if sys.stdin.isatty() and sys.stdout.isatty():
        ctx.invoke(main.get_command(ctx, "tui"))
    else:
        click.echo(ctx.get_help())
