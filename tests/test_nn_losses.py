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
    with pytest.raises(ValueError, match=r"\(N, d1, …\) = \(2, 4\) for \(N, C, d1, …\)"):
        nn.cross_entropy(np.zeros((2, 3, 4)), [0, 1])
    with pytest.raises(ValueError, match=r"logits must have shape \(N, C\), \(C,\)"):
        nn.cross_entropy(np.float64(1.0), 0)
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


def test_cross_entropy_known_values_with_weight_and_ignore_index():
    z = np.log(np.array([[0.5, 0.25, 0.25], [0.1, 0.6, 0.3], [0.2, 0.2, 0.6]]))
    y = np.array([0, 1, -100])
    w = np.array([2.0, 1.0, 1.0])
    # (−2·log 0.5 − 1·log 0.6) / (2 + 1); the third sample is ignored
    expected = (-2 * np.log(0.5) - np.log(0.6)) / 3
    assert nn.cross_entropy(z, y, weight=w, ignore_index=-100) == pytest.approx(expected)
    assert nn.cross_entropy(z, y, weight=w, reduction="sum") == pytest.approx(expected * 3)
    np.testing.assert_allclose(nn.cross_entropy(z, y, weight=w, reduction="none"),
                               [-2 * np.log(0.5), -np.log(0.6), 0.0])
    assert np.isnan(nn.cross_entropy(z, [-100] * 3))  # nothing left to average, as PyTorch
    # probabilities: the one-hot distribution gives the index loss
    assert nn.cross_entropy(z, np.eye(3)) == pytest.approx(nn.cross_entropy(z, [0, 1, 2]))


@pytest.mark.parametrize(("loss", "grad"), [(nn.cross_entropy, nn.cross_entropy_grad),
                                            (nn.nll_loss, nn.nll_loss_grad)])
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("shape", [(5, 4), (3, 4, 2, 2), (4,)])
def test_class_losses_grads_match_finite_differences(loss, grad, reduction, shape):
    z = RNG.standard_normal(shape)
    c = shape[0] if len(shape) == 1 else shape[1]
    y = RNG.integers(0, c, () if len(shape) == 1 else (shape[0],) + shape[2:])
    if y.ndim:
        y.flat[0] = -1  # ignored
    w = RNG.uniform(0.5, 2.0, c)
    kw = {"weight": w, "ignore_index": -1, "reduction": reduction}
    if reduction == "none":
        dout = RNG.standard_normal(np.shape(loss(z, y, **kw)))
        assert_grad(grad(z, y, **kw, dout=dout), lambda: loss(z, y, **kw), z, dout)
    else:
        assert_grad(grad(z, y, **kw), lambda: loss(z, y, **kw), z)


@pytest.mark.parametrize("reduction", ["mean", "none"])
def test_cross_entropy_probability_targets_grad(reduction):
    z = RNG.standard_normal((3, 4, 2))
    p = nn.softmax(RNG.standard_normal((3, 4, 2)), axis=1)
    kw = {"weight": RNG.uniform(0.5, 2, 4), "reduction": reduction}
    dout = RNG.standard_normal((3, 2)) if reduction == "none" else None
    assert_grad(nn.cross_entropy_grad(z, p, **kw, dout=dout), lambda: nn.cross_entropy(z, p, **kw),
                z, dout)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_pointwise_losses_reductions_and_grads(reduction):
    pred, target = RNG.standard_normal((3, 4)) * 2, RNG.standard_normal((3, 4))
    prob, ybin = RNG.uniform(0.05, 0.95, (3, 4)), RNG.uniform(0, 1, (3, 4))
    pos = RNG.uniform(0.5, 3, 4)
    cases = [(nn.mse_loss, nn.mse_loss_grad, pred, target, {}),
             (nn.l1_loss, nn.l1_loss_grad, pred, target, {}),
             (nn.huber_loss, nn.huber_loss_grad, pred, target, {"delta": 0.7}),
             (nn.binary_cross_entropy, nn.binary_cross_entropy_grad, prob, ybin, {}),
             (nn.binary_cross_entropy_with_logits, nn.binary_cross_entropy_with_logits_grad,
              pred, ybin, {"pos_weight": pos, "weight": RNG.uniform(0.5, 2, (3, 1))})]
    for loss, grad, a, b, kw in cases:
        full = loss(a, b, **kw, reduction="none")
        reduced = loss(a, b, **kw, reduction=reduction)
        expected = {"mean": full.mean(), "sum": full.sum(), "none": full}[reduction]
        np.testing.assert_allclose(reduced, expected)
        dout = RNG.standard_normal(a.shape) if reduction == "none" else None
        assert_grad(grad(a, b, **kw, reduction=reduction, dout=dout),
                    lambda loss=loss, kw=kw, a=a, b=b: loss(a, b, **kw, reduction=reduction), a,
                    dout)


