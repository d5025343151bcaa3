"""Weight penalties added to a loss, and their gradients."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float


def l1_penalty(w: npt.ArrayLike, lam: float) -> float:
    """L1 (lasso) penalty: λ·Σᵢ |wᵢ|."""
    return float(lam * np.sum(np.abs(as_float(w))))


def l1_penalty_grad(w: npt.ArrayLike, lam: float) -> np.ndarray:
    """∂/∂w λ·Σ|wᵢ| = λ·sign(w) (the subgradient 0 at w = 0)."""
    return lam * np.sign(as_float(w))


def l2_penalty(w: npt.ArrayLike, lam: float) -> float:
    """L2 (ridge, weight decay) penalty: (λ/2)·Σᵢ wᵢ²."""
    w = as_float(w)
    return float(0.5 * lam * np.sum(w * w))


def l2_penalty_grad(w: npt.ArrayLike, lam: float) -> np.ndarray:
    """∂/∂w (λ/2)·Σ wᵢ² = λ·w."""
    return lam * as_float(w)
