"""2-D convolution (cross-correlation, as torch.nn.functional.conv2d) via im2col."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float, as_float_ndim, check_shape, pos_int


def conv_output_shape(h: int, w: int, kh: int, kw: int, stride: int = 1,
                      padding: int = 0) -> tuple[int, int]:
    """Output size of a convolution: H_out = ⌊(H + 2P − KH) / S⌋ + 1, likewise W_out."""
    name = "conv_output_shape"
    h, w = pos_int(name, "h", h), pos_int(name, "w", w)
    kh, kw = pos_int(name, "kh", kh), pos_int(name, "kw", kw)
    s, p = pos_int(name, "stride", stride), pos_int(name, "padding", padding, 0)
    if kh > h + 2 * p or kw > w + 2 * p:
        raise ValueError(f"{name}: kernel ({kh}, {kw}) is larger than the padded input "
                         f"({h + 2 * p}, {w + 2 * p})")
    return (h + 2 * p - kh) // s + 1, (w + 2 * p - kw) // s + 1


def conv2d_forward(x: npt.ArrayLike, w: npt.ArrayLike, b: npt.ArrayLike | None,
                   stride: int = 1, padding: int = 0) -> tuple[np.ndarray, Any]:
    """y[n, f, i, j] = b[f] + Σ_c Σ_p Σ_q x̃[n, c, S·i + p, S·j + q] · w[f, c, p, q].

    x (N, C, H, W), w (F, C, KH, KW), b (F,) or None; x̃ is x zero-padded by P on each side.
    im2col: for each sample, the columns X (C·KH·KW, H_out·W_out) hold, for every kernel offset
    (p, q), the strided slice x̃[c, p::S, q::S]; then y = W X, W reshaped to (F, C·KH·KW).
    The bias rides along as the weight of one extra row of ones in X.
    """
    name = "conv2d_forward"
    x = as_float_ndim(name, "x", x, 4, "(N, C, H, W)")
    w = as_float(w)
    n, c, h, wd = x.shape
    if w.ndim != 4 or w.shape[1] != c:
        raise ValueError(f"{name}: w must have shape (F, C, KH, KW) with C={c} matching "
                         f"x (N, C, H, W); got {w.shape}")
    s, pad = pos_int(name, "stride", stride), pos_int(name, "padding", padding, 0)
    f, _, kh, kw = w.shape
    wm = w.reshape(f, -1)
    if b is not None:
        b = as_float(b)
        check_shape(name, "b", b, (f,), f"(F,) = ({f},)")
        wm = np.concatenate([wm, b[:, None]], axis=1)
    if kh > h + 2 * pad or kw > wd + 2 * pad:
        raise ValueError(f"{name}: kernel ({kh}, {kw}) is larger than the padded input "
                         f"({h + 2 * pad}, {wd + 2 * pad})")
    oh, ow = (h + 2 * pad - kh) // s + 1, (wd + 2 * pad - kw) // s + 1
    xp = x
    if pad:
        xp = np.zeros((n, c, h + 2 * pad, wd + 2 * pad))
        xp[:, :, pad:pad + h, pad:pad + wd] = x
    cols = np.empty((n, wm.shape[1], oh * ow))
    win = cols[:, :c * kh * kw].reshape(n, c, kh, kw, oh, ow)
    for p in range(kh):
        for q in range(kw):
            win[:, :, p, q] = xp[:, :, p:p + s * (oh - 1) + 1:s, q:q + s * (ow - 1) + 1:s]
    if b is not None:
        cols[:, -1] = 1.0
    out = np.matmul(wm, cols).reshape(n, f, oh, ow)
    return out, (xp.shape, cols, w, s, pad, b is not None)


def conv2d_backward(dout: npt.ArrayLike,
                    cache: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Per sample, with dY (F, H_out·W_out) and the columns X of the forward pass:
    dW = Σₙ dY Xᵀ (its last column, against the row of ones, is db = Σ dy),  dX = Wᵀ dY,
    and dX is added back into dx̃ one kernel offset (p, q) at a time (overlapping windows
    accumulate); dx is dx̃ without the padding."""
    xp_shape, cols, w, s, pad, has_bias = cache
    dout = as_float(dout)
    n, c, hp, wp = xp_shape
    f, _, kh, kw = w.shape
    oh, ow = (hp - kh) // s + 1, (wp - kw) // s + 1
    check_shape("conv2d_backward", "dout", dout, (n, f, oh, ow), f"(N, F, H_out, W_out) = "
                f"{(n, f, oh, ow)}")
    dy = dout.reshape(n, f, oh * ow)
    dwm = np.matmul(dy, cols.transpose(0, 2, 1)).sum(axis=0)
    dw, db = dwm[:, :c * kh * kw].reshape(w.shape), (dwm[:, -1] if has_bias else None)
    dwin = np.matmul(w.reshape(f, -1).T, dy).reshape(n, c, kh, kw, oh, ow)
    dxp = np.zeros(xp_shape)
    for p in range(kh):
        for q in range(kw):
            dxp[:, :, p:p + s * (oh - 1) + 1:s, q:q + s * (ow - 1) + 1:s] += dwin[:, :, p, q]
    return (dxp[:, :, pad:hp - pad, pad:wp - pad].copy() if pad else dxp), dw, db


def conv2d_num_params(in_channels: int, out_channels: int, kh: int, kw: int,
                      bias: bool = True) -> int:
    """Parameters of nn.Conv2d: out·in·KH·KW weights + out biases."""
    name = "conv2d_num_params"
    c, f = pos_int(name, "in_channels", in_channels), pos_int(name, "out_channels", out_channels)
    kh, kw = pos_int(name, "kh", kh), pos_int(name, "kw", kw)
    return f * c * kh * kw + (f if bias else 0)
