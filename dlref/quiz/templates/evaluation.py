"""Questions on evaluating a model: the generalisation gap, precision, recall and F1."""

from __future__ import annotations

import math

import numpy as np

from dlref import nn
from dlref.quiz.draw import clean, draw, draws, floats, pick, show, trap, vec
from dlref.quiz.questions import Question, template

# --- overfitting ---------------------------------------------------------------------------


@template("overfitting", "poly-params")
def overfitting_poly_params(rng) -> Question:
    d = int(rng.integers(2, 13))
    if rng.random() < 0.5:
        count = d + 1
        en = f"A polynomial of degree {d} in one input x (with a constant term)"
        zh = f"单个输入 x 的 {d} 次多项式（含常数项）"
        work = (f"coefficients of 1, x, …, x^{d}: {d} + 1 = {count}",
                f"1、x、…、x^{d} 各一个系数：{d} + 1 = {count}")
        traps = [trap(count - 1, "the constant term left out: degree d has d + 1 coefficients",
                      "漏了常数项：d 次多项式有 d + 1 个系数")]
    else:
        count = math.comb(d + 2, 2)
        en = (f"A full polynomial of degree ≤ {d} in two inputs x₁, x₂ "
              f"(all terms x₁ᵃx₂ᵇ, a + b ≤ {d})")
        zh = f"两个输入 x₁、x₂ 的完整多项式，次数 ≤ {d}（所有 x₁ᵃx₂ᵇ 项，a + b ≤ {d}）"
        work = (f"one coefficient per monomial x₁ᵃx₂ᵇ; total degree k = a + b has k + 1 of them "
                f"(a = 0…k), so 1 + 2 + … + {d + 1} = {d + 1}·{d + 2}/2 = C({d} + 2, 2) = "
                f"{count}",
                f"每个单项式 x₁ᵃx₂ᵇ 一个系数；总次数 k = a + b 的单项式有 k + 1 个（a = 0…k），"
                f"所以共 1 + 2 + … + {d + 1} = {d + 1}·{d + 2}/2 = C({d} + 2, 2) = {count}")
        traps = [
            trap(count - 1, "the constant term left out: x₁⁰x₂⁰ = 1 has a coefficient too",
                 "漏了常数项：x₁⁰x₂⁰ = 1 也有一个系数"),
            trap(1 + 2 * d, "the cross terms left out: only 1 and the powers x₁ᵃ, x₂ᵇ counted",
                 "漏了交叉项：只数了 1 和幂次 x₁ᵃ、x₂ᵇ"),
            trap((d + 1) ** 2, "(d + 1)²: a and b each up to d, but the total a + b ≤ d",
                 "算成了 (d + 1)²：让 a、b 各自取到 d，但要求的是 a + b ≤ d"),
        ]
    return Question(
        "overfitting", "poly-params",
        prompt={"en": f"{en}. How many coefficients does it learn?",
                "zh": f"{zh}。要学习多少个系数？"},
        answer=float(count),
        decimals=0,
        solution={"en": f"{work[0]}; more coefficients, more room to fit noise",
                  "zh": f"{work[1]}；系数越多，越有余地去拟合噪声"},
        traps=traps,
    )


@template("overfitting", "interpolate")
def overfitting_interpolate(rng) -> Question:
    n = int(rng.integers(3, 31))
    degree = n - 1  # n coefficients for n equations: exact fit, training error 0
    return Question(
        "overfitting", "interpolate",
        prompt={"en": f"{n} training points with distinct x and noisy y. The lowest polynomial "
                      "degree that always fits them exactly (training MSE 0) = ?",
                "zh": f"{n} 个训练点，x 互不相同，y 带噪声。保证能精确穿过所有点"
                      "（训练均方误差为 0）的最低多项式次数是多少？"},
        answer=float(degree),
        decimals=0,
        solution={
            "en": f"degree {degree} has {n} coefficients, one per point ({n} equations, "
                  f"{n} unknowns): zero training error, fitted noise included",
            "zh": f"{degree} 次多项式有 {n} 个系数，正好每个点一个（{n} 个方程、{n} 个未知数）："
                  "训练误差为 0，连噪声也拟合进去了",
        },
        traps=[
            trap(float(n), "degree n: a degree-(n − 1) polynomial already has n coefficients",
                 "次数取了 n：n − 1 次多项式已有 n 个系数"),
        ],
    )


