"""Attention, layer norm, embedding, positional encoding, GELU/SiLU and the encoder layer:
known values worked by hand, finite-difference gradients, and the errors for wrong shapes."""

from __future__ import annotations

import math

import numpy as np
import pytest
from gradcheck import assert_grad, numerical_grad, rel_error

from dlref import nn

RNG = np.random.default_rng(15)


def assert_grad_zeros_allowed(analytic, f, x, dout, tol=1e-6):
    """assert_grad, except entries whose true gradient is 0 (the key bias of attention: adding
    q·b_k to a whole row of scores leaves the softmax unchanged) are compared absolutely, where
    the relative error of two rounding noises means nothing."""
    numeric = numerical_grad(f, x, dout)
    zero = (np.abs(analytic) < 1e-12) & (np.abs(numeric) < 1e-8)
    assert rel_error(analytic[~zero], numeric[~zero]) < tol


# --- scaled dot-product attention --------------------------------------------------------------


def test_attention_weights_by_hand():
    q = np.array([[1.0, 0.0]])
    k = np.array([[1.0, 0.0], [0.0, 1.0], [-1.0, 0.0]])
    v = np.array([[1.0], [2.0], [3.0]])
    out, cache = nn.scaled_dot_product_attention_forward(q, k, v)
    s = np.array([1.0, 0.0, -1.0]) / math.sqrt(2)  # q·kⱼ / √2
    w = np.exp(s) / np.exp(s).sum()
    np.testing.assert_allclose(nn.attention_weights(cache), [w], rtol=1e-14)
    np.testing.assert_allclose(out, [[w @ [1.0, 2.0, 3.0]]], rtol=1e-14)


def test_scale_and_causal_mask():
    q = k = np.array([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]])
    v = np.eye(3)
    _, plain = nn.scaled_dot_product_attention_forward(q, k, v, scale=1.0)
    raw = q @ k.T
    np.testing.assert_allclose(plain.weights, np.exp(raw - raw.max(1, keepdims=True))
                               / np.exp(raw - raw.max(1, keepdims=True)).sum(1, keepdims=True))
    out, causal = nn.scaled_dot_product_attention_forward(q, k, v, causal=True)
    w = causal.weights
    assert np.all(w[np.triu_indices(3, 1)] == 0.0)
    np.testing.assert_allclose(w.sum(-1), 1.0)
    assert w[0, 0] == 1.0  # the first position sees only itself
    np.testing.assert_allclose(out, w)  # v = I: the output rows are the weights


def test_boolean_and_additive_masks_agree():
    q, k, v = RNG.standard_normal((2, 4, 3)), RNG.standard_normal((2, 5, 3)), \
        RNG.standard_normal((2, 5, 2))
    keep = RNG.random((4, 5)) > 0.4
    keep[:, 0] = True
    a, ca = nn.scaled_dot_product_attention_forward(q, k, v, mask=keep)
    b, _ = nn.scaled_dot_product_attention_forward(q, k, v, mask=np.where(keep, 0.0, -np.inf))
    np.testing.assert_allclose(a, b)
    assert np.all(ca.weights[:, ~keep] == 0.0)
    # a fully blocked query row gives zero weights and zero output (PyTorch's behaviour)
    keep[2] = False
    out, c = nn.scaled_dot_product_attention_forward(q, k, v, mask=keep)
    assert np.all(out[:, 2] == 0.0) and np.all(c.weights[:, 2] == 0.0)
    assert np.all(np.isfinite(out))


@pytest.mark.parametrize("causal", [False, True])
def test_attention_backward(causal):
    q, k, v = RNG.standard_normal((2, 3, 4)), RNG.standard_normal((2, 3, 4)), \
        RNG.standard_normal((2, 3, 5))
    mask = np.array([[True, False, True]] * 3)
    out, cache = nn.scaled_dot_product_attention_forward(q, k, v, mask=mask, causal=causal)
    dout = RNG.standard_normal(out.shape)
    dq, dk, dv = nn.scaled_dot_product_attention_backward(dout, cache)

    def f():
        return nn.scaled_dot_product_attention_forward(q, k, v, mask=mask, causal=causal)[0]

    for arr, grad in ((q, dq), (k, dk), (v, dv)):
        assert_grad(grad, f, arr, dout)


