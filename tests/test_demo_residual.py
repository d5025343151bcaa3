"""residual demo: with depth 50 the gradient survives with skip connections and vanishes without;
the numbers are the real backward pass, checked against finite differences."""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import numerical_grad
from test_demos_all import assert_finite, knob_cases

from dlref.demos import get
from dlref.demos.residual import WIDTH, _grad_norms
from dlref.nn.activations import ACTIVATIONS

DEMO = get("residual")


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_and_choice_is_finite(knob, value):
    assert_finite(_run(**{knob: value}))


def test_depth_50_residual_survives_plain_vanishes():
    result = _run(depth=50)
    m = result.metrics
    assert m["plain_input_grad"] < 1e-20
    assert 0.1 < m["residual_input_grad"] < 10
    rows = result.tables[0].rows
    assert rows[0][0] == 0 and rows[-1][0] == 50
    assert rows[-1][1:] == [1.0, 1.0]  # the loss's gradient at the top has norm 1
    assert rows[0][1] == pytest.approx(m["plain_input_grad"], rel=1e-2)
    assert any("vanished" in n for n in result.notes["en"])


def test_the_gap_grows_with_depth():
    plain = [_run(depth=d).metrics["plain_input_grad"] for d in (5, 20, 50)]
    assert plain[0] > plain[1] > plain[2]
    assert all(0.1 < _run(depth=d).metrics["residual_input_grad"] < 10 for d in (5, 20, 50))


def test_residual_is_not_free_with_large_relu_weights():
    result = _run(depth=50, activation="relu", weight_scale=2.0)
    assert result.metrics["residual_input_grad"] > 100
    assert any("not make depth free" in n for n in result.notes["en"])
    tamed = _run(depth=50, activation="relu", weight_scale=2.0, layer_norm=True)
    assert tamed.metrics["residual_input_grad"] < result.metrics["residual_input_grad"] / 100


@pytest.mark.parametrize("norm", [False, True])
def test_gradient_norms_match_finite_differences(norm):
    """‖∂L/∂x‖ at the input from the demo's backward = the norm of a numerical gradient."""
    rng = np.random.default_rng(1)
    weights = [rng.standard_normal((WIDTH, WIDTH)) / 4 for _ in range(3)]
    x, g = rng.standard_normal((2, WIDTH)), rng.standard_normal((2, WIDTH))
    both, _ = _grad_norms(weights, x, g, "tanh", norm)
    f = ACTIVATIONS["tanh"][0]

    def loss(residual):
        from dlref.nn import layer_norm_forward
        h = x
        for w in weights:
            u = layer_norm_forward(h, np.ones(WIDTH), np.zeros(WIDTH))[0] if norm else h
            h = h + f(u @ w.T) if residual else f(u @ w.T)
        return float(np.sum(h * g))

    for norms, residual in zip(both, (False, True), strict=True):
        numeric = numerical_grad(lambda r=residual: loss(r), x)
        assert norms[0] == pytest.approx(np.linalg.norm(numeric), rel=1e-6)
        assert norms[-1] == pytest.approx(np.linalg.norm(g))
    assert both[0][0] != pytest.approx(both[1][0])
