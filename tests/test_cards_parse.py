"""The loader: valid cards parse; every broken file reports file:line and hides no other."""

from __future__ import annotations

from pathlib import Path

import pytest

from dlref.cards import Library
from dlref.cards.library import normalize
from dlref.cards.parse import load_card
from dlref.cards.validate import check_library

FIX = Path(__file__).parent / "fixtures"


def load(*dirs: str) -> Library:
    return Library.load([(FIX / d, False) for d in dirs])


def test_valid_card_fields_and_sections():
    card, errors = load_card(FIX / "cards" / "alpha-unit.md")
    assert errors == []
    assert card.id == "alpha-unit"
    assert card.title == {"en": "Alpha unit", "zh": "阿尔法单元"}
    assert card.aliases["zh"] == ["第一单元"]
    assert card.languages == ["en", "zh"]
    keys = [s.key for s in card.sections("zh")]
    assert keys == ["definition", "formula", "intuition", "practice", "misconceptions",
                    "example", "references"]
    assert card.section("en", "formula").text.strip("`\n ") == "a(x) = 2·x + 1"
    assert card.section("zh", "definition").heading == "定义"


def test_section_lines_point_into_the_file():
    card, _ = load_card(FIX / "cards" / "alpha-unit.md")
    lines = (FIX / "cards" / "alpha-unit.md").read_text().split("\n")
    for section in card.sections("en") + card.sections("zh"):
        assert f"{{#{section.key}}}" in lines[section.line - 1]


def messages(errors) -> dict[str, list[tuple[int, str]]]:
    out: dict[str, list[tuple[int, str]]] = {}
    for e in errors:
        out.setdefault(e.path.name, []).append((e.line, e.message))
    return out


def test_broken_files_each_report_with_line():
    library = load("broken")
    found = messages(library.errors)
    assert found["bad-toml.md"][0][0] == 4
    assert "invalid TOML" in found["bad-toml.md"][0][1]
    assert found["no-front.md"] == [(1, found["no-front.md"][0][1])]
    assert "front matter" in found["no-front.md"][0][1]
    assert (4, "unknown key 'colour'; known keys: id, title, aliases, tags, related, demo, "
               "demo_set, errata, checks, questions") in found["unknown-key.md"]
    unclosed = dict(found["unclosed.md"])
    assert "never closed" in unclosed[8]
    assert "unknown section key {#mystery}" in unclosed[12]
    wrong = dict(found["wrong-id.md"])
    assert "lowercase" in wrong[2] and "at least one tag" in wrong[3]
    assert "title.en" in wrong[5]


def test_one_broken_file_does_not_hide_the_good_ones():
    library = load("cards", "broken")
    assert {"alpha-unit", "beta-rate", "fine-card"} <= set(library.cards)
    assert "bad-toml" not in library.cards


def test_check_reports_links_and_alias_collisions():
    library = load("cards", "broken")
    text = [str(e) for e in check_library(library)]
    assert any("fine-card.md:4: related id 'no-such-card' is not a card" in t for t in text)
    assert any("alpha-unit.md:10: name 'AU' also belongs to fine-card" in t for t in text)
    assert any("fine-card.md:9: name 'AU' also belongs to alpha-unit" in t for t in text)
    assert all(":" in t.split(".md", 1)[1][:6] for t in text)


def test_user_card_overrides_bundled(tmp_path: Path):
    override = tmp_path / "alpha-unit.md"
    text = (FIX / "cards" / "alpha-unit.md").read_text().replace("Alpha unit", "Alpha (mine)")
    override.write_text(text)
    library = Library.load([(FIX / "cards", True), (tmp_path, False)])
    assert library.cards["alpha-unit"].title["en"] == "Alpha (mine)"
    assert not library.cards["alpha-unit"].bundled


def test_non_utf8_file_is_an_error_not_a_crash(tmp_path: Path):
    (tmp_path / "latin.md").write_bytes(b"+++\nid = \"latin\"\n\xff\xfe\n+++\n")
    library = Library.load([(tmp_path, False)])
    assert "not UTF-8" in library.errors[0].message


def test_normalize_folds_case_width_and_separators():
    assert normalize("Batch-Normalization") == normalize("batch normalization")
    assert normalize("ＲｅＬＵ") == "relu"
    assert normalize("leaky_relu") == normalize("Leaky ReLU")
    assert normalize("线性 整流函数") == "线性整流函数"


