"""Quiz templates of the foundations, activation, loss and evaluation cards.

Every template is generated with several seeds and its answer fed back through the parser as
a learner would type it; at least one template per card is re-derived here from the formula,
with plain NumPy/math and without dlref.nn.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from quiz_helpers import NUMBER, matrix, numbers, ok, typed, wrong
from rich.text import Text

from dlref.quiz.questions import Question, generate, templates_for

CARDS = [
    "neuron", "neural-network", "supervised-learning", "activation-function",
    "universal-approximation", "deep-belief-network", "sigmoid", "tanh", "relu", "leaky-relu",
    "elu", "prelu", "softmax", "loss-function", "mse", "mae", "cross-entropy", "overfitting",
    "precision-recall", "f1-score",
]
SEEDS = range(12)
ITEMS = [(card, tid) for card in CARDS for tid in sorted(templates_for(card))]




def bracket(text: str, after: str) -> list[float]:
    """The numbers of the first [...] list following `after` in a prompt."""
    start = text.index(after) + len(after)
    return numbers(text[text.index("[", start):text.index("]", start) + 1])






# --- every template ------------------------------------------------------------------------


@pytest.mark.parametrize("card", CARDS)
def test_every_card_has_at_least_three_templates(card: str):
    assert len(templates_for(card)) >= 3, sorted(templates_for(card))


@pytest.mark.parametrize(("card", "tid"), ITEMS)
def test_template_is_well_formed_and_its_answer_round_trips(card: str, tid: str):
    for seed in SEEDS:
        q = generate(card, tid, seed)
        assert (q.card, q.template, q.seed) == (card, tid, seed)
        for text in (q.prompt, q.solution):
            assert set(text) == {"en", "zh"}
            assert all(v.strip() and "\n" not in v for v in text.values())
            for v in text.values():  # the TUI shows them as Rich markup: no [tag] look-alikes
                assert Text.from_markup(v).plain == v, v
        assert re.search(r"[\u4e00-\u9fff]", q.prompt["zh"] + q.solution["zh"])
        assert q.kind in ("scalar", "vector", "shape")
        if q.kind == "shape":
            assert q.decimals is None
            assert isinstance(q.answer, tuple) and all(type(d) is int for d in q.answer)
        elif q.kind == "vector":
            assert isinstance(q.answer, list) and q.answer
            assert all(type(v) is float and math.isfinite(v) for v in q.answer)
        else:
            assert type(q.answer) is float and math.isfinite(q.answer)
        if q.kind != "shape":
            assert isinstance(q.decimals, int) and 0 <= q.decimals <= 4
        if q.decimals == 0:  # "a whole number": the answer must be one
            values = q.answer if isinstance(q.answer, list) else [q.answer]
            assert all(v == round(v) for v in values), (seed, q.prompt["en"], q.answer)
        assert ok(q, typed(q)), (seed, q.prompt["en"], typed(q))
        assert not ok(q, wrong(q)), (seed, q.prompt["en"], wrong(q))
        repr(q.answer)  # plain Python values: the CLI pipes repr(answer) back
        q.to_dict()


@pytest.mark.parametrize(("card", "tid"), ITEMS)
def test_same_seed_same_question(card: str, tid: str):
    assert generate(card, tid, 5) == generate(card, tid, 5)
    prompts = {generate(card, tid, s).prompt["en"] for s in range(8)}
    assert len(prompts) > 1  # the seed matters


# --- answers re-derived from the formulas (plain NumPy/math) --------------------------------


def sig(x):
    return 1 / (1 + np.exp(-np.asarray(x, dtype=float)))


def close(q: Question, expected) -> bool:
    """The template's answer agrees with an independent computation to float precision."""
    if isinstance(expected, list | tuple | np.ndarray):
        return len(expected) == len(q.answer) and all(
            abs(float(a) - float(e)) <= 1e-9 for a, e in zip(q.answer, expected, strict=True))
    return abs(q.answer - float(expected)) <= 1e-9


def questions(card: str, tid: str):
    for seed in SEEDS:
        yield generate(card, tid, seed)


