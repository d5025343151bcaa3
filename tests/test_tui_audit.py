"""Defects found in a keyboard-only audit of the app (en, zh and both; 120×40 and 80×24),
driven by Pilot."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList
from tui_helpers import settle

from dlref.cards import Library
from dlref.i18n import t
from dlref.quiz.store import Store
from dlref.text.width import width_of
from dlref.text.wrap import NO_LINE_START
from dlref.tui.app import DlrefApp
from dlref.tui.screens.help import HelpScreen


@pytest.fixture
def app(tmp_path) -> DlrefApp:
    return DlrefApp(start_card="relu", store=Store.open(tmp_path / "progress.sqlite3"),
                    library=Library.load(), seed=3, remember=False)


@pytest.mark.parametrize(("lang", "size"), [("en", (80, 24)), ("zh", (80, 24)),
                                            ("zh", (120, 40))])
async def test_a_search_with_no_match_says_did_you_mean_in_full(app: DlrefApp, lang: str,
                                                                size: tuple[int, int]):
    """A misspelt search said "No card matches; did you mean:" on one line of the narrow card
    list, cut to "No card matches;…" (Chinese: "…你是不是想…"): the suggestions below it
    came without the question."""
    async with app.run_test(size=size) as pilot:
        app.lang = lang
        await settle(pilot, app)
        await pilot.press("slash", "r", "l", "e", "u")
        await settle(pilot, app)
        cards = app.query_one("#cards", OptionList)
        said = cards.get_option_at_index(0)
        assert said.disabled and cards.get_option_at_index(1).id == "relu"
        lines = str(said.prompt).split("\n")
        assert lines == [t("app.no-match", lang), t("app.did-you-mean", lang)]
        room = cards.scrollable_content_region.width - 2  # the option's own padding
        assert all(width_of(line) <= room for line in lines), (lines, room)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_help_breaks_chinese_lines_by_the_cjk_rules(app: DlrefApp,
                                                              size: tuple[int, int]):
    """The help's Chinese was wrapped by Textual, at spaces or anywhere: at 80 columns the knob
    paragraph put "；" at the start of a line ("或从选项中选择" / "；不合法的值…"). It is broken
    as the cards and the CLI are: no line starts with closing punctuation."""
    async with app.run_test(size=size) as pilot:
        app.lang = "zh"
        await settle(pilot, app)
        await pilot.press("f1")
        await settle(pilot, app)
        assert isinstance(app.screen, HelpScreen)
        lines = []
        for what in app.screen.query(".help-what"):
            lines += [strip.text.strip() for strip in what.render_lines(what.content_region
                                                                         .reset_offset)]
        lines = [line for line in lines if line]
        assert any("旋钮在左侧" in line for line in lines)  # the knob paragraph is there
        assert not [line for line in lines if line[0] in NO_LINE_START], lines


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_narrow_card_list_shows_a_titles_main_name_rather_than_cut_it(app: DlrefApp,
                                                                              lang: str):
    """At 80 columns the list is 20 wide: "GELU（高斯误差线性单元）" was cut to "GELU（高斯误…";
    it shows "GELU", the name before the bracket. A wide list shows whole titles again."""
    async with app.run_test(size=(80, 24)) as pilot:
        app.lang = lang
        await settle(pilot, app)
        cards = app.query_one("#cards", OptionList)
        room = cards.scrollable_content_region.width - 2  # the list's width, less the indent
        options = [cards.get_option_at_index(i) for i in range(cards.option_count)]
        shown = {o.id: str(o.prompt).strip() for o in options if not o.id.startswith("tag:")}
        titles = {k: app.library.cards[k].title_in(lang) for k in shown}
        assert width_of(titles["gelu"]) > room and shown["gelu"] == "GELU"
        fits = [k for k in shown if width_of(titles[k]) <= room]
        assert fits and all(shown[k] == titles[k] for k in fits)  # whole where it fits
        await pilot.resize_terminal(160, 40)
        await settle(pilot, app)
        wide = cards.scrollable_content_region.width - 2
        again = {k: str(cards.get_option_at_index(cards.get_option_index(k)).prompt).strip()
                 for k in shown}
        whole = [k for k in shown if width_of(titles[k]) <= wide]
        assert len(whole) > len(fits) and all(again[k] == titles[k] for k in whole)
