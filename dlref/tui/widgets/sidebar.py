"""The sidebar: a search box over the card list, grouped by tag, filtering as you type.

Titles are never cut silently: one line each, ending in `…` where the column is too narrow
(CSS `text-overflow: ellipsis`, so it stays right after any resize). In the list `j`/`k`,
`g`/`G` move, arrow keys preview a card, Enter opens it, PageUp/PageDown scroll the card.
"""

from __future__ import annotations

from typing import ClassVar

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option, OptionDoesNotExist

from dlref.cards import Card, Library
from dlref.i18n import BOTH, one, t, tag_label
from dlref.text.width import width_of

#: vim-style moves in a list of cards (the card list, the related cards)
VIM_MOVES: list[BindingType] = [
    Binding("j", "cursor_down", show=False),
    Binding("k", "cursor_up", show=False),
    Binding("g", "first", show=False),
    Binding("G", "last", show=False),
]


class CardList(OptionList):
    """The card list, with vim-style moves; PageUp/PageDown scroll the open card instead."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *VIM_MOVES,
        Binding("pagedown", "app.scroll_card(1)", "Scroll the card down", show=False,
                id="scroll-card-down"),
        Binding("pageup", "app.scroll_card(-1)", "Scroll the card up", show=False,
                id="scroll-card-up"),
    ]

    def _preview(self) -> None:
        """The learner moved the highlight: show that card (the app coalesces held keys)."""
        if self.highlighted is None:
            return
        card_id = self.get_option_at_index(self.highlighted).id
        if card_id and not card_id.startswith("tag:"):
            self.post_message(Sidebar.Previewed(card_id))

    def action_cursor_down(self) -> None:
        super().action_cursor_down()
        self._preview()

    def action_cursor_up(self) -> None:
        super().action_cursor_up()
        self._preview()

    def action_first(self) -> None:
        super().action_first()
        self._preview()

    def action_last(self) -> None:
        super().action_last()
        self._preview()


class Sidebar(Vertical):
    """Search + card list. Posts `Sidebar.Chosen` when a card is picked."""

    class Chosen(Message):
        """A card was picked (Enter, a click, the search box's Enter)."""

        def __init__(self, card_id: str) -> None:
            super().__init__()
            self.card_id = card_id

    class Previewed(Chosen):
        """The highlight moved to a card in the focused list (arrow keys, j/k)."""

    def __init__(self, library: Library, **kwargs) -> None:
        super().__init__(**kwargs)
        self.library = library
        self.current: str | None = None  # the open card, kept highlighted across refills
        self._listed_in = ""  # the language the titles are listed in
        self._listed_width = 0  # the width they were fitted to

    def compose(self) -> ComposeResult:
        yield Input(placeholder=t("app.search", BOTH), id="search")
        yield CardList(id="cards")

    def on_mount(self) -> None:
        self.watch(self.app, "lang", self._lang_changed)

    def _lang_changed(self, lang: str) -> None:
        # one language: "/ search · / 搜索" did not fit the narrow sidebar
        self.query_one("#search", Input).placeholder = t("app.search", one(lang))
        if one(lang) != self._listed_in:  # titles are in one language: both lists English
            self.refill(self.query_one("#search", Input).value)

    def refill(self, query: str) -> None:
        """All cards grouped under their first tag; with a query, the matches, best first."""
        cards = self.library.matching(query)
        lang = self._listed_in = one(self.app.lang)
        room = self._room
        options: list[Option] = []
        if query.strip():
            options = ([self._option(card, lang, room) for card in cards]
                       or self._near(query, lang, room))
        else:
            groups: dict[str, list[Card]] = {}
            for card in cards:
                groups.setdefault(card.tags[0] if card.tags else "other", []).append(card)
            for tag in sorted(groups):
                options.append(Option(Content.styled(tag_label(tag, lang), "bold"),
                                      id=f"tag:{tag}", disabled=True))
                options += [self._option(card, lang, room) for card in groups[tag]]
        option_list = self.query_one("#cards", OptionList)
        option_list.clear_options()
        option_list.add_options(options)
        first = next((i for i, o in enumerate(options) if not o.disabled), None)
        if first is not None:
            option_list.highlighted = first
        if self.current and not query.strip():
            self.mark(self.current)

    def _near(self, query: str, lang: str, room: int) -> list[Option]:
        """Nothing matches `query`: say so, then the cards of the nearest names (Enter in the
        box opens the first), as `dlref show` suggests them. The two sentences go on lines of
        their own: on one line the narrow list cut off "did you mean"."""
        near = [self.library.cards[i] for i in self.library.suggest(query)]
        said = [t("app.no-match", lang), *([t("app.did-you-mean", lang)] if near else [])]
        return [Option(Content.styled("\n".join(said), "italic"), id="tag:no-match",
                       disabled=True),
                *(self._option(card, lang, room) for card in near)]

    def _option(self, card: Card, lang: str, room: int) -> Option:
        """A card in the list: its title, or where the list is too narrow for it (80–100
        columns) its main name, which an ellipsis would have cut (`GELU（高斯误…`)."""
        title = card.title_in(lang)
        if width_of(title) > room:
            title = card.main_title_in(lang)
        return Option(Content(f"  {title}"), id=card.id)

    @property
    def _room(self) -> int:
        """Columns for a title: what the list shows beside its scrollbar, less the indent
        (before the list is laid out: the sidebar less its border, the list's padding and
        scrollbar, and the indent)."""
        cards = self.query_one("#cards", OptionList)
        if cards.size.width:
            return cards.scrollable_content_region.width - 2
        return self.size.width - 6 if self.size.width else 1_000

    def on_resize(self, event: events.Resize) -> None:
        if event.size.width != self._listed_width:
            self._listed_width = event.size.width
            # after the list itself is laid out at the new width
            self.call_after_refresh(lambda: self.refill(self.query_one("#search", Input).value))

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

    @on(Input.Changed, "#search")
    def _filter(self, event: Input.Changed) -> None:
        self.refill(event.value)

    @on(Input.Submitted, "#search")
    def _submit(self, event: Input.Submitted) -> None:
        if not event.value.strip():  # nothing typed: back to the list, the card stays
            self.screen.set_focus(self.query_one("#cards", OptionList))
            return
        card_id = self.first_match()
        if card_id:
            self.post_message(self.Chosen(card_id))
            self.screen.set_focus(self.query_one("#cards", OptionList))

    @on(OptionList.OptionSelected, "#cards")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id and not event.option.id.startswith("tag:"):
            self.post_message(self.Chosen(event.option.id))
