"""Quiz templates of the optimisation, regularisation, CNN and RNN cards.

Every template is generated with several seeds: both languages present, the answer of the
declared kind, and fed back through the parser as a learner would type it (right) and one off
(wrong). For every card at least one template is re-derived here from the numbers in its
prompt, with plain NumPy/math and without dlref.nn.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from quiz_helpers import NUMBER, matrix, numbers, ok, typed, wrong

from dlref.quiz.questions import Question, generate, templates_for

CARDS = [
    "gradient", "gradient-descent", "backpropagation", "vanishing-gradient",
    "exploding-gradient", "momentum", "adagrad", "rmsprop", "adam", "weight-initialization",
    "l1-regularization", "l2-regularization", "dropout", "batch-normalization",
    "cnn", "convolution", "pooling", "rnn", "lstm", "gru",
]
SEEDS = range(12)
ITEMS = [(card, tid) for card in CARDS for tid in sorted(templates_for(card))]




def val(text: str, name: str) -> float:
    """The number after the first `name = ` in a prompt (name not part of a longer word)."""
    m = re.search(rf"(?<![\w₀-₉′]){re.escape(name)} = ({NUMBER})", text)
    assert m, (name, text)
    return float(m.group(1))


def vec(text: str, name: str) -> list[float]:
    """The numbers of the tuple after `name = (`."""
    m = re.search(rf"(?<![\w₀-₉′]){re.escape(name)} = \(([^)]*)\)", text)
    assert m, (name, text)
    return numbers(m.group(1))






def close(q: Question, expected) -> bool:
    """The template's answer agrees with an independent value to well within its tolerance."""
    if q.kind == "shape":
        return tuple(q.answer) == tuple(expected)
    if q.kind == "vector":
        return len(q.answer) == len(expected) and all(
            math.isclose(a, e, rel_tol=1e-9, abs_tol=1e-9)
            for a, e in zip(q.answer, expected, strict=True))
    return math.isclose(q.answer, expected, rel_tol=1e-9, abs_tol=1e-9)


def questions(card: str, tid: str) -> list[tuple[Question, str]]:
    out = []
    for seed in SEEDS:
        q = generate(card, tid, seed)
        out.append((q, q.prompt["en"]))
    return out


def sigmoid(z: float) -> float:
    return 1.0 / (1.0 + math.exp(-z))


# --- every template ------------------------------------------------------------------------


@pytest.mark.parametrize("card", CARDS)
def test_every_card_has_at_least_three_templates(card: str):
    assert len(templates_for(card)) >= 3, sorted(templates_for(card))


@pytest.mark.parametrize(("card", "tid"), ITEMS)
def test_template_is_well_formed_and_its_answer_round_trips(card: str, tid: str):
    for seed in SEEDS:
        q = generate(card, tid, seed)
        assert (q.card, q.template, q.seed) == (card, tid, seed)
        for part in (q.prompt, q.solution):
            assert set(part) >= {"en", "zh"}
            assert all(isinstance(t, str) and t.strip() and "\n" not in t for t in part.values())
            # the TUI renders Rich markup: "[" before a letter would be read as a style tag
            assert not any(re.search(r"\[[A-Za-z#/@]", t) for t in part.values()), part
        assert re.search(r"[\u4e00-\u9fff]", q.prompt["zh"]), q.prompt["zh"]
        if q.kind == "shape":
            assert q.decimals is None
            assert isinstance(q.answer, tuple) and q.answer
            assert all(type(d) is int and d > 0 for d in q.answer)
        elif q.kind == "vector":
            assert isinstance(q.answer, list) and q.answer
            assert all(type(v) is float and math.isfinite(v) for v in q.answer)
        else:
            assert q.kind == "scalar"
            assert type(q.answer) is float and math.isfinite(q.answer)
        if q.kind != "shape":
            assert isinstance(q.decimals, int) and q.decimals >= 0
        assert ok(q, typed(q)), (seed, q.prompt["en"], typed(q))
        assert not ok(q, wrong(q)), (seed, q.prompt["en"], wrong(q))


@pytest.mark.parametrize(("card", "tid"), ITEMS)
def test_same_seed_same_question(card: str, tid: str):
    for seed in (0, 5, 99):
        assert generate(card, tid, seed).to_dict() == generate(card, tid, seed).to_dict()
    prompts = {generate(card, tid, seed).prompt["en"] for seed in SEEDS}
    assert len(prompts) > 1  # the numbers really are drawn


# --- independent re-derivations: optimisation ------------------------------------------------


