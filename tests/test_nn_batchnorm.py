"""Batch normalisation: statistics, running averages, both modes' gradients, errors."""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import assert_grad

from dlref import nn

RNG = np.random.default_rng(5)


def state(d):
    return np.zeros(d), np.ones(d)


def test_training_normalises_with_batch_statistics():
    x = RNG.normal(3.0, 2.0, size=(64, 4))
    out, cache = nn.batchnorm_forward(x, np.ones(4), np.zeros(4), *state(4))
    np.testing.assert_allclose(out.mean(axis=0), 0.0, atol=1e-12)
    np.testing.assert_allclose(out.var(axis=0), x.var(axis=0) / (x.var(axis=0) + 1e-5))
    out, _ = nn.batchnorm_forward(x, np.full(4, 2.0), np.full(4, -1.0), *state(4))
    np.testing.assert_allclose(out.mean(axis=0), -1.0, atol=1e-12)
    assert cache.training and cache.xhat.shape == (64, 4)


def test_statistics_stay_accurate_far_from_zero():
    """E[x²] − μ² would cancel every digit of σ² at μ = 1e8; those features take two passes."""
    base = RNG.standard_normal((200, 3))
    x = base + np.array([0.0, 1e4, 1e8])  # none, mild and severe cancellation
    rm, rv = np.zeros(3), np.zeros(3)
    out, cache = nn.batchnorm_forward(x, np.ones(3), np.zeros(3), rm, rv, momentum=1.0)
    shifted = x - x.mean(axis=0)  # exact here: the offsets are representable
    np.testing.assert_allclose(cache.var, (shifted ** 2).mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(rv, (shifted ** 2).sum(axis=0) / 199, rtol=1e-9)
    # y = x·a + b loses about log10(μ/σ) digits, as in PyTorch: 8 of 16 at 1e8
    expected = shifted / np.sqrt((shifted ** 2).mean(axis=0) + 1e-5)
    np.testing.assert_allclose(out[:, :2], expected[:, :2], atol=1e-11)
    np.testing.assert_allclose(out[:, 2], expected[:, 2], atol=1e-6)


def test_running_statistics_follow_pytorch_rule():
    x = np.array([[1.0, 2.0], [3.0, 6.0], [5.0, 10.0]])
    rm, rv = np.array([0.5, 0.0]), np.array([1.0, 2.0])
    nn.batchnorm_forward(x, np.ones(2), np.zeros(2), rm, rv, momentum=0.1)
    # batch means (3, 6); unbiased variances (4, 16)
    np.testing.assert_allclose(rm, [0.9 * 0.5 + 0.1 * 3.0, 0.1 * 6.0])
    np.testing.assert_allclose(rv, [0.9 * 1.0 + 0.1 * 4.0, 0.9 * 2.0 + 0.1 * 16.0])


def test_evaluation_uses_running_statistics_and_leaves_them():
    x = np.array([[1.0], [3.0]])
    rm, rv = np.array([1.0]), np.array([4.0])
    out, cache = nn.batchnorm_forward(x, [2.0], [0.5], rm, rv, training=False, eps=0.0)
    np.testing.assert_allclose(out, [[0.5], [2.5]])  # 2·(x − 1)/2 + 0.5
    np.testing.assert_array_equal(rm, [1.0])
    np.testing.assert_array_equal(rv, [4.0])
    assert not cache.training


@pytest.mark.parametrize("training", [True, False])
def test_gradients_match_finite_differences(training):
    x = RNG.standard_normal((5, 3)) * 2 + 1
    gamma, beta = RNG.standard_normal(3), RNG.standard_normal(3)
    rm, rv = RNG.standard_normal(3), RNG.uniform(0.5, 2.0, 3)
    out, cache = nn.batchnorm_forward(x, gamma, beta, rm.copy(), rv.copy(), training)
    dout = RNG.standard_normal(out.shape)
    dx, dgamma, dbeta = nn.batchnorm_backward(dout, cache)

    def f():  # fresh copies: the running statistics must not drift between evaluations
        return nn.batchnorm_forward(x, gamma, beta, rm.copy(), rv.copy(), training)[0]

    assert_grad(dx, f, x, dout)
    assert_grad(dgamma, f, gamma, dout)
    assert_grad(dbeta, f, beta, dout)


def test_backward_after_eval_ignores_later_changes_to_running_stats():
    x = RNG.standard_normal((4, 2))
    rm, rv = np.zeros(2), np.ones(2)
    _, cache = nn.batchnorm_forward(x, np.ones(2), np.zeros(2), rm, rv, training=False)
    rm += 5.0
    rv *= 9.0
    dx, _, _ = nn.batchnorm_backward(np.ones((4, 2)), cache)
    np.testing.assert_allclose(dx, 1 / np.sqrt(1 + 1e-5))


def test_errors():
    g, b = np.ones(3), np.zeros(3)
    with pytest.raises(ValueError, match=r"training needs more than 1 sample"):
        nn.batchnorm_forward(np.ones((1, 3)), g, b, *state(3))
    out, _ = nn.batchnorm_forward(np.ones((1, 3)), g, b, *state(3), training=False)
    assert out.shape == (1, 3)
    with pytest.raises(ValueError, match=r"x must have shape \(N, D\); got \(2, 3, 4\)"):
        nn.batchnorm_forward(np.ones((2, 3, 4)), g, b, *state(3))
    with pytest.raises(ValueError, match=r"gamma must have shape \(D,\) = \(3,\); got \(2,\)"):
        nn.batchnorm_forward(np.ones((2, 3)), np.ones(2), b, *state(3))
    with pytest.raises(ValueError, match=r"running_mean must be a float ndarray of shape"):
        nn.batchnorm_forward(np.ones((2, 3)), g, b, [0.0, 0.0, 0.0], np.ones(3))
    with pytest.raises(ValueError, match=r"running_var must be a float ndarray .* dtype int64"):
        nn.batchnorm_forward(np.ones((2, 3)), g, b, np.zeros(3), np.ones(3, dtype=np.int64))
    with pytest.raises(ValueError, match=r"running_var must have shape \(D,\) = \(3,\)"):
        nn.batchnorm_forward(np.ones((2, 3)), g, b, np.zeros(3), np.ones(4))
