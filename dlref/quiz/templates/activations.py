"""Questions on activation functions: values, derivatives and the identities between them.
"""

from __future__ import annotations

import numpy as np

from dlref import nn
from dlref.quiz.draw import clean, draw, draws, floats, mat, paren, pick, show, trap, vec
from dlref.quiz.questions import Question, template


def _rows_times(w, x) -> str:
    """W·x row by row with the drawn numbers, then its value: "[(-1.1)·2 + 1.2·(-2), …] =
    [-4.6, …]"; a one-row W gives a number."""
    rows = [" + ".join(f"{paren(wij)}·{paren(xj)}" for wij, xj in zip(row, x, strict=True))
            for row in np.asarray(w)]
    out = np.asarray(w) @ np.asarray(x, dtype=float)
    if len(rows) == 1:
        return f"{rows[0]} = {show(float(out[0]))}"
    return "[" + ", ".join(rows) + f"] = {vec(out)}"


def _x(rng, low: float = -3.0, high: float = 3.0) -> float:
    """A random input with one decimal, never exactly 0 (where derivatives are conventions)."""
    return draw(rng, low, high)


# --- sigmoid -------------------------------------------------------------------------------


@template("sigmoid", "value")
def sigmoid_value(rng) -> Question:
    x = _x(rng)
    e = float(nn.sigmoid(-x) / nn.sigmoid(x))  # σ(−x)/σ(x) = e⁻ˣ
    y = float(nn.sigmoid(x))
    return Question(
        "sigmoid", "value",
        prompt={"en": f"σ({show(x)}) = ?", "zh": f"σ({show(x)}) 等于多少？"},
        answer=y,
        solution={
            "en": f"σ(x) = 1 / (1 + e⁻ˣ); e^{-x:g} = {show(e)}; 1 / (1 + {show(e)}) = "
                  f"{show(y)}",
            "zh": f"σ(x) = 1 / (1 + e⁻ˣ)；e^{-x:g} = {show(e)}；1 / (1 + {show(e)}) = "
                  f"{show(y)}",
        },
        traps=[
            trap(1 / (1 + np.exp(x)), "the sign of the exponent lost: 1/(1 + eˣ) is σ(−x)",
                 "指数的符号弄丢了：1/(1 + eˣ) 是 σ(−x)"),
        ],
    )


@template("sigmoid", "derivative")
def sigmoid_derivative(rng) -> Question:
    x = _x(rng)
    s = float(nn.sigmoid(x))
    d = float(nn.sigmoid_grad(x))
    return Question(
        "sigmoid", "derivative",
        prompt={"en": f"σ′({show(x)}) = ?", "zh": f"σ′({show(x)}) 等于多少？"},
        answer=d,
        solution={
            "en": f"σ′(x) = σ(x)(1 − σ(x)); σ({show(x)}) = {show(s)}; "
                  f"{show(s)} × {show(1 - s)} = {show(d)}",
            "zh": f"σ′(x) = σ(x)(1 − σ(x))；σ({show(x)}) = {show(s)}；"
                  f"{show(s)} × {show(1 - s)} = {show(d)}",
        },
        traps=[
            trap(s, "σ(x) given for σ′(x): the derivative is σ(x)(1 − σ(x))",
                 "把 σ(x) 当成了 σ′(x)：导数是 σ(x)(1 − σ(x))"),
            trap(s * s, "σ′ taken as σ(x)²", "把 σ′ 算成了 σ(x)²"),
        ],
    )


@template("sigmoid", "inverse")
def sigmoid_inverse(rng) -> Question:
    z = _x(rng)
    p = float(nn.sigmoid(z))
    shown = show(p, 6)
    odds = float(nn.sigmoid(z) / nn.sigmoid(-z))  # p / (1 − p) = eᶻ
    return Question(
        "sigmoid", "inverse",
        prompt={"en": f"σ(z) = {shown}. What is z?",
                "zh": f"已知 σ(z) = {shown}，z 等于多少？"},
        answer=z,
        decimals=1,
        solution={
            "en": f"z = ln(p / (1 − p)) (the logit); p / (1 − p) = {show(odds)}; "
                  f"ln({show(odds)}) = {show(z)}",
            "zh": f"z = ln(p / (1 − p))（logit，σ 的反函数）；p / (1 − p) = {show(odds)}；"
                  f"ln({show(odds)}) = {show(z)}",
        },
        traps=[
            trap(np.log(p), "ln p instead of the log-odds ln(p/(1 − p))",
                 "算成了 ln p，而不是对数几率 ln(p/(1 − p))"),
        ],
    )


# --- tanh ----------------------------------------------------------------------------------


