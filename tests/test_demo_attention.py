"""attention demo: the heatmap is a real attention matrix, its shades follow the weights; the
mask, the √d_k and the temperature do what the card says."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_demos_all import assert_finite, knob_cases

from dlref.demos import get

DEMO = get("attention")


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))


def heat(result) -> np.ndarray:
    return np.array([row[1:] for row in result.tables[1].rows], dtype=float)


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_and_choice_is_finite(knob, value):
    assert_finite(_run(**{knob: value}))


def test_heatmap_is_the_softmax_of_the_scaled_scores():
    """Recompute the weights from the same random q, k (same seed, same draws) with plain NumPy."""
    d_k = 16
    result = _run(3, d_k=d_k)
    rng = np.random.default_rng(3)
    q, k = rng.standard_normal((8, d_k)), rng.standard_normal((8, d_k))
    s = q @ k.T / math.sqrt(d_k)
    w = np.exp(s) / np.exp(s).sum(1, keepdims=True)
    np.testing.assert_allclose(heat(result), w, atol=5e-4)  # the table keeps 4 significant figures
    np.testing.assert_allclose(heat(result).sum(1), 1.0, atol=5e-3)


def test_causal_weights_are_zero_above_the_diagonal():
    result = _run(causal=True)
    w = heat(result)
    assert np.all(w[np.triu_indices(8, 1)] == 0.0)
    assert np.all(w[np.tril_indices(8)] > 0.0)
    assert list(w[0]) == [1.0] + [0.0] * 7
    assert result.metrics["masked"] == 28
    row = result.tables[2].rows  # query 5: keys 6 and 7 are masked
    assert [r[2]["en"] for r in row[6:]] == ["masked", "masked"]
    assert all(r[2]["zh"] == "被掩蔽" for r in row[6:])
    assert any("Causal" in n for n in result.notes["en"])
    assert np.all(heat(_run(causal=False)) > 0.0)


def test_without_scaling_softmax_saturates_as_d_k_grows():
    unscaled = [_run(d_k=d, scaled=False).metrics for d in (4, 64, 512)]
    scaled = [_run(d_k=d, scaled=True).metrics for d in (4, 64, 512)]
    # unscaled: the score spread grows like √d_k, rows approach one-hot, the gradient dies
    assert unscaled[0]["score_std"] < unscaled[1]["score_std"] < unscaled[2]["score_std"]
    assert unscaled[2]["score_std"] == pytest.approx(math.sqrt(512), rel=0.2)
    assert unscaled[2]["max_weight"] > 0.999 and unscaled[2]["entropy"] < 0.01
    assert unscaled[2]["grad_norm"] < 1e-6
    # scaled: the spread stays near 1 whatever d_k, the weights stay soft
    for m in scaled:
        assert 0.6 < m["score_std"] < 1.5
        assert m["entropy"] > 0.5 and m["grad_norm"] > 0.01
    assert any("saturates" in n for n in _run(d_k=512, scaled=False).notes["en"])


def test_temperature_flattens_and_sharpens():
    entropy = [_run(temperature=t).metrics["entropy"] for t in (0.1, 1.0, 10.0)]
    assert entropy[0] < entropy[1] < entropy[2]
    assert entropy[2] == pytest.approx(math.log(8), abs=0.05)  # nearly uniform over 8 keys


def test_query_knob_picks_the_row():
    result = _run(query=2)
    np.testing.assert_allclose([r[3] for r in result.tables[2].rows], heat(result)[2])
    assert result.plots[0].series[0].y == pytest.approx(list(heat(result)[2]), abs=5e-4)


def shades(result) -> list[str]:
    """The shade heatmap's rows, one glyph per key (each key takes two columns)."""
    return [row[1][::2] for row in result.tables[0].rows]


def _glyph(w: float) -> str:
    """The legend of the table's title, applied by hand: steps at 0.04, 0.16, 0.36, 0.64."""
    if w == 0.0:
        return " "
    return "·░▒▓█"[sum(w >= edge for edge in (0.04, 0.16, 0.36, 0.64))]


@pytest.mark.parametrize("values", [{}, {"causal": True}, {"d_k": 512, "scaled": False},
                                    {"temperature": 10.0}, {"temperature": 0.1, "seed": 4}])
def test_shades_follow_the_weights_and_their_legend(values):
    knobs = {k: v for k, v in values.items() if k != "seed"}
    result = _run(values.get("seed", 0), **knobs)
    w = result.tables[1].rows
    assert shades(result) == ["".join(_glyph(float(x)) for x in row[1:]) for row in w]
    for row in result.tables[0].rows:  # two columns per key, so the matrix looks square
        assert len(row[1]) == 16 and row[1] == "".join(c * 2 for c in row[1][::2])


def test_shades_show_the_causal_triangle_and_saturation():
    causal = shades(_run(causal=True))
    assert [row[i + 1:] for i, row in enumerate(causal)] == [" " * (7 - i) for i in range(8)]
    assert all(" " not in row[:i + 1] for i, row in enumerate(causal))
    saturated = shades(_run(d_k=512, scaled=False))
    assert sum(row.count("█") == 1 for row in saturated) >= 6  # one-hot rows, one dark cell
    assert all(set(row) == {"░"} for row in shades(_run(temperature=10.0)))  # all ≈ 1/8
