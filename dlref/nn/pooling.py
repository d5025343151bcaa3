"""2-D max and average pooling (no padding, floor mode), as torch.nn.functional."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float, as_float_ndim, check_shape, pair

IntOrPair = int | tuple[int, int]


def pool2d_output_shape(h: int, w: int, kernel_size: IntOrPair,
                        stride: IntOrPair | None = None) -> tuple[int, int]:
    """Output size of pooling: H_out = ⌊(H − KH) / S⌋ + 1, likewise W_out; S defaults to K."""
    name = "pool2d_output_shape"
    (h, w), (kh, kw) = pair(name, "(h, w)", (h, w)), pair(name, "kernel_size", kernel_size)
    sh, sw = pair(name, "stride", kernel_size if stride is None else stride)
    if kh > h or kw > w:
        raise ValueError(f"{name}: kernel ({kh}, {kw}) is larger than the input ({h}, {w})")
    return (h - kh) // sh + 1, (w - kw) // sw + 1


def _windows(name: str, x: npt.ArrayLike, kernel_size: IntOrPair, stride: IntOrPair | None):
    """x as (N, C, H, W), the output shape (N, C, H_out, W_out), and for each kernel offset
    (p, q) in row-major order the index of x[:, :, p + SH·i, q + SW·j] over all (i, j): the
    element at offset (p, q) of every window, as a strided view of shape (N, C, H_out, W_out)."""
    x = as_float_ndim(name, "x", x, 4, "(N, C, H, W)")
    kh, kw = pair(name, "kernel_size", kernel_size)
    sh, sw = pair(name, "stride", kernel_size if stride is None else stride)
    h, w = x.shape[2:]
    if kh > h or kw > w:
        raise ValueError(f"{name}: kernel ({kh}, {kw}) is larger than the input (H, W) = "
                         f"({h}, {w}) of x {x.shape}")
    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
    offsets = [(Ellipsis, slice(p, p + sh * (oh - 1) + 1, sh), slice(q, q + sw * (ow - 1) + 1, sw))
               for p in range(kh) for q in range(kw)]
    return x, x.shape[:2] + (oh, ow), offsets


def max_pool2d_forward(x: npt.ArrayLike, kernel_size: IntOrPair,
                       stride: IntOrPair | None = None) -> tuple[np.ndarray, Any]:
    """y[n, c, i, j] = max_{p<KH, q<KW} x[n, c, SH·i + p, SW·j + q].

    The cache keeps, for every window, which offset k = p·KW + q won: the first maximum in
    row-major order, as PyTorch (a later offset replaces it only when strictly greater).
    """
    x, out_shape, offsets = _windows("max_pool2d_forward", x, kernel_size, stride)
    out = x[offsets[0]].copy()
    arg = np.zeros(out_shape, dtype=np.intp)
    for k, at in enumerate(offsets[1:], start=1):
        v = x[at]
        better = (v > out) | np.isnan(v)  # NaN wins, as in PyTorch
        np.copyto(out, v, where=better)
        arg[better] = k
    return out, (x.shape, offsets, arg)


def max_pool2d_backward(dout: npt.ArrayLike, cache: Any) -> np.ndarray:
    """dx[n, c, SH·i + p, SW·j + q] += dy[n, c, i, j] where (p, q) is the window's argmax
    (overlapping windows accumulate)."""
    shape, offsets, arg = cache
    dout = as_float(dout)
    check_shape("max_pool2d_backward", "dout", dout, arg.shape, f"(N, C, H_out, W_out) = "
                f"{arg.shape}")
    dx = np.zeros(shape)
    for k, at in enumerate(offsets):
        dx[at] += np.where(arg == k, dout, 0.0)
    return dx


def avg_pool2d_forward(x: npt.ArrayLike, kernel_size: IntOrPair,
                       stride: IntOrPair | None = None) -> tuple[np.ndarray, Any]:
    """y[n, c, i, j] = (1 / (KH·KW)) Σ_{p<KH, q<KW} x[n, c, SH·i + p, SW·j + q]."""
    x, out_shape, offsets = _windows("avg_pool2d_forward", x, kernel_size, stride)
    out = np.zeros(out_shape)
    for at in offsets:
        out += x[at]
    return out / len(offsets), (x.shape, out_shape, offsets)


def avg_pool2d_backward(dout: npt.ArrayLike, cache: Any) -> np.ndarray:
    """dx[n, c, SH·i + p, SW·j + q] += dy[n, c, i, j] / (KH·KW) for every offset (p, q)."""
    shape, out_shape, offsets = cache
    dout = as_float(dout)
    check_shape("avg_pool2d_backward", "dout", dout, out_shape, f"(N, C, H_out, W_out) = "
                f"{out_shape}")
    dx = np.zeros(shape)
    share = dout / len(offsets)
    for at in offsets:
        dx[at] += share
    return dx
