"""early-stopping demo: the stop and best epochs re-derived from the plotted validation curve."""

from __future__ import annotations

import numpy as np
import pytest
from test_demos_all import assert_finite, knob_cases

from dlref.demos import get

DEMO = get("early-stopping")


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))


def rule(val, patience, min_delta):
    """Early stopping written out plainly: (stop, best)."""
    best, best_at, since = float("inf"), 0, 0
    for epoch, v in enumerate(val):
        if v < best - min_delta:
            best, best_at, since = v, epoch, 0
        else:
            since += 1
            if since == patience:
                return epoch, best_at
    return len(val) - 1, best_at


@pytest.mark.parametrize(("seed", "patience", "min_delta"),
                         [(0, 20, 0.0), (0, 5, 0.0), (1, 20, 0.0), (2, 60, 0.001), (3, 1, 0.0)])
def test_stop_and_best_follow_the_rule(seed, patience, min_delta):
    result = _run(seed, patience=patience, min_delta=min_delta)
    val = 10 ** np.array(result.plots[0].series[1].y)
    stop, best = rule(val, patience, min_delta)
    assert (result.metrics["stop_epoch"], result.metrics["best_epoch"]) == (stop, best)
    assert result.metrics["lowest_epoch"] == int(np.argmin(val))
    assert result.tables[0].rows[0][1] == best and result.tables[0].rows[1][1] == stop


def test_default_run_overfits_after_the_best_epoch():
    m = _run().metrics
    assert m["best_epoch"] < m["stop_epoch"] < 249
    assert m["final_val"] > 1.3 * m["best_val"]  # validation loss turned up
    train = 10 ** np.array(_run().plots[0].series[0].y)
    assert train[-1] < train[int(m["best_epoch"])]  # while the training loss kept falling


def test_more_patience_never_stops_earlier():
    stops = [_run(patience=p).metrics["stop_epoch"] for p in (1, 5, 20, 80, 200)]
    assert stops == sorted(stops)


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_runs(knob, value):
    assert_finite(_run(**{knob: value}))


def test_a_stop_that_cost_validation_loss_is_not_said_to_save_time():
    """noise 0, lr 0.5, 600 epochs: patience 20 stops at epoch 140 keeping 0.0076, and the
    validation loss goes on down to 0.0046; the note still said 'stopping early then mostly
    saves time' next to 'a longer patience would have waited for it'."""
    result = _run(noise=0.0, lr=0.5, epochs=600)
    m = result.metrics
    assert m["stop_epoch"] < 599 and m["final_val"] < m["best_val"]
    assert not any("saves time" in n for n in result.notes["en"])
    assert not any("节省时间" in n for n in result.notes["zh"])
    assert any("worse than simply training on" in n for n in result.notes["en"])
    # where nothing was lost the sentence stays
    assert any("saves time" in n for n in _run(lr=0.001).notes["en"])


def test_noise_free_overfitting_is_not_said_to_fit_the_noise():
    """noise 0: the validation loss still climbs (0.0094 → 0.0109), and the note said the model
    'fits the noise of its 10 points' where the labels have none."""
    result = _run(noise=0.0)
    assert result.metrics["final_val"] > 1.05 * result.metrics["best_val"]
    assert not any("fits the noise" in n for n in result.notes["en"])
    assert not any("拟合 10 个训练点里的噪声" in n for n in result.notes["zh"])
    assert any("no label noise" in n for n in result.notes["en"])
    assert any("fits the noise" in n for n in _run().notes["en"])
