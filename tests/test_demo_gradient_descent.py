"""gradient-descent demo: the descent matches closed form, every optimiser makes progress,
divergence stops early, frames are one optimiser step each."""

from __future__ import annotations

import numpy as np
import pytest
from test_demos_all import assert_finite, knob_cases

from dlref.demos import get
from dlref.demos.gradient_descent import OPTIMIZERS, objective

DEMO = get("gradient-descent")


def _values(**values):
    return DEMO.defaults() | values


def _run(seed=0, **values):
    return DEMO.run(_values(**values), np.random.default_rng(seed))


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_and_choice_is_finite(knob, value):
    result = _run(**{knob: value})
    assert_finite(result)


@pytest.mark.parametrize("function", ["quadratic", "rosenbrock"])
@pytest.mark.parametrize("optimizer", OPTIMIZERS)
def test_suggested_lr_makes_progress(function, optimizer):
    result = _run(function=function, optimizer=optimizer)
    assert result.metrics["diverged"] == 0.0
    start, _ = objective(function, np.array([-1.2, 1.0]))
    assert result.metrics["loss"] < start / 2
    log_loss = result.plots[0].series[0].y
    assert log_loss[-1] < log_loss[0]


def test_sgd_on_the_quadratic_matches_closed_form():
    """f = 0.1x² + 2y², so SGD gives x_t = x₀(1 − 0.2·lr)^t and y_t = y₀(1 − 4·lr)^t."""
    lr, steps = 0.1, 25
    result = _run(optimizer="sgd", lr=lr, steps=steps, x0=2.0, y0=-1.0)
    path = result.plots[1].series[0]
    t = np.arange(steps + 1)
    np.testing.assert_allclose(path.x, 2.0 * (1 - 0.2 * lr) ** t, rtol=1e-12)
    np.testing.assert_allclose(path.y, -1.0 * (1 - 4 * lr) ** t, rtol=1e-12, atol=1e-15)
    x, y = path.x[-1], path.y[-1]
    assert result.metrics["distance"] == pytest.approx(np.hypot(x, y))
    assert result.metrics["loss"] == pytest.approx(0.1 * x * x + 2 * y * y)


def test_rosenbrock_gradient_matches_finite_differences():
    p = np.array([-0.7, 1.3])
    _, g = objective("rosenbrock", p)
    h = 1e-6
    numeric = [(objective("rosenbrock", p + h * e)[0] - objective("rosenbrock", p - h * e)[0])
               / (2 * h) for e in np.eye(2)]
    np.testing.assert_allclose(g, numeric, rtol=1e-6)
    assert objective("rosenbrock", np.array([1.0, 1.0]))[0] == 0.0


def test_momentum_beats_plain_sgd_on_rosenbrock():
    sgd = _run(function="rosenbrock", optimizer="sgd", lr=0.001)
    momentum = _run(function="rosenbrock", optimizer="momentum", lr=0.001)
    assert momentum.metrics["distance"] < sgd.metrics["distance"]


def test_huge_lr_diverges_and_stops_early():
    result = _run(optimizer="sgd", lr=1.0, steps=500)  # |1 − 4·lr| = 3 > 1 along y
    assert result.metrics["diverged"] == 1.0
    assert result.metrics["steps_taken"] < 500
    assert any("Diverged" in n for n in result.notes["en"])
    assert any("发散" in n for n in result.notes["zh"])
    assert_finite(result)
    frames = list(DEMO.frames(_values(optimizer="sgd", lr=1.0, steps=500), None))
    assert len(frames) == result.step < 500


def test_frames_are_one_step_each_and_run_is_the_last():
    values = _values(optimizer="adam", steps=15)
    frames = list(DEMO.frames(values, np.random.default_rng(0)))
    assert len(frames) == 15 and [f.step for f in frames] == list(range(1, 16))
    assert [len(f.plots[1].series[0].x) for f in frames] == list(range(2, 17))
    assert frames[-1].to_dict() == DEMO.run(values, np.random.default_rng(0)).to_dict()


def test_zero_lr_means_suggested():
    assert _run(lr=0.0).metrics["lr"] == 0.4
    assert _run(lr=0.05).metrics["lr"] == 0.05


def test_same_seed_same_result():
    assert _run(1, optimizer="rmsprop").to_dict() == _run(1, optimizer="rmsprop").to_dict()
