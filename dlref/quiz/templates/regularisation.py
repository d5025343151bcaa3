"""Questions on regularisation: L1 and L2 penalties, dropout and batch normalisation.

Answers come from dlref.nn: the penalty kernels and their gradients, nn.SGD for the update
steps, dropout_forward for the kept units, batchnorm_forward for x̂ and the running statistics.
"""

from __future__ import annotations

import numpy as np

from dlref import nn
from dlref.quiz.draw import clean, draw, pick, show, trap
from dlref.quiz.draw import paren as _p
from dlref.quiz.draw import tup as _vec
from dlref.quiz.questions import Question, template


def _zh(text: str) -> str:
    """Formula text with Chinese separators."""
    return text.replace("; ", "；")


# ------------------------------------------------------------------------------ L1

def _weights(rng, n: int) -> list[float]:
    return [draw(rng, -2.0, 2.0) for _ in range(n)]


@template("l1-regularization", "penalty")
def l1_penalty(rng) -> Question:
    w, lam = _weights(rng, 3), pick(rng, [0.01, 0.1, 0.5])
    value = nn.l1_penalty(w, lam)
    absum = " + ".join(show(abs(v)) for v in w)
    return Question(
        "l1-regularization", "penalty",
        prompt={"en": f"L1 penalty λ·Σ|wᵢ| for w = {_vec(w)}, λ = {show(lam)}?",
                "zh": f"w = {_vec(w)}，λ = {show(lam)}，L1 惩罚项 λ·Σ|wᵢ| 是多少？"},
        answer=clean(value), decimals=3 if lam >= 0.1 else 4,
        solution={"en": f"Σ|wᵢ| = {absum} = {show(sum(abs(v) for v in w))}; "
                        f"×{show(lam)} = {show(value)}",
                  "zh": f"Σ|wᵢ| = {absum} = {show(sum(abs(v) for v in w))}；"
                        f"×{show(lam)} = {show(value)}"},
        traps=[
            trap(lam * float(np.sum(np.square(w))), "w² summed instead of |w|: that is L2",
                 "把 |w| 求和算成了 w² 求和：那是 L2"),
        ],
    )


@template("l1-regularization", "gradient")
def l1_gradient(rng) -> Question:
    w, lam = _weights(rng, 4), pick(rng, [0.01, 0.1, 0.5])
    w[int(rng.integers(4))] = 0.0  # the subgradient at 0 is a convention worth knowing
    grad = [float(v) + 0.0 for v in nn.l1_penalty_grad(w, lam)]
    return Question(
        "l1-regularization", "gradient",
        prompt={"en": f"Gradient of the L1 penalty λ·Σ|wᵢ| at w = {_vec(w)}, λ = {show(lam)} "
                      f"(PyTorch's subgradient at 0)?",
                "zh": f"L1 惩罚项 λ·Σ|wᵢ| 在 w = {_vec(w)} 处的梯度，λ = {show(lam)}"
                      f"（取 PyTorch 在 0 处的次梯度）？"},
        answer=grad, kind="vector", decimals=3,
        solution={"en": f"λ·sign(w) = {show(lam)}·{_vec(np.sign(w))} = {_vec(grad)}: the "
                        f"same pull for every non-zero weight, 0 at w = 0",
                  "zh": f"λ·sign(w) = {show(lam)}·{_vec(np.sign(w))} = {_vec(grad)}："
                        f"每个非零权重受到同样大小的拉力，w = 0 处为 0"},
        traps=[
            trap([lam * float(v) for v in w], "λ·w: that is L2's gradient; L1's is λ·sign(w)",
                 "算成了 λ·w：那是 L2 的梯度；L1 的是 λ·sign(w)"),
        ],
    )


def _soft_threshold(rng, n: int):
    """Weights, step size η, λ, and the proximal step sign(w)·max(|w| − ηλ, 0): one nn.SGD
    step on the penalty's gradient, with every weight that crossed zero set to exactly 0."""
    lr, lam = pick(rng, [0.5, 1.0]), pick(rng, [0.2, 0.4, 0.6])
    w = [round(float(rng.uniform(-1.5, 1.5)), 1) + 0.0 for _ in range(n)]
    after = np.array(w)
    nn.SGD([after], lr=lr).step([nn.l1_penalty_grad(w, lam)])
    crossed = (np.sign(after) != np.sign(w)) | (np.abs(after) < 1e-12)
    out = [0.0 if c else float(a) for a, c in zip(after, crossed, strict=True)]
    return w, lr, lam, out


