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
from dlref.nn import cosine_annealing_lr, linear_lr, one_cycle_lr, step_lr, warmup_cosine_lr

SCHEDULES = ("warmup-cosine", "step", "cosine", "linear", "one-cycle")

KNOBS = (
    Knob("schedule", {"en": "schedule shown alone", "zh": "单独显示的学习率调度器"}, "choice",
         "warmup-cosine", choices=SCHEDULES),
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


FORMULA = {
    "warmup-cosine": "η·(s + (1 − s)·t/w) for t < w, then cosine over the rest",
    "step": "η·γ^⌊t / step_size⌋",
    "cosine": "η_min + (η − η_min)·(1 + cos(π·t / T))/2",
    "linear": "η·(s + (1 − s)·min(t, w)/w)",
    "one-cycle": "η/div → η (cos) → η/(div·10⁴) (cos)",
}


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    total = int(values["total_steps"])
    at = min(int(values["at"]), total - 1)
    chosen = values["schedule"]
    warm = min(int(values["warmup_steps"]), total - 1)
    lrs = curves(values)
    t = [float(v) for v in range(total)]
    alone = Plot({"en": f"learning rate per step: {chosen}", "zh": f"每一步的学习率：{chosen}"},
                 [Series(chosen, t, lrs[chosen].tolist()),
                  Series(f"t = {at}", [float(at)], [float(lrs[chosen][at])])],
                 xlabel="step t", ylabel="learning rate")
    together = Plot({"en": "five schedules side by side", "zh": "五种学习率调度并排比较"},
                    [Series(name, t, lrs[name].tolist()) for name in SCHEDULES],
                    xlabel="step t", ylabel="learning rate")
    rows = [[name, FORMULA[name], float(lrs[name][at]), float(lrs[name].max()),
             int(np.argmax(lrs[name])), float(lrs[name][-1])] for name in SCHEDULES]
    table = Table({"en": f"learning rate at step {at}", "zh": f"第 {at} 步的学习率"},
                  ["schedule", "formula", f"lr at t={at}", "peak", "peak step", "last"], rows)
    lr = float(values["base_lr"])
    en = [f"{chosen}: lr at step {at} is {lrs[chosen][at]:.4g} (base {lr:g}). Each curve is a "
          "function of the step alone, as torch.optim.lr_scheduler gives it after t calls of "
          "scheduler.step()."]
    zh = [f"{chosen}：第 {at} 步的学习率为 {lrs[chosen][at]:.4g}（基础学习率 {lr:g}）。每条曲线"
          "只是步数的函数，等于 torch.optim.lr_scheduler 调用 t 次 scheduler.step() 后的值。"]
    en.append(f"Warm-up starts at {values['start_factor']:g}×lr and climbs linearly for {warm} "
              "steps: early updates from random weights (and Adam's noisy second-moment "
              "estimates) are the least reliable, so they are kept small. It helps CNNs with "
              "large batches as much as Transformers.")
    zh.append(f"预热从 {values['start_factor']:g}×学习率开始，线性上升 {warm} 步：随机初始化后"
              "的最初几步（以及 Adam 尚不准确的二阶矩估计）最不可靠，所以步子要小。它对大批量训练"
              "的卷积网络和 Transformer 同样有用。")
    en.append("Cosine decay spends long near the peak and long near the floor; step decay "
              "drops by γ at fixed steps; one-cycle warms up to the peak and anneals far below "
              "its start.")
    zh.append("余弦衰减在峰值附近和下限附近都停留较久；阶梯衰减在固定步数处乘以 γ；"
              "单周期策略先升到峰值，再退火到远低于起点的值。")
    if int(values["warmup_steps"]) >= total:
        en.append(f"warmup_steps was cut to {warm}: the warm-up must end before the last step.")
        zh.append(f"预热步数被截为 {warm}：预热必须在最后一步之前结束。")
    return Result(plots=[alone, together], tables=[table], notes={"en": en, "zh": zh},
                  metrics={"lr_at": float(lrs[chosen][at]), "peak": float(lrs[chosen].max()),
                           "peak_step": float(np.argmax(lrs[chosen])),
                           "last": float(lrs[chosen][-1])})


DEMO = Demo(
    name="lr-schedule",
    title={"en": "Learning-rate schedules: warm-up, step, cosine, one-cycle",
           "zh": "学习率调度器：预热、阶梯、余弦、单周期"},
    knobs=KNOBS,
    run=run,
    kernels=(warmup_cosine_lr, linear_lr, cosine_annealing_lr, step_lr, one_cycle_lr),
)
