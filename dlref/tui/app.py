"""DlrefApp: a card list on the left, the selected card's Card / Demo / Quiz tabs on the right.

The keyboard model (docs in the help screen, `dlref/tui/screens/help.py`):

* Keys that work from any focus, an input's included (priority bindings an input never
  swallows): F1 help, ctrl+q quit, F2/F3/F4 the tabs, F5 the language, ctrl+n next question,
  Escape leaves an input (a second Escape clears the search).
* With no input focused, single letters: `?` help, `q` quit, `/` search, `l` language, `1`/`2`/`3`
  tabs, `n` next, space play, `s` step, `p` next plot, `v` values of the plot, `d` quiz all due,
  `r` the card's related cards (the Card tab's links), `[`/`]` back/forward through opened
  cards; in the card list `j`/`k`, `g`/`G`, PageUp/PageDown scroll the card.
* `a`, `h`, `g`, `e` are left free on the Quiz tab for grading an answer (Again/Hard/Good/Easy):
  no app binding uses them (`g`/`G` are the card list's own keys), and the answer box gives up
  focus after a verdict so they reach the quiz.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import replace
from typing import Any, ClassVar

from textual import on
from textual.app import App, ComposeResult, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import CommandPalette
from textual.containers import Vertical, VerticalScroll
from textual.events import DeliveryComplete, DeliveryFailed, Resize
from textual.reactive import reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Input, Static, TabbedContent, TabPane

from dlref import state as saved
from dlref.cards import Card, Library
from dlref.config import Config, ConfigError, load_config
from dlref.demos import STEPWISE
from dlref.i18n import CHOICES, LANGS, bilingual, one, pick, resolve_language, t
from dlref.tui.commands import ActionProvider, CardProvider, Palette
from dlref.tui.widgets.card_view import CardView
from dlref.tui.widgets.demo_view import DemoView, command_line
from dlref.tui.widgets.footer import KeyFooter, KeysFirst
from dlref.tui.widgets.quiz_view import QuizView
from dlref.tui.widgets.sidebar import CardList, Sidebar

LANG_CYCLE = CHOICES  # l: English → 中文 → both
TABS = ("card", "demo", "quiz")
MIN_WIDTH, MIN_HEIGHT = 80, 24
NARROW = 110  # below this, the sidebar and the knob column shrink
SHORT = 32  # below this many rows, demo tables give their rows to the plot
DEFAULT_THEME = "nord"
SAVE_DELAY = 0.5  # seconds: changes in a burst are written once
# Textual's own palette commands, as the app names them (each `<key>.help` is its help line).
TEXTUAL_COMMANDS = ("palette.theme", "palette.quit", "palette.keys", "palette.keys-hide",
                    "palette.maximize", "palette.minimize", "palette.screenshot")
TABS_GROUP = Binding.Group("Tabs", compact=True)
# What the footer shows (binding ids): help and quit always; the letters while no input has
# the cursor, the keys that work inside an input while one has it.
ALWAYS_SHOWN = {"help", "quit"}
LETTERS_SHOWN = {"search", "lang", "tab.card", "tab.demo", "tab.quiz", "next", "play"}
TYPING_SHOWN = {"back", "tab.card-f", "tab.demo-f", "tab.quiz-f", "lang-f", "next-ctrl"}


def _config() -> Config:
    """The user's config file; a broken one counts as empty here (`dlref tui` reports it
    before the screen switches)."""
    try:
        return load_config()
    except ConfigError:
        return Config()


class MainScreen(KeysFirst, Screen[None]):
    """The app's screen: the card list and the tabs. Its footer shows quit and help first."""

    def on_screen_resume(self) -> None:
        """A pop-up closed while the terminal is too small: the focus Textual gives back here
        (after this handler: its own runs later) waits for the size, as when the terminal
        shrank with no pop-up open."""
        app = self.app
        if isinstance(app, DlrefApp) and app.too_small:
            self.call_later(app.hold_focus, self)


