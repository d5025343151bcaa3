"""One way to turn a computed number into what a learner reads: four significant figures."""

from __future__ import annotations

import math
from collections.abc import Mapping

from dlref.i18n import pick

SIGNIFICANT = 4


def round_sig(value: float, digits: int = SIGNIFICANT) -> float:
    """A float kept to `digits` significant figures, so tables and JSON carry no binary noise
    (and never `-0.0`)."""
    return float(f"{float(value):.{digits}g}") + 0.0


def fmt_num(value: object, digits: int = SIGNIFICANT) -> str:
    """A table cell, metric or knob value as text: floats to `digits` significant figures,
    infinities as `∞`/`-∞`, missing values as `–`, anything else as `str`."""
    if value is None:
        return "–"
    if isinstance(value, bool) or not isinstance(value, float | int) and not hasattr(
            value, "dtype"):
        return str(value)
    if isinstance(value, int) or getattr(value, "dtype", None) is not None and \
            str(value.dtype).startswith(("int", "uint")):
        return str(int(value))
    value = float(value)
    if math.isinf(value):
        return "∞" if value > 0 else "-∞"
    return f"{value + 0.0:.{digits}g}"


def cell_text(value: object, lang: str) -> str:
    """A table cell as text: a bilingual cell picked in `lang`, a number to four significant
    figures, anything else as it is."""
    return pick(value, lang) if isinstance(value, Mapping) else fmt_num(value)
