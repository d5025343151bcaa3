"""Questions on optimisation: gradients, backpropagation, gradient flow, optimisers, init.

Every answer is computed by dlref.nn (optimisers step real arrays, gradients come from the
loss/layer kernels); only quantities with no kernel (a quadratic's gradient, a clipped norm,
a count of mini-batches) are plain arithmetic.
"""

from __future__ import annotations

import math

import numpy as np

from dlref import nn
from dlref.quiz.draw import clean, draw, floats, pick, show, trap
from dlref.quiz.draw import paren as _p
from dlref.quiz.draw import tup as _vec
from dlref.quiz.questions import Question, template


def _sig(x: float, digits: int = 3, least: int = 3) -> int:
    """Decimals that keep `digits` significant digits of x (at least `least`)."""
    if x == 0:
        return least
    return max(least, digits - 1 - math.floor(math.log10(abs(x))))


def _exact(x: float) -> str:
    """A float's exact decimal value (a power of 0.25, 0.5 or 0.75 ends after a few digits)."""
    from decimal import Decimal

    return format(Decimal(x).normalize(), "f")


def _aw2(a: float) -> str:
    """The quadratic a·w² as text ("w²" when a = 1)."""
    return "w²" if a == 1 else f"{show(a)}·w²"


def _zh(steps: str) -> str:
    """English-punctuated working for a Chinese sentence: "; " → "；", ", " between clauses
    (outside brackets) → "，"."""
    out, depth, skip_space = [], 0, False
    for i, ch in enumerate(steps):
        if skip_space:
            skip_space = False
            continue
        if ch in "([":
            depth += 1
        elif ch in ")]":
            depth -= 1
        elif depth == 0 and ch in ",;" and steps[i + 1:i + 2] == " ":
            out.append("，" if ch == "," else "；")
            skip_space = True
            continue
        out.append(ch)
    return "".join(out)


def _param(value: float) -> np.ndarray:
    return np.array([float(value)])


# ------------------------------------------------------------------------------ gradient

def _quadratic(rng):
    """f(w₁, w₂) = a·w₁² + b·w₁w₂ + c·w₂² with small integers, at a one-decimal point."""
    a, b, c = int(rng.integers(1, 4)), int(rng.integers(-2, 3)), int(rng.integers(1, 4))
    w = (draw(rng, -2.0, 2.0), draw(rng, -2.0, 2.0))
    return a, b, c, w


def _f_text(a: int, b: int, c: int) -> str:
    def coef(k: int) -> str:
        return "" if abs(k) == 1 else str(abs(k))

    text = f"{coef(a)}w₁²"
    if b:
        text += f" {'+' if b > 0 else '−'} {coef(b)}w₁w₂"
    return text + f" + {coef(c)}w₂²"


def _f(a: int, b: int, c: int, w) -> float:
    return a * w[0] ** 2 + b * w[0] * w[1] + c * w[1] ** 2


def _grad(a: int, b: int, c: int, w) -> tuple[float, float]:
    return 2 * a * w[0] + b * w[1], b * w[0] + 2 * c * w[1]


def _grad_steps(a: int, b: int, c: int, w, g) -> str:
    return (f"∂f/∂w₁ = 2·{a}·{_p(w[0])} + {_p(b)}·{_p(w[1])} = {show(g[0])}, "
            f"∂f/∂w₂ = {_p(b)}·{_p(w[0])} + 2·{c}·{_p(w[1])} = {show(g[1])}")


@template("gradient", "vector")
def gradient_vector(rng) -> Question:
    a, b, c, w = _quadratic(rng)
    g = [float(v) for v in _grad(a, b, c, w)]
    f = _f_text(a, b, c)
    steps = _grad_steps(a, b, c, w, g)
    return Question(
        "gradient", "vector",
        prompt={"en": f"f(w₁, w₂) = {f}. The gradient ∇f at w = {_vec(w)}?",
                "zh": f"f(w₁, w₂) = {f}。求 ∇f 在 w = {_vec(w)} 处的值。"},
        answer=floats(g), kind="vector", decimals=1,
        solution={"en": f"{steps}; ∇f = {_vec(g)}",
                  "zh": f"{_zh(steps)}；∇f = {_vec(g)}"},
        traps=[
            trap([2 * a * w[0], 2 * c * w[1]], "the cross term b·w₁w₂ left out of both partials",
                 "两个偏导数都漏了交叉项 b·w₁w₂"),
        ],
    )


_UNIT = [(0.6, 0.8), (0.8, 0.6), (0.6, -0.8), (-0.8, 0.6), (1.0, 0.0), (0.0, -1.0)]


@template("gradient", "directional-derivative")
def gradient_directional(rng) -> Question:
    a, b, c, w = _quadratic(rng)
    u = pick(rng, _UNIT)
    g = _grad(a, b, c, w)
    d = float(g[0] * u[0] + g[1] * u[1])
    f = _f_text(a, b, c)
    steps = (f"∇f = {_vec(g)}; ∇f·u = {_p(g[0])}·{_p(u[0])} + {_p(g[1])}·{_p(u[1])} = "
             f"{show(d)}")
    return Question(
        "gradient", "directional-derivative",
        prompt={"en": f"f(w₁, w₂) = {f}. Directional derivative of f at w = {_vec(w)} along "
                      f"the unit vector u = {_vec(u)}?",
                "zh": f"f(w₁, w₂) = {f}。f 在 w = {_vec(w)} 处沿单位向量 u = {_vec(u)} 的"
                      f"方向导数是多少？"},
        answer=clean(d), decimals=2,
        solution={"en": steps, "zh": _zh(steps)},
        traps=[
            trap(float(np.hypot(*g)), "the gradient's length |∇f|: that is the largest slope, "
                 "not the slope along u", "给出了梯度的长度 |∇f|：那是最大斜率，不是沿 u 的斜率"),
        ],
    )


@template("gradient", "taylor")
def gradient_taylor(rng) -> Question:
    a, b, c, w = _quadratic(rng)
    dw = (pick(rng, [-0.2, -0.1, 0.1, 0.2]), pick(rng, [-0.2, -0.1, 0.1, 0.2]))
    g = _grad(a, b, c, w)
    f0 = float(_f(a, b, c, w))
    est = float(f0 + g[0] * dw[0] + g[1] * dw[1])
    exact = float(_f(a, b, c, (w[0] + dw[0], w[1] + dw[1])))
    f = _f_text(a, b, c)
    steps = (f"f(w) = {show(f0)}, ∇f(w) = {_vec(g)}; f(w) + ∇f·Δw = {show(f0)} + "
             f"{_p(g[0])}·{_p(dw[0])} + {_p(g[1])}·{_p(dw[1])} = {show(est)}")
    return Question(
        "gradient", "taylor",
        prompt={"en": f"f(w₁, w₂) = {f}, w = {_vec(w)}, Δw = {_vec(dw)}. First-order (linear) "
                      f"estimate of f(w + Δw)?",
                "zh": f"f(w₁, w₂) = {f}，w = {_vec(w)}，Δw = {_vec(dw)}。用一阶泰勒展开（线性"
                      f"近似）估计 f(w + Δw)。"},
        answer=clean(est), decimals=3,
        solution={"en": f"{steps} (exact value {show(exact)})",
                  "zh": f"{_zh(steps)}（精确值 {show(exact)}）"},
        traps=[
            trap(exact, "the exact f(w + Δw), not the first-order estimate",
                 "给出了精确值 f(w + Δw)，而不是一阶估计"),
            trap(f0 - g[0] * dw[0] - g[1] * dw[1], "the step's term subtracted: f(w) + ∇f·Δw",
                 "减去了一阶项：应为 f(w) + ∇f·Δw"),
        ],
    )


