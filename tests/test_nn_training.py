"""Training-practice kernels without PyTorch: AdamW, label smoothing, learning-rate schedules,
accuracy, k-fold splits and augmentations, checked against values worked out by hand and
finite differences."""

from __future__ import annotations

import math

import numpy as np
import pytest
from gradcheck import assert_grad

from dlref import nn

# --- AdamW -----------------------------------------------------------------------------------


def test_adamw_two_steps_by_hand():
    # p₀ = 1, lr = 0.1, λ = 0.5, g₁ = 1, g₂ = 2
    p = np.array([1.0])
    opt = nn.AdamW([p], lr=0.1, weight_decay=0.5)
    opt.step([np.array([1.0])])
    # decay: 1·(1 − 0.05) = 0.95; m̂ = v̂-normalised step = 1 → 0.95 − 0.1/(1 + 1e-8)
    p1 = 0.95 - 0.1 / (1 + 1e-8)
    assert p[0] == pytest.approx(p1, abs=1e-15)
    opt.step([np.array([2.0])])
    m_hat, v_hat = 0.29 / (1 - 0.9 ** 2), 0.004999 / (1 - 0.999 ** 2)
    p2 = p1 * 0.95 - 0.1 * m_hat / (math.sqrt(v_hat) + 1e-8)
    assert p[0] == pytest.approx(p2, abs=1e-15)


def test_adamw_defaults_and_zero_decay_is_adam():
    opt = nn.AdamW([np.zeros(1)])
    assert (opt.lr, opt.betas, opt.eps, opt.weight_decay) == (1e-3, (0.9, 0.999), 1e-8, 1e-2)
    a, b = np.array([1.0, -2.0]), np.array([1.0, -2.0])
    adam, adamw = nn.Adam([a], lr=0.1), nn.AdamW([b], lr=0.1, weight_decay=0.0)
    for g in ([0.3, -1.0], [2.0, 0.5], [-0.1, 0.0]):
        adam.step([np.array(g)])
        adamw.step([np.array(g)])
    np.testing.assert_array_equal(a, b)


def test_adamw_decay_is_not_rescaled_like_l2():
    """Zero gradient: AdamW still shrinks p by (1 − lr·λ) per step; Adam with the L2 gradient
    λ·p moves p by about lr per step whatever λ (the 1/√v̂ normalisation eats the scale)."""
    w = np.array([2.0, 2.0])
    opt = nn.AdamW([w], lr=0.01, weight_decay=0.1)
    for _ in range(3):
        opt.step([np.zeros(2)])
    np.testing.assert_allclose(w, 2.0 * (1 - 0.001) ** 3, rtol=1e-15)
    for lam in (0.1, 10.0):
        v = np.array([2.0])
        adam = nn.Adam([v], lr=0.01)
        adam.step([lam * v])
        assert v[0] == pytest.approx(2.0 - 0.01, abs=1e-8)


def test_adamw_errors():
    with pytest.raises(ValueError, match=r"weight_decay must lie in \[0, ∞\)"):
        nn.AdamW([np.zeros(2)], weight_decay=-0.1)
    with pytest.raises(ValueError, match="betas must be a pair"):
        nn.AdamW([np.zeros(2)], betas=(0.9,))
    with pytest.raises(ValueError, match=r"params\[0\] must be a float ndarray"):
        nn.AdamW([np.array([1, 2])])


# --- label smoothing -------------------------------------------------------------------------


def test_label_smoothing_known_value():
    # z = [0, ln 3], y = 1: p = [1/4, 3/4]; ε = 0.2, C = 2 → q = [0.1, 0.9]
    z = np.array([0.0, math.log(3.0)])
    expected = -(0.1 * math.log(0.25) + 0.9 * math.log(0.75))
    assert nn.cross_entropy(z, 1, label_smoothing=0.2) == pytest.approx(expected, rel=1e-14)
    np.testing.assert_allclose(nn.cross_entropy_grad(z, 1, label_smoothing=0.2),
                               [0.25 - 0.1, 0.75 - 0.9], atol=1e-15)


def test_label_smoothing_is_the_soft_target_loss():
    rng = np.random.default_rng(0)
    z, y = rng.standard_normal((4, 5)) * 3, np.array([0, 4, 2, 2])
    for eps in (0.0, 0.1, 0.5, 1.0):
        q = np.full((4, 5), eps / 5)
        q[np.arange(4), y] += 1 - eps
        logp = z - z.max(1, keepdims=True)
        logp -= np.log(np.exp(logp).sum(1, keepdims=True))
        assert nn.cross_entropy(z, y, label_smoothing=eps) == \
            pytest.approx(-(q * logp).sum(1).mean(), rel=1e-13)
    assert nn.cross_entropy(z, y, label_smoothing=0.0) == nn.cross_entropy(z, y)
    np.testing.assert_array_equal(nn.cross_entropy_grad(z, y, label_smoothing=0.0),
                                  nn.cross_entropy_grad(z, y))


