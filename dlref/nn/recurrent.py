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


def _check(name: str, gates: int, x: npt.ArrayLike, h0: npt.ArrayLike | None,
           w_ih: npt.ArrayLike, w_hh: npt.ArrayLike, b_ih: npt.ArrayLike | None,
           b_hh: npt.ArrayLike | None):
    """All arguments as float64 arrays, checked against x (T, N, D) and w_hh (G·H, H); h0 None
    is zeros (as PyTorch) and b_ih = b_hh = None is bias=False (zeros, no gradients)."""
    x = as_float_ndim(name, "x", x, 3, "(T, N, D)")
    _, n, d = x.shape
    w_hh = as_float(w_hh)
    if w_hh.ndim != 2 or w_hh.shape[1] < 1 or w_hh.shape[0] != gates * w_hh.shape[1]:
        g = "" if gates == 1 else f"{gates}·"
        raise ValueError(f"{name}: w_hh must have shape ({g}H, H) with H >= 1; "
                         f"got {w_hh.shape}")
    h = w_hh.shape[1]
    h0 = np.zeros((n, h)) if h0 is None else as_float(h0)
    if h0.shape != (n, h):
        raise ValueError(f"{name}: h0 must have shape (N, H) with N={n} matching x (T, N, D) "
                         f"and H={h} matching w_hh; got {h0.shape}")
    g = "" if gates == 1 else f"{gates}·"
    w_ih = as_float(w_ih)
    check_shape(name, "w_ih", w_ih, (gates * h, d), f"({g}H, D) = ({gates * h}, {d})")
    if (b_ih is None) != (b_hh is None):
        raise ValueError(f"{name}: b_ih and b_hh must both be arrays or both be None "
                         f"(bias=False)")
    if b_ih is None:
        b_ih = b_hh = np.zeros(gates * h)
    b_ih, b_hh = as_float(b_ih), as_float(b_hh)
    check_shape(name, "b_ih", b_ih, (gates * h,), f"({g}H,) = ({gates * h},)")
    check_shape(name, "b_hh", b_hh, (gates * h,), f"({g}H,) = ({gates * h},)")
    return x, h0, w_ih, w_hh, b_ih, b_hh


def _check_dh(name: str, dh: npt.ArrayLike, shape: tuple[int, ...],
              dh_n: npt.ArrayLike | None = None) -> np.ndarray:
    """dh (T, N, H), with the gradient on the final hidden state h_T, if given, added to its
    last step (out[-1] is h_T)."""
    dh = as_float(dh)
    check_shape(name, "dh", dh, shape, f"(T, N, H) = {shape}, the shape of out")
    if dh_n is not None:
        dh_n = as_float(dh_n)
        check_shape(name, "dh_n", dh_n, shape[1:], f"(N, H) = {shape[1:]}, the shape of h_T")
        dh = dh.copy()
        dh[-1] += dh_n
    return dh


def _bias_grads(cache, db_ih: np.ndarray, db_hh: np.ndarray) -> tuple:
    """(db_ih, db_hh), or (None, None) for a layer without bias."""
    return (db_ih, db_hh) if cache.bias else (None, None)


