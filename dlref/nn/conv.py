"""2-D convolution (cross-correlation, as torch.nn.functional.conv2d) via im2col."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt
from numpy.lib.stride_tricks import sliding_window_view

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
    The windows of x̃ are a strided view (N, C, H_out, W_out, KH, KW); one tensordot contracts
    them with w over (C, KH, KW).
    """
    name = "conv2d_forward"
    x = as_float_ndim(name, "x", x, 4, "(N, C, H, W)")
    w = as_float(w)
    n, c, h, wd = x.shape
    if w.ndim != 4 or w.shape[1] != c:
        raise ValueError(f"{name}: w must have shape (F, C, KH, KW) with C={c} matching "
                         f"x (N, C, H, W); got {w.shape}")
    s, p = pos_int(name, "stride", stride), pos_int(name, "padding", padding, 0)
    f, _, kh, kw = w.shape
    if kh > h + 2 * p or kw > wd + 2 * p:
        raise ValueError(f"{name}: kernel ({kh}, {kw}) is larger than the padded input "
                         f"({h + 2 * p}, {wd + 2 * p})")
    if b is not None:
        b = as_float(b)
        check_shape(name, "b", b, (f,), f"(F,) = ({f},)")
    xp = np.pad(x, ((0, 0), (0, 0), (p, p), (p, p))) if p else x
    cols = sliding_window_view(xp, (kh, kw), axis=(2, 3))[:, :, ::s, ::s]
    out = np.tensordot(cols, w, axes=([1, 4, 5], [1, 2, 3])).transpose(0, 3, 1, 2)
    if b is not None:
        out = out + b[:, None, None]
    return np.ascontiguousarray(out), (xp.shape, cols, w, s, p, b is not None)


def conv2d_backward(dout: npt.ArrayLike,
                    cache: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """dw[f,c,p,q] = Σ_{n,i,j} dy[n,f,i,j] · x̃[n,c,S·i+p,S·j+q],  db[f] = Σ_{n,i,j} dy[n,f,i,j],
    dx̃[n,c,S·i+p,S·j+q] += Σ_f dy[n,f,i,j] · w[f,c,p,q] (one strided add per kernel offset p, q),
    then dx is dx̃ without the padding."""
    xp_shape, cols, w, s, p, has_bias = cache
    dout = as_float(dout)
    n, _, oh, ow = cols.shape[:4]
    f, c, kh, kw = w.shape
    check_shape("conv2d_backward", "dout", dout, (n, f, oh, ow), f"(N, F, H_out, W_out) = "
                f"{(n, f, oh, ow)}")
    db = dout.sum(axis=(0, 2, 3)) if has_bias else None
    dw = np.tensordot(dout, cols, axes=([0, 2, 3], [0, 2, 3]))
    dcols = np.tensordot(w, dout, axes=([0], [1]))  # (C, KH, KW, N, H_out, W_out)
    dxp = np.zeros((xp_shape[1], xp_shape[0]) + xp_shape[2:])  # (C, N, H+2P, W+2P)
    for i in range(kh):
        for j in range(kw):
            dxp[:, :, i:i + s * oh:s, j:j + s * ow:s] += dcols[:, i, j]
    dx = dxp[:, :, p:xp_shape[2] - p, p:xp_shape[3] - p].transpose(1, 0, 2, 3)
    return np.ascontiguousarray(dx), dw, db


def conv2d_num_params(in_channels: int, out_channels: int, kh: int, kw: int,
                      bias: bool = True) -> int:
    """Parameters of nn.Conv2d: out·in·KH·KW weights + out biases."""
    name = "conv2d_num_params"
    c, f = pos_int(name, "in_channels", in_channels), pos_int(name, "out_channels", out_channels)
    kh, kw = pos_int(name, "kh", kh), pos_int(name, "kw", kw)
    return f * c * kh * kw + (f if bias else 0)
