"""Exports: an Anki deck (genanki) and a JSON dump of every card.

The deck holds three kinds of note, each chosen by `parts`:

- "concepts": a short flashcard per card (the front asks what the concept is and its formula,
  the back answers with the definition and formula), plus the card's fixed numeric questions;
- "quiz": for every question template a few frozen instances (fixed seeds) as notes of a
  type-in note type (`{{type:Answer}}`): the front says how to type the answer (as the quiz's
  hint does), the Answer field is written that way (Anki compares typed text character by
  character, so 0.291 asked to 3 decimals must not be checked against 0.2908), the worked
  solution and the accepted tolerance on the back;
- "choices": every choice question, its options numbered and each option's reason on the back
  (a true/false statement has one reason).

The note-type and deck ids are fixed and each note's GUID derives from the card id (and the
template and instance, or the question id), so importing a newer export updates the notes
instead of duplicating them.
"""

from __future__ import annotations

import html
import itertools
import json
import os
import sqlite3
import stat
import tempfile
import time
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from dlref.cards import Card
from dlref.i18n import bilingual, t
from dlref.quiz.questions import fixed_questions
from dlref.text.paragraphs import Block, parse_blocks
from dlref.text.wrap import Run

MODEL_ID = 1_607_392_319  # fixed forever: changing it makes Anki see a new note type
TYPE_IN_MODEL_ID = 1_607_392_320
CHOICE_MODEL_ID = 1_607_392_321
DECK_ID = 2_059_400_110
FIELDS = ["Id", "Front", "Back"]
TYPE_IN_FIELDS = ["Id", "Question", "Answer", "Tolerance", "Solution"]
CHOICE_FIELDS = ["Id", "Question", "Options", "Answer", "Reasons"]
PARTS = ("concepts", "quiz", "choices")
#: The frozen instances of each template: fixed seeds, so a re-export writes the same notes.
INSTANCE_SEEDS = (1, 2, 3)


TAGS = {"bold": "b", "italic": "i", "code": "code"}


def runs_to_html(runs: tuple[Run, ...]) -> str:
    """Styled runs as escaped HTML: bold, italic and code as tags, everything else as text."""
    out = []
    for text, style in runs:
        escaped = html.escape(text)
        tag = TAGS.get(style or "")
        out.append(f"<{tag}>{escaped}</{tag}>" if tag else escaped)
    return "".join(out)


def _list_of(block: Block) -> tuple[str, int]:
    """The list an item belongs to, `ol` or `ul`, and its depth (1 at the top; 0 for a block
    that is not an item), from the marker the terminal shows (`  • `, `3. `)."""
    if block.kind != "item":
        return "", 0
    bullet = block.marker.lstrip(" ")
    kind = "ol" if bullet[:1].isdigit() else "ul"
    return kind, (len(block.marker) - len(bullet)) // 2 + 1


def _item_html(block: Block) -> str:
    """A list item; a numbered one keeps its own number (`value`), as the terminal shows it,
    rather than the one an <ol> would count."""
    number = block.marker.strip().rstrip(".)")
    value = f' value="{number}"' if number.isdigit() else ""
    return f"<li{value}>{runs_to_html(block.runs)}</li>"


def blocks_to_html(blocks: list[Block]) -> str:
    """The paragraph model as simple HTML for Anki: one <p> per paragraph (its source lines
    already joined, so no <br> inside a sentence), lists as <ul>/<ol> (a deeper item in a list
    inside the one above), formulas as <pre>."""
    out: list[str] = []
    lists: list[str] = []  # the lists open, outermost first
    for block in blocks:
        kind, depth = _list_of(block)
        while len(lists) > depth or (lists and len(lists) == depth and lists[-1] != kind):
            out.append(f"</{lists.pop()}>")
        while len(lists) < depth:
            out.append(f"<{kind}>")
            lists.append(kind)
        if block.kind == "item":
            out.append(_item_html(block))
        elif block.kind == "formula":
            out.append(f"<pre>{html.escape(block.text)}</pre>")
        elif block.kind == "heading":
            out.append(f"<p><b>{runs_to_html(block.runs)}</b></p>")
        else:
            out.append(f"<p>{runs_to_html(block.runs)}</p>")
    out += [f"</{kind}>" for kind in reversed(lists)]
    return "\n".join(out)


def markdown_to_html(text: str) -> str:
    """The card markdown subset as simple HTML for Anki, typeset as in the terminal."""
    return blocks_to_html(parse_blocks(text))


def _langs(card: Card, lang: str) -> list[str]:
    wanted = ["en", "zh"] if lang == "both" else [lang]
    return [code for code in wanted if code in card.languages] or ["en"]


