"""Centred finite differences for checking the analytic gradients of dlref.nn."""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

H = 1e-6
TOL = 1e-6


def numerical_grad(f: Callable[[], object], x: np.ndarray, dout: np.ndarray | None = None,
                   h: float = H) -> np.ndarray:
    """∂/∂x of Σ f() ⊙ dout (or of f() itself when it returns a float), by centred differences.

    f takes no arguments and reads x, which is perturbed in place one element at a time. The two
    outputs are subtracted before they are weighted by dout, so outputs that x[i] does not touch
    cancel exactly and do not add rounding error.
    """
    grad = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        old = x[i]
        x[i] = old + h
        plus = np.asarray(f(), dtype=float)
        x[i] = old - h
        minus = np.asarray(f(), dtype=float)
        x[i] = old
        diff = plus - minus
        grad[i] = (diff if dout is None else np.sum(diff * dout)) / (2 * h)
    return grad


def rel_error(a: np.ndarray, n: np.ndarray) -> float:
    """max |a − n| / max(|a|, |n|, 1e-8), elementwise."""
    a, n = np.asarray(a, dtype=float), np.asarray(n, dtype=float)
    assert a.shape == n.shape, (a.shape, n.shape)
    if a.size == 0:
        return 0.0
    return float(np.max(np.abs(a - n) / np.maximum(np.maximum(np.abs(a), np.abs(n)), 1e-8)))


def assert_grad(analytic: np.ndarray, f: Callable[[], object], x: np.ndarray,
                dout: np.ndarray | None = None, tol: float = TOL) -> None:
    """Assert the analytic gradient wrt x matches centred finite differences of f."""
    numeric = numerical_grad(f, x, dout)
    err = rel_error(analytic, numeric)
    assert err < tol, f"relative error {err:.2e} >= {tol:.0e}\nanalytic\n{analytic}\n" \
                      f"numeric\n{numeric}"
