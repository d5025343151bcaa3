"""Activations: known values, derivatives against finite differences, stability at extremes."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from gradcheck import assert_grad
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from dlref import nn

RNG = np.random.default_rng(0)


def away_from_zero(shape: tuple[int, ...], rng: np.random.Generator = RNG) -> np.ndarray:
    """Inputs at least 0.05 from the kink at 0, both signs."""
    x = rng.uniform(0.05, 3.0, size=shape)
    return x * rng.choice([-1.0, 1.0], size=shape)


@pytest.mark.parametrize(("f", "df", "kwargs"), [
    (nn.sigmoid, nn.sigmoid_grad, {}),
    (nn.tanh, nn.tanh_grad, {}),
    (nn.relu, nn.relu_grad, {}),
    (nn.leaky_relu, nn.leaky_relu_grad, {}),
    (nn.leaky_relu, nn.leaky_relu_grad, {"negative_slope": 0.2}),
    (nn.elu, nn.elu_grad, {}),
    (nn.elu, nn.elu_grad, {"alpha": 0.5}),
])
def test_derivative_matches_finite_differences(f, df, kwargs):
    x = away_from_zero((4, 5))
    dout = RNG.standard_normal(x.shape)
    assert_grad(df(x, **kwargs) * dout, lambda: f(x, **kwargs), x, dout)


@pytest.mark.parametrize("weight", [0.25, [0.1, 0.2, 0.3]])
def test_prelu_grad_matches_finite_differences(weight):
    x = away_from_zero((2, 3, 4))
    dout = RNG.standard_normal(x.shape)
    assert_grad(nn.prelu_grad(x, weight) * dout, lambda: nn.prelu(x, weight), x, dout)


def test_known_values():
    assert nn.sigmoid(0) == 0.5
    np.testing.assert_allclose(nn.sigmoid([-1.0, 1.0]), [0.2689414, 0.7310586], atol=1e-7)
    np.testing.assert_allclose(nn.softmax([1.0, 2.0, 3.0]), [0.0900, 0.2447, 0.6652], atol=1e-4)
    np.testing.assert_allclose(nn.log_softmax([1.0, 2.0, 3.0]),
                               np.log([0.09003057, 0.24472847, 0.66524096]), atol=1e-7)
    assert nn.tanh(0) == 0.0 and nn.tanh_grad(0) == 1.0 and nn.sigmoid_grad(0) == 0.25
    np.testing.assert_array_equal(nn.relu([-2, 0, 3]), [0.0, 0.0, 3.0])
    np.testing.assert_allclose(nn.leaky_relu([-2.0, 3.0]), [-0.02, 3.0])
    np.testing.assert_allclose(nn.elu([-1.0, 2.0]), [np.expm1(-1.0), 2.0])
    np.testing.assert_allclose(nn.prelu([[-2.0, -2.0], [1.0, 1.0]], [0.1, 0.5]),
                               [[-0.2, -1.0], [1.0, 1.0]])


def test_derivatives_at_zero_follow_pytorch():
    assert nn.relu_grad(0.0) == 0.0
    assert nn.leaky_relu_grad(0.0) == 0.01
    assert nn.leaky_relu_grad(0.0, negative_slope=0.3) == 0.3
    assert nn.elu_grad(0.0) == 1.0
    assert nn.elu_grad(0.0, alpha=0.5) == 0.5
    assert nn.prelu_grad(0.0, 0.25) == 0.25


def test_prelu_per_channel_uses_axis_1():
    x = -np.ones((2, 3, 2, 2))
    w = np.array([0.1, 0.2, 0.3])
    out = nn.prelu(x, w)
    np.testing.assert_allclose(out[:, 1], -0.2)
    np.testing.assert_allclose(nn.prelu_grad(x, w)[1, 2], 0.3)
    assert nn.prelu_grad(x, w).shape == x.shape


def test_prelu_rejects_wrong_weight_shape():
    with pytest.raises(ValueError, match=r"shape \(C,\) with C=3 channels"):
        nn.prelu(np.ones((2, 3)), [0.1, 0.2])
    with pytest.raises(ValueError, match=r"C=1"):
        nn.prelu(np.ones(4), [0.1, 0.2])


def test_lists_and_scalars_become_float64():
    for f in (nn.sigmoid, nn.tanh, nn.relu, nn.leaky_relu, nn.elu, nn.softmax, nn.log_softmax,
              nn.sigmoid_grad, nn.tanh_grad, nn.relu_grad, nn.leaky_relu_grad, nn.elu_grad):
        out = np.asarray(f([1, 2]))
        assert out.dtype == np.float64 and out.shape == (2,)
        assert np.asarray(f(3)).dtype == np.float64


def test_stable_at_extremes_without_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        with np.errstate(all="raise"):
            np.testing.assert_array_equal(nn.sigmoid([-1000.0, 1000.0]), [0.0, 1.0])
            np.testing.assert_array_equal(nn.sigmoid_grad([-1000.0, 1000.0]), [0.0, 0.0])
            np.testing.assert_allclose(nn.softmax([1000.0, 1001.0]), nn.softmax([0.0, 1.0]))
            np.testing.assert_allclose(nn.softmax([0.0, -1000.0]), [1.0, 0.0])
            np.testing.assert_allclose(nn.log_softmax([1000.0, 0.0]), [0.0, -1000.0])
            np.testing.assert_allclose(nn.log_softmax([[1e4, 1e4]]), [[-np.log(2)] * 2])
            np.testing.assert_allclose(nn.elu([-1000.0, 1000.0]), [-1.0, 1000.0])
            np.testing.assert_allclose(nn.elu_grad([-1000.0, 1000.0]), [0.0, 1.0])
            np.testing.assert_array_equal(nn.tanh([-1000.0, 1000.0]), [-1.0, 1.0])


def test_softmax_axis():
    x = RNG.standard_normal((3, 4))
    np.testing.assert_allclose(nn.softmax(x, axis=0).sum(axis=0), 1.0)
    np.testing.assert_allclose(nn.log_softmax(x, axis=0), np.log(nn.softmax(x, axis=0)))


@settings(max_examples=50, deadline=None)
@given(arrays(np.float64, st.integers(1, 8), elements=st.floats(-1e300, 1e300)))
def test_softmax_is_a_distribution_and_sigmoid_a_probability(x):
    with np.errstate(all="raise", under="ignore"):
        s = nn.softmax(x)
        assert np.all((s >= 0) & (s <= 1)) and abs(s.sum() - 1.0) < 1e-12
        sg = nn.sigmoid(x)
        assert np.all((sg >= 0) & (sg <= 1))
        assert np.all(nn.log_softmax(x) <= 0)


def test_nan_propagates_as_in_pytorch():
    np.testing.assert_array_equal(nn.relu([np.nan, -1.0, 2.0]), [np.nan, 0.0, 2.0])
    np.testing.assert_array_equal(nn.relu_grad([np.nan, -1.0, 0.0, 2.0]), [1.0, 0.0, 0.0, 1.0])
    np.testing.assert_array_equal(nn.elu_grad([np.nan, np.inf, -np.inf]), [1.0, 1.0, 0.0])
    assert nn.selu_grad(np.nan) == pytest.approx(1.0507009873554805)


@pytest.mark.parametrize(("f", "df", "kwargs"), [
    (nn.selu, nn.selu_grad, {}),
    (nn.softplus, nn.softplus_grad, {}),
    (nn.softplus, nn.softplus_grad, {"beta": 3.0, "threshold": 4.0}),
])
def test_new_derivatives_match_finite_differences(f, df, kwargs):
    x = away_from_zero((4, 5))
    dout = RNG.standard_normal(x.shape)
    assert_grad(df(x, **kwargs) * dout, lambda: f(x, **kwargs), x, dout)


def test_selu_and_softplus_known_values():
    assert nn.selu(1.0) == pytest.approx(1.0507009873554805)
    assert nn.selu(-1.0) == pytest.approx(1.0507009873554805 * 1.6732632423543772 * np.expm1(-1))
    assert nn.softplus(0.0) == pytest.approx(np.log(2.0))
    assert nn.softplus(30.0) == 30.0 and nn.softplus(-800.0) == 0.0
    with pytest.raises(ValueError, match="beta must be > 0"):
        nn.softplus(1.0, beta=0.0)


@pytest.mark.parametrize("weight", [[0.25], [0.1, 0.2, 0.3]])
def test_prelu_weight_grad_matches_finite_differences(weight):
    x = away_from_zero((2, 3, 4))
    w = np.array(weight)
    dout = RNG.standard_normal(x.shape)
    assert_grad(nn.prelu_weight_grad(dout, x, w), lambda: nn.prelu(x, w), w, dout)


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_softmax_backward_matches_finite_differences(axis):
    x, dout = RNG.standard_normal((3, 4, 2)), RNG.standard_normal((3, 4, 2))
    assert_grad(nn.softmax_backward(dout, nn.softmax(x, axis), axis), lambda: nn.softmax(x, axis),
                x, dout)
    assert_grad(nn.log_softmax_backward(dout, nn.log_softmax(x, axis), axis),
                lambda: nn.log_softmax(x, axis), x, dout)


def test_softmax_edge_shapes_and_errors():
    assert nn.softmax(np.empty((2, 0))).shape == (2, 0)
    assert nn.log_softmax([]).shape == (0,)
    assert nn.softmax(3.0) == 1.0 and nn.log_softmax(3.0) == 0.0
    with pytest.raises(ValueError, match=r"softmax: axis must be an integer in \[-2, 1\]"):
        nn.softmax(np.ones((2, 3)), axis=2)
    with pytest.raises(ValueError, match="dout must have the shape of out"):
        nn.softmax_backward(np.ones(3), np.ones(4))
