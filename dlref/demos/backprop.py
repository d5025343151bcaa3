"""Backpropagation: a 2-layer MLP trained with full-batch gradient descent (with momentum).

Forward: linear_forward → activation → linear_forward → softmax cross-entropy. Backward: the
chain rule run in reverse through cross_entropy_grad, linear_backward and the activation's
`*_grad`; SGD (momentum 0.9 by default, 0 for plain gradient descent) applies the update. One
frame is one epoch (one full-batch gradient step).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import ACCURACY, ACTIVATION_NAMES, CLASS, DIVERGED, EPOCH, LOSS, TARGET
from dlref.nn import (
    SGD,
    calculate_gain,
    cross_entropy,
    cross_entropy_grad,
    linear_backward,
    linear_forward,
    relu_grad,
    sigmoid_grad,
    softmax,
    tanh_grad,
    xavier_uniform,
)
from dlref.nn.activations import ACTIVATIONS
from dlref.text.numbers import round_sig

ACT = ACTIVATIONS

KNOBS = (
    Knob("dataset", {"en": "dataset", "zh": "数据集"}, "choice", "xor",
         choices=("xor", "xor-noisy", "spirals"),
         choice_labels={"xor": "XOR", "xor-noisy": {"en": "noisy XOR", "zh": "带噪声的 XOR"},
                        "spirals": {"en": "two spirals", "zh": "双螺旋"}}),
    Knob("activation", {"en": "activation function", "zh": "激活函数"}, "choice", "tanh",
         choices=tuple(ACT), choice_labels=ACTIVATION_NAMES),
    Knob("hidden", {"en": "hidden units", "zh": "隐藏单元数"}, "int", 16, low=2, high=64),
    Knob("lr", {"en": "learning rate", "zh": "学习率"}, "float", 0.5, low=1e-4, high=20.0),
    Knob("momentum", {"en": "momentum", "zh": "动量"}, "float", 0.9, low=0.0, high=0.99),
    Knob("steps", {"en": "epochs (full-batch steps)", "zh": "迭代周期数（全批量梯度步）"},
         "int", 100, low=1, high=1000),
)
PREDICTED = {"en": "predicted", "zh": "预测"}
LABELS = {"epoch": EPOCH, "loss": LOSS, "accuracy": ACCURACY, "grad_norm_1": "‖∂L/∂W₁‖",
          "grad_norm_2": "‖∂L/∂W₂‖", "diverged": DIVERGED}


def dataset(name: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Inputs (N, 2) and int labels (N,)."""
    if name == "xor":
        x = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
        return x, np.array([0, 1, 1, 0])
    if name == "xor-noisy":  # 4 clusters of 16 at the corners of [−1, 1]², XOR-labelled
        corners = np.array([[-1.0, -1.0], [-1.0, 1.0], [1.0, -1.0], [1.0, 1.0]])
        which = np.repeat(np.arange(4), 16)
        x = corners[which] + rng.normal(0.0, 0.3, size=(64, 2))
        return x, np.array([0, 1, 1, 0])[which]
    # two interleaved spirals, 50 points each, 1.5 turns
    t = np.tile(np.linspace(0.15, 1.0, 50), 2)
    y = np.repeat([0, 1], 50)
    angle = 3.0 * np.pi * t + np.pi * y
    x = np.stack([t * np.cos(angle), t * np.sin(angle)], axis=1) * 2.0
    return x + rng.normal(0.0, 0.03, size=x.shape), y


@dataclass
class State:
    """Training so far: histories (one entry per step) and the latest forward pass."""

    x: np.ndarray
    y: np.ndarray
    step: int = 0
    steps: list[float] = field(default_factory=list)
    loss: list[float] = field(default_factory=list)
    accuracy: list[float] = field(default_factory=list)
    grad1: list[float] = field(default_factory=list)
    grad2: list[float] = field(default_factory=list)
    logits: np.ndarray | None = None  # output of the latest finite forward pass
    diverged: bool = False


def train(values: dict[str, Any], rng: np.random.Generator) -> Iterator[State]:
    """One State per epoch, after its forward/backward pass and update; stops on divergence."""
    x, y = dataset(values["dataset"], rng)
    f, df = ACT[values["activation"]]
    h = int(values["hidden"])
    gain = calculate_gain(values["activation"])
    w1 = xavier_uniform((h, 2), gain=gain, rng=rng)
    b1 = np.zeros(h)
    w2 = xavier_uniform((2, h), rng=rng)
    b2 = np.zeros(2)
    opt = SGD([w1, b1, w2, b2], lr=values["lr"], momentum=values["momentum"])
    state = State(x, y)
    for t in range(1, int(values["steps"]) + 1):
        g1 = g2 = float("nan")
        with np.errstate(all="ignore"):
            z1, cache1 = linear_forward(x, w1, b1)
            a1 = f(z1)
            logits, cache2 = linear_forward(a1, w2, b2)
            finite = bool(np.isfinite(logits).all())
            loss = cross_entropy(logits, y) if finite else float("nan")
            if finite:
                dlogits = cross_entropy_grad(logits, y)
                da1, dw2, db2 = linear_backward(dlogits, cache2)
                dz1 = da1 * df(z1)
                _, dw1, db1 = linear_backward(dz1, cache1)
                g1, g2 = math.sqrt(np.vdot(dw1, dw1)), math.sqrt(np.vdot(dw2, dw2))
        state.step = t
        if not (math.isfinite(loss) and math.isfinite(g1) and math.isfinite(g2)):
            state.diverged = True
            yield state
            return
        state.steps.append(float(t))
        state.loss.append(loss + 0.0)  # no −0
        state.accuracy.append(float(np.mean(np.argmax(logits, axis=1) == y)))
        state.grad1.append(g1)
        state.grad2.append(g2)
        state.logits = logits
        opt.step([dw1, db1, dw2, db2])
        yield state


