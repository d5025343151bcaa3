"""Cross-check dlref.nn against PyTorch (float64, CPU). Skipped when torch is not installed."""

from __future__ import annotations

import numpy as np
import pytest

from dlref import nn

torch = pytest.importorskip("torch")
F = torch.nn.functional
RNG = np.random.default_rng(42)


def t(a, grad=True):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def close(a, b, tol=1e-10):
    b = b.detach().numpy() if isinstance(b, torch.Tensor) else b
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


def autograd(fn, inputs, dout):
    """torch's gradients of Σ fn(*inputs) ⊙ dout wrt each input."""
    out = fn(*inputs)
    out.backward(torch.tensor(dout))
    return out, [i.grad for i in inputs]


X_EDGES = np.array([-1000.0, -3.0, -0.5, 0.0, 0.5, 3.0, 1000.0])
X_NONFINITE = np.array([np.nan, np.inf, -np.inf, -1.0, 0.0, 2.0])


def close_nan(a, b, tol=1e-10):
    """Equal, NaN where the other is NaN and ±inf where it is."""
    b = b.detach().numpy() if isinstance(b, torch.Tensor) else b
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol, equal_nan=True)


@pytest.mark.parametrize(("ours", "grad", "theirs", "kw"), [
    (nn.sigmoid, nn.sigmoid_grad, torch.sigmoid, {}),
    (nn.tanh, nn.tanh_grad, torch.tanh, {}),
    (nn.relu, nn.relu_grad, F.relu, {}),
    (nn.leaky_relu, nn.leaky_relu_grad, F.leaky_relu, {"negative_slope": 0.2}),
    (nn.elu, nn.elu_grad, F.elu, {"alpha": 0.7}),
    (nn.selu, nn.selu_grad, F.selu, {}),
    (nn.softplus, nn.softplus_grad, F.softplus, {}),
    (nn.softplus, nn.softplus_grad, F.softplus, {"beta": 2.0, "threshold": 5.0}),
])
def test_activations_nan_and_inf(ours, grad, theirs, kw):
    x = t(X_NONFINITE)
    out, (gx,) = autograd(lambda a: theirs(a, **kw), [x], np.ones_like(X_NONFINITE))
    close_nan(ours(X_NONFINITE, **kw), out)
    close_nan(grad(X_NONFINITE, **kw), gx)


@pytest.mark.parametrize(("ours", "grad", "theirs", "kw"), [
    (nn.selu, nn.selu_grad, F.selu, {}),
    (nn.softplus, nn.softplus_grad, F.softplus, {}),
    (nn.softplus, nn.softplus_grad, F.softplus, {"beta": 0.5, "threshold": 3.0}),
])
def test_new_activations(ours, grad, theirs, kw):
    x = t(X_EDGES)
    out, (gx,) = autograd(lambda a: theirs(a, **kw), [x], np.ones_like(X_EDGES))
    close(ours(X_EDGES, **kw), out)
    close(grad(X_EDGES, **kw), gx)


@pytest.mark.parametrize("weight", [[0.25], [0.1, 0.2, 0.3]])
def test_prelu_weight_grad(weight):
    x = np.concatenate([X_EDGES[1:], -X_EDGES[1:]]).reshape(2, 3, 2)
    dout = RNG.standard_normal(x.shape)
    wt = t(weight)
    F.prelu(t(x, False), wt).backward(torch.tensor(dout))
    close(nn.prelu_weight_grad(dout, x, weight), wt.grad)


@pytest.mark.parametrize("axis", [-1, 0])
def test_softmax_backward(axis):
    x, dout = RNG.standard_normal((3, 4)) * 3, RNG.standard_normal((3, 4))
    for ours, back, theirs in ((nn.softmax, nn.softmax_backward, torch.softmax),
                               (nn.log_softmax, nn.log_softmax_backward, torch.log_softmax)):
        xt = t(x)
        theirs(xt, axis).backward(torch.tensor(dout))
        close(back(dout, ours(x, axis), axis), xt.grad)


def test_softmax_nan_inf_and_empty():
    x = np.array([[np.inf, 0.0], [-np.inf, -np.inf], [np.nan, 1.0], [-np.inf, 0.0]])
    close_nan(nn.softmax(x), torch.softmax(t(x, False), -1))
    close_nan(nn.log_softmax(x), torch.log_softmax(t(x, False), -1))
    assert nn.softmax(np.empty((2, 0))).shape == torch.softmax(torch.empty(2, 0), -1).shape


@pytest.mark.parametrize(("ours", "grad", "theirs", "kw"), [
    (nn.sigmoid, nn.sigmoid_grad, torch.sigmoid, {}),
    (nn.tanh, nn.tanh_grad, torch.tanh, {}),
    (nn.relu, nn.relu_grad, F.relu, {}),
    (nn.leaky_relu, nn.leaky_relu_grad, F.leaky_relu, {"negative_slope": 0.2}),
    (nn.elu, nn.elu_grad, F.elu, {"alpha": 0.7}),
])
def test_activations(ours, grad, theirs, kw):
    x = t(X_EDGES)
    out, (gx,) = autograd(lambda a: theirs(a, **kw), [x], np.ones_like(X_EDGES))
    close(ours(X_EDGES, **kw), out)
    close(grad(X_EDGES, **kw), gx)