def quadratic(text: str):
    m = re.search(r"f\(w₁, w₂\) = (\d*)w₁²(?: ([+−]) (\d*)w₁w₂)? \+ (\d*)w₂²", text)
    assert m, text
    a, c = int(m[1] or 1), int(m[4] or 1)
    b = (int(m[3] or 1) * (1 if m[2] == "+" else -1)) if m[2] else 0
    return lambda w: a * w[0] ** 2 + b * w[0] * w[1] + c * w[1] ** 2


def numeric_gradient(f, w, h=1e-4) -> np.ndarray:
    """Central differences: exact for a quadratic up to rounding."""
    w = np.asarray(w, dtype=float)
    return np.array([(f(w + h * e) - f(w - h * e)) / (2 * h) for e in np.eye(len(w))])


def test_gradient_by_central_differences():
    for q, p in questions("gradient", "vector"):
        g = numeric_gradient(quadratic(p), vec(p, "w"))
        assert np.allclose(q.answer, g, atol=1e-6)
    for q, p in questions("gradient", "directional-derivative"):
        g = numeric_gradient(quadratic(p), vec(p, "w"))
        assert math.isclose(q.answer, float(g @ vec(p, "u")), abs_tol=1e-6)
    for q, p in questions("gradient", "taylor"):
        f, w, dw = quadratic(p), np.array(vec(p, "w")), np.array(vec(p, "Δw"))
        assert math.isclose(q.answer, f(w) + numeric_gradient(f, w) @ dw, abs_tol=1e-6)


def coefficient(text: str) -> float:
    m = re.search(r"f\(w\) = (?:([\d.]+)·)?w²", text)
    assert m, text
    return float(m[1] or 1)


def test_gradient_descent_steps_and_batches():
    for q, p in questions("gradient-descent", "one-step"):
        a, w, lr = coefficient(p), val(p, "w"), val(p, "η")
        assert close(q, w - lr * 2 * a * w)
    for q, p in questions("gradient-descent", "two-steps"):
        a, w, lr = coefficient(p), val(p, "w₀"), val(p, "η")
        for _ in range(2):
            w = w - lr * 2 * a * w
        assert close(q, w)
    for q, p in questions("gradient-descent", "batches-per-epoch"):
        assert q.answer == math.ceil(val(p, "N") / val(p, "B"))


def test_backpropagation_by_hand():
    for q, p in questions("backpropagation", "chain-rule"):
        w, x, b = val(p, "w"), val(p, "x"), val(p, "b")
        s = sigmoid(w * x + b)
        assert close(q, s * (1 - s) * x)
    for q, p in questions("backpropagation", "linear-mse"):
        w, x = np.array(vec(p, "w")), np.array(vec(p, "x"))
        yhat = w @ x + val(p, "b")
        assert close(q, list(2 * (yhat - val(p, "y")) * x))
    for q, p in questions("backpropagation", "two-layer"):
        x, w1, w2, y = val(p, "x"), val(p, "w₁"), val(p, "w₂"), val(p, "y")
        z = w1 * x
        yhat = w2 * max(z, 0.0)
        assert close(q, 2 * (yhat - y) * w2 * (1.0 if z > 0 else 0.0) * x)


def test_vanishing_gradient_products():
    for q, p in questions("vanishing-gradient", "product"):
        expected = math.prod(sigmoid(z) * (1 - sigmoid(z)) for z in vec(p, "z"))
        assert close(q, expected)
        assert f"{expected:.{q.decimals}f}".lstrip("0.") != ""  # the decimals keep digits
    for q, p in questions("vanishing-gradient", "bound"):
        assert close(q, (0.25 * val(p, "w")) ** int(val(p, "L")))
    for q, p in questions("vanishing-gradient", "layers-until"):
        threshold = float(re.search(rf"0\.25\^L < ({NUMBER})", p)[1])
        n = 1
        while 0.25 ** n >= threshold:
            n += 1
        assert q.answer == n


def test_exploding_gradient_clipping_and_growth():
    for q, p in questions("exploding-gradient", "clip-norm"):
        g, c = np.array(vec(p, "g")), val(p, "c")
        norm = math.sqrt(float(g @ g))
        assert close(q, list(g * min(1.0, c / norm)))
        assert math.isclose(math.hypot(*q.answer), min(norm, c))
    for q, p in questions("exploding-gradient", "clip-value"):
        c = val(p, "c")
        assert close(q, [min(max(v, -c), c) for v in vec(p, "g")])
    for q, p in questions("exploding-gradient", "product"):
        rho = float(re.search(rf"weight ({NUMBER})", p)[1])
        assert close(q, rho ** int(val(p, "L")))


