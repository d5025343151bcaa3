"""Keys found to trap or mislead a learner in an audit of the app, driven by Pilot."""

from __future__ import annotations

import pytest
from textual.widgets import Input
from tui_helpers import settle

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


async def test_the_answer_box_goes_at_the_end_of_a_round_and_comes_back(app: DlrefApp):
    """At the round's end an empty, disabled "your answer" box stayed under the summary, as if
    it waited for an answer; it leaves with the last question and returns with the next round."""
    from dlref.tui.widgets.quiz_view import QuizView

    async with app.run_test(size=(100, 30)) as pilot:
        app.open_card("relu")
        await settle(pilot, app)
        await pilot.press("3")
        await settle(pilot, app)
        quiz = app.query_one(QuizView)
        box = app.query_one("#quiz-answer", Input)
        for _ in range(len(quiz.session.questions)):
            assert box.display and app.focused is box
            box.value = "skip"
            await pilot.press("enter")
            await pilot.pause()
        assert quiz.question is None  # the summary
        assert not box.display
        assert app.focused is quiz  # the keys work: n for another round
        await pilot.press("n")
        await settle(pilot, app)
        assert quiz.question is not None and box.display and app.focused is box


def shown_keys(app: DlrefApp) -> dict[str, str]:
    """The footer's keys where the focus is: key → description."""
    return {b.key: b.description for _, b, enabled, _ in app.screen.active_bindings.values()
            if b.show and enabled}


async def test_an_open_choice_list_names_its_escape_key_in_the_language(app: DlrefApp):
    """A choice knob's open list showed Textual's "esc Dismiss menu" in the footer, English
    under --lang zh."""
    from textual.widgets import Select

    async with app.run_test(size=(100, 30)) as pilot:
        app.lang = "zh"
        app.open_card("gradient-descent")
        await pilot.press("2")
        await settle(pilot, app)
        select = app.query_one("#knob-optimizer", Select)
        app.screen.set_focus(select)
        await pilot.press("enter")
        await pilot.pause()
        assert select.expanded
        keys = shown_keys(app)
        assert keys["escape"] == t("app.key.dismiss-menu", "zh")
        assert [d for d in keys.values() if any(c.isascii() and c.isalpha() for c in d)] == []
        app.lang = "en"
        await settle(pilot, app)
        assert shown_keys(app)["escape"] == t("app.key.dismiss-menu", "en")
        await pilot.press("escape")
        await pilot.pause()
        assert not select.expanded and app.focused is select


async def test_back_skips_cards_that_are_gone_since_the_last_run(tmp_path):
    """A remembered history naming a card deleted or renamed since made `[` stop at it with
    "No card named …", once per such card, before reaching a card that exists."""
    from dlref import state as saved

    path = tmp_path / "state.json"
    saved.save(saved.AppState(card="relu", history=["sigmoid", "gone-card", "old-name",
                                                     "sigmoid", "tanh", "gone-card", "relu"]),
               path)
    app = DlrefApp(store=Store.open(tmp_path / "progress.sqlite3"), library=Library.load(),
                   seed=3, state_path=path)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert app.card.id == "relu"
        await pilot.press("left_square_bracket")
        await settle(pilot, app)
        assert app.card.id == "tanh"
        await pilot.press("left_square_bracket")
        await settle(pilot, app)
        assert app.card.id == "sigmoid"
        assert not any("gone-card" in n.message or "old-name" in n.message
                       for n in app._notifications)