@pytest.mark.parametrize("weight", [[0.25], [0.1, 0.2, 0.3]])
def test_prelu(weight):
    x = np.concatenate([X_EDGES[1:], -X_EDGES[1:]]).reshape(2, 3, 2)
    xt = t(x)
    out, (gx,) = autograd(lambda a: F.prelu(a, torch.tensor(weight, dtype=torch.float64)), [xt],
                          np.ones_like(x))
    close(nn.prelu(x, weight), out)
    close(nn.prelu_grad(x, weight), gx)


def test_softmax_family():
    x = np.array([[1000.0, 1001.0, 0.0], [1.0, 2.0, 3.0]])
    close(nn.softmax(x), torch.softmax(t(x), -1))
    close(nn.log_softmax(x), torch.log_softmax(t(x), -1))
    close(nn.softmax(x, axis=0), torch.softmax(t(x), 0))


def test_losses():
    pred, target = RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4))
    pred[0, 0] = target[0, 0]
    for ours, grad, theirs in ((nn.mse_loss, nn.mse_loss_grad, F.mse_loss),
                               (nn.l1_loss, nn.l1_loss_grad, F.l1_loss)):
        p = t(pred)
        loss = theirs(p, t(target, False))
        loss.backward()
        assert ours(pred, target) == pytest.approx(loss.item(), rel=1e-12)
        close(grad(pred, target), p.grad)
    logits, cls = RNG.standard_normal((5, 3)) * 10, RNG.integers(0, 3, 5)
    z = t(logits)
    loss = F.cross_entropy(z, torch.tensor(cls))
    loss.backward()
    assert nn.cross_entropy(logits, cls) == pytest.approx(loss.item(), rel=1e-12)
    close(nn.cross_entropy_grad(logits, cls), z.grad)
    z1 = t(logits[0])
    loss = F.cross_entropy(z1, torch.tensor(cls[0]))
    loss.backward()
    assert nn.cross_entropy(logits[0], cls[0]) == pytest.approx(loss.item(), rel=1e-12)
    close(nn.cross_entropy_grad(logits[0], cls[0]), z1.grad)


def test_binary_cross_entropy_including_clamps():
    prob = np.array([0.0, 1.0, 0.3, 0.9, 1e-60, 0.5])
    target = np.array([1.0, 0.0, 0.0, 1.0, 1.0, 0.25])
    p = t(prob)
    loss = F.binary_cross_entropy(p, t(target, False))
    loss.backward()
    assert nn.binary_cross_entropy(prob, target) == pytest.approx(loss.item(), rel=1e-12)
    # torch's gradient floor is the float32 nearest 1e-12 (≈ 0.9999999960e-12): a 4e-9 difference
    np.testing.assert_allclose(nn.binary_cross_entropy_grad(prob, target), p.grad.numpy(),
                               rtol=1e-8)


@pytest.mark.parametrize("x_shape", [(4,), (3, 4), (2, 3, 4)])
def test_linear(x_shape):
    x, w, b = RNG.standard_normal(x_shape), RNG.standard_normal((5, 4)), RNG.standard_normal(5)
    out, cache = nn.linear_forward(x, w, b)
    dout = RNG.standard_normal(out.shape)
    ref, grads = autograd(F.linear, [t(x), t(w), t(b)], dout)
    close(out, ref)
    for ours, theirs in zip(nn.linear_backward(dout, cache), grads, strict=True):
        close(ours, theirs)


@pytest.mark.parametrize(("stride", "padding", "k"), [(1, 0, (3, 3)), (1, 1, (3, 3)),
                                                      (2, 1, (3, 2)), (3, 2, (5, 4))])
def test_conv2d(stride, padding, k):
    x, w, b = (RNG.standard_normal((2, 3, 9, 8)), RNG.standard_normal((4, 3) + k),
               RNG.standard_normal(4))
    out, cache = nn.conv2d_forward(x, w, b, stride, padding)
    dout = RNG.standard_normal(out.shape)
    ref, grads = autograd(lambda a, c, d: F.conv2d(a, c, d, stride, padding),
                          [t(x), t(w), t(b)], dout)
    close(out, ref)
    for ours, theirs in zip(nn.conv2d_backward(dout, cache), grads, strict=True):
        close(ours, theirs)


@pytest.mark.parametrize(("stride", "padding", "dilation", "groups", "k"), [
    (1, "same", 2, 2, (3, 3)), (1, "same", 1, 1, (2, 4)), (1, "valid", 1, 4, (3, 3)),
    ((2, 1), (1, 2), (1, 2), 2, (3, 2)), (2, 1, 3, 1, (2, 2)), (1, "same", (2, 1), 4, (4, 3))])
