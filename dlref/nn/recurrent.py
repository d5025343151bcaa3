"""Recurrent layers over a whole sequence (one layer, one direction), as torch.nn.RNN/LSTM/GRU.

Shapes: x (T, N, D) time-major, h0 and c0 (N, H), w_ih (G·H, D), w_hh (G·H, H), b_ih and b_hh
(G·H,), with G = 1 (RNN), 4 (LSTM, gates i, f, g, o) or 3 (GRU, gates r, z, n). The output is
every hidden state, (T, N, H); out[-1] is the final hidden state h_T. Each cache is a small
dataclass whose fields the demos can read (the hidden states over time, the gates).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float, as_float_ndim, check_shape, pos_int
from dlref.nn.activations import sigmoid


def _check(name: str, gates: int, x: npt.ArrayLike, h0: npt.ArrayLike, w_ih: npt.ArrayLike,
           w_hh: npt.ArrayLike, b_ih: npt.ArrayLike, b_hh: npt.ArrayLike):
    """All arguments as float64 arrays, checked against x (T, N, D) and h0 (N, H)."""
    x = as_float_ndim(name, "x", x, 3, "(T, N, D)")
    _, n, d = x.shape
    h0 = as_float_ndim(name, "h0", h0, 2, f"(N, H) with N={n} matching x (T, N, D)")
    if h0.shape[0] != n:
        raise ValueError(f"{name}: h0 must have shape (N, H) with N={n} matching x (T, N, D); "
                         f"got {h0.shape}")
    h = h0.shape[1]
    g = "" if gates == 1 else f"{gates}·"
    w_ih, w_hh, b_ih, b_hh = (as_float(a) for a in (w_ih, w_hh, b_ih, b_hh))
    check_shape(name, "w_ih", w_ih, (gates * h, d), f"({g}H, D) = ({gates * h}, {d})")
    check_shape(name, "w_hh", w_hh, (gates * h, h), f"({g}H, H) = ({gates * h}, {h})")
    check_shape(name, "b_ih", b_ih, (gates * h,), f"({g}H,) = ({gates * h},)")
    check_shape(name, "b_hh", b_hh, (gates * h,), f"({g}H,) = ({gates * h},)")
    return x, h0, w_ih, w_hh, b_ih, b_hh


def _check_dh(name: str, dh: npt.ArrayLike, shape: tuple[int, ...]) -> np.ndarray:
    dh = as_float(dh)
    check_shape(name, "dh", dh, shape, f"(T, N, H) = {shape}, the shape of out")
    return dh


def _wb_grads(da: np.ndarray, inp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """From the gradients da (T, N, G·H) on pre-activations a = inp Wᵀ + b over all steps:
    dW = Σₜ daₜᵀ inpₜ and db = Σₜ Σₙ daₜ, as one matmul over every step at once."""
    d2 = da.reshape(-1, da.shape[-1])
    return d2.T @ inp.reshape(-1, inp.shape[-1]), d2.sum(axis=0)


# ---------------------------------------------------------------- plain RNN

@dataclass(frozen=True)
class RNNCache:
    """x (T, N, D); h (T+1, N, H) with h[0] = h0 and h[t+1] = out[t]; the weights."""

    x: np.ndarray
    h: np.ndarray
    w_ih: np.ndarray
    w_hh: np.ndarray
    nonlinearity: str

    @property
    def h_n(self) -> np.ndarray:
        """The final hidden state h_T (N, H)."""
        return self.h[-1]


def rnn_forward(x: npt.ArrayLike, h0: npt.ArrayLike, w_ih: npt.ArrayLike, w_hh: npt.ArrayLike,
                b_ih: npt.ArrayLike, b_hh: npt.ArrayLike,
                nonlinearity: str = "tanh") -> tuple[np.ndarray, RNNCache]:
    """hₜ = φ(W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh), φ = tanh or relu; out = (h₁, …, h_T)."""
    name = "rnn_forward"
    if nonlinearity not in ("tanh", "relu"):
        raise ValueError(f"{name}: nonlinearity must be 'tanh' or 'relu'; got {nonlinearity!r}")
    x, h0, w_ih, w_hh, b_ih, b_hh = _check(name, 1, x, h0, w_ih, w_hh, b_ih, b_hh)
    xa = x @ w_ih.T + (b_ih + b_hh)  # the input part of every step at once
    h = np.empty((len(x) + 1,) + h0.shape)
    h[0] = h0
    for t in range(len(x)):
        a = xa[t] + h[t] @ w_hh.T
        h[t + 1] = np.tanh(a) if nonlinearity == "tanh" else np.maximum(a, 0.0)
    return h[1:].copy(), RNNCache(x, h, w_ih, w_hh, nonlinearity)


def rnn_backward(dh: npt.ArrayLike, cache: RNNCache) -> tuple[np.ndarray, ...]:
    """Backpropagation through time: daₜ = (dhₜ + daₜ₊₁ W_hh) ⊙ φ′, with φ′ = 1 − hₜ² (tanh)
    or [hₜ > 0] (relu). Returns (dx, dh0, dw_ih, dw_hh, db_ih, db_hh)."""
    h = cache.h
    dh = _check_dh("rnn_backward", dh, h[1:].shape)
    dphi = 1.0 - h[1:] ** 2 if cache.nonlinearity == "tanh" else (h[1:] > 0).astype(float)
    da = np.empty_like(dh)
    carry = np.zeros(h.shape[1:])
    for t in reversed(range(len(dh))):
        da[t] = (dh[t] + carry) * dphi[t]
        carry = da[t] @ cache.w_hh
    (dw_ih, db), (dw_hh, _) = _wb_grads(da, cache.x), _wb_grads(da, h[:-1])
    return da @ cache.w_ih, carry, dw_ih, dw_hh, db, db.copy()


# ---------------------------------------------------------------- LSTM

@dataclass(frozen=True)
class LSTMCache:
    """x (T, N, D); h and c (T+1, N, H) with h[0] = h0, c[0] = c0 and h[t+1] = out[t];
    gates (T, N, 4H): the activated gates i, f, g, o side by side (see lstm_gates); the weights."""

    x: np.ndarray
    h: np.ndarray
    c: np.ndarray
    gates: np.ndarray
    w_ih: np.ndarray
    w_hh: np.ndarray

    @property
    def h_n(self) -> np.ndarray:
        """The final hidden state h_T (N, H)."""
        return self.h[-1]

    @property
    def c_n(self) -> np.ndarray:
        """The final cell state c_T (N, H)."""
        return self.c[-1]


def lstm_forward(x: npt.ArrayLike, h0: npt.ArrayLike, c0: npt.ArrayLike, w_ih: npt.ArrayLike,
                 w_hh: npt.ArrayLike, b_ih: npt.ArrayLike,
                 b_hh: npt.ArrayLike) -> tuple[np.ndarray, LSTMCache]:
    """Long short-term memory, gates in PyTorch's order (i, f, g, o):
    [aᵢ, a_f, a_g, aₒ] = W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh
    i = σ(aᵢ), f = σ(a_f), g = tanh(a_g), o = σ(aₒ)
    cₜ = f ⊙ cₜ₋₁ + i ⊙ g,  hₜ = o ⊙ tanh(cₜ);  out = (h₁, …, h_T), cache.c_n = c_T."""
    name = "lstm_forward"
    x, h0, w_ih, w_hh, b_ih, b_hh = _check(name, 4, x, h0, w_ih, w_hh, b_ih, b_hh)
    c0 = as_float(c0)
    check_shape(name, "c0", c0, h0.shape, f"(N, H) = {h0.shape}, the shape of h0")
    hs = h0.shape[1]
    # σ(a) = ½ + ½·tanh(a/2), so one tanh serves all four gates: scale is ½ on the σ gates
    # (i, f, o) and 1 on g, both for tanh's argument and its output; shift is ½ and 0.
    scale = np.full(4 * hs, 0.5)
    scale[2 * hs:3 * hs] = 1.0
    shift = 1.0 - scale
    gates = x @ w_ih.T + (b_ih + b_hh)  # the input part of every step at once, (T, N, 4H)
    h, c = np.empty((2, len(x) + 1) + h0.shape)
    h[0], c[0] = h0, c0
    for t in range(len(x)):
        a = gates[t]
        a += h[t] @ w_hh.T
        a *= scale
        np.tanh(a, out=a)
        a *= scale
        a += shift
        i, f, g, o = a[:, :hs], a[:, hs:2 * hs], a[:, 2 * hs:3 * hs], a[:, 3 * hs:]
        np.multiply(f, c[t], out=c[t + 1])
        c[t + 1] += i * g  # cₜ = f ⊙ cₜ₋₁ + i ⊙ g
        np.tanh(c[t + 1], out=h[t + 1])
        h[t + 1] *= o  # hₜ = o ⊙ tanh(cₜ)
    return h[1:].copy(), LSTMCache(x, h, c, gates, w_ih, w_hh)


def lstm_gates(cache: LSTMCache) -> dict[str, np.ndarray]:
    """The LSTM's gate activations over time, each (T, N, H): i (input), f (forget),
    g (cell candidate), o (output); plus c, the cell states c₁…c_T."""
    i, f, g, o = np.split(cache.gates, 4, axis=2)
    return {"i": i, "f": f, "g": g, "o": o, "c": cache.c[1:]}


def lstm_backward(dh: npt.ArrayLike, cache: LSTMCache) -> tuple[np.ndarray, ...]:
    """Backpropagation through time, from dh (T, N, H), the gradient on every hidden state:
    dcₜ = dc from step t+1 + dhₜ ⊙ o ⊙ (1 − tanh² cₜ);  do = dhₜ ⊙ tanh cₜ,
    di = dcₜ ⊙ g, df = dcₜ ⊙ cₜ₋₁, dg = dcₜ ⊙ i;  dcₜ₋₁ = dcₜ ⊙ f;
    then through σ′ = s(1 − s) and tanh′ = 1 − g² to da, and dhₜ₋₁ += da W_hh.
    Returns (dx, dh0, dc0, dw_ih, dw_hh, db_ih, db_hh)."""
    h, c, gates = cache.h, cache.c, cache.gates
    dh = _check_dh("lstm_backward", dh, h[1:].shape)
    hs = h.shape[2]
    da = np.empty_like(gates)
    dh_carry, dc = np.zeros((2,) + h.shape[1:])
    for t in reversed(range(len(dh))):
        i, f, g, o = np.split(gates[t], 4, axis=1)
        tc = np.tanh(c[t + 1])
        dht = dh[t] + dh_carry
        dc = dc + dht * o * (1.0 - tc * tc)
        da[t, :, :hs] = dc * g * i * (1.0 - i)
        da[t, :, hs:2 * hs] = dc * c[t] * f * (1.0 - f)
        da[t, :, 2 * hs:3 * hs] = dc * i * (1.0 - g * g)
        da[t, :, 3 * hs:] = dht * tc * o * (1.0 - o)
        dc = dc * f
        dh_carry = da[t] @ cache.w_hh
    (dw_ih, db), (dw_hh, _) = _wb_grads(da, cache.x), _wb_grads(da, h[:-1])
    return da @ cache.w_ih, dh_carry, dc, dw_ih, dw_hh, db, db.copy()


# ---------------------------------------------------------------- GRU

@dataclass(frozen=True)
class GRUCache:
    """x (T, N, D); h (T+1, N, H) with h[0] = h0 and h[t+1] = out[t]; gates (T, N, 3H): the
    activated gates r, z, n side by side (see gru_gates); hn (T, N, H) = W_hn hₜ₋₁ + b_hn;
    the weights."""

    x: np.ndarray
    h: np.ndarray
    gates: np.ndarray
    hn: np.ndarray
    w_ih: np.ndarray
    w_hh: np.ndarray

    @property
    def h_n(self) -> np.ndarray:
        """The final hidden state h_T (N, H)."""
        return self.h[-1]


def gru_forward(x: npt.ArrayLike, h0: npt.ArrayLike, w_ih: npt.ArrayLike, w_hh: npt.ArrayLike,
                b_ih: npt.ArrayLike, b_hh: npt.ArrayLike) -> tuple[np.ndarray, GRUCache]:
    """Gated recurrent unit, gates in PyTorch's order (r, z, n):
    r = σ(W_ir xₜ + b_ir + W_hr hₜ₋₁ + b_hr),  z = σ(W_iz xₜ + b_iz + W_hz hₜ₋₁ + b_hz)
    n = tanh(W_in xₜ + b_in + r ⊙ (W_hn hₜ₋₁ + b_hn)),  hₜ = (1 − z) ⊙ n + z ⊙ hₜ₋₁."""
    x, h0, w_ih, w_hh, b_ih, b_hh = _check("gru_forward", 3, x, h0, w_ih, w_hh, b_ih, b_hh)
    hs = h0.shape[1]
    xa = x @ w_ih.T + b_ih
    h = np.empty((len(x) + 1,) + h0.shape)
    h[0] = h0
    gates = np.empty(xa.shape)
    hn = np.empty(h[1:].shape)
    for t in range(len(x)):
        ha = h[t] @ w_hh.T + b_hh
        gates[t, :, :2 * hs] = sigmoid(xa[t, :, :2 * hs] + ha[:, :2 * hs])
        r, z = gates[t, :, :hs], gates[t, :, hs:2 * hs]
        hn[t] = ha[:, 2 * hs:]
        n = gates[t, :, 2 * hs:] = np.tanh(xa[t, :, 2 * hs:] + r * hn[t])
        h[t + 1] = (1.0 - z) * n + z * h[t]
    return h[1:].copy(), GRUCache(x, h, gates, hn, w_ih, w_hh)


def gru_gates(cache: GRUCache) -> dict[str, np.ndarray]:
    """The GRU's gate activations over time, each (T, N, H): r (reset), z (update),
    n (candidate state)."""
    r, z, n = np.split(cache.gates, 3, axis=2)
    return {"r": r, "z": z, "n": n}


def gru_backward(dh: npt.ArrayLike, cache: GRUCache) -> tuple[np.ndarray, ...]:
    """Backpropagation through time, from dh (T, N, H), the gradient on every hidden state:
    dn = dhₜ ⊙ (1 − z), dz = dhₜ ⊙ (hₜ₋₁ − n), dhₜ₋₁ = dhₜ ⊙ z + (gate terms) W_hh;
    da_n = dn ⊙ (1 − n²), dr = da_n ⊙ (W_hn hₜ₋₁ + b_hn), and the hidden-side n term is r ⊙ da_n.
    Returns (dx, dh0, dw_ih, dw_hh, db_ih, db_hh)."""
    h, gates = cache.h, cache.gates
    dh = _check_dh("gru_backward", dh, h[1:].shape)
    hs = h.shape[2]
    dxa = np.empty_like(gates)  # gradients on the input-side pre-activations
    dha = np.empty_like(gates)  # gradients on the hidden-side pre-activations W_hh h + b_hh
    carry = np.zeros(h.shape[1:])
    for t in reversed(range(len(dh))):
        r, z, n = np.split(gates[t], 3, axis=1)
        dht = dh[t] + carry
        dan = dht * (1.0 - z) * (1.0 - n * n)
        dxa[t, :, :hs] = dan * cache.hn[t] * r * (1.0 - r)
        dxa[t, :, hs:2 * hs] = dht * (h[t] - n) * z * (1.0 - z)
        dxa[t, :, 2 * hs:] = dan
        dha[t, :, :2 * hs] = dxa[t, :, :2 * hs]
        dha[t, :, 2 * hs:] = dan * r
        carry = dht * z + dha[t] @ cache.w_hh
    (dw_ih, db_ih), (dw_hh, db_hh) = _wb_grads(dxa, cache.x), _wb_grads(dha, h[:-1])
    return dxa @ cache.w_ih, carry, dw_ih, dw_hh, db_ih, db_hh


# ---------------------------------------------------------------- parameter counts

def _num_params(name: str, gates: int, input_size: int, hidden_size: int, num_layers: int,
                bias: bool, bidirectional: bool) -> int:
    d, h = pos_int(name, "input_size", input_size), pos_int(name, "hidden_size", hidden_size)
    layers, dirs = pos_int(name, "num_layers", num_layers), 2 if bidirectional else 1
    per_input = [d] + [dirs * h] * (layers - 1)
    return sum(dirs * gates * h * (i + h + (2 if bias else 0)) for i in per_input)


def rnn_num_params(input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                   bidirectional: bool = False) -> int:
    """Parameters of nn.RNN: per layer and direction H·D + H·H + 2H (both b_ih and b_hh)."""
    return _num_params("rnn_num_params", 1, input_size, hidden_size, num_layers, bias,
                       bidirectional)


def lstm_num_params(input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                    bidirectional: bool = False) -> int:
    """Parameters of nn.LSTM: per layer and direction 4·(H·D + H·H + 2H)."""
    return _num_params("lstm_num_params", 4, input_size, hidden_size, num_layers, bias,
                       bidirectional)


def gru_num_params(input_size: int, hidden_size: int, num_layers: int = 1, bias: bool = True,
                   bidirectional: bool = False) -> int:
    """Parameters of nn.GRU: per layer and direction 3·(H·D + H·H + 2H)."""
    return _num_params("gru_num_params", 3, input_size, hidden_size, num_layers, bias,
                       bidirectional)
