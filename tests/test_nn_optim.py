"""Optimisers: two steps each checked against the update rule written out by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlref import nn

G1, G2 = 1.0, 2.0  # the gradient at step 1 and step 2, for a parameter starting at 1.0


def run(opt_cls, **kwargs):
    p = np.array([1.0])
    q = np.array([[0.0, 0.0]])  # a second parameter with zero gradient never moves
    opt = opt_cls([p, q], **kwargs)
    opt.step([np.array([G1]), np.zeros((1, 2))])
    first = p[0]
    opt.step([np.array([G2]), np.zeros((1, 2))])
    np.testing.assert_array_equal(q, 0.0)
    return first, p[0]


def test_sgd():
    assert run(nn.SGD, lr=0.1) == pytest.approx((1 - 0.1 * 1, 0.9 - 0.1 * 2))


def test_sgd_momentum():
    # b₁ = g₁ = 1 → p = 0.9;  b₂ = 0.9·1 + 2 = 2.9 → p = 0.9 − 0.29 = 0.61
    assert run(nn.SGD, lr=0.1, momentum=0.9) == pytest.approx((0.9, 0.61))


def test_adagrad():
    # s₁ = 1 → p = 1 − 0.1·1/(1 + ε);  s₂ = 1 + 4 = 5 → p −= 0.1·2/(√5 + ε)
    p1 = 1 - 0.1 / (1 + 1e-10)
    assert run(nn.Adagrad, lr=0.1) == pytest.approx((p1, p1 - 0.2 / (math.sqrt(5) + 1e-10)),
                                                    abs=1e-15)
    assert run(nn.Adagrad, lr=0.1)[1] == pytest.approx(0.81055728)


def test_rmsprop():
    # v₁ = 0.01·1 = 0.01 → p = 1 − 0.01·1/(0.1 + ε);  v₂ = 0.99·0.01 + 0.01·4 = 0.0499
    p1 = 1 - 0.01 / (0.1 + 1e-8)
    p2 = p1 - 0.01 * 2 / (math.sqrt(0.0499) + 1e-8)
    assert run(nn.RMSprop, lr=0.01) == pytest.approx((p1, p2), abs=1e-15)


def test_adam():
    # m₁ = 0.1, v₁ = 0.001 → m̂ = v̂ = 1 → p = 1 − 0.1·1/(1 + ε)
    # m₂ = 0.09 + 0.2 = 0.29, v₂ = 0.000999 + 0.004 = 0.004999
    m_hat, v_hat = 0.29 / (1 - 0.9 ** 2), 0.004999 / (1 - 0.999 ** 2)
    p1 = 1 - 0.1 / (1 + 1e-8)
    p2 = p1 - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8)
    assert run(nn.Adam, lr=0.1) == pytest.approx((p1, p2), abs=1e-15)
    assert p2 == pytest.approx(0.80348, abs=1e-5)


def test_updates_are_in_place_and_state_is_readable():
    w = np.array([1.0, -1.0])
    opt = nn.Adam([w], lr=0.1)
    opt.step([np.array([0.5, -0.5])])
    assert opt.t == 1 and opt.m[0].shape == (2,) and opt.v[0].shape == (2,)
    np.testing.assert_allclose(w, [0.9, -0.9])


def test_errors():
    with pytest.raises(ValueError, match=r"params\[0\] must be a float ndarray .* dtype int64"):
        nn.SGD([np.array([1, 2])], lr=0.1)
    with pytest.raises(ValueError, match=r"params\[1\] must be a float ndarray .*got list"):
        nn.Adam([np.zeros(2), [1.0, 2.0]])
    with pytest.raises(ValueError, match="non-empty list of float arrays"):
        nn.RMSprop([])
    with pytest.raises(ValueError, match="non-empty list of float arrays; got ndarray"):
        nn.Adagrad(np.zeros(3))
    with pytest.raises(ValueError, match="lr must be >= 0"):
        nn.SGD([np.zeros(2)], lr=-1.0)
    with pytest.raises(ValueError, match=r"momentum must lie in \[0, ∞\)"):
        nn.SGD([np.zeros(2)], lr=0.1, momentum=-0.5)
    with pytest.raises(ValueError, match=r"betas\[1\] must lie in \[0, 1.0\)"):
        nn.Adam([np.zeros(2)], betas=(0.9, 1.0))
    opt = nn.SGD([np.zeros(2), np.zeros(3)], lr=0.1)
    with pytest.raises(ValueError, match="expected 2 gradients, one per parameter; got 1"):
        opt.step([np.zeros(2)])
    with pytest.raises(ValueError, match=r"grads\[1\] must have shape \(3,\) like params\[1\]"):
        opt.step([np.zeros(2), np.zeros(4)])


def test_sgd_nesterov_dampening_weight_decay():
    # Nesterov: b₁ = 1 → p = 1 − 0.1·(1 + 0.9·1) = 0.81;
    # b₂ = 0.9·1 + 2 = 2.9 → p = 0.81 − 0.1·(2 + 0.9·2.9) = 0.349
    assert run(nn.SGD, lr=0.1, momentum=0.9, nesterov=True) == pytest.approx((0.81, 0.349))
    # dampening 0.5: b₁ = g₁ = 1 (the first step is undamped) → 0.9; b₂ = 0.9 + 0.5·2 = 1.9
    assert run(nn.SGD, lr=0.1, momentum=0.9, dampening=0.5) == pytest.approx((0.9, 0.71))
    # weight decay 0.5 adds 0.5·p: g₁ = 1 + 0.5 → p = 0.85; g₂ = 2 + 0.425 → p = 0.6075
    assert run(nn.SGD, lr=0.1, weight_decay=0.5) == pytest.approx((0.85, 0.6075))


def test_adam_amsgrad_keeps_the_largest_second_moment():
    p = np.array([0.0])
    opt = nn.Adam([p], lr=0.1, betas=(0.0, 0.5), amsgrad=True)
    opt.step([np.array([2.0])])  # v = 0.5·4 = 2, v̂ = 2/0.5 = 4 → step 0.1·2/2
    assert p[0] == pytest.approx(-0.1, rel=1e-6)
    opt.step([np.array([0.1])])  # v = 1.005 < v_max = 2; v̂ = 2/0.75 → step 0.1·0.1/√(8/3)
    assert p[0] == pytest.approx(-0.1 - 0.01 / math.sqrt(8 / 3), rel=1e-6)
    q = np.array([1.0])
    nn.Adam([q], lr=0.1, weight_decay=1.0).step([np.array([0.0])])  # g = 0 + 1·1
    assert q[0] == pytest.approx(0.9, rel=1e-6)


def test_rmsprop_centered_and_momentum():
    p = np.array([0.0])
    opt = nn.RMSprop([p], lr=0.1, alpha=0.5, eps=0.0, centered=True, momentum=0.5)
    opt.step([np.array([2.0])])  # v = 2, ḡ = 1, step = 2/√(2 − 1) = 2, b = 2
    assert p[0] == pytest.approx(-0.2)
    opt.step([np.array([2.0])])  # v = 3, ḡ = 1.5, step = 2/√0.75, b = 1 + step
    assert p[0] == pytest.approx(-0.2 - 0.1 * (1 + 2 / math.sqrt(0.75)))


def test_option_errors():
    with pytest.raises(ValueError, match="nesterov needs momentum > 0 and dampening = 0"):
        nn.SGD([np.zeros(2)], lr=0.1, nesterov=True)
    with pytest.raises(ValueError, match=r"dampening must lie in \[0, 1.0\]"):
        nn.SGD([np.zeros(2)], lr=0.1, momentum=0.9, dampening=2.0)
    with pytest.raises(ValueError, match="weight_decay must lie in"):
        nn.Adam([np.zeros(2)], weight_decay=-1.0)
    with pytest.raises(ValueError, match="amsgrad must be True or False"):
        nn.Adam([np.zeros(2)], amsgrad="yes")
    with pytest.raises(ValueError, match="centered must be True or False"):
        nn.RMSprop([np.zeros(2)], centered=1)
    with pytest.raises(ValueError, match=r"momentum must lie in \[0, ∞\); got 0.9"):
        nn.SGD([np.zeros(2)], lr=0.1, momentum="0.9")
    with pytest.raises(ValueError, match="lr must be >= 0; got '0.1'"):
        nn.SGD([np.zeros(2)], lr="0.1")
