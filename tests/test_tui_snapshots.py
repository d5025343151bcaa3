"""How the app looks: each tab in English, Chinese and both, at 80×24 and 120×40 (SVG
snapshots; `pytest --snapshot-update` to accept a deliberate change, then look at them)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from dlref.cards import Library
from dlref.quiz.store import Store
from dlref.tui.app import DlrefApp
from dlref.tui.widgets.demo_view import DemoView

SIZES = [(80, 24), (120, 40)]
LANGS = ["en", "zh", "both"]


@pytest.fixture
def make_app(tmp_path: Path):
    def make() -> DlrefApp:
        store = Store.open(tmp_path / "progress.sqlite3")
        return DlrefApp(start_card="relu", store=store, library=Library.load(), seed=1,
                        blink=False)

    return make


async def wait_for_workers(pilot) -> None:
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_for_demo(pilot) -> None:
    demo = pilot.app.query_one(DemoView)
    for _ in range(200):  # loading the knobs starts the computing worker: wait for both
        await wait_for_workers(pilot)
        if demo.result is not None:
            break
        await asyncio.sleep(0.01)
    await wait_for_workers(pilot)


def opener(tab: str, lang: str):
    async def run_before(pilot) -> None:
        pilot.app.lang = lang
        await wait_for_workers(pilot)
        await pilot.press({"card": "1", "demo": "2", "quiz": "3"}[tab])
        if tab == "demo":
            await wait_for_demo(pilot)
        await wait_for_workers(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("tab", ["card", "demo", "quiz"])
def test_tab(snap_compare, make_app, tab, lang, size):
    assert snap_compare(make_app(), terminal_size=size, run_before=opener(tab, lang))


@pytest.fixture
def dropout_app(tmp_path: Path):
    store = Store.open(tmp_path / "progress.sqlite3")
    return DlrefApp(start_card="dropout", store=store, library=Library.load(), seed=1,
                    blink=False)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_plot_with_legend(snap_compare, dropout_app, size):
    """The dropout demo: four lines, the legend below them, the title above."""
    assert snap_compare(dropout_app, terminal_size=size, run_before=opener("demo", "en"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_help_screen(snap_compare, make_app, lang, size):
    async def run_before(pilot) -> None:
        await opener("card", lang)(pilot)
        await pilot.press("f1")
        await pilot.pause()

    assert snap_compare(make_app(), terminal_size=size, run_before=run_before)
