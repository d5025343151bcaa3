"""The attention/Transformer demos in the app: the heatmap (shades and numbers) shows and follows
its knobs, and no demo text would be misread as Rich markup ("[" before a letter)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from test_demos_all import knob_cases
from textual.widgets import DataTable
from tui_helpers import settle

from dlref import demos
from dlref.cards import Library
from dlref.quiz.store import Store
from dlref.tui.app import DlrefApp
from dlref.tui.widgets.demo_view import DemoView

NEW = ("attention", "positional-encoding", "normalization", "residual", "transformer-block")
MARKUP = re.compile(r"\[[a-z#/@]")


def heatmap(app: DlrefApp) -> np.ndarray:
    """The weights as numbers: the second table (the first is their shades)."""
    grid = list(app.query(".demo-table").results(DataTable))[1]
    return np.array([[float(str(grid.get_cell_at((r, c)))) for c in range(1, 9)]
                     for r in range(grid.row_count)])


def shades(app: DlrefApp) -> list[str]:
    """The shade heatmap as drawn, one glyph per key (two columns each)."""
    grid = list(app.query(".demo-table").results(DataTable))[0]
    return [str(grid.get_cell_at((r, 1)))[::2] for r in range(grid.row_count)]


async def test_causal_card_opens_the_masked_heatmap_and_the_switch_unmasks_it(tmp_path):
    app = DlrefApp(store=Store.open(tmp_path / "p.sqlite3"), library=Library.load())
    async with app.run_test(size=(130, 45)) as pilot:
        app.open_card("causal-attention")
        await settle(pilot, app)
        await pilot.press("2")
        await settle(pilot, app)
        demo = app.query_one(DemoView)
        assert demo.values["causal"] is True  # the card's demo_set
        w = heatmap(app)
        assert w.shape == (8, 8) and np.all(w[np.triu_indices(8, 1)] == 0)
        assert [row[i + 1:] for i, row in enumerate(shades(app))] == [" " * (7 - i)
                                                                      for i in range(8)]
        app.query_one("#knob-causal").value = False
        await settle(pilot, app)
        assert demo.values["causal"] is False
        assert np.all(heatmap(app) > 0)
        assert all(" " not in row for row in shades(app))


@pytest.mark.parametrize("name", NEW)
def test_demo_text_is_safe_for_rich_markup(name):
    demo = demos.get(name)
    for knob, value in [(None, None), *knob_cases(demo)]:
        values = demo.defaults() | ({} if knob is None else {knob: value})
        r = demo.run(values, np.random.default_rng(0))
        texts = [t for p in r.plots for t in p.title.values()]
        texts += [t for tab in r.tables for t in tab.title.values()]
        texts += [str(c) for tab in r.tables for c in tab.columns]
        texts += [str(c) for tab in r.tables for row in tab.rows for c in row]
        texts += [n for notes in r.notes.values() for n in notes]
        assert not [t for t in texts if MARKUP.search(t)], (knob, value)
