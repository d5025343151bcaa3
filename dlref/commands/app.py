"""`dlref tui`: the interactive app."""

from __future__ import annotations

import sys

import click

from dlref.commands.common import (
    app_lang_option,
    complete_card,
    config,
    fail,
    say,
    ui_lang,
)
from dlref.commands.helptext import command


@command()
@click.argument("name", required=False, shell_complete=complete_card)
@app_lang_option
def tui(name: str | None) -> None:
    """Open the interactive app (what plain `dlref` does on a terminal).

    Keys: / search, l language, 1 2 3 tabs, space play/pause, n next question,
    ctrl+p jump to any card, ? all keys, q quit.
    """
    if not (sys.stdin.isatty() and sys.stdout.isatty()):
        fail(say("error.needs-terminal"), 2)
    config()  # a broken config file: its one-line message, before the screen switches
    from dlref.quiz.store import Store, StoreError
    from dlref.tui import run

    try:  # before the screen switches: a damaged progress file is a message, not a crash
        store = Store.open(create=False)  # the app creates it with the first answer
    except StoreError as exc:
        fail(exc.text(ui_lang()))
    run(name, store)