@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.filterwarnings("ignore:Using padding='same' with even kernel")
def test_conv2d_options(stride, padding, dilation, groups, k, bias):
    x = RNG.standard_normal((2, 4, 9, 8))
    w, b = RNG.standard_normal((8, 4 // groups) + k), RNG.standard_normal(8) if bias else None
    out, cache = nn.conv2d_forward(x, w, b, stride, padding, dilation, groups)
    dout = RNG.standard_normal(out.shape)
    inputs = [t(x), t(w)] + ([t(b)] if bias else [])
    ref, grads = autograd(lambda a, c, d=None: F.conv2d(a, c, d, stride, padding, dilation,
                                                        groups), inputs, dout)
    close(out, ref)
    ours = nn.conv2d_backward(dout, cache)
    for mine, theirs in zip(ours, grads + ([] if bias else [None]), strict=True):
        if theirs is None:
            assert mine is None
        else:
            close(mine, theirs)


def test_conv2d_unbatched():
    x, w, b = RNG.standard_normal((3, 6, 6)), RNG.standard_normal((2, 3, 3, 3)), np.zeros(2)
    out, cache = nn.conv2d_forward(x, w, b, padding="same")
    dout = RNG.standard_normal(out.shape)
    ref, grads = autograd(lambda a, c, d: F.conv2d(a, c, d, padding="same"),
                          [t(x), t(w), t(b)], dout)
    close(out, ref)
    for ours, theirs in zip(nn.conv2d_backward(dout, cache), grads, strict=True):
        close(ours, theirs)


@pytest.mark.parametrize(("k", "s"), [(2, None), (3, 2), (3, 1), ((2, 3), (1, 2))])
@pytest.mark.parametrize("ties", [False, True])
def test_pooling(k, s, ties):
    shape = (2, 3, 7, 8)
    x = RNG.integers(0, 3, shape).astype(float) if ties else RNG.standard_normal(shape)
    for fwd, bwd, theirs in ((nn.max_pool2d_forward, nn.max_pool2d_backward, F.max_pool2d),
                             (nn.avg_pool2d_forward, nn.avg_pool2d_backward, F.avg_pool2d)):
        out, cache = fwd(x, k, s)
        dout = RNG.standard_normal(out.shape)
        ref, (gx,) = autograd(lambda a, theirs=theirs: theirs(a, k, s), [t(x)], dout)
        close(out, ref)
        close(bwd(dout, cache), gx)


POOL_OPTIONS = [  # kernel, stride, padding, ceil_mode
    (3, 2, 1, False), (3, 2, 1, True), (2, 2, 0, True), ((3, 2), (2, 1), (1, 0), False),
    (3, 3, 1, True), (2, 1, 1, False)]


@pytest.mark.parametrize(("k", "s", "p", "ceil"), POOL_OPTIONS)
@pytest.mark.parametrize("include_pad", [True, False])
def test_pooling_options(k, s, p, ceil, include_pad):
    x = RNG.standard_normal((2, 3, 7, 8)) - 2.0
    out, idx, cache = nn.max_pool2d_forward(x, k, s, p, ceil, return_indices=True)
    dout = RNG.standard_normal(out.shape)
    xt = t(x)
    ref, ref_idx = F.max_pool2d(xt, k, s, p, ceil_mode=ceil, return_indices=True)
    ref.backward(torch.tensor(dout))
    close(out, ref)
    np.testing.assert_array_equal(idx, ref_idx.numpy())
    close(nn.max_pool2d_backward(dout, cache), xt.grad)
    out, cache = nn.avg_pool2d_forward(x, k, s, p, ceil, include_pad)
    ref, (gx,) = autograd(lambda a: F.avg_pool2d(a, k, s, p, ceil, include_pad), [t(x)], dout)
    close(out, ref)
    close(nn.avg_pool2d_backward(dout, cache), gx)


@pytest.mark.parametrize("size", [6, 100])
def test_pooling_nan_and_inf_as_torch(size):
    x = RNG.standard_normal((2, 2, size, size))
    x[0, 0, 1, 1], x[0, 0, 2, 3], x[0, 1, 0, 0], x[1, 0, 4, 4] = np.nan, np.nan, np.inf, -np.inf
    x[1, 1, :3, :3] = -np.inf
    for k, s, p, ceil in ((1, 1, 0, False), (2, 2, 0, False), (3, 2, 1, True), (3, 1, 1, False)):
        for ours_f, ours_b, theirs in ((nn.max_pool2d_forward, nn.max_pool2d_backward,
                                        F.max_pool2d),
                                       (nn.avg_pool2d_forward, nn.avg_pool2d_backward,
                                        F.avg_pool2d)):
            out, cache = ours_f(x, k, s, p, ceil)
            dout = RNG.standard_normal(out.shape)
            dout[0, 1, 0, 0] = np.nan
            xt = t(x)
            ref = theirs(xt, k, s, p, ceil_mode=ceil)
            ref.backward(torch.tensor(dout))
            close_nan(out, ref)
            close_nan(ours_b(dout, cache), xt.grad)


@pytest.mark.parametrize("training", [True, False])
def test_batchnorm(training):
    x = RNG.standard_normal((6, 4)) * 3 + 1
    gamma, beta = RNG.standard_normal(4), RNG.standard_normal(4)
    rm, rv = RNG.standard_normal(4), RNG.uniform(0.5, 2, 4)
    trm, trv = torch.tensor(rm), torch.tensor(rv)
    out, cache = nn.batchnorm_forward(x, gamma, beta, rm, rv, training, momentum=0.2)
    dout = RNG.standard_normal(out.shape)
    ref, grads = autograd(lambda a, g, bb: F.batch_norm(a, trm, trv, g, bb, training, 0.2, 1e-5),
                          [t(x), t(gamma), t(beta)], dout)
    close(out, ref)
    close(rm, trm)
    close(rv, trv)
    for ours, theirs in zip(nn.batchnorm_backward(dout, cache), grads, strict=True):
        close(ours, theirs)


@pytest.mark.parametrize("shape", [(4, 3, 5, 6), (5, 3, 7)])
@pytest.mark.parametrize("training", [True, False])
@pytest.mark.parametrize("affine", [True, False])
def test_batchnorm_images_and_no_affine(shape, training, affine):
    x = RNG.standard_normal(shape) * 2 - 1
    c = shape[1]
    module = (torch.nn.BatchNorm2d if len(shape) == 4 else torch.nn.BatchNorm1d)(
        c, momentum=0.3, affine=affine).double()
    gamma, beta = (RNG.standard_normal(c), RNG.standard_normal(c)) if affine else (None, None)
    rm, rv = RNG.standard_normal(c), RNG.uniform(0.5, 2, c)
    with torch.no_grad():
        module.running_mean.copy_(torch.tensor(rm))
        module.running_var.copy_(torch.tensor(rv))
        if affine:
            module.weight.copy_(torch.tensor(gamma))
            module.bias.copy_(torch.tensor(beta))
    module.train(training)
    out, cache = nn.batchnorm_forward(x, gamma, beta, rm, rv, training, momentum=0.3)
    dout = RNG.standard_normal(shape)
    xt = t(x)
    ref = module(xt)
    ref.backward(torch.tensor(dout))
    close(out, ref)
    close(rm, module.running_mean)
    close(rv, module.running_var)
    dx, dgamma, dbeta = nn.batchnorm_backward(dout, cache)
    close(dx, xt.grad)
    if affine:
        close(dgamma, module.weight.grad)
        close(dbeta, module.bias.grad)
    else:
        assert dgamma is None and dbeta is None


def test_batchnorm_cumulative_average_and_no_running_stats():
    module = torch.nn.BatchNorm1d(3, momentum=None).double()
    free = torch.nn.BatchNorm1d(3, track_running_stats=False).double()
    rm, rv = np.zeros(3), np.ones(3)
    for k in range(1, 5):
        x = RNG.standard_normal((6, 3)) * k + k
        out, _ = nn.batchnorm_forward(x, np.ones(3), np.zeros(3), rm, rv, momentum=None,
                                      num_batches_tracked=k)
        close(out, module(t(x, False)))
        close(nn.batchnorm_forward(x, None, None, None, None)[0], free(t(x, False)))
        free.eval()  # still batch statistics: it has none of its own
        close(nn.batchnorm_forward(x, None, None, None, None)[0], free(t(x, False)))
        free.train()
    close(rm, module.running_mean)
    close(rv, module.running_var)


@pytest.mark.parametrize("few_values", [2 ** 40, 0])  # either path of batchnorm_forward
def test_batchnorm_nan_and_inf(few_values, monkeypatch):
    from dlref.nn import batchnorm

    monkeypatch.setattr(batchnorm, "_FEW_VALUES", few_values)
    x = RNG.standard_normal((5, 6))
    x[0, 1], x[2, 2], x[3, 3] = np.nan, np.inf, -np.inf
    x[:, 4] *= 1e200  # finite, but the squares overflow
    x[:, 5] = 1e200 + 1e190 * x[:, 5]  # μ² overflows too
    rm, rv = np.zeros(6), np.ones(6)
    trm, trv = torch.zeros(6, dtype=torch.float64), torch.ones(6, dtype=torch.float64)
    out, cache = nn.batchnorm_forward(x, np.ones(6), np.zeros(6), rm, rv)
    xt = t(x)
    ref = F.batch_norm(xt, trm, trv, t(np.ones(6), False), t(np.zeros(6), False), True)
    dout = RNG.standard_normal(x.shape)
    ref.backward(torch.tensor(dout))
    close_nan(out, ref)
    close_nan(rm, trm)
    close_nan(rv, trv)
    close_nan(nn.batchnorm_backward(dout, cache)[0], xt.grad)


def test_dropout_scaling_matches():
    x = np.ones(10_000)
    out, _ = nn.dropout_forward(x, 0.25, rng=0)
    ref = F.dropout(torch.tensor(x), 0.25, training=True)
    assert set(np.unique(out)) == set(np.unique(ref.numpy()))
    close(nn.dropout_forward(x, 1.0)[0], F.dropout(torch.tensor(x), 1.0, training=True))


def copy_weights(module, w_ih, w_hh, b_ih, b_hh):
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.tensor(w_ih))
        module.weight_hh_l0.copy_(torch.tensor(w_hh))
        module.bias_ih_l0.copy_(torch.tensor(b_ih))
        module.bias_hh_l0.copy_(torch.tensor(b_hh))


@pytest.mark.parametrize("cell", ["rnn_tanh", "rnn_relu", "lstm", "gru"])
def test_recurrent(cell):
    tt, n, d, h = 6, 3, 4, 5
    gates = {"lstm": 4, "gru": 3}.get(cell, 1)
    x, h0, c0 = (RNG.standard_normal((tt, n, d)), RNG.standard_normal((n, h)),
                 RNG.standard_normal((n, h)))
    ws = [RNG.standard_normal((gates * h, d)) * 0.5, RNG.standard_normal((gates * h, h)) * 0.5,
          RNG.standard_normal(gates * h) * 0.3, RNG.standard_normal(gates * h) * 0.3]
    if cell == "lstm":
        module = torch.nn.LSTM(d, h).double()
        out, cache = nn.lstm_forward(x, h0, c0, *ws)
    elif cell == "gru":
        module = torch.nn.GRU(d, h).double()
        out, cache = nn.gru_forward(x, h0, *ws)
    else:
        nl = cell.split("_")[1]
        module = torch.nn.RNN(d, h, nonlinearity=nl).double()
        out, cache = nn.rnn_forward(x, h0, *ws, nonlinearity=nl)
    copy_weights(module, *ws)
    xt, h0t, c0t = t(x), t(h0[None]), t(c0[None])
    dout = RNG.standard_normal(out.shape)
    ref, final = module(xt, (h0t, c0t) if cell == "lstm" else h0t)
    ref.backward(torch.tensor(dout))
    close(out, ref)
    if cell == "lstm":
        close(cache.h_n, final[0][0])
        close(cache.c_n, final[1][0])
        grads = nn.lstm_backward(dout, cache)
        theirs = [xt.grad, h0t.grad[0], c0t.grad[0]]
    else:
        close(cache.h_n, final[0])
        grads = (nn.gru_backward if cell == "gru" else nn.rnn_backward)(dout, cache)
        theirs = [xt.grad, h0t.grad[0]]
    theirs += [module.weight_ih_l0.grad, module.weight_hh_l0.grad, module.bias_ih_l0.grad,
               module.bias_hh_l0.grad]
    assert len(grads) == len(theirs)
    for ours, ref_grad in zip(grads, theirs, strict=True):
        close(ours, ref_grad, tol=1e-9)


@pytest.mark.parametrize(("layers", "bidi", "bias"), [(1, False, True), (2, True, True),
                                                      (3, False, False)])
def test_num_params(layers, bidi, bias):
    def count(m):
        return sum(p.numel() for p in m.parameters())

    kw = {"num_layers": layers, "bidirectional": bidi, "bias": bias}
    assert nn.lstm_num_params(7, 11, **kw) == count(torch.nn.LSTM(7, 11, **kw))
    assert nn.gru_num_params(7, 11, **kw) == count(torch.nn.GRU(7, 11, **kw))
    assert nn.rnn_num_params(7, 11, **kw) == count(torch.nn.RNN(7, 11, **kw))
    assert nn.conv2d_num_params(3, 16, 5, 3, bias) == count(torch.nn.Conv2d(3, 16, (5, 3),
                                                                            bias=bias))
    assert nn.linear_num_params(7, 11, bias) == count(torch.nn.Linear(7, 11, bias=bias))


@pytest.mark.parametrize(("ours", "theirs", "kw"), [
    (nn.SGD, torch.optim.SGD, {"lr": 0.1}),
    (nn.SGD, torch.optim.SGD, {"lr": 0.1, "momentum": 0.9}),
    (nn.Adagrad, torch.optim.Adagrad, {"lr": 0.1}),
    (nn.RMSprop, torch.optim.RMSprop, {"lr": 0.01, "alpha": 0.9}),
    (nn.Adam, torch.optim.Adam, {"lr": 0.05, "betas": (0.8, 0.99)}),
    (nn.SGD, torch.optim.SGD, {"lr": 0.1, "momentum": 0.9, "nesterov": True}),
    (nn.SGD, torch.optim.SGD, {"lr": 0.1, "momentum": 0.8, "nesterov": True,
                               "weight_decay": 0.01}),
    (nn.SGD, torch.optim.SGD, {"lr": 0.1, "momentum": 0.9, "dampening": 0.3,
                               "weight_decay": 0.1}),
    (nn.Adam, torch.optim.Adam, {"lr": 0.05, "weight_decay": 0.1, "amsgrad": True}),
    (nn.Adam, torch.optim.Adam, {"lr": 0.05, "amsgrad": True}),
    (nn.RMSprop, torch.optim.RMSprop, {"lr": 0.01, "momentum": 0.9, "centered": True}),
    (nn.RMSprop, torch.optim.RMSprop, {"lr": 0.01, "weight_decay": 0.1, "centered": True}),
    (nn.RMSprop, torch.optim.RMSprop, {"lr": 0.01, "momentum": 0.5}),
])
def test_optimisers(ours, theirs, kw):
    p0 = [RNG.standard_normal((3, 2)), RNG.standard_normal(4)]
    mine = [p.copy() for p in p0]
    tp = [torch.tensor(p, requires_grad=True) for p in p0]
    opt, topt = ours(mine, **kw), theirs(tp, **kw)
    for _ in range(5):
        grads = [RNG.standard_normal(p.shape) for p in p0]
        opt.step(grads)
        for p, g in zip(tp, grads, strict=True):
            p.grad = torch.tensor(g)
        topt.step()
    for a, b in zip(mine, tp, strict=True):
        close(a, b, tol=1e-12)


@pytest.mark.parametrize("shape", [(5, 3), (16, 3, 3, 3), (4, 2, 5)])
def test_fans_and_gains(shape):
    from torch.nn.init import _calculate_fan_in_and_fan_out

    assert nn.compute_fans(shape) == _calculate_fan_in_and_fan_out(torch.empty(shape))
    for name in ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "selu"):
        assert nn.calculate_gain(name) == pytest.approx(torch.nn.init.calculate_gain(name))


