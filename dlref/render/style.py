"""ANSI styles for the terminal: foreground colours and attributes only, never a background,
so the output reads on light and dark terminals alike."""

from __future__ import annotations

import re

from dlref.text.wrap import Run, trim

STYLES = {
    "title": "1;36",
    "heading": "1;33",
    "bold": "1",
    "italic": "3",
    "code": "36",
    "formula": "32",
    "dim": "2",
    "ok": "32",
    "bad": "31",
}
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def paint(text: str, style: str | None, color: bool) -> str:
    """`text` in `style` when colour is on; as it is otherwise (and for styles without a
    terminal colour, such as card links)."""
    code = STYLES.get(style or "")
    if not color or not code or not text:
        return text
    return f"\x1b[{code}m{text}\x1b[0m"


def emit(line: list[Run], color: bool) -> str:
    """One wrapped line of runs as terminal text, without trailing spaces."""
    return "".join(paint(t, s, color) for t, s in trim(line))


def strip_ansi(text: str) -> str:
    """The text without the colour codes `paint` adds."""
    return _ANSI.sub("", text)