# ------------------------------------------------------------------------------ gradient descent

def _gd_setup(rng):
    a = pick(rng, [0.5, 1.0, 1.5, 2.0])
    lr = pick(rng, [0.05, 0.1, 0.2, 0.25])
    return a, lr, draw(rng, -3.0, 3.0)


def _gd_steps(a: float, lr: float, w0: float, steps: int) -> list[tuple[float, float]]:
    """(gradient, new w) per step of nn.SGD on f(w) = a·w² (= l2_penalty with λ = 2a)."""
    w = _param(w0)
    opt = nn.SGD([w], lr=lr)
    out = []
    for _ in range(steps):
        g = nn.l2_penalty_grad(w, 2 * a)
        opt.step([g])
        out.append((float(g[0]), float(w[0])))
    return out


@template("gradient-descent", "one-step")
def gd_one_step(rng) -> Question:
    a, lr, w0 = _gd_setup(rng)
    [(g, w1)] = _gd_steps(a, lr, w0, 1)
    steps = (f"f′(w) = 2·{show(a)}·w = 2·{show(a)}·{_p(w0)} = {show(g)}; w − η·f′(w) = "
             f"{show(w0)} − "
             f"{show(lr)}·{_p(g)} = {show(w1)}")
    return Question(
        "gradient-descent", "one-step",
        prompt={"en": f"f(w) = {_aw2(a)}, w = {show(w0)}, learning rate η = "
                      f"{show(lr)}. w after one gradient-descent step?",
                "zh": f"f(w) = {_aw2(a)}，w = {show(w0)}，学习率 η = {show(lr)}。"
                      f"梯度下降一步后 w 是多少？"},
        answer=clean(w1), decimals=3,
        solution={"en": steps, "zh": _zh(steps)},
        traps=[
            trap(w0 + lr * g, "the step taken up the gradient: w + η·f′(w)",
                 "沿梯度方向走了：w + η·f′(w)"),
            trap(w0 - lr * a * w0, "f′(w) taken as a·w, without the 2 of the power rule",
                 "把 f′(w) 算成了 a·w，漏了求导的 2"),
        ],
    )


@template("gradient-descent", "two-steps")
def gd_two_steps(rng) -> Question:
    a, lr, w0 = _gd_setup(rng)
    (g1, w1), (g2, w2) = _gd_steps(a, lr, w0, 2)
    factor = 1 - 2 * a * lr
    steps = (f"w₁ = {show(w0)} − {show(lr)}·{_p(g1)} = {show(w1)}; "
             f"w₂ = {show(w1)} − {show(lr)}·{_p(g2)} = {show(w2)}")
    return Question(
        "gradient-descent", "two-steps",
        prompt={"en": f"f(w) = {_aw2(a)}, w₀ = {show(w0)}, learning rate η = "
                      f"{show(lr)}. w after two gradient-descent steps?",
                "zh": f"f(w) = {_aw2(a)}，w₀ = {show(w0)}，学习率 η = {show(lr)}。"
                      f"梯度下降两步后 w 是多少？"},
        answer=clean(w2), decimals=3,
        solution={"en": f"f(w) = a·w² with a = {show(a)}, so f′(w) = 2aw = {show(2 * a)}·w; "
                        f"{steps} (each step multiplies w by 1 − 2aη = 1 − 2·{show(a)}·"
                        f"{show(lr)} = {show(factor)})",
                  "zh": f"f(w) = a·w²，a = {show(a)}，所以 f′(w) = 2aw = {show(2 * a)}·w；"
                        f"{_zh(steps)}（每步把 w 乘以 1 − 2aη = 1 − 2·{show(a)}·"
                        f"{show(lr)} = {show(factor)}）"},
        traps=[
            trap(w1, "w₁: only one step taken", "给出了 w₁：只走了一步"),
        ],
    )


