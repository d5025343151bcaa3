"""Activation functions: f(x) and its derivative f′(x) over an interval.

Shows the output range, where the function saturates (f′ ≈ 0 for large |x|: sigmoid, tanh) and
where it is dead (f′ = 0 exactly: ReLU for x < 0), using the dlref.nn kernels and their `*_grad`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import ACTIVATION_NAMES
from dlref.nn import (
    elu,
    elu_grad,
    gelu,
    gelu_grad,
    leaky_relu,
    leaky_relu_grad,
    prelu,
    prelu_grad,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    silu,
    silu_grad,
    tanh,
    tanh_grad,
)
from dlref.nn.activations import ACTIVATIONS as PLAIN
from dlref.text.numbers import round_sig

ACTIVATIONS = ("sigmoid", "tanh", "relu", "leaky_relu", "elu", "prelu", "gelu", "silu")
SATURATED = 0.01  # |f′| below this counts as saturated (but not dead)
SHOWN = ACTIVATION_NAMES

KNOBS = (
    Knob("activation", {"en": "activation function", "zh": "激活函数"}, "choice", "sigmoid",
         choices=ACTIVATIONS, choice_labels=SHOWN),
    Knob("xmin", {"en": "x from", "zh": "x 起点"}, "float", -6.0, low=-20.0, high=-0.5),
    Knob("xmax", {"en": "x to", "zh": "x 终点"}, "float", 6.0, low=0.5, high=20.0),
    Knob("negative_slope", {"en": "negative slope (leaky_relu; PReLU's learned a)",
                            "zh": "负半轴斜率（leaky_relu；PReLU 中可学习的 a）"},
         "float", 0.1, low=0.0, high=1.0),
    Knob("alpha", {"en": "ELU α", "zh": "ELU 的 α"}, "float", 1.0, low=0.0, high=3.0),
    Knob("points", {"en": "sample points", "zh": "采样点数"}, "int", 201, low=11, high=1001),
)


LABELS = {
    "f_min": {"en": "min f", "zh": "f 最小值"},
    "f_max": {"en": "max f", "zh": "f 最大值"},
    "grad_max": {"en": "max f′", "zh": "f′ 最大值"},
    "dead_fraction": {"en": "dead", "zh": "死区占比"},
    "saturated_fraction": {"en": "saturated", "zh": "饱和占比"},
}


def _functions(values: dict[str, Any]) -> tuple[Callable, Callable]:
    """f and f′ for the chosen activation, with its parameter bound."""
    name, slope, alpha = values["activation"], values["negative_slope"], values["alpha"]
    return {
        **PLAIN,
        "leaky_relu": (lambda x: leaky_relu(x, slope), lambda x: leaky_relu_grad(x, slope)),
        "elu": (lambda x: elu(x, alpha), lambda x: elu_grad(x, alpha)),
        "prelu": (lambda x: prelu(x, slope), lambda x: prelu_grad(x, slope)),
        "gelu": (gelu, gelu_grad),
        "silu": (silu, silu_grad),
    }[name]


def _notes(name: str, values: dict[str, Any]) -> tuple[list[str], list[str]]:
    slope, alpha = values["negative_slope"], values["alpha"]
    if name == "sigmoid":
        return (["Range (0, 1), centred at 0.5: σ(x) = 1 / (1 + e⁻ˣ).",
                 "σ′ is at most 0.25 (at x = 0) and vanishes for large |x|: saturated units pass "
                 "back almost no gradient, and stacking them shrinks the gradient layer by layer."],
                ["值域为 (0, 1)，以 0.5 为中心：σ(x) = 1 / (1 + e⁻ˣ)。",
                 "σ′ 最大只有 0.25（在 x = 0 处），|x| 很大时趋于 0：饱和的单元几乎不回传梯度，"
                 "层层相乘会导致梯度消失。"])
    if name == "tanh":
        return (["Range (−1, 1), zero-centred: tanh(x) = 2σ(2x) − 1.",
                 "tanh′ peaks at 1 (x = 0) but still saturates for large |x|."],
                ["值域为 (−1, 1)，以零为中心：tanh(x) = 2σ(2x) − 1。",
                 "tanh′ 在 x = 0 处最大为 1，但 |x| 很大时同样会饱和。"])
    if name == "relu":
        return (["Range [0, ∞): ReLU(x) = max(0, x); the gradient is exactly 1 for x > 0, so it "
                 "does not saturate on the positive side.",
                 "For x < 0 the output and the gradient are 0 (the dead region): a unit whose "
                 "input stays negative stops learning (“dying ReLU”)."],
                ["值域为 [0, ∞)：ReLU(x) = max(0, x)；x > 0 时梯度恒为 1，正半轴不会饱和。",
                 "x < 0 时输出和梯度都为 0（“死区”）：输入一直为负的单元不再学习"
                 "（ReLU 神经元“死亡”）。"])
    if name in ("leaky_relu", "prelu"):
        return _leaky_notes(name, slope)
    if name == "gelu":
        return (["GELU (Gaussian error linear unit) = x·Φ(x), Φ the standard normal CDF: the "
                 "input weighted by how likely "
                 "a standard normal is below it. Smooth, ≈ x for large x, ≈ 0 for very negative "
                 "x; the default in BERT and GPT.",
                 "Unlike ReLU it dips below 0 (minimum ≈ −0.17 at x ≈ −0.75, the one point where "
                 "its derivative is 0): no dead half-line, only a soft saturation."],
                ["GELU（高斯误差线性单元）= x·Φ(x)，Φ 为标准正态分布的累积分布函数：输入乘以"
                 "“标准正态变量小于它”"
                 "的概率。处处光滑，x 很大时 ≈ x，x 很负时 ≈ 0；BERT 和 GPT 的默认激活函数。",
                 "与 ReLU 不同，它会略低于 0（最小值约 −0.17，在 x ≈ −0.75 处，只有这一点导数为 "
                 "0）：没有整段的死区，只有软饱和。"])
    if name == "silu":
        return (["SiLU (sigmoid linear unit) = x·σ(x), Swish with β = 1: like GELU, a smooth "
                 "ReLU that lets a "
                 "little negative signal through; used in LLaMA's feed-forward layers (SwiGLU).",
                 "Minimum ≈ −0.278 at x ≈ −1.28; SiLU′(0) = 0.5, and past x ≈ 1.28 the slope "
                 "exceeds 1 (at most 1.10, near x ≈ 2.4) before settling to 1."],
                ["SiLU（sigmoid 线性单元）= x·σ(x)，即 β = 1 的 Swish：和 GELU 一样，是让少量"
                 "负信号通过的平滑 "
                 "ReLU；LLaMA 的前馈层（SwiGLU）用它。",
                 "最小值 ≈ −0.278（在 x ≈ −1.28 处）；SiLU′(0) = 0.5，x ≈ 1.28 之后斜率超过 1"
                 "（最大 1.10，在 x ≈ 2.4 附近），再趋于 1。"])
    return _elu_notes(alpha)

def _leaky_notes(name: str, slope: float) -> tuple[list[str], list[str]]:
    """Leaky ReLU's or PReLU's notes for its negative slope. Slope 0 is ReLU itself (its dead
    half-line is back) and slope 1 the identity, so neither is described as a small slope."""
    learned_en = (" In PReLU the slope a is a learned parameter (PyTorch starts it at 0.25)."
                  if name == "prelu" else " PyTorch's default slope is 0.01.")
    learned_zh = ("PReLU 中斜率 a 是可学习的参数（PyTorch 初始化为 0.25）。"
                  if name == "prelu" else "PyTorch 的默认斜率是 0.01。")
    if slope == 0.0:
        return (["With slope 0 for x < 0 this is exactly ReLU: negative inputs give output 0 and "
                 "gradient 0, so the dead region is back." + learned_en],
                ["x < 0 时斜率为 0，这就是 ReLU：负输入的输出和梯度都为 0，死区又出现了。"
                 + learned_zh])
    if slope == 1.0:
        return (["With slope 1 for x < 0 the function is the identity f(x) = x: no dead region, "
                 "but no non-linearity either, so stacked layers collapse into one linear map."
                 + learned_en],
                ["x < 0 时斜率为 1，函数就是恒等映射 f(x) = x：没有死区，但也没有了非线性，"
                 "多层叠加后等于一个线性映射。" + learned_zh])
    return ([f"Like ReLU for x > 0, but a small slope {slope:g} for x < 0, so negative inputs "
             f"still pass gradient {slope:g} back: no dead region." + learned_en],
            [f"x > 0 时与 ReLU 相同，x < 0 时斜率为 {slope:g}，"
             f"负输入仍回传 {slope:g} 倍的梯度，不会出现死区。" + learned_zh])


def _elu_notes(alpha: float) -> tuple[list[str], list[str]]:
    """ELU's notes for its α. With α = 0 ELU is ReLU: its gradient for x < 0 is exactly 0, so
    the usual "never exactly 0" would be false."""
    if alpha == 0.0:
        return (["ELU: x for x > 0, α(eˣ − 1) for x < 0; with α = 0 this is exactly ReLU.",
                 "The gradient αeˣ is exactly 0 for x < 0 when α = 0: the dead region of ReLU "
                 "is back."],
                ["ELU：x > 0 时为 x，x < 0 时为 α(eˣ − 1)；α = 0 时它就是 ReLU。",
                 "α = 0 时 x < 0 处的梯度 αeˣ 恰好为 0：ReLU 的死区又出现了。"])
    return ([f"ELU: x for x > 0, α(eˣ − 1) for x < 0, smooth for α = 1 and bounded below by "
             f"−α = −{alpha:g}; outputs average closer to zero than ReLU's.",
             "The gradient αeˣ decays for very negative x (soft saturation) but is never "
             "exactly 0."],
            [f"ELU：x > 0 时为 x，x < 0 时为 α(eˣ − 1)；α = 1 时处处光滑，下界为 −α = −{alpha:g}；"
             "输出的均值比 ReLU 更接近零。",
             "x 很负时梯度 αeˣ 逐渐衰减（软饱和），但不会恰好为 0。"])


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    name = values["activation"]
    shown = SHOWN[name]
    f, df = _functions(values)
    x = np.linspace(values["xmin"], values["xmax"], int(values["points"]))
    y, dy = f(x), df(x)

    probes = [p for p in (values["xmin"], -2.0, -1.0, 0.0, 1.0, 2.0, values["xmax"])
              if values["xmin"] <= p <= values["xmax"]]
    probes = sorted(set(probes))
    py, pdy = f(np.array(probes)), df(np.array(probes))
    rows = [[round_sig(v) for v in vs] for vs in zip(probes, py, pdy, strict=True)]

    dead = float(np.mean(dy == 0.0))
    saturated = float(np.mean((np.abs(dy) < SATURATED) & (dy != 0.0)))
    en, zh = _notes(name, values)
    en.append(f"On [{values['xmin']:g}, {values['xmax']:g}]: f′ is exactly 0 on {dead:.0%} of the "
              f"points (dead) and below {SATURATED:g} on another {saturated:.0%} (saturated).")
    zh.append(f"在 [{values['xmin']:g}, {values['xmax']:g}] 上：{dead:.0%} 的点 f′ 恰好为 0"
              f"（死区），另有 {saturated:.0%} 的点 f′ 小于 {SATURATED:g}（饱和）。")

    return Result(
        plots=[Plot({"en": f"{shown} and its derivative", "zh": f"{shown} 及其导数"},
                    [Series(f"{shown}(x)", x.tolist(), y.tolist()),
                     Series(f"{shown}′(x)", x.tolist(), dy.tolist())],
                    xlabel="x", ylabel="y")],
        tables=[Table({"en": "values at a few points", "zh": "几个点上的取值"},
                      ["x", "f(x)", "f′(x)"], rows)],
        notes={"en": en, "zh": zh},
        metrics={"f_min": float(y.min()), "f_max": float(y.max()),
                 "grad_max": float(dy.max()), "dead_fraction": dead,
                 "saturated_fraction": saturated},
        labels=LABELS,
    )


DEMO = Demo(
    name="activations",
    title={"en": "Activation functions and their derivatives", "zh": "激活函数及其导数"},
    knobs=KNOBS,
    run=run,
    kernels=(sigmoid, sigmoid_grad, tanh, tanh_grad, relu, relu_grad, leaky_relu,
             leaky_relu_grad, elu, elu_grad, prelu, prelu_grad, gelu, gelu_grad, silu, silu_grad),
)
