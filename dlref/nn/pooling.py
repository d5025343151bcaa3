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


def _geometry(name: str, x: npt.ArrayLike, kernel_size: IntOrPair, stride: IntOrPair | None):
    """x as (N, C, H, W), the kernel (KH, KW), the stride (SH, SW) and the output (H_out, W_out)."""
    x = as_float_ndim(name, "x", x, 4, "(N, C, H, W)")
    kh, kw = pair(name, "kernel_size", kernel_size)
    sh, sw = pair(name, "stride", kernel_size if stride is None else stride)
    h, w = x.shape[2:]
    if kh > h or kw > w:
        raise ValueError(f"{name}: kernel ({kh}, {kw}) is larger than the input (H, W) = "
                         f"({h}, {w}) of x {x.shape}")
    return x, (kh, kw), (sh, sw), ((h - kh) // sh + 1, (w - kw) // sw + 1)


def _taps(k: int, s: int, n: int, axis: int) -> list[tuple]:
    """For each offset q < k along an axis (2 or 3), the index of the elements q + s·j, j < n."""
    return [(slice(None),) * axis + (slice(q, q + s * (n - 1) + 1, s),) for q in range(k)]


def max_pool2d_forward(x: npt.ArrayLike, kernel_size: IntOrPair,
                       stride: IntOrPair | None = None) -> tuple[np.ndarray, Any]:
    """y[n, c, i, j] = max_{p<KH, q<KW} x[n, c, SH·i + p, SW·j + q].

    The windows are gathered offset by offset into v (KH·KW, N, C, H_out, W_out); y is the max
    over the first axis. The cache keeps, for every window, the flat index into x of its first
    maximum in row-major order (as PyTorch; a window holding NaN gives NaN).
    """
    x, (kh, kw), (sh, sw), (oh, ow) = _geometry("max_pool2d_forward", x, kernel_size, stride)
    n, c, h, w = x.shape
    offsets = [(p, q) for p in range(kh) for q in range(kw)]
    k = len(offsets)
    v = np.empty((k, n, c, oh, ow))
    for m, (p, q) in enumerate(offsets):
        v[m] = x[:, :, p:p + sh * (oh - 1) + 1:sh, q:q + sw * (ow - 1) + 1:sw]
    out = v.max(axis=0)
    # the first offset holding the max: the smallest m + k·[v_m ≠ y] over m
    code = np.not_equal(v, out).astype(np.min_scalar_type(2 * k))
    code *= k
    code += np.arange(k, dtype=code.dtype).reshape(k, 1, 1, 1, 1)
    first = code.min(axis=0) % k
    # flat index into x: each window's top-left corner plus the offset (p, q) it chose
    corner = (np.arange(n * c).reshape(n, c, 1, 1) * (h * w)
              + np.arange(oh).reshape(-1, 1) * (sh * w) + np.arange(ow) * sw)
    corner += np.array([p * w + q for p, q in offsets]).take(first)
    return out, (x.shape, corner)


def max_pool2d_backward(dout: npt.ArrayLike, cache: Any) -> np.ndarray:
    """dx[n, c, SH·i + p, SW·j + q] += dy[n, c, i, j] where (p, q) is the window's first max;
    overlapping windows that share a max add up (a bincount over the flat indices)."""
    shape, index = cache
    dout = as_float(dout)
    check_shape("max_pool2d_backward", "dout", dout, index.shape, f"(N, C, H_out, W_out) = "
                f"{index.shape}")
    return np.bincount(index.ravel(), weights=dout.ravel(), minlength=int(np.prod(shape))) \
        .reshape(shape)


def avg_pool2d_forward(x: npt.ArrayLike, kernel_size: IntOrPair,
                       stride: IntOrPair | None = None) -> tuple[np.ndarray, Any]:
    """y[n, c, i, j] = (1 / (KH·KW)) Σ_{p<KH, q<KW} x[n, c, SH·i + p, SW·j + q].

    The box sum is separable: first r[n, c, ·, j] = Σ_q x[n, c, ·, SW·j + q] along the rows,
    then y[n, c, i, j] = Σ_p r[n, c, SH·i + p, j] / (KH·KW) down the columns.
    """
    x, (kh, kw), (sh, sw), (oh, ow) = _geometry("avg_pool2d_forward", x, kernel_size, stride)
    cols, rows = _taps(kw, sw, ow, axis=3), _taps(kh, sh, oh, axis=2)
    r = x[cols[0]].copy()
    for at in cols[1:]:
        r += x[at]
    out = r[rows[0]].copy()
    for at in rows[1:]:
        out += r[at]
    out *= 1.0 / (kh * kw)
    return out, (x.shape, r.shape, out.shape, cols, rows)


def avg_pool2d_backward(dout: npt.ArrayLike, cache: Any) -> np.ndarray:
    """Each dy[n, c, i, j] / (KH·KW) goes back to every element of its window, undoing the two
    sums of the forward pass in reverse: dr[SH·i + p] += dy / (KH·KW), then dx[SW·j + q] += dr."""
    shape, r_shape, out_shape, cols, rows = cache
    dout = as_float(dout)
    check_shape("avg_pool2d_backward", "dout", dout, out_shape, f"(N, C, H_out, W_out) = "
                f"{out_shape}")
    share = dout * (1.0 / (len(rows) * len(cols)))
    dr = np.zeros(r_shape)
    for at in rows:
        dr[at] += share
    dx = np.zeros(shape)
    for at in cols:
        dx[at] += dr
    return dx