@template("gradient-descent", "batches-per-epoch")
def gd_batches(rng) -> Question:
    n = pick(rng, [500, 1000, 1500, 2000, 5000, 10000, 50000, 60000])
    b = pick(rng, [32, 64, 100, 128, 256])
    k = -(-n // b)
    last = n - (k - 1) * b
    return Question(
        "gradient-descent", "batches-per-epoch",
        prompt={"en": f"N = {n} training examples, mini-batch size B = {b}, the last partial "
                      f"batch kept (DataLoader drop_last=False). Mini-batches (updates) per epoch?",
                "zh": f"N = {n} 个训练样本，批量大小 B = {b}，保留最后一个不完整的小批量"
                      f"（DataLoader drop_last=False）。"
                      f"每个迭代周期有多少个小批量（参数更新次数）？"},
        answer=float(k), decimals=0,
        solution={"en": f"⌈N/B⌉ = ⌈{n}/{b}⌉ = ⌈{show(n / b)}⌉ = {k} "
                        + (f"(the last batch has {last} examples)" if last < b else
                           "(B divides N: every batch is full, nothing to keep or drop)"),
                  "zh": f"⌈N/B⌉ = ⌈{n}/{b}⌉ = ⌈{show(n / b)}⌉ = {k}"
                        + (f"（最后一个小批量有 {last} 个样本）" if last < b else
                           "（B 整除 N：每个小批量都是满的，没有可保留或丢弃的）")},
        traps=[
            trap(n // b, "⌊N/B⌋: the last partial batch dropped, but drop_last=False keeps it",
                 "算成了 ⌊N/B⌋：丢掉了最后不完整的批量，而 drop_last=False 会保留它"),
        ],
    )


# ------------------------------------------------------------------------------ backpropagation

@template("backpropagation", "chain-rule")
def backprop_chain_rule(rng) -> Question:
    w, x, b = draw(rng, -2.0, 2.0), draw(rng, -2.0, 2.0), draw(rng, -1.0, 1.0)
    z, cache = nn.linear_forward([[x]], [[w]], [b])
    dz = nn.sigmoid_grad(z)  # ∂y/∂z for y = σ(z), upstream gradient 1
    _, dw, _ = nn.linear_backward(dz, cache)
    z_, dz_, dw_ = float(z[0, 0]), float(dz[0, 0]), float(dw[0, 0])
    s_ = float(nn.sigmoid(z_))
    steps = (f"z = w·x + b = {_p(w)}·{_p(x)} + {_p(b)} = {show(z_)}; σ(z) = {show(s_)}; "
             f"∂y/∂w = σ′(z)·∂z/∂w = σ(z)(1 − σ(z))·x = {show(s_)}·{show(1 - s_)}·{_p(x)} = "
             f"{show(dz_)}·{_p(x)} = {show(dw_)}")
    return Question(
        "backpropagation", "chain-rule",
        prompt={"en": f"y = σ(z), z = w·x + b, with w = {show(w)}, x = {show(x)}, "
                      f"b = {show(b)}. ∂y/∂w = ?",
                "zh": f"y = σ(z)，z = w·x + b，其中 w = {show(w)}，x = {show(x)}，"
                      f"b = {show(b)}。求 ∂y/∂w。"},
        answer=clean(dw_), decimals=3,
        solution={"en": steps, "zh": _zh(steps)},
        traps=[
            trap(dz_, "σ′(z) alone: the chain rule multiplies by ∂z/∂w = x",
                 "只算了 σ′(z)：链式法则还要乘以 ∂z/∂w = x"),
        ],
    )


@template("backpropagation", "linear-mse")
def backprop_linear_mse(rng) -> Question:
    w = [draw(rng, -1.5, 1.5), draw(rng, -1.5, 1.5)]
    x = [draw(rng, -2.0, 2.0), draw(rng, -2.0, 2.0)]
    b, y = draw(rng, -1.0, 1.0, nonzero=False), draw(rng, -2.0, 2.0, nonzero=False)
    yhat, cache = nn.linear_forward([x], [w], [b])
    dy = nn.mse_loss_grad(yhat, [[y]])
    _, dw, _ = nn.linear_backward(dy, cache)
    grad = [float(v) for v in dw[0]]
    yh, d = float(yhat[0, 0]), float(dy[0, 0])
    steps = (f"ŷ = {_p(w[0])}·{_p(x[0])} + {_p(w[1])}·{_p(x[1])} + {_p(b)} = {show(yh)}; "
             f"∂L/∂ŷ = 2(ŷ − y) = 2·({show(yh)} − {_p(y)}) = {show(d)}; ∂L/∂w = ∂L/∂ŷ·x = "
             f"({_p(d)}·{_p(x[0])}, {_p(d)}·{_p(x[1])}) = {_vec(grad)}")
    return Question(
        "backpropagation", "linear-mse",
        prompt={"en": f"Linear neuron ŷ = w·x + b, w = {_vec(w)}, b = {show(b)}, "
                      f"x = {_vec(x)}, target y = {show(y)}, loss L = (ŷ − y)². ∂L/∂w?",
                "zh": f"线性神经元 ŷ = w·x + b，w = {_vec(w)}，b = {show(b)}，x = {_vec(x)}，"
                      f"标签 y = {show(y)}，损失 L = (ŷ − y)²。求 ∂L/∂w。"},
        answer=floats(grad), kind="vector", decimals=3,
        solution={"en": steps, "zh": _zh(steps)},
        traps=[
            trap([d * v / 2 for v in x], "the factor 2 of (ŷ − y)² left out",
                 "漏了 (ŷ − y)² 求导的因子 2"),
        ],
    )


@template("backpropagation", "two-layer")
def backprop_two_layer(rng) -> Question:
    x = draw(rng, 0.5, 2.0)
    w1, w2 = draw(rng, -1.0, 2.0), draw(rng, -2.0, 2.0)
    y = draw(rng, -2.0, 2.0, nonzero=False)
    z, c1 = nn.linear_forward([[x]], [[w1]], None)
    h = nn.relu(z)
    yhat, c2 = nn.linear_forward(h, [[w2]], None)
    dyhat = nn.mse_loss_grad(yhat, [[y]])
    dh, _, _ = nn.linear_backward(dyhat, c2)
    _, dw1, _ = nn.linear_backward(dh * nn.relu_grad(z), c1)
    z_, h_, yh, d, ans = (float(v[0, 0]) for v in (z, h, yhat, dyhat, dw1))
    relu_g = float(nn.relu_grad(z_))
    steps = (f"z = w₁x = {show(z_)}, h = ReLU(z) = {show(h_)}, ŷ = w₂h = {show(yh)}; "
             f"∂L/∂ŷ = 2(ŷ − y) = {show(d)}; ∂L/∂w₁ = ∂L/∂ŷ·w₂·ReLU′(z)·x = {_p(d)}·{_p(w2)}"
             f"·{show(relu_g)}·{show(x)} = {show(ans)}")
    traps = [  # each leaves one factor of ∂L/∂ŷ·w₂·ReLU′(z)·x out
        trap(d / 2 * w2 * relu_g * x, "the factor 2 of (ŷ − y)² left out",
             "漏了 (ŷ − y)² 求导的因子 2"),
        trap(d * w2 * x, "ReLU′(z) left out: with z < 0 no gradient reaches w₁",
             "漏了 ReLU′(z)：z < 0 时没有梯度传到 w₁"),
        trap(d * w2 * relu_g, "∂L/∂z given: the last factor ∂z/∂w₁ = x left out",
             "只算到了 ∂L/∂z：漏了最后一个因子 ∂z/∂w₁ = x"),
    ]
    return Question(
        "backpropagation", "two-layer",
        prompt={"en": f"h = ReLU(w₁·x), ŷ = w₂·h, L = (ŷ − y)², with x = {show(x)}, "
                      f"w₁ = {show(w1)}, w₂ = {show(w2)}, y = {show(y)}. ∂L/∂w₁ = ?",
                "zh": f"h = ReLU(w₁·x)，ŷ = w₂·h，L = (ŷ − y)²，其中 x = {show(x)}，"
                      f"w₁ = {show(w1)}，w₂ = {show(w2)}，y = {show(y)}。求 ∂L/∂w₁。"},
        answer=clean(ans), decimals=3,
        solution={"en": steps, "zh": _zh(steps)},
        traps=traps,
    )


# ------------------------------------------------------------------------------ vanishing gradient

@template("vanishing-gradient", "product")
def vanishing_product(rng) -> Question:
    zs = [draw(rng, -3.0, 3.0, nonzero=False) for _ in range(3)]
    ds = [float(v) for v in nn.sigmoid_grad(zs)]
    prod = float(np.prod(ds))
    d = _sig(prod)
    factors = " · ".join(f"{v:.5g}" for v in ds)  # 5 significant figures: their product
    # rounds as the answer does (four decimals gave 0.0031960 for 0.0031950)
    return Question(
        "vanishing-gradient", "product",
        prompt={"en": f"A chain of three sigmoid units, every weight 1, pre-activations "
                      f"z = {_vec(zs)}. The gradient factor σ′(z₁)·σ′(z₂)·σ′(z₃)?",
                "zh": f"三个 sigmoid 单元串联，所有权重为 1，预激活 z = {_vec(zs)}。"
                      f"梯度被乘上的因子 σ′(z₁)·σ′(z₂)·σ′(z₃) 是多少？"},
        answer=prod, decimals=d,
        solution={"en": f"σ′(z) = σ(z)(1 − σ(z)): {factors}; product = {show(prod, d + 1)}",
                  "zh": f"σ′(z) = σ(z)(1 − σ(z))：{factors}；乘积 = {show(prod, d + 1)}"},
        traps=[
            trap(float(np.prod(nn.sigmoid(zs))), "σ(z) multiplied instead of σ′(z)",
                 "乘的是 σ(z)，而不是 σ′(z)"),
        ],
    )


@template("vanishing-gradient", "bound")
def vanishing_bound(rng) -> Question:
    n_layers = int(rng.integers(3, 11))
    w = pick(rng, [1.0, 2.0, 3.0])
    top = float(nn.sigmoid_grad(0.0))  # the largest σ′
    bound = (top * w) ** n_layers
    d = _sig(bound)
    return Question(
        "vanishing-gradient", "bound",
        prompt={"en": f"A chain of L = {n_layers} sigmoid units, each weight w = {show(w)}. "
                      f"Largest possible gradient factor Π σ′(zₗ)·w over the chain?",
                "zh": f"L = {n_layers} 个 sigmoid 单元串联，每个权重 w = {show(w)}。"
                      f"整条链的梯度因子 Π σ′(zₗ)·w 最大可能是多少？"},
        answer=bound, decimals=d,
        solution={"en": f"σ′(z) ≤ σ′(0) = 0.25, so each factor ≤ 0.25·{show(w)} = "
                        f"{show(top * w)}; {show(top * w)}^{n_layers} = "
                        f"{_exact(bound)}",
                  "zh": f"σ′(z) ≤ σ′(0) = 0.25，每个因子 ≤ 0.25·{show(w)} = "
                        f"{show(top * w)}；{show(top * w)}^{n_layers} = "
                        f"{_exact(bound)}"},
        traps=[
            trap(top ** n_layers, "the weights left out of the product", "乘积里漏了权重"),
            trap(w ** n_layers, "σ′ taken as 1: its largest value is 0.25",
                 "把 σ′ 当成了 1：它的最大值是 0.25"),
        ],
    )


@template("vanishing-gradient", "layers-until")
def vanishing_layers_until(rng) -> Question:
    threshold = pick(rng, [0.1, 0.05, 0.02, 0.01, 0.005, 0.002, 0.001, 5e-4, 2e-4, 1e-4, 5e-5,
                             2e-5, 1e-5, 5e-6, 1e-6, 1e-7, 1e-8, 1e-9, 1e-10, 1e-12])
    top = float(nn.sigmoid_grad(0.0))
    n_layers, bound = 1, top
    while bound >= threshold:
        n_layers, bound = n_layers + 1, bound * top
    before = top ** (n_layers - 1)
    t = f"{threshold:g}"
    return Question(
        "vanishing-gradient", "layers-until",
        prompt={"en": f"Sigmoid chain, every weight 1: each layer multiplies the gradient by at "
                      f"most σ′(0) = 0.25. Fewest layers L for which 0.25^L < {t}?",
                "zh": f"sigmoid 串联、权重均为 1：每层最多把梯度乘以 σ′(0) = 0.25。"
                      f"使 0.25^L < {t} 的最少层数 L 是多少？"},
        answer=float(n_layers), decimals=0,
        solution={"en": f"0.25^{n_layers - 1} = {before:.3g} ≥ {t}, 0.25^{n_layers} = "
                        f"{bound:.3g} < {t} → L = {n_layers}",
                  "zh": f"0.25^{n_layers - 1} = {before:.3g} ≥ {t}，0.25^{n_layers} = "
                        f"{bound:.3g} < {t} → L = {n_layers}"},
        traps=[
            trap(float(n_layers - 1), "ln t / ln 0.25 rounded down: the first L with 0.25^L "
                 "below the threshold is the one above it", "把 ln t / ln 0.25 向下取整了："
                 "第一个使 0.25^L 小于阈值的 L 要向上取整"),
        ],
    )


# ------------------------------------------------------------------------------ exploding gradient

_TRIPLES = [(3, 4), (4, 3), (5, 12), (12, 5), (6, 8), (8, 6)]


@template("exploding-gradient", "clip-norm")
def exploding_clip_norm(rng) -> Question:
    while True:
        base, k = pick(rng, _TRIPLES), int(rng.integers(1, 6))
        c = float(pick(rng, [1, 2, 5, 10]))
        g = np.array([base[0] * k * pick(rng, [-1, 1]), base[1] * k * pick(rng, [-1, 1])],
                     dtype=float)
        norm = float(np.linalg.norm(g))
        if norm != c:
            break
    clipped = g * (c / norm) if norm > c else g.copy()
    ans = [float(v) for v in clipped]
    if norm > c:
        how_en = (f"‖g‖ = √({_p(g[0])}² + {_p(g[1])}²) = √{show(norm * norm)} = {show(norm)} > "
                  f"{show(c)} → g·c/‖g‖ = g·{show(c)}/{show(norm)} = g·{show(c / norm)} = "
                  f"{_vec(ans)}")
        how_zh = how_en
    else:
        root = f"√({_p(g[0])}² + {_p(g[1])}²) = √{show(norm * norm)} = {show(norm)}"
        how_en = f"‖g‖ = {root} ≤ {show(c)} → unchanged: {_vec(ans)}"
        how_zh = f"‖g‖ = {root} ≤ {show(c)} → 不变：{_vec(ans)}"
    return Question(
        "exploding-gradient", "clip-norm",
        prompt={"en": f"Gradient g = {_vec(g)}, clip by norm (clip_grad_norm_) with max_norm "
                      f"c = {show(c)}, ignoring the 1e-6. The clipped g?",
                "zh": f"梯度 g = {_vec(g)}，按范数裁剪（clip_grad_norm_），max_norm c = "
                      f"{show(c)}，忽略 1e-6。裁剪后的 g 是多少？"},
        answer=floats(ans), kind="vector", decimals=3,
        solution={"en": how_en, "zh": how_zh},
        traps=[
            trap(np.clip(g, -c, c), "clipped by value, not by norm (the direction changes)",
                 "按值裁剪了，而不是按范数（方向会变）"),
        ],
    )


@template("exploding-gradient", "clip-value")
def exploding_clip_value(rng) -> Question:
    c = float(pick(rng, [1, 2, 5, 10]))
    g = [float(int(rng.integers(-20, 21)) or 7) for _ in range(3)]
    ans = [float(v) for v in np.clip(g, -c, c)]
    return Question(
        "exploding-gradient", "clip-value",
        prompt={"en": f"Gradient g = {_vec(g)}, clip by value (clip_grad_value_) with "
                      f"c = {show(c)}. The clipped g?",
                "zh": f"梯度 g = {_vec(g)}，按值裁剪（clip_grad_value_），c = {show(c)}。"
                      f"裁剪后的 g 是多少？"},
        answer=floats(ans), kind="vector", decimals=1,
        solution={"en": f"each gᵢ → min(max(gᵢ, −{show(c)}), {show(c)}): {_vec(ans)}; "
                        f"unlike norm clipping this can change the direction",
                  "zh": f"逐元素 gᵢ → min(max(gᵢ, −{show(c)}), {show(c)})：{_vec(ans)}；"
                        f"与按范数裁剪不同，方向可能改变"},
        traps=[
            trap(np.asarray(g) * min(1.0, c / float(np.linalg.norm(g))),
                 "clipped by norm, not by value",
                 "按范数裁剪了，而不是按值"),
        ],
    )


@template("exploding-gradient", "product")
def exploding_product(rng) -> Question:
    rho = pick(rng, [1.1, 1.2, 1.5, 2.0])
    n_layers = int(rng.integers(5, 13))
    grad = np.ones((1, 1))
    for _ in range(n_layers):  # backward through n_layers linear units of weight rho
        _, cache = nn.linear_forward([[1.0]], [[rho]], None)
        grad, _, _ = nn.linear_backward(grad, cache)
    ans = float(grad[0, 0])
    return Question(
        "exploding-gradient", "product",
        prompt={"en": f"The gradient flows back through L = {n_layers} linear units, each "
                      f"with weight {show(rho)}. By what factor has it grown?",
                "zh": f"梯度反向穿过 L = {n_layers} 个线性单元，每个权重为 {show(rho)}。"
                      f"梯度被放大了多少倍？"},
        answer=ans, decimals=2,
        solution={"en": f"each layer multiplies by {show(rho)}: "
                        f"{show(rho)}^{n_layers} = {show(ans)}",
                  "zh": f"每层乘以 {show(rho)}：{show(rho)}^{n_layers} = {show(ans)}"},
        traps=[
            trap(rho * n_layers, "the weights added, not multiplied", "把权重相加了，而不是相乘"),
        ],
    )


# ------------------------------------------------------------------------------ momentum

@template("momentum", "two-steps")
def momentum_two_steps(rng) -> Question:
    a = pick(rng, [0.5, 1.0])
    lr, mu = pick(rng, [0.05, 0.1]), pick(rng, [0.5, 0.9])
    w0 = draw(rng, -3.0, 3.0)
    w = _param(w0)
    opt = nn.SGD([w], lr=lr, momentum=mu)
    rows = []
    for _ in range(2):
        g = nn.l2_penalty_grad(w, 2 * a)  # f(w) = a·w² = (2a/2)·w²
        opt.step([g])
        rows.append((float(g[0]), float(opt.buffers[0][0]), float(w[0])))
    (g1, b1, w1), (g2, b2, w2) = rows
    steps = (f"g₁ = {show(2 * a)}·{_p(w0)} = {show(g1)}, b₁ = g₁, w₁ = {show(w0)} − "
             f"{show(lr)}·{_p(b1)} = {show(w1)}; g₂ = {show(g2)}, b₂ = "
             f"{show(mu)}·{_p(b1)} + {_p(g2)} = {show(b2)}, w₂ = {show(w1)} − "
             f"{show(lr)}·{_p(b2)} = {show(w2)}")
    eb1 = (1 - mu) * g1  # the EMA form b ← μ·b + (1 − μ)·g, made by hand
    ew1 = w0 - lr * eb1
    eb2 = mu * eb1 + (1 - mu) * (2 * a * ew1)
    return Question(
        "momentum", "two-steps",
        prompt={"en": f"f(w) = {_aw2(a)}, w₀ = {show(w0)}, SGD with learning rate "
                      f"η = {show(lr)} and momentum μ = {show(mu)} (PyTorch: b₁ = g₁, "
                      f"b ← μ·b + g, w ← w − η·b). w after two steps?",
                "zh": f"f(w) = {_aw2(a)}，w₀ = {show(w0)}，带动量的 SGD，学习率 η = "
                      f"{show(lr)}，动量 μ = {show(mu)}（PyTorch：b₁ = g₁，b ← μ·b + g，"
                      f"w ← w − η·b）。两步后 w 是多少？"},
        answer=clean(w2), decimals=3,
        solution={"en": steps, "zh": _zh(steps)},
        traps=[
            trap(ew1 - lr * eb2,
                 "the EMA form b ← μ·b + (1 − μ)·g instead of PyTorch's b ← μ·b + g",
                 "用了指数移动平均形式 b ← μ·b + (1 − μ)·g，而不是 PyTorch 的 b ← μ·b + g"),
            trap(w0 * (1 - 2 * a * lr) ** 2, "momentum left out (two plain SGD steps)",
                 "漏了动量（算成了两步普通 SGD）"),
        ],
    )


@template("momentum", "buffer")
def momentum_buffer(rng) -> Question:
    mu, g = pick(rng, [0.5, 0.8, 0.9]), draw(rng, -3.0, 3.0)
    opt = nn.SGD([_param(0.0)], lr=0.1, momentum=mu)
    bs = []
    for _ in range(3):
        opt.step([[g]])
        bs.append(float(opt.buffers[0][0]))
    ema = 0.0
    for _ in range(3):  # the EMA form, made by hand
        ema = mu * ema + (1 - mu) * g
    return Question(
        "momentum", "buffer",
        prompt={"en": f"SGD with momentum μ = {show(mu)} (PyTorch: b₁ = g₁, b ← μ·b + g), "
                      f"the same gradient g = {show(g)} at every step. Buffer b after 3 steps?",
                "zh": f"带动量的 SGD，动量 μ = {show(mu)}（PyTorch：b₁ = g₁，b ← μ·b + g），"
                      f"每步梯度都是 g = {show(g)}。3 步后动量缓冲 b 是多少？"},
        answer=clean(bs[2]), decimals=3,
        solution={"en": f"b₁ = {show(bs[0])}, b₂ = {show(mu)}·{_p(bs[0])} + {_p(g)} = "
                        f"{show(bs[1])}, b₃ = {show(mu)}·{_p(bs[1])} + {_p(g)} = "
                        f"{show(bs[2])} = g·(1 + μ + μ²)",
                  "zh": f"b₁ = {show(bs[0])}，b₂ = {show(mu)}·{_p(bs[0])} + {_p(g)} = "
                        f"{show(bs[1])}，b₃ = {show(mu)}·{_p(bs[1])} + {_p(g)} = "
                        f"{show(bs[2])} = g·(1 + μ + μ²)"},
        traps=[
            trap(ema, "the EMA form b ← μ·b + (1 − μ)·g instead of PyTorch's b ← μ·b + g",
                 "用了指数移动平均形式 b ← μ·b + (1 − μ)·g，而不是 PyTorch 的 b ← μ·b + g"),
            trap(mu ** 2 * g, "b₃ = μ²·g: the new gradient is added at every step",
                 "算成了 b₃ = μ²·g：每一步都要加上新的梯度"),
        ],
    )


@template("momentum", "long-run-step")
def momentum_long_run(rng) -> Question:
    mu = pick(rng, [0.5, 0.8, 0.9, 0.95])
    lr, g = pick(rng, [0.01, 0.1]), pick(rng, [0.5, 1.0, 1.5, 2.0, 3.0])
    w = _param(0.0)
    opt = nn.SGD([w], lr=lr, momentum=mu)
    for _ in range(2000):  # μ^2000 is far below float precision: the step has converged
        before = float(w[0])
        opt.step([[g]])
    step = before - float(w[0])
    return Question(
        "momentum", "long-run-step",
        prompt={"en": f"SGD with momentum μ = {show(mu)}, learning rate η = {show(lr)}, "
                      f"constant gradient g = {show(g)}. After many steps, how far does w "
                      f"move per step?",
                "zh": f"带动量的 SGD，动量 μ = {show(mu)}，学习率 η = {show(lr)}，"
                      f"梯度恒为 g = {show(g)}。很多步之后，w 每步移动多少？"},
        answer=clean(step), decimals=4,
        solution={"en": f"b ← μ·b + g settles where b = μ·b + g: b → g/(1 − μ) = {show(g)}/"
                        f"(1 − {show(mu)}) = {show(g / (1 - mu))}; step η·b = {show(lr)}·"
                        f"{show(g / (1 - mu))} = {show(step)}, 1/(1 − μ) = "
                        f"{show(1 / (1 - mu))}× the plain SGD step η·g",
                  "zh": f"b ← μ·b + g 稳定在 b = μ·b + g 处：b → g/(1 − μ) = {show(g)}/"
                        f"(1 − {show(mu)}) = {show(g / (1 - mu))}；每步 η·b = {show(lr)}·"
                        f"{show(g / (1 - mu))} = {show(step)}，是普通 SGD 步长 η·g 的 "
                        f"1/(1 − μ) = {show(1 / (1 - mu))} 倍"},
        traps=[
            trap(lr * g, "momentum ignored: the buffer grows to g/(1 − μ)",
                 "忽略了动量：缓冲区会增长到 g/(1 − μ)"),
            trap(lr * g * mu / (1 - mu), "μ/(1 − μ) instead of 1/(1 − μ)",
                 "用了 μ/(1 − μ)，而不是 1/(1 − μ)"),
        ],
    )


# ------------------------------------------------------------------------------ adagrad

@template("adagrad", "one-step")
def adagrad_one_step(rng) -> Question:
    while True:  # not onto 0, where ε leaves a 1e-11 that the learner would have to type
        lr, w0, g = pick(rng, [0.01, 0.1, 0.5]), draw(rng, -2.0, 2.0), draw(rng, -5.0, 5.0)
        w = _param(w0)
        opt = nn.Adagrad([w], lr=lr)
        opt.step([[g]])
        w1 = float(w[0])
        if abs(w1) > 1e-6:
            break
    s = float(opt.sums[0][0])
    steps = (f"s = g² = {show(s)}; w − η·g/√s = {show(w0)} − {show(lr)}·{_p(g)}/"
             f"{show(math.sqrt(s))} = {show(w1)}")
    return Question(
        "adagrad", "one-step",
        prompt={"en": f"Adagrad (learning rate η = {show(lr)}, ε = 1e-10, s₀ = 0), "
                      f"w = {show(w0)}, gradient g = {show(g)}. w after one step?",
                "zh": f"Adagrad（学习率 η = {show(lr)}，ε = 1e-10，s₀ = 0），w = {show(w0)}，"
                      f"梯度 g = {show(g)}。一步后 w 是多少？"},
        answer=clean(w1), decimals=3,
        solution={"en": f"{steps} (the first step is always η·sign(g))",
                  "zh": f"{_zh(steps)}（第一步总是 η·sign(g)）"},
        traps=[
            trap(w0 - lr * g, "a plain SGD step w − η·g: Adagrad divides by √s",
                 "算成了普通 SGD 的一步 w − η·g：Adagrad 要除以 √s"),
            trap(w0 + lr * math.copysign(1.0, g), "the step taken up the gradient (sign flipped)",
                 "沿梯度方向走了（符号反了）"),
        ],
    )


@template("adagrad", "two-steps")
def adagrad_two_steps(rng) -> Question:
    lr, w0 = pick(rng, [0.1, 0.5, 1.0]), draw(rng, -2.0, 2.0)
    g1, g2 = float(int(rng.integers(1, 5))), float(int(rng.integers(1, 5)))
    g1, g2 = g1 * pick(rng, [-1, 1]), g2 * pick(rng, [-1, 1])
    w = _param(w0)
    opt = nn.Adagrad([w], lr=lr)
    rows = []
    for g in (g1, g2):
        opt.step([[g]])
        rows.append((float(opt.sums[0][0]), float(w[0])))
    (s1, w1), (s2, w2) = rows
    steps = (f"s₁ = {_p(g1)}² = {show(s1)}, w₁ = {show(w0)} − {show(lr)}·{_p(g1)}/"
             f"{show(math.sqrt(s1))} = {show(w1)}; s₂ = {show(s1)} + {_p(g2)}² = "
             f"{show(s2)}, w₂ = {show(w1)} − {show(lr)}·{_p(g2)}/"
             f"{show(math.sqrt(s2))} = {show(w2)}")
    return Question(
        "adagrad", "two-steps",
        prompt={"en": f"Adagrad (learning rate η = {show(lr)}, ε = 1e-10, s₀ = 0), "
                      f"w₀ = {show(w0)}, gradients g₁ = {show(g1)}, g₂ = {show(g2)}. "
                      f"w after two steps?",
                "zh": f"Adagrad（学习率 η = {show(lr)}，ε = 1e-10，s₀ = 0），"
                      f"w₀ = {show(w0)}，梯度依次为 g₁ = {show(g1)}，g₂ = {show(g2)}。"
                      f"两步后 w 是多少？"},
        answer=clean(w2), decimals=3,
        solution={"en": steps, "zh": _zh(steps)},
        traps=[
            trap(w1 - lr * g2 / abs(g2), "the second step divided by |g₂| alone: s keeps the sum "
                 "of all squared gradients", "第二步只除以了 |g₂|：s 是所有平方梯度之和"),
        ],
    )


@template("adagrad", "effective-lr")
def adagrad_effective_lr(rng) -> Question:
    lr = pick(rng, [0.01, 0.1, 1.0])
    gs = [float(int(rng.integers(1, 6)) * pick(rng, [-1, 1])) for _ in range(3)]
    opt = nn.Adagrad([_param(0.0)], lr=lr)
    for g in gs:
        opt.step([[g]])
    s = float(opt.sums[0][0])
    eff = lr / math.sqrt(s)
    d = _sig(eff)
    squares = " + ".join(f"{_p(g)}²" for g in gs)
    return Question(
        "adagrad", "effective-lr",
        prompt={"en": f"Adagrad, learning rate η = {show(lr)}, s₀ = 0. A weight has seen "
                      f"gradients {', '.join(show(g) for g in gs)}. Its effective learning "
                      f"rate η/√s now?",
                "zh": f"Adagrad，学习率 η = {show(lr)}，s₀ = 0。某个权重依次收到梯度 "
                      f"{'、'.join(show(g) for g in gs)}。它现在的有效学习率 η/√s 是多少？"},
        answer=clean(eff), decimals=d,
        solution={"en": f"s = {squares} = {show(s)}; η/√s = {show(lr)}/"
                        f"{show(math.sqrt(s))} = {show(eff, d + 1)} (it only shrinks)",
                  "zh": f"s = {squares} = {show(s)}；η/√s = {show(lr)}/"
                        f"{show(math.sqrt(s))} = {show(eff, d + 1)}（只会变小）"},
        traps=[
            trap(lr / math.sqrt(gs[-1] ** 2), "only the last gradient used: s sums all g²",
                 "只用了最后一个梯度：s 是所有 g² 之和"),
            trap(lr / s, "η/s without the square root", "算成了 η/s，漏了平方根"),
        ],
    )


# ------------------------------------------------------------------------------ rmsprop

def _rmsprop_setup(rng):
    return pick(rng, [0.01, 0.001]), pick(rng, [0.9, 0.99]), draw(rng, -2.0, 2.0)


@template("rmsprop", "one-step")
def rmsprop_one_step(rng) -> Question:
    while True:  # not onto 0, where ε leaves a 1e-9 that the learner would have to type
        lr, alpha, w0 = _rmsprop_setup(rng)
        g = draw(rng, -3.0, 3.0)
        w = _param(w0)
        opt = nn.RMSprop([w], lr=lr, alpha=alpha)
        opt.step([[g]])
        v, w1 = float(opt.square_avg[0][0]), float(w[0])
        if abs(w1) > 1e-6:
            break
    steps = (f"v = (1 − α)·g² = {show(v)}; w − η·g/√v = {show(w0)} − {show(lr)}·"
             f"{_p(g)}/{show(math.sqrt(v))} = {show(w1)}")
    return Question(
        "rmsprop", "one-step",
        prompt={"en": f"RMSprop (learning rate η = {show(lr)}, α = {show(alpha)}, "
                      f"ε = 1e-8, v₀ = 0), w = {show(w0)}, gradient g = {show(g)}. "
                      f"w after one step?",
                "zh": f"RMSprop（学习率 η = {show(lr)}，α = {show(alpha)}，"
                      f"ε = 1e-8，v₀ = 0），w = {show(w0)}，梯度 g = {show(g)}。"
                      f"一步后 w 是多少？"},
        answer=clean(w1), decimals=4,
        solution={"en": f"{steps} (no bias correction: the first step is η/√(1 − α) = "
                        f"{show(lr / math.sqrt(1 - alpha))})",
                  "zh": f"{_zh(steps)}（没有偏差校正：第一步的步长 η/√(1 − α) = "
                        f"{show(lr / math.sqrt(1 - alpha))}）"},
        traps=[
            trap(w0 - lr * g / abs(g), "v taken as g² (no (1 − α) factor in the first average)",
                 "把 v 当成了 g²（第一次平均漏了 (1 − α)）"),
            trap(w0 - lr * g, "a plain SGD step w − η·g", "算成了普通 SGD 的一步 w − η·g"),
        ],
    )


@template("rmsprop", "square-avg")
def rmsprop_square_avg(rng) -> Question:
    alpha = pick(rng, [0.9, 0.99])
    g1, g2 = draw(rng, -3.0, 3.0), draw(rng, -3.0, 3.0)
    opt = nn.RMSprop([_param(0.0)], lr=0.01, alpha=alpha)
    vs = []
    for g in (g1, g2):
        opt.step([[g]])
        vs.append(float(opt.square_avg[0][0]))
    d = _sig(vs[1])
    no_share = alpha * g1 * g1 + g2 * g2  # v ← αv + g²: the (1 − α) left out
    swapped = (1 - alpha) * alpha * g1 * g1 + alpha * g2 * g2  # v ← (1 − α)v + αg²
    return Question(
        "rmsprop", "square-avg",
        prompt={"en": f"RMSprop with α = {show(alpha)}, v₀ = 0, gradients g₁ = {show(g1)}, "
                      f"g₂ = {show(g2)}. The running average of squares v after two steps?",
                "zh": f"RMSprop，α = {show(alpha)}，v₀ = 0，梯度依次为 g₁ = {show(g1)}，"
                      f"g₂ = {show(g2)}。两步后平方梯度的移动平均 v 是多少？"},
        answer=clean(vs[1]), decimals=d,
        solution={"en": f"v₁ = (1 − α)·g₁² = {show(vs[0], d + 1)}; v₂ = α·v₁ + (1 − α)·g₂² "
                        f"= {show(alpha)}·{show(vs[0], d + 1)} + {show(1 - alpha)}·"
                        f"{show(g2 * g2)} = {show(vs[1], d + 1)}",
                  "zh": f"v₁ = (1 − α)·g₁² = {show(vs[0], d + 1)}；v₂ = α·v₁ + (1 − α)·g₂² "
                        f"= {show(alpha)}·{show(vs[0], d + 1)} + {show(1 - alpha)}·"
                        f"{show(g2 * g2)} = {show(vs[1], d + 1)}"},
        traps=[
            trap(no_share, "(1 − α) left out: v ← α·v + g²", "漏了 (1 − α)：算成了 v ← α·v + g²"),
            trap(swapped, "α and 1 − α swapped: v ← (1 − α)·v + α·g²",
                 "α 和 1 − α 弄反了：算成了 v ← (1 − α)·v + α·g²"),
        ],
    )


@template("rmsprop", "two-steps")
def rmsprop_two_steps(rng) -> Question:
    lr, alpha, w0 = _rmsprop_setup(rng)
    g1, g2 = draw(rng, -3.0, 3.0), draw(rng, -3.0, 3.0)
    w = _param(w0)
    opt = nn.RMSprop([w], lr=lr, alpha=alpha)
    rows = []
    for g in (g1, g2):
        opt.step([[g]])
        rows.append((float(opt.square_avg[0][0]), float(w[0])))
    (v1, w1), (v2, w2) = rows
    steps = (f"v₁ = {show(1 - alpha)}·{_p(g1)}² = {show(v1, 6)}, w₁ = {show(w0)} − "
             f"{show(lr)}·{_p(g1)}/{show(math.sqrt(v1))} = {show(w1, 5)}; v₂ = {show(alpha)}·"
             f"{show(v1, 6)} + {show(1 - alpha)}·{_p(g2)}² = {show(v2, 6)}, w₂ = "
             f"{show(w1, 5)} − {show(lr)}·{_p(g2)}/{show(math.sqrt(v2))} = "
             f"{show(w2, 5)}")

    def mistaken(share: float, root) -> float:
        """The two steps by hand with v ← α·v + share·g² and w ← w − η·g/root(v)."""
        wm, vm = w0, 0.0
        for g in (g1, g2):
            vm = alpha * vm + share * g * g
            wm -= lr * g / root(vm)
        return wm

    return Question(
        "rmsprop", "two-steps",
        prompt={"en": f"RMSprop (learning rate η = {show(lr)}, α = {show(alpha)}, "
                      f"ε = 1e-8, v₀ = 0), w₀ = {show(w0)}, gradients g₁ = {show(g1)}, "
                      f"g₂ = {show(g2)}. w after two steps?",
                "zh": f"RMSprop（学习率 η = {show(lr)}，α = {show(alpha)}，"
                      f"ε = 1e-8，v₀ = 0），w₀ = {show(w0)}，梯度依次为 g₁ = {show(g1)}，"
                      f"g₂ = {show(g2)}。"
                      f"两步后 w 是多少？"},
        answer=clean(w2), decimals=4,
        solution={"en": f"v ← αv + (1 − α)g², w ← w − η·g/√v: {steps}",
                  "zh": f"v ← αv + (1 − α)g²，w ← w − η·g/√v：{_zh(steps)}"},
        traps=[
            trap(mistaken(1.0, math.sqrt), "(1 − α) left out: v ← α·v + g²",
                 "漏了 (1 − α)：算成了 v ← α·v + g²"),
            trap(mistaken(1 - alpha, lambda v: v), "divided by v instead of √v",
                 "除以了 v，而不是 √v"),
        ],
    )


# ------------------------------------------------------------------------------ adam

@template("adam", "first-step")
def adam_first_step(rng) -> Question:
    while True:  # not onto 0, where ε leaves a 1e-9 that the learner would have to type
        lr, w0, g = pick(rng, [0.001, 0.01, 0.1]), draw(rng, -2.0, 2.0), draw(rng, -5.0, 5.0)
        w = _param(w0)
        nn.Adam([w], lr=lr).step([[g]])
        w1 = float(w[0])
        if abs(w1) > 1e-6:
            break
    steps = (f"m̂₁ = g = {show(g)}, v̂₁ = g² = {show(g * g)}; w − η·m̂/(√v̂ + ε) ≈ "
             f"{show(w0)} − {show(lr)}·sign({show(g)}) = {show(w1)}")
    return Question(
        "adam", "first-step",
        prompt={"en": f"Adam (PyTorch defaults β₁ = 0.9, β₂ = 0.999, ε = 1e-8; learning rate "
                      f"η = {show(lr)}), w = {show(w0)}, gradient g = {show(g)}. "
                      f"w after the first step?",
                "zh": f"Adam（PyTorch 默认 β₁ = 0.9，β₂ = 0.999，ε = 1e-8；学习率 η = "
                      f"{show(lr)}），w = {show(w0)}，梯度 g = {show(g)}。"
                      f"第一步后 w 是多少？"},
        answer=clean(w1), decimals=4,
        solution={"en": f"{steps}: the first step has length η whatever |g| is",
                  "zh": f"{_zh(steps)}：无论 |g| 多大，第一步的步长都是 η"},
        traps=[
            trap(w0 - lr * (0.1 * g) / (math.sqrt(0.001 * g * g) + 1e-8),
                 "Adam's step without bias correction (m and v not divided by 1 − βᵗ)",
                 "Adam 这一步没做偏差校正（m、v 没有除以 1 − βᵗ）"),
            trap(w0 - lr * g, "a plain SGD step w − η·g instead of Adam's",
                 "算成了普通 SGD 的一步 w − η·g"),
            trap(w0 + lr * math.copysign(1.0, g), "the step taken up the gradient (sign flipped)",
                 "沿梯度方向走了（符号反了）"),
        ],
    )


@template("adam", "m-hat")
def adam_m_hat(rng) -> Question:
    g1, g2 = draw(rng, -3.0, 3.0), draw(rng, -3.0, 3.0)
    opt = nn.Adam([_param(0.0)], lr=0.001)
    ms = []
    for g in (g1, g2):
        opt.step([[g]])
        ms.append(float(opt.m[0][0]))
    m_hat = ms[1] / (1 - opt.betas[0] ** opt.t)
    return Question(
        "adam", "m-hat",
        prompt={"en": f"Adam with β₁ = 0.9, m₀ = 0, gradients g₁ = {show(g1)}, "
                      f"g₂ = {show(g2)}. The bias-corrected first moment m̂₂?",
                "zh": f"Adam，β₁ = 0.9，m₀ = 0，梯度依次为 g₁ = {show(g1)}，g₂ = {show(g2)}。"
                      f"偏差校正后的一阶矩 m̂₂ 是多少？"},
        answer=clean(m_hat), decimals=3,
        solution={"en": f"m₁ = 0.1·{_p(g1)} = {show(ms[0])}; m₂ = 0.9·{_p(ms[0])} + "
                        f"0.1·{_p(g2)} = {show(ms[1])}; m̂₂ = m₂/(1 − 0.9²) = "
                        f"{show(ms[1])}/0.19 = {show(m_hat)}",
                  "zh": f"m₁ = 0.1·{_p(g1)} = {show(ms[0])}；m₂ = 0.9·{_p(ms[0])} + "
                        f"0.1·{_p(g2)} = {show(ms[1])}；m̂₂ = m₂/(1 − 0.9²) = "
                        f"{show(ms[1])}/0.19 = {show(m_hat)}"},
        traps=[
            trap(ms[1], "m₂ without bias correction (not divided by 1 − β₁²)",
                 "m₂ 没做偏差校正（没有除以 1 − β₁²）"),
            trap(ms[1] / 0.1, "divided by 1 − β₁ instead of 1 − β₁ᵗ with t = 2",
                 "除以了 1 − β₁，而不是 t = 2 时的 1 − β₁ᵗ"),
        ],
    )


@template("adam", "bias-correction")
def adam_bias_correction(rng) -> Question:
    beta1, g = pick(rng, [0.8, 0.9, 0.95]), draw(rng, -5.0, 5.0)
    opt = nn.Adam([_param(0.0)], lr=0.001, betas=(beta1, 0.999))
    opt.step([[g]])
    m1 = float(opt.m[0][0])
    m_hat = m1 / (1 - beta1 ** opt.t)
    return Question(
        "adam", "bias-correction",
        prompt={"en": f"Adam with β₁ = {show(beta1)}, m₀ = 0, first gradient g = {show(g)}. "
                      f"(m₁, m̂₁): the first moment before and after bias correction?",
                "zh": f"Adam，β₁ = {show(beta1)}，m₀ = 0，第一个梯度 g = {show(g)}。"
                      f"偏差校正前后的一阶矩 (m₁, m̂₁) 是多少？"},
        answer=[m1, float(m_hat)], kind="vector", decimals=3,
        solution={"en": f"m₁ = (1 − β₁)·g = {show(1 - beta1)}·{_p(g)} = {show(m1)} "
                        f"(biased toward 0); m̂₁ = m₁/(1 − β₁) = {show(m_hat)} = g",
                  "zh": f"m₁ = (1 − β₁)·g = {show(1 - beta1)}·{_p(g)} = {show(m1)}"
                        f"（偏向 0）；m̂₁ = m₁/(1 − β₁) = {show(m_hat)} = g"},
        traps=[
            trap([m1, m1], "m̂₁ left without bias correction", "m̂₁ 没做偏差校正"),
            trap([g, g], "m₁ taken as g: the first moment starts at 0 and moves by (1 − β₁)·g",
                 "把 m₁ 当成了 g：一阶矩从 0 开始，只移动 (1 − β₁)·g"),
        ],
    )


# ------------------------------------------------------------------------------ initialisation

@template("weight-initialization", "xavier-bound")
def init_xavier_bound(rng) -> Question:
    n_in = pick(rng, [64, 100, 128, 256, 300, 512, 784])
    n_out = pick(rng, [10, 32, 64, 128, 256])
    fan_in, fan_out = nn.compute_fans((n_out, n_in))
    a = math.sqrt(6.0 / (fan_in + fan_out))
    return Question(
        "weight-initialization", "xavier-bound",
        prompt={"en": f"nn.Linear({n_in}, {n_out}) initialised Xavier/Glorot uniform (gain 1): "
                      f"W ~ U(−a, a). a = ?",
                "zh": f"nn.Linear({n_in}, {n_out}) 用 Xavier/Glorot 均匀初始化（gain = 1）："
                      f"W ~ U(−a, a)。a 是多少？"},
        answer=a, decimals=4,
        solution={"en": f"fan_in = {fan_in}, fan_out = {fan_out}; a = √(6/({fan_in} + "
                        f"{fan_out})) = √{show(6 / (fan_in + fan_out), 6)} = {show(a)}",
                  "zh": f"fan_in = {fan_in}，fan_out = {fan_out}；a = √(6/({fan_in} + "
                        f"{fan_out})) = √{show(6 / (fan_in + fan_out), 6)} = {show(a)}"},
        traps=[
            trap(math.sqrt(2.0 / (fan_in + fan_out)),
                 "the normal init's standard deviation √(2/(fan_in + fan_out)), not the "
                 "uniform bound",
                 "算成了正态初始化的标准差 √(2/(fan_in + fan_out))，而不是均匀分布的边界"),
            trap(math.sqrt(6.0 / fan_in), "√(6/fan_in): Xavier averages fan_in and fan_out",
                 "算成了 √(6/fan_in)：Xavier 用 fan_in 与 fan_out 之和"),
        ],
    )


@template("weight-initialization", "he-std")
def init_he_std(rng) -> Question:
    c_in, c_out = pick(rng, [1, 3, 16, 32, 64, 128]), pick(rng, [16, 32, 64, 128])
    k = pick(rng, [1, 3, 5])
    fan_in, _ = nn.compute_fans((c_out, c_in, k, k))
    std = math.sqrt(2.0 / fan_in)
    d = _sig(std, least=4)
    return Question(
        "weight-initialization", "he-std",
        prompt={"en": f"nn.Conv2d({c_in}, {c_out}, kernel_size={k}) followed by ReLU, He/Kaiming "
                      f"normal init (fan_in mode). Standard deviation of the weights?",
                "zh": f"nn.Conv2d({c_in}, {c_out}, kernel_size={k}) 后接 ReLU，用 He/Kaiming "
                      f"正态初始化（fan_in 模式）。权重的标准差是多少？"},
        answer=std, decimals=d,
        solution={"en": f"fan_in = C_in·k·k = {c_in}·{k}·{k} = {fan_in}; σ = √(2/fan_in) = "
                        f"√(2/{fan_in}) = {show(std, d + 1)}",
                  "zh": f"fan_in = C_in·k·k = {c_in}·{k}·{k} = {fan_in}；σ = √(2/fan_in) = "
                        f"√(2/{fan_in}) = {show(std, d + 1)}"},
        traps=[
            trap(math.sqrt(2.0 / c_in), "fan_in taken as C_in: it is C_in·K·K",
                 "把 fan_in 当成了 C_in：它是 C_in·K·K"),
            trap(math.sqrt(1.0 / fan_in), "√(1/fan_in): He's gain for ReLU is √2",
                 "算成了 √(1/fan_in)：He 初始化针对 ReLU 的增益是 √2"),
        ],
    )


@template("weight-initialization", "fans")
def init_fans(rng) -> Question:
    k = pick(rng, [1, 3, 5, 7])
    shape = (pick(rng, [8, 16, 32, 64, 128]), pick(rng, [1, 3, 16, 32, 64]), k, k)
    fan_in, fan_out = nn.compute_fans(shape)
    rf = shape[2] * shape[3]
    return Question(
        "weight-initialization", "fans",
        prompt={"en": f"A Conv2d weight of shape {shape} = (out, in, kh, kw). (fan_in, fan_out) "
                      f"as PyTorch computes them?",
                "zh": f"Conv2d 权重形状为 {shape} = (out, in, kh, kw)。按 PyTorch 的算法，"
                      f"(fan_in, fan_out) 是多少？"},
        answer=[float(fan_in), float(fan_out)], kind="vector", decimals=0,
        solution={"en": f"receptive field kh·kw = {rf}; fan_in = in·{rf} = {fan_in}, "
                        f"fan_out = out·{rf} = {fan_out}",
                  "zh": f"感受野 kh·kw = {rf}；fan_in = in·{rf} = {fan_in}，"
                        f"fan_out = out·{rf} = {fan_out}"},
        traps=[
            trap([float(shape[1]), float(shape[0])], "the receptive field K·K left out",
                 "漏了感受野 K·K"),
            trap([float(fan_out), float(fan_in)], "fan_in and fan_out swapped",
                 "fan_in 和 fan_out 弄反了"),
        ],
    )
