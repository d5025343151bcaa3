"""A matrix drawn as a heatmap of block glyphs, one text row per matrix row.

Plain characters read the same in every front end (the CLI, piped output, the app, JSON) and
need no colour, which the CLI keeps to the foreground anyway. A table of numbers gives the exact
values; the shades beside it show the pattern at a glance: a causal triangle, rows that
softmax has made one-hot, the stripes of a positional encoding.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def shade_row(values: npt.ArrayLike, low: float, high: float, glyphs: str = " ░▒▓█",
              zero: str | None = None, cell: int = 1) -> str:
    """`values` on the scale low … high as glyphs: the range is cut into len(glyphs) equal
    bins, lowest glyph first (values outside are clipped). A value exactly equal to `low`
    shows as `zero` when given (a masked weight, as against a merely small one). Each value
    takes `cell` columns, so a square matrix looks square."""
    v = np.asarray(values, dtype=float)
    t = np.clip((v - low) / (high - low), 0.0, 1.0)
    index = np.minimum((t * len(glyphs)).astype(int), len(glyphs) - 1)
    marks = [glyphs[i] if zero is None or x != low else zero for i, x in zip(index, v, strict=True)]
    return "".join(m * cell for m in marks)
