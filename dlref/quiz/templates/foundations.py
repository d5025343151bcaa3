"""Questions on the foundations: neurons, layers, supervised learning, universal approximation,
deep belief networks."""

from __future__ import annotations

import numpy as np

from dlref import nn
from dlref.quiz.draw import clean, draw, draws, floats, paren, pick, show, trap, vec
from dlref.quiz.questions import Question, template


def _weighted_sum(w, x, b: float | None = None) -> str:
    """wᵀx (+ b) written out: each product with the drawn numbers, then each product's value,
    then the sum: "(-0.8)·(-1.6) + 0.9·(-0.3) + (-0.7) = 1.28 + (-0.27) + (-0.7) = 0.31"."""
    bias = [] if b is None else [paren(b)]
    products = [f"{paren(wi)}·{paren(xi)}" for wi, xi in zip(w, x, strict=True)]
    values = [paren(clean(wi * xi)) for wi, xi in zip(w, x, strict=True)]
    total = float(np.dot(w, x)) + (b or 0.0)
    return f"{' + '.join(products + bias)} = {' + '.join(values + bias)} = {show(total)}"


def _squares_and_mean(errors) -> tuple[str, str]:
    """The squares of `errors` and their mean worked out: ("[0.49, 0.81, 0.16]",
    "1.46/3 = 0.4867")."""
    sq = np.square(np.asarray(errors, dtype=float))
    return vec(sq), f"{show(float(sq.sum()))}/{len(sq)} = {show(float(sq.mean()))}"


def _sigmoid_steps(z: float) -> str:
    """σ(z) = 1/(1 + e^−z) with e^−z's value shown."""
    return (f"σ({show(z)}) = 1/(1 + e^{show(-z)}) = 1/(1 + {show(float(np.exp(-z)))}) = "
            f"{show(float(nn.sigmoid(np.array([z]))[0]))}")

# --- neuron --------------------------------------------------------------------------------


@template("neuron", "output")
def neuron_output(rng) -> Question:
    n = int(rng.integers(2, 4))
    w = draws(rng, n, -1.5, 1.5)
    x = draws(rng, n, -2.0, 2.0)
    b = draw(rng, -1.0, 1.0, nonzero=False)
    z, _ = nn.linear_forward(x, [w], [b])
    a = float(nn.sigmoid(z)[0])
    return Question(
        "neuron", "output",
        prompt={"en": f"A sigmoid neuron with weights w = {vec(w)} and bias b = {show(b)} "
                      f"gets x = {vec(x)}. Its output σ(wᵀx + b) = ?",
                "zh": f"sigmoid 神经元的权重 w = {vec(w)}，偏置 b = {show(b)}，"
                      f"输入 x = {vec(x)}。输出 σ(wᵀx + b) 等于多少？"},
        answer=a,
        solution={
            "en": f"z = wᵀx + b = {_weighted_sum(w, x, b)}; {_sigmoid_steps(float(z[0]))}",
            "zh": f"z = wᵀx + b = {_weighted_sum(w, x, b)}；{_sigmoid_steps(float(z[0]))}",
        },
        traps=[
            trap(float(z[0]), "the pre-activation wᵀx + b given: σ was not applied",
                 "给出了加权输入 wᵀx + b：没有套上 σ"),
        ],
    )