@template("l1-regularization", "soft-threshold")
def l1_soft_threshold(rng) -> Question:
    w, lr, lam, out = _soft_threshold(rng, 4)
    t = lr * lam
    w_ = np.array(w)
    return Question(
        "l1-regularization", "soft-threshold",
        prompt={"en": f"One proximal (soft-thresholding) step for the L1 penalty, step size "
                      f"η = {show(lr)}, λ = {show(lam)}, on w = {_vec(w)}?",
                "zh": f"对 L1 惩罚做一步近端（软阈值）更新，步长 η = {show(lr)}，"
                      f"λ = {show(lam)}，w = {_vec(w)}，结果是？"},
        answer=out, kind="vector", decimals=2,
        solution={"en": f"wᵢ ← sign(wᵢ)·max(|wᵢ| − ηλ, 0), ηλ = {show(t)}: {_vec(out)}",
                  "zh": f"wᵢ ← sign(wᵢ)·max(|wᵢ| − ηλ, 0)，ηλ = {show(t)}：{_vec(out)}"},
        traps=[
            trap(np.sign(w_) * np.maximum(np.abs(w_) - lam, 0.0),
                 "shrunk by λ instead of ηλ", "按 λ 而不是 ηλ 收缩了"),
            trap(w_ - t * np.sign(w_), "shrunk past zero: a weight with |w| ≤ ηλ stops at 0",
                 "收缩越过了 0：|w| ≤ ηλ 的权重应停在 0"),
            trap(w_ * (1 - t), "w·(1 − ηλ): that is L2's weight decay; L1 subtracts ηλ from |w|",
                 "算成了 w·(1 − ηλ)：那是 L2 的权重衰减；L1 是从 |w| 中减去 ηλ"),
        ],
    )


@template("l1-regularization", "zeros")
def l1_zeros(rng) -> Question:
    w, lr, lam, out = _soft_threshold(rng, 6)
    t = lr * lam
    zeros = sum(1 for v in out if v == 0.0)
    w_ = np.array(w)
    return Question(
        "l1-regularization", "zeros",
        prompt={"en": f"w = {_vec(w)}. After one soft-thresholding step (η = {show(lr)}, "
                      f"λ = {show(lam)}), how many weights are exactly 0?",
                "zh": f"w = {_vec(w)}。做一步软阈值更新（η = {show(lr)}，λ = {show(lam)}）"
                      f"后，有几个权重恰好为 0？"},
        answer=float(zeros), decimals=0,
        solution={"en": f"every |wᵢ| ≤ ηλ = {show(t)} becomes 0: {_vec(out)} → {zeros} "
                        f"zero{'' if zeros == 1 else 's'} (an L2 step would zero none)",
                  "zh": f"所有 |wᵢ| ≤ ηλ = {show(t)} 的权重变为 0：{_vec(out)} → {zeros} 个"
                        f"（L2 的一步不会让任何权重变为 0）"},
        traps=[
            trap(np.count_nonzero(np.abs(w_) <= lam), "threshold λ instead of ηλ",
                 "阈值取了 λ，而不是 ηλ"),
            trap(np.count_nonzero(w_ <= t), "the sign ignored: max(w − ηλ, 0) zeroes every "
                 "negative weight", "忽略了符号：max(w − ηλ, 0) 会把所有负权重都置零"),
        ],
    )


# ------------------------------------------------------------------------------ L2

