"""Max and average pooling: values, overlapping windows, gradients, tie-breaking, errors."""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import assert_grad

from dlref import nn

RNG = np.random.default_rng(4)
X44 = np.arange(16.0).reshape(1, 1, 4, 4)


def distinct(shape):
    """Values at least 0.1 apart, so a 1e-6 nudge never changes which one is the max."""
    return RNG.permutation(int(np.prod(shape))).reshape(shape) * 0.1 - 1.0


def pool_loops(x, k, s, op):
    n, c, h, w = x.shape
    oh, ow = (h - k[0]) // s[0] + 1, (w - k[1]) // s[1] + 1
    out = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            out[:, :, i, j] = op(x[:, :, i * s[0]:i * s[0] + k[0], j * s[1]:j * s[1] + k[1]],
                                 axis=(2, 3))
    return out


def test_known_values():
    out, _ = nn.max_pool2d_forward(X44, 2)
    np.testing.assert_array_equal(out, [[[[5.0, 7.0], [13.0, 15.0]]]])
    out, _ = nn.avg_pool2d_forward(X44, 2)
    np.testing.assert_array_equal(out, [[[[2.5, 4.5], [10.5, 12.5]]]])
    out, _ = nn.max_pool2d_forward(X44, 3, stride=1)
    np.testing.assert_array_equal(out, [[[[10.0, 11.0], [14.0, 15.0]]]])


@pytest.mark.parametrize(("k", "s"), [(2, None), (3, 2), (3, 1), ((2, 3), (1, 2)), (1, 1)])
@pytest.mark.parametrize(("fwd", "op"), [(nn.max_pool2d_forward, np.max),
                                         (nn.avg_pool2d_forward, np.mean)])
def test_matches_loops(k, s, fwd, op):
    x = RNG.standard_normal((2, 3, 7, 8))
    kk = (k, k) if isinstance(k, int) else k
    ss = kk if s is None else ((s, s) if isinstance(s, int) else s)
    out, _ = fwd(x, k, s)
    np.testing.assert_allclose(out, pool_loops(x, kk, ss, op), atol=1e-12)
    assert out.shape[2:] == nn.pool2d_output_shape(7, 8, k, s)


@pytest.mark.parametrize(("k", "s"), [(2, None), (3, 2), (3, 1), ((2, 3), (1, 2))])
@pytest.mark.parametrize(("fwd", "bwd"), [(nn.max_pool2d_forward, nn.max_pool2d_backward),
                                          (nn.avg_pool2d_forward, nn.avg_pool2d_backward)])
def test_gradients_match_finite_differences(k, s, fwd, bwd):
    x = distinct((2, 2, 6, 7))
    out, cache = fwd(x, k, s)
    dout = RNG.standard_normal(out.shape)
    assert_grad(bwd(dout, cache), lambda: fwd(x, k, s)[0], x, dout)


def test_max_pool_ties_go_to_the_first_maximum_in_row_major_order():
    x = np.array([[[[1.0, 3.0], [3.0, 3.0]]]])
    _, cache = nn.max_pool2d_forward(x, 2)
    np.testing.assert_array_equal(nn.max_pool2d_backward(np.array([[[[1.0]]]]), cache),
                                  [[[[0.0, 1.0], [0.0, 0.0]]]])
    _, cache = nn.max_pool2d_forward(np.zeros((1, 1, 2, 2)), 2)
    np.testing.assert_array_equal(nn.max_pool2d_backward(np.array([[[[2.0]]]]), cache),
                                  [[[[2.0, 0.0], [0.0, 0.0]]]])


def test_overlapping_max_windows_accumulate():
    x = np.zeros((1, 1, 3, 3))
    x[0, 0, 1, 1] = 1.0  # the centre is the max of all four 2×2 windows at stride 1
    out, cache = nn.max_pool2d_forward(x, 2, stride=1)
    np.testing.assert_array_equal(out, np.ones((1, 1, 2, 2)))
    dx = nn.max_pool2d_backward(np.ones((1, 1, 2, 2)), cache)
    assert dx[0, 0, 1, 1] == 4.0 and dx.sum() == 4.0


def test_avg_pool_backward_spreads_evenly():
    _, cache = nn.avg_pool2d_forward(X44, 2)
    dx = nn.avg_pool2d_backward(np.ones((1, 1, 2, 2)), cache)
    np.testing.assert_array_equal(dx, np.full((1, 1, 4, 4), 0.25))


def test_output_shape():
    assert nn.pool2d_output_shape(32, 32, 2) == (16, 16)
    assert nn.pool2d_output_shape(32, 32, 3, 2) == (15, 15)
    assert nn.pool2d_output_shape(5, 7, (2, 3), (1, 2)) == (4, 3)


def test_errors():
    with pytest.raises(ValueError, match=r"x must have shape \(N, C, H, W\); got \(4, 4\)"):
        nn.max_pool2d_forward(np.ones((4, 4)), 2)
    with pytest.raises(ValueError, match=r"kernel \(5, 5\) is larger than the input"):
        nn.avg_pool2d_forward(np.ones((1, 1, 4, 4)), 5)
    with pytest.raises(ValueError, match="kernel_size must be an int or a pair"):
        nn.max_pool2d_forward(np.ones((1, 1, 4, 4)), (2, 2, 2))
    with pytest.raises(ValueError, match="stride must be an integer >= 1; got 0"):
        nn.max_pool2d_forward(np.ones((1, 1, 4, 4)), 2, 0)
    _, cache = nn.max_pool2d_forward(np.ones((1, 1, 4, 4)), 2)
    with pytest.raises(ValueError, match=r"dout must have shape .* = \(1, 1, 2, 2\)"):
        nn.max_pool2d_backward(np.ones((1, 1, 4, 4)), cache)
    _, cache = nn.avg_pool2d_forward(np.ones((1, 1, 4, 4)), 2)
    with pytest.raises(ValueError, match=r"dout must have shape .* = \(1, 1, 2, 2\)"):
        nn.avg_pool2d_backward(np.ones((1, 1, 3, 3)), cache)
