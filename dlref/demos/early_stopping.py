"""Early stopping: training and validation loss per epoch, and where patience stops the run.

A degree-16 polynomial (linear layer on x, x², …, x¹⁶) is fitted with Adam to 10 noisy points of
sin(πx); 60 more points from the same distribution form the validation set. The training loss
keeps falling; the validation loss falls, then rises as the model fits the noise. The rule
(early_stopping): stop after `patience` epochs without a validation loss below
best − min_delta, and keep the weights of the best epoch.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import EPOCH, TRAINING, TRAINING_LOSS, VALIDATION, VALIDATION_LOSS
from dlref.i18n import plural_s
from dlref.nn import Adam, early_stopping, mse_loss_grad

N_TRAIN, N_VAL, DEGREE = 10, 60, 16
LABELS = {"best_epoch": {"en": "best epoch", "zh": "最佳迭代周期"},
          "stop_epoch": {"en": "stopped at epoch", "zh": "停止的迭代周期"},
          "lowest_epoch": {"en": "epoch of the lowest validation loss",
                           "zh": "验证损失最低的迭代周期"},
          "best_val": {"en": "validation loss at the best epoch", "zh": "最佳迭代周期的验证损失"},
          "final_val": {"en": "final validation loss", "zh": "最终验证损失"},
          "final_train": {"en": "final training loss", "zh": "最终训练损失"}}

KNOBS = (
    Knob("patience", {"en": "patience (epochs)", "zh": "耐心值（迭代周期）"}, "int", 20, low=1,
         high=200),
    Knob("min_delta", {"en": "minimum improvement", "zh": "最小改进量"}, "float", 0.0, low=0.0,
         high=0.1),
    Knob("epochs", {"en": "epochs at most", "zh": "最多迭代周期数"}, "int", 250, low=20,
         high=600),
    Knob("noise", {"en": "label noise", "zh": "标签噪声"}, "float", 0.25, low=0.0, high=1.0),
    Knob("lr", {"en": "learning rate (Adam)", "zh": "学习率（Adam）"}, "float", 0.1, low=0.001,
         high=0.5),
)


def features(x: np.ndarray) -> np.ndarray:
    """x, x², …, x^DEGREE and a column of ones (for the bias)."""
    return np.hstack([x[:, None] ** np.arange(1, DEGREE + 1), np.ones((len(x), 1))])


def curves(values: dict[str, Any], rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Training and validation MSE before each epoch's update, epochs 0 … epochs − 1."""
    noise = float(values["noise"])
    x, xv = np.linspace(-1.0, 1.0, N_TRAIN), rng.uniform(-1.0, 1.0, N_VAL)
    y = np.sin(np.pi * x) + noise * rng.standard_normal(N_TRAIN)
    yv = np.sin(np.pi * xv) + noise * rng.standard_normal(N_VAL)
    f, fv = features(x), features(xv)  # a last column of ones: w[-1] is the bias
    w = np.zeros(DEGREE + 1)
    opt = Adam([w], lr=float(values["lr"]))  # element-wise: as Adam on weights and bias apart
    ws = []  # the weights before each epoch's update
    for _ in range(int(values["epochs"])):
        ws.append(w.copy())
        opt.step([mse_loss_grad(f @ w, y) @ f])
    ws = np.array(ws)
    train = np.mean((ws @ f.T - y) ** 2, axis=1)  # every epoch's MSE at once
    val = np.mean((ws @ fv.T - yv) ** 2, axis=1)
    return train, val


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    train, val = curves(values, rng)
    patience, min_delta = int(values["patience"]), float(values["min_delta"])
    stop, best = early_stopping(val, patience, min_delta)
    n = len(val)
    lowest = int(np.argmin(val))
    epochs = [float(e) for e in range(n)]
    log_train, log_val = np.log10(train), np.log10(val)
    low, high = float(min(log_train.min(), log_val.min())), float(max(log_train.max(),
                                                                     log_val.max()))
    plot = Plot({"en": "training and validation loss per epoch (log₁₀ MSE)",
                 "zh": "每个迭代周期的训练损失和验证损失（log₁₀ MSE）"},
                [Series(TRAINING, epochs, log_train.tolist()),
                 Series(VALIDATION, epochs, log_val.tolist()),
                 Series({"en": f"best epoch {best}", "zh": f"最佳迭代周期 {best}"},
                        [float(best)] * 2, [low, high]),
                 Series({"en": f"stop at {stop}", "zh": f"在 {stop} 停止"}, [float(stop)] * 2,
                        [low, high])],
                xlabel=EPOCH, ylabel="log10 MSE")
    table = Table({"en": "where to stop", "zh": "在哪里停止"},
                  ["", EPOCH, TRAINING_LOSS, VALIDATION_LOSS],
                  [[{"en": "best before stopping (weights kept)",
                     "zh": "停止前最佳（保留其权重）"}, best, float(train[best]),
                    float(val[best])],
                   [{"en": "stopped", "zh": "停止处"}, stop, float(train[stop]),
                    float(val[stop])],
                   [{"en": "lowest validation loss of the whole run",
                     "zh": "整个训练过程中验证损失最低处"}, lowest, float(train[lowest]),
                    float(val[lowest])],
                   [{"en": "without early stopping", "zh": "不使用早停"}, n - 1, float(train[-1]),
                    float(val[-1])]])
    fired = stop < n - 1
    en = [f"The validation loss is lowest so far at epoch {best} ({val[best]:.4f}); "
          + (f"{patience} epoch{plural_s(patience)} without improvement later, training stops "
             f"at epoch {stop} and the weights of epoch {best} are restored."
             if fired else f"patience {patience} never ran out in {n} epochs.")]
    zh = [f"到第 {best} 个迭代周期为止验证损失最低（{val[best]:.4f}）；"
          + (f"此后连续 {patience} 个迭代周期没有改进，训练在第 {stop} 个迭代周期停止，并恢复第 "
             f"{best} 个迭代周期的权重。" if fired
             else f"{n} 个迭代周期内耐心值 {patience} 始终没有用完。")]
    if lowest > stop:
        en.append(f"Too little patience: the validation loss dips again later, to "
                  f"{val[lowest]:.4f} at epoch {lowest}; a longer patience would have waited "
                  "for it.")
        zh.append(f"耐心值太小：验证损失之后又降了下来，在第 {lowest} 个迭代周期达到 "
                  f"{val[lowest]:.4f}；更大的耐心值会等到它。")
    if val[-1] > 1.05 * val[lowest]:
        why_en, why_zh = (("the model now fits the noise of its 10 points",
                           "模型开始拟合 10 个训练点里的噪声") if values["noise"] else
                          # no label noise: 17 weights bend between 10 exact points
                          ("with no label noise, its 17 weights still bend away from sin(πx) "
                           "between its 10 points", "没有标签噪声，17 个权重仍会让曲线在 10 个"
                           "训练点之间偏离 sin(πx)"))
        en.append(f"Training on to epoch {n - 1} drives the training loss down to "
                  f"{train[-1]:.4f} while the validation loss climbs to {val[-1]:.4f}: "
                  f"{why_en} (overfitting).")
        zh.append(f"一直训练到第 {n - 1} 个迭代周期，训练损失降到 {train[-1]:.4f}，验证损失却升到 "
                  f"{val[-1]:.4f}：{why_zh}（过拟合）。")
    elif fired and val[-1] < val[best]:  # stopping cost validation loss: not "saves time"
        en.append(f"On this draw the validation loss does not turn up by epoch {n - 1} "
                  f"({val[-1]:.4f}): stopping at epoch {stop} kept {val[best]:.4f}, worse than "
                  "simply training on.")
        zh.append(f"这次抽样中验证损失到第 {n - 1} 个迭代周期都没有明显回升（{val[-1]:.4f}）："
                  f"在第 {stop} 个迭代周期停止保留的是 {val[best]:.4f}，反而不如一直训练下去。")
    else:
        en.append(f"On this draw the validation loss does not turn up by epoch {n - 1} "
                  f"({val[-1]:.4f}); stopping early then mostly saves time.")
        zh.append(f"这次抽样中验证损失到第 {n - 1} 个迭代周期都没有明显回升（{val[-1]:.4f}）；"
                  "这时早停主要是节省时间。")
    en.append("The validation set chooses the epoch, so its loss at that epoch is optimistic; "
              "report performance on a test set never used for such choices.")
    zh.append("停止的迭代周期是用验证集选出来的，所以它在该处的损失偏乐观；最终性能要在从未参与"
              "这类选择的测试集上报告。")
    return Result(plots=[plot], tables=[table], notes={"en": en, "zh": zh},
                  metrics={"best_epoch": float(best), "stop_epoch": float(stop),
                           "lowest_epoch": float(lowest),
                           "best_val": float(val[best]), "final_val": float(val[-1]),
                           "final_train": float(train[-1])},
                  labels=LABELS)


DEMO = Demo(
    name="early-stopping",
    title={"en": "Early stopping: validation loss and patience",
           "zh": "早停：验证损失与耐心值"},
    knobs=KNOBS,
    run=run,
    kernels=(early_stopping,),
)
