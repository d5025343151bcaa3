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
from dlref.tui.app import DlrefApp


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