def KAIMING_NORMAL_FAN_OUT(shape, rng):  # noqa: N802 (a constant, named as one)
    return nn.kaiming_normal(shape, rng, a=0.3, mode="fan_out")


@pytest.mark.parametrize(("ours", "theirs"), [
    (nn.xavier_uniform, torch.nn.init.xavier_uniform_),
    (nn.xavier_normal, torch.nn.init.xavier_normal_),
    (nn.kaiming_normal, lambda w: torch.nn.init.kaiming_normal_(w, nonlinearity="relu")),
    (nn.kaiming_uniform, lambda w: torch.nn.init.kaiming_uniform_(w, nonlinearity="relu")),
    (KAIMING_NORMAL_FAN_OUT, lambda w: torch.nn.init.kaiming_normal_(w, a=0.3, mode="fan_out")),
    (lambda s, rng: nn.kaiming_uniform(s, rng, mode="fan_out", nonlinearity="tanh"),
     lambda w: torch.nn.init.kaiming_uniform_(w, mode="fan_out", nonlinearity="tanh")),
    (lambda s, rng: nn.default_init(s, rng)[0],
     lambda w: torch.nn.init.kaiming_uniform_(w, a=5 ** 0.5)),
    (lambda s, rng: nn.trunc_normal(s, std=0.5, a=-0.4, b=0.6, rng=rng),
     lambda w: torch.nn.init.trunc_normal_(w, std=0.5, a=-0.4, b=0.6)),
])
def test_init_spread(ours, theirs):
    shape = (256, 64, 3, 3)
    torch.manual_seed(0)
    ref = theirs(torch.empty(shape, dtype=torch.float64)).numpy()
    assert ours(shape, rng=0).std() == pytest.approx(ref.std(), rel=0.01)
    assert np.abs(ours(shape, rng=0)).max() == pytest.approx(np.abs(ref).max(), rel=0.02) \
        or ours in (nn.xavier_normal, nn.kaiming_normal, KAIMING_NORMAL_FAN_OUT)


