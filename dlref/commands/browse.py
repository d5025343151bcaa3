"""`dlref list`, `dlref search` and `dlref glossary`: finding cards and terms."""

from __future__ import annotations

import sys

import click

from dlref.commands.common import (
    COLOR_CHOICE,
    CONTEXT,
    fail,
    load_library,
    print_json,
    say,
    terminal_width,
    ui_lang,
    use_color,
)
from dlref.i18n import t


@click.command("list", context_settings=CONTEXT)
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
            fail(say("error.no-tag", tag=tag, tags=", ".join(library.tags())))
    if as_json:
        print_json([{"id": c.id, "title": c.title, "tags": c.tags, "aliases": c.aliases}
                    for c in cards])
    elif not sys.stdout.isatty():
        for card in cards:
            click.echo(card.id)
    else:
        from dlref.render.table import table

        rows = [(c.id, c.title_in("en"), c.title.get("zh", ""), ", ".join(c.tags)) for c in cards]
        colored = use_color(color)
        headers = tuple(t(k, ui_lang()) for k in ("col.id", "col.english", "col.chinese",
                                                   "col.tags"))
        click.echo(table(headers, rows, colored, terminal_width()), nl=False, color=colored)


@click.command(context_settings=CONTEXT)
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
    from dlref.render.style import paint
    from dlref.text.wrap import wrap_text

    text = " ".join(query)
    hits = load_library().search(text, limit)
    if as_json:
        print_json([{"id": h.card.id, "score": h.score, "lang": h.lang, "line": h.line}
                    for h in hits])
        return
    if not hits:
        fail(say("error.no-match", query=text))
    colored = use_color(color)
    # On a terminal the matching line is wrapped to its width; piped, it stays one line.
    width = terminal_width() if sys.stdout.isatty() else None
    for hit in hits:
        click.echo(f"{paint(hit.card.id, 'bold', colored)}  {hit.card.title_in(hit.lang)}",
                   color=colored)
        for line in wrap_text(hit.line, width, "    ", "    "):
            click.echo(line)


@click.command(context_settings=CONTEXT)
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
        fail(say("error.no-term", query=query))
    from dlref.render.table import table

    colored = use_color(color)
    body = [("; ".join(r.get("en", [])), "；".join(r.get("zh", [])), r["id"]) for r in rows]
    if sys.stdout.isatty() or colored:
        headers = tuple(t(k, ui_lang()) for k in ("col.english", "col.chinese", "col.card"))
        click.echo(table(headers, body, colored, terminal_width()), nl=False, color=colored)
    else:
        for en, zh, card_id in body:
            click.echo(f"{en}\t{zh}\t{card_id}")
