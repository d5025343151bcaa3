"""Precision, recall and F1 of a toy classifier as its decision threshold moves.

About 40 seeded examples from two overlapping Gaussians get a score σ(2x); predicting "positive"
when the score ≥ threshold gives a confusion matrix [[TN, FP], [FN, TP]] and from it precision,
recall and F1 (confusion_matrix, precision, recall, f1_score).
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import ACCURACY, CLASS, THRESHOLD, VALUE
from dlref.nn import confusion_matrix, f1_score, precision, recall, sigmoid

N_POS, N_NEG = 16, 24
SWEEP = [i / 50 for i in range(51)]
PRECISION, RECALL = {"en": "precision", "zh": "精确率"}, {"en": "recall", "zh": "召回率"}

KNOBS = (
    Knob("threshold", {"en": "decision threshold", "zh": "决策阈值"}, "float", 0.5, low=0.0,
         high=1.0),
    Knob("separation", {"en": "class separation", "zh": "类别间距"}, "float", 1.5, low=0.0,
         high=5.0),
)



def data(separation: float, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Labels (0/1) and classifier scores in (0, 1) for N_NEG negatives and N_POS positives."""
    y = np.concatenate([np.zeros(N_NEG, dtype=int), np.ones(N_POS, dtype=int)])
    x = rng.standard_normal(N_NEG + N_POS) + np.where(y == 1, separation / 2, -separation / 2)
    return y, sigmoid(2.0 * x)


def scores_at(y: np.ndarray, score: np.ndarray, threshold: float) -> tuple[Any, float, float,
                                                                            float]:
    pred = (score >= threshold).astype(int)
    return (confusion_matrix(y, pred), float(precision(y, pred)), float(recall(y, pred)),
            float(f1_score(y, pred)))


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    threshold, separation = float(values["threshold"]), float(values["separation"])
    y, score = data(separation, rng)
    cm, p, r, f = scores_at(y, score, threshold)
    (tn, fp), (fn, tp) = np.asarray(cm).tolist()

    sweep = [scores_at(y, score, t)[1:] for t in SWEEP]
    ps, rs, fs = ([s[k] for s in sweep] for k in range(3))
    best = SWEEP[int(np.argmax(fs))]
    accuracy = (tn + tp) / len(y)

    # Rows are named by notation (y = 0, y = 1): a table cell is shown as it is, in no language.
    table = Table({"en": f"confusion matrix at threshold {threshold:g} (rows: true class y)",
                   "zh": f"阈值 {threshold:g} 时的混淆矩阵（行：真实类别 y）"},
                  ["", {"en": "predicted 0", "zh": "预测为 0"},
                   {"en": "predicted 1", "zh": "预测为 1"}],
                  [["y = 0", int(tn), int(fp)], ["y = 1", int(fn), int(tp)]])
    sweep_plot = Plot({"en": "precision, recall and F1 vs threshold",
                       "zh": "精确率、召回率和 F1 与阈值"},
                      [Series(PRECISION, SWEEP, ps), Series(RECALL, SWEEP, rs),
                       Series("F1", SWEEP, fs),
                       Series(THRESHOLD, [threshold, threshold], [0.0, 1.0])],
                      xlabel=THRESHOLD, ylabel=VALUE)
    jitter = rng.uniform(-0.15, 0.15, len(y))
    score_plot = Plot({"en": "classifier scores (y = true class, jittered)",
                       "zh": "分类器得分（纵轴 = 真实类别，加抖动）"},
                      [Series({"en": "negatives", "zh": "负类"}, score[y == 0].tolist(),
                              (jitter[y == 0]).tolist()),
                       Series({"en": "positives", "zh": "正类"}, score[y == 1].tolist(),
                              (1 + jitter[y == 1]).tolist()),
                       Series(THRESHOLD, [threshold] * 11, [i / 10 * 1.4 - 0.2
                                                            for i in range(11)])],
                      xlabel={"en": "score", "zh": "得分"}, ylabel=CLASS, kind="scatter")

    en = [f"TP = {tp}, FP = {fp}, FN = {fn}: precision TP/(TP+FP) = {p:.3f}, recall TP/(TP+FN) "
          f"= {r:.3f}, F1 = 2PR/(P+R) = {f:.3f} (accuracy {accuracy:.3f})."]
    zh = [f"TP = {tp}，FP = {fp}，FN = {fn}：精确率 TP/(TP+FP) = {p:.3f}，召回率 TP/(TP+FN) = "
          f"{r:.3f}，F1 = 2PR/(P+R) = {f:.3f}（准确率 {accuracy:.3f}）。"]
    en.append("Raising the threshold trades recall for precision: fewer examples are called "
              f"positive. F1, their harmonic mean, peaks at threshold ≈ {best:g} here.")
    zh.append("提高阈值会以召回率换取精确率：被判为正类的样本变少。二者的调和平均 F1 "
              f"在阈值约 {best:g} 时最高。")
    if tp + fp == 0:
        en.append("No example is predicted positive, so precision is 0/0; it is reported as 0 "
                  "(as scikit-learn's zero_division=0), and F1 is 0 too.")
        zh.append("没有样本被预测为正类，精确率是 0/0，这里按 0 处理（与 scikit-learn 的 "
                  "zero_division=0 一致），F1 也为 0。")
    return Result(
        plots=[sweep_plot, score_plot], tables=[table], notes={"en": en, "zh": zh},
        metrics={"precision": p, "recall": r, "f1": f, "accuracy": accuracy, "tp": float(tp),
                 "fp": float(fp), "fn": float(fn), "tn": float(tn), "best_threshold": best},
        labels={"precision": PRECISION, "recall": RECALL, "f1": "F1", "accuracy": ACCURACY,
                "tp": "TP", "fp": "FP", "fn": "FN", "tn": "TN",
                "best_threshold": {"en": "best threshold (F1)", "zh": "最佳阈值（F1）"}})


DEMO = Demo(
    name="f1",
    title={"en": "Precision, recall and F1 vs the decision threshold",
           "zh": "精确率、召回率、F1 与阈值"},
    knobs=KNOBS,
    run=run,
    kernels=(confusion_matrix, precision, recall, f1_score),
)
