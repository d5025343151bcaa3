"""A card for the terminal: the shared layout (`dlref.text.layout`) painted with ANSI styles;
one language, or two side by side."""

from __future__ import annotations

from dlref.cards.model import Card
from dlref.render.style import emit, strip_ansi
from dlref.text.layout import Line, card_footer, card_header, layout_card, layout_sections
from dlref.text.width import width_of

MAX_WIDTH = 100  # longer lines are hard to read


def _paint(lines: list[Line], color: bool) -> list[str]:
    return [emit(line, color) for line in lines]


def render_card(card: Card, lang: str, width: int, color: bool) -> str:
    """A card in one language."""
    return "\n".join(_paint(layout_card(card, lang, min(width, MAX_WIDTH)), color)) + "\n"


SHORT_SECTIONS = ("definition", "formula")


def render_card_short(card: Card, lang: str, width: int, color: bool) -> str:
    """A tldr-sized card (`dlref show --short`): title, definition and formula only."""
    from dlref.text.layout import section_lines

    width = min(width, MAX_WIDTH)
    lines = [*card_header(card, lang, width), []]
    for key in SHORT_SECTIONS:
        section = card.section(lang, key)
        if section is not None:
            lines += [*section_lines(section, width), []]
    return "\n".join(_paint(lines[:-1], color)) + "\n"  # no blank line at the end


def render_side_by_side(card: Card, left: str, right: str, width: int, color: bool) -> str:
    """Two languages in two columns, each section starting on the same row; each column at
    most a card's `MAX_WIDTH`, however wide the terminal."""
    col = min((width - 3) // 2, MAX_WIDTH)
    by_key = {s.key: i for i, s in enumerate(card.sections(right))}
    left_secs = [_paint(s, color) for s in layout_sections(card, left, col)]
    right_secs = [_paint(s, color) for s in layout_sections(card, right, col)]
    rows: list[tuple[list[str], list[str]]] = [
        (_paint(card_header(card, left, col), color), _paint(card_header(card, right, col), color))
    ]
    used_right: set[int] = set()
    for i, section in enumerate(card.sections(left)):
        j = by_key.get(section.key)
        if j is not None:
            used_right.add(j)
        rows.append((left_secs[i], right_secs[j] if j is not None else []))
    rows += [([], right_secs[j]) for j in range(len(right_secs)) if j not in used_right]
    rows.append((_paint(card_footer(card, left, col), color),
                 _paint(card_footer(card, right, col), color)))
    out: list[str] = []
    for a, b in rows:
        for k in range(max(len(a), len(b))):
            la = a[k] if k < len(a) else ""
            lb = b[k] if k < len(b) else ""
            gap = col - width_of(strip_ansi(la))
            out.append((la + " " * max(gap, 0) + " │ " + lb).rstrip())
        out.append(" " * col + " │")
    return "\n".join(out[:-1]) + "\n"
