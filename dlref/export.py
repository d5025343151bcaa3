"""Exports: an Anki deck (genanki) and a JSON dump of every card.

The Anki model and deck ids are fixed and each note's GUID derives from the card id, so
importing a newer export updates the notes instead of duplicating them.
"""

from __future__ import annotations

import html
import re
from pathlib import Path
from typing import Any

from dlref.cards import Card
from dlref.quiz.questions import fixed_questions

MODEL_ID = 1_607_392_319  # fixed forever: changing it makes Anki see a new note type
DECK_ID = 2_059_400_110
FIELDS = ["Id", "Front", "Back"]


def markdown_to_html(text: str) -> str:
    """The card markdown subset as simple HTML for Anki."""
    out: list[str] = []
    in_fence = False
    for line in text.split("\n"):
        if line.strip().startswith("```"):
            out.append("</pre>" if in_fence else "<pre>")
            in_fence = not in_fence
            continue
        escaped = html.escape(line)
        if in_fence:
            out.append(escaped)
            continue
        escaped = re.sub(r"\*\*(.+?)\*\*", r"<b>\1</b>", escaped)
        escaped = re.sub(r"`([^`]+)`", r"<code>\1</code>", escaped)
        if escaped.lstrip().startswith(("- ", "* ")):
            escaped = "• " + escaped.lstrip()[2:]
        out.append(escaped + "<br>" if escaped.strip() else "<br>")
    return "\n".join(out)


def _langs(card: Card, lang: str) -> list[str]:
    wanted = ["en", "zh"] if lang == "both" else [lang]
    return [code for code in wanted if code in card.languages] or ["en"]


def note_fields(card: Card, lang: str) -> tuple[str, str]:
    """Front: the titles; back: definition, formula and example in each language."""
    langs = _langs(card, lang)
    front = " / ".join(html.escape(card.title_in(code)) for code in langs)
    parts = []
    for code in langs:
        for key in ("definition", "formula", "example"):
            section = card.section(code, key)
            if section:
                parts.append(f"<h4>{html.escape(section.heading)}</h4>"
                             f"{markdown_to_html(section.text)}")
    return front, "\n".join(parts)


def write_anki(cards: list[Card], path: Path, lang: str = "both") -> int:
    """Write an .apkg with one note per card and per fixed question; returns the note count."""
    import genanki

    model = genanki.Model(
        MODEL_ID,
        "dlref card",
        fields=[{"name": name} for name in FIELDS],
        templates=[{
            "name": "Card",
            "qfmt": "<div class=front>{{Front}}</div>",
            "afmt": "{{FrontSide}}<hr id=answer>{{Back}}",
        }],
        css=".card { font-family: sans-serif; text-align: left; } "
            ".front { font-size: 1.4em; text-align: center; }",
    )
    deck = genanki.Deck(DECK_ID, "dlref")
    count = 0
    for card in cards:
        front, back = note_fields(card, lang)
        deck.add_note(genanki.Note(model=model, fields=[card.id, front, back],
                                   guid=genanki.guid_for("dlref", card.id), tags=card.tags))
        count += 1
        for q in fixed_questions(card):
            langs = _langs(card, lang)
            qfront = "<br>".join(html.escape(q.prompt.get(c, q.prompt.get("en", "")))
                                 for c in langs)
            qback = f"<b>{html.escape(str(q.to_dict()['answer']))}</b><br>" + "<br>".join(
                html.escape(q.solution.get(c, "")) for c in langs)
            deck.add_note(genanki.Note(model=model, fields=[f"{card.id}:{q.template}", qfront,
                                                            qback],
                                       guid=genanki.guid_for("dlref", card.id, q.template),
                                       tags=card.tags))
            count += 1
    genanki.Package(deck).write_to_file(str(path))
    return count


def cards_json(cards: list[Card]) -> list[dict[str, Any]]:
    return [card.to_dict() for card in cards]