def _wb_grads(da: np.ndarray, inp: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """From the gradients da (T, N, G·H) on pre-activations a = inp Wᵀ + b over all steps:
    dW = Σₜ daₜᵀ inpₜ and db = Σₜ Σₙ daₜ, as one matmul over every step at once."""
    d2 = da.reshape(-1, da.shape[-1])
    # (inpᵀ da)ᵀ rather than daᵀ inp: the same numbers, and OpenBLAS's kernel for this
    # orientation took 7-19 % less time for T·N = 800 to 3200 rows and H = 128 to 256
    return np.ascontiguousarray((inp.reshape(-1, inp.shape[-1]).T @ d2).T), d2.sum(axis=0)


# ---------------------------------------------------------------- plain RNN

@dataclass(frozen=True)
class RNNCache:
    """x (T, N, D); h (T+1, N, H) with h[0] = h0 and h[t+1] = out[t]; the weights."""

    x: np.ndarray
    h: np.ndarray
    w_ih: np.ndarray
    w_hh: np.ndarray
    nonlinearity: str
    bias: bool = True

    @property
    def h_n(self) -> np.ndarray:
        """The final hidden state h_T (N, H)."""
        return self.h[-1]


def rnn_forward(x: npt.ArrayLike, h0: npt.ArrayLike | None, w_ih: npt.ArrayLike,
                w_hh: npt.ArrayLike, b_ih: npt.ArrayLike | None, b_hh: npt.ArrayLike | None,
                nonlinearity: str = "tanh") -> tuple[np.ndarray, RNNCache]:
    """hₜ = φ(W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh), φ = tanh or relu; out = (h₁, …, h_T)."""
    name = "rnn_forward"
    if nonlinearity not in ("tanh", "relu"):
        raise ValueError(f"{name}: nonlinearity must be 'tanh' or 'relu'; got {nonlinearity!r}")
    bias = b_ih is not None
    x, h0, w_ih, w_hh, b_ih, b_hh = _check(name, 1, x, h0, w_ih, w_hh, b_ih, b_hh)
    xa = x @ w_ih.T + (b_ih + b_hh)  # the input part of every step at once
    h = np.empty((len(x) + 1,) + h0.shape)
    h[0] = h0
    for t in range(len(x)):
        a = xa[t] + h[t] @ w_hh.T
        h[t + 1] = np.tanh(a) if nonlinearity == "tanh" else np.maximum(a, 0.0)
    return h[1:].copy(), RNNCache(x, h, w_ih, w_hh, nonlinearity, bias)


def rnn_backward(dh: npt.ArrayLike, cache: RNNCache,
                 dh_n: npt.ArrayLike | None = None) -> tuple[np.ndarray, ...]:
    """Backpropagation through time: daₜ = (dhₜ + daₜ₊₁ W_hh) ⊙ φ′, with φ′ = 1 − hₜ² (tanh)
    or [hₜ > 0] (relu); dh_n, if given, is the gradient on the final state h_T.
    Returns (dx, dh0, dw_ih, dw_hh, db_ih, db_hh)."""
    h = cache.h
    dh = _check_dh("rnn_backward", dh, h[1:].shape, dh_n)
    dphi = 1.0 - h[1:] ** 2 if cache.nonlinearity == "tanh" else (h[1:] > 0).astype(float)
    da = np.empty_like(dh)
    carry = np.zeros(h.shape[1:])
    for t in reversed(range(len(dh))):
        da[t] = (dh[t] + carry) * dphi[t]
        carry = da[t] @ cache.w_hh
    (dw_ih, db), (dw_hh, _) = _wb_grads(da, cache.x), _wb_grads(da, h[:-1])
    return da @ cache.w_ih, carry, dw_ih, dw_hh, *_bias_grads(cache, db, db.copy())


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
    bias: bool = True

    @property
    def h_n(self) -> np.ndarray:
        """The final hidden state h_T (N, H)."""
        return self.h[-1]

    @property
    def c_n(self) -> np.ndarray:
        """The final cell state c_T (N, H)."""
        return self.c[-1]


def lstm_forward(x: npt.ArrayLike, h0: npt.ArrayLike | None, c0: npt.ArrayLike | None,
                 w_ih: npt.ArrayLike, w_hh: npt.ArrayLike, b_ih: npt.ArrayLike | None,
                 b_hh: npt.ArrayLike | None) -> tuple[np.ndarray, LSTMCache]:
    """Long short-term memory, gates in PyTorch's order (i, f, g, o):
    [aᵢ, a_f, a_g, aₒ] = W_ih xₜ + b_ih + W_hh hₜ₋₁ + b_hh
    i = σ(aᵢ), f = σ(a_f), g = tanh(a_g), o = σ(aₒ)
    cₜ = f ⊙ cₜ₋₁ + i ⊙ g,  hₜ = o ⊙ tanh(cₜ);  out = (h₁, …, h_T), cache.c_n = c_T.
    h0, c0 None are zeros; b_ih = b_hh = None is bias=False."""
    name = "lstm_forward"
    bias = b_ih is not None
    x, h0, w_ih, w_hh, b_ih, b_hh = _check(name, 4, x, h0, w_ih, w_hh, b_ih, b_hh)
    c0 = np.zeros(h0.shape) if c0 is None else as_float(c0)
    check_shape(name, "c0", c0, h0.shape, f"(N, H) = {h0.shape}, the shape of h0")
    hs = h0.shape[1]
    gates = x @ w_ih.T + (b_ih + b_hh)  # the input part of every step at once, (T, N, 4H)
    h, c = np.empty((2, len(x) + 1) + h0.shape)
    h[0], c[0] = h0, c0
    for t in range(len(x)):
        a = gates[t]
        a += h[t] @ w_hh.T
        a[:, :2 * hs] = sigmoid(a[:, :2 * hs])  # i, f
        np.tanh(a[:, 2 * hs:3 * hs], out=a[:, 2 * hs:3 * hs])  # g
        a[:, 3 * hs:] = sigmoid(a[:, 3 * hs:])  # o
        i, f, g, o = a[:, :hs], a[:, hs:2 * hs], a[:, 2 * hs:3 * hs], a[:, 3 * hs:]
        np.multiply(f, c[t], out=c[t + 1])
        c[t + 1] += i * g  # cₜ = f ⊙ cₜ₋₁ + i ⊙ g
        np.tanh(c[t + 1], out=h[t + 1])
        h[t + 1] *= o  # hₜ = o ⊙ tanh(cₜ)
    return h[1:].copy(), LSTMCache(x, h, c, gates, w_ih, w_hh, bias)


def lstm_gates(cache: LSTMCache) -> dict[str, np.ndarray]:
    """The LSTM's gate activations over time, each (T, N, H): i (input), f (forget),
    g (cell candidate), o (output); plus c, the cell states c₁…c_T."""
    i, f, g, o = np.split(cache.gates, 4, axis=2)
    return {"i": i, "f": f, "g": g, "o": o, "c": cache.c[1:]}


def lstm_backward(dh: npt.ArrayLike, cache: LSTMCache, dh_n: npt.ArrayLike | None = None,
                  dc_n: npt.ArrayLike | None = None) -> tuple[np.ndarray, ...]:
    """Backpropagation through time, from dh (T, N, H), the gradient on every hidden state,
    and optionally dh_n and dc_n (N, H), the gradients on the final states h_T and c_T (a loss
    on the carried (h, c), as in an encoder–decoder or truncated backpropagation):
    dcₜ = dc from step t+1 (dc_n at t = T) + dhₜ ⊙ o ⊙ (1 − tanh² cₜ);  dcₜ₋₁ = dcₜ ⊙ f;
    daᵢ = dcₜ ⊙ g ⊙ i(1 − i),  da_f = dcₜ ⊙ cₜ₋₁ ⊙ f(1 − f),  da_g = dcₜ ⊙ i ⊙ (1 − g²),
    daₒ = dhₜ ⊙ tanh cₜ ⊙ o(1 − o)  (σ′ = s(1 − s), tanh′ = 1 − tanh²);  dhₜ₋₁ += daₜ W_hh.
    What multiplies dcₜ and dhₜ depends on the forward pass alone, so it is computed for every
    step at once; the loop back through time only carries dc and dh.
    Returns (dx, dh0, dc0, dw_ih, dw_hh, db_ih, db_hh)."""
    h, c, gates = cache.h, cache.c, cache.gates
    dh = _check_dh("lstm_backward", dh, h[1:].shape, dh_n)
    steps, n, hs = dh.shape
    i, f, g, o = np.moveaxis(gates.reshape(steps, n, 4, hs), 2, 0)
    tanh_c = np.tanh(c[1:])
    dc_dh = o * (1.0 - tanh_c * tanh_c)  # dcₜ gets dhₜ ⊙ this
    da = np.empty_like(gates)
    local = da.reshape(steps, n, 4, hs)  # per gate, what dcₜ (i, f, g) or dhₜ (o) multiplies
    local[:, :, 0] = g * i * (1.0 - i)
    local[:, :, 1] = c[:-1] * f * (1.0 - f)
    local[:, :, 2] = i * (1.0 - g * g)
    local[:, :, 3] = tanh_c * o * (1.0 - o)
    dh_carry, dc = np.zeros((2, n, hs))
    if dc_n is not None:
        dc_n = as_float(dc_n)
        check_shape("lstm_backward", "dc_n", dc_n, dc.shape, f"(N, H) = {dc.shape}, the "
                    f"shape of c_T")
        dc += dc_n
    for t in reversed(range(steps)):
        dht = dh[t] + dh_carry
        dc += dht * dc_dh[t]
        local[t, :, :3] *= dc[:, None]
        local[t, :, 3] *= dht
        dc *= f[t]
        dh_carry = da[t] @ cache.w_hh
    (dw_ih, db), (dw_hh, _) = _wb_grads(da, cache.x), _wb_grads(da, h[:-1])
    return da @ cache.w_ih, dh_carry, dc, dw_ih, dw_hh, *_bias_grads(cache, db, db.copy())


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
    bias: bool = True

    @property
    def h_n(self) -> np.ndarray:
        """The final hidden state h_T (N, H)."""
        return self.h[-1]


def gru_forward(x: npt.ArrayLike, h0: npt.ArrayLike | None, w_ih: npt.ArrayLike,
                w_hh: npt.ArrayLike, b_ih: npt.ArrayLike | None,
                b_hh: npt.ArrayLike | None) -> tuple[np.ndarray, GRUCache]:
    """Gated recurrent unit, gates in PyTorch's order (r, z, n):
    r = σ(W_ir xₜ + b_ir + W_hr hₜ₋₁ + b_hr),  z = σ(W_iz xₜ + b_iz + W_hz hₜ₋₁ + b_hz)
    n = tanh(W_in xₜ + b_in + r ⊙ (W_hn hₜ₋₁ + b_hn)),  hₜ = (1 − z) ⊙ n + z ⊙ hₜ₋₁."""
    bias = b_ih is not None
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
    return h[1:].copy(), GRUCache(x, h, gates, hn, w_ih, w_hh, bias)


def gru_gates(cache: GRUCache) -> dict[str, np.ndarray]:
    """The GRU's gate activations over time, each (T, N, H): r (reset), z (update),
    n (candidate state)."""
    r, z, n = np.split(cache.gates, 3, axis=2)
    return {"r": r, "z": z, "n": n}


def gru_backward(dh: npt.ArrayLike, cache: GRUCache,
                 dh_n: npt.ArrayLike | None = None) -> tuple[np.ndarray, ...]:
    """Backpropagation through time, from dh (T, N, H), the gradient on every hidden state:
    dn = dhₜ ⊙ (1 − z), dz = dhₜ ⊙ (hₜ₋₁ − n), dhₜ₋₁ = dhₜ ⊙ z + (gate terms) W_hh;
    da_n = dn ⊙ (1 − n²), dr = da_n ⊙ (W_hn hₜ₋₁ + b_hn), and the hidden-side n term is r ⊙ da_n.
    dh_n, if given, is the gradient on the final state h_T.
    Returns (dx, dh0, dw_ih, dw_hh, db_ih, db_hh)."""
    h, gates = cache.h, cache.gates
    dh = _check_dh("gru_backward", dh, h[1:].shape, dh_n)
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
    return dxa @ cache.w_ih, carry, dw_ih, dw_hh, *_bias_grads(cache, db_ih, db_hh)


# ---------------------------------------------------------------- stacks: layers and directions

@dataclass(frozen=True)
class StackCache:
    """What a stacked forward remembers: the cell ("rnn", "lstm" or "gru"), one cache per layer
    and direction (index layer·dirs + direction, PyTorch's order), the number of directions,
    and how x was laid out (batch_first, unbatched)."""

    cell: str
    caches: tuple
    dirs: int
    batch_first: bool
    unbatched: bool

    @property
    def h_n(self) -> np.ndarray:
        """The final hidden states (layers·dirs, N, H), as PyTorch's h_n (the reverse
        direction's final state is the one at t = 1)."""
        h = np.stack([c.h_n for c in self.caches])
        return h[:, 0] if self.unbatched else h

    @property
    def c_n(self) -> np.ndarray:
        """The LSTM's final cell states (layers·dirs, N, H)."""
        c = np.stack([c.c_n for c in self.caches])
        return c[:, 0] if self.unbatched else c


_CELLS = {"rnn": (rnn_forward, rnn_backward, 1), "lstm": (lstm_forward, lstm_backward, 2),
          "gru": (gru_forward, gru_backward, 1)}


def _stack_weights(name: str, weights: list) -> tuple[int, int]:
    """weights[layer][direction] = (w_ih, w_hh, b_ih, b_hh): the numbers of layers and
    directions, or ValueError."""
    if not isinstance(weights, list | tuple) or not weights or \
            not all(isinstance(layer, list | tuple) for layer in weights):
        raise ValueError(f"{name}: weights must be a list over layers of a list over directions "
                         f"(1, or 2 when bidirectional) of (w_ih, w_hh, b_ih, b_hh)")
    dirs = {len(layer) for layer in weights}
    if len(dirs) != 1 or dirs - {1, 2}:
        raise ValueError(f"{name}: every layer of weights must list 1 direction, or 2 when "
                         f"bidirectional; got {[len(layer) for layer in weights]}")
    for layer in weights:
        for cell in layer:
            if not isinstance(cell, list | tuple) or len(cell) != 4:
                raise ValueError(f"{name}: each layer's direction holds (w_ih, w_hh, b_ih, "
                                 f"b_hh) (biases None for bias=False)")
    return len(weights), dirs.pop()


def recurrent_stack_forward(cell: str, x: npt.ArrayLike, state0: tuple | None, weights: list,
                            batch_first: bool = False,
                            nonlinearity: str = "tanh") -> tuple[np.ndarray, StackCache]:
    """A multi-layer, optionally bidirectional RNN/LSTM/GRU as torch.nn.RNN/LSTM/GRU, built from
    the one-layer kernels: layer l reads the outputs of layer l − 1; a reverse direction runs
    the same kernel over the sequence backwards, and its outputs, put back in time order, are
    concatenated with the forward ones, out (T, N, dirs·H).

    weights[layer][direction] = (w_ih, w_hh, b_ih, b_hh), w_ih of the layers above the first
    (G·H, dirs·H). state0: None (zeros) or the initial states, (h0,) or for an LSTM (h0, c0),
    each (layers·dirs, N, H) or None. x is (T, N, D), (N, T, D) with batch_first, or
    unbatched (T, D) (then the states are (layers·dirs, H)).
    """
    name = "recurrent_stack_forward"
    if cell not in _CELLS:
        raise ValueError(f"{name}: cell must be 'rnn', 'lstm' or 'gru'; got {cell!r}")
    forward, _, n_states = _CELLS[cell]
    layers, dirs = _stack_weights(name, weights)
    x = as_float(x)
    unbatched = x.ndim == 2
    if unbatched:
        x = x[:, None]
    elif batch_first:
        x = x.swapaxes(0, 1) if x.ndim == 3 else x
    if x.ndim != 3:
        raise ValueError(f"{name}: x must have shape (T, N, D), (N, T, D) with batch_first, or "
                         f"(T, D); got {x.shape}")
    state0 = (None,) * n_states if state0 is None else tuple(state0)
    if len(state0) != n_states:
        want = "(h0, c0)" if n_states == 2 else "(h0,)"
        raise ValueError(f"{name}: state0 for {cell} must be None or {want}; got {state0!r}")
    states = []
    for k, s0 in enumerate(state0):
        if s0 is None:
            states.append(None)
            continue
        s0 = as_float(s0)
        s0 = s0[:, None] if unbatched else s0
        if s0.ndim != 3 or s0.shape[:2] != (layers * dirs, x.shape[1]):
            arg = ("h0", "c0")[k]
            raise ValueError(f"{name}: {arg} must have shape (layers·dirs, N, H) = "
                             f"({layers * dirs}, {x.shape[1]}, H); got {s0.shape}")
        states.append(s0)
    kw = {"nonlinearity": nonlinearity} if cell == "rnn" else {}
    caches, inp = [], x
    for layer in range(layers):
        outs = []
        for d in range(dirs):
            k = layer * dirs + d
            init = [None if s is None else s[k] for s in states]
            out, cache = forward(inp if d == 0 else inp[::-1], *init, *weights[layer][d], **kw)
            outs.append(out if d == 0 else out[::-1])
            caches.append(cache)
        inp = np.concatenate(outs, axis=2) if dirs == 2 else outs[0]
    out = inp[:, 0] if unbatched else (inp.swapaxes(0, 1) if batch_first else inp)
    return out, StackCache(cell, tuple(caches), dirs, bool(batch_first), unbatched)


def recurrent_stack_backward(dout: npt.ArrayLike, cache: StackCache,
                             dstate_n: tuple | None = None) -> tuple:
    """Backpropagation through the stack: each layer's kernel backward, from the top layer
    down; a layer's dx is the gradient on the outputs of the layer below (the two directions'
    halves of it added). dstate_n: None or the gradients on the final states, (dh_n,) or
    (dh_n, dc_n), each (layers·dirs, N, H) or None.
    Returns (dx, dstate0, dweights): dx shaped like x, dstate0 a tuple (dh0,) or (dh0, dc0)
    of (layers·dirs, N, H), dweights[layer][direction] = (dw_ih, dw_hh, db_ih, db_hh)."""
    _, backward, n_states = _CELLS[cache.cell]
    dout = as_float(dout)
    if cache.unbatched:
        dout = dout[:, None]
    elif cache.batch_first:
        dout = dout.swapaxes(0, 1)
    hs = cache.caches[0].h.shape[2]
    shape = cache.caches[-1].h[1:].shape[:2] + (cache.dirs * hs,)
    check_shape("recurrent_stack_backward", "dout", dout, shape, f"(T, N, dirs·H) = {shape}")
    dstate_n = (None,) * n_states if dstate_n is None else tuple(
        None if g is None else (as_float(g)[:, None] if cache.unbatched else as_float(g))
        for g in dstate_n)
    layers = len(cache.caches) // cache.dirs
    dstate0 = [[None] * len(cache.caches) for _ in range(n_states)]
    dweights: list = [[None] * cache.dirs for _ in range(layers)]
    for layer in reversed(range(layers)):
        dinp = None
        for d in range(cache.dirs):
            k = layer * cache.dirs + d
            dh = dout[:, :, d * hs:(d + 1) * hs]
            final = [None if g is None else g[k] for g in dstate_n]
            grads = backward(dh if d == 0 else dh[::-1], cache.caches[k], *final)
            dx = grads[0] if d == 0 else grads[0][::-1]
            dinp = dx if dinp is None else dinp + dx
            for j in range(n_states):
                dstate0[j][k] = grads[1 + j]
            dweights[layer][d] = tuple(grads[1 + n_states:])
        dout = dinp
    dx = dout[:, 0] if cache.unbatched else (dout.swapaxes(0, 1) if cache.batch_first else dout)
    d0 = tuple(np.stack(g)[:, 0] if cache.unbatched else np.stack(g) for g in dstate0)
    return dx, d0, dweights


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