@pytest.mark.parametrize(("args", "match"), [
    ((np.zeros((3, 4)), np.zeros((3, 5)), np.zeros((3, 2))), "k must have shape"),
    ((np.zeros((3, 4)), np.zeros((3, 4)), np.zeros((2, 2))), "v must have shape"),
    ((np.zeros(4), np.zeros(4), np.zeros(4)), "q, k, v must have shapes"),
    ((np.zeros((2, 3, 4)), np.zeros((1, 3, 4)), np.zeros((1, 3, 4))), "k must have shape"),
])
def test_attention_shape_errors(args, match):
    with pytest.raises(ValueError, match=match):
        nn.scaled_dot_product_attention_forward(*args)


def test_attention_mask_errors():
    q = np.zeros((3, 4))
    with pytest.raises(ValueError, match="mask must broadcast"):
        nn.scaled_dot_product_attention_forward(q, q, q, mask=np.ones((2, 2), dtype=bool))
    with pytest.raises(ValueError, match="mask must broadcast"):  # would add a batch axis
        nn.scaled_dot_product_attention_forward(q, q, q, mask=np.ones((2, 3, 3), dtype=bool))
    with pytest.raises(ValueError, match="mask must be boolean or numeric"):
        nn.scaled_dot_product_attention_forward(q, q, q, mask=np.array([["a"] * 3] * 3))
    _, cache = nn.scaled_dot_product_attention_forward(q, q, q)
    with pytest.raises(ValueError, match="dout must have shape"):
        nn.scaled_dot_product_attention_backward(np.zeros((3, 5)), cache)
    with pytest.raises(ValueError, match="cache must come from an attention forward"):
        nn.attention_weights((1, 2))


def test_causal_mask():
    np.testing.assert_array_equal(nn.causal_mask(3), [[1, 0, 0], [1, 1, 0], [1, 1, 1]])
    assert nn.causal_mask(4).sum() == 4 * 5 // 2
    assert nn.causal_mask(2, 3).shape == (2, 3)
    with pytest.raises(ValueError, match="length"):
        nn.causal_mask(0)


# --- multi-head attention -------------------------------------------------------------------


def mha_weights(e, bias=True):
    return (RNG.standard_normal((3 * e, e)) / math.sqrt(e),
            RNG.standard_normal(3 * e) if bias else None,
            RNG.standard_normal((e, e)) / math.sqrt(e), RNG.standard_normal(e) if bias else None)


def test_one_head_is_attention_between_projections():
    e = 4
    w_in, b_in, w_out, b_out = mha_weights(e)
    x = RNG.standard_normal((2, 3, e))
    out, cache = nn.multi_head_attention_forward(x, x, x, w_in, b_in, w_out, b_out, 1)
    q, k, v = (x @ w.T + b for w, b in zip(np.split(w_in, 3), np.split(b_in, 3), strict=True))
    s = q @ k.transpose(0, 2, 1) / 2.0  # √E = 2
    w = np.exp(s) / np.exp(s).sum(-1, keepdims=True)
    np.testing.assert_allclose(out, (w @ v) @ w_out.T + b_out, rtol=1e-12)
    assert nn.attention_weights(cache).shape == (2, 1, 3, 3)


def test_heads_split_the_features():
    """Two heads = attention on features 0–1 and 2–3 separately, concatenated."""
    e = 4
    w_in, b_in, _, _ = mha_weights(e)
    x, y = RNG.standard_normal((1, 3, e)), RNG.standard_normal((1, 5, e))
    out, _ = nn.multi_head_attention_forward(x, y, y, w_in, b_in, np.eye(e), np.zeros(e), 2)
    q = x @ np.split(w_in, 3)[0].T + np.split(b_in, 3)[0]
    k = y @ np.split(w_in, 3)[1].T + np.split(b_in, 3)[1]
    v = y @ np.split(w_in, 3)[2].T + np.split(b_in, 3)[2]
    for head in (slice(0, 2), slice(2, 4)):
        ref, _ = nn.scaled_dot_product_attention_forward(q[..., head], k[..., head], v[..., head])
        np.testing.assert_allclose(out[..., head], ref, rtol=1e-12)


