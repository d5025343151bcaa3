"""Exports: an Anki deck (genanki) and a JSON dump of every card.

The Anki model and deck ids are fixed and each note's GUID derives from the card id, so
importing a newer export updates the notes instead of duplicating them.
"""

from __future__ import annotations

import html
from pathlib import Path
from typing import Any

from dlref.cards import Card
from dlref.quiz.questions import fixed_questions
from dlref.text.paragraphs import Block, parse_blocks
from dlref.text.wrap import Run

MODEL_ID = 1_607_392_319  # fixed forever: changing it makes Anki see a new note type
DECK_ID = 2_059_400_110
FIELDS = ["Id", "Front", "Back"]


TAGS = {"bold": "b", "italic": "i", "code": "code"}


def runs_to_html(runs: tuple[Run, ...]) -> str:
    """Styled runs as escaped HTML: bold, italic and code as tags, everything else as text."""
    out = []
    for text, style in runs:
        escaped = html.escape(text)
        tag = TAGS.get(style or "")
        out.append(f"<{tag}>{escaped}</{tag}>" if tag else escaped)
    return "".join(out)


def blocks_to_html(blocks: list[Block]) -> str:
    """The paragraph model as simple HTML for Anki: one <p> per paragraph (its source lines
    already joined, so no <br> inside a sentence), lists as <ul>/<ol>, formulas as <pre>."""
    out: list[str] = []
    open_list = ""
    for block in blocks:
        kind = ("ol" if block.marker.strip()[:1].isdigit() else "ul") if block.kind == "item" \
            else ""
        if open_list and kind != open_list:
            out.append(f"</{open_list}>")
            open_list = ""
        if kind and not open_list:
            out.append(f"<{kind}>")
            open_list = kind
        if block.kind == "item":
            out.append(f"<li>{runs_to_html(block.runs)}</li>")
        elif block.kind == "formula":
            out.append(f"<pre>{html.escape(block.text)}</pre>")
        elif block.kind == "heading":
            out.append(f"<p><b>{runs_to_html(block.runs)}</b></p>")
        else:
            out.append(f"<p>{runs_to_html(block.runs)}</p>")
    if open_list:
        out.append(f"</{open_list}>")
    return "\n".join(out)


def markdown_to_html(text: str) -> str:
    """The card markdown subset as simple HTML for Anki, typeset as in the terminal."""
    return blocks_to_html(parse_blocks(text))


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
