"""Convolution: a 3×3 filter slid over a small 8×8 image with conv2d_forward.

The image is one of three black-and-white patterns; the filter is a classic hand-made kernel. The
feature map shows where the filter "fires". Like PyTorch and d2l, conv2d computes a
cross-correlation (the kernel is not flipped).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import INPUT, OUT_H, OUT_W, VALUE
from dlref.i18n import pick, plural_s
from dlref.nn import conv2d_forward
from dlref.text.numbers import round_sig

SIZE = 8

FILTERS: dict[str, np.ndarray] = {
    # Sobel kernels: bright-to-dark from left to right (or top to bottom) gives a positive response.
    "vertical-edge": np.array([[1.0, 0.0, -1.0], [2.0, 0.0, -2.0], [1.0, 0.0, -1.0]]),
    "horizontal-edge": np.array([[1.0, 2.0, 1.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -1.0]]),
    "blur": np.full((3, 3), 1.0 / 9.0),
    "sharpen": np.array([[0.0, -1.0, 0.0], [-1.0, 5.0, -1.0], [0.0, -1.0, 0.0]]),
}
PATTERNS = {"square": {"en": "square", "zh": "方块"}, "stripes": {"en": "stripes", "zh": "条纹"},
            "diagonal": {"en": "diagonal", "zh": "对角线"}}
FILTER_NAMES = {"vertical-edge": {"en": "vertical edge", "zh": "垂直边缘"},
                "horizontal-edge": {"en": "horizontal edge", "zh": "水平边缘"},
                "blur": {"en": "blur", "zh": "模糊"}, "sharpen": {"en": "sharpen", "zh": "锐化"}}

KNOBS = (
    Knob("pattern", {"en": "input image", "zh": "输入图像"}, "choice", "square",
         choices=("square", "stripes", "diagonal"), choice_labels=PATTERNS),
    Knob("filter", {"en": "filter (convolution kernel)", "zh": "卷积核"}, "choice",
         "vertical-edge", choices=tuple(FILTERS), choice_labels=FILTER_NAMES),
    Knob("stride", {"en": "stride", "zh": "步幅"}, "int", 1, low=1, high=4),
    Knob("padding", {"en": "padding", "zh": "填充"}, "int", 0, low=0, high=2),
)


def image(pattern: str) -> np.ndarray:
    """An 8×8 image of 0s and 1s."""
    i, j = np.indices((SIZE, SIZE))
    if pattern == "square":
        return ((i >= 2) & (i < 6) & (j >= 2) & (j < 6)).astype(float)
    if pattern == "stripes":  # vertical stripes two pixels wide
        return ((j // 2) % 2 == 0).astype(float)
    return (i == j).astype(float)  # a diagonal line



def _grid(a: np.ndarray, prefix: str = "") -> tuple[list[str], list[list[Any]]]:
    columns = [""] + [f"{prefix}{j}" for j in range(a.shape[1])]
    rows = [[f"{prefix}{i}"] + [round_sig(v) for v in row] for i, row in enumerate(a)]
    return columns, rows


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    pattern, name = values["pattern"], values["filter"]
    stride, padding = int(values["stride"]), int(values["padding"])
    x = image(pattern)
    k = FILTERS[name]
    out, _ = conv2d_forward(x[None, None], k[None, None], None, stride=stride, padding=padding)
    fmap = out[0, 0]
    oh, ow = fmap.shape

    in_cols, in_rows = _grid(x)
    k_cols, k_rows = _grid(k)
    f_cols, f_rows = _grid(fmap)
    mid = SIZE // 2
    row = min(oh - 1, (mid + padding - 1) // stride)  # the output row centred nearest input row mid
    profile_x = [float(v) for v in range(SIZE)]
    plot = Plot(
        {"en": f"row {mid} of the input and row {row} of the feature map (at window centres)",
         "zh": f"输入第 {mid} 行与特征图第 {row} 行（按窗口中心对齐）"},
        [Series(INPUT, profile_x, [float(v) for v in x[mid]]),
         Series({"en": "feature map", "zh": "特征图"},
                [float(j * stride - padding + 1) for j in range(ow)],
                [float(v) for v in fmap[row]])],
        xlabel={"en": "column", "zh": "列"}, ylabel=VALUE)

    fires = int(np.count_nonzero(np.abs(fmap) > 1e-12))
    en = [f"Output shape ⌊(8 + 2·{padding} − 3) / {stride}⌋ + 1 = {oh}: each output pixel is the "
          f"sum of a 3×3 window of the (padded) input times the filter, element by element "
          f"(cross-correlation; the kernel is not flipped)."]
    zh = [f"输出形状 ⌊(8 + 2·{padding} − 3) / {stride}⌋ + 1 = {oh}：每个输出元素是"
          f"（填充后的）输入中一个 3×3 窗口与卷积核逐元素相乘再求和（互相关运算，卷积核不翻转）。"]
    if name in ("vertical-edge", "horizontal-edge"):
        where_en = "left-to-right" if name == "vertical-edge" else "top-to-bottom"
        where_zh = "从左到右" if name == "vertical-edge" else "从上到下"
        en.append(f"The edge filter sums to 0, so flat regions give 0; it responds only where the "
                  f"brightness changes {where_en} (positive for light→dark, negative for "
                  f"dark→light). {fires} of {oh * ow} outputs are non-zero.")
        zh.append(f"边缘检测卷积核的元素和为 0，平坦区域输出 0；只有亮度{where_zh}变化的地方"
                  f"才有响应（亮→暗为正，暗→亮为负）。{oh * ow} 个输出中有 {fires} 个非零。")
        if pattern == "stripes" and name == "horizontal-edge":
            en.append("Vertical stripes never change from top to bottom, so the horizontal-edge "
                      "filter sees nothing inside the image (only padding borders can respond).")
            zh.append("竖条纹从上到下没有变化，所以水平边缘卷积核在图像内部检测不到任何东西"
                      "（只有填充的边界可能有响应）。")
    elif name == "blur":
        en.append("The blur filter averages each 3×3 window (weights 1/9): sharp edges become "
                  "gradual ramps.")
        zh.append("模糊卷积核对每个 3×3 窗口求平均（权重均为 1/9）：锐利的边缘变成平缓的过渡。")
    else:
        en.append("The sharpen filter (5 in the centre, −1 at the four neighbours, sum 1) keeps "
                  "flat regions unchanged and exaggerates edges, overshooting past 0 and 1.")
        zh.append("锐化卷积核（中心 5、四邻 −1，和为 1）保持平坦区域不变并放大边缘，"
                  "使数值越过 0 和 1。")
    if padding:
        en.append(f"Padding adds {padding} ring{plural_s(padding)} of zeros around the image, so "
                  "windows at the border see a 1→0 edge that is not in the picture.")
        zh.append(f"填充在图像四周加了 {padding} 圈 0，因此边界上的窗口会看到图像中本来没有的 "
                  "1→0 边缘。")

    return Result(
        plots=[plot],
        tables=[
            Table({"en": f"input image ({pick(PATTERNS[pattern], 'en')}, 8×8)",
                   "zh": f"输入图像（{pick(PATTERNS[pattern], 'zh')}，8×8）"}, in_cols, in_rows),
            Table({"en": f"filter: {pick(FILTER_NAMES[name], 'en')}",
                   "zh": f"卷积核：{pick(FILTER_NAMES[name], 'zh')}"}, k_cols, k_rows),
            Table({"en": f"feature map ({oh}×{ow}, stride {stride}, padding {padding})",
                   "zh": f"特征图（{oh}×{ow}，步幅 {stride}，填充 {padding}）"}, f_cols, f_rows),
        ],
        notes={"en": en[:3], "zh": zh[:3]},
        metrics={"out_h": float(oh), "out_w": float(ow),
                 "max_abs_response": float(np.max(np.abs(fmap))),
                 "nonzero_outputs": float(fires)},
        labels={"out_h": OUT_H, "out_w": OUT_W,
                "max_abs_response": {"en": "max |response|", "zh": "最大 |响应|"},
                "nonzero_outputs": {"en": "non-zero outputs", "zh": "非零输出个数"}},
    )


DEMO = Demo(
    name="convolution",
    title={"en": "Convolution: a filter sliding over an image", "zh": "卷积：卷积核在图像上滑动"},
    knobs=KNOBS,
    run=run,
    kernels=(conv2d_forward,),
)