@pytest.mark.parametrize(("causal", "bias", "mask"), [
    (False, True, None), (True, True, None), (False, False, "bool"), (False, True, "float")])
def test_mha_backward(causal, bias, mask):
    e, h = 4, 2
    w_in, b_in, w_out, b_out = mha_weights(e, bias)
    query, key, value = (RNG.standard_normal((2, 3, e)), RNG.standard_normal((2, 4, e)),
                         RNG.standard_normal((2, 4, e)))
    if causal:
        key, value = key[:, :3], value[:, :3]
    m = {None: None, "bool": np.array([[False, True, False, False]] * 3),
         "float": RNG.standard_normal((2 * h, 3, 4))}[mask]

    def f():
        return nn.multi_head_attention_forward(query, key, value, w_in, b_in, w_out, b_out, h,
                                               mask=m, causal=causal)[0]

    out, cache = nn.multi_head_attention_forward(query, key, value, w_in, b_in, w_out, b_out, h,
                                                 mask=m, causal=causal)
    dout = RNG.standard_normal(out.shape)
    grads = nn.multi_head_attention_backward(dout, cache)
    params = (query, key, value, w_in, b_in, w_out, b_out)
    for arr, grad in zip(params, grads, strict=True):
        if arr is None:
            assert grad is None
        else:
            assert_grad_zeros_allowed(grad, f, arr, dout, tol=1e-5)
    e = query.shape[-1]
    if bias:  # the key bias never changes the output
        assert np.abs(grads[4][e:2 * e]).max() < 1e-12


def test_mha_bool_mask_blocks_true_positions():
    e = 4
    w_in, b_in, w_out, b_out = mha_weights(e)
    x = RNG.standard_normal((1, 3, e))
    block = np.array([[False, True, False]] * 3)
    _, cache = nn.multi_head_attention_forward(x, x, x, w_in, b_in, w_out, b_out, 2, mask=block)
    assert np.all(nn.attention_weights(cache)[..., 1] == 0.0)
    assert np.all(nn.attention_weights(cache)[..., 0] > 0.0)


def test_mha_errors_and_parameter_count():
    e = 6
    w_in, b_in, w_out, b_out = mha_weights(e)
    x = np.zeros((2, 3, e))
    with pytest.raises(ValueError, match="E=6 must be divisible by num_heads=4"):
        nn.multi_head_attention_forward(x, x, x, w_in, b_in, w_out, b_out, 4)
    with pytest.raises(ValueError, match="query must have shape"):
        nn.multi_head_attention_forward(x[0], x, x, w_in, b_in, w_out, b_out, 2)
    with pytest.raises(ValueError, match="key must have shape"):
        nn.multi_head_attention_forward(x, x[..., :4], x, w_in, b_in, w_out, b_out, 2)
    with pytest.raises(ValueError, match="value must have the shape of key"):
        nn.multi_head_attention_forward(x, x, x[:, :2], w_in, b_in, w_out, b_out, 2)
    with pytest.raises(ValueError, match="in_proj_weight must have shape"):
        nn.multi_head_attention_forward(x, x, x, w_in[:6], b_in, w_out, b_out, 2)
    with pytest.raises(ValueError, match="mask must have shape"):
        nn.multi_head_attention_forward(x, x, x, w_in, b_in, w_out, b_out, 2,
                                        mask=np.zeros((3, 3, 3)))
    with pytest.raises(ValueError, match="num_heads"):
        nn.multi_head_attention_forward(x, x, x, w_in, b_in, w_out, b_out, 0)
    assert nn.multi_head_attention_num_params(512) == 4 * 512 ** 2 + 4 * 512 == 1050624
    assert nn.multi_head_attention_num_params(8, bias=False) == 256


