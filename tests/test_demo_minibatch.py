"""minibatch demo: updates per epoch, the 1/√B gradient noise, full-batch descent by hand."""

from __future__ import annotations

import math

import numpy as np
import pytest
from test_demos_all import assert_finite, knob_cases

from dlref.demos import get
from dlref.demos.minibatch import SIZES, N, data

DEMO = get("minibatch")


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))


@pytest.mark.parametrize("b", [1, 7, 8, 50, 120])
def test_updates_per_epoch(b):
    result = _run(batch_size=b, epochs=1)
    assert result.metrics["updates_per_epoch"] == math.ceil(N / b)
    assert len(result.plots[0].series[0].x) == math.ceil(N / b) + 1


def test_gradient_noise_falls_like_one_over_root_b():
    result = _run()
    rows = result.tables[0].rows
    measured = [r[2] for r in rows]
    assert [r[0] for r in rows] == list(SIZES)
    assert all(a > b for a, b in zip(measured, measured[1:], strict=False))
    assert measured[-1] == 0.0  # B = N: the minibatch is the whole data set
    for b, m, p in ((r[0], r[2], r[3]) for r in rows[:-1]):
        assert m == pytest.approx(p, rel=0.15), b  # 200 draws: within sampling error
    # the prediction itself: σ₁·√((N − B)/(B(N − 1)))
    sigma1 = result.metrics["sigma_1"]
    assert rows[0][3] == pytest.approx(sigma1, rel=5e-4)  # table cells: 4 significant figures
    assert rows[3][3] == pytest.approx(sigma1 * math.sqrt((N - 8) / (8 * (N - 1))), rel=5e-4)


def test_full_batch_curve_is_plain_gradient_descent():
    lr, epochs = 0.05, 4
    result = _run(lr=lr, epochs=epochs)
    x, y = data(0.5, np.random.default_rng(0))
    a = b = 0.0
    losses = [float(np.mean((a * x + b - y) ** 2))]
    for _ in range(epochs):
        r = a * x + b - y
        a, b = a - lr * 2 * np.mean(r * x), b - lr * 2 * np.mean(r)
        losses.append(float(np.mean((a * x + b - y) ** 2)))
    np.testing.assert_allclose(result.plots[0].series[1].y, losses, rtol=1e-12)
    # per epoch, small batches get much further than one full-batch step
    assert result.metrics["final_loss"] < result.metrics["full_batch_loss"]
    assert result.metrics["final_loss"] >= result.metrics["floor"] - 1e-12


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_runs(knob, value):
    assert_finite(_run(**{knob: value}))
