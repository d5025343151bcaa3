"""Max and average pooling: values, overlapping windows, gradients, tie-breaking, errors."""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import assert_grad

from dlref import nn
from dlref.nn import pooling

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
    with pytest.raises(ValueError, match=r"x must have shape \(N, C, H, W\) or \(C, H, W\); "
                                           r"got \(4, 4\)"):
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


OPTIONS = [  # (kernel_size, stride, padding, ceil_mode)
    (3, 2, 1, False),  # ResNet's stem
    (3, 2, 1, True),
    (2, 2, 0, True),  # odd size: the last window hangs over the edge
    ((3, 2), (2, 1), (1, 0), False),
    (3, 3, 1, True),
]


def pool_loops_padded(x, k, s, p, ceil, mode, include_pad=True):
    """PyTorch's loops (aten's CPU kernels), one window at a time."""
    n, c, h, w = x.shape
    oh, ow = nn.pool2d_output_shape(h, w, k, s, p, ceil)
    out = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * s[0] - p[0], j * s[1] - p[1]
            r1, c1 = min(r0 + k[0], h + p[0]), min(c0 + k[1], w + p[1])
            size = (r1 - r0) * (c1 - c0)
            r0, c0, r1, c1 = max(r0, 0), max(c0, 0), min(r1, h), min(c1, w)
            win = x[:, :, r0:r1, c0:c1]
            if mode == "max":
                out[:, :, i, j] = win.max(axis=(2, 3))
            else:
                out[:, :, i, j] = win.sum(axis=(2, 3)) / (size if include_pad
                                                          else (r1 - r0) * (c1 - c0))
    return out


def as_pair(v):
    return (v, v) if isinstance(v, int) else v


@pytest.mark.parametrize(("k", "s", "p", "ceil"), OPTIONS)
@pytest.mark.parametrize("include_pad", [True, False])
def test_padding_and_ceil_mode_match_loops(k, s, p, ceil, include_pad):
    x = RNG.standard_normal((2, 2, 7, 8)) - 3.0  # all negative: padding must not win a max
    args = (as_pair(k), as_pair(s), as_pair(p), ceil)
    out, _ = nn.max_pool2d_forward(x, k, s, p, ceil)
    np.testing.assert_array_equal(out, pool_loops_padded(x, *args, "max"))
    out, _ = nn.avg_pool2d_forward(x, k, s, p, ceil, include_pad)
    np.testing.assert_allclose(out, pool_loops_padded(x, *args, "avg", include_pad), atol=1e-12)
    np.testing.assert_allclose(nn.avg_pool2d_sums(x, k, s, p, ceil, include_pad), out,
                               atol=1e-12)


@pytest.mark.parametrize(("k", "s", "p", "ceil"), OPTIONS)
def test_option_gradients_match_finite_differences(k, s, p, ceil):
    x = distinct((1, 2, 7, 8))
    for fwd, bwd, kw in ((nn.max_pool2d_forward, nn.max_pool2d_backward, {}),
                         (nn.avg_pool2d_forward, nn.avg_pool2d_backward, {}),
                         (nn.avg_pool2d_forward, nn.avg_pool2d_backward,
                          {"count_include_pad": False})):
        out, cache = fwd(x, k, s, p, ceil, **kw)
        dout = RNG.standard_normal(out.shape)
        assert_grad(bwd(dout, cache), lambda fwd=fwd, kw=kw: fwd(x, k, s, p, ceil, **kw)[0], x,
                    dout)
        if fwd is nn.avg_pool2d_forward:
            np.testing.assert_allclose(nn.avg_pool2d_backward_sums(dout, cache),
                                       bwd(dout, cache), atol=1e-12)


