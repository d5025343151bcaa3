"""The loader: valid cards parse; every broken file reports file:line and hides no other."""

from __future__ import annotations

import os
import re
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


#: A broken card whose problems carry every kind of field the catalogue stores: none, plain
#: text, a number, and a bilingual list of names.
_BROKEN = ('+++\nid = "Odd"\ncolour = 1\n[title]\nen = "Odd"\n+++\n::: en\n'
           '## Definition {#definition}\nx\n:::\n```\n')


def _row_problems(tmp_path: Path, monkeypatch) -> tuple[Path, list]:
    """A user directory holding the broken card above, loaded once so its problems are in
    the catalogue; (the directory, the problems as parsed)."""
    monkeypatch.setenv("DLREF_CACHE", str(tmp_path / "cache"))
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "odd.md").write_text(_BROKEN)
    first = Library.load([(cards, False)]).errors
    assert {e.key for e in first} >= {"content.unknown-key", "content.id-form",
                                      "content.unclosed-fence"}
    return cards, first


def test_a_stored_problem_reads_back_in_both_languages(tmp_path: Path, monkeypatch):
    """The second load takes the problems from the catalogue's row, not the file: they are
    the same problems, and say the same in English and in Chinese."""
    from dlref.cards import catalog

    cards, first = _row_problems(tmp_path, monkeypatch)

    def no_parsing(*_args):
        raise AssertionError("parsed again")

    monkeypatch.setattr(catalog, "_parse", no_parsing)
    monkeypatch.setattr(catalog, "_parse_problems", no_parsing)
    again = Library.load([(cards, False)]).errors
    assert again == first
    for before, after in zip(first, again, strict=True):
        assert after.text("en") == before.text("en") == str(before)
        assert after.text("zh") == before.text("zh") and _cjk(after.text("zh"))
        assert after.text("both") == f"{before.text('en')}\n{before.text('zh')}"
    keys = next(e for e in again if e.key == "content.unknown-key").text("zh")
    assert "已知的键：id、title、aliases" in keys  # a bilingual field, each language kept


def test_a_catalogue_of_the_english_only_layout_is_rebuilt(tmp_path: Path, monkeypatch):
    """A catalogue written before problems were stored by key (SCHEMA 5: English text) is
    laid out anew, not read as if it held keys."""
    import marshal
    import sqlite3

    from dlref.cards.catalog import SCHEMA, catalog_file

    cards, first = _row_problems(tmp_path, monkeypatch)
    path = catalog_file([(cards, False)])
    db = sqlite3.connect(path)
    with db:
        db.execute("UPDATE files SET errors = ?", (marshal.dumps([(2, "old english words")]),))
        db.execute("PRAGMA user_version = 5")
    db.close()
    again = Library.load([(cards, False)]).errors
    assert again == first and all(_cjk(e.text("zh")) for e in again)
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone()[0] == SCHEMA == 6
    blob = db.execute("SELECT errors FROM files").fetchone()[0]
    db.close()
    assert {key for _, key, _ in marshal.loads(blob)} == {e.key for e in first}


@pytest.mark.parametrize("stored", [
    [(2, "the english text of an older dlref")],  # the old layout in a row
    [(2, "content.no-such-entry", ())],  # a key the catalogue does not have
    [(2, "content.unknown-key", (("field", "colour"),))],  # a field missing
    [("2", "content.id-form", (("id", "Odd"),))],  # a line that is no number
    [(2, "content.id-form", "id=Odd")],  # fields that are no pairs
])
def test_a_problem_row_that_does_not_read_back_is_parsed_again(tmp_path: Path, monkeypatch,
                                                               stored):
    import marshal
    import sqlite3

    from dlref.cards.catalog import catalog_file

    cards, first = _row_problems(tmp_path, monkeypatch)
    db = sqlite3.connect(catalog_file([(cards, False)]))
    with db:
        db.execute("UPDATE files SET errors = ?", (marshal.dumps(stored),))
    db.close()
    again = Library.load([(cards, False)]).errors
    assert again == first
    assert [e.text("zh") for e in again] == [e.text("zh") for e in first]


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


