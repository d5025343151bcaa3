"""Batch normalisation, as torch.nn.BatchNorm1d (x (N, D) or (N, C, L)) and BatchNorm2d
(x (N, C, H, W)): per feature/channel (axis 1), over every other axis.

Options with PyTorch's meaning: gamma = beta = None is affine=False (γ = 1, β = 0, no
gradients for them); running_mean = running_var = None is track_running_stats=False (batch
statistics always, so training must be True); momentum=None is the cumulative average of all
batches so far, which needs num_batches_tracked (this batch included).
"""

from __future__ import annotations

import functools
from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float, check_shape


class BatchNormCache(NamedTuple):
    """What batchnorm_forward remembers: x as (M, D) rows (M = N, or N·H·W for images, one
    column per channel), the μ and σ² (D,) it normalised with, 1/√(σ² + ε) (D,), γ (D,) or None,
    the mode and x's own shape; x̂ = (x − μ)/√(σ² + ε) is the property `xhat`."""

    x: np.ndarray
    mean: np.ndarray
    var: np.ndarray
    inv_std: np.ndarray
    gamma: np.ndarray | None
    training: bool
    shape: tuple[int, ...] = ()

    @property
    def xhat(self) -> np.ndarray:
        """The normalised input x̂, (M, D) rows as `x`."""
        return (self.x - self.mean) * self.inv_std


# E[x²] − μ² cancels about log10(μ²/σ²) of float64's 16 digits; past 3 it is not worth the pass
# it saves, and the features concerned get the two-pass variance instead.
_CANCELLATION = 1e3


# Up to this many values a batch is normalised as (x − μ)·a + β, with σ² from x − μ: the fewest
# NumPy calls, which is where a small batch's time goes. Past it as x·a + (β − μ·a), with
# σ² = E[x²] − μ²: two passes over x fewer and no temporaries as large as x, which is where a
# large batch's time goes.
_FEW_VALUES = 2 ** 13


def _batch_statistics(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray | None]:
    """The batch mean μ and biased variance σ² per feature of x (N, D), and x − μ when x has
    at most _FEW_VALUES values (None otherwise, see _batch_variance). The means over the N
    rows are matrix–vector products with (1/N, …, 1/N): BLAS sums fastest."""
    weights = _mean_weights(len(x))
    mean = weights @ x
    if x.size > _FEW_VALUES:
        return mean, _batch_variance(x, mean), None
    centred = x - mean
    return mean, weights @ (centred * centred), centred


@functools.lru_cache(maxsize=16)
def _mean_weights(n: int) -> np.ndarray:
    """N weights 1/N (read-only), made once per batch size."""
    weights = np.full(n, 1.0 / n)
    weights.flags.writeable = False
    return weights


