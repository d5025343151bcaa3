"""Diagnosed mistakes on the foundations, activations, RMSprop and L1, each made by hand from
the numbers in the prompt (plain math: neither the templates' helpers nor dlref.nn)."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from quiz_helpers import matrix
from test_traps import after, bracket, diagnosed_in, row_ids
from test_traps_more import sig

SEEDS = range(40)


def _sign(v: float) -> float:
    return float((v > 0) - (v < 0))


# ---- PReLU with a slope per channel: x is (samples × channels), channel c is column c


def _prelu_rows(p):
    """The slope of row i (the sample) used where the slope of column i (the channel) belongs."""
    x, a = matrix(p, "x ="), bracket(p, "a")
    return [v if v > 0 else a[i] * v for i, row in enumerate(x) for v in row]


# ---- an activation's value: the formula of each, one of them mistaken

_PHI = {
    "ReLU": lambda x: max(0.0, x),
    "σ": lambda x: 1 / (1 + math.exp(-x)),
    "tanh": math.tanh,
    "LeakyReLU": lambda x: x if x > 0 else 0.01 * x,
    "ELU": lambda x: x if x > 0 else math.exp(x) - 1,
}


def _phi_with(p: str, mistaken: dict):
    """name(x) from a prompt such as "ELU(-1.2) with α = 1 = ?", with `mistaken`'s formulas
    in place of the right ones (a mistake that does not touch this function changes nothing)."""
    name, x = re.match(r"(\S+?)\((-?\d+(?:\.\d+)?)\)", p).groups()
    return {**_PHI, **mistaken}[name](float(x))


def _collapse_transposed(p):
    """W₂ times the rows of W₁ (W₂W₁ᵀ) instead of its columns."""
    w1, w2 = matrix(p, "W₁ ="), matrix(p, "W₂ =")[0]
    return [sum(w2[k] * w1[j][k] for k in range(2)) for j in range(2)]


# ---- a polynomial's coefficients


def _poly(p: str) -> tuple[int, int]:
    """Degree d and number of inputs (1 or 2)."""
    return int(re.search(r"degree (?:≤ )?(\d+)", p)[1]), 2 if "two inputs" in p else 1


def _poly_no_constant(p):
    d, inputs = _poly(p)
    if inputs == 1:
        return d  # 1, x, …, x^d is d + 1
    return sum(1 for a in range(d + 1) for b in range(d + 1) if a + b <= d) - 1


# ---- a sigmoid neuron on the four corners of the unit square

CORNERS = ((0, 0), (0, 1), (1, 0), (1, 1))


def _gate(p: str, bias: bool = True, threshold: float = 0.0) -> int:
    w, b = bracket(p, "w"), after(p, "b") if bias else 0.0
    return sum(w[0] * c[0] + w[1] * c[1] + b > threshold for c in CORNERS)


# ---- shapes of XW + b


def _dims(p: str, name: str) -> list[int]:
    return [int(v) for v in re.search(name + r" is ([\d×]+)", p)[1].split("×")]


# ---- backpropagation through h = ReLU(w₁x), ŷ = w₂h, L = (ŷ − y)²


def _two_layer(p: str, *, two: float = 2.0, relu: bool = True, last: bool = True) -> float:
    """∂L/∂w₁ by the chain rule, a factor optionally left out: the 2 of (ŷ − y)², ReLU′(z),
    or the last ∂z/∂w₁ = x."""
    x, w1, w2, y = after(p, "x"), after(p, "w₁"), after(p, "w₂"), after(p, ", y")
    z = w1 * x
    y_hat = w2 * max(0.0, z)
    relu_grad = (1.0 if z > 0 else 0.0) if relu else 1.0
    return two * (y_hat - y) * w2 * relu_grad * (x if last else 1.0)


# ---- RMSprop: v ← α·v + (1 − α)·g², w ← w − η·g/√v, each mistaken in one place


def _square_avg(p: str, old, new) -> float:
    """v after g₁, g₂ with v ← old(α)·v + new(α)·g²."""
    a, v = after(p, "α"), 0.0
    for g in (after(p, "g₁"), after(p, "g₂")):
        v = old(a) * v + new(a) * g * g
    return v


def _rmsprop_two(p: str, share, root) -> float:
    """w after two steps with v ← α·v + share(α)·g² and w ← w − η·g/root(v)."""
    lr, a, w, v = after(p, "η"), after(p, "α"), after(p, "w₀"), 0.0
    for g in (after(p, "g₁"), after(p, "g₂")):
        v = a * v + share(a) * g * g
        w -= lr * g / root(v)
    return w


# ---- L1's soft threshold


def _l1(p: str, on: str) -> tuple[list[float], float, float]:
    return bracket(p, on), after(p, "η"), after(p, "λ")


def _shrunk_by_lambda(p):
    w, _, lam = _l1(p, "on w")
    return [_sign(v) * max(abs(v) - lam, 0.0) for v in w]


def _shrunk_past_zero(p):
    w, lr, lam = _l1(p, "on w")
    return [v - lr * lam * _sign(v) for v in w]


def _l2_decay(p):
    w, lr, lam = _l1(p, "on w")
    return [v * (1 - lr * lam) for v in w]


ROWS = [
    ("prelu", "per-channel", "one slope per row", _prelu_rows),
    ("prelu", "per-channel", "plain ReLU", lambda p: [max(0.0, v) for v in np.ravel(
        matrix(p, "x ="))]),
    ("activation-function", "value", "sign of the exponent", lambda p: _phi_with(
        p, {"σ": lambda x: 1 / (1 + math.exp(x))})),
    ("activation-function", "value", "σ(x) given", lambda p: _phi_with(p, {"tanh": sig})),
    ("activation-function", "value", "plain ReLU", lambda p: _phi_with(
        p, {"LeakyReLU": _PHI["ReLU"], "ELU": _PHI["ReLU"]})),
    ("activation-function", "collapse", "rows used", _collapse_transposed),
    ("overfitting", "poly-params", "constant term", _poly_no_constant),
    ("overfitting", "poly-params", "cross terms", lambda p: (lambda d, n: 1 + n * d)(*_poly(p))),
    ("overfitting", "poly-params", "(d + 1)²", lambda p: (lambda d, n: (d + 1) ** n)(*_poly(p))),
    ("neuron", "gate-count", "bias b left out", lambda p: _gate(p, bias=False)),
    ("neuron", "gate-count", "compared with 0.5", lambda p: _gate(p, threshold=0.5)),
    ("neural-network", "output-shape", "in and out swapped", lambda p: (
        *_dims(p, "X")[:-1], _dims(p, "W")[0])),
    ("neural-network", "output-shape", "time axis dropped", lambda p: (
        _dims(p, "X")[0], _dims(p, "W")[1])),
    ("backpropagation", "two-layer", "factor 2", lambda p: _two_layer(p, two=1.0)),
    ("backpropagation", "two-layer", "ReLU′(z) left out", lambda p: _two_layer(p, relu=False)),
    ("backpropagation", "two-layer", "∂L/∂z given", lambda p: _two_layer(p, last=False)),
    ("rmsprop", "square-avg", "(1 − α) left out", lambda p: _square_avg(
        p, lambda a: a, lambda a: 1.0)),
    ("rmsprop", "square-avg", "swapped", lambda p: _square_avg(
        p, lambda a: 1 - a, lambda a: a)),
    ("rmsprop", "two-steps", "(1 − α) left out", lambda p: _rmsprop_two(
        p, lambda a: 1.0, lambda v: math.sqrt(v) + 1e-8)),
    ("rmsprop", "two-steps", "instead of √v", lambda p: _rmsprop_two(
        p, lambda a: 1 - a, lambda v: v)),
    ("l1-regularization", "soft-threshold", "λ instead of ηλ", _shrunk_by_lambda),
    ("l1-regularization", "soft-threshold", "past zero", _shrunk_past_zero),
    ("l1-regularization", "soft-threshold", "weight decay", _l2_decay),
    ("l1-regularization", "zeros", "λ instead of ηλ", lambda p: (lambda w, lr, lam: sum(
        abs(v) <= lam for v in w))(*_l1(p, "w"))),
    ("l1-regularization", "zeros", "sign ignored", lambda p: (lambda w, lr, lam: sum(
        v <= lr * lam for v in w))(*_l1(p, "w"))),
]

# mistakes that only show for some draws: one function of five, a ReLU that is off (z < 0),
# a step size η = 1 (where ηλ = λ), a weight within ηλ of zero
LEAST = {
    ("activation-function", "value", "sign of the exponent"): 2,
    ("activation-function", "value", "σ(x) given"): 3,
    ("activation-function", "value", "plain ReLU"): 4,
    ("backpropagation", "two-layer", "ReLU′(z) left out"): 8,
    ("l1-regularization", "soft-threshold", "past zero"): 8,
    ("l1-regularization", "zeros", "λ instead of ηλ"): 7,
}


@pytest.mark.parametrize(("card", "tid", "phrase", "mistake"), ROWS, ids=row_ids(ROWS))
def test_the_mistake_made_by_hand_is_diagnosed(card, tid, phrase, mistake):
    least = LEAST.get((card, tid, phrase), len(SEEDS) // 3)
    assert diagnosed_in(card, tid, phrase, mistake) >= least
