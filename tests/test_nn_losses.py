"""Losses: known values, gradients against finite differences, PyTorch's edge cases."""

from __future__ import annotations

import math
import warnings

import numpy as np
import pytest
from gradcheck import assert_grad

from dlref import nn

RNG = np.random.default_rng(1)


def test_mse_and_l1_known_values():
    assert nn.mse_loss([1.0, 2.0, 3.0], [1.0, 0.0, 0.0]) == pytest.approx(13 / 3)
    assert nn.l1_loss([[1.0, -2.0], [0.0, 0.5]], [[0.0, 0.0], [0.0, 0.0]]) == pytest.approx(0.875)
    assert isinstance(nn.mse_loss([1.0], [0.0]), float)
    np.testing.assert_allclose(nn.mse_loss_grad([1.0, 2.0], [0.0, 2.0]), [1.0, 0.0])
    np.testing.assert_allclose(nn.l1_loss_grad([1.0, 2.0, -1.0, 0.5], [0.0, 2.0, 0.0, 0.5]),
                               [0.25, 0.0, -0.25, 0.0])


def test_mse_and_l1_grads_match_finite_differences():
    pred, target = RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4))
    assert_grad(nn.mse_loss_grad(pred, target), lambda: nn.mse_loss(pred, target), pred)
    assert_grad(nn.l1_loss_grad(pred, target), lambda: nn.l1_loss(pred, target), pred)


def test_cross_entropy_is_minus_log_softmax():
    logits = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]])
    target = np.array([2, 0])
    expected = -(math.log(0.66524096) + math.log(1 / 3)) / 2
    assert nn.cross_entropy(logits, target) == pytest.approx(expected, rel=1e-7)
    assert nn.cross_entropy([1.0, 2.0, 3.0], 2) == pytest.approx(-math.log(0.66524096), rel=1e-7)
    np.testing.assert_allclose(nn.cross_entropy_grad([1.0, 2.0, 3.0], 2),
                               [0.09003057, 0.24472847, 0.66524096 - 1], atol=1e-8)


def test_cross_entropy_grad_matches_finite_differences():
    logits = RNG.standard_normal((5, 4))
    target = RNG.integers(0, 4, size=5)
    assert_grad(nn.cross_entropy_grad(logits, target), lambda: nn.cross_entropy(logits, target),
                logits)
    one = RNG.standard_normal(4)
    assert_grad(nn.cross_entropy_grad(one, 3), lambda: nn.cross_entropy(one, 3), one)


def test_cross_entropy_stable_for_large_logits():
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        assert nn.cross_entropy([[1000.0, 0.0]], [1]) == pytest.approx(1000.0)
        assert nn.cross_entropy([[1000.0, 0.0]], [0]) == 0.0
        np.testing.assert_allclose(nn.cross_entropy_grad([[1000.0, 0.0]], [1]), [[1.0, -1.0]])


def test_cross_entropy_argument_errors():
    with pytest.raises(ValueError, match=r"target must have shape \(N,\) with N=2"):
        nn.cross_entropy(np.zeros((2, 3)), [0, 1, 2])
    with pytest.raises(ValueError, match=r"class indices must lie in \[0, 2\]"):
        nn.cross_entropy(np.zeros((2, 3)), [0, 3])
    with pytest.raises(ValueError, match="integer class indices"):
        nn.cross_entropy(np.zeros((2, 3)), [0.0, 1.0])
    with pytest.raises(ValueError, match=r"logits must have shape \(N, C\) or \(C,\)"):
        nn.cross_entropy(np.zeros((2, 3, 4)), [0, 1])
    with pytest.raises(ValueError, match="target must be a scalar"):
        nn.cross_entropy(np.zeros(3), [0])


def test_bce_known_values_and_clamp():
    p, y = np.array([0.9, 0.2]), np.array([1.0, 0.0])
    assert nn.binary_cross_entropy(p, y) == pytest.approx(-(math.log(0.9) + math.log(0.8)) / 2)
    with warnings.catch_warnings(), np.errstate(all="raise"):
        warnings.simplefilter("error")
        assert nn.binary_cross_entropy([0.0], [1.0]) == 100.0
        assert nn.binary_cross_entropy([1.0], [0.0]) == 100.0
        assert nn.binary_cross_entropy([0.0, 1.0], [0.0, 1.0]) == 0.0
        # the gradient's denominator is floored at 1e-12, as PyTorch
        np.testing.assert_allclose(nn.binary_cross_entropy_grad([0.0], [1.0]), [-1e12])
        np.testing.assert_allclose(nn.binary_cross_entropy_grad([1.0], [1.0]), [0.0])


def test_bce_grad_matches_finite_differences():
    p = RNG.uniform(0.1, 0.9, size=(3, 3))
    y = RNG.uniform(0.0, 1.0, size=(3, 3))
    assert_grad(nn.binary_cross_entropy_grad(p, y), lambda: nn.binary_cross_entropy(p, y), p)


@pytest.mark.parametrize("f", [nn.mse_loss, nn.l1_loss, nn.binary_cross_entropy,
                               nn.mse_loss_grad, nn.l1_loss_grad, nn.binary_cross_entropy_grad])
def test_shape_mismatch_is_an_error_not_a_broadcast(f):
    with pytest.raises(ValueError,
                       match=r"same shape \(no broadcasting\); got \(3, 1\) and \(3,\)"):
        f(np.full((3, 1), 0.5), np.full(3, 0.5))


def test_bce_rejects_values_outside_unit_interval():
    with pytest.raises(ValueError, match=r"every element of prob must lie in \[0, 1\]"):
        nn.binary_cross_entropy([1.5], [1.0])
    with pytest.raises(ValueError, match=r"every element of target must lie in \[0, 1\]"):
        nn.binary_cross_entropy([0.5], [-1.0])
    with pytest.raises(ValueError, match="needs at least one element"):
        nn.mse_loss([], [])