def test_momentum_by_hand():
    for q, p in questions("momentum", "two-steps"):
        a, w, lr, mu = coefficient(p), val(p, "w₀"), val(p, "η"), val(p, "μ")
        buf = None
        for _ in range(2):
            g = 2 * a * w
            buf = g if buf is None else mu * buf + g
            w -= lr * buf
        assert close(q, w)
    for q, p in questions("momentum", "buffer"):
        g, mu = val(p, "g"), val(p, "μ")
        assert close(q, g * (1 + mu + mu * mu))
    for q, p in questions("momentum", "long-run-step"):
        assert math.isclose(q.answer, val(p, "η") * val(p, "g") / (1 - val(p, "μ")),
                            rel_tol=1e-9)


def test_adagrad_by_hand():
    for q, p in questions("adagrad", "one-step"):
        w, g, lr = val(p, "w"), val(p, "g"), val(p, "η")
        assert close(q, w - lr * g / (math.sqrt(g * g) + 1e-10))
    for q, p in questions("adagrad", "two-steps"):
        w, lr, s = val(p, "w₀"), val(p, "η"), 0.0
        for g in (val(p, "g₁"), val(p, "g₂")):
            s += g * g
            w -= lr * g / (math.sqrt(s) + 1e-10)
        assert close(q, w)
    for q, p in questions("adagrad", "effective-lr"):
        gs = numbers(re.search(r"gradients (.*?)\. Its", p)[1])
        assert close(q, val(p, "η") / math.sqrt(sum(g * g for g in gs)))


def test_rmsprop_by_hand():
    for q, p in questions("rmsprop", "one-step"):
        w, g, lr, alpha = val(p, "w"), val(p, "g"), val(p, "η"), val(p, "α")
        v = (1 - alpha) * g * g
        assert close(q, w - lr * g / (math.sqrt(v) + 1e-8))
    for q, p in questions("rmsprop", "two-steps"):
        w, lr, alpha, v = val(p, "w₀"), val(p, "η"), val(p, "α"), 0.0
        for g in (val(p, "g₁"), val(p, "g₂")):
            v = alpha * v + (1 - alpha) * g * g
            w -= lr * g / (math.sqrt(v) + 1e-8)
        assert close(q, w)
    for q, p in questions("rmsprop", "square-avg"):
        alpha, g1, g2 = val(p, "α"), val(p, "g₁"), val(p, "g₂")
        assert close(q, alpha * (1 - alpha) * g1 * g1 + (1 - alpha) * g2 * g2)


def test_adam_by_hand():
    for q, p in questions("adam", "first-step"):
        w, g, lr = val(p, "w"), val(p, "g"), val(p, "η")
        m_hat, v_hat = (0.1 * g) / 0.1, (0.001 * g * g) / 0.001
        assert close(q, w - lr * m_hat / (math.sqrt(v_hat) + 1e-8))
        assert math.isclose(q.answer, w - lr * math.copysign(1.0, g), abs_tol=1e-6)
    for q, p in questions("adam", "m-hat"):
        g1, g2 = val(p, "g₁"), val(p, "g₂")
        assert close(q, (0.9 * 0.1 * g1 + 0.1 * g2) / (1 - 0.9 ** 2))
    for q, p in questions("adam", "bias-correction"):
        beta1, g = val(p, "β₁"), val(p, "g")
        assert close(q, [(1 - beta1) * g, g])


def test_weight_initialization_by_formula():
    for q, p in questions("weight-initialization", "xavier-bound"):
        n_in, n_out = map(int, re.search(r"Linear\((\d+), (\d+)\)", p).groups())
        assert close(q, math.sqrt(6 / (n_in + n_out)))
    for q, p in questions("weight-initialization", "he-std"):
        c_in, _, k = map(int, re.search(r"Conv2d\((\d+), (\d+), kernel_size=(\d+)\)", p).groups())
        assert close(q, math.sqrt(2 / (c_in * k * k)))
    for q, p in questions("weight-initialization", "fans"):
        out, inp, kh, kw = map(int, re.search(r"shape \((\d+), (\d+), (\d+), (\d+)\)", p).groups())
        assert close(q, [inp * kh * kw, out * kh * kw])


# --- regularisation ---------------------------------------------------------------------------