@template("overfitting", "gap")
def overfitting_gap(rng) -> Question:
    def noisy(targets, spread):
        return [clean(t + draw(rng, -spread, spread, nonzero=False)) for t in targets]

    y_train = draws(rng, 3, 0.0, 5.0, nonzero=False)
    y_test = draws(rng, 2, 0.0, 5.0, nonzero=False)
    p_train, p_test = noisy(y_train, 0.3), noisy(y_test, 2.0)
    train = nn.mse_loss(p_train, y_train)
    test = nn.mse_loss(p_test, y_test)
    gap = test - train

    def worked(pred, y) -> str:
        sq = np.square(np.asarray(pred) - np.asarray(y))
        return f"({' + '.join(show(v) for v in sq)})/{len(sq)} = {show(float(np.mean(sq)))}"

    return Question(
        "overfitting", "gap",
        prompt={"en": f"Training: predictions {vec(p_train)}, targets {vec(y_train)}. "
                      f"Test: predictions {vec(p_test)}, targets {vec(y_test)}. "
                      "Generalisation gap, test MSE − training MSE = ?",
                "zh": f"训练集：预测值 {vec(p_train)}，目标值 {vec(y_train)}。"
                      f"测试集：预测值 {vec(p_test)}，目标值 {vec(y_test)}。"
                      "泛化差距（测试均方误差 − 训练均方误差）等于多少？"},
        answer=clean(gap),
        solution={
            "en": f"MSE = mean of the squared errors: training MSE = {worked(p_train, y_train)}; "
                  f"test MSE = {worked(p_test, y_test)}; gap = {show(test)} − {show(train)} = "
                  f"{show(gap)}" + (" (large next to the training error: overfitting)"
                                       if test > 3 * train + 0.1 else ""),
            "zh": f"均方误差 = 误差平方的平均：训练均方误差 = {worked(p_train, y_train)}；"
                  f"测试均方误差 = {worked(p_test, y_test)}；差距 = {show(test)} − {show(train)} = "
                  f"{show(gap)}" + ("（相对训练误差很大：过拟合）"
                                       if test > 3 * train + 0.1 else ""),
        },
        traps=[
            trap(train - test, "training MSE − test MSE: the sign flipped",
                 "算成了训练 MSE − 测试 MSE：符号反了"),
        ],
    )


# --- precision and recall ------------------------------------------------------------------


def _counts(rng, most: int = 12) -> tuple[int, int, int, int]:
    """TP ≥ 1, FP, FN, TN: small confusion-matrix counts."""
    tp = int(rng.integers(1, most + 1))
    fp, fn, tn = (int(v) for v in rng.integers(0, most + 1, size=3))
    return tp, fp, fn, tn


def _labels(rng, tp: int, fp: int, fn: int, tn: int) -> tuple[np.ndarray, np.ndarray]:
    """Label arrays y_true, y_pred with exactly these confusion counts, in a random order."""
    y_true = np.array([1] * tp + [0] * fp + [1] * fn + [0] * tn)
    y_pred = np.array([1] * tp + [1] * fp + [0] * fn + [0] * tn)
    order = rng.permutation(len(y_true))
    return y_true[order], y_pred[order]


def _labels_text(y) -> str:
    return "[" + ", ".join(str(int(v)) for v in y) + "]"


def _matrix_text(tp: int, fp: int, fn: int, tn: int) -> tuple[str, str]:
    return (f"TP = {tp}, FP = {fp}, FN = {fn}, TN = {tn}",
            f"真正例 TP = {tp}，假正例 FP = {fp}，假负例 FN = {fn}，真负例 TN = {tn}")


@template("precision-recall", "precision")
def pr_precision(rng) -> Question:
    tp, fp, fn, tn = _counts(rng, 40)
    p, _, _ = nn.precision_recall_f1_from_counts(tp, fp, fn)
    en, zh = _matrix_text(tp, fp, fn, tn)
    return Question(
        "precision-recall", "precision",
        prompt={"en": f"A classifier's confusion counts: {en}. Precision = ?",
                "zh": f"某分类器的混淆矩阵计数：{zh}。精确率是多少？"},
        answer=p,
        solution={"en": f"precision = TP / (TP + FP) = {tp} / {tp + fp} = {show(p)} "
                        "(TN and FN do not enter)",
                  "zh": f"精确率 = TP / (TP + FP) = {tp} / {tp + fp} = {show(p)}"
                        "（与 TN、FN 无关）"},
        traps=[
            trap(tp / (tp + fn), "recall TP/(TP + FN) given for precision",
                 "把召回率 TP/(TP + FN) 当成了精确率"),
        ],
    )