def test_huber_and_bce_with_logits_known_values():
    assert nn.huber_loss([0.5, 3.0], [0.0, 0.0]) == pytest.approx((0.125 + 2.5) / 2)
    np.testing.assert_allclose(nn.huber_loss_grad([0.5, 3.0], [0.0, 0.0], reduction="sum"),
                               [0.5, 1.0])
    # z = 0: σ = ½, so ℓ = log 2 for either label; pos_weight 3 triples the positive's
    np.testing.assert_allclose(nn.binary_cross_entropy_with_logits(
        [0.0, 0.0], [1.0, 0.0], pos_weight=[3.0, 3.0], reduction="none"),
        np.log(2) * np.array([3, 1]))
    assert nn.binary_cross_entropy_with_logits([800.0], [0.0]) == 800.0  # no overflow


def test_loss_option_errors():
    with pytest.raises(ValueError, match="reduction must be 'mean', 'sum' or 'none'; got 'avg'"):
        nn.mse_loss([1.0], [0.0], reduction="avg")
    with pytest.raises(ValueError, match=r"weight must have shape \(C,\) = \(3,\)"):
        nn.cross_entropy(np.zeros((2, 3)), [0, 1], weight=[1.0, 2.0])
    with pytest.raises(ValueError, match="dout is only for reduction='none'"):
        nn.cross_entropy_grad(np.zeros((2, 3)), [0, 1], dout=np.ones(2))
    with pytest.raises(ValueError, match="delta must be a finite number > 0"):
        nn.huber_loss([1.0], [0.0], delta=0)
    with pytest.raises(ValueError, match="pos_weight must broadcast against logits"):
        nn.binary_cross_entropy_with_logits(np.zeros((2, 3)), np.zeros((2, 3)), pos_weight=[1, 2])
    with pytest.raises(ValueError, match="target must hold integer class indices"):
        nn.nll_loss(np.zeros((2, 3)), np.zeros((2, 3)))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_class_losses_read_only_the_target_class_of_kept_samples():
    # a masked class (logit −∞) that is not the target, and an ignored sample holding NaN, add
    # nothing, as PyTorch picks −w[y]·log p[y]: 0·(−∞) must not make the loss NaN
    z = np.array([[1.0, -np.inf, 0.5], [np.nan, 0.0, 1.0], [0.2, 0.1, 0.3]])
    y = np.array([0, -100, 2])
    first = -(1.0 - math.log(math.exp(1.0) + math.exp(0.5)))  # −log softmax over {1, 0.5}
    third = -(0.3 - math.log(math.exp(0.2) + math.exp(0.1) + math.exp(0.3)))
    np.testing.assert_allclose(nn.cross_entropy(z, y, reduction="none"), [first, 0.0, third])
    assert not np.signbit(nn.cross_entropy(z, y, reduction="none")[1])  # 0, not −0
    assert nn.cross_entropy(z, y) == pytest.approx((first + third) / 2)
    lp = nn.log_softmax(z)
    np.testing.assert_allclose(nn.nll_loss(lp, y, reduction="none"), [first, 0.0, third])
    # the target itself at −∞ costs ∞; with label smoothing every class of a kept sample
    # counts, so the masked class makes that sample's loss ∞, the ignored one still 0
    assert nn.cross_entropy([[0.0, -np.inf]], [1]) == np.inf
    np.testing.assert_array_equal(nn.cross_entropy(z, y, reduction="none",
                                                   label_smoothing=0.1)[:2], [np.inf, 0.0])
    # probabilities read every class, as PyTorch: 0 · (−∞) is NaN there
    assert np.isnan(nn.cross_entropy(z[:1], np.array([[0.5, 0.0, 0.5]])))


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_nonfinite_pointwise_losses_as_pytorch():
    # L1's sign is PyTorch's (d > 0) − (d < 0): 0 where ŷ − y is NaN, not NaN
    np.testing.assert_array_equal(
        nn.l1_loss_grad([np.nan, 1.0, np.inf, 2.0], [0.0, np.nan, np.inf, 2.0],
                        reduction="none"), [0.0, 0.0, 0.0, 0.0])
    # BCE with logits as PyTorch computes it, (1 − y)·z + (1 + (pw − 1)·y)·softplus(−z):
    # z = −∞ is NaN, z = +∞ is ∞ unless y = 1 (then 0·∞ = NaN)
    z = np.array([-np.inf, -np.inf, np.inf, np.inf])
    out = nn.binary_cross_entropy_with_logits(z, [0.5, 1.0, 0.5, 1.0], reduction="none")
    np.testing.assert_array_equal(out, [np.nan, np.nan, np.inf, np.nan])