def test_l1_by_hand():
    for q, p in questions("l1-regularization", "penalty"):
        assert close(q, val(p, "λ") * sum(abs(v) for v in vec(p, "w")))
    for q, p in questions("l1-regularization", "gradient"):
        lam = val(p, "λ")
        assert close(q, [lam * float(np.sign(v)) for v in vec(p, "w")])
    for q, p in questions("l1-regularization", "soft-threshold"):
        t = val(p, "η") * val(p, "λ")
        expected = [math.copysign(max(abs(v) - t, 0.0), v) for v in vec(p, "w")]
        assert all(math.isclose(a, e, abs_tol=1e-12) for a, e in zip(q.answer, expected,
                                                                     strict=True))
    for q, p in questions("l1-regularization", "zeros"):
        t = val(p, "η") * val(p, "λ")
        assert q.answer == sum(1 for v in vec(p, "w") if abs(v) <= t + 1e-12)


def test_l2_by_hand():
    for q, p in questions("l2-regularization", "penalty"):
        assert close(q, val(p, "λ") / 2 * sum(v * v for v in vec(p, "w")))
    for q, p in questions("l2-regularization", "weight-decay"):
        assert close(q, val(p, "w") * (1 - val(p, "η") * val(p, "λ")))
    for q, p in questions("l2-regularization", "decay-steps"):
        steps = int(re.search(r"after (\d+) SGD steps", p)[1])
        assert close(q, (1 - val(p, "η") * val(p, "λ")) ** steps)


def test_dropout_by_hand():
    for q, p in questions("dropout", "expected-value"):
        assert close(q, val(p, "x"))
    for q, p in questions("dropout", "kept-value"):
        assert close(q, val(p, "x") / (1 - float(re.search(rf"p=({NUMBER})", p)[1])))
    for q, p in questions("dropout", "kept-count"):
        n = int(re.search(r"layer of (\d+) units", p)[1])
        assert close(q, n * (1 - float(re.search(rf"p=({NUMBER})", p)[1])))


def batch(p: str, after: str) -> list[float]:
    return numbers(p.split(after)[1].split(")")[0])


def test_batch_normalization_by_hand():
    for q, p in questions("batch-normalization", "normalised"):
        xs, x = np.array(batch(p, "batch values (")), val(p, "x")
        assert close(q, (x - xs.mean()) / math.sqrt(xs.var() + 1e-5))
    for q, p in questions("batch-normalization", "running-mean"):
        xs = batch(p, "feature: (")
        assert close(q, 0.9 * val(p, "running_mean") + 0.1 * sum(xs) / len(xs))
    for q, p in questions("batch-normalization", "running-var"):
        xs = np.array(batch(p, "feature: ("))
        assert close(q, 0.9 * 1.0 + 0.1 * xs.var(ddof=1))
    for q, p in questions("batch-normalization", "param-count"):
        assert q.answer == 2 * int(re.search(r"BatchNorm2d\((\d+)\)", p)[1])


# --- layers -----------------------------------------------------------------------------------


def out_size(h: int, k: int, s: int = 1, pad: int = 0) -> int:
    return (h + 2 * pad - k) // s + 1


def test_cnn_by_formula():
    conv = r"Conv2d\((\d+), (\d+), kernel_size=(\d+)"
    for q, p in questions("cnn", "param-count"):
        c, f, k = map(int, re.search(conv, p).groups())
        assert q.answer == f * (c * k * k + 1)
    for q, p in questions("cnn", "output-shape"):
        h = int(re.search(r"Input \(\d+, (\d+), \d+\)", p)[1])
        _, f, k = map(int, re.search(conv, p).groups())
        pad = int(re.search(r"padding=(\d+)", p)[1])
        side = out_size(h, k, 1, pad) // 2
        assert q.answer == (f, side, side)
    for q, p in questions("cnn", "flatten-linear"):
        h = int(re.search(r"Input \(\d+, (\d+), \d+\)", p)[1])
        _, f, k = map(int, re.search(conv, p).groups())
        pad = int(re.search(r"padding=(\d+)", p)[1])
        n_out = int(re.search(r"Linear\(\?, (\d+)\)", p)[1])
        side = out_size(h, k, 1, pad) // 2
        assert q.answer == f * side * side * n_out + n_out


