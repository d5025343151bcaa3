"""Batch normalisation: statistics, running averages, both modes' gradients, errors."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from gradcheck import assert_grad

from dlref import nn
from dlref.nn import batchnorm

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
    out, cache = nn.batchnorm_forward(x, [2.0], [0.5], rm, rv, training=False, eps=1e-300)
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
    with pytest.raises(ValueError, match=r"training needs more than 1 value per feature"):
        nn.batchnorm_forward(np.ones((1, 3)), g, b, *state(3))
    out, _ = nn.batchnorm_forward(np.ones((1, 3)), g, b, *state(3), training=False)
    assert out.shape == (1, 3)
    with pytest.raises(ValueError, match=r"x must have shape \(N, D\), \(N, C, L\) or "
                                         r"\(N, C, H, W\); got \(3,\)"):
        nn.batchnorm_forward(np.ones(3), g, b, *state(3))
    with pytest.raises(ValueError, match=r"gamma must have shape \(D,\) = \(3,\); got \(2,\)"):
        nn.batchnorm_forward(np.ones((2, 3)), np.ones(2), b, *state(3))
    with pytest.raises(ValueError, match=r"running_mean must be a float ndarray of shape"):
        nn.batchnorm_forward(np.ones((2, 3)), g, b, [0.0, 0.0, 0.0], np.ones(3))
    with pytest.raises(ValueError, match=r"running_var must be a float ndarray .* dtype int64"):
        nn.batchnorm_forward(np.ones((2, 3)), g, b, np.zeros(3), np.ones(3, dtype=np.int64))
    with pytest.raises(ValueError, match=r"running_var must have shape \(D,\) = \(3,\)"):
        nn.batchnorm_forward(np.ones((2, 3)), g, b, np.zeros(3), np.ones(4))


def test_option_errors_name_the_argument():
    g, b, x = np.ones(3), np.zeros(3), np.ones((4, 3))
    for eps in (0.0, -1.0, np.nan, np.inf, "1e-5"):
        with pytest.raises(ValueError, match="eps must be a finite number > 0"):
            nn.batchnorm_forward(x, g, b, *state(3), eps=eps)
    for momentum in (np.nan, 1.5, "0.1"):
        with pytest.raises(ValueError, match="momentum must be a number in"):
            nn.batchnorm_forward(x, g, b, *state(3), momentum=momentum)
    with pytest.raises(ValueError, match="momentum=None .* needs num_batches_tracked"):
        nn.batchnorm_forward(x, g, b, *state(3), momentum=None)
    with pytest.raises(ValueError, match="training must be True or False; got 'False'"):
        nn.batchnorm_forward(x, g, b, *state(3), training="False")
    with pytest.raises(ValueError, match="gamma and beta must both be arrays"):
        nn.batchnorm_forward(x, g, None, *state(3))
    with pytest.raises(ValueError, match="running_mean and running_var must both be"):
        nn.batchnorm_forward(x, g, b, np.zeros(3), None)
    with pytest.raises(ValueError, match=r"evaluation \(training=False\) needs running_mean"):
        nn.batchnorm_forward(x, g, b, None, None, training=False)
    _, cache = nn.batchnorm_forward(np.ones((2, 3, 2, 2)), g, b, *state(3))
    with pytest.raises(ValueError, match=r"dout must have shape the shape of x, \(2, 3, 2, 2\)"):
        nn.batchnorm_backward(np.ones((2, 3)), cache)


def test_momentum_none_is_the_cumulative_average():
    rm, rv = np.zeros(2), np.ones(2)
    batches = [RNG.standard_normal((6, 2)) + k for k in range(4)]
    for k, xb in enumerate(batches, start=1):
        nn.batchnorm_forward(xb, None, None, rm, rv, momentum=None, num_batches_tracked=k)
    np.testing.assert_allclose(rm, np.mean([xb.mean(axis=0) for xb in batches], axis=0))
    np.testing.assert_allclose(rv, np.mean([xb.var(axis=0, ddof=1) for xb in batches], axis=0))


def test_no_affine_and_no_running_stats():
    x = RNG.standard_normal((8, 3)) * 2 + 5
    out, cache = nn.batchnorm_forward(x, None, None, None, None)
    ref, _ = nn.batchnorm_forward(x, np.ones(3), np.zeros(3), *state(3))
    np.testing.assert_allclose(out, ref, atol=1e-15)
    dout = RNG.standard_normal(x.shape)
    dx, dgamma, dbeta = nn.batchnorm_backward(dout, cache)
    assert dgamma is None and dbeta is None
    assert_grad(dx, lambda: nn.batchnorm_forward(x, None, None, None, None)[0], x, dout)


@pytest.mark.parametrize("shape", [(3, 2, 4, 5), (4, 3, 6)])
@pytest.mark.parametrize("training", [True, False])
def test_images_normalise_per_channel_with_finite_difference_gradients(shape, training):
    x = RNG.standard_normal(shape) * 2 + 1
    c = shape[1]
    gamma, beta = RNG.standard_normal(c), RNG.standard_normal(c)
    rm, rv = RNG.standard_normal(c), RNG.uniform(0.5, 2.0, c)
    out, cache = nn.batchnorm_forward(x, gamma, beta, rm.copy(), rv.copy(), training)
    axes = (0,) + tuple(range(2, x.ndim))
    bshape = (1, c) + (1,) * (x.ndim - 2)
    mu, var = (x.mean(axis=axes), x.var(axis=axes)) if training else (rm, rv)
    expected = (gamma.reshape(bshape) * (x - mu.reshape(bshape))
                / np.sqrt(var.reshape(bshape) + 1e-5) + beta.reshape(bshape))
    np.testing.assert_allclose(out, expected, atol=1e-12)
    dout = RNG.standard_normal(out.shape)
    dx, dgamma, dbeta = nn.batchnorm_backward(dout, cache)

    def f():
        return nn.batchnorm_forward(x, gamma, beta, rm.copy(), rv.copy(), training)[0]

    assert_grad(dx, f, x, dout)
    assert_grad(dgamma, f, gamma, dout)
    assert_grad(dbeta, f, beta, dout)


def test_fast_form_matches_the_named_steps():
    x = RNG.standard_normal((16, 5)) * 3 + np.array([0.0, 1.0, 1e3, 1e6, -2.0])
    gamma, beta = RNG.standard_normal(5), RNG.standard_normal(5)
    out, cache = nn.batchnorm_forward(x, gamma, beta, *state(5))
    ref, ref_cache = nn.batchnorm_steps(x, gamma, beta)
    np.testing.assert_allclose(out, ref, atol=1e-9)
    dout = RNG.standard_normal(x.shape)
    for ours, theirs in zip(nn.batchnorm_backward(dout, cache),
                            nn.batchnorm_steps_backward(dout, ref_cache), strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-9, atol=1e-9)
    x = RNG.standard_normal((6, 5)) + 1.0  # far-off features would drown the differences
    dx, dgamma, _ = nn.batchnorm_steps_backward(dout[:6], nn.batchnorm_steps(x, gamma, beta)[1])
    assert_grad(dx, lambda: nn.batchnorm_steps(x, gamma, beta)[0], x, dout[:6])
    assert_grad(dgamma, lambda: nn.batchnorm_steps(x, gamma, beta)[0], gamma, dout[:6])


# A batch of at most batchnorm._FEW_VALUES values is normalised as (x − μ)·a + β with σ² from
# x − μ, a larger one as x·a + (β − μ·a) with σ² = E[x²] − μ²: both paths, forced here on the
# same inputs, must give the named steps' numbers and the same NaN and ±inf. The backward,
# taken in blocks of rows, must give them whatever the blocks ("blocks": 3 or 4 rows, and a rest).

@pytest.fixture(params=["few", "many", "blocks"])
def path(request, monkeypatch):
    monkeypatch.setattr(batchnorm, "_FEW_VALUES", 2 ** 40 if request.param == "few" else 0)
    if request.param == "blocks":
        monkeypatch.setattr(batchnorm, "_BLOCK_VALUES", 16)
    return request.param


@pytest.mark.parametrize("shape", [(16, 5), (3, 4, 2, 3), (6, 5, 4)])
def test_both_paths_match_the_named_steps(path, shape):
    c = shape[1]
    offsets = np.array([0.0, 1.0, 1e3, 1e6, -2.0])[:c].reshape((1, c) + (1,) * (len(shape) - 2))
    x = RNG.standard_normal(shape) * 3 + offsets
    gamma, beta = RNG.standard_normal(c), RNG.standard_normal(c)
    rm, rv = RNG.standard_normal(c), RNG.uniform(0.5, 2.0, c)
    rm0, rv0 = rm.copy(), rv.copy()
    out, cache = nn.batchnorm_forward(x, gamma, beta, rm, rv, momentum=0.3)
    rows = np.moveaxis(x, 1, -1).reshape(-1, c)
    ref, ref_cache = nn.batchnorm_steps(rows, gamma, beta)
    np.testing.assert_allclose(np.moveaxis(out, 1, -1).reshape(-1, c), ref, atol=1e-9)
    np.testing.assert_allclose(cache.mean, rows.mean(axis=0), rtol=1e-12, atol=1e-12)
    np.testing.assert_allclose(cache.var, rows.var(axis=0), rtol=1e-9)
    m = len(rows)
    np.testing.assert_allclose(rm, 0.7 * rm0 + 0.3 * rows.mean(axis=0), rtol=1e-12)
    np.testing.assert_allclose(rv, 0.7 * rv0 + 0.3 * rows.var(axis=0) * m / (m - 1), rtol=1e-9)
    dout = RNG.standard_normal(shape)
    dx, dgamma, dbeta = nn.batchnorm_backward(dout, cache)
    rdx, rdgamma, rdbeta = nn.batchnorm_steps_backward(
        np.moveaxis(dout, 1, -1).reshape(-1, c), ref_cache)
    np.testing.assert_allclose(np.moveaxis(dx, 1, -1).reshape(-1, c), rdx, rtol=1e-7, atol=1e-9)
    np.testing.assert_allclose(dgamma, rdgamma, rtol=1e-9, atol=1e-9)
    np.testing.assert_allclose(dbeta, rdbeta, rtol=1e-12, atol=1e-12)
    out, _ = nn.batchnorm_forward(x, None, None, None, None)  # affine=False, no running stats
    np.testing.assert_allclose(np.moveaxis(out, 1, -1).reshape(-1, c),
                               nn.batchnorm_steps(rows, np.ones(c), np.zeros(c))[0], atol=1e-9)


def test_both_paths_give_the_same_nan_and_inf(monkeypatch):
    x = RNG.standard_normal((6, 5))
    x[0, 1], x[2, 2], x[3, 3] = np.nan, np.inf, -np.inf
    x[:, 4] *= 1e200  # finite, but its squares overflow
    results = []
    for few in (2 ** 40, 0):
        monkeypatch.setattr(batchnorm, "_FEW_VALUES", few)
        rm, rv = np.zeros(5), np.ones(5)
        with warnings.catch_warnings():
            warnings.simplefilter("error")  # no RuntimeWarning escapes
            out, cache = nn.batchnorm_forward(x, np.ones(5), np.zeros(5), rm, rv)
        results.append((np.isnan(out), np.isinf(out), np.isnan(rm), np.isnan(rv)))
        np.testing.assert_allclose(out[:, 0], nn.batchnorm_steps(
            x[:, :1], np.ones(1), np.zeros(1))[0][:, 0], atol=1e-9)
    for ours, theirs in zip(*results, strict=True):
        np.testing.assert_array_equal(ours, theirs)
