"""Cross-check the training-practice kernels against PyTorch (float64, CPU): AdamW over many
steps, the learning-rate schedulers over many steps, label-smoothed cross-entropy and its
gradient, flips. Skipped when torch is not installed."""

from __future__ import annotations

import numpy as np
import pytest

from dlref import nn

torch = pytest.importorskip("torch")
F = torch.nn.functional
S = torch.optim.lr_scheduler


@pytest.mark.parametrize("kw", [{}, {"lr": 0.05, "weight_decay": 0.3},
                                {"lr": 0.01, "betas": (0.5, 0.9), "eps": 1e-4,
                                 "weight_decay": 0.0}])
def test_adamw_matches_torch_over_many_steps(kw):
    rng = np.random.default_rng(3)
    w0, b0 = rng.standard_normal((3, 4)), rng.standard_normal(4)
    ours = [w0.copy(), b0.copy()]
    theirs = [torch.tensor(w0, requires_grad=True), torch.tensor(b0, requires_grad=True)]
    opt, topt = nn.AdamW(ours, **kw), torch.optim.AdamW(theirs, **kw)
    for _ in range(25):
        grads = [rng.standard_normal((3, 4)) * 5, rng.standard_normal(4) * 0.01]
        opt.step(grads)
        for p, g in zip(theirs, grads, strict=True):
            p.grad = torch.tensor(g)
        topt.step()
    for a, b in zip(ours, theirs, strict=True):
        np.testing.assert_allclose(a, b.detach().numpy(), rtol=1e-12, atol=1e-14)


def torch_lrs(make, steps, base_lr=0.1):
    """The lr torch's scheduler gives after 0, 1, …, steps − 1 calls of step()."""
    opt = torch.optim.SGD([torch.zeros(1, requires_grad=True)], lr=base_lr)
    sched = make(opt)
    out = []
    for _ in range(steps):
        out.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return np.array(out)


T = np.arange(300)


@pytest.mark.parametrize(("ours", "make"), [
    (lambda t: nn.step_lr(t, 0.1, 30), lambda o: S.StepLR(o, 30)),
    (lambda t: nn.step_lr(t, 0.1, 7, gamma=0.5), lambda o: S.StepLR(o, 7, gamma=0.5)),
    (lambda t: nn.cosine_annealing_lr(t, 0.1, 100), lambda o: S.CosineAnnealingLR(o, 100)),
    (lambda t: nn.cosine_annealing_lr(t, 0.1, 37, eta_min=0.003),
     lambda o: S.CosineAnnealingLR(o, 37, eta_min=0.003)),
    (lambda t: nn.linear_lr(t, 0.1), lambda o: S.LinearLR(o)),
    (lambda t: nn.linear_lr(t, 0.1, 0.05, 0.5, 40),
     lambda o: S.LinearLR(o, start_factor=0.05, end_factor=0.5, total_iters=40)),
    (lambda t: nn.warmup_cosine_lr(t, 0.1, 20, 300, start_factor=0.01),
     lambda o: S.SequentialLR(o, [S.LinearLR(o, start_factor=0.01, total_iters=20),
                                  S.CosineAnnealingLR(o, 280)], milestones=[20])),
    (lambda t: nn.one_cycle_lr(t, 0.1, 300), lambda o: S.OneCycleLR(o, 0.1, total_steps=300)),
    (lambda t: nn.one_cycle_lr(t, 0.1, 300, pct_start=0.25, anneal_strategy="linear",
                               div_factor=10, final_div_factor=100),
     lambda o: S.OneCycleLR(o, 0.1, total_steps=300, pct_start=0.25, anneal_strategy="linear",
                            div_factor=10, final_div_factor=100)),
    (lambda t: nn.one_cycle_lr(t, 0.1, 301, three_phase=True),
     lambda o: S.OneCycleLR(o, 0.1, total_steps=301, three_phase=True)),
], ids=["step", "step-gamma", "cosine", "cosine-eta-min", "linear", "linear-custom",
        "warmup-cosine", "one-cycle", "one-cycle-linear", "one-cycle-three-phase"])
