"""The sidebar: a search box over the card list, grouped by tag, filtering as you type."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from dlref.cards import Library


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

    def compose(self) -> ComposeResult:
        yield Input(placeholder="/ search · 搜索", id="search")
        yield OptionList(id="cards")

    def on_mount(self) -> None:
        self.refill("")

    def refill(self, query: str) -> None:
        """Show the cards matching the query, grouped under their first tag."""
        cards = self.library.matching(query)
        groups: dict[str, list] = {}
        for card in cards:
            groups.setdefault(card.tags[0] if card.tags else "other", []).append(card)
        options: list[Option] = []
        for tag in sorted(groups):
            options.append(Option(f"[b]{tag}[/b]", id=f"tag:{tag}", disabled=True))
            for card in groups[tag]:
                title = card.title_in("zh" if self.lang == "zh" else "en")
                options.append(Option(f"  {title}", id=card.id))
        option_list = self.query_one("#cards", OptionList)
        option_list.clear_options()
        option_list.add_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        if first is not None:
            option_list.highlighted = first

    def first_match(self) -> str | None:
        option_list = self.query_one("#cards", OptionList)
        for index in range(option_list.option_count):
            option = option_list.get_option_at_index(index)
            if not option.disabled:
                return option.id
        return None

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
