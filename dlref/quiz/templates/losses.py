"""Questions on loss functions: MSE, MAE, cross-entropy, and the objective they make up."""

from __future__ import annotations

import math

import numpy as np

from dlref import nn
from dlref.quiz.draw import clean, draw, draws, floats, paren, pick, show, trap, vec
from dlref.quiz.questions import Question, template


def _pair(rng, n: int = 3, spread: float = 2.0) -> tuple[list[float], list[float]]:
    """Targets with one decimal in [0, 5] and predictions one-decimal errors away from them
    (never all exact)."""
    while True:
        y = draws(rng, n, 0.0, 5.0, nonzero=False)
        pred = [clean(t + draw(rng, -spread, spread, nonzero=False)) for t in y]
        if pred != y:
            return pred, y


def _mse_steps(pred, y, zh: bool = False) -> str:
    """MSE worked out: the errors, their squares, their mean with the sum shown."""
    e = _errors(pred, y)
    sq = np.square(e)
    mean = f"{show(float(np.sum(sq)))}/{len(e)} = {show(float(np.mean(sq)))}"
    if zh:
        return f"误差 ŷ − y = {vec(e)}；平方 {vec(sq)}；均方误差 = {mean}"
    return f"errors ŷ − y = {vec(e)}; squares {vec(sq)}; MSE = {mean}"


def _mean_of(values) -> str:
    """A mean worked out: "1.3/2 = 0.65"."""
    values = np.asarray(values, dtype=float)
    return f"{show(float(values.sum()))}/{len(values)} = {show(float(values.mean()))}"


def _squares(w) -> str:
    """Σwᵢ² written out: "(-1.6)² + (-0.3)² = 2.56 + 0.09 = 2.65"."""
    return (" + ".join(f"{paren(v)}²" for v in w) + " = "
            + " + ".join(show(v * v) for v in w) + f" = {show(float(np.sum(np.square(w))))}")


def _errors(pred, y) -> np.ndarray:
    return np.asarray(pred) - np.asarray(y)


# --- loss function (the general idea) ------------------------------------------------------


@template("loss-function", "objective")
def loss_objective(rng) -> Question:
    pred, y = _pair(rng, 2, 1.0)
    w = draws(rng, 2, -2.0, 2.0)
    lam = pick(rng, (0.1, 0.2, 0.5, 1.0))
    data = nn.mse_loss(pred, y)
    penalty = nn.l2_penalty(w, lam)
    j = data + penalty
    return Question(
        "loss-function", "objective",
        prompt={"en": f"Predictions {vec(pred)}, targets {vec(y)}, weights w = {vec(w)}. "
                      f"Objective J = MSE + (λ/2)·Σw², λ = {show(lam)}. J = ?",
                "zh": f"预测值 {vec(pred)}，目标值 {vec(y)}，权重 w = {vec(w)}。"
                      f"目标函数 J = 均方误差 + (λ/2)·Σw²，λ = {show(lam)}。J 等于多少？"},
        answer=clean(j),
        solution={
            "en": f"{_mse_steps(pred, y)}; Σw² = {_squares(w)}; (λ/2)·Σw² = {show(lam / 2)} × "
                  f"{show(float(np.sum(np.square(w))))} = {show(penalty)}; "
                  f"J = {show(data)} + {show(penalty)} = {show(j)}",
            "zh": f"{_mse_steps(pred, y, zh=True)}；Σw² = {_squares(w)}；(λ/2)·Σw² = "
                  f"{show(lam / 2)} × {show(float(np.sum(np.square(w))))} = {show(penalty)}；"
                  f"J = {show(data)} + {show(penalty)} = {show(j)}",
        },
        traps=[
            trap(float(data + lam * float(np.sum(np.square(w)))), "the penalty without the 1/2",
                 "惩罚项漏了 1/2"),
            trap(float(data), "the penalty left out", "漏了惩罚项"),
        ],
    )


