"""losses demo: curves and gradients equal the textbook formulas computed here independently."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_demos_all import assert_finite, knob_cases

from dlref.demos import get
from dlref.i18n import pick

DEMO = get("losses")


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))


def _bce(p, y):
    return -(y * math.log(p) + (1 - y) * math.log(1 - p))


FORMULAS = {
    "mse": (lambda p, y: (p - y) ** 2, lambda p, y: 2 * (p - y)),
    "mae": (lambda p, y: abs(p - y), lambda p, y: float(np.sign(p - y))),
    "bce": (_bce, lambda p, y: (p - y) / (p * (1 - p))),
}


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_and_choice_is_finite(knob, value):
    assert_finite(_run(**{knob: value}))


@pytest.mark.parametrize("chosen", ["mse", "mae", "bce"])
@pytest.mark.parametrize("target", [0.0, 0.3, 1.0])
def test_curves_match_formulas(chosen, target):
    result = _run(loss=chosen, target=target)
    losses, grads = result.plots
    assert pick(losses.series[0].label, "en") == f"{chosen} (chosen)"
    assert pick(losses.series[0].label, "zh") == f"{chosen}（当前选择）"
    for curve, slope in zip(losses.series, grads.series, strict=True):
        name = pick(curve.label, "en").split()[0]
        assert slope.label == f"{name}: dL/dŷ"
        f, df = FORMULAS[name]
        for p, v, g in zip(curve.x, curve.y, slope.y, strict=True):
            assert v == pytest.approx(f(p, target), rel=1e-9, abs=1e-12)
            if name != "mae" or abs(p - target) > 1e-9:
                assert g == pytest.approx(df(p, target), rel=1e-9, abs=1e-12)


def test_bce_only_drawn_for_probabilities():
    result = _run(loss="mse", target=1.0)
    bce = next(s for s in result.plots[0].series if s.label == "bce")
    assert 0 < min(bce.x) and max(bce.x) < 1
    assert len(bce.x) < len(result.plots[0].series[0].x)


@pytest.mark.parametrize("chosen", ["mse", "mae", "bce"])
def test_table_and_metrics(chosen):
    result = _run(loss=chosen, target=1.0, pred=0.25)
    f, df = FORMULAS[chosen]
    assert result.metrics["loss"] == pytest.approx(f(0.25, 1.0))
    assert result.metrics["grad"] == pytest.approx(df(0.25, 1.0))
    cols = result.tables[0].columns
    for row in result.tables[0].rows:
        p = row[0]
        for name, (g, dg) in FORMULAS.items():
            value = row[cols.index(name)]
            if name == "bce" and not 0 <= p <= 1:
                assert value == "—"
                continue
            if name == "bce" and p in (0.0, 1.0):  # log clamped at −100, as PyTorch
                assert value == (100.0 if p == 0.0 else 0.0)
                continue
            assert value == pytest.approx(g(p, 1.0), rel=1e-3, abs=1e-4)
            if name != "mae" or p != 1.0:
                assert row[cols.index(f"d {name}")] == pytest.approx(dg(p, 1.0), rel=1e-3,
                                                                      abs=1e-4)


def test_bce_clips_an_inspected_prediction_outside_zero_one():
    result = _run(loss="bce", pred=2.0, target=0.0)
    assert result.metrics["pred"] == 1.0
    assert result.metrics["loss"] == pytest.approx(100.0)  # log clamped at −100, as PyTorch
    assert any("clipped" in n for n in result.notes["en"])


def test_mse_punishes_outliers_more_than_mae():
    far = _run(loss="mse", pred=2.0, target=0.0).metrics
    assert far["loss"] == pytest.approx(4.0) and far["grad"] == pytest.approx(4.0)
    far_mae = _run(loss="mae", pred=2.0, target=0.0).metrics
    assert far_mae["loss"] == pytest.approx(2.0) and far_mae["grad"] == pytest.approx(1.0)


def test_same_seed_same_result():
    assert _run(1, loss="bce").to_dict() == _run(1, loss="bce").to_dict()
