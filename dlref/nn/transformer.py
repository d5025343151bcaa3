"""One Transformer encoder layer, as torch.nn.TransformerEncoderLayer(batch_first=True,
dropout=0.0): self-attention and a position-wise feed-forward network, each wrapped in a
residual connection and a layer norm.

`params` is a dict with the keys of that module's state_dict(), so PyTorch weights load as
`{k: v.double().numpy() for k, v in layer.state_dict().items()}`.
"""

from __future__ import annotations

from typing import Any, NamedTuple

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float, pos_int, rng_from
from dlref.nn.activations import gelu, gelu_grad, relu, relu_grad
from dlref.nn.attention import multi_head_attention_backward, multi_head_attention_forward
from dlref.nn.init import xavier_uniform
from dlref.nn.linear import linear_backward, linear_forward
from dlref.nn.normalization import layer_norm_backward, layer_norm_forward

PARAM_NAMES = (
    "self_attn.in_proj_weight", "self_attn.in_proj_bias",
    "self_attn.out_proj.weight", "self_attn.out_proj.bias",
    "linear1.weight", "linear1.bias", "linear2.weight", "linear2.bias",
    "norm1.weight", "norm1.bias", "norm2.weight", "norm2.bias",
)
_ACT = {"relu": (relu, relu_grad), "gelu": (gelu, gelu_grad)}


class TransformerEncoderLayerCache(NamedTuple):
    """The sub-layers' caches: self-attention, the feed-forward network (linear1, its output
    before the activation, linear2), the two layer norms; and the options used."""

    attn: Any
    ff: tuple[Any, np.ndarray, Any]
    norm1: Any
    norm2: Any
    norm_first: bool
    activation: str


def _check_params(name: str, params: Any, d: int) -> tuple[dict[str, np.ndarray], int]:
    """The params as float64 arrays, checked against d_model = d; and dim_feedforward."""
    if not isinstance(params, dict):
        raise ValueError(f"{name}: params must be a dict with the state_dict names "
                         f"{', '.join(PARAM_NAMES)}; got {type(params).__name__}")
    missing = [k for k in PARAM_NAMES if k not in params]
    if missing:
        raise ValueError(f"{name}: params lacks {', '.join(missing)}")
    p = {k: as_float(params[k]) for k in PARAM_NAMES}
    f = p["linear1.weight"].shape[0] if p["linear1.weight"].ndim == 2 else 0
    shapes = {"self_attn.in_proj_weight": (3 * d, d), "self_attn.in_proj_bias": (3 * d,),
              "self_attn.out_proj.weight": (d, d), "self_attn.out_proj.bias": (d,),
              "linear1.weight": (f, d), "linear1.bias": (f,), "linear2.weight": (d, f),
              "linear2.bias": (d,), "norm1.weight": (d,), "norm1.bias": (d,),
              "norm2.weight": (d,), "norm2.bias": (d,)}
    for k, shape in shapes.items():
        if p[k].shape != shape or f == 0:
            raise ValueError(f"{name}: params[{k!r}] must have shape {shape} for d_model={d} "
                             f"(the last axis of x); got {p[k].shape}")
    return p, f


def _self_attention(x, p, h, mask, causal):
    return multi_head_attention_forward(
        x, x, x, p["self_attn.in_proj_weight"], p["self_attn.in_proj_bias"],
        p["self_attn.out_proj.weight"], p["self_attn.out_proj.bias"], h, mask=mask, causal=causal)


def _feed_forward(x, p, activation):
    """FFN(x) = W₂ φ(W₁ x + b₁) + b₂, applied to every position alike."""
    z, c1 = linear_forward(x, p["linear1.weight"], p["linear1.bias"])
    y, c2 = linear_forward(_ACT[activation][0](z), p["linear2.weight"], p["linear2.bias"])
    return y, (c1, z, c2)


def transformer_encoder_layer_forward(
        x: npt.ArrayLike, params: dict[str, npt.ArrayLike], num_heads: int,
        norm_first: bool = False, activation: str = "relu", mask: npt.ArrayLike | None = None,
        causal: bool = False, eps: float = 1e-5) -> tuple[np.ndarray, TransformerEncoderLayerCache]:
    """Post-norm (norm_first=False, the 2017 paper and torch's default):
        h = LayerNorm₁(x + SelfAttn(x)),  y = LayerNorm₂(h + FFN(h))
    Pre-norm (norm_first=True, GPT-2 and most recent models):
        h = x + SelfAttn(LayerNorm₁(x)),  y = h + FFN(LayerNorm₂(h))
    FFN(x) = linear2(φ(linear1(x))), φ = relu or gelu. x (N, L, d_model), batch first; `mask`
    is torch's src_mask (boolean True BLOCKS a position, see multi_head_attention_forward).
    """
    name = "transformer_encoder_layer_forward"
    x = as_float(x)
    if x.ndim != 3:
        raise ValueError(f"{name}: x must have shape (N, L, d_model) (batch first); got {x.shape}")
    if activation not in _ACT:
        raise ValueError(f"{name}: activation must be 'relu' or 'gelu'; got {activation!r}")
    h = pos_int(name, "num_heads", num_heads)
    p, _ = _check_params(name, params, x.shape[-1])

    def norm(i, a):
        return layer_norm_forward(a, p[f"norm{i}.weight"], p[f"norm{i}.bias"], eps)

    if norm_first:
        a_in, n1 = norm(1, x)
        a, attn = _self_attention(a_in, p, h, mask, causal)
        hid = x + a
        f_in, n2 = norm(2, hid)
        f, ff = _feed_forward(f_in, p, activation)
        out = hid + f
    else:
        a, attn = _self_attention(x, p, h, mask, causal)
        hid, n1 = norm(1, x + a)
        f, ff = _feed_forward(hid, p, activation)
        out, n2 = norm(2, hid + f)
    return out, TransformerEncoderLayerCache(attn, ff, n1, n2, bool(norm_first), activation)


