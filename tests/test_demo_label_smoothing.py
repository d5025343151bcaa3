"""label-smoothing demo: the smoothed target, capped confidence, unchanged accuracy."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_demos_all import assert_finite, knob_cases

from dlref.demos import get

DEMO = get("label-smoothing")


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))


@pytest.mark.parametrize(("eps", "c"), [(0.1, 3), (0.2, 2), (0.3, 5)])
def test_smoothing_caps_the_confidence_not_the_accuracy(eps, c):
    m = _run(smoothing=eps, classes=c).metrics
    target = 1 - eps + eps / c
    assert m["target_confidence"] == pytest.approx(target)
    assert m["confidence_smoothed"] < m["confidence_plain"]
    assert m["confidence_smoothed"] <= target + 1e-9  # never past the optimum from below
    assert m["confidence_plain"] > 0.9
    assert abs(m["accuracy_smoothed"] - m["accuracy_plain"]) <= 0.05


def test_notes_give_the_optimal_logit_gap():
    eps, c = 0.1, 3
    gap = math.log((1 - eps + eps / c) / (eps / c))
    assert any(f"{gap:.3g}" in n for n in _run(smoothing=eps, classes=c).notes["en"])


def test_no_smoothing_has_one_curve():
    result = _run(smoothing=0.0)
    assert len(result.tables[0].rows) == 1 and "confidence_smoothed" not in result.metrics


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_runs(knob, value):
    assert_finite(_run(**{knob: value}))
