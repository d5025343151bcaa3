"""Batch normalisation over the batch axis of (N, D) inputs, as torch.nn.BatchNorm1d."""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float, as_float_ndim, check_shape


class BatchNormCache(NamedTuple):
    """What batchnorm_forward remembers: x (N, D), the μ (D,) and 1/√(σ² + ε) (D,) it used,
    γ (D,), and the mode; x̂ = (x − μ)/√(σ² + ε) is the property `xhat`."""

    x: np.ndarray
    mean: np.ndarray
    inv_std: np.ndarray
    gamma: np.ndarray
    training: bool

    @property
    def xhat(self) -> np.ndarray:
        """The normalised input x̂ (N, D)."""
        return (self.x - self.mean) * self.inv_std


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
        out = x - mean
        var = np.einsum("nd,nd->d", out, out) / n  # (1/N) Σ (x − μ)², without a temporary
        running_mean *= 1.0 - momentum
        running_mean += momentum * mean
        running_var *= 1.0 - momentum
        running_var += momentum * var * n / (n - 1)
    else:
        mean, var = running_mean.copy(), running_var.copy()
        out = x - mean
    inv_std = 1.0 / np.sqrt(var + eps)
    out *= gamma * inv_std  # in place: one N×D array per call
    out += beta
    return out, BatchNormCache(x, mean, inv_std, gamma, bool(training))


def batchnorm_backward(dout: npt.ArrayLike,
                       cache: Any) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """dγ = Σₙ dy ⊙ x̂,  dβ = Σₙ dy, and
    training   dx = γ/√(σ² + ε) ⊙ (dy − dβ/N − x̂ ⊙ dγ/N)  (μ and σ² depend on x);
    evaluation dx = γ/√(σ² + ε) ⊙ dy  (the running statistics are constants)."""
    x, mean, inv_std, gamma, training = cache
    dout = as_float(dout)
    check_shape("batchnorm_backward", "dout", dout, x.shape, f"(N, D) = {x.shape}")
    n = len(x)
    dx = x - mean
    dx *= inv_std  # x̂, computed in the array that becomes dx
    dgamma = np.einsum("nd,nd->d", dout, dx)
    dbeta = dout.sum(axis=0)
    if training:
        dx *= -dgamma / n
        dx += dout
        dx -= dbeta / n
    else:
        dx[...] = dout
    dx *= gamma * inv_std
    return dx, dgamma, dbeta
