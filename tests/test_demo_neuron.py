"""neuron demo: truth tables, the gates a single neuron can compute, and XOR it cannot."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from test_demos_all import assert_finite, knob_cases

from dlref.demos import get
from dlref.demos.neuron import WORKING
from dlref.i18n import pick

DEMO = get("neuron")
TRUTH = {"and": lambda a, b: a & b, "or": lambda a, b: a | b, "nand": lambda a, b: 1 - (a & b)}


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_and_choice_is_finite(knob, value):
    assert_finite(_run(**{knob: value}))


@pytest.mark.parametrize(("activation", "gate"),
                         itertools.product(("step", "sigmoid", "relu"), TRUTH))
def test_suggested_weights_compute_each_gate(activation, gate):
    w1, w2, b = WORKING[gate]
    result = _run(w1=w1, w2=w2, bias=b, activation=activation, gate=gate)
    assert result.metrics == {"correct": 4.0, "matches": 1.0}
    for x1, x2, z, out, read, target, ok in result.tables[0].rows:
        assert z == pytest.approx(w1 * x1 + w2 * x2 + b)
        assert target == TRUTH[gate](x1, x2)
        assert read == int(out >= 0.5) == target and ok == "✓"


def test_wrong_weights_are_reported_with_a_fix():
    result = _run(w1=-1.0, w2=-1.0, bias=1.5, gate="and")
    assert result.metrics["matches"] == 0.0 and result.metrics["correct"] == 0.0
    assert "w₁ = 1" in result.notes["en"][0]


def test_no_single_neuron_computes_xor():
    """Brute force over a weight grid: the step neuron never reproduces XOR."""
    grid = np.linspace(-3, 3, 13)
    xor = np.array([0, 1, 1, 0])
    inputs = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    for w1, w2, b in itertools.product(grid, grid, grid):
        assert not np.array_equal((inputs @ [w1, w2] + b >= 0).astype(int), xor)
    assert any("XOR" in n and "hidden layer" in n for n in _run().notes["en"])


def test_decision_line_lies_on_the_boundary():
    result = _run(w1=1.0, w2=2.0, bias=-1.0)
    line = result.plots[0].series[2]
    assert line.x
    for x1, x2 in zip(line.x, line.y, strict=True):
        assert x1 + 2 * x2 - 1 == pytest.approx(0, abs=1e-9)


def test_same_seed_same_result():
    assert _run(3).to_dict() == _run(3).to_dict()


@pytest.mark.parametrize(("knobs", "said"), [
    ({"bias": 5.0}, "passes outside the plotted square"),
    ({"w1": 0.0, "w2": 0.0}, "there is no line"),
])
def test_a_decision_line_missing_from_the_plot_is_explained(knobs, said):
    """At bias 5 the line left the plot and nothing said why; the outputs are all the same."""
    demo = get("neuron")
    result = demo.run({**demo.defaults(), **knobs}, np.random.default_rng(0))
    (line,) = [s for s in result.plots[0].series if pick(s.label, "en") == "decision line"]
    assert line.x == []
    assert any(said in n for n in result.notes["en"])
    assert len({row[3] for row in result.tables[0].rows}) == 1  # every input, one output
    assert any("输出相同" in n for n in result.notes["zh"])
    plain = demo.run(demo.defaults(), np.random.default_rng(0))
    assert not any(said in n for n in plain.notes["en"])