@template("neuron", "perceptron-update")
def neuron_perceptron_update(rng) -> Question:
    eta = pick(rng, (0.1, 0.5, 1.0))
    while True:
        x = [float(v) for v in rng.integers(-2, 3, size=2)]
        w = draws(rng, 2, -1.0, 1.0)
        b = draw(rng, -1.0, 1.0)
        z, _ = nn.linear_forward(x, [w], [b])
        zf = float(z[0])
        if abs(zf) > 0.05 and any(x):  # no z = 0 tie, and an input to move w
            break
    a = 1 if zf >= 0 else 0
    y = 1 - a if rng.random() < 0.8 else a  # usually a mistake, sometimes already right
    step = eta * (y - a)
    new = floats([w[0] + step * x[0], w[1] + step * x[1], b + step])
    z_sum = _weighted_sum(w, x, b)
    moves = (f"{show(w[0])} + {paren(step)}·{paren(x[0])}, {show(w[1])} + {paren(step)}·"
             f"{paren(x[1])}, {show(b)} + {paren(step)}")
    verdict = ("wrong, so the weights move" if y != a else "right, so nothing changes")
    zh_verdict = ("预测错误，权重要更新" if y != a else "预测正确，参数不变")
    return Question(
        "neuron", "perceptron-update",
        prompt={"en": f"Perceptron (step: 1 if z ≥ 0 else 0), w = {vec(w)}, b = {show(b)}, "
                      f"learning rate η = {show(eta)}. Sample x = {vec(x)}, label y = {y}. "
                      "After the rule w ← w + η(y − a)x, b ← b + η(y − a): new (w₁, w₂, b) = ?",
                "zh": f"感知机（阶跃：z ≥ 0 时为 1，否则为 0），w = {vec(w)}，b = {show(b)}，"
                      f"学习率 η = {show(eta)}。样本 x = {vec(x)}，标签 y = {y}。按规则 "
                      "w ← w + η(y − a)x，b ← b + η(y − a) 更新后，(w₁, w₂, b) 等于？"},
        answer=new,
        kind="vector",
        decimals=2,
        solution={
            "en": f"z = w·x + b = {z_sum}, a = {a}: {verdict}; η(y − a) = {show(step)}; "
                  f"new (w₁, w₂, b) = ({moves}) = {vec(new)}",
            "zh": f"z = w·x + b = {z_sum}，a = {a}：{zh_verdict}；η(y − a) = {show(step)}；"
                  f"更新后 (w₁, w₂, b) = ({moves}) = {vec(new)}",
        },
        traps=[
            trap([w[0] - step * x[0], w[1] - step * x[1], b - step],
                 "the update's sign flipped: w ← w + η(y − a)x",
                      "更新的符号反了：w ← w + η(y − a)x"),
        ],
    )


@template("neuron", "gate-count")
def neuron_gate_count(rng) -> Question:
    w = [0.0, 0.0]
    while not any(w):
        w = [float(v) for v in rng.integers(-2, 3, size=2)]
    b = float(rng.integers(-3, 3)) + 0.5  # a half-integer bias: z is never exactly 0
    corners = [[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]]
    z, _ = nn.linear_forward(corners, [w], [b])
    out = nn.sigmoid(z).ravel()
    count = int(np.count_nonzero(out > 0.5))
    no_bias = np.asarray(corners) @ np.asarray(w)  # z with the bias forgotten
    return Question(
        "neuron", "gate-count",
        prompt={"en": f"A sigmoid neuron has w = {vec(w)}, b = {show(b)}. For how many of the "
                      "inputs [0, 0], [0, 1], [1, 0], [1, 1] is its output above 0.5?",
                "zh": f"sigmoid 神经元的 w = {vec(w)}，b = {show(b)}。输入 [0, 0]、[0, 1]、"
                      "[1, 0]、[1, 1] 中，有几个使输出大于 0.5？"},
        answer=float(count),
        decimals=0,
        solution={
            "en": f"σ(z) > 0.5 exactly when z > 0; z = {vec(z)}, so {count}",
            "zh": f"σ(z) > 0.5 当且仅当 z > 0；z = {vec(z)}，所以有 {count} 个",
        },
        traps=[
            trap(np.count_nonzero(no_bias > 0),
                 "the bias b left out: z = wᵀx + b", "漏了偏置 b：z = wᵀx + b"),
            trap(np.count_nonzero(np.ravel(z) > 0.5),
                 "z compared with 0.5: σ(z) > 0.5 means z > 0",
                 "拿 z 去和 0.5 比较了：σ(z) > 0.5 等价于 z > 0"),
        ],
    )


# --- neural network ------------------------------------------------------------------------