def test_sigmoid_and_inverse_by_formula():
    for q in questions("sigmoid", "value"):
        (x,) = numbers(q.prompt["en"])
        assert close(q, 1 / (1 + math.exp(-x)))
    for q in questions("sigmoid", "derivative"):
        (x,) = numbers(q.prompt["en"])
        s = 1 / (1 + math.exp(-x))
        assert close(q, s * (1 - s))
    for q in questions("sigmoid", "inverse"):
        (p,) = numbers(q.prompt["en"])
        assert abs(math.log(p / (1 - p)) - q.answer) < 0.01


def test_tanh_by_formula():
    for q in questions("tanh", "value"):
        (x,) = numbers(q.prompt["en"])
        assert close(q, (math.exp(x) - math.exp(-x)) / (math.exp(x) + math.exp(-x)))
    for q in questions("tanh", "derivative"):
        (x,) = numbers(q.prompt["en"])
        assert close(q, 1 - math.tanh(x) ** 2)
    for q in questions("tanh", "from-sigmoid"):
        s2x, s, x = numbers(q.prompt["en"])
        assert s2x == 2 * x and abs(2 * s - 1 - q.answer) < 1e-5


def test_relu_family_by_formula():
    for q in questions("relu", "value"):
        xs = bracket(q.prompt["en"], "ReLU(")
        assert close(q, [max(0.0, x) for x in xs])
    for q in questions("relu", "derivative"):
        xs = bracket(q.prompt["en"], "x =")
        assert close(q, [1.0 if x > 0 else 0.0 for x in xs])
    for q in questions("relu", "zeros"):
        z = bracket(q.prompt["en"], "z =")
        assert q.answer == sum(v <= 0 for v in z)
    for q in questions("leaky-relu", "value"):
        xs = bracket(q.prompt["en"], "LeakyReLU(")
        alpha = float(re.search(r"α = (" + NUMBER + ")", q.prompt["en"]).group(1))
        assert close(q, [x if x > 0 else alpha * x for x in xs])
    for q in questions("leaky-relu", "slope"):
        x, y = numbers(q.prompt["en"])
        assert close(q, y / x)
    for q in questions("elu", "value"):
        x, alpha = numbers(q.prompt["en"])
        assert close(q, x if x > 0 else alpha * (math.exp(x) - 1))
    for q in questions("elu", "derivative"):
        x, alpha = numbers(q.prompt["en"])
        assert close(q, 1.0 if x > 0 else alpha * math.exp(x))
    for q in questions("elu", "grad-from-value"):
        alpha, y = numbers(q.prompt["en"])
        assert abs(y + alpha - q.answer) < 1e-5
    for q in questions("prelu", "value"):
        xs = bracket(q.prompt["en"], "PReLU(")
        a = float(re.search(r"a = (" + NUMBER + ")", q.prompt["en"]).group(1))
        assert close(q, [x if x > 0 else a * x for x in xs])
    for q in questions("prelu", "per-channel"):
        x = matrix(q.prompt["en"], "x =")
        a = np.array(bracket(q.prompt["en"], "a ="))
        assert close(q, np.where(x > 0, x, a[None, :] * x).ravel())
    for q in questions("prelu", "grad-slope"):
        x = np.array(bracket(q.prompt["en"], "x ="))
        g = np.array(bracket(q.prompt["en"], "∂L/∂y ="))
        assert close(q, float(np.sum(g * np.minimum(x, 0.0))))


def test_softmax_by_formula():
    for q in questions("softmax", "vector"):
        z = np.array(bracket(q.prompt["en"], "softmax("))
        e = np.exp(z)
        assert close(q, e / e.sum())
        assert abs(sum(q.answer) - 1) < 1e-9
    for q in questions("softmax", "temperature"):
        z = np.array(bracket(q.prompt["en"], "z ="))
        t = float(re.search(r"T = (" + NUMBER + ")", q.prompt["en"]).group(1))
        e = np.exp(z / t)
        assert close(q, float(e.max() / e.sum()))


