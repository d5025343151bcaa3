"""The footer at the bottom of the terminal offers only keys that work on the screen showing.

A pop-up (the help, the related cards, the palette) covered the main screen but not its footer,
which went on offering `l Language`, `1 2 3 Tabs`, `n Next` (and, after `3` `Esc` `F1`,
`esc Leave the input`, though Esc closes the help): none of them does anything there.
"""

from __future__ import annotations

import pytest
from textual.widgets import Footer
from tui_helpers import settle

from dlref.cards import Library
from dlref.i18n import t
from dlref.quiz.store import Store
from dlref.tui.app import DlrefApp


@pytest.fixture
def app(tmp_path) -> DlrefApp:
    return DlrefApp(start_card="relu", store=Store.open(tmp_path / "progress.sqlite3"),
                    library=Library.load(), seed=3, remember=False)


def shown_footer(app: DlrefApp) -> Footer:
    """The footer the learner sees: the top screen's, else the one of the screen under it
    (a pop-up without a footer of its own leaves the main screen's in view)."""
    for screen in reversed(app.screen_stack):
        footers = screen.query(Footer)
        if footers:
            return footers.first()
    raise AssertionError("no footer")


def footer_keys(app: DlrefApp) -> list[tuple[str, str]]:
    """The footer's keys as shown, in order: (key, what it does); a group's keys have none."""
    return [(key.key_display, str(key.description))
            for key in shown_footer(app).query("FooterKey")]


async def footer_settled(pilot) -> None:
    """The footer recomposes after a refresh: give it the frames to do so."""
    for _ in range(3):
        await pilot.pause()


def words(lang: str, *keys: str) -> set[str]:
    return {t(f"app.key.{key}", lang) for key in keys}


POP_UPS = {  # keys that open it → what its footer offers (catalogue ids)
    "help": (("f1",), {"close", "quit"}),
    "help-question-mark": (("question_mark",), {"close", "quit"}),
    "help-after-quiz": (("3", "escape", "f1"), {"close", "quit"}),
    "related": (("r",), {"open", "close", "quit", "help"}),
    "palette": (("ctrl+p",), {"close", "quit"}),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("pop_up", POP_UPS)
async def test_a_pop_up_shows_only_its_own_keys(app: DlrefApp, pop_up: str, lang: str):
    keys, expected = POP_UPS[pop_up]
    async with app.run_test(size=(80, 24)) as pilot:
        app.lang = lang
        await settle(pilot, app)
        main = {what for _, what in footer_keys(app)}
        assert words(lang, "lang", "next") <= main
        await pilot.press(*keys)
        await settle(pilot, app)
        await footer_settled(pilot)
        assert app.screen is not app.screen_stack[0]  # the pop-up is open
        shown = footer_keys(app)
        assert {what for _, what in shown} == words(lang, *expected)
        assert all(key.region.right <= 80 for key in shown_footer(app).query("FooterKey"))
        assert ("esc", t("app.key.back", lang)) not in shown