def test_cache_is_used_and_follows_edits(tmp_path: Path, monkeypatch):
    from dlref.cards.catalog import catalog_file

    monkeypatch.setenv("DLREF_CACHE", str(tmp_path / "cache"))
    cards = tmp_path / "cards"
    cards.mkdir()
    source = (FIX / "cards" / "alpha-unit.md").read_text()
    (cards / "alpha-unit.md").write_text(source)
    first = Library.load([(cards, False)])
    assert catalog_file([(cards, False)]).exists()
    assert first.cards["alpha-unit"].title["en"] == "Alpha unit"
    again = Library.load([(cards, False)])
    assert again.cards["alpha-unit"].aliases == first.cards["alpha-unit"].aliases
    assert again.cards["alpha-unit"].section("zh", "example").text == "a(3) = 7。"
    (cards / "alpha-unit.md").write_text(source.replace("Alpha unit", "Alpha, edited!"))
    edited = Library.load([(cards, False)])
    assert edited.cards["alpha-unit"].title["en"] == "Alpha, edited!"
    (cards / "alpha-unit.md").write_text("broken")
    assert "alpha-unit" not in Library.load([(cards, False)]).cards


def test_a_cache_path_that_is_a_file_is_ignored(tmp_path: Path, monkeypatch):
    cache = tmp_path / "cache"
    cache.write_text("{not a directory")
    monkeypatch.setenv("DLREF_CACHE", str(cache))
    assert "alpha-unit" in Library.load([(FIX / "cards", False)]).cards
    assert cache.read_text() == "{not a directory"


def _card_with_question(tmp_path: Path, question: str) -> Library:
    source = (FIX / "cards" / "alpha-unit.md").read_text()
    head, rest = source.split("+++\n", 2)[1:]
    (tmp_path / "alpha-unit.md").write_text(f"+++\n{head}{question}\n+++\n{rest}")
    return Library.load([(tmp_path, False)])


GOOD_QUESTION = '''
[[questions]]
id = "sig0"
kernel = "sigmoid"
args = [0.0]
answer = 0.5
prompt = { en = "σ(0)?", zh = "σ(0) 等于？" }
solution = { en = "1 / (1 + 1)", zh = "1 / (1 + 1)" }
'''


def test_fixed_question_is_verified_against_its_kernel(tmp_path: Path):
    library = _card_with_question(tmp_path, GOOD_QUESTION)
    assert [e for e in check_library(library) if "question" in e.message] == []
    wrong = _card_with_question(tmp_path, GOOD_QUESTION.replace("answer = 0.5", "answer = 0.7"))
    messages = [e.message for e in check_library(wrong)]
    assert any("question 1: sigmoid gives" in m for m in messages)


def test_fixed_question_with_zero_decimals_needs_a_whole_answer(tmp_path: Path):
    text = GOOD_QUESTION.replace("answer = 0.5", "answer = 0.5\ndecimals = 0")
    messages = [e.message for e in check_library(_card_with_question(tmp_path, text))]
    assert "question 1: decimals = 0 asks for a whole number, but the answer is 0.5" in messages
    text = GOOD_QUESTION.replace("answer = 0.5", "answer = 0.5\ndecimals = -1")
    messages = [e.message for e in check_library(_card_with_question(tmp_path, text))]
    assert "question 1: 'decimals' must be a whole number from 0 to 12; got -1" in messages


@pytest.mark.parametrize(("replace", "message"), [
    ('answer = "abc"', "a scalar answer must be a finite number; got 'abc'"),
    ("answer = nan", "a scalar answer must be a finite number; got nan"),
    ("answer = 1e400", "a scalar answer must be a finite number; got inf"),
    ('answer = 1.0\nkind = "vector"', "a vector answer must be a non-empty list"),
    ('answer = []\nkind = "vector"', "a vector answer must be a non-empty list"),
    ('answer = [1.5, 2.0]\nkind = "shape"', "a shape answer must be a non-empty list of "
                                              "positive integers"),
    ('answer = 0.5\nkind = "matrix"', "kind must be scalar, vector or shape"),
])
def test_malformed_fixed_question_is_reported_and_never_asked(tmp_path: Path, replace, message):
    from dlref.quiz.questions import fixed_questions

    library = _card_with_question(tmp_path, GOOD_QUESTION.replace("answer = 0.5", replace))
    messages = [e.message for e in check_library(library)]
    assert any(m.startswith("question 1: " + message) for m in messages), messages
    assert fixed_questions(library.cards["alpha-unit"]) == []
    good = _card_with_question(tmp_path, GOOD_QUESTION)
    assert [q.answer for q in fixed_questions(good.cards["alpha-unit"])] == [0.5]


def test_fixed_question_needs_every_language(tmp_path: Path):
    text = GOOD_QUESTION.replace(', zh = "σ(0) 等于？"', "")
    messages = [e.message for e in check_library(_card_with_question(tmp_path, text))]
    assert "question 1: 'prompt' lacks zh" in messages


def test_fixed_questions_join_the_quiz():
    from dlref.quiz.session import items_for

    library = Library.load()
    items = items_for([library.cards["relu"]])
    assert ("relu", "grad-at-zero") in items
    assert items[("relu", "grad-at-zero")].answer == 0.0