@pytest.mark.parametrize(("cell", "layers", "bidi", "bias", "batch_first"), [
    ("lstm", 2, True, True, False),  # the acceptance case
    ("lstm", 2, True, False, True),
    ("lstm", 3, False, True, False),
    ("gru", 2, True, True, True),
    ("rnn", 2, True, False, False),
])
def test_recurrent_stacks(cell, layers, bidi, bias, batch_first):
    tt, n, d, h = 5, 3, 4, 3
    dirs = 2 if bidi else 1
    module = {"lstm": torch.nn.LSTM, "gru": torch.nn.GRU, "rnn": torch.nn.RNN}[cell](
        d, h, num_layers=layers, bidirectional=bidi, bias=bias, batch_first=batch_first).double()
    weights = []
    for layer in range(layers):
        weights.append([])
        for k in range(dirs):
            suffix = f"_l{layer}" + ("_reverse" if k else "")
            names = ["weight_ih", "weight_hh"] + (["bias_ih", "bias_hh"] if bias else [])
            ws = [getattr(module, nm + suffix).detach().numpy().copy() for nm in names]
            weights[-1].append(tuple(ws) if bias else (ws[0], ws[1], None, None))
    x = RNG.standard_normal((n, tt, d) if batch_first else (tt, n, d))
    n_states = 2 if cell == "lstm" else 1
    states = tuple(RNG.standard_normal((layers * dirs, n, h)) for _ in range(n_states))
    out, cache = nn.recurrent_stack_forward(cell, x, states, weights, batch_first=batch_first)
    xt, st = t(x), [t(s) for s in states]
    ref, final = module(xt, tuple(st) if cell == "lstm" else st[0])
    finals = final if cell == "lstm" else (final,)
    close(out, ref)
    close(cache.h_n, finals[0])
    if cell == "lstm":
        close(cache.c_n, finals[1])
    dout = RNG.standard_normal(out.shape)
    dfinal = tuple(RNG.standard_normal(s.shape) for s in states)
    torch.autograd.backward([ref, *finals], [torch.tensor(dout)]
                            + [torch.tensor(g) for g in dfinal])
    dx, dstate0, dweights = nn.recurrent_stack_backward(dout, cache, dfinal)
    close(dx, xt.grad, tol=1e-9)
    for ours, theirs in zip(dstate0, st, strict=True):
        close(ours, theirs.grad, tol=1e-9)
    for layer in range(layers):
        for k in range(dirs):
            suffix = f"_l{layer}" + ("_reverse" if k else "")
            names = ["weight_ih", "weight_hh"] + (["bias_ih", "bias_hh"] if bias else [])
            for nm, g in zip(names, dweights[layer][k], strict=False):
                close(g, getattr(module, nm + suffix).grad, tol=1e-9)
            if not bias:
                assert dweights[layer][k][2:] == (None, None)


