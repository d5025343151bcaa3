"""Accuracy against F1 as the class balance changes.

N = 1000 examples, a share of them positive. Two classifiers: a real one (score = x + noise,
positives shifted by `separation`, positive when the score ≥ the threshold) and the trivial one
that always answers "negative". As positives get rarer, the trivial classifier's accuracy
approaches 1 while its F1 stays 0; the real classifier's F1 falls because its false positives,
drawn from the many negatives, swamp its true positives.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import ACCURACY, PRECISION, RECALL, SCORE
from dlref.nn import accuracy, confusion_matrix, f1_score, precision, recall

N = 1000
SHARES = [0.01, 0.02, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4, 0.5]
SHARE = {"en": "share of positives", "zh": "正类比例"}
ALWAYS_NEGATIVE = {"en": "always negative", "zh": "总是预测负类"}
BASELINE = {"en": 'accuracy of "always negative"', "zh": "“总是预测负类”的准确率"}
LABELS = {"accuracy": ACCURACY, "precision": PRECISION, "recall": RECALL, "f1": "F1",
          "baseline_accuracy": BASELINE, "tp": "TP", "fp": "FP", "fn": "FN", "tn": "TN"}

KNOBS = (
    Knob("positive_share", SHARE, "float", 0.05,
         low=0.005, high=0.5),
    Knob("separation", {"en": "class separation", "zh": "类别间距"}, "float", 2.0, low=0.0,
         high=5.0),
    Knob("threshold", {"en": "decision threshold (score)", "zh": "决策阈值（得分）"}, "float",
         1.0, low=-2.0, high=4.0),
)


def labels_and_predictions(share: float, separation: float, threshold: float,
                           noise: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Labels (the first round(share·N) positive) and predictions [noise + separation·y ≥
    threshold]."""
    n_pos = max(1, round(share * N))
    y = np.concatenate([np.ones(n_pos, dtype=int), np.zeros(N - n_pos, dtype=int)])
    return y, ((noise + separation * y) >= threshold).astype(int)


def scores(y: np.ndarray, pred: np.ndarray) -> list[float]:
    return [accuracy(y, pred), precision(y, pred), recall(y, pred), f1_score(y, pred)]


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    share, sep = float(values["positive_share"]), float(values["separation"])
    threshold = float(values["threshold"])
    noise = rng.standard_normal(N)  # one draw of noise for every share: only the balance moves

    def at(s: float) -> tuple[np.ndarray, np.ndarray]:
        return labels_and_predictions(s, sep, threshold, noise)

    sweep = sorted(set(SHARES) | {share})
    acc, f1, base_acc = [], [], []
    for s in sweep:
        y, pred = at(s)
        acc.append(accuracy(y, pred))
        f1.append(f1_score(y, pred))
        base_acc.append(accuracy(y, np.zeros(N, dtype=int)))
    plot = Plot({"en": "accuracy and F1 as positives get rarer",
                 "zh": "正类越来越少时的准确率和 F1"},
                [Series(ACCURACY, sweep, acc), Series("F1", sweep, f1),
                 Series(BASELINE, sweep, base_acc),
                 Series({"en": f"share {share:g}", "zh": f"比例 {share:g}"}, [share, share],
                        [0.0, 1.0])],
                xlabel=SHARE, ylabel={"en": "score", "zh": "分值"})
    y, pred = at(share)
    (tn, fp), (fn, tp) = confusion_matrix(y, pred).tolist()
    ours, trivial = scores(y, pred), scores(y, np.zeros(N, dtype=int))
    table = Table({"en": f"{N} examples, {int(y.sum())} positive",
                   "zh": f"{N} 个样本，其中 {int(y.sum())} 个正类"},
                  [{"en": "classifier", "zh": "分类器"}, "TP", "FP", "FN", "TN", ACCURACY,
                   PRECISION, RECALL, "F1"],
                  [[{"en": f"score ≥ {threshold:g}", "zh": f"{SCORE['zh']} ≥ {threshold:g}"},
                    tp, fp, fn, tn, *ours],
                   [ALWAYS_NEGATIVE, 0, 0, int(y.sum()), int(N - y.sum()), *trivial]])
    en = [f"With {share:.1%} positives, always answering \"negative\" scores accuracy "
          f"{trivial[0]:.3f} with recall 0 and F1 0; the real classifier scores accuracy "
          f"{ours[0]:.3f} and F1 {ours[3]:.3f}.",
          (f"Accuracy (TP + TN) / N is dominated by the {tn + fp} negatives; "
           if share < 0.5 else "With the classes balanced, accuracy weighs both alike; ")
          + f"F1 = 2TP / (2TP + FP + FN) = {ours[3]:.3f} ignores the true negatives and looks "
          "only at how the positives were handled.",
          "On imbalanced data compare against the majority-class baseline, and report "
          "precision, recall and F1 (or the confusion matrix), not accuracy alone."]
    zh = [f"正类占 {share:.1%} 时，永远回答“负类”的准确率为 {trivial[0]:.3f}，召回率和 F1 都是 "
          f"0；真正的分类器准确率为 {ours[0]:.3f}，F1 为 {ours[3]:.3f}。",
          (f"准确率 (TP + TN) / N 由 {tn + fp} 个负类样本主导；"
           if share < 0.5 else "两类各占一半时，准确率对两类一视同仁；")
          + f"F1 = 2TP / (2TP + FP + FN) = {ours[3]:.3f} 不看真负例，只看正类被处理得如何。",
          "在类别不平衡的数据上，要与“总猜多数类”的基线比较，并报告精确率、召回率和 F1"
          "（或混淆矩阵），而不能只看准确率。"]
    return Result(plots=[plot], tables=[table], notes={"en": en, "zh": zh},
                  metrics={"accuracy": ours[0], "precision": ours[1], "recall": ours[2],
                           "f1": ours[3], "baseline_accuracy": trivial[0],
                           "tp": float(tp), "fp": float(fp), "fn": float(fn), "tn": float(tn)},
                  labels=LABELS)


DEMO = Demo(
    name="imbalanced",
    title={"en": "Imbalanced classes: accuracy vs F1", "zh": "类别不平衡：准确率与 F1"},
    knobs=KNOBS,
    run=run,
    kernels=(accuracy, f1_score, confusion_matrix),
)
