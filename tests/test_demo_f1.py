"""f1 demo: confusion counts, precision, recall and F1 recomputed independently."""

from __future__ import annotations

import numpy as np
import pytest
from test_demos_all import assert_finite as _finite

from dlref.demos import get
from dlref.demos.f1 import N_NEG, N_POS, data
from dlref.i18n import pick

DEMO = get("f1")


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))




@pytest.mark.parametrize("threshold", [0.0, 0.2, 0.5, 0.77, 1.0])
@pytest.mark.parametrize("separation", [0.0, 1.5, 5.0])
def test_metrics_recomputed_by_hand(threshold, separation):
    result = _run(seed=1, threshold=threshold, separation=separation)
    _finite(result)
    y, score = data(separation, np.random.default_rng(1))
    pred = [1 if s >= threshold else 0 for s in score]
    tp = sum(1 for t, p in zip(y, pred, strict=True) if t == 1 and p == 1)
    fp = sum(1 for t, p in zip(y, pred, strict=True) if t == 0 and p == 1)
    fn = sum(1 for t, p in zip(y, pred, strict=True) if t == 1 and p == 0)
    tn = len(y) - tp - fp - fn
    m = result.metrics
    assert (m["tp"], m["fp"], m["fn"], m["tn"]) == (tp, fp, fn, tn)
    assert result.tables[0].rows == [["y = 0", tn, fp], ["y = 1", fn, tp]]
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn)
    assert m["precision"] == pytest.approx(p)
    assert m["recall"] == pytest.approx(r)
    assert m["f1"] == pytest.approx(2 * p * r / (p + r) if p + r else 0.0)


def test_threshold_extremes():
    everything = _run(threshold=0.0).metrics
    assert everything["recall"] == 1.0 and everything["precision"] == N_POS / (N_POS + N_NEG)
    nothing = _run(threshold=1.0)
    assert nothing.metrics["tp"] + nothing.metrics["fp"] == 0
    assert any("0/0" in n for n in nothing.notes["en"])


def test_sweep_trades_recall_for_precision():
    plot = _run(separation=2.0).plots[0]
    recall = next(s for s in plot.series if pick(s.label, "en") == "recall").y
    assert all(b <= a for a, b in zip(recall, recall[1:], strict=False))
    f1 = next(s for s in plot.series if s.label == "F1").y
    best = _run(separation=2.0).metrics["best_threshold"]
    assert f1[round(best * 50)] == max(f1)


def test_same_seed_same_result():
    assert _run(seed=3).to_dict() == _run(seed=3).to_dict()


def test_card_presets_are_accepted():  # docs/demo-knobs.md
    assert DEMO.knob("threshold").check(0) == 0 and DEMO.knob("threshold").check(1) == 1