def note_fields(card: Card, lang: str) -> tuple[str, str]:
    """A flashcard: the front asks what the concept is and its formula; the back answers with
    the definition and the formula in each language (not the whole card)."""
    langs = _langs(card, lang)
    front = "<br>".join(html.escape(t("anki.ask", code, title=card.title_in(code)))
                        for code in langs)
    parts = []
    for code in langs:
        for key in ("definition", "formula"):
            section = card.section(code, key)
            if section:
                parts.append(markdown_to_html(section.text))
    return front, "\n".join(parts)


def _join(texts: dict[str, str], langs: list[str]) -> str:
    return "<br>".join(html.escape(texts.get(c) or texts.get("en", "")) for c in langs)


def _tolerance(q: Any, langs: list[str]) -> str:
    """The accepted tolerance as the back of a type-in note says it."""
    from dlref.quiz.answer import SIG_FIGS, uses_sig_figs

    if q.kind == "shape" or q.decimals in (None, 0):
        words = bilingual("anki.exact")
    elif uses_sig_figs(q.answer, q.decimals):  # too small for its decimals: 0 is not right
        words = bilingual("anki.sig-figs", n=SIG_FIGS)
    else:
        half = f"{0.5 * 10.0 ** -q.decimals:.{q.decimals + 1}f}"
        words = bilingual("anki.tolerance", half=half, decimals=q.decimals)
    return _join(words, langs)


def _with_hint(q: Any, langs: list[str]) -> str:
    """The prompt followed by how to type the answer, in each language."""
    from dlref.i18n import t

    return _join({code: f"{q.prompt.get(code) or q.prompt['en']}  "
                        f"{t('quiz.hint', code, hint=q.hint(code))}" for code in langs}, langs)


def quiz_notes(card: Card, langs: list[str]) -> list[tuple[str, list[str], list[str]]]:
    """(guid, fields, tags) of the type-in notes: frozen instances of every template."""
    from dlref.quiz.questions import generate, item_seed, templates_for

    notes = []
    for template_id in templates_for(card.id):
        for k in INSTANCE_SEEDS:
            q = generate(card.id, template_id, item_seed(k, card.id, template_id))
            fields = [f"{card.id}:{template_id}:{k}", _with_hint(q, langs), q.shown_answer(),
                      _tolerance(q, langs), _join(q.solution, langs)]
            guid = _guid(card.id, template_id, str(k))
            notes.append((guid, fields, [*card.tags, card.id, f"{card.id}::{template_id}"]))
    return notes


def choice_notes(card: Card, langs: list[str]) -> list[tuple[str, list[str], list[str]]]:
    """(guid, fields, tags) of the choice-question notes, options in their written order."""
    notes = []
    for q in fixed_questions(card):
        if not q.options:
            continue
        options = "".join(f"<li>{_join(o.text, langs)}</li>" for o in q.options)
        right = int(q.answer)
        answer = f"{right}. {_join(q.options[right - 1].text, langs)}"
        if len(q.options) == 2 and q.options[0].why == q.options[1].why:
            reasons = f"<p>{_join(q.options[0].why, langs)}</p>"  # true/false: one reason
        else:
            reasons = "<ol>" + "".join(f"<li>{'✓' if o.right else '✗'} {_join(o.why, langs)}"
                                       f"</li>" for o in q.options) + "</ol>"
        fields = [f"{card.id}:{q.template}", _join(q.prompt, langs), f"<ol>{options}</ol>",
                  answer, reasons]
        notes.append((_guid(card.id, q.template), fields,
                      [*card.tags, card.id, f"{card.id}::{q.template}"]))
    return notes


def _guid(*parts: str) -> str:
    import genanki

    return genanki.guid_for("dlref", *parts)


def _models() -> dict[str, Any]:
    import genanki

    css = (".card { font-family: sans-serif; text-align: left; } "
           ".front { font-size: 1.4em; text-align: center; }")
    return {
        "concepts": genanki.Model(
            MODEL_ID, "dlref card", fields=[{"name": n} for n in FIELDS],
            templates=[{"name": "Card", "qfmt": "<div class=front>{{Front}}</div>",
                        "afmt": "{{FrontSide}}<hr id=answer>{{Back}}"}], css=css),
        "quiz": genanki.Model(
            TYPE_IN_MODEL_ID, "dlref quiz (type the answer)",
            fields=[{"name": n} for n in TYPE_IN_FIELDS],
            templates=[{"name": "Type in",
                        "qfmt": "{{Question}}<br><br>{{type:Answer}}",
                        "afmt": "{{Question}}<hr id=answer>{{type:Answer}}"
                                "<br><small>{{Tolerance}}</small><br><br>{{Solution}}"}],
            css=css),
        "choices": genanki.Model(
            CHOICE_MODEL_ID, "dlref choice", fields=[{"name": n} for n in CHOICE_FIELDS],
            templates=[{"name": "Choice", "qfmt": "{{Question}}{{Options}}",
                        "afmt": "{{FrontSide}}<hr id=answer><b>{{Answer}}</b>{{Reasons}}"}],
            css=css),
    }


