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


PAD = "\u200b"  # zero-width space: a placeholder for the second column of a wide character


def pad_wide(text: str) -> str:
    """Text for a drawing library that counts one column per character (plotext): each wide
    character is followed by a placeholder, so its two columns are counted; `unpad_wide`
    removes the placeholders from what the library drew."""
    return "".join(ch + PAD if char_width(ch) == 2 else ch for ch in text)


def unpad_wide(text: str) -> str:
    """What a drawing library drew from `pad_wide`d labels, as the terminal shows it."""
    return text.replace(PAD, "")
