"""How many terminal columns text takes (CJK characters take two), and cutting it to fit."""

from __future__ import annotations

import unicodedata


def char_width(ch: str) -> int:
    """Columns one character takes: 0 for combining marks, 2 for wide and full-width ones."""
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width_of(text: str) -> int:
    """Columns the text takes in a terminal."""
    return sum(char_width(c) for c in text)


def is_wide(ch: str) -> bool:
    """A CJK character or CJK punctuation: text between two of these is joined without a space."""
    return char_width(ch) == 2


def fit(text: str, columns: int) -> str:
    """The text cut to `columns` terminal columns, ending in `…` where it was cut."""
    if width_of(text) <= columns:
        return text
    out, used = "", 0
    for ch in text:
        if used + char_width(ch) > columns - 1:
            break
        out += ch
        used += char_width(ch)
    return out + "…"


def pad(text: str, columns: int) -> str:
    """The text followed by spaces up to `columns` columns."""
    return text + " " * max(columns - width_of(text), 0)
