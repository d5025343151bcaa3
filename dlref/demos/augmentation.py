"""Data augmentation on a tiny 8×8 image drawn in the terminal: flips, a random crop with zero
padding (torchvision's RandomCrop(8, padding=p), CIFAR's RandomCrop(32, padding=4) in small) and
a translation. Each column of a table is one image, a row of pixels per line (█ = 1, · = 0);
two tables of three images (the original, then its flips; the original, then the crop and the
shift) so that every picture stays whole on an 80-column terminal.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Result, Table
from dlref.i18n import plural_s
from dlref.nn import hflip, random_crop, translate, vflip

SIZE = 8
PATTERNS = {
    "seven": ["████████", "······██", "·····██·", "····██··", "···██···", "··██····",
              "··██····", "··██····"],
    "arrow": ["········", "····█···", "····██··", "████████", "████████", "····██··",
              "····█···", "········"],
    "letter-l": ["·██·····", "·██·····", "·██·····", "·██·····", "·██·····", "·██·····",
                 "·██████·", "·██████·"],
}
LABELS = {"crop_top": {"en": "crop window: top row", "zh": "裁剪窗口：顶行"},
          "crop_left": {"en": "crop window: left column", "zh": "裁剪窗口：左列"},
          "ink": {"en": "ink pixels in the image", "zh": "图像中的笔画像素"},
          "ink_lost_crop": {"en": "ink pixels lost by the crop", "zh": "裁剪丢掉的笔画像素"},
          "ink_lost_translate": {"en": "ink pixels lost by the shift", "zh": "平移丢掉的笔画像素"}}

KNOBS = (
    Knob("pattern", {"en": "image", "zh": "图像"}, "choice", "seven", choices=tuple(PATTERNS),
         choice_labels={"seven": {"en": "digit 7", "zh": "数字 7"},
                        "arrow": {"en": "arrow", "zh": "箭头"},
                        "letter-l": {"en": "letter L", "zh": "字母 L"}}),
    Knob("padding", {"en": "crop padding p", "zh": "裁剪填充 p"}, "int", 2, low=0, high=4),
    Knob("dx", {"en": "shift right (pixels)", "zh": "向右平移（像素）"}, "int", 2, low=-4,
         high=4),
    Knob("dy", {"en": "shift down (pixels)", "zh": "向下平移（像素）"}, "int", 1, low=-4, high=4),
)


def image(pattern: str) -> np.ndarray:
    return np.array([[1.0 if ch == "█" else 0.0 for ch in row] for row in PATTERNS[pattern]])


def draw(x: np.ndarray) -> list[str]:
    """One string per pixel row, two characters per pixel so the image looks square."""
    return ["".join("██" if v > 0.5 else "··" for v in row) for row in x]


def picture_table(title: dict[str, str], columns: list[dict[str, str]],
                  images: list[np.ndarray]) -> Table:
    """Images side by side, one per column: line i of the table is pixel row i of each.
    Three 8-pixel images (16 characters each) take 52 columns, so no picture is wrapped."""
    pictures = [draw(img) for img in images]
    return Table(title, columns, [[pic[i] for pic in pictures] for i in range(SIZE)])


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    x = image(values["pattern"])
    p, dx, dy = int(values["padding"]), int(values["dx"]), int(values["dy"])
    cropped, (top, left) = random_crop(x, SIZE, padding=p, rng=rng)
    shifted = translate(x, dy, dx)
    original = {"en": "original", "zh": "原图"}
    tables = [
        picture_table({"en": "the image and its flips", "zh": "原图及其翻转"},
                      [original, {"en": "horizontal flip", "zh": "水平翻转"},
                       {"en": "vertical flip", "zh": "垂直翻转"}],
                      [x, hflip(x), vflip(x)]),
        picture_table({"en": "the image, a random crop and a shift",
                       "zh": "原图、随机裁剪与平移"},
                      [original, {"en": f"random crop p={p}", "zh": f"随机裁剪 p={p}"},
                       {"en": f"translate ({dy}, {dx})", "zh": f"平移 ({dy}, {dx})"}],
                      [x, cropped, shifted]),
    ]
    ink = float(x.sum())
    lost_crop = ink - float(cropped.sum())
    lost_shift = ink - float(shifted.sum())
    sy, sx = p - top, p - left
    en = [f"The random crop took the 8×8 window at (top, left) = ({top}, {left}) of the image "
          f"padded with {p} zero{plural_s(p)} on every side: the same as shifting it by "
          f"({sy}, {sx}) pixels; {lost_crop:g} of {ink:g} ink pixels fell off the edge.",
          f"Translating by ({dy}, {dx}) fills the uncovered border with zeros and loses "
          f"{lost_shift:g} ink pixel{plural_s(lost_shift)}: small shifts keep the object, large "
          "ones cut it off.",
          "An augmentation must keep the label: a flipped 7 is no longer a 7 and a flipped "
          "arrow points the other way, so flips suit cats and cars, not digits or directions.",
          "Augmentations are drawn anew each epoch for the training set only; validation and "
          "test images are left as they are."]
    zh = [f"随机裁剪取的是四周各填充 {p} 圈 0 后、左上角位于 ({top}, {left}) 的 8×8 窗口："
          f"等同于把图像平移 ({sy}, {sx}) 个像素；{ink:g} 个笔画像素中有 {lost_crop:g} 个"
          "被移出边界。",
          f"平移 ({dy}, {dx}) 会用 0 填充空出的边缘，并丢掉 {lost_shift:g} 个笔画像素："
          "小的平移保留物体，大的平移会把它切掉。",
          "数据增广必须保持标签不变：翻转后的 7 不再是 7，翻转后的箭头指向相反方向，所以翻转"
          "适合猫和汽车，不适合数字或方向。",
          "增广在每个迭代周期重新随机抽取，而且只用于训练集；验证集和测试集的图像保持原样。"]
    return Result(tables=tables, notes={"en": en, "zh": zh},
                  metrics={"crop_top": float(top), "crop_left": float(left),
                           "ink": ink, "ink_lost_crop": lost_crop,
                           "ink_lost_translate": lost_shift},
                  labels=LABELS)


DEMO = Demo(
    name="augmentation",
    title={"en": "Data augmentation: flips, random crops and shifts on a tiny image",
           "zh": "数据增广：在小图像上翻转、随机裁剪和平移"},
    knobs=KNOBS,
    run=run,
    kernels=(hflip, vflip, random_crop, translate),
)
