"""Aligned tables for the terminal, CJK-aware, narrowed and wrapped to fit a width."""

from __future__ import annotations

from collections.abc import Sequence

from dlref.render.style import paint
from dlref.text.width import width_of
from dlref.text.wrap import tokens, wrap_text


def _fit_columns(widths: list[int], room: int, floors: list[int]) -> list[int]:
    """Narrow the widest columns, one column at a time, until they fit in `room` columns (or
    are all down to their `floors`)."""
    widths = list(widths)
    while sum(widths) > room:
        narrower = [i for i, (w, f) in enumerate(zip(widths, floors, strict=True)) if w > f]
        if not narrower:
            break
        widths[max(narrower, key=widths.__getitem__)] -= 1
    return widths


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], color: bool = False,
          width: int | None = None) -> str:
    """An aligned table with a rule under the header; CJK-aware widths.

    With `width`, the widest columns are narrowed until a line fits and their cells wrapped.
    A table that still does not fit (numbers do not wrap) continues below in blocks, each
    repeating the first column, the row's name. Each rule is as long as the widest cell shown
    in its column.
    """
    cells = [[str(c) for c in r] for r in rows]
    widths = [width_of(h) for h in headers]
    for row in cells:
        widths = [max(w, width_of(c)) for w, c in zip(widths, row, strict=True)]
    if width is not None:
        # Columns narrow down to their longest word first (ids and header words stay whole),
        # then to 8.
        room = width - 2 * (len(widths) - 1)
        words = [max((width_of(t.rstrip()) for c in column for t, _ in tokens([(c, None)])),
                     default=0) for column in zip(headers, *cells, strict=True)]
        widths = _fit_columns(widths, room, [min(w, x) for w, x in zip(widths, words, strict=True)])
        widths = _fit_columns(widths, room, [min(w, 8) for w in widths])
    heads = [wrap_text(h, w) for h, w in zip(headers, widths, strict=True)]
    wrapped = [[wrap_text(c, w) for c, w in zip(row, widths, strict=True)] for row in cells]
    shown = [max(width_of(x) for cell in column for x in cell)
             for column in zip(heads, *wrapped, strict=True)]
    if width is not None and sum(shown) + 2 * (len(shown) - 1) > width:
        blocks = _blocks(shown, width)
        if len(blocks) > 1:
            return "\n".join(table([headers[i] for i in block],
                                   [[row[i] for i in block] for row in cells], color, width)
                             for block in blocks)

    def line(values: Sequence[str], style: str | None = None) -> str:
        parts = [paint(v, style, color) + " " * (w - width_of(v))
                 for v, w in zip(values, shown, strict=True)]
        return "  ".join(parts).rstrip()

    def lines(row: list[list[str]], style: str | None = None) -> list[str]:
        return [line([c[k] if k < len(c) else "" for c in row], style)
                for k in range(max(len(c) for c in row))]

    out = [*lines(heads, "bold"), "  ".join("─" * w for w in shown)]
    for row in wrapped:
        out += lines(row)
    return "\n".join(out) + "\n"


def _blocks(widths: list[int], width: int) -> list[list[int]]:
    """The columns of each block of a table too wide for `width`: the first column, then as
    many of the next as fit at their `widths` (at least one)."""
    blocks = [[0]]
    for i in range(1, len(widths)):
        block = blocks[-1]
        if len(block) > 1 and sum(widths[j] + 2 for j in block) + widths[i] > width:
            blocks.append(block := [0])
        block.append(i)
    return blocks
