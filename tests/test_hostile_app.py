"""The app with the hostile-card corpus on DLREF_PATH (issue 17), driven by Pilot: it starts,
shows every bracketed title literally in the sidebar and the palette, opens every card, and no
control character from a card reaches the screen."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from dlref.cards import Library
from dlref.quiz.store import Store
from dlref.tui.app import DlrefApp
from tests.hostile import LOAD_PROBLEMS, LOADS, build, control_in

BRACKETED = {
    "markup-lr": "Cosine schedule [lr=1e-3]",
    "markup-close": "A stray [/] close",
    "markup-click": "[@click=app.quit]Click me[/]",
    "markup-link": "[link=https://example.invalid]A link[/link] [p=0.5]",
}


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> DlrefApp:
    monkeypatch.setenv("DLREF_PATH", str(build(tmp_path / "hostile")))
    return DlrefApp(store=Store.open(tmp_path / "progress.sqlite3"), library=Library.load())


async def settle(pilot) -> None:
    for _ in range(5):
        await pilot.pause()
    await asyncio.sleep(0.05)
    await pilot.pause()


def screen_text(app: DlrefApp) -> str:
    """What is on the screen, as the SVG screenshot's text (control characters would appear
    there as they are)."""
    return app.export_screenshot()


async def test_sidebar_shows_bracketed_titles_literally(app: DlrefApp):
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        cards = app.query_one("#cards")
        prompts = {cards.get_option_at_index(i).id: str(cards.get_option_at_index(i).prompt)
                   for i in range(cards.option_count)}
        for card_id, title in BRACKETED.items():
            shown = prompts[card_id].strip()  # cut to the sidebar's width, else as written
            assert shown == title or (shown.endswith("…") and title.startswith(shown[:-1]))
            assert len(shown) >= 15 and "[" in shown
        assert app.is_running and app.return_code is None
        assert control_in(screen_text(app)) == []


async def test_skipped_card_files_are_a_notice(app: DlrefApp):
    """As in the CLI, the files that could not be loaded are one notice with their count (the
    corpus's unloadable files), not silently missing cards."""
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        notes = [n.message for n in app._notifications if "dlref check" in n.message]
        assert notes == [f"{len(LOAD_PROBLEMS)} content files with errors skipped; "
                         "run `dlref check` for details"]


async def test_bundled_cards_alone_give_no_notice(tmp_path: Path):
    app = DlrefApp(store=Store.open(tmp_path / "progress.sqlite3"), library=Library.load())
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        assert [n.message for n in app._notifications] == []


async def test_every_hostile_card_opens_and_nothing_reaches_the_screen(app: DlrefApp):
    async with app.run_test(size=(140, 45)) as pilot:
        await settle(pilot)
        for card_id in LOADS:
            app.open_card(card_id)
            await settle(pilot)
            assert app.card is not None and app.card.id == card_id
            assert control_in(screen_text(app)) == [], card_id
        app.open_card("[/]no such card[b]")  # a notice with markup in it
        await settle(pilot)
        assert app.is_running and app.return_code is None


async def test_searching_for_brackets_filters_without_crashing(app: DlrefApp):
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("slash")
        await pilot.press(*"[/]")
        await settle(pilot)
        cards = app.query_one("#cards")
        shown = [str(cards.get_option_at_index(i).prompt).strip()
                 for i in range(cards.option_count)]
        assert "A stray [/] close" in shown
        assert app.is_running


async def test_palette_shows_and_opens_a_click_title_without_running_it(app: DlrefApp):
    async with app.run_test(size=(140, 45)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"click me")
        await asyncio.sleep(0.3)
        await settle(pilot)
        assert "[@click=app.quit]Click me[/]" in screen_text(app).replace("&#160;", " ")
        await pilot.press("enter")
        await settle(pilot)
        assert app.is_running and app.card.id == "markup-click"


async def test_palette_discovery_lists_link_titles_literally(app: DlrefApp):
    from dlref.tui.commands import CardProvider

    async with app.run_test(size=(140, 45)):
        provider = CardProvider(app.screen)
        hits = [hit async for hit in provider.discover()]
        prompts = {hit.text for hit in hits}
        assert any(p.startswith(BRACKETED["markup-link"]) for p in prompts)
        link = next(h for h in hits if h.text.startswith(BRACKETED["markup-link"]))
        assert link.prompt.plain.startswith(BRACKETED["markup-link"])  # Content, literal
        assert link.help is None  # help would be parsed as markup by the palette


async def test_a_bad_preset_and_a_bracketed_knob_value_are_messages(app: DlrefApp):
    """A user card's demo_set that `check` rejects opens the demo with its defaults; a knob
    value typed as `[/]` is an error shown literally (both used to crash the app)."""
    async with app.run_test(size=(140, 45)) as pilot:
        app.open_card("bad-preset")
        await pilot.press("2")
        for _ in range(20):
            await pilot.pause()
            if app.query("#knob-xmin"):
                break
            await asyncio.sleep(0.05)
        await settle(pilot)
        assert app.is_running
        assert any("demo_set is not used: activation function cannot be '[/]'" in n.message
                   for n in app._notifications)
        app.query_one("#knob-xmin").focus()
        await pilot.press(*"[/]", "enter")
        await settle(pilot)
        assert app.is_running
        assert "[/]" in str(app.query_one("#error-xmin").render())  # literally, no markup


def test_a_crashed_app_exits_non_zero(monkeypatch, tmp_path: Path):
    """A real (headless) run whose start-up raises: the shell sees exit status 1, not 0."""
    import dlref.tui as tui

    def boom(self) -> None:
        raise RuntimeError("boom")

    real_run = DlrefApp.run
    monkeypatch.setattr(DlrefApp, "on_mount", boom)
    monkeypatch.setattr(DlrefApp, "run", lambda self: real_run(self, headless=True))
    with pytest.raises(SystemExit) as exit_info:
        tui.run(None, Store.open(tmp_path / "progress.sqlite3"))
    assert exit_info.value.code == 1


async def test_quiz_text_in_brackets_is_shown_literally(tmp_path: Path):
    """The quiz's wrapped text (`WrappedText`) never reads a question's text as markup: a
    prompt with `[/]`, `[@click=…]` and `[b]` is shown as typed, at any width."""
    app = DlrefApp(store=Store.open(tmp_path / "progress.sqlite3"), library=Library.load(),
                   seed=3, remember=False)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_card("relu")
        await pilot.press("3")
        await settle(pilot)
        quiz = app.query_one("#quiz-view")
        hostile = " ".join(BRACKETED.values()) + " [b]不是粗体[/b] " + "[/]" * 12
        quiz.question.prompt = {"en": hostile, "zh": hostile}
        app.lang = "zh"  # the question shown again, with the new prompt
        await settle(pilot)
        assert app.is_running
        shown = str(app.query_one("#quiz-prompt").render())
        assert "".join(hostile.split()) in "".join(shown.split())