@template("neural-network", "output-shape")
def network_output_shape(rng) -> Question:
    n = pick(rng, (16, 32, 64, 128))
    d = pick(rng, (10, 20, 64, 100, 784))
    h = pick(rng, (8, 32, 50, 128, 256))
    w = np.zeros((h, d))  # the kernel keeps W as (out, in) = (h, d), i.e. computes X·Wᵀ
    if rng.random() < 0.5:
        x = np.zeros((n, d))
        en = f"X is {n}×{d} (N×d), W is {d}×{h}, b has {h} entries"
        zh = f"X 为 {n}×{d}（N×d），W 为 {d}×{h}，b 有 {h} 个元素"
        formula = "(N, d)·(d, h) → (N, h)"
    else:
        t = pick(rng, (5, 10, 12))
        x = np.zeros((n, t, d))
        en = f"X is {n}×{t}×{d} (batch × time × features), W is {d}×{h}, b has {h} entries"
        zh = f"X 为 {n}×{t}×{d}（批量 × 时间步 × 特征），W 为 {d}×{h}，b 有 {h} 个元素"
        formula = "leading axes are kept, the last one d becomes h"
    out, _ = nn.linear_forward(x, w, np.zeros(h))
    shape = tuple(int(s) for s in out.shape)
    traps = [trap((*shape[:-1], d), "in and out swapped: the last axis d becomes W's second "
                  "dimension h", "输入和输出维度弄反了：最后一维 d 变成 W 的第二维 h")]
    if len(shape) == 3:
        traps.append(trap((n, h), "the time axis dropped: a linear layer keeps the leading axes",
                          "丢掉了时间轴：线性层保留前面的各个轴"))
    return Question(
        "neural-network", "output-shape",
        prompt={"en": f"{en}. Shape of XW + b?", "zh": f"{zh}。XW + b 的形状是？"},
        answer=shape,
        kind="shape",
        decimals=None,
        solution={
            "en": f"{formula}; b is broadcast over the rows: {shape}",
            "zh": (f"{formula}；b 按行广播：{shape}" if len(shape) == 2 else
                   f"前面的轴保持不变，最后一维 d 变成 h；b 按行广播：{shape}"),
        },
        traps=traps,
    )


@template("neural-network", "param-count")
def network_param_count(rng) -> Question:
    d = pick(rng, (4, 10, 20, 64, 784))
    h = pick(rng, (8, 16, 32, 100, 128))
    k = pick(rng, (1, 2, 3, 10))
    p1, p2 = nn.linear_num_params(d, h), nn.linear_num_params(h, k)
    total = p1 + p2
    return Question(
        "neural-network", "param-count",
        prompt={"en": f"An MLP {d} → {h} → {k}: nn.Linear({d}, {h}), ReLU, nn.Linear({h}, {k}), "
                      "with biases. How many parameters in total?",
                "zh": f"多层感知机 {d} → {h} → {k}：nn.Linear({d}, {h})、ReLU、"
                      f"nn.Linear({h}, {k})，都带偏置。参数总数是多少？"},
        answer=float(total),
        decimals=0,
        solution={
            "en": f"{d}·{h} + {h} = {p1}; {h}·{k} + {k} = {p2}; ReLU has none; total {total}",
            "zh": f"{d}·{h} + {h} = {p1}；{h}·{k} + {k} = {p2}；ReLU 没有参数；共 {total}",
        },
        traps=[
            trap(d * h + h * k, "the weights only, without the biases", "只算了权重，漏了偏置"),
        ],
    )


@template("neural-network", "weight-shape")
def network_weight_shape(rng) -> Question:
    d = pick(rng, (3, 10, 20, 64, 784))
    h = pick(rng, (5, 16, 32, 100, 128))
    w = np.zeros((h, d))
    nn.linear_forward(np.zeros((1, d)), w, np.zeros(h))  # the layout the kernel (and torch) uses
    shape = tuple(int(s) for s in w.shape)
    return Question(
        "neural-network", "weight-shape",
        prompt={"en": f"Shape of torch.nn.Linear({d}, {h}).weight?",
                "zh": f"torch.nn.Linear({d}, {h}).weight 的形状是？"},
        answer=shape,
        kind="shape",
        decimals=None,
        solution={
            "en": f"PyTorch stores W as (out_features, in_features) = {shape} and computes "
                  f"x·Wᵀ + b; the bias has shape ({h},)",
            "zh": f"PyTorch 把 W 存成 (out_features, in_features) = {shape}，计算 x·Wᵀ + b；"
                  f"偏置形状为 ({h},)",
        },
        traps=[
            trap((d, h), "(in, out): nn.Linear stores weight as (out_features, in_features)",
                 "写成了 (in, out)：nn.Linear 的 weight 形状是 (out_features, in_features)"),
        ],
    )


# --- supervised learning -------------------------------------------------------------------

_SPLITS = ((0.8, 0.1), (0.7, 0.15), (0.6, 0.2), (0.7, 0.1))
_SETS = (("training", "训练集"), ("validation", "验证集"), ("test", "测试集"))


