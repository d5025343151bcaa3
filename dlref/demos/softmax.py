"""Softmax with temperature: p = softmax(z / T) over three logits, and the cross-entropy loss.

Shows the probabilities and the loss −log p_target for the chosen logits, the gradient
∂L/∂z = (p − one-hot) / T, and how the probabilities move from one-hot (T → 0) to uniform
(T → ∞) as the temperature sweeps [0.1, 10] on a log scale.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import CLASS, LOSS
from dlref.nn import cross_entropy, cross_entropy_grad, softmax
from dlref.text.numbers import round_sig

SWEEP = np.geomspace(0.1, 10.0, 61)
ONE_HOT = {"en": "one-hot target", "zh": "独热标签"}

KNOBS = (
    Knob("z1", {"en": "logit z₁", "zh": "未规范化的预测 z₁（logit）"}, "float", 2.0,
         low=-10.0, high=10.0),
    Knob("z2", {"en": "logit z₂", "zh": "未规范化的预测 z₂（logit）"}, "float", 1.0,
         low=-10.0, high=10.0),
    Knob("z3", {"en": "logit z₃", "zh": "未规范化的预测 z₃（logit）"}, "float", 0.1,
         low=-10.0, high=10.0),
    Knob("temperature", {"en": "temperature T", "zh": "温度 T"}, "float", 1.0, low=0.1,
         high=10.0),
    Knob("target", {"en": "true class", "zh": "真实类别"}, "int", 1, low=1, high=3),
)



def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    z = np.array([values["z1"], values["z2"], values["z3"]], dtype=float)
    temp, target = float(values["temperature"]), int(values["target"]) - 1
    scaled = z / temp
    p = softmax(scaled)
    loss = cross_entropy(scaled, np.int64(target))
    grad = cross_entropy_grad(scaled, np.int64(target)) / temp  # chain rule through z / T
    onehot = np.eye(3)[target]
    shifted = softmax((z + 100.0) / temp)  # adding a constant to every logit changes nothing
    entropy = float(-np.sum(p * np.log(np.maximum(p, 1e-300))))

    rows = [[f"{k + 1}", round_sig(z[k]), round_sig(scaled[k]), round_sig(p[k]), int(onehot[k]),
             round_sig(grad[k])] for k in range(3)]
    sweep = softmax(z[None, :] / SWEEP[:, None], axis=1)  # (61, 3): one row per temperature
    log_t = np.log10(SWEEP).tolist()
    en = [f"p = softmax(z / T) with T = {temp:g}: the probabilities are positive and sum to 1; "
          f"the true class {target + 1} gets p = {p[target]:.3g}, so the cross-entropy loss is "
          f"−log p = {loss:.4g}.",
          "Lower T sharpens the distribution towards the largest logit (one-hot as T → 0); "
          "higher T flattens it towards uniform (1/3 each). Adding the same constant to every "
          f"logit changes nothing (max difference after +100: {np.max(np.abs(shifted - p)):.1g}).",
          "The gradient ∂L/∂z = (p − one-hot) / T pushes the true class's logit up and the "
          "others down, in proportion to how wrong each probability is."]
    zh = [f"p = softmax(z / T)，T = {temp:g}：各概率为正且和为 1；真实类别 {target + 1} 的概率为 "
          f"{p[target]:.3g}，所以交叉熵损失 −log p = {loss:.4g}。",
          "T 越小分布越尖锐，趋向最大的 logit（T → 0 时变成独热）；T 越大分布越平坦，趋向均匀"
          "（各 1/3）。所有 logit 加同一个常数不改变结果"
          f"（加 100 后最大差异：{np.max(np.abs(shifted - p)):.1g}）。",
          "梯度 ∂L/∂z = (p − 独热编码) / T 把真实类别的 logit 往上推、其他类别往下推，"
          "力度与各概率的误差成正比。"]

    return Result(
        plots=[Plot({"en": "probabilities as the temperature sweeps (x = log₁₀ T)",
                     "zh": "概率随温度的变化（x = log₁₀ T）"},
                    [Series(f"p{k + 1}", log_t, sweep[:, k].tolist()) for k in range(3)],
                    xlabel="log10 T", ylabel={"en": "probability", "zh": "概率"})],
        tables=[Table({"en": f"softmax at T = {temp:g}", "zh": f"T = {temp:g} 时的 softmax"},
                      [CLASS, "z", "z / T", "p", ONE_HOT, "∂L/∂z"], rows)],
        notes={"en": en, "zh": zh},
        metrics={"loss": loss, "p_target": float(p[target]), "p_max": float(p.max()),
                 "predicted": float(np.argmax(p) + 1), "entropy": entropy},
        labels={"loss": LOSS, "p_target": {"en": "p of the true class", "zh": "真实类别的 p"},
                "p_max": {"en": "max p", "zh": "p 的最大值"},
                "predicted": {"en": "predicted class", "zh": "预测类别"},
                "entropy": {"en": "entropy", "zh": "熵"}},
    )


DEMO = Demo(
    name="softmax",
    title={"en": "Softmax, temperature and cross-entropy", "zh": "softmax、温度与交叉熵"},
    knobs=KNOBS,
    run=run,
    kernels=(softmax, cross_entropy, cross_entropy_grad),
)
