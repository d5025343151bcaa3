"""Conv2d: a hand-computed example, a loop reference, gradients, output shapes, errors."""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import assert_grad

from dlref import nn

RNG = np.random.default_rng(3)
X33 = np.arange(1.0, 10.0).reshape(1, 1, 3, 3)  # [[1 2 3] [4 5 6] [7 8 9]]


def conv_loops(x, w, b, stride, padding):
    """Seven nested loops: the definition, for comparison."""
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (padding, padding), (padding, padding)))
    oh, ow = (h + 2 * padding - kh) // stride + 1, (wd + 2 * padding - kw) // stride + 1
    out = np.zeros((n, f, oh, ow))
    for i in range(n):
        for k in range(f):
            for r in range(oh):
                for s in range(ow):
                    patch = xp[i, :, r * stride:r * stride + kh, s * stride:s * stride + kw]
                    out[i, k, r, s] = np.sum(patch * w[k]) + (0.0 if b is None else b[k])
    return out


def test_hand_computed_3x3():
    w = np.array([[[[1.0, 2.0], [3.0, 4.0]]]])
    out, _ = nn.conv2d_forward(X33, w, [0.5])
    # top-left: 1·1 + 2·2 + 3·4 + 4·5 = 37, then slide one step right/down
    np.testing.assert_allclose(out, [[[[37.5, 47.5], [67.5, 77.5]]]])


def test_hand_computed_padding_and_stride():
    out, _ = nn.conv2d_forward(X33, np.ones((1, 1, 3, 3)), None, stride=2, padding=1)
    # windows of the zero-padded 5×5 input at rows/cols 0 and 2
    np.testing.assert_allclose(out, [[[[1 + 2 + 4 + 5, 2 + 3 + 5 + 6],
                                       [4 + 5 + 7 + 8, 5 + 6 + 8 + 9]]]])


@pytest.mark.parametrize(("stride", "padding", "k"), [(1, 0, (3, 3)), (2, 1, (3, 2)),
                                                      (3, 2, (2, 3)), (1, 1, (1, 1))])
def test_matches_loops(stride, padding, k):
    x = RNG.standard_normal((2, 3, 7, 6))
    w = RNG.standard_normal((4, 3) + k)
    b = RNG.standard_normal(4)
    out, _ = nn.conv2d_forward(x, w, b, stride, padding)
    np.testing.assert_allclose(out, conv_loops(x, w, b, stride, padding), atol=1e-12)
    assert out.shape[2:] == nn.conv_output_shape(7, 6, *k, stride, padding)


@pytest.mark.parametrize(("stride", "padding", "bias"), [(1, 0, True), (2, 1, True),
                                                         (2, 2, False), (3, 1, True)])
def test_gradients_match_finite_differences(stride, padding, bias):
    x = RNG.standard_normal((2, 2, 5, 6))
    w = RNG.standard_normal((3, 2, 3, 2))
    b = RNG.standard_normal(3) if bias else None
    out, cache = nn.conv2d_forward(x, w, b, stride, padding)
    dout = RNG.standard_normal(out.shape)
    dx, dw, db = nn.conv2d_backward(dout, cache)

    def f():
        return nn.conv2d_forward(x, w, b, stride, padding)[0]

    assert_grad(dx, f, x, dout)
    assert_grad(dw, f, w, dout)
    if bias:
        assert_grad(db, f, b, dout)
    else:
        assert db is None


def test_output_shape_and_num_params():
    assert nn.conv_output_shape(32, 32, 3, 3, 1, 1) == (32, 32)
    assert nn.conv_output_shape(28, 28, 5, 5) == (24, 24)
    assert nn.conv_output_shape(7, 7, 3, 3, stride=2) == (3, 3)
    assert nn.conv_output_shape(224, 224, 7, 7, stride=2, padding=3) == (112, 112)
    assert nn.conv2d_num_params(3, 16, 3, 3) == 448
    assert nn.conv2d_num_params(3, 16, 3, 3, bias=False) == 432
    with pytest.raises(ValueError, match="larger than the padded input"):
        nn.conv_output_shape(2, 2, 3, 3)


