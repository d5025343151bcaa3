"""Aligned tables for the terminal, CJK-aware, narrowed and wrapped to fit a width."""

from __future__ import annotations

from collections.abc import Sequence

from dlref.render.style import paint
from dlref.text.width import width_of
from dlref.text.wrap import WORD, glued_tokens, quick_width, split_words, wrap_text

# The most columns one move gives a column whose cells split words (see `_keep_words`).
REACH = 4


class _Column:
    """A column's cells (header first) as wrap units: how wide its widest cell and widest
    token are, and how many words that fit a width its cells split at that width, counted
    from its long tokens alone (see `dlref.text.wrap.split_words`) rather than by wrapping
    every cell, so that trying a width is cheap."""

    def __init__(self, cells: Sequence[str]) -> None:
        sizes = [quick_width(c) for c in cells]
        self.widest = max(sizes)
        self.widest_token = 0
        # (columns to stay whole, cell width, token, glued, its narrowest word) of each token
        # with a word that a narrower column might cut: wider with its punctuation than the
        # 8 columns every line gets (see `wrap_runs`), widest first
        self._long: list[tuple[int, int, str, int, int]] = []
        for cell, size in zip(cells, sizes, strict=True):
            for token, glued in glued_tokens(cell):
                own = quick_width(token.rstrip())
                self.widest_token = max(self.widest_token, own)
                if own + glued > 8 and size > 8 and (words := WORD.findall(token)):
                    self._long.append((own + glued, size, token, glued,
                                       min(map(quick_width, words))))
        self._long.sort(key=lambda unit: -unit[0])
        self._splits: dict[int, int] = {}

    def splits(self, width: int) -> int:
        """How many words no wider than `width` its cells split when wrapped to `width`."""
        if width not in self._splits:
            count, seen = 0, {}
            for need, size, token, glued, narrowest in self._long:
                if need <= width:
                    break
                # a cell that fits is not wrapped; a token whose words are all wider than the
                # column splits none that fits
                if size > width and narrowest <= width:
                    if (token, glued) not in seen:
                        seen[token, glued] = len(split_words(token, glued, width))
                    count += seen[token, glued]
            self._splits[width] = count
        return self._splits[width]


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


def _layout(columns: list[_Column], width: int) -> list[int]:
    """Column widths for a table `width` wide: the widest columns narrow down to their longest
    token first (ids and header words stay whole), then to 8, as narrow as a wrapped line gets
    (see `wrap_runs`: a narrower column would be drawn wider than its share); then, if the
    table fits, width moves to where it keeps more words whole (see `_keep_words`)."""
    room = width - 2 * (len(columns) - 1)
    floors = [min(c.widest, 8) for c in columns]
    widths = [c.widest for c in columns]
    widths = _fit_columns(widths, room, [max(f, min(w, c.widest_token)) for f, w, c in zip(
        floors, widths, columns, strict=True)])
    widths = _fit_columns(widths, room, floors)
    return _keep_words(columns, widths, floors) if sum(widths) <= room else widths


def _keep_words(columns: list[_Column], widths: list[int], floors: list[int]) -> list[int]:
    """`widths` with width moved to the columns whose cells split words that fit them
    (`gradien`/`t);` in 9 columns) wherever that splits fewer words in all.

    A move gives one column up to `REACH` more columns, taken one at a time from the other
    columns above their `floors`, each time from the one that then splits the fewest more
    words (a CJK column, which may break anywhere, or one with room to spare); of all moves
    the one that splits fewest words is made, and at most as many moves as there are columns.
    Widths that split no word that fits (the bundled tables' at 80 columns and more) are
    left as they are.
    """
    widths = list(widths)
    for _ in columns:
        best = widths
        fewest = total = sum(c.splits(w) for c, w in zip(columns, widths, strict=True))
        for i, column in enumerate(columns):
            if total == 0 or not column.splits(widths[i]):
                continue
            for more in range(1, min(REACH, column.widest - widths[i]) + 1):
                moved = _widen(columns, widths, floors, i, more)
                if moved is None:
                    break
                count = sum(c.splits(w) for c, w in zip(columns, moved, strict=True))
                if count < fewest:
                    best, fewest = moved, count
        if best is widths:
            break
        widths = best
    return widths


def _widen(columns: list[_Column], widths: list[int], floors: list[int], i: int,
           more: int) -> list[int] | None:
    """`widths` with column `i` wider by `more`, taken one column at a time from the others
    above their `floors`, each time from the one whose cells then split the fewest more words
    (the widest of those); None if the others have not that much to give."""
    widths = list(widths)
    widths[i] += more
    for _ in range(more):
        others = [j for j, (w, f) in enumerate(zip(widths, floors, strict=True))
                  if j != i and w > f]
        if not others:
            return None
        j = min(others, key=lambda j: (columns[j].splits(widths[j] - 1)
                                       - columns[j].splits(widths[j]), -widths[j]))
        widths[j] -= 1
    return widths


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], color: bool = False,
          width: int | None = None) -> str:
    """An aligned table with a rule under the header; CJK-aware widths.

    With `width`, the widest columns are narrowed until a line fits and their cells wrapped,
    at widths chosen to keep words whole where the columns can (see `_layout`); a word wider
    than its column is split. A table that still does not fit (numbers do not wrap)
    continues below in blocks, each repeating the first column, the row's name. Each rule is
    as long as the widest cell shown in its column.
    """
    cells = [[str(c) for c in r] for r in rows]
    if width is None:
        widths = [max(map(width_of, column)) for column in zip(headers, *cells, strict=True)]
    else:
        widths = _layout([_Column(column) for column in zip(headers, *cells, strict=True)],
                         width)
    heads = [wrap_text(h, w, whole_words=True) for h, w in zip(headers, widths, strict=True)]
    wrapped = [[wrap_text(c, w, whole_words=True) for c, w in zip(row, widths, strict=True)]
               for row in cells]
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