@template("precision-recall", "recall")
def pr_recall(rng) -> Question:
    tp, fp, fn, tn = _counts(rng, 40)
    _, r, _ = nn.precision_recall_f1_from_counts(tp, fp, fn)
    en, zh = _matrix_text(tp, fp, fn, tn)
    return Question(
        "precision-recall", "recall",
        prompt={"en": f"A classifier's confusion counts: {en}. Recall = ?",
                "zh": f"某分类器的混淆矩阵计数：{zh}。召回率是多少？"},
        answer=r,
        solution={"en": f"recall = TP / (TP + FN) = {tp} / {tp + fn} = {show(r)} "
                        "(TN and FP do not enter)",
                  "zh": f"召回率 = TP / (TP + FN) = {tp} / {tp + fn} = {show(r)}"
                        "（与 TN、FP 无关）"},
        traps=[
            trap(tp / (tp + fp) if tp + fp else 0.0, "precision TP/(TP + FP) given for recall",
                 "把精确率 TP/(TP + FP) 当成了召回率"),
        ],
    )


@template("precision-recall", "labels")
def pr_labels(rng) -> Question:
    while True:
        tp, fp, fn, tn = _counts(rng, 3)
        if 6 <= tp + fp + fn + tn <= 10:
            break
    y_true, y_pred = _labels(rng, tp, fp, fn, tn)
    p, r = nn.precision(y_true, y_pred), nn.recall(y_true, y_pred)
    return Question(
        "precision-recall", "labels",
        prompt={"en": f"y_true = {_labels_text(y_true)}, y_pred = {_labels_text(y_pred)} "
                      "(positive class 1). Precision and recall, as [P, R] = ?",
                "zh": f"y_true = {_labels_text(y_true)}，y_pred = {_labels_text(y_pred)}"
                      "（正类为 1）。[精确率, 召回率] 等于？"},
        answer=floats([p, r]),
        kind="vector",
        solution={
            "en": f"TP = {tp}, FP = {fp}, FN = {fn}; precision = TP/(TP + FP) = {tp}/{tp + fp} "
                  f"= {show(p)}, recall = TP/(TP + FN) = {tp}/{tp + fn} = {show(r)}",
            "zh": f"TP = {tp}，FP = {fp}，FN = {fn}；精确率 = TP/(TP + FP) = {tp}/{tp + fp} "
                  f"= {show(p)}，召回率 = TP/(TP + FN) = {tp}/{tp + fn} = {show(r)}",
        },
        traps=[
            trap([r, p], "[R, P]: precision and recall swapped",
                 "写成了 [R, P]：精确率和召回率颠倒了"),
        ],
    )


@template("precision-recall", "threshold")
def pr_threshold(rng) -> Question:
    while True:
        scores = [float(s) for s in rng.choice(np.arange(5, 100, 5), 8, replace=False) / 100]
        y_true = rng.permutation([1, 1, 1, 1, 0, 0, 0, 0])
        t = pick(rng, (0.3, 0.5, 0.7))
        y_pred = (np.array(scores) >= t).astype(int)
        if y_pred.any() and 0 < np.sum(y_pred & y_true):
            break
    which = int(rng.integers(2))
    value = (nn.precision if which == 0 else nn.recall)(y_true, y_pred)
    name = ("precision", "精确率") if which == 0 else ("recall", "召回率")
    tp = int(np.sum(y_pred & y_true))
    den = int(np.sum(y_pred)) if which == 0 else int(np.sum(y_true))
    other = (nn.recall if which == 0 else nn.precision)(y_true, y_pred)
    if which == 0:
        counts = f"TP = {tp}, FP = {den - tp}; precision = TP/(TP + FP)"
        counts_zh = f"TP = {tp}，FP = {den - tp}；精确率 = TP/(TP + FP)"
    else:
        counts = f"TP = {tp}, FN = {den - tp}; recall = TP/(TP + FN)"
        counts_zh = f"TP = {tp}，FN = {den - tp}；召回率 = TP/(TP + FN)"
    return Question(
        "precision-recall", "threshold",
        prompt={"en": f"Scores {vec(scores)}, true labels {_labels_text(y_true)}. Predict 1 when "
                      f"score ≥ {show(t)}. {name[0].capitalize()} = ?",
                "zh": f"得分 {vec(scores)}，真实标签 {_labels_text(y_true)}。得分 ≥ {show(t)} "
                      f"时预测为 1。{name[1]}是多少？"},
        answer=value,
        solution={
            "en": f"y_pred = {_labels_text(y_pred)}; {counts} = {tp}/{den} = {show(value)}",
            "zh": f"y_pred = {_labels_text(y_pred)}；{counts_zh} = {tp}/{den} = {show(value)}",
        },
        traps=[
            trap(other, "precision and recall swapped", "精确率和召回率弄反了"),
        ],
    )