def test_resnet_stem_known_values_and_indices():
    x = np.arange(16.0).reshape(1, 1, 4, 4)
    out, idx, cache = nn.max_pool2d_forward(x, 3, 2, padding=1, return_indices=True)
    np.testing.assert_array_equal(out, [[[[5.0, 7.0], [13.0, 15.0]]]])
    np.testing.assert_array_equal(idx, [[[[5, 7], [13, 15]]]])
    np.testing.assert_array_equal(cache.indices, idx)
    out, _ = nn.avg_pool2d_forward(x, 3, 2, padding=1)
    np.testing.assert_allclose(out, [[[[10 / 9, 24 / 9], [51 / 9, 90 / 9]]]])
    out, _ = nn.avg_pool2d_forward(x, 3, 2, padding=1, count_include_pad=False)
    np.testing.assert_allclose(out, [[[[10 / 4, 24 / 6], [51 / 6, 90 / 9]]]])


def test_all_minus_inf_window_takes_a_real_cell_not_padding():
    x = np.full((1, 1, 2, 2), -np.inf)
    out, idx, cache = nn.max_pool2d_forward(x, 3, 1, padding=1, return_indices=True)
    assert np.all(out == -np.inf)
    # each window's first cell inside x, in row-major order
    np.testing.assert_array_equal(idx, [[[[0, 0], [0, 0]]]])
    dx = nn.max_pool2d_backward(np.ones(out.shape), cache)
    np.testing.assert_array_equal(dx, [[[[4.0, 0.0], [0.0, 0.0]]]])


def test_nan_and_inf_stay_in_their_windows():
    x = np.array([[[[np.nan, 0.0]]]])
    out, cache = nn.avg_pool2d_forward(x, 1)
    np.testing.assert_array_equal(out, [[[[np.nan, 0.0]]]])
    np.testing.assert_array_equal(nn.avg_pool2d_backward(np.array([[[[np.nan, 1.0]]]]), cache),
                                  [[[[np.nan, 1.0]]]])
    x = np.zeros((1, 1, 4, 4))
    x[0, 0, 0, 0], x[0, 0, 3, 3] = np.inf, -np.inf
    out, _ = nn.avg_pool2d_forward(x, 2)
    np.testing.assert_array_equal(out, [[[[np.inf, 0.0], [0.0, -np.inf]]]])
    out, _ = nn.max_pool2d_forward(x, 2)
    np.testing.assert_array_equal(out, [[[[np.inf, 0.0], [0.0, 0.0]]]])


def test_max_pool_window_with_nans_sends_the_gradient_to_its_last_nan():
    x = np.array([[[[1.0, np.nan], [np.nan, 5.0]]]])
    out, idx, cache = nn.max_pool2d_forward(x, 2, return_indices=True)
    assert np.isnan(out).all() and idx.item() == 2
    np.testing.assert_array_equal(nn.max_pool2d_backward(np.ones((1, 1, 1, 1)), cache),
                                  [[[[0.0, 0.0], [1.0, 0.0]]]])


def test_unbatched_input():
    x = RNG.standard_normal((3, 6, 6))
    for fwd, bwd in ((nn.max_pool2d_forward, nn.max_pool2d_backward),
                     (nn.avg_pool2d_forward, nn.avg_pool2d_backward)):
        out, cache = fwd(x, 3, 2, 1)
        batched, bcache = fwd(x[None], 3, 2, 1)
        np.testing.assert_array_equal(out, batched[0])
        dout = RNG.standard_normal(out.shape)
        np.testing.assert_array_equal(bwd(dout, cache), bwd(dout[None], bcache)[0])


def test_fast_forms_agree_with_the_plain_sums_at_large_sizes():
    x = RNG.standard_normal((1, 2, 100, 97))
    out, cache = nn.avg_pool2d_forward(x, 3, 2, 1, True)
    np.testing.assert_allclose(out, pool_loops_padded(x, (3, 3), (2, 2), (1, 1), True, "avg"),
                               atol=1e-12)
    dout = RNG.standard_normal(out.shape)
    np.testing.assert_allclose(nn.avg_pool2d_backward(dout, cache),
                               nn.avg_pool2d_backward_sums(dout, cache), atol=1e-12)


