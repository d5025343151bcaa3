"""User cards are untrusted data (issue 17): nothing in them reaches a terminal as control, and
one bad file never stops the others. The corpus is tests/hostile.py."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dlref.cards import Library
from dlref.cards.catalog import MAX_SETS, Catalog, cache_dir, catalog_file
from dlref.cards.library import bundled_dir, content_dirs
from dlref.cards.parse import MAX_CARD_BYTES, load_card
from dlref.cards.sanitize import clean, clean_data
from dlref.cards.validate import check_library
from dlref.cli import main
from tests.hostile import CONTROL, LOAD_PROBLEMS, LOADS, build, control_in


@pytest.fixture
def hostile(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = build(tmp_path / "hostile")
    monkeypatch.setenv("DLREF_PATH", str(where))
    return where


def run(*args: str):
    return CliRunner().invoke(main, list(args))


# -- the sanitiser ----------------------------------------------------------------------------


def test_clean_makes_controls_visible_and_keeps_text():
    assert clean("a\x1b[2Jb") == "a\u241b[2Jb"  # ESC -> ␛ (SYMBOL FOR ESCAPE)
    assert clean("\x07\x00\x7f") == "\u2407\u2400\u2421"
    assert clean("x\x9by") == "x\ufffdy"  # a C1 CSI
    assert clean("\u202eevil\u202c \u2066i\u2069") == "\ufffdevil\ufffd \ufffdi\ufffd"
    plain = "tab\tnewline\n中文 ReLU σ(x) ✓"
    assert clean(plain) is plain  # nothing to do: the very same string
    every = "".join(map(chr, range(0x20))) + "".join(map(chr, range(0x7F, 0xA0)))
    assert CONTROL.findall(clean(every)) == []
    assert "\t" in clean(every) and "\n" in clean(every)  # the only controls kept
    assert len(clean(every)) == len(every)  # one visible stand-in per character
    assert clean(clean("\x1b")) == clean("\x1b")


def test_clean_data_reaches_keys_and_nested_values():
    data = {"t\x1b": ["a\x1b", {"b": "\x9b"}], "n": 3}
    assert clean_data(data) == {"t\u241b": ["a\u241b", {"b": "\ufffd"}], "n": 3}


# -- one bad file never stops the others ------------------------------------------------------


def test_each_broken_file_is_one_notice_and_every_other_card_loads(hostile: Path):
    library = Library.load()
    by_file: dict[str, list[str]] = {}
    for error in library.errors:
        by_file.setdefault(error.path.name, []).append(error.message)
    for name, piece in LOAD_PROBLEMS.items():
        assert any(piece in m for m in by_file.get(name, [])), (name, by_file.get(name))
    for card_id in LOADS:
        assert card_id in library.cards, card_id
    assert "relu" in library.cards and library.cards["relu"].bundled
    # loaded text is clean, whatever the file held
    for card_id in LOADS:
        card = library.cards[card_id]
        shown = json.dumps(card.to_dict(), ensure_ascii=False)
        assert control_in(json.loads(json.dumps(shown))) == [], card_id
    assert library.cards["escape-title"].title["en"] == "Evil \u241b]0;pwned\u2407 title \ufffd"
    assert library.cards["escape-title"].aliases["en"] == ["alias \u241b[2J"]
    text = library.cards["escape-body"].section("en", "definition").text
    assert "\u241b[2J" in text and "\ufffdoverride\ufffd" in text and "\x1b" not in text


def test_bom_and_crlf_are_accepted(hostile: Path):
    card, errors = load_card(hostile / "with-bom.md", bundled=False)
    assert errors == [] and card is not None
    assert card.title["en"] == "BOM and CRLF"
    assert card.section("en", "definition").text == "Some text."


def test_not_utf8_names_the_line(hostile: Path):
    _, errors = load_card(hostile / "latin-1.md", bundled=False)
    assert [(e.line, e.message.split(" (")[0]) for e in errors] == [(6, "not UTF-8 text")]


def test_size_cap_is_documented():
    doc = (Path(__file__).parent.parent / "docs" / "content-format.md").read_text()
    assert f"{MAX_CARD_BYTES:,}".replace(",", " ") in doc or str(MAX_CARD_BYTES) in doc


def test_a_fifo_is_never_opened_for_reading(hostile: Path):
    """A FIFO named *.md would block open() forever; in a child process, so a regression
    fails the test (timeout) instead of hanging the run."""
    env = {**os.environ, "DLREF_PATH": str(hostile)}
    for name, notice in (("relu", False), ("rectifier", True)):  # the id reads relu.md alone
        done = subprocess.run([sys.executable, "-m", "dlref", "show", name, "--color", "never"],
                              capture_output=True, text=True, env=env, timeout=120)
        assert done.returncode == 0
        assert done.stdout.startswith("ReLU")
        assert done.stderr.count("\n") == notice
        assert ("with errors skipped" in done.stderr) == notice


def test_reading_errors_are_never_cannot_write(hostile: Path):
    result = run("show", "relu", "--color", "never")
    assert result.exit_code == 0
    assert "cannot write" not in result.output


def stored(dirs: list[tuple[Path, bool]]) -> set[str]:
    """The files the catalogue of content set `dirs` has rows for."""
    catalog = Catalog(catalog_file(dirs))
    try:
        return {p for (p,) in catalog.db.execute("SELECT path FROM files")}
    finally:
        catalog.db.close()


def test_cache_leaves_no_temp_files_and_survives_dates(hostile: Path):
    for _ in range(2):
        assert run("list").exit_code == 0
    assert [p.name for p in cache_dir().iterdir()] == [catalog_file(content_dirs()).name]


def test_an_unwritable_cache_changes_nothing(tmp_path: Path, monkeypatch, fixture_cards: Path):
    """A cache directory that cannot be made (here a file is in its way): the catalogue and
    the search index are built in memory, every command works, no file appears."""
    blocker = tmp_path / "blocker"
    blocker.write_text("a file, not a directory")
    monkeypatch.setenv("DLREF_CACHE", str(blocker / "cache"))
    library = Library.load()
    assert "alpha-unit" in library.cards and library.find("第一单元").id == "alpha-unit"
    from dlref.cards.search import search

    assert search(library, "alpha")[0].card.id == "alpha-unit"
    assert run("show", "alpha-unit").exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]


def test_a_catalogue_that_is_not_a_database_is_rebuilt(fixture_cards: Path):
    path = catalog_file(content_dirs())
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"not a database, just bytes" * 100)
    assert "alpha-unit" in Library.load().cards
    assert str(fixture_cards / "alpha-unit.md") in stored(content_dirs())


@pytest.mark.parametrize("seed", range(4))
def test_a_damaged_catalogue_is_made_again(seed: int):
    """Bytes scrambled inside the catalogue (a bad disk, a crash of the file system): every
    command still answers rightly, without a traceback, and the next run finds a sound file."""
    import random
    import sqlite3

    assert run("search", "gradient").exit_code == 0  # the catalogue and the search index
    path = catalog_file(content_dirs())
    data = bytearray(path.read_bytes())
    rng = random.Random(seed)
    for page in range(4096 * 2, len(data), 4096):
        for _ in range(50):
            data[page + rng.randrange(4096)] = rng.randrange(256)
    path.write_bytes(bytes(data))
    for argv, code, words in ((["show", "线性整流函数"], 0, "ReLU"), (["show", "rleu"], 1, "relu"),
                              (["search", "梯度"], 0, "梯度"), (["list"], 0, "softmax"),
                              (["relu"], 0, "ReLU")):
        done = subprocess.run([sys.executable, "-m", "dlref", *argv], capture_output=True,
                              text=True, env={**os.environ, "NO_COLOR": "1"}, timeout=120)
        assert done.returncode == code, (argv, done.stderr)
        assert words in done.stdout + done.stderr and "Traceback" not in done.stderr
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    db.close()


def _gamma(tmp_path: Path, fixture_cards: Path) -> tuple[Path, str]:
    """A user card `gamma` (the alpha-unit fixture under another id) in tmp_path/mine: its
    file and its text."""
    mine = tmp_path / "mine"
    mine.mkdir()
    card = mine / "gamma.md"
    source = (fixture_cards / "alpha-unit.md").read_text().replace('"alpha-unit"', '"gamma"')
    card.write_text(source)
    return card, source


def test_a_read_only_catalogue_is_used_and_left_alone(tmp_path: Path, monkeypatch,
                                                     fixture_cards: Path):
    """A catalogue that can be read but not written (a read-only cache directory, say): a
    changed card is parsed and searched in memory, and the file is neither changed nor
    deleted."""
    import sqlite3

    from dlref.cards.search import search

    card, source = _gamma(tmp_path, fixture_cards)
    mine = card.parent
    monkeypatch.setenv("DLREF_PATH", str(mine))
    assert search(Library.load(), "definition")  # the file and its search index exist
    path = catalog_file(content_dirs())
    before = path.read_bytes()
    real = sqlite3.connect

    def read_only(where, *args, **kwargs):
        if str(where) == str(path):
            return real(f"file:{where}?mode=ro", *args, uri=True, **kwargs)
        return real(where, *args, **kwargs)

    monkeypatch.setattr(sqlite3, "connect", read_only)
    card.write_text(source.replace("a(3) = 7", "a(3) = 7 quokkas").replace('"first fixture"',
                                                                           '"wombat"'))
    library = Library.load()
    assert library.find("wombat").id == "gamma"
    assert [h.card.id for h in search(library, "quokkas")] == ["gamma"]
    assert path.read_bytes() == before


def test_cache_is_kept_per_content_set(tmp_path: Path, fixture_cards: Path):
    other = tmp_path / "other"
    other.mkdir()
    (other / "gamma.md").write_text((fixture_cards / "alpha-unit.md").read_text()
                                    .replace('"alpha-unit"', '"gamma"'))
    set_a = content_dirs()
    set_b = [set_a[0], (other, False)]
    Library.load(set_a)
    Library.load(set_b)  # another install / DLREF_PATH must not evict set A
    a, b = stored(set_a), stored(set_b)
    assert str(fixture_cards / "alpha-unit.md") in a
    assert str(other / "gamma.md") in b and str(other / "gamma.md") not in a
    assert str(fixture_cards / "alpha-unit.md") not in b


def test_search_follows_edits_and_removals(tmp_path: Path, monkeypatch, fixture_cards: Path):
    """The index is refreshed from the catalogue: a word written into a card is found on the
    next search, and a card removed is not found any more."""
    from dlref.cards.search import search

    card, source = _gamma(tmp_path, fixture_cards)
    mine = card.parent
    monkeypatch.setenv("DLREF_PATH", str(mine))
    assert search(Library.load(), "quokkas") == []
    card.write_text(source.replace("a(3) = 7", "a(3) = 7 quokkas"))
    assert [h.card.id for h in search(Library.load(), "quokkas")] == ["gamma"]
    card.unlink()
    assert search(Library.load(), "quokkas") == []


def test_names_containing_a_fragment_follow_edits(tmp_path: Path, monkeypatch,
                                                 fixture_cards: Path):
    """The trigram index of names answers as a scan of every name would, before and after a
    card's aliases change (SQLite's triggers keep it in step with the names)."""
    card, source = _gamma(tmp_path, fixture_cards)
    mine = card.parent
    monkeypatch.setenv("DLREF_PATH", f"{fixture_cards}:{mine}")

    def check(library: Library) -> None:
        names = library.catalog.names()
        for fragment in ("alpha", "unit", "第一", "单", "fixture", "zz", "quokka"):
            expected = sorted((k, p) for k, p in names if fragment in k)
            assert sorted(library.catalog.containing(fragment)) == expected, fragment

    check(Library.load())
    card.write_text(source.replace('"first fixture"', '"quokka fixture"'))
    library = Library.load()
    check(library)
    assert library.find("quokka").id == "gamma"


def test_search_index_is_kept_per_content_set(tmp_path: Path, fixture_cards: Path,
                                              monkeypatch):
    """The search index is a cache too: searching with another DLREF_PATH (or install) and
    back indexes nothing again (it used to drop and rebuild every card of the other set)."""
    import dlref.cards.search as search

    other = tmp_path / "other"
    other.mkdir()
    (other / "gamma.md").write_text((fixture_cards / "alpha-unit.md").read_text()
                                    .replace('"alpha-unit"', '"gamma"'))
    indexed: list[str] = []
    real = search._paragraphs

    def spy(card):
        indexed.append(card.id)
        return real(card)

    monkeypatch.setattr(search, "_paragraphs", spy)

    def run_search(path: str) -> list[str]:
        monkeypatch.setenv("DLREF_PATH", path)
        indexed.clear()
        search.search(Library.load(), "definition")
        return sorted(indexed)

    set_a = sorted(Library.load().cards)
    assert run_search(str(fixture_cards)) == set_a  # cold: every card of set A
    monkeypatch.setenv("DLREF_PATH", str(other))
    set_b = sorted(Library.load().cards)
    assert "gamma" in set_b and "alpha-unit" not in set_b
    assert run_search(str(other)) == set_b
    assert run_search(str(fixture_cards)) == []  # set A's index is still there
    assert run_search(str(other)) == []


def test_catalogues_of_old_content_sets_are_pruned(fixture_cards: Path):
    where = cache_dir()
    where.mkdir(parents=True, exist_ok=True)
    (where / "search.sqlite3").write_bytes(b"")  # an earlier version's: left to it
    for i in range(MAX_SETS + 2):
        old = where / f"cards-old{i}.sqlite3"
        old.write_bytes(b"")
        os.utime(old, (1_000_000 + i, 1_000_000 + i))
    Library.load()
    left = sorted(p.name for p in where.iterdir())
    current = catalog_file(content_dirs()).name
    newest = [f"cards-old{i}.sqlite3" for i in range(2, MAX_SETS + 2)][-(MAX_SETS - 1):]
    assert left == sorted([current, *newest, "search.sqlite3"])


def test_a_damaged_cache_entry_is_parsed_again(fixture_cards: Path):
    Library.load()
    catalog = Catalog(catalog_file(content_dirs()))
    with catalog.db:
        catalog.db.execute("UPDATE files SET front = x'00ff', errors = x'ff'")
    catalog.db.close()
    card = Library.load().cards["alpha-unit"]
    assert card.title["en"] == "Alpha unit" and card.aliases["zh"]


# -- check --------------------------------------------------------------------------------------


def test_check_names_every_problem_with_file_and_line(hostile: Path):
    result = run("check", str(hostile))
    assert result.exit_code == 1
    lines = result.output.splitlines()
    assert control_in(result.output) == []
    for name in LOAD_PROBLEMS:
        assert any(line.startswith(f"{hostile / clean(name)}:") for line in lines), name
    def problems(name: str) -> list[str]:
        return [line for line in lines if line.startswith(f"{hostile / name}:")]
    assert any(":11: control character(s) U+001B (ESC), U+0007 (BEL)" in line
               for line in problems("escape-body.md"))
    assert any("U+009B (CSI)" in line and "U+202E" in line and "U+2066" in line
               for line in problems("escape-body.md"))
    assert any("'title': control character(s) U+001B (ESC)" in line
               for line in problems("escape-title.md"))
    assert any("'aliases': control character(s) U+001B (ESC)" in line
               for line in problems("escape-title.md"))
    assert any("from 0 to 12; got 9223372036854775807" in line
               for line in problems("huge-decimals.md"))
    assert any("characters to type; the quiz accepts at most 200" in line
               for line in problems("long-vector.md"))
    assert problems("markup-lr.md") == [] and problems("with-bom.md") == []


def test_check_of_a_path_without_cards_is_an_error(tmp_path: Path):
    empty = tmp_path / "empty"
    empty.mkdir()
    (empty / "README.md").write_text("# notes")
    result = run("check", str(empty))
    assert result.exit_code == 1 and "holds no card files" in result.output
    assert "cards OK" not in result.output
    result = run("check", str(empty / "README.md"))
    assert result.exit_code == 1 and "is not a card file" in result.output
    (empty / "notes.txt").write_text("x")
    assert run("check", str(empty / "notes.txt")).exit_code == 1


def test_check_counts_only_the_cards_it_was_given(fixture_cards: Path):
    result = run("check", str(fixture_cards / "alpha-unit.md"))
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith("1 card OK.")


@pytest.mark.parametrize(("question", "piece"), [
    ("answer = 0.5\ndecimals = 13", "from 0 to 12; got 13"),
    ("answer = [" + ", ".join(["1.0"] * 65) + "]", "65 elements; the quiz accepts at most 64"),
    ("answer = [1, 2]\nkind = \"shape\"", None),
    ("answer = [1234567890123, 2]\nkind = \"shape\"", "at most 12 digits"),
    ("answer = 1" + "0" * 400, "a finite number"),  # an int too large for a float
    ("answer = 1e300\ndecimals = 2", None),
])
def test_fixed_questions_the_quiz_cannot_honour_are_rejected(tmp_path: Path, question, piece):
    import tomllib

    from dlref.cards.validate import question_problems

    spec = {**tomllib.loads(question), "prompt": {"en": "p"}, "solution": {"en": "s"}}
    problems = question_problems(spec, ["en"])
    if piece is None:
        assert problems == []
    else:
        assert any(piece in p["en"] for p in problems), problems
        assert all(re.search("[\u4e00-\u9fff]", p["zh"]) for p in problems), problems


def test_check_library_does_not_follow_a_looping_link_when_filtering(hostile: Path):
    library = Library.load()
    errors = check_library(library, only=hostile)
    assert {e.path.name for e in errors} >= set(LOAD_PROBLEMS)


# -- every front end writes no control byte from a card ------------------------------------------


@pytest.mark.parametrize("colour", ["never", "always"])
@pytest.mark.parametrize("args", [
    ("show", "escape-body"), ("show", "escape-title"), ("show", "escape-body", "--lang", "both"),
    ("search", "screen"), ("search", "evil"), ("glossary",), ("glossary", "alias"),
    ("list",), ("list", "--tag", "hostile"), ("show", "relu"),
])
def test_no_control_byte_reaches_the_output(hostile: Path, args, colour):
    result = CliRunner().invoke(main, [*args, "--color", colour])
    assert result.exit_code == 0, result.output
    assert control_in(result.output, allow_colour=colour == "always") == []


def test_no_control_byte_in_json_and_exports(hostile: Path, tmp_path: Path):
    for args in (("show", "escape-body", "--json"), ("export", "json"), ("glossary", "--json")):
        result = CliRunner().invoke(main, list(args))
        assert result.exit_code == 0, (args, result.output)
        assert control_in(json.dumps(json.loads(result.stdout), ensure_ascii=False)) == []
    deck = tmp_path / "deck.apkg"
    result = CliRunner().invoke(main, ["export", "anki", str(deck)])
    assert result.exit_code == 0, result.output
    import sqlite3
    import zipfile

    with zipfile.ZipFile(deck) as z:
        db = tmp_path / "collection.anki2"
        db.write_bytes(z.read("collection.anki2"))
    fields = [row[0] for row in sqlite3.connect(db).execute("SELECT flds FROM notes")]
    assert any("Evil \u241b]0;pwned" in f for f in fields)
    assert all(control_in(f.replace("\x1f", "")) == [] for f in fields)


# -- bounded work on any input ------------------------------------------------------------------


def test_did_you_mean_compares_a_bounded_part_of_a_huge_name(monkeypatch):
    import difflib

    from dlref.cards.library import MAX_SUGGEST_CHARS

    library = Library.load()
    seen: list[int] = []
    real = difflib.SequenceMatcher

    def spy(isjunk, a, b):
        seen.append(len(a))
        return real(isjunk, a, b)

    monkeypatch.setattr(difflib, "SequenceMatcher", spy)
    assert library.suggest("reluu" * 20_000) == []  # 100 kB typed
    assert seen and max(seen) <= MAX_SUGGEST_CHARS
    longest = max(len(k) for k, _ in library.catalog.names())
    assert longest <= MAX_SUGGEST_CHARS  # the cap cuts no name
    assert library.suggest("sigmiod")[:1] == ["sigmoid"]


def test_a_huge_name_is_echoed_once_and_short():
    result = CliRunner().invoke(main, ["show", "q" * 100_000])
    assert result.exit_code == 1
    assert len(result.stderr) < 400
    assert result.stderr.count("q" * 50) == 1


def test_search_on_a_huge_query_is_bounded(monkeypatch):
    """A 100 kB word is normalised a few times, not once per name (8 s), and its typo
    correction compares at most MAX_SUGGEST_CHARS of it; a pasted page of 2 000 words
    queries the index for at most MAX_QUERY_WORDS of them (it took over a minute)."""
    import difflib

    import dlref.cards.search as search
    from dlref.cards.library import MAX_SUGGEST_CHARS

    library = Library.load()
    long_inputs: list[int] = []
    real_normalize = search.normalize

    def count_normalize(text: str) -> str:
        if len(text) > 1000:
            long_inputs.append(len(text))
        return real_normalize(text)

    compared: list[int] = []
    real_close = difflib.get_close_matches

    def spy_close(word, *args, **kwargs):
        compared.append(len(word))
        return real_close(word, *args, **kwargs)

    monkeypatch.setattr(search, "normalize", count_normalize)
    monkeypatch.setattr(difflib, "get_close_matches", spy_close)
    assert search.search(library, "reluu" * 20_000) == []
    assert 0 < len(long_inputs) <= 5 < len(library.catalog.names())
    assert compared and max(compared) <= MAX_SUGGEST_CHARS

    queried: list[str] = []
    real_cards_with = search.Index.cards_with

    def spy_cards_with(self, word):
        queried.append(word)
        return real_cards_with(self, word)

    monkeypatch.setattr(search.Index, "cards_with", spy_cards_with)
    words = [f"xq{i}" for i in range(2000)]
    assert search.search(library, " ".join(words)) == []
    assert not set(queried) & set(words[search.MAX_QUERY_WORDS:])  # (or their corrections)
    assert len(queried) <= 3 * search.MAX_QUERY_WORDS + 2  # ranked, corrected, ranked again


@pytest.mark.parametrize("args", [["search"], ["glossary"], ["list", "--tag"]])
def test_a_huge_query_is_echoed_once_and_short(args):
    result = run(*args, "q" * 100_000)
    assert result.exit_code == 1
    assert len(result.stderr) < 400
    assert result.stderr.count("q" * 50) == 1


def test_an_unreadable_file_is_one_notice(tmp_path: Path, monkeypatch):
    """Tests run as root here, where chmod 000 does not stop a read: the refusal is simulated
    at os.open, the one place a card file is opened."""
    import dlref.cards.parse as parse

    cards = tmp_path / "cards"
    cards.mkdir()
    good = (Path(__file__).parent / "fixtures" / "cards" / "alpha-unit.md").read_text()
    (cards / "alpha-unit.md").write_text(good)
    (cards / "secret.md").write_text(good.replace("alpha-unit", "secret"))
    real_open = os.open

    def deny(path, flags, *args):
        if str(path).endswith("secret.md"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *args)

    monkeypatch.setattr(parse.os, "open", deny)
    library = Library.load([(cards, False)], use_cache=False)
    assert [str(e) for e in library.errors] == [f"{cards / 'secret.md'}:1: cannot read: "
                                                "Permission denied"]
    assert [e.said_in("zh") for e in library.errors] == ["无法读取：没有权限"]
    assert "alpha-unit" in library.cards


def test_an_unlistable_directory_is_one_notice(tmp_path: Path, monkeypatch):
    import dlref.cards.library as library_module

    locked = tmp_path / "locked"
    locked.mkdir()
    monkeypatch.setattr(library_module.os, "access", lambda path, mode: Path(path) != locked)
    library = Library.load([(bundled_dir(), True), (locked, False)], use_cache=False)
    assert [e.message for e in library.errors] == ["cannot list this directory (permission "
                                                   "denied)"]
    assert "relu" in library.cards


def test_the_cache_keeps_the_latest_content_sets(tmp_path: Path, fixture_cards: Path):
    sets = []
    for i in range(MAX_SETS + 1):
        where = tmp_path / f"set{i}"
        where.mkdir()
        (where / "alpha-unit.md").write_text((fixture_cards / "alpha-unit.md").read_text())
        sets.append([(where, False)])
        Library.load(sets[-1])
    assert not catalog_file(sets[0]).exists()  # the oldest went
    for dirs in sets[1:]:
        assert str(dirs[0][0] / "alpha-unit.md") in stored(dirs)


@pytest.mark.parametrize(("digits", "piece"), [
    (40, "an integer of 40 digits is outside the 64-bit range TOML allows"),
    (5000, "invalid TOML front matter: Exceeds the limit (4300 digits)"),
])
def test_huge_integers_are_problems_not_crashes(tmp_path: Path, digits: int, piece: str):
    path = tmp_path / "big.md"
    path.write_text(f'+++\nid = "big"\ntags = ["x"]\ndemo_set = {{ n = {"1" * digits} }}\n'
                    '[title]\nen = "Big"\n+++\n\n::: en\n## Definition {#definition}\nx\n:::\n')
    card, errors = load_card(path, bundled=False)
    assert [e.message for e in errors if piece in e.message], errors


def test_front_matter_marshal_refuses_is_read_from_the_file(tmp_path: Path, fixture_cards: Path):
    """Front matter nested past marshal's depth gets no row data: the card is read from its
    file when used, and nothing raises."""
    from dlref.cards.catalog import _front

    source = fixture_cards / "alpha-unit.md"
    card, problems = load_card(source, bundled=False)
    assert card is not None and not problems
    nested: list = []
    for _ in range(3000):
        nested = [nested]
    card.demo_set = {"deep": nested}
    assert _front(card) is None
    catalog = Catalog(None)
    stat = source.stat()
    catalog._write([], [((str(source), False, stat.st_size, stat.st_mtime_ns), card, [])])
    again = catalog.cards({str(source): False})[str(source)]
    assert again.id == "alpha-unit" and again.title["en"] == "Alpha unit"