@template("supervised-learning", "split")
def supervised_split(rng) -> Question:
    n = pick(rng, (1000, 2000, 5000, 12000, 60000))
    train, val = pick(rng, _SPLITS)
    test = round(1 - train - val, 2)
    counts = [round(n * f) for f in (train, val, test)]
    which = int(rng.integers(3))
    name, zh_name = _SETS[which]
    pct = [f"{round(100 * f)}%" for f in (train, val, test)]
    return Question(
        "supervised-learning", "split",
        prompt={"en": f"{n} labelled samples are split {pct[0]} / {pct[1]} / {pct[2]} into "
                      f"training / validation / test sets. How many samples in the {name} set?",
                "zh": f"{n} 个带标签的样本按 {pct[0]} / {pct[1]} / {pct[2]} 划分为训练集 / "
                      f"验证集 / 测试集。{zh_name}有多少个样本？"},
        answer=float(counts[which]),
        decimals=0,
        solution={
            "en": f"{pct[which]} of {n} = {counts[which]} (the three sets: {counts[0]}, "
                  f"{counts[1]}, {counts[2]})",
            "zh": f"{n} 的 {pct[which]} = {counts[which]}（三个集合依次为 {counts[0]}、"
                  f"{counts[1]}、{counts[2]}）",
        },
    )


@template("supervised-learning", "train-mse")
def supervised_train_mse(rng) -> Question:
    w = pick(rng, (0.5, 1.0, 1.5, 2.0, -1.0))
    b = draw(rng, -1.0, 1.0, nonzero=False)
    x = [1.0, 2.0, 3.0]
    pred, _ = nn.linear_forward(np.array(x)[:, None], [[w]], [b])
    pred = pred.ravel()
    y = [clean(p + draw(rng, -1.0, 1.0, nonzero=False)) for p in pred]
    loss = nn.mse_loss(pred, y)
    line = f"{show(w)}·x {'−' if b < 0 else '+'} {show(abs(b))}"
    squares, mean = _squares_and_mean(pred - y)
    return Question(
        "supervised-learning", "train-mse",
        prompt={"en": f"The model ŷ = {line} is trained on x = {vec(x)} "
                      f"with labels y = {vec(y)}. Its training MSE = ?",
                "zh": f"模型 ŷ = {line} 在 x = {vec(x)}、标签 "
                      f"y = {vec(y)} 上训练。它的训练集均方误差是多少？"},
        answer=clean(loss),
        solution={
            "en": f"ŷ = {vec(pred)}; errors ŷ − y = {vec(pred - y)}; squares {squares}; "
                  f"MSE = their mean = {mean}",
            "zh": f"ŷ = {vec(pred)}；误差 ŷ − y = {vec(pred - y)}；平方 {squares}；"
                  f"均方误差 = 平方的平均 = {mean}",
        },
        traps=[
            trap(float(loss) * 3, "the sum of squared errors: MSE takes the mean",
                 "算成了误差平方和：MSE 要取平均"),
        ],
    )


@template("supervised-learning", "baseline")
def supervised_baseline(rng) -> Question:
    y = draws(rng, 4, 0.0, 5.0, nonzero=False)
    mean = float(np.mean(y))
    loss = nn.mse_loss(np.full(4, mean), y)
    squares, mse = _squares_and_mean(np.array(y) - mean)
    return Question(
        "supervised-learning", "baseline",
        prompt={"en": f"Labels y = {vec(y)}. A trivial baseline predicts their mean for every "
                      "sample. Its MSE = ?",
                "zh": f"标签 y = {vec(y)}。一个简单基线对每个样本都预测标签的平均值。"
                      "它的均方误差是多少？"},
        answer=clean(loss),
        solution={
            "en": f"mean = {show(float(np.sum(y)))}/4 = {show(mean)}; errors "
                  f"{vec(np.array(y) - mean)}; squares {squares}; MSE = their mean = {mse} "
                  "(the variance of y: a model must beat this)",
            "zh": f"平均值 = {show(float(np.sum(y)))}/4 = {show(mean)}；误差 "
                  f"{vec(np.array(y) - mean)}；平方 {squares}；均方误差 = 平方的平均 = {mse}"
                  "（即 y 的方差：模型至少要比它好）",
        },
        traps=[
            trap(float(loss) * 4 / 3, "divided by n − 1: the MSE of the mean divides by n",
                 "除以了 n − 1：均值基线的 MSE 除以 n"),
        ],
    )


