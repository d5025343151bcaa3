"""batchnorm demo: train mode normalises, running stats approach the truth, eval uses them."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from test_demos_all import assert_finite as _finite

from dlref.demos import get

DEMO = get("batchnorm")


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))




@pytest.mark.parametrize("training,n,d,shift,scale,momentum,steps", [
    (t, n, d, sh, sc, m, st) for t, (n, d), (sh, sc), (m, st) in itertools.product(
        (True, False), ((2, 3), (64, 8)), ((-20.0, 0.1), (20.0, 20.0)), ((0.0, 0), (1.0, 100)))])
def test_bounds_run_and_are_finite(training, n, d, shift, scale, momentum, steps):
    result = _run(training=training, batch_size=n, features=d, shift=shift, scale=scale,
                  momentum=momentum, steps=steps)
    _finite(result)
    assert len(result.tables[0].rows) == d


@pytest.mark.parametrize("n", [2, 8, 64])
def test_train_mode_normalises_each_feature(n):
    result = _run(training=True, batch_size=n, shift=7.0, scale=4.0)
    for _, _, _, mean_after, std_after in result.tables[0].rows:
        assert mean_after == pytest.approx(0.0, abs=1e-3)
        assert std_after == pytest.approx(1.0, abs=1e-2)  # eps = 1e-5 makes it a hair below 1
    assert result.metrics["out_mean_max_abs"] < 1e-9


def test_running_stats_converge_to_population():
    result = _run(training=False, batch_size=64, steps=100, momentum=0.1)
    for _, true_mean, run_mean, true_var, run_var in result.tables[1].rows:
        assert run_mean == pytest.approx(true_mean, abs=0.1 * np.sqrt(true_var) + 0.05)
        assert run_var == pytest.approx(true_var, rel=0.25)
    # eval mode with good running stats is roughly normalised too
    for _, _, _, mean_after, std_after in result.tables[0].rows:
        assert abs(mean_after) < 0.6 and 0.6 < std_after < 1.5


def test_momentum_zero_keeps_initial_running_stats():
    result = _run(momentum=0.0, steps=10)
    for _, _, run_mean, _, run_var in result.tables[1].rows:
        assert run_mean == 0.0 and run_var == 1.0


def test_eval_mode_without_training_is_not_normalised():
    result = _run(training=False, steps=0, shift=10.0)
    assert result.metrics["out_mean_max_abs"] > 5


def test_smallest_batch_explained_and_n1_refused():
    assert any("N = 1" in n for n in _run(batch_size=2).notes["en"])
    with pytest.raises(ValueError):
        DEMO.knob("batch_size").check(1)


def test_same_seed_same_result():
    assert _run(seed=4).to_dict() == _run(seed=4).to_dict()


def test_card_presets_are_accepted():  # docs/demo-knobs.md
    assert DEMO.knob("training").check(True) is True
    assert DEMO.knob("training").parse("false") is False


def test_eval_advice_fits_the_momentum():
    """Eval mode at momentum 1 said 'more steps (or momentum > 0) bring them closer', but the
    running statistics are then the last batch's own: 100 steps are no closer than 20. (The
    Chinese said 'and momentum > 0', the English 'or'.)"""
    def error(momentum, steps):  # mean over 20 draws: one batch's error is noisy
        return np.mean([_run(seed, training=False, momentum=momentum, steps=steps)
                        .metrics["running_mean_error"] for seed in range(20)])

    assert error(1.0, 100) > 0.7 * error(1.0, 20)  # no closer (0.54 vs 0.64)
    assert error(0.1, 100) < 0.3 * error(0.1, 20)  # much closer (0.13 vs 0.63)
    few, many = (_run(training=False, momentum=1.0, steps=s) for s in (20, 100))
    for result in (few, many):
        assert not any("more steps bring" in n for n in result.notes["en"])
        assert any("last batch" in n for n in result.notes["en"])
        assert any("最后一个批量" in n for n in result.notes["zh"])
    stuck = _run(training=False, momentum=0.0)
    assert not any("more steps bring" in n for n in stuck.notes["en"])
    assert any("more steps bring" in n for n in _run(training=False, momentum=0.1).notes["en"])
    assert any("更多步数会" in n for n in _run(training=False, momentum=0.1).notes["zh"])
