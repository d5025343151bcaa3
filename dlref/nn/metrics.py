"""Binary classification metrics (labels 0 and 1, positive class 1)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt


def _labels(name: str, y_true: npt.ArrayLike,
            y_pred: npt.ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    t, p = np.asarray(y_true), np.asarray(y_pred)
    if t.shape != p.shape:
        raise ValueError(f"{name}: y_true and y_pred must have the same shape; "
                         f"got {t.shape} and {p.shape}")
    for arg, a in (("y_true", t), ("y_pred", p)):
        if a.dtype.kind not in "biuf" or not np.all((a == 0) | (a == 1)):
            raise ValueError(f"{name}: {arg} must hold binary labels 0 and 1 only; got "
                             f"{np.unique(a)[:5].tolist() if a.size else a.dtype}")
    return t == 1, p == 1


def confusion_matrix(y_true: npt.ArrayLike, y_pred: npt.ArrayLike) -> np.ndarray:
    """[[TN, FP], [FN, TP]]: rows are the true class 0, 1; columns the predicted class 0, 1."""
    t, p = _labels("confusion_matrix", y_true, y_pred)
    tp = np.count_nonzero(t & p)
    fp = np.count_nonzero(~t & p)
    fn = np.count_nonzero(t & ~p)
    return np.array([[t.size - tp - fp - fn, fp], [fn, tp]], dtype=np.int64)


def precision_recall_f1_from_counts(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    """precision = TP / (TP + FP), recall = TP / (TP + FN),
    F1 = 2·P·R / (P + R) = 2TP / (2TP + FP + FN); each 0.0 when its denominator is 0."""
    for arg, v in (("tp", tp), ("fp", fp), ("fn", fn)):
        if isinstance(v, bool) or not isinstance(v, int | np.integer) or v < 0:
            raise ValueError(f"precision_recall_f1_from_counts: {arg} must be a count (an "
                             f"integer >= 0); got {v!r}")
    tp, fp, fn = int(tp), int(fp), int(fn)
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    return float(p), float(r), float(f1)


def _counts(name: str, y_true: npt.ArrayLike, y_pred: npt.ArrayLike) -> tuple[int, int, int]:
    t, p = _labels(name, y_true, y_pred)
    return (int(np.count_nonzero(t & p)), int(np.count_nonzero(~t & p)),
            int(np.count_nonzero(t & ~p)))


def precision(y_true: npt.ArrayLike, y_pred: npt.ArrayLike) -> float:
    """Precision = TP / (TP + FP): of the predicted positives, the share truly positive."""
    return precision_recall_f1_from_counts(*_counts("precision", y_true, y_pred))[0]


def recall(y_true: npt.ArrayLike, y_pred: npt.ArrayLike) -> float:
    """Recall = TP / (TP + FN): of the true positives, the share found."""
    return precision_recall_f1_from_counts(*_counts("recall", y_true, y_pred))[1]


def f1_score(y_true: npt.ArrayLike, y_pred: npt.ArrayLike) -> float:
    """F1 = 2·P·R / (P + R) = 2TP / (2TP + FP + FN), the harmonic mean of precision and recall."""
    return precision_recall_f1_from_counts(*_counts("f1_score", y_true, y_pred))[2]


def accuracy(y_true: npt.ArrayLike, y_pred: npt.ArrayLike) -> float:
    """Accuracy = (1/N) Σₙ [ŷₙ = yₙ], the share of correct predictions, for any class labels
    (as scikit-learn's accuracy_score). On imbalanced data it rewards predicting the majority:
    always saying "negative" on 95 % negatives scores 0.95 with recall 0."""
    t, p = np.asarray(y_true), np.asarray(y_pred)
    if t.ndim != 1 or t.shape != p.shape:
        raise ValueError(f"accuracy: y_true and y_pred must be 1-D label arrays of the same "
                         f"length; got shapes {t.shape} and {p.shape}")
    if t.size == 0:
        raise ValueError("accuracy: needs at least one prediction; got empty arrays")
    return float(np.mean(t == p))
