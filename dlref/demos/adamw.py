"""AdamW against Adam + L2: weight decay on weights whose gradients have different scales.

Three weights start at 0 and are pulled towards 1 by the loss L = Σᵢ sᵢ·(wᵢ − 1)² / 2 with
gradient scales s = (1/scale, 1, scale). "Adam + L2" adds λ·w to the gradient (what
torch.optim.Adam(weight_decay=λ) does); AdamW shrinks w by lr·λ·w outside the adaptive step.
Optional gradient noise is added as sᵢ·noise·N(0, 1), the same draws for both optimisers.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import STEP
from dlref.nn import Adam, AdamW
from dlref.text.numbers import round_sig

SIZES = ({"en": "small", "zh": "小"}, {"en": "medium", "zh": "中"}, {"en": "large", "zh": "大"})
LABELS = {"adam_l2_spread": {"en": "Adam + L2: spread of the final weights",
                             "zh": "Adam + L2：最终权重的极差"},
          "adamw_spread": {"en": "AdamW: spread of the final weights",
                           "zh": "AdamW：最终权重的极差"},
          "adam_l2_small": {"en": "Adam + L2: weight with small s", "zh": "Adam + L2：s 小的权重"},
          "adamw_small": {"en": "AdamW: weight with small s", "zh": "AdamW：s 小的权重"},
          "adam_l2_large": {"en": "Adam + L2: weight with large s", "zh": "Adam + L2：s 大的权重"},
          "adamw_large": {"en": "AdamW: weight with large s", "zh": "AdamW：s 大的权重"}}

KNOBS = (
    Knob("weight_decay", {"en": "weight decay λ", "zh": "权重衰减 λ"}, "float", 0.1, low=0.0,
         high=1.0),
    Knob("scale", {"en": "gradient scale spread", "zh": "梯度尺度差异"}, "float", 100.0,
         low=1.0, high=10000.0),
    Knob("lr", {"en": "learning rate", "zh": "学习率"}, "float", 0.05, low=0.001, high=0.5),
    Knob("steps", {"en": "steps", "zh": "迭代步数"}, "int", 200, low=10, high=1000),
    Knob("noise", {"en": "gradient noise", "zh": "梯度噪声"}, "float", 0.0, low=0.0, high=2.0),
)


def trajectories(values: dict[str, Any],
                 rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scales s and the weights after each step (steps × 3) for Adam + L2 and for AdamW."""
    lam, lr, steps = float(values["weight_decay"]), float(values["lr"]), int(values["steps"])
    s = np.array([1.0 / float(values["scale"]), 1.0, float(values["scale"])])
    a, w = np.zeros(3), np.zeros(3)
    adam, adamw = Adam([a], lr=lr), AdamW([w], lr=lr, weight_decay=lam)
    noise = float(values["noise"]) * rng.standard_normal((steps, 3))
    path_a, path_w = np.empty((steps, 3)), np.empty((steps, 3))
    for t in range(steps):
        adam.step([s * (a - 1.0 + noise[t]) + lam * a])  # L2: λw joins the gradient
        adamw.step([s * (w - 1.0 + noise[t])])  # decoupled: the decay is AdamW's own
        path_a[t], path_w[t] = a, w
    return s, path_a, path_w


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    lam = float(values["weight_decay"])
    s, path_a, path_w = trajectories(values, rng)
    steps = [float(t) for t in range(1, len(path_a) + 1)]
    series = []
    for k, size in enumerate(SIZES):
        series.append(Series({"en": f"Adam+L2, {size['en']} s", "zh": f"Adam+L2，s {size['zh']}"},
                             steps, path_a[:, k].tolist()))
        series.append(Series({"en": f"AdamW, {size['en']} s", "zh": f"AdamW，s {size['zh']}"},
                             steps, path_w[:, k].tolist()))
    plot = Plot({"en": "weights per step: Adam + L2 vs AdamW (no decay would end at 1)",
                 "zh": "每一步的权重：Adam + L2 与 AdamW（不衰减时会收敛到 1）"},
                series, xlabel=STEP, ylabel="w")
    l2_opt = s / (s + lam)
    end_a, end_w = path_a[-1], path_w[-1]
    table = Table({"en": f"final weights (λ = {lam:g})", "zh": f"最终权重（λ = {lam:g}）"},
                  [{"en": "gradient scale s", "zh": "梯度尺度 s"}, "Adam + L2", "AdamW",
                   {"en": "L2 optimum s/(s+λ)", "zh": "L2 最优值 s/(s+λ)"}],
                  [[round_sig(s[k]), float(end_a[k]), float(end_w[k]), float(l2_opt[k])]
                   for k in range(3)])
    spread_a, spread_w = float(np.ptp(end_a)), float(np.ptp(end_w))
    there = bool(np.max(np.abs(end_a - l2_opt)) <= 0.02)  # converged: the claim below holds
    steps_n, lr = len(path_a), float(values["lr"])
    ends_en = ("the ends follow the L2 optimum s/(s+λ)." if there else
               f"they head for the L2 optimum s/(s+λ), not reached after {steps_n} steps at "
               f"lr = {lr:g} (more steps, a larger lr or less noise get closer).")
    ends_zh = ("终点跟随 L2 的最优值 s/(s+λ)。" if there else
               f"它们朝 L2 的最优值 s/(s+λ) 走，但在学习率 {lr:g} 下走了 {steps_n} 步还没到"
               "（更多步数、更大的学习率或更小的噪声会更接近）。")
    en = [f"Adam + L2 ends at {np.round(end_a, 3).tolist()}, AdamW at "
          f"{np.round(end_w, 3).tolist()} (spread {spread_a:.3f} vs {spread_w:.3f}).",
          "With L2 the decay λw is part of the gradient, so Adam divides it by √v̂ like the rest: "
          "a weight with small gradients (small s) is shrunk hard, one with large gradients "
          "hardly at all — " + ends_en,
          "AdamW applies w ← w − lr·λ·w outside the adaptive step, so every weight decays at "
          "the same rate whatever its gradient scale; that is why Adam with L2 is not AdamW."]
    zh = [f"Adam + L2 最终为 {np.round(end_a, 3).tolist()}，AdamW 为 "
          f"{np.round(end_w, 3).tolist()}（极差分别为 {spread_a:.3f} 和 {spread_w:.3f}）。",
          "L2 把衰减项 λw 加进梯度，于是 Adam 也把它除以 √v̂：梯度小（s 小）的权重被强烈压缩，"
          "梯度大的几乎不受影响——" + ends_zh,
          "AdamW 在自适应步之外执行 w ← w − lr·λ·w，所以每个权重无论梯度尺度如何都以相同速率"
          "衰减；这正是 Adam 加 L2 不等于 AdamW 的原因。"]
    if lam == 0.0:
        en.append("With λ = 0 the two are the same algorithm: the curves coincide.")
        zh.append("λ = 0 时两者是同一个算法：曲线完全重合。")
    return Result(plots=[plot], tables=[table], notes={"en": en, "zh": zh},
                  metrics={"adam_l2_spread": spread_a, "adamw_spread": spread_w,
                           "adam_l2_small": float(end_a[0]), "adamw_small": float(end_w[0]),
                           "adam_l2_large": float(end_a[2]), "adamw_large": float(end_w[2])},
                  labels=LABELS)


DEMO = Demo(
    name="adamw",
    title={"en": "AdamW vs Adam + L2: decoupled weight decay",
           "zh": "AdamW 与 Adam + L2：解耦的权重衰减"},
    knobs=KNOBS,
    run=run,
    kernels=(AdamW, Adam),
)
