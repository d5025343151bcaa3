"""Batch normalisation over the batch axis of (N, D) inputs, as torch.nn.BatchNorm1d."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float, as_float_ndim, check_shape


class BatchNormCache(NamedTuple):
    """What batchnorm_forward remembers: x (N, D), the μ and σ² (D,) it normalised with,
    1/√(σ² + ε) (D,), γ (D,), and the mode; x̂ = (x − μ)/√(σ² + ε) is the property `xhat`."""

    x: np.ndarray
    mean: np.ndarray
    var: np.ndarray
    inv_std: np.ndarray
    gamma: np.ndarray
    training: bool

    @property
    def xhat(self) -> np.ndarray:
        """The normalised input x̂ (N, D)."""
        return (self.x - self.mean) * self.inv_std


# E[x²] − μ² cancels about log10(μ²/σ²) of float64's 16 digits; past 3 it is not worth the pass
# it saves, and the features concerned get the two-pass variance instead.
_CANCELLATION = 1e3


def _batch_variance(x: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """The biased variance (1/N) Σ (x − μ)² per feature: E[x²] − μ² in one pass over x, then
    the two-pass sum over x − μ for the features where μ² > 1000·σ² and the shortcut cancels."""
    var = np.einsum("nd,nd->d", x, x) / len(x) - mean * mean
    redo = mean * mean > _CANCELLATION * var
    if redo.any():
        var[redo] = x[:, redo].var(axis=0)
    return var


def _running(name: str, arg: str, a: Any, d: int) -> np.ndarray:
    if not isinstance(a, np.ndarray) or not np.issubdtype(a.dtype, np.floating):
        raise ValueError(f"{name}: {arg} must be a float ndarray of shape (D,) = ({d},), "
                         f"updated in place; got {type(a).__name__}"
                         f"{'' if not isinstance(a, np.ndarray) else ' of dtype ' + str(a.dtype)}")
    check_shape(name, arg, a, (d,), f"(D,) = ({d},)")
    return a


def batchnorm_forward(x: npt.ArrayLike, gamma: npt.ArrayLike, beta: npt.ArrayLike,
                      running_mean: np.ndarray, running_var: np.ndarray, training: bool = True,
                      momentum: float = 0.1, eps: float = 1e-5) -> tuple[np.ndarray, Any]:
    """y = γ ⊙ x̂ + β,  x̂ = (x − μ) / √(σ² + ε), per feature over the N samples of x (N, D).

    Training: μ, σ² are the batch mean and biased variance (1/N) Σ (x − μ)², and the running
    statistics are updated in place: r ← (1 − m)·r + m·s, with s = μ for the mean and the
    unbiased N/(N − 1)·σ² for the variance. Evaluation: μ, σ² are the running statistics.
    """
    name = "batchnorm_forward"
    x = as_float_ndim(name, "x", x, 2, "(N, D)")
    n, d = x.shape
    gamma, beta = as_float(gamma), as_float(beta)
    check_shape(name, "gamma", gamma, (d,), f"(D,) = ({d},)")
    check_shape(name, "beta", beta, (d,), f"(D,) = ({d},)")
    _running(name, "running_mean", running_mean, d)
    _running(name, "running_var", running_var, d)
    if not 0.0 <= momentum <= 1.0 or eps < 0:
        raise ValueError(f"{name}: need 0 <= momentum <= 1 and eps >= 0; "
                         f"got momentum={momentum}, eps={eps}")
    if training:
        if n < 2:
            raise ValueError(f"{name}: training needs more than 1 sample per feature to "
                             f"estimate a variance; got x of shape {x.shape}")
        mean = x.mean(axis=0)
        var = _batch_variance(x, mean)
        running_mean *= 1.0 - momentum
        running_mean += momentum * mean
        running_var *= 1.0 - momentum
        running_var += momentum * var * n / (n - 1)
    else:
        mean, var = running_mean.copy(), running_var.copy()
    inv_std = 1.0 / np.sqrt(var + eps)
    # y = x ⊙ a + b with a = γ/√(σ² + ε), b = β − μ ⊙ a: two passes over x, as PyTorch's CPU
    # kernel; like it, y loses about log10(|μ|/σ) digits when the features sit far from 0
    scale = gamma * inv_std
    out = x * scale
    out += beta - mean * scale
    return out, BatchNormCache(x, mean, var, inv_std, gamma, bool(training))


def batchnorm_backward(dout: npt.ArrayLike,
                       cache: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dγ = Σₙ dy ⊙ x̂,  dβ = Σₙ dy, and
    training   dx = γ/√(σ² + ε) ⊙ (dy − dβ/N − x̂ ⊙ dγ/N)  (μ and σ² depend on x);
    evaluation dx = γ/√(σ² + ε) ⊙ dy  (the running statistics are constants)."""
    x, mean, _, inv_std, gamma, training = cache
    dout = as_float(dout)
    check_shape("batchnorm_backward", "dout", dout, x.shape, f"(N, D) = {x.shape}")
    n = len(x)
    dx = x - mean  # x − μ, in the array that becomes dx
    dgamma = np.einsum("nd,nd->d", dout, dx) * inv_std
    dbeta = dout.sum(axis=0)
    if training:
        dx *= -inv_std * dgamma / n  # −x̂ ⊙ dγ/N
        dx += dout
        dx -= dbeta / n
        dx *= gamma * inv_std
    else:
        np.multiply(dout, gamma * inv_std, out=dx)
    return dx, dgamma, dbeta
