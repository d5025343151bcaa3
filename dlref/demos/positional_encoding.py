"""Sinusoidal positional encoding: the (position × dimension) matrix as a heatmap of shades and
as numbers, a few dimensions as waves, and the dot product PE(p)·PE(p + k) against the distance k.

Text avoids "[" before a letter: the app reads demo text as Rich markup.

Low dimensions oscillate fast, high ones slowly; the dot product depends on the distance k
only (not on p), is largest at k = 0 (d/2) and falls off with distance — which is what lets
attention read relative positions from absolute encodings.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.shades import shade_row
from dlref.demos.terms import POSITION
from dlref.nn import sinusoidal_positional_encoding
from dlref.text.numbers import round_sig

SHOW_ROWS, SHOW_COLS = 12, 8  # the table of numbers' size (the plots show everything)
SHADE_ROWS, SHADE_COLS = 32, 64  # the heatmap of shades: one column per dimension
WAVE = ({"en": "sin", "zh": "正弦"}, {"en": "cos", "zh": "余弦"})  # even, odd dimensions
DOT = {"en": "dot product", "zh": "点积"}
LABELS = {"self_similarity": "PE(p)·PE(p)",
          "neighbour_similarity": {"en": "one step away: PE(p)·PE(p + 1)",
                                   "zh": "相隔一步：PE(p)·PE(p + 1)"},
          "far_similarity": {"en": "dot product with the farthest position",
                             "zh": "与最远位置的点积"},
          "shift_spread": {"en": "largest difference between starts",
                           "zh": "不同起点间的最大差异"}}

KNOBS = (
    Knob("length", {"en": "sequence length", "zh": "序列长度"}, "int", 32, low=4, high=128),
    Knob("d_model", {"en": "model dimension d", "zh": "模型维度 d"}, "int", 16, low=2, high=128),
    Knob("position", {"en": "reference position p", "zh": "参考位置 p"}, "int", 0, low=0,
         high=127),
)


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    n, d = int(values["length"]), int(values["d_model"])
    p = min(int(values["position"]), n - 2)  # at least one later position to compare with
    pe = sinusoidal_positional_encoding(n, d)
    gram = pe @ pe.T  # gram[a, b] = PE[a]·PE[b]
    dist = np.arange(n - p)
    sim = gram[p, p:]  # PE[p]·PE[p + k] for k = 0 … n − 1 − p

    # the same distance gives the same dot product from every start: PE(a)·PE(b) against
    # PE(0)·PE(b − a), largest difference over all pairs a < b
    a, b = np.triu_indices(n, 1)
    spread = float(np.abs(gram[a, b] - gram[0, b - a]).max())

    shown_rows, shown_cols = min(n, SHADE_ROWS), min(d, SHADE_COLS)
    shades = Table(
        {"en": f"PE as shades, positions 0–{shown_rows - 1} by dimensions 0–{shown_cols - 1}: "
               f"blank −1 to −0.6, ░ to −0.2, ▒ to 0.2, ▓ to 0.6, █ to 1",
         "zh": f"PE 的深浅图，位置 0–{shown_rows - 1} × 维度 0–{shown_cols - 1}："
               f"空白 −1 到 −0.6，░ 到 −0.2，▒ 到 0.2，▓ 到 0.6，█ 到 1"},
        [POSITION, {"en": f"dimension 0 → {shown_cols - 1}",
                    "zh": f"维度 0 → {shown_cols - 1}"}],
        [[a, shade_row(pe[a, :shown_cols], -1.0, 1.0)] for a in range(shown_rows)])
    rows, cols = min(n, SHOW_ROWS), min(d, SHOW_COLS)
    heat = Table(
        {"en": f"PE by position (rows 0–{rows - 1}) and dimension (columns 0–{cols - 1}; "
               f"even: sin, odd: cos)",
         "zh": f"按位置（行 0–{rows - 1}）和维度（列 0–{cols - 1}；偶数维为正弦，奇数维为"
               f"余弦）排列的 PE"},
        [POSITION] + [{code: f"{j} {WAVE[j % 2][code]}" for code in ("en", "zh")}
                      for j in range(cols)],
        [[a] + [round_sig(x) for x in pe[a, :cols]] for a in range(rows)])
    sims = Table(
        {"en": f"dot product PE({p})·PE({p} + k) against the distance k",
         "zh": f"点积 PE({p})·PE({p} + k) 随距离 k 的变化"},
        ["k", "PE·PE", "÷ (d/2)"],
        [[int(k), round_sig(sim[k]), round_sig(sim[k] / (d / 2))]
         for k in sorted({0, 1, 2, 4, 8, 16, 32, 64, len(sim) - 1} & set(range(len(sim))))])
    pos = [float(a) for a in range(n)]
    dims = sorted({0, 1, 2 * (d // 4), d - 1} & set(range(d)))
    waves = Plot({"en": "a few dimensions over the positions", "zh": "几个维度随位置的变化"},
                 [Series({"en": f"dim {j} ({WAVE[j % 2]['en']})",
                          "zh": f"第 {j} 维（{WAVE[j % 2]['zh']}）"}, pos,
                         [float(x) for x in pe[:, j]]) for j in dims],
                 xlabel=POSITION, ylabel="PE")
    curve = Plot({"en": f"PE({p})·PE({p} + k) against the distance k",
                  "zh": f"PE({p})·PE({p} + k) 随距离 k 的变化"},
                 [Series(DOT, [float(k) for k in dist], [float(s) for s in sim])],
                 xlabel={"en": "distance k", "zh": "距离 k"}, ylabel=DOT)
    metrics = {"self_similarity": float(sim[0]), "neighbour_similarity":
               float(sim[1]) if len(sim) > 1 else float(sim[0]),
               "far_similarity": float(sim[-1]), "shift_spread": spread}
    slowest = 2 * np.pi * 10000 ** (2 * ((d - 1) // 2) / d)  # wavelength of the last pair
    half_en = " = d/2 (each sin² + cos² pair is 1)" if d % 2 == 0 else ""
    half_zh = " = d/2（每对 sin² + cos² 为 1）" if d % 2 == 0 else ""
    en = [f"Dimension pair i has frequency 1/10000^(2i/d): dimension 0 repeats every 2π ≈ 6.3 "
          f"positions, dimension {d - 1} every {slowest:.3g}.",
          f"PE(p)·PE(p) = {sim[0]:.3g}{half_en}; one step away "
          f"{metrics['neighbour_similarity']:.3g}, at distance {len(sim) - 1}: "
          f"{metrics['far_similarity']:.3g}.",
          f"The dot product depends only on the distance: over all starts it varies by "
          f"{spread:.2g} (Σᵢ cos(ωᵢ·k), whatever p)" + (
              "." if d % 2 == 0 else "; an odd d ends with a lone sine, which depends on p.")]
    zh = [f"第 i 对维度的频率为 1/10000^(2i/d)：第 0 维每 2π ≈ 6.3 个位置重复一次，"
          f"第 {d - 1} 维每 {slowest:.3g} 个位置。",
          f"PE(p)·PE(p) = {sim[0]:.3g}{half_zh}；相隔一步为 "
          f"{metrics['neighbour_similarity']:.3g}，相距 {len(sim) - 1} 时为 "
          f"{metrics['far_similarity']:.3g}。",
          f"点积只取决于距离：从不同起点算，相差不超过 {spread:.2g}"
          "（即 Σᵢ cos(ωᵢ·k)，与 p 无关）" + (
              "。" if d % 2 == 0 else "；d 为奇数时最后多出一个单独的 sin 维，它与 p 有关。")]
    if int(values["position"]) > p:
        en.append(f"Reference position {values['position']} leaves no later position in a "
                  f"sequence of {n}; using {p}.")
        zh.append(f"参考位置 {values['position']} 之后在长度为 {n} 的序列中没有位置可比；"
                  f"改用 {p}。")
    return Result(plots=[curve, waves], tables=[shades, heat, sims], notes={"en": en, "zh": zh},
                  metrics=metrics, labels=LABELS)


DEMO = Demo(
    name="positional-encoding",
    title={"en": "Sinusoidal positional encoding", "zh": "正弦位置编码"},
    knobs=KNOBS,
    run=run,
    kernels=(sinusoidal_positional_encoding,),
)
