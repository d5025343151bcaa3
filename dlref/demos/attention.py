"""Scaled dot-product attention over a short sequence: the weight matrix as a heatmap of shades,
then its numbers.

Queries and keys have random N(0, 1) entries, so a raw score q·k has variance d_k: without the
1/√d_k the scores spread as d_k grows and softmax saturates to almost one-hot rows (and almost
no gradient). The causal mask zeroes the weights above the diagonal; the temperature divides
the scores (T > 1 flattens, T < 1 sharpens).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.shades import shade_row
from dlref.demos.terms import KEY, POSITION, QUERY, WEIGHT
from dlref.nn import (
    attention_weights,
    causal_mask,
    scaled_dot_product_attention_backward,
    scaled_dot_product_attention_forward,
)
from dlref.text.numbers import round_sig

LENGTH = 8  # tokens in the sequence
MASKED = {"en": "masked", "zh": "被掩蔽"}
LABELS = {"max_weight": {"en": "largest weight of the query", "zh": "该查询的最大注意力权重"},
          "entropy": {"en": "entropy of its weights (nats)", "zh": "其权重的熵（奈特）"},
          "uniform_entropy": {"en": "entropy if uniform (nats)", "zh": "均匀分布的熵（奈特）"},
          "score_std": {"en": "std of the scores", "zh": "分数的标准差"},
          "masked": {"en": "masked weights", "zh": "被掩蔽的权重数"},
          "grad_norm": {"en": "gradient norm reaching q", "zh": "回传到 q 的梯度范数"}}

KNOBS = (
    Knob("query", {"en": "query position", "zh": "查询位置"}, "int", 5, low=0, high=LENGTH - 1),
    Knob("d_k", {"en": "key/query dimension d_k", "zh": "键/查询的维度 d_k"}, "int", 16,
         low=1, high=512),
    Knob("scaled", {"en": "divide the scores by √d_k", "zh": "分数除以 √d_k"}, "bool", True),
    Knob("causal", {"en": "causal mask (no looking ahead)", "zh": "因果掩码（不看后面的词元）"},
         "bool", False),
    Knob("temperature", {"en": "softmax temperature T", "zh": "softmax 温度 T"}, "float", 1.0,
         low=0.1, high=10.0),
)


def _entropy(p: np.ndarray) -> float:
    """H(p) = −Σ p log p in nats; 0 for one-hot, log n for uniform over n keys."""
    nz = p[p > 0]
    return float(-(nz * np.log(nz)).sum()) + 0.0


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    d_k, i = int(values["d_k"]), int(values["query"])
    scaled, causal, temp = bool(values["scaled"]), bool(values["causal"]), values["temperature"]
    q = rng.standard_normal((LENGTH, d_k))
    k = rng.standard_normal((LENGTH, d_k))
    v = np.eye(LENGTH)  # value j = one-hot j: the output row is the weight row itself
    scale = (1.0 / math.sqrt(d_k) if scaled else 1.0) / temp
    _, cache = scaled_dot_product_attention_forward(q, k, v, causal=causal, scale=scale)
    w = attention_weights(cache)
    scores = q @ k.T * scale  # what goes into the softmax (before the mask)
    seen = causal_mask(LENGTH) if causal else np.ones((LENGTH, LENGTH), dtype=bool)

    # how much gradient reaches the scores of query i through the softmax: ‖∂w/∂s‖ for a
    # unit upstream gradient on its largest weight
    dout = np.zeros((LENGTH, LENGTH))
    dout[i, int(np.argmax(w[i]))] = 1.0
    dq, _, _ = scaled_dot_product_attention_backward(dout, cache)
    grad = float(np.linalg.norm(dq[i])) + 0.0

    # shades in equal steps of √w, so the many small weights of 8 keys still differ
    shades = Table(
        {"en": "the weights as shades: · below 0.04, ░ 0.04–0.16, ▒ 0.16–0.36, ▓ 0.36–0.64, "
               "█ 0.64–1, blank = masked (exactly 0)",
         "zh": "权重的深浅图：· 小于 0.04，░ 0.04–0.16，▒ 0.16–0.36，▓ 0.36–0.64，"
               "█ 0.64–1，空白 = 被掩蔽（恰好为 0）"},
        ["q \\ k", " ".join(str(j) for j in range(LENGTH))],
        [[str(r), shade_row(np.sqrt(w[r]), 0.0, 1.0, glyphs="·░▒▓█", zero=" ", cell=2)]
         for r in range(LENGTH)])
    heat = Table(
        {"en": "attention weights: row = query, column = key (each row sums to 1)",
         "zh": "注意力权重：行 = 查询，列 = 键（每行之和为 1）"},
        ["q \\ k"] + [str(j) for j in range(LENGTH)],
        [[str(r)] + [round_sig(x) for x in w[r]] for r in range(LENGTH)])
    row = Table(
        {"en": f"query {i}: raw score q·k, the score fed to softmax, the weight",
         "zh": f"查询 {i}：原始分数 q·k、送入 softmax 的分数、权重"},
        [KEY, "q·k", {"en": "score", "zh": "分数"}, WEIGHT],
        [[j, round_sig(q[i] @ k[j]), round_sig(scores[i, j]) if seen[i, j] else MASKED,
          round_sig(w[i, j])] for j in range(LENGTH)])
    plot = Plot({"en": f"weights of query {i} over the keys", "zh": f"查询 {i} 对各个键的权重"},
                [Series({"en": f"{QUERY['en']} {i}", "zh": f"{QUERY['zh']} {i}"},
                        [float(j) for j in range(LENGTH)], [float(x) for x in w[i]])],
                xlabel={"en": f"{KEY['en']} {POSITION['en']}",
                        "zh": f"{KEY['zh']}的{POSITION['zh']}"},
                ylabel=WEIGHT, kind="bar")

    spread = float(scores[seen].std())
    metrics = {"max_weight": float(w[i].max()), "entropy": _entropy(w[i]),
               "uniform_entropy": math.log(int(seen[i].sum())), "score_std": spread,
               "masked": float((~seen).sum()), "grad_norm": grad}
    factor_en = f"÷ √d_k = √{d_k} = {math.sqrt(d_k):.3g}" if scaled else "no ÷ √d_k"
    factor_zh = f"除以 √d_k = √{d_k} = {math.sqrt(d_k):.3g}" if scaled else "不除以 √d_k"
    en = [f"Scores q·k {factor_en}, then ÷ T = {temp:g}: their spread is {spread:.3g} "
          f"(raw q·k has standard deviation √d_k ≈ {math.sqrt(d_k):.3g}).",
          f"Query {i}: largest weight {w[i].max():.3f}, entropy {metrics['entropy']:.3f} nats "
          f"(uniform would be {metrics['uniform_entropy']:.3f}); gradient reaching q: "
          f"{grad:.3g}."]
    zh = [f"分数 q·k {factor_zh}，再除以 T = {temp:g}：分数的标准差为 {spread:.3g}"
          f"（原始 q·k 的标准差为 √d_k ≈ {math.sqrt(d_k):.3g}）。",
          f"查询 {i}：最大权重 {w[i].max():.3f}，熵 {metrics['entropy']:.3f} 奈特"
          f"（均匀分布为 {metrics['uniform_entropy']:.3f}）；回传到 q 的梯度：{grad:.3g}。"]
    if not scaled and d_k >= 64:
        en.append("Without √d_k the softmax saturates: rows are nearly one-hot and the gradient "
                  "through them nearly 0. Turn scaling on to bring the spread back to about 1.")
        zh.append("不除以 √d_k 时 softmax 饱和：每行几乎是独热的，穿过它的梯度几乎为 0。"
                  "打开缩放，分数的标准差回到 1 左右。")
    if causal:
        en.append(f"Causal mask: query i sees keys 0…i only, so the {int(metrics['masked'])} "
                  "weights above the diagonal are exactly 0 and row 0 is [1, 0, …].")
        zh.append(f"因果掩码：查询 i 只能看到键 0…i，对角线以上的 {int(metrics['masked'])} "
                  "个权重恰好为 0，第 0 行是 [1, 0, …]。")
    return Result(plots=[plot], tables=[shades, heat, row], notes={"en": en, "zh": zh},
                  metrics=metrics, labels=LABELS)


DEMO = Demo(
    name="attention",
    title={"en": "Scaled dot-product attention: the weight matrix",
           "zh": "缩放点积注意力：注意力权重矩阵"},
    knobs=KNOBS,
    run=run,
    kernels=(scaled_dot_product_attention_forward, scaled_dot_product_attention_backward),
)