# --- f1 ------------------------------------------------------------------------------------


@template("f1-score", "from-counts")
def f1_from_counts(rng) -> Question:
    tp, fp, fn, tn = _counts(rng, 40)
    p, r, f1 = nn.precision_recall_f1_from_counts(tp, fp, fn)
    en, zh = _matrix_text(tp, fp, fn, tn)
    return Question(
        "f1-score", "from-counts",
        prompt={"en": f"Confusion counts: {en}. F1 score = ?",
                "zh": f"混淆矩阵计数：{zh}。F1 分数是多少？"},
        answer=f1,
        solution={
            "en": f"F1 = 2TP / (2TP + FP + FN) = {2 * tp} / {2 * tp + fp + fn} = {show(f1)} "
                  f"(P = {show(p)}, R = {show(r)})",
            "zh": f"F1 = 2TP / (2TP + FP + FN) = {2 * tp} / {2 * tp + fp + fn} = {show(f1)}"
                  f"（P = {show(p)}，R = {show(r)}）",
        },
        traps=[
            trap((p + r) / 2, "the arithmetic mean (P + R)/2 instead of the harmonic mean",
                 "用了算术平均 (P + R)/2，而不是调和平均"),
            trap((tp + tn) / (tp + fp + fn + tn), "the accuracy instead of F1",
                 "算成了准确率，而不是 F1"),
        ],
    )


@template("f1-score", "from-pr")
def f1_from_pr(rng) -> Question:
    a, c = (int(v) for v in rng.choice(np.arange(1, 11), 2, replace=False))
    # Counts with precision a/10 and recall c/10 exactly: TP = a·c, FP = c(10 − a), FN = a(10 − c).
    p, r, f1 = nn.precision_recall_f1_from_counts(a * c, c * (10 - a), a * (10 - c))
    mean = (p + r) / 2
    return Question(
        "f1-score", "from-pr",
        prompt={"en": f"Precision P = {show(p)}, recall R = {show(r)}. F1 = ?",
                "zh": f"精确率 P = {show(p)}，召回率 R = {show(r)}。F1 等于多少？"},
        answer=f1,
        solution={
            "en": f"F1 = 2PR / (P + R) = {show(2 * p * r)} / {show(p + r)} = {show(f1)}, "
                  f"below the plain mean {show(mean)}: a harmonic mean leans to the smaller",
            "zh": f"F1 = 2PR / (P + R) = {show(2 * p * r)} / {show(p + r)} = {show(f1)}，"
                  f"低于算术平均 {show(mean)}：调和平均会被较弱的一项拉低",
        },
        traps=[
            trap(mean, "the arithmetic mean (P + R)/2 instead of the harmonic mean",
                 "用了算术平均 (P + R)/2，而不是调和平均"),
            trap(p * r, "P·R without the 2/(P + R)", "只算了 P·R，漏了 2/(P + R)"),
        ],
    )


@template("f1-score", "labels")
def f1_labels(rng) -> Question:
    while True:
        tp, fp, fn, tn = _counts(rng, 3)
        if 6 <= tp + fp + fn + tn <= 10:
            break
    y_true, y_pred = _labels(rng, tp, fp, fn, tn)
    f1 = nn.f1_score(y_true, y_pred)
    return Question(
        "f1-score", "labels",
        prompt={"en": f"y_true = {_labels_text(y_true)}, y_pred = {_labels_text(y_pred)} "
                      "(positive class 1). F1 = ?",
                "zh": f"y_true = {_labels_text(y_true)}，y_pred = {_labels_text(y_pred)}"
                      "（正类为 1）。F1 等于多少？"},
        answer=f1,
        solution={
            "en": f"TP = {tp}, FP = {fp}, FN = {fn}; F1 = 2TP / (2TP + FP + FN) = "
                  f"{2 * tp} / {2 * tp + fp + fn} = {show(f1)}",
            "zh": f"TP = {tp}，FP = {fp}，FN = {fn}；F1 = 2TP / (2TP + FP + FN) = "
                  f"{2 * tp} / {2 * tp + fp + fn} = {show(f1)}",
        },
        traps=[
            trap(float(np.mean(np.asarray(y_true) == np.asarray(y_pred))),
                 "the accuracy instead of F1", "算成了准确率，而不是 F1"),
        ],
    )
