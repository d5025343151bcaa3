"""One way to turn a computed number into what a learner reads: four significant figures."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from typing import Any

from dlref.i18n import pick

SIGNIFICANT = 4
WHOLE_DIGITS = 6  # axis ticks below 10⁶ are written out in full


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


def axis_ticks(values: Iterable[object], most: int = 8) -> tuple[list[float], list[str]] | None:
    """Ticks for a plot axis over `values`: at most `most` positions on a round step (1, 2,
    2.5 or 5 × 10ᵏ; whole numbers when every value is whole) inside the values' range, and their
    labels, short and exact enough to tell the ticks apart (`2e+10`, `0.25`, `4000`). The CLI
    and the app both label their plots with these, so an axis never reads `77309411328.0`.
    None when there is no finite number to place ticks by."""
    finite = [float(v) for v in values if isinstance(v, int | float) and not isinstance(v, bool)
              and math.isfinite(v)]
    if not finite:
        return None
    low, high = min(finite), max(finite)
    if not math.isfinite(high - low):
        return None  # a range past the largest float: plotext's own ticks
    if high - low <= 1e-9 * max(abs(low), abs(high)):  # one tick, at the value as it reads
        ticks = [round_sig(low)]
    else:
        step = _round_step((high - low) / (max(most, 2) - 1))
        if all(v == int(v) for v in finite):  # whole ticks: 1, 2, 5, 10, 20, 25…
            step = max(step, 1.0)
            step = 5.0 if step == 2.5 else step
        first, last = math.ceil(low / step - 1e-9), math.floor(high / step + 1e-9)
        ticks = sorted({float(f"{k * step:.12g}") + 0.0 for k in range(first, last + 1)})
    # the fewest significant figures that write every tick exactly, and whole numbers up to
    # six digits written out (`4000`, not `4e+03`)
    top = max(abs(ticks[0]), abs(ticks[-1]))
    places = math.floor(math.log10(top)) + 1 if top else 1
    digits = places if 1 <= places <= WHOLE_DIGITS else 1  # past that: 5e+05, 1e+06
    while digits < 15 and any(float(fmt_num(tick, digits)) != tick for tick in ticks):
        digits += 1
    return ticks, [fmt_num(tick, digits) for tick in ticks]


def _round_step(raw: float) -> float:
    """The smallest 1, 2, 2.5 or 5 × 10ᵏ at least `raw` (raw > 0)."""
    power = 10.0 ** math.floor(math.log10(raw))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw * (1 - 1e-9))


Ticks = tuple[list[float], list[str]]


def plot_ticks(plot: Any, width: int = 80) -> tuple[Ticks | None, Ticks | None]:
    """The x and y ticks (`axis_ticks`) of a demo's plot (a `dlref.demos.base.Plot`) drawn
    `width` columns wide: over the points of every series (and from 0 for bars, which plotext
    draws up from 0), with no more x ticks than their labels have room for (plotext drops
    a label that would touch its neighbour, which left gaps such as `1000 2000 4000`)."""
    xs = [x for series in plot.series for x in series.x]
    ys = [y for series in plot.series for y in series.y]
    if plot.kind == "bar" and ys:
        ys.append(0.0)
    most = 8
    xticks = axis_ticks(xs, most)
    while xticks is not None and most > 2 and \
            sum(len(label) + 2 for label in xticks[1]) > width:
        most -= 1
        xticks = axis_ticks(xs, most)
    return xticks, axis_ticks(ys)