# -- the diagnostics in the learner's language ---------------------------------------------------

#: A user card that loads, with something wrong in every part `dlref check` validates.
_LOADS_BUT_FAILS = '''+++
id = "mess"
tags = ["x"]
related = ["nope", "mess"]
demo = "activations"
demo_set = { activation = "wiggle" }

[title]
en = "Mess"
zh = "混乱"

[aliases]
en = ["Alpha unit", "twin name"]

[[checks]]
kernel = "sigmoid"
args = [0.0]
expect = 0.7
[[checks]]
kernel = "os.system"
expect = 1
[[checks]]
kernel = "sigmoid"
args = [0.0]
expect = 0.5
[[checks]]
kernel = "sigmoid"
wat = 1
expect = 1
[[checks]]
kernel = "sigmoid"
[[checks]]
kernel = "sigmoid"
args = 3
expect = 1
[[checks]]
kernel = "sigmoid"
args = [[0.0, 1.0]]
expect = 0.5
[[checks]]
kernel = "sigmoid"
args = ["x"]
expect = 0.5
[[checks]]
kernel = "SGD"
args = []
expect = 0.5

[[questions]]
id = "q"
prompt = { en = "p" }
answer = [1.0, "x"]
zz = 1
[[questions]]
kind = "choice"
prompt = { en = "p", zh = "p" }
options = [{ text = { en = "a", zh = "a" }, why = { en = "w", zh = "w" }, right = 2, zz = 1 },
           { text = { en = "b", zh = "b" }, why = { en = "w", zh = "w" } },
           { text = { en = "c", zh = "c" }, why = { en = "w", zh = "w" } }]
[[questions]]
id = "tf"
kind = "true-false"
prompt = { en = "p", zh = "p" }
why = { en = "w", zh = "w" }
answer = 1
[[questions]]
id = "few"
kind = "choice"
prompt = { en = "p", zh = "p" }
options = []
[[questions]]
id = "kind"
kind = "matrix"
prompt = { en = "p", zh = "p" }
solution = { en = "s", zh = "s" }
answer = 1
[[questions]]
id = "s"
prompt = { en = "p", zh = "p" }
solution = { en = "s", zh = "s" }
answer = "one"
[[questions]]
id = "sh"
kind = "shape"
prompt = { en = "p", zh = "p" }
solution = { en = "s", zh = "s" }
answer = [0]
[[questions]]
id = "long"
prompt = { en = "p", zh = "p" }
solution = { en = "s", zh = "s" }
answer = [LONG]
[[questions]]
id = "longshape"
kind = "shape"
prompt = { en = "p", zh = "p" }
solution = { en = "s", zh = "s" }
answer = [LONG]
[[questions]]
id = "dims"
kind = "shape"
prompt = { en = "p", zh = "p" }
solution = { en = "s", zh = "s" }
answer = [1234567890123]
[[questions]]
id = "dec"
prompt = { en = "p", zh = "p" }
solution = { en = "s", zh = "s" }
answer = 0.5
decimals = 13
[[questions]]
id = "dec0"
prompt = { en = "p", zh = "p" }
solution = { en = "s", zh = "s" }
answer = 0.5
decimals = 0
[[questions]]
id = "typed"
prompt = { en = "p", zh = "p" }
solution = { en = "s", zh = "s" }
answer = [TYPED]
decimals = 12
+++

::: en
## Definition {#definition}

Text with a \x1b[31m colour.

## Definition {#definition}

Again.

## Example {#example}

:::

::: zh
## 定义 {#definition}

文字。
:::
'''.replace("[LONG]", "[" + ", ".join(["1"] * 65) + "]").replace(
    "[TYPED]", "[" + ", ".join(["0.123456789012"] * 20) + "]")

