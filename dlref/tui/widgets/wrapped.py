"""Text broken into lines by `dlref.text.wrap`, as the CLI prints it, at the widget's width.

Textual wraps a `Static`'s text itself, at spaces only: a Chinese sentence, which has few,
came out ragged and split mid-word (`PyTorch 的 p` / `是丢弃概率`), and `Enter /` parted from
its key. `WrappedText` holds paragraphs of (text, style) runs with the prefixes of their first
and next lines (a hanging indent: an option's continuation under its text, not its number) and
wraps them with `wrap_runs`: English at spaces, Chinese between characters with its
punctuation rules. Styles are Textual style strings ("bold", "dim", "$success", "$error",
"$warning"); the text is never read as markup.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from textual.content import Content
from textual.geometry import Size
from textual.widget import Widget

from dlref.text.wrap import Run, wrap_runs

#: Runs with the prefixes of the first line and of the lines after it.
Paragraph = tuple[tuple[Run, ...], str, str]


def paragraphs(text: str, style: str | None = None, first: str = "",
               rest: str = "") -> list[Paragraph]:
    """Each line of `text` as a paragraph of one run, as the CLI's `_say` prints them."""
    return [(((line, style),), first, rest) for line in text.split("\n")]


def paragraph(runs: Iterable[Run], first: str = "", rest: str = "") -> Paragraph:
    """One paragraph of several runs (a verdict and its grade, each in its style)."""
    return tuple(runs), first, rest


class WrappedText(Widget):
    """Paragraphs of styled runs, wrapped to the widget's width with hanging indents.
    No paragraphs take no lines; an empty one takes one, as an empty `Static` does."""

    DEFAULT_CSS = "WrappedText { height: auto; }"

    def __init__(self, content: Iterable[Paragraph] = (), **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.paragraphs: tuple[Paragraph, ...] = tuple(content)
        self._cache: tuple[tuple[tuple[Paragraph, ...], int], Content] | None = None

    def show(self, content: Iterable[Paragraph]) -> None:
        """Show these paragraphs instead (a relayout only when they differ)."""
        content = tuple((tuple(runs), first, rest) for runs, first, rest in content)
        if content != self.paragraphs:
            self.paragraphs = content
            self.refresh(layout=True)

    def show_text(self, text: str, style: str | None = None, first: str = "",
                  rest: str = "") -> None:
        """Plain text, each of its lines a paragraph."""
        self.show(paragraphs(text, style, first, rest))

    @property
    def plain(self) -> str:
        """The text unwrapped: the paragraphs' runs, a line each (without prefixes)."""
        return "\n".join("".join(text for text, _ in runs) for runs, _, _ in self.paragraphs)

    def _content(self, width: int) -> Content:
        key = (self.paragraphs, max(width, 8))
        if self._cache is None or self._cache[0] != key:
            lines = [line for runs, first, rest in self.paragraphs
                     for line in wrap_runs(list(runs), key[1], first, rest)]
            self._cache = key, Content("\n").join(
                Content.assemble(*[(text, style) if style else text for text, style in line])
                for line in lines)
        return self._cache[1]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return self._content(width).plain.count("\n") + 1 if self.paragraphs else 0

    def render(self) -> Content:
        return self._content(self.content_size.width)