@template("l2-regularization", "penalty")
def l2_penalty(rng) -> Question:
    w, lam = _weights(rng, 3), pick(rng, [0.01, 0.1, 0.5, 1.0])
    value = nn.l2_penalty(w, lam)
    sq = " + ".join(f"{_p(v)}²" for v in w)
    total = float(np.sum(np.square(w)))
    return Question(
        "l2-regularization", "penalty",
        prompt={"en": f"L2 penalty (λ/2)·Σwᵢ² for w = {_vec(w)}, λ = {show(lam)}?",
                "zh": f"w = {_vec(w)}，λ = {show(lam)}，L2 惩罚项 (λ/2)·Σwᵢ² 是多少？"},
        answer=clean(value), decimals=3 if lam >= 0.1 else 4,
        solution={"en": f"Σwᵢ² = {sq} = {show(total)}; ×{show(lam)}/2 = {show(value)}",
                  "zh": f"Σwᵢ² = {sq} = {show(total)}；×{show(lam)}/2 = {show(value)}"},
        traps=[
            trap(lam * total, "the penalty without the 1/2", "惩罚项漏了 1/2"),
            trap(lam / 2 * float(np.sum(np.abs(w))), "|w| summed instead of w²",
                 "把 w² 求和算成了 |w| 求和"),
        ],
    )


@template("l2-regularization", "weight-decay")
def l2_weight_decay(rng) -> Question:
    w0 = draw(rng, -3.0, 3.0)
    lr, lam = pick(rng, [0.1, 0.5, 1.0]), pick(rng, [0.01, 0.05, 0.1])
    w = np.array([w0])
    nn.SGD([w], lr=lr).step([nn.l2_penalty_grad(w, lam)])
    w1 = float(w[0])
    return Question(
        "l2-regularization", "weight-decay",
        prompt={"en": f"One SGD step on the L2 penalty (λ/2)·w² alone (data gradient 0): "
                      f"w = {show(w0)}, learning rate η = {show(lr)}, λ = {show(lam)}. "
                      f"New w?",
                "zh": f"只对 L2 惩罚项 (λ/2)·w² 做一步 SGD（数据梯度为 0）：w = {show(w0)}，"
                      f"学习率 η = {show(lr)}，λ = {show(lam)}。新的 w 是多少？"},
        answer=clean(w1), decimals=4,
        solution={"en": f"w − η·λw = w·(1 − ηλ) = {show(w0)}·{show(1 - lr * lam)} = "
                        f"{show(w1)} (weight decay)",
                  "zh": f"w − η·λw = w·(1 − ηλ) = {show(w0)}·{show(1 - lr * lam)} = "
                        f"{show(w1)}（权重衰减）"},
        traps=[
            trap(w0 - lr * lam, "the gradient of (λ/2)·w² taken as λ, not λ·w",
                 "把 (λ/2)·w² 的梯度算成了 λ，而不是 λ·w"),
            trap(w0 * (1 - lr * lam / 2), "the gradient of (λ/2)·w² taken as (λ/2)·w",
                 "把 (λ/2)·w² 的梯度算成了 (λ/2)·w"),
        ],
    )


@template("l2-regularization", "decay-steps")
def l2_decay_steps(rng) -> Question:
    lr, lam = pick(rng, [0.01, 0.1]), pick(rng, [0.01, 0.05, 0.1])
    steps = pick(rng, [10, 50, 100, 500, 1000])
    w = np.array([1.0])
    opt = nn.SGD([w], lr=lr)
    for _ in range(steps):
        opt.step([nn.l2_penalty_grad(w, lam)])
    left = float(w[0])
    return Question(
        "l2-regularization", "decay-steps",
        prompt={"en": f"Weight decay alone (no data gradient), learning rate η = {show(lr)}, "
                      f"λ = {show(lam)}: what fraction of a weight is left after {steps} "
                      f"SGD steps?",
                "zh": f"只有权重衰减（没有数据梯度），学习率 η = {show(lr)}，"
                      f"λ = {show(lam)}："
                      f"{steps} 步 SGD 后权重还剩原来的多少（比例）？"},
        answer=clean(left), decimals=3,
        solution={"en": f"each step multiplies by 1 − ηλ = {show(1 - lr * lam, 6)}; "
                        f"{show(1 - lr * lam, 6)}^{steps} = {show(left)}",
                  "zh": f"每步乘以 1 − ηλ = {show(1 - lr * lam, 6)}；"
                        f"{show(1 - lr * lam, 6)}^{steps} = {show(left)}"},
        traps=[
            trap(1 - steps * lr * lam, "the decay subtracted linearly: each step multiplies",
                 "线性地减去了衰减：每一步是相乘"),
        ],
    )


# ------------------------------------------------------------------------------ dropout

_PS = [0.1, 0.2, 0.25, 0.5]