@template("loss-function", "mse-and-mae")
def loss_mse_and_mae(rng) -> Question:
    pred, y = _pair(rng, 2)
    mse, mae = nn.mse_loss(pred, y), nn.l1_loss(pred, y)
    e = _errors(pred, y)
    return Question(
        "loss-function", "mse-and-mae",
        prompt={"en": f"Predictions {vec(pred)} for targets {vec(y)}. [MSE, MAE] = ?",
                "zh": f"预测值 {vec(pred)}，目标值 {vec(y)}。[均方误差, 平均绝对误差] 等于？"},
        answer=floats([mse, mae]),
        kind="vector",
        solution={
            "en": f"errors {vec(e)}; squares {vec(np.square(e))}, MSE = their mean = "
                  f"{_mean_of(np.square(e))}; |errors| {vec(np.abs(e))}, MAE = their mean = "
                  f"{_mean_of(np.abs(e))}",
            "zh": f"误差 {vec(e)}；平方 {vec(np.square(e))}，均方误差 = 平方的平均 = "
                  f"{_mean_of(np.square(e))}；绝对值 {vec(np.abs(e))}，平均绝对误差 = "
                  f"绝对值的平均 = {_mean_of(np.abs(e))}",
        },
        traps=[
            trap([mae, mse], "[MAE, MSE]: the two swapped", "写成了 [MAE, MSE]：两者颠倒了"),
        ],
    )


@template("loss-function", "sum-reduction")
def loss_sum_reduction(rng) -> Question:
    n = int(rng.integers(3, 5))
    pred, y = _pair(rng, n, 1.0)
    mean = nn.mse_loss(pred, y)
    total = mean * n  # reduction="sum" is the mean times the number of elements
    return Question(
        "loss-function", "sum-reduction",
        prompt={"en": f"Predictions {vec(pred)}, targets {vec(y)}. "
                      "torch.nn.MSELoss(reduction=\"sum\") = ?",
                "zh": f"预测值 {vec(pred)}，目标值 {vec(y)}。"
                      "torch.nn.MSELoss(reduction=\"sum\") 等于多少？"},
        answer=clean(total),
        decimals=2,
        solution={
            "en": f"sum of squared errors {vec(np.square(_errors(pred, y)))} = {show(total)} "
                  f"(the default \"mean\" would give {show(mean)} = {show(total)} / {n})",
            "zh": f"误差平方 {vec(np.square(_errors(pred, y)))} 之和 = {show(total)}"
                  f"（默认的 \"mean\" 则为 {show(total)} / {n} = {show(mean)}）",
        },
        traps=[
            trap(float(mean), "the mean: reduction=\"sum\" does not divide by n",
                 "算成了平均：reduction=\"sum\" 不除以 n"),
        ],
    )


# --- mse -----------------------------------------------------------------------------------


@template("mse", "value")
def mse_value(rng) -> Question:
    pred, y = _pair(rng)
    loss = nn.mse_loss(pred, y)
    e = _errors(pred, y)
    return Question(
        "mse", "value",
        prompt={"en": f"MSE of predictions ŷ = {vec(pred)} against targets y = {vec(y)}?",
                "zh": f"预测值 ŷ = {vec(pred)}，目标值 y = {vec(y)}，均方误差是多少？"},
        answer=clean(loss),
        solution={
            "en": f"errors ŷ − y = {vec(e)}; squares {vec(np.square(e))}; their mean "
                  f"{_mean_of(np.square(e))}",
            "zh": f"误差 ŷ − y = {vec(e)}；平方 {vec(np.square(e))}；平均 "
                  f"{_mean_of(np.square(e))}",
        },
        traps=[
            trap(float(np.sum(np.square(e))), "MSE without the mean (the sum of squares)",
                 "均方误差漏了求平均（算成了平方和）"),
            trap(float(np.mean(np.abs(e))), "the mean absolute error (MAE) instead of MSE",
                 "算成了平均绝对误差（MAE）"),
        ],
    )


