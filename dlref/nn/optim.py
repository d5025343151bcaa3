"""Optimisers with torch.optim's update rules, updating a list of float arrays in place."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt


class Optimizer:
    """Holds the parameter arrays; `step(grads)` updates each pᵢ in place from gradient gᵢ."""

    def __init__(self, params: Sequence[np.ndarray], lr: float) -> None:
        name = type(self).__name__
        if isinstance(params, np.ndarray) or not isinstance(params, Sequence) or not params:
            raise ValueError(f"{name}: params must be a non-empty list of float arrays; "
                             f"got {type(params).__name__}")
        for k, p in enumerate(params):
            if not isinstance(p, np.ndarray) or not np.issubdtype(p.dtype, np.floating):
                kind = f"array of dtype {p.dtype}" if isinstance(p, np.ndarray) \
                    else type(p).__name__
                raise ValueError(f"{name}: params[{k}] must be a float ndarray (updated in "
                                 f"place); got {kind}")
        if not lr >= 0.0:
            raise ValueError(f"{name}: lr must be >= 0; got {lr}")
        self.params = list(params)
        self.lr = float(lr)
        self.t = 0  # steps taken

    def step(self, grads: Sequence[npt.ArrayLike]) -> None:
        """Apply one update, grads[i] being the gradient of the loss wrt params[i]."""
        name = type(self).__name__
        if len(grads) != len(self.params):
            raise ValueError(f"{name}.step: expected {len(self.params)} gradients, one per "
                             f"parameter; got {len(grads)}")
        gs = [np.asarray(g, dtype=np.float64) for g in grads]
        for k, (p, g) in enumerate(zip(self.params, gs, strict=True)):
            if g.shape != p.shape:
                raise ValueError(f"{name}.step: grads[{k}] must have shape {p.shape} like "
                                 f"params[{k}]; got {g.shape}")
        self.t += 1
        for k, (p, g) in enumerate(zip(self.params, gs, strict=True)):
            self._update(k, p, g)

    def _update(self, k: int, p: np.ndarray, g: np.ndarray) -> None:
        raise NotImplementedError


def _check_range(name: str, arg: str, value: float, high: float | None = None,
                 closed: bool = False) -> float:
    """value as a float in [0, ∞), or in [0, high) (closed: [0, high]), else ValueError."""
    ok = value >= 0.0 and (high is None or value < high or (closed and value == high))
    if not ok:
        where = "[0, ∞)" if high is None else f"[0, {high}{']' if closed else ')'}"
        raise ValueError(f"{name}: {arg} must lie in {where}; got {value}")
    return float(value)


class SGD(Optimizer):
    """Stochastic gradient descent with momentum μ (no dampening):
    b ← μ·b + g (b = g on the first step), p ← p − lr·b; plain p ← p − lr·g when μ = 0."""

    def __init__(self, params: Sequence[np.ndarray], lr: float, momentum: float = 0.0) -> None:
        super().__init__(params, lr)
        self.momentum = _check_range("SGD", "momentum", momentum)
        self.buffers: list[np.ndarray | None] = [None] * len(self.params)

    def _update(self, k: int, p: np.ndarray, g: np.ndarray) -> None:
        if self.momentum:
            b = self.buffers[k]
            self.buffers[k] = g.copy() if b is None else self.momentum * b + g
            g = self.buffers[k]
        p -= self.lr * g


class Adagrad(Optimizer):
    """Adagrad: s ← s + g², p ← p − lr·g / (√s + ε)."""

    def __init__(self, params: Sequence[np.ndarray], lr: float = 0.01,
                 eps: float = 1e-10) -> None:
        super().__init__(params, lr)
        self.eps = _check_range("Adagrad", "eps", eps)
        self.sums = [np.zeros(p.shape) for p in self.params]

    def _update(self, k: int, p: np.ndarray, g: np.ndarray) -> None:
        self.sums[k] += g * g
        p -= self.lr * g / (np.sqrt(self.sums[k]) + self.eps)


class RMSprop(Optimizer):
    """RMSprop: v ← α·v + (1 − α)·g², p ← p − lr·g / (√v + ε)."""

    def __init__(self, params: Sequence[np.ndarray], lr: float = 0.01, alpha: float = 0.99,
                 eps: float = 1e-8) -> None:
        super().__init__(params, lr)
        self.alpha = _check_range("RMSprop", "alpha", alpha, 1.0, closed=True)
        self.eps = _check_range("RMSprop", "eps", eps)
        self.square_avg = [np.zeros(p.shape) for p in self.params]

    def _update(self, k: int, p: np.ndarray, g: np.ndarray) -> None:
        v = self.square_avg[k]
        v *= self.alpha
        v += (1.0 - self.alpha) * g * g
        p -= self.lr * g / (np.sqrt(v) + self.eps)


class Adam(Optimizer):
    """Adam: m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², m̂ = m / (1 − β₁ᵗ),
    v̂ = v / (1 − β₂ᵗ), p ← p − lr·m̂ / (√v̂ + ε)."""

    def __init__(self, params: Sequence[np.ndarray], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8) -> None:
        super().__init__(params, lr)
        if len(betas) != 2:
            raise ValueError(f"Adam: betas must be a pair (β₁, β₂); got {betas!r}")
        self.betas = (_check_range("Adam", "betas[0]", betas[0], 1.0),
                      _check_range("Adam", "betas[1]", betas[1], 1.0))
        self.eps = _check_range("Adam", "eps", eps)
        self.m = [np.zeros(p.shape) for p in self.params]
        self.v = [np.zeros(p.shape) for p in self.params]

    def _update(self, k: int, p: np.ndarray, g: np.ndarray) -> None:
        b1, b2 = self.betas
        m, v = self.m[k], self.v[k]
        m *= b1
        m += (1.0 - b1) * g
        v *= b2
        v += (1.0 - b2) * g * g
        m_hat = m / (1.0 - b1 ** self.t)
        v_hat = v / (1.0 - b2 ** self.t)
        p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)


class AdamW(Optimizer):
    """AdamW (Loshchilov & Hutter, decoupled weight decay): first p ← p − lr·λ·p, then the Adam
    step m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², p ← p − lr·m̂ / (√v̂ + ε) with
    m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ). The decay never enters m or v, so it is not rescaled
    by 1/√v̂ as L2 added to the gradient (Adam + weight_decay) would be."""

    def __init__(self, params: Sequence[np.ndarray], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 1e-2) -> None:
        super().__init__(params, lr)
        if len(betas) != 2:
            raise ValueError(f"AdamW: betas must be a pair (β₁, β₂); got {betas!r}")
        self.betas = (_check_range("AdamW", "betas[0]", betas[0], 1.0),
                      _check_range("AdamW", "betas[1]", betas[1], 1.0))
        self.eps = _check_range("AdamW", "eps", eps)
        self.weight_decay = _check_range("AdamW", "weight_decay", weight_decay)
        self.m = [np.zeros(p.shape) for p in self.params]
        self.v = [np.zeros(p.shape) for p in self.params]

    def _update(self, k: int, p: np.ndarray, g: np.ndarray) -> None:
        b1, b2 = self.betas
        p *= 1.0 - self.lr * self.weight_decay  # decoupled: shrink the weights themselves
        m, v = self.m[k], self.v[k]
        m *= b1
        m += (1.0 - b1) * g
        v *= b2
        v += (1.0 - b2) * g * g
        m_hat = m / (1.0 - b1 ** self.t)
        v_hat = v / (1.0 - b2 ** self.t)
        p -= self.lr * m_hat / (np.sqrt(v_hat) + self.eps)
