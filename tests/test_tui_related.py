"""The Card tab's related cards from the keyboard: `r` lists them, Enter opens one. They were
underlined links only a mouse could follow (the help said to use Ctrl-P and type the name)."""

from __future__ import annotations

import pytest
from textual.widgets import OptionList, Static
from tui_helpers import settle

from dlref.cards import Library
from dlref.i18n import t
from dlref.quiz.store import Store
from dlref.tui.app import DlrefApp
from dlref.tui.screens.help import HelpScreen, help_rows
from dlref.tui.screens.related import RelatedScreen
from dlref.tui.widgets.sidebar import CardList
from dlref.tui.widgets.wrapped import WrappedText


@pytest.fixture
def app(tmp_path) -> DlrefApp:
    return DlrefApp(start_card="relu", store=Store.open(tmp_path / "progress.sqlite3"),
                    library=Library.load(), seed=3, remember=False)


def listed(app: DlrefApp) -> list[str]:
    options = app.screen.query_one("#related-list", OptionList)
    return [options.get_option_at_index(i).id for i in range(options.option_count)]


async def test_r_lists_the_related_cards_and_enter_opens_one(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        related = app.card.related
        assert len(related) > 2
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RelatedScreen)
        assert listed(app) == related
        assert isinstance(app.focused, OptionList)  # the keys go to the list
        await pilot.press("j", "j", "enter")
        await settle(pilot, app)
        assert not isinstance(app.screen, RelatedScreen)
        assert app.card.id == related[2]
        assert isinstance(app.focused, CardList)  # focus back where it was, not on nothing
        await pilot.press("left_square_bracket")  # the history recorded it
        await settle(pilot, app)
        assert app.card.id == "relu"


@pytest.mark.parametrize("key", ["escape", "r", "q"])
async def test_the_list_closes_without_opening_anything(app: DlrefApp, key: str):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("r")
        await pilot.pause()
        assert isinstance(app.screen, RelatedScreen)
        await pilot.press(key)
        await settle(pilot, app)
        assert app.is_running and not isinstance(app.screen, RelatedScreen)
        assert app.card.id == "relu" and isinstance(app.focused, CardList)


async def test_the_list_speaks_the_app_language(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        app.lang = "zh"
        await settle(pilot, app)
        await pilot.press("r")
        await pilot.pause()
        title = str(app.screen.query_one("#related-title", Static).render())
        assert title == t("app.related.title", "zh", title=app.card.title_in("zh"))
        options = app.screen.query_one("#related-list", OptionList)
        first = app.library.find(app.card.related[0])
        assert str(options.get_option_at_index(0).prompt).startswith(first.title_in("zh"))
        await pilot.press("f5")  # zh → both: the list follows, in one language (English)
        await settle(pilot, app)
        title = str(app.screen.query_one("#related-title", Static).render())
        assert title == t("app.related.title", "en", title=app.card.title_in("en"))


async def test_a_card_without_related_cards_says_so(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.card.related = []
        await pilot.press("r")
        await pilot.pause()
        assert not isinstance(app.screen, RelatedScreen)
        assert app._notifications and list(app._notifications)[-1].message == t(
            "app.no-related", "en", title=app.card.title["en"])


async def test_slash_from_the_list_closes_it_and_searches(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("r")
        await pilot.pause()
        await pilot.press("slash", "e", "l", "u")
        await settle(pilot, app)
        assert not isinstance(app.screen, RelatedScreen)
        assert app.query_one("#search").value == "elu"


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_help_names_the_key_not_the_mouse_only(lang: str):
    rows = help_rows(lang)
    assert ("row", "r", t("help.key.related", lang)) in rows
    card_tab = t("help.tab.card", lang)
    assert "r" in card_tab and "Ctrl-P" not in card_tab


async def test_the_help_screen_shows_the_related_key(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = [what.plain for what in app.screen.query(".help-what").results(WrappedText)]
        assert t("help.key.related", "en") in shown
