"""Command palette: jump to any card by id, title or alias, in either language."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider


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
                yield Hit(best, matcher.highlight(shown), partial(app.open_card, card.id),
                          text=shown, help=f"{card.id} — {title}")

    async def discover(self) -> Hits:
        app = self.app
        for card in app.library.cards.values():
            yield DiscoveryHit(f"{card.title_in('en')} · {card.title.get('zh', '')}",
                               partial(app.open_card, card.id), help=card.id)
