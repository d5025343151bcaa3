"""Residual vs plain deep networks: the gradient's norm at every layer.

Plain: h_{l+1} = φ(W_l h_l). Residual: h_{l+1} = h_l + φ(W_l h_l). Backwards the plain layer
multiplies the gradient by diag(φ′) W_l each time, so it shrinks (or grows) geometrically with
depth; the residual layer's Jacobian is I + diag(φ′) W_l, whose identity carries the gradient
back unchanged however deep. With the same weights for both, only the skip connection differs.
`layer_norm` normalises each block's input (pre-norm, as in Transformers).
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import ACTIVATION_NAMES, GRAD_NORM, LAYER
from dlref.nn import layer_norm_backward, layer_norm_forward, relu_grad, sigmoid_grad, tanh_grad
from dlref.nn.activations import ACTIVATIONS
from dlref.text.numbers import fmt_num, round_sig

WIDTH, BATCH = 16, 32
PLAIN = {"en": "plain", "zh": "无残差连接"}
RESIDUAL = {"en": "residual", "zh": "有残差连接"}
LABELS = {"plain_input_grad": {"en": "gradient norm at the input, plain",
                               "zh": "输入处的梯度范数（无残差连接）"},
          "residual_input_grad": {"en": "gradient norm at the input, residual",
                                  "zh": "输入处的梯度范数（有残差连接）"},
          "residual_output_max": {"en": "largest |activation| at the top, residual",
                                  "zh": "顶层激活值绝对值的最大值（有残差连接）"}}

KNOBS = (
    Knob("depth", {"en": "layers", "zh": "层数"}, "int", 20, low=2, high=60),
    Knob("activation", {"en": "activation function", "zh": "激活函数"}, "choice", "sigmoid",
         choices=("sigmoid", "tanh", "relu"), choice_labels=ACTIVATION_NAMES),
    Knob("weight_scale", {"en": "weight scale (× 1/√width)", "zh": "权重尺度（× 1/√宽度）"},
         "float", 1.0, low=0.1, high=3.0),
    Knob("layer_norm", {"en": "layer norm before each block (pre-norm)",
                        "zh": "每块之前做层规范化（前置规范化）"}, "bool", False),
)


def _grad_norms(weights: list[np.ndarray], x: np.ndarray, g_top: np.ndarray, act: str,
                norm: bool) -> tuple[np.ndarray, np.ndarray]:
    """‖∂L/∂h_l‖ for l = 0 … depth (L = Σ g_top ⊙ h_depth) of the plain net (row 0) and the
    residual net (row 1), run side by side with the same weights: h ← skip·h + φ(W u) with
    skip = 0 or 1, u = h or LayerNorm(h). Also max |h_depth| of each."""
    f, df = ACTIVATIONS[act]
    skip = np.array([0.0, 1.0])[:, None, None]
    one, zero = np.ones(WIDTH), np.zeros(WIDTH)
    h, caches = np.stack([x, x]), []
    for w in weights:
        u, ln = layer_norm_forward(h, one, zero) if norm else (h, None)
        z = u @ w.T
        caches.append((ln, z))
        h = skip * h + f(z)
    g = np.stack([g_top, g_top])
    norms = [np.linalg.norm(g, axis=(1, 2))]
    for w, (ln, z) in zip(reversed(weights), reversed(caches), strict=True):
        du = (g * df(z)) @ w  # back through φ(W u)
        if norm:
            du = layer_norm_backward(du, ln)[0]
        g = skip * g + du  # the skip adds the gradient that arrived, unchanged
        norms.append(np.linalg.norm(g, axis=(1, 2)))
    return np.array(norms[::-1]).T, np.abs(h).max(axis=(1, 2))


def _fmt(x: float) -> str:
    return fmt_num(float(x), 3)


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    depth, act = int(values["depth"]), values["activation"]
    unit = ACTIVATION_NAMES[act]  # as a learner reads it: ReLU, not relu
    scale, norm = float(values["weight_scale"]), bool(values["layer_norm"])
    weights = [rng.standard_normal((WIDTH, WIDTH)) * scale / math.sqrt(WIDTH)
               for _ in range(depth)]
    x = rng.standard_normal((BATCH, WIDTH))
    g_top = rng.standard_normal((BATCH, WIDTH))
    g_top /= np.linalg.norm(g_top)  # ‖∂L/∂h_depth‖ = 1
    with np.errstate(over="ignore", invalid="ignore"):
        (plain, resid), (_, h_max) = _grad_norms(weights, x, g_top, act, norm)
    tiny = 1e-300  # log10 of a gradient that underflowed to 0
    layers = [float(layer) for layer in range(depth + 1)]
    plot = Plot({"en": "log₁₀ ‖∂L/∂h‖ at each layer (the loss is after the last)",
                 "zh": "各层的 log₁₀ ‖∂L/∂h‖（损失在最后一层之后）"},
                [Series(RESIDUAL, layers, [math.log10(max(v, tiny)) for v in resid]),
                 Series(PLAIN, layers, [math.log10(max(v, tiny)) for v in plain])],
                xlabel=LAYER, ylabel={code: f"log10 {GRAD_NORM[code]}" for code in GRAD_NORM})
    shown = sorted({0, 1, depth // 4, depth // 2, 3 * depth // 4, depth - 1, depth})
    table = Table({"en": "gradient norm ‖∂L/∂h_l‖ by layer (layer 0 = the input)",
                   "zh": "各层的梯度范数 ‖∂L/∂h_l‖（第 0 层为输入）"},
                  [LAYER, PLAIN, RESIDUAL],
                  [[layer, round_sig(plain[layer]), round_sig(resid[layer])] for layer in shown])
    metrics = {"plain_input_grad": float(plain[0]), "residual_input_grad": float(resid[0]),
               "residual_output_max": float(h_max)}
    if not all(math.isfinite(v) for v in metrics.values()):  # relu at scale 3, no norm
        metrics = {k: v for k, v in metrics.items() if math.isfinite(v)}
    en = [f"{depth} layers of {unit}, weights × {scale:g}/√{WIDTH}: at the input the gradient "
          f"norm is {_fmt(plain[0])} without skips and {_fmt(resid[0])} with them "
          f"(1 at the top).",
          "Each residual block passes the gradient back as g + (∂F/∂h)ᵀ g: the identity path "
          "delivers g unchanged, so it cannot vanish by multiplication."]
    zh = [f"{depth} 层 {unit}，权重 × {scale:g}/√{WIDTH}：在输入处，无残差连接的梯度范数为 "
          f"{_fmt(plain[0])}，有残差连接为 {_fmt(resid[0])}（顶层为 1）。",
          "每个残差块把梯度以 g + (∂F/∂h)ᵀ g 传回：恒等路径原样传递 g，"
          "不会因连乘而消失。"]
    if plain[0] < 1e-6:
        en.append(f"The plain net's gradient vanished: the first layers barely learn "
                  f"(×{_fmt(plain[0])}).")
        zh.append(f"无残差连接的网络梯度消失了：前面几层几乎学不到东西（×{_fmt(plain[0])}）。")
    if resid[0] > 100 or not math.isfinite(resid[0]):
        en.append(f"Skips do not make depth free: the branches add up, the activations reach "
                  f"{_fmt(h_max)} and the gradient grows. Turn on layer_norm or lower the scale.")
        zh.append(f"残差连接并不让深度变得免费：各分支不断累加，激活值达到 {_fmt(h_max)}，"
                  "梯度也随之增大。打开层规范化（layer_norm）或减小权重尺度。")
    return Result(plots=[plot], tables=[table], notes={"en": en, "zh": zh}, metrics=metrics,
                  labels=LABELS)


DEMO = Demo(
    name="residual",
    title={"en": "Residual connections: gradient norm per layer, with and without skips",
           "zh": "残差连接：有无跳跃连接时各层的梯度范数"},
    knobs=KNOBS,
    run=run,
    kernels=(layer_norm_forward, layer_norm_backward, sigmoid_grad, tanh_grad, relu_grad),
)
