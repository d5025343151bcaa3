"""How the app looks: the three tabs at 100×30 (SVG snapshots; `--snapshot-update` to accept)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from dlref.cards import Library
from dlref.quiz.store import Store
from dlref.tui.app import DlrefApp
from dlref.tui.widgets.demo_view import DemoView


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


def test_card_tab(snap_compare, make_app):
    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=wait_for_workers)


def test_demo_tab(snap_compare, make_app):
    async def open_demo(pilot) -> None:
        await pilot.press("2")
        demo = pilot.app.query_one(DemoView)
        for _ in range(200):  # loading the knobs starts the computing worker: wait for both
            await wait_for_workers(pilot)
            if demo.result is not None:
                break
            await asyncio.sleep(0.01)
        await wait_for_workers(pilot)

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=open_demo)


def test_quiz_tab(snap_compare, make_app):
    async def open_quiz(pilot) -> None:
        await pilot.press("3")
        await wait_for_workers(pilot)

    assert snap_compare(make_app(), terminal_size=(100, 30), run_before=open_quiz)
