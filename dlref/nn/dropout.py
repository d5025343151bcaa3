"""Inverted dropout, as torch.nn.functional.dropout."""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float, check_shape, rng_from


def dropout_forward(x: npt.ArrayLike, p: float, training: bool = True,
                    rng: np.random.Generator | int | None = None) -> tuple[np.ndarray, Any]:
    """y = m ⊙ x / (1 − p), mᵢ ~ Bernoulli(1 − p): each unit is zeroed with probability p and
    the kept ones are scaled so that E[y] = x. The identity when not training or p = 0;
    zeros when p = 1. The cache is the mask m / (1 − p), or None for the identity."""
    if isinstance(p, bool) or not isinstance(p, int | float | np.floating | np.integer) \
            or not 0.0 <= p <= 1.0:
        raise ValueError(f"dropout_forward: p must be a probability in [0, 1]; got {p!r}")
    if not isinstance(training, bool | np.bool_):  # "False" is truthy: it would train
        raise ValueError(f"dropout_forward: training must be True or False; got {training!r}")
    x = as_float(x)
    if not training or p == 0:
        return x.copy(), None
    if p == 1:
        mask = np.zeros_like(x)
    else:
        keep = rng_from(rng).random(x.shape) >= p
        mask = keep / (1.0 - p)
    return x * mask, mask


def dropout_backward(dout: npt.ArrayLike, cache: Any) -> np.ndarray:
    """dx = dy ⊙ m / (1 − p): the gradient flows only through the kept units, scaled alike."""
    dout = as_float(dout)
    if cache is None:
        return dout.copy()
    check_shape("dropout_backward", "dout", dout, cache.shape, f"{cache.shape} (the shape of x)")
    return dout * cache