@template("tanh", "value")
def tanh_value(rng) -> Question:
    x = _x(rng, -2.0, 2.0)
    y = float(nn.tanh(x))
    ex, emx = float(np.exp(x)), float(np.exp(-x))
    return Question(
        "tanh", "value",
        prompt={"en": f"tanh({show(x)}) = ?", "zh": f"tanh({show(x)}) 等于多少？"},
        answer=y,
        solution={
            "en": f"tanh(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ) = ({show(ex)} − {show(emx)}) / "
                  f"({show(ex)} + {show(emx)}) = {show(y)}",
            "zh": f"tanh(x) = (eˣ − e⁻ˣ) / (eˣ + e⁻ˣ) = ({show(ex)} − {show(emx)}) / "
                  f"({show(ex)} + {show(emx)}) = {show(y)}",
        },
        traps=[
            trap(1 / (1 + np.exp(-x)), "σ(x) given for tanh(x)", "把 σ(x) 当成了 tanh(x)"),
        ],
    )


@template("tanh", "derivative")
def tanh_derivative(rng) -> Question:
    x = _x(rng, -2.0, 2.0)
    t = float(nn.tanh(x))
    d = float(nn.tanh_grad(x))
    return Question(
        "tanh", "derivative",
        prompt={"en": f"tanh′({show(x)}) = ?", "zh": f"tanh′({show(x)}) 等于多少？"},
        answer=d,
        solution={
            "en": f"tanh′(x) = 1 − tanh²(x); tanh({show(x)}) = {show(t)}; "
                  f"1 − ({show(t)})² = {show(d)}",
            "zh": f"tanh′(x) = 1 − tanh²(x)；tanh({show(x)}) = {show(t)}；"
                  f"1 − ({show(t)})² = {show(d)}",
        },
        traps=[
            trap(t, "tanh(x) given for tanh′(x): the derivative is 1 − tanh²(x)",
                 "把 tanh(x) 当成了 tanh′(x)：导数是 1 − tanh²(x)"),
            trap(1 - t, "1 − tanh(x) without the square", "算成了 1 − tanh(x)，漏了平方"),
        ],
    )


@template("tanh", "from-sigmoid")
def tanh_from_sigmoid(rng) -> Question:
    x = _x(rng, -1.5, 1.5)
    s = float(nn.sigmoid(2 * x))
    y = float(nn.tanh(x))
    sx, s2x = show(x), show(2 * x)
    return Question(
        "tanh", "from-sigmoid",
        prompt={"en": f"σ({s2x}) = {show(s, 6)}. Without a tanh key: tanh({sx}) = ?",
                "zh": f"已知 σ({s2x}) = {show(s, 6)}，不用 tanh 键，tanh({sx}) 等于多少？"},
        answer=y,
        solution={
            "en": f"tanh(x) = 2σ(2x) − 1 = 2 × {show(s, 6)} − 1 = {show(y)}",
            "zh": f"tanh(x) = 2σ(2x) − 1 = 2 × {show(s, 6)} − 1 = {show(y)}",
        },
        traps=[
            trap(s, "σ(2x) itself: tanh(x) = 2σ(2x) − 1", "直接给了 σ(2x)：tanh(x) = 2σ(2x) − 1"),
            trap(2 * s, "2σ(2x) without the − 1", "算了 2σ(2x)，漏了 − 1"),
        ],
    )


# --- relu ----------------------------------------------------------------------------------


@template("relu", "value")
def relu_value(rng) -> Question:
    xs = [_x(rng) for _ in range(3)]
    ys = floats(nn.relu(xs))
    shown = ", ".join(show(x) for x in xs)
    return Question(
        "relu", "value",
        prompt={"en": f"ReLU([{shown}]) = ?", "zh": f"ReLU([{shown}]) 等于？"},
        answer=ys,
        kind="vector",
        decimals=1,
        solution={
            "en": f"ReLU(x) = max(0, x) element-wise: {vec(ys)}",
            "zh": f"ReLU(x) = max(0, x)，逐元素计算：{vec(ys)}",
        },
        traps=[
            trap(np.abs(xs), "|x| instead of max(0, x): negative inputs become 0, not −x",
                 "算成了 |x|：负输入输出 0，而不是 −x"),
        ],
    )