@template("mse", "gradient")
def mse_gradient(rng) -> Question:
    pred, y = _pair(rng)
    g = nn.mse_loss_grad(pred, y)
    return Question(
        "mse", "gradient",
        prompt={"en": f"ŷ = {vec(pred)}, y = {vec(y)}. Gradient ∂MSE/∂ŷ = ? (3 entries)",
                "zh": f"ŷ = {vec(pred)}，y = {vec(y)}。梯度 ∂MSE/∂ŷ 等于？（3 个分量）"},
        answer=floats(g),
        kind="vector",
        solution={
            "en": f"∂MSE/∂ŷᵢ = 2(ŷᵢ − yᵢ)/n = 2 × {vec(_errors(pred, y))} / 3 = {vec(g)}",
            "zh": f"∂MSE/∂ŷᵢ = 2(ŷᵢ − yᵢ)/n = 2 × {vec(_errors(pred, y))} / 3 = {vec(g)}",
        },
        traps=[
            trap(2 * np.asarray(_errors(pred, y)), "the gradient without the 1/n of the mean",
                 "梯度漏了平均带来的 1/n"),
            trap(np.asarray(_errors(pred, y)) / 3, "the gradient without the factor 2",
                 "梯度漏了因子 2"),
        ],
    )


@template("mse", "rmse")
def mse_rmse(rng) -> Question:
    pred, y = _pair(rng)
    loss = nn.mse_loss(pred, y)
    rmse = math.sqrt(loss)
    return Question(
        "mse", "rmse",
        prompt={"en": f"ŷ = {vec(pred)}, y = {vec(y)}. Root mean squared error (RMSE) = ?",
                "zh": f"ŷ = {vec(pred)}，y = {vec(y)}。均方根误差（RMSE）等于多少？"},
        answer=rmse,
        solution={
            "en": f"{_mse_steps(pred, y)}; RMSE = √{show(loss)} = {show(rmse)} "
                  "(in the units of y)",
            "zh": f"{_mse_steps(pred, y, zh=True)}；RMSE = √{show(loss)} = {show(rmse)}"
                  "（与 y 同单位）",
        },
        traps=[
            trap(float(loss), "the MSE, without the square root", "算成了 MSE，没有开方"),
            trap(float(np.mean(np.abs(_errors(pred, y)))), "the mean absolute error (MAE)",
                 "算成了平均绝对误差（MAE）"),
        ],
    )


# --- mae -----------------------------------------------------------------------------------


@template("mae", "value")
def mae_value(rng) -> Question:
    pred, y = _pair(rng)
    loss = nn.l1_loss(pred, y)
    e = _errors(pred, y)
    return Question(
        "mae", "value",
        prompt={"en": f"MAE of predictions ŷ = {vec(pred)} against targets y = {vec(y)}?",
                "zh": f"预测值 ŷ = {vec(pred)}，目标值 y = {vec(y)}，平均绝对误差是多少？"},
        answer=clean(loss),
        solution={
            "en": f"errors ŷ − y = {vec(e)}; absolute values {vec(np.abs(e))}; their mean "
                  f"{_mean_of(np.abs(e))}",
            "zh": f"误差 ŷ − y = {vec(e)}；绝对值 {vec(np.abs(e))}；平均 {_mean_of(np.abs(e))}",
        },
        traps=[
            trap(float(np.mean(np.square(e))), "the mean squared error (MSE) instead of MAE",
                 "算成了均方误差（MSE）"),
            trap(float(np.sum(np.abs(e))), "MAE without the mean (the sum of |errors|)",
                 "MAE 漏了求平均（算成了绝对误差之和）"),
        ],
    )