# --- layer norm -------------------------------------------------------------------------------


def test_layer_norm_by_hand():
    x = np.array([[1.0, 2.0, 3.0, 6.0]])  # μ = 3, σ² = (4 + 1 + 0 + 9)/4 = 3.5
    out, _ = nn.layer_norm_forward(x, np.ones(4), np.zeros(4), eps=0.0)
    np.testing.assert_allclose(out, (x - 3.0) / math.sqrt(3.5))
    out, _ = nn.layer_norm_forward(x, [2.0, 2.0, 2.0, 2.0], [1.0, 0.0, 0.0, 0.0], eps=0.0)
    np.testing.assert_allclose(out, 2 * (x - 3.0) / math.sqrt(3.5) + [1, 0, 0, 0])


def test_layer_norm_statistics_are_per_sample_not_per_batch():
    x = RNG.normal(5.0, 3.0, size=(1, 8))  # one sample: batch norm could not train on it
    out, _ = nn.layer_norm_forward(x, np.ones(8), np.zeros(8))
    assert out.mean() == pytest.approx(0.0, abs=1e-12)
    assert out.std() == pytest.approx(1.0, rel=1e-5)
    both = np.vstack([x, 100 * RNG.standard_normal((1, 8))])
    out2, _ = nn.layer_norm_forward(both, np.ones(8), np.zeros(8))
    np.testing.assert_allclose(out2[0], out[0])  # the other sample does not change sample 0


@pytest.mark.parametrize(("shape", "norm"), [((3, 5), (5,)), ((2, 3, 4), (3, 4)), ((4,), (4,))])
def test_layer_norm_backward(shape, norm):
    x = RNG.standard_normal(shape) * 2 + 1
    gamma, beta = RNG.standard_normal(norm), RNG.standard_normal(norm)
    out, cache = nn.layer_norm_forward(x, gamma, beta)
    dout = RNG.standard_normal(out.shape)
    dx, dgamma, dbeta = nn.layer_norm_backward(dout, cache)

    def f():
        return nn.layer_norm_forward(x, gamma, beta)[0]

    assert_grad(dx, f, x, dout)
    assert_grad(dgamma, f, gamma, dout)
    assert_grad(dbeta, f, beta, dout)


def test_layer_norm_errors():
    x = np.zeros((2, 3))
    with pytest.raises(ValueError, match="x must end in gamma's shape"):
        nn.layer_norm_forward(x, np.ones(4), np.zeros(4))
    with pytest.raises(ValueError, match="x must end in gamma's shape"):
        nn.layer_norm_forward(x, 1.0, 0.0)
    with pytest.raises(ValueError, match="beta must have gamma's shape"):
        nn.layer_norm_forward(x, np.ones(3), np.zeros(2))
    with pytest.raises(ValueError, match="eps"):
        nn.layer_norm_forward(x, np.ones(3), np.zeros(3), eps=-1.0)
    _, cache = nn.layer_norm_forward(x, np.ones(3), np.zeros(3))
    with pytest.raises(ValueError, match="dout must have the shape of x"):
        nn.layer_norm_backward(np.zeros((3, 3)), cache)


# --- embedding --------------------------------------------------------------------------------


def test_embedding_is_a_one_hot_product():
    w = RNG.standard_normal((5, 3))
    idx = np.array([[0, 4, 4], [2, 1, 0]])
    out, _ = nn.embedding_forward(idx, w)
    one_hot = np.eye(5)[idx]  # (2, 3, 5)
    np.testing.assert_allclose(out, one_hot @ w)
    assert out.shape == (2, 3, 3)


def test_embedding_backward_accumulates_and_skips_padding():
    w = RNG.standard_normal((4, 2))
    idx = np.array([1, 3, 1, 0])
    out, cache = nn.embedding_forward(idx, w)
    dout = RNG.standard_normal(out.shape)
    dw = nn.embedding_backward(dout, cache)
    assert_grad(dw, lambda: nn.embedding_forward(idx, w)[0], w, dout)
    np.testing.assert_allclose(dw[1], dout[0] + dout[2])  # row 1 used twice
    assert np.all(dw[2] == 0.0)  # never looked up
    _, cache = nn.embedding_forward(idx, w, padding_idx=-1)  # row 3
    dw_pad = nn.embedding_backward(dout, cache)
    assert np.all(dw_pad[3] == 0.0)
    np.testing.assert_allclose(dw_pad[:3], dw[:3])