@pytest.mark.parametrize("eps", [0.05, 0.3, 1.0])
def test_label_smoothing_gradient_by_finite_differences(eps):
    rng = np.random.default_rng(1)
    z, y = rng.standard_normal((3, 4)), np.array([3, 0, 1])
    assert_grad(nn.cross_entropy_grad(z, y, label_smoothing=eps),
                lambda: nn.cross_entropy(z, y, label_smoothing=eps), z)


def test_label_smoothing_keeps_an_optimum_at_finite_logits():
    """With ε > 0 the loss is minimised where softmax = q, i.e. at a finite logit gap
    log((1 − ε + ε/C) / (ε/C)); the gradient vanishes there."""
    eps, c = 0.1, 3
    gap = math.log((1 - eps + eps / c) / (eps / c))
    z = np.array([gap, 0.0, 0.0])
    np.testing.assert_allclose(nn.cross_entropy_grad(z, 0, label_smoothing=eps), 0.0, atol=1e-15)


def test_label_smoothing_errors():
    with pytest.raises(ValueError, match=r"label_smoothing must lie in \[0, 1\]; got 1.5"):
        nn.cross_entropy([1.0, 2.0], 0, label_smoothing=1.5)
    with pytest.raises(ValueError, match="cross_entropy_grad: label_smoothing"):
        nn.cross_entropy_grad([1.0, 2.0], 0, label_smoothing=-0.1)


# --- schedules -------------------------------------------------------------------------------


def test_step_lr():
    assert nn.step_lr(0, 0.1, 30) == 0.1
    np.testing.assert_allclose(nn.step_lr([0, 29, 30, 59, 60, 95], 0.1, 30),
                               [0.1, 0.1, 0.01, 0.01, 0.001, 0.0001], rtol=1e-14)
    assert nn.step_lr(7, 1.0, 2, gamma=0.5) == 0.125


def test_cosine_annealing_lr():
    t = np.array([0, 25, 50, 75, 100, 150])
    np.testing.assert_allclose(nn.cosine_annealing_lr(t, 1.0, 100, eta_min=0.0),
                               [1.0, (1 + math.sqrt(0.5)) / 2, 0.5, (1 - math.sqrt(0.5)) / 2,
                                0.0, 0.5], atol=1e-15)
    assert nn.cosine_annealing_lr(100, 0.1, 100, eta_min=0.01) == pytest.approx(0.01)
    assert nn.cosine_annealing_lr(50, 0.1, 100, eta_min=0.01) == pytest.approx(0.055)


def test_linear_lr_warmup():
    # torch's defaults: factor 1/3 → 1 over 5 steps, i.e. + 2/15 a step
    np.testing.assert_allclose(nn.linear_lr(np.arange(8), 0.3),
                               [0.1, 0.14, 0.18, 0.22, 0.26, 0.3, 0.3, 0.3], rtol=1e-14)
    assert nn.linear_lr(2, 1.0, start_factor=0.5, end_factor=1.0, total_iters=4) == 0.75
    assert nn.linear_lr(10, 1.0, start_factor=1.0, end_factor=0.0, total_iters=4) == 0.0


def test_warmup_cosine_lr():
    lr = nn.warmup_cosine_lr(np.arange(0, 13), 1.0, warmup_steps=4, total_steps=12,
                             start_factor=0.2)
    np.testing.assert_allclose(lr[:5], [0.2, 0.4, 0.6, 0.8, 1.0], rtol=1e-14)
    assert lr[8] == pytest.approx(0.5) and lr[12] == pytest.approx(0.0, abs=1e-15)
    assert np.all(np.diff(lr[:5]) > 0) and np.all(np.diff(lr[4:]) < 0)


def test_one_cycle_lr_by_hand():
    # max_lr 1, total 10: initial 0.04, up to 1 by step 2 (= 0.3·10 − 1), down to 4e-6 by step 9
    lr = nn.one_cycle_lr(np.arange(10), 1.0, 10)
    assert lr[0] == pytest.approx(0.04) and lr[2] == 1.0 and lr[9] == pytest.approx(4e-6)
    assert lr[1] == pytest.approx(0.04 + 0.96 / 2)  # half way on the cosine
    assert int(np.argmax(lr)) == 2
    linear = nn.one_cycle_lr(np.arange(10), 1.0, 10, anneal_strategy="linear")
    assert linear[1] == pytest.approx(0.52) and linear[5] == pytest.approx(1 - 3 / 7 * (1 - 4e-6))
    three = nn.one_cycle_lr(np.arange(20), 1.0, 20, three_phase=True)
    assert three[5] == 1.0 and three[10] == pytest.approx(0.04) and three[19] == pytest.approx(4e-6)


