"""regularization demo: L1 (ISTA) gives exact zeros, L2 and the subgradient do not."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from test_demos_all import assert_finite as _finite

from dlref.demos import get

DEMO = get("regularization")


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))




@pytest.mark.parametrize("penalty,lam,noise", itertools.product(("l1", "l2"), (0.0, 1.0),
                                                                 (0.0, 2.0)))
def test_bounds_run_and_are_finite(penalty, lam, noise):
    result = _run(penalty=penalty, lam=lam, noise=noise)
    _finite(result)
    assert len(result.tables[0].rows) == 16


def test_l1_makes_exact_zeros_l2_does_not():
    l1, l2 = _run(penalty="l1", lam=0.2), _run(penalty="l2", lam=0.2)
    assert l1.metrics["zeros"] >= 6
    assert sum(1 for row in l1.tables[0].rows if row[3] == 0.0) == l1.metrics["zeros"]
    assert l2.metrics["zeros"] == 0
    assert l1.metrics["subgradient_zeros"] == 0
    # the signal features survive a moderate L1 penalty
    assert all(row[3] != 0.0 for row in l1.tables[0].rows[:3])


def test_zero_count_grows_with_lambda_for_l1_only():
    plot = _run().plots[1]
    l1 = next(s for s in plot.series if s.label.startswith("l1")).y
    l2 = next(s for s in plot.series if s.label == "l2").y
    assert l1[0] == 0 and l1[-1] >= 10 and l1[-1] >= max(l1[:5])
    assert not any(l2)


def test_penalty_shrinks_weights_and_lambda_zero_is_least_squares():
    base = _run(penalty="l2", lam=0.0, noise=0.5)
    shrunk = _run(penalty="l2", lam=1.0, noise=0.5)
    assert shrunk.metrics["weight_l1_norm"] < base.metrics["weight_l1_norm"]
    # λ = 0: close to the exact least-squares fit (same data for the same seed)
    assert base.metrics["train_mse"] == pytest.approx(_lstsq_train_mse(), rel=0.02)


def _lstsq_train_mse() -> float:
    from dlref.demos.regularization import N_CORR, N_NOISE, N_TRAIN, TRUE_W, features
    rng = np.random.default_rng(0)
    x, _ = features(N_TRAIN, rng), features(200, rng)
    y = x @ np.concatenate([TRUE_W, np.zeros(N_CORR + N_NOISE)]) + 0.5 * rng.standard_normal(
        N_TRAIN)
    w, *_ = np.linalg.lstsq(x, y, rcond=None)
    return float(np.mean((x @ w - y) ** 2))


def test_same_seed_same_result():
    assert _run(seed=7).to_dict() == _run(seed=7).to_dict()


def test_card_presets_are_accepted():  # docs/demo-knobs.md
    assert DEMO.knob("penalty").choices == ("l1", "l2")