def test_embedding_errors_and_count():
    w = np.zeros((4, 2))
    with pytest.raises(ValueError, match=r"indices must be in \[0, 3\].*got 4"):
        nn.embedding_forward([0, 4], w)
    with pytest.raises(ValueError, match="got -1"):
        nn.embedding_forward([-1], w)
    with pytest.raises(ValueError, match="indices must be integers"):
        nn.embedding_forward([0.5], w)
    with pytest.raises(ValueError, match="weight must have shape"):
        nn.embedding_forward([0], np.zeros(4))
    with pytest.raises(ValueError, match="padding_idx"):
        nn.embedding_forward([0], w, padding_idx=4)
    _, cache = nn.embedding_forward([0, 1], w)
    with pytest.raises(ValueError, match="dout must have shape"):
        nn.embedding_backward(np.zeros((2, 3)), cache)
    assert nn.embedding_num_params(30000, 512) == 15_360_000


# --- positional encoding ---------------------------------------------------------------------


def test_positional_encoding_values():
    pe = nn.sinusoidal_positional_encoding(50, 8)
    assert pe.shape == (50, 8)
    np.testing.assert_allclose(pe[0], [0, 1] * 4)  # sin 0, cos 0
    pos = 7  # dimensions 4 and 5 (pair i = 2) share the frequency 1/10000^(4/8) = 0.01
    assert pe[pos, 4] == pytest.approx(math.sin(7 * 0.01), rel=1e-14)
    assert pe[pos, 5] == pytest.approx(math.cos(7 * 0.01), rel=1e-14)
    assert pe[3, 0] == pytest.approx(math.sin(3.0))
    odd = nn.sinusoidal_positional_encoding(4, 5)
    np.testing.assert_allclose(odd[:, 4], np.sin(np.arange(4) / 10000 ** (4 / 5)))


def test_positional_encoding_shift_is_a_rotation():
    """For each sin/cos pair, PE[pos + k] = R(k·ω) PE[pos]: relative positions are linear."""
    pe, k = nn.sinusoidal_positional_encoding(20, 6), 3
    for i in range(3):
        w = 1 / 10000 ** (2 * i / 6)
        rot = np.array([[math.cos(k * w), math.sin(k * w)], [-math.sin(k * w), math.cos(k * w)]])
        np.testing.assert_allclose(pe[k:, 2 * i:2 * i + 2], pe[:-k, 2 * i:2 * i + 2] @ rot.T,
                                   atol=1e-12)
    with pytest.raises(ValueError, match="d_model"):
        nn.sinusoidal_positional_encoding(3, 0)


# --- GELU and SiLU ------------------------------------------------------------------------------


def test_gelu_and_silu_known_values():
    assert nn.gelu(1.0) == pytest.approx(0.8413447460685429, rel=1e-14)  # Φ(1)
    assert nn.gelu(-1.0) == pytest.approx(-0.15865525393145707, rel=1e-14)
    assert nn.gelu(0.0) == 0.0
    assert nn.gelu(1.0, "tanh") == pytest.approx(0.8411919906082768, rel=1e-12)
    assert nn.silu(1.0) == pytest.approx(1 / (1 + math.exp(-1)), rel=1e-14)
    assert nn.silu(-2.0) == pytest.approx(-2 / (1 + math.exp(2)), rel=1e-14)
    assert nn.gelu_grad(0.0) == 0.5 and nn.silu_grad(0.0) == 0.5
    with pytest.raises(ValueError, match="approximate"):
        nn.gelu(1.0, "fast")
    with pytest.raises(ValueError, match="approximate"):
        nn.gelu_grad(1.0, "erf")


