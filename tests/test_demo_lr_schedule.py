"""lr-schedule demo: warm-up then cosine by default, every curve recomputed from its formula."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_demos_all import assert_finite, knob_cases

from dlref.demos import get

DEMO = get("lr-schedule")


def _run(**values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(0))


def test_default_draws_warmup_then_cosine_decay():
    result = _run()
    curve = result.plots[0].series[0]
    assert curve.label == {"en": "warmup-cosine", "zh": "预热 + 余弦退火"}
    lr = np.array(curve.y)
    # independent formula: 0.1·(0.1 + 0.9·t/10) for t < 10, then 0.1·(1 + cos(π(t − 10)/90))/2
    expected = [0.1 * (0.1 + 0.9 * t / 10) if t < 10 else
                0.1 * (1 + math.cos(math.pi * (t - 10) / 90)) / 2 for t in range(100)]
    np.testing.assert_allclose(lr, expected, rtol=1e-12, atol=1e-15)
    assert np.all(np.diff(lr[:11]) > 0) and np.all(np.diff(lr[10:]) < 0)
    assert result.metrics["peak_step"] == 10 and result.metrics["peak"] == pytest.approx(0.1)


def test_side_by_side_curves_follow_their_formulas():
    result = _run(total_steps=60, step_size=20, gamma=0.5, at=45)
    curves = {s.label["en"]: np.array(s.y) for s in result.plots[1].series}
    assert list(curves) == ["warmup-cosine", "step", "cosine", "linear", "one-cycle"]
    t = np.arange(60)
    np.testing.assert_allclose(curves["step"], 0.1 * 0.5 ** (t // 20))
    np.testing.assert_allclose(curves["cosine"], 0.05 * (1 + np.cos(np.pi * t / 60)), atol=1e-15)
    np.testing.assert_allclose(curves["linear"], 0.1 * np.minimum(0.1 + 0.09 * t, 1.0))
    assert curves["one-cycle"][0] == pytest.approx(0.1 / 25)
    assert int(np.argmax(curves["one-cycle"])) == round(0.3 * 60 - 1)
    row = next(r for r in result.tables[0].rows if r[0]["en"] == "step")
    assert row[0]["zh"] == "阶梯衰减"
    assert row[2] == pytest.approx(0.1 * 0.5 ** 2)  # lr at t = 45


def test_warmup_longer_than_the_run_is_cut_with_a_note():
    result = _run(total_steps=20, warmup_steps=50)
    assert any("cut to 19" in n for n in result.notes["en"])
    assert any("截为 19" in n for n in result.notes["zh"])
    assert result.metrics["peak_step"] == 19


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_runs(knob, value):
    assert_finite(_run(**{knob: value}))