# --- universal approximation ---------------------------------------------------------------


def _relu_sum(x: float, kinks, v) -> tuple[np.ndarray, float]:
    """Hidden ReLU(x − kᵢ) and the output Σ vᵢ·ReLU(x − kᵢ), with the dlref.nn kernels."""
    n = len(kinks)
    z, _ = nn.linear_forward([x], np.ones((n, 1)), -np.asarray(kinks, dtype=float))
    h = nn.relu(z)
    y, _ = nn.linear_forward(h, [v], None)
    return h, float(y[0])


def _kinks(rng, n: int) -> list[float]:
    """n distinct kinks in [0, 2], multiples of 0.5, sorted."""
    return sorted(float(k) for k in rng.choice([0.0, 0.5, 1.0, 1.5, 2.0], n, replace=False))


@template("universal-approximation", "value")
def approximation_value(rng) -> Question:
    n = int(rng.integers(2, 4))
    kinks = _kinks(rng, n)
    v = draws(rng, n, -2.0, 2.0)
    x = draw(rng, kinks[0] + 0.1, 3.0)  # past the first kink: at least one unit is on
    h, y = _relu_sum(x, kinks, v)
    linear = float(np.dot(v, x - np.asarray(kinks)))
    return Question(
        "universal-approximation", "value",
        prompt={"en": f"ŷ(x) = Σ vᵢ·ReLU(x − kᵢ) with kinks k = {vec(kinks)} and v = {vec(v)}. "
                      f"ŷ({show(x)}) = ?",
                "zh": f"ŷ(x) = Σ vᵢ·ReLU(x − kᵢ)，折点 k = {vec(kinks)}，v = {vec(v)}。"
                      f"ŷ({show(x)}) 等于多少？"},
        answer=clean(y),
        decimals=2,
        solution={
            "en": f"x − k = {vec(x - np.asarray(kinks))}; ReLU(x − k) = {vec(h)}; "
                  f"Σ vᵢ·ReLU(x − kᵢ) = {_weighted_sum(v, h)}",
            "zh": f"x − k = {vec(x - np.asarray(kinks))}；ReLU(x − k) = {vec(h)}；"
                  f"Σ vᵢ·ReLU(x − kᵢ) = {_weighted_sum(v, h)}",
        },
        traps=[
            trap(linear, "the ReLUs left out: units whose kink is past x give 0",
                 "漏了 ReLU：折点在 x 右边的单元输出 0"),
        ],
    )


@template("universal-approximation", "slope")
def approximation_slope(rng) -> Question:
    n = int(rng.integers(2, 4))
    kinks = _kinks(rng, n)
    v = draws(rng, n, -2.0, 2.0)
    x = pick(rng, [p for p in (0.25, 0.75, 1.25, 1.75, 2.25) if p > kinks[0]])  # off the kinks
    active = nn.relu_grad(x - np.asarray(kinks))
    slope, _ = nn.linear_forward(active, [v], None)
    slope = clean(slope[0])
    on = [paren(vi) for vi, ai in zip(v, active, strict=True) if ai]
    summed = f"{' + '.join(on)} = " if len(on) > 1 else ""
    return Question(
        "universal-approximation", "slope",
        prompt={"en": f"ŷ(x) = Σ vᵢ·ReLU(x − kᵢ) with kinks k = {vec(kinks)} and v = {vec(v)}. "
                      f"The slope dŷ/dx at x = {show(x)} = ?",
                "zh": f"ŷ(x) = Σ vᵢ·ReLU(x − kᵢ)，折点 k = {vec(kinks)}，v = {vec(v)}。"
                      f"x = {show(x)} 处的斜率 dŷ/dx 等于多少？"},
        answer=slope,
        decimals=1,
        solution={
            "en": f"a unit adds vᵢ to the slope once x > kᵢ; active units {vec(active)}; "
                  f"slope = Σ of their vᵢ = {summed}{show(slope)}",
            "zh": f"x 越过折点 kᵢ 后，该单元给斜率加上 vᵢ；激活情况 {vec(active)}；"
                  f"斜率 = 激活单元的 vᵢ 之和 = {summed}{show(slope)}",
        },
        traps=[
            trap(float(np.sum(v)), "every unit counted: only units whose kink is left of x are on",
                 "所有单元都算了：只有折点在 x 左边的单元是激活的"),
        ],
    )


