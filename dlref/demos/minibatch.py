"""Minibatch noise against batch size: minibatch SGD on a one-feature linear regression.

N = 120 seeded points y = 2x + 1 + noise. One epoch is ⌈N/B⌉ updates on shuffled minibatches
(iterations_per_epoch). The minibatch gradient is an unbiased estimate of the full-batch
gradient whose spread, for B examples drawn without replacement, is
σ_B = σ₁·√((N − B) / (B·(N − 1))), σ₁ the spread of one example's gradient.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import EPOCH
from dlref.i18n import plural_s
from dlref.nn import SGD, iterations_per_epoch, mse_loss, mse_loss_grad
from dlref.text.numbers import round_sig

N = 120
SIZES = (1, 2, 4, 8, 16, 32, 64, 120)
DRAWS = 200  # minibatches drawn per size to measure the gradient spread
MEASURED = {"en": "measured", "zh": "实测"}
UPDATES = {"en": "updates / epoch", "zh": "每个迭代周期的更新次数"}
LABELS = {"updates_per_epoch": UPDATES,
          "final_loss": {"en": "final loss (batch B)", "zh": "最终损失（批量 B）"},
          "full_batch_loss": {"en": "final loss (full batch)", "zh": "最终损失（全批量）"},
          "floor": {"en": "least-squares floor", "zh": "最小二乘下限"},
          "sigma_1": {"en": "σ₁ (one example's gradient spread)",
                      "zh": "σ₁（单个样本梯度的离散程度）"},
          "spread_at_b": {"en": "predicted spread at B", "zh": "批量 B 时的预测离散程度"}}

KNOBS = (
    Knob("batch_size", {"en": "batch size B", "zh": "批量大小 B"}, "int", 8, low=1, high=N),
    Knob("lr", {"en": "learning rate", "zh": "学习率"}, "float", 0.05, low=0.001, high=0.5),
    Knob("epochs", {"en": "epochs", "zh": "迭代周期数"}, "int", 4, low=1, high=10),
    Knob("noise", {"en": "label noise", "zh": "标签噪声"}, "float", 0.5, low=0.0, high=2.0),
)


def data(noise: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    x = rng.uniform(-1.0, 1.0, N)
    return x, 2.0 * x + 1.0 + noise * rng.standard_normal(N)


def grads(w: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """∂/∂(a, b) of the MSE of ŷ = a·x + b on the examples given."""
    d = mse_loss_grad(w[0] * x + w[1], y)
    return np.array([d @ x, d.sum()])


def train(x: np.ndarray, y: np.ndarray, batch: int, lr: float, epochs: int,
          rng: np.random.Generator) -> tuple[list[float], list[float]]:
    """(epoch as a fraction, full-data loss) after every update of minibatch SGD from w = 0."""
    w = np.zeros(2)
    opt = SGD([w], lr)
    per_epoch = iterations_per_epoch(N, batch)
    xs, losses = [0.0], [mse_loss(w[0] * x + w[1], y)]
    for epoch in range(epochs):
        order = rng.permutation(N)
        for k in range(per_epoch):
            idx = order[k * batch:(k + 1) * batch]
            opt.step([grads(w, x[idx], y[idx])])
            xs.append(epoch + (k + 1) / per_epoch)
            losses.append(mse_loss(w[0] * x + w[1], y))
    return xs, losses


def spread(x: np.ndarray, y: np.ndarray, rng: np.random.Generator) -> tuple[list, list, float]:
    """Measured and predicted spread (RMS distance to the full gradient) of minibatch gradients
    at w = 0, for each size in SIZES."""
    w = np.zeros(2)
    full = grads(w, x, y)
    per_example = np.stack([x, np.ones(N)], 1) * (2.0 * (w[0] * x + w[1] - y))[:, None]
    sigma1 = float(np.sqrt(np.mean(np.sum((per_example - full) ** 2, axis=1))))
    order = np.argsort(rng.random((DRAWS, N)), axis=1)  # DRAWS independent shuffles
    measured, predicted = [], []
    for b in SIZES:
        g = per_example[order[:, :b]].mean(axis=1)
        rms = float(np.sqrt(np.mean(np.sum((g - full) ** 2, axis=1))))
        measured.append(rms if rms > 1e-12 * sigma1 else 0.0)  # B = N: rounding noise only
        predicted.append(sigma1 * float(np.sqrt((N - b) / (b * (N - 1)))))
    return measured, predicted, sigma1


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    b, lr, epochs = int(values["batch_size"]), float(values["lr"]), int(values["epochs"])
    x, y = data(float(values["noise"]), rng)
    steps_x, steps_loss = train(x, y, b, lr, epochs, rng)
    full_x, full_loss = train(x, y, N, lr, epochs, rng)
    measured, predicted, sigma1 = spread(x, y, rng)
    floor = mse_loss(np.polyval(np.polyfit(x, y, 1), x), y)
    per_epoch = iterations_per_epoch(N, b)
    last = N - (per_epoch - 1) * b

    loss_plot = Plot({"en": "training loss (all N points) after each update",
                      "zh": "每次更新后的训练损失（全部 N 个样本）"},
                     [Series(f"B = {b}", steps_x, steps_loss),
                      Series({"en": f"full batch B = {N}", "zh": f"全批量 B = {N}"}, full_x,
                             full_loss),
                      Series(LABELS["floor"], [0.0, float(epochs)], [floor, floor])],
                     xlabel=EPOCH, ylabel="MSE")
    sizes = [float(s) for s in SIZES]
    noise_plot = Plot({"en": "spread of the minibatch gradient vs batch size (at w = 0)",
                       "zh": "小批量梯度的离散程度与批量大小（w = 0 处）"},
                      [Series(MEASURED, sizes, measured),
                       Series("σ₁·√((N−B)/(B(N−1)))", sizes, predicted)],
                      xlabel={"en": "batch size B", "zh": "批量大小 B"},
                      ylabel={"en": "RMS error of the gradient", "zh": "梯度的均方根误差"})
    table = Table({"en": "batch size, updates per epoch and gradient noise",
                   "zh": "批量大小、每个迭代周期的更新次数与梯度噪声"},
                  ["B", UPDATES, {"en": "measured spread", "zh": "实测离散程度"},
                   {"en": "predicted spread", "zh": "预测离散程度"}],
                  [[s, iterations_per_epoch(N, s), round_sig(m), round_sig(p)]
                   for s, m, p in zip(SIZES, measured, predicted, strict=True)])
    final, final_full = steps_loss[-1], full_loss[-1]
    en = [f"B = {b}: ⌈{N}/{b}⌉ = {per_epoch} update{plural_s(per_epoch)} per epoch (the last "
          f"batch has {last}); "
          f"after {epochs} epoch{plural_s(epochs)} the loss is {final:.4f} against "
          f"{final_full:.4f} for full-batch gradient descent ({epochs} update{plural_s(epochs)}) "
          f"and the floor {floor:.4f}.",
          "Smaller batches make more, noisier updates per epoch: the gradient's spread falls "
          "like 1/√B (and to 0 at B = N), so the curve is jagged for small B and smooth for "
          "large B.",
          "The noise keeps SGD bouncing around the minimum at a fixed learning rate; a learning "
          "rate that decays (or a bigger batch) lets it settle."]
    zh = [f"B = {b}：每个迭代周期 ⌈{N}/{b}⌉ = {per_epoch} 次更新（最后一个小批量有 {last} 个"
          f"样本）；{epochs} 个迭代周期后损失为 {final:.4f}，全批量梯度下降（{epochs} 次更新）为 "
          f"{final_full:.4f}，最小二乘下限为 {floor:.4f}。",
          "批量越小，每个迭代周期的更新越多，噪声也越大：梯度的离散程度按 1/√B 下降"
          "（B = N 时为 0），所以小批量的曲线锯齿明显，大批量则平滑。",
          "固定学习率时，噪声使 SGD 在最小值附近来回跳动；让学习率衰减（或增大批量）它才能稳定"
          "下来。"]
    return Result(plots=[loss_plot, noise_plot], tables=[table], notes={"en": en, "zh": zh},
                  metrics={"updates_per_epoch": float(per_epoch), "final_loss": final,
                           "full_batch_loss": final_full, "floor": floor,
                           "sigma_1": sigma1,
                           "spread_at_b": sigma1 * float(np.sqrt((N - b) / (b * (N - 1))))},
                  labels=LABELS)


DEMO = Demo(
    name="minibatch",
    title={"en": "Minibatch SGD: gradient noise against batch size",
           "zh": "小批量随机梯度下降：梯度噪声与批量大小"},
    knobs=KNOBS,
    run=run,
    kernels=(SGD, iterations_per_epoch, mse_loss_grad),
)
