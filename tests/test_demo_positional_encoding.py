"""positional-encoding demo: the tables hold Vaswani et al.'s values (as numbers and as shades),
and the dot product depends on the distance only."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_demos_all import assert_finite, knob_cases

from dlref.demos import get

DEMO = get("positional-encoding")


def _run(**values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(0))


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_and_choice_is_finite(knob, value):
    assert_finite(_run(**{knob: value}))


def test_heatmap_entries_follow_the_formula():
    d = 16
    table = _run(d_model=d).tables[1]
    assert len(table.rows) == 12 and len(table.columns) == 9
    for row in table.rows:
        pos = row[0]
        for j, value in enumerate(row[1:]):
            angle = pos / 10000 ** (2 * (j // 2) / d)
            expected = math.sin(angle) if j % 2 == 0 else math.cos(angle)
            assert value == pytest.approx(expected, abs=5e-4), (pos, j)


@pytest.mark.parametrize(("length", "d", "rows", "cols"), [(32, 16, 32, 16), (128, 128, 32, 64),
                                                            (4, 3, 4, 3)])
def test_shades_follow_the_formula_and_their_legend(length, d, rows, cols):
    table = _run(length=length, d_model=d).tables[0]
    assert len(table.rows) == rows and table.columns[1]["en"] == f"dimension 0 → {cols - 1}"
    for pos, row in table.rows:
        assert len(row) == cols
        for j, glyph in enumerate(row):
            angle = pos / 10000 ** (2 * (j // 2) / d)
            value = math.sin(angle) if j % 2 == 0 else math.cos(angle)
            # the title's legend: blank −1 to −0.6, ░ to −0.2, ▒ to 0.2, ▓ to 0.6, █ to 1
            assert glyph == " ░▒▓█"[sum(value >= e for e in (-0.6, -0.2, 0.2, 0.6))], (pos, j)
    assert table.rows[0][1] == "▒█" * (cols // 2) + "▒" * (cols % 2)  # sin 0 = 0, cos 0 = 1


def test_similarity_depends_on_distance_only():
    d = 32
    a, b = _run(d_model=d, position=0), _run(d_model=d, position=10)
    ya, yb = a.plots[0].series[0].y, b.plots[0].series[0].y
    np.testing.assert_allclose(ya[:len(yb)], yb, atol=1e-12)
    assert ya[0] == pytest.approx(d / 2)
    k = 5  # Σᵢ cos(ωᵢ k), computed by hand
    assert ya[k] == pytest.approx(sum(math.cos(k / 10000 ** (2 * i / d)) for i in range(d // 2)))
    assert a.metrics["shift_spread"] < 1e-10
    assert a.metrics["neighbour_similarity"] < a.metrics["self_similarity"]
    # an odd d_model ends with a lone sine, which does depend on the start
    assert _run(d_model=7).metrics["shift_spread"] > 1e-6


def test_position_past_the_end_is_clamped_and_said():
    result = _run(length=8, position=100)
    assert result.plots[0].series[0].x == [0.0, 1.0]  # from position 6: distances 0 and 1
    assert any("using 6" in n for n in result.notes["en"])
    assert not any("using" in n for n in _run(length=8, position=6).notes["en"])
