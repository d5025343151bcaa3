"""Loss functions as torch.nn.functional's, and their gradients wrt the first argument.

Every loss takes PyTorch's reduction: 'mean' (the default), 'sum', or 'none' (the loss of each
element, an array); for 'none' the gradient functions take dout, the gradient on that array.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float, check_shape
from dlref.nn.activations import log_softmax, sigmoid, softmax


def _pair(name: str, first: str, a: npt.ArrayLike, b: npt.ArrayLike) -> tuple[np.ndarray, ...]:
    """Both arguments as float64 arrays of one shape, with at least one element."""
    a, b = as_float(a), as_float(b)
    if a.shape != b.shape:
        raise ValueError(f"{name}: {first} and target must have the same shape (no broadcasting); "
                         f"got {a.shape} and {b.shape}")
    if a.size == 0:
        raise ValueError(f"{name}: needs at least one element; got shape {a.shape}")
    return a, b


def _pointwise(name: str, loss: np.ndarray, reduction: str) -> Any:
    """Reduce elementwise losses: their mean (float), sum (float), or themselves ('none')."""
    reduction = _reduction(name, reduction)
    if reduction == "none":
        return loss
    return float(np.mean(loss) if reduction == "mean" else np.sum(loss))


def _pointwise_grad(name: str, g: np.ndarray, reduction: str,
                    dout: npt.ArrayLike | None) -> np.ndarray:
    """Elementwise derivatives g scaled as the loss was reduced: /n ('mean'), as they are
    ('sum'), or times dout, the gradient on each element's loss ('none'; ones if not given)."""
    reduction = _reduction(name, reduction)
    if reduction != "none":
        if dout is not None:
            raise ValueError(f"{name}: dout is only for reduction='none'")
        return g / g.size if reduction == "mean" else g
    if dout is None:
        return g
    dout = as_float(dout)
    check_shape(name, "dout", dout, g.shape, f"the loss's shape {g.shape}")
    return g * dout


def mse_loss(pred: npt.ArrayLike, target: npt.ArrayLike, reduction: str = "mean") -> Any:
    """Mean squared error: L = (1/n) Σᵢ (ŷᵢ − yᵢ)²."""
    pred, target = _pair("mse_loss", "pred", pred, target)
    return _pointwise("mse_loss", (pred - target) ** 2, reduction)


def mse_loss_grad(pred: npt.ArrayLike, target: npt.ArrayLike, reduction: str = "mean",
                  dout: npt.ArrayLike | None = None) -> np.ndarray:
    """∂L/∂ŷᵢ = 2(ŷᵢ − yᵢ) / n."""
    pred, target = _pair("mse_loss_grad", "pred", pred, target)
    return _pointwise_grad("mse_loss_grad", 2.0 * (pred - target), reduction, dout)


def l1_loss(pred: npt.ArrayLike, target: npt.ArrayLike, reduction: str = "mean") -> Any:
    """Mean absolute error: L = (1/n) Σᵢ |ŷᵢ − yᵢ|."""
    pred, target = _pair("l1_loss", "pred", pred, target)
    return _pointwise("l1_loss", np.abs(pred - target), reduction)


def l1_loss_grad(pred: npt.ArrayLike, target: npt.ArrayLike, reduction: str = "mean",
                 dout: npt.ArrayLike | None = None) -> np.ndarray:
    """∂L/∂ŷᵢ = sign(ŷᵢ − yᵢ) / n, with sign(d) = [d > 0] − [d < 0] as PyTorch's: 0 where
    ŷᵢ = yᵢ, and 0 where d is NaN (np.sign would give NaN)."""
    pred, target = _pair("l1_loss_grad", "pred", pred, target)
    d = pred - target
    return _pointwise_grad("l1_loss_grad", (d > 0).astype(float) - (d < 0), reduction, dout)


def huber_loss(pred: npt.ArrayLike, target: npt.ArrayLike, delta: float = 1.0,
               reduction: str = "mean") -> Any:
    """Huber loss, quadratic near 0 and linear beyond δ: with d = ŷ − y,
    ℓ = ½d² if |d| < δ else δ·(|d| − ½δ); L = mean of ℓ, as F.huber_loss."""
    pred, target = _pair("huber_loss", "pred", pred, target)
    delta = _delta("huber_loss", delta)
    d = np.abs(pred - target)
    return _pointwise("huber_loss", np.where(d < delta, 0.5 * d * d, delta * (d - 0.5 * delta)),
                      reduction)