@pytest.mark.parametrize(("f", "df"), [
    (nn.gelu, nn.gelu_grad), (lambda x: nn.gelu(x, "tanh"), lambda x: nn.gelu_grad(x, "tanh")),
    (nn.silu, nn.silu_grad)])
def test_gelu_silu_derivatives(f, df):
    x = np.linspace(-4, 4, 17)
    assert_grad(df(x), lambda: f(x), x, np.ones(17))
    assert np.all(np.isfinite(f(np.array([-1000.0, 1000.0]))))
    assert np.all(np.isfinite(df(np.array([-1000.0, 1000.0]))))


# --- Transformer encoder layer ------------------------------------------------------------------


def random_params(d, f):
    p = nn.transformer_encoder_layer_params(d, f, rng=3)
    return {k: v + 0.1 * RNG.standard_normal(v.shape) for k, v in p.items()}  # biases ≠ 0


@pytest.mark.parametrize(("norm_first", "activation", "causal"), [
    (False, "relu", False), (True, "relu", True), (False, "gelu", True), (True, "gelu", False)])
def test_encoder_layer_backward(norm_first, activation, causal):
    d, f, h = 4, 6, 2
    params = random_params(d, f)
    x = RNG.standard_normal((2, 3, d))
    kw = {"norm_first": norm_first, "activation": activation, "causal": causal}
    out, cache = nn.transformer_encoder_layer_forward(x, params, h, **kw)
    dout = RNG.standard_normal(out.shape)
    dx, grads = nn.transformer_encoder_layer_backward(dout, cache)

    def fwd():
        return nn.transformer_encoder_layer_forward(x, params, h, **kw)[0]

    assert_grad(dx, fwd, x, dout, tol=1e-5)
    assert list(grads) == list(params)
    for name, arr in params.items():
        assert_grad_zeros_allowed(grads[name], fwd, arr, dout, tol=1e-5)


def test_encoder_layer_post_norm_output_is_normalised():
    params = random_params(8, 16)
    for k in ("norm2.weight", "norm2.bias"):
        params[k] = np.ones(8) if k.endswith("weight") else np.zeros(8)
    out, _ = nn.transformer_encoder_layer_forward(RNG.standard_normal((2, 5, 8)), params, 4)
    np.testing.assert_allclose(out.mean(-1), 0.0, atol=1e-12)
    np.testing.assert_allclose(out.var(-1), 1.0, rtol=1e-4)


def test_encoder_layer_errors_and_count():
    params = random_params(4, 6)
    x = np.zeros((2, 3, 4))
    with pytest.raises(ValueError, match="x must have shape"):
        nn.transformer_encoder_layer_forward(x[0], params, 2)
    with pytest.raises(ValueError, match="activation"):
        nn.transformer_encoder_layer_forward(x, params, 2, activation="tanh")
    with pytest.raises(ValueError, match="params lacks norm2.bias"):
        nn.transformer_encoder_layer_forward(x, {k: v for k, v in params.items()
                                                 if k != "norm2.bias"}, 2)
    with pytest.raises(ValueError, match=r"params\['linear2.weight'\] must have shape"):
        nn.transformer_encoder_layer_forward(x, params | {"linear2.weight": np.zeros((4, 5))}, 2)
    with pytest.raises(ValueError, match="params must be a dict"):
        nn.transformer_encoder_layer_forward(x, [1, 2], 2)
    with pytest.raises(ValueError, match="divisible by num_heads=3"):
        nn.transformer_encoder_layer_forward(x, params, 3)
    _, cache = nn.transformer_encoder_layer_forward(x, params, 2)
    with pytest.raises(ValueError, match="dout must have the shape"):
        nn.transformer_encoder_layer_backward(np.zeros((2, 3, 5)), cache)
    # d_model 512, d_ff 2048: the base model's 3 152 384 parameters per encoder layer
    assert nn.transformer_encoder_layer_num_params(512, 2048) == 3_152_384
    assert nn.transformer_encoder_layer_num_params(4, 6) == sum(v.size for v in params.values())
