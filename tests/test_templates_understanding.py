"""The understanding templates: each answer re-derived here with plain math from the prompt
(no dlref.nn), and each trap made by actually making the mistake."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from quiz_helpers import numbers
from test_traps import after, bracket, expect

from dlref.quiz.answer import check_answer
from dlref.quiz.questions import generate

SEEDS = range(40)


def num(p: str, pattern: str) -> float:
    return float(re.search(pattern, p)[1])


def first_list(p: str) -> list[float]:
    return numbers(p[p.index("["):p.index("]")])


def softmax(z) -> np.ndarray:
    e = np.exp(np.asarray(z, float) - max(z))
    return e / e.sum()


def sig(x: float) -> float:
    return 1 / (1 + math.exp(-x))


N = r"(-?\d+(?:\.\d+)?)"


def _temperature(p, mult=False):
    z, t = bracket(p, "z"), after(p, "to T")
    zt = np.asarray(z) * t if mult else np.asarray(z) / t
    return float(softmax(zt)[int(np.argmin(z))])


def _same_padding(p):
    k = int(num(p, r"A (\d+)×"))
    d = int(num(p, r"dilation (\d+)")) if "dilation" in p else 1
    return d * (k - 1) / 2


def _bn_eval(p, sqrt=True, affine=True):
    m, v = after(p, "running_mean"), after(p, "running_var")
    g, b, x = after(p, "γ"), after(p, "β"), num(p, r"Output for x = " + N)
    z = (x - m) / (math.sqrt(v + 1e-5) if sqrt else v)
    return g * z + b if affine else z


def _balanced(p):
    tp, fn, tn, fp = after(p, "TP"), after(p, "FN"), after(p, "TN"), after(p, "FP")
    return (tp / (tp + fn) + tn / (tn + fp)) / 2


def _accuracy(p):
    tp, fn, tn, fp = after(p, "TP"), after(p, "FN"), after(p, "TN"), after(p, "FP")
    return (tp + tn) / (tp + fn + tn + fp)


def _fbeta(p, beta_on_r=False):
    P, R, b = after(p, "P"), after(p, "R"), after(p, "β")
    b2 = b * b
    return (1 + b2) * P * R / ((P + b2 * R) if beta_on_r else (b2 * P + R))


def _v_hat(p, correct=True):
    v = 0.0
    for g in (after(p, "g₁"), after(p, "g₂")):
        v = 0.999 * v + 0.001 * g * g
    return v / (1 - 0.999 ** 2) if correct else v


def _leaky(p, relu=False):
    a, x, g = after(p, "α"), bracket(p, "on x"), bracket(p, "∂L/∂y")
    return [gi * (1.0 if xi > 0 else (0.0 if relu else a)) for xi, gi in zip(x, g, strict=True)]


def _outlier(p, mae=False):
    e = np.abs(first_list(p))
    w = e if mae else e ** 2
    return float(w.max() / w.sum())


def _half_life(p):
    f = 1 - after(p, "η") * after(p, "λ")
    return math.ceil(math.log(0.5) / math.log(f))


def _he(p, xavier=False):
    i, o = (int(v) for v in re.search(r"Linear\((\d+), (\d+)\)", p).groups())
    return math.sqrt(6 / (i + o)) if xavier else math.sqrt(6 / i)


def _cosine_half(p):
    lr = num(p, r"base learning rate " + N)
    eta_min = num(p, r"eta_min=" + N)
    return eta_min + (lr - eta_min) / 2


def _lr_scale(p, sqrt=False):
    b1, b2 = num(p, r"batch size (\d+) and"), num(p, r"for batch size (\d+)")
    lr = num(p, r"learning rate " + N)
    return lr * (math.sqrt(b2 / b1) if sqrt else b2 / b1)


def _ln_scale(p, scaled=False):
    x = np.array(bracket(p, "of x"))
    j, c = int(num(p, r"for feature (\d)")), num(p, r"multiplied by " + N)
    y = (x - x.mean()) / x.std()
    return float(y[j] * (c if scaled else 1))


def _attention(p, scale=True):
    s1, s2, d = num(p, r"q·k₁ = " + N), num(p, r"q·k₂ = " + N), num(p, r"d_k = (\d+)")
    k = math.sqrt(d) if scale else 1.0
    return float(softmax([s1 / k, s2 / k])[0])


def _pe(p, swap=False):
    pos = num(p, r"position p = (\d+)")
    return [math.cos(pos), math.sin(pos)] if swap else [math.sin(pos), math.cos(pos)]


def _rnn(p, per_step=False):
    d, h = num(p, r"input_size=(\d+)"), num(p, r"hidden_size=(\d+)")
    t = num(p, r"T = (\d+)")
    count = h * d + h * h + 2 * h
    return count * t if per_step else count


def _forget(p, one=False):
    c, n, f = num(p, r"holds c = " + N), num(p, r"next (\d+) steps"), num(p, r"stays f = " + N)
    return c * f if one else c * f ** n


def _bias_shift(p, ignore=False):
    z, b = np.array(first_list(p)), num(p, r"every z shifts by " + N)
    return int(np.sum(z <= 0)) if ignore else int(np.sum(z + b <= 0))


def _receptive(p, naive=False):
    n, k = num(p, r"^(\d+) stacked"), num(p, r"(\d+)×\d+ conv")
    return n * k if naive else 1 + n * (k - 1)


def _max_lr(p, two=False):
    a = num(p, r"f\(w\) = " + N)
    return 2 / a if two else 1 / a


def _tanh_deriv(p, no_square=False):
    t = num(p, r"outputs " + N)
    return 1 - t if no_square else 1 - t * t


ROWS = [
    ("sigmoid", "symmetry", lambda p: 1 - num(p, r"\) = " + N),
     [("−σ(x)", lambda p: -num(p, r"\) = " + N))]),
    ("tanh", "derivative-from-value", _tanh_deriv,
     [("without the square", lambda p: _tanh_deriv(p, True))]),
    ("relu", "bias-shift", _bias_shift, [("shift ignored", lambda p: _bias_shift(p, True))]),
    ("leaky-relu", "backward", _leaky, [("ReLU′ used", lambda p: _leaky(p, True))]),
    ("softmax", "temperature-direction", _temperature,
     [("multiplied by T", lambda p: _temperature(p, True)),
      ("unchanged", lambda p: num(p, r"probability " + N))]),
    ("f1-score", "f-beta", _fbeta, [("β² put on R", lambda p: _fbeta(p, True)),
                                    ("F1", lambda p: 2 * after(p, "P") * after(p, "R")
                                     / (after(p, "P") + after(p, "R")))]),
    ("cnn", "receptive-field", _receptive, [("n·K", lambda p: _receptive(p, True))]),
    ("convolution", "same-padding", _same_padding,
     [("K − 1: the padding", lambda p: num(p, r"A (\d+)×") - 1)]),
    ("rnn", "unrolled-params", _rnn, [("once per time step", lambda p: _rnn(p, True))]),
    ("lstm", "forget-memory", _forget, [("one step only", lambda p: _forget(p, True))]),
    ("mse", "scale", lambda p: num(p, r"by " + N + r"\.") ** 2,
     [("factor itself", lambda p: num(p, r"by " + N + r"\."))]),
    ("mse", "outlier-share", _outlier, [("|e| shares", lambda p: _outlier(p, True))]),
    ("cross-entropy", "true-prob", lambda p: math.exp(-num(p, r"is " + N + r"\.")),
     [("10^−L", lambda p: 10 ** -num(p, r"is " + N + r"\."))]),
    ("gradient-descent", "max-lr", _max_lr, [("2/a", lambda p: _max_lr(p, True))]),
    ("adam", "v-hat", _v_hat, [("without bias correction", lambda p: _v_hat(p, False))]),
    ("weight-initialization", "he-uniform", _he, [("Xavier", lambda p: _he(p, True))]),
    ("l2-regularization", "half-life", _half_life,
     [("linear decay", lambda p: math.ceil(0.5 / (after(p, "η") * after(p, "λ"))))]),
    ("dropout", "eval-output", lambda p: after(p, "x"),
     [("1 − p at inference", lambda p: after(p, "x") * (1 - num(p, r"p=" + N))),
      ("training-time", lambda p: after(p, "x") / (1 - num(p, r"p=" + N)))]),
    ("batch-normalization", "eval-output", _bn_eval,
     [("the variance", lambda p: _bn_eval(p, sqrt=False)),
      ("γ and β left out", lambda p: _bn_eval(p, affine=False))]),
    ("minibatch-sgd", "lr-scaling", _lr_scale, [("square-root", lambda p: _lr_scale(p, True))]),
    ("learning-rate-schedule", "cosine-halfway", _cosine_half,
     [("eta_min ignored", lambda p: num(p, r"base learning rate " + N) / 2)]),
    ("accuracy", "balanced", _balanced, [("plain accuracy", _accuracy)]),
    ("attention", "scaling-effect", _attention,
     [("not divided", lambda p: _attention(p, False))]),
    ("positional-encoding", "first-pair", _pe, [("swapped", lambda p: _pe(p, True))]),
    ("layer-normalization", "scale-invariance", _ln_scale,
     [("scaled too", lambda p: _ln_scale(p, True))]),
]


@pytest.mark.parametrize(("card", "tid", "answer", "mistakes"), ROWS,
                         ids=[f"{r[0]}/{r[1]}" for r in ROWS])
def test_answer_rederived_and_mistakes_diagnosed(card, tid, answer, mistakes):
    hits = {phrase: 0 for phrase, _ in mistakes}
    for seed in SEEDS:
        q = generate(card, tid, seed)
        p = q.prompt["en"]
        expected = answer(p)
        if isinstance(q.answer, list):
            assert check_answer(list(expected), q.answer, decimals=q.decimals), (p, expected)
        else:
            # rounding of the prompt's shown numbers (σ to 6 decimals, …) stays within 1e-4
            assert abs(float(expected) - float(q.answer)) <= 1e-4 + 1e-6 * abs(q.answer), p
        for phrase, mistake in mistakes:
            hits[phrase] += expect(q, mistake(p), phrase)
    assert all(n >= len(SEEDS) // 3 for n in hits.values()), hits
