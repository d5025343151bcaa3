"""More diagnosed mistakes, each made by hand from the numbers in the prompt.

Each row: a template, a phrase of the mistake's name, and a function that reads the prompt and
computes the wrong answer the way a learner making that mistake would (plain math, no dlref).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from quiz_helpers import numbers
from test_traps import after, bracket, diagnosed_in, row_ids

SEEDS = range(40)


def nums_after(p: str, marker: str) -> list[float]:
    return numbers(p[p.index(marker) + len(marker):])


def counts(p: str) -> tuple[float, float, float, float]:
    return after(p, "TP"), after(p, "FP"), after(p, "FN"), after(p, "TN")


def first_list(p: str) -> list[float]:
    """The numbers of the first [...] in a prompt."""
    return numbers(p[p.index("["):p.index("]")])


def sig(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def call_arg(p: str, name: str) -> float:
    return float(re.search(re.escape(name) + r"\((-?[\d.]+)\)", p)[1])


def softmax(z) -> np.ndarray:
    e = np.exp(np.asarray(z, dtype=float))
    return e / e.sum()


def lin(p: str, name: str = "nn.Linear") -> tuple[int, int]:
    m = re.search(re.escape(name) + r"\((\d+), (\d+)", p)
    return int(m[1]), int(m[2])


def _softmax_temp(p):
    z, t = bracket(p, "z"), after(p, "T")
    return float(max(softmax(np.asarray(z) * t)))


def _mse_parts(p):
    yh, y = np.array(bracket(p, "ŷ")), np.array(bracket(p, "y"))
    return yh - y


def _gru_lstm(p):
    d, h = after(p, "input_size"), after(p, "hidden_size")
    return 4 * (h * d + h * h + 2 * h)


def _cnn_no_pool(p):
    c, h, _ = (int(v) for v in re.search(r"Input \((\d+), (\d+), (\d+)\)", p).groups())
    f = int(re.search(r"Conv2d\(\d+, (\d+)", p)[1])
    k = int(re.search(r"kernel_size=(\d+)", p)[1])
    pad = int(re.search(r"padding=(\d+)", p)[1])
    side = h + 2 * pad - k + 1
    return (f, side, side)


def _pool_no_plus_one(p):
    k, s = int(re.search(r"kernel_size=(\d+)", p)[1]), int(re.search(r"stride=(\d+)", p)[1])
    c, h, w = (int(v) for v in re.search(r"on a \((\d+), (\d+), (\d+)\)", p).groups())
    return (c, (h - k) // s, (w - k) // s)


def _he_cin(p):
    c_in = int(re.search(r"Conv2d\((\d+),", p)[1])
    return math.sqrt(2 / c_in)


def _xavier_normal(p):
    i, o = lin(p)
    return math.sqrt(2 / (i + o))


def _mlp_no_bias(p):
    sizes = [int(v) for v in re.search(r"widths ([\d → ]+)", p)[1].split("→")]
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def _bn_unbiased(p):
    xs = numbers(re.search(r"batch values \(([^)]*)\)", p)[1])
    x = float(re.search(r"Output for x = (-?[\d.]+)", p)[1])
    return (x - np.mean(xs)) / np.std(xs, ddof=1)


def _ln_unbiased(p):
    x = np.array(bracket(p, "x"))
    return (x - x.mean()) / x.std(ddof=1)


def _momentum_ema(p):
    mu, g = after(p, "μ"), after(p, "g")
    b = 0.0
    for _ in range(3):
        b = mu * b + (1 - mu) * g
    return b


def _iterations_flipped(p):
    n, b = after(p, "N"), after(p, "B")
    drop = "drop_last=True" in p
    return math.ceil(n / b) if drop else math.floor(n / b)


def _ls_c_minus_one(p):
    eps, c = after(p, "ε"), after(p, "C")
    return [1 - eps, eps / (c - 1)]


ROWS = [
    ("sigmoid", "value", "sign of the exponent", lambda p: 1 / (1 + math.exp(call_arg(p, "σ")))),
    ("tanh", "value", "σ(x) given", lambda p: sig(call_arg(p, "tanh"))),
    ("leaky-relu", "value", "plain ReLU",
     lambda p: [max(0.0, x) for x in first_list(p)]),
    ("leaky-relu", "derivative", "ReLU′",
     lambda p: [0.0 if x < 0 else 1.0 for x in bracket(p, "x")]),
    ("elu", "value", "without the factor α",
     lambda p: (lambda x: math.exp(x) - 1 if x < 0 else x)(call_arg(p, "ELU"))),
    ("elu", "derivative", "ELU(x) given",
     lambda p: (lambda x, a: a * (math.exp(x) - 1) if x < 0 else x)(call_arg(p, "ELU′"),
                                                                     after(p, "α"))),
    ("prelu", "value", "plain ReLU", lambda p: [max(0.0, x) for x in first_list(p)]),
    ("softmax", "component", "without dividing",
     lambda p: math.exp(bracket(p, "z")[["first", "second", "third"].index(
         re.search(r"the (\w+) component", p)[1])])),
    ("softmax", "temperature", "multiplied by T", _softmax_temp),
    ("mse", "rmse", "without the square root", lambda p: float(np.mean(_mse_parts(p) ** 2))),
    ("mae", "value", "(MSE)", lambda p: float(np.mean(_mse_parts(p) ** 2))),
    ("mae", "best-constant", "the mean", lambda p: float(np.mean(bracket(p, "y")))),
    ("loss-function", "sum-reduction", "the mean",
     lambda p: float(np.mean((np.array(nums_after(p, "Predictions")[:len(
         nums_after(p, "targets"))]) - np.array(nums_after(p, "targets"))) ** 2))),
    ("cross-entropy", "uniform", "log base 10",
     lambda p: math.log10(int(re.search(r"all (\d+) classes", p)[1]))),
    ("precision-recall", "precision", "recall", lambda p: (lambda tp, fp, fn, tn:
                                                            tp / (tp + fn))(*counts(p))),
    ("precision-recall", "recall", "precision", lambda p: (lambda tp, fp, fn, tn:
                                                            tp / (tp + fp))(*counts(p))),
    ("f1-score", "from-counts", "accuracy",
     lambda p: (lambda tp, fp, fn, tn: (tp + tn) / (tp + fp + fn + tn))(*counts(p))),
    ("accuracy", "from-counts", "TN left out", lambda p: (lambda tp, fp, fn, tn:
                                                          tp / (tp + fp + fn))(*counts(p))),
    ("neural-network", "weight-shape", "(in, out)", lambda p: lin(p)),
    ("cnn", "param-count", "without one bias",
     lambda p: (lambda m: int(m[1]) * int(m[2]) * int(m[3]) ** 2)(
         re.search(r"Conv2d\((\d+), (\d+), kernel_size=(\d+)", p))),
    ("cnn", "output-shape", "max-pooling left out", _cnn_no_pool),
    ("rnn", "param-count", "one bias", lambda p: (lambda d, h: h * d + h * h + h)(
        after(p, "input_size"), after(p, "hidden_size"))),
    ("gru", "param-count", "an LSTM's", _gru_lstm),
    ("pooling", "output-shape", "without the + 1", _pool_no_plus_one),
    ("gradient-descent", "batches-per-epoch", "⌊N/B⌋",
     lambda p: math.floor(after(p, "N") / after(p, "B"))),
    ("minibatch-sgd", "iterations-per-epoch", "drop_last", _iterations_flipped),
    ("vanishing-gradient", "bound", "weights left out", lambda p: 0.25 ** after(p, "L")),
    ("momentum", "long-run-step", "momentum ignored", lambda p: after(p, "η") * after(p, "g")),
    ("momentum", "buffer", "EMA form", _momentum_ema),
    ("adagrad", "one-step", "plain SGD", lambda p: after(p, "w") - after(p, "η") * after(p, "g")),
    ("rmsprop", "one-step", "plain SGD", lambda p: after(p, "w") - after(p, "η") * after(p, "g")),
    ("batch-normalization", "normalised", "unbiased variance", _bn_unbiased),
    ("l2-regularization", "weight-decay", "taken as λ,",
     lambda p: after(p, "w") - after(p, "η") * after(p, "λ")),
    ("l2-regularization", "penalty", "without the 1/2",
     lambda p: after(p, "λ") * sum(v * v for v in bracket(p, "w"))),
    ("l1-regularization", "gradient", "L2's gradient",
     lambda p: [after(p, "λ") * v for v in bracket(p, "w")]),
    ("weight-initialization", "xavier-bound", "normal init", _xavier_normal),
    ("weight-initialization", "he-std", "fan_in taken as C_in", _he_cin),
    ("label-smoothing", "target", "ε/(C − 1)", _ls_c_minus_one),
    ("multilayer-perceptron", "param-count", "without the biases", _mlp_no_bias),
    ("one-hot-encoding", "cross-entropy", "log base 10",
     lambda p: -math.log10(bracket(p, "p")[bracket(p, "y").index(1.0)])),
    ("layer-normalization", "output", "unbiased variance", _ln_unbiased),
    ("attention", "score-spread", "variance d_k", lambda p: after(p, "d_k")),
    ("multi-head-attention", "param-count", "output projection left out",
     lambda p: (lambda e: 3 * e * e + 3 * e)(after(p, "embed_dim"))),
    ("causal-attention", "masked-count", "kept entries",
     lambda p: (lambda n: n * (n + 1) / 2)(after(p, "L"))),
    ("neural-network", "param-count", "without the biases",
     lambda p: (lambda a, b: a[0] * a[1] + b[0] * b[1])(*[
         (int(m[0]), int(m[1])) for m in re.findall(r"nn\.Linear\((\d+), (\d+)\)", p)])),
]


@pytest.mark.parametrize(("card", "tid", "phrase", "mistake"), ROWS, ids=row_ids(ROWS))
def test_the_mistake_made_by_hand_is_diagnosed(card, tid, phrase, mistake):
    # diagnosable in many instances (not only where the mistake and the answer coincide)
    assert diagnosed_in(card, tid, phrase, mistake) >= len(SEEDS) // 3