def test_lstm_final_cell_state_gradient():
    tt, n, d, h = 6, 2, 3, 4
    module = torch.nn.LSTM(d, h).double()
    ws = [p.detach().numpy().copy() for p in module.parameters()]
    x = RNG.standard_normal((tt, n, d))
    out, cache = nn.lstm_forward(x, None, None, *ws)
    xt = t(x)
    ref, (hn, cn) = module(xt)
    dc_n = RNG.standard_normal((n, h))
    cn.backward(torch.tensor(dc_n[None]))
    grads = nn.lstm_backward(np.zeros(out.shape), cache, dc_n=dc_n)
    close(grads[0], xt.grad, tol=1e-9)
    for ours, p in zip(grads[3:], module.parameters(), strict=True):
        close(ours, p.grad, tol=1e-9)


def test_lstm_saturated_gates_as_torch():
    x = np.array([[[1.0]]])
    b = np.array([-40.0, -45.0, 0.5, -38.0])
    out, cache = nn.lstm_forward(x, [[0.0]], [[2.0]], np.ones((4, 1)), np.zeros((4, 1)), b,
                                 np.zeros(4))
    module = torch.nn.LSTM(1, 1).double()
    with torch.no_grad():
        module.weight_ih_l0.copy_(torch.ones(4, 1))
        module.weight_hh_l0.zero_()
        module.bias_ih_l0.copy_(torch.tensor(b))
        module.bias_hh_l0.zero_()
    ref, (_, cn) = module(t(x, False), (torch.zeros(1, 1, 1, dtype=torch.float64),
                                        torch.full((1, 1, 1), 2.0, dtype=torch.float64)))
    np.testing.assert_allclose(out, ref.detach().numpy(), rtol=1e-14, atol=0)
    np.testing.assert_allclose(cache.c_n, cn[0].detach().numpy(), rtol=1e-14, atol=0)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("shape", [(6, 4), (3, 4, 2, 3), (4,)])