@template("mae", "gradient")
def mae_gradient(rng) -> Question:
    pred, y = _pair(rng)
    if rng.random() < 0.5:  # one exact prediction: where PyTorch's convention matters
        k = int(rng.integers(3))
        pred[k] = y[k]
    g = nn.l1_loss_grad(pred, y)
    return Question(
        "mae", "gradient",
        prompt={"en": f"ŷ = {vec(pred)}, y = {vec(y)}. Gradient ∂MAE/∂ŷ = ? "
                      "(3 entries; 0 where ŷᵢ = yᵢ, as PyTorch)",
                "zh": f"ŷ = {vec(pred)}，y = {vec(y)}。梯度 ∂MAE/∂ŷ 等于？"
                      "（3 个分量；ŷᵢ = yᵢ 处取 0，同 PyTorch）"},
        answer=floats(g),
        kind="vector",
        solution={
            "en": f"∂MAE/∂ŷᵢ = sign(ŷᵢ − yᵢ)/n: signs {vec(np.sign(_errors(pred, y)))} / 3 = "
                  f"{vec(g)}, whatever the size of each error",
            "zh": f"∂MAE/∂ŷᵢ = sign(ŷᵢ − yᵢ)/n：符号 {vec(np.sign(_errors(pred, y)))} / 3 = "
                  f"{vec(g)}，与误差大小无关",
        },
        traps=[
            trap(np.sign(_errors(pred, y)), "sign(ŷ − y) without the 1/n of the mean",
                 "算了 sign(ŷ − y)，漏了平均带来的 1/n"),
        ],
    )


@template("mae", "best-constant")
def mae_best_constant(rng) -> Question:
    while True:
        y = draws(rng, 3, 0.0, 10.0, nonzero=False)
        if len(set(y)) == 3 and abs(float(np.mean(y)) - float(np.median(y))) > 0.5:
            break
    # The best constant under MAE, found with the kernel: an MAE minimiser is always a target.
    costs = {c: nn.l1_loss(np.full(3, c), y) for c in y}
    best = min(costs, key=costs.get)
    mean = float(np.mean(y))
    at_mean = nn.l1_loss(np.full(3, mean), y)
    return Question(
        "mae", "best-constant",
        prompt={"en": f"Targets y = {vec(y)}. Which single constant prediction c minimises "
                      "the MAE?",
                "zh": f"目标值 y = {vec(y)}。对所有样本预测同一个常数 c，c 取多少时"
                      "平均绝对误差最小？"},
        answer=clean(best),
        decimals=1,
        solution={
            "en": f"the median, {show(best)}: MAE {show(costs[best])}, while the mean "
                  f"{show(mean)} gives {show(at_mean)} (the mean is MSE's minimiser)",
            "zh": f"中位数 {show(best)}：平均绝对误差 {show(costs[best])}；而平均值 "
                  f"{show(mean)} 得到 {show(at_mean)}（平均值是均方误差的最优解）",
        },
        traps=[
            trap(mean, "the mean: it minimises MSE; MAE is minimised by the median",
                 "算成了均值：均值使 MSE 最小，中位数才使 MAE 最小"),
        ],
    )


# --- cross-entropy -------------------------------------------------------------------------


def _ce_logits(rng) -> tuple[list[float], int]:
    while True:
        z = draws(rng, 3, -2.0, 3.0, nonzero=False)
        if len(set(z)) == 3:
            return z, int(rng.integers(3))


@template("cross-entropy", "categorical")
def ce_categorical(rng) -> Question:
    z, k = _ce_logits(rng)
    loss = nn.cross_entropy(z, np.int64(k))
    q = nn.softmax(z)
    return Question(
        "cross-entropy", "categorical",
        prompt={"en": f"Logits z = {vec(z)}, true class {k} (counting from 0). "
                      "Cross-entropy loss (natural log) = ?",
                "zh": f"logits z = {vec(z)}，真实类别为 {k}（从 0 开始编号）。"
                      "交叉熵损失（自然对数）等于多少？"},
        answer=clean(loss),
        solution={
            "en": f"softmax(z) = {vec(q)}; loss = −ln q_{k} = −ln {show(float(q[k]), 6)} = "
                  f"{show(loss)}",
            "zh": f"softmax(z) = {vec(q)}；损失 = −ln q_{k} = −ln {show(float(q[k]), 6)} = "
                  f"{show(loss)}",
        },
        traps=[
            trap(-np.log10(float(q[k])), "log base 10 instead of the natural log",
                 "用了以 10 为底的对数，而不是自然对数"),
            trap(-float(z[k]), "−z_y: the logit used without the softmax",
                 "直接用了 logit（−z_y），没做 softmax"),
        ],
    )


