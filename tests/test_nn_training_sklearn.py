"""Cross-check k-fold splits and accuracy against scikit-learn's KFold and accuracy_score.
Skipped when scikit-learn is not installed."""

from __future__ import annotations

import numpy as np
import pytest

from dlref import nn

model_selection = pytest.importorskip("sklearn.model_selection")
metrics = pytest.importorskip("sklearn.metrics")


@pytest.mark.parametrize(("n", "k"), [(10, 2), (10, 3), (7, 7), (23, 5), (100, 10)])
def test_kfold_matches_sklearn(n, k):
    ours = nn.kfold_indices(n, k)
    theirs = list(model_selection.KFold(n_splits=k).split(np.zeros(n)))
    assert len(ours) == len(theirs)
    for (tr, va), (str_, sva) in zip(ours, theirs, strict=True):
        np.testing.assert_array_equal(tr, str_)
        np.testing.assert_array_equal(va, sva)


def test_accuracy_matches_sklearn():
    rng = np.random.default_rng(0)
    for _ in range(10):
        y, p = rng.integers(0, 4, 50), rng.integers(0, 4, 50)
        assert nn.accuracy(y, p) == pytest.approx(metrics.accuracy_score(y, p), abs=1e-15)
