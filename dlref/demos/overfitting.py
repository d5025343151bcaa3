"""Overfitting: least-squares polynomials of degree 1–15 fitted to a few noisy points.

Training error keeps falling as the degree (model capacity) grows; the error on held-out points
falls, then rises once the polynomial starts fitting the noise. The errors are mse_loss.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.polynomial import legendre

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import DEGREE
from dlref.nn import mse_loss
from dlref.text.numbers import round_sig

MAX_DEGREE = 15
N_TEST = 200
SHOW_LIMIT = 3.0  # the fitted curve is clipped to ±3 on the plot so wild fits stay readable
TRAIN, HELD_OUT = {"en": "train", "zh": "训练集"}, {"en": "held-out", "zh": "留出集"}
TRAIN_MSE = {"en": "train MSE", "zh": "训练集 MSE"}
HELD_OUT_MSE = {"en": "held-out MSE", "zh": "留出集 MSE"}
PARAMETERS = {"en": "parameters", "zh": "参数个数"}

KNOBS = (
    Knob("degree", {"en": "polynomial degree", "zh": "多项式阶数"}, "int", 3, low=1,
         high=MAX_DEGREE),
    Knob("noise", {"en": "noise std", "zh": "噪声标准差"}, "float", 0.2, low=0.0, high=1.0),
    Knob("n_train", {"en": "training examples", "zh": "训练样本数"}, "int", 12, low=4, high=40),
)


def truth(x: np.ndarray) -> np.ndarray:
    """The smooth function behind the data."""
    return np.sin(np.pi * x)



def fit(x: np.ndarray, y: np.ndarray, degree: int) -> np.ndarray:
    """Least-squares coefficients in the Legendre basis (well conditioned on [−1, 1]); when there
    are more coefficients than points, the minimum-norm interpolating solution."""
    coef, *_ = np.linalg.lstsq(legendre.legvander(x, degree), y, rcond=None)
    return coef


def _interpolation_en(degree: int, n: int, noise: float, held_out: float) -> str:
    """The note for a polynomial with as many coefficients as points or more. With noise 0
    there is no noise to memorise, so that case says what does go wrong instead."""
    head = (f"With {degree + 1} coefficients and only {n} points the polynomial passes through "
            "every training point (train error ≈ 0)")
    if noise == 0.0:
        return (head + ". With noise 0 there is no noise to memorise, but nothing pins the curve "
                f"down between and beyond the points: held-out MSE {held_out:.3g}.")
    return head + " and swings wildly between them: it has memorised the noise."


def _interpolation_zh(degree: int, n: int, noise: float, held_out: float) -> str:
    """`_interpolation_en` in Chinese."""
    head = f"{degree + 1} 个系数而只有 {n} 个点：多项式穿过每个训练点（训练误差 ≈ 0）"
    if noise == 0.0:
        return (head + "。噪声为 0 时没有噪声可记，但点与点之间和两端之外没有任何约束："
                f"留出集均方误差为 {held_out:.3g}。")
    return head + "，在点与点之间剧烈摆动——它记住了噪声。"


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    degree, noise, n = int(values["degree"]), float(values["noise"]), int(values["n_train"])
    x_train = np.sort(rng.uniform(-1.0, 1.0, n))
    y_train = truth(x_train) + noise * rng.standard_normal(n)
    x_test = rng.uniform(-1.0, 1.0, N_TEST)
    y_test = truth(x_test) + noise * rng.standard_normal(N_TEST)

    degrees = list(range(1, MAX_DEGREE + 1))
    train_err, test_err, chosen = [], [], None
    for deg in degrees:
        coef = fit(x_train, y_train, deg)
        train_err.append(mse_loss(legendre.legval(x_train, coef), y_train))
        test_err.append(mse_loss(legendre.legval(x_test, coef), y_test))
        if deg == degree:
            chosen = coef
    best = degrees[int(np.argmin(test_err))]

    grid = np.linspace(-1.0, 1.0, 101)
    curve = np.clip(legendre.legval(grid, chosen), -SHOW_LIMIT, SHOW_LIMIT)
    fit_plot = Plot(
        {"en": f"degree-{degree} fit to {n} {'noisy ' if noise else ''}points",
         "zh": f"{degree} 阶多项式拟合 {n} 个{'带噪声的' if noise else ''}点"},
        [Series({"en": "true function", "zh": "真实函数"}, grid.tolist(), truth(grid).tolist()),
         Series({"en": f"degree {degree} fit", "zh": f"{degree} 阶拟合"}, grid.tolist(),
                curve.tolist()),
         Series({"en": "training points", "zh": "训练点"}, x_train.tolist(), y_train.tolist())],
        xlabel="x", ylabel="y", kind="scatter")
    xs = [float(d) for d in degrees]
    err_plot = Plot(
        {"en": "log10 error vs degree", "zh": "误差（log10）与多项式阶数"},
        [Series(TRAIN, xs, np.log10(np.maximum(train_err, 1e-12)).tolist()),
         Series(HELD_OUT, xs, np.log10(np.maximum(test_err, 1e-12)).tolist())],
        xlabel=DEGREE, ylabel="log10 MSE")
    table = Table({"en": "mean squared error by degree", "zh": "各阶数的均方误差"},
                  [DEGREE, PARAMETERS, TRAIN_MSE, HELD_OUT_MSE],
                  [[d, d + 1, round_sig(tr), round_sig(te)]
                   for d, tr, te in zip(degrees, train_err, test_err, strict=True)])

    tr, te = train_err[degree - 1], test_err[degree - 1]
    en = [f"Degree {degree}: train MSE {tr:.3g}, held-out MSE {te:.3g}. The held-out error is "
          f"lowest at degree {best}; below it the model underfits, above it it overfits."]
    zh = [f"{degree} 阶：训练均方误差 {tr:.3g}，留出集均方误差 {te:.3g}。"
          f"留出集误差在 {best} 阶时最低；阶数更低时欠拟合，更高时过拟合。"]
    if degree + 1 >= n:
        en.append(_interpolation_en(degree, n, noise, te))
        zh.append(_interpolation_zh(degree, n, noise, te))
        if degree + 1 > n:
            en[-1] += (" With more coefficients than points, least squares picks the smallest-norm "
                       "interpolant, which can be a little tamer (the 'double descent' effect).")
            zh[-1] += ("系数多于数据点时，最小二乘取范数最小的插值解，它可能稍微平缓一些"
                       "（即“双下降”现象）。")
    en.append("More training points or less noise push the best degree up: overfitting is about "
              "capacity relative to the data.")
    zh.append("增加训练样本或降低噪声，最佳阶数会升高：过拟合取决于模型容量与数据量的相对关系。")
    return Result(
        plots=[err_plot, fit_plot], tables=[table], notes={"en": en, "zh": zh},
        metrics={"train_mse": tr, "test_mse": te, "best_degree": float(best),
                 "parameters": float(degree + 1)},
        labels={"train_mse": TRAIN_MSE, "test_mse": HELD_OUT_MSE,
                "best_degree": {"en": "best degree", "zh": "最佳阶数"}, "parameters": PARAMETERS})


DEMO = Demo(
    name="overfitting",
    title={"en": "Overfitting: polynomial degree vs held-out error",
           "zh": "过拟合：多项式阶数与留出集误差"},
    knobs=KNOBS,
    run=run,
    kernels=(mse_loss,),
)
