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
        if isinstance(lr, bool) or not isinstance(lr, int | float | np.floating) or not lr >= 0.0:
            raise ValueError(f"{name}: lr must be >= 0; got {lr!r}")
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
    ok = isinstance(value, int | float | np.floating | np.integer) and not isinstance(value, bool) \
        and value >= 0.0 and (high is None or value < high or (closed and value == high))
    if not ok:
        where = "[0, ∞)" if high is None else f"[0, {high}{']' if closed else ')'}"
        raise ValueError(f"{name}: {arg} must lie in {where}; got {value}")
    return float(value)


class SGD(Optimizer):
    """Stochastic gradient descent with momentum μ, as torch.optim.SGD:
    g ← g + λ·p (weight decay λ), b ← μ·b + (1 − τ)·g (b = g on the first step; dampening τ),
    then p ← p − lr·b, or with Nesterov momentum p ← p − lr·(g + μ·b) (the gradient after the
    momentum step, looked at ahead); plain p ← p − lr·g when μ = 0."""

    def __init__(self, params: Sequence[np.ndarray], lr: float, momentum: float = 0.0,
                 dampening: float = 0.0, weight_decay: float = 0.0,
                 nesterov: bool = False) -> None:
        super().__init__(params, lr)
        self.momentum = _check_range("SGD", "momentum", momentum)
        self.dampening = _check_range("SGD", "dampening", dampening, 1.0, closed=True)
        self.weight_decay = _check_range("SGD", "weight_decay", weight_decay)
        if not isinstance(nesterov, bool):
            raise ValueError(f"SGD: nesterov must be True or False; got {nesterov!r}")
        if nesterov and (self.momentum == 0 or self.dampening != 0):
            raise ValueError(f"SGD: nesterov needs momentum > 0 and dampening = 0 (as PyTorch); "
                             f"got momentum={momentum}, dampening={dampening}")
        self.nesterov = nesterov
        self.buffers: list[np.ndarray | None] = [None] * len(self.params)

    def _update(self, k: int, p: np.ndarray, g: np.ndarray) -> None:
        if self.weight_decay:
            g = g + self.weight_decay * p
        if self.momentum:
            b = self.buffers[k]
            b = g.copy() if b is None else self.momentum * b + (1.0 - self.dampening) * g
            self.buffers[k] = b
            g = g + self.momentum * b if self.nesterov else b
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
    """RMSprop, as torch.optim.RMSprop: g ← g + λ·p (weight decay), v ← α·v + (1 − α)·g²,
    step = g / (√v + ε), or centred g / (√(v − ḡ²) + ε) with ḡ ← α·ḡ + (1 − α)·g (the variance
    instead of the raw second moment); p ← p − lr·step, or with momentum μ
    b ← μ·b + step, p ← p − lr·b."""

    def __init__(self, params: Sequence[np.ndarray], lr: float = 0.01, alpha: float = 0.99,
                 eps: float = 1e-8, weight_decay: float = 0.0, momentum: float = 0.0,
                 centered: bool = False) -> None:
        super().__init__(params, lr)
        self.alpha = _check_range("RMSprop", "alpha", alpha, 1.0, closed=True)
        self.eps = _check_range("RMSprop", "eps", eps)
        self.weight_decay = _check_range("RMSprop", "weight_decay", weight_decay)
        self.momentum = _check_range("RMSprop", "momentum", momentum)
        if not isinstance(centered, bool):
            raise ValueError(f"RMSprop: centered must be True or False; got {centered!r}")
        self.centered = centered
        self.square_avg = [np.zeros(p.shape) for p in self.params]
        self.grad_avg = [np.zeros(p.shape) for p in self.params]
        self.buffers = [np.zeros(p.shape) for p in self.params]

    def _update(self, k: int, p: np.ndarray, g: np.ndarray) -> None:
        if self.weight_decay:
            g = g + self.weight_decay * p
        v = self.square_avg[k]
        v *= self.alpha
        v += (1.0 - self.alpha) * g * g
        if self.centered:
            ga = self.grad_avg[k]
            ga *= self.alpha
            ga += (1.0 - self.alpha) * g
            step = g / (np.sqrt(v - ga * ga) + self.eps)
        else:
            step = g / (np.sqrt(v) + self.eps)
        if self.momentum:
            b = self.buffers[k]
            b *= self.momentum
            b += step
            step = b
        p -= self.lr * step


class Adam(Optimizer):
    """Adam, as torch.optim.Adam: g ← g + λ·p (L2 weight decay, added to the gradient),
    m ← β₁m + (1 − β₁)g, v ← β₂v + (1 − β₂)g², m̂ = m / (1 − β₁ᵗ), v̂ = v / (1 − β₂ᵗ),
    p ← p − lr·m̂ / (√v̂ + ε); AMSGrad divides by the largest v̂ so far instead, so steps never
    grow back when the gradients shrink."""

    def __init__(self, params: Sequence[np.ndarray], lr: float = 1e-3,
                 betas: tuple[float, float] = (0.9, 0.999), eps: float = 1e-8,
                 weight_decay: float = 0.0, amsgrad: bool = False) -> None:
        super().__init__(params, lr)
        if len(betas) != 2:
            raise ValueError(f"Adam: betas must be a pair (β₁, β₂); got {betas!r}")
        self.betas = (_check_range("Adam", "betas[0]", betas[0], 1.0),
                      _check_range("Adam", "betas[1]", betas[1], 1.0))
        self.eps = _check_range("Adam", "eps", eps)
        self.weight_decay = _check_range("Adam", "weight_decay", weight_decay)
        if not isinstance(amsgrad, bool):
            raise ValueError(f"Adam: amsgrad must be True or False; got {amsgrad!r}")
        self.amsgrad = amsgrad
        self.m = [np.zeros(p.shape) for p in self.params]
        self.v = [np.zeros(p.shape) for p in self.params]
        self.v_max = [np.zeros(p.shape) for p in self.params]

    def _update(self, k: int, p: np.ndarray, g: np.ndarray) -> None:
        b1, b2 = self.betas
        if self.weight_decay:
            g = g + self.weight_decay * p
        m, v = self.m[k], self.v[k]
        m *= b1
        m += (1.0 - b1) * g
        v *= b2
        v += (1.0 - b2) * g * g
        if self.amsgrad:
            np.maximum(self.v_max[k], v, out=self.v_max[k])
            v = self.v_max[k]
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
