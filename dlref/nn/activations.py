"""Activation functions and their derivatives with respect to the input (elementwise)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float


def sigmoid(x: npt.ArrayLike) -> np.ndarray:
    """Logistic sigmoid: σ(x) = 1 / (1 + e⁻ˣ).

    Written with e^(−|x|) ≤ 1 so nothing overflows: σ(x) = 1 / (1 + e^(−|x|)) for x ≥ 0 and
    e^(−|x|) / (1 + e^(−|x|)) for x < 0.
    """
    x = as_float(x)
    with np.errstate(under="ignore"):
        e = np.exp(-np.abs(x))
    return np.where(x >= 0, 1.0, e) / (1.0 + e)


def sigmoid_grad(x: npt.ArrayLike) -> np.ndarray:
    """σ′(x) = σ(x)·(1 − σ(x))."""
    s = sigmoid(x)
    return s * (1.0 - s)


def tanh(x: npt.ArrayLike) -> np.ndarray:
    """tanh(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ) = 2σ(2x) − 1."""
    return np.tanh(as_float(x))


def tanh_grad(x: npt.ArrayLike) -> np.ndarray:
    """tanh′(x) = 1 − tanh²(x)."""
    t = np.tanh(as_float(x))
    return 1.0 - t * t


def relu(x: npt.ArrayLike) -> np.ndarray:
    """ReLU(x) = max(0, x)."""
    x = as_float(x)
    return np.where(x > 0, x, 0.0)


def relu_grad(x: npt.ArrayLike) -> np.ndarray:
    """ReLU′(x) = 1 if x > 0 else 0 (0 at x = 0, as PyTorch)."""
    return np.where(as_float(x) > 0, 1.0, 0.0)


def leaky_relu(x: npt.ArrayLike, negative_slope: float = 0.01) -> np.ndarray:
    """LeakyReLU(x) = x if x > 0 else negative_slope·x."""
    x = as_float(x)
    return np.where(x > 0, x, negative_slope * x)


def leaky_relu_grad(x: npt.ArrayLike, negative_slope: float = 0.01) -> np.ndarray:
    """LeakyReLU′(x) = 1 if x > 0 else negative_slope (negative_slope at x = 0, as PyTorch)."""
    return np.where(as_float(x) > 0, 1.0, float(negative_slope))


def elu(x: npt.ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """ELU(x) = x if x > 0 else α·(eˣ − 1)."""
    x = as_float(x)
    return np.where(x > 0, x, alpha * np.expm1(np.minimum(x, 0.0)))


def elu_grad(x: npt.ArrayLike, alpha: float = 1.0) -> np.ndarray:
    """ELU′(x) = 1 if x > 0 else α·eˣ (α at x = 0, as PyTorch)."""
    x = as_float(x)
    with np.errstate(under="ignore"):
        return np.where(x > 0, 1.0, alpha * np.exp(np.minimum(x, 0.0)))


def _prelu_weight(name: str, x: np.ndarray, weight: npt.ArrayLike) -> np.ndarray:
    """The PReLU weight broadcastable against x: one slope, or one per channel (axis 1)."""
    w = as_float(weight)
    if w.size == 1:
        return w.reshape(())
    channels = x.shape[1] if x.ndim >= 2 else 1
    if x.ndim < 2 or w.shape != (channels,):
        raise ValueError(f"{name}: weight must be a scalar or have shape (C,) with C={channels} "
                         f"channels (axis 1 of x, shape {x.shape}); got {w.shape}")
    return w.reshape((1, channels) + (1,) * (x.ndim - 2))


def prelu(x: npt.ArrayLike, weight: npt.ArrayLike) -> np.ndarray:
    """PReLU(x) = x if x > 0 else a·x, with a learned slope a per channel (axis 1) or shared."""
    x = as_float(x)
    a = _prelu_weight("prelu", x, weight)
    return np.where(x > 0, x, a * x)


def prelu_grad(x: npt.ArrayLike, weight: npt.ArrayLike) -> np.ndarray:
    """∂PReLU/∂x = 1 if x > 0 else a (a at x = 0, as PyTorch)."""
    x = as_float(x)
    a = _prelu_weight("prelu_grad", x, weight)
    return np.where(x > 0, 1.0, a)


def softmax(x: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    """softmax(x)ᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m), m = maxⱼ xⱼ (shifting by m avoids overflow)."""
    x = as_float(x)
    with np.errstate(under="ignore"):
        e = np.exp(x - np.max(x, axis=axis, keepdims=True))
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    """log softmax(x)ᵢ = (xᵢ − m) − log Σⱼ e^(xⱼ − m), m = maxⱼ xⱼ (log-sum-exp trick)."""
    x = as_float(x)
    z = x - np.max(x, axis=axis, keepdims=True)
    with np.errstate(under="ignore"):
        return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


#: The parameter-free activations with their derivatives, by name: what demos let a learner pick.
ACTIVATIONS = {
    "sigmoid": (sigmoid, sigmoid_grad),
    "tanh": (tanh, tanh_grad),
    "relu": (relu, relu_grad),
}


# --- GELU and SiLU (Transformer-era activations) ---------------------------------------------

import math  # noqa: E402  (here, with its only users, so the top of the file stays as it was)

_erf = np.vectorize(math.erf, otypes=[np.float64])  # NumPy has no erf; math.erf is exact
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)


def gelu(x: npt.ArrayLike, approximate: str = "none") -> np.ndarray:
    """GELU(x) = x·Φ(x) = x/2 · (1 + erf(x/√2)), Φ the standard normal CDF (Hendrycks & Gimpel).

    approximate="tanh": x/2 · (1 + tanh(√(2/π)·(x + 0.044715·x³))), as torch's option.
    """
    x = as_float(x)
    if approximate == "none":
        return 0.5 * x * (1.0 + _erf(x / math.sqrt(2.0)))
    if approximate == "tanh":
        return 0.5 * x * (1.0 + np.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x ** 3)))
    raise ValueError(f"gelu: approximate must be 'none' or 'tanh'; got {approximate!r}")


def gelu_grad(x: npt.ArrayLike, approximate: str = "none") -> np.ndarray:
    """GELU′(x) = Φ(x) + x·φ(x), φ(x) = e^(−x²/2)/√(2π) the normal density.

    approximate="tanh": with u = √(2/π)(x + 0.044715x³), t = tanh(u):
    ½(1 + t) + ½x(1 − t²)·√(2/π)(1 + 3·0.044715x²).
    """
    x = as_float(x)
    if approximate == "none":
        with np.errstate(under="ignore"):
            pdf = np.exp(-0.5 * x * x) / math.sqrt(2.0 * math.pi)
        return 0.5 * (1.0 + _erf(x / math.sqrt(2.0))) + x * pdf
    if approximate == "tanh":
        t = np.tanh(_SQRT_2_OVER_PI * (x + 0.044715 * x ** 3))
        return 0.5 * (1.0 + t) + 0.5 * x * (1.0 - t * t) * _SQRT_2_OVER_PI * (
            1.0 + 3 * 0.044715 * x * x)
    raise ValueError(f"gelu_grad: approximate must be 'none' or 'tanh'; got {approximate!r}")


def silu(x: npt.ArrayLike) -> np.ndarray:
    """SiLU(x) = x·σ(x) (also called Swish with β = 1)."""
    x = as_float(x)
    return x * sigmoid(x)


def silu_grad(x: npt.ArrayLike) -> np.ndarray:
    """SiLU′(x) = σ(x)·(1 + x·(1 − σ(x)))."""
    x = as_float(x)
    s = sigmoid(x)
    return s * (1.0 + x * (1.0 - s))
