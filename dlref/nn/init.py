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


def kaiming_normal(shape: Sequence[int], rng: Rng = None) -> np.ndarray:
    """He/Kaiming normal for ReLU, fan_in mode: W ~ N(0, σ²), σ = √(2 / fan_in)."""
    fan_in, _ = compute_fans(shape)
    return rng_from(rng).normal(0.0, math.sqrt(2.0 / fan_in), size=tuple(shape))


def kaiming_uniform(shape: Sequence[int], rng: Rng = None) -> np.ndarray:
    """He/Kaiming uniform for ReLU, fan_in mode: W ~ U(−b, b), b = √(6 / fan_in)."""
    fan_in, _ = compute_fans(shape)
    b = math.sqrt(6.0 / fan_in)
    return rng_from(rng).uniform(-b, b, size=tuple(shape))
