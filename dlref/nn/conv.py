"""2-D convolution (cross-correlation, as torch.nn.functional.conv2d) via im2col.

Options with PyTorch's defaults and meaning: stride, padding (an int, a pair (PH, PW), "valid"
= 0, or "same": the output keeps the input's size, stride 1 only, any odd total padding going
to the bottom/right as in PyTorch), dilation (kernel taps D apart) and groups (G independent
convolutions, each of C/G input to F/G output channels). x may be unbatched (C, H, W).
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float, check_shape, pair, pos_int

IntOrPair = int | tuple[int, int]


def conv_output_shape(h: int, w: int, kh: int, kw: int, stride: int = 1,
                      padding: int = 0, dilation: int = 1) -> tuple[int, int]:
    """Output size of a convolution: H_out = ⌊(H + 2P − D·(KH − 1) − 1) / S⌋ + 1, likewise
    W_out (with dilation D = 1: ⌊(H + 2P − KH) / S⌋ + 1)."""
    name = "conv_output_shape"
    h, w = pos_int(name, "h", h), pos_int(name, "w", w)
    kh, kw = pos_int(name, "kh", kh), pos_int(name, "kw", kw)
    s, p = pos_int(name, "stride", stride), pos_int(name, "padding", padding, 0)
    d = pos_int(name, "dilation", dilation)
    ekh, ekw = d * (kh - 1) + 1, d * (kw - 1) + 1
    if ekh > h + 2 * p or ekw > w + 2 * p:
        raise ValueError(f"{name}: kernel ({ekh}, {ekw}) is larger than the padded input "
                         f"({h + 2 * p}, {w + 2 * p})")
    return (h + 2 * p - ekh) // s + 1, (w + 2 * p - ekw) // s + 1


class ConvGeometry(NamedTuple):
    """Stride (SH, SW), padding (top, bottom, left, right), dilation (DH, DW), groups G, the
    output size (H_out, W_out), and whether x came unbatched (C, H, W)."""

    stride: tuple[int, int]
    pad: tuple[int, int, int, int]
    dilation: tuple[int, int]
    groups: int
    out: tuple[int, int]
    unbatched: bool

    def taps(self, xp: np.ndarray, kh: int, kw: int):
        """For each kernel offset (p, q), the strided view xp[:, :, S·i + D·p, S·j + D·q] over
        every output position (i, j) at once."""
        (sh, sw), (dh, dw), (oh, ow) = self.stride, self.dilation, self.out
        for p in range(kh):
            for q in range(kw):
                yield p, q, xp[:, :, dh * p:dh * p + sh * (oh - 1) + 1:sh,
                               dw * q:dw * q + sw * (ow - 1) + 1:sw]

    def windows(self, xp: np.ndarray, kh: int, kw: int) -> np.ndarray:
        """All the taps at once: the view xp[n, c, S·i + D·p, S·j + D·q] indexed
        (n, c, p, q, i, j), made from xp's strides without copying (xp C-contiguous)."""
        (sh, sw), (dh, dw), (oh, ow) = self.stride, self.dilation, self.out
        s_n, s_c, s_h, s_w = xp.strides
        return np.ndarray(xp.shape[:2] + (kh, kw, oh, ow), xp.dtype, xp, 0,
                          (s_n, s_c, dh * s_h, dw * s_w, sh * s_h, sw * s_w))


def _padding(name: str, padding: Any, k: tuple[int, int], d: tuple[int, int],
             s: tuple[int, int]) -> tuple[int, int, int, int]:
    if isinstance(padding, str):
        if padding == "valid":
            return 0, 0, 0, 0
        if padding != "same":
            raise ValueError(f"{name}: padding must be an int, a pair, 'same' or 'valid'; "
                             f"got {padding!r}")
        if s != (1, 1):
            raise ValueError(f"{name}: padding='same' needs stride 1 (as PyTorch); got "
                             f"stride {s}")
        th, tw = d[0] * (k[0] - 1), d[1] * (k[1] - 1)  # total padding; the odd one goes last
        return th // 2, th - th // 2, tw // 2, tw - tw // 2
    ph, pw = pair(name, "padding", padding, 0)
    return ph, ph, pw, pw