def test_schedules_match_torch_over_many_steps(ours, make):
    np.testing.assert_allclose(ours(T), torch_lrs(make, len(T)), rtol=1e-9, atol=1e-15)


@pytest.mark.parametrize("eps", [0.0, 0.1, 0.37, 1.0])
def test_label_smoothing_matches_torch(eps):
    rng = np.random.default_rng(4)
    logits, cls = rng.standard_normal((6, 5)) * 4, rng.integers(0, 5, 6)
    z = torch.tensor(logits, requires_grad=True)
    loss = F.cross_entropy(z, torch.tensor(cls), label_smoothing=eps)
    loss.backward()
    assert nn.cross_entropy(logits, cls, label_smoothing=eps) == pytest.approx(loss.item(),
                                                                                rel=1e-12)
    np.testing.assert_allclose(nn.cross_entropy_grad(logits, cls, label_smoothing=eps),
                               z.grad.numpy(), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("eps", [0.1, 0.6])
def test_label_smoothing_with_weights_ignore_index_and_probabilities_matches_torch(eps,
                                                                                 reduction):
    rng = np.random.default_rng(7)
    logits, weight = rng.standard_normal((6, 4, 3)) * 3, rng.uniform(0.2, 2.0, 4)
    cls = rng.integers(0, 4, (6, 3))
    cls[1, 2] = cls[4, 0] = -100
    probs = rng.dirichlet(np.ones(4), (6, 3)).transpose(0, 2, 1).copy()
    for target in (cls, probs):
        z = torch.tensor(logits, requires_grad=True)
        loss = F.cross_entropy(z, torch.tensor(target), weight=torch.tensor(weight),
                               reduction=reduction, label_smoothing=eps)
        dout = np.ones(loss.shape) if reduction == "none" else None
        loss.backward(torch.tensor(dout) if dout is not None else None)
        ours = nn.cross_entropy(logits, target, weight=weight, reduction=reduction,
                                label_smoothing=eps)
        np.testing.assert_allclose(ours, loss.detach().numpy(), rtol=1e-12)
        grad = nn.cross_entropy_grad(logits, target, weight=weight, reduction=reduction,
                                     label_smoothing=eps, dout=dout)
        np.testing.assert_allclose(grad, z.grad.numpy(), rtol=1e-10, atol=1e-14)


def test_flips_match_torch():
    x = np.arange(24.0).reshape(2, 3, 4)
    np.testing.assert_array_equal(nn.hflip(x), torch.flip(torch.tensor(x), [-1]).numpy())
    np.testing.assert_array_equal(nn.vflip(x), torch.flip(torch.tensor(x), [-2]).numpy())
    # zero padding then a window: F.pad + slicing
    padded = F.pad(torch.tensor(x), (2, 2, 2, 2)).numpy()
    np.testing.assert_array_equal(nn.crop(x, 1, 3, 3, 4, padding=2), padded[..., 1:4, 3:7])


def test_one_hot_matches_torch():
    labels = np.array([[0, 3], [2, 2]])
    np.testing.assert_array_equal(nn.one_hot(labels, 5),
                                  F.one_hot(torch.tensor(labels), 5).numpy())
    np.testing.assert_array_equal(nn.one_hot(labels), F.one_hot(torch.tensor(labels)).numpy())


@pytest.mark.parametrize(("n", "b"), [(1000, 32), (60000, 128), (7, 7), (5, 10)])
def test_iterations_per_epoch_is_len_dataloader(n, b):
    data = torch.utils.data.TensorDataset(torch.zeros(n))
    for drop in (False, True):
        loader = torch.utils.data.DataLoader(data, batch_size=b, drop_last=drop)
        assert nn.iterations_per_epoch(n, b, drop_last=drop) == len(loader)


def test_one_cycle_with_a_rise_shorter_than_one_step_matches_torch():
    # pct_start·total − 1 < 0: torch skips the rising phase; so do we
    np.testing.assert_allclose(nn.one_cycle_lr(np.arange(10), 0.1, 10, pct_start=0.05),
                               torch_lrs(lambda o: S.OneCycleLR(o, 0.1, total_steps=10,
                                                                pct_start=0.05), 10), rtol=1e-9)
