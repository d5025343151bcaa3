"""activations demo: f and f′ series agree with each other and with the kernels' definitions."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_demos_all import assert_finite, knob_cases

from dlref.demos import get

DEMO = get("activations")
NAMES = DEMO.knob("activation").choices


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_and_choice_is_finite(knob, value):
    assert_finite(_run(**{knob: value}))


@pytest.mark.parametrize("name", NAMES)
def test_derivative_matches_finite_differences(name):
    result = _run(activation=name, points=1001, negative_slope=0.2, alpha=1.5)
    f, df = result.plots[0].series
    x, y, dy = np.array(f.x), np.array(f.y), np.array(df.y)
    h = x[1] - x[0]
    numeric = (y[2:] - y[:-2]) / (2 * h)
    smooth = np.abs(x[1:-1]) > 2 * h  # the kink at 0 has no derivative
    np.testing.assert_allclose(dy[1:-1][smooth], numeric[smooth], atol=1e-4)


@pytest.mark.parametrize(("name", "expected"), [
    ("sigmoid", lambda x: 1 / (1 + math.exp(-x))),
    ("tanh", math.tanh),
    ("relu", lambda x: max(0.0, x)),
    ("leaky_relu", lambda x: x if x > 0 else 0.2 * x),
    ("prelu", lambda x: x if x > 0 else 0.2 * x),
    ("elu", lambda x: x if x > 0 else 1.5 * (math.exp(x) - 1)),
    ("gelu", lambda x: x * 0.5 * (1 + math.erf(x / math.sqrt(2)))),
    ("silu", lambda x: x / (1 + math.exp(-x))),
])
def test_table_values(name, expected):
    table = _run(activation=name, negative_slope=0.2, alpha=1.5).tables[0]
    assert [row[0] for row in table.rows] == [-6.0, -2.0, -1.0, 0.0, 1.0, 2.0, 6.0]
    for x, fx, _ in table.rows:
        assert fx == pytest.approx(expected(x), rel=1e-3, abs=1e-4)


def test_sigmoid_peak_gradient_and_saturation():
    result = _run(activation="sigmoid")
    assert result.metrics["grad_max"] == pytest.approx(0.25)
    assert 0 < result.metrics["f_min"] < result.metrics["f_max"] < 1
    assert result.metrics["saturated_fraction"] > 0.1
    assert result.metrics["dead_fraction"] == 0


def test_relu_dead_region_is_the_non_positive_half():
    result = _run(activation="relu", xmin=-4.0, xmax=4.0, points=801)
    x = np.array(result.plots[0].series[0].x)
    assert result.metrics["dead_fraction"] == pytest.approx(np.mean(x <= 0))
    assert any("dead" in n for n in result.notes["en"])
    assert _run(activation="leaky_relu").metrics["dead_fraction"] == 0
    assert _run(activation="leaky_relu", negative_slope=0.0).metrics["dead_fraction"] > 0.4


def test_same_seed_same_result():
    assert _run(7).to_dict() == _run(7).to_dict()


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(("slope", "alpha"), [(0.0, 0.0), (0.1, 1.0), (1.0, 3.0)])
def test_notes_claim_no_dead_region_only_when_none_is_dead(name, slope, alpha):
    """Leaky ReLU or PReLU with slope 0 and ELU with α = 0 are ReLU: their notes said 'no dead
    region' / 'never exactly 0' beside a dead fraction of 50%."""
    result = _run(activation=name, negative_slope=slope, alpha=alpha)
    claims = {"en": ("no dead", "never exactly 0"), "zh": ("不会出现死区", "不会恰好为 0")}
    if result.metrics["dead_fraction"] > 0:
        for lang, phrases in claims.items():
            assert not [n for n in result.notes[lang] for p in phrases if p in n], lang


@pytest.mark.parametrize("name", ["leaky_relu", "prelu"])
def test_slope_one_is_not_called_small(name):
    notes = _run(activation=name, negative_slope=1.0).notes
    assert "identity" in notes["en"][0] and "恒等" in notes["zh"][0]
    assert "small slope" not in notes["en"][0]


@pytest.mark.parametrize("alpha", [0.5, 1.0, 3.0])
def test_elus_bound_is_written_with_one_minus_sign(alpha):
    demo = get("activations")
    result = demo.run({**demo.defaults(), "activation": "elu", "alpha": alpha},
                      np.random.default_rng(0))
    for lang in ("en", "zh"):
        assert f"−α = −{alpha:g}" in result.notes[lang][0]
        assert "= -" not in result.notes[lang][0]