def huber_loss_grad(pred: npt.ArrayLike, target: npt.ArrayLike, delta: float = 1.0,
                    reduction: str = "mean", dout: npt.ArrayLike | None = None) -> np.ndarray:
    """∂ℓ/∂ŷ = d clipped to [−δ, δ]: the error itself near 0, then a constant pull of δ."""
    pred, target = _pair("huber_loss_grad", "pred", pred, target)
    delta = _delta("huber_loss_grad", delta)
    return _pointwise_grad("huber_loss_grad", np.clip(pred - target, -delta, delta), reduction,
                           dout)


def _delta(name: str, delta: Any) -> float:
    if isinstance(delta, bool) or not isinstance(delta, int | float | np.floating) \
            or not 0 < delta < np.inf:
        raise ValueError(f"{name}: delta must be a finite number > 0; got {delta!r}")
    return float(delta)


REDUCTIONS = ("mean", "sum", "none")


def _reduction(name: str, reduction: str) -> str:
    if reduction not in REDUCTIONS:
        raise ValueError(f"{name}: reduction must be 'mean', 'sum' or 'none'; got {reduction!r}")
    return reduction


def _classes(name: str, logits: npt.ArrayLike, target: npt.ArrayLike, weight: Any,
             ignore_index: int, label_smoothing: float = 0.0
             ) -> tuple[np.ndarray, np.ndarray, np.ndarray, bool, np.ndarray | None]:
    """Logits as (N, C, d…) (1-D (C,) as one sample) and the target as a weighted distribution
    over the classes, q (N, C, d…): w[y]·onehot(y) for class indices y (N, d…), zero for
    ignore_index; w ⊙ p for class probabilities p shaped like the logits. With label smoothing
    ε, (1 − ε) of that plus ε/C of w spread over every class (of each kept sample). Also the
    divisor of the mean: Σ w[yₙ] over the kept samples, or the number of samples for
    probabilities; and for class indices the cells of q the loss reads (see _picked_sum),
    None for probabilities (every cell)."""
    eps = float(label_smoothing)
    if not 0.0 <= eps <= 1.0:
        raise ValueError(f"{name}: label_smoothing must lie in [0, 1]; got {label_smoothing!r}")
    z = as_float(logits)
    t = np.asarray(target)
    unbatched = z.ndim == 1
    if unbatched:
        z, t = z[None], t[None]
    if z.ndim < 2:
        raise ValueError(f"{name}: logits must have shape (N, C), (C,) or (N, C, d1, …); "
                         f"got {z.shape}")
    c = z.shape[1]
    if z.shape[0] == 0 or c == 0 or z.size == 0:
        raise ValueError(f"{name}: needs N >= 1 samples and C >= 1 classes; got {z.shape}")
    w = np.ones(c) if weight is None else as_float(weight)
    check_shape(name, "weight", w, (c,), f"(C,) = ({c},), one per class")
    wb = w.reshape((1, c) + (1,) * (z.ndim - 2))
    if np.issubdtype(t.dtype, np.floating) and t.shape == z.shape:  # class probabilities
        return (z, wb * ((1.0 - eps) * t + eps / c), np.asarray(float(z.size // c)), unbatched,
                None)
    if unbatched and t.ndim != 1:
        raise ValueError(f"{name}: with 1-D logits (C,) the target must be a scalar class "
                         f"index or C probabilities; got shape {t.shape[1:]}")
    want = (z.shape[0],) + z.shape[2:]
    if t.shape != want:
        raise ValueError(f"{name}: target must have shape (N,) with N={z.shape[0]} matching "
                         f"logits (N, C) (or (N, d1, …) = {want} for (N, C, d1, …)), or hold "
                         f"probabilities shaped like the logits {z.shape}; got {t.shape}")
    if not np.issubdtype(t.dtype, np.integer):
        raise ValueError(f"{name}: target must hold integer class indices (or float "
                         f"probabilities shaped like the logits); got dtype {t.dtype}")
    keep = t != ignore_index
    if keep.any() and (t[keep].min() < 0 or t[keep].max() >= c):
        raise ValueError(f"{name}: target class indices must lie in [0, {c - 1}] for C={c} "
                         f"classes (or be ignore_index={ignore_index}); got "
                         f"{t[keep].min()}..{t[keep].max()}")
    y = np.where(keep, t, 0)
    q = np.zeros(z.shape)
    np.put_along_axis(q, y[:, None], (w[y] * keep)[:, None], axis=1)  # 0 where ignored
    divisor = q.sum()
    # the cells the loss reads: each kept sample's class, or with smoothing all its classes
    picked = np.broadcast_to(np.expand_dims(keep, 1), z.shape)
    if eps:
        q = (1.0 - eps) * q + (eps / c) * wb * np.expand_dims(keep, 1)
    else:
        picked = picked & (np.arange(c).reshape((1, c) + (1,) * (z.ndim - 2))
                           == np.expand_dims(y, 1))
    return z, q, divisor, unbatched, picked


def _picked_sum(q: np.ndarray, log_p: np.ndarray, picked: np.ndarray | None) -> np.ndarray:
    """−Σ_c q·log p over the classes, reading only the picked cells for class indices: as
    PyTorch picks −w[y]·log p[y] (and leaves out ignored samples), a class that is not the
    target, with log p = −∞ (a masked logit) or NaN, adds 0, not 0·(−∞) = NaN."""
    terms = -q * log_p
    if picked is not None:
        terms = np.where(picked, terms, 0.0)  # (a cell left out is +0, not −0)
    return np.sum(terms, axis=1)


def _reduce(loss: np.ndarray, divisor: Any, reduction: str, unbatched: bool) -> Any:
    if reduction == "none":
        return loss[0] if unbatched else loss
    total = float(np.sum(loss))
    if reduction == "sum":
        return total
    with np.errstate(invalid="ignore", divide="ignore"):  # every sample ignored: NaN, as PyTorch
        return float(np.float64(total) / divisor)


def _dreduce(name: str, shape: tuple[int, ...], divisor: Any, reduction: str,
             unbatched: bool, dout: npt.ArrayLike | None) -> Any:
    """The factor each element's gradient is scaled by: 1/divisor (mean), 1 (sum), or dout, the
    gradient on the unreduced loss ('none'; ones when not given)."""
    if reduction != "none":
        if dout is not None:
            raise ValueError(f"{name}: dout is only for reduction='none'")
        with np.errstate(divide="ignore"):
            return 1.0 / np.float64(divisor) if reduction == "mean" else 1.0
    if dout is None:
        return np.ones(shape)
    dout = as_float(dout)
    want = shape[1:] if unbatched else shape
    check_shape(name, "dout", dout, want, f"the loss's shape {want}")
    return dout[None] if unbatched else dout


def cross_entropy(logits: npt.ArrayLike, target: npt.ArrayLike,
                  weight: npt.ArrayLike | None = None, ignore_index: int = -100,
                  reduction: str = "mean", label_smoothing: float = 0.0) -> Any:
    """Softmax cross-entropy: ℓₙ = −Σ_c qₙ,c · log softmax(zₙ)_c, and by default
    L = Σₙ ℓₙ / Σₙ w[yₙ] ('mean'; 'sum' is Σₙ ℓₙ, 'none' the ℓₙ themselves), as
    F.cross_entropy. For class indices y (N,), q = w[y]·onehot(y), so ℓₙ = −w[yₙ]·log
    softmax(zₙ)[yₙ] (w: class weights, default 1; samples with yₙ = ignore_index count for
    nothing); for class probabilities p (N, C), q = w ⊙ p and the mean divides by N.
    Logits (N, C, d1, …) take targets (N, d1, …): one prediction per position. Label smoothing
    ε mixes ε/C of every class into q: qₙ = (1 − ε)·w[yₙ]·onehot(yₙ) + (ε/C)·w."""
    name = "cross_entropy"
    reduction = _reduction(name, reduction)
    z, q, divisor, unbatched, picked = _classes(name, logits, target, weight, ignore_index,
                                                label_smoothing)
    with np.errstate(invalid="ignore"):  # 0·(−∞) in cells _picked_sum leaves out
        loss = _picked_sum(q, log_softmax(z, axis=1), picked)
    return _reduce(loss, divisor, reduction, unbatched)


def cross_entropy_grad(logits: npt.ArrayLike, target: npt.ArrayLike,
                       weight: npt.ArrayLike | None = None, ignore_index: int = -100,
                       reduction: str = "mean", dout: npt.ArrayLike | None = None,
                       label_smoothing: float = 0.0) -> np.ndarray:
    """∂ℓₙ/∂zₙ = softmax(zₙ)·Σ_c qₙ,c − qₙ, which for an index target is
    w[yₙ]·(softmax(zₙ) − onehot(yₙ)); then divided as the loss is (by Σ w[yₙ] for 'mean'), or
    for 'none' weighted by dout, the gradient on each ℓₙ. The shape of logits."""
    name = "cross_entropy_grad"
    reduction = _reduction(name, reduction)
    shape = np.shape(logits)
    z, q, divisor, unbatched, _ = _classes(name, logits, target, weight, ignore_index,
                                           label_smoothing)
    scale = _dreduce(name, (z.shape[0],) + z.shape[2:], divisor, reduction, unbatched, dout)
    g = softmax(z, axis=1) * q.sum(axis=1, keepdims=True) - q
    g *= np.expand_dims(scale, 1) if np.ndim(scale) else scale
    return g.reshape(shape)


def nll_loss(log_probs: npt.ArrayLike, target: npt.ArrayLike,
             weight: npt.ArrayLike | None = None, ignore_index: int = -100,
             reduction: str = "mean") -> Any:
    """Negative log-likelihood of log-probabilities (from log_softmax): ℓₙ = −w[yₙ]·log pₙ[yₙ],
    L = Σₙ ℓₙ / Σₙ w[yₙ] by default, as F.nll_loss; cross_entropy(z) = nll_loss(log_softmax(z))."""
    name = "nll_loss"
    reduction = _reduction(name, reduction)
    lp, q, divisor, unbatched, picked = _classes(name, log_probs, _indices(name, target),
                                                 weight, ignore_index)
    with np.errstate(invalid="ignore"):  # 0·(−∞) in cells _picked_sum leaves out
        return _reduce(_picked_sum(q, lp, picked), divisor, reduction, unbatched)


def nll_loss_grad(log_probs: npt.ArrayLike, target: npt.ArrayLike,
                  weight: npt.ArrayLike | None = None, ignore_index: int = -100,
                  reduction: str = "mean", dout: npt.ArrayLike | None = None) -> np.ndarray:
    """∂L/∂log pₙ = −w[yₙ]·onehot(yₙ), divided as the loss is (or weighted by dout)."""
    name = "nll_loss_grad"
    reduction = _reduction(name, reduction)
    shape = np.shape(log_probs)
    lp, q, divisor, unbatched, _ = _classes(name, log_probs, _indices(name, target), weight,
                                            ignore_index)
    scale = _dreduce(name, (lp.shape[0],) + lp.shape[2:], divisor, reduction, unbatched, dout)
    return (-q * (np.expand_dims(scale, 1) if np.ndim(scale) else scale)).reshape(shape)


def _indices(name: str, target: npt.ArrayLike) -> np.ndarray:
    t = np.asarray(target)
    if not np.issubdtype(t.dtype, np.integer):
        raise ValueError(f"{name}: target must hold integer class indices; got dtype {t.dtype}")
    return t


def _prob_target(name: str, prob: npt.ArrayLike,
                 target: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    p, y = _pair(name, "prob", prob, target)
    for arg, a in (("prob", p), ("target", y)):
        if not np.all((a >= 0) & (a <= 1)):
            raise ValueError(f"{name}: every element of {arg} must lie in [0, 1]; "
                             f"got values in [{a.min()}, {a.max()}]")
    return p, y


def binary_cross_entropy(prob: npt.ArrayLike, target: npt.ArrayLike,
                         reduction: str = "mean") -> Any:
    """L = −(1/n) Σᵢ [yᵢ·log pᵢ + (1 − yᵢ)·log(1 − pᵢ)], each log clamped at −100 (as PyTorch,
    so p = 0 with y = 1 costs 100, not ∞)."""
    p, y = _prob_target("binary_cross_entropy", prob, target)
    with np.errstate(divide="ignore"):
        log_p = np.maximum(np.log(p), -100.0)
        log_1mp = np.maximum(np.log1p(-p), -100.0)
    return _pointwise("binary_cross_entropy", -(y * log_p + (1.0 - y) * log_1mp), reduction)


def binary_cross_entropy_grad(prob: npt.ArrayLike, target: npt.ArrayLike,
                              reduction: str = "mean",
                              dout: npt.ArrayLike | None = None) -> np.ndarray:
    """∂L/∂pᵢ = (pᵢ − yᵢ) / max(pᵢ(1 − pᵢ), 10⁻¹²) / n (the floor is PyTorch's)."""
    p, y = _prob_target("binary_cross_entropy_grad", prob, target)
    return _pointwise_grad("binary_cross_entropy_grad",
                           (p - y) / np.maximum(p * (1.0 - p), 1e-12), reduction, dout)


def _bce_logits_args(name: str, logits: npt.ArrayLike, target: npt.ArrayLike, weight: Any,
                     pos_weight: Any) -> tuple[np.ndarray, ...]:
    z, y = _pair(name, "logits", logits, target)
    w = np.ones(()) if weight is None else as_float(weight)
    pw = np.ones(()) if pos_weight is None else as_float(pos_weight)
    for arg, a in (("weight", w), ("pos_weight", pw)):
        try:
            np.broadcast_shapes(a.shape, z.shape)
        except ValueError:
            raise ValueError(f"{name}: {arg} must broadcast against logits {z.shape} (pos_weight "
                             f"is usually one per class, the last axis); got {a.shape}") from None
    return z, y, w, pw


def binary_cross_entropy_with_logits(logits: npt.ArrayLike, target: npt.ArrayLike,
                                     weight: npt.ArrayLike | None = None,
                                     pos_weight: npt.ArrayLike | None = None,
                                     reduction: str = "mean") -> Any:
    """BCE on σ(z) without forming σ(z): ℓ = w·[pw·y·softplus(−z) + (1 − y)·softplus(z)], since
    −log σ(z) = softplus(−z) and −log(1 − σ(z)) = softplus(z) (stable for any z, unlike
    clamping logs of p). pos_weight pw > 1 weighs the positives up (recall), broadcast along the
    last axis as in PyTorch; w weighs each element.

    Computed as PyTorch does, with softplus(z) = z + softplus(−z):
    ℓ = w·[(1 − y)·z + (1 + (pw − 1)·y)·softplus(−z)]; the same number for finite z, and for
    z = ±∞ the same ∞ or NaN as PyTorch (z = −∞ gives −∞ + ∞ = NaN there)."""
    z, y, w, pw = _bce_logits_args("binary_cross_entropy_with_logits", logits, target, weight,
                                   pos_weight)
    with np.errstate(invalid="ignore"):  # ±∞ logits: NaN where PyTorch has NaN
        loss = w * ((1.0 - y) * z + (1.0 + (pw - 1.0) * y) * np.logaddexp(0.0, -z))
    return _pointwise("binary_cross_entropy_with_logits", loss, reduction)


def binary_cross_entropy_with_logits_grad(logits: npt.ArrayLike, target: npt.ArrayLike,
                                          weight: npt.ArrayLike | None = None,
                                          pos_weight: npt.ArrayLike | None = None,
                                          reduction: str = "mean",
                                          dout: npt.ArrayLike | None = None) -> np.ndarray:
    """∂ℓ/∂z = w·[(1 − y)·σ(z) − pw·y·(1 − σ(z))], which is w·(σ(z) − y) when pw = 1."""
    name = "binary_cross_entropy_with_logits_grad"
    z, y, w, pw = _bce_logits_args(name, logits, target, weight, pos_weight)
    s = sigmoid(z)
    g = w * ((1.0 - y) * s - pw * y * (1.0 - s))
    return _pointwise_grad(name, np.broadcast_to(g, z.shape).copy(), reduction, dout)
