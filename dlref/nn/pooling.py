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


def _window_matrix(k: int, s: int, n_out: int, n_in: int) -> np.ndarray:
    """A (n_out, n_in) with A[i, s·i + p] = 1/k for p < k: (A·v)[i] is the mean of window i."""
    start = s * np.arange(n_out).reshape(-1, 1)
    at = np.arange(n_in)
    return ((at >= start) & (at < start + k)) / k


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

    Averaging is linear and separable, so each channel is a product of matrices:
    Y = A_H · X · A_Wᵀ, where A_H (H_out, H) holds 1/KH on the KH columns of row i's window
    (and A_W likewise). BLAS makes this faster than strided sums on the images of this tool,
    but its cost grows as H·W·(H_out + W_out) instead of H·W·(KH + KW): past about 64 pixels
    a side strided sums win (at 224 they are 3–5 times faster).
    """
    x, (kh, kw), (sh, sw), (oh, ow) = _geometry("avg_pool2d_forward", x, kernel_size, stride)
    a_h = _window_matrix(kh, sh, oh, x.shape[2])
    a_w = _window_matrix(kw, sw, ow, x.shape[3])
    return a_h @ x @ a_w.T, (x.shape, a_h, a_w)


def avg_pool2d_backward(dout: npt.ArrayLike, cache: Any) -> np.ndarray:
    """The forward pass is linear, Y = A_H · X · A_Wᵀ, so its gradient is the transpose:
    dX = A_Hᵀ · dY · A_W: each dy / (KH·KW) goes to every element of its window, and
    overlapping windows add up."""
    shape, a_h, a_w = cache
    dout = as_float(dout)
    out_shape = shape[:2] + (len(a_h), len(a_w))
    check_shape("avg_pool2d_backward", "dout", dout, out_shape, f"(N, C, H_out, W_out) = "
                f"{out_shape}")
    return a_h.T @ dout @ a_w