@pytest.mark.parametrize("probabilities", [False, True])
def test_cross_entropy_options(reduction, shape, probabilities):
    z = RNG.standard_normal(shape) * 3
    c = shape[0] if len(shape) == 1 else shape[1]
    w = RNG.uniform(0.2, 3.0, c)
    if probabilities:
        y = nn.softmax(RNG.standard_normal(shape), axis=0 if len(shape) == 1 else 1)
        ty, kw = torch.tensor(y), {}
    else:
        y = RNG.integers(0, c, () if len(shape) == 1 else (shape[0],) + shape[2:])
        if y.ndim:
            y.flat[[0, -1]] = -100
        ty, kw = torch.tensor(y), {"ignore_index": -100}
    zt = t(z)
    ref = F.cross_entropy(zt, ty, weight=torch.tensor(w), reduction=reduction, **kw)
    dout = RNG.standard_normal(ref.shape)
    ref.backward(torch.tensor(dout) if reduction == "none" else None)
    ours = nn.cross_entropy(z, y, weight=w, reduction=reduction, **kw)
    close(np.asarray(ours), ref)
    grad = nn.cross_entropy_grad(z, y, weight=w, reduction=reduction,
                                 dout=dout if reduction == "none" else None, **kw)
    close(grad, zt.grad)


@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
def test_nll_huber_bce_with_logits(reduction):
    lp = nn.log_softmax(RNG.standard_normal((5, 3)))
    y = RNG.integers(0, 3, 5)
    y[2] = 7
    w = RNG.uniform(0.5, 2.0, 3)
    lpt = t(lp)
    ref = F.nll_loss(lpt, torch.tensor(y), weight=torch.tensor(w), ignore_index=7,
                     reduction=reduction)
    dout = RNG.standard_normal(ref.shape)
    ref.backward(torch.tensor(dout) if reduction == "none" else None)
    close(np.asarray(nn.nll_loss(lp, y, w, 7, reduction)), ref)
    close(nn.nll_loss_grad(lp, y, w, 7, reduction, dout if reduction == "none" else None),
          lpt.grad)
    pred, target = RNG.standard_normal((4, 3)) * 3, RNG.uniform(0, 1, (4, 3))
    pos, wt = RNG.uniform(0.5, 3, 3), RNG.uniform(0.5, 2, (4, 1))
    for ours, grad, theirs, kw, tkw in (
            (nn.huber_loss, nn.huber_loss_grad, F.huber_loss, {"delta": 1.3}, {"delta": 1.3}),
            (nn.mse_loss, nn.mse_loss_grad, F.mse_loss, {}, {}),
            (nn.binary_cross_entropy_with_logits, nn.binary_cross_entropy_with_logits_grad,
             F.binary_cross_entropy_with_logits, {"weight": wt, "pos_weight": pos},
             {"weight": torch.tensor(wt), "pos_weight": torch.tensor(pos)})):
        p = t(pred)
        ref = theirs(p, t(target, False), reduction=reduction, **tkw)
        dout = RNG.standard_normal(ref.shape)
        ref.backward(torch.tensor(dout) if reduction == "none" else None)
        close(np.asarray(ours(pred, target, **kw, reduction=reduction)), ref)
        close(grad(pred, target, **kw, reduction=reduction,
                   dout=dout if reduction == "none" else None), p.grad)


def test_cross_entropy_weight_ignore_index_acceptance():
    """The issue's case: cross_entropy(logits, y, weight=w, ignore_index=-100)."""
    logits, y = RNG.standard_normal((8, 5)), RNG.integers(0, 5, 8)
    y[[1, 4]] = -100
    w = RNG.uniform(0.1, 2.0, 5)
    ref = F.cross_entropy(t(logits), torch.tensor(y), weight=torch.tensor(w), ignore_index=-100)
    assert nn.cross_entropy(logits, y, weight=w, ignore_index=-100) == pytest.approx(
        ref.item(), rel=1e-12)


