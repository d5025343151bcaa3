"""Learning-rate schedules side by side: the learning rate as a function of the step.

The first plot is the chosen schedule alone (by default linear warm-up then cosine decay, the
usual recipe for Transformers and large-batch training); the second puts step decay, cosine
annealing, linear warm-up, warm-up + cosine and one-cycle on one axis with the same base
learning rate (one-cycle's peak). All come from dlref.nn.schedules, which match
torch.optim.lr_scheduler step for step.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import LEARNING_RATE
from dlref.i18n import plural_s
from dlref.nn import cosine_annealing_lr, linear_lr, one_cycle_lr, step_lr, warmup_cosine_lr

SCHEDULES = ("warmup-cosine", "step", "cosine", "linear", "one-cycle")

NAMES = {
    "warmup-cosine": {"en": "warmup-cosine", "zh": "预热 + 余弦退火"},
    "step": {"en": "step", "zh": "阶梯衰减"},
    "cosine": {"en": "cosine", "zh": "余弦退火"},
    "linear": {"en": "linear", "zh": "线性预热"},
    "one-cycle": {"en": "one-cycle", "zh": "单周期"},
}

KNOBS = (
    Knob("schedule", {"en": "schedule shown alone", "zh": "单独显示的学习率调度器"}, "choice",
         "warmup-cosine", choices=SCHEDULES, choice_labels=NAMES),
    Knob("base_lr", {"en": "base (peak) learning rate", "zh": "基础（峰值）学习率"}, "float",
         0.1, low=0.0001, high=1.0),
    Knob("total_steps", {"en": "total steps", "zh": "总步数"}, "int", 100, low=10, high=1000),
    Knob("warmup_steps", {"en": "warm-up steps", "zh": "预热步数"}, "int", 10, low=1, high=500),
    Knob("start_factor", {"en": "warm-up start factor", "zh": "预热起始倍数"}, "float", 0.1,
         low=0.01, high=1.0),
    Knob("eta_min", {"en": "cosine floor η_min (× base lr)",
                     "zh": "余弦下限 η_min（× 基础学习率）"}, "float", 0.0, low=0.0, high=1.0),
    Knob("step_size", {"en": "step decay: steps between drops", "zh": "阶梯衰减：每隔多少步下降"},
         "int", 30, low=1, high=1000),
    Knob("gamma", {"en": "step decay: factor γ per drop", "zh": "阶梯衰减：每次乘以 γ"}, "float",
         0.1, low=0.01, high=1.0),
    Knob("pct_start", {"en": "one-cycle: share of steps rising", "zh": "单周期：上升阶段占比"},
         "float", 0.3, low=0.05, high=0.9),
    Knob("div_factor", {"en": "one-cycle: peak / initial lr", "zh": "单周期：峰值 / 初始学习率"},
         "float", 25.0, low=1.0, high=1000.0),
    Knob("at", {"en": "step to read off", "zh": "读取学习率的步"}, "int", 50, low=0, high=1000),
)


def curves(values: dict[str, Any]) -> dict[str, np.ndarray]:
    """Each schedule's learning rate at steps 0 … total_steps − 1."""
    lr, total = float(values["base_lr"]), int(values["total_steps"])
    warm = min(int(values["warmup_steps"]), total - 1)
    t = np.arange(total)
    return {
        "warmup-cosine": warmup_cosine_lr(t, lr, warm, total, float(values["start_factor"]),
                                          float(values["eta_min"]) * lr),
        "step": step_lr(t, lr, int(values["step_size"]), float(values["gamma"])),
        "cosine": cosine_annealing_lr(t, lr, total, float(values["eta_min"]) * lr),
        "linear": linear_lr(t, lr, float(values["start_factor"]), 1.0, warm),
        "one-cycle": one_cycle_lr(t, lr, total, float(values["pct_start"]),
                                  div_factor=float(values["div_factor"])),
    }