def test_schedules_take_scalars_and_arrays():
    assert isinstance(nn.step_lr(3, 0.1, 2), float)
    assert isinstance(nn.one_cycle_lr(np.int64(3), 0.1, 10), float)
    out = nn.cosine_annealing_lr(np.arange(6).reshape(2, 3), 0.1, 5)
    assert out.shape == (2, 3) and out.dtype == np.float64


def test_schedule_errors():
    with pytest.raises(ValueError, match="step must be an integer >= 0"):
        nn.step_lr(-1, 0.1, 10)
    with pytest.raises(ValueError, match="step must be an integer >= 0"):
        nn.cosine_annealing_lr(1.5, 0.1, 10)
    with pytest.raises(ValueError, match="step_size must be an integer >= 1"):
        nn.step_lr(1, 0.1, 0)
    with pytest.raises(ValueError, match=r"start_factor must lie in \(0, 1\]"):
        nn.linear_lr(1, 0.1, start_factor=0.0)
    with pytest.raises(ValueError, match="step must be <= total_steps=10"):
        nn.one_cycle_lr(11, 0.1, 10)
    with pytest.raises(ValueError, match="anneal_strategy must be 'cos' or 'linear'"):
        nn.one_cycle_lr(1, 0.1, 10, anneal_strategy="exp")
    with pytest.raises(ValueError, match="leaves a phase with no steps"):
        nn.one_cycle_lr(0, 0.1, 2, pct_start=0.5)
    with pytest.raises(ValueError, match="total_steps must exceed warmup_steps=5"):
        nn.warmup_cosine_lr(1, 0.1, 5, 5)
    with pytest.raises(ValueError, match="base_lr must be >= 0"):
        nn.cosine_annealing_lr(1, -0.1, 10)


# --- accuracy --------------------------------------------------------------------------------


def test_accuracy():
    assert nn.accuracy([0, 1, 2, 2], [0, 2, 2, 2]) == 0.75
    assert nn.accuracy(np.array([1, 1]), np.array([0, 0])) == 0.0
    # 95 negatives, 5 positives, always "negative": accuracy 0.95, recall 0
    y = np.array([0] * 95 + [1] * 5)
    assert nn.accuracy(y, np.zeros(100, dtype=int)) == 0.95
    assert nn.recall(y, np.zeros(100, dtype=int)) == 0.0
    assert nn.accuracy(["cat", "dog"], ["cat", "cat"]) == 0.5


def test_accuracy_errors():
    with pytest.raises(ValueError, match=r"same length; got shapes \(2,\) and \(3,\)"):
        nn.accuracy([0, 1], [0, 1, 1])
    with pytest.raises(ValueError, match="at least one prediction"):
        nn.accuracy([], [])


# --- k-fold ----------------------------------------------------------------------------------


def test_kfold_indices_by_hand():
    folds = nn.kfold_indices(7, 3)
    assert [v.tolist() for _, v in folds] == [[0, 1, 2], [3, 4], [5, 6]]
    assert [t.tolist() for t, _ in folds] == [[3, 4, 5, 6], [0, 1, 2, 5, 6], [0, 1, 2, 3, 4]]


