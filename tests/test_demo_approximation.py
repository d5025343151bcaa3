"""approximation demo: the least-squares fit, error falling with width, the step's slow error."""

from __future__ import annotations

import numpy as np
import pytest
from test_demos_all import assert_finite, knob_cases

from dlref.demos import get

DEMO = get("approximation")


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_and_choice_is_finite(knob, value):
    assert_finite(_run(**{knob: value}))


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
@pytest.mark.parametrize("target", ["sin", "abs", "step"])
def test_error_never_grows_with_width(activation, target):
    """Wider networks contain the narrower ones, so the least-squares error cannot rise."""
    rows = _run(activation=activation, target=target).tables[0].rows
    widths = [r[0] for r in rows]
    assert widths == sorted(widths) and widths[0] == 1 and widths[-1] == 64
    mse = [r[1] for r in rows]
    assert all(b <= a * 1.001 + 1e-12 for a, b in zip(mse, mse[1:], strict=False))


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_wide_layer_fits_sine(activation):
    result = _run(activation=activation, hidden=64)
    target, fit = result.plots[0].series
    x = np.array(target.x)
    np.testing.assert_allclose(target.y, np.sin(x), atol=1e-12)
    assert np.max(np.abs(np.array(fit.y) - np.sin(x))) < 0.05
    mse = np.mean((np.array(fit.y) - np.sin(x)) ** 2)
    assert result.metrics["mse"] == pytest.approx(mse)


def test_relu_fit_is_piecewise_linear_with_at_most_n_kinks():
    n = 5
    fit = np.array(_run(activation="relu", hidden=n).plots[0].series[1].y)
    bends = np.abs(np.diff(fit, 2)) > 1e-9
    # a kink between two grid points shows up as at most two non-zero second differences
    assert 0 < bends.sum() <= 2 * n


def test_step_is_harder_than_sine():
    sine = _run(hidden=32, activation="tanh").metrics["mse"]
    step = _run(hidden=32, activation="tanh", target="step").metrics["mse"]
    assert step > 10 * sine
    assert any("discontinuous" in n for n in _run(target="step").notes["en"])


def test_chosen_width_appears_in_table():
    rows = _run(hidden=10).tables[0].rows
    assert 10 in [r[0] for r in rows]


def test_same_seed_same_result():
    assert _run(2).to_dict() == _run(2).to_dict()
    assert _run(2).to_dict() != _run(3).to_dict()
