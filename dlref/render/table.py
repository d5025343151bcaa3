"""Aligned tables for the terminal, CJK-aware, narrowed and wrapped to fit a width."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from functools import cache

from dlref.render.style import paint
from dlref.text.width import width_of
from dlref.text.wrap import NO_LINE_END, NO_LINE_START, tokens, wrap_text

# A word: a run of letters and digits that are not CJK (CJK text may break anywhere).
WORD = re.compile(r"[^\W\u2e80-\uffef]+")


def _fit_columns(widths: list[int], room: int, floors: list[int],
                 good: Callable[[int, int], bool] = lambda i, w: True) -> list[int]:
    """Narrow the widest columns, one column at a time, until they fit in `room` columns (or
    are all down to their `floors`), each only to widths at which `good(column, width)`;
    a column with no good width left stays as it is. Room left over by a column that had to
    narrow past bad widths goes back to the columns narrowed, at good widths."""
    start, widths, floors = list(widths), list(widths), list(floors)
    while sum(widths) > room:
        narrower = [i for i, (w, f) in enumerate(zip(widths, floors, strict=True)) if w > f]
        if not narrower:
            break
        i = max(narrower, key=widths.__getitem__)
        below = [w for w in range(widths[i] - 1, floors[i] - 1, -1) if good(i, w)]
        if below:
            widths[i] = below[0]
        else:
            floors[i] = widths[i]
    for i in sorted(range(len(widths)), key=widths.__getitem__):
        spare = room - sum(widths) + widths[i]
        widths[i] = next((w for w in range(min(start[i], spare), widths[i], -1) if good(i, w)),
                         widths[i])
    return widths


def _splits_a_word(text: str, lines: list[str], width: int) -> bool:
    """Whether the `lines` that `text` was wrapped into split a word no wider than `width`
    (a word wider than any line has to be split)."""
    at = 0
    for line in lines[:-1]:
        for ch in "".join(line.split()):  # step over this line's characters in the text
            at = text.index(ch, at) + 1
        if at < len(text) and any(m.start() < at < m.end() and width_of(m.group()) <= width
                                  for m in WORD.finditer(text)):
            return True
    return False


@cache
def breaks_well(text: str, width: int) -> bool:
    """Whether `text` wraps to `width` columns as a reader expects: every line fits, no line
    starts with closing or ends with opening punctuation, and no word that fits on a line is
    split. Some widths cannot: a word that fits, with punctuation glued to it that does not
    fit beside it (`estimation)` at 10 columns, `PReLU` in full-width brackets at 8)."""
    lines = wrap_text(text, width)
    return (all(width_of(line) <= width for line in lines)
            and not any(line.lstrip()[:1] in NO_LINE_START for line in lines[1:])
            and not any(line.rstrip()[-1:] in NO_LINE_END for line in lines[:-1])
            and not _splits_a_word(text, lines, width))


def _narrow(columns: list[tuple[str, ...]], widths: list[int], width: int,
            strict: bool) -> list[int]:
    """Column widths for a table `width` wide: the widest columns narrow down to their longest
    word first (ids and header words stay whole), then to 8. `strict` keeps each column at
    widths where all its cells break well (see `breaks_well`), even if the table then does
    not fit; otherwise a word may split where its punctuation does not fit beside it."""
    room = width - 2 * (len(widths) - 1)
    words = [max((width_of(t.rstrip()) for c in column for t, _ in tokens([(c, None)])),
                 default=0) for column in columns]

    def good(i: int, w: int) -> bool:
        return not strict or all(breaks_well(c, w) for c in columns[i])

    widths = _fit_columns(widths, room, [min(w, x) for w, x in zip(widths, words, strict=True)],
                          good)
    return _fit_columns(widths, room, [min(w, 8) for w in widths], good)


def _wrap(columns: list[tuple[str, ...]], widths: list[int]) -> list[list[list[str]]]:
    """Each column's cells (header first), each cell in its lines."""
    return [[wrap_text(c, w) for c in column] for column, w in zip(columns, widths, strict=True)]


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], color: bool = False,
          width: int | None = None) -> str:
    """An aligned table with a rule under the header; CJK-aware widths.

    With `width`, the widest columns are narrowed until a line fits and their cells wrapped
    with `dlref.text.wrap`'s rules, at widths where no word that fits is split and no line
    starts with closing punctuation. A table that still does not fit (numbers do not wrap,
    words stay whole) continues below in blocks, each repeating the first column, the row's
    name; a block of two columns that does not fit splits words as a terminal must. Each rule
    is as long as the widest cell shown in its column.
    """
    cells = [[str(c) for c in r] for r in rows]
    columns = list(zip(headers, *cells, strict=True))
    widths = [max(map(width_of, column)) for column in columns]
    if width is not None:
        widths = _narrow(columns, widths, width, strict=True)
    wrapped = _wrap(columns, widths)
    shown = [max(width_of(x) for cell in column for x in cell) for column in wrapped]
    if width is not None and sum(shown) + 2 * (len(shown) - 1) > width:
        blocks = _blocks(shown, width)
        if len(blocks) > 1:
            return "\n".join(table([headers[i] for i in block],
                                   [[row[i] for i in block] for row in cells], color, width)
                             for block in blocks)
        wrapped = _wrap(columns, _narrow(columns, widths, width, strict=False))
        shown = [max(width_of(x) for cell in column for x in cell) for column in wrapped]

    def line(values: Sequence[str], style: str | None = None) -> str:
        parts = [paint(v, style, color) + " " * (w - width_of(v))
                 for v, w in zip(values, shown, strict=True)]
        return "  ".join(parts).rstrip()

    def lines(row: Sequence[list[str]], style: str | None = None) -> list[str]:
        return [line([c[k] if k < len(c) else "" for c in row], style)
                for k in range(max(len(c) for c in row))]

    out = [*lines([column[0] for column in wrapped], "bold"), "  ".join("─" * w for w in shown)]
    for n in range(1, len(cells) + 1):
        out += lines([column[n] for column in wrapped])
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
