"""Dropout: which units a seeded mask keeps, and why the kept ones are scaled by 1/(1 − p).

Inverted dropout (dropout_forward) zeroes each unit with probability p during training and scales
the survivors by 1/(1 − p), so the expected output equals the input and evaluation needs no change.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import MEAN
from dlref.nn import dropout_forward
from dlref.text.numbers import round_sig

POPULATION = 20_000  # units used to measure the kept fraction and the output means
SWEEP = [i / 10 for i in range(11)]
LABELS = {"kept_fraction": {"en": "kept fraction", "zh": "保留比例"},
          "train_mean": {"en": "train-mode mean", "zh": "训练模式均值"},
          "eval_mean": {"en": "eval-mode mean", "zh": "评估模式均值"},
          "unscaled_mean": {"en": "mean without rescale", "zh": "不缩放时的均值"},
          "scale": "1/(1 − p)"}

KNOBS = (
    Knob("p", {"en": "dropout probability p", "zh": "暂退概率 p"}, "float", 0.5, low=0.0,
         high=1.0),
    Knob("training", {"en": "training mode", "zh": "训练模式"}, "bool", True),
    Knob("size", {"en": "mask grid size", "zh": "掩码网格大小"}, "int", 8, low=2, high=12),
)



def _grid(a: np.ndarray) -> tuple[list[str], list[list[Any]]]:
    columns = [""] + [str(j) for j in range(a.shape[1])]
    return columns, [[str(i)] + [round_sig(v) for v in row] for i, row in enumerate(a)]


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    p, training, size = float(values["p"]), bool(values["training"]), int(values["size"])

    # A small grid of activations, shown before and after dropout, drawn as the many units
    # below are, so its mean is near the means they report.
    x = np.round(rng.uniform(0.5, 2.5, size=(size, size)), 1)
    y, cache = dropout_forward(x, p, training=training, rng=rng)
    kept = (cache != 0) if cache is not None else np.ones(x.shape, dtype=bool)
    mask = kept.astype(float)

    # Many units: the kept fraction and the mean output in train and eval mode.
    big = rng.uniform(0.5, 2.5, size=POPULATION)  # mean 1.5, so the plotted lines stay apart
    train_out, train_cache = dropout_forward(big, p, training=True, rng=rng)
    eval_out, _ = dropout_forward(big, p, training=False)
    keep_big = (train_cache != 0) if train_cache is not None else np.ones(POPULATION, bool)
    kept_fraction = float(np.mean(keep_big))
    unscaled_mean = float(np.mean(big * keep_big))  # dropping without the 1/(1 − p) rescale

    # Sweep p: measured mean of the train-mode output, with and without rescaling.
    sweep_big = big[:4000]
    scaled, unscaled, kept_frac = [], [], []
    for q in SWEEP:
        out, c = dropout_forward(sweep_big, q, training=True, rng=rng)
        k = (c != 0) if c is not None else np.ones(sweep_big.shape, bool)
        scaled.append(float(np.mean(out)))
        unscaled.append(float(np.mean(sweep_big * k)))
        kept_frac.append(float(np.mean(k)))
    in_mean = float(np.mean(sweep_big))

    mask_cols, mask_rows = _grid(mask)
    out_cols, out_rows = _grid(y)
    tables = [
        Table({"en": "input activations", "zh": "输入激活值"}, *_grid(x)),
        Table({"en": "mask (1 = kept, 0 = dropped)", "zh": "掩码（1 = 保留，0 = 丢弃）"},
              mask_cols, mask_rows),
        Table({"en": "output = input × mask / (1 − p)" if training else "output (eval: identity)",
               "zh": "输出 = 输入 × 掩码 / (1 − p)" if training else "输出（评估模式：原样输出）"},
              out_cols, out_rows),
    ]
    plot = Plot({"en": "mean output vs p (train mode)", "zh": "输出均值与 p（训练模式）"},
                [Series({"en": "inverted dropout (÷(1−p))", "zh": "倒置暂退法（÷(1−p)）"},
                        SWEEP, scaled),
                 Series({"en": "no rescaling", "zh": "不缩放"}, SWEEP, unscaled),
                 Series({"en": "eval / input mean", "zh": "评估模式 / 输入均值"}, SWEEP,
                        [in_mean] * len(SWEEP)),
                 Series(LABELS["kept_fraction"], SWEEP, kept_frac)],
                xlabel="p", ylabel=MEAN)

    metrics = {"p": p, "kept_fraction": kept_fraction,
               "train_mean": float(np.mean(train_out)), "eval_mean": float(np.mean(eval_out)),
               "unscaled_mean": unscaled_mean}
    if p < 1:
        metrics["scale"] = 1.0 / (1.0 - p)

    if not training:
        en = ["Evaluation mode: dropout is the identity, nothing is dropped or scaled (the output "
              "table equals the input).",
              f"In training mode with p = {p:g} a unit would be kept with probability {1 - p:g}."]
        zh = ["评估模式下暂退法什么也不做：不丢弃也不缩放（输出表与输入相同）。",
              f"训练模式下，p = {p:g} 时每个单元以 {1 - p:g} 的概率被保留。"]
    elif p == 0:
        en = ["p = 0 drops nothing: every unit is kept and 1/(1 − p) = 1, so dropout is the "
              "identity in training as in evaluation."]
        zh = ["p = 0 时什么也不丢弃：所有单元都保留，1/(1 − p) = 1，所以暂退法在训练和评估时都原样"
              "输出。"]
    elif p == 1:
        en = ["p = 1 drops every unit: the output is all zeros and 1/(1 − p) is undefined, so no "
              "scaling is applied (as PyTorch). Nothing can be learned through this layer."]
        zh = ["p = 1 时所有单元都被丢弃：输出全为 0，1/(1 − p) 无定义，因此不缩放"
              "（与 PyTorch 一致）。信息无法穿过这一层。"]
    else:
        en = [f"Kept {kept_fraction:.1%} of {POPULATION} units (expected {1 - p:.0%}); survivors "
              f"are multiplied by 1/(1 − p) = {1 / (1 - p):.4g}.",
              f"Train-mode mean {np.mean(train_out):.3f} ≈ eval mean {np.mean(eval_out):.3f}: "
              f"inverted dropout preserves the expectation. Without the rescale it would be "
              f"{unscaled_mean:.3f}, shrinking by (1 − p)."]
        zh = [f"{POPULATION} 个单元中保留了 {kept_fraction:.1%}（期望 {1 - p:.0%}）；"
              f"保留下来的值乘以 1/(1 − p) = {1 / (1 - p):.4g}。",
              f"训练模式均值 {np.mean(train_out):.3f} ≈ 评估模式均值 {np.mean(eval_out):.3f}："
              f"这种“倒置”暂退法保持期望不变。若不缩放，均值会变成 {unscaled_mean:.3f}，"
              f"即缩小为 (1 − p) 倍。"]
    return Result(plots=[plot], tables=tables, notes={"en": en, "zh": zh}, metrics=metrics,
                  labels=LABELS)


DEMO = Demo(
    name="dropout",
    title={"en": "Dropout: random masks and the 1/(1 − p) rescale",
           "zh": "暂退法：随机掩码与 1/(1 − p) 缩放"},
    knobs=KNOBS,
    run=run,
    kernels=(dropout_forward,),
)
