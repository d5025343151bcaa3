"""The shade heatmap helper: equal bins over low … high, clipping, a glyph for exact zeros, and
cells of several columns; each checked against bins counted by hand."""

from __future__ import annotations

import pytest

from dlref.demos.shades import shade_row


def test_equal_bins_lowest_glyph_first():
    # 5 glyphs over 0 … 1: edges at 0.2, 0.4, 0.6, 0.8; the top value falls in the last bin
    assert shade_row([0.0, 0.19, 0.2, 0.39, 0.4, 0.6, 0.79, 0.8, 1.0], 0.0, 1.0) == "  ░░▒▓▓██"


def test_values_outside_the_range_are_clipped():
    assert shade_row([-5.0, 5.0], -1.0, 1.0) == " █"


def test_zero_glyph_only_for_values_exactly_at_low():
    assert shade_row([0.0, 1e-12, 0.5], 0.0, 1.0, glyphs="·░▒▓█", zero=" ") == " ·▒"
    assert shade_row([0.0, 1e-12], 0.0, 1.0, glyphs="·░▒▓█") == "··"


@pytest.mark.parametrize("cell", [1, 2, 3])
def test_each_value_takes_cell_columns(cell):
    assert shade_row([0.0, 1.0], 0.0, 1.0, cell=cell) == " " * cell + "█" * cell