def test_option_errors():
    x = np.ones((1, 1, 4, 4))
    with pytest.raises(ValueError, match="padding must be at most half the kernel size"):
        nn.max_pool2d_forward(x, 2, padding=2)
    with pytest.raises(ValueError, match="padding must be an integer >= 0; got -1"):
        nn.avg_pool2d_forward(x, 2, padding=-1)
    with pytest.raises(ValueError, match="ceil_mode must be True or False; got 'yes'"):
        nn.max_pool2d_forward(x, 2, ceil_mode="yes")
    with pytest.raises(ValueError, match="count_include_pad must be True or False"):
        nn.avg_pool2d_forward(x, 2, count_include_pad=None)
    assert nn.pool2d_output_shape(5, 5, 2, 2, ceil_mode=True) == (3, 3)
    assert nn.pool2d_output_shape(112, 112, 3, 2, padding=1) == (56, 56)


@pytest.mark.parametrize(("k", "s", "p", "ceil"), OPTIONS + [(2, 1, 0, False), (1, 1, 0, False)])
def test_max_pool_ties_go_to_the_first_maximum_with_padding(k, s, p, ceil):
    x = RNG.integers(-2, 2, (2, 3, 9, 8)).astype(float)  # many ties
    x[0, 0, :3, :3] = -np.inf
    out, idx, cache = nn.max_pool2d_forward(x, k, s, p, ceil, return_indices=True)
    kk, ss, pp = as_pair(k), as_pair(s), as_pair(p)
    for i, j in np.ndindex(out.shape[2:]):
        r0, c0 = i * ss[0] - pp[0], j * ss[1] - pp[1]
        cells = [(r, q) for r in range(max(r0, 0), min(r0 + kk[0], 9))
                 for q in range(max(c0, 0), min(c0 + kk[1], 8))]
        for a, b in np.ndindex(2, 3):
            first = next(r * 8 + q for r, q in cells if x[a, b, r, q] == out[a, b, i, j])
            assert idx[a, b, i, j] == first


def test_plain_max_windows_known_values():
    out, index = nn.max_pool2d_windows(X44, 3, 2, padding=1)  # ResNet's stem on 0..15
    np.testing.assert_array_equal(out, [[[[5.0, 7.0], [13.0, 15.0]]]])
    np.testing.assert_array_equal(index, [[[[5, 7], [13, 15]]]])
    # an all −∞ window takes its first cell inside x, never a padding cell
    _, index = nn.max_pool2d_windows(np.full((1, 1, 2, 2), -np.inf), 3, 1, padding=1)
    np.testing.assert_array_equal(index, np.zeros((1, 1, 2, 2)))
    # a window holding NaN is NaN and sends its gradient to the last NaN (flat index 2)
    out, index = nn.max_pool2d_windows(np.array([[[[1.0, np.nan], [np.nan, 5.0]]]]), 2)
    assert np.isnan(out).all() and index.item() == 2


@pytest.mark.parametrize(("k", "s", "p", "ceil"), OPTIONS + [(2, 1, 0, False), (1, 1, 0, False)])
def test_fast_max_pool_agrees_with_the_plain_windows(k, s, p, ceil):
    x = RNG.integers(-2, 2, (2, 3, 9, 8)).astype(float)  # many ties
    x[0, 0, :3, :3] = -np.inf
    x[1, 1, 2, 2] = x[1, 1, 2, 3] = x[1, 2, 6, 6] = np.nan
    x[1, 2, 4, 4] = np.inf
    out, cache = nn.max_pool2d_forward(x, k, s, p, ceil)
    plain, index = nn.max_pool2d_windows(x, k, s, p, ceil)
    np.testing.assert_array_equal(out, plain)
    np.testing.assert_array_equal(cache.index, index)
    out, cache = nn.max_pool2d_forward(x[0], k, s, p, ceil)  # unbatched
    plain, index = nn.max_pool2d_windows(x[0], k, s, p, ceil)
    np.testing.assert_array_equal(out, plain)
    np.testing.assert_array_equal(cache.index[0], index)



# A small x is pooled with one gather (pooling._max_gathered; _mean_gathered, by bincount for
# the fewest cells, else stacked), a large one offset by offset (_max_offsets, _mean_separable):
# every path, run here on the same small inputs, must give what the plain forms give, NaN, ±inf,
# ties and padding included.

