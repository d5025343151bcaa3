"""The Demo tab: one input per knob, a plot and tables that follow the knobs.

Computation runs in a worker thread so the UI never stalls; step-wise demos (descent,
training) animate with play/pause and single steps.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.widgets import Button, DataTable, Input, Label, Select, Static, Switch
from textual_plotext import PlotextPlot

from dlref.demos.base import Demo, KnobError, Result


def _fmt(value: Any) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


# Named, so a series' colour never depends on whether the theme reached plotext before the
# first draw (textual-plotext's own sequence, which it applies only once the theme is set).
SERIES_COLORS = ((0, 130, 200), (60, 180, 75), (230, 25, 75), (255, 225, 25), (245, 130, 48),
                 (145, 30, 180))


class DemoView(Vertical):
    """Knobs on the left, plot and tables on the right."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.demo: Demo | None = None
        self.values: dict[str, Any] = {}
        self.result: Result | None = None
        self.lang = "en"
        self.frames: Iterator[Result] | None = None
        self.plot_index = 0
        self._timer = None
        self._seed = 0
        self._generation = 0  # results of an older demo or knob set are dropped

    def compose(self) -> ComposeResult:
        with Horizontal(id="demo-body"):
            with VerticalScroll(id="knobs"):
                yield Static("", id="demo-title")
                yield Vertical(id="knob-list")
                yield Static("", id="knob-error")
                with Horizontal(id="demo-buttons"):
                    yield Button("▶ play", id="play", compact=True)
                    yield Button("step", id="step", compact=True)
                    yield Button("reset", id="reset", compact=True)
            with Vertical(id="demo-output"):
                yield Static("", id="metrics")
                yield PlotextPlot(id="plot")
                with VerticalScroll(id="tables"):
                    yield Static("", id="notes")

    # -- set-up ---------------------------------------------------------------------------------

    def load(self, demo: Demo, preset: dict[str, Any], lang: str) -> None:
        """Show `demo` with the card's presets applied (old knob widgets go first)."""
        self.run_worker(self._load(demo, preset, lang), group="demo-load", exclusive=True)

    async def _load(self, demo: Demo, preset: dict[str, Any], lang: str) -> None:
        self.pause()
        self.demo, self.lang = demo, lang
        try:
            self.values = demo.resolve({}, preset)
            preset_error: KnobError | None = None
        except KnobError as exc:  # a user card's preset `dlref check` rejects: the defaults
            self.values, preset_error = demo.resolve({}, {}), exc
        self.plot_index = 0
        title = demo.title.get(lang, demo.title["en"])
        self.query_one("#demo-title", Static).update(f"[b]{title}[/b]")
        knob_list = self.query_one("#knob-list", Vertical)
        await knob_list.remove_children()
        widgets = []
        for knob in demo.knobs:
            label = knob.label.get(lang) or knob.label["en"]
            value = self.values[knob.name]
            if knob.kind == "choice":
                widget: Any = Select([(c, c) for c in knob.choices], value=value,
                                     allow_blank=False, id=f"knob-{knob.name}", compact=True)
            elif knob.kind == "bool":
                widget = Switch(value=bool(value), id=f"knob-{knob.name}")
            else:
                widget = Input(_fmt(value), id=f"knob-{knob.name}", compact=True)
            hint = ""
            if knob.kind not in ("choice", "bool"):
                hint = f" [dim]\\[{_fmt(knob.low)}, {_fmt(knob.high)}][/dim]"
            widgets.append(Label(f"{label}{hint}", classes="knob-label"))
            widgets.append(widget)
        await knob_list.mount_all(widgets)
        self.query_one("#play", Button).display = demo.frames is not None
        self.query_one("#step", Button).display = demo.frames is not None
        self.query_one("#knob-error", Static).update("")
        if preset_error is not None:
            self.app.notify(f"The card's demo_set is not used: {preset_error}",
                            severity="warning", markup=False)
        self.recompute()

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        if self.result is not None:
            self.show_result(self.result)

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
            self.query_one("#knob-error", Static).update(Content(str(exc)).stylize("red"))
            return
        widget.remove_class("-invalid")
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
            self.query_one("#play", Button).label = "⏸ pause"
            self._timer = self.set_interval(0.12, self._advance)

    def pause(self) -> None:
        if self._timer is not None:
            self._timer.stop()
            self._timer = None
        if self.is_mounted:
            self.query_one("#play", Button).label = "▶ play"

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
        lang = self.lang if self.lang in ("en", "zh") else "en"
        metrics = "  ".join(f"[b]{k}[/b]={_fmt(v)}" for k, v in result.metrics.items())
        if result.step is not None:
            metrics = f"[b]step[/b]={result.step}  " + metrics
        self.query_one("#metrics", Static).update(metrics)
        self._draw_plot(result, lang)
        self._draw_tables(result, lang)
        notes = result.notes.get(lang) or result.notes.get("en", [])
        self.query_one("#notes", Static).update("\n".join(f"• {n}" for n in notes))

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
                draw(series.x, series.y, label=series.label,
                     color=SERIES_COLORS[k % len(SERIES_COLORS)])
        title = plot.title.get(lang) or plot.title.get("en", "")
        if len(result.plots) > 1:
            title += f"  ({self.plot_index + 1}/{len(result.plots)}: p for next)"
        plt.title(title)
        plt.xlabel(plot.xlabel)
        plt.ylabel(plot.ylabel)
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
            title = Static(f"[b]{table.title.get(lang) or table.title.get('en', '')}[/b]",
                           classes="table-title")
            grid: DataTable = DataTable(classes="demo-table",
                                        show_cursor=False, zebra_stripes=True)
            container.mount(title, before=notes)
            container.mount(grid, before=notes)
            grid.add_columns(*[str(c) for c in table.columns])
            grid.add_rows([[_fmt(c) for c in row] for row in table.rows])
