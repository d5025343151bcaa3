"""Inverted dropout: statistics over many draws, the identity cases, gradients, errors."""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import assert_grad

from dlref import nn


@pytest.mark.parametrize("p", [0.1, 0.5, 0.8])
def test_kept_fraction_and_mean(p):
    x = np.ones(200_000)
    out, mask = nn.dropout_forward(x, p, rng=0)
    kept = np.count_nonzero(out) / x.size
    assert abs(kept - (1 - p)) < 0.005  # ≈ 4.5 standard deviations at n = 2·10⁵
    assert abs(out.mean() - 1.0) < 0.02
    np.testing.assert_allclose(out[out != 0], 1 / (1 - p))
    np.testing.assert_array_equal(out, mask)


def test_identity_cases():
    x = np.arange(6.0).reshape(2, 3)
    for kwargs in ({"p": 0.5, "training": False}, {"p": 0.0}, {"p": 0.9, "training": False}):
        out, cache = nn.dropout_forward(x, **kwargs)
        np.testing.assert_array_equal(out, x)
        assert out is not x
        np.testing.assert_array_equal(nn.dropout_backward(np.ones((2, 3)), cache), 1.0)
    out, cache = nn.dropout_forward(x, 1.0)
    np.testing.assert_array_equal(out, 0.0)
    np.testing.assert_array_equal(nn.dropout_backward(np.ones((2, 3)), cache), 0.0)


def test_seeded_and_generator_rngs_reproduce():
    x = np.ones((3, 4))
    a, _ = nn.dropout_forward(x, 0.5, rng=7)
    b, _ = nn.dropout_forward(x, 0.5, rng=np.random.default_rng(7))
    np.testing.assert_array_equal(a, b)


def test_gradient_matches_finite_differences():
    x = np.random.default_rng(6).standard_normal((4, 5))
    out, cache = nn.dropout_forward(x, 0.3, rng=3)
    dout = np.random.default_rng(7).standard_normal(out.shape)
    assert_grad(nn.dropout_backward(dout, cache), lambda: nn.dropout_forward(x, 0.3, rng=3)[0],
                x, dout)


@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("p", [-0.1, 1.5, float("nan")])
def test_p_outside_unit_interval_is_an_error(p, training):
    with pytest.raises(ValueError, match=r"p must be a probability in \[0, 1\]"):
        nn.dropout_forward(np.ones(3), p, training=training)


def test_bad_rng_is_an_error():
    with pytest.raises(ValueError, match="rng must be a numpy.random.Generator"):
        nn.dropout_forward(np.ones(3), 0.5, rng="seed")
    _, cache = nn.dropout_forward(np.ones(3), 0.5, rng=0)
    with pytest.raises(ValueError, match=r"dout must have shape \(3,\)"):
        nn.dropout_backward(np.ones(4), cache)


@pytest.mark.parametrize("training", ["False", 0, None])
def test_training_must_be_a_bool(training):
    # "False" is truthy: taken as it is, it would silently drop units at evaluation
    with pytest.raises(ValueError, match="training must be True or False"):
        nn.dropout_forward(np.ones(3), 0.5, training=training)
    assert nn.dropout_forward(np.ones(3), 0.5, training=np.False_)[1] is None
