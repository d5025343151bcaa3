"""The sidebar: a search box over the card list, grouped by tag, filtering as you type."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from dlref.cards import Card, Library
from dlref.render import width_of


def fit(text: str, columns: int) -> str:
    """Cut text to a number of terminal columns (CJK counts two), with an ellipsis."""
    if width_of(text) <= columns:
        return text
    out = ""
    for ch in text:
        if width_of(out + ch) > columns - 1:
            break
        out += ch
    return out + "…"


class Sidebar(Vertical):
    """Search + card list. Posts `Sidebar.Chosen` when a card is picked."""

    class Chosen(Message):
        def __init__(self, card_id: str) -> None:
            super().__init__()
            self.card_id = card_id

    def __init__(self, library: Library, **kwargs) -> None:
        super().__init__(**kwargs)
        self.library = library
        self.lang = "en"
        self.current: str | None = None  # the open card, kept highlighted across refills

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ search · 搜索", id="search")
        yield OptionList(id="cards")

    def on_mount(self) -> None:
        self.refill("")

    def refill(self, query: str) -> None:
        """All cards grouped under their first tag; with a query, the matches, best first."""
        cards = self.library.matching(query)
        lang = "zh" if self.lang == "zh" else "en"
        options: list[Option] = []
        if query.strip():
            options = [self._option(card, lang) for card in cards]
        else:
            groups: dict[str, list[Card]] = {}
            for card in cards:
                groups.setdefault(card.tags[0] if card.tags else "other", []).append(card)
            for tag in sorted(groups):
                options.append(Option(Text(tag, style="bold"), id=f"tag:{tag}", disabled=True))
                options += [self._option(card, lang) for card in groups[tag]]
        option_list = self.query_one("#cards", OptionList)
        option_list.clear_options()
        option_list.add_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        if first is not None:
            option_list.highlighted = first
        if self.current and not query.strip():
            self.mark(self.current)

    def _option(self, card: Card, lang: str) -> Option:
        columns = max(10, (self.size.width or 30) - 5)
        # Text, never markup: a title like `Cosine schedule [lr=1e-3]` is shown as written
        return Option(Text(f"  {fit(card.title_in(lang), columns)}"), id=card.id)

    def on_resize(self) -> None:
        """Titles are cut to the sidebar's width."""
        self.refill(self.query_one("#search", Input).value)

    def first_match(self) -> str | None:
        option_list = self.query_one("#cards", OptionList)
        for index in range(option_list.option_count):
            option = option_list.get_option_at_index(index)
            if not option.disabled:
                return option.id
        return None

    def mark(self, card_id: str) -> None:
        """Highlight card_id, however it was opened, if the current filter lists it."""
        self.current = card_id
        option_list = self.query_one("#cards", OptionList)
        try:
            option_list.highlighted = option_list.get_option_index(card_id)
        except OptionDoesNotExist:
            pass

    def set_lang(self, lang: str) -> None:
        self.lang = lang
        self.refill(self.query_one("#search", Input).value)

    @on(Input.Changed, "#search")
    def _filter(self, event: Input.Changed) -> None:
        self.refill(event.value)

    @on(Input.Submitted, "#search")
    def _submit(self, event: Input.Submitted) -> None:
        card_id = self.first_match()
        if card_id:
            self.post_message(self.Chosen(card_id))
            self.query_one("#cards", OptionList).focus()

    @on(OptionList.OptionSelected, "#cards")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and not event.option.id.startswith("tag:"):
            self.post_message(self.Chosen(event.option.id))
