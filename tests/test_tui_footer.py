"""The footer at the bottom of the terminal offers only keys that work on the screen showing,
quit and help first.

A pop-up (the help, the related cards, the palette) covered the main screen but not its footer,
which went on offering `l Language`, `1 2 3 Tabs`, `n Next` (and, after `3` `Esc` `F1`,
`esc Leave the input`, though Esc closes the help): none of them does anything there.
"""

from __future__ import annotations

import pytest
from textual.widgets import Footer, Input, Select
from tui_helpers import settle

from dlref.cards import Library
from dlref.i18n import t
from dlref.quiz.store import Store
from dlref.tui.app import DlrefApp
from dlref.tui.widgets.quiz_view import QuizView


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


def answer_keys(app: DlrefApp) -> list[str]:
    """Pilot keys typing the right answer to the question asked."""
    answer = app.query_one(QuizView).question.answer
    text = " ".join(map(str, answer)) if isinstance(answer, list | tuple) else str(answer)
    names = {".": "full_stop", "-": "minus", " ": "space", ",": "comma"}
    return [names.get(ch, ch) for ch in text]


async def after_verdict(pilot, app: DlrefApp) -> None:
    await pilot.press("3")
    await settle(pilot, app)
    await pilot.press(*answer_keys(app), "enter")


async def on_a_knob(pilot, app: DlrefApp) -> None:
    app.open_card("gradient-descent")
    await pilot.press("2")
    await settle(pilot, app)
    app.screen.set_focus(app.query(Input).filter("#knobs Input").first())


async def choice_list_open(pilot, app: DlrefApp) -> None:
    app.open_card("gradient-descent")
    await pilot.press("2")
    await settle(pilot, app)
    app.screen.set_focus(app.query_one("#knob-optimizer", Select))
    await pilot.press("enter")


def pressing(*names: str):
    async def press(pilot, app: DlrefApp) -> None:
        await pilot.press(*names)
    return press


STATES = {  # where the cursor is → how to get there
    "card-list": pressing(),
    "search": pressing("slash"),
    "demo": pressing("2"),
    "knob": on_a_knob,
    "choice-list": choice_list_open,
    "quiz-answer-box": pressing("3"),
    "quiz-verdict": after_verdict,
    "help": pressing("f1"),
    "related": pressing("r"),
    "palette": pressing("ctrl+p"),
}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("state", STATES)
async def test_quit_and_help_come_first_and_fit(app: DlrefApp, state: str, lang: str):
    """After a quiz verdict the footer read `a/h/g/e Grade ^q Quit F1 Help …`: the focused
    widget's keys came first. Quit and help lead on every screen, wherever the cursor is, and
    every key fits at 80 columns."""
    async with app.run_test(size=(80, 24)) as pilot:
        app.lang = lang
        await settle(pilot, app)
        await STATES[state](pilot, app)
        await settle(pilot, app)
        await footer_settled(pilot)
        shown = footer_keys(app)
        quit_help = [("^q", t("app.key.quit", lang)), ("F1", t("app.key.help", lang))]
        if state in ("help", "palette"):  # there F1 is not a key of its own: Esc closes
            quit_help = quit_help[:1]
        assert shown[:len(quit_help)] == quit_help, shown
        assert len(shown) > len(quit_help)  # and the keys of where the cursor is
        for key in shown_footer(app).query("FooterKey, FooterLabel"):
            assert 0 < key.region.width and key.region.right <= 80, (key, key.region)


async def test_the_keys_panel_names_textuals_own_keys_in_chinese(app: DlrefApp):
    """The palette's "Keys" panel lists every key where the cursor is, Textual's own widgets'
    (the card list's Up/Down/First/Last, a scroll's Page Left, the screen's Focus Next, an
    input's Move cursor left…): in Chinese mode they were English."""
    from textual.widgets import KeyPanel

    async with app.run_test(size=(120, 40)) as pilot:
        app.lang = "zh"
        await settle(pilot, app)
        app.action_show_help_panel()
        await settle(pilot, app)
        assert app.screen.query(KeyPanel)
        for focus in ("#cards", "#search"):
            app.screen.set_focus(app.query_one(focus))
            await settle(pilot, app)
            words = [active.binding.description for active in app.screen.active_bindings.values()
                     if active.binding.description and not active.binding.system]
            english = [w for w in words if w.isascii() and any(c.islower() for c in w)]
            assert english == [], focus
            assert {"上移", "光标左移"} & set(words)
        app.screen.set_focus(app.query_one("#cards"))  # the list's own PgUp/PgDn: named too
        await settle(pilot, app)
        assert "卡片向下翻页" in [active.binding.description
                                 for active in app.screen.active_bindings.values()]
