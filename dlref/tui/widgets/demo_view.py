"""The Demo tab: one input per knob, a plot and tables that follow the knobs.

Computation runs in a worker thread so the UI never stalls; step-wise demos (descent,
training) animate with play/pause and single steps.

Readable plots: the title and page hint sit above the plot (they wrap, never vanish), the
legend below it (never over the data), ticks on round steps with short labels (the CLI's
own, `dlref.text.numbers.plot_ticks`), and `v` shows the plot's values as a table instead.
Each knob has its message right under it when the typed value is refused; the value stays
in the box, marked.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from dataclasses import replace
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, RenderResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Button, DataTable, Input, OptionList, Select, Static, Switch
from textual_plotext import PlotextPlot

from dlref.demos.base import Demo, Knob, KnobError, Plot, Result
from dlref.demos.terms import STEP
from dlref.i18n import one, pick, t
from dlref.text.numbers import Ticks, cell_text, fmt_num, plot_ticks
from dlref.text.width import pad_wide, unpad_wide, width_of
from dlref.text.wrap import Run
from dlref.tui.widgets.wrapped import WrappedText, paragraph

# Named, so a series' colour never depends on whether the theme reached plotext before the
# first draw (textual-plotext's own sequence, which it applies only once the theme is set).
SERIES_COLORS = ((0, 130, 200), (60, 180, 75), (230, 25, 75), (255, 225, 25), (245, 130, 48),
                 (145, 30, 180))


class WidePlot(PlotextPlot):
    """A plotext plot whose labels may hold CJK: plotext counts one column per character, so
    labels are passed through `pad_wide` and the drawing through `unpad_wide`."""

    ticked: Plot | None = None  # the plot whose data is drawn, for its ticks

    def render(self) -> RenderResult:
        # PlotextPlot.render (textual-plotext 1.0.1), with the drawing unpadded before parsing
        if self.ticked is not None:  # the CLI's ticks, as many as this width has room for
            xticks, yticks = plot_ticks(self.ticked, self.size.width - 6)  # less the y labels
            set_ticks(self._plot, "x", xticks)
            set_ticks(self._plot, "y", yticks)
        self._plot.plotsize(self.size.width, self.size.height)
        self._plot._set_size(self.size.width, self.size.height)
        self._plot.theme(self._get_plotext_theme_name(self.app.theme))
        return Text.from_ansi(unpad_wide(self._plot.build()))


class Legend(Widget):
    """A plot's legend below the plot: `━━ label` entries, packed into lines without ever
    breaking an entry (an entry wider than the line gets a line of its own and wraps)."""

    DEFAULT_CSS = "Legend { height: auto; }"

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.entries: list[tuple[str, str]] = []  # (label, colour style)

    def show(self, entries: list[tuple[str, str]]) -> None:
        if entries != self.entries:
            self.entries = entries
            self.refresh(layout=True)

    def _content(self, width: int) -> Content:
        lines: list[list[Content]] = [[]]
        used = 0
        for label, colour in self.entries:
            entry = Content.styled("━━ ", colour) + Content(label)
            size = width_of(label) + 3
            if lines[-1] and used + 3 + size > width:
                lines.append([])
                used = 0
            used += size + (3 if lines[-1] else 0)
            lines[-1].append(entry)
        return Content("\n").join(Content("   ").join(line) for line in lines)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._content(width).wrap(max(width, 1))) if self.entries else 0

    def render(self) -> Content:
        return self._content(self.content_size.width)


class Notes(WrappedText):
    """A demo's notes as bullets, broken into lines by `dlref.text.wrap` (the CJK rules: a
    Chinese sentence breaks between characters, not only at its few spaces)."""

    DEFAULT_CSS = "Notes { height: auto; }"

    def show_notes(self, notes: list[str]) -> None:
        self.show(paragraph([(note, None)], first="• ", rest="  ") for note in notes)


class KnobLabel(WrappedText):
    """A knob's label and range, broken into lines by `dlref.text.wrap`: English at spaces,
    Chinese between characters with its punctuation rules, and the range (`[0,1]`) as one
    piece. Textual's own wrapping folded a Chinese label, which has few spaces, mid-word
    (`leaky_r` / `elu`) in the narrow knob column."""

    DEFAULT_CSS = "KnobLabel { height: auto; }"

    def __init__(self, runs: list[Run], **kwargs: Any) -> None:
        super().__init__([paragraph(runs)], **kwargs)

    def show_label(self, runs: list[Run]) -> None:
        """(text, None or a style such as "dim") runs, one paragraph."""
        self.show([paragraph(runs)])


class DemoView(Vertical):
    """Knobs on the left, plot and tables on the right."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.demo: Demo | None = None
        self.values: dict[str, Any] = {}
        self.result: Result | None = None
        self.frames: Iterator[Result] | None = None
        self.plot_index = 0
        self._timer = None
        self._seed = 0
        self._generation = 0  # results of an older demo or knob set are dropped
        self._errors: dict[str, KnobError] = {}  # knob name -> the value it refused
        self.show_values = False  # v: the plot as a table of its values
        self._grids: list[tuple[Static, DataTable]] = []
        self._choices_lang: str | None = None  # the choice lists' language; None while made
        self._loading = asyncio.Lock()  # one load (or clear) of the knobs at a time
        self._last_load = 0  # the latest load asked for: older ones not yet begun are skipped

    def compose(self) -> ComposeResult:
        with Horizontal(id="demo-body"):
            with VerticalScroll(id="knobs"):
                yield Static("", id="demo-title")
                with Horizontal(id="demo-buttons"):  # at the top: never below the fold
                    lang = self.app.lang  # labelled from the start: auto widths fit them
                    yield Button(f"▶ {t('app.play', lang)}", id="play", compact=True)
                    yield Button(t("app.step", lang), id="step", compact=True)
                    yield Button(t("app.reset", lang), id="reset", compact=True)
                yield Vertical(id="knob-list")
            with VerticalScroll(id="demo-output"):  # on a short screen the tables scroll
                yield Static("", id="metrics")
                yield Static("", id="plot-title")
                yield WidePlot(id="plot")
                yield Legend(id="legend")
                yield DataTable(id="plot-values", show_cursor=False, zebra_stripes=True)
                with VerticalScroll(id="tables"):
                    yield Notes(id="notes")

    # -- set-up ---------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._lang_seen, init=False)
        self._relabel_when_shown = False

    def _lang_seen(self, lang: str) -> None:
        """Relabel now if the Demo tab shows, else when it is next shown (a language switch on
        another tab does not wait for tables it cannot see)."""
        if self.parent is not None and not self.parent.display:
            self._relabel_when_shown = True
            return
        self._lang_changed(lang)

    def shown(self) -> None:
        """The Demo tab became visible: catch up with a language switch made elsewhere."""
        if self._relabel_when_shown:
            self._relabel_when_shown = False
            self._lang_changed(self.lang)

    @property
    def lang(self) -> str:
        return self.app.lang

    def _lang_changed(self, lang: str) -> None:
        """Relabel everything in place: title, knobs, buttons, the error, the result."""
        relabel(self.query_one("#step", Button), t("app.step", lang))
        relabel(self.query_one("#reset", Button), t("app.reset", lang))
        self._label_play()
        if self.demo is None:
            return
        self.query_one("#demo-title", Static).update(Content.styled(pick(self.demo.title, lang),
                                                                    "bold"))
        for knob in self.demo.knobs:
            for label in self.query(f"#label-{knob.name}").results(KnobLabel):
                label.show_label(self._knob_label(knob))
            if self._choices_lang not in (None, lang):
                for select in self.query(f"#knob-{knob.name}").results(Select):
                    relabel_select(select, self._choices(knob))
        if self._choices_lang is not None:
            self._choices_lang = lang
        for name, error in self._errors.items():
            self._show_error(name, error)
        for overlay in self.query("SelectOverlay").results(OptionList):  # a choice's list
            label_dismiss(overlay, lang)
        if self.result is not None:
            self.show_result(self.result)

    def _knob_label(self, knob: Knob) -> list[Run]:
        """The label in the language, then the range, dim (for `KnobLabel`)."""
        label: list[Run] = [(pick(knob.label, self.lang), None)]
        if knob.kind in ("choice", "bool"):
            return label
        # no space inside: the range wraps as one piece, never as "[0," and "1]"
        return [*label, (f" [{fmt_num(knob.low)},{fmt_num(knob.high)}]", "dim")]

    def _choices(self, knob: Knob) -> list[tuple[str, str]]:
        """A choice knob's options for its `Select`: (what the learner reads, the value)."""
        return [(knob.choice_label(c, self.lang), c) for c in knob.choices]

    def clear(self) -> None:
        """No demo for this card: say so instead of keeping the last card's demo."""
        self._in_turn(self._clear)

    def _in_turn(self, job: Callable[..., Awaitable[None]], *args: Any) -> None:
        """Run a load or clear after the one under way, and only if no other was asked for
        meanwhile. Not cancelled midway (an exclusive worker): a load cut off while its knobs
        were mounting left a choice knob half made, which crashed the app (`j Enter 2` typed
        in one burst)."""
        self._last_load += 1
        self.run_worker(self._when_latest(self._last_load, job, *args), group="demo-load")

    async def _when_latest(self, ticket: int, job: Callable[..., Awaitable[None]],
                           *args: Any) -> None:
        async with self._loading:
            if ticket == self._last_load:
                await job(*args)

    async def _clear(self) -> None:
        self.pause()
        self._generation += 1
        self.demo, self.result, self.frames, self._errors = None, None, None, {}
        await self.query_one("#knob-list", Vertical).remove_children()
        self.query_one("#demo-title", Static).update(Content(t("app.no-demo", self.lang)))
        self.query_one("#demo-buttons").display = False
        self.query_one("#demo-output").display = False

    def load(self, demo: Demo, preset: dict[str, Any]) -> None:
        """Show `demo` with the card's presets applied (old knob widgets go first)."""
        self._in_turn(self._load, demo, preset)

    async def _load(self, demo: Demo, preset: dict[str, Any]) -> None:
        self.pause()
        self.demo = demo
        try:
            self.values = demo.resolve({}, preset)
            preset_error: KnobError | None = None
        except KnobError as exc:  # a user card's preset `dlref check` rejects: the defaults
            self.values, preset_error = demo.resolve({}, {}), exc
        self.plot_index = 0
        self._errors = {}
        self.query_one("#demo-buttons").display = True
        self.query_one("#demo-output").display = True
        knob_list = self.query_one("#knob-list", Vertical)
        self._choices_lang = None  # no relabelling lists that are being made
        await knob_list.remove_children()
        made_in = self.lang
        groups = []
        for knob in demo.knobs:
            value = self.values[knob.name]
            if knob.kind == "choice":
                widget: Any = Select(self._choices(knob), value=value,
                                     allow_blank=False, id=f"knob-{knob.name}", compact=True)
            elif knob.kind == "bool":
                widget = Switch(value=bool(value), id=f"knob-{knob.name}")
            else:
                widget = Input(fmt_num(value), id=f"knob-{knob.name}", compact=True)
            groups.append(Vertical(KnobLabel(self._knob_label(knob), id=f"label-{knob.name}",
                                             classes="knob-label"),
                                   widget,
                                   Static("", id=f"error-{knob.name}", classes="knob-error"),
                                   classes="knob"))
        await knob_list.mount_all(groups)
        self._choices_lang = made_in  # relabelled below if the language changed meanwhile
        if not getattr(self.app, "blink", True):
            for box in knob_list.query(Input):
                box.cursor_blink = False
        self.query_one("#play", Button).display = demo.frames is not None
        self.query_one("#step", Button).display = demo.frames is not None
        self._lang_changed(self.lang)
        if preset_error is not None:
            error = preset_error.text(self.lang, named=False)
            self.app.notify(t("app.bad-preset", self.lang, error=error), severity="warning",
                            markup=False)
        self.recompute()

    # -- knobs ----------------------------------------------------------------------------------

    def _knob_changed(self, name: str, text: str | None, typed: Any = None) -> None:
        if self.demo is None:
            return
        knob = self.demo.knob(name)
        widget = self.query_one(f"#knob-{name}")
        try:
            value = knob.parse(text) if text is not None else knob.check(typed)
        except KnobError as exc:
            widget.add_class("-invalid")
            self._errors[name] = exc
            self._show_error(name, exc)
            return
        widget.remove_class("-invalid")
        self._errors.pop(name, None)
        self._show_error(name, None)
        if self.values.get(name) != value:
            self.values[name] = value
            remember = getattr(self.app, "remember_knob", None)
            if remember is not None:
                remember(self.demo.name, name, value)
            self.recompute()

    def _show_error(self, name: str, error: KnobError | None) -> None:
        """The message under its knob, in the learner's language, with the label and range."""
        for box in self.query(f"#error-{name}").results(Static):
            box.update(Content(error.text(self.lang, named=False)) if error else Content(""))
            box.display = error is not None

    def command_line(self) -> str | None:
        """The demo as it is now, as a shell command: `dlref demo NAME --set knob=value …`."""
        return None if self.demo is None else command_line(self.demo, self.values)

    @on(Input.Changed)
    def _input(self, event: Input.Changed) -> None:
        if event.input.id and event.input.id.startswith("knob-"):
            event.stop()
            self._knob_changed(event.input.id[5:], event.value)

    @on(Select.Changed)
    def _select(self, event: Select.Changed) -> None:
        if event.select.id and event.select.id.startswith("knob-"):
            self._knob_changed(event.select.id[5:], None, event.value)

    @on(Switch.Changed)
    def _switch(self, event: Switch.Changed) -> None:
        if event.switch.id and event.switch.id.startswith("knob-"):
            self._knob_changed(event.switch.id[5:], None, event.value)

    # -- computing ------------------------------------------------------------------------------

    def recompute(self) -> None:
        """New knob values: restart step-wise demos at their first frame, else run."""
        if self.demo is None:
            return
        self.pause()
        self._generation += 1
        self._compute(self.demo, dict(self.values), self._generation)

    @work(thread=True, exclusive=True, group="demo")
    def _compute(self, demo: Demo, values: dict[str, Any], generation: int) -> None:
        import numpy as np

        rng = np.random.default_rng(self._seed)
        if demo.frames is not None:
            frames = demo.frames(values, rng)
            result = next(frames)
        else:
            frames, result = None, demo.run(values, rng)
        self.app.call_from_thread(self._deliver, generation, frames, result)

    def _deliver(self, generation: int, frames: Iterator[Result] | None, result: Result) -> None:
        if generation == self._generation:
            self.frames = frames
            self.show_result(result)

    def _advance(self) -> None:
        if self.frames is not None:
            self._next_frame(self.frames, self._generation)

    @work(thread=True, exclusive=True, group="demo")
    def _next_frame(self, frames: Iterator[Result], generation: int) -> None:
        try:
            result = next(frames)
        except StopIteration:
            self.app.call_from_thread(self.pause)
            return
        except ValueError:  # a generator already running in another worker: skip this tick
            return
        self.app.call_from_thread(self._deliver, generation, frames, result)

    def step(self) -> None:
        if self.demo is not None and self.demo.frames is not None:
            if self.frames is None:
                self.recompute()
            else:
                self._advance()

    @property
    def playing(self) -> bool:
        return self._timer is not None

    def toggle_play(self) -> None:
        if self.demo is None or self.demo.frames is None:
            return
        if self.playing:
            self.pause()
        else:
            self._timer = self.set_interval(0.12, self._advance)
            self._label_play()

    def pause(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.is_mounted:
            self._label_play()

    def _label_play(self) -> None:
        label = f"⏸ {t('app.pause', self.lang)}" if self.playing else \
            f"▶ {t('app.play', self.lang)}"
        relabel(self.query_one("#play", Button), label)

    @on(Button.Pressed, "#play")
    def _play_button(self) -> None:
        self.toggle_play()

    @on(Button.Pressed, "#step")
    def _step_button(self) -> None:
        self.step()

    @on(Button.Pressed, "#reset")
    def _reset_button(self) -> None:
        self.recompute()

    # -- showing --------------------------------------------------------------------------------

    def show_result(self, result: Result) -> None:
        self.result = result
        lang = self.lang
        metrics = [(pick(result.metric_label(k), lang), fmt_num(v))
                   for k, v in result.metrics.items()]
        if result.step is not None and "step" not in result.metrics:  # once, not twice
            metrics.insert(0, (pick(STEP, lang), str(result.step)))
        self.query_one("#metrics", Static).update(Content("  ").join(
            Content.styled(name, "bold") + Content(f"={value}") for name, value in metrics))
        self._draw_plot(result, lang)
        self._draw_tables(result, lang)
        self.query_one(Notes).show_notes(result.notes_in(lang))

    def _draw_plot(self, result: Result, lang: str) -> None:
        output = self.query_one("#demo-output")
        output.set_class(not result.plots, "-no-plot")
        widget = self.query_one("#plot", PlotextPlot)
        values = self.query_one("#plot-values", DataTable)
        for part in ("#plot-title", "#legend"):
            self.query_one(part).display = bool(result.plots)
        widget.display = bool(result.plots) and not self.show_values
        values.display = bool(result.plots) and self.show_values
        if not result.plots:
            return
        plot = result.plots[min(self.plot_index, len(result.plots) - 1)]
        title = Content.styled(pick(plot.title, lang), "bold")
        if len(result.plots) > 1:
            title += Content.styled("  " + t("app.plot-page", lang, page=self.plot_index + 1,
                                             pages=len(result.plots)), "dim")
        if self.show_values:
            title += Content.styled("  " + t("app.values-hint", lang), "dim")
        self.query_one("#plot-title", Static).update(title)
        self.query_one(Legend).show([
            (pick(series.label, lang), f"rgb{SERIES_COLORS[k % len(SERIES_COLORS)]}")
            for k, series in enumerate(plot.series) if series.x and series.y])
        if self.show_values:
            self._fill_values(values, plot, lang)
            return
        plt = widget.plt
        plt.clear_data()
        draw = {"scatter": plt.scatter, "bar": plt.bar}.get(plot.kind, plt.plot)
        extra = {"marker": "braille"} if plot.kind == "line" else {}
        for k, series in enumerate(plot.series):
            if series.x and series.y:  # the legend is ours, below the plot: no labels here
                draw(series.x, series.y, color=SERIES_COLORS[k % len(SERIES_COLORS)], **extra)
        widget.ticked = plot  # ticks when drawn: how many fit depends on the width
        plt.title("")
        plt.xlabel(pad_wide(pick(plot.xlabel, lang)))
        plt.ylabel(pad_wide(pick(plot.ylabel, lang)))
        widget.refresh()

    def _fill_values(self, grid: DataTable, plot: Plot, lang: str) -> None:
        columns, rows = plot_values(plot, lang)
        if [str(c.label) for c in grid.columns.values()] != columns:
            grid.clear(columns=True)
            grid.add_columns(*columns)
        else:
            grid.clear()
        grid.add_rows(rows)

    def values_text(self) -> str | None:
        """The current plot's values as tab-separated lines (header first), for copying."""
        if self.result is None or not self.result.plots:
            return None
        plot = self.result.plots[min(self.plot_index, len(self.result.plots) - 1)]
        columns, rows = plot_values(plot, self.lang)
        return "\n".join("\t".join(row) for row in [columns, *rows])

    def toggle_values(self) -> None:
        """v: the current plot as a table of its values, and back."""
        self.show_values = not self.show_values
        if self.result is not None:
            self.show_result(self.result)

    def next_plot(self) -> None:
        if self.result is not None and self.result.plots:
            self.plot_index = (self.plot_index + 1) % len(self.result.plots)
            self.show_result(self.result)

    def _draw_tables(self, result: Result, lang: str) -> None:
        """Tables are updated in place while their shape stays (no flicker when stepping)."""
        container = self.query_one("#tables", VerticalScroll)
        wanted = [[pick(c, lang) for c in table.columns] for table in result.tables]
        same = len(wanted) == len(self._grids) and all(
            [str(c.label) for c in grid.columns.values()] == columns
            for (_, grid), columns in zip(self._grids, wanted, strict=True))
        if not same:
            for title, grid in self._grids:
                title.remove()
                grid.remove()
            self._grids = []
            notes = self.query_one(Notes)
            for columns in wanted:
                title = Static("", classes="table-title")
                grid: DataTable = DataTable(classes="demo-table", show_cursor=False,
                                            zebra_stripes=True)
                container.mount(title, before=notes)
                container.mount(grid, before=notes)
                grid.add_columns(*columns)
                self._grids.append((title, grid))
        for (title, grid), table in zip(self._grids, result.tables, strict=True):
            title.update(Content.styled(pick(table.title, lang), "bold"))
            grid.clear()
            grid.add_rows([[cell_text(c, lang) for c in row] for row in table.rows])


def label_dismiss(overlay: OptionList, lang: str) -> None:
    """A choice knob's open list: its Escape key in the footer in the learner's language
    (Textual's own is "Dismiss menu")."""
    word = t("app.key.dismiss-menu", one(lang))
    for key, bindings in overlay._bindings.key_to_bindings.items():
        overlay._bindings.key_to_bindings[key] = [
            replace(b, description=word) if b.action == "dismiss" else b for b in bindings]


def command_line(demo: Demo, values: dict[str, Any]) -> str:
    """`demo` with knob `values`, as a shell command: `dlref demo NAME --set knob=value …`
    (a knob at its default is left out)."""
    parts = ["dlref", "demo", demo.name]
    for knob in demo.knobs:
        value = values.get(knob.name, knob.default)
        if value == knob.default:
            continue
        if isinstance(value, bool):
            text = "true" if value else "false"
        elif isinstance(value, float):
            text = repr(value)
        else:
            text = str(value)
        parts += ["--set", f"{knob.name}={text}"]
    return " ".join(parts)


def relabel_select(select: Select, options: list[tuple[str, str]]) -> None:
    """New words for a choice knob's options, its value kept: Textual's `set_options` picks
    the first option and says the value changed, so that is kept quiet and the value set back
    (and its shown label redrawn, which setting an unchanged value does not do)."""
    value = select.value
    with select.prevent(Select.Changed):
        select.set_options(options)
        select.value = value
        select.mutate_reactive(Select.value)


def relabel(button: Button, label: str) -> None:
    """A new label, and the button's width follows it (Textual repaints a relabelled button
    without measuring it again, which cut `reset` to `re`)."""
    if str(button.label) != label:
        button.label = label
        button.refresh(layout=True)


def plot_values(plot: Plot, lang: str) -> tuple[list[str], list[list[str]]]:
    """A plot's numbers as a table: one x column and a column per series when the series share
    their x values, else one row per point (series, x, y)."""
    series = [s for s in plot.series if s.x and s.y]
    xlabel = pick(plot.xlabel, lang) or "x"
    if all(list(s.x) == list(series[0].x) for s in series):
        columns = [xlabel, *[pick(s.label, lang) or f"y{k + 1}" for k, s in enumerate(series)]]
        rows = [[fmt_num(x), *[fmt_num(s.y[i]) for s in series]]
                for i, x in enumerate(series[0].x if series else [])]
    else:
        columns = [t("app.series", lang), xlabel, pick(plot.ylabel, lang) or "y"]
        rows = [[pick(s.label, lang), fmt_num(x), fmt_num(y)]
                for s in series for x, y in zip(s.x, s.y, strict=False)]
    return columns, rows


DEFAULT_TICKS = {"x": 5, "y": 7}  # plotext's own number of ticks per axis


def set_ticks(plt: Any, axis: str, ticks: Ticks | None) -> None:
    """Fixed ticks and their labels on one axis, or (None) plotext's automatic ones again;
    plotext itself has no way back to automatic ticks once they were set."""
    if ticks is not None:
        getattr(plt, f"{axis}ticks")(*ticks)
        return
    monitor = plt.monitor
    getattr(monitor, f"{axis}ticks")[0] = None
    getattr(monitor, f"{axis}labels")[0] = None
    getattr(monitor, f"{axis}frequency")[0] = DEFAULT_TICKS[axis]