def _kept_value(x: float, p: float) -> float:
    """What inverted dropout makes of a unit with value x when it is kept (dropout_forward)."""
    y, _ = nn.dropout_forward(np.full(64, x), p, rng=0)
    return float(y[np.nonzero(y)[0][0]])


@template("dropout", "expected-value")
def dropout_expected(rng) -> Question:
    x, p = draw(rng, -3.0, 3.0), pick(rng, _PS)
    kept = _kept_value(x, p)
    mean = (1 - p) * kept + p * 0.0
    return Question(
        "dropout", "expected-value",
        prompt={"en": f"Inverted dropout (PyTorch), drop probability p = {show(p)}, training "
                      f"mode. Expected output E(y) of a unit with input x = {show(x)}?",
                "zh": f"倒置暂退法（PyTorch），暂退概率 p = {show(p)}，训练模式。"
                      f"输入 x = {show(x)} 的单元，输出的期望 E(y) 是多少？"},
        answer=clean(mean), decimals=3,
        solution={"en": f"kept (prob. {show(1 - p)}) → x/(1 − p) = {show(kept)}, dropped "
                        f"→ 0; E(y) = {show(1 - p)}·{_p(kept)} = {show(mean)} = x",
                  "zh": f"保留（概率 {show(1 - p)}）→ x/(1 − p) = {show(kept)}，丢弃 → 0；"
                        f"E(y) = {show(1 - p)}·{_p(kept)} = {show(mean)} = x"},
        traps=[
            trap((1 - p) * x, "dropout without the 1/(1 − p) rescale",
                 "暂退法漏了 1/(1 − p) 的缩放"),
            trap(p * x, "p read as the keep probability and no rescale",
                 "把 p 当成了保留概率，也没缩放"),
        ],
    )


@template("dropout", "kept-value")
def dropout_kept_value(rng) -> Question:
    x, p = draw(rng, -3.0, 3.0), pick(rng, _PS)
    kept = _kept_value(x, p)
    return Question(
        "dropout", "kept-value",
        prompt={"en": f"nn.Dropout(p={show(p)}) in training mode: a unit with input "
                      f"x = {show(x)} is kept. Its output?",
                "zh": f"nn.Dropout(p={show(p)})，训练模式：输入 x = {show(x)} 的单元被保留。"
                      f"它的输出是多少？"},
        answer=clean(kept), decimals=3,
        solution={"en": f"kept units are scaled by 1/(1 − p) = {show(1 / (1 - p))}: "
                        f"{show(x)}·{show(1 / (1 - p))} = {show(kept)}",
                  "zh": f"被保留的单元乘以 1/(1 − p) = {show(1 / (1 - p))}："
                        f"{show(x)}·{show(1 / (1 - p))} = {show(kept)}"},
        traps=[
            trap(x, "dropout without the 1/(1 − p) rescale", "暂退法漏了 1/(1 − p) 的缩放"),
            trap(x / p, "p read as the keep probability: kept units scale by 1/(1 − p)",
                 "把 p 当成了保留概率：被保留的单元乘以 1/(1 − p)"),
            trap(x * (1 - p), "scaled by (1 − p) instead of 1/(1 − p) (the old, non-inverted form)",
                 "乘以了 (1 − p)，而不是 1/(1 − p)（旧的非倒置写法）"),
        ],
    )


@template("dropout", "kept-count")
def dropout_kept_count(rng) -> Question:
    n, p = pick(rng, [100, 128, 256, 512, 1000, 1024]), pick(rng, _PS)
    kept = n * (1 - p)
    return Question(
        "dropout", "kept-count",
        prompt={"en": f"nn.Dropout(p={show(p)}) on a layer of {n} units, training mode. "
                      f"Expected number of units kept (not zeroed) in one forward pass?",
                "zh": f"nn.Dropout(p={show(p)}) 作用在 {n} 个单元上，训练模式。"
                      f"一次前向传播中平均有多少个单元被保留（不置零）？"},
        answer=float(kept), decimals=1,
        solution={"en": f"each unit is kept with probability 1 − p = {show(1 - p)}: "
                        f"{n}·{show(1 - p)} = {show(kept)} (p is the drop probability)",
                  "zh": f"每个单元以概率 1 − p = {show(1 - p)} 被保留：{n}·{show(1 - p)} = "
                        f"{show(kept)}（p 是丢弃的概率）"},
        traps=[
            trap(n * p, "p read as the keep probability: PyTorch's p is the drop probability",
                 "把 p 当成了保留概率：PyTorch 的 p 是丢弃概率"),
        ],
    )