def _geometry(name: str, x: npt.ArrayLike, w: npt.ArrayLike, stride: Any, padding: Any,
              dilation: Any, groups: Any) -> tuple[np.ndarray, np.ndarray, ConvGeometry]:
    """x and w as float64, x as (N, C, H, W), and the geometry. The checks and sizes depend on
    the shapes and options only, so with int (or 'same'/'valid') options they are worked out
    once per shapes and options and remembered: a layer sees the same shapes call after call."""
    x, w = as_float(x), as_float(w)
    # exact types only: 2.0 == 2 and True == 1 would find a geometry checked for the other
    if type(stride) is type(dilation) is type(groups) is int and type(padding) in (int, str):
        g = _remembered_geometry(name, x.shape, w.shape, stride, padding, dilation, groups)
    else:
        g = _conv_geometry(name, x.shape, w.shape, stride, padding, dilation, groups)
    return (x[None] if g.unbatched else x), w, g


def _conv_geometry(name: str, x_shape: tuple[int, ...], w_shape: tuple[int, ...], stride: Any,
                   padding: Any, dilation: Any, groups: Any) -> ConvGeometry:
    if len(x_shape) not in (3, 4):
        raise ValueError(f"{name}: x must have shape (N, C, H, W) or (C, H, W); got {x_shape}")
    unbatched = len(x_shape) == 3
    x_shape = (1, *x_shape) if unbatched else x_shape
    _, c, h, wd = x_shape
    g = pos_int(name, "groups", groups)
    if c % g:
        raise ValueError(f"{name}: groups={g} must divide the C={c} channels of x {x_shape}")
    if len(w_shape) != 4 or w_shape[1] * g != c:
        what = f"(F, C, KH, KW) with C={c}" if g == 1 else \
            f"(F, C/groups, KH, KW) with C/groups={c // g} (groups={g})"
        raise ValueError(f"{name}: w must have shape {what} matching x (N, C, H, W); "
                         f"got {w_shape}")
    if 0 in w_shape:
        raise ValueError(f"{name}: w must have at least one filter and a kernel of at least "
                         f"1×1; got shape {w_shape}")
    if w_shape[0] % g:
        raise ValueError(f"{name}: groups={g} must divide the F={w_shape[0]} filters of w")
    s, d = pair(name, "stride", stride), pair(name, "dilation", dilation)
    k = w_shape[2:]
    pad = _padding(name, padding, k, d, s)
    hp, wp = h + pad[0] + pad[1], wd + pad[2] + pad[3]
    ekh, ekw = d[0] * (k[0] - 1) + 1, d[1] * (k[1] - 1) + 1
    if ekh > hp or ekw > wp:
        raise ValueError(f"{name}: kernel ({ekh}, {ekw}) is larger than the padded input "
                         f"({hp}, {wp})" + (f" (kernel {k} dilated by {d})" if d != (1, 1)
                                            else ""))
    out = ((hp - ekh) // s[0] + 1, (wp - ekw) // s[1] + 1)
    return ConvGeometry(s, pad, d, g, out, unbatched)


_remembered_geometry = functools.lru_cache(maxsize=256)(_conv_geometry)


class ConvCache(NamedTuple):
    """What conv2d_forward remembers: the padded input's shape, the columns X, the weights,
    whether there is a bias, and the geometry."""

    xp_shape: tuple[int, int, int, int]
    cols: np.ndarray
    w: np.ndarray
    has_bias: bool
    geometry: ConvGeometry


def conv2d_forward(x: npt.ArrayLike, w: npt.ArrayLike, b: npt.ArrayLike | None,
                   stride: IntOrPair = 1, padding: IntOrPair | str = 0, dilation: IntOrPair = 1,
                   groups: int = 1) -> tuple[np.ndarray, ConvCache]:
    """y[n, f, i, j] = b[f] + Σ_c Σ_p Σ_q x̃[n, c, S·i + D·p, S·j + D·q] · w[f, c, p, q].

    x (N, C, H, W), w (F, C/G, KH, KW), b (F,) or None; x̃ is x zero-padded; c runs over the
    C/G channels of filter f's group (all of them when G = 1).
    im2col: for each sample, the columns X (C·KH·KW, H_out·W_out) hold, for every kernel offset
    (p, q), the strided slice x̃[c, D·p + S·i, D·q + S·j]; then y = W X per group, W reshaped to
    (G, F/G, C/G·KH·KW) and X to (G, C/G·KH·KW, H_out·W_out).
    """
    x, w, g = _geometry("conv2d_forward", x, w, stride, padding, dilation, groups)
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    (top, bottom, left, right), (oh, ow), groups = g.pad, g.out, g.groups
    if b is not None:
        b = as_float(b)
        check_shape("conv2d_forward", "b", b, (f,), f"(F,) = ({f},)")
    if any(g.pad):
        xp = np.zeros((n, c, h + top + bottom, wd + left + right))
        xp[:, :, top:top + h, left:left + wd] = x
    else:
        xp = np.ascontiguousarray(x)
    cols = np.empty((n, c * kh * kw, oh * ow))
    cols.reshape(n, c, kh, kw, oh, ow)[...] = g.windows(xp, kh, kw)  # every tap (p, q) at once
    out = np.matmul(w.reshape(groups, f // groups, -1), cols.reshape(n, groups, -1, oh * ow))
    out = out.reshape(n, f, oh, ow)
    if b is not None:
        out += b.reshape(f, 1, 1)
    return (out[0] if g.unbatched else out), ConvCache(xp.shape, cols, w, b is not None, g)


def conv2d_backward(dout: npt.ArrayLike,
                    cache: ConvCache) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """Per sample and group, with dY (F/G, H_out·W_out) and the columns X of the forward pass:
    dW = Σₙ dY Xᵀ,  db = Σ dy over n, i, j,  dX = Wᵀ dY, and dX is added back into dx̃ one
    kernel offset (p, q) at a time (overlapping windows accumulate); dx is dx̃ without the
    padding."""
    xp_shape, cols, w, has_bias, g = cache
    dout = as_float(dout)
    n, c, hp, wp = xp_shape
    f, _, kh, kw = w.shape
    (oh, ow), groups, (top, bottom, left, right) = g.out, g.groups, g.pad
    shape = (n, f, oh, ow)
    if g.unbatched:
        check_shape("conv2d_backward", "dout", dout, shape[1:], f"(F, H_out, W_out) = "
                    f"{shape[1:]}")
    else:
        check_shape("conv2d_backward", "dout", dout, shape, f"(N, F, H_out, W_out) = {shape}")
    dy = dout.reshape(n, groups, f // groups, oh * ow)
    cg = cols.reshape(n, groups, -1, oh * ow)
    dw = np.matmul(dy, cg.transpose(0, 1, 3, 2)).sum(axis=0).reshape(w.shape)
    db = dy.sum(axis=(0, 3)).reshape(f) if has_bias else None
    dcols = np.matmul(w.reshape(groups, f // groups, -1).transpose(0, 2, 1), dy)
    dwin = dcols.reshape(n, c, kh, kw, oh, ow)
    dxp = np.zeros(xp_shape)
    for p, q, view in g.taps(dxp, kh, kw):
        view += dwin[:, :, p, q]
    dx = dxp[:, :, top:hp - bottom, left:wp - right].copy() if any(g.pad) else dxp
    return (dx[0] if g.unbatched else dx), dw, db


def conv2d_num_params(in_channels: int, out_channels: int, kh: int, kw: int,
                      bias: bool = True, groups: int = 1) -> int:
    """Parameters of nn.Conv2d: out·(in/groups)·KH·KW weights + out biases."""
    name = "conv2d_num_params"
    c, f = pos_int(name, "in_channels", in_channels), pos_int(name, "out_channels", out_channels)
    kh, kw = pos_int(name, "kh", kh), pos_int(name, "kw", kw)
    g = pos_int(name, "groups", groups)
    if c % g or f % g:
        raise ValueError(f"{name}: groups={g} must divide in_channels={c} and out_channels={f}")
    return f * (c // g) * kh * kw + (f if bias else 0)