@template("relu", "derivative")
def relu_derivative(rng) -> Question:
    xs = draws(rng, 4, -2.0, 2.0)
    if rng.random() < 0.5:
        xs[int(rng.integers(4))] = 0.0
    ds = floats(nn.relu_grad(xs))
    return Question(
        "relu", "derivative",
        prompt={"en": f"ReLU′(x) for x = {vec(xs)}? (take ReLU′(0) = 0, as PyTorch)",
                "zh": f"x = {vec(xs)} 时 ReLU′(x) 等于？（按 PyTorch 约定 ReLU′(0) = 0）"},
        answer=ds,
        kind="vector",
        decimals=1,  # 0/1 entries; a vector hint for 0 decimals would read "0 decimals"
        solution={
            "en": f"ReLU′(x) = 1 if x > 0 else 0, element-wise: {vec(ds)}",
            "zh": f"x > 0 时 ReLU′(x) = 1，否则为 0，逐元素：{vec(ds)}",
        },
        traps=[
            trap(np.sign(xs), "ReLU′ taken as sgn(x): the slope is 0, not −1, for x < 0",
                 "把 ReLU′ 当成了 sgn(x)：x < 0 时斜率是 0 而不是 −1"),
            trap([1.0 if x >= 0 else 0.0 for x in xs], "ReLU′(0) taken as 1 (PyTorch uses 0)",
                 "把 ReLU′(0) 取成了 1（PyTorch 取 0）"),
        ],
    )


@template("relu", "zeros")
def relu_zeros(rng) -> Question:
    z = draws(rng, 8, -2.0, 2.0, nonzero=False)
    a = nn.relu(z)
    zeros = int(np.count_nonzero(a == 0.0))
    return Question(
        "relu", "zeros",
        prompt={"en": f"A layer's pre-activations are z = {vec(z)}. "
                      "How many outputs of ReLU(z) are exactly 0?",
                "zh": f"某层的加权输入为 z = {vec(z)}。ReLU(z) 中恰好为 0 的输出有几个？"},
        answer=float(zeros),
        decimals=0,
        solution={
            "en": f"ReLU(z) = {vec(a)}: every z ≤ 0 gives 0, so {zeros} zeros "
                  "(and those units pass no gradient back)",
            "zh": f"ReLU(z) = {vec(a)}：凡 z ≤ 0 都输出 0，共 {zeros} 个"
                  "（这些单元也不回传梯度）",
        },
        traps=[
            trap(float(np.count_nonzero(np.array(z) < 0)),
                 "only the negative inputs counted: ReLU(0) = 0 too",
                 "只数了负输入：ReLU(0) 也等于 0"),
        ],
    )


# --- leaky relu ----------------------------------------------------------------------------

_LEAKY_SLOPES = (0.01, 0.01, 0.1, 0.2)


def _slope_note(alpha: float) -> tuple[str, str]:
    if alpha == 0.01:
        return "α = 0.01, PyTorch's default", "α = 0.01，PyTorch 默认值"
    return f"α = {show(alpha)}", f"α = {show(alpha)}"


@template("leaky-relu", "value")
def leaky_relu_value(rng) -> Question:
    alpha = pick(rng, _LEAKY_SLOPES)
    xs = draws(rng, 3, -3.0, 3.0)
    xs[0] = -abs(xs[0])  # at least one negative input
    rng.shuffle(xs)
    ys = floats(nn.leaky_relu(xs, alpha))
    en, zh = _slope_note(alpha)
    return Question(
        "leaky-relu", "value",
        prompt={"en": f"LeakyReLU({vec(xs)}) with {en} = ?",
                "zh": f"LeakyReLU({vec(xs)}) 等于？（{zh}）"},
        answer=ys,
        kind="vector",
        solution={
            "en": f"x if x > 0 else α·x, element-wise: {vec(ys)}",
            "zh": f"x > 0 时为 x，否则为 α·x，逐元素：{vec(ys)}",
        },
        traps=[
            trap(np.maximum(xs, 0.0), "plain ReLU: negative inputs are scaled by α, not zeroed",
                 "算成了普通 ReLU：负输入要乘以 α，而不是置零"),
            trap(alpha * np.asarray(xs), "α applied to positive inputs too",
                 "把 α 也乘到了正输入上"),
        ],
    )


@template("leaky-relu", "derivative")
def leaky_relu_derivative(rng) -> Question:
    alpha = pick(rng, _LEAKY_SLOPES)
    xs = draws(rng, 3, -3.0, 3.0)
    xs[0] = -abs(xs[0])
    rng.shuffle(xs)
    ds = floats(nn.leaky_relu_grad(xs, alpha))
    en, zh = _slope_note(alpha)
    return Question(
        "leaky-relu", "derivative",
        prompt={"en": f"LeakyReLU′(x) for x = {vec(xs)} with {en}?",
                "zh": f"x = {vec(xs)} 时 LeakyReLU′(x) 等于？（{zh}）"},
        answer=ds,
        kind="vector",
        solution={
            "en": f"1 if x > 0 else α, element-wise: {vec(ds)} (never exactly 0)",
            "zh": f"x > 0 时为 1，否则为 α，逐元素：{vec(ds)}（永远不会恰好为 0）",
        },
        traps=[
            trap([0.0 if x < 0 else 1.0 for x in xs], "ReLU′: the slope for x < 0 is α, not 0",
                 "算成了 ReLU′：x < 0 时斜率是 α，而不是 0"),
        ],
    )


