"""A card laid out in lines of styled runs for a given width: the one typesetting that the
terminal renderer (ANSI) and the app's Card tab (Textual content) both draw.

Styles are names, not colours: `title`, `heading`, `bold`, `italic`, `code`, `formula`, `dim`,
and `card:ID` for a link to another card. Each front end maps them to what it can show.
"""

from __future__ import annotations

from dlref.cards.model import Card, Section
from dlref.i18n import t, tag_label
from dlref.text.paragraphs import Block, collapse, parse_blocks
from dlref.text.width import width_of
from dlref.text.wrap import Run, wrap_formula, wrap_runs

INDENT = "  "
Line = list[Run]


def layout_blocks(blocks: list[Block], width: int, indent: str = INDENT) -> list[Line]:
    """Blocks as lines of at most `width` columns, an empty line between paragraphs; list
    items follow each other without one."""
    out: list[Line] = []
    previous = ""
    for block in blocks:
        if out and not (block.kind == "item" and previous == "item"):
            out.append([])
        previous = block.kind
        if block.kind == "formula":
            pad = indent + "  "
            for line in block.lines:
                out += [[(pad, None), (piece, "formula")]
                        for piece in wrap_formula(line, max(width - len(pad), 10))]
        elif block.kind == "heading":
            out += wrap_runs([(text, "bold") for text, _ in block.runs], width, indent, indent)
        else:
            first = indent + block.marker
            rest = indent + " " * width_of(block.marker)
            out += wrap_runs(list(block.runs), width, first, rest)
    return out


def card_header(card: Card, lang: str, width: int | None = None) -> list[Line]:
    """The title and the id, wrapped to `width` if they do not fit on one line."""
    runs: Line = [(collapse(card.title_in(lang)), "title"), ("  ", None),
                  (f"({card.id})", "dim")]
    if width is None or sum(width_of(text) for text, _ in runs) <= width:
        return [runs]
    return wrap_runs(runs, width)


def card_footer(card: Card, lang: str, width: int) -> list[Line]:
    """Related cards (as links), the demo command and the tags, wrapped to `width`."""
    items = [("card.related", [(r, f"card:{r}") for r in card.related], t("list-sep", lang))] \
        if card.related else []
    if card.demo:
        items.append(("card.demo", [(f"dlref demo {card.id}", "code")], ""))
    items.append(("card.tags", [(collapse(tag_label(x, lang)), None) for x in card.tags],
                  t("list-sep", lang)))
    lines: list[Line] = []
    for key, values, sep in items:
        runs: Line = [(t(key, lang) + t("colon", lang), "bold")]
        for n, value in enumerate(values):
            runs += [value] if n == 0 else [(sep, None), value]
        lines += wrap_runs(runs, width, "", "  ")
    return lines


def layout_sections(card: Card, lang: str, width: int) -> list[list[Line]]:
    """One list of lines per section, its heading first."""
    return [section_lines(s, width) for s in card.sections(lang)]


def section_lines(section: Section, width: int) -> list[Line]:
    """A section's heading (one line, its whitespace collapsed), then its blocks."""
    return [[(collapse(section.heading), "heading")],
            *layout_blocks(parse_blocks(section.text), width)]


def layout_card(card: Card, lang: str, width: int) -> list[Line]:
    """A whole card in one language: header, sections, footer, blank lines between."""
    lines = [*card_header(card, lang, width), []]
    for section in layout_sections(card, lang, width):
        lines += [*section, []]
    return lines + card_footer(card, lang, width)
