"""The exported deck, imported with the real `anki` package (a test dependency): note types,
counts, fields, and a re-import that updates instead of duplicating."""

from __future__ import annotations

import errno
import os
import re
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from anki.collection import Collection, ImportAnkiPackageOptions, ImportAnkiPackageRequest
from click.testing import CliRunner

from dlref.cards import Library
from dlref.cli import main
from dlref.export import write_anki
from dlref.quiz.questions import fixed_questions, generate, item_seed, templates_for

LIBRARY = Library.load()
CONCEPT, TYPE_IN, CHOICE = "dlref card", "dlref quiz (type the answer)", "dlref choice"


def export(path: Path, *args: str) -> None:
    result = CliRunner().invoke(main, ["export", "anki", str(path), *args])
    assert result.exit_code == 0, result.output


def import_into(col: Collection, path: Path):
    """Import as Anki's import dialog does by default (update a note if the package's is newer)."""
    options = ImportAnkiPackageOptions(with_scheduling=True)
    request = ImportAnkiPackageRequest(package_path=str(path), options=options)
    return col.import_anki_package(request).log


def notes_of(col: Collection, notetype: str, extra: str = "") -> list:
    return [col.get_note(nid) for nid in col.find_notes(f'"note:{notetype}" {extra}'.strip())]


@pytest.fixture
def col(tmp_path: Path):
    collection = Collection(str(tmp_path / "collection.anki2"))
    yield collection
    collection.close()


def test_the_deck_holds_concepts_type_in_notes_for_every_template_and_choices(tmp_path, col):
    deck = tmp_path / "dlref.apkg"
    export(deck)
    log = import_into(col, deck)
    templates = {(c, t) for c in LIBRARY.cards for t in templates_for(c)}
    fixed = [q for card in LIBRARY.cards.values() for q in fixed_questions(card)]
    choices = [q for q in fixed if q.options]
    numeric = [q for q in fixed if not q.options]
    assert len(notes_of(col, TYPE_IN)) == 3 * len(templates)
    assert len(notes_of(col, CHOICE)) == len(choices) >= 2 * len(LIBRARY.cards)
    assert len(notes_of(col, CONCEPT)) == len(LIBRARY.cards) + len(numeric)
    assert len(log.new) == col.note_count()

    # the type-in note type asks Anki to compare a typed answer
    model = col.models.by_name(TYPE_IN)
    assert "{{type:Answer}}" in model["tmpls"][0]["qfmt"]
    assert [f["name"] for f in model["flds"]] == ["Id", "Question", "Answer", "Tolerance",
                                                  "Solution"]
    # every template reaches Anki, tagged by card and kind
    tags = {t for note in notes_of(col, TYPE_IN) for t in note.tags}
    assert {f"{c}::{t}".lower() for c, t in templates} <= {t.lower() for t in tags}

    # a frozen instance: the same numbers the quiz generates for that seed
    [note] = notes_of(col, TYPE_IN, '"Id:adam:first-step:1"')
    q = generate("adam", "first-step", item_seed(1, "adam", "first-step"))
    assert note["Answer"] == f"{q.answer:.4f}"  # as the front asks it typed: 4 decimals
    assert q.prompt["en"] in note["Question"] and q.prompt["zh"] in note["Question"]
    assert "(4 decimals)" in note["Question"] and "（保留 4 位小数）" in note["Question"]
    assert "±0.00005" in note["Tolerance"]
    assert "m̂₁ = g" in note["Solution"]
    # Anki's own comparison finds nothing wrong with the answer typed as the front asks
    shown = col.compare_answer(note["Answer"], f"{q.answer:.4f}")
    assert "typeGood" in shown and "typeBad" not in shown and "typeMissed" not in shown

    # a concept note is a short flashcard: it asks, and answers with definition and formula
    [relu] = notes_of(col, CONCEPT, '"Id:relu"')
    assert relu["Front"].startswith("What is ReLU") and "什么是" in relu["Front"]
    assert "max(0, x)" in relu["Back"] and len(relu["Back"]) < 1200
    assert "Misconceptions" not in relu["Back"]

    # a choice question with its options and reasons
    [tf] = notes_of(col, CHOICE, '"Id:relu:tf-grad-sign"')
    assert re.search(r"<li>True<br>对</li><li>False<br>错</li>", tf["Options"])
    assert tf["Answer"].startswith("2. False") and tf["Reasons"].count("step function") == 1