def test_convolution_by_formula():
    for q, p in questions("convolution", "output-shape"):
        h, w, k = map(int, re.search(r"(\d+)×(\d+) input \(H×W\), (\d+)×", p).groups())
        s, pad = map(int, re.search(r"stride (\d+), padding (\d+)", p).groups())
        assert q.answer == (out_size(h, k, s, pad), out_size(w, k, s, pad))
    corners = {"top-left": (0, 0), "top-right": (0, 1), "bottom-left": (1, 0),
               "bottom-right": (1, 1)}
    for q, p in questions("convolution", "element"):
        x, kern = matrix(p, "X = "), matrix(p, "K = ")
        i, j = corners[re.search(r"The ([a-z-]+) element", p)[1]]
        assert q.answer == float(sum(x[i + a, j + b] * kern[a, b]
                                     for a in range(2) for b in range(2)))
    for q, p in questions("convolution", "macs"):
        c_in, c_out, k, s, pad = map(int, re.search(
            r"Conv2d\((\d+), (\d+), kernel_size=(\d+), stride=(\d+), padding=(\d+)\)", p).groups())
        h = int(re.search(r"×(\d+) input", p)[1])
        assert q.answer == c_out * out_size(h, k, s, pad) ** 2 * c_in * k * k


def test_pooling_by_hand():
    for q, p in questions("pooling", "output-shape"):
        k, s = map(int, re.search(r"kernel_size=(\d+), stride=(\d+)", p).groups())
        c, h, w = map(int, re.search(r"on a \((\d+), (\d+), (\d+)\)", p).groups())
        assert q.answer == (c, (h - k) // s + 1, (w - k) // s + 1)
    for q, p in questions("pooling", "max-pool"):
        x = matrix(p, "X = ")
        assert close(q, [float(x[a:a + 2, b:b + 2].max()) for a in (0, 2) for b in (0, 2)])
    corners = {"top-left": (0, 0), "top-right": (0, 1), "bottom-left": (1, 0),
               "bottom-right": (1, 1)}
    for q, p in questions("pooling", "avg-element"):
        x = matrix(p, "X = ")
        k, s = map(int, re.search(r"(\d+)×\d+ average pooling, stride (\d+)", p).groups())
        i, j = corners[re.search(r"The ([a-z-]+) element", p)[1]]
        assert close(q, float(x[i * s:i * s + k, j * s:j * s + k].mean()))


def sizes(p: str) -> tuple[int, int]:
    d, h = re.search(r"input_size=(\d+), hidden_size=(\d+)", p).groups()
    return int(d), int(h)


def test_rnn_by_hand():
    for q, p in questions("rnn", "param-count"):
        d, h = sizes(p)
        assert q.answer == h * d + h * h + 2 * h
    for q, p in questions("rnn", "one-step"):
        a = val(p, "w") * val(p, "x₁") + val(p, "u") * val(p, "h₀") + val(p, "b")
        assert close(q, math.tanh(a))
    for q, p in questions("rnn", "two-steps"):
        w, u, h = val(p, "w"), val(p, "u"), 0.0
        for x in vec(p, "x"):
            h = math.tanh(w * x + u * h)
        assert close(q, h)
    for q, p in questions("rnn", "output-shape"):
        hidden = int(re.search(r"RNN\(\d+, (\d+)\)", p)[1])
        t, n, _ = map(int, re.search(r"shape \((\d+), (\d+), (\d+)\)", p).groups())
        assert q.answer == (t, n, hidden)


def test_lstm_by_hand():
    for q, p in questions("lstm", "param-count"):
        d, h = sizes(p)
        layers = int(re.search(r"num_layers=(\d+)", p)[1])
        expected = 4 * (h * d + h * h + 2 * h) + (layers - 1) * 4 * (2 * h * h + 2 * h)
        assert q.answer == expected
    for q, p in questions("lstm", "gate"):
        a = val(p, "w") * val(p, "x") + val(p, "u") * val(p, "h") + val(p, "b")
        assert close(q, sigmoid(a))
    for q, p in questions("lstm", "cell-update"):
        assert close(q, val(p, "f") * val(p, "c") + val(p, "i") * val(p, "g"))
    for q, p in questions("lstm", "hidden-state"):
        c1 = val(p, "f") * val(p, "c") + val(p, "i") * val(p, "g")
        assert close(q, val(p, "o") * math.tanh(c1))


def test_gru_by_hand():
    for q, p in questions("gru", "param-count"):
        d, h = sizes(p)
        assert q.answer == 3 * (h * d + h * h + 2 * h)
    for q, p in questions("gru", "update"):
        z = val(p, "z")
        assert close(q, (1 - z) * val(p, "n") + z * val(p, "h"))
    for q, p in questions("gru", "gate"):
        a = val(p, "w") * val(p, "x") + val(p, "u") * val(p, "h") + val(p, "b")
        assert close(q, sigmoid(a))
    for q, p in questions("gru", "vs-lstm"):
        d, h = sizes(p)
        assert q.answer == h * d + h * h + 2 * h
