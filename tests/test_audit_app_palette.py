"""The command palette in the learner's language: Textual's own prompt, commands and notices
were English (and one notice showed its markup), found in an audit of the app."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest
from textual.command import CommandInput, CommandPalette
from textual.events import DeliveryComplete
from tui_helpers import settle

from dlref.cards import Library
from dlref.i18n import t
from dlref.quiz.store import Store
from dlref.tui.app import DlrefApp

# Words that stay as they are in Chinese text: the program and its commands, a file format,
# key names.
KEEP = {"dlref", "SVG", "Esc", "ctrl", "undo", "demo", "set"}


def english(text: str) -> list[str]:
    return [w for w in re.findall(r"[A-Za-z]{3,}", text) if w not in KEEP]


@pytest.fixture
def app(tmp_path) -> DlrefApp:
    return DlrefApp(store=Store.open(tmp_path / "progress.sqlite3"), library=Library.load(),
                    seed=3, remember=False)


async def test_the_palette_prompt_and_every_command_speak_chinese(app: DlrefApp):
    async with app.run_test(size=(100, 30)) as pilot:
        app.lang = "zh"
        await settle(pilot, app)
        main = app.screen
        commands = list(app.get_system_commands(main))
        assert [(c.title, c.help) for c in commands
                if english(c.title) or english(c.help)] == []
        titles = {c.title for c in commands}
        assert {t("palette.theme", "zh"), t("palette.quit", "zh"),
                t("palette.screenshot", "zh")} <= titles
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(CommandInput).placeholder == t("palette.placeholder", "zh")
        await pilot.press(*"theme")  # its English name still finds it
        await asyncio.sleep(0.3)
        await pilot.press("enter")
        await settle(pilot, app)
        assert isinstance(app.screen, CommandPalette)  # the theme picker
        assert app.screen.query_one(CommandInput).placeholder == t("palette.theme-placeholder",
                                                                   "zh")
        await pilot.press("escape")
        await pilot.pause()
        assert app.screen is main and app.is_running


async def test_the_palette_quit_still_quits(app: DlrefApp):
    async with app.run_test(size=(100, 30)) as pilot:
        app.lang = "zh"
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"quit")
        await asyncio.sleep(0.3)
        await pilot.press("enter")
        await settle(pilot, app)
        assert not app.is_running


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_saved_screenshot_is_said_in_words_not_markup(app: DlrefApp, lang: str):
    async with app.run_test(size=(100, 30)) as pilot:
        app.lang = lang
        await settle(pilot, app)
        app.post_message(DeliveryComplete(key="k", path=Path("/tmp/shot [x].svg"),
                                          name="screenshot"))
        await settle(pilot, app)
        messages = [n.message for n in app._notifications]
        assert not any("[$" in m for m in messages)  # Textual's: "[$text-success]…"
        assert messages == [t("palette.screenshot-saved", lang, path="/tmp/shot [x].svg")]


async def test_the_palettes_first_list_shows_help_lines_literally(app: DlrefApp):
    """Before anything is typed, the palette lists the commands with their help lines as
    written: Back's "[ and ] go back and forth" lost its "[ and ]" to markup."""
    from textual.command import CommandList

    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await asyncio.sleep(0.5)
        await pilot.pause()
        listed = app.screen.query_one(CommandList)
        shown = [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]
        back = [s for s in shown if s.startswith(t("palette.back", "en"))]
        assert back and t("palette.back.help", "en") in back[0], shown


async def listed_prompts(pilot, app: DlrefApp) -> list[str]:
    """The palette's list once its search has finished (the gathering is a worker)."""
    from textual.command import CommandList

    await settle(pilot, app)
    listed = app.screen.query_one(CommandList)
    return [str(listed.get_option_at_index(i).prompt) for i in range(listed.option_count)]


async def test_the_open_palette_speaks_the_new_language_after_f5(app: DlrefApp):
    """F5 with the palette open: its prompt and its list change language with the footer,
    rather than keeping the words it was opened with until it is closed."""
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        before = await listed_prompts(pilot, app)
        assert any(s.startswith(t("palette.back", "en")) for s in before), before
        await pilot.press("f5")  # en → zh
        await pilot.pause()
        assert app.lang == "zh" and isinstance(app.screen, CommandPalette)
        assert app.screen.query_one(CommandInput).placeholder == t("palette.placeholder", "zh")
        after = await listed_prompts(pilot, app)
        assert any(s.startswith(t("palette.back", "zh")) for s in after), after
        await pilot.press(*"back")  # what was typed is searched again in the new language
        await pilot.press("f5")  # zh → both
        typed = await listed_prompts(pilot, app)
        assert app.screen.query_one(CommandInput).value == "back"
        assert any(s.startswith(t("palette.back", "both")) for s in typed), typed


async def test_the_open_theme_picker_speaks_the_new_language_after_f5(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.action_change_theme()
        await settle(pilot, app)
        await pilot.press("f5")
        await pilot.pause()
        assert app.screen.query_one(CommandInput).placeholder == t("palette.theme-placeholder",
                                                                   "zh")


async def test_a_search_that_finds_nothing_says_so_in_the_language(app: DlrefApp):
    """Textual's "No matches found" was English under zh."""
    from textual.command import CommandList

    async with app.run_test(size=(120, 40)) as pilot:
        app.lang = "zh"
        await settle(pilot, app)
        await pilot.press("ctrl+p")
        await pilot.press(*"zzqqxx")
        listed = app.screen.query_one(CommandList)
        for _ in range(50):  # the notice comes after Textual's countdown (half a second)
            await settle(pilot, app)
            if listed.option_count:
                break
            await asyncio.sleep(0.05)
        assert listed.option_count == 1
        shown = str(listed.get_option_at_index(0).prompt)  # the centred notice's repr
        assert t("palette.no-matches", "zh") in shown and "No matches" not in shown, shown