def test_errors_name_the_shapes():
    x = np.ones((1, 3, 5, 5))
    with pytest.raises(ValueError, match=r"w must have shape \(F, C, KH, KW\) with C=3 "
                                         r"matching x \(N, C, H, W\); got \(16, 4, 3, 3\)"):
        nn.conv2d_forward(x, np.ones((16, 4, 3, 3)), None)
    with pytest.raises(ValueError, match=r"x must have shape \(N, C, H, W\) or \(C, H, W\); "
                                         r"got \(5, 5\)"):
        nn.conv2d_forward(np.ones((5, 5)), np.ones((1, 3, 3, 3)), None)
    with pytest.raises(ValueError, match=r"b must have shape \(F,\) = \(2,\); got \(3,\)"):
        nn.conv2d_forward(x, np.ones((2, 3, 3, 3)), np.ones(3))
    with pytest.raises(ValueError, match="stride must be an integer >= 1; got 0"):
        nn.conv2d_forward(x, np.ones((2, 3, 3, 3)), None, stride=0)
    with pytest.raises(ValueError, match="padding must be an integer >= 0; got -1"):
        nn.conv2d_forward(x, np.ones((2, 3, 3, 3)), None, padding=-1)
    with pytest.raises(ValueError, match=r"kernel \(7, 7\) is larger than the padded input"):
        nn.conv2d_forward(x, np.ones((2, 3, 7, 7)), None)
    _, cache = nn.conv2d_forward(x, np.ones((2, 3, 3, 3)), None)
    with pytest.raises(ValueError, match=r"dout must have shape \(N, F, H_out, W_out\)"):
        nn.conv2d_backward(np.ones((1, 2, 5, 5)), cache)


def conv_loops_general(x, w, b, stride, pad, dilation, groups):
    """The definition with every option, one output element at a time; pad = (t, b, l, r)."""
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    (sh, sw), (dh, dw) = stride, dilation
    xp = np.pad(x, ((0, 0), (0, 0), pad[:2], pad[2:]))
    oh = (xp.shape[2] - dh * (kh - 1) - 1) // sh + 1
    ow = (xp.shape[3] - dw * (kw - 1) - 1) // sw + 1
    out = np.zeros((n, f, oh, ow))
    for i in range(n):
        for k in range(f):
            grp = k // (f // groups)
            for r in range(oh):
                for s in range(ow):
                    patch = xp[i, grp * cg:(grp + 1) * cg,
                               r * sh:r * sh + dh * (kh - 1) + 1:dh,
                               s * sw:s * sw + dw * (kw - 1) + 1:dw]
                    out[i, k, r, s] = np.sum(patch * w[k]) + (0.0 if b is None else b[k])
    return out


def as_pair(v):
    return (v, v) if isinstance(v, int) else v


CONV_OPTIONS = [  # stride, padding, dilation, groups, kernel, (t, b, l, r) padding it means
    (1, "same", 2, 2, (3, 3), (2, 2, 2, 2)),
    (1, "same", 1, 1, (2, 4), (0, 1, 1, 2)),  # even kernels: the odd pad goes bottom/right
    (1, "valid", 1, 4, (3, 3), (0, 0, 0, 0)),
    ((2, 1), (1, 2), (1, 2), 2, (3, 2), (1, 1, 2, 2)),
    (2, 1, 3, 1, (2, 2), (1, 1, 1, 1)),
]


@pytest.mark.parametrize(("stride", "padding", "dilation", "groups", "k", "pads"),
                         CONV_OPTIONS)
