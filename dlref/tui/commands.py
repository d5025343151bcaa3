"""Command palette: jump to any card by id, title or alias, in either language.

Card names are user data: every entry is built as `Content` (literal text), never parsed as
Textual markup, so a title like `[@click=app.quit]` or `[/]` is only text.
"""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.fuzzy import Matcher


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