def test_activation_function_by_formula():
    for q in questions("activation-function", "collapse"):
        w1 = matrix(q.prompt["en"], "W₁ =")
        w2 = matrix(q.prompt["en"], "W₂ =")
        assert close(q, (w2 @ w1).ravel())
    for q in questions("activation-function", "relu-net"):
        x = np.array(bracket(q.prompt["en"], "x ="))
        w1 = matrix(q.prompt["en"], "W₁ =")
        w2 = matrix(q.prompt["en"], "W₂ =")
        assert close(q, float((w2 @ np.maximum(w1 @ x, 0.0))[0]))


def test_neuron_by_formula():
    for q in questions("neuron", "output"):
        w = np.array(bracket(q.prompt["en"], "w ="))
        x = np.array(bracket(q.prompt["en"], "x ="))
        b = float(re.search(r"b = (" + NUMBER + ")", q.prompt["en"]).group(1))
        assert close(q, float(sig(w @ x + b)))
    for q in questions("neuron", "perceptron-update"):
        w = np.array(bracket(q.prompt["en"], "w ="))
        x = np.array(bracket(q.prompt["en"], "x ="))
        b = float(re.search(r"b = (" + NUMBER + ")", q.prompt["en"]).group(1))
        eta = float(re.search(r"η = (" + NUMBER + ")", q.prompt["en"]).group(1))
        y = int(re.search(r"label y = (\d)", q.prompt["en"]).group(1))
        a = 1 if w @ x + b >= 0 else 0
        assert close(q, [*(w + eta * (y - a) * x), b + eta * (y - a)])
    for q in questions("neuron", "gate-count"):
        w = np.array(bracket(q.prompt["en"], "w ="))
        b = float(re.search(r"b = (" + NUMBER + ")", q.prompt["en"]).group(1))
        corners = np.array([[0, 0], [0, 1], [1, 0], [1, 1]])
        assert q.answer == int(np.sum(corners @ w + b > 0))


def test_neural_network_by_formula():
    for q in questions("neural-network", "output-shape"):
        x = [int(n) for n in re.search(r"X is ([\d×]+)", q.prompt["en"]).group(1).split("×")]
        h = int(re.search(r"b has (\d+)", q.prompt["en"]).group(1))
        assert q.answer == (*x[:-1], h)
    for q in questions("neural-network", "param-count"):
        d, h, k = (int(n) for n in re.search(r"MLP (\d+) → (\d+) → (\d+)",
                                             q.prompt["en"]).groups())
        assert q.answer == d * h + h + h * k + k
    for q in questions("neural-network", "weight-shape"):
        d, h = (int(n) for n in re.search(r"Linear\((\d+), (\d+)\)", q.prompt["en"]).groups())
        assert q.answer == (h, d)


def test_supervised_learning_by_formula():
    for q in questions("supervised-learning", "split"):
        n = int(q.prompt["en"].split()[0])
        pct = [int(p) for p in re.findall(r"(\d+)%", q.prompt["en"])]
        assert sum(pct) == 100
        which = ["training", "validation", "test"].index(
            re.search(r"in the (\w+) set", q.prompt["en"]).group(1))
        assert q.answer == n * pct[which] // 100
    for q in questions("supervised-learning", "train-mse"):
        m = re.search(r"ŷ = (" + NUMBER + r")·x ([+−]) (" + NUMBER + ")", q.prompt["en"])
        w, b = float(m.group(1)), float(m.group(3)) * (-1 if m.group(2) == "−" else 1)
        x = np.array(bracket(q.prompt["en"], "x ="))
        y = np.array(bracket(q.prompt["en"], "y ="))
        assert close(q, float(np.mean((w * x + b - y) ** 2)))
    for q in questions("supervised-learning", "baseline"):
        y = np.array(bracket(q.prompt["en"], "y ="))
        assert close(q, float(np.var(y)))


