"""Questions that test understanding through a number, for the cards with the fewest kinds:
direction of change, inverse problems, evaluation-mode behaviour, debugging, and the missing
pieces of existing topics (Adam's second moment, F-β, balanced accuracy, receptive field).

Answers come from dlref.nn where a kernel exists; each solution states the formula, puts the
drawn numbers in and shows every intermediate.
"""

from __future__ import annotations

import math

import numpy as np

from dlref import nn
from dlref.quiz.draw import clean, draw, draws, floats, pick, show, trap, vec
from dlref.quiz.draw import paren as _p
from dlref.quiz.questions import Question, template


def _semi(text: str) -> str:
    return text.replace("; ", "；")


# --- softmax: raise the temperature ---------------------------------------------------------


@template("softmax", "temperature-direction")
def softmax_temperature_direction(rng) -> Question:
    while True:
        z = draws(rng, 3, -2.0, 3.0, nonzero=False)
        if len(set(z)) == 3:
            break
    t = pick(rng, (2.0, 3.0, 4.0, 5.0, 10.0))
    k = int(np.argmin(z))
    before = float(nn.softmax(z)[k])
    after = float(nn.softmax(np.asarray(z) / t)[k])
    scaled = f"z/T = {vec(np.asarray(z) / t)}; softmax(z/T) = {vec(nn.softmax(np.asarray(z) / t))}"
    steps = f"{scaled}; the smallest logit's probability goes {show(before)} → {show(after)}"
    steps_zh = f"{_semi(scaled)}；最小 logit 的概率从 {show(before)} 变为 {show(after)}"
    return Question(
        "softmax", "temperature-direction",
        prompt={"en": f"Logits z = {vec(z)}. At temperature T = 1 the smallest logit gets "
                      f"probability {show(before)}. Raise the temperature to T = {show(t)}: "
                      f"its probability softmax(z/T) now?",
                "zh": f"logits z = {vec(z)}。温度 T = 1 时最小的 logit 概率为 {show(before)}。"
                      f"把温度升到 T = {show(t)}：它的概率 softmax(z/T) 变为多少？"},
        answer=after, decimals=3,
        solution={"en": f"{steps} (a higher T flattens the distribution: small ones grow)",
                  "zh": f"{steps_zh}（温度越高分布越平缓：小概率变大）"},
        traps=[
            trap(float(nn.softmax(np.asarray(z) * t)[k]), "z multiplied by T instead of divided",
                 "把 z 乘以了 T，而不是除以 T"),
            trap(before, "unchanged: the temperature does change the probabilities",
                 "以为不变：温度会改变概率"),
        ],
    )


# --- convolution: the padding that keeps the size -------------------------------------------


