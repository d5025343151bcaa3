"""A demo's result for the terminal: metrics, plots, tables, then the notes."""

from __future__ import annotations

from dlref.i18n import pick
from dlref.render.plot import render_plot
from dlref.render.style import emit, paint
from dlref.render.table import table
from dlref.text.numbers import fmt_num
from dlref.text.paragraphs import inline_runs
from dlref.text.wrap import wrap_runs


def render_result(result, lang: str, width: int, color: bool) -> str:
    """Everything a demo computed for one set of knob values, in `lang`."""
    out: list[str] = []
    if result.metrics:
        out.append("  ".join(f"{paint(pick(result.metric_label(k), lang), 'bold', color)}="
                             f"{fmt_num(v)}" for k, v in result.metrics.items()))
        out.append("")
    for plot in result.plots:
        out.append(render_plot(plot, lang, width, color))
        out.append("")
    for tab in result.tables:
        out.append(paint(pick(tab.title, lang), "heading", color))
        rows = [[fmt_num(c) for c in row] for row in tab.rows]
        out.append(table([pick(c, lang) for c in tab.columns], rows, color, width))
    for note in result.notes_in(lang):
        out += [emit(line, color) for line in wrap_runs(inline_runs(note), min(width, 100),
                                                          "• ", "  ")]
    return "\n".join(out).rstrip() + "\n"
