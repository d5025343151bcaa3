"""imbalanced demo: accuracy and F1 recomputed from the table's counts; the baseline trap."""

from __future__ import annotations

import numpy as np
import pytest
from test_demos_all import assert_finite, knob_cases

from dlref.demos import get
from dlref.demos.imbalanced import N
from dlref.i18n import pick

DEMO = get("imbalanced")


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))


@pytest.mark.parametrize("share", [0.005, 0.05, 0.2, 0.5])
def test_scores_from_counts(share):
    result = _run(positive_share=share)
    for _, tp, fp, fn, tn, acc, prec, rec, f1 in result.tables[0].rows:
        assert tp + fp + fn + tn == N
        assert tp + fn == round(share * N)
        assert acc == pytest.approx((tp + tn) / N)
        assert prec == pytest.approx(tp / (tp + fp) if tp + fp else 0.0)
        assert rec == pytest.approx(tp / (tp + fn))
        assert f1 == pytest.approx(2 * tp / (2 * tp + fp + fn) if tp else 0.0)
    baseline = result.tables[0].rows[1]
    assert baseline[5] == pytest.approx(1 - round(share * N) / N) and baseline[8] == 0.0


def test_rare_positives_flatter_accuracy_and_sink_f1():
    series = {pick(s.label, "en"): s for s in _run().plots[0].series}
    shares, f1 = series["F1"].x, series["F1"].y
    base = series['accuracy of "always negative"'].y
    assert f1[0] < f1[-1] and base[0] > base[-1]
    assert base[0] == pytest.approx(1 - shares[0])
    m = _run(positive_share=0.01).metrics
    assert m["baseline_accuracy"] > m["accuracy"] and m["f1"] > 0.0


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_runs(knob, value):
    assert_finite(_run(**{knob: value}))


def test_balanced_classes_are_not_said_to_be_dominated_by_the_negatives():
    from dlref import demos

    demo = demos.get("imbalanced")
    for share, dominated in ((0.5, False), (0.05, True)):
        result = demo.run({**demo.defaults(), "positive_share": share}, np.random.default_rng(0))
        assert ("dominated by" in " ".join(result.notes["en"])) is dominated
        assert ("主导" in " ".join(result.notes["zh"])) is dominated
