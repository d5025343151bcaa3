"""Vanishing and exploding gradients: one forward/backward pass through a deep MLP.

`depth` linear layers (width × width, the last one width → 10 classes) with the chosen activation
between them, on a random batch with random labels and a softmax cross-entropy loss. The
backward pass is the chain rule through linear_backward and the activation's `*_grad`; the demo
reports ‖∂L/∂W‖ per layer. Inits: normal = N(0, 1), xavier = Xavier normal (gain 1),
kaiming = Kaiming normal (fan_in); each is multiplied by weight_scale.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import ACTIVATION_NAMES, INIT_NAMES, LAYER, LOSS
from dlref.i18n import pick
from dlref.nn import (
    cross_entropy,
    cross_entropy_grad,
    kaiming_normal,
    linear_backward,
    linear_forward,
    relu_grad,
    sigmoid_grad,
    tanh_grad,
    xavier_normal,
)
from dlref.nn.activations import ACTIVATIONS
from dlref.text.numbers import round_sig
from dlref.text.paragraphs import join_lines

ACT = ACTIVATIONS
BATCH = 64
CLASSES = 10
TABLE_ROWS = 10
HUGE, TINY = 1e3, 1e-4  # gradient norms beyond these explode / vanish in every layer
LABELS = {"loss": LOSS,
          "grad_norm_first": {"en": "‖∂L/∂W‖ of layer 1", "zh": "第 1 层的 ‖∂L/∂W‖"},
          "grad_norm_last": {"en": "‖∂L/∂W‖ of the last layer", "zh": "末层的 ‖∂L/∂W‖"},
          "ratio_first_last": {"en": "first/last ratio", "zh": "首层/末层之比"},
          "overflow": {"en": "overflow", "zh": "溢出"}}

KNOBS = (
    Knob("activation", {"en": "activation function", "zh": "激活函数"}, "choice", "sigmoid",
         choices=tuple(ACT), choice_labels=ACTIVATION_NAMES),
    Knob("init", {"en": "weight initialisation", "zh": "参数初始化"}, "choice", "xavier",
         choices=("normal", "xavier", "kaiming"), choice_labels=INIT_NAMES),
    Knob("weight_scale", {"en": "weight scale (multiplier)", "zh": "权重缩放倍数"}, "float", 1.0,
         low=0.1, high=5.0),
    Knob("depth", {"en": "layers", "zh": "层数"}, "int", 10, low=2, high=30),
    Knob("width", {"en": "hidden units per layer", "zh": "每层隐藏单元数"}, "int", 32,
         low=8, high=64),
)



def init_weight(name: str, shape: tuple[int, int], rng: np.random.Generator) -> np.ndarray:
    if name == "normal":
        return rng.normal(0.0, 1.0, size=shape)
    if name == "xavier":
        return xavier_normal(shape, rng=rng)
    return kaiming_normal(shape, rng=rng)


def gradient_norms(values: dict[str, Any], rng: np.random.Generator) -> tuple[list[float], float]:
    """‖∂L/∂Wₗ‖ for layers 1..depth (input side first), and the loss."""
    f, df = ACT[values["activation"]]
    depth, width, scale = int(values["depth"]), int(values["width"]), values["weight_scale"]
    x = rng.normal(size=(BATCH, width))
    y = rng.integers(0, CLASSES, size=BATCH)
    caches, pre = [], []
    a = x
    with np.errstate(all="ignore"):
        for layer in range(depth):
            out = CLASSES if layer == depth - 1 else width
            w = scale * init_weight(values["init"], (out, width), rng)
            z, cache = linear_forward(a, w, np.zeros(out))
            caches.append(cache)
            if layer < depth - 1:
                pre.append(z)
                a = f(z)
        if not np.all(np.isfinite(z)):
            return [float("nan")] * depth, float("nan")
        loss = cross_entropy(z, y)
        grad = cross_entropy_grad(z, y)
        norms = []
        for layer in reversed(range(depth)):
            if layer < depth - 1:
                grad = grad * df(pre[layer])
            grad, dw, _ = linear_backward(grad, caches[layer])
            norms.append(float(np.linalg.norm(dw)))
    return norms[::-1], loss


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    act, init, scale = values["activation"], values["init"], values["weight_scale"]
    unit = ACTIVATION_NAMES[act]  # as a learner reads it: ReLU, not relu
    norms, loss = gradient_norms(values, rng)
    depth = len(norms)
    layers = [float(k) for k in range(1, depth + 1)]
    finite = all(np.isfinite(norms)) and all(n > 0 for n in norms)
    init_en = pick(INIT_NAMES[init], "en")
    init_zh = join_lines([pick(INIT_NAMES[init], "zh"), "初始化"])  # Xavier 初始化, 正态分布初始化
    en = [f"{unit} with {init_en} init × {scale:g}, {depth} layers: ‖∂L/∂W‖ per layer, layer 1 "
          "being next to the input. Backpropagation multiplies, layer by layer, by Wᵀ and by "
          "the activation's derivative."]
    zh = [f"{unit}，{init_zh} × {scale:g}，共 {depth} 层：每层的 ‖∂L/∂W‖，第 1 层最靠近输入。"
          "反向传播逐层乘以 Wᵀ 和激活函数的导数。"]
    if not finite:
        en.append("The forward pass overflowed or a gradient is zero or non-finite, so no "
                  "ratio can be shown: the weights are far too large or too small.")
        zh.append("前向传播溢出，或者梯度为零或不是有限值，无法给出比值：权重太大或太小。")
        return Result(notes={"en": en, "zh": zh},
                      metrics={"loss": loss, "ratio_first_last": float("nan"),
                               "overflow": 1.0}, labels=LABELS)
    ratio = norms[0] / norms[-1]
    log_norms = [float(np.log10(n)) for n in norms]
    if ratio < 1e-2:
        en.append(f"Vanishing gradient: the first layer's gradient is {ratio:.2g}× the last's, so "
                  "the layers near the input barely learn.")
        zh.append(f"梯度消失：第一层的梯度只有最后一层的 {ratio:.2g} 倍，靠近输入的层几乎学不动。")
    elif ratio > 1e2:
        en.append(f"Exploding gradient: the first layer's gradient is {ratio:.2g}× the last's; "
                  "a learning rate that suits one end is far too large for the other.")
        zh.append(f"梯度爆炸：第一层的梯度是最后一层的 {ratio:.2g} 倍；"
                  "适合一端的学习率对另一端来说就大得太多了。")
    elif max(norms) > HUGE:
        en.append(f"Exploding everywhere: every layer's gradient is large (up to {max(norms):.2g}) "
                  "because the activations already blew up in the forward pass; with ReLU all "
                  "layers scale together, so the first/last ratio alone looks harmless.")
        zh.append(f"处处爆炸：每层的梯度都很大（最大 {max(norms):.2g}），因为前向传播时激活值就已经"
                  "爆炸；ReLU 下各层一起放大，所以只看首末层之比会看不出来。")
    elif max(norms) < TINY:
        en.append(f"Vanishing everywhere: every layer's gradient is tiny (at most "
                  f"{max(norms):.2g}) because the signal already died out in the forward pass.")
        zh.append(f"处处消失：每层的梯度都极小（最大 {max(norms):.2g}），因为信号在前向传播时就已经"
                  "衰减没了。")
    else:
        en.append(f"Healthy flow: first/last gradient ratio {ratio:.3g}, within two orders of "
                  "magnitude.")
        zh.append(f"梯度传递正常：首层与末层梯度之比为 {ratio:.3g}，在两个数量级之内。")
    en.append("Sigmoid's derivative is at most 0.25, so each layer can shrink the gradient ×4; "
              "ReLU with Kaiming init keeps it steady; large weights (normal σ = 1) make it "
              "explode.")
    zh.append("sigmoid 的导数最大只有 0.25，每经过一层梯度可能缩小 4 倍；ReLU 配合 Kaiming 初始化"
              "能保持稳定；权重太大（正态 σ = 1）则会让梯度爆炸。")

    picks = sorted({round(k) for k in np.linspace(0, depth - 1, min(depth, TABLE_ROWS))})
    return Result(
        plots=[Plot({"en": "gradient norm per layer (log₁₀ ‖∂L/∂W‖)",
                     "zh": "各层梯度范数（log₁₀ ‖∂L/∂W‖）"},
                    [Series({"en": f"{unit}, {init_en} init", "zh": f"{unit}，{init_zh}"},
                            layers, log_norms)],
                    xlabel={"en": "layer (1 = input side)", "zh": "层（1 = 输入一侧）"},
                    ylabel="log10 ‖∂L/∂W‖")],
        tables=[Table({"en": "gradient norm by layer", "zh": "各层的梯度范数"},
                      [LAYER, "‖∂L/∂W‖", "log10"],
                      [[k + 1, round_sig(norms[k]), round_sig(log_norms[k])] for k in picks])],
        notes={"en": en, "zh": zh},
        metrics={"loss": loss, "grad_norm_first": norms[0], "grad_norm_last": norms[-1],
                 "ratio_first_last": ratio, "overflow": 0.0},
        labels=LABELS,
    )


DEMO = Demo(
    name="gradient-flow",
    title={"en": "Gradient flow through a deep network: vanishing and exploding",
           "zh": "深层网络中的梯度传递：梯度消失与梯度爆炸"},
    knobs=KNOBS,
    run=run,
    kernels=(linear_forward, linear_backward, cross_entropy, cross_entropy_grad, sigmoid_grad,
             tanh_grad, relu_grad, xavier_normal, kaiming_normal),
)
