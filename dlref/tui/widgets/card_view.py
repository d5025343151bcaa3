"""The Card tab: the card as markdown, one language or two side by side."""

from __future__ import annotations

import re

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Markdown

from dlref.cards import Card

_KEY = re.compile(r"\s*\{#[a-z-]+\}\s*$", re.MULTILINE)


def card_markdown(card: Card, lang: str) -> str:
    """The card for Textual's Markdown widget: no section keys, related cards as links."""
    text = _KEY.sub("", card.markdown(lang))
    label = {"zh": "相关"}.get(lang, "Related")
    if card.related:
        links = " · ".join(f"[{r}](card:{r})" for r in card.related)
        text += f"\n\n**{label}:** {links}"
    return text


class CardView(Horizontal):
    """Shows a card; `lang` is en, zh or both."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="card-left"):
            yield Markdown(id="md-left", open_links=False)
        with VerticalScroll(id="card-right"):
            yield Markdown(id="md-right", open_links=False)

    def show(self, card: Card, lang: str) -> None:
        left_lang = "en" if lang == "both" else lang
        if left_lang not in card.languages:
            left_lang = "en"
        self.query_one("#md-left", Markdown).update(card_markdown(card, left_lang))
        right = self.query_one("#card-right")
        if lang == "both" and "zh" in card.languages:
            self.query_one("#md-right", Markdown).update(card_markdown(card, "zh"))
            right.display = True
        else:
            right.display = False
        self.query_one("#card-left").scroll_home(animate=False)
