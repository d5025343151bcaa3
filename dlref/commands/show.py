"""`dlref show`: one card, in one language or two side by side."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from dlref.commands.common import (
    COLOR_CHOICE,
    CONTEXT,
    complete_card,
    find_card,
    lang_option,
    load_library,
    print_json,
    say,
    terminal_width,
    ui_lang,
    use_color,
    warn,
)

if TYPE_CHECKING:
    from dlref.cards import Card


@click.command(context_settings=CONTEXT)
@click.argument("name", shell_complete=complete_card)
@lang_option
@click.option("--raw", is_flag=True, help="Print the card's markdown.")
@click.option("--json", "as_json", is_flag=True, help="Print the card's fields as JSON.")
@click.option("--color", type=COLOR_CHOICE, default="auto", show_default=True,
              help="Colour: auto follows the terminal, NO_COLOR and FORCE_COLOR.")
def show(name: str, lang: str, raw: bool, as_json: bool, color: str) -> None:
    """Show the card for NAME: an id, an alias in any language, or a prefix.

    \b
    Examples:
      dlref show relu
      dlref show 线性整流函数
      dlref show "batch norm" --lang both
    """
    from dlref.i18n import BOTH, LANGS, t

    library = load_library()
    card = find_card(library, name)
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
    click.echo(render_for_terminal(card, shown, color), nl=False, color=use_color(color))


def render_for_terminal(card: Card, langs: list[str], color_choice: str) -> str:
    from dlref.render.card import render_card, render_side_by_side

    color = use_color(color_choice)
    width = terminal_width()
    if len(langs) == 2 and width >= 100:
        return render_side_by_side(card, langs[0], langs[1], width, color)
    return "\n".join(render_card(card, code, width, color) for code in langs)