@template("leaky-relu", "slope")
def leaky_relu_slope(rng) -> Question:
    alpha = pick(rng, (0.01, 0.02, 0.05, 0.1, 0.2, 0.3))
    x = -abs(draw(rng, 0.5, 5.0))
    y = float(nn.leaky_relu(x, alpha))
    return Question(
        "leaky-relu", "slope",
        prompt={"en": f"A Leaky ReLU gives LeakyReLU({show(x)}) = {show(y)}. "
                      "What is its negative slope α?",
                "zh": f"某 Leaky ReLU 满足 LeakyReLU({show(x)}) = {show(y)}，"
                      "它的负半轴斜率 α 是多少？"},
        answer=alpha,
        decimals=3,
        solution={
            "en": f"x < 0, so y = α·x and α = y / x = {show(y)} / {paren(x)} = "
                  f"{show(alpha)}",
            "zh": f"x < 0，故 y = α·x，α = y / x = {show(y)} / {paren(x)} = "
                  f"{show(alpha)}",
        },
        traps=[
            trap(x / y, "x/y: the slope is y/x", "算成了 x/y：斜率是 y/x"),
        ],
    )


# --- elu -----------------------------------------------------------------------------------

_ELU_ALPHAS = (1.0, 1.0, 0.5, 2.0)


@template("elu", "value")
def elu_value(rng) -> Question:
    alpha = pick(rng, _ELU_ALPHAS)
    x = -abs(_x(rng)) if rng.random() < 0.8 else abs(_x(rng))
    y = float(nn.elu(x, alpha))
    e = float(np.exp(x))
    work = (f"x > 0, so ELU(x) = x = {show(y)}" if x > 0 else
            f"α(eˣ − 1) = {show(alpha)} × ({show(e)} − 1) = {show(y)}")
    zh_work = (f"x > 0，故 ELU(x) = x = {show(y)}" if x > 0 else
               f"α(eˣ − 1) = {show(alpha)} × ({show(e)} − 1) = {show(y)}")
    return Question(
        "elu", "value",
        prompt={"en": f"ELU({show(x)}) with α = {show(alpha)} = ?",
                "zh": f"α = {show(alpha)} 时，ELU({show(x)}) 等于多少？"},
        answer=y,
        solution={"en": f"ELU(x) = x if x > 0 else α(eˣ − 1); {work}",
                  "zh": f"x > 0 时 ELU(x) = x，否则为 α(eˣ − 1)；{zh_work}"},
        traps=[
            trap(np.exp(x) - 1 if x < 0 else x, "ELU without the factor α", "ELU 漏了系数 α"),
        ],
    )


@template("elu", "derivative")
def elu_derivative(rng) -> Question:
    alpha = pick(rng, _ELU_ALPHAS)
    x = -abs(_x(rng)) if rng.random() < 0.8 else abs(_x(rng))
    d = float(nn.elu_grad(x, alpha))
    e = float(np.exp(x))
    work = ("x > 0, so 1" if x > 0 else
            f"α·eˣ = {show(alpha)} × {show(e)} = {show(d)}")
    zh_work = ("x > 0，故为 1" if x > 0 else
               f"α·eˣ = {show(alpha)} × {show(e)} = {show(d)}")
    return Question(
        "elu", "derivative",
        prompt={"en": f"ELU′({show(x)}) with α = {show(alpha)} = ?",
                "zh": f"α = {show(alpha)} 时，ELU′({show(x)}) 等于多少？"},
        answer=d,
        solution={"en": f"ELU′(x) = 1 if x > 0 else α·eˣ; {work}",
                  "zh": f"x > 0 时 ELU′(x) = 1，否则为 α·eˣ；{zh_work}"},
        traps=[
            trap(alpha * (np.exp(x) - 1) if x < 0 else x,
                 "ELU(x) given for ELU′(x)", "把 ELU(x) 当成了 ELU′(x)"),
            trap(np.exp(x) if x < 0 else 1.0, "the derivative without the factor α",
                 "导数漏了系数 α"),
        ],
    )