@template("cross-entropy", "binary")
def ce_binary(rng) -> Question:
    p = draw(rng, 0.05, 0.95, decimals=2)
    y = int(rng.integers(2))
    loss = nn.binary_cross_entropy([p], [float(y)])
    used = p if y == 1 else clean(1 - p)
    return Question(
        "cross-entropy", "binary",
        prompt={"en": f"A sigmoid output p = {show(p)} for label y = {y}. Binary "
                      "cross-entropy (natural log) = ?",
                "zh": f"sigmoid 输出 p = {show(p)}，标签 y = {y}。"
                      "二元交叉熵（自然对数）等于多少？"},
        answer=clean(loss),
        solution={
            "en": f"−(y·ln p + (1 − y)·ln(1 − p)) = −ln {show(used)} = {show(loss)}",
            "zh": f"−(y·ln p + (1 − y)·ln(1 − p)) = −ln {show(used)} = {show(loss)}",
        },
        traps=[
            trap(-np.log10(used), "log base 10 instead of the natural log",
                 "用了以 10 为底的对数，而不是自然对数"),
            trap(-np.log(clean(1 - used)), "the probability of the wrong label used",
                 "用错了标签对应的概率"),
        ],
    )


@template("cross-entropy", "gradient")
def ce_gradient(rng) -> Question:
    z, k = _ce_logits(rng)
    g = nn.cross_entropy_grad(z, np.int64(k))
    q = nn.softmax(z)
    return Question(
        "cross-entropy", "gradient",
        prompt={"en": f"Logits z = {vec(z)}, true class {k} (counting from 0). Gradient of the "
                      "cross-entropy loss ∂L/∂z = ? (3 entries)",
                "zh": f"logits z = {vec(z)}，真实类别为 {k}（从 0 开始编号）。"
                      "交叉熵损失对 logits 的梯度 ∂L/∂z 等于？（3 个分量）"},
        answer=floats(g),
        kind="vector",
        solution={
            "en": f"∂L/∂z = softmax(z) − onehot(y) = {vec(q)} − onehot({k}) = {vec(g)}",
            "zh": f"∂L/∂z = softmax(z) − onehot(y) = {vec(q)} − onehot({k}) = {vec(g)}",
        },
        traps=[
            trap(-np.asarray(g),
                 "the sign flipped: ∂L/∂z = softmax(z) − onehot(y), not the reverse",
                 "符号反了：∂L/∂z = softmax(z) − onehot(y)，不是反过来"),
        ],
    )


@template("cross-entropy", "uniform")
def ce_uniform(rng) -> Question:
    c = int(rng.integers(2, 31))
    if c == 2:
        c = pick(rng, (2, 100, 1000, 10000, 21843))
    loss = nn.cross_entropy(np.zeros(c), np.int64(0))
    return Question(
        "cross-entropy", "uniform",
        prompt={"en": f"A freshly initialised classifier gives all {c} classes the same logit. "
                      "Its cross-entropy loss (natural log) = ?",
                "zh": f"一个刚初始化的分类器给全部 {c} 个类别相同的 logit。"
                      "它的交叉熵损失（自然对数）是多少？"},
        answer=clean(loss),
        solution={
            "en": f"softmax gives each class 1/{c}; loss = −ln(1/{c}) = ln {c} = {show(loss)} "
                  "(the know-nothing baseline: a first loss far above it signals a bug)",
            "zh": f"softmax 给每个类别 1/{c}；损失 = −ln(1/{c}) = ln {c} = {show(loss)}"
                  "（一无所知的基线：初始损失远高于它，往往说明代码有错）",
        },
        traps=[
            trap(math.log10(c), "log base 10 instead of the natural log",
                 "用了以 10 为底的对数，而不是自然对数"),
            trap(1 / c, "the probability 1/C instead of the loss −ln(1/C)",
                 "给出了概率 1/C，而不是损失 −ln(1/C)"),
        ],
    )
