"""Pooling: max or average over k×k windows of a small seeded integer matrix.

Shows the pooled output, its shape ⌊(n − k) / s⌋ + 1, overlapping windows (stride < kernel_size,
as AlexNet's 3×3 stride-2 pooling), and how much of the output survives a one-pixel shift of the
input (local translation invariance).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Result, Table
from dlref.demos.terms import OUT_H, OUT_W
from dlref.i18n import plural_s
from dlref.nn import avg_pool2d_forward, max_pool2d_forward
from dlref.text.numbers import round_sig

KNOBS = (
    Knob("mode", {"en": "pooling", "zh": "汇聚方式"}, "choice", "max", choices=("max", "avg"),
         choice_labels={"max": {"en": "max", "zh": "最大汇聚"},
                        "avg": {"en": "average", "zh": "平均汇聚"}}),
    Knob("kernel_size", {"en": "pooling window", "zh": "汇聚窗口"}, "int", 2, low=1, high=5),
    Knob("stride", {"en": "stride", "zh": "步幅"}, "int", 2, low=1, high=5),
    Knob("size", {"en": "input size n (n×n)", "zh": "输入大小 n（n×n）"}, "int", 6, low=4, high=8),
)

LABELS = {"out_h": OUT_H, "out_w": OUT_W, "windows": {"en": "windows", "zh": "窗口数"},
          "unchanged_after_shift": {"en": "unchanged after a shift", "zh": "平移后不变的比例"},
          "inputs_skipped": {"en": "inputs in no window", "zh": "未被窗口覆盖的输入"}}


def _grid(a: np.ndarray) -> tuple[list[str], list[list[Any]]]:
    columns = [""] + [str(j) for j in range(a.shape[1])]
    rows = [[str(i)] + [round_sig(v) for v in row] for i, row in enumerate(a)]
    return columns, rows


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    mode, k, s, n = values["mode"], int(values["kernel_size"]), int(values["stride"]), \
        int(values["size"])
    # one extra column so the input can be shifted left by one pixel with a fresh value coming in
    wide = rng.integers(0, 10, size=(n, n + 1)).astype(float)
    x = wide[:, :n]
    in_cols, in_rows = _grid(x)
    tables = [Table({"en": f"input ({n}×{n}, seeded integers 0–9)",
                     "zh": f"输入（{n}×{n}，随机整数 0–9）"}, in_cols, in_rows)]
    if k > n:
        return Result(
            tables=tables,
            notes={"en": [f"The {k}×{k} window does not fit in a {n}×{n} input, so there is no "
                          f"output: pick kernel_size ≤ {n} or a larger size."],
                   "zh": [f"{k}×{k} 的汇聚窗口放不进 {n}×{n} 的输入，没有输出："
                          f"请把汇聚窗口（kernel_size）调到 ≤ {n}，或增大输入大小 n。"]},
            metrics={"out_h": 0.0, "out_w": 0.0, "windows": 0.0}, labels=LABELS)

    pool = max_pool2d_forward if mode == "max" else avg_pool2d_forward
    out, _ = pool(x[None, None], k, s)
    y = out[0, 0]
    oh, ow = y.shape
    shifted, _ = pool(wide[None, None, :, 1:], k, s)  # the same scene moved one pixel left
    same = float(np.mean(np.isclose(shifted[0, 0], y)))
    used = np.zeros((n, n), dtype=bool)
    for i in range(oh):
        for j in range(ow):
            used[i * s:i * s + k, j * s:j * s + k] = True
    skipped = int(n * n - used.sum())

    out_cols, out_rows = _grid(y)
    tables.append(Table({"en": f"{'max' if mode == 'max' else 'average'} pooled ({oh}×{ow}), "
                               f"window {k}×{k}, stride {s}",
                         "zh": f"{'最大' if mode == 'max' else '平均'}汇聚结果（{oh}×{ow}），"
                               f"窗口 {k}×{k}，步幅 {s}"}, out_cols, out_rows))

    what_en = "the largest value" if mode == "max" else "the mean"
    what_zh = "最大值" if mode == "max" else "平均值"
    en = [f"Each output is {what_en} of one {k}×{k} window; output size ⌊({n} − {k}) / {s}⌋ + 1 "
          f"= {oh}. Pooling has no parameters to learn."]
    zh = [f"每个输出是一个 {k}×{k} 窗口内的{what_zh}；输出大小 ⌊({n} − {k}) / {s}⌋ + 1 = {oh}。"
          f"汇聚层没有要学习的参数。"]
    extra_en, extra_zh = [], []
    if s < k and oh > 1:  # one window along each axis has no neighbour to overlap
        extra_en.append(f"Stride {s} < window {k}: neighbouring windows overlap and share inputs "
                        "(AlexNet used overlapping 3×3 max pooling with stride 2).")
        extra_zh.append(f"步幅 {s} 小于窗口 {k}：相邻窗口重叠、共享输入（AlexNet 用的就是步幅 2 的 "
                        "3×3 重叠最大汇聚）。")
    if skipped:
        gaps = s > k and oh > 1  # with one window there is no gap between windows
        why_en = "the stride is larger than the window, leaving gaps" if gaps else \
            "leftover rows/columns at the edge that do not fill a window are dropped"
        why_zh = "步幅大于窗口，留下了空隙" if gaps else "边缘凑不满一个窗口的行和列被丢弃"
        extra_en.append(f"{skipped} input value{plural_s(skipped)} "
                        f"{'lies' if skipped == 1 else 'lie'} in no window ({why_en}), so "
                        f"{'it' if skipped == 1 else 'they'} cannot affect the output.")
        extra_zh.append(f"有 {skipped} 个输入不在任何窗口中（{why_zh}），对输出没有影响。")
    if extra_en:
        en.append(" ".join(extra_en))
        zh.append("".join(extra_zh))
    en.append(f"Shift the input one pixel left: {same:.0%} of the pooled values stay the same. "
              "Pooling gives some invariance to small local shifts, not to scaling or large moves.")
    zh.append(f"把输入向左平移一个像素：{same:.0%} 的汇聚结果保持不变。汇聚对局部的小平移有一定的"
              "不变性，但对缩放或大幅移动没有。")

    return Result(
        tables=tables,
        notes={"en": en, "zh": zh},
        metrics={"out_h": float(oh), "out_w": float(ow), "windows": float(oh * ow),
                 "unchanged_after_shift": same, "inputs_skipped": float(skipped)},
        labels=LABELS,
    )


DEMO = Demo(
    name="pooling",
    title={"en": "Pooling: max and average over windows", "zh": "汇聚层：窗口内的最大值与平均值"},
    knobs=KNOBS,
    run=run,
    kernels=(max_pool2d_forward, avg_pool2d_forward),
)
