"""overfitting demo: train error falls with degree, held-out error turns up, interpolation."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from test_demos_all import assert_finite as _finite

from dlref.demos import get

DEMO = get("overfitting")


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))




@pytest.mark.parametrize("degree,noise,n", itertools.product((1, 15), (0.0, 1.0), (4, 40)))
def test_bounds_run_and_are_finite(degree, noise, n):
    _finite(_run(degree=degree, noise=noise, n_train=n))


def test_training_error_never_rises_with_degree():
    rows = _run(noise=0.3).tables[0].rows
    train = [row[2] for row in rows]
    assert all(b <= a * 1.001 + 1e-9 for a, b in zip(train, train[1:], strict=False))


def test_held_out_error_is_u_shaped():
    result = _run(noise=0.3, n_train=12)
    test = [row[3] for row in result.tables[0].rows]
    best = int(result.metrics["best_degree"])
    assert 2 <= best < 11
    assert test[0] > test[best - 1] and test[-1] > 10 * test[best - 1]


def test_interpolation_when_parameters_reach_points():
    result = _run(degree=11, n_train=12, noise=0.3)
    assert result.metrics["train_mse"] < 1e-12
    assert any("every training point" in n for n in result.notes["en"])


def test_metrics_match_the_table():
    result = _run(degree=4)
    _, _, train, test = result.tables[0].rows[3]
    assert result.metrics["train_mse"] == pytest.approx(train, rel=1e-3)
    assert result.metrics["test_mse"] == pytest.approx(test, rel=1e-3)


def test_same_seed_same_result():
    assert _run(seed=9).to_dict() == _run(seed=9).to_dict()


def test_card_presets_are_accepted():  # docs/demo-knobs.md
    assert DEMO.knob("degree").check(1) == 1 and DEMO.knob("degree").check(15) == 15


@pytest.mark.parametrize(("degree", "n_train"), [(3, 4), (15, 12)])
def test_noise_free_interpolation_does_not_claim_memorised_noise(degree, n_train):
    """With noise 0 the interpolating polynomial's note said 'it has memorised the noise' and
    the plot was titled 'noisy points'."""
    result = DEMO.run(DEMO.defaults() | {"degree": degree, "noise": 0.0, "n_train": n_train},
                      np.random.default_rng(0))
    assert not any("noise" in n and "memorised" in n for n in result.notes["en"])
    assert not any("记住了噪声" in n for n in result.notes["zh"])
    assert any("no noise to memorise" in n for n in result.notes["en"])
    assert "noisy" not in result.plots[1].title["en"]
    assert "噪声" not in result.plots[1].title["zh"]
    noisy = DEMO.run(DEMO.defaults() | {"degree": degree, "noise": 0.2, "n_train": n_train},
                     np.random.default_rng(0))
    assert any("memorised the noise" in n for n in noisy.notes["en"])