@template("universal-approximation", "pieces")
def approximation_pieces(rng) -> Question:
    n = int(rng.integers(3, 7))
    kinks = [float(k) for k in rng.choice([0.0, 0.5, 1.0, 1.5, 2.0, 2.5], n, replace=True)]
    v = draws(rng, n, 0.1, 2.0)  # all positive: no two kinks can cancel
    distinct = sorted(set(kinks))
    # Count pieces with the kernels: the slope on each side of and between the kinks.
    probes = [distinct[0] - 1.0] + [k + 0.25 for k in distinct]
    slopes = [float(nn.linear_forward(nn.relu_grad(p - np.asarray(kinks)), [v], None)[0][0])
              for p in probes]
    pieces = 1 + sum(abs(b - a) > 1e-9 for a, b in zip(slopes, slopes[1:], strict=False))
    return Question(
        "universal-approximation", "pieces",
        prompt={"en": f"ŷ(x) = Σ vᵢ·ReLU(x − kᵢ) with {n} units, kinks k = {vec(kinks)}, all "
                      "vᵢ > 0. Into how many linear pieces does ŷ split the real line?",
                "zh": f"ŷ(x) = Σ vᵢ·ReLU(x − kᵢ) 有 {n} 个单元，折点 k = {vec(kinks)}，所有 "
                      "vᵢ > 0。ŷ 把实数轴分成几段线性段？"},
        answer=float(pieces),
        decimals=0,
        solution={
            "en": f"each distinct kink bends the line once: {len(distinct)} distinct kinks "
                  f"{vec(distinct)}, so {pieces} pieces (N units give at most N + 1)",
            "zh": f"每个不同的折点让折线拐一次：共 {len(distinct)} 个不同折点 {vec(distinct)}，"
                  f"所以是 {pieces} 段（N 个单元最多 N + 1 段）",
        },
        traps=[
            trap(float(len(kinks) + 1), "one piece per unit: kinks at the same place count once",
                 "每个单元算一段：位置相同的折点只算一次"),
        ],
    )


# --- deep belief network -------------------------------------------------------------------


def _rbm_params(n_v: int, n_h: int) -> int:
    """An RBM: the n_v·n_h weights and n_h hidden biases of a linear layer, plus n_v visible
    biases."""
    return nn.linear_num_params(n_v, n_h) + n_v


@template("deep-belief-network", "rbm-params")
def dbn_rbm_params(rng) -> Question:
    n_v = pick(rng, (6, 10, 64, 100, 784))
    n_h = pick(rng, (4, 20, 64, 100, 500))
    p = _rbm_params(n_v, n_h)
    return Question(
        "deep-belief-network", "rbm-params",
        prompt={"en": f"An RBM with {n_v} visible and {n_h} hidden units, with a bias on every "
                      "unit. How many parameters?",
                "zh": f"一个受限玻尔兹曼机（RBM）有 {n_v} 个可见单元、{n_h} 个隐藏单元，"
                      "每个单元都有偏置。共有多少个参数？"},
        answer=float(p),
        decimals=0,
        solution={
            "en": f"n_v·n_h + n_v + n_h = {n_v}·{n_h} + {n_v} + {n_h} = {p}",
            "zh": f"n_v·n_h + n_v + n_h = {n_v}·{n_h} + {n_v} + {n_h} = {p}",
        },
        traps=[
            trap(n_v * n_h, "the weights only, without the visible and hidden biases",
                 "只算了权重，漏了可见层和隐藏层的偏置"),
            trap(n_v * n_h + n_h, "the visible biases left out", "漏了可见层的偏置"),
        ],
    )


