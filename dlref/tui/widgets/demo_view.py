"""The Demo tab: one input per knob, a plot and tables that follow the knobs.

Computation runs in a worker thread so the UI never stalls; step-wise demos (descent,
training) animate with play/pause and single steps.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult, RenderResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, DataTable, Input, Label, Select, Static, Switch
from textual_plotext import PlotextPlot

from dlref.demos.base import Demo, Knob, KnobError, Result
from dlref.i18n import pick, t
from dlref.text.numbers import cell_text, fmt_num
from dlref.text.width import pad_wide, unpad_wide

# Named, so a series' colour never depends on whether the theme reached plotext before the
# first draw (textual-plotext's own sequence, which it applies only once the theme is set).
SERIES_COLORS = ((0, 130, 200), (60, 180, 75), (230, 25, 75), (255, 225, 25), (245, 130, 48),
                 (145, 30, 180))


class WidePlot(PlotextPlot):
    """A plotext plot whose labels may hold CJK: plotext counts one column per character, so
    labels are passed through `pad_wide` and the drawing through `unpad_wide`."""

    def render(self) -> RenderResult:
        # PlotextPlot.render (textual-plotext 1.0.1), with the drawing unpadded before parsing
        self._plot.plotsize(self.size.width, self.size.height)
        self._plot._set_size(self.size.width, self.size.height)
        self._plot.theme(self._get_plotext_theme_name(self.app.theme))
        return Text.from_ansi(unpad_wide(self._plot.build()))


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
        self._error: KnobError | None = None  # the knob value last refused, if any

    def compose(self) -> ComposeResult:
        with Horizontal(id="demo-body"):
            with VerticalScroll(id="knobs"):
                yield Static("", id="demo-title")
                yield Vertical(id="knob-list")
                yield Static("", id="knob-error")
                with Horizontal(id="demo-buttons"):
                    yield Button("", id="play", compact=True)
                    yield Button("", id="step", compact=True)
                    yield Button("", id="reset", compact=True)
            with Vertical(id="demo-output"):
                yield Static("", id="metrics")
                yield WidePlot(id="plot")
                with VerticalScroll(id="tables"):
                    yield Static("", id="notes")

    # -- set-up ---------------------------------------------------------------------------------

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._lang_changed)

    @property
    def lang(self) -> str:
        return self.app.lang

    def _lang_changed(self, lang: str) -> None:
        """Relabel everything in place: title, knobs, buttons, the error, the result."""
        self.query_one("#step", Button).label = t("app.step", lang)
        self.query_one("#reset", Button).label = t("app.reset", lang)
        self._label_play()
        if self.demo is None:
            return
        self.query_one("#demo-title", Static).update(Content.styled(pick(self.demo.title, lang),
                                                                    "bold"))
        for knob in self.demo.knobs:
            for label in self.query(f"#label-{knob.name}").results(Label):
                label.update(self._knob_label(knob))
        if self._error is not None:
            self.query_one("#knob-error", Static).update(
                Content.styled(self._error.text(lang), "$error"))
        if self.result is not None:
            self.show_result(self.result)

    def _knob_label(self, knob: Knob) -> Content:
        label = Content(pick(knob.label, self.lang))
        if knob.kind in ("choice", "bool"):
            return label
        return label + Content.styled(f" [{fmt_num(knob.low)}, {fmt_num(knob.high)}]", "dim")

    def load(self, demo: Demo, preset: dict[str, Any]) -> None:
        """Show `demo` with the card's presets applied (old knob widgets go first)."""
        self.run_worker(self._load(demo, preset), group="demo-load", exclusive=True)

    async def _load(self, demo: Demo, preset: dict[str, Any]) -> None:
        self.pause()
        self.demo = demo
        try:
            self.values = demo.resolve({}, preset)
            preset_error: KnobError | None = None
        except KnobError as exc:  # a user card's preset `dlref check` rejects: the defaults
            self.values, preset_error = demo.resolve({}, {}), exc
        self.plot_index = 0
        self._error = None
        knob_list = self.query_one("#knob-list", Vertical)
        await knob_list.remove_children()
        widgets = []
        for knob in demo.knobs:
            value = self.values[knob.name]
            if knob.kind == "choice":
                widget: Any = Select([(c, c) for c in knob.choices], value=value,
                                     allow_blank=False, id=f"knob-{knob.name}", compact=True)
            elif knob.kind == "bool":
                widget = Switch(value=bool(value), id=f"knob-{knob.name}")
            else:
                widget = Input(fmt_num(value), id=f"knob-{knob.name}", compact=True)
            widgets.append(Label(self._knob_label(knob), id=f"label-{knob.name}",
                                 classes="knob-label"))
            widgets.append(widget)
        await knob_list.mount_all(widgets)
        self.query_one("#play", Button).display = demo.frames is not None
        self.query_one("#step", Button).display = demo.frames is not None
        self.query_one("#knob-error", Static).update("")
        self._lang_changed(self.lang)
        if preset_error is not None:
            self.app.notify(t("app.bad-preset", self.lang, error=preset_error.text(self.lang)),
                            severity="warning", markup=False)
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
            self._error = exc
            self.query_one("#knob-error", Static).update(
                Content.styled(exc.text(self.lang), "$error"))
            return
        widget.remove_class("-invalid")
        self._error = None
        self.query_one("#knob-error", Static).update("")
        if self.values.get(name) != value:
            self.values[name] = value
            self.recompute()

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
        self.query_one("#play", Button).label = label

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
        if result.step is not None:
            metrics.insert(0, (t("app.step", lang), str(result.step)))
        self.query_one("#metrics", Static).update(Content("  ").join(
            Content.styled(name, "bold") + Content(f"={value}") for name, value in metrics))
        self._draw_plot(result, lang)
        self._draw_tables(result, lang)
        self.query_one("#notes", Static).update(
            Content("\n").join(Content(f"• {n}") for n in result.notes_in(lang)))

    def _draw_plot(self, result: Result, lang: str) -> None:
        widget = self.query_one("#plot", PlotextPlot)
        widget.display = bool(result.plots)
        if not result.plots:
            return
        plot = result.plots[min(self.plot_index, len(result.plots) - 1)]
        plt = widget.plt
        plt.clear_data()
        draw = {"scatter": plt.scatter, "bar": plt.bar}.get(plot.kind, plt.plot)
        for k, series in enumerate(plot.series):
            if series.x and series.y:
                draw(series.x, series.y, label=pad_wide(pick(series.label, lang)),
                     color=SERIES_COLORS[k % len(SERIES_COLORS)])
        title = pick(plot.title, lang)
        if len(result.plots) > 1:
            title += "  " + t("app.plot-page", lang, page=self.plot_index + 1,
                              pages=len(result.plots))
        plt.title(pad_wide(title))
        plt.xlabel(pad_wide(pick(plot.xlabel, lang)))
        plt.ylabel(pad_wide(pick(plot.ylabel, lang)))
        widget.refresh()

    def next_plot(self) -> None:
        if self.result is not None and self.result.plots:
            self.plot_index = (self.plot_index + 1) % len(self.result.plots)
            self.show_result(self.result)

    def _draw_tables(self, result: Result, lang: str) -> None:
        container = self.query_one("#tables", VerticalScroll)
        for old in container.query(".demo-table, .table-title"):
            old.remove()
        notes = self.query_one("#notes", Static)
        for table in result.tables:
            title = Static(Content.styled(pick(table.title, lang), "bold"),
                           classes="table-title")
            grid: DataTable = DataTable(classes="demo-table",
                                        show_cursor=False, zebra_stripes=True)
            container.mount(title, before=notes)
            container.mount(grid, before=notes)
            grid.add_columns(*[pick(c, lang) for c in table.columns])
            grid.add_rows([[cell_text(c, lang) for c in row] for row in table.rows])
