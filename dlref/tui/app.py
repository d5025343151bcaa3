"""DlrefApp: a card list on the left, the selected card's Card / Demo / Quiz tabs on the right."""

from __future__ import annotations

from dataclasses import replace
from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.events import Resize
from textual.reactive import reactive
from textual.widgets import Footer, Input, Static, TabbedContent, TabPane

from dlref.cards import Card, Library
from dlref.i18n import CHOICES, pick, resolve_language, t
from dlref.tui.commands import CardProvider
from dlref.tui.widgets.card_view import CardView
from dlref.tui.widgets.demo_view import DemoView
from dlref.tui.widgets.quiz_view import QuizView
from dlref.tui.widgets.sidebar import Sidebar

LANG_CYCLE = CHOICES  # l: English → 中文 → both
TABS = ("card", "demo", "quiz")
MIN_WIDTH, MIN_HEIGHT = 80, 24
NARROW = 110  # below this, the sidebar and the knob column shrink


class DlrefApp(App[None]):
    """Browse cards, turn a demo's knobs, take a quiz."""

    TITLE = "dlref"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {CardProvider}
    # Each binding's id names its description in the catalogue (`app.key.<id>`).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", id="search"),
        Binding("l", "cycle_lang", "Language", id="lang"),
        Binding("1", "tab('card')", "Card", id="tab.card"),
        Binding("2", "tab('demo')", "Demo", id="tab.demo"),
        Binding("3", "tab('quiz')", "Quiz", id="tab.quiz"),
        Binding("space", "play", "Play/pause", id="play"),
        Binding("s", "step", "Step", show=False, id="step"),
        Binding("p", "next_plot", "Next plot", show=False, id="next-plot"),
        Binding("n", "next_question", "Next question", id="next"),
        Binding("d", "quiz_due", "Quiz all due", show=False, id="due"),
        Binding("question_mark", "keys", "Keys", id="keys"),
        Binding("q", "quit", "Quit", id="quit"),
        Binding("escape", "leave_input", "Back", show=False, id="back"),
        Binding("ctrl+p", "command_palette", "Palette", show=False, priority=True,
                id="palette"),
    ]

    lang: reactive[str] = reactive("en", init=False)
    """The learner's language (en, zh or both): every widget that shows words watches it."""

    def __init__(self, start_card: str | None = None, store: Any = None,
                 library: Library | None = None, seed: int | None = None,
                 blink: bool = True) -> None:
        """`seed` fixes the quiz questions and `blink=False` stills the cursor (snapshots)."""
        super().__init__()
        self.seed = seed
        self.blink = blink
        self.library = library or Library.load()
        self.store = store
        self.set_reactive(DlrefApp.lang, resolve_language(None))
        self.card: Card | None = None
        self.start_card = start_card
        self._stale: set[str] = set()
        self.theme = "nord"  # before mounting: widgets that colour by theme start right

    def compose(self) -> ComposeResult:
        yield Static(t("app.too-small", "both", sep="\n"), id="too-small")
        yield Sidebar(self.library, id="sidebar")
        with Vertical(id="main"):
            with TabbedContent(id="tabs", initial="card"):
                with TabPane(self._word("app.tab.card"), id="card"):
                    yield CardView(id="card-view")
                with TabPane(self._word("app.tab.demo"), id="demo"):
                    yield DemoView(id="demo-view")
                with TabPane(self._word("app.tab.quiz"), id="quiz"):
                    yield QuizView(self._store(), id="quiz-view")
        yield Footer()

    def _word(self, key: str, **fields: object) -> str:
        """An interface word in the app's language (both: `English · 中文`)."""
        return t(key, self.lang, **fields)

    def _store(self) -> Any:
        if self.store is None:
            from dlref.quiz.store import Store

            self.store = Store.open()
        return self.store

    def on_mount(self) -> None:
        self._speak()
        first = self.start_card or self.query_one(Sidebar).first_match()
        if first:
            self.open_card(first)
        self.query_one("#cards").focus()
        self._check_size(self.size.width, self.size.height)
        if not self.blink:
            for box in self.query(Input):
                box.cursor_blink = False
        note = getattr(self.store, "recovery_message", lambda: None)()
        if note:
            self.notify(note, severity="warning", timeout=10, markup=False)

    # -- cards ----------------------------------------------------------------------------------

    def open_card(self, name: str) -> None:
        card = self.library.find(name)
        if card is None:
            self.notify(self._word("app.no-card", name=name), severity="warning", markup=False)
            return
        self.card = card
        self.sub_title = pick(card.title, self.lang)
        self.query_one(CardView).show(card, self.lang)
        self.query_one(Sidebar).mark(card.id)
        self._stale = {"demo", "quiz"}  # filled when their tab is first shown: fast start
        self._fill(self.query_one("#tabs", TabbedContent).active)

    def _fill(self, tab: str) -> None:
        """Load the demo or the quiz of the current card the first time its tab shows."""
        if self.card is None or tab not in self._stale:
            return
        self._stale.discard(tab)
        if tab == "demo":
            self._load_demo()
        else:
            self.query_one(QuizView).start([self.card], seed=self.seed)

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        self._fill(event.pane.id or "")

    def _load_demo(self) -> None:
        from dlref import demos

        if self.card is None or not self.card.demo or self.card.demo not in demos.NAMES:
            return
        try:
            demo = demos.get(self.card.demo)
        except Exception as exc:  # a broken demo must not take the app down
            self.notify(self._word("app.demo-failed", demo=self.card.demo, error=exc),
                        severity="error", markup=False)
            return
        self.query_one(DemoView).load(demo, dict(self.card.demo_set))

    @on(Sidebar.Chosen)
    def _chosen(self, event: Sidebar.Chosen) -> None:
        self.open_card(event.card_id)

    def action_open_card(self, card_id: str) -> None:
        """Open a card (the Card tab's related-card links)."""
        self.open_card(card_id)

    # -- actions --------------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        self.query_one("#search").focus()

    def action_leave_input(self) -> None:
        self.query_one("#cards").focus()

    def action_cycle_lang(self) -> None:
        self.lang = LANG_CYCLE[(LANG_CYCLE.index(self.lang) + 1) % len(LANG_CYCLE)]

    def watch_lang(self) -> None:
        self._speak()
        self.notify(self._word(f"lang.{self.lang}"), timeout=1.5, markup=False)

    def _speak(self) -> None:
        """The app's own words in its language: tab names, footer keys, the card shown."""
        tabs = self.query_one("#tabs", TabbedContent)
        for tab in TABS:
            tabs.get_tab(tab).label = self._word(f"app.tab.{tab}")
        for key, bindings in self._bindings.key_to_bindings.items():
            self._bindings.key_to_bindings[key] = [
                replace(b, description=self._word(f"app.key.{b.id}")) if b.id else b
                for b in bindings]
        self.refresh_bindings()
        if self.card is not None:
            self.sub_title = pick(self.card.title, self.lang)
            self.query_one(CardView).show(self.card, self.lang)

    def action_tab(self, tab: str) -> None:
        self.query_one("#tabs", TabbedContent).active = tab
        self._fill(tab)
        if tab == "quiz":
            self.query_one("#quiz-answer").focus()

    def action_play(self) -> None:
        self.action_tab("demo")
        self.query_one(DemoView).toggle_play()

    def action_step(self) -> None:
        self.query_one(DemoView).step()

    def action_next_plot(self) -> None:
        self.query_one(DemoView).next_plot()

    def action_next_question(self) -> None:
        fresh = "quiz" in self._stale  # showing the tab asks its first question
        self.action_tab("quiz")
        if not fresh:
            self.query_one(QuizView).next_question()
        self.query_one("#quiz-answer").focus()

    def action_quiz_due(self) -> None:
        """A round over every card: due questions first, then new ones."""
        self.query_one("#tabs", TabbedContent).active = "quiz"
        self._stale.discard("quiz")
        self.query_one(QuizView).start(list(self.library.cards.values()), n=10, seed=self.seed)
        self.query_one("#quiz-answer").focus()

    def action_keys(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    # -- size -----------------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    def _check_size(self, width: int, height: int) -> None:
        self.screen.set_class(width < MIN_WIDTH or height < MIN_HEIGHT, "-too-small")
        self.screen.set_class(width < NARROW, "-narrow")
