"""Scaled dot-product attention and multi-head attention, as PyTorch.

`scaled_dot_product_attention_forward` follows torch.nn.functional.scaled_dot_product_attention
(a boolean mask keeps the True positions; a float mask is added to the scores).
`multi_head_attention_forward` follows torch.nn.MultiheadAttention(batch_first=True,
dropout=0.0), whose boolean `attn_mask` is the other way round: True BLOCKS a position.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float, pos_int
from dlref.nn.activations import softmax
from dlref.nn.linear import linear_backward, linear_forward


class AttentionCache(NamedTuple):
    """What scaled_dot_product_attention_forward remembers: q (…, L, E), k (…, S, E),
    v (…, S, Ev), the attention weights (…, L, S) (each row sums to 1) and the scale."""

    q: np.ndarray
    k: np.ndarray
    v: np.ndarray
    weights: np.ndarray
    scale: float


class MultiHeadAttentionCache(NamedTuple):
    """What multi_head_attention_forward remembers: the per-head attention cache (weights
    (N, H, L, S)), the caches of the q, k, v and output projections, and the head count."""

    attn: AttentionCache
    q_proj: Any
    k_proj: Any
    v_proj: Any
    out_proj: Any
    num_heads: int


def causal_mask(length: int, source_length: int | None = None) -> np.ndarray:
    """The boolean (L, S) mask of causal attention: True where key j ≤ query i (lower triangle,
    diagonal included), as torch.ones(L, S).tril(); query i sees positions 0…i only."""
    n = pos_int("causal_mask", "length", length)
    s = n if source_length is None else pos_int("causal_mask", "source_length", source_length)
    return np.tril(np.ones((n, s), dtype=bool))


def _additive(name: str, mask: Any, shape: tuple[int, ...], keep_true: bool) -> np.ndarray:
    """A boolean or float mask as the float added to the scores (0 or −∞ for booleans),
    broadcastable to `shape` (…, L, S)."""
    m = np.asarray(mask)
    if m.dtype == bool:
        bias = np.where(m if keep_true else ~m, 0.0, -np.inf)
    elif np.issubdtype(m.dtype, np.number):
        bias = m.astype(np.float64)
    else:
        raise ValueError(f"{name}: mask must be boolean or numeric; got dtype {m.dtype}")
    try:
        fits = np.broadcast_shapes(bias.shape, shape) == tuple(shape)
    except ValueError:
        fits = False
    if not fits:
        raise ValueError(f"{name}: mask must broadcast to the scores' shape (…, L, S) = {shape}; "
                         f"got {bias.shape}")
    return bias


def scaled_dot_product_attention_forward(
        q: npt.ArrayLike, k: npt.ArrayLike, v: npt.ArrayLike, mask: npt.ArrayLike | None = None,
        causal: bool = False, scale: float | None = None) -> tuple[np.ndarray, AttentionCache]:
    """Attention(Q, K, V) = softmax(Q Kᵀ · s + M) V,  s = 1/√E by default.

    q (…, L, E) queries, k (…, S, E) keys, v (…, S, Ev) values, the same leading axes. Row i of
    the weights softmax(Q Kᵀ s + M) says how much query i takes from each of the S values.
    `mask` broadcasts to (…, L, S): boolean True = may attend (False → −∞), or a float added to
    the scores. `causal` also blocks key j > query i. A query whose keys are all blocked gets
    weights 0 and output 0, as PyTorch does (checked with 2.13).
    """
    name = "scaled_dot_product_attention_forward"
    q, k, v = as_float(q), as_float(k), as_float(v)
    if q.ndim < 2 or k.ndim != q.ndim or v.ndim != q.ndim:
        raise ValueError(f"{name}: q, k, v must have shapes (…, L, E), (…, S, E), (…, S, Ev) "
                         f"with the same number of axes (≥ 2); got {q.shape}, {k.shape}, "
                         f"{v.shape}")
    if k.shape[-1] != q.shape[-1] or k.shape[:-2] != q.shape[:-2]:
        raise ValueError(f"{name}: k must have shape (…, S, E) with … and E matching q "
                         f"{q.shape}; got {k.shape}")
    if v.shape[:-1] != k.shape[:-1]:
        raise ValueError(f"{name}: v must have shape (…, S, Ev) with … and S matching k "
                         f"{k.shape}; got {v.shape}")
    s = 1.0 / np.sqrt(q.shape[-1]) if scale is None else float(scale)
    scores = q @ np.swapaxes(k, -1, -2) * s  # (…, L, S)
    bias = np.zeros(scores.shape[-2:])
    if causal:
        bias = np.where(causal_mask(*scores.shape[-2:]), 0.0, -np.inf)
    if mask is not None:
        bias = bias + _additive(name, mask, scores.shape, keep_true=True)
    scores = scores + bias
    blocked = ~np.any(scores > -np.inf, axis=-1, keepdims=True)  # a query that sees no key
    weights = np.where(blocked, 0.0, softmax(np.where(blocked, 0.0, scores), axis=-1))
    return weights @ v, AttentionCache(q, k, v, weights, s)


def scaled_dot_product_attention_backward(
        dout: npt.ArrayLike, cache: AttentionCache) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """With P the weights and dP = dY Vᵀ:  dV = Pᵀ dY,  dS = P ⊙ (dP − Σⱼ dP ⊙ P) (softmax's
    Jacobian, row by row),  dQ = dS K · s,  dK = dSᵀ Q · s.  Masked entries have P = 0, so no
    gradient reaches them."""
    q, k, v, p, s = cache
    dout = as_float(dout)
    expected = q.shape[:-1] + (v.shape[-1],)
    if dout.shape != expected:
        raise ValueError(f"scaled_dot_product_attention_backward: dout must have shape "
                         f"(…, L, Ev) = {expected}; got {dout.shape}")
    dv = np.swapaxes(p, -1, -2) @ dout
    dp = dout @ np.swapaxes(v, -1, -2)
    ds = p * (dp - np.sum(dp * p, axis=-1, keepdims=True))
    return ds @ k * s, np.swapaxes(ds, -1, -2) @ q * s, dv


def attention_weights(cache: AttentionCache | MultiHeadAttentionCache) -> np.ndarray:
    """The attention weights from a forward's cache: (…, L, S) from scaled dot-product
    attention, (N, H, L, S) per head from multi-head attention (torch's need_weights output is
    their mean over H)."""
    if isinstance(cache, MultiHeadAttentionCache):
        return cache.attn.weights
    if isinstance(cache, AttentionCache):
        return cache.weights
    raise ValueError(f"attention_weights: cache must come from an attention forward; "
                     f"got {type(cache).__name__}")


def _split_heads(x: np.ndarray, h: int) -> np.ndarray:
    """(N, L, E) → (N, H, L, E/H): head i gets features i·E/H … (i+1)·E/H − 1."""
    n, length, e = x.shape
    return x.reshape(n, length, h, e // h).transpose(0, 2, 1, 3)


def _merge_heads(x: np.ndarray) -> np.ndarray:
    """(N, H, L, d) → (N, L, H·d), the inverse of _split_heads."""
    n, h, length, d = x.shape
    return x.transpose(0, 2, 1, 3).reshape(n, length, h * d)


def multi_head_attention_forward(
        query: npt.ArrayLike, key: npt.ArrayLike, value: npt.ArrayLike,
        in_proj_weight: npt.ArrayLike, in_proj_bias: npt.ArrayLike | None,
        out_proj_weight: npt.ArrayLike, out_proj_bias: npt.ArrayLike | None, num_heads: int,
        mask: npt.ArrayLike | None = None,
        causal: bool = False) -> tuple[np.ndarray, MultiHeadAttentionCache]:
    """MultiHead(Q, K, V) = Concat(head₁, …, head_H) W_Oᵀ + b_O,
    headᵢ = Attention(Q W_Qᵢᵀ + b_Qᵢ, K W_Kᵢᵀ + b_Kᵢ, V W_Vᵢᵀ + b_Vᵢ) with d = E/H per head.

    query (N, L, E), key and value (N, S, E), batch first. in_proj_weight (3E, E) stacks W_Q,
    W_K, W_V (in_proj_bias (3E,) likewise); out_proj_weight (E, E), out_proj_bias (E,): the
    names and layout of torch.nn.MultiheadAttention. 4E² + 4E parameters with biases.
    `mask` is torch's attn_mask, (L, S) or (N·H, L, S): boolean True BLOCKS a position (the
    opposite of scaled_dot_product_attention), a float is added to the scores.
    """
    name = "multi_head_attention_forward"
    query, key, value = as_float(query), as_float(key), as_float(value)
    h = pos_int(name, "num_heads", num_heads)
    if query.ndim != 3:
        raise ValueError(f"{name}: query must have shape (N, L, E) (batch first); "
                         f"got {query.shape}")
    n, length, e = query.shape
    if key.ndim != 3 or key.shape[0] != n or key.shape[2] != e:
        raise ValueError(f"{name}: key must have shape (N, S, E) = ({n}, S, {e}); "
                         f"got {key.shape}")
    if value.shape != key.shape:
        raise ValueError(f"{name}: value must have the shape of key {key.shape}; "
                         f"got {value.shape}")
    if e % h:
        raise ValueError(f"{name}: embed dim E={e} must be divisible by num_heads={h}")
    w_in = as_float(in_proj_weight)
    if w_in.shape != (3 * e, e):
        raise ValueError(f"{name}: in_proj_weight must have shape (3E, E) = ({3 * e}, {e}); "
                         f"got {w_in.shape}")
    b_in = None if in_proj_bias is None else as_float(in_proj_bias)
    if b_in is not None and b_in.shape != (3 * e,):
        raise ValueError(f"{name}: in_proj_bias must have shape (3E,) = ({3 * e},); "
                         f"got {b_in.shape}")
    w_out = as_float(out_proj_weight)
    if w_out.shape != (e, e):
        raise ValueError(f"{name}: out_proj_weight must have shape (E, E) = ({e}, {e}); "
                         f"got {w_out.shape}")
    bias = None
    if mask is not None:
        s_len = key.shape[1]
        if np.shape(mask) not in ((length, s_len), (n * h, length, s_len)):
            raise ValueError(f"{name}: mask must have shape (L, S) = ({length}, {s_len}) or "
                             f"(N·num_heads, L, S) = ({n * h}, {length}, {s_len}); "
                             f"got {np.shape(mask)}")
        bias = _additive(name, mask, np.shape(mask), keep_true=False)
        if bias.ndim == 3:
            bias = bias.reshape(n, h, length, s_len)
    wq, wk, wv = np.split(w_in, 3)
    bq, bk, bv = (None, None, None) if b_in is None else np.split(b_in, 3)
    q, q_cache = linear_forward(query, wq, bq)
    k, k_cache = linear_forward(key, wk, bk)
    v, v_cache = linear_forward(value, wv, bv)
    heads, attn = scaled_dot_product_attention_forward(
        _split_heads(q, h), _split_heads(k, h), _split_heads(v, h), mask=bias, causal=causal)
    out, o_cache = linear_forward(_merge_heads(heads), w_out, out_proj_bias)
    return out, MultiHeadAttentionCache(attn, q_cache, k_cache, v_cache, o_cache, h)


def multi_head_attention_backward(dout: npt.ArrayLike, cache: MultiHeadAttentionCache) -> tuple:
    """Back through the output projection, the heads' attention and the three input
    projections: returns (dquery, dkey, dvalue, din_proj_weight, din_proj_bias,
    dout_proj_weight, dout_proj_bias); the bias gradients are None where there was no bias.
    For self-attention (query = key = value = x), dx = dquery + dkey + dvalue."""
    attn, q_cache, k_cache, v_cache, o_cache, h = cache
    dheads, dw_out, db_out = linear_backward(dout, o_cache)
    dq, dk, dv = scaled_dot_product_attention_backward(_split_heads(dheads, h), attn)
    dquery, dwq, dbq = linear_backward(_merge_heads(dq), q_cache)
    dkey, dwk, dbk = linear_backward(_merge_heads(dk), k_cache)
    dvalue, dwv, dbv = linear_backward(_merge_heads(dv), v_cache)
    db_in = None if dbq is None else np.concatenate([dbq, dbk, dbv])
    return (dquery, dkey, dvalue, np.concatenate([dwq, dwk, dwv]), db_in, dw_out, db_out)


def multi_head_attention_num_params(embed_dim: int, bias: bool = True) -> int:
    """Parameters of nn.MultiheadAttention(E, H): W_Q, W_K, W_V, W_O are E×E each (4E²) plus
    4E biases; the head count does not change it (each head gets E/H of the columns)."""
    e = pos_int("multi_head_attention_num_params", "embed_dim", embed_dim)
    return 4 * e * e + (4 * e if bias else 0)
