"""Loss functions: MSE, MAE (L1) and binary cross-entropy as one prediction sweeps a range.

For one sample with target y the losses are L(ŷ) = (ŷ − y)², |ŷ − y| and
−[y log p + (1 − y) log(1 − p)]; the curves and their gradients come from dlref.nn's loss
kernels. For mse/mae the prediction sweeps [y − 2, y + 2]; for bce it is a probability sweeping
(0, 1), and mse/mae are drawn on the same axis for comparison.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import LOSS
from dlref.demos.terms import chosen as chosen_label
from dlref.nn import (
    binary_cross_entropy,
    binary_cross_entropy_grad,
    l1_loss,
    l1_loss_grad,
    mse_loss,
    mse_loss_grad,
)
from dlref.text.numbers import round_sig

LOSSES = {
    "mse": (mse_loss, mse_loss_grad),
    "mae": (l1_loss, l1_loss_grad),
    "bce": (binary_cross_entropy, binary_cross_entropy_grad),
}
EDGE = 1e-3  # the bce sweep covers [EDGE, 1 − EDGE]
PREDICTION = {"en": "prediction ŷ", "zh": "预测值 ŷ"}

KNOBS = (
    Knob("loss", {"en": "loss function", "zh": "损失函数"}, "choice", "mse",
         choices=tuple(LOSSES),
         choice_labels={"mse": {"en": "MSE", "zh": "均方误差"},
                        "mae": {"en": "MAE", "zh": "平均绝对误差"},
                        "bce": {"en": "BCE", "zh": "二元交叉熵"}}),
    Knob("target", {"en": "target y", "zh": "标签 y"}, "float", 1.0, low=0.0, high=1.0),
    Knob("pred", {"en": "prediction to inspect", "zh": "要查看的预测值"}, "float", 0.2,
         low=-1.0, high=2.0),
    Knob("points", {"en": "sample points", "zh": "采样点数"}, "int", 81, low=11, high=201),
)



def curve(name: str, preds: np.ndarray, target: float) -> tuple[np.ndarray, np.ndarray]:
    """Loss and dL/dŷ of a single sample at each prediction in `preds`.

    The kernels average over the batch, so each loss value is its own batch-of-1 kernel call;
    the gradients come from one call on the whole sweep (a batch of n), times n to undo the
    mean's 1/n.
    """
    f, df = LOSSES[name]
    t = np.array([target])
    values = np.array([f(np.array([p]), t) for p in preds])
    grads = df(preds, np.full(preds.shape, target)) * preds.size
    return values, grads


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    chosen, y, n = values["loss"], float(values["target"]), int(values["points"])
    if chosen == "bce":
        xs = np.linspace(EDGE, 1.0 - EDGE, n)
    else:
        xs = np.linspace(y - 2.0, y + 2.0, n)
    in_unit = (xs >= EDGE) & (xs <= 1.0 - EDGE)
    names = [chosen] + [k for k in LOSSES if k != chosen]
    loss_series, grad_series = [], []
    for name in names:
        sweep = xs if name != "bce" else xs[in_unit]
        if sweep.size == 0:
            continue
        v, g = curve(name, sweep, y)
        label = chosen_label(name) if name == chosen else name
        loss_series.append(Series(label, sweep.tolist(), v.tolist()))
        grad_series.append(Series(f"{name}: dL/dŷ", sweep.tolist(), g.tolist()))

    pred = float(values["pred"])
    clipped = chosen == "bce" and not 0.0 <= pred <= 1.0
    if clipped:
        pred = min(max(pred, 0.0), 1.0)
    values_at, grads_at = curve(chosen, np.array([pred]), y)
    at_pred, grad_at_pred = float(values_at[0]) + 0.0, float(grads_at[0]) + 0.0  # no −0

    probes = ([0.01, 0.1, 0.3, 0.5, 0.7, 0.9, 0.99] if chosen == "bce"
              else [y - 2.0, y - 1.0, y - 0.5, y - 0.1, y, y + 0.5, y + 2.0])
    rows = []
    for p in probes:
        row: list[Any] = [round_sig(p)]
        for name in LOSSES:
            if name == "bce" and not 0.0 <= p <= 1.0:
                row += ["—", "—"]
            else:
                v, g = curve(name, np.array([p]), y)
                row += [round_sig(v[0]), round_sig(g[0])]
        rows.append(row)

    en = {"mse": "MSE (ŷ − y)²: smooth, its gradient 2(ŷ − y) grows with the error, so large "
                 "errors (outliers) dominate training and the steps shrink near the target.",
          "mae": "MAE |ŷ − y|: its gradient is ±1 whatever the size of the error, so outliers "
                 "pull no harder than small errors (robust), but it is not differentiable at "
                 "ŷ = y and the step does not shrink there.",
          "bce": "BCE −[y log p + (1 − y) log(1 − p)] for a probability p: the loss and its "
                 "gradient blow up as p approaches the wrong end, so confident mistakes are "
                 "punished hard; with a sigmoid output the gradient wrt the logit is just p − y."}
    zh = {"mse": "均方误差 (ŷ − y)²：光滑，梯度 2(ŷ − y) 随误差增大，所以大误差（离群点）主导训练，"
                 "接近目标时步长自动变小。",
          "mae": "平均绝对误差 |ŷ − y|：不管误差多大梯度都是 ±1，离群点不会拉得更狠（更稳健），"
                 "但在 ŷ = y 处不可导，步长在那里也不会变小。",
          "bce": "二元交叉熵 −[y log p + (1 − y) log(1 − p)]，p 是概率：p 越接近错误的一端，损失"
                 "和梯度越是急剧增大，所以对“自信的错误”惩罚很重；配合 sigmoid 输出时，"
                 "对 logit 的梯度就是 p − y。"}
    notes_en = [en[chosen], f"At ŷ = {pred:g} (target {y:g}): {chosen} = {at_pred:.4g}, "
                            f"gradient {grad_at_pred:.4g}."]
    notes_zh = [zh[chosen], f"在 ŷ = {pred:g}（标签 {y:g}）处：{chosen} = {at_pred:.4g}，"
                            f"梯度为 {grad_at_pred:.4g}。"]
    if clipped:
        notes_en.append("BCE needs a probability, so the inspected prediction was clipped to "
                        "[0, 1].")
        notes_zh.append("BCE 的输入必须是概率，所以要查看的预测值被截断到 [0, 1]。")

    return Result(
        plots=[Plot({"en": f"loss of one sample vs its prediction (target {y:g})",
                     "zh": f"单个样本的损失随预测值的变化（标签 {y:g}）"},
                    loss_series, xlabel=PREDICTION, ylabel=LOSS),
               Plot({"en": "gradient dL/dŷ", "zh": "梯度 dL/dŷ"}, grad_series,
                    xlabel=PREDICTION, ylabel="dL/dŷ")],
        tables=[Table({"en": f"values at a few predictions (target {y:g})",
                       "zh": f"几个预测值处的取值（标签 {y:g}）"},
                      ["ŷ", "mse", "d mse", "mae", "d mae", "bce", "d bce"], rows)],
        notes={"en": notes_en, "zh": notes_zh},
        metrics={"loss": at_pred, "grad": grad_at_pred, "pred": pred,
                 "target": y},
        labels={"loss": LOSS, "grad": "dL/dŷ", "pred": "ŷ", "target": "y"},
    )


DEMO = Demo(
    name="losses",
    title={"en": "Loss functions and their gradients", "zh": "损失函数及其梯度"},
    knobs=KNOBS,
    run=run,
    kernels=(mse_loss, mse_loss_grad, l1_loss, l1_loss_grad, binary_cross_entropy,
             binary_cross_entropy_grad),
)
