"""Universal approximation: one hidden layer of N units fitted to a 1-D function on [−π, π].

Method: the hidden layer is random and fixed (each unit gets a random slope and a random centre
inside [−π, π], so its bend or kink falls where the function is), and only the output layer
is fitted, exactly, by linear least squares on the hidden activations (a random-feature network).
Nothing is trained by gradient descent, so the fit is instant and the error-versus-N curve
shows the effect of width alone. The N units used are the first N of one seeded pool of 64, so a
wider network always contains the narrower ones.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import ACTIVATION_NAMES
from dlref.i18n import pick, plural_s
from dlref.nn import linear_forward, mse_loss, relu, sigmoid, tanh
from dlref.nn.activations import ACTIVATIONS
from dlref.text.numbers import round_sig
from dlref.text.paragraphs import join_lines

ACT = {name: ACTIVATIONS[name][0] for name in ("relu", "tanh", "sigmoid")}
POOL = 64
POINTS = 200
WIDTHS = (1, 2, 4, 8, 16, 32, 64)

FUNCTIONS = {"sin": "sin(x)", "abs": "|x| − π/2", "step": {"en": "step(x)", "zh": "阶跃函数"}}
KNOBS = (
    Knob("activation", {"en": "activation function", "zh": "激活函数"}, "choice", "relu",
         choices=tuple(ACT), choice_labels=ACTIVATION_NAMES),
    Knob("hidden", {"en": "hidden units N", "zh": "隐藏单元数 N"}, "int", 8, low=1, high=POOL),
    Knob("target", {"en": "function to fit", "zh": "要拟合的函数"}, "choice", "sin",
         choices=("sin", "abs", "step"), choice_labels=FUNCTIONS),
)
HIDDEN = {"en": "hidden units N", "zh": "隐藏单元数 N"}
MAX_ERROR = {"en": "max |error|", "zh": "最大 |误差|"}


def _target(name: str, x: np.ndarray) -> np.ndarray:
    if name == "sin":
        return np.sin(x)
    if name == "abs":
        return np.abs(x) - np.pi / 2
    return np.where(x >= 0.0, 1.0, 0.0)


def hidden_layer(activation: str, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Weights (POOL, 1) and biases (POOL,) of the random hidden layer."""
    sign = rng.choice([-1.0, 1.0], size=POOL)
    slope = rng.uniform(0.5, 2.0, size=POOL) if activation == "relu" else \
        rng.uniform(1.0, 4.0, size=POOL)
    centre = rng.uniform(-np.pi, np.pi, size=POOL)
    w = sign * slope
    return w[:, None], -w * centre


def fit(h: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float]:
    """Least-squares output layer for hidden activations h (P, N): weights (1, N) and bias."""
    design = np.hstack([h, np.ones((h.shape[0], 1))])
    coef, *_ = np.linalg.lstsq(design, y, rcond=None)
    return coef[None, :-1], float(coef[-1])


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    act, n, name = values["activation"], int(values["hidden"]), values["target"]
    unit = ACTIVATION_NAMES[act]  # as a learner reads it: ReLU, not relu
    x = np.linspace(-np.pi, np.pi, POINTS)
    y = _target(name, x)
    w, b = hidden_layer(act, rng)
    z, _ = linear_forward(x[:, None], w, b)
    h = ACT[act](z)  # (POINTS, POOL)

    errors: dict[int, tuple[float, float]] = {}
    fitted = None
    for width in sorted(set(WIDTHS) | {n}):
        a, a0 = fit(h[:, :width], y)
        pred, _ = linear_forward(h[:, :width], a, np.array([a0]))
        pred = pred[:, 0]
        errors[width] = (mse_loss(pred, y), float(np.max(np.abs(pred - y))))
        if width == n:
            fitted = pred
    mse, max_err = errors[n]

    widths = sorted(errors)
    log_mse = [float(np.log10(max(errors[k][0], 1e-16))) for k in widths]
    plots = [
        Plot({"en": f"{pick(FUNCTIONS[name], 'en')} and the fit with N = {n} {unit} units",
              "zh": join_lines([pick(FUNCTIONS[name], "zh"), f"与 N = {n} 个 {unit} 单元的拟合"])},
             [Series({"en": "target", "zh": "目标函数"}, x.tolist(), y.tolist()),
              Series({"en": f"fit, N = {n}", "zh": f"拟合，N = {n}"}, x.tolist(),
                     fitted.tolist())], xlabel="x", ylabel="y"),
        Plot({"en": "error as the hidden layer widens (log₁₀ MSE)",
              "zh": "误差随隐藏层变宽的变化（log₁₀ MSE）"},
             [Series("log10 MSE", [float(k) for k in widths], log_mse)],
             xlabel=HIDDEN, ylabel="log10 MSE"),
    ]
    table = Table({"en": "error by width", "zh": "不同宽度的误差"}, ["N", "MSE", MAX_ERROR],
                  [[k, round_sig(errors[k][0]), round_sig(errors[k][1])] for k in widths])

    en = ["Universal approximation: one hidden layer with enough units can approximate any "
          "continuous function on a closed interval as closely as we like. Here the hidden "
          "weights are random and only the output layer is solved by least squares."]
    zh = ["通用近似定理：只要隐藏单元足够多，单隐藏层网络就能在闭区间上以任意精度逼近任何连续函数。"
          "这里隐藏层权重是随机的，只有输出层用最小二乘法求解。"]
    if act == "relu":
        en.append(f"With ReLU the fit is piecewise linear, with at most {n} "
                  f"kink{plural_s(n)}: each unit adds one bend where it switches on.")
        zh.append(f"用 ReLU 时拟合结果是分段线性的，最多有 {n} 个折点：每个单元在它开始激活的"
                  "位置加入一个折点。")
    else:
        en.append(f"With {unit} each unit adds one smooth S-shaped step; sums of shifted steps "
                  "build up the curve.")
        zh.append(f"用 {unit} 时每个单元贡献一个平滑的 S 形台阶，平移后的台阶相加拼出曲线。")
    if name == "step":
        en.append("The step is discontinuous: the error concentrates at the jump and shrinks "
                  "slowly with N, since continuous units can only approximate a jump.")
        zh.append("阶跃函数不连续：误差集中在跳变处，随 N 增大下降得很慢，"
                  "因为连续的单元只能近似跳变。")
    else:
        en.append(f"MSE {errors[min(widths)][0]:.3g} with N = {min(widths)} → {mse:.3g} with "
                  f"N = {n} → {errors[POOL][0]:.3g} with N = {POOL}.")
        zh.append(f"N = {min(widths)} 时 MSE 为 {errors[min(widths)][0]:.3g}，N = {n} 时为 "
                  f"{mse:.3g}，N = {POOL} 时为 {errors[POOL][0]:.3g}。")

    return Result(plots=plots, tables=[table], notes={"en": en, "zh": zh},
                  metrics={"mse": mse, "max_error": max_err, "hidden": float(n)},
                  labels={"mse": "MSE", "max_error": MAX_ERROR, "hidden": HIDDEN})


DEMO = Demo(
    name="approximation",
    title={"en": "Universal approximation with one hidden layer", "zh": "单隐藏层的通用近似"},
    knobs=KNOBS,
    run=run,
    kernels=(linear_forward, relu, tanh, sigmoid, mse_loss),
)
