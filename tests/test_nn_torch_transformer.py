"""Cross-check the attention and Transformer kernels against PyTorch (float64, CPU): values and
every gradient. Skipped when torch is not installed."""

from __future__ import annotations

import numpy as np
import pytest

from dlref import nn

torch = pytest.importorskip("torch")
F = torch.nn.functional
RNG = np.random.default_rng(2017)


def t(a, grad=True):
    return torch.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def close(a, b, tol=1e-10):
    b = b.detach().numpy() if isinstance(b, torch.Tensor) else b
    np.testing.assert_allclose(a, b, rtol=tol, atol=tol)


@pytest.mark.parametrize(("mask", "causal"), [(None, False), (None, True), ("bool", False),
                                              ("float", False), ("bool-row", False)])
def test_sdpa(mask, causal):
    q, k, v = (RNG.standard_normal((2, 3, 4, 5)), RNG.standard_normal((2, 3, 6, 5)),
               RNG.standard_normal((2, 3, 6, 7)))
    m = None
    if mask == "bool":
        m = RNG.random((4, 6)) > 0.3
        m[:, 0] = True
    elif mask == "bool-row":  # query 2 may attend to nothing
        m = np.ones((2, 1, 4, 6), dtype=bool)
        m[0, 0, 2] = False
    elif mask == "float":
        m = RNG.standard_normal((3, 4, 6))
    out, cache = nn.scaled_dot_product_attention_forward(q, k, v, mask=m, causal=causal)
    tq, tk, tv = t(q), t(k), t(v)
    ref = F.scaled_dot_product_attention(tq, tk, tv, attn_mask=None if m is None else
                                         torch.tensor(m), is_causal=causal)
    dout = RNG.standard_normal(out.shape)
    ref.backward(torch.tensor(dout))
    close(out, ref)
    for ours, theirs in zip(nn.scaled_dot_product_attention_backward(dout, cache),
                            (tq.grad, tk.grad, tv.grad), strict=True):
        close(ours, theirs)


def test_sdpa_custom_scale():
    q, k, v = (RNG.standard_normal((3, 4)) for _ in range(3))
    out, _ = nn.scaled_dot_product_attention_forward(q, k, v, scale=0.3)
    close(out, F.scaled_dot_product_attention(t(q), t(k), t(v), scale=0.3))


def torch_mha(e, h, bias=True):
    mha = torch.nn.MultiheadAttention(e, h, bias=bias, batch_first=True, dropout=0.0).double()
    with torch.no_grad():  # torch starts the biases at 0; make them count
        for name, p in mha.named_parameters():
            if name.endswith("bias"):
                p.copy_(torch.tensor(RNG.standard_normal(p.shape)))
    return mha


@pytest.mark.parametrize(("h", "mask", "causal", "bias", "self_attn"), [
    (1, None, False, True, True), (2, None, True, True, True), (4, "bool", False, True, False),
    (2, "float-heads", False, False, False), (2, None, False, True, False)])
def test_multi_head_attention(h, mask, causal, bias, self_attn):
    e, n, length, s = 8, 2, 5, 5 if causal or self_attn else 6
    mha = torch_mha(e, h, bias)
    sd = {k: v.detach().numpy() for k, v in mha.state_dict().items()}
    x = RNG.standard_normal((n, length, e))
    key = x if self_attn else RNG.standard_normal((n, s, e))
    value = x if self_attn else RNG.standard_normal((n, s, e))
    m = None
    if mask == "bool":  # True = blocked, as torch's MultiheadAttention
        m = RNG.random((length, s)) > 0.6
        m[:, 1] = False
    elif mask == "float-heads":
        m = RNG.standard_normal((n * h, length, s))
    if causal:
        tmask = torch.nn.Transformer.generate_square_subsequent_mask(length, dtype=torch.float64)
    else:
        tmask = None if m is None else torch.tensor(m)
    tx, tk, tv = t(x), t(key), t(value)
    ref, ref_w = mha(tx, tk, tv, attn_mask=tmask, is_causal=causal)
    out, cache = nn.multi_head_attention_forward(
        x, key, value, sd["in_proj_weight"], sd.get("in_proj_bias"), sd["out_proj.weight"],
        sd.get("out_proj.bias"), h, mask=m, causal=causal)
    close(out, ref)
    close(nn.attention_weights(cache).mean(axis=1), ref_w)  # torch averages over heads
    dout = RNG.standard_normal(out.shape)
    ref.backward(torch.tensor(dout))
    dq, dk, dv, dw_in, db_in, dw_out, db_out = nn.multi_head_attention_backward(dout, cache)
    close(dq, tx.grad)
    close(dk, tk.grad)
    close(dv, tv.grad)
    close(dw_in, mha.in_proj_weight.grad)
    close(dw_out, mha.out_proj.weight.grad)
    if bias:
        close(db_in, mha.in_proj_bias.grad)
        close(db_out, mha.out_proj.bias.grad)
    else:
        assert db_in is None and db_out is None
    assert nn.multi_head_attention_num_params(e, bias) == sum(p.numel() for p in mha.parameters())


