"""`dlref check`: validate content files."""

from __future__ import annotations

from pathlib import Path

import click

from dlref.commands.common import (
    fail,
    lang_option,
    say,
    stop_at_broken_config,
    ui_lang,
)
from dlref.commands.helptext import command


@command()
@click.argument("path", required=False, type=click.Path(exists=True, path_type=Path))
@lang_option
def check(path: Path | None, lang: str) -> None:
    """Validate content: schema, languages, links, aliases and worked examples.

    With PATH (a card file or a directory), check those cards alongside the bundled ones.
    Problems are printed as file:line: message, in the language of --lang (both: English,
    then Chinese); the exit code is 1 if there are any.
    """
    from dlref.cards import Library
    from dlref.cards.library import card_files, content_dirs
    from dlref.cards.sanitize import clean
    from dlref.cards.validate import alias_warnings, check_library, under

    stop_at_broken_config()
    dirs = content_dirs()
    if path is not None:
        root = path if path.is_dir() else path.parent
        if root.resolve() != dirs[0][0].resolve():
            dirs = [d for d in dirs if d[1]] + [(root, False)]
        if path.is_dir() and not card_files(path):
            fail(say("check.no-cards", path=clean(str(path))))
        if not path.is_dir() and path not in card_files(path.parent):
            fail(say("check.not-a-card", path=clean(str(path))))
    library = Library.load(dirs)
    errors = check_library(library, only=path)
    for error in errors:
        click.echo(error.text(ui_lang()))
    root = path.parent.resolve() / path.name if path is not None else None
    for warning in alias_warnings(library):
        if root is None or under(warning.path, root):
            click.echo(warning.text(ui_lang()), err=True)
    if errors:
        fail(say("check.problems", count=len(errors)))
    count = sum(root is None or under(card.path, root) for card in library.cards.values())
    click.echo(say("check.ok", count=count), err=True)
