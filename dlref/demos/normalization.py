"""Layer norm vs batch norm on the same (N, D) batch: which axis the statistics come from.

Layer norm takes μ and σ² over each sample's D features (a row), batch norm over the N samples
of each feature (a column). So layer norm works for N = 1, gives a sample the same output
whatever else is in the batch, and behaves the same at inference; batch norm needs N ≥ 2 in
training, couples the samples of a batch, and switches to running statistics at inference.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import BATCH_NORM, FEATURE, LAYER_NORM, MEAN, SAMPLE, STD, VALUE
from dlref.nn import batchnorm_forward, layer_norm_forward
from dlref.text.numbers import round_sig

SHOW = 8  # samples shown in the per-sample table
WARMUP = 30  # earlier training batches that fill batch norm's running statistics

KNOBS = (
    Knob("batch_size", {"en": "batch size N", "zh": "批量大小 N"}, "int", 8, low=1, high=64),
    Knob("features", {"en": "features D", "zh": "特征数 D"}, "int", 6, low=2, high=16),
    Knob("training", {"en": "training mode (off = inference)", "zh": "训练模式（关 = 推理）"},
         "bool", True),
    Knob("sample_spread", {"en": "how much samples differ in scale",
                           "zh": "样本之间尺度的差别"}, "float", 3.0, low=0.0, high=10.0),
)


NA = {"en": "n/a", "zh": "无"}
LABELS = {"ln_row_mean_max": {"en": "layer norm: largest |row mean|",
                              "zh": "层规范化：行均值绝对值的最大值"},
          "ln_row_std_mean": {"en": "layer norm: mean row std", "zh": "层规范化：行标准差的均值"},
          "ln_sample0_change": {"en": "layer norm: sample 0 moves by",
                                "zh": "层规范化：样本 0 的变化"},
          "bn_sample0_change": {"en": "batch norm: sample 0 moves by",
                                "zh": "批量规范化：样本 0 的变化"},
          "bn_col_mean_max": {"en": "batch norm: largest |column mean|",
                              "zh": "批量规范化：列均值绝对值的最大值"}}


def _stat(norm: dict[str, str], stat: dict[str, str]) -> dict[str, str]:
    """A column header such as `LN mean` / `层规范化均值`."""
    short = {"en": "LN" if norm is LAYER_NORM else "BN", "zh": norm["zh"]}
    return {"en": f"{short['en']} {stat['en']}", "zh": f"{short['zh']}{stat['zh']}"}


STAT_COLUMNS = [_stat(LAYER_NORM, MEAN), _stat(LAYER_NORM, STD), _stat(BATCH_NORM, MEAN),
                _stat(BATCH_NORM, STD)]


def _batch(rng: np.random.Generator, n: int, d: int, spread: float) -> np.ndarray:
    """Features with their own offsets (2j) and samples with their own scale (e^(spread·u))."""
    scale = np.exp(spread * rng.uniform(-0.5, 0.5, (n, 1)))
    return 2.0 * np.arange(d) + scale * rng.standard_normal((n, d))


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    n, d = int(values["batch_size"]), int(values["features"])
    training, spread = bool(values["training"]), float(values["sample_spread"])
    gamma, beta = np.ones(d), np.zeros(d)
    running_mean, running_var = np.zeros(d), np.ones(d)
    for _ in range(WARMUP):  # earlier training batches of 16
        batchnorm_forward(_batch(rng, 16, d, spread), gamma, beta, running_mean, running_var)
    x = _batch(rng, n, d, spread)
    other = np.vstack([x[:1], _batch(rng, max(n, 2) - 1, d, spread)])  # sample 0, new company

    ln, _ = layer_norm_forward(x, gamma, beta)
    ln_other, _ = layer_norm_forward(other, gamma, beta)
    bn_ok = not training or n >= 2

    def bn(batch: np.ndarray) -> np.ndarray:
        rm, rv = running_mean.copy(), running_var.copy()  # leave the demo's state alone
        return batchnorm_forward(batch, gamma, beta, rm, rv, training=training)[0]

    # How far sample 0's output moves when its company changes: new batch-mates for N ≥ 2,
    # a first batch-mate for N = 1. Batch norm in training has no output for N = 1 to compare
    # (no variance per feature; PyTorch raises), so it gets no number rather than a made-up 0.
    bn_out = bn(x) if bn_ok else None
    bn_change = float(np.abs(bn(other)[0] - bn_out[0]).max()) + 0.0 if bn_out is not None \
        else None
    ln_change = float(np.abs(ln_other[0] - ln[0]).max()) + 0.0

    def stats(a: np.ndarray | None, axis: int, j: int) -> list[Any]:
        if a is None:
            return [NA, NA]
        return [round_sig(a.mean(axis=axis)[j]), round_sig(a.std(axis=axis)[j])]

    axes = Table(
        {"en": "where the statistics come from", "zh": "统计量从哪个轴上来"},
        ["", LAYER_NORM, BATCH_NORM],
        [[{"en": "μ, σ² over", "zh": "μ、σ² 的计算范围"},
          {"en": f"axis 1: D = {d} features", "zh": f"轴 1：D = {d} 个特征"},
          {"en": f"axis 0: N = {n} samples", "zh": f"轴 0：N = {n} 个样本"}],
         [{"en": "(μ, σ²) pairs", "zh": "(μ, σ²) 的组数"}, n, d],
         [{"en": "N = 1, training", "zh": "N = 1，训练"}, {"en": "ok", "zh": "可以"},
          {"en": "error (σ² = 0)", "zh": "报错（σ² = 0）"}],
         [{"en": "inference", "zh": "推理"}, {"en": "same as training", "zh": "与训练相同"},
          {"en": "running μ, σ²", "zh": "移动平均的 μ、σ²"}]])
    per_sample = Table(
        {"en": "per sample (row): mean and std after each",
         "zh": "每个样本（行）：规范化后的均值和标准差"},
        [SAMPLE, *STAT_COLUMNS],
        [[i] + stats(ln, 1, i) + stats(bn_out, 1, i) for i in range(min(n, SHOW))])
    per_feature = Table(
        {"en": "per feature (column): mean and std after each",
         "zh": "每个特征（列）：规范化后的均值和标准差"},
        [FEATURE, *STAT_COLUMNS],
        [[j] + stats(ln, 0, j) + stats(bn_out, 0, j) for j in range(d)])
    feat = [float(j) for j in range(d)]
    series = [Series({"en": "x (sample 0)", "zh": "x（样本 0）"}, feat, [float(v) for v in x[0]]),
              Series(LAYER_NORM, feat, [float(v) for v in ln[0]])]
    if bn_out is not None:
        series.append(Series(BATCH_NORM, feat, [float(v) for v in bn_out[0]]))
    plot = Plot({"en": "sample 0 before and after", "zh": "样本 0 规范化前后"}, series,
                xlabel=FEATURE, ylabel=VALUE, kind="scatter")

    metrics = {"ln_row_mean_max": float(np.abs(ln.mean(axis=1)).max()),
               "ln_row_std_mean": float(ln.std(axis=1).mean()),
               "ln_sample0_change": ln_change}
    if bn_out is not None:
        metrics["bn_sample0_change"] = bn_change
        metrics["bn_col_mean_max"] = float(np.abs(bn_out.mean(axis=0)).max())
    mode_en = "training" if training else "inference"
    mode_zh = "训练" if training else "推理"
    other_en, other_zh = ("inference", "推理") if training else ("training", "训练")
    company_en = "giving sample 0 a batch-mate" if n == 1 else "swapping the rest of the batch"
    company_zh = "给样本 0 加一个同批量的样本" if n == 1 else "换掉批量中的其他样本"
    en = [f"Layer norm: every row (sample) has mean 0 and std ≈ 1, in {mode_en} exactly as in "
          f"{other_en}; {company_en} changes sample 0's output by {ln_change:.2g}."]
    zh = [f"层规范化：每一行（样本）均值为 0、标准差 ≈ 1，{mode_zh}与{other_zh}时完全一样；"
          f"{company_zh}，样本 0 的输出变化 {ln_change:.2g}。"]
    if not bn_ok:
        en.append("Batch norm in training with N = 1: one sample has no variance per feature, so "
                  "it cannot normalise (PyTorch raises), and there is no output to compare. "
                  "Layer norm does not care.")
        zh.append("N = 1 时的训练模式批量规范化：单个样本在每个特征上没有方差，无法规范化"
                  "（PyTorch 会报错），也就没有输出可比较。层规范化不受影响。")
    elif training:
        en.append(f"Batch norm (training): every column (feature) has mean 0; a sample's output "
                  f"depends on its batch-mates — swapping them moves sample 0 by {bn_change:.2g}.")
        zh.append(f"批量规范化（训练）：每一列（特征）均值为 0；一个样本的输出取决于同批量的"
                  f"其他样本——换掉它们，样本 0 移动 {bn_change:.2g}。")
    else:
        en.append(f"Batch norm (inference): uses running averages from {WARMUP} earlier batches, "
                  "so sample 0 no longer depends on the batch, but columns are only roughly "
                  "normalised. Layer norm computes exactly what it computed in training.")
        zh.append(f"批量规范化（推理）：使用此前 {WARMUP} 个批量累积的移动平均，样本 0 不再依赖"
                  "同批量的样本，但各列只是大致规范化。层规范化与训练时的计算完全相同。")
    return Result(plots=[plot], tables=[axes, per_sample, per_feature],
                  notes={"en": en, "zh": zh}, metrics=metrics, labels=LABELS)


DEMO = Demo(
    name="normalization",
    title={"en": "Layer norm vs batch norm: which axis the statistics come from",
           "zh": "层规范化与批量规范化：统计量来自哪个轴"},
    knobs=KNOBS,
    run=run,
    kernels=(layer_norm_forward, batchnorm_forward),
)
