"""Label smoothing and the model's confidence: a softmax classifier trained with and without it.

C well-separated Gaussian blobs in 2-D (20 points each) are classified by a linear layer and
softmax, trained by full-batch gradient descent on cross_entropy(..., label_smoothing=ε). With
ε = 0 the loss keeps rewarding larger logits, so the confidence creeps towards 1; with ε > 0 the
target is q = (1 − ε)·onehot + ε/C and the best confidence is 1 − ε + ε/C.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import ACCURACY, CONFIDENCE, EPOCH
from dlref.nn import cross_entropy, cross_entropy_grad, softmax

PER_CLASS = 20
FRAMES = 15  # steps of an animated training
LR = 1.0  # the step size when the data allow it (see step_size)
LABELS = {"target_confidence": {"en": "optimal confidence 1 − ε + ε/C",
                                "zh": "最优置信度 1 − ε + ε/C"},
          "confidence_plain": {"en": "confidence, ε = 0", "zh": "置信度（ε = 0）"},
          "accuracy_plain": {"en": "accuracy, ε = 0", "zh": "准确率（ε = 0）"},
          "confidence_smoothed": {"en": "confidence, smoothed", "zh": "置信度（标签平滑）"},
          "accuracy_smoothed": {"en": "accuracy, smoothed", "zh": "准确率（标签平滑）"}}

KNOBS = (
    Knob("smoothing", {"en": "label smoothing ε", "zh": "标签平滑 ε"}, "float", 0.1, low=0.0,
         high=0.5),
    Knob("classes", {"en": "classes C", "zh": "类别数 C"}, "int", 3, low=2, high=6),
    Knob("separation", {"en": "class separation", "zh": "类别间距"}, "float", 3.0, low=0.5,
         high=6.0),
    Knob("epochs", {"en": "epochs", "zh": "迭代周期数"}, "int", 150, low=10, high=500),
)

NEAR = 0.1  # a mean confidence within 10% of the smoothed target counts as 'near' it


def data(c: int, separation: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Points around C centres on a circle of radius `separation`, and their labels."""
    angle = 2 * np.pi * np.arange(c) / c
    centres = separation * np.stack([np.cos(angle), np.sin(angle)], 1)
    y = np.repeat(np.arange(c), PER_CLASS)
    return centres[y] + rng.standard_normal((len(y), 2)), y


def step_size(x: np.ndarray) -> float:
    """A step size at which gradient descent converges for these inputs: min(LR, 3/λ), λ the
    largest eigenvalue of the mean of [x, 1][x, 1]ᵀ. The Hessian of the mean cross-entropy in
    (W, b) is at most λ/2 (softmax's own Hessian diag(p) − ppᵀ is at most 1/2), so the step
    times the curvature stays below 2. A fixed LR = 1 oscillates on widely separated blobs
    (λ ≈ 33 at separation 6) and ends far from the loss's minimum, with any confidence."""
    xt = np.hstack([x, np.ones((len(x), 1))])
    return min(LR, 3.0 / float(np.linalg.eigvalsh(xt.T @ xt / len(x)).max()))


