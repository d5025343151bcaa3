"""RNN, LSTM and GRU over several steps: hand-checked values, BPTT against finite differences,
the cache fields the demos read, parameter counts, errors."""

from __future__ import annotations

import math

import numpy as np
import pytest
from gradcheck import assert_grad

from dlref import nn

T, N, D, H = 4, 2, 3, 3


def params(gates, seed):
    rng = np.random.default_rng(seed)
    return dict(x=rng.standard_normal((T, N, D)), h0=rng.standard_normal((N, H)) * 0.5,
                w_ih=rng.standard_normal((gates * H, D)) * 0.5,
                w_hh=rng.standard_normal((gates * H, H)) * 0.5,
                b_ih=rng.standard_normal(gates * H) * 0.1,
                b_hh=rng.standard_normal(gates * H) * 0.1)


def check_all_grads(forward, backward, args, names):
    out, cache = forward(**args)
    dout = np.random.default_rng(99).standard_normal(out.shape)
    grads = backward(dout, cache)
    assert len(grads) == len(names)
    for name, g in zip(names, grads, strict=True):
        assert g.shape == args[name].shape, name
        assert_grad(g, lambda: forward(**args)[0], args[name], dout)


@pytest.mark.parametrize("nonlinearity", ["tanh", "relu"])
def test_rnn_gradients(nonlinearity):
    args = params(1, 10)

    def fwd(**a):
        return nn.rnn_forward(**a, nonlinearity=nonlinearity)

    check_all_grads(fwd, nn.rnn_backward, args, ["x", "h0", "w_ih", "w_hh", "b_ih", "b_hh"])


def test_lstm_gradients():
    args = params(4, 11)
    args["c0"] = np.random.default_rng(12).standard_normal((N, H))
    check_all_grads(nn.lstm_forward, nn.lstm_backward, args,
                    ["x", "h0", "c0", "w_ih", "w_hh", "b_ih", "b_hh"])


def test_gru_gradients():
    args = params(3, 13)
    check_all_grads(nn.gru_forward, nn.gru_backward, args,
                    ["x", "h0", "w_ih", "w_hh", "b_ih", "b_hh"])


def test_lstm_gradient_only_on_last_state():
    args = params(4, 14)
    args["c0"] = np.zeros((N, H))
    out, cache = nn.lstm_forward(**args)
    dout = np.zeros(out.shape)
    dout[-1] = 1.0  # a loss on h_T alone
    grads = nn.lstm_backward(dout, cache)
    assert_grad(grads[0], lambda: nn.lstm_forward(**args)[0], args["x"], dout)


def test_rnn_hand_computed():
    x = np.array([[[1.0]], [[0.0]]])
    out, cache = nn.rnn_forward(x, [[0.0]], [[1.0]], [[0.5]], [0.0], [0.0])
    np.testing.assert_allclose(out.ravel(), [math.tanh(1.0), math.tanh(0.5 * math.tanh(1.0))])
    np.testing.assert_array_equal(cache.h_n, out[-1])
    out, _ = nn.rnn_forward(-x, [[0.0]], [[1.0]], [[0.5]], [0.0], [0.0], nonlinearity="relu")
    np.testing.assert_array_equal(out.ravel(), [0.0, 0.0])


def test_lstm_hand_computed_with_zero_weights():
    # every pre-activation is 0: i = f = o = σ(0) = ½, g = tanh(0) = 0, so c halves each step
    c0 = np.array([[2.0]])
    out, cache = nn.lstm_forward(np.zeros((3, 1, 1)), [[0.0]], c0, np.zeros((4, 1)),
                                 np.zeros((4, 1)), np.zeros(4), np.zeros(4))
    np.testing.assert_allclose(cache.c[1:].ravel(), [1.0, 0.5, 0.25])
    np.testing.assert_allclose(out.ravel(), 0.5 * np.tanh([1.0, 0.5, 0.25]))
    gates = nn.lstm_gates(cache)
    np.testing.assert_allclose(gates["f"], 0.5)
    np.testing.assert_allclose(gates["g"], 0.0)
    assert set(gates) == {"i", "f", "g", "o", "c"}
    assert cache.c_n[0, 0] == 0.25 and cache.h_n[0, 0] == out[-1, 0, 0]


