"""Layer normalisation over each sample's trailing dimensions, as torch.nn.functional.layer_norm.

Unlike batch normalisation (dlref.nn.batchnorm), the statistics come from one sample's own
features, never from the batch: the same in training and at inference, for any batch size.
"""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float


class LayerNormCache(NamedTuple):
    """What layer_norm_forward remembers: x̂ = (x − μ)/√(σ² + ε), 1/√(σ² + ε) (…, 1, …, 1)
    per sample, γ, and the normalised axes (the trailing len(γ.shape) ones)."""

    xhat: np.ndarray
    inv_std: np.ndarray
    gamma: np.ndarray
    axes: tuple[int, ...]


def layer_norm_forward(x: npt.ArrayLike, gamma: npt.ArrayLike, beta: npt.ArrayLike,
                       eps: float = 1e-5) -> tuple[np.ndarray, LayerNormCache]:
    """y = γ ⊙ (x − μ) / √(σ² + ε) + β, μ and σ² the mean and biased variance (1/D) Σ (x − μ)²
    of each sample over the trailing dimensions of γ's shape (the normalized_shape).

    x (…, *normalized_shape), gamma and beta (*normalized_shape).
    """
    name = "layer_norm_forward"
    x, gamma, beta = as_float(x), as_float(gamma), as_float(beta)
    d = gamma.ndim
    if d == 0 or x.ndim < d or x.shape[x.ndim - d:] != gamma.shape:
        raise ValueError(f"{name}: x must end in gamma's shape (the normalized_shape) "
                         f"{gamma.shape}, which needs at least one axis; got x {x.shape}")
    if beta.shape != gamma.shape:
        raise ValueError(f"{name}: beta must have gamma's shape {gamma.shape}; got {beta.shape}")
    if eps < 0:
        raise ValueError(f"{name}: eps must be >= 0; got {eps}")
    axes = tuple(range(x.ndim - d, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    inv_std = 1.0 / np.sqrt(var + eps)
    xhat = (x - mean) * inv_std
    return gamma * xhat + beta, LayerNormCache(xhat, inv_std, gamma, axes)


def layer_norm_backward(dout: npt.ArrayLike,
                        cache: LayerNormCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """With g = dy ⊙ γ and means over the normalised axes of each sample:
    dx = (g − mean(g) − x̂ ⊙ mean(g ⊙ x̂)) / √(σ² + ε),  dγ = Σ dy ⊙ x̂,  dβ = Σ dy
    (dγ and dβ summed over every leading axis: all samples share γ and β)."""
    xhat, inv_std, gamma, axes = cache
    dout = as_float(dout)
    if dout.shape != xhat.shape:
        raise ValueError(f"layer_norm_backward: dout must have the shape of x {xhat.shape}; "
                         f"got {dout.shape}")
    g = dout * gamma
    dx = (g - g.mean(axis=axes, keepdims=True)
          - xhat * (g * xhat).mean(axis=axes, keepdims=True)) * inv_std
    lead = tuple(range(xhat.ndim - len(axes)))
    return dx, (dout * xhat).sum(axis=lead), dout.sum(axis=lead)
