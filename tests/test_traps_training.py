"""Diagnosed mistakes of the training-in-practice templates (model selection, early stopping,
learning-rate schedules, AdamW, accuracy, label smoothing, one-hot encoding, saddle points, the
MLP), each made by hand from the numbers in the prompt with plain math, never with dlref.
"""

from __future__ import annotations

import math
import re
from fractions import Fraction

import pytest
from quiz_helpers import matrix
from test_traps import after, diagnosed_in, row_ids
from test_traps_more import counts, first_list

SEEDS = range(40)
NUM = r"(-?\d+(?:\.\d+)?)"


def num(p: str, pattern: str) -> float:
    return float(re.search(pattern, p)[1])


def _kfold(p: str) -> tuple[int, int]:
    return int(num(p, r"n_splits=(\d+)")), int(after(p, "N"))


def _remainder_last(p):
    k, n = _kfold(p)
    size = n // k
    return [size, n - (k - 1) * size]  # every fold ⌊N/k⌋, the last one takes what is left


def _stop_any_drop(p):
    """The stopping epoch (counting from 1) when every lower loss is a new best."""
    val, patience = first_list(p), int(num(p, r"patience (\d+)"))
    best, wait = math.inf, 0
    for epoch, loss in enumerate(val, start=1):
        if loss < best:
            best, wait = loss, 0
        else:
            wait += 1
            if wait == patience:
                return epoch
    return len(val)


def _cosine(p):
    """lr, η_min and cos(π·t/T) of a CosineAnnealingLR prompt."""
    lr = num(p, r"base learning rate " + NUM)
    t, total = num(p, r"step t = (\d+)"), num(p, r"T_max=(\d+)")
    return lr, num(p, r"eta_min=" + NUM), math.cos(math.pi * t / total)


def _warmup(p):
    """lr, start_factor (1/3 written as a fraction), t and total_iters of a LinearLR prompt."""
    lr = num(p, r"base learning rate " + NUM)
    start = float(Fraction(re.search(r"start_factor=([\d./]+),", p)[1]))
    return lr, start, num(p, r"step t = (\d+)"), num(p, r"total_iters=(\d+)")


def _warmup_cosine(p):
    """lr, t, the warm-up w, the last step T and T_max of a warm-up-then-cosine prompt."""
    lr, t = num(p, r"peak learning rate " + NUM), num(p, r"step t = (\d+)")
    warm, total = num(p, r"Warm-up for (\d+) steps"), num(p, r"to 0 at step (\d+)")
    return lr, t, warm, total, num(p, r"T_max=(\d+)")


def _adam_l2(p) -> float:
    """Adam + L2 done right: the first step moves η against the sign of g + λw."""
    w, g, lr, lam = after(p, "w"), after(p, "g"), after(p, "η"), after(p, "λ")
    return w - lr * math.copysign(1, g + lam * w)


def _adamw(p, decay: float) -> float:
    """AdamW's first step with the weight shrunk by `decay` first."""
    w, g, lr = after(p, "w"), after(p, "g"), after(p, "η")
    return w * (1 - decay) - lr * math.copysign(1, g)


def _poly(p: str) -> tuple[float, float, float]:
    """a, b, c of f(x, y) = a·x² + b·xy + c·y² as the prompt writes it."""
    f = re.search(r"f\(x, y\) = (.*?y²)", p)[1].replace(" ", "")
    found = dict.fromkeys(("x²", "xy", "y²"), 0.0)
    for sign, k, term in re.findall(r"([+−]?)(\d*(?:\.\d+)?)(x²|xy|y²)", f):
        found[term] = (-1.0 if sign == "−" else 1.0) * float(k or 1)
    return found["x²"], found["xy"], found["y²"]


def _eig2(m00: float, m01: float, m11: float) -> list[float]:
    """Eigenvalues of the symmetric [[m00, m01], [m01, m11]], smallest first."""
    tr, det = m00 + m11, m00 * m11 - m01 * m01
    root = math.sqrt(tr * tr - 4 * det)
    return [(tr - root) / 2, (tr + root) / 2]


def _escape(p, factor):
    """y after k steps when each step multiplies it by factor(b, η)."""
    b = float(re.search(r"− (\d*(?:\.\d+)?)y²", p)[1] or 1)
    y0, k = num(p, r"from \(1, " + NUM + r"\)"), int(num(p, r"after (\d+) steps"))
    return y0 * factor(b, after(p, "η")) ** k


def _one_hot_kth_place(p):
    k, c = int(num(p, r"encode class (\d+)")), int(after(p, "C"))
    place = max(k, 1)  # the k-th place, counting places from 1 (class 0 has no 0-th place)
    return [1.0 if i == place else 0.0 for i in range(1, c + 1)]