def all_paths(x, k, s, p, ceil, include_pad, monkeypatch):
    """[(max out, max index) of each max path], [avg out of each avg path]."""
    x4, g = pooling._geometry("test", x, k, s, p, ceil)
    cache, _ = pooling._avg_cache("test", g, include_pad)
    means = [pooling._mean_separable(x4, cache)]
    for cells in (2 ** 40, 0):  # bincount, stacked
        monkeypatch.setattr(pooling, "_BINCOUNT_CELLS", cells)
        plan = pooling._avg_gather_plan(cache)
        assert plan is not None, "small enough to gather"
        assert (plan[1] is not None) is (cells > 0)
        means.append(pooling._mean_gathered(x4, plan))
    return [pooling._max_gathered(x4, pooling._max_gather_plan(g)),
            pooling._max_offsets(x4, g)], means


@pytest.mark.parametrize(("k", "s", "p", "ceil"), OPTIONS + [(2, 1, 0, False), (1, 1, 0, False),
                                                             (2, 2, 0, False), (2, 3, 0, True)])
@pytest.mark.parametrize("include_pad", [True, False])
def test_gather_and_offset_paths_agree_with_the_plain_forms(k, s, p, ceil, include_pad,
                                                            monkeypatch):
    ties = RNG.integers(-2, 2, (2, 3, 9, 8)).astype(float)  # many ties
    ties[0, 0, :3, :3] = -np.inf
    ties[1, 1, 2, 2] = ties[1, 1, 2, 3] = ties[1, 2, 6, 6] = np.nan
    ties[1, 2, 4, 4] = np.inf
    ties[0, 2, 8, 7] = -np.inf  # bottom-right corner: the windows hanging over in ceil mode
    for x in (ties, RNG.standard_normal((1, 2, 5, 6))):  # and another shape, ties unlikely
        plain, index = nn.max_pool2d_windows(x, k, s, p, ceil)
        mean = nn.avg_pool2d_sums(x, k, s, p, ceil, include_pad)
        maxima, means = all_paths(x, k, s, p, ceil, include_pad, monkeypatch)
        for out, idx in maxima:
            np.testing.assert_array_equal(out, plain)
            np.testing.assert_array_equal(idx, index)
        for avg in means:
            np.testing.assert_allclose(avg, mean, rtol=1e-14, atol=1e-14)  # NaN where NaN


def test_the_public_kernels_take_the_gather_path_only_for_small_inputs():
    small = np.zeros((1, 3, 8, 8))
    big = np.zeros((4, 4, 64, 64))  # 4·4·32·32 windows, past the limit
    for x, gathers in ((small, True), (big, False)):
        _, g = pooling._geometry("test", x, 3, 2, 1, False)
        assert (pooling._max_gather_plan(g) is not None) is gathers
        assert (pooling._avg_cache("test", g, True)[1] is not None) is gathers


def test_remembered_geometries_still_refuse_what_the_checks_refuse():
    x = np.ones((1, 1, 4, 4))
    nn.max_pool2d_forward(x, 2, 2, 0, False)  # remembered for ints and a bool
    nn.avg_pool2d_forward(x, 1)
    for kwargs, message in (({"kernel_size": 2.0}, "kernel_size must be an integer"),
                            ({"kernel_size": True}, "kernel_size must be an integer"),
                            ({"kernel_size": 2, "stride": 2.0}, "stride must be an integer"),
                            ({"kernel_size": 2, "padding": False}, "padding must be an integer"),
                            ({"kernel_size": 2, "ceil_mode": 0}, "ceil_mode must be True")):
        for fwd in (nn.max_pool2d_forward, nn.avg_pool2d_forward):
            with pytest.raises(ValueError, match=message):
                fwd(x, **kwargs)
    # equal options of other types still work, through the checks
    out, _ = nn.max_pool2d_forward(x, np.int64(2), (2, 2), [0, 0], np.bool_(False))
    np.testing.assert_array_equal(out, np.ones((1, 1, 2, 2)))