def _self_attention_backward(da, cache):
    """Self-attention uses x three times (query, key, value): its gradient is the sum."""
    dq, dk, dv, dw_in, db_in, dw_out, db_out = multi_head_attention_backward(da, cache)
    return dq + dk + dv, {"self_attn.in_proj_weight": dw_in, "self_attn.in_proj_bias": db_in,
                          "self_attn.out_proj.weight": dw_out, "self_attn.out_proj.bias": db_out}


def _feed_forward_backward(dy, ff, activation):
    c1, z, c2 = ff
    da, dw2, db2 = linear_backward(dy, c2)
    dx, dw1, db1 = linear_backward(da * _ACT[activation][1](z), c1)
    return dx, {"linear1.weight": dw1, "linear1.bias": db1, "linear2.weight": dw2,
                "linear2.bias": db2}


def transformer_encoder_layer_backward(
        dout: npt.ArrayLike,
        cache: TransformerEncoderLayerCache) -> tuple[np.ndarray, dict[str, np.ndarray]]:
    """Back through the layer in reverse; a residual x + F(x) passes dy on unchanged AND through
    F (∂/∂x = I + ∂F/∂x). Returns (dx, grads) with grads keyed like params."""
    attn, ff, n1, n2, norm_first, activation = cache
    dout = as_float(dout)
    if dout.shape != n2.xhat.shape:
        raise ValueError(f"transformer_encoder_layer_backward: dout must have the shape of the "
                         f"output {n2.xhat.shape}; got {dout.shape}")
    grads: dict[str, np.ndarray] = {}

    def norm_back(i, d, c):
        dx, grads[f"norm{i}.weight"], grads[f"norm{i}.bias"] = layer_norm_backward(d, c)
        return dx

    if norm_first:
        df_in, g_ff = _feed_forward_backward(dout, ff, activation)
        dhid = dout + norm_back(2, df_in, n2)
        da_in, g_attn = _self_attention_backward(dhid, attn)
        dx = dhid + norm_back(1, da_in, n1)
    else:
        dz2 = norm_back(2, dout, n2)
        dh, g_ff = _feed_forward_backward(dz2, ff, activation)
        dz1 = norm_back(1, dz2 + dh, n1)
        da, g_attn = _self_attention_backward(dz1, attn)
        dx = dz1 + da
    grads.update(g_attn)
    grads.update(g_ff)
    return dx, {k: grads[k] for k in PARAM_NAMES}


def transformer_encoder_layer_num_params(d_model: int, dim_feedforward: int) -> int:
    """Parameters of nn.TransformerEncoderLayer(d_model, nhead, dim_feedforward):
    self-attention 4d² + 4d, feed-forward 2·d·d_ff + d_ff + d, two layer norms 2·2d."""
    d = pos_int("transformer_encoder_layer_num_params", "d_model", d_model)
    f = pos_int("transformer_encoder_layer_num_params", "dim_feedforward", dim_feedforward)
    return (4 * d * d + 4 * d) + (2 * d * f + f + d) + 4 * d


def transformer_encoder_layer_params(d_model: int, dim_feedforward: int,
                                     rng: np.random.Generator | int | None = None
                                     ) -> dict[str, np.ndarray]:
    """Fresh weights under the state_dict names: Xavier-uniform matrices, zero biases, layer
    norms at γ = 1, β = 0 (PyTorch's scheme for the attention and norms; its linear layers
    start differently, which does not matter for shapes or for a demo)."""
    d = pos_int("transformer_encoder_layer_params", "d_model", d_model)
    f = pos_int("transformer_encoder_layer_params", "dim_feedforward", dim_feedforward)
    g = rng_from(rng)
    return {
        "self_attn.in_proj_weight": xavier_uniform((3 * d, d), rng=g),
        "self_attn.in_proj_bias": np.zeros(3 * d),
        "self_attn.out_proj.weight": xavier_uniform((d, d), rng=g),
        "self_attn.out_proj.bias": np.zeros(d),
        "linear1.weight": xavier_uniform((f, d), rng=g), "linear1.bias": np.zeros(f),
        "linear2.weight": xavier_uniform((d, f), rng=g), "linear2.bias": np.zeros(d),
        "norm1.weight": np.ones(d), "norm1.bias": np.zeros(d),
        "norm2.weight": np.ones(d), "norm2.bias": np.zeros(d),
    }
