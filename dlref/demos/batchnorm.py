"""Batch normalisation: a small batch of shifted, scaled features before and after
batchnorm_forward, the running statistics it accumulates, and train- vs eval-mode outputs.

The batch size starts at 2: in training mode a single sample has no variance to normalise by
(PyTorch raises "Expected more than 1 value per channel"), so N = 1 is not offered.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import FEATURE
from dlref.i18n import plural_s
from dlref.nn import batchnorm_forward
from dlref.text.numbers import round_sig

KNOBS = (
    Knob("training", {"en": "training mode", "zh": "训练模式"}, "bool", True),
    Knob("batch_size", {"en": "batch size N (≥ 2)", "zh": "批量大小 N（≥ 2）"}, "int", 16,
         low=2, high=64),
    Knob("features", {"en": "features D", "zh": "特征数 D"}, "int", 4, low=3, high=8),
    Knob("shift", {"en": "feature shift (mean)", "zh": "特征平移（均值）"}, "float", 5.0,
         low=-20.0, high=20.0),
    Knob("scale", {"en": "feature scale (std)", "zh": "特征缩放（标准差）"}, "float", 3.0,
         low=0.1, high=20.0),
    Knob("momentum", {"en": "running-stat momentum", "zh": "移动平均动量"}, "float", 0.1,
         low=0.0, high=1.0),
    Knob("steps", {"en": "training batches seen before", "zh": "此前见过的训练批量数"}, "int", 20,
         low=0, high=100),
)

RUNNING_MEAN = {"en": "running mean", "zh": "移动平均均值"}
LABELS = {"out_mean_max_abs": {"en": "max |output mean|", "zh": "最大 |输出均值|"},
          "out_std_mean": {"en": "mean output std", "zh": "输出标准差的平均"},
          "train_eval_gap": {"en": "train–eval gap", "zh": "训练与评估输出之差"},
          "running_mean_error": {"en": "running-mean error", "zh": "移动平均均值的误差"},
          "updates": {"en": "running-stat updates", "zh": "统计量更新次数"}}


def population(d: int, shift: float, scale: float) -> tuple[np.ndarray, np.ndarray]:
    """Each feature's true mean and standard deviation: shifted and scaled differently."""
    j = np.arange(d)
    return shift + 2.0 * j - (d - 1), scale * (0.5 + j / (d - 1))