@template("deep-belief-network", "stack-params")
def dbn_stack_params(rng) -> Question:
    sizes = [pick(rng, (784, 100, 64, 20)), pick(rng, (500, 256, 32, 10)),
             pick(rng, (500, 128, 16, 5))]
    parts = [_rbm_params(a, b) for a, b in zip(sizes, sizes[1:], strict=False)]
    total = sum(parts)
    shown = "-".join(str(s) for s in sizes)
    each = [f"{a}·{b} + {a} + {b} = {p}"
            for (a, b), p in zip(zip(sizes, sizes[1:], strict=False), parts, strict=True)]
    return Question(
        "deep-belief-network", "stack-params",
        prompt={"en": f"A DBN with layer sizes {shown} is pre-trained as a stack of RBMs, each "
                      "with its own visible and hidden biases. Total parameters of the RBMs?",
                "zh": f"层宽为 {shown} 的深度信念网络按一摞 RBM 预训练，每个 RBM 都有自己的"
                      "可见层偏置和隐藏层偏置。这些 RBM 的参数总数是多少？"},
        answer=float(total),
        decimals=0,
        solution={
            "en": f"each RBM has n_v·n_h + n_v + n_h: RBM {sizes[0]}-{sizes[1]}: {each[0]}; "
                  f"RBM {sizes[1]}-{sizes[2]}: {each[1]}; total {parts[0]} + {parts[1]} = "
                  f"{total}",
            "zh": f"每个 RBM 有 n_v·n_h + n_v + n_h 个参数：RBM {sizes[0]}-{sizes[1]}：{each[0]}；"
                  f"RBM {sizes[1]}-{sizes[2]}：{each[1]}；共 {parts[0]} + {parts[1]} = {total}",
        },
        traps=[
            trap(sum(a * b for a, b in zip(sizes, sizes[1:], strict=False)),
                 "the weights only, without the biases", "只算了权重，漏了偏置"),
        ],
    )


@template("deep-belief-network", "pretrain-stages")
def dbn_pretrain_stages(rng) -> Question:
    hidden = int(rng.integers(2, 6))
    widths = sorted((pick(rng, (1000, 500, 256, 128, 64, 32)) for _ in range(hidden)),
                    reverse=True)
    sizes = [pick(rng, (784, 1000, 100))] + widths
    stages = len(sizes) - 1  # one RBM per pair of adjacent layers
    shown = "-".join(str(s) for s in sizes)
    return Question(
        "deep-belief-network", "pretrain-stages",
        prompt={"en": f"A DBN with layer sizes {shown} (input first) is pre-trained greedily, "
                      "layer by layer. How many RBMs are trained?",
                "zh": f"层宽为 {shown}（第一个是输入层）的深度信念网络做逐层贪心预训练。"
                      "一共要训练几个 RBM？"},
        answer=float(stages),
        decimals=0,
        solution={
            "en": f"one RBM per pair of adjacent layers, i.e. per hidden layer: {stages}; each "
                  "takes the previous one's hidden activities as its data",
            "zh": f"每对相邻层一个 RBM，也就是每个隐藏层一个：{stages} 个；"
                  "每个 RBM 把上一个的隐藏层激活当作训练数据",
        },
        traps=[
            trap(float(len(sizes)), "the layers counted: one RBM per pair of adjacent layers",
                 "数成了层数：每对相邻层对应一个 RBM"),
        ],
    )


@template("deep-belief-network", "hidden-prob")
def dbn_hidden_prob(rng) -> Question:
    v = [float(b) for b in rng.integers(0, 2, size=3)]
    if not any(v):
        v[int(rng.integers(3))] = 1.0
    w = draws(rng, 3, -2.0, 2.0)
    c = draw(rng, -1.0, 1.0, nonzero=False)
    z, _ = nn.linear_forward(v, [w], [c])
    p = float(nn.sigmoid(z)[0])
    return Question(
        "deep-belief-network", "hidden-prob",
        prompt={"en": f"In an RBM, hidden unit j has weights w = {vec(w)} to the visible units "
                      f"and bias c = {show(c)}. For v = {vec(v)}, p(hⱼ = 1 | v) = ?",
                "zh": f"RBM 中隐藏单元 j 与可见单元的权重 w = {vec(w)}，偏置 c = {show(c)}。"
                      f"v = {vec(v)} 时，p(hⱼ = 1 | v) 等于多少？"},
        answer=p,
        solution={
            "en": f"wᵀv + c = {_weighted_sum(w, v, c)}; p = {_sigmoid_steps(float(z[0]))}",
            "zh": f"wᵀv + c = {_weighted_sum(w, v, c)}；p = {_sigmoid_steps(float(z[0]))}",
        },
        traps=[
            trap(float(z[0]), "the pre-activation given: σ was not applied",
                 "给出了加权输入：没有套上 σ"),
        ],
    )

