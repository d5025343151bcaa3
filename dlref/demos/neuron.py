"""A single artificial neuron y = f(w₁x₁ + w₂x₂ + b) on two binary inputs, against a logic gate.

The output is read as 1 when it is at least 0.5. With the step function this is the
McCulloch–Pitts neuron / perceptron; one neuron draws one straight line through the input plane,
so it can compute AND, OR and NAND but never XOR.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import ACTIVATION_NAMES, TARGET
from dlref.nn import linear_forward, relu, sigmoid
from dlref.text.numbers import round_sig

GATES = {"and": (0, 0, 0, 1), "or": (0, 1, 1, 1), "nand": (1, 1, 1, 0)}
WORKING = {"and": (1.0, 1.0, -1.5), "or": (1.0, 1.0, -0.5), "nand": (-1.0, -1.0, 1.5)}
INPUTS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
THRESHOLD = 0.5  # an output ≥ 0.5 is read as 1

KNOBS = (
    Knob("w1", {"en": "weight w₁", "zh": "权重 w₁"}, "float", 1.0, low=-5.0, high=5.0),
    Knob("w2", {"en": "weight w₂", "zh": "权重 w₂"}, "float", 1.0, low=-5.0, high=5.0),
    Knob("bias", {"en": "bias b", "zh": "偏置 b"}, "float", -1.5, low=-5.0, high=5.0),
    Knob("activation", {"en": "activation function", "zh": "激活函数"}, "choice", "step",
         choices=("step", "sigmoid", "relu"),
         choice_labels={"step": {"en": "step", "zh": "阶跃函数"}, **ACTIVATION_NAMES}),
    Knob("gate", {"en": "target gate", "zh": "目标逻辑门"}, "choice", "and",
         choices=("and", "or", "nand"), choice_labels={g: g.upper() for g in GATES}),
)

COLUMNS = ["x1", "x2", "z = w·x + b", {"en": "output", "zh": "输出"},
           {"en": "read as", "zh": "读作"}, TARGET, {"en": "ok", "zh": "正确"}]
LABELS = {"correct": {"en": "rows correct", "zh": "正确行数"},
          "matches": {"en": "all match", "zh": "全部正确"}}


def _activate(name: str, z: np.ndarray) -> np.ndarray:
    if name == "step":
        return np.where(z >= 0.0, 1.0, 0.0)  # Heaviside: fires when w·x ≥ −b
    return sigmoid(z) if name == "sigmoid" else relu(z)


def _boundary(w1: float, w2: float, b: float, z0: float) -> Series:
    """The line w₁x₁ + w₂x₂ + b = z0 (where the output crosses 0.5), clipped to the plot box."""
    lo, hi = -0.5, 1.5
    if w2 != 0.0:
        x1 = np.linspace(lo, hi, 41)
        x2 = (z0 - b - w1 * x1) / w2
        keep = (x2 >= lo) & (x2 <= hi)
        x1, x2 = x1[keep], x2[keep]
    elif w1 != 0.0:
        x2 = np.linspace(lo, hi, 41)
        x1 = np.full_like(x2, (z0 - b) / w1)
        if not lo <= x1[0] <= hi:
            x1, x2 = x1[:0], x2[:0]
    else:
        x1 = x2 = np.zeros(0)
    return Series({"en": "decision line", "zh": "决策边界"}, x1.tolist(), x2.tolist())


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    w1, w2, b = float(values["w1"]), float(values["w2"]), float(values["bias"])
    act, gate = values["activation"], values["gate"]
    z, _ = linear_forward(INPUTS, np.array([[w1, w2]]), np.array([b]))
    z = z[:, 0]
    out = _activate(act, z)
    pred = (out >= THRESHOLD).astype(int)
    target = np.array(GATES[gate])
    ok = pred == target
    correct = int(ok.sum())
    matches = correct == 4

    rows = [[int(x1), int(x2), round_sig(zi), round_sig(o), int(p), int(t), "✓" if good else "✗"]
            for (x1, x2), zi, o, p, t, good in zip(INPUTS, z, out, pred, target, ok, strict=True)]
    # output ≥ 0.5 ⇔ z ≥ 0 for step and sigmoid, z ≥ 0.5 for ReLU
    z0 = 0.5 if act == "relu" else 0.0
    ones = INPUTS[target == 1]
    zeros = INPUTS[target == 0]
    plot = Plot({"en": "input plane: targets and the neuron's decision line",
                 "zh": "输入平面：目标与神经元的决策边界"},
                [Series(f"{gate.upper()} = 1", ones[:, 0].tolist(), ones[:, 1].tolist()),
                 Series(f"{gate.upper()} = 0", zeros[:, 0].tolist(), zeros[:, 1].tolist()),
                 boundary := _boundary(w1, w2, b, z0)],
                xlabel="x1", ylabel="x2", kind="scatter")

    gw1, gw2, gb = WORKING[gate]
    if matches:
        en = [f"The neuron computes {gate.upper()}: all 4 rows match. It fires when "
              f"w₁x₁ + w₂x₂ ≥ {z0 - b:g}, a straight line through the input plane."]
        zh = [f"这个神经元实现了 {gate.upper()}：4 行全部正确。当 w₁x₁ + w₂x₂ ≥ {z0 - b:g} 时"
              "它被激活，决策边界是输入平面上的一条直线。"]
    else:
        en = [f"{correct} of 4 rows match {gate.upper()}. Try w₁ = {gw1:g}, w₂ = {gw2:g}, "
              f"b = {gb:g}."]
        zh = [f"{gate.upper()} 的 4 行中有 {correct} 行正确。可以试试 w₁ = {gw1:g}，"
              f"w₂ = {gw2:g}，b = {gb:g}。"]
    if not boundary.x:  # else the plot shows no line and says nothing of why
        en.append("With w₁ = w₂ = 0 there is no line: z = b for every input, so all four get "
                  "the same output." if w1 == w2 == 0.0 else
                  f"The line w₁x₁ + w₂x₂ = {z0 - b:g} passes outside the plotted square: all "
                  "four inputs lie on one side of it and get the same output.")
        zh.append("w₁ = w₂ = 0 时没有边界：每个输入的 z 都等于 b，四个输入的输出相同。"
                  if w1 == w2 == 0.0 else
                  f"直线 w₁x₁ + w₂x₂ = {z0 - b:g} 落在所画的方框之外：四个输入都在它的同一侧，"
                  "输出相同。")
    en.append("With the step function this is the McCulloch–Pitts neuron / perceptron. Its step "
              "has zero gradient almost everywhere, which is why trained networks use sigmoid "
              "or ReLU instead.")
    zh.append("用阶跃函数时，这就是 McCulloch–Pitts 神经元 / 感知机。阶跃函数几乎处处梯度为 0，"
              "所以需要训练的网络改用 sigmoid 或 ReLU。")
    en.append("XOR is not linearly separable: no single line splits {(0,1), (1,0)} from "
              "{(0,0), (1,1)}, so it needs a hidden layer (a multilayer perceptron).")
    zh.append("XOR 不是线性可分的：没有一条直线能把 {(0,1), (1,0)} 与 {(0,0), (1,1)} 分开，"
              "所以需要隐藏层（多层感知机）。")

    return Result(
        plots=[plot],
        tables=[Table({"en": f"truth table vs {gate.upper()}",
                       "zh": f"真值表与 {gate.upper()} 对比"},
                      COLUMNS, rows)],
        notes={"en": en, "zh": zh},
        metrics={"correct": float(correct), "matches": 1.0 if matches else 0.0},
        labels=LABELS,
    )


DEMO = Demo(
    name="neuron",
    title={"en": "A single neuron as a logic gate", "zh": "单个神经元实现逻辑门"},
    knobs=KNOBS,
    run=run,
    kernels=(linear_forward, sigmoid, relu),
)