@template("elu", "grad-from-value")
def elu_grad_from_value(rng) -> Question:
    alpha = pick(rng, _ELU_ALPHAS)
    x = -abs(_x(rng))
    y = float(nn.elu(x, alpha))
    d = float(nn.elu_grad(x, alpha))
    shown = show(y, 6)
    return Question(
        "elu", "grad-from-value",
        prompt={"en": f"An ELU with α = {show(alpha)} outputs {shown} for some x. "
                      "What is ELU′ at that x?",
                "zh": f"α = {show(alpha)} 的 ELU 在某个 x 处输出 {shown}，"
                      "该点的导数 ELU′ 是多少？"},
        answer=d,
        solution={
            "en": f"The output is negative, so x < 0 and ELU′(x) = α·eˣ = ELU(x) + α = "
                  f"{shown} + {show(alpha)} = {show(d)}",
            "zh": f"输出为负，说明 x < 0，此时 ELU′(x) = α·eˣ = ELU(x) + α = "
                  f"{shown} + {show(alpha)} = {show(d)}",
        },
        traps=[
            trap(y, "the value ELU(x) given for ELU′(x) = ELU(x) + α",
                 "把 ELU(x) 当成了 ELU′(x) = ELU(x) + α"),
            trap(y + 1, "ELU′ = ELU(x) + 1: the α was taken as 1",
                 "算成了 ELU(x) + 1：把 α 当成了 1"),
        ],
    )


# --- prelu ---------------------------------------------------------------------------------

_PRELU_SLOPES = (0.25, 0.25, 0.1, 0.2, 0.5)


def _prelu_note(a: float) -> tuple[str, str]:
    if a == 0.25:
        return "a = 0.25 (PyTorch's initial value)", "a = 0.25（PyTorch 的初始值）"
    return f"a = {show(a)}", f"a = {show(a)}"


@template("prelu", "value")
def prelu_value(rng) -> Question:
    a = pick(rng, _PRELU_SLOPES)
    xs = draws(rng, 3, -3.0, 3.0)
    xs[0] = -abs(xs[0])
    rng.shuffle(xs)
    ys = floats(nn.prelu(xs, a))
    en, zh = _prelu_note(a)
    return Question(
        "prelu", "value",
        prompt={"en": f"PReLU({vec(xs)}) with one shared slope {en} = ?",
                "zh": f"共享斜率 {zh}，PReLU({vec(xs)}) 等于？"},
        answer=ys,
        kind="vector",
        solution={"en": f"x if x > 0 else a·x, element-wise: {vec(ys)}",
                  "zh": f"x > 0 时为 x，否则为 a·x，逐元素：{vec(ys)}"},
        traps=[
            trap(np.maximum(xs, 0.0), "plain ReLU: negative inputs are scaled by a, not zeroed",
                 "算成了普通 ReLU：负输入要乘以 a，而不是置零"),
        ],
    )


@template("prelu", "per-channel")
def prelu_per_channel(rng) -> Question:
    a = [pick(rng, (0.25, 0.1, 0.2, 0.5)) for _ in range(2)]
    while a[0] == a[1]:
        a[1] = pick(rng, (0.25, 0.1, 0.2, 0.5))
    x = np.array(draws(rng, 4, -3.0, 3.0)).reshape(2, 2)
    x[0, 0], x[1, 1] = -abs(x[0, 0]), -abs(x[1, 1])  # a negative input in each channel
    y = nn.prelu(x, a)
    return Question(
        "prelu", "per-channel",
        prompt={"en": f"x = {mat(x)} (2 samples × 2 channels), PReLU with one slope per channel, "
                      f"a = {vec(a)}. PReLU(x), row by row = ?",
                "zh": f"x = {mat(x)}（2 个样本 × 2 个通道），PReLU 每个通道一个斜率，"
                      f"a = {vec(a)}。按行依次写出 PReLU(x)："},
        answer=floats(y),
        kind="vector",
        solution={
            "en": f"channel c = column c; negatives times a_c: PReLU(x) = {mat(y)}",
            "zh": f"第 c 个通道就是第 c 列，负数乘以 a_c：PReLU(x) = {mat(y)}",
        },
        traps=[
            trap(np.where(x > 0, x, np.array(a)[:, None] * x),
                 "one slope per row (sample): channel c is column c",
                 "按行（样本）分配了斜率：第 c 个通道是第 c 列"),
            trap(np.maximum(x, 0.0), "plain ReLU: negative inputs are scaled by a_c, not zeroed",
                 "算成了普通 ReLU：负输入要乘以 a_c，而不是置零"),
        ],
    )