#: Card files that do not load, file name -> text: each breaks the front matter or the body.
_DOES_NOT_LOAD = {
    "no-front.md": "garbage: [\n",
    "bad-toml.md": "+++\nid = \"bad-toml\"\nfoo = = 1\n+++\n",
    "huge-int.md": "+++\nid = \"huge-int\"\nerrata = [" + "9" * 5000 + "]\n+++\n",
    "big-int.md": "+++\nid = \"big-int\"\ntags = [\"x\"]\nwhen = 1979-05-27\n"
                  "demo_set = { n = 99999999999999999999 }\n[title]\nen = \"B\"\n+++\n"
                  "::: en\n## Definition {#definition}\nx\n:::\n",
    "types.md": "+++\nid = 3\ntitle = 3\naliases = 3\ntags = \"x\"\ndemo = 3\ndemo_set = 3\n"
                "errata = \"x\"\nchecks = 3\nquestions = [1]\n+++\n",
    "errata.md": "+++\nid = \"Errata\"\ntags = [\"x\"]\nerrata = [1.5]\n[title]\nzh = \"x\"\n"
                 "+++\n",
    "other-name.md": "+++\nid = \"not-its-name\"\ntags = [\"x\"]\n[title]\nen = \"x\"\n"
                     "fr = \"x\"\n+++\n:::\ntext\n::: English\n::: en\n## Definition "
                     "{#definition}\nx\n:::\n::: de\n## Heading\n## Weird {#weird}\n:::\n"
                     "::: de\nbefore\n:::\n::: en\n```\n",
}


def _diagnosed(tmp_path: Path) -> list:
    """What `dlref check` finds in a set of broken cards built to say nearly every diagnostic:
    the user cards above, the hostile corpus's unreadable files, a DLREF_PATH entry that is a
    file, and cards loaded as bundled (whose rules are stricter)."""
    from tests.hostile import build

    user = tmp_path / "user"
    user.mkdir()
    (user / "mess.md").write_text(_LOADS_BUT_FAILS)
    (user / "twin.md").write_text(_LOADS_BUT_FAILS.replace('"mess"', '"twin"').replace(
        '"Mess"', '"Twin"').replace('"混乱"', '"双"').replace('"Alpha unit", ', "").replace(
        '"activations"', '"no-such-demo"'))
    for name, text in _DOES_NOT_LOAD.items():
        (user / name).write_text(text)
    (user / "null.md").symlink_to(os.devnull)
    bundled = tmp_path / "bundled"
    bundled.mkdir()
    (bundled / "strict.md").write_text(
        '+++\nid = "strict"\ntags = ["x"]\n[title]\nen = "Strict"\n[[questions]]\nid = "q"\n'
        'prompt = { en = "p" }\nsolution = { en = "s" }\nanswer = 1\n+++\n::: en\n'
        '## Formula {#formula}\n```\n' + "x" * 60 + '\n```\n## Definition {#definition}\nx\n'
        '## Intuition {#intuition}\nx\n## Practice {#practice}\nx\n'
        '## Misconceptions {#misconceptions}\nx\n## Example {#example}\nx\n'
        '## References {#references}\nx\n:::\n')
    not_a_dir = tmp_path / "a-file"
    not_a_dir.write_text("")
    dirs = [(FIX / "cards", True), (bundled, True), (build(tmp_path / "hostile"), False),
            (user, False), (not_a_dir, False)]
    library = Library.load(dirs)
    from dlref.cards.validate import alias_warnings

    return check_library(library) + alias_warnings(library)


