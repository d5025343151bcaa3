"""The related cards (`r`): the Card tab's underlined names as a list the keyboard reaches.
Enter opens the highlighted card; Escape, `r` or `q` closes the list. Titles are user content,
shown as literal `Content`."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from dlref.cards import Card
from dlref.i18n import one, t
from dlref.tui.widgets.footer import KeyFooter, PopUpKeys
from dlref.tui.widgets.sidebar import VIM_MOVES


class RelatedList(OptionList):
    """The related cards, with the card list's vim-style moves."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *VIM_MOVES,
        Binding("enter", "select", "Open", id="open"),
    ]


class RelatedScreen(PopUpKeys, ModalScreen[str | None]):
    """A modal list of `card`'s related cards; dismissed with the chosen card's id, or None.
    Its footer shows only its own keys (open, close, help, quit)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,r,q", "dismiss(None)", "Close", id="close"),
        # the app's keys (priority bindings), bound here too so the footer shows them
        Binding("ctrl+q", "app.quit", "Quit", id="quit"),
        Binding("f1", "app.help", "Help", key_display="F1", id="help"),
    ]
    DEFAULT_CSS = """
    RelatedScreen {
        align: center middle;
    }
    RelatedScreen > #related-box {
        width: 72;
        max-width: 90%;
        height: auto;
        max-height: 90%;
        border: round $accent;
        background: $surface;
        padding: 0 1;
    }
    RelatedScreen #related-title {
        text-style: bold;
        color: $accent;
    }
    RelatedScreen #related-list {
        height: auto;
        max-height: 20;
        border: none;
        margin: 1 0;
        text-wrap: nowrap;
        text-overflow: ellipsis;
    }
    RelatedScreen #related-hint {
        color: $text-muted;
    }
    """

    def __init__(self, card: Card, related: list[Card]) -> None:
        super().__init__()
        self.card = card
        self.related = related

    def compose(self) -> ComposeResult:
        with Vertical(id="related-box"):
            yield Static(id="related-title")
            yield RelatedList(id="related-list")
            yield Static(id="related-hint")
        yield KeyFooter(compact=True)

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._speak)
        self.set_focus(self.query_one(RelatedList))

    def _speak(self, lang: str) -> None:
        """The title, the cards and the hint in the app's language (F5 works here too)."""
        short = one(lang)
        self.query_one("#related-title", Static).update(
            Content(t("app.related.title", short, title=self.card.title_in(short))))
        self.query_one("#related-hint", Static).update(Content(t("app.related.hint", short)))
        options = self.query_one(RelatedList)
        highlighted = options.highlighted
        options.clear_options()
        options.add_options(
            Option(Content.assemble(card.title_in(short), "  ",
                                    Content(f"({card.id})").stylize("dim")), id=card.id)
            for card in self.related)
        options.highlighted = highlighted or 0

    @on(OptionList.OptionSelected, "#related-list")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(event.option.id)
