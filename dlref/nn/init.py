"""Weight initialisers, with fans computed as PyTorch does for shapes (out, in, *kernel)."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np

from dlref.nn._checks import pos_int, rng_from

Rng = np.random.Generator | int | None


def compute_fans(shape: Sequence[int]) -> tuple[int, int]:
    """fan_in = in·k, fan_out = out·k for a shape (out, in, *kernel), k = Π kernel (the
    receptive field; 1 for a linear layer's (out, in))."""
    if isinstance(shape, int | np.integer) or len(shape) < 2:
        raise ValueError(f"fans can not be computed for a shape with fewer than 2 dimensions "
                         f"(need (out, in, *kernel)); got {shape!r}")
    dims = [pos_int("compute_fans", "every dimension of shape", d) for d in shape]
    receptive = math.prod(dims[2:])
    return dims[1] * receptive, dims[0] * receptive


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """The recommended gain for a nonlinearity, as torch.nn.init.calculate_gain:
    linear/conv/sigmoid 1, tanh 5/3, relu √2, leaky_relu √(2 / (1 + slope²)), selu 3/4."""
    gains = {"linear": 1.0, "conv1d": 1.0, "conv2d": 1.0, "conv3d": 1.0, "sigmoid": 1.0,
             "tanh": 5.0 / 3.0, "relu": math.sqrt(2.0), "selu": 0.75}
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else float(param)
        return math.sqrt(2.0 / (1.0 + slope * slope))
    if nonlinearity not in gains:
        raise ValueError(f"calculate_gain: unknown nonlinearity {nonlinearity!r}; one of "
                         f"{', '.join(sorted([*gains, 'leaky_relu']))}")
    return gains[nonlinearity]


def xavier_uniform(shape: Sequence[int], gain: float = 1.0, rng: Rng = None) -> np.ndarray:
    """Glorot/Xavier uniform: W ~ U(−a, a), a = gain·√(6 / (fan_in + fan_out))."""
    fan_in, fan_out = compute_fans(shape)
    a = gain * math.sqrt(6.0 / (fan_in + fan_out))
    return rng_from(rng).uniform(-a, a, size=tuple(shape))


def xavier_normal(shape: Sequence[int], gain: float = 1.0, rng: Rng = None) -> np.ndarray:
    """Glorot/Xavier normal: W ~ N(0, σ²), σ = gain·√(2 / (fan_in + fan_out))."""
    fan_in, fan_out = compute_fans(shape)
    return rng_from(rng).normal(0.0, gain * math.sqrt(2.0 / (fan_in + fan_out)),
                                size=tuple(shape))


def _kaiming_std(name: str, shape: Sequence[int], a: float, mode: str,
                 nonlinearity: str) -> float:
    """gain / √fan, gain = calculate_gain(nonlinearity, a), fan = fan_in or fan_out."""
    if mode not in ("fan_in", "fan_out"):
        raise ValueError(f"{name}: mode must be 'fan_in' or 'fan_out'; got {mode!r}")
    fan_in, fan_out = compute_fans(shape)
    return calculate_gain(nonlinearity, a) / math.sqrt(fan_in if mode == "fan_in" else fan_out)


def kaiming_normal(shape: Sequence[int], rng: Rng = None, a: float = 0.0, mode: str = "fan_in",
                   nonlinearity: str = "leaky_relu") -> np.ndarray:
    """He/Kaiming normal: W ~ N(0, σ²), σ = gain/√fan, as torch.nn.init.kaiming_normal_. The
    defaults (leaky ReLU with slope a = 0, fan_in) give ReLU's σ = √(2 / fan_in); mode="fan_out"
    keeps the gradients' variance instead of the activations'."""
    std = _kaiming_std("kaiming_normal", shape, a, mode, nonlinearity)
    return rng_from(rng).normal(0.0, std, size=tuple(shape))


def kaiming_uniform(shape: Sequence[int], rng: Rng = None, a: float = 0.0, mode: str = "fan_in",
                    nonlinearity: str = "leaky_relu") -> np.ndarray:
    """He/Kaiming uniform: W ~ U(−b, b), b = √3·gain/√fan (the same variance as
    kaiming_normal); ReLU's defaults give b = √(6 / fan_in)."""
    b = math.sqrt(3.0) * _kaiming_std("kaiming_uniform", shape, a, mode, nonlinearity)
    return rng_from(rng).uniform(-b, b, size=tuple(shape))


def orthogonal(shape: Sequence[int], gain: float = 1.0, rng: Rng = None) -> np.ndarray:
    """A (semi-)orthogonal matrix, as torch.nn.init.orthogonal_: the Q of the QR factorisation
    of a Gaussian matrix (rows = shape[0], columns = the rest), signs fixed by R's diagonal so
    it is uniformly distributed; its rows (or columns, whichever are fewer) are orthonormal,
    so it preserves the norm of what it multiplies. Times gain."""
    if isinstance(shape, int | np.integer) or len(shape) < 2:
        raise ValueError(f"orthogonal: shape must have at least 2 dimensions; got {shape!r}")
    dims = [pos_int("orthogonal", "every dimension of shape", d) for d in shape]
    rows, cols = dims[0], math.prod(dims[1:])
    a = rng_from(rng).standard_normal((rows, cols))
    if rows < cols:
        a = a.T
    q, r = np.linalg.qr(a)
    q *= np.sign(np.diag(r))
    if rows < cols:
        q = q.T
    return gain * q.reshape(tuple(dims))


def trunc_normal(shape: Sequence[int], mean: float = 0.0, std: float = 1.0, a: float = -2.0,
                 b: float = 2.0, rng: Rng = None) -> np.ndarray:
    """N(mean, std²) truncated to [a, b] (absolute bounds, as torch.nn.init.trunc_normal_):
    draws outside are drawn again until every value lies inside."""
    if not (std > 0 and a < b and a <= mean + 6 * std and b >= mean - 6 * std):
        raise ValueError(f"trunc_normal: need std > 0 and a < b overlapping [mean − 6·std, "
                         f"mean + 6·std]; got mean={mean}, std={std}, a={a}, b={b}")
    gen = rng_from(rng)
    shape = tuple(pos_int("trunc_normal", "every dimension of shape", d) for d in shape)
    w = gen.normal(mean, std, size=shape)
    out = (w < a) | (w > b)
    while out.any():
        w[out] = gen.normal(mean, std, size=int(out.sum()))
        out = (w < a) | (w > b)
    return w


def default_init(shape: Sequence[int], rng: Rng = None) -> tuple[np.ndarray, np.ndarray]:
    """PyTorch's own initialisation of nn.Linear and nn.Conv2d weights (out, in, *kernel):
    kaiming_uniform with a = √5, i.e. W ~ U(−1/√fan_in, 1/√fan_in), and the bias (out,) from
    the same range. (nn.RNN/LSTM/GRU draw every weight and bias from U(−1/√H, 1/√H) instead.)
    Returns (weight, bias)."""
    gen = rng_from(rng)
    w = kaiming_uniform(shape, gen, a=math.sqrt(5.0))
    bound = 1.0 / math.sqrt(compute_fans(shape)[0])
    return w, gen.uniform(-bound, bound, size=int(shape[0]))
