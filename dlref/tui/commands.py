"""Command palette: jump to any card by id, title or alias, in either language; run an app
action by its name in either language (`ActionProvider`).

Card names are user data: every entry is built as `Content` (literal text), never parsed as
Textual markup, so a title like `[@click=app.quit]` or `[/]` is only text.
"""

from __future__ import annotations

from functools import partial
from typing import ClassVar

from rich.align import Align
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.command import (
    CommandInput,
    CommandList,
    CommandPalette,
    DiscoveryHit,
    Hit,
    Hits,
    Provider,
    ProviderSource,
)
from textual.content import Content
from textual.fuzzy import Matcher
from textual.system_commands import SystemCommandsProvider
from textual.widgets import Input
from textual.widgets.option_list import Option

from dlref.i18n import t
from dlref.tui.widgets.footer import KeyFooter, PopUpKeys


def entry(name: str, help_text: str, matcher: Matcher | None = None) -> Content:
    """A palette entry: `name` (its fuzzy matches highlighted) over a dim help line, literal.

    The help goes inside the entry rather than in `Hit.help`, which the palette parses as
    markup."""
    shown = Content(name)
    if matcher is not None:
        _, offsets = matcher.fuzzy_search.match(matcher.query, name)
        for offset in offsets:
            if not name[offset].isspace():
                shown = shown.stylize(matcher.match_style, offset, offset + 1)
    return Content.assemble(shown, "\n", Content(help_text).stylize("dim"))


class CardProvider(Provider):
    """Every name of every card is searchable; choosing one opens that card."""

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        app = self.app
        for card in app.library.cards.values():
            best, shown = 0.0, ""
            for name in card.names():
                score = matcher.match(name)
                if score > best:
                    best, shown = score, name
            if best > 0:
                title = f"{card.title_in('en')} · {card.title.get('zh', '')}"
                yield Hit(best, entry(shown, f"{card.id} — {title}", matcher),
                          partial(app.open_card, card.id), text=shown)

    async def discover(self) -> Hits:
        app = self.app
        for card in app.library.cards.values():
            title = f"{card.title_in('en')} · {card.title.get('zh', '')}"
            yield DiscoveryHit(entry(title, card.id), partial(app.open_card, card.id),
                               text=title)


class ActionProvider(SystemCommandsProvider):
    """The app's commands and Textual's own (theme, keys, quit…), as Textual's provider lists
    them, but each app command also found by its name in the other language: `language`
    finds 语言：切换 while the app speaks Chinese. A hit found that way shows both names, so
    the learner sees why it matched."""

    async def discover(self) -> Hits:
        """The commands listed before anything is typed, each as `entry` shows it: Textual's
        own listing parses the help line as markup and dropped "[ and ]" from Back's."""
        commands = sorted(self.app.get_system_commands(self.screen), key=lambda c: c[0])
        for title, help_text, callback, discover in commands:
            if discover:
                yield DiscoveryHit(entry(title, help_text), callback, text=title)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        names = getattr(self.app, "command_names", dict)()
        for title, help_text, callback, *_ in self.app.get_system_commands(self.screen):
            score, name = max((matcher.match(name), name) for name in names.get(title, (title,)))
            if score > 0:
                shown = title if name in title else f"{title} · {name}"
                yield Hit(score, entry(shown, help_text, matcher), callback, text=shown)


class Palette(PopUpKeys, CommandPalette):
    """Textual's palette with the app's footer: its own keys (close, quit) in the learner's
    language, not the main screen's, which do nothing while it is open. Its prompt is the
    catalogue's `prompt` entry; F5 while it is open says the prompt and the list again in the
    new language (the list is the providers' answer, searched again)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "escape", "Close", id="close"),  # Textual's: "Exit the command palette"
        # ctrl+q is the app's (a priority binding); bound here too so the footer shows it
        Binding("ctrl+q", "app.quit", "Quit", id="quit"),
    ]

    def __init__(self, prompt: str, lang: str, providers: ProviderSource | None = None,
                 id: str | None = None) -> None:
        """`prompt`: the catalogue key of the box's placeholder, said in `lang` for now."""
        self.prompt = prompt
        super().__init__(providers, placeholder=t(prompt, lang), id=id)

    def compose(self) -> ComposeResult:
        yield from super().compose()
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        super().on_mount()
        self.watch(self.app, "lang", self._speak, init=False)

    def _speak(self, lang: str) -> None:
        """The prompt in `lang`, and the list searched again for what is typed: the
        palette searches on `Input.Changed`, so the box says it changed."""
        box = self.query_one(CommandInput)
        box.placeholder = t(self.prompt, lang)
        box.post_message(Input.Changed(box, box.value))

    def _start_no_matches_countdown(self, search_value: str) -> None:
        """Textual's "No matches found", in the learner's language: Textual 8 writes the
        notice in this (private) method, shown after the same pause."""
        self._stop_no_matches_countdown()

        def show_no_matches() -> None:
            if search_value:
                notice = Text(t("palette.no-matches", self.app.lang), style="not bold")
                self.query_one(CommandList).add_option(
                    Option(Align.center(notice), disabled=True, id=self._NO_MATCHES))
                self._list_visible = True
            else:  # nothing typed: nothing to say (as Textual)
                self._list_visible = False

        self._no_matches_timer = self.set_timer(self._NO_MATCHES_COUNTDOWN, show_no_matches)
