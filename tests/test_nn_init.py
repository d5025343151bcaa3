"""Initialisers: fans as PyTorch computes them, variances over large shapes, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest

from dlref import nn


def test_fans():
    assert nn.compute_fans((10, 20)) == (20, 10)
    assert nn.compute_fans((16, 3, 3, 3)) == (27, 144)
    assert nn.compute_fans([4, 2, 5]) == (10, 20)


@pytest.mark.parametrize(("init", "kwargs", "std"), [
    (nn.xavier_uniform, {}, math.sqrt(2 / (300 + 400))),
    (nn.xavier_uniform, {"gain": 5 / 3}, 5 / 3 * math.sqrt(2 / 700)),
    (nn.xavier_normal, {}, math.sqrt(2 / 700)),
    (nn.kaiming_normal, {}, math.sqrt(2 / 300)),
    (nn.kaiming_uniform, {}, math.sqrt(2 / 300)),
])
def test_variance_over_large_shapes(init, kwargs, std):
    w = init((400, 300), rng=0, **kwargs)  # fan_in 300, fan_out 400
    assert w.shape == (400, 300) and w.dtype == np.float64
    assert abs(w.mean()) < 0.05 * std  # the mean's own sd is std/√120000
    assert w.std() == pytest.approx(std, rel=0.01)


def test_uniform_bounds_and_conv_shapes():
    w = nn.kaiming_uniform((64, 16, 3, 3), rng=1)  # fan_in 144
    assert np.abs(w).max() <= math.sqrt(6 / 144)
    assert np.abs(w).max() > 0.99 * math.sqrt(6 / 144)
    w = nn.xavier_uniform((64, 16, 3, 3), rng=1)  # fans 144 and 576
    assert np.abs(w).max() <= math.sqrt(6 / 720)
    assert nn.kaiming_normal((64, 16, 3, 3), rng=2).std() == pytest.approx(math.sqrt(2 / 144),
                                                                           rel=0.02)


def test_rng_forms():
    np.testing.assert_array_equal(nn.xavier_normal((3, 4), rng=5),
                                  nn.xavier_normal((3, 4), rng=np.random.default_rng(5)))
    assert nn.kaiming_normal((3, 4)).shape == (3, 4)


def test_gain():
    assert nn.calculate_gain("tanh") == 5 / 3
    assert nn.calculate_gain("relu") == math.sqrt(2)
    assert nn.calculate_gain("leaky_relu", 0.2) == math.sqrt(2 / 1.04)
    with pytest.raises(ValueError, match="unknown nonlinearity 'swish'"):
        nn.calculate_gain("swish")


@pytest.mark.parametrize("init", [nn.xavier_uniform, nn.xavier_normal, nn.kaiming_normal,
                                  nn.kaiming_uniform])
def test_fewer_than_two_dims_is_an_error(init):
    with pytest.raises(ValueError, match="fewer than 2 dimensions"):
        init((5,))
    with pytest.raises(ValueError, match="every dimension of shape must be an integer >= 1"):
        init((5, 0))


@pytest.mark.parametrize(("kwargs", "std"), [
    ({"mode": "fan_out"}, math.sqrt(2 / 400)),
    ({"a": 0.2}, math.sqrt(2 / (1 + 0.04)) / math.sqrt(300)),
    ({"nonlinearity": "tanh"}, 5 / 3 / math.sqrt(300)),
    ({"nonlinearity": "linear", "mode": "fan_out"}, 1 / math.sqrt(400)),
])
def test_kaiming_options(kwargs, std):
    for init in (nn.kaiming_normal, nn.kaiming_uniform):
        w = init((400, 300), rng=1, **kwargs)
        assert w.std() == pytest.approx(std, rel=0.01)
    with pytest.raises(ValueError, match="mode must be 'fan_in' or 'fan_out'"):
        nn.kaiming_normal((4, 3), mode="in")


@pytest.mark.parametrize("shape", [(5, 3), (3, 5), (4, 2, 3, 3)])
def test_orthogonal_rows_or_columns_are_orthonormal(shape):
    w = nn.orthogonal(shape, gain=2.0, rng=0).reshape(shape[0], -1)
    small = min(w.shape)
    gram = w @ w.T if w.shape[0] == small else w.T @ w
    np.testing.assert_allclose(gram, 4.0 * np.eye(small), atol=1e-12)


def test_trunc_normal_stays_inside_with_the_truncated_spread():
    w = nn.trunc_normal((200, 500), std=1.0, a=-1.0, b=1.0, rng=0)
    assert w.min() >= -1.0 and w.max() <= 1.0
    # the standard normal truncated to [−1, 1] has variance 1 − 2φ(1)/(2Φ(1) − 1) ≈ 0.2911
    assert w.var() == pytest.approx(0.29112, rel=0.01)
    with pytest.raises(ValueError, match="need std > 0 and a < b"):
        nn.trunc_normal((3, 3), a=1.0, b=0.0)


def test_default_init_range():
    w, b = nn.default_init((64, 16, 3, 3), rng=0)
    bound = 1 / math.sqrt(16 * 9)
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.99 * bound
    assert b.shape == (64,) and np.abs(b).max() <= bound
