"""softmax demo: probabilities, loss and gradient against formulas; temperature limits."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_demos_all import assert_finite, knob_cases

from dlref.demos import get

DEMO = get("softmax")


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_and_choice_is_finite(knob, value):
    assert_finite(_run(**{knob: value}))


@pytest.mark.parametrize("temperature", [0.1, 0.5, 1.0, 3.0, 10.0])
@pytest.mark.parametrize("target", [1, 2, 3])
def test_probabilities_loss_and_gradient(temperature, target):
    z = [1.5, -0.5, 0.25]
    result = _run(z1=z[0], z2=z[1], z3=z[2], temperature=temperature, target=target)
    e = [math.exp(v / temperature) for v in z]
    p = [v / sum(e) for v in e]
    rows = result.tables[0].rows
    for k, row in enumerate(rows):
        assert row[3] == pytest.approx(p[k], rel=1e-3, abs=1e-6)
        assert row[4] == int(k == target - 1)
        assert row[5] == pytest.approx((p[k] - (k == target - 1)) / temperature, rel=1e-3,
                                       abs=1e-6)
    assert result.metrics["loss"] == pytest.approx(-math.log(p[target - 1]))
    assert result.metrics["p_target"] == pytest.approx(p[target - 1])


def test_temperature_limits():
    cold = _run(temperature=0.1)
    hot = _run(temperature=10.0)
    assert cold.metrics["p_max"] > 0.9999
    assert hot.metrics["p_max"] < 0.4
    assert hot.metrics["entropy"] > cold.metrics["entropy"]
    assert hot.metrics["entropy"] < math.log(3)


def test_sweep_goes_from_one_hot_to_uniform():
    sweep = _run().plots[0].series
    assert [s.label for s in sweep] == ["p1", "p2", "p3"]
    totals = np.sum([s.y for s in sweep], axis=0)
    np.testing.assert_allclose(totals, 1.0)
    p1 = np.array(sweep[0].y)  # z1 is the largest logit: its share falls as T rises
    assert np.all(np.diff(p1) <= 1e-12)
    assert p1[0] > 0.9999 and abs(p1[-1] - 1 / 3) < 0.05
    assert sweep[0].x[0] == pytest.approx(-1.0) and sweep[0].x[-1] == pytest.approx(1.0)


def test_shift_invariance_is_reported():
    assert any("+100" in n for n in _run().notes["en"])


def test_same_seed_same_result():
    assert _run(2).to_dict() == _run(2).to_dict()
