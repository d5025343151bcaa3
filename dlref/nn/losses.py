"""Loss functions with PyTorch's mean reduction, and their gradients wrt the first argument."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float
from dlref.nn.activations import log_softmax, softmax


def _pair(name: str, first: str, a: npt.ArrayLike, b: npt.ArrayLike) -> tuple[np.ndarray, ...]:
    """Both arguments as float64 arrays of one shape, with at least one element."""
    a, b = as_float(a), as_float(b)
    if a.shape != b.shape:
        raise ValueError(f"{name}: {first} and target must have the same shape (no broadcasting); "
                         f"got {a.shape} and {b.shape}")
    if a.size == 0:
        raise ValueError(f"{name}: needs at least one element; got shape {a.shape}")
    return a, b


def mse_loss(pred: npt.ArrayLike, target: npt.ArrayLike) -> float:
    """Mean squared error: L = (1/n) Σᵢ (ŷᵢ − yᵢ)²."""
    pred, target = _pair("mse_loss", "pred", pred, target)
    return float(np.mean((pred - target) ** 2))


def mse_loss_grad(pred: npt.ArrayLike, target: npt.ArrayLike) -> np.ndarray:
    """∂L/∂ŷᵢ = 2(ŷᵢ − yᵢ) / n."""
    pred, target = _pair("mse_loss_grad", "pred", pred, target)
    return 2.0 * (pred - target) / pred.size


def l1_loss(pred: npt.ArrayLike, target: npt.ArrayLike) -> float:
    """Mean absolute error: L = (1/n) Σᵢ |ŷᵢ − yᵢ|."""
    pred, target = _pair("l1_loss", "pred", pred, target)
    return float(np.mean(np.abs(pred - target)))


def l1_loss_grad(pred: npt.ArrayLike, target: npt.ArrayLike) -> np.ndarray:
    """∂L/∂ŷᵢ = sign(ŷᵢ − yᵢ) / n (0 where ŷᵢ = yᵢ)."""
    pred, target = _pair("l1_loss_grad", "pred", pred, target)
    return np.sign(pred - target) / pred.size


def _logits_target(name: str, logits: npt.ArrayLike,
                   target: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Logits as (N, C) and target as (N,) class indices; 1-D logits (C,) take a scalar target."""
    z = as_float(logits)
    t = np.asarray(target)
    if z.ndim == 1:
        if t.ndim != 0:
            raise ValueError(f"{name}: with 1-D logits (C,) the target must be a scalar class "
                             f"index; got shape {t.shape}")
        z, t = z[None, :], t[None]
    elif z.ndim != 2:
        raise ValueError(f"{name}: logits must have shape (N, C) or (C,); got {z.shape}")
    n, c = z.shape
    if t.shape != (n,):
        raise ValueError(f"{name}: target must have shape (N,) with N={n} matching logits "
                         f"(N, C); got {t.shape}")
    if not np.issubdtype(t.dtype, np.integer):
        raise ValueError(f"{name}: target must hold integer class indices; got dtype {t.dtype}")
    if n == 0 or c == 0:
        raise ValueError(f"{name}: needs N >= 1 samples and C >= 1 classes; got {z.shape}")
    if t.min() < 0 or t.max() >= c:
        raise ValueError(f"{name}: target class indices must lie in [0, {c - 1}] for C={c} "
                         f"classes; got {t.min()}..{t.max()}")
    return z, t


def _smoothing(name: str, label_smoothing: float) -> float:
    if not 0.0 <= label_smoothing <= 1.0:
        raise ValueError(f"{name}: label_smoothing must lie in [0, 1]; got {label_smoothing!r}")
    return float(label_smoothing)


def cross_entropy(logits: npt.ArrayLike, target: npt.ArrayLike,
                  label_smoothing: float = 0.0) -> float:
    """Softmax cross-entropy: L = −(1/N) Σₙ log softmax(zₙ)[yₙ], for logits z (N, C), y (N,).
    With label smoothing ε the target is qₙ = (1 − ε)·onehot(yₙ) + ε/C and
    L = −(1/N) Σₙ Σ_c qₙ,c log softmax(zₙ)_c (PyTorch's label_smoothing)."""
    eps = _smoothing("cross_entropy", label_smoothing)
    z, t = _logits_target("cross_entropy", logits, target)
    logp = log_softmax(z, axis=1)
    nll = -logp[np.arange(len(t)), t]
    return float(np.mean((1.0 - eps) * nll - eps * logp.mean(axis=1)))


def cross_entropy_grad(logits: npt.ArrayLike, target: npt.ArrayLike,
                       label_smoothing: float = 0.0) -> np.ndarray:
    """∂L/∂zₙ = (softmax(zₙ) − qₙ) / N with qₙ = (1 − ε)·onehot(yₙ) + ε/C; the shape of logits."""
    eps = _smoothing("cross_entropy_grad", label_smoothing)
    shape = np.shape(logits)
    z, t = _logits_target("cross_entropy_grad", logits, target)
    g = softmax(z, axis=1) - eps / z.shape[1]
    g[np.arange(len(t)), t] -= 1.0 - eps
    return (g / len(t)).reshape(shape)


def _prob_target(name: str, prob: npt.ArrayLike,
                 target: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    p, y = _pair(name, "prob", prob, target)
    for arg, a in (("prob", p), ("target", y)):
        if not np.all((a >= 0) & (a <= 1)):
            raise ValueError(f"{name}: every element of {arg} must lie in [0, 1]; "
                             f"got values in [{a.min()}, {a.max()}]")
    return p, y


def binary_cross_entropy(prob: npt.ArrayLike, target: npt.ArrayLike) -> float:
    """L = −(1/n) Σᵢ [yᵢ·log pᵢ + (1 − yᵢ)·log(1 − pᵢ)], each log clamped at −100 (as PyTorch,
    so p = 0 with y = 1 costs 100, not ∞)."""
    p, y = _prob_target("binary_cross_entropy", prob, target)
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(p), -100.0)
        log_1mp = np.maximum(np.log1p(-p), -100.0)
    return float(-np.mean(y * log_p + (1.0 - y) * log_1mp))


def binary_cross_entropy_grad(prob: npt.ArrayLike, target: npt.ArrayLike) -> np.ndarray:
    """∂L/∂pᵢ = (pᵢ − yᵢ) / max(pᵢ(1 − pᵢ), 10⁻¹²) / n (the floor is PyTorch's)."""
    p, y = _prob_target("binary_cross_entropy_grad", prob, target)
    return (p - y) / np.maximum(p * (1.0 - p), 1e-12) / p.size
