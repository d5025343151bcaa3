"""Facts and numbers from the expert review of the attention, Transformer and training cards,
each recomputed here independently of dlref.nn (plain math and NumPy), so a card cannot drift
back to a wrong statement."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from dlref.cards import SECTION_KEYS, Library

LIBRARY = Library.load()
CARDS = list(LIBRARY.cards.values())
IDS = [c.id for c in CARDS]


def _text(card_id: str, lang: str, key: str) -> str:
    """One section, its line breaks and indentation folded to single spaces."""
    return " ".join(LIBRARY.cards[card_id].section(lang, key).text.split())


def _zh(card_id: str, key: str) -> str:
    """A Chinese section with its line breaks removed (Chinese wraps without spaces)."""
    return "".join(LIBRARY.cards[card_id].section("zh", key).text.split())


@pytest.mark.parametrize("card", CARDS, ids=IDS)
def test_code_in_backticks_keeps_ascii_quotes(card):
    """Inline code is code in every language: `activation="relu"` copied from the Chinese card
    must run. Chinese quotation marks or punctuation inside backticks break it."""
    for lang in card.languages:
        for key in SECTION_KEYS:
            text = re.sub(r"```.*?```", "", card.section(lang, key).text, flags=re.S)
            for span in re.findall(r"`([^`]*)`", text):
                assert not re.search(r"[“”‘’，；（）]", span), (lang, key, span)