def _batch_variance(x: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """The biased variance (1/N) Σ (x − μ)² per feature: E[x²] − μ² in one pass over x, then
    the two-pass sum over x − μ for the features where μ² > 1000·σ² and the shortcut cancels,
    or where μ² overflowed (E[x²] − μ² = ∞ − ∞: the two-pass sum is ∞, as PyTorch's)."""
    var = np.einsum("nd,nd->d", x, x)
    var /= len(x)
    square = mean * mean
    var -= square
    fine = square <= _CANCELLATION * var  # NaN compares False: redone too
    if not fine.all():
        redo = ~fine
        var[redo] = x[:, redo].var(axis=0)
    return var


# The backward makes six passes over the rows of x, dy and dx. Past about a megabyte per array
# (_BLOCK_VALUES · 4 values) they are taken a block of _BLOCK_VALUES values at a time, so that
# each pass after the first finds its block still in the core's cache, as PyTorch's fused loop
# does by construction: on (256, 4096) about a sixth faster; smaller arrays stay in cache whole.
_BLOCK_VALUES = 2 ** 15


def _row_blocks(shape: tuple[int, int]) -> list[slice]:
    """The rows of an (M, D) array as slices of about _BLOCK_VALUES values each, or one slice
    of every row for an array of at most 4·_BLOCK_VALUES values."""
    m, d = shape
    if m * d <= 4 * _BLOCK_VALUES:
        return [slice(None)]
    step = max(1, _BLOCK_VALUES // d)
    return [slice(start, start + step) for start in range(0, m, step)]


_INF = float("inf")


def _running(name: str, arg: str, a: Any, d: int) -> np.ndarray:
    if type(a) is np.ndarray and a.dtype.kind == "f" and a.shape == (d,):
        return a
    if not isinstance(a, np.ndarray) or a.dtype.kind != "f":
        raise ValueError(f"{name}: {arg} must be a float ndarray of shape (D,) = ({d},), "
                         f"updated in place, or None; got {type(a).__name__}"
                         f"{'' if not isinstance(a, np.ndarray) else ' of dtype ' + str(a.dtype)}")
    check_shape(name, arg, a, (d,), f"(D,) = ({d},)")
    return a


def _as_rows(x: np.ndarray) -> np.ndarray:
    """(N, D) as it is; (N, C, *spatial) as (N·Π spatial, C) rows, one column per channel."""
    return x if x.ndim == 2 else np.moveaxis(x, 1, -1).reshape(-1, x.shape[1])


def _from_rows(rows: np.ndarray, shape: tuple[int, ...]) -> np.ndarray:
    if len(shape) == 2:
        return rows
    return np.moveaxis(rows.reshape((shape[0],) + shape[2:] + (shape[1],)), -1, 1).copy()


_F64 = np.dtype(np.float64)


def _check_options(name: str, x: np.ndarray, gamma: Any, beta: Any, running_mean: Any,
                   running_var: Any, training: Any, momentum: Any, eps: Any,
                   num_batches_tracked: Any) -> tuple:
    # the usual call (float64 arrays of shape (D,), float options) passes one combined test:
    # the checks below cost a small batch more than a tenth of its time
    if (x.ndim == 2 and type(training) is bool and type(momentum) is type(eps) is float
            and 0.0 <= momentum <= 1.0 and 0.0 < eps < _INF
            and type(gamma) is type(beta) is type(running_mean) is type(running_var) is np.ndarray
            and gamma.dtype is beta.dtype is running_mean.dtype is running_var.dtype is _F64
            and gamma.shape == beta.shape == running_mean.shape == running_var.shape
            == x.shape[1:]):
        return gamma, beta, momentum
    if x.ndim not in (2, 3, 4):
        raise ValueError(f"{name}: x must have shape (N, D), (N, C, L) or (N, C, H, W); "
                         f"got {x.shape}")
    d = x.shape[1]
    if type(training) is not bool and not isinstance(training, np.bool_):
        raise ValueError(f"{name}: training must be True or False; got {training!r}")
    if (gamma is None) != (beta is None):
        raise ValueError(f"{name}: gamma and beta must both be arrays (affine) or both be "
                         f"None (affine=False)")
    if gamma is not None:
        gamma, beta = as_float(gamma), as_float(beta)
        if gamma.shape != (d,) or beta.shape != (d,):
            check_shape(name, "gamma", gamma, (d,), f"(D,) = ({d},)")
            check_shape(name, "beta", beta, (d,), f"(D,) = ({d},)")
    if (running_mean is None) != (running_var is None):
        raise ValueError(f"{name}: running_mean and running_var must both be arrays or both "
                         f"be None (track_running_stats=False)")
    if running_mean is None:
        if not training:
            raise ValueError(f"{name}: evaluation (training=False) needs running_mean and "
                             f"running_var; without them only training mode is defined")
    else:
        _running(name, "running_mean", running_mean, d)
        _running(name, "running_var", running_var, d)
    # a plain float is tried first: the isinstance tests cost more than the rest of the call
    if (type(eps) is not float or not 0.0 < eps < _INF) and (
            isinstance(eps, bool) or not isinstance(eps, int | float | np.floating)
            or not 0 < eps < np.inf):
        raise ValueError(f"{name}: eps must be a finite number > 0; got {eps!r}")
    if momentum is None:
        if isinstance(num_batches_tracked, bool) or not isinstance(
                num_batches_tracked, int | np.integer) or num_batches_tracked < 1:
            raise ValueError(f"{name}: momentum=None (a cumulative average) needs "
                             f"num_batches_tracked, the number of training batches including "
                             f"this one (an integer >= 1); got {num_batches_tracked!r}")
        momentum = 1.0 / num_batches_tracked
    elif (type(momentum) is not float or not 0.0 <= momentum <= 1.0) and (
            isinstance(momentum, bool) or not isinstance(momentum, int | float | np.floating)
            or not 0.0 <= momentum <= 1.0):
        raise ValueError(f"{name}: momentum must be a number in [0, 1] or None; "
                         f"got {momentum!r}")
    return gamma, beta, float(momentum)


def batchnorm_forward(x: npt.ArrayLike, gamma: npt.ArrayLike | None,
                      beta: npt.ArrayLike | None, running_mean: np.ndarray | None,
                      running_var: np.ndarray | None, training: bool = True,
                      momentum: float | None = 0.1, eps: float = 1e-5,
                      num_batches_tracked: int | None = None) -> tuple[np.ndarray, BatchNormCache]:
    """y = γ ⊙ x̂ + β,  x̂ = (x − μ) / √(σ² + ε), per feature over the N samples of x (N, D)
    (per channel over N, H and W for x (N, C, H, W)).

    Training: μ, σ² are the batch mean and biased variance (1/N) Σ (x − μ)², and the running
    statistics are updated in place: r ← (1 − m)·r + m·s, with s = μ for the mean and the
    unbiased N/(N − 1)·σ² for the variance. Evaluation: μ, σ² are the running statistics.
    This is the fast form: batchnorm_steps is the same computation in CS231n's named
    steps, the one this is tested against. A small batch takes the fewest NumPy calls, a
    large one the fewest passes over x (see _batch_statistics).
    """
    name = "batchnorm_forward"
    x = as_float(x)
    gamma, beta, momentum = _check_options(name, x, gamma, beta, running_mean, running_var,
                                           training, momentum, eps, num_batches_tracked)
    shape, x = x.shape, _as_rows(x)
    n = len(x)
    if training and n < 2:
        raise ValueError(f"{name}: training needs more than 1 value per feature to "
                         f"estimate a variance; got x of shape {shape}")
    with np.errstate(invalid="ignore", over="ignore"):  # NaN and ±inf flow on, as in PyTorch
        if training:
            mean, var, centred = _batch_statistics(x)
            if running_mean is not None:  # r ← (1 − m)·r + m·s
                running_mean *= 1.0 - momentum
                running_mean += momentum * mean
                running_var *= 1.0 - momentum
                running_var += (momentum * n / (n - 1)) * var
        else:
            mean, var, centred = running_mean.copy(), running_var.copy(), None
        inv_std = 1.0 / np.sqrt(var + eps)
        scale = inv_std if gamma is None else gamma * inv_std  # a = γ/√(σ² + ε)
        if centred is not None:  # a small batch: y = (x − μ) ⊙ a + β, in x − μ's array
            out = centred
            out *= scale
            if beta is not None:
                out += beta
        else:
            # y = x ⊙ a + b with b = β − μ ⊙ a: two passes over x, as PyTorch's CPU kernel;
            # like it, y loses about log10(|μ|/σ) digits when features sit far from 0
            out = x * scale
            out += (0.0 if beta is None else beta) - mean * scale
    return _from_rows(out, shape), BatchNormCache(x, mean, var, inv_std, gamma, bool(training),
                                                  shape)


def batchnorm_backward(dout: npt.ArrayLike,
                       cache: BatchNormCache) -> tuple[np.ndarray, Any, Any]:
    """dγ = Σₙ dy ⊙ x̂,  dβ = Σₙ dy, and
    training   dx = γ/√(σ² + ε) ⊙ (dy − dβ/N − x̂ ⊙ dγ/N)  (μ and σ² depend on x);
    evaluation dx = γ/√(σ² + ε) ⊙ dy  (the running statistics are constants).
    dγ and dβ are None when the forward pass had no γ and β (affine=False)."""
    x, mean, _, inv_std, gamma, training, shape = cache
    shape = shape or x.shape
    dout = as_float(dout)
    check_shape("batchnorm_backward", "dout", dout, shape, f"the shape of x, {shape}")
    dout = _as_rows(dout)
    n = len(x)
    scale = inv_std if gamma is None else gamma * inv_std
    blocks = _row_blocks(x.shape)
    with np.errstate(invalid="ignore"):  # ±inf in x: NaN, as in PyTorch
        dx = np.empty_like(x)  # x − μ first, in the array that becomes dx
        dgamma = np.zeros(x.shape[1])
        for rows in blocks:
            np.subtract(x[rows], mean, out=dx[rows])
            dgamma += np.einsum("nd,nd->d", dout[rows], dx[rows])
        dgamma *= inv_std
        dbeta = np.ones(n) @ dout  # Σₙ dy as a matrix–vector product: BLAS sums fastest
        if training:
            k, dbeta_n = -inv_std * dgamma / n, dbeta / n  # k ⊙ (x − μ) = −x̂ ⊙ dγ/N
            for rows in blocks:
                part = dx[rows]
                part *= k
                part += dout[rows]
                part -= dbeta_n
                part *= scale
        else:
            np.multiply(dout, scale, out=dx)
    dx = _from_rows(dx, shape)
    return (dx, None, None) if gamma is None else (dx, dgamma, dbeta)


def batchnorm_steps(x: npt.ArrayLike, gamma: npt.ArrayLike, beta: npt.ArrayLike,
                    eps: float = 1e-5) -> tuple[np.ndarray, tuple]:
    """Batch normalisation in training mode, x (N, D), as CS231n stages it: the plain form
    batchnorm_forward is tested against (no running statistics, no shortcuts).

    1 μ = mean of x   2 xμ = x − μ   3 sq = xμ²   4 σ² = mean of sq   5 std = √(σ² + ε)
    6 inv = 1/std   7 x̂ = xμ · inv   8 γx̂ = γ · x̂   9 y = γx̂ + β
    """
    x, gamma, beta = as_float(x), as_float(gamma), as_float(beta)
    mu = x.mean(axis=0)          # 1
    xmu = x - mu                 # 2
    sq = xmu ** 2                # 3
    var = sq.mean(axis=0)        # 4
    std = np.sqrt(var + eps)     # 5
    inv = 1.0 / std              # 6
    xhat = xmu * inv             # 7
    gxhat = gamma * xhat         # 8
    out = gxhat + beta           # 9
    return out, (xhat, gamma, xmu, inv, std, var, eps)


def batchnorm_steps_backward(dout: npt.ArrayLike,
                             cache: tuple) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The steps of batchnorm_steps backwards, each the chain rule for one line:
    9 dβ = Σ dy, dγx̂ = dy   8 dγ = Σ dγx̂·x̂, dx̂ = dγx̂·γ   7 dinv = Σ dx̂·xμ, dxμ = dx̂·inv
    6 dstd = −dinv/std²   5 dσ² = dstd / (2·std)   4 dsq = dσ²/N   3 dxμ += 2·xμ·dsq
    2 dμ = −Σ dxμ, dx = dxμ   1 dx += dμ/N."""
    xhat, gamma, xmu, inv, std, var, eps = cache
    dout = as_float(dout)
    n = len(dout)
    dbeta = dout.sum(axis=0)                  # 9
    dgamma = (dout * xhat).sum(axis=0)        # 8
    dxhat = dout * gamma
    dinv = (dxhat * xmu).sum(axis=0)          # 7
    dxmu = dxhat * inv
    dstd = -dinv / std ** 2                   # 6
    dvar = dstd / (2.0 * np.sqrt(var + eps))  # 5
    dsq = np.full(dout.shape, dvar / n)       # 4
    dxmu += 2.0 * xmu * dsq                   # 3
    dmu = -dxmu.sum(axis=0)                   # 2
    dx = dxmu + dmu / n                       # 1
    return dx, dgamma, dbeta
