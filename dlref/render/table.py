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
    Each rule is as long as the widest cell shown in its column.
    """
    cells = [[str(c) for c in r] for r in rows]
    widths = [width_of(h) for h in headers]
    for row in cells:
        widths = [max(w, width_of(c)) for w, c in zip(widths, row, strict=True)]
    if width is not None:
        # Columns narrow down to their longest word first (ids stay whole), then to 8.
        room = width - 2 * (len(widths) - 1)
        words = [max([0, *(width_of(t.rstrip()) for c in column for t, _ in tokens([(c, None)]))])
                 for column in zip(*cells, strict=True)] if cells else [0] * len(widths)
        widths = _fit_columns(widths, room, [min(w, x) for w, x in zip(widths, words, strict=True)])
        widths = _fit_columns(widths, room, [min(w, 8) for w in widths])

    wrapped = [[wrap_text(c, w) for c, w in zip(row, widths, strict=True)] for row in cells]
    shown = [max([width_of(h), *(width_of(x) for row in wrapped for x in row[i])])
             for i, h in enumerate(headers)]

    def line(values: Sequence[str], style: str | None = None) -> str:
        parts = [paint(v, style, color) + " " * (w - width_of(v))
                 for v, w in zip(values, shown, strict=True)]
        return "  ".join(parts).rstrip()

    out = [line(headers, "bold"), "  ".join("─" * w for w in shown)]
    for row in wrapped:
        for k in range(max(len(c) for c in row)):
            out.append(line([c[k] if k < len(c) else "" for c in row]))
    return "\n".join(out) + "\n"


