"""The Card tab: the card typeset by `dlref.text.layout` (the same lines as `dlref show`), one
language or two side by side, re-laid out whenever its width changes."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.geometry import Size
from textual.style import Style
from textual.widget import Widget

from dlref.cards import Card
from dlref.i18n import BOTH, FALLBACK
from dlref.text.layout import Line, layout_card

# Layout style names → Textual styles (theme variables, so every theme reads well).
STYLES = {
    "title": "bold $accent",
    "heading": "bold $warning",
    "bold": "bold",
    "italic": "italic",
    "code": "$secondary",
    "formula": "$success",
    "dim": "dim",
}


def line_content(line: Line) -> Content:
    """One laid-out line as Textual content; a `card:ID` run becomes a link that opens it."""
    parts: list[tuple[str, str | Style]] = []
    for text, style in line:
        if style and style.startswith("card:"):
            link = Style.from_meta({"@click": f"app.open_card({style[5:]!r})"})
            parts.append((text, Style(underline=True) + link))
        else:
            parts.append((text, STYLES.get(style or "", "")))
    return Content.assemble(*parts)


class CardText(Widget):
    """A card in one language, laid out to the widget's own width."""

    DEFAULT_CSS = "CardText { height: auto; }"

    def __init__(self, **kwargs) -> None:
        super().__init__(**kwargs)
        self.card: Card | None = None
        self.lang = FALLBACK
        # a few widths kept: one layout pass may ask for two (with and without a scrollbar)
        self._typeset: dict[tuple[str, str, int], Content] = {}

    def show(self, card: Card, lang: str) -> None:
        self.card, self.lang = card, lang
        self.refresh(layout=True)

    def _content(self, width: int) -> Content:
        if self.card is None or width <= 0:
            return Content("")
        key = (self.card.id, self.lang, max(width, 20))
        if key not in self._typeset:
            if len(self._typeset) >= 6:
                self._typeset.pop(next(iter(self._typeset)))
            lines = layout_card(self.card, self.lang, key[2])
            self._typeset[key] = Content("\n").join(line_content(line) for line in lines)
        return self._typeset[key]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._content(width).plain.count("\n") + 1

    def render(self) -> Content:
        return self._content(self.content_size.width)


class CardView(Horizontal):
    """Shows a card; `lang` is en, zh or both (two columns)."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="card-left"):
            yield CardText(id="text-left")
        with VerticalScroll(id="card-right"):
            yield CardText(id="text-right")

    def show(self, card: Card, lang: str) -> None:
        left = "en" if lang == BOTH else lang
        if left not in card.languages:
            left = FALLBACK
        self.query_one("#text-left", CardText).show(card, left)
        both = lang == BOTH and "zh" in card.languages
        if both:
            self.query_one("#text-right", CardText).show(card, "zh")
        self.query_one("#card-right").display = both
        self.query_one("#card-left", VerticalScroll).scroll_home(animate=False)