def _poison(a, seed):
    """a with a NaN, a +inf and a −inf at places fixed by seed."""
    a = a.copy()
    flat = np.random.default_rng(seed).choice(a.size, 3, replace=False)
    a.flat[flat] = [np.nan, np.inf, -np.inf]
    return a


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_conv_linear_lstm_nan_and_inf_as_torch():
    x, w, b = _poison(RNG.standard_normal((2, 3, 7, 7)), 1), RNG.standard_normal((4, 3, 3, 3)), \
        RNG.standard_normal(4)
    out, cache = nn.conv2d_forward(x, w, b, 2, 1)
    dout = RNG.standard_normal(out.shape)
    ref, grads = autograd(lambda a, c, d: F.conv2d(a, c, d, 2, 1), [t(x), t(w), t(b)], dout)
    close_nan(out, ref)
    for ours, theirs in zip(nn.conv2d_backward(dout, cache), grads, strict=True):
        close_nan(ours, theirs)
    x, w, b = _poison(RNG.standard_normal((5, 4)), 2), RNG.standard_normal((3, 4)), np.zeros(3)
    out, cache = nn.linear_forward(x, w, b)
    dout = RNG.standard_normal(out.shape)
    ref, grads = autograd(F.linear, [t(x), t(w), t(b)], dout)
    close_nan(out, ref)
    for ours, theirs in zip(nn.linear_backward(dout, cache), grads, strict=True):
        close_nan(ours, theirs)
    module = torch.nn.LSTM(3, 2).double()
    ws = [p.detach().numpy().copy() for p in module.parameters()]
    x = RNG.standard_normal((4, 2, 3))
    x[1, 0, 2] = np.nan  # sample 0 from step 1 on is NaN; sample 1 stays finite
    out, cache = nn.lstm_forward(x, None, None, *ws)
    close_nan(out, module(t(x, False))[0])
    assert np.isfinite(out[:, 1]).all() and np.isnan(out[1:, 0]).all()


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
@pytest.mark.parametrize("reduction", ["mean", "sum", "none"])
@pytest.mark.parametrize("label_smoothing", [0.0, 0.1])
def test_class_losses_with_masked_logits_and_ignored_nan_as_torch(reduction, label_smoothing):
    z = RNG.standard_normal((5, 4))
    z[0, 1] = z[3, 2] = -np.inf  # masked classes that are not the target
    z[1, 0] = np.nan  # an ignored sample
    y = np.array([0, -100, 2, 1, 3])
    w = RNG.uniform(0.5, 2.0, 4)
    dout = RNG.standard_normal(5) if reduction == "none" else None
    zt = t(z)
    ref = F.cross_entropy(zt, torch.tensor(y), torch.tensor(w), reduction=reduction,
                          label_smoothing=label_smoothing)
    ref.backward(None if dout is None else torch.tensor(dout))
    kw = {"weight": w, "reduction": reduction, "label_smoothing": label_smoothing}
    close_nan(np.asarray(nn.cross_entropy(z, y, **kw)), ref)
    close_nan(nn.cross_entropy_grad(z, y, **kw, dout=dout), zt.grad)
    lp = nn.log_softmax(z)
    lpt = t(lp)
    ref = F.nll_loss(lpt, torch.tensor(y), torch.tensor(w), reduction=reduction)
    ref.backward(None if dout is None else torch.tensor(dout))
    close_nan(np.asarray(nn.nll_loss(lp, y, w, reduction=reduction)), ref)
    close_nan(nn.nll_loss_grad(lp, y, w, reduction=reduction, dout=dout), lpt.grad)


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_pointwise_losses_nan_and_inf_as_torch():
    pred = np.array([np.nan, 1.0, np.inf, np.inf, -np.inf, 2.0, -np.inf, 0.5])
    target = np.array([0.0, np.nan, np.inf, 0.0, 1.0, 2.0, 0.3, 1.0])
    for ours, grad, theirs in ((nn.l1_loss, nn.l1_loss_grad, F.l1_loss),
                               (nn.mse_loss, nn.mse_loss_grad, F.mse_loss),
                               (nn.huber_loss, nn.huber_loss_grad, F.huber_loss)):
        p = t(pred)
        ref = theirs(p, t(target, False), reduction="none")
        ref.backward(torch.ones(len(pred), dtype=torch.float64))
        close_nan(ours(pred, target, reduction="none"), ref)
        close_nan(grad(pred, target, reduction="none"), p.grad)
    y, pw = np.array([0.0, 0.5, 1.0] * 3), np.array([1.0, 2.0, 0.5] * 3)
    z = np.repeat([-np.inf, np.inf, np.nan], 3)
    zt = t(z)
    ref = F.binary_cross_entropy_with_logits(zt, t(y, False), pos_weight=t(pw, False),
                                             reduction="none")
    ref.backward(torch.ones(len(z), dtype=torch.float64))
    close_nan(nn.binary_cross_entropy_with_logits(z, y, pos_weight=pw, reduction="none"), ref)
    close_nan(nn.binary_cross_entropy_with_logits_grad(z, y, pos_weight=pw, reduction="none"),
              zt.grad)
