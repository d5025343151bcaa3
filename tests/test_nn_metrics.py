"""Binary metrics: confusion matrix layout, precision/recall/F1, the undefined cases."""

from __future__ import annotations

import numpy as np
import pytest

from dlref import nn

Y_TRUE = [1, 1, 1, 0, 0, 0, 0, 1]
Y_PRED = [1, 1, 0, 1, 0, 0, 0, 0]  # TP 2, FN 2, FP 1, TN 3


def test_confusion_matrix_layout():
    cm = nn.confusion_matrix(Y_TRUE, Y_PRED)
    np.testing.assert_array_equal(cm, [[3, 1], [2, 2]])
    assert cm.dtype.kind == "i" and cm.shape == (2, 2)
    np.testing.assert_array_equal(nn.confusion_matrix([0, 0], [0, 0]), [[2, 0], [0, 0]])
    np.testing.assert_array_equal(nn.confusion_matrix([], []), [[0, 0], [0, 0]])
    np.testing.assert_array_equal(nn.confusion_matrix(np.array([True, False]),
                                                      np.array([1.0, 1.0])), [[0, 1], [0, 1]])


def test_precision_recall_f1():
    assert nn.precision(Y_TRUE, Y_PRED) == pytest.approx(2 / 3)
    assert nn.recall(Y_TRUE, Y_PRED) == 0.5
    assert nn.f1_score(Y_TRUE, Y_PRED) == pytest.approx(2 * (2 / 3) * 0.5 / (2 / 3 + 0.5))
    assert isinstance(nn.f1_score(Y_TRUE, Y_PRED), float)
    assert nn.precision_recall_f1_from_counts(2, 1, 2) == pytest.approx((2 / 3, 0.5, 4 / 7))


def test_undefined_cases_are_zero():
    assert nn.precision([1, 0], [0, 0]) == 0.0  # nothing predicted positive
    assert nn.recall([0, 0], [1, 0]) == 0.0  # nothing truly positive
    assert nn.f1_score([0, 0], [0, 0]) == 0.0
    assert nn.precision_recall_f1_from_counts(0, 0, 0) == (0.0, 0.0, 0.0)


def test_errors():
    with pytest.raises(ValueError, match="y_pred must hold binary labels 0 and 1 only"):
        nn.confusion_matrix([0, 1], [0, 2])
    with pytest.raises(ValueError, match="y_true must hold binary labels"):
        nn.precision([0.5, 1], [0, 1])
    with pytest.raises(ValueError, match=r"same shape; got \(2,\) and \(3,\)"):
        nn.recall([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="fp must be a count"):
        nn.precision_recall_f1_from_counts(1, -1, 0)