def test_layer_norm():
    x = RNG.standard_normal((2, 3, 4)) * 3 + 2
    gamma, beta = RNG.standard_normal((3, 4)), RNG.standard_normal((3, 4))
    out, cache = nn.layer_norm_forward(x, gamma, beta, eps=1e-3)
    tx, tg, tb = t(x), t(gamma), t(beta)
    ref = F.layer_norm(tx, (3, 4), tg, tb, eps=1e-3)
    dout = RNG.standard_normal(out.shape)
    ref.backward(torch.tensor(dout))
    close(out, ref)
    for ours, theirs in zip(nn.layer_norm_backward(dout, cache), (tx.grad, tg.grad, tb.grad),
                            strict=True):
        close(ours, theirs)


@pytest.mark.parametrize("padding_idx", [None, 2, -1])
def test_embedding(padding_idx):
    w = RNG.standard_normal((5, 3))
    idx = np.array([[0, 2, 2], [4, 1, 2]])
    out, cache = nn.embedding_forward(idx, w, padding_idx=padding_idx)
    tw = t(w)
    ref = F.embedding(torch.tensor(idx), tw, padding_idx=padding_idx)
    dout = RNG.standard_normal(out.shape)
    ref.backward(torch.tensor(dout))
    close(out, ref)
    close(nn.embedding_backward(dout, cache), tw.grad)


@pytest.mark.parametrize(("ours", "grad", "theirs"), [
    (nn.gelu, nn.gelu_grad, F.gelu),
    (lambda x: nn.gelu(x, "tanh"), lambda x: nn.gelu_grad(x, "tanh"),
     lambda x: F.gelu(x, approximate="tanh")),
    (nn.silu, nn.silu_grad, F.silu)])
def test_gelu_silu(ours, grad, theirs):
    x = np.array([-1000.0, -30.0, -5.0, -1.3, -0.2, 0.0, 0.2, 1.3, 5.0, 30.0, 1000.0])
    tx = t(x)
    ref = theirs(tx)
    ref.backward(torch.ones_like(tx))
    close(ours(x), ref, tol=1e-12)
    close(grad(x), tx.grad, tol=1e-12)


def test_positional_encoding_as_written_in_torch():
    """The usual PyTorch tutorial code (div_term via exp(−ln 10000 · 2i/d))."""
    length, d = 30, 16
    pos = torch.arange(length, dtype=torch.float64).unsqueeze(1)
    div = torch.exp(torch.arange(0, d, 2, dtype=torch.float64) * (-np.log(10000.0) / d))
    pe = torch.zeros(length, d, dtype=torch.float64)
    pe[:, 0::2] = torch.sin(pos * div)
    pe[:, 1::2] = torch.cos(pos * div)
    close(nn.sinusoidal_positional_encoding(length, d), pe, tol=1e-12)


@pytest.mark.parametrize("norm_first", [False, True])
@pytest.mark.parametrize("activation", ["relu", "gelu"])
@pytest.mark.parametrize("causal", [False, True])
def test_transformer_encoder_layer(norm_first, activation, causal):
    d, h, f = 8, 2, 12
    layer = torch.nn.TransformerEncoderLayer(d, h, f, dropout=0.0, activation=activation,
                                             batch_first=True, norm_first=norm_first).double()
    with torch.no_grad():
        for p in layer.parameters():
            p.add_(0.1 * torch.tensor(RNG.standard_normal(p.shape)))
    params = {k: v.detach().numpy().copy() for k, v in layer.state_dict().items()}
    x = RNG.standard_normal((2, 5, d))
    tx = t(x)
    mask = (torch.nn.Transformer.generate_square_subsequent_mask(5, dtype=torch.float64)
            if causal else None)
    ref = layer(tx, src_mask=mask, is_causal=causal)
    out, cache = nn.transformer_encoder_layer_forward(x, params, h, norm_first=norm_first,
                                                      activation=activation, causal=causal)
    close(out, ref)
    dout = RNG.standard_normal(out.shape)
    ref.backward(torch.tensor(dout))
    dx, grads = nn.transformer_encoder_layer_backward(dout, cache)
    close(dx, tx.grad)
    named = dict(layer.named_parameters())
    assert set(grads) == set(named)
    for name, g in grads.items():
        close(g, named[name].grad)
    assert nn.transformer_encoder_layer_num_params(d, f) == sum(p.numel()
                                                                for p in layer.parameters())


def test_encoder_layer_boolean_src_mask():
    d, h = 4, 2
    layer = torch.nn.TransformerEncoderLayer(d, h, 8, dropout=0.0, batch_first=True).double()
    params = {k: v.detach().numpy().copy() for k, v in layer.state_dict().items()}
    x = RNG.standard_normal((1, 4, d))
    block = np.array([[False, False, True, False]] * 4)
    ref = layer(t(x), src_mask=torch.tensor(block))
    out, _ = nn.transformer_encoder_layer_forward(x, params, h, mask=block)
    close(out, ref)
