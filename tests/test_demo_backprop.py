"""backprop demo: the loss falls, XOR is learnt, frames animate the training, divergence stops."""

from __future__ import annotations

import numpy as np
import pytest
from test_demos_all import assert_finite, knob_cases

from dlref.demos import get

DEMO = get("backprop")


def _values(**values):
    return DEMO.defaults() | {"steps": 30} | values


def _run(seed=0, **values):
    return DEMO.run(_values(**values), np.random.default_rng(seed))


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_and_choice_is_finite(knob, value):
    assert_finite(_run(**{knob: value}))


@pytest.mark.parametrize("activation", ["tanh", "relu", "sigmoid"])
@pytest.mark.parametrize("dataset", ["xor", "xor-noisy"])
def test_loss_falls_and_xor_is_learnt(dataset, activation):
    result = _run(dataset=dataset, activation=activation, steps=100)
    loss = result.plots[0].series[0].y
    assert loss[-1] < loss[0] / 2
    if activation != "sigmoid":  # sigmoid sits on a plateau for longer
        assert result.metrics["accuracy"] == 1.0
        assert loss[-1] < 0.05


def test_xor_prediction_table():
    result = _run(steps=100)
    rows = result.tables[0].rows
    assert [(r[0], r[1], r[2]) for r in rows] == [(0, 0, 0), (0, 1, 1), (1, 0, 1), (1, 1, 0)]
    for *_, target, p1, predicted in rows:
        assert predicted == target == int(p1 > 0.5)


def test_spirals_improve_and_show_predictions():
    result = _run(dataset="spirals", activation="relu", hidden=32, lr=1.0, steps=100)
    assert result.metrics["accuracy"] > 0.8
    scatter = result.plots[2]
    assert scatter.kind == "scatter" and sum(len(s.x) for s in scatter.series) == 100
    assert [row[1] for row in result.tables[0].rows] == [50, 50]


def test_gradient_norms_per_layer():
    result = _run()
    grads = result.plots[1].series
    assert len(grads) == 2 and all(len(s.y) == 30 for s in grads)
    assert all(v > 0 for s in grads for v in s.y)
    assert result.metrics["grad_norm_1"] == grads[0].y[-1]


def test_frames_count_steps_and_run_is_the_last_frame():
    values = _values(steps=12)
    frames = list(DEMO.frames(values, np.random.default_rng(5)))
    assert len(frames) == 12
    assert [f.step for f in frames] == list(range(1, 13))
    assert [len(f.plots[0].series[0].y) for f in frames] == list(range(1, 13))
    assert frames[-1].to_dict() == DEMO.run(values, np.random.default_rng(5)).to_dict()
    # earlier frames are not changed by later steps
    assert len(frames[0].plots[0].series[0].x) == 1


def test_divergence_stops_early_without_crashing():
    # an lr far outside the knob range (run does not validate) overflows ReLU units
    result = _run(activation="relu", lr=1e300, steps=50)
    assert result.metrics["diverged"] == 1.0
    assert result.step < 50
    assert "diverged" in result.notes["en"][-1] and "发散" in result.notes["zh"][-1]
    assert_finite(result)
    frames = list(DEMO.frames(_values(activation="relu", lr=1e300, steps=50),
                              np.random.default_rng(0)))
    assert len(frames) == result.step


def test_too_large_lr_is_explained():
    result = _run(lr=20.0, momentum=0.99, steps=100)
    assert any("went up" in n for n in result.notes["en"])


def test_same_seed_same_result():
    assert _run(4, dataset="xor-noisy").to_dict() == _run(4, dataset="xor-noisy").to_dict()
    assert _run(4, dataset="xor-noisy").to_dict() != _run(5, dataset="xor-noisy").to_dict()