def _rows_not_columns(p):
    w1, w2 = matrix(p, "W₁ ="), matrix(p, "W₂ =")[0]
    return [float(w2[0] * row[0] + w2[1] * row[1]) for row in w1]


ROWS = [
    ("model-selection", "fold-sizes", "remainder all put in the last fold", _remainder_last),
    ("model-selection", "fold-sizes", "⌊N/k⌋ for every fold", lambda p: (lambda k, n: [
        n // k, n // k])(*_kfold(p))),
    ("early-stopping", "min-delta", "smaller than min_delta", _stop_any_drop),
    ("learning-rate-schedule", "cosine", "without the (1 + ·)/2", lambda p: (
        lambda lr, eta_min, c: eta_min + (lr - eta_min) * c)(*_cosine(p))),
    ("learning-rate-schedule", "cosine", "η_min left out", lambda p: (
        lambda lr, eta_min, c: lr * (1 + c) / 2)(*_cosine(p))),
    ("learning-rate-schedule", "warmup", "started from 0", lambda p: (
        lambda lr, s, t, total: lr * t / total)(*_warmup(p))),
    ("learning-rate-schedule", "warmup", "start_factor read as a learning rate", lambda p: (
        lambda lr, s, t, total: s + (lr - s) * t / total)(*_warmup(p))),
    ("learning-rate-schedule", "warmup-cosine", "t not shifted", lambda p: (
        lambda lr, t, w, total, t_max: lr * (1 + math.cos(math.pi * t / t_max)) / 2)(
        *_warmup_cosine(p))),
    ("learning-rate-schedule", "warmup-cosine", "T_max taken as the whole run", lambda p: (
        lambda lr, t, w, total, t_max: lr * (1 + math.cos(math.pi * (t - w) / total)) / 2)(
        *_warmup_cosine(p))),
    ("adamw", "vs-adam-l2", "taken for AdamW", lambda p: [
        _adamw(p, after(p, "η") * after(p, "λ"))] * 2),
    ("adamw", "vs-adam-l2", "decoupled weight decay left out", lambda p: [
        _adam_l2(p), _adamw(p, 0.0)]),
    ("adamw", "vs-adam-l2", "not η·λ", lambda p: [_adam_l2(p), _adamw(p, after(p, "λ"))]),
    ("accuracy", "accuracy-and-f1", "TN left out", lambda p: (lambda tp, fp, fn, tn: [
        tp / (tp + fp + fn), 2 * tp / (2 * tp + fp + fn)])(*counts(p))),
    ("label-smoothing", "optimal-gap", "ε/(C − 1)", lambda p: (lambda eps, c: math.log(
        (1 - eps) / (eps / (c - 1))))(after(p, "ε"), after(p, "C"))),
    ("label-smoothing", "optimal-gap", "not its log", lambda p: (lambda eps, c: (
        1 - eps + eps / c) / (eps / c))(after(p, "ε"), after(p, "C"))),
    ("one-hot-encoding", "vector", "k-th place", _one_hot_kth_place),
    ("saddle-point", "hessian-eigenvalues", "[[a, b], [b, c]]", lambda p: (
        lambda a, b, c: _eig2(a, b, c))(*_poly(p))),
    ("saddle-point", "hessian-eigenvalues", "b left out", lambda p: (
        lambda a, b, c: sorted([2 * a, 2 * c]))(*_poly(p))),
    ("saddle-point", "hessian-eigenvalues", "quadratic form's matrix", lambda p: (
        lambda a, b, c: _eig2(a, b / 2, c))(*_poly(p))),
    ("saddle-point", "escape", "without the 2 of the power rule", lambda p: _escape(
        p, lambda b, lr: 1 + b * lr)),
    ("saddle-point", "escape", "shrunk by 1 − 2bη", lambda p: _escape(
        p, lambda b, lr: 1 - 2 * b * lr)),
    ("multilayer-perceptron", "linear-collapse", "rows of W₁", _rows_not_columns),
]


@pytest.mark.parametrize(("card", "tid", "phrase", "mistake"), ROWS, ids=row_ids(ROWS))
def test_the_mistake_made_by_hand_is_diagnosed(card, tid, phrase, mistake):
    # a third at least: η_min left out shows only where η_min ≠ 0 (half the draws)
    assert diagnosed_in(card, tid, phrase, mistake) >= len(SEEDS) // 3


def test_the_quadratic_is_read_back_as_the_prompt_writes_it():
    """A sign, a coefficient of 1 left unwritten and a missing term are all read right."""
    assert _poly("f(x, y) = −x² + 2xy + y² has") == (-1.0, 2.0, 1.0)
    assert _poly("f(x, y) = 3x² − 4xy − 2y² has") == (3.0, -4.0, -2.0)
    assert _poly("f(x, y) = 2x² − y² has") == (2.0, 0.0, -1.0)