@pytest.mark.parametrize(("n", "k"), [(10, 5), (11, 4), (5, 5), (100, 3)])
def test_kfold_partitions(n, k):
    folds = nn.kfold_indices(n, k)
    assert len(folds) == k
    vals = np.concatenate([v for _, v in folds])
    np.testing.assert_array_equal(vals, np.arange(n))  # every sample validated exactly once
    for train, val in folds:
        assert len(train) + len(val) == n and not set(train) & set(val)
        assert len(val) in (n // k, n // k + 1)


def test_kfold_errors():
    with pytest.raises(ValueError, match="n_splits must be an integer >= 2"):
        nn.kfold_indices(10, 1)
    with pytest.raises(ValueError, match="n_splits=6 cannot exceed n_samples=5"):
        nn.kfold_indices(5, 6)


# --- augmentation ----------------------------------------------------------------------------

IMG = np.arange(12.0).reshape(3, 4)  # [[0 1 2 3] [4 5 6 7] [8 9 10 11]]


def test_flips():
    np.testing.assert_array_equal(nn.hflip(IMG)[0], [3, 2, 1, 0])
    np.testing.assert_array_equal(nn.vflip(IMG)[:, 0], [8, 4, 0])
    np.testing.assert_array_equal(nn.hflip(nn.hflip(IMG)), IMG)
    batch = np.stack([IMG, -IMG])[:, None]  # (N, C, H, W)
    np.testing.assert_array_equal(nn.hflip(batch)[1, 0], -IMG[:, ::-1])
    out = nn.hflip(IMG)
    out[0, 0] = 99
    assert IMG[0, 3] == 3  # a new array, not a view


def test_crop_with_padding():
    np.testing.assert_array_equal(nn.crop(IMG, 1, 1, 2, 2), [[5, 6], [9, 10]])
    np.testing.assert_array_equal(nn.crop(IMG, 0, 0, 2, 3, padding=1),
                                  [[0, 0, 0], [0, 0, 1]])
    assert nn.crop(IMG, 1, 1, 3, 4, padding=1).tolist() == IMG.tolist()  # padded centre


def test_random_crop_is_a_crop_at_its_corner():
    rng = np.random.default_rng(0)
    corners = set()
    for _ in range(60):
        out, (top, left) = nn.random_crop(IMG, 3, padding=1, rng=rng)
        assert out.shape == (3, 3) and 0 <= top <= 2 and 0 <= left <= 3
        np.testing.assert_array_equal(out, np.pad(IMG, 1)[top:top + 3, left:left + 3])
        corners.add((top, left))
    assert len(corners) == 12  # all 3 × 4 corners drawn


def test_translate():
    np.testing.assert_array_equal(nn.translate(IMG, 1, 0), [[0, 0, 0, 0], [0, 1, 2, 3],
                                                           [4, 5, 6, 7]])
    np.testing.assert_array_equal(nn.translate(IMG, 0, -2), [[2, 3, 0, 0], [6, 7, 0, 0],
                                                            [10, 11, 0, 0]])
    assert np.all(nn.translate(IMG, 5, 5) == 0)
    np.testing.assert_array_equal(nn.translate(IMG, 0, 0), IMG)


def test_augmentation_errors():
    with pytest.raises(ValueError, match=r"hflip: x must have shape \(\.\.\., H, W\)"):
        nn.hflip([1.0, 2.0])
    with pytest.raises(ValueError, match="does not fit the padded 3×4 image"):
        nn.crop(IMG, 1, 0, 3, 4)
    with pytest.raises(ValueError, match="size=6 exceeds the padded 5×6 image"):
        nn.random_crop(IMG, 6, padding=1)
    with pytest.raises(ValueError, match="dx must be an integer number of pixels"):
        nn.translate(IMG, 0, 0.5)


# --- one-hot, iterations per epoch, early stopping -------------------------------------------


def test_one_hot():
    np.testing.assert_array_equal(nn.one_hot([2, 0, 1]), [[0, 0, 1], [1, 0, 0], [0, 1, 0]])
    out = nn.one_hot(np.array([[1], [3]]), num_classes=5)
    assert out.shape == (2, 1, 5) and out.dtype == np.int64 and out[1, 0, 3] == 1
    assert out.sum() == 2
    with pytest.raises(ValueError, match="labels must be < num_classes=3; got 3"):
        nn.one_hot([3], 3)
    with pytest.raises(ValueError, match="labels must be integer class indices"):
        nn.one_hot([0.5])
    with pytest.raises(ValueError, match="labels must be >= 0"):
        nn.one_hot([-1, 0])


def test_iterations_per_epoch():
    assert nn.iterations_per_epoch(1000, 32) == 32  # 31 full batches + one of 8
    assert nn.iterations_per_epoch(1000, 32, drop_last=True) == 31
    assert nn.iterations_per_epoch(60000, 100) == 600
    assert nn.iterations_per_epoch(5, 10) == 1 and nn.iterations_per_epoch(5, 10, True) == 0
    with pytest.raises(ValueError, match="batch_size must be an integer >= 1"):
        nn.iterations_per_epoch(10, 0)


def test_early_stopping_by_hand():
    val = [1.0, 0.8, 0.7, 0.72, 0.71, 0.75, 0.69, 0.9, 0.95, 1.0]
    # best 0.7 at epoch 2; epochs 3, 4, 5 do not improve → patience 3 stops at epoch 5
    assert nn.early_stopping(val, patience=3) == (5, 2)
    # patience 4: epoch 6 improves (0.69), then 7, 8, 9, … → the run ends first
    assert nn.early_stopping(val, patience=4) == (9, 6)
    assert nn.early_stopping(val, patience=1) == (3, 2)
    # min_delta 0.02: 0.69 is not 0.02 below 0.7, so it does not count
    assert nn.early_stopping(val, patience=4, min_delta=0.02) == (6, 2)
    assert nn.early_stopping([3.0, 2.0, 1.0], patience=1) == (2, 2)


def test_early_stopping_errors():
    with pytest.raises(ValueError, match="patience must be an integer >= 1"):
        nn.early_stopping([1.0], 0)
    with pytest.raises(ValueError, match="non-empty 1-D sequence"):
        nn.early_stopping([], 3)
    with pytest.raises(ValueError, match="min_delta must be >= 0"):
        nn.early_stopping([1.0], 2, min_delta=-1)
