"""L1 vs L2 weight penalties on a linear model with signal, correlated and irrelevant features.

Training is full-batch gradient descent on mse_loss, accelerated with FISTA's momentum. L2 adds
l2_penalty_grad = λw to the gradient (weight decay). L1 uses the proximal step of ISTA/FISTA: a
gradient step on the loss, then soft-thresholding w ← sign(w)·max(|w| − lr·λ, 0), which sets
small weights to exactly 0. For comparison, plain subgradient descent with l1_penalty_grad =
λ·sign(w) is run too: it only makes small weights jitter around 0. All runs (the chosen λ and a
sweep of λ) are columns of one weight matrix, updated together.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import FEATURE
from dlref.nn import l1_penalty_grad, l2_penalty_grad, mse_loss, mse_loss_grad
from dlref.text.numbers import round_sig

N_TRAIN, N_TEST = 40, 200
TRUE_W = np.array([2.0, -1.5, 1.0, 0.5])  # features 0–3 carry the signal
N_CORR, N_NOISE = 4, 8  # features 4–7 are noisy copies of 0–3; 8–15 are pure noise
ITERATIONS = 150
SWEEP = [i / 20 for i in range(21)]  # λ from 0 to 1
LABELS = {"zeros": {"en": "zero weights", "zh": "零权重个数"},
          "train_mse": {"en": "train MSE", "zh": "训练集 MSE"},
          "test_mse": {"en": "held-out MSE", "zh": "留出集 MSE"},
          "unregularised_test_mse": {"en": "unregularised held-out MSE",
                                     "zh": "不加正则化的留出集 MSE"},
          "subgradient_zeros": {"en": "zero weights (subgradient)", "zh": "零权重个数（次梯度法）"},
          "weight_l1_norm": "‖w‖₁"}

KNOBS = (
    Knob("penalty", {"en": "penalty", "zh": "正则化项"}, "choice", "l1", choices=("l1", "l2"),
         choice_labels={"l1": "L1", "l2": "L2"}),
    Knob("lam", {"en": "penalty strength λ", "zh": "正则化强度 λ"}, "float", 0.1, low=0.0,
         high=1.0),
    Knob("noise", {"en": "label noise std", "zh": "标签噪声标准差"}, "float", 0.5, low=0.0,
         high=2.0),
)



def features(n: int, rng: np.random.Generator) -> np.ndarray:
    """(n, 16): 4 signal features, 4 correlated copies of them, 8 irrelevant ones."""
    base = rng.standard_normal((n, len(TRUE_W)))
    corr = base + 0.3 * rng.standard_normal((n, N_CORR))
    return np.hstack([base, corr, rng.standard_normal((n, N_NOISE))])


def train(x: np.ndarray, y: np.ndarray, lam_l1: np.ndarray, lam_l2: np.ndarray,
          lam_sub: np.ndarray, iterations: int = ITERATIONS) -> tuple[np.ndarray, ...]:
    """Weights after full-batch descent, one column per λ: L1 by proximal steps (ISTA), L2 by
    gradient descent, L1 by plain subgradient descent. All columns are updated together."""
    n, d = x.shape
    k1, k2 = len(lam_l1), len(lam_l1) + len(lam_l2)
    lams = np.concatenate([lam_l1, lam_l2, lam_sub])
    k = len(lams)
    # step 1/L with L the Lipschitz constant of the loss gradient (+ the largest L2 term)
    lr = 1.0 / (2.0 * np.linalg.eigvalsh(x.T @ x / n)[-1] + lams.max())
    w = np.zeros((d, k))
    v = w.copy()  # the extrapolated point where FISTA takes its gradient
    targets = np.repeat(y[:, None], k, axis=1)
    t = 1.0
    for _ in range(iterations):
        # mse_loss_grad averages over all n·k entries; ×k makes it each column's own mean
        grad = x.T @ (mse_loss_grad(x @ v, targets) * k)
        grad[:, k1:k2] += l2_penalty_grad(v[:, k1:k2], lam_l2)
        grad[:, k2:] += l1_penalty_grad(v[:, k2:], lam_sub)
        new = v - lr * grad
        # proximal step for λ‖w‖₁: soft-thresholding gives exact zeros
        new[:, :k1] = np.sign(new[:, :k1]) * np.maximum(np.abs(new[:, :k1]) - lr * lam_l1, 0.0)
        t_next = (1.0 + np.sqrt(1.0 + 4.0 * t * t)) / 2.0
        v = new + ((t - 1.0) / t_next) * (new - w)
        v[:, k2:] = new[:, k2:]  # the subgradient runs take plain steps (no momentum)
        w, t = new, t_next
    return w[:, :k1], w[:, k1:k2], w[:, k2:]


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    penalty, lam, noise = values["penalty"], float(values["lam"]), float(values["noise"])
    true_w = np.concatenate([TRUE_W, np.zeros(N_CORR + N_NOISE)])
    x, x_test = features(N_TRAIN, rng), features(N_TEST, rng)
    y = x @ true_w + noise * rng.standard_normal(N_TRAIN)
    y_test = x_test @ true_w + noise * rng.standard_normal(N_TEST)

    sweep = np.array(SWEEP)
    chosen = np.array([lam])
    # L1 columns: chosen λ (if l1) + sweep; L2 columns: λ = 0 (least squares), chosen (if l2),
    # sweep; one L1-subgradient column at the chosen λ
    l1_cols = np.concatenate([chosen, sweep]) if penalty == "l1" else sweep
    l2_cols = np.concatenate([[0.0], chosen, sweep]) if penalty == "l2" else \
        np.concatenate([[0.0], sweep])
    w1, w2, w3 = train(x, y, l1_cols, l2_cols, chosen)
    w_ols, w_sub = w2[:, 0], w3[:, 0]
    w = w1[:, 0] if penalty == "l1" else w2[:, 1]
    sweep_l1, sweep_l2 = w1[:, -len(SWEEP):], w2[:, -len(SWEEP):]
    zeros = int(np.sum(w == 0.0))
    zeros_l1 = [float(np.sum(sweep_l1[:, i] == 0.0)) for i in range(len(SWEEP))]
    zeros_l2 = [float(np.sum(sweep_l2[:, i] == 0.0)) for i in range(len(SWEEP))]
    test_l1 = [mse_loss(x_test @ sweep_l1[:, i], y_test) for i in range(len(SWEEP))]
    test_l2 = [mse_loss(x_test @ sweep_l2[:, i], y_test) for i in range(len(SWEEP))]

    columns = [FEATURE, {"en": "true w", "zh": "真实 w"}, "λ = 0", f"{penalty} λ = {lam:g}"]
    rows = [[j, *(round_sig(v) for v in (true_w[j], w_ols[j], w[j]))] for j in range(len(true_w))]
    if penalty == "l1":
        columns.append({"en": "l1 subgradient", "zh": "l1 次梯度法"})
        for j, row in enumerate(rows):
            row.append(round_sig(w_sub[j]))
    # Each feature's role is in the title: a table cell is shown as it is, in no language.
    table = Table({"en": "weights after training (features 0–3: signal, 4–7: noisy copies of "
                         "them, 8–15: irrelevant)",
                   "zh": "训练后的权重（特征 0–3：信号，4–7：它们的带噪声副本，8–15：无关特征）"},
                  columns, rows)
    idx = [float(j) for j in range(len(true_w))]
    bars = Plot({"en": f"learned weights ({penalty}, λ = {lam:g})",
                 "zh": f"学到的权重（{penalty}，λ = {lam:g}）"},
                [Series(f"{penalty} λ={lam:g}", idx, w.tolist())],
                xlabel=FEATURE, ylabel="w", kind="bar")
    sweep_zero = Plot({"en": "exact zeros among 16 weights vs λ",
                       "zh": "16 个权重中恰为 0 的个数与 λ"},
                      [Series("l1 (ISTA)", SWEEP, zeros_l1), Series("l2", SWEEP, zeros_l2)],
                      xlabel="λ", ylabel="# w = 0")
    sweep_err = Plot({"en": "held-out MSE vs λ", "zh": "留出集均方误差与 λ"},
                     [Series("l1", SWEEP, test_l1), Series("l2", SWEEP, test_l2)],
                     xlabel="λ", ylabel="MSE")

    irrelevant_zero = int(np.sum(w[len(TRUE_W):] == 0.0))
    if penalty == "l1":
        sub_zeros = int(np.sum(w_sub == 0.0))
        en = [f"L1 with λ = {lam:g}: {zeros} of 16 weights are exactly 0 ({irrelevant_zero} of the "
              f"12 useless ones). The proximal step (soft-thresholding, ISTA) snaps any weight "
              f"within lr·λ of 0 after a gradient step to exactly 0.",
              f"Plain subgradient descent with l1_penalty_grad = λ·sign(w) leaves "
              f"{sub_zeros} exact zeros: small weights only jitter around 0 (last column).",
              "Among correlated features L1 tends to keep one and drop its copy."]
        zh = [f"L1，λ = {lam:g}：16 个权重中有 {zeros} 个恰好为 0"
              f"（12 个无用特征中的 {irrelevant_zero} 个）。近端步（软阈值，ISTA）"
              "把更新后绝对值小于 lr·λ 的权重直接置为 0。",
              f"直接用次梯度 λ·sign(w)（l1_penalty_grad）下降，只有 {sub_zeros} 个权重恰为 0："
              f"权重只会在 0 附近抖动（见最后一列）。",
              "对于相关的特征，L1 倾向于保留其中一个、舍弃它的副本。"]
    else:
        en = [f"L2 (weight decay) with λ = {lam:g}: every weight shrinks toward 0 in proportion to "
              f"its size, but {zeros} of 16 are exactly 0 — L2 makes weights small, not sparse.",
              "Correlated features share the weight between them instead of one being dropped; "
              "compare the zeros-vs-λ curve with L1's."]
        zh = [f"L2（权重衰减），λ = {lam:g}：每个权重都按自身大小成比例地向 0 收缩，"
              f"但 16 个中恰为 0 的只有 {zeros} 个——L2 让权重变小，而不是变稀疏。",
              "相关的特征会分摊权重，而不是丢掉其中一个；对比 L1 的“零权重个数–λ”曲线。"]
    if lam == 0:
        en.append("λ = 0 is plain least squares: no penalty, no zeros.")
        zh.append("λ = 0 就是普通最小二乘：没有惩罚，也没有零权重。")

    return Result(
        plots=[bars, sweep_zero, sweep_err], tables=[table], notes={"en": en, "zh": zh},
        metrics={"zeros": float(zeros), "train_mse": mse_loss(x @ w, y),
                 "test_mse": mse_loss(x_test @ w, y_test),
                 "unregularised_test_mse": mse_loss(x_test @ w_ols, y_test),
                 "subgradient_zeros": float(np.sum(w_sub == 0.0)),
                 "weight_l1_norm": float(np.sum(np.abs(w)))},
        labels=LABELS)


DEMO = Demo(
    name="regularization",
    title={"en": "L1 vs L2 regularisation: sparse vs small weights",
           "zh": "L1 与 L2 正则化：稀疏权重与小权重"},
    knobs=KNOBS,
    run=run,
    kernels=(l1_penalty_grad, l2_penalty_grad, mse_loss_grad),
)