def test_universal_approximation_by_formula():
    for q in questions("universal-approximation", "value"):
        k = np.array(bracket(q.prompt["en"], "k ="))
        v = np.array(bracket(q.prompt["en"], "v ="))
        x = float(re.search(r"ŷ\((" + NUMBER + r")\) =", q.prompt["en"]).group(1))
        assert close(q, float(v @ np.maximum(x - k, 0.0)))
    for q in questions("universal-approximation", "slope"):
        k = np.array(bracket(q.prompt["en"], "k ="))
        v = np.array(bracket(q.prompt["en"], "v ="))
        x = float(re.search(r"at x = (" + NUMBER + ")", q.prompt["en"]).group(1))
        assert close(q, float(v[x > k].sum()))
    for q in questions("universal-approximation", "pieces"):
        k = bracket(q.prompt["en"], "k =")
        assert q.answer == len(set(k)) + 1


def test_deep_belief_network_by_formula():
    for q in questions("deep-belief-network", "rbm-params"):
        n_v, n_h = (int(n) for n in re.findall(r"\d+", q.prompt["en"])[:2])
        assert q.answer == n_v * n_h + n_v + n_h
    for q in questions("deep-belief-network", "stack-params"):
        sizes = [int(s) for s in re.search(r"sizes ([\d-]+)", q.prompt["en"]).group(1)
                 .split("-")]
        assert q.answer == sum(a * b + a + b for a, b in zip(sizes, sizes[1:], strict=False))
    for q in questions("deep-belief-network", "pretrain-stages"):
        sizes = re.search(r"sizes ([\d-]+)", q.prompt["en"]).group(1).split("-")
        assert q.answer == len(sizes) - 1
    for q in questions("deep-belief-network", "hidden-prob"):
        w = np.array(bracket(q.prompt["en"], "w ="))
        v = np.array(bracket(q.prompt["en"], "v ="))
        c = float(re.search(r"c = (" + NUMBER + ")", q.prompt["en"]).group(1))
        assert close(q, float(sig(c + w @ v)))


def test_losses_by_formula():
    for q in questions("mse", "value"):
        p, y = np.array(bracket(q.prompt["en"], "ŷ =")), np.array(bracket(q.prompt["en"], "y ="))
        assert close(q, float(np.mean((p - y) ** 2)))
    for q in questions("mse", "gradient"):
        p, y = np.array(bracket(q.prompt["en"], "ŷ =")), np.array(bracket(q.prompt["en"], " y ="))
        assert close(q, 2 * (p - y) / len(p))
    for q in questions("mse", "rmse"):
        p, y = np.array(bracket(q.prompt["en"], "ŷ =")), np.array(bracket(q.prompt["en"], " y ="))
        assert close(q, math.sqrt(np.mean((p - y) ** 2)))
    for q in questions("mae", "value"):
        p, y = np.array(bracket(q.prompt["en"], "ŷ =")), np.array(bracket(q.prompt["en"], "y ="))
        assert close(q, float(np.mean(np.abs(p - y))))
    for q in questions("mae", "gradient"):
        p, y = np.array(bracket(q.prompt["en"], "ŷ =")), np.array(bracket(q.prompt["en"], " y ="))
        assert close(q, np.sign(p - y) / len(p))
    for q in questions("mae", "best-constant"):
        assert close(q, float(np.median(bracket(q.prompt["en"], "y ="))))
    for q in questions("loss-function", "objective"):
        p = np.array(bracket(q.prompt["en"], "Predictions"))
        y = np.array(bracket(q.prompt["en"], "targets"))
        w = np.array(bracket(q.prompt["en"], "w ="))
        lam = float(re.search(r"λ = (" + NUMBER + ")", q.prompt["en"]).group(1))
        assert close(q, float(np.mean((p - y) ** 2) + lam / 2 * np.sum(w ** 2)))
    for q in questions("loss-function", "mse-and-mae"):
        p = np.array(bracket(q.prompt["en"], "Predictions"))
        y = np.array(bracket(q.prompt["en"], "targets"))
        assert close(q, [np.mean((p - y) ** 2), np.mean(np.abs(p - y))])
    for q in questions("loss-function", "sum-reduction"):
        p = np.array(bracket(q.prompt["en"], "Predictions"))
        y = np.array(bracket(q.prompt["en"], "targets"))
        assert close(q, float(np.sum((p - y) ** 2)))


