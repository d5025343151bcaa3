"""`dlref show`: one card, in one language or two side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from dlref.commands.common import (
    color_option,
    complete_card,
    config,
    find_card,
    lang_option,
    load_library,
    page,
    print_json,
    say,
    terminal_width,
    ui_lang,
    use_color,
    warn,
)
from dlref.commands.helptext import command

if TYPE_CHECKING:
    from dlref.cards import Card, Library


@command()
@click.argument("name", nargs=-1, required=True, shell_complete=complete_card)
@lang_option
@click.option("--short", "-s", "short", flag_value=True, default=None,
              help="Title, definition and formula only (the config's `short` sets the "
                   "default).")
@click.option("--full", "short", flag_value=False, help="The whole card, whatever the config.")
@click.option("--raw", is_flag=True, help="Print the card's markdown.")
@click.option("--json", "as_json", is_flag=True, help="Print the card's fields as JSON.")
@color_option
@click.option("--no-pager", is_flag=True,
              help="Never page (otherwise a card taller than the terminal goes through "
                   "$DLREF_PAGER, the config's pager, $PAGER or less -FRX).")
def show(name: tuple[str, ...], lang: str, short: bool | None, raw: bool, as_json: bool,
         color: str, no_pager: bool) -> None:
    """Show the card for NAME: an id, an alias in any language, or a prefix. Several words
    need no quotes. `dlref NAME` is the same, unless NAME is a command.

    \b
    Examples:
      dlref relu
      dlref show 线性整流函数
      dlref show batch norm --lang both
      dlref show relu --short
    """
    from dlref.i18n import BOTH, LANGS, t

    library = load_library()
    card = _find_for_json(library, " ".join(name)) if as_json else \
        find_card(library, " ".join(name))
    if as_json:
        print_json(card.to_dict())
        return
    wanted = list(LANGS) if lang == BOTH else [lang]
    shown = []
    for code in wanted:
        if code in card.languages:
            shown.append(code)
        elif lang != BOTH:
            warn(say("card.no-text", card=card.id, language=t(f"lang.{code}", ui_lang())))
    shown = shown or ["en"]
    if raw:
        click.echo("\n\n".join(card.markdown(code) for code in shown))
        return
    if short is None:
        short = config().short
    page(render_for_terminal(card, shown, color, short), use_color(color), no_pager)


def _find_for_json(library: Library, name: str) -> Card:
    """`find_card` for `--json`: a name that finds no card (or several) still leaves valid
    JSON on stdout, `null`, beside the message and exit 1, as `search --json` leaves `[]`; so
    a script's JSON parser never meets empty output. An empty name stays a usage error."""
    try:
        return find_card(library, name)
    except SystemExit as exc:
        if exc.code == 1:
            print_json(None)
        raise


def render_for_terminal(card: Card, langs: list[str], color_choice: str,
                        short: bool = False) -> str:
    from dlref.render.card import render_card, render_card_short, render_side_by_side

    color = use_color(color_choice)
    width = terminal_width()
    if short:
        return "\n".join(render_card_short(card, code, width, color) for code in langs)
    if len(langs) == 2 and width >= 100:
        return render_side_by_side(card, langs[0], langs[1], width, color)
    return "\n".join(render_card(card, code, width, color) for code in langs)