# ------------------------------------------------------------------------------ batch norm

def _batch(rng) -> list[float]:
    """Four small integers, not all equal (a batch of one feature)."""
    while True:
        xs = [float(v) for v in rng.integers(-3, 6, size=4)]
        if len(set(xs)) > 1:
            return xs


def _bn(xs: list[float], running_mean: float = 0.0, running_var: float = 1.0):
    rm, rv = np.array([running_mean]), np.array([running_var])
    y, _ = nn.batchnorm_forward(np.array(xs)[:, None], np.ones(1), np.zeros(1), rm, rv)
    return [float(v) for v in y[:, 0]], float(rm[0]), float(rv[0])


@template("batch-normalization", "normalised")
def bn_normalised(rng) -> Question:
    xs = _batch(rng)
    k = int(rng.integers(4))
    y, _, _ = _bn(xs)
    mean, var = float(np.mean(xs)), float(np.var(xs))
    unbiased_std = float(np.std(xs, ddof=1))
    dev = np.asarray(xs, dtype=float) - mean
    return Question(
        "batch-normalization", "normalised",
        prompt={"en": f"Batch norm in training mode, γ = 1, β = 0, ε = 1e-5, one feature with "
                      f"batch values {_vec(xs)}. Output for x = {show(xs[k])}?",
                "zh": f"批量规范化（训练模式），γ = 1，β = 0，ε = 1e-5，某特征在小批量中的值为 "
                      f"{_vec(xs)}。x = {show(xs[k])} 的输出是多少？"},
        answer=clean(y[k]), decimals=3,
        solution={"en": f"μ = {show(sum(xs))}/4 = {show(mean)}; x − μ = {_vec(dev)}; "
                        f"σ² = mean((x − μ)²) = {show(float(np.sum(np.square(dev))))}/4 = "
                        f"{show(var)} (biased); (x − μ)/√(σ² + ε) = {_p(xs[k] - mean)}/"
                        f"{show(float(np.sqrt(var)))} = {show(y[k])}",
                  "zh": f"μ = {show(sum(xs))}/4 = {show(mean)}；x − μ = {_vec(dev)}；"
                        f"σ² = mean((x − μ)²) = {show(float(np.sum(np.square(dev))))}/4 = "
                        f"{show(var)}（有偏）；(x − μ)/√(σ² + ε) = {_p(xs[k] - mean)}/"
                        f"{show(float(np.sqrt(var)))} = {show(y[k])}"},
        traps=[
            trap((xs[k] - mean) / unbiased_std,
                 "the unbiased variance (÷(n − 1)): batch norm normalises with the biased one",
                 "用了无偏方差（÷(n − 1)）：批量规范化用有偏方差做规范化"),
            trap(xs[k] - mean, "centred but not divided by the standard deviation",
                 "只减了均值，没有除以标准差"),
        ],
    )


@template("batch-normalization", "running-mean")
def bn_running_mean(rng) -> Question:
    xs = _batch(rng)
    r0 = draw(rng, -1.0, 1.0, nonzero=False)
    _, r1, _ = _bn(xs, running_mean=r0)
    mean = float(np.mean(xs))
    return Question(
        "batch-normalization", "running-mean",
        prompt={"en": f"BatchNorm1d (momentum 0.1), running_mean = {show(r0)}, one training "
                      f"batch of the feature: {_vec(xs)}. running_mean after the update?",
                "zh": f"BatchNorm1d（momentum 0.1），running_mean = {show(r0)}，该特征的一个"
                      f"训练小批量为 {_vec(xs)}。更新后 running_mean 是多少？"},
        answer=clean(r1), decimals=3,
        solution={"en": f"the batch mean μ_B = {show(sum(xs))}/4 = {show(mean)}; running_mean ← "
                        f"(1 − 0.1)·running_mean + 0.1·μ_B = 0.9·{_p(r0)} + 0.1·{_p(mean)} = "
                        f"{show(r1)}",
                  "zh": f"小批量均值 μ_B = {show(sum(xs))}/4 = {show(mean)}；running_mean ← "
                        f"(1 − 0.1)·running_mean + 0.1·μ_B = 0.9·{_p(r0)} + 0.1·{_p(mean)} = "
                        f"{show(r1)}"},
        traps=[
            trap(0.1 * r0 + 0.9 * mean, "momentum 0.1 put on the old value instead of the new",
                 "把 momentum 0.1 乘到了旧值上，而不是新值"),
            trap(mean, "the running mean replaced by the batch mean",
                 "直接用批量均值替换了移动平均均值"),
        ],
    )