def test_a_re_export_updates_the_notes_instead_of_duplicating_them(tmp_path, col):
    first, second = tmp_path / "en.apkg", tmp_path / "both.apkg"
    export(first, "--lang", "en")
    import_into(col, first)
    count = col.note_count()
    [relu] = notes_of(col, CONCEPT, '"Id:relu"')
    assert "什么是" not in relu["Front"]
    ids = (relu.id, relu.card_ids())
    # a later export (Anki updates a note when the package's copy is newer, by the second)
    write_anki(list(LIBRARY.cards.values()), second, "both", timestamp=time.time() + 5)
    log = import_into(col, second)
    assert col.note_count() == count
    assert len(log.new) == 0 and len(log.updated) == count
    [relu] = notes_of(col, CONCEPT, '"Id:relu"')
    assert "什么是" in relu["Front"]
    assert (relu.id, relu.card_ids()) == ids  # the same note and card: review history kept


def test_parts_choose_what_is_exported(tmp_path, col):
    deck = tmp_path / "quiz.apkg"
    export(deck, "--parts", "quiz")
    import_into(col, deck)
    assert notes_of(col, CONCEPT) == [] and notes_of(col, CHOICE) == []
    assert len(notes_of(col, TYPE_IN)) == col.note_count() > 0


def test_an_export_leaves_nothing_behind_in_the_temp_directory(tmp_path, col, monkeypatch):
    """genanki's own writer kept its temporary collection (a megabyte) in the temp directory
    after every export; the deck still imports whole."""
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    deck = tmp_path / "out" / "dlref.apkg"
    deck.parent.mkdir()
    export(deck, "--parts", "choices")
    assert list(scratch.iterdir()) == []
    assert list(deck.parent.iterdir()) == [deck]
    import_into(col, deck)
    assert len(notes_of(col, CHOICE)) == col.note_count() > 0


def test_an_export_that_cannot_finish_keeps_the_last_good_deck(tmp_path, col, monkeypatch):
    """A disk that fills while the zip is written (or Ctrl-C then) said so and left a
    truncated deck in place of the learner's last one, which genanki had opened for writing
    first."""
    deck = tmp_path / "out" / "dlref.apkg"
    deck.parent.mkdir()
    export(deck, "--parts", "choices")
    before = deck.read_bytes()

    def full(self, *args, **kwargs):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(zipfile.ZipFile, "writestr", full)
    result = CliRunner().invoke(main, ["export", "anki", str(deck)],
                                env={"DLREF_LANG": "zh"})
    assert result.exit_code == 1
    assert result.stderr == f"dlref: 无法写入 {deck}：设备上没有剩余空间\n"
    assert deck.read_bytes() == before
    assert list(deck.parent.iterdir()) == [deck]  # no partial deck left beside it
    import_into(col, deck)
    assert col.note_count() > 0


def test_an_unknown_part_is_a_usage_error():
    result = CliRunner().invoke(main, ["export", "anki", "x.apkg", "--parts", "quiz,cards"])
    assert result.exit_code == 2
    assert "--parts" in result.output and "concepts, quiz, choices" in result.output


def test_every_type_in_answer_is_written_as_its_front_asks_and_is_right():
    """The Answer field Anki compares against is the answer typed to the asked decimals (or
    significant figures), and dlref's own quiz marks exactly that text right."""
    from dlref.export import INSTANCE_SEEDS, quiz_notes
    from dlref.quiz.answer import check_answer, is_small, parse_answer

    for card in LIBRARY.cards.values():
        notes = {f[0]: f for _, f, _ in quiz_notes(card, ["en"])}
        for template_id in templates_for(card.id):
            for k in INSTANCE_SEEDS:
                q = generate(card.id, template_id, item_seed(k, card.id, template_id))
                _, front, answer, tolerance, _ = notes[f"{card.id}:{template_id}:{k}"]
                assert f"({q.hint('en')})" in front
                given = parse_answer(answer, kind=q.kind)
                assert check_answer(given, q.answer, decimals=q.decimals), (q.template, answer)
                values = given if isinstance(given, list) else [given]
                if q.kind != "shape" and q.decimals:
                    for text, x in zip(re.split(r",\s*", answer.strip("[]")), values,
                                       strict=True):
                        if is_small(x, q.decimals):
                            assert "e" in text and "significant" in tolerance
                        else:
                            assert len(text.split(".")[1]) == q.decimals, (q.template, answer)


def test_a_tag_with_spaces_tabs_or_newlines_is_one_anki_tag(tmp_path, col):
    """Anki splits tags at whitespace: a user card's tag 'deep\\tlearning\\nbasics' became
    three tags (spaces alone were joined)."""
    import copy

    card = copy.copy(Library.load().cards["relu"])
    card.tags = ["deep\tlearning\nbasics", "two words"]
    deck = tmp_path / "deck.apkg"
    write_anki([card], deck, parts=("concepts",))
    import_into(col, deck)
    notes = [col.get_note(nid) for nid in col.find_notes("")]
    assert notes and all(sorted(n.tags) == ["deep_learning_basics", "two_words"] for n in notes)
