"""2-D max and average pooling, as torch.nn.functional.max_pool2d / avg_pool2d.

x is (N, C, H, W), or (C, H, W) unbatched. Options with PyTorch's defaults and meaning: stride
(default: the kernel size), padding P on each side (at most half the kernel, as PyTorch), and
ceil_mode (⌈⌉ instead of ⌊⌋ in the output size, so the last window may hang over the edge; it
must still start inside the input or the left padding). NaN and ±inf stay in the windows that
hold them, as in PyTorch.
"""

from __future__ import annotations

import functools
from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float, check_shape, pair

IntOrPair = int | tuple[int, int]


def _out_size(n: int, k: int, s: int, p: int, ceil_mode: bool) -> int:
    """⌊(n + 2P − K) / S⌋ + 1, or with ⌈⌉ in ceil mode, dropping a last window that would start
    in the right padding."""
    out = (n + 2 * p - k + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= n + p:
        out -= 1
    return out


def pool2d_output_shape(h: int, w: int, kernel_size: IntOrPair, stride: IntOrPair | None = None,
                        padding: IntOrPair = 0, ceil_mode: bool = False) -> tuple[int, int]:
    """Output size of pooling: H_out = ⌊(H + 2P − KH) / S⌋ + 1 (⌈⌉ in ceil mode), likewise W_out;
    S defaults to K."""
    name = "pool2d_output_shape"
    (h, w), (kh, kw) = pair(name, "(h, w)", (h, w)), pair(name, "kernel_size", kernel_size)
    (sh, sw), (ph, pw) = (pair(name, "stride", kernel_size if stride is None else stride),
                          pair(name, "padding", padding, 0))
    _check_fit(name, (h, w), (kh, kw), (ph, pw), "the input")
    return _out_size(h, kh, sh, ph, ceil_mode), _out_size(w, kw, sw, pw, ceil_mode)


def _check_fit(name: str, hw: tuple[int, int], k: tuple[int, int], p: tuple[int, int],
               what: str) -> None:
    if p[0] > k[0] // 2 or p[1] > k[1] // 2:
        raise ValueError(f"{name}: padding must be at most half the kernel size (as PyTorch); "
                         f"got padding {p} for kernel {k}")
    if k[0] > hw[0] + 2 * p[0] or k[1] > hw[1] + 2 * p[1]:
        raise ValueError(f"{name}: kernel {k} is larger than {what} (H, W) = {hw}"
                         + (f" padded by {p}" if any(p) else ""))


class PoolGeometry(NamedTuple):
    """The shape of a pooling: x's (N, C, H, W), the kernel, stride, padding and output sizes,
    and whether x came unbatched (C, H, W)."""

    shape: tuple[int, int, int, int]
    k: tuple[int, int]
    s: tuple[int, int]
    p: tuple[int, int]
    out: tuple[int, int]
    unbatched: bool

    def frame(self) -> tuple[int, int]:
        """The padded size: P before, and after as many as the last window needs (rows beyond
        x that no window reaches are kept, untouched, so x fits)."""
        (h, w), (kh, kw), (sh, sw), (ph, pw), (oh, ow) = (self.shape[2:], self.k, self.s,
                                                          self.p, self.out)
        return max((oh - 1) * sh + kh, ph + h), max((ow - 1) * sw + kw, pw + w)

    def padded(self, x: np.ndarray, fill: float) -> np.ndarray:
        """x inside a frame of `fill` (x itself when no window reaches past it)."""
        hp, wp = self.frame()
        if self.p == (0, 0) and (hp, wp) == x.shape[2:]:
            return x
        xp = np.full(x.shape[:2] + (hp, wp), fill)
        xp[:, :, self.p[0]:self.p[0] + x.shape[2], self.p[1]:self.p[1] + x.shape[3]] = x
        return xp


def _geometry(name: str, x: npt.ArrayLike, kernel_size: IntOrPair, stride: IntOrPair | None,
              padding: IntOrPair, ceil_mode: bool) -> tuple[np.ndarray, PoolGeometry]:
    """x as float64 (N, C, H, W) and its geometry. The checks and sizes depend on x's shape and
    the options only, so with int options (the usual call) they are worked out once per shape
    and remembered: a pooling layer sees the same shapes call after call."""
    x = as_float(x)
    # exact types only: 2.0 == 2 and True == 1 would find a geometry checked for the other
    if type(kernel_size) is type(padding) is int and (stride is None or type(stride) is int) \
            and type(ceil_mode) is bool:
        g = _remembered_geometry(name, x.shape, kernel_size, stride, padding, ceil_mode)
    else:
        g = _pool_geometry(name, x.shape, kernel_size, stride, padding, ceil_mode)
    return (x[None] if g.unbatched else x), g


def _pool_geometry(name: str, shape: tuple[int, ...], kernel_size: IntOrPair,
                   stride: IntOrPair | None, padding: IntOrPair,
                   ceil_mode: bool) -> PoolGeometry:
    if len(shape) not in (3, 4):
        raise ValueError(f"{name}: x must have shape (N, C, H, W) or (C, H, W); got {shape}")
    unbatched = len(shape) == 3
    shape = (1, *shape) if unbatched else shape
    k = pair(name, "kernel_size", kernel_size)
    s = pair(name, "stride", kernel_size if stride is None else stride)
    p = pair(name, "padding", padding, 0)
    if not isinstance(ceil_mode, bool | np.bool_):
        raise ValueError(f"{name}: ceil_mode must be True or False; got {ceil_mode!r}")
    h, w = shape[2:]
    _check_fit(name, (h, w), k, p, f"the input of x {shape}")
    out = (_out_size(h, k[0], s[0], p[0], ceil_mode), _out_size(w, k[1], s[1], p[1], ceil_mode))
    return PoolGeometry(shape, k, s, p, out, unbatched)


_remembered_geometry = functools.lru_cache(maxsize=256)(_pool_geometry)


def _offsets(g: PoolGeometry, xp: np.ndarray):
    """For each kernel offset (p, q), the strided view xp[:, :, p + SH·i, q + SW·j] over all
    windows (i, j) at once."""
    (kh, kw), (sh, sw), (oh, ow) = g.k, g.s, g.out
    for p in range(kh):
        for q in range(kw):
            yield p, q, xp[:, :, p:p + sh * (oh - 1) + 1:sh, q:q + sw * (ow - 1) + 1:sw]


# ---------------------------------------------------------------- max pooling

class MaxPoolCache(NamedTuple):
    """The geometry and, for every window, the flat index into x of the element it took."""

    geometry: PoolGeometry
    index: np.ndarray

    @property
    def indices(self) -> np.ndarray:
        """PyTorch's return_indices: the index within each (H, W) plane, i·W + j."""
        n, c, h, w = self.geometry.shape
        plane = self.index - (np.arange(n * c) * (h * w)).reshape(n, c, 1, 1)
        return plane[0] if self.geometry.unbatched else plane


def max_pool2d_forward(x: npt.ArrayLike, kernel_size: IntOrPair, stride: IntOrPair | None = None,
                       padding: IntOrPair = 0, ceil_mode: bool = False,
                       return_indices: bool = False) -> tuple:
    """y[n, c, i, j] = max_{p<KH, q<KW} x̃[n, c, SH·i + p, SW·j + q], x̃ = x padded with −∞.

    The windows are gathered offset by offset into v (KH·KW, N, C, H_out, W_out); y is the max
    over the first axis. The cache keeps, for every window, the flat index into x of the element
    the gradient goes to, chosen as PyTorch does: the first maximum in row-major order, never a
    padding cell, and in a window holding NaN (whose max is NaN) the last NaN.
    With return_indices=True the result is (out, indices, cache), indices as PyTorch's (the
    index in each H×W plane); otherwise (out, cache). max_pool2d_windows is the plain form this
    is tested against; this one reads a small x's windows in one gather (_max_gathered), and
    fills a large x's v slice by slice, without a padded copy of x, finding the first maximum
    with small integer codes (_max_offsets).
    """
    x, g = _geometry("max_pool2d_forward", x, kernel_size, stride, padding, ceil_mode)
    plan = _max_gather_plan(g)
    out, index = _max_offsets(x, g) if plan is None else _max_gathered(x, plan)
    cache = MaxPoolCache(g, index)
    out = out[0] if g.unbatched else out
    return (out, cache.indices, cache) if return_indices else (out, cache)


def max_pool2d_windows(x: npt.ArrayLike, kernel_size: IntOrPair,
                       stride: IntOrPair | None = None, padding: IntOrPair = 0,
                       ceil_mode: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """The plain form of max pooling, the one max_pool2d_forward is tested against: pad x with
    −∞, stack the KH·KW strided slices x̃[:, :, p + SH·i, q + SW·j] (one per kernel offset) as
    v, and take the max over them. The gradient's element is the first offset holding the max
    that is not padding (the last NaN, in a window holding NaN), as PyTorch chooses. Returns
    (out, index), index the flat index into x of each window's element (the cache's)."""
    x, g = _geometry("max_pool2d_windows", x, kernel_size, stride, padding, ceil_mode)
    where = np.arange(x.size, dtype=float).reshape(x.shape)  # each cell's flat index in x
    xp, ip = g.padded(x, -np.inf), g.padded(where, -1.0)  # padding: −∞ at index −1
    v = np.stack([view for _, _, view in _offsets(g, xp)])  # (KH·KW, N, C, H_out, W_out)
    i = np.stack([view for _, _, view in _offsets(g, ip)])
    out = v.max(axis=0)
    first = np.argmax((v == out) & (i >= 0), axis=0)  # the first max inside x
    last_nan = len(v) - 1 - np.argmax(np.isnan(v)[::-1], axis=0)
    first = np.where(np.isnan(out), last_nan, first)
    index = np.take_along_axis(i, first[None], axis=0)[0].astype(np.intp)
    return (out[0], index[0]) if g.unbatched else (out, index)


def _max_offsets(x: np.ndarray, g: PoolGeometry) -> tuple[np.ndarray, np.ndarray]:
    n, c, h, w = g.shape
    (oh, ow), k = g.out, g.k[0] * g.k[1]
    rows, cols, offset_code, corner, steps = _max_plan(g)
    v = np.empty((k, n, c, oh, ow))
    for m, ((r_out, r_x), (c_out, c_x)) in enumerate((r, q) for r in rows for q in cols):
        # the windows whose cell (p, q) lies inside x take it; the others, padding, get −∞
        if r_out != slice(0, oh):
            v[m, :, :, :r_out.start] = v[m, :, :, r_out.stop:] = -np.inf
        if c_out != slice(0, ow):
            v[m, :, :, :, :c_out.start] = v[m, :, :, :, c_out.stop:] = -np.inf
        if r_out.stop > r_out.start and c_out.stop > c_out.start:
            v[m, :, :, r_out, c_out] = x[:, :, r_x, c_x]
    out = v.max(axis=0)
    # the first offset holding the max: the smallest m + k·[v_m ≠ y or v_m is padding] over m
    # (the booleans v_m ≠ y are reused in place as small integers when 3k fits in a byte)
    code = np.not_equal(v, out)
    code = code.view(np.uint8) if 3 * k < 256 else code.astype(np.intp)
    code *= k
    code += offset_code  # m + k·[padding], (k, 1, 1, H_out, W_out)
    first = code.min(axis=0) % k
    nan = np.isnan(out)
    if nan.any():  # PyTorch keeps the last NaN it meets
        first[nan] = k - 1 - np.argmax(np.isnan(v[:, nan])[::-1], axis=0)
    # flat index into x: each window's top-left corner plus the offset (p, q) it chose
    index = steps.take(first)
    index += corner
    index += (np.arange(n * c) * (h * w)).reshape(n, c, 1, 1)
    return out, index


# Pooling a small x (at most this many windows N·C·H_out·W_out and window cells ·KH·KW) reads
# every window's cells at once through flat indices computed once per geometry: a few NumPy
# calls, whatever the kernel, where a small input's time goes. A larger x is pooled offset by
# offset with strided slices: KH·KW calls, but fewer passes over memory (past about 4 K windows
# max pooling's argmax per window costs more), and no index arrays (a plan at the limit holds
# 0.5 MB of them; up to 32 plans are kept).
_GATHER_WINDOWS, _GATHER_CELLS = 2 ** 12, 2 ** 16


def _window_cells(g: PoolGeometry) -> tuple[np.ndarray, np.ndarray] | None:
    """For every window (n, c, i, j) and kernel offset (p, q), the flat index into x of the cell
    x[n, c, SH·i + p − PH, SW·j + q − PW], its coordinates clipped to x's edges,
    (N, C, H_out, W_out, KH, KW), and whether the cell lies outside x (in the padding),
    (H_out, W_out, KH, KW); None past _GATHER_WINDOWS or _GATHER_CELLS."""
    (n, c, h, w), (kh, kw), (sh, sw), (ph, pw), (oh, ow) = g.shape, g.k, g.s, g.p, g.out
    if n * c * oh * ow > _GATHER_WINDOWS or n * c * oh * ow * kh * kw > _GATHER_CELLS:
        return None
    rows = sh * np.arange(oh).reshape(-1, 1) + np.arange(kh) - ph  # (H_out, KH)
    cols = sw * np.arange(ow).reshape(-1, 1) + np.arange(kw) - pw  # (W_out, KW)
    plane = (np.clip(rows, 0, h - 1)[:, None, :, None] * w
             + np.clip(cols, 0, w - 1)[None, :, None, :])  # (H_out, W_out, KH, KW)
    cells = plane + h * w * np.arange(n * c).reshape(n, c, 1, 1, 1, 1)
    outside = (((rows < 0) | (rows >= h))[:, None, :, None]
               | ((cols < 0) | (cols >= w))[None, :, None, :])
    return cells, outside


def _max_gathered(x: np.ndarray, plan: tuple) -> tuple[np.ndarray, np.ndarray]:
    """Max pooling of a small x: v[n, c, i, j] holds window (i, j)'s KH·KW cells in offset
    order, a padding cell read as its nearest cell inside x (clipped), which moves neither the
    max, nor the first cell holding it, nor the last NaN; argmax takes the first maximum, or
    the first NaN, where PyTorch takes the last."""
    cells, starts = plan
    v = x.ravel()[cells]  # (N, C, H_out, W_out, KH·KW)
    taken = v.argmax(axis=-1)
    taken += starts  # the flat position in v of each window's element
    out, index = v.ravel()[taken], cells.ravel()[taken]
    nan = np.isnan(out)
    if np.count_nonzero(nan):
        last = v.shape[-1] - 1 - np.isnan(v[..., ::-1]).argmax(axis=-1)
        index[nan] = cells.ravel()[starts + last][nan]
    return out, index


@functools.lru_cache(maxsize=32)
def _max_gather_plan(g: PoolGeometry) -> tuple | None:
    """_window_cells as (N, C, H_out, W_out, KH·KW), and the flat position in it of each
    window's first cell; None past the limits."""
    window = _window_cells(g)
    if window is None:
        return None
    k = g.k[0] * g.k[1]
    cells = window[0].reshape(g.shape[:2] + g.out + (k,))
    starts = k * np.arange(cells.size // k).reshape(cells.shape[:-1])
    cells.flags.writeable = starts.flags.writeable = False
    return cells, starts


@functools.lru_cache(maxsize=256)
def _max_plan(g: PoolGeometry) -> tuple:
    """What max pooling needs of the shapes alone, computed once per geometry: the clipped
    slices along H and W, m + k·[offset m of the window falls in the padding] (k, 1, 1, H_out,
    W_out), each window's top-left corner (SH·i − PH)·W + SW·j − PW, and each offset's step
    p·W + q from it."""
    (h, w), (kh, kw), (sh, sw), (ph, pw), (oh, ow) = g.shape[2:], g.k, g.s, g.p, g.out
    k = kh * kw
    dtype = np.uint8 if 3 * k < 256 else np.intp
    offset_code = (np.arange(k).reshape(k, 1, 1) + k * _is_padding(g)).astype(dtype)
    corner = (np.arange(oh).reshape(-1, 1) * sh - ph) * w + np.arange(ow) * sw - pw
    steps = np.array([p * w + q for p in range(kh) for q in range(kw)])
    for a in (offset_code, corner, steps):
        a.flags.writeable = False
    return (_clipped(h, kh, sh, ph, oh), _clipped(w, kw, sw, pw, ow),
            offset_code.reshape(k, 1, 1, oh, ow), corner, steps)


def _clipped(n: int, k: int, s: int, p: int, n_out: int) -> list[tuple[slice, slice]]:
    """Along one axis, for every kernel offset q < k: the windows i whose cell s·i + q − p lies
    inside x (a slice of the outputs, empty if none) and those cells (a strided slice of x)."""
    out = []
    for q in range(k):
        i0 = min(n_out, max(0, -((q - p) // s)))  # first i with s·i + q − p >= 0
        i1 = max(i0, min(n_out, (n - 1 - q + p) // s + 1))  # past the last with ≤ n − 1
        first = s * i0 + q - p
        out.append((slice(i0, i1), slice(first, first + s * max(i1 - i0 - 1, 0) + 1, s)))
    return out


def _is_padding(g: PoolGeometry) -> np.ndarray:
    """(KH·KW, H_out, W_out): whether offset (p, q) of window (i, j) falls outside x."""
    (h, w), (kh, kw), (sh, sw), (ph, pw), (oh, ow) = g.shape[2:], g.k, g.s, g.p, g.out
    rows = np.arange(kh).reshape(-1, 1) + sh * np.arange(oh) - ph  # (KH, H_out)
    cols = np.arange(kw).reshape(-1, 1) + sw * np.arange(ow) - pw  # (KW, W_out)
    out_r, out_c = (rows < 0) | (rows >= h), (cols < 0) | (cols >= w)
    return (out_r[:, None, :, None] | out_c[None, :, None, :]).reshape(kh * kw, oh, ow)


def max_pool2d_backward(dout: npt.ArrayLike, cache: MaxPoolCache) -> np.ndarray:
    """dx[n, c, SH·i + p, SW·j + q] += dy[n, c, i, j] where (p, q) is the element the window
    took; overlapping windows that share it add up (a bincount over the flat indices)."""
    g, index = cache
    dout = _check_dout("max_pool2d_backward", dout, g)
    dx = np.bincount(index.ravel(), weights=dout.ravel(), minlength=int(np.prod(g.shape)))
    return dx.reshape(g.shape[1:] if g.unbatched else g.shape)


def _check_dout(name: str, dout: npt.ArrayLike, g: PoolGeometry) -> np.ndarray:
    dout = as_float(dout)
    shape = g.shape[:2] + g.out
    if g.unbatched:
        check_shape(name, "dout", dout, shape[1:], f"(C, H_out, W_out) = {shape[1:]}")
        return dout[None]
    check_shape(name, "dout", dout, shape, f"(N, C, H_out, W_out) = {shape}")
    return dout


# ---------------------------------------------------------------- average pooling

class AvgPoolCache(NamedTuple):
    """The geometry, the divisors of the windows along H (H_out,) and W (W_out,), and the
    slices the separable sums take along each (see _taps)."""

    geometry: PoolGeometry
    div_h: np.ndarray
    div_w: np.ndarray
    taps_h: tuple = ()
    taps_w: tuple = ()

    @property
    def divisor(self) -> np.ndarray:
        """|window| for every output (H_out, W_out)."""
        return np.multiply.outer(self.div_h, self.div_w)


def _divisors(n: int, k: int, s: int, p: int, n_out: int, count_include_pad: bool) -> np.ndarray:
    """Per window along one axis, the count it divides by (PyTorch's: padding cells count unless
    count_include_pad=False; cells hanging over the padded edge in ceil mode never do)."""
    start = s * np.arange(n_out) - p
    end = np.minimum(start + k, n + p)
    if count_include_pad:
        return (end - start).astype(float)
    return (np.minimum(end, n) - np.maximum(start, 0)).astype(float)


def _avg_cache(name: str, g: PoolGeometry,
               count_include_pad: bool) -> tuple[AvgPoolCache, tuple | None]:
    if type(count_include_pad) is not bool and not isinstance(count_include_pad, np.bool_):
        raise ValueError(f"{name}: count_include_pad must be True or False; "
                         f"got {count_include_pad!r}")
    return _avg_plan(g, bool(count_include_pad))


@functools.lru_cache(maxsize=32)
def _avg_plan(g: PoolGeometry, count_include_pad: bool) -> tuple[AvgPoolCache, tuple | None]:
    """Everything that depends on the shapes only, computed once per geometry (a pooling
    layer sees the same shapes call after call): the cache, and for a small x the gather."""
    (h, w), (kh, kw), (sh, sw), (ph, pw), (oh, ow) = g.shape[2:], g.k, g.s, g.p, g.out
    div_h = _divisors(h, kh, sh, ph, oh, count_include_pad)
    div_w = _divisors(w, kw, sw, pw, ow, count_include_pad)
    div_h.flags.writeable = div_w.flags.writeable = False
    cache = AvgPoolCache(g, div_h, div_w, _taps(h, kh, sh, ph, oh), _taps(w, kw, sw, pw, ow))
    return cache, _avg_gather_plan(cache)


def _taps(n: int, k: int, s: int, p: int, n_out: int) -> tuple:
    """Along one axis: for each kernel offset, the windows i whose cell s·i + offset − p lies
    inside x (a range i0..i1), and the strided slice of x those cells form. Padding cells are
    zeros, so leaving them out of the sum is the same as adding them."""
    taps = []
    for q in range(k):
        i0 = max(0, -((q - p) // s))  # first i with s·i + q − p >= 0
        i1 = min(n_out, (n - 1 - q + p) // s + 1)  # past the last with s·i + q − p <= n − 1
        if i1 > i0:
            first = s * i0 + q - p
            taps.append((slice(i0, i1), slice(first, first + s * (i1 - i0 - 1) + 1, s)))
    return tuple(taps)


def avg_pool2d_forward(x: npt.ArrayLike, kernel_size: IntOrPair, stride: IntOrPair | None = None,
                       padding: IntOrPair = 0, ceil_mode: bool = False,
                       count_include_pad: bool = True) -> tuple[np.ndarray, AvgPoolCache]:
    """y[n, c, i, j] = (1 / |window|) Σ_{p<KH, q<KW} x̃[n, c, SH·i + p, SW·j + q], x̃ = x padded
    with zeros, |window| = KH·KW (or, with count_include_pad=False, the cells inside x).

    avg_pool2d_sums computes exactly that, one kernel offset at a time (KH·KW passes).
    This fast form uses that a window's sum is separable: first each window's KH rows are
    added, column by column (KH strided slices), then those row sums' KW columns (KW slices):
    KH + KW passes. Padding cells are zeros, so the slices just stop at the edge of x. Each
    output adds only its own window, so a NaN or ±inf stays in the windows that hold it.
    A small x's windows are read in one gather instead and summed there (_mean_gathered).
    """
    x, g = _geometry("avg_pool2d_forward", x, kernel_size, stride, padding, ceil_mode)
    cache, plan = _avg_cache("avg_pool2d_forward", g, count_include_pad)
    out = _mean_separable(x, cache) if plan is None else _mean_gathered(x, plan)
    return (out[0] if g.unbatched else out), cache


def _mean_separable(x: np.ndarray, cache: AvgPoolCache) -> np.ndarray:
    """The separable sums described above, each divided by |window|."""
    g = cache.geometry
    rows = _sum_taps(x, cache.taps_h, 2, g.out[0])  # (N, C, H_out, W): each window's rows
    out = _sum_taps(rows, cache.taps_w, 3, g.out[1])  # then their columns
    out /= cache.divisor
    return out


def _sum_taps(src: np.ndarray, taps: tuple, axis: int, n_out: int) -> np.ndarray:
    """Σ over the taps of src's strided slices along axis, into n_out windows there. A tap that
    reaches every window (a middle kernel offset) starts the sum, saving a pass over zeros."""
    def at(sl: slice) -> tuple:
        return (slice(None),) * axis + (sl,)

    full = next((t for t in taps if t[0] == slice(0, n_out)), None)
    if full is None:
        out = np.zeros(src.shape[:axis] + (n_out,) + src.shape[axis + 1:])
    else:
        out = src[at(full[1])].copy()
    for windows, cells in taps:
        if (windows, cells) != full:
            out[at(windows)] += src[at(cells)]
    return out


def _mean_gathered(x: np.ndarray, plan: tuple) -> np.ndarray:
    """Average pooling of a small x: every window's cells read in one gather, summed, divided
    by |window|. Few cells are listed inside x only, each with its window, and bincount adds
    each into its window's sum (padding cells, zeros, are simply not listed); more are stacked
    offset by offset, v[m] holding every window's cell at offset m (zero in the padding), and
    summed over m. Either way a window adds its cells in row-major order, as PyTorch does."""
    cells, windows, padding, divisor = plan
    if windows is not None:
        out = np.bincount(windows, x.ravel()[cells], divisor.size).reshape(divisor.shape)
    else:
        v = x.ravel()[cells]  # (KH·KW, N·C·H_out·W_out)
        if padding is not None:
            v.ravel()[padding] = 0.0
        out = np.add.reduce(v, axis=0).reshape(divisor.shape)
    out /= divisor
    return out


# Up to this many window cells bincount's two NumPy calls beat stacking and summing (which
# costs less per cell but more per call).
_BINCOUNT_CELLS = 2 ** 10


def _avg_gather_plan(cache: AvgPoolCache) -> tuple | None:
    """For _mean_gathered: _window_cells with the offsets first, and either (up to
    _BINCOUNT_CELLS) the cells inside x with each one's window, flat, or the cells as
    (KH·KW, N·C·H_out·W_out) with the flat positions in it of those in the padding (None if
    none); and the divisor of every window (N, C, H_out, W_out). None past the limits."""
    g = cache.geometry
    window = _window_cells(g)
    if window is None:
        return None
    cells, outside = window
    k, shape = g.k[0] * g.k[1], g.shape[:2] + g.out
    cells = np.ascontiguousarray(np.moveaxis(cells.reshape(shape + (k,)), -1, 0).reshape(k, -1))
    outside = np.broadcast_to(np.moveaxis(outside.reshape(g.out + (k,)), -1, 0)[:, None, None],
                              (k,) + shape).reshape(k, -1)
    divisor = np.broadcast_to(cache.divisor, shape).copy()
    if cells.size <= _BINCOUNT_CELLS:
        windows = np.broadcast_to(np.arange(cells.shape[1]), cells.shape)
        plan = cells[~outside], windows[~outside], None, divisor
    else:
        plan = cells, None, np.flatnonzero(outside) if outside.any() else None, divisor
    for a in plan:
        if a is not None:
            a.flags.writeable = False
    return plan


def avg_pool2d_sums(x: npt.ArrayLike, kernel_size: IntOrPair, stride: IntOrPair | None = None,
                    padding: IntOrPair = 0, ceil_mode: bool = False,
                    count_include_pad: bool = True) -> np.ndarray:
    """The plain form of average pooling, the one avg_pool2d_forward is tested against:
    pad x with zeros, add up the KH·KW strided slices x̃[:, :, p + SH·i, q + SW·j] (one per
    kernel offset), divide each window by its size."""
    x, g = _geometry("avg_pool2d_sums", x, kernel_size, stride, padding, ceil_mode)
    cache, _ = _avg_cache("avg_pool2d_sums", g, count_include_pad)
    out = np.zeros(g.shape[:2] + g.out)
    for _, _, view in _offsets(g, g.padded(x, 0.0)):
        out += view
    out /= cache.divisor
    return out[0] if g.unbatched else out


def avg_pool2d_backward(dout: npt.ArrayLike, cache: AvgPoolCache) -> np.ndarray:
    """Each dy / |window| goes to every element of its window, and overlapping windows add up:
    the forward's two stages transposed, spreading along the columns (KW slices), then along
    the rows (KH slices)."""
    g = cache.geometry
    dout = _check_dout("avg_pool2d_backward", dout, g)
    (n, c, _, w), oh = g.shape, g.out[0]
    share = dout / cache.divisor
    rows = np.zeros((n, c, oh, w))
    for out_cols, x_cols in cache.taps_w:
        rows[:, :, :, x_cols] += share[:, :, :, out_cols]
    dx = np.zeros(g.shape)
    for out_rows, x_rows in cache.taps_h:
        dx[:, :, x_rows] += rows[:, :, out_rows]
    return dx[0] if g.unbatched else dx


def avg_pool2d_backward_sums(dout: np.ndarray, cache: AvgPoolCache) -> np.ndarray:
    """The plain backward: dy / |window| added into the zero-padded dx̃ one kernel offset at a
    time (the transpose of the forward's slices), then the padding cut off."""
    g = cache.geometry
    (ph, pw), (h, w) = g.p, g.shape[2:]
    dout = _check_dout("avg_pool2d_backward_sums", dout, g)
    share = dout / cache.divisor
    dxp = np.zeros(g.shape[:2] + g.frame())
    for _, _, view in _offsets(g, dxp):
        view += share
    dx = dxp[:, :, ph:ph + h, pw:pw + w]
    return dx[0] if g.unbatched else dx
