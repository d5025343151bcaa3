"""Weight initialisation: the standard deviation of the activations, layer by layer.

A batch of N(0, 1) inputs goes forward through `depth` square linear layers (no bias) with tanh
or ReLU between them. Initialisers: normal = N(0, std²) (`std` knob; 1 and 0.01 are the classic
too-large and too-small choices), xavier = Xavier normal (gain 1: Var W = 2 / (fan_in + fan_out)),
kaiming = Kaiming normal (Var W = 2 / fan_in). The chosen one is drawn with the others for
comparison.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import ACTIVATION_NAMES, INIT_NAMES, LAYER
from dlref.demos.terms import chosen as chosen_label
from dlref.i18n import Text, pick
from dlref.nn import kaiming_normal, linear_forward, relu, tanh, xavier_normal
from dlref.nn.activations import ACTIVATIONS
from dlref.text.numbers import round_sig

ACT = {name: ACTIVATIONS[name][0] for name in ("tanh", "relu")}
BATCH = 64
TABLE_ROWS = 8

KNOBS = (
    Knob("init", {"en": "weight initialisation", "zh": "参数初始化"}, "choice", "xavier",
         choices=("normal", "xavier", "kaiming"), choice_labels=INIT_NAMES),
    Knob("activation", {"en": "activation function", "zh": "激活函数"}, "choice", "tanh",
         choices=tuple(ACT), choice_labels=ACTIVATION_NAMES),
    Knob("depth", {"en": "layers", "zh": "层数"}, "int", 20, low=2, high=50),
    Knob("width", {"en": "hidden units per layer", "zh": "每层隐藏单元数"}, "int", 32,
         low=8, high=64),
    Knob("std", {"en": "σ of the normal init", "zh": "正态初始化的标准差 σ"}, "float", 1.0,
         low=0.001, high=3.0),
)



def _weights(kind: str, std: float, shape: tuple[int, int],
             rng: np.random.Generator) -> np.ndarray:
    if kind == "normal":
        return rng.normal(0.0, std, size=shape)
    if kind == "xavier":
        return xavier_normal(shape, rng=rng)
    return kaiming_normal(shape, rng=rng)


def activation_stds(kind: str, std: float, values: dict[str, Any],
                    seed: int) -> list[float]:
    """Std of the activations after each layer, for one initialiser (weights from `seed`)."""
    rng = np.random.default_rng(seed)
    f, depth, width = ACT[values["activation"]], int(values["depth"]), int(values["width"])
    a = rng.normal(size=(BATCH, width))
    stds = []
    with np.errstate(all="ignore"):
        for _ in range(depth):
            z, _ = linear_forward(a, _weights(kind, std, (width, width), rng), None)
            a = f(z)
            stds.append(float(np.std(a)))
    return stds


def _key(c: tuple[str, float]) -> str:
    return f"std_last_normal_{c[1]:g}" if c[0] == "normal" else f"std_last_{c[0]}"


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    init, act, std = values["init"], values["activation"], float(values["std"])
    unit = ACTIVATION_NAMES[act]  # as a learner reads it: ReLU, not relu
    seed = int(rng.integers(2**32))  # every initialiser sees the same inputs
    chosen = ("normal", std) if init == "normal" else (init, 0.0)
    others = [c for c in (("normal", 1.0), ("normal", 0.01), ("xavier", 0.0), ("kaiming", 0.0))
              if c != chosen]

    def label(c: tuple[str, float]) -> Text:
        if c[0] == "normal":
            return {"en": f"normal σ={c[1]:g}", "zh": f"正态 σ={c[1]:g}"}
        return c[0].capitalize()  # Xavier, Kaiming

    curves = {c: activation_stds(c[0], c[1], values, seed) for c in [chosen, *others]}
    depth = int(values["depth"])
    layers = [float(k) for k in range(1, depth + 1)]
    series = []
    for c, stds in curves.items():
        logs = [float(np.log10(s)) if s > 0 and np.isfinite(s) else None for s in stds]
        if None in logs:  # cut at the first layer that died out or overflowed
            logs = logs[:logs.index(None)]
        name = chosen_label(label(c)) if c == chosen else label(c)
        series.append(Series(name, layers[:len(logs)], logs))

    mine = curves[chosen]
    last = mine[-1]
    picks = sorted({round(k) for k in np.linspace(0, depth - 1, min(depth, TABLE_ROWS))})
    table = Table({"en": "activation std by layer", "zh": "各层激活值的标准差"},
                  [LAYER, *[label(c) for c in curves]],
                  [[k + 1, *[round_sig(curves[c][k]) for c in curves]] for k in picks])

    en = [f"{pick(label(chosen), 'en')} with {unit}: activation std {mine[0]:.3g} after layer 1, "
          f"{last:.3g} after layer {depth}."]
    zh = [f"{pick(label(chosen), 'zh')}，激活函数 {unit}：第 1 层后激活值标准差为 {mine[0]:.3g}，"
          f"第 {depth} 层后为 {last:.3g}。"]
    if not np.isfinite(last) or last > 1e3:
        en.append("The activations explode: each layer multiplies their scale, so the weights "
                  "are too large for this depth.")
        zh.append("激活值爆炸：每一层都把尺度放大，对这个深度来说权重太大了。")
    elif last < 1e-3:
        en.append("The activations vanish: each layer shrinks them, so deep layers see almost "
                  "nothing and gradients vanish too.")
        zh.append("激活值消失：每一层都把尺度缩小，深层几乎收不到信号，梯度也会随之消失。")
    else:
        en.append("The scale stays in a usable range through the whole network.")
        zh.append("激活值的尺度在整个网络中都保持在合适的范围内。")
    en.append("Xavier keeps Var W = 2 / (fan_in + fan_out), which suits tanh (PyTorch also "
              "scales it by the gain 5/3 for tanh); Kaiming uses 2 / fan_in to make up for ReLU "
              "zeroing half its inputs.")
    zh.append("Xavier 初始化取 Var W = 2 / (fan_in + fan_out)，适合 tanh（PyTorch 对 tanh 还会再乘"
              "增益 5/3）；Kaiming 初始化取 2 / fan_in，以补偿 ReLU 把一半输入置零。")

    return Result(
        plots=[Plot({"en": "activation std per layer (log₁₀)",
                     "zh": "每层激活值的标准差（log₁₀）"},
                    series, xlabel=LAYER, ylabel={"en": "log10 std", "zh": "log10 标准差"})],
        tables=[table],
        notes={"en": en, "zh": zh},
        metrics={"std_first": mine[0], "std_last": last,
                 **{_key(c): s[-1] for c, s in curves.items() if c != chosen}},
        labels={"std_first": {"en": "std after layer 1", "zh": "第 1 层后的标准差"},
                "std_last": {"en": "std after the last layer", "zh": "末层后的标准差"},
                **{_key(c): {"en": f"last-layer std ({pick(label(c), 'en')})",
                             "zh": f"末层标准差（{pick(label(c), 'zh')}）"}
                   for c in curves if c != chosen}},
    )


DEMO = Demo(
    name="initialization",
    title={"en": "Weight initialisation and activation scale", "zh": "参数初始化与激活值的尺度"},
    knobs=KNOBS,
    run=run,
    kernels=(xavier_normal, kaiming_normal, linear_forward, tanh, relu),
)
