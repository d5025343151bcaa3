"""Quiz templates of the training-practice cards (issue 16).

Every template is generated with many seeds: both languages, an answer of the declared kind fed
back through the parser as a learner would type it (right) and one off (wrong), at least 20
distinct questions over 40 seeds. For every card at least one template is re-derived here from
the numbers in its prompt with plain math, without dlref.nn.
"""

from __future__ import annotations

import math
import re

import pytest
from quiz_helpers import NUMBER, matrix, numbers, ok, typed, wrong
from rich.text import Text

from dlref.quiz.questions import generate, templates_for

CARDS = [
    "minibatch-sgd", "model-selection", "early-stopping", "learning-rate-schedule", "adamw",
    "data-augmentation", "transfer-learning", "accuracy", "label-smoothing", "one-hot-encoding",
    "saddle-point", "multilayer-perceptron",
]
SEEDS = range(40)
ITEMS = [(card, tid) for card in CARDS for tid in sorted(templates_for(card))]


def val(text: str, name: str) -> float:
    """The number after the first `name = `, `name=` or `name ` in a prompt."""
    m = re.search(rf"(?<![\w₀-₉]){re.escape(name)}(?: ?= ?| )({NUMBER})", text)
    assert m, (name, text)
    return float(m.group(1))


def bracket(text: str, after: str) -> list[float]:
    start = text.index(after) + len(after)
    return numbers(text[text.index("[", start):text.index("]", start) + 1])


def prompts(card: str, tid: str, seeds=range(15)):
    for seed in seeds:
        q = generate(card, tid, seed)
        yield q, q.prompt["en"]


def same(q, expected) -> None:
    if q.kind == "vector":
        assert len(q.answer) == len(expected)
        for a, e in zip(q.answer, expected, strict=True):
            assert math.isclose(a, e, rel_tol=1e-9, abs_tol=1e-9), (q.prompt["en"], q.answer)
    else:
        assert math.isclose(q.answer, expected, rel_tol=1e-9, abs_tol=1e-9), \
            (q.prompt["en"], q.answer, expected)


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
        assert re.search(r"[\u4e00-\u9fff]", q.prompt["zh"])
        assert re.search(r"[\u4e00-\u9fff]", q.solution["zh"]), q.solution["zh"]
        assert q.kind in ("scalar", "vector")
        if q.kind == "vector":
            assert isinstance(q.answer, list) and q.answer
            assert all(type(v) is float and math.isfinite(v) for v in q.answer)
        else:
            assert type(q.answer) is float and math.isfinite(q.answer)
        assert isinstance(q.decimals, int) and 0 <= q.decimals <= 4
        if q.decimals == 0:  # "a whole number": the answer must be one
            values = q.answer if isinstance(q.answer, list) else [q.answer]
            assert all(v == round(v) for v in values), (seed, q.prompt["en"], q.answer)
        assert ok(q, typed(q)), (seed, q.prompt["en"], typed(q))
        assert not ok(q, wrong(q)), (seed, q.prompt["en"], wrong(q))
        repr(q.answer)
        q.to_dict()


@pytest.mark.parametrize(("card", "tid"), ITEMS)
def test_at_least_twenty_distinct_questions(card: str, tid: str):
    assert len({generate(card, tid, seed).prompt["en"] for seed in SEEDS}) >= 20
    assert generate(card, tid, 3).to_dict() == generate(card, tid, 3).to_dict()


# --- independent re-derivations --------------------------------------------------------------


def test_minibatch_iterations_and_step():
    for q, p in prompts("minibatch-sgd", "iterations-per-epoch"):
        n, b = val(p, "N"), val(p, "B")
        same(q, math.floor(n / b) if "drop_last=True" in p else math.ceil(n / b))
    for q, p in prompts("minibatch-sgd", "total-updates"):
        same(q, val(p, "E") * math.ceil(val(p, "N") / val(p, "B")))
    for q, p in prompts("minibatch-sgd", "minibatch-step"):
        g = bracket(p, "gradients")
        same(q, val(p, "w") - val(p, "η") * sum(g) / len(g))
    for q, p in prompts("minibatch-sgd", "noise-scale"):
        same(q, val(p, "σ") / math.sqrt(val(p, "B₂") / val(p, "B₁")))


