"""Questions on activation functions: values and derivatives at random points."""

from __future__ import annotations

from dlref import nn
from dlref.quiz.questions import Question, rounded, template


def _x(rng, low: float = -3.0, high: float = 3.0) -> float:
    """A random input with one decimal, never exactly 0 (where derivatives are conventions)."""
    x = 0.0
    while x == 0.0:
        x = round(float(rng.uniform(low, high)), 1)
    return x


@template("sigmoid", "value")
def sigmoid_value(rng) -> Question:
    x = _x(rng)
    e = float(nn.sigmoid(-x) / nn.sigmoid(x)) if x else 1.0
    y = float(nn.sigmoid(x))
    return Question(
        "sigmoid", "value",
        prompt={"en": f"σ({rounded(x)}) = ?", "zh": f"σ({rounded(x)}) 等于多少？"},
        answer=y,
        solution={
            "en": f"σ(x) = 1 / (1 + e⁻ˣ); e^{-x:g} = {rounded(e)}; 1 / (1 + {rounded(e)}) = "
                  f"{rounded(y)}",
            "zh": f"σ(x) = 1 / (1 + e⁻ˣ)；e^{-x:g} = {rounded(e)}；1 / (1 + {rounded(e)}) = "
                  f"{rounded(y)}",
        },
    )


@template("sigmoid", "derivative")
def sigmoid_derivative(rng) -> Question:
    x = _x(rng)
    s = float(nn.sigmoid(x))
    d = float(nn.sigmoid_grad(x))
    return Question(
        "sigmoid", "derivative",
        prompt={"en": f"σ′({rounded(x)}) = ?", "zh": f"σ′({rounded(x)}) 等于多少？"},
        answer=d,
        solution={
            "en": f"σ′(x) = σ(x)(1 − σ(x)); σ({rounded(x)}) = {rounded(s)}; "
                  f"{rounded(s)} × {rounded(1 - s)} = {rounded(d)}",
            "zh": f"σ′(x) = σ(x)(1 − σ(x))；σ({rounded(x)}) = {rounded(s)}；"
                  f"{rounded(s)} × {rounded(1 - s)} = {rounded(d)}",
        },
    )


@template("relu", "value")
def relu_value(rng) -> Question:
    xs = [_x(rng) for _ in range(3)]
    ys = [float(v) for v in nn.relu(xs)]
    shown = ", ".join(rounded(x) for x in xs)
    return Question(
        "relu", "value",
        prompt={"en": f"ReLU([{shown}]) = ? (a vector)", "zh": f"ReLU([{shown}]) 等于？（向量）"},
        answer=ys,
        kind="vector",
        decimals=1,
        solution={
            "en": f"ReLU(x) = max(0, x) element-wise: [{', '.join(rounded(y) for y in ys)}]",
            "zh": f"ReLU(x) = max(0, x)，逐元素计算：[{', '.join(rounded(y) for y in ys)}]",
        },
    )
