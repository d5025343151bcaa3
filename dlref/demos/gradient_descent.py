"""Gradient descent on a 2-D function with the dlref.nn optimisers, one step per frame.

Functions: the ill-conditioned quadratic f = 0.1x² + 2y² (d2l's example: curvature 20 times
larger along y than along x) and the Rosenbrock "banana" f = (1 − x)² + 100(y − x²)², whose
minimum (1, 1) lies at the end of a long, curved, flat-bottomed valley.
lr = 0 picks a learning rate suited to the optimiser and function (table SUGGESTED_LR).
The loss is plotted as log₁₀ f, floored at 10⁻¹⁶.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import DIVERGED, STEP
from dlref.i18n import pick, plural_s
from dlref.nn import SGD, Adagrad, Adam, RMSprop
from dlref.text.numbers import round_sig
from dlref.text.paragraphs import join_lines

OPTIMIZERS = ("sgd", "momentum", "adagrad", "rmsprop", "adam")
MINIMUM = {"quadratic": (0.0, 0.0), "rosenbrock": (1.0, 1.0)}
SUGGESTED_LR = {
    "quadratic": {"sgd": 0.4, "momentum": 0.05, "adagrad": 0.4, "rmsprop": 0.03, "adam": 0.1},
    "rosenbrock": {"sgd": 0.002, "momentum": 0.001, "adagrad": 1.0, "rmsprop": 0.01,
                   "adam": 0.3},
}
BLOWUP = 1e6  # |x| or |y| beyond this counts as diverged
OPTIMIZER_NAMES = {"sgd": "SGD", "momentum": {"en": "SGD with momentum", "zh": "动量法"},
                   "adagrad": "Adagrad", "rmsprop": "RMSProp", "adam": "Adam"}
FUNCTION_NAMES = {"quadratic": {"en": "quadratic 0.1x² + 2y²", "zh": "二次函数 0.1x² + 2y²"},
                  "rosenbrock": {"en": "Rosenbrock function", "zh": "Rosenbrock 函数"}}
START = {"en": "start", "zh": "起点"}
MINIMUM_POINT = {"en": "minimum", "zh": "最小值点"}
LABELS = {"loss": {"en": "loss f", "zh": "损失 f"}, "distance":
          {"en": "distance to minimum", "zh": "到最小值点的距离"},
          "lr": {"en": "learning rate", "zh": "学习率"},
          "steps_taken": {"en": "steps taken", "zh": "已走步数"}, "diverged": DIVERGED}

KNOBS = (
    Knob("function", {"en": "function", "zh": "目标函数"}, "choice", "quadratic",
         choices=("quadratic", "rosenbrock"),
         choice_labels={"quadratic": {"en": "quadratic", "zh": "二次函数"},
                        "rosenbrock": {"en": "Rosenbrock", "zh": "Rosenbrock 函数"}}),
    Knob("optimizer", {"en": "optimisation algorithm", "zh": "优化算法"}, "choice", "sgd",
         choices=OPTIMIZERS, choice_labels=OPTIMIZER_NAMES),
    Knob("lr", {"en": "learning rate (0 = suggested)", "zh": "学习率（0 表示取推荐值）"},
         "float", 0.0, low=0.0, high=10.0),
    Knob("steps", {"en": "steps", "zh": "迭代步数"}, "int", 300, low=1, high=2000),
    Knob("momentum", {"en": "momentum (optimizer = momentum)",
                      "zh": "动量（优化算法为动量法时）"},
         "float", 0.9, low=0.0, high=0.99),
    Knob("x0", {"en": "start x", "zh": "起点 x"}, "float", -1.2, low=-3.0, high=3.0),
    Knob("y0", {"en": "start y", "zh": "起点 y"}, "float", 1.0, low=-3.0, high=3.0),
)



def objective(name: str, p: np.ndarray) -> tuple[float, np.ndarray]:
    """f(p) and ∇f(p) for p = (x, y)."""
    x, y = float(p[0]), float(p[1])
    if name == "quadratic":
        return 0.1 * x * x + 2.0 * y * y, np.array([0.2 * x, 4.0 * y])
    r = y - x * x
    return (1.0 - x) ** 2 + 100.0 * r * r, np.array([-2.0 * (1.0 - x) - 400.0 * x * r, 200.0 * r])


def learning_rate(values: dict[str, Any]) -> float:
    lr = float(values["lr"])
    return lr if lr > 0.0 else SUGGESTED_LR[values["function"]][values["optimizer"]]


def make_optimizer(name: str, params: list[np.ndarray], lr: float, momentum: float):
    if name == "sgd":
        return SGD(params, lr)
    if name == "momentum":
        return SGD(params, lr, momentum=momentum)
    if name == "adagrad":
        return Adagrad(params, lr)
    if name == "rmsprop":
        return RMSprop(params, lr)
    return Adam(params, lr)


@dataclass
class State:
    step: int = 0
    steps: list[float] = field(default_factory=list)
    log_loss: list[float] = field(default_factory=list)
    loss: float = float("nan")
    xs: list[float] = field(default_factory=list)
    ys: list[float] = field(default_factory=list)
    diverged: bool = False


def descend(values: dict[str, Any]) -> Iterator[State]:
    """One State per optimiser step (the point after the step); stops on divergence."""
    fname = values["function"]
    p = np.array([float(values["x0"]), float(values["y0"])])
    opt = make_optimizer(values["optimizer"], [p], learning_rate(values), values["momentum"])
    with np.errstate(all="ignore"):
        loss, grad = objective(fname, p)
    state = State(loss=loss, xs=[float(p[0])], ys=[float(p[1])])
    for t in range(1, int(values["steps"]) + 1):
        # errstate is a context variable: never hold it across a yield, since a UI may
        # advance this generator from a different thread each step.
        with np.errstate(all="ignore"):
            opt.step([grad])
            loss, grad = objective(fname, p)
        state.step = t
        if not (np.isfinite(loss) and np.all(np.isfinite(grad))
                and np.all(np.abs(p) < BLOWUP)):
            state.diverged = True
            yield state
            return
        state.loss = loss
        state.steps.append(float(t))
        state.log_loss.append(float(np.log10(max(loss, 1e-16))))
        state.xs.append(float(p[0]))
        state.ys.append(float(p[1]))
        yield state


def _result(state: State, values: dict[str, Any]) -> Result:
    fname, oname = values["function"], values["optimizer"]
    lr = learning_rate(values)
    mx, my = MINIMUM[fname]
    x, y = state.xs[-1], state.ys[-1]
    distance = float(np.hypot(x - mx, y - my))
    start_loss, _ = objective(fname, np.array([state.xs[0], state.ys[0]]))
    taken = len(state.steps)
    plots = [
        Plot({"en": "loss per step (log₁₀ f)", "zh": "每一步的损失（log₁₀ f）"},
             [Series(OPTIMIZER_NAMES[oname], list(state.steps), list(state.log_loss))],
             xlabel=STEP, ylabel="log10 f"),
        Plot({"en": f"path on the {pick(FUNCTION_NAMES[fname], 'en')}",
              "zh": join_lines([pick(FUNCTION_NAMES[fname], "zh"), "上的下降路径"])},
             [Series({"en": "path", "zh": "路径"}, list(state.xs), list(state.ys)),
              Series(START, [state.xs[0]], [state.ys[0]]),
              Series(MINIMUM_POINT, [mx], [my])], xlabel="x", ylabel="y"),
    ]
    # One column per point, so every word sits in a header the front ends translate.
    # The step count goes in the title, so the columns stay the same while the descent runs
    # (the app then updates the table in place instead of rebuilding it every frame).
    table = Table({"en": f"where the descent is after step {taken}",
                   "zh": f"第 {taken} 步时下降到达的位置"},
                  ["", START, {"en": "now", "zh": "当前"}, MINIMUM_POINT],
                  [["x", round_sig(state.xs[0]), round_sig(x), mx],
                   ["y", round_sig(state.ys[0]), round_sig(y), my],
                   ["f", round_sig(start_loss), round_sig(state.loss), 0.0]])

    chosen = "" if values["lr"] > 0 else " (suggested)"
    chosen_zh = "" if values["lr"] > 0 else "（推荐值）"
    name_en, name_zh = (pick(OPTIMIZER_NAMES[oname], lang) for lang in ("en", "zh"))
    en = [f"{name_en} with learning rate {lr:g}{chosen}: distance to the minimum "
          f"{distance:.3g} after {taken} step{plural_s(taken)}."]
    zh = [f"{name_zh}，学习率 {lr:g}{chosen_zh}：{taken} 步后离最小值的距离为 {distance:.3g}。"]
    if state.diverged:
        en.append(f"Diverged at step {state.step}: the iterate blew up (non-finite or beyond "
                  f"{BLOWUP:g}), so the descent stopped early. Lower the learning rate.")
        zh.append(f"在第 {state.step} 步发散：迭代点爆炸（不是有限值或超过 {BLOWUP:g}），"
                  "已中止迭代。请调小学习率。")
    if fname == "quadratic":
        en.append("Curvature along y is 20× that along x: a learning rate large enough to move "
                  "along x makes plain gradient descent zigzag along y. Momentum averages the "
                  "zigzag out; Adagrad, RMSprop and Adam scale each coordinate separately.")
        zh.append("y 方向的曲率是 x 方向的 20 倍：学习率大到能沿 x 方向前进时，普通梯度下降会在 "
                  "y 方向来回振荡。动量法把振荡平均掉；Adagrad、RMSProp 和 Adam 则按坐标分别"
                  "调整步长。")
    else:
        en.append("Rosenbrock's valley is steep across and nearly flat along: gradient descent "
                  "needs a tiny learning rate to avoid bouncing off the walls, then crawls along "
                  "the floor towards (1, 1).")
        zh.append("Rosenbrock 函数的山谷横向陡峭、纵向几乎平坦：梯度下降必须用很小的学习率才不会"
                  "在谷壁间来回弹，之后只能沿谷底缓慢爬向 (1, 1)。")
    return Result(
        plots=plots, tables=[table], notes={"en": en, "zh": zh}, step=state.step,
        metrics={"loss": state.loss, "x": x, "y": y, "distance": distance, "lr": lr,
                 "steps_taken": float(len(state.steps)),
                 "diverged": 1.0 if state.diverged else 0.0},
        labels=LABELS,
    )


def frames(values: dict[str, Any], rng: np.random.Generator) -> Iterator[Result]:
    for state in descend(values):
        yield _result(state, values)


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    """The last frame (the descent exhausted without building the intermediate frames)."""
    last = None
    for last in descend(values):  # noqa: B007 - only the final state is shown
        pass
    return _result(last, values)


DEMO = Demo(
    name="gradient-descent",
    title={"en": "Gradient descent and its optimisers on a 2-D function",
           "zh": "二维函数上的梯度下降与优化算法"},
    knobs=KNOBS,
    run=run,
    kernels=(SGD, Adagrad, RMSprop, Adam),
    frames=frames,
)
