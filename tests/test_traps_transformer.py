"""Diagnosed mistakes on attention and the Transformer, each made by hand from the prompt's numbers.

Each row: a template, a phrase of the mistake's name, and a function that reads the English
prompt and computes the wrong answer the way a learner making that mistake would (plain math,
no dlref).
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from quiz_helpers import numbers
from test_traps import after, bracket, diagnosed_in, row_ids
from test_traps_more import sig, softmax

SEEDS = range(40)
NUM = r"(-?\d+(?:\.\d+)?)"


def num(p: str, pattern: str) -> float:
    return float(re.search(pattern, p)[1])


# ---- attention: softmax(q·k/√d_k)·v, with one step done wrong

def _attention(p, scale, normalise=True):
    """The output with the scores q·kⱼ multiplied by `scale`, softmax-ed or not."""
    q = np.array(bracket(p, "q"))
    scores = [scale * float(q @ np.array(bracket(p, f"k{c}"))) for c in "₁₂"]
    weights = softmax(scores) if normalise else np.array(scores)
    return float(weights @ np.array([after(p, "v₁"), after(p, "v₂")]))


# ---- self-attention without projections: token t's output Σⱼ wⱼ xⱼ

def _self_attention(p, scale, keep_self=True):
    x = [np.array(bracket(p, f"x{c}")) for c in "₁₂₃"]
    t = int(num(p, r"output vector of token (\d)")) - 1
    keys = [xj for j, xj in enumerate(x) if keep_self or j != t]
    w = softmax([scale * float(x[t] @ xj) for xj in keys])
    return list(sum(wj * xj for wj, xj in zip(w, keys, strict=True)))


# ---- positional encoding: dimension j given its own frequency 1/10000^(j/d)

def _pe_dimension_as_2i(p):
    d = int(after(p, "d_model"))
    a, b = (int(v) for v in re.search(r"positions (\d+) and (\d+)", p).groups())

    def pe(pos):
        return [math.sin(pos / 10000 ** (j / d)) if j % 2 == 0 else
                math.cos(pos / 10000 ** (j / d)) for j in range(d)]
    return sum(u * v for u, v in zip(pe(a), pe(b), strict=True))


# ---- layer norm, one output feature: γⱼ·(xⱼ − μ)/σ + βⱼ with σ or the affine step wrong

def _layer_norm(p, divisor):
    x, gamma, beta = bracket(p, "x"), bracket(p, "γ"), bracket(p, "β")
    j = int(num(p, r"Output feature (\d)")) - 1
    mu = sum(x) / len(x)
    ss = sum((v - mu) ** 2 for v in x)
    return gamma[j] * (x[j] - mu) / divisor(ss, len(x)) + beta[j]


def _layer_norm_no_affine(p):
    x = bracket(p, "x")
    j = int(num(p, r"Output feature (\d)")) - 1
    mu = sum(x) / len(x)
    return (x[j] - mu) / math.sqrt(sum((v - mu) ** 2 for v in x) / len(x))


# ---- embedding: the row's gradient averaged over its uses

def _embedding_averaged(p):
    ids = [int(v) for v in numbers(re.search(r"Token ids \(([^)]*)\)", p)[1])]
    grads = {int(m[1]): numbers(m[2]) for m in re.finditer(r"position (\d): \(([^)]*)\)", p)}
    r = int(num(p, r"gradient of row (\d)"))
    used = [grads[pos] for pos, i in enumerate(ids, start=1) if i == r]
    if not used:
        return [0.0, 0.0]
    return [sum(g[c] for g in used) / len(used) for c in range(2)]


# ---- decoder layer parameters: 2 attention blocks, a feed-forward, 3 layer norms

def _decoder(p, biases=True, output_projection=True, norms=True):
    d, f = (int(v) for v in re.search(r"d_model=(\d+), nhead=\d+, dim_feedforward=(\d+)",
                                       p).groups())
    projections = 4 if output_projection else 3
    attention = projections * d * d + (projections * d if biases else 0)
    feed_forward = 2 * d * f + (f + d if biases else 0)
    return 2 * attention + feed_forward + (3 * 2 * d if norms else 0)


# ---- cross-attention scores: T·S dot products of length d_k = d/h per head

def _cross(p):
    h = int(num(p, r"with (\d+) head"))
    return h, after(p, "d_model"), after(p, "T"), after(p, "S")


# ---- GELU's tanh approximation and SiLU against ReLU

def _x(p):
    return num(p, r"x = " + NUM)


def _gelu_no_half(p):
    x = _x(p)
    return x * (1 + math.tanh(math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)))


ROWS = [
    ("attention", "output", "÷ √d_k left out", lambda p: _attention(p, 1.0)),
    ("attention", "output", "÷ d_k instead", lambda p: _attention(p, 1 / 2)),
    ("attention", "output", "softmax left out",
     lambda p: _attention(p, 1 / math.sqrt(2), normalise=False)),
    ("self-attention", "output", "÷ √d left out", lambda p: _self_attention(p, 1.0)),
    ("self-attention", "output", "own key left out",
     lambda p: _self_attention(p, 1 / math.sqrt(2), keep_self=False)),
    ("positional-encoding", "dot-product", "2i taken as the dimension", _pe_dimension_as_2i),
    ("layer-normalization", "affine", "unbiased variance",
     lambda p: _layer_norm(p, lambda ss, n: math.sqrt(ss / (n - 1)))),
    ("layer-normalization", "affine", "variance σ²",
     lambda p: _layer_norm(p, lambda ss, n: ss / n)),
    ("layer-normalization", "affine", "γ and β left out", _layer_norm_no_affine),
    ("embedding", "gradient", "averaged", _embedding_averaged),
    ("encoder-decoder", "decoder-params", "biases", lambda p: _decoder(p, biases=False)),
    ("encoder-decoder", "decoder-params", "output projections",
     lambda p: _decoder(p, output_projection=False)),
    ("encoder-decoder", "decoder-params", "layer norms left out",
     lambda p: _decoder(p, norms=False)),
    ("encoder-decoder", "cross-cost", "d_model taken as each head's d_k",
     lambda p: (lambda h, d, t, s: h * t * s * d)(*_cross(p))),
    ("encoder-decoder", "cross-cost", "one head only",
     lambda p: (lambda h, d, t, s: t * s * d / h)(*_cross(p))),
    ("encoder-decoder", "cross-cost", "T²·d", lambda p: (lambda h, d, t, s: t * t * d)(*_cross(p))),
    ("gelu", "tanh-approx", "exact GELU",
     lambda p: (lambda x: x * 0.5 * (1 + math.erf(x / math.sqrt(2))))(_x(p))),
    ("gelu", "tanh-approx", "½ left out", _gelu_no_half),
    ("silu", "vs-relu", "distance", lambda p: (lambda x: abs(x * sig(x) - max(x, 0.0)))(_x(p))),
    ("silu", "vs-relu", "σ(x) taken for SiLU", lambda p: (lambda x: sig(x) - max(x, 0.0))(_x(p))),
]


@pytest.mark.parametrize(("card", "tid", "phrase", "mistake"), ROWS, ids=row_ids(ROWS))
def test_the_mistake_made_by_hand_is_diagnosed(card, tid, phrase, mistake):
    # diagnosable in many instances (not only where the mistake and the answer coincide)
    assert diagnosed_in(card, tid, phrase, mistake) >= len(SEEDS) // 3
