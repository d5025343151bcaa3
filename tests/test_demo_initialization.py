"""initialization demo: activation scale per layer under each initialiser."""

from __future__ import annotations

import numpy as np
import pytest
from test_demos_all import assert_finite, knob_cases

from dlref.demos import get
from dlref.demos.initialization import activation_stds
from dlref.i18n import pick

DEMO = get("initialization")


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_and_choice_is_finite(knob, value):
    assert_finite(_run(**{knob: value}))


def test_relu_kaiming_keeps_the_scale_and_xavier_halves_the_variance():
    values = DEMO.defaults() | {"activation": "relu", "depth": 30, "width": 64}
    kaiming = np.array(activation_stds("kaiming", 0.0, values, 0))
    assert 0.2 < kaiming.min() and kaiming.max() < 5
    xavier = np.array(activation_stds("xavier", 0.0, values, 0))
    per_layer = (xavier[-1] / xavier[0]) ** (1 / 29)
    assert per_layer == pytest.approx(1 / np.sqrt(2), rel=0.05)


def test_small_normal_vanishes_and_large_normal_explodes_with_relu():
    values = DEMO.defaults() | {"activation": "relu", "depth": 20}
    small = activation_stds("normal", 0.01, values, 0)
    large = activation_stds("normal", 1.0, values, 0)
    assert small[-1] < 1e-20 < 1e10 < large[-1]
    result = _run(activation="relu", init="normal", std=1.0, depth=20)
    assert any("explode" in n for n in result.notes["en"])
    result = _run(activation="relu", init="normal", std=0.01, depth=20)
    assert any("vanish" in n for n in result.notes["en"])


def test_tanh_with_large_weights_saturates_near_one():
    stds = activation_stds("normal", 1.0, DEMO.defaults() | {"activation": "tanh"}, 0)
    assert all(0.85 < s < 1.0 for s in stds)


def test_series_and_comparison():
    result = _run(init="xavier", activation="tanh", depth=10)
    labels = [pick(s.label, "en") for s in result.plots[0].series]
    assert labels == ["Xavier (chosen)", "normal σ=1", "normal σ=0.01", "Kaiming"]
    assert pick(result.plots[0].series[1].label, "zh") == "正态 σ=1"
    chosen = result.plots[0].series[0]
    assert chosen.x == [float(k) for k in range(1, 11)]
    assert 10 ** chosen.y[-1] == pytest.approx(result.metrics["std_last"])
    assert set(result.metrics) == {"std_first", "std_last", "std_last_normal_1",
                                   "std_last_normal_0.01", "std_last_kaiming"}
    table = result.tables[0]
    assert [pick(c, "en") for c in table.columns] == ["layer", "Xavier", "normal σ=1",
                                                       "normal σ=0.01", "Kaiming"]
    assert [pick(c, "zh") for c in table.columns] == ["层", "Xavier", "正态 σ=1", "正态 σ=0.01",
                                                       "Kaiming"]
    layers = [r[0] for r in table.rows]
    assert len(layers) == 8 and layers[0] == 1 and layers[-1] == 10 and layers == sorted(layers)
    first = [r[1:] for r in table.rows][0]
    assert first[0] == pytest.approx(result.metrics["std_first"], rel=1e-3)


def test_normal_with_custom_std_adds_a_series():
    labels = [pick(s.label, "en") for s in _run(init="normal", std=0.5).plots[0].series]
    assert labels == ["normal σ=0.5 (chosen)", "normal σ=1", "normal σ=0.01", "Xavier",
                      "Kaiming"]
    labels = [pick(s.label, "en") for s in _run(init="normal", std=1.0).plots[0].series]
    assert labels[0] == "normal σ=1 (chosen)" and len(labels) == 4


def test_every_initialiser_sees_the_same_inputs():
    """Same seed for every curve: layer-1 std scales exactly with the normal init's σ (ReLU)."""
    values = DEMO.defaults() | {"activation": "relu"}
    a = activation_stds("normal", 0.5, values, 3)[0]
    b = activation_stds("normal", 1.0, values, 3)[0]
    assert b == pytest.approx(2 * a)


def test_same_seed_same_result():
    assert _run(5).to_dict() == _run(5).to_dict()
    assert _run(5).to_dict() != _run(6).to_dict()
