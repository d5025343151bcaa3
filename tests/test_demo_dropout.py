"""dropout demo: kept fraction ≈ 1 − p, inverted dropout keeps the mean, p = 1 and eval mode."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from test_demos_all import assert_finite as _finite

from dlref.demos import get

DEMO = get("dropout")


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))




def _grid(table) -> np.ndarray:
    return np.array([row[1:] for row in table.rows], dtype=float)


@pytest.mark.parametrize("p,training,size", itertools.product((0.0, 0.3, 1.0), (True, False),
                                                              (2, 12)))
def test_bounds_run_and_are_finite(p, training, size):
    result = _run(p=p, training=training, size=size)
    _finite(result)
    assert _grid(result.tables[1]).shape == (size, size)


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_kept_fraction_and_mean(p):
    m = _run(p=p).metrics
    assert m["kept_fraction"] == pytest.approx(1 - p, abs=0.02)
    assert m["scale"] == pytest.approx(1 / (1 - p))
    assert m["train_mean"] == pytest.approx(m["eval_mean"], rel=0.05)
    assert m["unscaled_mean"] == pytest.approx((1 - p) * m["eval_mean"], rel=0.05)


def test_output_grid_is_input_times_mask_over_keep():
    p = 0.4
    result = _run(p=p, size=6)
    x, mask, y = (_grid(t) for t in result.tables)
    assert set(np.unique(mask)) <= {0.0, 1.0}
    assert np.allclose(y, x * mask / (1 - p), rtol=1e-3)


def test_p_one_gives_zeros_and_a_note():
    result = _run(p=1.0)
    assert not _grid(result.tables[2]).any()
    assert result.metrics["kept_fraction"] == 0
    assert "scale" not in result.metrics
    assert "p = 1" in result.notes["en"][0]


def test_eval_mode_is_identity():
    result = _run(training=False)
    assert np.array_equal(_grid(result.tables[0]), _grid(result.tables[2]))
    assert _grid(result.tables[1]).all()


def test_same_seed_same_result():
    assert _run(seed=2).to_dict() == _run(seed=2).to_dict()


def test_card_presets_are_accepted():  # docs/demo-knobs.md
    assert DEMO.knob("p").check(0) == 0 and DEMO.knob("p").check(1.0) == 1.0


def test_the_grid_shown_is_drawn_like_the_units_whose_means_are_reported():
    """A learner checks "eval mean = input mean" against the input grid on screen: the grid
    comes from the same distribution as the 20 000 units measured, so the two agree."""
    for seed in range(5):
        result = _run(seed, p=0.5, size=12)
        assert abs(_grid(result.tables[0]).mean() - result.metrics["eval_mean"]) < 0.2, seed


def test_p_zero_is_said_to_be_the_identity_not_a_shrink():
    """At p = 0 the note said the mean would shrink by (1 − p) without the rescale: by 1."""
    from dlref import demos

    demo = demos.get("dropout")
    result = demo.run({**demo.defaults(), "p": 0.0}, np.random.default_rng(0))
    for lang in ("en", "zh"):
        text = " ".join(result.notes[lang])
        assert "shrinking" not in text and "缩小" not in text
    assert "identity" in " ".join(result.notes["en"])
    assert "原样输出" in " ".join(result.notes["zh"])