# What a reader sees for each schedule: English keeps the knob's value, Chinese its d2l-zh name.
FORMULA = {
    "warmup-cosine": {"en": "η·(s + (1 − s)·t/w) for t < w, then cosine over the rest",
                      "zh": "t < w 时 η·(s + (1 − s)·t/w)，之后余弦退火"},
    "step": {"en": "η·γ^⌊t / step_size⌋", "zh": "η·γ^⌊t / 间隔⌋"},
    "cosine": "η_min + (η − η_min)·(1 + cos(π·t / T))/2",
    "linear": "η·(s + (1 − s)·min(t, w)/w)",
    "one-cycle": {"en": "η/div → η (cos) → η/(div·10⁴) (cos)",
                  "zh": "η/倍数 → η（余弦）→ η/(倍数·10⁴)（余弦）"},
}
STEP_T = {"en": "step t", "zh": "步数 t"}
LABELS = {"peak": {"en": "peak", "zh": "峰值"},
          "peak_step": {"en": "peak step", "zh": "峰值所在步"},
          "last": {"en": "last", "zh": "最后一步"}}


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    total = int(values["total_steps"])
    at = min(int(values["at"]), total - 1)
    chosen = values["schedule"]
    name = NAMES[chosen]
    warm = min(int(values["warmup_steps"]), total - 1)
    lrs = curves(values)
    t = [float(v) for v in range(total)]
    alone = Plot({"en": f"learning rate per step: {name['en']}",
                  "zh": f"每一步的学习率：{name['zh']}"},
                 [Series(name, t, lrs[chosen].tolist()),
                  Series(f"t = {at}", [float(at)], [float(lrs[chosen][at])])],
                 xlabel=STEP_T, ylabel=LEARNING_RATE)
    together = Plot({"en": "five schedules side by side", "zh": "五种学习率调度并排比较"},
                    [Series(NAMES[n], t, lrs[n].tolist()) for n in SCHEDULES],
                    xlabel=STEP_T, ylabel=LEARNING_RATE)
    rows = [[NAMES[n], FORMULA[n], float(lrs[n][at]), float(lrs[n].max()),
             int(np.argmax(lrs[n])), float(lrs[n][-1])] for n in SCHEDULES]
    table = Table({"en": f"learning rate at step {at}", "zh": f"第 {at} 步的学习率"},
                  [{"en": "schedule", "zh": "学习率调度"}, {"en": "formula", "zh": "公式"},
                   {"en": f"lr at t={at}", "zh": f"t={at} 时的学习率"}, LABELS["peak"],
                   LABELS["peak_step"], LABELS["last"]], rows)
    lr = float(values["base_lr"])
    en = [f"{name['en']}: lr at step {at} is {lrs[chosen][at]:.4g} (base {lr:g}). Each curve is "
          "a function of the step alone, as torch.optim.lr_scheduler gives it after t calls of "
          "scheduler.step()."]
    zh = [f"{name['zh']}：第 {at} 步的学习率为 {lrs[chosen][at]:.4g}（基础学习率 {lr:g}）。"
          "每条曲线只是步数的函数，等于 PyTorch 的学习率调度器（lr_scheduler）被调用 t 次之后"
          "给出的值。"]
    en.append(f"Warm-up starts at {values['start_factor']:g}×lr and climbs linearly for {warm} "
              f"step{plural_s(warm)}: early updates from random weights (and Adam's noisy "
              "second-moment estimates) are the least reliable, so they are kept small. It "
              "helps CNNs with large batches as much as Transformers.")
    zh.append(f"预热从 {values['start_factor']:g}×学习率开始，线性上升 {warm} 步：随机初始化后"
              "的最初几步（以及 Adam 尚不准确的二阶矩估计）最不可靠，所以步子要小。它对大批量训练"
              "的卷积网络和 Transformer 同样有用。")
    en.append("Cosine decay spends long near the peak and long near the floor; step decay "
              "drops by γ at fixed steps; one-cycle warms up to the peak and anneals far below "
              "its start.")
    zh.append("余弦退火在峰值附近和下限附近都停留较久；阶梯衰减在固定步数处乘以 γ；"
              "单周期策略先升到峰值，再退火到远低于起点的值。")
    if int(values["warmup_steps"]) >= total:
        en.append(f"warmup_steps was cut to {warm}: the warm-up must end before the last step.")
        zh.append(f"预热步数被截为 {warm}：预热必须在最后一步之前结束。")
    return Result(plots=[alone, together], tables=[table], notes={"en": en, "zh": zh},
                  metrics={"lr_at": float(lrs[chosen][at]), "peak": float(lrs[chosen].max()),
                           "peak_step": float(np.argmax(lrs[chosen])),
                           "last": float(lrs[chosen][-1])},
                  labels={"lr_at": {"en": f"learning rate at step {at}",
                                    "zh": f"第 {at} 步的学习率"}} | LABELS)


DEMO = Demo(
    name="lr-schedule",
    title={"en": "Learning-rate schedules: warm-up, step, cosine, one-cycle",
           "zh": "学习率调度器：预热、阶梯、余弦、单周期"},
    knobs=KNOBS,
    run=run,
    kernels=(warmup_cosine_lr, linear_lr, cosine_annealing_lr, step_lr, one_cycle_lr),
)