def test_gru_hand_computed_with_zero_weights():
    # r = z = ½ and n = tanh(0) = 0, so h′ = ½·h
    out, cache = nn.gru_forward(np.zeros((3, 1, 1)), [[4.0]], np.zeros((3, 1)), np.zeros((3, 1)),
                                np.zeros(3), np.zeros(3))
    np.testing.assert_allclose(out.ravel(), [2.0, 1.0, 0.5])
    gates = nn.gru_gates(cache)
    assert set(gates) == {"r", "z", "n"} and gates["z"].shape == (3, 1, 1)
    np.testing.assert_allclose(gates["r"], 0.5)


def test_gru_uses_pytorch_reset_placement():
    # with r applied to (W_hn h + b_hn), b_hn is scaled by r while b_in is not
    z = np.zeros((3, 1))
    b_hh = np.array([0.0, -50.0, 1.0])  # z ≈ 0, so h′ ≈ n; b_hn = 1 on the hidden side
    out, _ = nn.gru_forward(np.zeros((1, 1, 1)), [[0.0]], z, z, np.zeros(3), b_hh)
    np.testing.assert_allclose(out.ravel(), [math.tanh(0.5)], atol=1e-12)


def test_gate_shapes_for_plotting():
    args = params(4, 15)
    out, cache = nn.lstm_forward(c0=np.zeros((N, H)), **args)
    assert out.shape == (T, N, H) and cache.h.shape == (T + 1, N, H)
    assert all(g.shape == (T, N, H) for g in nn.lstm_gates(cache).values())
    np.testing.assert_array_equal(cache.h[1:], out)


def test_num_params_match_pytorch_counts():
    assert nn.rnn_num_params(10, 20) == 640
    assert nn.lstm_num_params(10, 20) == 2560
    assert nn.gru_num_params(10, 20) == 1920
    assert nn.lstm_num_params(10, 20, num_layers=2, bidirectional=True) == 15040
    assert nn.lstm_num_params(10, 20, bias=False) == 2400


def test_errors_name_the_shapes():
    a = params(4, 16)
    c0 = np.zeros((N, H))
    with pytest.raises(ValueError, match=r"x must have shape \(T, N, D\); got \(2, 3\)"):
        nn.lstm_forward(np.ones((2, 3)), a["h0"], c0, a["w_ih"], a["w_hh"], a["b_ih"], a["b_hh"])
    with pytest.raises(ValueError, match=r"w_ih must have shape \(4·H, D\) = \(12, 3\); "
                                         r"got \(9, 3\)"):
        nn.lstm_forward(a["x"], a["h0"], c0, a["w_ih"][:9], a["w_hh"], a["b_ih"], a["b_hh"])
    with pytest.raises(ValueError, match=r"h0 must have shape \(N, H\) with N=2"):
        nn.gru_forward(a["x"], np.zeros((3, H)), a["w_ih"][:9], a["w_hh"][:9], a["b_ih"][:9],
                       a["b_hh"][:9])
    with pytest.raises(ValueError, match=r"c0 must have shape \(N, H\) = \(2, 3\)"):
        nn.lstm_forward(a["x"], a["h0"], np.zeros((2, 4)), a["w_ih"], a["w_hh"], a["b_ih"],
                        a["b_hh"])
    with pytest.raises(ValueError, match=r"b_hh must have shape \(H,\) = \(3,\)"):
        nn.rnn_forward(a["x"], a["h0"], a["w_ih"][:3], a["w_hh"][:3], a["b_ih"][:3], np.ones(4))
    with pytest.raises(ValueError, match="nonlinearity must be 'tanh' or 'relu'"):
        nn.rnn_forward(a["x"], a["h0"], a["w_ih"][:3], a["w_hh"][:3], a["b_ih"][:3],
                       a["b_hh"][:3], nonlinearity="sigmoid")
    _, cache = nn.lstm_forward(a["x"], a["h0"], c0, a["w_ih"], a["w_hh"], a["b_ih"], a["b_hh"])
    with pytest.raises(ValueError, match=r"dh must have shape \(T, N, H\) = \(4, 2, 3\)"):
        nn.lstm_backward(np.ones((2, 3)), cache)
    with pytest.raises(ValueError, match="hidden_size must be an integer >= 1"):
        nn.lstm_num_params(10, 0)