def training(x: np.ndarray, y: np.ndarray, c: int, eps: float, epochs: int,
             chunk: int) -> Iterator[tuple[int, list, list, np.ndarray]]:
    """Plain gradient descent on cross_entropy_grad, seen every `chunk` epochs and at the end:
    (epochs done, the epochs at about 50 checkpoints so far, the mean confidence — largest
    softmax probability — at each, the current logits)."""
    w, b = np.zeros((c, 2)), np.zeros(c)
    lr = step_size(x)
    every = max(1, epochs // 50)
    at, conf = [], []
    for epoch in range(epochs + 1):
        z = x @ w.T + b  # the linear layer
        if epoch % every == 0 and epoch or epoch == epochs:
            at.append(float(epoch))  # confidence of the weights after `epoch` updates
            conf.append(float(softmax(z).max(1).mean()))
        if epoch and epoch % chunk == 0 or epoch == epochs:
            yield epoch, list(at), list(conf), z
        if epoch == epochs:
            return
        dz = cross_entropy_grad(z, y, label_smoothing=eps)
        w -= lr * dz.T @ x
        b -= lr * dz.sum(0)


def train(x: np.ndarray, y: np.ndarray, c: int, eps: float,
          epochs: int) -> tuple[list, list, Any]:
    """The whole training: the confidence curve (epochs, values) and the final logits."""
    for _, at, conf, z in training(x, y, c, eps, epochs, epochs):  # noqa: B007 - the last
        pass
    return at, conf, z


def smoothings(eps: float) -> tuple[float, ...]:
    """The models trained: without smoothing, and with ε when ε > 0."""
    return (0.0, eps) if eps > 0 else (0.0,)


def frames(values: dict[str, Any], rng: np.random.Generator) -> Iterator[Result]:
    """Training as it goes, FRAMES steps of epochs: the confidence creeping up (ε = 0) or
    settling (ε > 0)."""
    eps, c, epochs = float(values["smoothing"]), int(values["classes"]), int(values["epochs"])
    x, y = data(c, float(values["separation"]), rng)
    chunk = max(1, -(-epochs // FRAMES))
    runs = [training(x, y, c, e, epochs, chunk) for e in smoothings(eps)]
    for states in zip(*runs, strict=True):
        yield _result(values, y, states)


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    """The trained models (the last frame, without building the ones before)."""
    eps, c, epochs = float(values["smoothing"]), int(values["classes"]), int(values["epochs"])
    x, y = data(c, float(values["separation"]), rng)
    states = [(epochs, *train(x, y, c, e, epochs)) for e in smoothings(eps)]
    return _result(values, y, states)


def _result(values: dict[str, Any], y: np.ndarray, states: Any) -> Result:
    """The plot, table, notes and metrics for the models' states (ε = 0 first)."""
    eps, c, epochs = float(values["smoothing"]), int(values["classes"]), int(values["epochs"])
    target = 1 - eps + eps / c
    rows, curves = [], []
    for e, (_, at, conf, z) in zip(smoothings(eps), states, strict=True):
        p = softmax(z)
        correct = p[np.arange(len(y)), y]
        gap = np.sort(z, axis=1)
        rows.append([f"ε = {e:g}", float(np.mean(p.argmax(1) == y)), conf[-1],
                     float(correct.max()), float(np.mean(gap[:, -1] - gap[:, -2])),
                     cross_entropy(z, y)])
        curves.append((e, at, conf))
    series = [Series(f"ε = {e:g}", at, conf) for e, at, conf in curves]
    series.append(Series(f"1 − ε + ε/C = {target:.3g}", [1.0, float(epochs)], [target, target]))
    plot = Plot({"en": "mean confidence (largest predicted probability) per epoch",
                 "zh": "每个迭代周期的平均置信度（最大预测概率）"},
                series, xlabel=EPOCH, ylabel=CONFIDENCE)
    done = states[0][0]
    title = ({"en": "after training", "zh": "训练结束后"} if done == epochs else
             {"en": f"after {done} of {epochs} epochs", "zh": f"训练 {done}/{epochs} 个迭代周期后"})
    table = Table(title,
                  [{"en": "trained with", "zh": "训练时"}, ACCURACY,
                   {"en": "mean confidence", "zh": "平均置信度"},
                   {"en": "max p(true class)", "zh": "p(真实类别) 的最大值"},
                   {"en": "mean logit gap", "zh": "平均 logit 差"},
                   {"en": "plain cross-entropy", "zh": "未平滑的交叉熵"}], rows)
    gap_opt = float(np.log((1 - eps + eps / c) / (eps / c))) if eps > 0 else float("inf")
    en = [f"Smoothed target for C = {c}: q = {1 - eps + eps / c:.4g} on the true class and "
          f"{eps / c:.4g} on each other class."]
    zh = [f"C = {c} 时的平滑目标：真实类别为 {1 - eps + eps / c:.4g}，其余每个类别为 "
          f"{eps / c:.4g}。"]
    if eps > 0 and abs(rows[1][2] - target) <= NEAR * target:
        en.append(f"With ε = {eps:g} the loss is smallest when softmax = q, i.e. at a finite "
                  f"logit gap log(q_true / q_other) = {gap_opt:.3g}: confidence stays near "
                  f"{target:.3g} ({rows[1][2]:.3f} here), while with ε = 0 it keeps climbing "
                  f"({rows[0][2]:.3f}).")
        zh.append(f"ε = {eps:g} 时，softmax = q 处损失最小，即 logit 差为有限值 "
                  f"log(q_真 / q_其他) = {gap_opt:.3g}：置信度停在 {target:.3g} 附近（此处 "
                  f"{rows[1][2]:.3f}），而 ε = 0 时它一直上升（{rows[0][2]:.3f}）。")
    elif eps > 0:  # overlapping classes or short training: not (yet) near the cap
        en.append(f"With ε = {eps:g} the loss is smallest when softmax = q, i.e. at a finite "
                  f"logit gap log(q_true / q_other) = {gap_opt:.3g}: confidence is pulled "
                  f"towards {target:.3g}, not 1; here it reaches only {rows[1][2]:.3f} "
                  f"(with ε = 0: {rows[0][2]:.3f}), still short of it.")
        zh.append(f"ε = {eps:g} 时，softmax = q 处损失最小，即 logit 差为有限值 "
                  f"log(q_真 / q_其他) = {gap_opt:.3g}：置信度被拉向 {target:.3g} 而不是 1；"
                  f"此处只到 {rows[1][2]:.3f}（ε = 0 时为 {rows[0][2]:.3f}），还没有到达。")
    else:
        en.append("With ε = 0 the target is one-hot: the loss only reaches 0 as the logits "
                  "grow without bound, so the confidence creeps towards 1.")
        zh.append("ε = 0 时目标是独热编码：只有 logit 无限增大损失才趋于 0，所以置信度不断逼近 1。")
    en.append("Accuracy barely changes: smoothing limits overconfidence (better calibrated "
              "probabilities, a mild regulariser), not which class wins.")
    zh.append("准确率几乎不变：标签平滑抑制的是过度自信（概率更接近真实把握，起轻微正则化作用），"
              "而不是哪一类胜出。")
    m = {"target_confidence": target, "confidence_plain": rows[0][2],
         "accuracy_plain": rows[0][1]}
    if eps > 0:
        m |= {"confidence_smoothed": rows[1][2], "accuracy_smoothed": rows[1][1]}
    return Result(plots=[plot], tables=[table], notes={"en": en, "zh": zh}, metrics=m,
                  labels=LABELS, step=done)


DEMO = Demo(
    name="label-smoothing",
    title={"en": "Label smoothing: capping the predicted confidence",
           "zh": "标签平滑：限制预测的置信度"},
    knobs=KNOBS,
    run=run,
    kernels=(cross_entropy, cross_entropy_grad),
    frames=frames,
)