def _result(state: State, values: dict[str, Any]) -> Result:
    x, y, steps = state.x, state.y, list(state.steps)
    plots = [
        Plot({"en": "training loss (cross-entropy)", "zh": "训练损失（交叉熵）"},
             [Series(LOSS, steps, list(state.loss))], xlabel=EPOCH, ylabel=LOSS),
        Plot({"en": "gradient norm per layer ‖∂L/∂W‖", "zh": "各层梯度范数 ‖∂L/∂W‖"},
             [Series({"en": "layer 1 (input→hidden)", "zh": "第 1 层（输入→隐藏）"}, steps,
                     list(state.grad1)),
              Series({"en": "layer 2 (hidden→output)", "zh": "第 2 层（隐藏→输出）"}, steps,
                     list(state.grad2))],
             xlabel=EPOCH, ylabel="‖∂L/∂W‖"),
    ]
    tables = []
    if state.logits is not None:
        prob = softmax(state.logits)
        pred = np.argmax(prob, axis=1)
        if values["dataset"] == "xor":
            tables.append(Table(
                {"en": "predictions on XOR", "zh": "XOR 上的预测"},
                ["x1", "x2", TARGET, {"en": "P(class 1)", "zh": "P(类别 1)"}, PREDICTED],
                [[int(a), int(b), int(t), round_sig(p), int(c)]
                 for (a, b), t, p, c in zip(x, y, prob[:, 1], pred, strict=True)]))
        else:
            plots.append(Plot(
                {"en": "data coloured by predicted class", "zh": "按预测类别着色的数据"},
                [Series({"en": f"predicted {k}", "zh": f"预测为 {k}"}, x[pred == k, 0].tolist(),
                        x[pred == k, 1].tolist()) for k in (0, 1)],
                xlabel="x1", ylabel="x2", kind="scatter"))
            tables.append(Table(
                {"en": "accuracy per class", "zh": "各类别的准确率"},
                [CLASS, {"en": "points", "zh": "点数"}, ACCURACY],
                [[k, int(np.sum(y == k)), round_sig(np.mean(pred[y == k] == k))] for k in (0, 1)]))

    metrics = {"epoch": float(state.step)}
    if state.loss:
        metrics |= {"loss": state.loss[-1], "accuracy": state.accuracy[-1],
                    "grad_norm_1": state.grad1[-1], "grad_norm_2": state.grad2[-1]}
    metrics["diverged"] = 1.0 if state.diverged else 0.0

    en = ["Each epoch runs forward (linear → activation → linear → softmax cross-entropy), then "
          "backward: ∂L/∂logits = softmax − one-hot, and each linear_backward passes the "
          "gradient down, multiplied by the activation's derivative in between."]
    zh = ["每个迭代周期先前向传播（线性层 → 激活函数 → 线性层 → softmax 交叉熵），再反向传播："
          "∂L/∂logits = softmax − 独热编码，每个 linear_backward 把梯度往下传，"
          "中间乘以激活函数的导数。"]
    if state.diverged:
        en.append(f"Training diverged at epoch {state.step} (non-finite loss or gradient): the "
                  f"learning rate {values['lr']:g} is too large. Stopped early.")
        zh.append(f"训练在第 {state.step} 个迭代周期发散（损失或梯度不是有限值）：学习率 "
                  f"{values['lr']:g} 太大，已中止训练。")
    elif state.loss:
        what_en, what_zh = (
            ("Two spirals need many hidden units and epochs",
             "双螺旋数据需要较多的隐藏单元和迭代周期")
            if values["dataset"] == "spirals" else
            ("XOR is not linearly separable", "XOR 不是线性可分的"))
        en.append(f"Loss {state.loss[0]:.3g} → {state.loss[-1]:.3g}, accuracy "
                  f"{state.accuracy[-1]:.0%}. {what_en}: the hidden layer bends the input space "
                  "so the output layer can split it with a line; with too few hidden units or a "
                  "small learning rate training stalls.")
        zh.append(f"损失 {state.loss[0]:.3g} → {state.loss[-1]:.3g}，准确率 "
                  f"{state.accuracy[-1]:.0%}。{what_zh}：隐藏层把输入空间“弯折”，输出层才能用"
                  "一条直线把它分开；隐藏单元太少或学习率太小时训练会停滞。")
        if len(state.loss) > 1 and state.loss[-1] > state.loss[0]:
            en.append(f"The loss went up: learning rate {values['lr']:g} overshoots, and the "
                      "units end up saturated or dead (a zero gradient cannot bring them back).")
            zh.append(f"损失反而上升了：学习率 {values['lr']:g} 步子太大，单元最终饱和或“死亡”"
                      "（梯度为零就再也救不回来）。")
    return Result(plots=plots, tables=tables, notes={"en": en, "zh": zh}, metrics=metrics,
                  step=state.step, labels=LABELS)


def frames(values: dict[str, Any], rng: np.random.Generator) -> Iterator[Result]:
    for state in train(values, rng):
        yield _result(state, values)


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    """The last frame (training exhausted without building the intermediate frames)."""
    last = None
    for last in train(values, rng):  # noqa: B007 - only the final state is shown
        pass
    return _result(last, values)


DEMO = Demo(
    name="backprop",
    title={"en": "Backpropagation: training a 2-layer MLP", "zh": "反向传播：训练两层多层感知机"},
    knobs=KNOBS,
    run=run,
    kernels=(linear_forward, linear_backward, cross_entropy, cross_entropy_grad, softmax,
             sigmoid_grad, tanh_grad, relu_grad, SGD, xavier_uniform),
    frames=frames,
)