def test_model_selection():
    for q, p in prompts("model-selection", "fold-sizes"):
        k, n = int(val(p, "n_splits")), int(val(p, "N"))
        sizes = [n // k + (1 if i < n % k else 0) for i in range(k)]
        same(q, [sizes[0], sizes[-1]])
    for q, p in prompts("model-selection", "kfold-fits"):
        a, b, k = (int(v) for v in re.findall(r"over (\d+) learning rates × (\d+) weight decays "
                                              r"with (\d+)-fold", p)[0])
        same(q, a * b * k + 1)
    for q, p in prompts("model-selection", "cv-estimate"):
        a, b = bracket(p, "setting A"), bracket(p, "setting B")
        same(q, min(sum(a) / len(a), sum(b) / len(b)))


def _stop(val_losses, patience, min_delta=0.0):
    best, best_at, since = math.inf, 0, 0
    for epoch, v in enumerate(val_losses, start=1):
        if v < best - min_delta - 1e-12:
            best, best_at, since = v, epoch, 0
        else:
            since += 1
            if since == patience:
                return epoch, best_at
    return len(val_losses), best_at


def test_early_stopping():
    for tid in ("stop-epoch", "best-epoch", "min-delta"):
        for q, p in prompts("early-stopping", tid):
            curve, patience = bracket(p, "epochs 1, 2, …:"), int(val(p, "patience"))
            delta = val(p, "min_delta") if "min_delta" in p else 0.0
            stop, best = _stop(curve, patience, delta)
            same(q, best if tid == "best-epoch" else stop)


def test_learning_rate_schedules():
    for q, p in prompts("learning-rate-schedule", "step"):
        lr, t = val(p, "base learning rate"), val(p, "t")
        same(q, lr * val(p, "gamma") ** (t // val(p, "step_size")))
    for q, p in prompts("learning-rate-schedule", "cosine"):
        lr, t, total, low = val(p, "base learning rate"), val(p, "t"), val(p, "T_max"), \
            val(p, "eta_min")
        same(q, low + (lr - low) * (1 + math.cos(math.pi * t / total)) / 2)
    for q, p in prompts("learning-rate-schedule", "warmup"):
        m = re.search(r"start_factor=([\d./]+)", p)
        s = 1 / 3 if m.group(1) == "1/3" else float(m.group(1))
        t, total = val(p, "t"), val(p, "total_iters")
        same(q, val(p, "base learning rate") * (s + (1 - s) * min(t, total) / total))
    for q, p in prompts("learning-rate-schedule", "warmup-cosine"):
        w, end = (float(v) for v in re.findall(r"Warm-up for (\d+) steps.*at step (\d+)", p)[0])
        t, lr = val(p, "t"), val(p, "peak learning rate")
        same(q, lr * (1 + math.cos(math.pi * (t - w) / (end - w))) / 2)


def test_adamw():
    for q, p in prompts("adamw", "first-step"):
        w, g, lr, lam = val(p, "w"), val(p, "g"), val(p, "η"), val(p, "λ")
        same(q, w * (1 - lr * lam) - lr * g / (abs(g) + 1e-8))
    for q, p in prompts("adamw", "decay-only"):
        k = int(re.search(r"after (\d+) steps", p).group(1))
        same(q, val(p, "w") * (1 - val(p, "η") * val(p, "λ")) ** k)
    for q, p in prompts("adamw", "vs-adam-l2"):
        w, g, lr, lam = val(p, "w"), val(p, "g"), val(p, "η"), val(p, "λ")
        g2 = g + lam * w
        same(q, [w - lr * g2 / (abs(g2) + 1e-8), w * (1 - lr * lam) - lr * g / (abs(g) + 1e-8)])


def test_data_augmentation():
    for q, p in prompts("data-augmentation", "crop-positions"):
        s, pad = (int(v) for v in re.search(r"RandomCrop\((\d+), padding=(\d+)\)", p).groups())
        h = int(re.search(r"on (\d+)×", p).group(1))
        same(q, (h + 2 * pad - s + 1) ** 2 * (2 if "flip" in p else 1))
    for q, p in prompts("data-augmentation", "flip-pixel"):
        x = matrix(p, "x =")
        i, j = (int(v) for v in re.search(r"row (\d+), column (\d+)", p).groups())
        same(q, x[i][x.shape[1] - 1 - j])
    for q, p in prompts("data-augmentation", "translate-pixel"):
        x = matrix(p, "x =")
        dy, dx = (int(v) for v in re.search(r"shifted (-?\d+) pixel\(s\) down and (-?\d+)", p)
                  .groups())
        i, j = (int(v) for v in re.search(r"row (\d+), column (\d+)", p).groups())
        inside = 0 <= i - dy < 3 and 0 <= j - dx < 4
        same(q, x[i - dy][j - dx] if inside else 0.0)


def test_transfer_learning():
    for q, p in prompts("transfer-learning", "trainable-head"):
        d, c = (int(v) for v in re.search(r"new head Linear\((\d+), (\d+)\)", p).groups())
        same(q, d * c + c)
    for q, p in prompts("transfer-learning", "head-swap"):
        d, c = (int(v) for v in re.search(r"replaced by Linear\((\d+), (\d+)\)", p).groups())
        same(q, (d + 1) * (1000 - c))
    for q, p in prompts("transfer-learning", "unfreeze"):
        convs = [tuple(int(v) for v in m) for m in re.findall(r"Conv2d\((\d+), (\d+), (\d+)\)", p)]
        d, c = (int(v) for v in re.search(r"head Linear\((\d+), (\d+)\)", p).groups())
        cin, cout, k = convs[2]
        same(q, cin * cout * k * k + cout + d * c + c)


def test_accuracy():
    for tid in ("from-counts", "accuracy-and-f1"):
        for q, p in prompts("accuracy", tid):
            tp, fp, fn, tn = (val(p, k) for k in ("TP", "FP", "FN", "TN"))
            acc = (tp + tn) / (tp + fp + fn + tn)
            same(q, acc if tid == "from-counts" else [acc, 2 * tp / (2 * tp + fp + fn)])
    for q, p in prompts("accuracy", "majority-baseline"):
        n, pos = (int(v) for v in re.search(r"of (\d+) examples has (\d+) positives", p).groups())
        same(q, (n - pos) / n)
    for q, p in prompts("accuracy", "multiclass"):
        y, pred = bracket(p, "True classes"), bracket(p, "predicted classes")
        same(q, sum(a == b for a, b in zip(y, pred, strict=True)) / len(y))


def test_label_smoothing():
    for q, p in prompts("label-smoothing", "target"):
        eps, c = val(p, "ε"), val(p, "C")
        same(q, [1 - eps + eps / c, eps / c])
    for tid in ("loss", "gradient"):
        for q, p in prompts("label-smoothing", tid):
            z = bracket(p, "Logits z =")
            y = int(re.search(r"true class (\d)", p).group(1))
            eps = val(p, "label_smoothing") if tid == "loss" else val(p, "ε")
            top = max(z)
            log_sum = top + math.log(sum(math.exp(v - top) for v in z))
            logp = [v - log_sum for v in z]
            q_target = [eps / 3 + (1 - eps if k == y else 0.0) for k in range(3)]
            if tid == "loss":
                same(q, -sum(t * lp for t, lp in zip(q_target, logp, strict=True)))
            else:
                same(q, [math.exp(lp) - t for lp, t in zip(logp, q_target, strict=True)])
    for q, p in prompts("label-smoothing", "optimal-gap"):
        eps, c = val(p, "ε"), val(p, "C")
        same(q, math.log((1 - eps + eps / c) / (eps / c)))


def test_one_hot_encoding():
    for q, p in prompts("one-hot-encoding", "vector"):
        k, c = (int(v) for v in re.search(r"class (\d+) .* C = (\d+)", p).groups())
        same(q, [1.0 if i == k else 0.0 for i in range(c)])
    for q, p in prompts("one-hot-encoding", "cross-entropy"):
        probs, y = bracket(p, "p ="), bracket(p, "y =")
        same(q, -math.log(probs[y.index(1.0)]))
    for q, p in prompts("one-hot-encoding", "zeros"):
        n, c = (int(v) for v in re.search(r"into a (\d+)×(\d+) matrix", p).groups())
        same(q, n * (c - 1))


def _quadratic(p: str) -> tuple[int, int, int]:
    body = re.search(r"f\(x, y\) = ([^.(]*?)(?: has|\.)", p).group(1).replace(" ", "")
    coef = {"x²": 0, "xy": 0, "y²": 0}
    for sign, k, var in re.findall(r"([+−]?)(\d*)(x²|xy|y²)", body):
        coef[var] = (-1 if sign == "−" else 1) * (int(k) if k else 1)
    return coef["x²"], coef["xy"], coef["y²"]


def test_saddle_point():
    for tid in ("hessian-eigenvalues", "determinant"):
        for q, p in prompts("saddle-point", tid):
            a, b, c = _quadratic(p)
            tr, det = 2 * a + 2 * c, 4 * a * c - b * b
            root = math.sqrt(tr * tr - 4 * det)
            same(q, [(tr - root) / 2, (tr + root) / 2] if tid == "hessian-eigenvalues" else det)
    for q, p in prompts("saddle-point", "escape"):
        m = re.search(r"f\(x, y\) = (\d*\.?\d*)x² − (\d*\.?\d*)y²", p)
        b = float(m.group(2) or 1)
        y0 = float(re.search(r"from \(1, (" + NUMBER + r")\)", p).group(1))
        k = int(re.search(r"after (\d+) steps", p).group(1))
        same(q, y0 * (1 + 2 * b * val(p, "η")) ** k)


def test_multilayer_perceptron():
    for q, p in prompts("multilayer-perceptron", "param-count"):
        sizes = [int(v) for v in re.search(r"widths ([\d → ]+) \(", p).group(1).split(" → ")]
        same(q, sum(i * o + o for i, o in zip(sizes[:-1], sizes[1:], strict=True)))
    for q, p in prompts("multilayer-perceptron", "forward"):
        w1, w2 = matrix(p, "W₁ ="), matrix(p, "W₂ =")
        b1, x = bracket(p, "b₁ ="), bracket(p, "input x =")
        h = [max(0.0, w1[r][0] * x[0] + w1[r][1] * x[1] + b1[r]) for r in range(2)]
        same(q, w2[0][0] * h[0] + w2[0][1] * h[1] + val(p, "b₂"))
    for q, p in prompts("multilayer-perceptron", "linear-collapse"):
        w1, w2 = matrix(p, "W₁ ="), matrix(p, "W₂ =")
        same(q, [w2[0][0] * w1[0][j] + w2[0][1] * w1[1][j] for j in range(2)])
