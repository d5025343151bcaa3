"""Keys found to trap or mislead a learner in an audit of the app, driven by Pilot."""

from __future__ import annotations

import asyncio

import pytest
from textual.widgets import Input

from dlref.cards import Library
from dlref.i18n import t
from dlref.quiz.store import Store
from dlref.tui.app import DlrefApp
from dlref.tui.screens.help import HelpScreen
from dlref.tui.widgets.sidebar import CardList


@pytest.fixture
def app(tmp_path) -> DlrefApp:
    return DlrefApp(store=Store.open(tmp_path / "progress.sqlite3"), library=Library.load(),
                    seed=3, remember=False)


async def settle(pilot, app: DlrefApp) -> None:
    for _ in range(100):
        await pilot.pause()
        if not any(w.is_running for w in app.workers):
            break
        await asyncio.sleep(0.02)
    await pilot.pause()


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_ctrl_c_says_how_to_quit_in_words_not_markup(app: DlrefApp, lang: str):
    """ctrl+c, the reflex for quitting, showed Textual's "Press [b]ctrl+q[/b] to quit the app"
    with its markup printed (the app's notices are literal) and in English under --lang zh."""
    async with app.run_test(size=(100, 30)) as pilot:
        app.lang = lang
        await settle(pilot, app)
        assert isinstance(app.focused, CardList)
        await pilot.press("ctrl+c")
        await pilot.pause()
        assert app.is_running
        messages = [n.message for n in app._notifications]
        assert not any("[b]" in m or "[/b]" in m for m in messages)
        assert "ctrl+q" in messages[-1]
        assert messages[-1] == t("app.ctrl-c", lang)


async def test_slash_on_the_help_screen_closes_it_and_searches(app: DlrefApp):
    """`/` on the help screen put the cursor in the search box hidden behind the help: what the
    learner typed filtered the list unseen, Escape no longer closed the help, and `q` quit
    the app instead of closing the help."""
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("slash", "r", "e", "l", "u")
        await settle(pilot, app)
        assert not isinstance(app.screen, HelpScreen)  # the help is gone: the box is seen
        search = app.query_one("#search", Input)
        assert app.focused is search and search.value == "relu"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.focused, CardList)
        await pilot.press("f1")
        await pilot.pause()
        await pilot.press("q")  # q on the help closes the help, never the app
        await pilot.pause()
        assert app.is_running and not isinstance(app.screen, HelpScreen)