@template("prelu", "grad-slope")
def prelu_grad_slope(rng) -> Question:
    a = pick(rng, _PRELU_SLOPES)
    xs = draws(rng, 3, -3.0, 3.0)
    xs[0] = -abs(xs[0])
    rng.shuffle(xs)
    g = draws(rng, 3, -2.0, 2.0)
    # PReLU is linear in a: ∂y/∂a = PReLU(x; a=1) − PReLU(x; a=0) = min(0, x)
    dyda = nn.prelu(xs, 1.0) - nn.prelu(xs, 0.0)
    dlda = float(np.dot(g, dyda))
    terms = " + ".join(f"{paren(gi)}·{paren(di)}" for gi, di in zip(g, dyda, strict=True))
    en, zh = _prelu_note(a)
    return Question(
        "prelu", "grad-slope",
        prompt={"en": f"PReLU with one shared slope {en}, inputs x = {vec(xs)}, upstream "
                      f"gradients ∂L/∂y = {vec(g)}. ∂L/∂a = ?",
                "zh": f"PReLU 共享斜率 {zh}，输入 x = {vec(xs)}，上游梯度 ∂L/∂y = {vec(g)}。"
                      "∂L/∂a 等于多少？"},
        answer=clean(dlda),
        decimals=2,
        solution={
            "en": f"∂y/∂a = x where x ≤ 0, else 0: {vec(dyda)}; ∂L/∂a = Σ ∂L/∂y · ∂y/∂a = "
                  f"{terms} = {show(dlda)} (a itself does not enter)",
            "zh": f"x ≤ 0 处 ∂y/∂a = x，否则为 0：{vec(dyda)}；∂L/∂a = Σ ∂L/∂y · ∂y/∂a = "
                  f"{terms} = {show(dlda)}（与 a 的取值无关）",
        },
        traps=[
            trap(float(np.dot(g, xs)), "every input counted: ∂y/∂a is x only where x < 0",
                 "所有输入都算进去了：只有 x < 0 处 ∂y/∂a = x"),
        ],
    )


# --- softmax -------------------------------------------------------------------------------

_ORDINAL = ("first", "second", "third", "fourth")


def _logits(rng, n: int = 3) -> list[float]:
    """Distinct logits with one decimal in [-2, 3]."""
    while True:
        z = draws(rng, n, -2.0, 3.0, nonzero=False)
        if len(set(z)) == n:
            return z


@template("softmax", "component")
def softmax_component(rng) -> Question:
    z = _logits(rng)
    k = int(rng.integers(3))
    p = nn.softmax(z)
    e = np.exp(z)
    return Question(
        "softmax", "component",
        prompt={"en": f"z = {vec(z)}: the {_ORDINAL[k]} component of softmax(z) = ?",
                "zh": f"z = {vec(z)}，softmax(z) 的第 {k + 1} 个分量等于多少？"},
        answer=float(p[k]),
        solution={
            "en": f"e^z = {vec(e)}, sum {show(float(e.sum()))}; "
                  f"{show(float(e[k]))} / {show(float(e.sum()))} = {show(float(p[k]))}",
            "zh": f"e^z = {vec(e)}，求和得 {show(float(e.sum()))}；"
                  f"{show(float(e[k]))} / {show(float(e.sum()))} = {show(float(p[k]))}",
        },
        traps=[
            trap(float(np.exp(z[k])), "e^zₖ without dividing by the sum",
                 "算了 e^zₖ，没有除以总和"),
            trap(float(z[k]) / float(np.sum(z)) if np.sum(z) else float("nan"),
                 "zₖ/Σz: the logits normalised without the exponential",
                 "zₖ/Σz：没取指数就直接归一化了"),
        ],
    )


@template("softmax", "vector")
def softmax_vector(rng) -> Question:
    z = _logits(rng)
    p = nn.softmax(z)
    e = np.exp(z)
    return Question(
        "softmax", "vector",
        prompt={"en": f"softmax({vec(z)}) = ? (all three components)",
                "zh": f"softmax({vec(z)}) 等于？（写出全部三个分量）"},
        answer=floats(p),
        kind="vector",
        solution={
            "en": f"e^z = {vec(e)}, sum {show(float(e.sum()))}; divide each: {vec(p)} "
                  "(sums to 1)",
            "zh": f"e^z = {vec(e)}，求和得 {show(float(e.sum()))}；逐个相除：{vec(p)}"
                  "（和为 1）",
        },
        traps=[
            trap(np.exp(z), "eᶻ without dividing by the sum", "算了 eᶻ，没有除以总和"),
        ],
    )