def write_anki(cards: list[Card], path: Path, lang: str = "both",
               parts: tuple[str, ...] = PARTS, timestamp: float | None = None) -> int:
    """Write an .apkg with the chosen `parts` (see the module's docstring); returns the note
    count. `timestamp` (default now) is the notes' modification time, which Anki compares
    to decide that an import updates a note. Raises ValueError naming `parts` for an
    unknown part."""
    import genanki

    unknown = [p for p in parts if p not in PARTS]
    if unknown or not parts:
        raise ValueError(f"parts must be some of {', '.join(PARTS)}; got {', '.join(parts)}")
    models = _models()
    deck = genanki.Deck(DECK_ID, "dlref")
    count = 0

    def add(kind: str, guid: str, fields: list[str], tags: list[str]) -> None:
        nonlocal count
        deck.add_note(genanki.Note(model=models[kind], fields=fields, guid=guid,
                                   tags=["_".join(t.split()) for t in tags]))  # one word each
        count += 1

    for card in cards:
        langs = _langs(card, lang)
        if "concepts" in parts:
            front, back = note_fields(card, lang)
            add("concepts", genanki.guid_for("dlref", card.id), [card.id, front, back],
                card.tags)
            for q in fixed_questions(card):
                if q.options:
                    continue
                qback = f"<b>{html.escape(str(q.to_dict()['answer']))}</b><br>" + _join(
                    q.solution, langs)
                add("concepts", genanki.guid_for("dlref", card.id, q.template),
                    [f"{card.id}:{q.template}", _join(q.prompt, langs), qback], card.tags)
        if "quiz" in parts:
            for guid, fields, tags in quiz_notes(card, langs):
                add("quiz", guid, fields, tags)
        if "choices" in parts:
            for guid, fields, tags in choice_notes(card, langs):
                add("choices", guid, fields, tags)
    _write_package(genanki.Package(deck), path, time.time() if timestamp is None else timestamp)
    return count


def _write_package(package: Any, path: Path, timestamp: float) -> None:
    """Write `package` to `path` as genanki's `write_to_file` does (a collection.anki2 and an
    empty media list, zipped), but whole or not at all: genanki leaves its temporary
    collection behind in the temp directory (a megabyte each export) and zips straight into
    `path`, so a full disk or Ctrl-C left a truncated deck where the learner's last good one
    was. Here the collection lives in a directory removed afterwards, and the zip is written
    beside `path` and renamed over it once complete."""
    with tempfile.TemporaryDirectory(prefix="dlref-anki-") as scratch:
        collection = Path(scratch) / "collection.anki2"
        conn = sqlite3.connect(collection)
        try:
            package.write_to_db(conn.cursor(), timestamp, itertools.count(int(timestamp * 1000)))
            conn.commit()
        finally:
            conn.close()

        def zip_into(partial: Path) -> None:
            with zipfile.ZipFile(partial, "w") as out:
                out.write(collection, "collection.anki2")
                out.writestr("media", "{}")

        write_whole(path, zip_into)


def write_whole(path: Path, fill: Callable[[Path], None]) -> None:
    """Write `path` whole or not at all: `fill` writes a file beside it, which is flushed to
    disk and renamed over `path` only once complete. A full disk, an error or Ctrl-C while
    writing leaves the previous `path` as it was, and no partial file beside it; the error
    goes on to the caller.

    A symbolic link is written through (its target is replaced, the link stays); see
    `_in_place` for what is written in place."""
    if _in_place(path):
        fill(path)
        return
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    partial = path.with_name(f".{path.name}.{os.getpid()}.part")
    try:
        fill(partial)
        if path.exists():  # the file replaced keeps its permissions (a deck shared read-only)
            os.chmod(partial, stat.S_IMODE(path.stat().st_mode))
        fd = os.open(partial, os.O_RDONLY)
        try:
            os.fsync(fd)  # on disk before the rename, so a crash cannot leave an empty file
        finally:
            os.close(fd)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def _in_place(path: Path) -> bool:
    """Whether `path` is written in place rather than replaced: what is not a regular file (a
    pipe, a device) and anything under /dev or /proc (`/dev/stdout` is a link to the shell's
    open file, maybe one appended to with `>>`): renaming over it would replace the device,
    the pipe or the link, or lose what the shell's file already holds."""
    if os.path.abspath(path).startswith(("/dev/", "/proc/")):
        return True
    return path.exists() and not path.is_file()


def cards_json(cards: list[Card]) -> list[dict[str, Any]]:
    """Every card's fields (`Card.to_dict`), as `dlref export json` writes them."""
    return [card.to_dict() for card in cards]


def write_json(cards: list[Card], path: Path) -> None:
    """Write `cards_json(cards)` to `path` atomically (`write_whole`); raises OSError."""
    data = cards_json(cards)

    def dump_into(partial: Path) -> None:
        with open(partial, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=2)
            out.write("\n")

    write_whole(path, dump_into)
