"""`dlref list`, `dlref search` and `dlref glossary`: finding cards and terms."""

from __future__ import annotations

import sys

import click

from dlref.commands.common import (
    clip,
    color_option,
    complete_tag,
    fail,
    lang_option,
    load_library,
    no_pager_option,
    page,
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
from dlref.i18n import LANGS, one, pick, t, tag_label


@command("list")
@click.option("--tag", "-t", help="Only cards with this tag.", shell_complete=complete_tag)
@click.option("--json", "as_json", is_flag=True, help="Print the cards as JSON.")
@color_option
@no_pager_option
@lang_option
def list_cards(tag: str | None, as_json: bool, color: str, no_pager: bool, lang: str) -> None:
    """List the cards: ids when piped, a table on a terminal (paged when taller than it)."""
    library = load_library()
    cards = list(library.cards.values())
    if tag is not None:  # `--tag ""` names no tag, as `--tag "  "` does: not every card
        named = tag_named(library, tag)
        if named is None:
            if as_json:  # a script reads no card as `[]`, as from `search --json`
                print_json([])
            fail(say("error.no-tag", tag=clip(tag), tags=_tag_names(library.tags())))
        cards = [c for c in cards if named in c.tags]
    if as_json:
        print_json([{"id": c.id, "title": c.title, "tags": c.tags, "aliases": c.aliases}
                    for c in cards])
        if not cards:
            sys.exit(1)
    elif not sys.stdout.isatty():
        for card in cards:
            click.echo(card.id)
    else:
        from dlref.render.table import table

        lang = one(ui_lang())
        rows = [(c.id, c.title_in("en"), c.title.get("zh", ""),
                 t("list-sep", lang).join(tag_label(tag, lang) for tag in c.tags))
                for c in cards]
        colored = use_color(color)
        headers = tuple(t(k, ui_lang()) for k in ("col.id", "col.english", "col.chinese",
                                                   "col.tags"))
        page(table(headers, rows, colored, terminal_width()), colored, no_pager)


def _tag_names(tags: list[str]) -> dict[str, str]:
    """The tags as one bilingual field of `t`, each named as the learner reads it in that
    language (`activations`, 激活函数), as `show` and the `list` table name them; `--tag`
    takes either."""
    return {code: t("list-sep", code).join(tag_label(tag, code) for tag in tags)
            for code in LANGS}


@command()
@click.argument("query", nargs=-1, required=True)
@click.option("--limit", "-n", default=10, show_default=True, type=click.IntRange(1, 100),
              help="At most how many hits to list.")
@click.option("--json", "as_json", is_flag=True, help="Print the hits as JSON.")
@color_option
@no_pager_option
@lang_option
def search(query: tuple[str, ...], limit: int, as_json: bool, color: str, no_pager: bool,
           lang: str) -> None:
    """Search titles, aliases and text in every language: a name first, then the phrase,
    then every word (a misspelt word is corrected). Exit 1 when nothing matches, with or
    without --json.

    \b
    Examples:
      dlref search vanishing gradient
      dlref search 梯度
      dlref search vanishng gradent
    """
    from dlref.cards.search import search as run_search

    text = typed(" ".join(query))
    if not text.strip():  # an unset shell variable: a usage error, as `dlref glossary ""` is
        fail(say("error.empty-query"), 2)
    hits = run_search(load_library(), text, limit, lang)
    if as_json:
        print_json([{"id": h.card.id, "title": dict(h.card.title), "score": h.score,
                     "lang": h.lang, "line": h.snippet, "corrected": h.corrected}
                    for h in hits])
        if not hits:
            sys.exit(1)
        return
    if not hits:
        fail(say("error.no-match", query=clip(text)))
    if hits[0].corrected:
        fixed = " ".join(hits[0].corrected.get(w, w) for w in text.split())
        warn(say("search.corrected", query=clip(fixed)))
    colored = use_color(color)
    out = []
    for hit in hits:
        # the title in the learner's language; the sentence in the one the words were found in
        out += wrapped([(hit.card.id, "bold"), (f"  {pick(hit.card.title, lang)}", None)],
                       "", "    ", colored)
        out += wrapped(_highlight(hit.snippet, hit.spans), "    ", "    ", colored)
    page("\n".join(out) + "\n", colored, no_pager)


def _highlight(text: str, spans: list[tuple[int, int]]) -> list[tuple[str, str | None]]:
    """The snippet as runs, the query's words in bold."""
    out: list[tuple[str, str | None]] = []
    at = 0
    for start, end in spans:
        if start < at:
            continue
        out += [(text[at:start], None), (text[start:end], "bold")]
        at = end
    return [run for run in [*out, (text[at:], None)] if run[0]]


@command()
@click.argument("query", required=False)
@click.option("--json", "as_json", is_flag=True, help="Print the terms as JSON.")
@color_option
@no_pager_option
@lang_option
def glossary(query: str | None, as_json: bool, color: str, no_pager: bool, lang: str) -> None:
    """The English ↔ Chinese term table, built from the cards' titles and aliases. Exit 1
    when nothing matches, with or without --json.

    \b
    Examples:
      dlref glossary
      dlref glossary 梯度
    """
    rows = _terms(query)
    if as_json:
        print_json(rows)
        if not rows:
            sys.exit(1)
        return
    if not rows:
        fail(say("error.no-term", query=clip(query or "")))
    from dlref.render.table import table

    colored = use_color(color)
    body = [("; ".join(r.get("en", [])), "；".join(r.get("zh", [])), r["id"]) for r in rows]
    if sys.stdout.isatty() or colored:
        headers = tuple(t(k, ui_lang()) for k in ("col.english", "col.chinese", "col.card"))
        page(table(headers, body, colored, terminal_width()), colored, no_pager)
    else:
        for en, zh, card_id in body:
            click.echo(f"{en}\t{zh}\t{card_id}")


def _terms(query: str | None) -> list[dict[str, object]]:
    """The glossary's rows for a query (all of them without one). An empty or blank query
    (an unset shell variable) is a usage error, as `dlref demo ""` is, not a request for
    everything; one made only of separators ('-', '·') matches no term, as in `dlref show`."""
    from dlref.cards.library import normalize

    if query is None:
        return load_library().glossary()
    if not query.strip():
        fail(say("error.empty-term"), 2)
    query = typed(query)
    return load_library().glossary(query) if normalize(query) else []