@template("batch-normalization", "running-var")
def bn_running_var(rng) -> Question:
    xs = _batch(rng)
    _, _, r1 = _bn(xs, running_var=1.0)
    var = float(np.var(xs))
    unbiased = var * 4 / 3
    return Question(
        "batch-normalization", "running-var",
        prompt={"en": f"BatchNorm1d (momentum 0.1), running_var = 1 (initial), one training batch "
                      f"of the feature: {_vec(xs)}. running_var after the update (PyTorch)?",
                "zh": f"BatchNorm1d（momentum 0.1），running_var = 1（初始值），该特征的一个训练"
                      f"小批量为 {_vec(xs)}。更新后 running_var 是多少（PyTorch）？"},
        answer=clean(r1), decimals=3,
        solution={"en": f"PyTorch stores the unbiased variance: σ² = mean((x − μ)²) = "
                        f"{show(var)}, ×4/3 = {show(unbiased)}; running_var ← 0.9·running_var + "
                        f"0.1·σ²_unbiased = 0.9·1 + 0.1·{show(unbiased)} = {show(r1)}",
                  "zh": f"PyTorch 用无偏方差：σ² = mean((x − μ)²) = {show(var)}，×4/3 = "
                        f"{show(unbiased)}；running_var ← 0.9·running_var + 0.1·无偏方差 = "
                        f"0.9·1 + 0.1·{show(unbiased)} = {show(r1)}"},
        traps=[
            trap(0.9 + 0.1 * float(np.mean((np.array(xs) - np.mean(xs)) ** 2)),
                 "the biased batch variance (÷n) in the running estimate; PyTorch stores ÷(n − 1)",
                 "移动平均估计用了有偏的批量方差（÷n）；PyTorch 存的是 ÷(n − 1)"),
            trap(0.1 + 0.9 * unbiased, "momentum 0.1 put on the old value instead of the new",
                 "把 momentum 0.1 乘到了旧值上，而不是新值"),
            trap(unbiased, "the running variance replaced by the batch variance",
                 "直接用批量方差替换了移动平均方差"),
        ],
    )


@template("batch-normalization", "param-count")
def bn_param_count(rng) -> Question:
    c = pick(rng, [16, 32, 64, 96, 128, 256, 512])
    n, hw = pick(rng, [8, 16, 32, 64]), pick(rng, [7, 14, 28, 32, 56])
    gamma, beta = np.ones(c), np.zeros(c)  # the learnable scale and shift, one per channel
    count = gamma.size + beta.size
    return Question(
        "batch-normalization", "param-count",
        prompt={"en": f"nn.BatchNorm2d({c}) applied to inputs of shape ({n}, {c}, {hw}, {hw}). "
                      f"How many learnable parameters?",
                "zh": f"nn.BatchNorm2d({c}) 作用在形状为 ({n}, {c}, {hw}, {hw}) 的输入上。"
                      f"有多少个可学习参数？"},
        answer=float(count), decimals=0,
        solution={"en": f"one γ and one β per channel: 2·{c} = {count}, whatever N, H, W "
                        f"(running mean/var are buffers, not parameters)",
                  "zh": f"每个通道一个 γ 和一个 β：2·{c} = {count}，与 N、H、W 无关"
                        f"（running_mean 和 running_var 是缓冲区，不是参数）"},
        traps=[
            trap(float(4 * c), "the running mean and variance counted: they are buffers",
                 "把移动平均的均值和方差也算上了：它们是缓冲区，不是参数"),
            trap(float(c), "γ only: β is learned too", "只算了 γ：β 也是可学习的"),
        ],
    )
