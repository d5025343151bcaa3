"""Fully connected (affine) layer, as torch.nn.functional.linear."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float, check_shape, pos_int


def linear_forward(x: npt.ArrayLike, w: npt.ArrayLike,
                   b: npt.ArrayLike | None) -> tuple[np.ndarray, Any]:
    """y = x Wᵀ + b, for x (..., in_features), W (out_features, in_features), b (out_features,).

    Leading axes of x are kept (no flattening). b may be None (no bias).
    """
    x, w = as_float(x), as_float(w)
    if w.ndim != 2:
        raise ValueError(f"linear_forward: w must have shape (out_features, in_features); "
                         f"got {w.shape}")
    if x.ndim == 0 or x.shape[-1] != w.shape[1]:
        raise ValueError(f"linear_forward: x must have shape (..., in_features) with "
                         f"in_features={w.shape[1]} matching w {w.shape}; got {x.shape}")
    out = x @ w.T
    if b is not None:
        b = as_float(b)
        check_shape("linear_forward", "b", b, (w.shape[0],), f"(out_features,) = ({w.shape[0]},)")
        out = out + b
    return out, (x, w, b is not None)


def linear_backward(dout: npt.ArrayLike,
                    cache: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """dx = dy W,  dW = Σ dyᵀ x,  db = Σ dy (sums over all leading axes); db is None without b."""
    x, w, has_bias = cache
    dout = as_float(dout)
    expected = x.shape[:-1] + (w.shape[0],)
    check_shape("linear_backward", "dout", dout, expected, f"(..., out_features) = {expected}")
    d2 = dout.reshape(-1, w.shape[0])
    dx = dout @ w
    dw = d2.T @ x.reshape(-1, w.shape[1])
    db = d2.sum(axis=0) if has_bias else None
    return dx, dw, db


def linear_num_params(in_features: int, out_features: int, bias: bool = True) -> int:
    """Parameters of nn.Linear: in·out weights + out biases."""
    i = pos_int("linear_num_params", "in_features", in_features)
    o = pos_int("linear_num_params", "out_features", out_features)
    return i * o + (o if bias else 0)