@template("convolution", "same-padding")
def conv_same_padding(rng) -> Question:
    k, d = pick(rng, (1, 3, 5, 7, 9, 11)), pick(rng, (1, 1, 2, 3, 4))
    h = pick(rng, (16, 28, 32, 64))
    pad = d * (k - 1) // 2
    span = d * (k - 1) + 1  # the dilated kernel's extent
    assert nn.conv_output_shape(h, h, span, span, stride=1, padding=pad) == (h, h)
    dil_en = f", dilation {d}" if d > 1 else ""
    dil_zh = f"，空洞（膨胀）率 {d}" if d > 1 else ""
    steps = (f"extent D(K − 1) + 1 = {d}·{k - 1} + 1 = {span}; H + 2P − {span} + 1 = H "
             f"⇒ P = {span - 1}/2 = {pad}")
    return Question(
        "convolution", "same-padding",
        prompt={"en": f"A {k}×{k} convolution{dil_en}, stride 1, on {h}×{h} inputs. Which "
                      f"padding P keeps the output {h}×{h}?",
                "zh": f"{k}×{k} 卷积{dil_zh}，步幅 1，输入 {h}×{h}。填充 P 为多少时输出仍是 "
                      f"{h}×{h}？"},
        answer=float(pad), decimals=0,
        solution={"en": steps,
                  "zh": steps.replace("; ", "；").replace("extent", "卷积核的覆盖范围")},
        traps=[
            trap(float(k - 1), "K − 1: the padding goes on both sides, so it is half of that",
                 "算成了 K − 1：填充加在两边，应取一半"),
            trap(float((k - 1) // 2), "the dilation ignored: the kernel spans D(K − 1) + 1",
                 "忽略了空洞率：卷积核覆盖 D(K − 1) + 1"),
        ],
    )


# --- gradient descent: the largest learning rate -------------------------------------------


@template("gradient-descent", "max-lr")
def gd_max_lr(rng) -> Question:
    a = draw(rng, 0.2, 5.0)
    limit = 1.0 / a
    # check with the optimiser: just below the limit w shrinks, just above it grows
    sizes = []
    for lr in (0.99 * limit, 1.01 * limit):
        w = np.array([1.0])
        opt = nn.SGD([w], lr=lr)
        for _ in range(50):
            opt.step([nn.l2_penalty_grad(w, 2 * a)])
        sizes.append(abs(float(w[0])))
    assert sizes[0] < 1 < sizes[1]
    steps = (f"f(w) = a·w² with a = {show(a)}: f′(w) = 2aw, so w ← w − η·2aw = (1 − 2aη)·w; "
             f"it converges while |1 − 2aη| < 1, i.e. η < 1/a = 1/{show(a)} = {show(limit)}")
    return Question(
        "gradient-descent", "max-lr",
        prompt={"en": f"Gradient descent on f(w) = {show(a)}·w². The learning rate η above which "
                      f"it no longer converges?",
                "zh": f"对 f(w) = {show(a)}·w² 做梯度下降。学习率 η 超过多少就不再收敛？"},
        answer=clean(limit), decimals=3,
        solution={"en": steps,
                  "zh": f"f(w) = a·w²，a = {show(a)}：f′(w) = 2aw，所以 w ← w − η·2aw = "
                        f"(1 − 2aη)·w；|1 − 2aη| < 1 时收敛，即 η < 1/a = 1/{show(a)} = "
                        f"{show(limit)}"},
        traps=[
            trap(2 / a, "2/a: the curvature f″ = 2a, and the limit is 2/f″",
                 "算成了 2/a：曲率 f″ = 2a，极限是 2/f″"),
            trap(1 / (2 * a), "1/(2a): that rate reaches the minimum in one step; the limit is "
                 "twice it", "算成了 1/(2a)：这个学习率一步就到最小值；发散的界限是它的两倍"),
        ],
    )


# --- dropout and batch norm in evaluation mode ----------------------------------------------


@template("dropout", "eval-output")
def dropout_eval(rng) -> Question:
    x, p = draw(rng, -3.0, 3.0), pick(rng, (0.1, 0.2, 0.25, 0.3, 0.5))
    y, _ = nn.dropout_forward(np.array([x]), p, training=False)
    return Question(
        "dropout", "eval-output",
        prompt={"en": f"nn.Dropout(p={show(p)}) after model.eval(). Its output for an input "
                      f"x = {show(x)}?",
                "zh": f"model.eval() 之后的 nn.Dropout(p={show(p)})。输入 x = {show(x)} 时"
                      f"输出多少？"},
        answer=clean(y[0]), decimals=3,
        solution={"en": f"in eval mode inverted dropout is the identity (the 1/(1 − p) = "
                        f"{show(1 / (1 - p))} scaling happened in training): y = x = {show(x)}",
                  "zh": f"评估模式下倒置暂退法是恒等映射（1/(1 − p) = {show(1 / (1 - p))} 的缩放"
                        f"在训练时已做）：y = x = {show(x)}"},
        traps=[
            trap(x * (1 - p), "scaled by 1 − p at inference (the old, non-inverted dropout)",
                 "推理时乘以了 1 − p（旧的非倒置暂退法）"),
            trap(x / (1 - p), "the training-time 1/(1 − p) scaling applied in eval mode",
                 "评估模式下也用了训练时的 1/(1 − p) 缩放"),
        ],
    )


@template("batch-normalization", "eval-output")
def bn_eval(rng) -> Question:
    m, v = draw(rng, -1.0, 1.0), pick(rng, (0.25, 0.5, 1.0, 2.0, 4.0, 9.0))
    g, b, x = draw(rng, 0.5, 2.0), draw(rng, -1.0, 1.0, nonzero=False), draw(rng, -3.0, 3.0)
    y, _ = nn.batchnorm_forward(np.array([[x]]), [g], [b], np.array([m]), np.array([v]),
                                training=False)
    sd = math.sqrt(v + 1e-5)
    steps = (f"γ·(x − μ_run)/√(σ²_run + ε) + β = {show(g)}·({show(x)} − {_p(m)})/"
             f"{show(sd)} + {_p(b)} = {show(float(y[0, 0]))}")
    return Question(
        "batch-normalization", "eval-output",
        prompt={"en": f"BatchNorm1d in eval mode: running_mean = {show(m)}, running_var = "
                      f"{show(v)}, γ = {show(g)}, β = {show(b)}, ε = 1e-5. Output for "
                      f"x = {show(x)}?",
                "zh": f"评估模式下的 BatchNorm1d：running_mean = {show(m)}，running_var = "
                      f"{show(v)}，γ = {show(g)}，β = {show(b)}，ε = 1e-5。x = {show(x)} 的输出？"},
        answer=clean(y[0, 0]), decimals=3,
        solution={"en": f"eval mode uses the running statistics: {steps}",
                  "zh": f"评估模式使用移动平均统计量：{steps}"},
        traps=[
            trap(g * (x - m) / v + b, "divided by the variance instead of the standard deviation",
                 "除以了方差，而不是标准差"),
            trap((x - m) / sd, "γ and β left out", "漏了 γ 和 β"),
        ],
    )


# --- cross-entropy: reading a loss ----------------------------------------------------------


@template("cross-entropy", "true-prob")
def ce_true_prob(rng) -> Question:
    loss = draw(rng, 0.05, 4.0, decimals=2)
    p = math.exp(-loss)
    # the kernel agrees: logits that give the true class probability p have this loss
    assert abs(nn.cross_entropy(np.log([p, 1 - p]), 0) - loss) < 1e-9
    return Question(
        "cross-entropy", "true-prob",
        prompt={"en": f"On one example the cross-entropy loss (natural log) is {show(loss)}. "
                      f"What probability did the model give the true class?",
                "zh": f"某个样本的交叉熵损失（自然对数）为 {show(loss)}。"
                      f"模型给真实类别的概率是多少？"},
        answer=clean(p), decimals=3,
        solution={"en": f"L = −ln p, so p = e^−L = e^−{show(loss)} = {show(p)}",
                  "zh": f"L = −ln p，所以 p = e^−L = e^−{show(loss)} = {show(p)}"},
        traps=[
            trap(10 ** -loss, "10^−L: the loss uses the natural log",
                 "算成了 10^−L：损失用的是自然对数"),
            trap(1 - loss, "1 − L: the loss is −ln p, not 1 − p",
                 "算成了 1 − L：损失是 −ln p，不是 1 − p"),
        ],
    )


# --- F-beta and balanced accuracy -----------------------------------------------------------


@template("f1-score", "f-beta")
def f_beta(rng) -> Question:
    p, r = draw(rng, 0.1, 1.0, decimals=2), draw(rng, 0.1, 1.0, decimals=2)
    beta = pick(rng, (0.5, 2.0))
    b2 = beta * beta
    f = (1 + b2) * p * r / (b2 * p + r)
    f1 = float(nn.precision_recall_f1_from_counts(round(p * r * 1e4), 0, 0)[2])  # = 1
    assert f1 == 1.0
    steps = (f"Fβ = (1 + β²)PR/(β²P + R) = {show(1 + b2)}·{show(p)}·{show(r)}/"
             f"({show(b2)}·{show(p)} + {show(r)}) = {show(f)}")
    lean = ("recall counts more" if beta > 1 else "precision counts more",
            "更看重召回率" if beta > 1 else "更看重精确率")
    return Question(
        "f1-score", "f-beta",
        prompt={"en": f"Precision P = {show(p)}, recall R = {show(r)}. F-β with β = {show(beta)}?",
                "zh": f"精确率 P = {show(p)}，召回率 R = {show(r)}。β = {show(beta)} 的 F-β "
                      f"是多少？"},
        answer=clean(f), decimals=3,
        solution={"en": f"{steps} (β = {show(beta)}: {lean[0]})",
                  "zh": f"{steps}（β = {show(beta)}：{lean[1]}）"},
        traps=[
            trap(2 * p * r / (p + r), "F1 (β = 1) instead of F-β", "算成了 F1（β = 1）"),
            trap((1 + b2) * p * r / (p + b2 * r), "β² put on R instead of P in the denominator",
                 "分母里把 β² 乘到了 R 上，而不是 P 上"),
        ],
    )


@template("accuracy", "balanced")
def balanced_accuracy(rng) -> Question:
    pos = int(rng.integers(5, 60))
    neg = int(rng.integers(200, 1000))
    tp = int(rng.integers(1, pos + 1))
    tn = int(rng.integers(neg // 2, neg + 1))
    fn, fp = pos - tp, neg - tn
    y = np.array([1] * pos + [0] * neg)
    pred = np.array([1] * tp + [0] * fn + [0] * tn + [1] * fp)
    tpr, tnr = tp / pos, tn / neg
    bal = (tpr + tnr) / 2
    acc = float(nn.accuracy(y, pred))
    steps = (f"TPR = TP/(TP + FN) = {tp}/{pos} = {show(tpr)}, TNR = TN/(TN + FP) = {tn}/{neg} = "
             f"{show(tnr)}; (TPR + TNR)/2 = {show(bal)} (plain accuracy {show(acc)})")
    return Question(
        "accuracy", "balanced",
        prompt={"en": f"TP = {tp}, FN = {fn}, TN = {tn}, FP = {fp}. Balanced accuracy (the mean "
                      f"of the recalls of both classes)?",
                "zh": f"TP = {tp}，FN = {fn}，TN = {tn}，FP = {fp}。"
                      f"平衡准确率（两个类别召回率的平均）"
                      f"是多少？"},
        answer=clean(bal), decimals=3,
        solution={"en": steps,
                  "zh": _semi(steps).replace(f"{show(tpr)}, TNR", f"{show(tpr)}，TNR")
                  .replace(f" (plain accuracy {show(acc)})", f"（普通准确率 {show(acc)}）")},
        traps=[
            trap(acc, "plain accuracy: dominated by the many negatives",
                 "算成了普通准确率：被大量负例主导"),
        ],
    )


# --- CNN: receptive field -------------------------------------------------------------------


@template("cnn", "receptive-field")
def cnn_receptive_field(rng) -> Question:
    n, k = int(rng.integers(2, 9)), pick(rng, (3, 5, 7))
    # the kernel's answer: how far one input pixel's influence reaches after n convolutions
    x = np.zeros((1, 1, 64, 64))
    x[0, 0, 32, 32] = 1.0
    w = np.ones((1, 1, k, k))
    for _ in range(n):
        x, _ = nn.conv2d_forward(x, w, None, padding=k // 2)
    reach = int(np.count_nonzero(x[0, 0, 32]))
    assert reach == 1 + n * (k - 1)
    return Question(
        "cnn", "receptive-field",
        prompt={"en": f"{n} stacked {k}×{k} convolutions, stride 1. How many input pixels wide is "
                      f"the receptive field of one output pixel?",
                "zh": f"{n} 层 {k}×{k} 卷积堆叠，步幅 1。一个输出像素的感受野有多少个输入像素宽？"},
        answer=float(reach), decimals=0,
        solution={"en": f"each layer adds K − 1 = {k - 1}: 1 + n(K − 1) = 1 + {n}·{k - 1} = "
                        f"{reach}",
                  "zh": f"每层增加 K − 1 = {k - 1}：1 + n(K − 1) = 1 + {n}·{k - 1} = {reach}"},
        traps=[
            trap(float(n * k), "n·K: the layers overlap, each adds only K − 1",
                 "算成了 n·K：各层相互重叠，每层只增加 K − 1"),
        ],
    )


# --- Adam: the second moment ----------------------------------------------------------------


@template("adam", "v-hat")
def adam_v_hat(rng) -> Question:
    g1, g2 = draw(rng, -3.0, 3.0), draw(rng, -3.0, 3.0)
    opt = nn.Adam([np.array([0.0])])
    vs = []
    for g in (g1, g2):
        opt.step([[g]])
        vs.append(float(opt.v[0][0]))
    v_hat = vs[1] / (1 - 0.999 ** 2)
    steps = (f"v₁ = 0.001·{show(g1 * g1)} = {show(vs[0], 6)}; v₂ = 0.999·v₁ + 0.001·"
             f"{show(g2 * g2)} = {show(vs[1], 6)}; v̂₂ = v₂/(1 − 0.999²) = {show(vs[1], 6)}/"
             f"0.001999 = {show(v_hat)}")
    return Question(
        "adam", "v-hat",
        prompt={"en": f"Adam with β₂ = 0.999, v₀ = 0, gradients g₁ = {show(g1)}, g₂ = {show(g2)}. "
                      f"The bias-corrected second moment v̂₂?",
                "zh": f"Adam，β₂ = 0.999，v₀ = 0，梯度依次为 g₁ = {show(g1)}，g₂ = {show(g2)}。"
                      f"偏差校正后的二阶矩 v̂₂ 是多少？"},
        answer=clean(v_hat), decimals=3,
        solution={"en": f"{steps}, close to the mean of g² (the first steps weigh almost equally)",
                  "zh": f"{_semi(steps)}，接近 g² 的平均（前几步的权重几乎相同）"},
        traps=[
            trap(vs[1], "v₂ without bias correction (not divided by 1 − β₂²)",
                 "v₂ 没做偏差校正（没有除以 1 − β₂²）"),
            trap(g2 * g2, "g₂² alone: v averages every squared gradient so far",
                 "只用了 g₂²：v 是迄今所有平方梯度的平均"),
        ],
    )


# --- sigmoid, tanh, ReLU, leaky ReLU --------------------------------------------------------


@template("sigmoid", "symmetry")
def sigmoid_symmetry(rng) -> Question:
    x = draw(rng, -4.0, 4.0)
    s = float(nn.sigmoid(x))
    s_neg = float(nn.sigmoid(-x))
    return Question(
        "sigmoid", "symmetry",
        prompt={"en": f"σ({show(x)}) = {show(s, 6)}. Without a calculator: σ({show(-x)}) = ?",
                "zh": f"σ({show(x)}) = {show(s, 6)}。不用计算器：σ({show(-x)}) 等于多少？"},
        answer=clean(s_neg), decimals=4,
        solution={"en": f"σ(−x) = 1 − σ(x) = 1 − {show(s, 6)} = {show(s_neg)}",
                  "zh": f"σ(−x) = 1 − σ(x) = 1 − {show(s, 6)} = {show(s_neg)}"},
        traps=[
            trap(-s, "−σ(x): sigmoid is not odd (tanh is); σ(−x) = 1 − σ(x)",
                 "算成了 −σ(x)：sigmoid 不是奇函数（tanh 才是）；σ(−x) = 1 − σ(x)"),
            trap(1 / s, "1/σ(x) instead of 1 − σ(x)", "算成了 1/σ(x)，而不是 1 − σ(x)"),
        ],
    )


@template("tanh", "derivative-from-value")
def tanh_derivative_from_value(rng) -> Question:
    x = draw(rng, -2.5, 2.5)
    t = float(nn.tanh(x))
    d = float(nn.tanh_grad(x))
    tr = float(f"{t:.4f}")
    return Question(
        "tanh", "derivative-from-value",
        prompt={"en": f"A tanh unit outputs {show(tr)}. Its derivative tanh′ at that input?",
                "zh": f"某个 tanh 单元的输出为 {show(tr)}。它在该输入处的导数 tanh′ 是多少？"},
        answer=clean(1 - tr * tr), decimals=3,
        solution={"en": f"tanh′ = 1 − tanh² = 1 − {_p(tr)}² = {show(1 - tr * tr)} (from the "
                        f"output alone, as backpropagation does; exact {show(d)})",
                  "zh": f"tanh′ = 1 − tanh² = 1 − {_p(tr)}² = {show(1 - tr * tr)}（只用输出即可，"
                        f"反向传播正是这样做的；精确值 {show(d)}）"},
        traps=[
            trap(1 - tr, "1 − tanh without the square", "算成了 1 − tanh，漏了平方"),
            trap(tr * (1 - tr), "σ′'s form t(1 − t): tanh′ is 1 − t²",
                 "套用了 σ′ 的形式 t(1 − t)：tanh′ 是 1 − t²"),
        ],
    )


@template("relu", "bias-shift")
def relu_bias_shift(rng) -> Question:
    z = draws(rng, 8, -2.0, 2.0)
    b = draw(rng, -1.5, 1.5)
    out = nn.relu(np.asarray(z) + b)
    zeros = int(np.count_nonzero(out == 0.0))
    way_en, way_zh = ("raised", "增加") if b >= 0 else ("lowered", "减少")
    return Question(
        "relu", "bias-shift",
        prompt={"en": f"Pre-activations z = {vec(z)}; the bias is then {way_en} by {show(abs(b))}"
                      f" (every z shifts by {show(b)}). How many ReLU outputs are 0 after the "
                      f"change?",
                "zh": f"加权输入 z = {vec(z)}；随后偏置{way_zh} {show(abs(b))}（每个 z 都平移 "
                      f"{show(b)}）。改变后有几个 ReLU 输出为 0？"},
        answer=float(zeros), decimals=0,
        solution={"en": f"z + b = {vec(np.asarray(z) + b)}; ReLU = {vec(out)}: {zeros} "
                        f"{'is' if zeros == 1 else 'are'} 0 "
                        f"(a negative bias can silence — 'kill' — units)",
                  "zh": f"z + b = {vec(np.asarray(z) + b)}；ReLU = {vec(out)}：有 {zeros} 个为 0"
                        f"（负偏置会让单元沉默，即“死亡”）"},
        traps=[
            trap(float(np.count_nonzero(np.asarray(z) <= 0)), "the shift ignored",
                 "忽略了平移"),
        ],
    )


@template("leaky-relu", "backward")
def leaky_relu_backward(rng) -> Question:
    alpha = pick(rng, (0.01, 0.1, 0.2))
    x = draws(rng, 3, -3.0, 3.0)
    x[0] = -abs(x[0])
    rng.shuffle(x)
    g = draws(rng, 3, -2.0, 2.0)
    slopes = nn.leaky_relu_grad(x, alpha)
    dx = floats(np.asarray(g) * slopes)
    products = "[" + ", ".join(f"{_p(gi)}·{show(si)}"
                               for gi, si in zip(g, slopes, strict=True)) + "]"
    return Question(
        "leaky-relu", "backward",
        prompt={"en": f"LeakyReLU (α = {show(alpha)}) on x = {vec(x)}; upstream gradients "
                      f"∂L/∂y = {vec(g)}. ∂L/∂x = ?",
                "zh": f"LeakyReLU（α = {show(alpha)}）作用于 x = {vec(x)}；上游梯度 ∂L/∂y = "
                      f"{vec(g)}。∂L/∂x 等于？"},
        answer=dx, kind="vector", decimals=3,
        solution={"en": f"∂L/∂x = ∂L/∂y · (1 if x > 0 else α) = {products} = {vec(dx)}",
                  "zh": f"∂L/∂x = ∂L/∂y ·（x > 0 时为 1，否则为 α）= {products} = {vec(dx)}"},
        traps=[
            trap(np.asarray(g) * (np.asarray(x) > 0), "ReLU′ used: negative inputs pass α·g",
                 "用了 ReLU′：负输入处传回 α·g"),
            trap(np.asarray(g) * np.where(np.asarray(x) > 0, 1.0, np.asarray(x) * alpha),
                 "multiplied by the output α·x instead of the slope α",
                 "乘以了输出 α·x，而不是斜率 α"),
        ],
    )


# --- MSE: scaling and outliers --------------------------------------------------------------


@template("mse", "scale")
def mse_scale(rng) -> Question:
    pred = draws(rng, 3, 0.0, 5.0)
    y = draws(rng, 3, 0.0, 5.0, nonzero=False)
    c = draw(rng, 1.5, 5.0)
    before = nn.mse_loss(pred, y)
    after = nn.mse_loss(np.asarray(y) + c * (np.asarray(pred) - np.asarray(y)), y)
    ratio = after / before
    return Question(
        "mse", "scale",
        prompt={"en": f"Every error ŷ − y of a model is multiplied by {show(c)}. By what factor "
                      f"does its MSE grow?",
                "zh": f"模型的每个误差 ŷ − y 都乘以 {show(c)}。它的均方误差变为原来的多少倍？"},
        answer=clean(ratio), decimals=2,
        solution={"en": f"MSE is quadratic in the errors: each squared error grows by "
                        f"{show(c)}² = {show(c * c)}, and so does their mean (e.g. an MSE of "
                        f"{show(before)} becomes {show(before)}·{show(c * c)} = {show(after)})",
                  "zh": f"均方误差是误差的二次函数：每个误差的平方都变为 {show(c)}² = "
                        f"{show(c * c)} 倍，它们的平均也是（例如均方误差 {show(before)} 变为 "
                        f"{show(before)}·{show(c * c)} = {show(after)}）"},
        traps=[
            trap(c, "the factor itself: that is MAE's growth, MSE squares it",
                 "给出了系数本身：那是 MAE 的增长倍数，MSE 要平方"),
        ],
    )


@template("mse", "outlier-share")
def mse_outlier_share(rng) -> Question:
    e = draws(rng, 3, -1.0, 1.0)
    big = draw(rng, 3.0, 8.0) * pick(rng, (-1, 1))
    errors = [*e, big]
    y = np.zeros(4)
    share = nn.mse_loss([big], [0.0]) / (4 * nn.mse_loss(errors, y))
    mae_share = abs(big) / (4 * nn.l1_loss(errors, y))
    sq = " + ".join(f"{_p(v)}²" for v in errors)
    total = 4 * nn.mse_loss(errors, y)  # the sum of squares
    abs_total = 4 * nn.l1_loss(errors, y)
    return Question(
        "mse", "outlier-share",
        prompt={"en": f"Errors ŷ − y = {vec(errors)}. What fraction of the MSE comes from the "
                      f"largest error?",
                "zh": f"误差 ŷ − y = {vec(errors)}。均方误差中有多大比例来自最大的那个误差？"},
        answer=clean(share), decimals=3,
        solution={"en": f"{_p(big)}² / ({sq}) = {show(big * big)}/{show(total)}"
                        f" = {show(share)} (under MAE it would be {show(abs(big))}/"
                        f"{show(abs_total)} = {show(mae_share)}: squares let outliers dominate)",
                  "zh": f"{_p(big)}² / ({sq}) = {show(big * big)}/{show(total)}"
                        f" = {show(share)}（MAE 下只有 {show(abs(big))}/{show(abs_total)} = "
                        f"{show(mae_share)}：平方让离群值占主导）"},
        traps=[
            trap(mae_share, "|e| shares (MAE's) instead of e² shares", "按 |e| 算了比例（MAE 的）"),
        ],
    )


# --- L2: half-life of a weight under decay --------------------------------------------------


@template("l2-regularization", "half-life")
def l2_half_life(rng) -> Question:
    lr, lam = pick(rng, (0.01, 0.05, 0.1, 0.5)), pick(rng, (0.001, 0.005, 0.01, 0.05, 0.1))
    w = np.array([1.0])
    opt = nn.SGD([w], lr=lr)
    k = 0
    while w[0] > 0.5:
        opt.step([nn.l2_penalty_grad(w, lam)])
        k += 1
    f = 1 - lr * lam
    return Question(
        "l2-regularization", "half-life",
        prompt={"en": f"Weight decay alone (no data gradient), SGD with η = {show(lr)}, "
                      f"λ = {show(lam)}. After how many steps is a weight first at most half "
                      f"its size?",
                "zh": f"只有权重衰减（没有数据梯度），SGD，η = {show(lr)}，λ = {show(lam)}。"
                      f"至少多少步后权重首次不超过原来的一半？"},
        answer=float(k), decimals=0,
        solution={"en": f"each step multiplies w by 1 − ηλ = {show(f, 6)}; the first k with "
                        f"{show(f, 6)}^k ≤ 0.5 is ⌈ln 0.5/ln {show(f, 6)}⌉ = {k}",
                  "zh": f"每步把 w 乘以 1 − ηλ = {show(f, 6)}；满足 {show(f, 6)}^k ≤ 0.5 的"
                        f"最小 k 为 "
                        f"⌈ln 0.5/ln {show(f, 6)}⌉ = {k}"},
        traps=[
            trap(float(math.ceil(0.5 / (lr * lam))), "a linear decay 0.5/(ηλ): each step "
                 "multiplies, so it is logarithmic",
                 "按线性衰减算了 0.5/(ηλ)：每一步是相乘，应取对数"),
        ],
    )


# --- He initialisation: the uniform bound ---------------------------------------------------


@template("weight-initialization", "he-uniform")
def he_uniform(rng) -> Question:
    n_in, n_out = pick(rng, (64, 100, 128, 256, 512, 784, 1024)), pick(rng, (10, 32, 64, 128))
    fan_in, fan_out = nn.compute_fans((n_out, n_in))
    bound = math.sqrt(6.0 / fan_in)
    return Question(
        "weight-initialization", "he-uniform",
        prompt={"en": f"nn.Linear({n_in}, {n_out}) followed by ReLU, initialised with "
                      f"kaiming_uniform_ (fan_in mode, gain √2): W ~ U(−a, a). a = ?",
                "zh": f"nn.Linear({n_in}, {n_out}) 后接 ReLU，用 kaiming_uniform_ 初始化"
                      f"（fan_in 模式，"
                      f"增益 √2）：W ~ U(−a, a)。a 是多少？"},
        answer=clean(bound), decimals=4,
        solution={"en": f"std = √2/√fan_in and a = √3·std = √(6/fan_in) = √(6/{fan_in}) = "
                        f"{show(bound)}",
                  "zh": f"std = √2/√fan_in，a = √3·std = √(6/fan_in) = √(6/{fan_in}) = "
                        f"{show(bound)}"},
        traps=[
            trap(math.sqrt(6.0 / (fan_in + fan_out)), "Xavier's bound √(6/(fan_in + fan_out))",
                 "用了 Xavier 的边界 √(6/(fan_in + fan_out))"),
            trap(math.sqrt(2.0 / fan_in), "the standard deviation √(2/fan_in), not the bound",
                 "给出了标准差 √(2/fan_in)，而不是边界"),
        ],
    )


# --- schedules and batch size ---------------------------------------------------------------


@template("learning-rate-schedule", "cosine-halfway")
def cosine_halfway(rng) -> Question:
    while True:  # η_min below η: with η = η_min = 0.01 the schedule is flat, nothing to learn
        lr, total = pick(rng, (0.1, 0.05, 0.01, 0.3, 1.0)), pick(rng, (50, 100, 200, 1000))
        eta_min = pick(rng, (0.0, 0.001, 0.005, 0.01))
        if eta_min < lr:
            break
    value = float(nn.cosine_annealing_lr(total // 2, lr, total, eta_min))
    return Question(
        "learning-rate-schedule", "cosine-halfway",
        prompt={"en": f"CosineAnnealingLR(T_max={total}, eta_min={show(eta_min)}) on base "
                      f"learning rate {show(lr)}. The learning rate halfway, at t = {total // 2}?",
                "zh": f"CosineAnnealingLR(T_max={total}, eta_min={show(eta_min)})，基础学习率 "
                      f"{show(lr)}。走到一半（t = {total // 2}）时学习率是多少？"},
        answer=clean(value), decimals=4,
        solution={"en": f"cos(π/2) = 0, so η_min + (η − η_min)/2 = {show(eta_min)} + "
                        f"({show(lr)} − {show(eta_min)})/2 = {show(value)}",
                  "zh": f"cos(π/2) = 0，故 η_min + (η − η_min)/2 = {show(eta_min)} + "
                        f"({show(lr)} − {show(eta_min)})/2 = {show(value)}"},
        traps=[
            trap(lr / 2, "η/2: eta_min ignored", "算成了 η/2：忽略了 eta_min"),
        ],
    )


@template("minibatch-sgd", "lr-scaling")
def minibatch_lr_scaling(rng) -> Question:
    b1 = pick(rng, (32, 64, 128, 256))
    b2 = b1 * pick(rng, (2, 4, 8, 16, 32))
    lr = pick(rng, (0.01, 0.02, 0.05, 0.1))
    lr2 = lr * b2 / b1
    # why: k steps of batch b1 move w (for a constant gradient) as far as one step of k·b1
    return Question(
        "minibatch-sgd", "lr-scaling",
        prompt={"en": f"A model trains well with batch size {b1} and learning rate {show(lr)}. "
                      f"By the linear scaling rule, the learning rate for batch size {b2}?",
                "zh": f"某模型在批量大小 {b1}、学习率 {show(lr)} 时训练良好。按线性缩放规则，"
                      f"批量大小为 {b2} 时学习率应为多少？"},
        answer=clean(lr2), decimals=4,
        solution={"en": f"η₂ = η₁·B₂/B₁ = {show(lr)}·{b2}/{b1} = {show(lr2)}: one step of the big "
                        f"batch replaces {b2 // b1} small ones (Goyal et al. 2017; warm up first)",
                  "zh": f"η₂ = η₁·B₂/B₁ = {show(lr)}·{b2}/{b1} = {show(lr2)}：大批量的一步取代 "
                        f"{b2 // b1} 个小批量步（Goyal 等人 2017；先预热）"},
        traps=[
            trap(lr * math.sqrt(b2 / b1), "the square-root rule: the linear rule scales by B₂/B₁",
                 "用了平方根规则：线性规则按 B₂/B₁ 缩放"),
            trap(lr * b1 / b2, "scaled down: a bigger batch takes a larger step",
                 "反而缩小了：批量越大步长越大"),
        ],
    )


# --- layer norm: scale invariance ------------------------------------------------------------


@template("layer-normalization", "scale-invariance")
def layer_norm_scale(rng) -> Question:
    x = np.array(draws(rng, 4, -3.0, 3.0))
    while np.ptp(x) < 0.5:
        x = np.array(draws(rng, 4, -3.0, 3.0))
    c = pick(rng, (2.0, 3.0, 5.0, 10.0, 0.5))
    j = int(rng.integers(4))
    y, _ = nn.layer_norm_forward(x, np.ones(4), np.zeros(4), eps=0.0)
    y2, _ = nn.layer_norm_forward(c * x, np.ones(4), np.zeros(4), eps=0.0)
    assert abs(float(y2[j]) - float(y[j])) < 1e-9
    return Question(
        "layer-normalization", "scale-invariance",
        prompt={"en": f"Layer norm (γ = 1, β = 0, ε = 0) of x = {vec(x)} gives {show(float(y[j]))} "
                      f"for feature {j}. The input is multiplied by {show(c)}: that feature's "
                      f"output now?",
                "zh": f"对 x = {vec(x)} 做层规范化（γ = 1，β = 0，ε = 0），特征 {j} 的输出为 "
                      f"{show(float(y[j]))}。输入乘以 {show(c)} 后，该特征的输出是多少？"},
        answer=clean(y2[j]), decimals=3,
        solution={"en": f"the mean and the standard deviation both scale by {show(c)}, so "
                        f"(cx − cμ)/(cσ) = (x − μ)/σ = {show(float(y2[j]))}: unchanged",
                  "zh": f"均值和标准差都乘以 {show(c)}，所以 (cx − cμ)/(cσ) = (x − μ)/σ = "
                        f"{show(float(y2[j]))}：不变"},
        traps=[
            trap(c * float(y[j]), "scaled too: normalisation removes the scale",
                 "也跟着缩放了：规范化会消去尺度"),
        ],
    )


# --- attention: what the √d_k does ---------------------------------------------------------


@template("attention", "scaling-effect")
def attention_scaling(rng) -> Question:
    d_k = pick(rng, (4, 16, 64, 100, 256))
    s = draws(rng, 2, -10.0, 20.0)
    while abs(s[0] - s[1]) < 1:
        s = draws(rng, 2, -10.0, 20.0)
    scaled = np.asarray(s) / math.sqrt(d_k)
    w = nn.softmax(scaled)
    raw = nn.softmax(s)
    return Question(
        "attention", "scaling-effect",
        prompt={"en": f"Raw scores q·k₁ = {show(s[0])}, q·k₂ = {show(s[1])} with d_k = {d_k}. "
                      f"Scaled dot-product attention: the weight of key 1?",
                "zh": f"原始分数 q·k₁ = {show(s[0])}，q·k₂ = {show(s[1])}，d_k = {d_k}。"
                      f"缩放点积注意力中键 1 的权重是多少？"},
        answer=clean(w[0]), decimals=3,
        solution={"en": f"divide by √{d_k} = {show(math.sqrt(d_k))}: {vec(scaled)}"
                        f"; softmax → {vec(w)} (unscaled it would be {vec(raw)}, far sharper)",
                  "zh": f"除以 √{d_k} = {show(math.sqrt(d_k))}：{vec(scaled)}"
                        f"；softmax → {vec(w)}（不缩放则为 {vec(raw)}，尖锐得多）"},
        traps=[
            trap(float(raw[0]), "the scores not divided by √d_k", "分数没有除以 √d_k"),
            trap(float(nn.softmax(np.asarray(s) / d_k)[0]), "divided by d_k instead of √d_k",
                 "除以了 d_k，而不是 √d_k"),
        ],
    )


# --- positional encoding: the first two dimensions -----------------------------------------


@template("positional-encoding", "first-pair")
def pe_first_pair(rng) -> Question:
    pos = int(rng.integers(1, 200))
    d = pick(rng, (16, 64, 128, 512))
    pe = nn.sinusoidal_positional_encoding(pos + 1, d)[pos, :2]
    return Question(
        "positional-encoding", "first-pair",
        prompt={"en": f"Sinusoidal positional encoding, d_model = {d}, positions from 0. "
                      f"(PE(p, 0), PE(p, 1)) at position p = {pos}? (a vector; radians)",
                "zh": f"正弦位置编码，d_model = {d}，位置从 0 开始。位置 p = {pos} 处的 "
                      f"(PE(p, 0), PE(p, 1))？（向量；弧度）"},
        answer=floats(pe), kind="vector", decimals=3,
        solution={"en": f"dimension pair i = 0 has frequency 1/10000⁰ = 1: (sin {pos}, cos {pos}) "
                        f"= {vec(pe)}",
                  "zh": f"第 i = 0 对维度的频率为 1/10000⁰ = 1：(sin {pos}, cos {pos}) = "
                        f"{vec(pe)}"},
        traps=[
            trap([math.cos(pos), math.sin(pos)], "sin and cos swapped: even dimensions use sin",
                 "sin 和 cos 颠倒了：偶数维用 sin"),
            trap([math.sin(math.radians(pos)), math.cos(math.radians(pos))],
                 "the position read in degrees: the angles are radians",
                 "把位置当成了角度制：应为弧度"),
        ],
    )


# --- RNN and LSTM: sharing over time, memory through the forget gate ------------------------


@template("rnn", "unrolled-params")
def rnn_unrolled(rng) -> Question:
    d, h, t = pick(rng, (8, 10, 28, 50, 100)), pick(rng, (16, 20, 32, 64, 128)), int(
        rng.integers(5, 101))
    count = nn.rnn_num_params(d, h)
    return Question(
        "rnn", "unrolled-params",
        prompt={"en": f"nn.RNN(input_size={d}, hidden_size={h}) is unrolled over T = {t} time "
                      f"steps. How many distinct parameters does the unrolled network have?",
                "zh": f"nn.RNN(input_size={d}, hidden_size={h}) 沿时间展开 T = {t} 步。展开后的网络"
                      f"有多少个不同的参数？"},
        answer=float(count), decimals=0,
        solution={"en": f"the same weights at every step: H·D + H·H + 2H = {h}·{d} + {h}·{h} + "
                        f"2·{h} = {h * d} + {h * h} + {2 * h} = {count}, whatever T is",
                  "zh": f"每一步共享同一组权重：H·D + H·H + 2H = {h}·{d} + {h}·{h} + 2·{h} = "
                        f"{h * d} + {h * h} + {2 * h} = "
                        f"{count}，与 T 无关"},
        traps=[
            trap(float(t * count), "counted once per time step: the weights are shared",
                 "每个时间步算了一次：权重是共享的"),
        ],
    )


@template("lstm", "forget-memory")
def lstm_forget_memory(rng) -> Question:
    f = pick(rng, (0.5, 0.8, 0.9, 0.95, 0.99))
    c0, n = draw(rng, -2.0, 2.0), int(rng.integers(2, 21))
    c = c0
    logit = math.log(f / (1 - f))
    for _ in range(n):  # the kernel with i = 0 (input gate shut) and forget gate f
        b_ih = [-50.0, logit, 0.0, 0.0]
        _, cache = nn.lstm_forward(np.zeros((1, 1, 1)), [[0.0]], [[c]], np.zeros((4, 1)),
                                   np.zeros((4, 1)), b_ih, np.zeros(4))
        c = float(cache.c_n[0, 0])
    return Question(
        "lstm", "forget-memory",
        prompt={"en": f"An LSTM cell holds c = {show(c0)}. For the next {n} steps the input gate "
                      f"is shut (i = 0) and the forget gate stays f = {show(f)}. The cell state "
                      f"then?",
                "zh": f"LSTM 记忆元当前 c = {show(c0)}。接下来 {n} 步输入门关闭（i = 0），遗忘门"
                      f"保持 f = {show(f)}。之后记忆元状态是多少？"},
        answer=clean(c), decimals=3,
        solution={"en": f"c ← f·c each step: c₀·fⁿ = {show(c0)}·{show(f)}^{n} = {show(c)} (a "
                        f"forget gate near 1 keeps memory for long)",
                  "zh": f"每步 c ← f·c：c₀·fⁿ = {show(c0)}·{show(f)}^{n} = {show(c)}（遗忘门接近 1 "
                        f"时记忆保持得久）"},
        traps=[
            trap(c0 * f, "one step only", "只算了一步"),
            trap(c0 * (1 - f) ** n, "1 − f used: f is the share kept, not forgotten",
                 "用了 1 − f：f 是保留的比例，不是遗忘的比例"),
        ],
    )