def test_lstm_backward_takes_the_gradients_of_the_final_states():
    args = params(4, 21)
    args["c0"] = np.random.default_rng(22).standard_normal((N, H))
    rng = np.random.default_rng(23)
    out, cache = nn.lstm_forward(**args)
    dout, dh_n, dc_n = (rng.standard_normal(out.shape), rng.standard_normal((N, H)),
                        rng.standard_normal((N, H)))
    grads = nn.lstm_backward(dout, cache, dh_n=dh_n, dc_n=dc_n)

    def loss():
        o, c = nn.lstm_forward(**args)
        return np.sum(o * dout) + np.sum(c.h_n * dh_n) + np.sum(c.c_n * dc_n)

    for name, g in zip(["x", "h0", "c0", "w_ih", "w_hh", "b_ih"], grads, strict=False):
        assert_grad(g, loss, args[name])
    # with no recurrent weights, a loss on c_T reaches c0 only through the forget gates:
    # dc0 = dc_n ⊙ Π f
    args["w_hh"] = np.zeros_like(args["w_hh"])
    out, cache = nn.lstm_forward(**args)
    only_c = nn.lstm_backward(np.zeros(out.shape), cache, dc_n=dc_n)
    f = nn.lstm_gates(cache)["f"]
    np.testing.assert_allclose(only_c[2], dc_n * np.prod(f, axis=0), rtol=1e-14)


@pytest.mark.parametrize("cell", ["rnn", "gru"])
def test_dh_n_is_the_gradient_of_the_final_hidden_state(cell):
    gates = {"rnn": 1, "gru": 3}[cell]
    args = params(gates, 24)
    fwd, bwd = {"rnn": (nn.rnn_forward, nn.rnn_backward),
                "gru": (nn.gru_forward, nn.gru_backward)}[cell]
    out, cache = fwd(**args)
    dh_n = np.random.default_rng(25).standard_normal((N, H))
    dx = bwd(np.zeros(out.shape), cache, dh_n=dh_n)[0]
    assert_grad(dx, lambda: np.sum(fwd(**args)[1].h_n * dh_n), args["x"])


def test_lstm_gates_are_nn_sigmoid():
    """σ(−40) ≈ 4e-18 is representable; ½ + ½·tanh(−20) would round it to 0."""
    w_ih = np.zeros((4, 1))
    _, cache = nn.lstm_forward([[[1.0]]], [[0.0]], [[0.0]], w_ih, np.zeros((4, 1)),
                               np.array([-40.0, -40.0, 0.0, -40.0]), np.zeros(4))
    gates = nn.lstm_gates(cache)
    assert gates["i"].item() == nn.sigmoid(-40.0) > 0.0
    assert gates["o"].item() == nn.sigmoid(-40.0)


def test_defaults_zero_states_and_no_bias():
    args = params(4, 26)
    z = np.zeros((N, H))
    out, cache = nn.lstm_forward(args["x"], None, None, args["w_ih"], args["w_hh"], None, None)
    ref, _ = nn.lstm_forward(args["x"], z, z, args["w_ih"], args["w_hh"], np.zeros(4 * H),
                             np.zeros(4 * H))
    np.testing.assert_array_equal(out, ref)
    grads = nn.lstm_backward(np.ones(out.shape), cache)
    assert grads[-2:] == (None, None)
    with pytest.raises(ValueError, match="b_ih and b_hh must both be arrays or both be None"):
        nn.gru_forward(args["x"], None, args["w_ih"][:9], args["w_hh"][:9], None, np.zeros(9))