def _cjk(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


def test_every_diagnostic_is_said_in_chinese_after_the_same_file_and_line(tmp_path: Path):
    from dlref.i18n import t
    from dlref.i18n.words import WORDS

    errors = _diagnosed(tmp_path)
    seen = {e.key for e in errors}
    # the parse and validate diagnostics this set of cards is built to meet, every one
    wanted = {k for k in WORDS if k.startswith("content.") and ".kind." not in k
              and not k.startswith(("content.c.", "content.q."))} - {
        "content.not-regular", "content.vanished", "content.cannot-read", "content.unreadable",
        "content.grew", "content.cannot-list", "content.demo-failed", "content.too-deep"}
    assert wanted - seen == set()
    assert len({e.key for e in errors if e.key != "content.check"}) > 50
    for error in errors:
        english, chinese = error.text("en"), error.text("zh")
        prefix = f"{error.path}:{error.line}: "
        assert english == str(error) and english.startswith(prefix) or "\x1b" in str(error.path)
        assert chinese.split(": ", 1)[0] == english.split(": ", 1)[0]  # file:line, unchanged
        said = chinese[len(prefix):] if chinese.startswith(prefix) else chinese
        assert _cjk(said), chinese
        assert "\n" not in chinese and "\x1b" not in chinese
        fields = {name: dict(value) if isinstance(value, tuple) else value
                  for name, value in error.fields}
        if "\x1b" not in str(error.path):
            assert said == t(error.key, "zh", **fields)
        assert error.text("both") == f"{english}\n{chinese}"


def test_the_problems_quoted_inside_a_check_or_question_are_chinese_too(tmp_path: Path):
    """`check N: …`, `question N: …` and `option N: …` quote a nested problem: under zh it is
    the nested entry's Chinese, never its English."""
    errors = [e for e in _diagnosed(tmp_path)
              if e.key in ("content.check", "content.question")]
    inner = {e.text("zh").split("：", 1)[1] for e in errors}
    assert len(inner) > 20
    for said in inner:
        english_only = re.sub(r"'[^']*'|\[[^\]]*\]|\{[^}]*\}|\([^)]*\)|[\w.]+\(\.\.\.\)", "",
                              said)
        assert _cjk(said), said
        assert not re.search(r"\b(must|needs|lacks|gives|card says|unknown|answer has|"
                             r"accepts|characters|not a)\b", english_only), said


def test_each_content_entry_is_chinese_apart_from_the_code_it_names():
    """The catalogue's Chinese for card diagnostics: what is left once quoted code, fields
    and key names are taken out holds CJK and no English sentence."""
    from dlref.i18n.words import WORDS

    code = {"id", "title", "tags", "demo", "demo_set", "errata", "checks", "questions",
            "aliases", "prompt", "answer", "kind", "decimals", "kernel", "options", "right",
            "true", "false", "expect", "args", "kwargs", "scalar", "vector", "shape", "choice",
            "true-false", "lang", "en", "key", "dlref", "nn", "UTF", "TOML", "FIFO",
            "DLREF_PATH", "ERRATA", "md", "Heading"}
    for key, entry in WORDS.items():
        if not key.startswith("content.") or key.startswith("content.kind."):
            continue
        rest = re.sub(r"'[^']*'|\{\{#\w+\}\}|\{[^}]*\}|\[\[[^\]]*\]\]|`+|\([^)]*\)", " ",
                      entry["zh"])
        words = set(re.findall(r"[A-Za-z_]+(?:-[A-Za-z_]+)*", rest)) - code
        assert words == set(), (key, entry["zh"], words)
        assert _cjk(entry["zh"]) or key in ("content.bad-preset",), key


@pytest.mark.parametrize("key", ["key", "lang", "sep"])
def test_no_diagnostic_field_is_named_like_a_parameter_of_t(key):
    """`t(key, lang, sep, **fields)`: a field of that name could never be filled."""
    import string

    from dlref.i18n.words import WORDS

    for entry_key, entry in WORDS.items():
        names = {name for _, name, _, _ in string.Formatter().parse(entry["en"]) if name}
        assert key not in names, entry_key


def test_check_reports_an_integer_too_long_for_python_instead_of_raising(tmp_path: Path):
    """tomllib raises a plain ValueError past 4300 digits: the loader reports it, and the
    control-character scan of `dlref check` must not trip over it again."""
    (tmp_path / "huge-int.md").write_text("+++\nerrata = [" + "9" * 5000 + "]\n+++\n")
    errors = check_library(Library.load([(tmp_path, False)]))
    assert [(e.line, e.key) for e in errors] == [(2, "content.bad-toml")]
    assert "4300 digits" in errors[0].text("zh") and "TOML" in errors[0].text("zh")