def _closer(momentum: float, lang: str) -> str:
    """What brings the running statistics closer to the true ones, for this momentum: more
    steps only when 0 < momentum < 1 (at 0 they never move, at 1 they are the last batch's)."""
    if momentum == 0:
        return {"en": "more steps do not help at momentum 0; a momentum above 0 lets them move.",
                "zh": "动量为 0 时增加步数也没用；动量大于 0 它们才会移动。"}[lang]
    if momentum == 1:
        return {"en": "at momentum 1 they are just the last batch's statistics, so more steps do "
                      "not help; a momentum below 1 averages over batches.",
                "zh": "动量为 1 时它们就是最后一个批量的统计量，增加步数也没用；动量小于 1 "
                      "才会在多个批量上取平均。"}[lang]
    return {"en": "more steps bring them closer.", "zh": "更多步数会让它们更接近。"}[lang]


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    training = bool(values["training"])
    n, d = int(values["batch_size"]), int(values["features"])
    shift, scale = float(values["shift"]), float(values["scale"])
    momentum, steps = float(values["momentum"]), int(values["steps"])
    mu, sigma = population(d, shift, scale)
    gamma, beta = np.ones(d), np.zeros(d)
    running_mean, running_var = np.zeros(d), np.ones(d)  # PyTorch's initial running statistics

    history = [running_mean.copy()]
    for _ in range(steps):  # earlier training batches: only their running-stat updates matter
        batch = mu + sigma * rng.standard_normal((n, d))
        batchnorm_forward(batch, gamma, beta, running_mean, running_var, training=True,
                          momentum=momentum)
        history.append(running_mean.copy())

    x = mu + sigma * rng.standard_normal((n, d))
    eval_out, _ = batchnorm_forward(x, gamma, beta, running_mean, running_var, training=False)
    stats_used = (running_mean.copy(), running_var.copy())
    if training:
        out, _ = batchnorm_forward(x, gamma, beta, running_mean, running_var, training=True,
                                   momentum=momentum)  # also one more running-stat update
        history.append(running_mean.copy())
        train_out = out
    else:
        out = eval_out
        scratch_mean, scratch_var = running_mean.copy(), running_var.copy()
        train_out, _ = batchnorm_forward(x, gamma, beta, scratch_mean, scratch_var,
                                         training=True, momentum=momentum)

    mode_en = "train mode (batch statistics)" if training else "eval mode (running statistics)"
    mode_zh = "训练模式（用本批量的统计量）" if training else "评估模式（用移动平均统计量）"
    per_feature = Table(
        {"en": f"per feature, this batch of {n}: before and after, {mode_en}",
         "zh": f"每个特征，本批量 {n} 个样本：规范化前后，{mode_zh}"},
        [FEATURE, {"en": "mean before", "zh": "规范化前均值"},
         {"en": "std before", "zh": "规范化前标准差"}, {"en": "mean after", "zh": "规范化后均值"},
         {"en": "std after", "zh": "规范化后标准差"}],
        [[j, *(round_sig(v) for v in (x[:, j].mean(), x[:, j].std(), out[:, j].mean(),
                                       out[:, j].std()))] for j in range(d)])
    running = Table(
        {"en": f"running statistics after {len(history) - 1} "
               f"update{plural_s(len(history) - 1)}, momentum {momentum:g}",
         "zh": f"{len(history) - 1} 次更新后的移动平均统计量，动量 {momentum:g}"},
        [FEATURE, {"en": "true mean", "zh": "真实均值"}, RUNNING_MEAN,
         {"en": "true var", "zh": "真实方差"}, {"en": "running var", "zh": "移动平均方差"}],
        [[j, *(round_sig(v) for v in (mu[j], running_mean[j], sigma[j] ** 2, running_var[j]))]
         for j in range(d)])
    sample = Table(
        {"en": "sample 0: train-mode vs eval-mode output",
         "zh": "样本 0：训练模式与评估模式的输出"},
        [FEATURE, "x", {"en": "train (batch stats)", "zh": "训练（批量统计量）"},
         {"en": "eval (running stats)", "zh": "评估（移动平均统计量）"}],
        [[j, *(round_sig(v) for v in (x[0, j], train_out[0, j], eval_out[0, j]))]
         for j in range(d)])

    hist = np.array(history)
    plot = Plot({"en": "running mean per feature over training batches",
                 "zh": "各特征的移动平均均值随训练批量的变化"},
                [Series({"en": f"feature {j} (true {mu[j]:.3g})",
                         "zh": f"特征 {j}（真实值 {mu[j]:.3g}）"},
                        [float(t) for t in range(len(hist))], [float(v) for v in hist[:, j]])
                 for j in range(d)],
                xlabel={"en": "training batches", "zh": "训练批量数"}, ylabel=RUNNING_MEAN)

    gap = float(np.mean(np.abs(train_out - eval_out)))
    metrics = {"out_mean_max_abs": float(np.max(np.abs(out.mean(axis=0)))),
               "out_std_mean": float(np.mean(out.std(axis=0))),
               "train_eval_gap": gap,
               "running_mean_error": float(np.mean(np.abs(stats_used[0] - mu))),
               "updates": float(len(history) - 1)}

    if training:
        en = [f"Train mode: each feature is normalised with this batch's own mean and variance, so "
              f"after it every feature has mean ≈ 0 and std ≈ 1 (γ = 1, β = 0), whatever the "
              f"shift ({shift:g}) and scale ({scale:g}).",
              "Each training call also updates the running statistics in place: "
              f"r ← (1 − {momentum:g})·r + {momentum:g}·batch statistic (unbiased variance)."]
        zh = [f"训练模式：每个特征用本批量自己的均值和方差规范化，因此无论平移（{shift:g}）和缩放"
              f"（{scale:g}）多大，规范化后每个特征的均值 ≈ 0、标准差 ≈ 1（γ = 1，β = 0）。",
              "每次训练调用还会原地更新移动平均统计量："
              f"r ← (1 − {momentum:g})·r + {momentum:g}·本批量统计量（方差取无偏估计）。"]
    else:
        en = ["Eval mode: the batch's own statistics are ignored; the running mean and variance "
              "learned during training are used, so one sample's output does not depend on the "
              "rest of the batch.",
              f"After {steps} training batch{'es' * (steps != 1)} the running mean is off by "
              f"{metrics['running_mean_error']:.3g} on average, so the outputs are only roughly "
              f"normalised; {_closer(momentum, 'en')}"]
        zh = ["评估模式：不用本批量的统计量，而用训练时累积的移动平均均值和方差，因此某个样本的输出"
              "与同批量的其他样本无关。",
              f"经过 {steps} 个训练批量后，移动平均均值平均偏差 "
              f"{metrics['running_mean_error']:.3g}，"
              f"所以输出只是大致规范化；{_closer(momentum, 'zh')}"]
    if momentum == 0:
        en.append("Momentum 0: the running statistics never move from their start (mean 0, var 1).")
        zh.append("动量为 0：移动平均统计量始终停在初始值（均值 0，方差 1）。")
    elif n == 2:
        en.append("N = 2 is the smallest batch allowed: with N = 1 the batch variance is 0 and "
                  "training-mode batch normalisation is undefined (PyTorch raises an error).")
        zh.append("N = 2 是允许的最小批量：N = 1 时批量方差为 0，训练模式下的批量规范化没有意义"
                  "（PyTorch 会报错）。")
    return Result(plots=[plot], tables=[per_feature, running, sample],
                  notes={"en": en, "zh": zh}, metrics=metrics, labels=LABELS)


DEMO = Demo(
    name="batchnorm",
    title={"en": "Batch normalisation: batch statistics vs running statistics",
           "zh": "批量规范化：批量统计量与移动平均统计量"},
    knobs=KNOBS,
    run=run,
    kernels=(batchnorm_forward,),
)