def test_options_match_loops_and_finite_differences(stride, padding, dilation, groups, k, pads):
    x = RNG.standard_normal((2, 4, 7, 8))
    w, b = RNG.standard_normal((4, 4 // groups) + k), RNG.standard_normal(4)
    out, cache = nn.conv2d_forward(x, w, b, stride, padding, dilation, groups)
    ref = conv_loops_general(x, w, b, as_pair(stride), pads, as_pair(dilation), groups)
    np.testing.assert_allclose(out, ref, atol=1e-12)
    if padding == "same":
        assert out.shape[2:] == x.shape[2:]
    dout = RNG.standard_normal(out.shape)
    dx, dw, db = nn.conv2d_backward(dout, cache)
    args = (stride, padding, dilation, groups)
    assert_grad(dx, lambda: nn.conv2d_forward(x, w, b, *args)[0], x, dout)
    assert_grad(dw, lambda: nn.conv2d_forward(x, w, b, *args)[0], w, dout)
    assert_grad(db, lambda: nn.conv2d_forward(x, w, b, *args)[0], b, dout)


def test_unbatched_input():
    x, w = RNG.standard_normal((2, 5, 5)), RNG.standard_normal((3, 2, 3, 3))
    out, cache = nn.conv2d_forward(x, w, None, padding=1)
    batched, bcache = nn.conv2d_forward(x[None], w, None, padding=1)
    np.testing.assert_array_equal(out, batched[0])
    dout = RNG.standard_normal(out.shape)
    dx, dw, db = nn.conv2d_backward(dout, cache)
    bdx, bdw, _ = nn.conv2d_backward(dout[None], bcache)
    np.testing.assert_array_equal(dx, bdx[0])
    np.testing.assert_array_equal(dw, bdw)
    assert db is None


def test_option_errors():
    x = np.ones((1, 4, 5, 5))
    with pytest.raises(ValueError, match="at least one filter and a kernel of at least 1×1"):
        nn.conv2d_forward(x, np.ones((2, 4, 0, 3)), None)
    with pytest.raises(ValueError, match="at least one filter"):
        nn.conv2d_forward(x, np.ones((0, 4, 3, 3)), None)
    with pytest.raises(ValueError, match="groups=3 must divide the C=4 channels"):
        nn.conv2d_forward(x, np.ones((3, 1, 3, 3)), None, groups=3)
    with pytest.raises(ValueError, match="groups=2 must divide the F=3 filters"):
        nn.conv2d_forward(x, np.ones((3, 2, 3, 3)), None, groups=2)
    with pytest.raises(ValueError, match=r"w must have shape \(F, C/groups, KH, KW\) with "
                                         r"C/groups=2 \(groups=2\)"):
        nn.conv2d_forward(x, np.ones((2, 4, 3, 3)), None, groups=2)
    with pytest.raises(ValueError, match="padding='same' needs stride 1"):
        nn.conv2d_forward(x, np.ones((2, 4, 3, 3)), None, stride=2, padding="same")
    with pytest.raises(ValueError, match="padding must be an int, a pair, 'same' or 'valid'"):
        nn.conv2d_forward(x, np.ones((2, 4, 3, 3)), None, padding="full")
    with pytest.raises(ValueError, match=r"kernel \(5, 5\) is larger .* dilated by \(2, 2\)"):
        nn.conv2d_forward(np.ones((1, 4, 4, 4)), np.ones((2, 4, 3, 3)), None, dilation=2)
    with pytest.raises(ValueError, match="dilation must be an integer >= 1; got 0"):
        nn.conv2d_forward(x, np.ones((2, 4, 3, 3)), None, dilation=0)
    assert nn.conv_output_shape(9, 9, 3, 3, dilation=2) == (5, 5)
    assert nn.conv2d_num_params(4, 8, 3, 3, groups=2) == 8 * 2 * 9 + 8


def test_remembered_geometries_still_refuse_what_the_checks_refuse():
    x, w = np.ones((1, 2, 5, 5)), np.ones((3, 2, 3, 3))
    nn.conv2d_forward(x, w, None, 1, 1, 1, 1)  # remembered for these int options
    for kwargs, message in (({"stride": 1.0}, "stride must be an integer"),
                            ({"stride": True}, "stride must be an integer"),
                            ({"padding": True}, "padding must be an integer"),
                            ({"dilation": 1.0}, "dilation must be an integer"),
                            ({"groups": True}, "groups must be an integer")):
        with pytest.raises(ValueError, match=message):
            nn.conv2d_forward(x, w, None, **{"stride": 1, "padding": 1, **kwargs})
    out, _ = nn.conv2d_forward(x, w, None, (1, 1), [1, 1], np.int64(1), np.int64(1))
    np.testing.assert_array_equal(out, nn.conv2d_forward(x, w, None, 1, 1)[0])


@pytest.mark.parametrize(("k", "stride", "padding", "dilation"),
                         [(1, 1, 0, 1), (3, 1, 0, 1), (3, 2, 1, 2), (2, (2, 1), (0, 1), 1)])
def test_columns_are_the_taps_and_a_copy_of_x(k, stride, padding, dilation):
    """The strided view that im2col copies holds, at (p, q), the tap g.taps yields there."""
    x = RNG.standard_normal((2, 3, 7, 6))
    w = RNG.standard_normal((4, 3, k, k))
    out, cache = nn.conv2d_forward(x, w, None, stride, padding, dilation)
    g, (n, c, _, _) = cache.geometry, cache.xp_shape
    oh, ow = g.out
    cols = cache.cols.reshape(n, c, k, k, oh, ow)
    top, _, left, _ = g.pad
    xp = np.zeros(cache.xp_shape)
    xp[:, :, top:top + 7, left:left + 6] = x
    for p, q, view in g.taps(xp, k, k):
        np.testing.assert_array_equal(cols[:, :, p, q], view)
    assert not np.shares_memory(cache.cols, x)  # a later change to x leaves the gradients