def stack_weights(cell, layers, dirs, d, h, bias, seed):
    gates = {"rnn": 1, "lstm": 4, "gru": 3}[cell]
    rng = np.random.default_rng(seed)
    return [[(rng.standard_normal((gates * h, d if layer == 0 else dirs * h)) * 0.4,
              rng.standard_normal((gates * h, h)) * 0.4,
              rng.standard_normal(gates * h) * 0.1 if bias else None,
              rng.standard_normal(gates * h) * 0.1 if bias else None)
             for _ in range(dirs)] for layer in range(layers)]


@pytest.mark.parametrize("cell", ["lstm", "gru", "rnn"])
def test_two_layer_bidirectional_stack_gradients(cell):
    rng = np.random.default_rng(30)
    layers, dirs, t, n, d, h = 2, 2, 3, 2, 2, 2
    weights = stack_weights(cell, layers, dirs, d, h, True, 31)
    x = rng.standard_normal((t, n, d))
    states = tuple(rng.standard_normal((layers * dirs, n, h)) * 0.5
                   for _ in range(2 if cell == "lstm" else 1))
    out, cache = nn.recurrent_stack_forward(cell, x, states, weights)
    assert out.shape == (t, n, dirs * h) and cache.h_n.shape == (layers * dirs, n, h)
    dout = rng.standard_normal(out.shape)
    dfinal = tuple(rng.standard_normal(s.shape) for s in states)
    dx, dstate0, dweights = nn.recurrent_stack_backward(dout, cache, dfinal)

    def loss():
        o, c = nn.recurrent_stack_forward(cell, x, states, weights)
        finals = (c.h_n, c.c_n) if cell == "lstm" else (c.h_n,)
        return np.sum(o * dout) + sum(np.sum(f * g) for f, g in zip(finals, dfinal, strict=True))

    assert_grad(dx, loss, x)
    for s, g in zip(states, dstate0, strict=True):
        assert_grad(g, loss, s)
    for layer in range(layers):
        for dd in range(dirs):
            for k in range(4):
                # some entries are ~1e-5, where differences carry ~1e-11 of rounding noise
                assert_grad(dweights[layer][dd][k], loss, weights[layer][dd][k], tol=1e-5)


def test_stack_of_one_is_the_kernel_and_layouts_agree():
    args = params(4, 32)
    args["c0"] = np.zeros((N, H))
    w = [[(args["w_ih"], args["w_hh"], args["b_ih"], args["b_hh"])]]
    out, _ = nn.lstm_forward(**args)
    stacked, _ = nn.recurrent_stack_forward("lstm", args["x"], (args["h0"][None], None), w)
    np.testing.assert_array_equal(out, stacked)
    bf, _ = nn.recurrent_stack_forward("lstm", args["x"].swapaxes(0, 1),
                                       (args["h0"][None], None), w, batch_first=True)
    np.testing.assert_array_equal(bf, out.swapaxes(0, 1))
    single, c = nn.recurrent_stack_forward("lstm", args["x"][:, 0], (args["h0"][None, 0], None), w)
    np.testing.assert_allclose(single, out[:, 0], atol=1e-15)
    assert c.h_n.shape == (1, H)


def test_stack_errors():
    w = stack_weights("lstm", 1, 1, D, H, True, 33)
    x = np.ones((T, N, D))
    with pytest.raises(ValueError, match="cell must be 'rnn', 'lstm' or 'gru'"):
        nn.recurrent_stack_forward("transformer", x, None, w)
    with pytest.raises(ValueError, match="weights must be a list over layers"):
        nn.recurrent_stack_forward("lstm", x, None, [])
    with pytest.raises(ValueError, match="every layer of weights must list 1 direction"):
        nn.recurrent_stack_forward("lstm", x, None, [w[0] * 3])
    with pytest.raises(ValueError, match=r"h0 must have shape \(layers·dirs, N, H\)"):
        nn.recurrent_stack_forward("lstm", x, (np.zeros((2, N, H)), None), w)
    with pytest.raises(ValueError, match=r"state0 for lstm must be None or \(h0, c0\)"):
        nn.recurrent_stack_forward("lstm", x, (np.zeros((1, N, H)),), w)
