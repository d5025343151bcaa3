"""Quiz templates of the attention and Transformer cards (issue 15).

Every template: both languages, the declared answer kind, right when typed as a learner would and
wrong when off by one, at least 20 distinct questions over seeds. Then each card's templates are
re-derived from the numbers in their prompts with plain math / NumPy, without dlref.nn.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from quiz_helpers import NUMBER, numbers, ok, typed, wrong

from dlref.quiz.questions import generate, templates_for

CARDS = [
    "attention", "self-attention", "multi-head-attention", "causal-attention",
    "positional-encoding", "transformer", "layer-normalization", "residual-connection",
    "embedding", "encoder-decoder", "gelu", "silu",
]
SEEDS = range(12)
ITEMS = [(card, tid) for card in CARDS for tid in sorted(templates_for(card))]


def tup(text: str, name: str) -> list[float]:
    """The numbers of the tuple after `name = (`."""
    m = re.search(rf"(?<![\w₀-₉′]){re.escape(name)} = \(([^)]*)\)", text)
    assert m, (name, text)
    return numbers(m.group(1))


def val(text: str, name: str) -> float:
    m = re.search(rf"(?<![\w₀-₉′]){re.escape(name)} = ({NUMBER})", text)
    assert m, (name, text)
    return float(m.group(1))


def ints(text: str, pattern: str) -> tuple[int, ...]:
    m = re.search(pattern, text)
    assert m, (pattern, text)
    return tuple(int(g) for g in m.groups())


def questions(card: str, tid: str, seeds=range(40)):
    for seed in seeds:
        q = generate(card, tid, seed)
        yield q, q.prompt["en"]


def close(q, expected, tol=1e-9) -> bool:
    if q.kind == "shape":
        return tuple(q.answer) == tuple(expected)
    if q.kind == "vector":
        return len(q.answer) == len(expected) and all(
            math.isclose(a, e, rel_tol=tol, abs_tol=tol)
            for a, e in zip(q.answer, expected, strict=True))
    return math.isclose(q.answer, float(expected), rel_tol=tol, abs_tol=tol)


def softmax(s) -> np.ndarray:
    e = np.exp(np.asarray(s, dtype=float) - np.max(s))
    return e / e.sum()


def sigmoid(x: float) -> float:
    return 1 / (1 + math.exp(-x))


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
            assert not any(re.search(r"\[[A-Za-z#/@]", t) for t in part.values()), part
        assert re.search(r"[\u4e00-\u9fff]", q.prompt["zh"]), q.prompt["zh"]
        if q.kind == "shape":
            assert q.decimals is None
            assert all(type(d) is int and d > 0 for d in q.answer)
        elif q.kind == "vector":
            assert q.answer and all(type(v) is float and math.isfinite(v) for v in q.answer)
        else:
            assert q.kind == "scalar" and type(q.answer) is float and math.isfinite(q.answer)
        if q.kind != "shape":
            assert isinstance(q.decimals, int) and q.decimals >= 0
        assert ok(q, typed(q)), (seed, q.prompt["en"], typed(q))
        assert not ok(q, wrong(q)), (seed, q.prompt["en"], wrong(q))


@pytest.mark.parametrize(("card", "tid"), ITEMS)
def test_at_least_twenty_distinct_questions(card: str, tid: str):
    assert generate(card, tid, 5).to_dict() == generate(card, tid, 5).to_dict()
    prompts = {generate(card, tid, seed).prompt["en"] for seed in range(100)}
    assert len(prompts) >= 20, len(prompts)


@pytest.mark.parametrize(("card", "tid"), ITEMS)
def test_solution_ends_with_the_answer(card: str, tid: str):
    """A worked solution shows the number it arrives at (the answer, as shown or rounded)."""
    for seed in range(6):
        q = generate(card, tid, seed)
        if q.kind == "scalar":
            shown = numbers(re.sub(r"(?<=\d),(?=\d{3})", "", q.solution["en"]))  # 1,050,624
            assert any(math.isclose(v, q.answer, rel_tol=1e-3, abs_tol=10 ** -q.decimals)
                       for v in shown), (q.solution["en"], q.answer)


# --- independent re-derivations ------------------------------------------------------------


def test_attention():
    for q, p in questions("attention", "weights"):
        qv, keys = np.array(tup(p, "q")), np.array([tup(p, f"k{s}") for s in "₁₂₃"])
        assert close(q, softmax(keys @ qv / math.sqrt(2)))
    for q, p in questions("attention", "output"):
        qv, keys = np.array(tup(p, "q")), np.array([tup(p, "k₁"), tup(p, "k₂")])
        w = softmax(keys @ qv / math.sqrt(2))
        assert close(q, w @ [val(p, "v₁"), val(p, "v₂")])
    for q, p in questions("attention", "score-spread"):
        d_k = val(p, "d_k")
        sample = np.random.default_rng(0).standard_normal((2, 4000, int(d_k)))
        empirical = np.std(np.sum(sample[0] * sample[1], axis=1))
        assert close(q, math.sqrt(d_k)) and abs(empirical / q.answer - 1) < 0.1


def test_self_attention():
    for q, p in questions("self-attention", "weights"):
        x = np.array([tup(p, f"x{s}") for s in "₁₂₃"])
        (t,) = ints(p, r"weights of token (\d)")
        assert close(q, softmax(x @ x[t - 1] / math.sqrt(2)))
    for q, p in questions("self-attention", "output"):
        x = np.array([tup(p, f"x{s}") for s in "₁₂₃"])
        (t,) = ints(p, r"output vector of token (\d)")
        assert close(q, softmax(x @ x[t - 1] / math.sqrt(2)) @ x)
    for q, p in questions("self-attention", "weights-shape"):
        n, length, _ = ints(p, r"= \((\d+), (\d+), (\d+)\)")
        assert close(q, (n, length, length))


def test_multi_head_attention():
    for q, p in questions("multi-head-attention", "param-count"):
        e, _ = ints(p, r"embed_dim=(\d+), num_heads=(\d+)")
        assert close(q, 4 * e * e + 4 * e)
    for q, p in questions("multi-head-attention", "head-shape"):
        (e,) = ints(p, r"E = (\d+)")
        (h,) = ints(p, r"(\d+) heads")
        n, length, _ = ints(p, r"= \((\d+), (\d+), (\d+)\)")
        assert close(q, (n, h, length, e // h))
    for q, p in questions("multi-head-attention", "output-shape"):
        n, length, e = ints(p, r"query of shape \((\d+), (\d+), (\d+)\)")
        assert close(q, (n, length, e))


def test_causal_attention():
    for q, p in questions("causal-attention", "masked-count"):
        (length,) = ints(p, r"L = (\d+)")
        assert close(q, sum(1 for i in range(length) for j in range(length) if j > i))
    for q, p in questions("causal-attention", "weights"):
        qv, k = tup(p, "q"), tup(p, "k")
        (t,) = ints(p, r"weights of token (\d)")
        w = softmax([qv[t - 1] * kj for kj in k[:t]])
        assert close(q, list(w) + [0.0] * (4 - t))
    for q, p in questions("causal-attention", "output"):
        qv, k, v = tup(p, "q"), tup(p, "k"), tup(p, "v")
        w = softmax([qv[1] * k[0], qv[1] * k[1]])
        assert close(q, w @ v[:2])


def test_positional_encoding():
    for q, p in questions("positional-encoding", "entry"):
        (d,) = ints(p, r"d_model = (\d+)")
        pos, j = ints(p, r"position (\d+), dimension (\d+)")
        angle = pos / 10000 ** (2 * (j // 2) / d)
        assert close(q, math.sin(angle) if j % 2 == 0 else math.cos(angle))
    for q, p in questions("positional-encoding", "wavelength"):
        (d,) = ints(p, r"d_model = (\d+)")
        (j,) = ints(p, r"dimension (\d+)")
        period = 2 * math.pi * 10000 ** (j / d)
        assert close(q, period)
        assert math.isclose(math.sin(1.234 / 10000 ** (j / d)),  # it really repeats
                            math.sin((1.234 + period) / 10000 ** (j / d)), abs_tol=1e-9)
    for q, p in questions("positional-encoding", "dot-product"):
        (d,) = ints(p, r"d_model = (\d+)")
        a, b = ints(p, r"positions (\d+) and (\d+)")

        def pe(pos, d=d):
            return [f(pos / 10000 ** (2 * (j // 2) / d)) for j, f in
                    zip(range(d), [math.sin, math.cos] * d, strict=False)]
        assert close(q, float(np.dot(pe(a), pe(b))))


def test_transformer():
    for q, p in questions("transformer", "layer-params"):
        d, _, f = ints(p, r"d_model=(\d+), nhead=(\d+), dim_feedforward=(\d+)")
        assert close(q, (3 * d * d + 3 * d) + (d * d + d) + (d * f + f) + (f * d + d) + 4 * d)
    for q, p in questions("transformer", "crossover"):
        d, f = ints(p, r"d_model = (\d+), d_ff = (\d+)")
        length = q.answer
        assert close(q, 2 * d + f)
        assert math.isclose(2 * length * d, 4 * d * d + 2 * d * f)
    for q, p in questions("transformer", "quadratic"):
        (d,) = ints(p, r"d_model = (\d+)")
        l1, l2 = (int(v) for v in re.findall(r"L = (\d+)", p))
        assert close(q, l2 * l2 * d)
        assert int(p.split("takes ")[1].split(" multiply")[0].replace(",", "")) == l1 * l1 * d


def test_layer_normalization():
    for q, p in questions("layer-normalization", "output"):
        x = np.array(tup(p, "x"))
        assert close(q, (x - x.mean()) / math.sqrt(((x - x.mean()) ** 2).sum() / 4))
    for q, p in questions("layer-normalization", "affine"):
        x, g, b = (np.array(tup(p, n)) for n in ("x", "γ", "β"))
        (j,) = ints(p, r"Output feature (\d)")
        xhat = (x - x.mean()) / x.std()
        assert close(q, g[j - 1] * xhat[j - 1] + b[j - 1])
    for q, p in questions("layer-normalization", "stats-count"):
        n, length, _ = ints(p, r"= \((\d+), (\d+), (\d+)\)")
        assert close(q, n * length)


def test_residual_connection():
    for q, p in questions("residual-connection", "gradient"):
        (w,) = numbers(p.split("F(x) = ")[1].split("·tanh")[0])
        x = val(p, "at x")
        h = 1e-6
        numeric = ((x + h + w * math.tanh(x + h)) - (x - h + w * math.tanh(x - h))) / (2 * h)
        assert abs(q.answer - numeric) < 1e-8
    for q, p in questions("residual-connection", "deep"):
        (n,) = ints(p, r"network of (\d+) residual")
        a = val(p, "Fₗ′")
        h = 0.37  # a scalar net of n blocks h + a·h (each branch linear with slope a)
        assert close(q, (h * (1 + a) ** n) / h)
    for q, p in questions("residual-connection", "forward"):
        x, a, b = np.array(tup(p, "x")), val(p, "a"), val(p, "b")
        assert close(q, x + np.maximum(0.0, a * x + b))


def test_embedding():
    for q, p in questions("embedding", "param-count"):
        v, d = ints(p, r"nn.Embedding\((\d+), (\d+)\)")
        assert close(q, v * d)
    for q, p in questions("embedding", "lookup"):
        table = np.array([numbers(p.split(f"row {r}: (")[1].split(")")[0]) for r in range(4)])
        ids = [int(v) for v in numbers(p.split("Token ids (")[1].split(")")[0])]
        one_hot = np.eye(4)[ids]  # the lookup is a one-hot matrix product
        assert close(q, list((one_hot @ table).ravel()))
    for q, p in questions("embedding", "gradient"):
        ids = [int(v) for v in numbers(p.split("Token ids (")[1].split(")")[0])]
        grads = [numbers(p.split(f"position {k}: (")[1].split(")")[0]) for k in range(1, 5)]
        (r,) = ints(p, r"gradient of row (\d)")
        expected = np.sum([g for i, g in zip(ids, grads, strict=True) if i == r] + [[0.0, 0.0]],
                          axis=0)
        assert close(q, list(expected))


def test_encoder_decoder():
    for q, p in questions("encoder-decoder", "cross-shape"):
        (h,) = ints(p, r"with (\d+) heads")
        (t,) = ints(p, r"T = (\d+)")
        (s,) = ints(p, r"S = (\d+)")
        (n,) = ints(p, r"N = (\d+)")
        assert close(q, (n, h, t, s))
    for q, p in questions("encoder-decoder", "decoder-params"):
        d, _, f = ints(p, r"d_model=(\d+), nhead=(\d+), dim_feedforward=(\d+)")
        assert close(q, 2 * (4 * d * d + 4 * d) + (d * f + f) + (f * d + d) + 3 * 2 * d)
    for q, p in questions("encoder-decoder", "cross-cost"):
        (d,) = ints(p, r"d_model = (\d+)")
        (t,) = ints(p, r"T = (\d+)")
        (s,) = ints(p, r"S = (\d+)")
        assert close(q, t * s * d)


def test_gelu_and_silu():
    phi = lambda x: 0.5 * (1 + math.erf(x / math.sqrt(2)))  # noqa: E731
    for q, p in questions("gelu", "value"):
        x = numbers(p.split("GELU(")[-1])[0]
        assert abs(q.answer - x * phi(x)) < 1e-12
        assert abs(val(p, f"erf({x:g}/√2)") - math.erf(x / math.sqrt(2))) < 1e-6
    for q, p in questions("gelu", "tanh-approx"):
        x = val(p, "at x")
        assert close(q, 0.5 * x * (1 + math.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3))))
    for q, p in questions("gelu", "derivative"):
        x = numbers(p.split("GELU′(")[-1])[0]
        h = 1e-6
        numeric = ((x + h) * phi(x + h) - (x - h) * phi(x - h)) / (2 * h)
        assert abs(q.answer - numeric) < 1e-8
    for q, p in questions("silu", "value"):
        x = numbers(p.split("SiLU(")[-1])[0]
        assert close(q, x * sigmoid(x))
    for q, p in questions("silu", "derivative"):
        x = numbers(p.split("SiLU′(")[1])[0]
        h = 1e-6
        numeric = ((x + h) * sigmoid(x + h) - (x - h) * sigmoid(x - h)) / (2 * h)
        assert abs(q.answer - numeric) < 1e-8
    for q, p in questions("silu", "vs-relu"):
        x = val(p, "at x")
        assert close(q, x * sigmoid(x) - max(0.0, x))