@template("softmax", "temperature")
def softmax_temperature(rng) -> Question:
    z = _logits(rng)
    t = pick(rng, (0.5, 2.0, 4.0))
    k = int(np.argmax(z))
    zt = np.asarray(z) / t
    p = nn.softmax(zt)
    plain = float(nn.softmax(z)[k])
    trend = ("sharper" if t < 1 else "flatter", "更尖锐" if t < 1 else "更平缓")
    return Question(
        "softmax", "temperature",
        prompt={"en": f"Logits z = {vec(z)}, temperature T = {show(t)}: the probability "
                      "softmax(z / T) gives the largest logit = ?",
                "zh": f"logits z = {vec(z)}，温度 T = {show(t)}：softmax(z / T) 中"
                      "最大 logit 对应的概率是多少？"},
        answer=float(p[k]),
        solution={
            "en": f"z / T = {vec(zt)}; softmax = {vec(p)}; the top class gets "
                  f"{show(float(p[k]))} (at T = 1: {show(plain)}, so T = {show(t)} is "
                  f"{trend[0]})",
            "zh": f"z / T = {vec(zt)}；softmax = {vec(p)}；最大类得到 {show(float(p[k]))}"
                  f"（T = 1 时为 {show(plain)}，T = {show(t)} 时分布{trend[1]}）",
        },
        traps=[
            trap(float(nn.softmax(np.asarray(z) * t)[k]), "z multiplied by T instead of divided",
                 "把 z 乘以了 T，而不是除以 T"),
            trap(plain, "the temperature ignored (plain softmax)", "忽略了温度（普通 softmax）"),
        ],
    )


# --- activation function (the general idea) ------------------------------------------------

_PHIS = {  # name: (kernel, note in the prompt (en, zh), formula (en, zh))
    "ReLU": (nn.relu, ("", ""), ("max(0, x)", "max(0, x)")),
    "σ": (nn.sigmoid, ("", ""), ("1 / (1 + e⁻ˣ)", "1 / (1 + e⁻ˣ)")),
    "tanh": (nn.tanh, ("", ""), ("(eˣ − e⁻ˣ) / (eˣ + e⁻ˣ)", "(eˣ − e⁻ˣ) / (eˣ + e⁻ˣ)")),
    "LeakyReLU": (nn.leaky_relu, (" with α = 0.01", "（α = 0.01）"),
                  ("x if x > 0 else 0.01·x", "x > 0 时 LeakyReLU(x) = x，否则为 0.01·x")),
    "ELU": (nn.elu, (" with α = 1", "（α = 1）"),
            ("x if x > 0 else eˣ − 1", "x > 0 时 ELU(x) = x，否则为 eˣ − 1")),
}


def _phi_mistakes(name: str, x: float) -> list:
    """The known mistakes for `name`(x), each made with the drawn x."""
    if name == "σ":
        return [trap(1 / (1 + np.exp(x)), "the sign of the exponent lost: 1/(1 + eˣ) is σ(−x)",
                     "指数的符号弄丢了：1/(1 + eˣ) 是 σ(−x)")]
    if name == "tanh":
        return [trap(1 / (1 + np.exp(-x)), "σ(x) given for tanh(x)", "把 σ(x) 当成了 tanh(x)")]
    if name == "LeakyReLU":
        return [trap(max(x, 0.0), "plain ReLU: negative inputs are scaled by α, not zeroed",
                     "算成了普通 ReLU：负输入要乘以 α，而不是置零")]
    if name == "ELU":
        return [trap(max(x, 0.0), "plain ReLU: negative inputs give eˣ − 1, not 0",
                     "算成了普通 ReLU：负输入得到 eˣ − 1，而不是 0")]
    return []


def _phi_steps(name: str, x: float, y: float, lang: str) -> str:
    """The formula with x substituted and each intermediate shown."""
    ex, emx = float(np.exp(x)), float(np.exp(-x))
    semi, so, comma = ("；", "，故 ", "，") if lang == "zh" else ("; ", ", so ", ", ")
    if name == "ReLU":
        return f"max(0, {show(x)}) = {show(y)}"
    if name == "σ":
        return (f"x = {show(x)}{comma}e⁻ˣ = e^{show(-x)} = {show(emx)}{semi}"
                f"1 / (1 + {show(emx)}) = {show(y)}")
    if name == "tanh":
        return (f"eˣ = e^{show(x)} = {show(ex)}{comma}e⁻ˣ = {show(emx)}{semi}({show(ex)} − "
                f"{show(emx)}) / "
                f"({show(ex)} + {show(emx)}) = {show(y)}")
    if x > 0:
        return f"x = {show(x)} > 0{so}{show(y)}"
    if name == "LeakyReLU":
        return f"x = {show(x)} < 0{so}0.01·({show(x)}) = {show(y)}"
    return f"x = {show(x)} < 0{so}e^{show(x)} − 1 = {show(ex)} − 1 = {show(y)}"


