"""gradient-flow demo: vanishing with sigmoid, steady with ReLU + Kaiming, exploding when large."""

from __future__ import annotations

import numpy as np
import pytest
from test_demos_all import assert_finite, knob_cases

from dlref.demos import get

DEMO = get("gradient-flow")


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_and_choice_is_finite(knob, value):
    assert_finite(_run(**{knob: value}))


def test_sigmoid_gradients_vanish_towards_the_input():
    result = _run(activation="sigmoid", init="xavier", depth=12)
    log_norms = result.plots[0].series[0].y
    assert len(log_norms) == 12
    assert result.metrics["ratio_first_last"] < 1e-2
    assert log_norms[0] < log_norms[5] < log_norms[-1]
    assert any("Vanishing" in n for n in result.notes["en"])


def test_relu_with_kaiming_keeps_gradients_steady():
    result = _run(activation="relu", init="kaiming", depth=30)
    norms = 10 ** np.array(result.plots[0].series[0].y)
    assert 1e-2 < result.metrics["ratio_first_last"] < 1e2
    assert 1e-2 < norms.min() and norms.max() < 1e2
    assert any("Healthy" in n for n in result.notes["en"])


def test_large_normal_weights_explode():
    tanh = _run(activation="tanh", init="normal", depth=10)
    assert tanh.metrics["ratio_first_last"] > 1e2
    assert any("Exploding" in n for n in tanh.notes["en"])
    relu = _run(activation="relu", init="normal", depth=10)  # explodes in every layer together
    assert relu.metrics["grad_norm_first"] > 1e3
    assert any("Exploding everywhere" in n for n in relu.notes["en"])


def test_norms_match_plot_and_table():
    result = _run(depth=4)
    norms = 10 ** np.array(result.plots[0].series[0].y)
    assert [r[0] for r in result.tables[0].rows] == [1, 2, 3, 4]
    np.testing.assert_allclose([r[1] for r in result.tables[0].rows], norms, rtol=1e-3)
    assert result.metrics["grad_norm_first"] == pytest.approx(norms[0])


def test_weight_scale_scales_relu_gradients():
    """ReLU nets are positively homogeneous: scaling every weight by s scales ‖∂L/∂W₁‖ by
    s^(depth−1) when the loss gradient at the output is (nearly) unchanged (tiny logits)."""
    a = _run(activation="relu", init="kaiming", weight_scale=0.1, depth=4)
    b = _run(activation="relu", init="kaiming", weight_scale=0.2, depth=4)
    ratio = b.metrics["grad_norm_first"] / a.metrics["grad_norm_first"]
    assert ratio == pytest.approx(2.0 ** 3, rel=0.05)


def test_same_seed_same_result():
    assert _run(9).to_dict() == _run(9).to_dict()
