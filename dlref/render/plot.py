"""A demo's plot for the terminal, drawn with plotext (imported here: only demos pay for it)."""

from __future__ import annotations

from dlref.i18n import pick
from dlref.render.style import strip_ansi
from dlref.text.numbers import plot_ticks
from dlref.text.width import pad_wide, unpad_wide


def render_plot(plot, lang: str, width: int, color: bool, height: int = 16) -> str:
    """The plot at `width` × `height` columns and rows; labels and legend in `lang`. The title
    is the caller's to print (plotext drops one wider than the plot, as both languages are)."""
    import plotext as plt

    plt.clear_figure()
    plt.plot_size(min(width, 100), height)
    if not color:
        plt.theme("clear")
    else:  # foreground colours only: the terminal's own background shows through
        plt.canvas_color("default")
        plt.axes_color("default")
        plt.ticks_color("default")
    draw = {"scatter": plt.scatter, "bar": plt.bar}.get(plot.kind, plt.plot)
    for series in plot.series:
        if series.x and series.y:
            draw(series.x, series.y, label=pad_wide(pick(series.label, lang)))
    # round steps, short labels: never `77309411328.0`
    xticks, yticks = plot_ticks(plot, min(width, 100) - 6)
    if xticks is not None:
        plt.xticks(*xticks)
    if yticks is not None:
        plt.yticks(*yticks)
    plt.xlabel(pad_wide(pick(plot.xlabel, lang)))
    plt.ylabel(pad_wide(pick(plot.ylabel, lang)))
    text = unpad_wide(plt.build())
    return text if color else strip_ansi(text)
