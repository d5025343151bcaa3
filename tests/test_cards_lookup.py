"""Finding a card: id, alias in any language, width/case/separators, prefix, suggestions."""

from __future__ import annotations

from pathlib import Path

import pytest

from dlref.cards import Library

FIX = Path(__file__).parent / "fixtures" / "cards"


@pytest.fixture(scope="module")
def library() -> Library:
    return Library.load([(FIX, False)])


@pytest.mark.parametrize(
    "name",
    ["alpha-unit", "Alpha Unit", "ALPHA_UNIT", "first fixture", "First-Fixture", "ａｕ", "第一单元",
     "阿尔法单元", "alpha"],
)
def test_names_find_alpha(library: Library, name: str):
    assert library.find(name).id == "alpha-unit"


def test_ambiguous_prefix_and_unknown_find_nothing(library: Library):
    assert library.find("zzz") is None
    assert library.find("") is None
    assert library.find("   ") is None


def test_suggestions_cover_near_misses(library: Library):
    assert library.suggest("alpah-unit")[0] == "alpha-unit"
    assert library.suggest("secnod fixture")[0] == "beta-rate"
    assert library.suggest("qqqqqqq") == []


def test_search_ranks_names_above_text(library: Library):
    from dlref.cards.search import search

    hits = search(library, "alpha")
    assert hits[0].card.id == "alpha-unit"
    zh = search(library, "奇数")
    assert [h.card.id for h in zh] == ["alpha-unit"]
    assert "奇数" in zh[0].snippet and zh[0].lang == "zh"
    assert search(library, "alpha nonexistentword") == []




def test_search_takes_the_snippet_in_the_learners_language_when_both_match():
    """`relu` is in both languages of the ReLU card: the snippet follows `lang`; an English
    phrase found only in English stays English whatever `lang` is."""
    from dlref.cards.search import search

    bundled = Library.load()
    for lang in ("en", "zh"):
        hit = search(bundled, "relu", lang=lang)[0]
        assert hit.card.id == "relu" and hit.lang == lang
        assert any("\u4e00" <= ch <= "\u9fff" for ch in hit.snippet) == (lang == "zh")
    assert search(bundled, "vanishing gradient", lang="zh")[0].lang == "en"