def test_cross_entropy_by_formula():
    for q in questions("cross-entropy", "categorical"):
        z = np.array(bracket(q.prompt["en"], "z ="))
        k = int(re.search(r"true class (\d)", q.prompt["en"]).group(1))
        assert close(q, float(-(z[k] - math.log(np.sum(np.exp(z))))))
    for q in questions("cross-entropy", "binary"):
        p, y = numbers(q.prompt["en"])
        assert close(q, -(y * math.log(p) + (1 - y) * math.log(1 - p)))
    for q in questions("cross-entropy", "gradient"):
        z = np.array(bracket(q.prompt["en"], "z ="))
        k = int(re.search(r"true class (\d)", q.prompt["en"]).group(1))
        g = np.exp(z) / np.exp(z).sum()
        g[k] -= 1
        assert close(q, g)
    for q in questions("cross-entropy", "uniform"):
        c = int(re.search(r"all (\d+) classes", q.prompt["en"]).group(1))
        assert close(q, math.log(c))


def test_overfitting_by_formula():
    for q in questions("overfitting", "poly-params"):
        d = int(re.search(r"degree (?:≤ )?(\d+)", q.prompt["en"]).group(1))
        two = "two inputs" in q.prompt["en"]
        assert q.answer == ((d + 1) * (d + 2) // 2 if two else d + 1)
    for q in questions("overfitting", "interpolate"):
        assert q.answer == int(q.prompt["en"].split()[0]) - 1
    for q in questions("overfitting", "gap"):
        train, test = q.prompt["en"].split("Test:")
        mse = [float(np.mean((np.array(bracket(part, "predictions"))
                              - np.array(bracket(part, "targets"))) ** 2))
               for part in (train, test)]
        assert close(q, mse[1] - mse[0])


def counts(prompt: str) -> dict[str, int]:
    return {k: int(v) for k, v in re.findall(r"\b(TP|FP|FN|TN) = (\d+)", prompt)}


def test_precision_recall_f1_by_formula():
    for q in questions("precision-recall", "precision"):
        c = counts(q.prompt["en"])
        assert close(q, c["TP"] / (c["TP"] + c["FP"]))
    for q in questions("precision-recall", "recall"):
        c = counts(q.prompt["en"])
        assert close(q, c["TP"] / (c["TP"] + c["FN"]))
    for q in questions("f1-score", "from-counts"):
        c = counts(q.prompt["en"])
        p, r = c["TP"] / (c["TP"] + c["FP"]), c["TP"] / (c["TP"] + c["FN"])
        assert close(q, 2 * p * r / (p + r))
    for q in questions("f1-score", "from-pr"):
        p, r = numbers(q.prompt["en"].replace("F1", ""))
        assert close(q, 2 * p * r / (p + r))
    for q in questions("precision-recall", "labels"):
        t = np.array(bracket(q.prompt["en"], "y_true ="))
        y = np.array(bracket(q.prompt["en"], "y_pred ="))
        tp = np.sum((t == 1) & (y == 1))
        assert close(q, [tp / np.sum(y == 1), tp / np.sum(t == 1)])
    for q in questions("f1-score", "labels"):
        t = np.array(bracket(q.prompt["en"], "y_true ="))
        y = np.array(bracket(q.prompt["en"], "y_pred ="))
        tp = np.sum((t == 1) & (y == 1))
        assert close(q, 2 * tp / (np.sum(t == 1) + np.sum(y == 1)))
    for q in questions("precision-recall", "threshold"):
        s = np.array(bracket(q.prompt["en"], "Scores"))
        t = np.array(bracket(q.prompt["en"], "labels"))
        th = float(re.search(r"score ≥ (" + NUMBER + ")", q.prompt["en"]).group(1))
        y = s >= th
        tp = np.sum(y & (t == 1))
        expected = tp / y.sum() if "Precision" in q.prompt["en"] else tp / (t == 1).sum()
        assert close(q, expected)
