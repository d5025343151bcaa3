"""A demo's result for the terminal: metrics, plots, tables, then the notes."""

from __future__ import annotations

from dlref.i18n import pick
from dlref.render.plot import render_plot
from dlref.render.style import emit, paint
from dlref.render.table import table
from dlref.text.numbers import cell_text, fmt_num
from dlref.text.paragraphs import inline_runs
from dlref.text.width import width_of
from dlref.text.wrap import wrap_runs


def render_result(result, lang: str, width: int, color: bool) -> str:
    """Everything a demo computed for one set of knob values, in `lang`."""
    out: list[str] = []
    if result.metrics:
        out += _metric_lines(result, lang, min(width, 100), color)
        out.append("")
    for plot in result.plots:
        out += _heading(plot.title, lang, width, color)
        out.append(render_plot(plot, lang, width, color))
        out.append("")
    for tab in result.tables:
        out += _heading(tab.title, lang, width, color)
        rows = [[cell_text(c, lang) for c in row] for row in tab.rows]
        out.append(table([pick(c, lang) for c in tab.columns], rows, color, width))
    for note in result.notes_in(lang):
        out += [emit(line, color) for line in wrap_runs(inline_runs(note), min(width, 100),
                                                          "• ", "  ")]
    return "\n".join(out).rstrip() + "\n"


def _heading(title, lang: str, width: int, color: bool) -> list[str]:
    """A plot's or table's title in `lang`, wrapped to `width`."""
    return [emit(line, color) for line in wrap_runs([(pick(title, lang), "heading")],
                                                    width, "", "  ")]


def _metric_lines(result, lang: str, width: int, color: bool) -> list[str]:
    """`label=value` pairs, two spaces apart, packed into lines of `width` columns; a pair is
    split only when it is wider than a line by itself, and then wrapped with a hanging indent."""
    lines: list[str] = []
    line, used = "", 0
    for name, value in result.metrics.items():
        label, shown = pick(result.metric_label(name), lang), f"={fmt_num(value)}"
        size = width_of(label + shown)
        if used and used + 2 + size > width:
            lines.append(line)
            line, used = "", 0
        if size > width:
            lines += [emit(part, color) for part in wrap_runs([(label, "bold"), (shown, None)],
                                                              width, "", "  ")]
            continue
        line += ("  " if used else "") + paint(label, "bold", color) + shown
        used += (2 if used else 0) + size
    return [*lines, line] if line else lines