@template("activation-function", "value")
def activation_value(rng) -> Question:
    name = pick(rng, list(_PHIS))
    phi, note, formula = _PHIS[name]
    x = _x(rng)
    y = float(phi(x))
    return Question(
        "activation-function", "value",
        prompt={"en": f"{name}({show(x)}){note[0]} = ?",
                "zh": f"{name}({show(x)}) 等于多少？{note[1]}"},
        answer=y,
        solution={"en": f"{name}(x) = {formula[0]}; {_phi_steps(name, x, y, 'en')}",
                  "zh": ("" if "时" in formula[1] else f"{name}(x) = ")
                        + f"{formula[1]}；{_phi_steps(name, x, y, 'zh')}"},
        traps=_phi_mistakes(name, x),
    )


@template("activation-function", "collapse")
def activation_collapse(rng) -> Question:
    w1 = np.array(draws(rng, 4, -2.0, 2.0)).reshape(2, 2)
    w2 = np.array([draws(rng, 2, -2.0, 2.0)])
    # Feed the two unit vectors through both layers: the outputs are the merged weights W₂W₁.
    h, _ = nn.linear_forward(np.eye(2), w1, None)
    out, _ = nn.linear_forward(h, w2, None)
    merged = floats(out)
    columns = [" + ".join(f"{paren(w2[0, k])}·{paren(w1[k, j])}" for k in range(2))
               for j in range(2)]
    products = "[" + ", ".join(columns) + "]"
    return Question(
        "activation-function", "collapse",
        prompt={"en": f"Two layers without activation, no biases: y = W₂(W₁x), W₁ = {mat(w1)}, "
                      f"W₂ = {mat(w2)}. The single layer W with y = Wx: W = ? (2 entries)",
                "zh": f"两层都不加激活函数、没有偏置：y = W₂(W₁x)，W₁ = {mat(w1)}，"
                      f"W₂ = {mat(w2)}。等价的单层 W（y = Wx）等于？（2 个元素）"},
        answer=merged,
        kind="vector",
        decimals=2,
        solution={
            "en": f"W = W₂W₁ = {products} = {vec(merged)}: without an activation, stacked "
                  "linear layers collapse into one",
            "zh": f"W = W₂W₁ = {products} = {vec(merged)}：没有激活函数，多层线性层会合并成一层",
        },
        traps=[
            trap((w2 @ w1.T)[0], "W₁'s rows used for its columns: W = W₂W₁, not W₂W₁ᵀ",
                 "把 W₁ 的行当成了列：W = W₂W₁，而不是 W₂W₁ᵀ"),
        ],
    )


@template("activation-function", "relu-net")
def activation_relu_net(rng) -> Question:
    while True:  # one hidden unit on, one off: the case a single matrix cannot reproduce
        x = [float(v) for v in rng.integers(-2, 3, size=2)]
        w1 = np.array(draws(rng, 4, -2.0, 2.0)).reshape(2, 2)
        z, _ = nn.linear_forward(x, w1, None)
        if min(z) < -0.05 and max(z) > 0.05:
            break
    w2 = np.array([draws(rng, 2, -2.0, 2.0)])
    a = nn.relu(z)
    y, _ = nn.linear_forward(a, w2, None)
    lin, _ = nn.linear_forward(z, w2, None)
    return Question(
        "activation-function", "relu-net",
        prompt={"en": f"x = {vec(x)}, W₁ = {mat(w1)}, W₂ = {mat(w2)}, no biases: "
                      "y = W₂·ReLU(W₁x) = ?",
                "zh": f"x = {vec(x)}，W₁ = {mat(w1)}，W₂ = {mat(w2)}，没有偏置："
                      "y = W₂·ReLU(W₁x) 等于多少？"},
        answer=clean(y[0]),
        decimals=2,
        solution={
            "en": f"z = W₁x = {_rows_times(w1, x)}; ReLU(z) = {vec(a)}; "
                  f"y = W₂·ReLU(z) = {_rows_times(w2, a)} "
                  f"(without ReLU it would be {show(float(lin[0]))})",
            "zh": f"z = W₁x = {_rows_times(w1, x)}；ReLU(z) = {vec(a)}；"
                  f"y = W₂·ReLU(z) = {_rows_times(w2, a)}"
                  f"（不加 ReLU 则为 {show(float(lin[0]))}）",
        },
        traps=[
            trap(float(lin[0]), "the ReLU left out: W₂·(W₁x)", "漏了 ReLU：算成了 W₂·(W₁x)"),
        ],
    )