class DlrefApp(App[None]):
    """Browse cards, turn a demo's knobs, take a quiz."""

    TITLE = "dlref"
    CSS_PATH = "app.tcss"
    AUTO_FOCUS = "#cards"  # not the search box: the single-letter keys work from the start
    COMMANDS = {ActionProvider, CardProvider}  # ActionProvider: Textual's system commands too
    # Each binding's id names its description in the catalogue (`app.key.<id>`). The footer
    # shows them in this order, quit and help first (MainScreen puts them before the focused
    # widget's keys too), so they survive at 80 columns.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f1", "help", "Help", key_display="F1", priority=True, id="help"),
        Binding("ctrl+q", "quit", "Quit", priority=True, id="quit"),
        # priority: handled before the keys typed after it are dispatched (see check_action)
        Binding("slash", "focus_search", "Search", priority=True, id="search"),
        Binding("l", "cycle_lang", "Language", id="lang"),
        Binding("1", "tab('card')", "Card", group=TABS_GROUP, id="tab.card"),
        Binding("2", "tab('demo')", "Demo", group=TABS_GROUP, id="tab.demo"),
        Binding("3", "tab('quiz')", "Quiz", group=TABS_GROUP, id="tab.quiz"),
        Binding("n", "next_question", "Next question", id="next"),
        Binding("space", "play", "Play/pause", id="play"),
        Binding("question_mark", "help", "Help", show=False, id="help-key"),
        Binding("q", "quit", "Quit", show=False, id="quit-key"),
        Binding("f2", "tab('card')", "Card", key_display="F2", show=False, priority=True,
                group=TABS_GROUP, id="tab.card-f"),
        Binding("f3", "tab('demo')", "Demo", key_display="F3", show=False, priority=True,
                group=TABS_GROUP, id="tab.demo-f"),
        Binding("f4", "tab('quiz')", "Quiz", key_display="F4", show=False, priority=True,
                group=TABS_GROUP, id="tab.quiz-f"),
        Binding("f5", "cycle_lang", "Language", key_display="F5", show=False, priority=True,
                id="lang-f"),
        Binding("ctrl+n", "next_question", "Next question", show=False, priority=True,
                id="next-ctrl"),
        Binding("s", "step", "Step", show=False, id="step"),
        Binding("p", "next_plot", "Next plot", show=False, id="next-plot"),
        Binding("v", "values", "Values", show=False, id="values"),
        Binding("d", "quiz_due", "Quiz all due", show=False, id="due"),
        Binding("r", "related", "Related", show=False, id="related"),
        Binding("left_square_bracket,alt+left", "back", "Back", show=False, id="history-back"),
        Binding("right_square_bracket,alt+right", "forward", "Forward", show=False,
                id="history-forward"),
        Binding("escape", "leave_input", "Leave", show=False, id="back"),
        Binding("ctrl+p", "command_palette", "Palette", show=False, priority=True,
                id="palette"),
    ]

    lang: reactive[str] = reactive("en", init=False)
    """The learner's language (en, zh or both): every widget that shows words watches it."""

    def __init__(self, start_card: str | None = None, store: Any = None,
                 library: Library | None = None, seed: int | None = None,
                 blink: bool = True, state_path: Any = None, remember: bool = True) -> None:
        """`seed` fixes the quiz questions and `blink=False` stills the cursor (snapshots);
        `remember=False` neither reads nor writes the saved state (`dlref.state`)."""
        super().__init__()
        self.seed = seed
        self.blink = blink
        self.library = library or Library.load()
        self.store = store
        self.state_path = state_path or saved.default_path()
        self.remember = remember
        # Animations redraw the whole screen for every frame: a tab underline sliding after a
        # language switch kept the terminal busy for 0.4 s. Keys should never wait on them.
        self.animation_level = "none"
        self.state, self._state_problem = (saved.load(self.state_path) if remember
                                           else (saved.AppState(), None))
        defaults = _config()
        # The language: DLREF_LANG, then the config file's, then the one chosen last time,
        # then the locale (the config, like DLREF_LANG, is a standing choice).
        lang = resolve_language(None)
        chosen = defaults.lang or self.state.lang
        if chosen and not os.environ.get("DLREF_LANG"):
            lang = chosen
        self.set_reactive(DlrefApp.lang, lang)
        self._wanted_lang: str | None = None  # l pressed, not yet applied (coalesced)
        # too small to show: keys go nowhere but quit and help; focus comes back after
        self._small_focus: dict[Screen[Any], Widget] = {}
        self._too_small = False
        self.card: Card | None = None
        self.start_card = start_card
        self._stale: set[str] = set()
        # the cards opened before, less those gone since (a user card deleted or renamed):
        # back and forward would stop at each with "no card named …"
        # and back and forward go on from the card shown when the app last quit
        self.history: list[str] = []
        shown_at = self.state.history_at
        shown_at = len(self.state.history) - 1 if shown_at is None else shown_at
        self.history_at = -1
        for k, card_id in enumerate(self.state.history):
            if card_id in self.library.cards and self.history[-1:] != [card_id]:
                self.history.append(card_id)
            if k <= shown_at:
                self.history_at = len(self.history) - 1
        self._save_timer: Any = None
        self._save_failed = False
        self._preview_timer: Any = None
        self._started = False  # set once mounted: changes before that are not the learner's
        # before mounting: widgets that colour by theme start right
        # the config file's theme, then the one chosen last time (an unknown name is skipped)
        self.theme = next((name for name in (defaults.theme, self.state.theme)
                           if name in self.available_themes), DEFAULT_THEME)

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(id="_default")

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
        yield KeyFooter(compact=True)

    def notify(self, message: str, *, markup: bool = False, **kwargs: Any) -> None:
        """A notice, as literal text by default: notices carry card names, paths and what the
        learner typed, none of which may be read as markup."""
        super().notify(message, markup=markup, **kwargs)

    def action_help_quit(self) -> None:
        """ctrl+c (Textual's binding for a learner who expects it to quit): say which key does,
        in the learner's language. Textual's own notice is English markup, which `notify`
        shows literally here."""
        self.notify(self._word("app.ctrl-c"))

    def _word(self, key: str, **fields: object) -> str:
        """An interface word in the app's language (both: `English · 中文`)."""
        return t(key, self.lang, **fields)

    def _store(self) -> Any:
        """The progress store, its file created only when an answer is recorded: a store not
        given is opened as one that does not exist yet is (`Progress`)."""
        from dlref.tui.progress import Progress

        if self.store is None:
            self.store = Progress.open()
        elif (not isinstance(self.store, Progress)
              and getattr(self.store, "empty_stand_in", False)):  # `dlref tui`: no file yet
            self.store = Progress(self.store)
        return self.store

    def on_mount(self) -> None:
        self._typing = False
        self.watch(self.screen, "focused", self._focus_moved, init=False)
        self._speak()
        first = self.start_card or (self.state.card if self.state.card
                                    and self.library.find(self.state.card) else None)
        first = first or self.query_one(Sidebar).first_match()
        if first:
            self.open_card(first)
        self.screen.set_focus(self.query_one(CardList))
        if self.state.tab in TABS and self.state.tab != "card":
            self.action_tab(self.state.tab)
        # after the focus is placed: started too small, no widget behind the notice has the keys
        self._check_size(self.size.width, self.size.height)
        if not self.blink:
            for box in self.query(Input):
                box.cursor_blink = False
        note = getattr(self.store, "recovery_message", lambda _lang: None)(self.lang)
        if note:
            self.notify(note, severity="warning", timeout=10, markup=False)
        self._notify_broken_files()
        if self._state_problem:
            key, fields = self._state_problem
            self.notify(self._word("app.state-ignored", problem=bilingual(key, **fields)),
                        severity="warning", timeout=10)
        self._started = True

    def _notify_broken_files(self) -> None:
        """Say that card files were skipped, as every CLI command does: a learner whose own
        card is broken must not just find it missing from the list."""
        broken = {error.path for error in self.library.errors}
        if broken:
            self.notify(self._word("error.broken-files", count=len(broken)), severity="warning",
                        timeout=10)

    # -- remembered state -------------------------------------------------------------------------

    def remember_soon(self) -> None:
        """Note the current card, tab, language and theme; write them after a short pause."""
        if not self.remember or not self._started:
            return
        self.state.card = self.card.id if self.card else None
        self.state.tab = self.query_one("#tabs", TabbedContent).active or "card"
        self.state.lang = self.lang
        self.state.theme = self.theme
        self.state.history = self.history[-saved.HISTORY:]
        self.state.history_at = max(0, self.history_at - (len(self.history)
                                                          - len(self.state.history)))
        if self._save_timer is None:
            self._save_timer = self.set_timer(SAVE_DELAY, self._save)

    def remember_knob(self, demo: str, name: str, value: Any) -> None:
        """A knob value the learner set, kept per demo."""
        self.state.knobs.setdefault(demo, {})[name] = value
        self.remember_soon()

    def _save(self) -> None:
        self._save_timer = None
        if not self.remember:
            return
        try:
            saved.save(self.state, self.state_path)
        except OSError as exc:
            if not self._save_failed:  # said once; the app works on without saving
                self._save_failed = True
                self.notify(self._word("app.state-unsaved", error=exc), severity="warning",
                            timeout=10)

    def watch_theme(self) -> None:
        if self._started:
            self.remember_soon()

    async def action_quit(self) -> None:
        if self._save_timer is not None:
            self._save_timer.stop()
        if self.remember and self.card is not None:
            self.remember_soon()
            self._save_timer = None
            self._save()
        self.exit()

    # -- cards ----------------------------------------------------------------------------------

    def open_card(self, name: str, record: bool = True) -> None:
        """Show a card; `record` adds it to the back/forward history."""
        card = self.library.find(name)
        if card is None:
            self.notify(self._word("app.no-card", name=name), severity="warning", markup=False)
            return
        if record and (not self.history or self.history[self.history_at] != card.id):
            del self.history[self.history_at + 1:]
            self.history.append(card.id)
            self.history_at = len(self.history) - 1
        if self.card is not None and self.card.id == card.id:
            self.query_one(Sidebar).mark(card.id)
            return
        self.card = card
        self.refresh_bindings()  # play and step follow the card's demo (check_action)
        self.sub_title = pick(card.title, self.lang)
        self.query_one(CardView).show(card, self.lang)
        self.query_one(Sidebar).mark(card.id)
        self._stale = {"demo", "quiz"}  # filled when their tab is first shown: fast start
        self._fill(self.query_one("#tabs", TabbedContent).active)
        self.remember_soon()

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
        if event.pane.id == "demo":
            self.query_one(DemoView).shown()
        self._label_keys()  # the quiz tab's footer leaves out play, for the grade keys
        self.remember_soon()

    def _load_demo(self) -> None:
        view = self.query_one(DemoView)
        found = self._card_demo()
        if found is None:
            view.clear()
        else:
            view.load(*found)

    def _card_demo(self) -> tuple[Any, dict[str, Any]] | None:
        """The current card's demo and its knob presets (the card's, then those saved last
        time); None if it has none, or it fails to load (said in a notice)."""
        from dlref import demos

        if self.card is None or not self.card.demo or self.card.demo not in demos.NAMES:
            return None
        try:
            demo = demos.get(self.card.demo)
        except Exception as exc:  # a broken demo must not take the app down
            self.notify(self._word("app.demo-failed", demo=self.card.demo, error=exc),
                        severity="error", markup=False)
            return None
        preset = dict(self.card.demo_set)
        for name, value in self.state.knobs.get(demo.name, {}).items():
            try:  # a saved value the demo no longer takes is dropped
                preset[name] = demo.knob(name).check(value)
            except ValueError:
                continue
        return demo, preset

    @on(Sidebar.Chosen)
    def _chosen(self, event: Sidebar.Chosen) -> None:
        if self._preview_timer is not None:
            self._preview_timer.stop()
            self._preview_timer = None
        self.open_card(event.card_id)

    @on(Sidebar.Previewed)
    def _previewed(self, event: Sidebar.Previewed) -> None:
        """Arrow keys in the list show the card after a short pause (held keys coalesce)."""
        if self._preview_timer is not None:
            self._preview_timer.stop()
        self._preview_timer = self.set_timer(0.12, lambda: self._preview(event.card_id))

    def _preview(self, card_id: str) -> None:
        self._preview_timer = None
        self.open_card(card_id)

    def action_open_card(self, card_id: str) -> None:
        """Open a card (the Card tab's related-card links)."""
        self.open_card(card_id)

    def action_related(self) -> None:
        """`r`: the card's related cards in a list (the links a mouse clicks on the Card tab);
        Enter opens one."""
        from dlref.tui.screens.related import RelatedScreen

        if self.card is None:
            return
        related = [card for card in map(self.library.find, self.card.related) if card]
        if not related:
            self.notify(self._word("app.no-related", title=self.card.title))
            return
        self.push_screen(RelatedScreen(self.card, related),
                         lambda card_id: card_id and self.open_card(card_id))

    def action_back(self) -> None:
        if self.history_at > 0:
            self.history_at -= 1
            self.open_card(self.history[self.history_at], record=False)
            self.remember_soon()

    def action_forward(self) -> None:
        if self.history_at < len(self.history) - 1:
            self.history_at += 1
            self.open_card(self.history[self.history_at], record=False)
            self.remember_soon()

    # -- actions --------------------------------------------------------------------------------

    def palette_actions(self) -> list[tuple[str, Callable[[], Any]]]:
        """The app's own palette commands: the catalogue key of each title (its help is
        `<key>.help`, except the tabs' shared one) and what it runs."""
        return [("palette.lang", self.action_cycle_lang),
                *[(f"palette.tab.{tab}", lambda tab=tab: self.action_tab(tab)) for tab in TABS],
                ("palette.due", self.action_quiz_due),
                ("palette.undo", self.action_undo_answer),
                ("palette.copy-demo", self.action_copy_demo),
                ("palette.back", self.action_back),
                ("palette.related", self.action_related),
                ("palette.values", self.action_values),
                ("palette.copy-values", self.action_copy_values),
                ("palette.help", self.action_help)]

    def textual_commands(self, screen: Any) -> list[tuple[str, Callable[[], Any]]]:
        """Textual's own palette commands (theme, quit, keys, maximize, screenshot), as
        `App.get_system_commands` offers them in Textual 8, under the app's catalogue keys:
        Textual's titles and help lines are English only."""
        keys = (("palette.keys-hide", self.action_hide_help_panel) if screen.query("HelpPanel")
                else ("palette.keys", self.action_show_help_panel))
        commands = [("palette.theme", self.action_change_theme),
                    ("palette.quit", self.action_quit), keys]
        if screen.maximized is not None:
            commands.append(("palette.minimize", screen.action_minimize))
        elif screen.focused is not None and screen.focused.allow_maximize:
            commands.append(("palette.maximize", screen.action_maximize))
        commands.append(("palette.screenshot",
                         lambda: self.set_timer(0.1, self.deliver_screenshot)))
        return commands

    def get_system_commands(self, screen: Any) -> Iterable[SystemCommand]:
        """The palette's app actions, then Textual's own, all in the learner's language."""
        for key, action in [*self.palette_actions(), *self.textual_commands(screen)]:
            help_key = "palette.tab.help" if key.startswith("palette.tab.") else f"{key}.help"
            yield SystemCommand(self._word(key), self._word(help_key), action)

    def command_names(self) -> dict[str, tuple[str, ...]]:
        """Each command's title (as the palette shows it) → every name it answers to: the
        title, then its words in each language, so `language` finds 语言：切换 in Chinese and
        语言 finds it in English."""
        keys = [*(key for key, _ in self.palette_actions()), *TEXTUAL_COMMANDS]
        return {self._word(key): (self._word(key), *(t(key, lang) for lang in LANGS))
                for key in keys}

    def action_command_palette(self) -> None:
        """The palette, its prompt in the learner's language (Textual's is English)."""
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(Palette("palette.placeholder", self.lang, id="--command-palette"))

    def action_change_theme(self) -> None:
        """The theme picker (the palette's Theme), its prompt in the learner's language."""
        from textual.theme import ThemeProvider

        self.push_screen(Palette("palette.theme-placeholder", self.lang, providers=[ThemeProvider]))

    @on(DeliveryComplete)
    def _screenshot_saved(self, event: DeliveryComplete) -> None:
        """The palette's Screenshot, said in the learner's language. Textual's own notice is
        English markup, which `notify` would show literally."""
        if event.name == "screenshot":
            event.prevent_default()
            self.notify(self._word("palette.screenshot-saved", path=event.path)
                        if event.path is not None else self._word("palette.screenshot-sent"))

    @on(DeliveryFailed)
    def _screenshot_failed(self, event: DeliveryFailed) -> None:
        if event.name == "screenshot":
            event.prevent_default()
            self.notify(self._word("palette.screenshot-failed", error=event.exception),
                        severity="error")

    def _focus(self, widget: Widget) -> None:
        """Focus now, not after the queued keys: `/relu` typed in one burst lands in the box.
        On the widget's own screen: focus handed to the screen on top (the help) would send
        the keys to a box hidden behind it."""
        widget.screen.set_focus(widget)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """`/` is a key only where no input has the cursor (inside one it types a slash);
        play and step only for a card whose demo animates (hidden from the footer otherwise,
        and the key goes on to the focused widget, as if unbound)."""
        if self._too_small and action not in ("quit", "help"):
            return False  # the app is hidden behind "too small": no key acts in it unseen
        if action == "focus_search" and isinstance(self.focused, Input):
            return False
        if action in ("play", "step"):
            return self.card is not None and self.card.demo in STEPWISE
        return True

    def close_pop_ups(self) -> None:
        """Close the pop-ups (help, related cards, palette) over the main screen. The keys
        that change what is behind them (`/`, F2 F3 F4, ctrl+n) close them first, so what
        they do is seen: else a tab changed unseen, and the answer box, hidden, had the
        cursor after Esc. F1 (help over the pop-up), F5 (the pop-up speaks the new language
        too) and ctrl+q leave them open."""
        while len(self.screen_stack) > 1:
            self.screen.dismiss()

    def action_focus_search(self) -> None:
        """`/`: the search box; from a pop-up (the help lists `/`) it closes first (else the
        keys went to the box hidden behind it, and Escape and `q` acted there)."""
        self.close_pop_ups()
        self._focus(self.query_one("#search"))

    def action_leave_input(self) -> None:
        """Escape: out of an input (to the list, or the quiz); again: clear the search."""
        focused = self.focused
        search = self.query_one("#search", Input)
        if isinstance(focused, Input):
            if focused.id == "quiz-answer":
                self._focus(self.query_one(QuizView))
            else:
                self._focus(self.query_one(CardList))
        elif search.value:
            search.value = ""
            self.query_one(Sidebar).mark(self.card.id if self.card else "")
        else:
            self._focus(self.query_one(CardList))

    def action_cycle_lang(self) -> None:
        """Next language. Held down, the presses coalesce: the words change once per frame."""
        current = self._wanted_lang or self.lang
        self._wanted_lang = LANG_CYCLE[(LANG_CYCLE.index(current) + 1) % len(LANG_CYCLE)]
        self.call_later(self._apply_lang)

    async def _apply_lang(self) -> None:
        wanted, self._wanted_lang = self._wanted_lang, None
        if wanted is None or wanted == self.lang:
            return
        footer = self.query_one(KeyFooter)
        with self.batch_update():  # one frame: no pane (or footer) left in the old language
            footer.hold = True
            self.lang = wanted
            await footer.relabel()
            footer.hold = False

    def watch_lang(self) -> None:
        self._speak()
        self.remember_soon()

    def _speak(self) -> None:
        """The app's own words in its language: tab names, footer keys, the card shown."""
        tabs = self.query_one("#tabs", TabbedContent)
        for tab in TABS:
            tabs.get_tab(tab).label = self._word(f"app.tab.{tab}")
        self._label_keys()
        if self.card is not None:
            self.sub_title = pick(self.card.title, self.lang)
            self.query_one(CardView).show(self.card, self.lang)

    def _label_keys(self) -> None:
        """The footer's keys in the language, and the ones that work where the cursor is:
        single letters normally, function keys and ctrl chords while an input has the cursor."""
        short = one(self.lang)  # the footer has room for one language
        typing = isinstance(self.focused, Input)
        shown = ALWAYS_SHOWN | (TYPING_SHOWN if typing else LETTERS_SHOWN)
        if self.query_one("#tabs", TabbedContent).active == "quiz":
            shown -= {"play"}  # room for the quiz's grade keys at 80 columns
        group = Binding.Group(t("app.key.tabs", short), compact=True)
        for key, bindings in self._bindings.key_to_bindings.items():
            self._bindings.key_to_bindings[key] = [
                replace(b, description=t(f"app.key.{b.id}", short), show=b.id in shown,
                        group=group if b.group else None) if b.id else b
                for b in bindings]
        self.refresh_bindings()

    def _focus_moved(self) -> None:
        typing = isinstance(self.focused, Input)
        if typing != self._typing:
            self._typing = typing
            self._label_keys()

    def action_tab(self, tab: str) -> None:
        """Show the tab `tab`. Focus left inside the tab being hidden moves to the card list
        first: left there, Textual hands it to the hidden tab's next widget (a demo's play
        button), which shows that tab again, or to nothing, where no key reaches the list."""
        self.close_pop_ups()
        tabs = self.query_one("#tabs", TabbedContent)
        focused = self.focused
        if tab != "quiz" and (focused is None or (
                tabs in focused.ancestors and tabs.get_pane(tab) not in focused.ancestors)):
            self._focus(self.query_one(CardList))
        tabs.active = tab
        self._fill(tab)
        if tab == "quiz":
            self.query_one(QuizView).take_focus()

    def action_play(self) -> None:
        self.action_tab("demo")
        self.query_one(DemoView).toggle_play()

    def action_step(self) -> None:
        self.query_one(DemoView).step()

    def action_next_plot(self) -> None:
        self.query_one(DemoView).next_plot()

    def action_values(self) -> None:
        self.query_one(DemoView).toggle_values()

    def action_next_question(self) -> None:
        self.close_pop_ups()
        fresh = "quiz" in self._stale  # showing the tab asks its first question
        self.query_one("#tabs", TabbedContent).active = "quiz"
        self._fill("quiz")
        if not fresh:
            self.query_one(QuizView).next_question()
        self.query_one(QuizView).take_focus()

    def action_quiz_due(self) -> None:
        """A round over every card: due questions first, then new ones."""
        self.query_one("#tabs", TabbedContent).active = "quiz"
        self._stale.discard("quiz")
        self.query_one(QuizView).start(list(self.library.cards.values()), n=10, seed=self.seed)
        self.query_one(QuizView).take_focus()

    def action_undo_answer(self) -> None:
        """Take back the last quiz answer: the open round's own (as `undo` typed in the answer
        box: that question is asked again), else the store's last (as `dlref undo`)."""
        quiz = self.query_one(QuizView)
        if quiz.session is not None:
            self.query_one("#tabs", TabbedContent).active = "quiz"
            quiz.undo()
            return
        review = self._store().undo()
        if review is None:
            self.notify(self._word("error.nothing-to-undo"))
            return
        from dlref.quiz.session import undid_text

        self.notify(undid_text(review, self.lang))

    def action_copy_demo(self) -> None:
        """Copy the demo's command line (`dlref demo … --set …`) and show it: the current
        card's as its tab would show it, when the tab has not shown it yet."""
        line = self.query_one(DemoView).command_line()
        if "demo" in self._stale:  # the view still holds another card's demo, or none
            found = self._card_demo()
            line = None if found is None else command_line(*found)
        if line is None:
            self.notify(self._word("app.no-demo"), severity="warning")
            return
        self.copy_to_clipboard(line)
        self.notify(self._word("app.copied", line=line), timeout=6)

    def action_copy_values(self) -> None:
        """Copy the current plot's values, tab-separated (pastes into a spreadsheet)."""
        if "demo" in self._stale:  # the view still holds another card's plot, or none
            self.notify(self._word("app.values-need-demo"), severity="warning")
            return
        text = self.query_one(DemoView).values_text()
        if text is None:
            self.notify(self._word("app.no-plot"), severity="warning")
            return
        self.copy_to_clipboard(text)
        self.notify(self._word("app.copied-values", rows=text.count("\n")), timeout=4)

    def action_help(self) -> None:
        from dlref.tui.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.screen.dismiss()
        else:
            self.push_screen(HelpScreen())

    def action_scroll_card(self, pages: int) -> None:
        """PageUp/PageDown from the card list scroll the card (both columns)."""
        for pane in self.query("#card-left, #card-right").results(VerticalScroll):
            if pages > 0:
                pane.scroll_page_down(animate=False)
            else:
                pane.scroll_page_up(animate=False)

    # -- size -----------------------------------------------------------------------------------

    def on_resize(self, event: Resize) -> None:
        self._check_size(event.size.width, event.size.height)

    @property
    def too_small(self) -> bool:
        """The terminal is below 80×24: the app hides behind a notice, and no key reaches it."""
        return self._too_small

    def hold_focus(self, screen: Screen[Any] | None = None) -> None:
        """While too small, no widget of `screen` (the one on top) has the keys: typed keys
        must not reach a hidden answer box. The one that had them gets them back with the
        size."""
        screen = screen or self.screen
        if screen.focused is not None:
            self._small_focus.setdefault(screen, screen.focused)
            screen.set_focus(None)

    def _check_size(self, width: int, height: int) -> None:
        small = width < MIN_WIDTH or height < MIN_HEIGHT
        if small:  # again on each resize: focus placed meanwhile (at start) is held too
            for screen in self.screen_stack:  # the main screen's too, under a pop-up
                self.hold_focus(screen)
        elif self._too_small and not small:
            for screen, widget in self._small_focus.items():
                if widget.is_attached and screen in self.screen_stack:
                    screen.set_focus(widget)
            self._small_focus = {}
        self._too_small = small
        # every open screen, the main one under a pop-up too: closed, the pop-up showed the
        # main screen laid out for the size it had when the pop-up opened
        for screen in self.screen_stack:
            screen.set_class(small, "-too-small")
            screen.set_class(width < NARROW, "-narrow")
            screen.set_class(height < SHORT, "-short")
