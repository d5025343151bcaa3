"""Activation functions and their derivatives with respect to the input (elementwise)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float


def sigmoid(x: npt.ArrayLike) -> np.ndarray:
    """Logistic sigmoid: σ(x) = 1 / (1 + e⁻ˣ).

    Computed as written, as PyTorch does: accurate to a rounding or two everywhere; for
    x < −709, e⁻ˣ overflows to ∞ and σ(x) is 0 (its true value is below 10⁻³⁰⁸ there).
    """
    with np.errstate(over="ignore", under="ignore"):
        return 1.0 / (1.0 + np.exp(np.negative(as_float(x))))


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
    """ReLU(x) = max(0, x); NaN stays NaN (as PyTorch, so a diverging network shows it)."""
    return np.maximum(as_float(x), 0.0)


def relu_grad(x: npt.ArrayLike) -> np.ndarray:
    """ReLU′(x) = 0 if x ≤ 0 else 1 (0 at x = 0 and 1 at NaN, as PyTorch)."""
    return np.where(as_float(x) <= 0, 0.0, 1.0)


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
    """ELU′(x) = α·eˣ if x ≤ 0 else 1 (α at x = 0 and 1 at NaN, as PyTorch)."""
    x = as_float(x)
    with np.errstate(under="ignore"):
        return np.where(x <= 0, alpha * np.exp(np.minimum(x, 0.0)), 1.0)


# SELU's constants (Klambauer et al. 2017), to PyTorch's precision
SELU_ALPHA = 1.6732632423543772848170429916717
SELU_SCALE = 1.0507009873554804934193349852946


def selu(x: npt.ArrayLike) -> np.ndarray:
    """SELU(x) = λ·x if x > 0 else λ·α·(eˣ − 1), λ ≈ 1.0507, α ≈ 1.6733 (self-normalising)."""
    return SELU_SCALE * elu(x, SELU_ALPHA)


def selu_grad(x: npt.ArrayLike) -> np.ndarray:
    """SELU′(x) = λ·α·eˣ if x ≤ 0 else λ (λ at NaN, as PyTorch)."""
    return SELU_SCALE * elu_grad(x, SELU_ALPHA)


def softplus(x: npt.ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    """Softplus(x) = (1/β)·log(1 + e^(βx)), a smooth ReLU; x itself where βx > threshold (as
    PyTorch: there the two agree to float64 precision and e^(βx) would overflow)."""
    x = as_float(x)
    if not beta > 0:
        raise ValueError(f"softplus: beta must be > 0; got {beta}")
    bx = beta * x
    with np.errstate(over="ignore"):
        return np.where(bx > threshold, x, np.log1p(np.exp(bx)) / beta)


def softplus_grad(x: npt.ArrayLike, beta: float = 1.0, threshold: float = 20.0) -> np.ndarray:
    """Softplus′(x) = σ(βx) (1 where βx > threshold)."""
    x = as_float(x)
    if not beta > 0:
        raise ValueError(f"softplus_grad: beta must be > 0; got {beta}")
    return np.where(beta * x > threshold, 1.0, sigmoid(beta * x))


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


def prelu_weight_grad(dout: npt.ArrayLike, x: npt.ArrayLike, weight: npt.ArrayLike) -> np.ndarray:
    """∂L/∂a = Σ dout ⊙ x over the elements with x ≤ 0, per channel (summed over every axis but
    axis 1), or over everything for a shared slope: how the learned slope a is trained."""
    x, dout = as_float(x), as_float(dout)
    if dout.shape != x.shape:
        raise ValueError(f"prelu_weight_grad: dout must have the shape of x {x.shape}; "
                         f"got {dout.shape}")
    w = as_float(weight)
    _prelu_weight("prelu_weight_grad", x, w)
    g = np.where(x > 0, 0.0, x) * dout
    if w.size == 1:
        return g.sum().reshape(w.shape)
    return g.sum(axis=(0, *range(2, x.ndim)))


def softmax(x: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    """softmax(x)ᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m), m = maxⱼ xⱼ (shifting by m avoids overflow)."""
    x = _softmax_input("softmax", x, axis)
    if x.ndim == 0 or x.size == 0:  # one logit has probability 1; none, nothing to normalise
        return np.ones_like(x) if x.ndim == 0 else x.copy()
    with np.errstate(under="ignore", invalid="ignore"):
        e = np.exp(x - np.max(x, axis=axis, keepdims=True))
        return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(x: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    """log softmax(x)ᵢ = (xᵢ − m) − log Σⱼ e^(xⱼ − m), m = maxⱼ xⱼ (log-sum-exp trick)."""
    x = _softmax_input("log_softmax", x, axis)
    if x.ndim == 0 or x.size == 0:
        return np.zeros_like(x) if x.ndim == 0 else x.copy()
    with np.errstate(under="ignore", invalid="ignore"):
        z = x - np.max(x, axis=axis, keepdims=True)
        return z - np.log(np.sum(np.exp(z), axis=axis, keepdims=True))


def _softmax_input(name: str, x: npt.ArrayLike, axis: int) -> np.ndarray:
    x = as_float(x)
    if isinstance(axis, bool) or not isinstance(axis, int | np.integer) \
            or not -max(x.ndim, 1) <= axis < max(x.ndim, 1):
        raise ValueError(f"{name}: axis must be an integer in [{-max(x.ndim, 1)}, "
                         f"{max(x.ndim, 1) - 1}] for x of shape {x.shape}; got {axis!r}")
    return x


def softmax_backward(dout: npt.ArrayLike, out: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    """From y = softmax(x) and dL/dy: dL/dxᵢ = yᵢ·(doutᵢ − Σⱼ doutⱼ·yⱼ) (the Jacobian
    diag(y) − y yᵀ applied to dout, without forming it)."""
    dout, y = _same("softmax_backward", dout, out)
    return y * (dout - np.sum(dout * y, axis=axis, keepdims=True))


def log_softmax_backward(dout: npt.ArrayLike, out: npt.ArrayLike, axis: int = -1) -> np.ndarray:
    """From y = log softmax(x) and dL/dy: dL/dxᵢ = doutᵢ − softmax(x)ᵢ·Σⱼ doutⱼ, with
    softmax(x) = e^y."""
    dout, y = _same("log_softmax_backward", dout, out)
    return dout - np.exp(y) * np.sum(dout, axis=axis, keepdims=True)


def _same(name: str, dout: npt.ArrayLike, out: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    dout, out = as_float(dout), as_float(out)
    if dout.shape != out.shape:
        raise ValueError(f"{name}: dout must have the shape of out {out.shape}; got {dout.shape}")
    return dout, out


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
