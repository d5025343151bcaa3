"""transformer-block demo: the stage shapes are what the real kernel produces, the parameter
counts add up to PyTorch's formula, and the quadratic part grows like L²."""

from __future__ import annotations

import numpy as np
import pytest
from test_demos_all import assert_finite, knob_cases

from dlref import nn
from dlref.demos import get
from dlref.demos.transformer_block import stages
from dlref.i18n import pick

DEMO = get("transformer-block")


def _run(**values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(0))


def shape(text: str) -> tuple[int, ...]:
    return tuple(int(v) for v in text.split("(")[-1].rstrip(")").split(","))


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_and_choice_is_finite(knob, value):
    assert_finite(_run(**{knob: value}))


def test_defaults_are_the_base_model():
    result = _run()
    rows = result.tables[0].rows
    assert rows[-1][0] == {"en": "total", "zh": "合计"} and rows[-1][2] == 3_152_384
    assert result.metrics["attention_params"] == 4 * 512 ** 2 + 4 * 512
    assert sum(r[2] for r in rows[:-1]) == rows[-1][2]
    assert sum(r[3] for r in rows[:-1]) == rows[-1][3]


@pytest.mark.parametrize("norm_first", [False, True])
def test_shapes_and_counts_agree_with_the_kernel(norm_first):
    n, length, h, dk, dff = 2, 5, 2, 3, 12
    d = h * dk
    params = nn.transformer_encoder_layer_params(d, dff, rng=0)
    x = np.random.default_rng(0).standard_normal((n, length, d))
    out, cache = nn.transformer_encoder_layer_forward(x, params, h, norm_first=norm_first)
    rows = {pick(name, "en"): (shp, p)
            for name, shp, p, _ in stages(n, length, h, dk, dff, norm_first)}
    assert shape(rows["concat heads"][0]) == out.shape
    assert shape(rows["scores Q Kᵀ / √d_k"][0]) == nn.attention_weights(cache.attn).shape
    assert shape(rows["linear1 (d → d_ff)"][0]) == cache.ff[1].shape
    assert shape(rows["split into heads"][0]) == cache.attn.attn.q.shape
    total = sum(p for _, p in rows.values()) + rows["+ residual"][1]  # dict kept one "+ residual"
    assert total == sum(v.size for v in params.values())
    assert rows["LayerNorm₁"][1] == params["norm1.weight"].size * 2


def test_order_of_post_and_pre_norm():
    post = [pick(r[0], "en") for r in stages(1, 4, 2, 2, 8, False)]
    pre = [pick(r[0], "en") for r in stages(1, 4, 2, 2, 8, True)]
    assert post.index("LayerNorm₁") > post.index("+ residual")
    assert pre.index("LayerNorm₁") < pre.index("Q, K, V projections")
    assert sorted(post) == sorted(pre)


def test_attention_matrix_grows_quadratically():
    small, big = _run(seq_len=100), _run(seq_len=1000)
    assert big.metrics["attention_matrix_entries"] == 100 * small.metrics[
        "attention_matrix_entries"]
    assert big.metrics["params"] == small.metrics["params"]
    assert big.metrics["quadratic_share"] > small.metrics["quadratic_share"]
    # at L = 2d + d_ff the L² part equals the rest (projections + FFN)
    d, dff = 512, 2048
    at = _run(seq_len=2 * d + dff).metrics
    assert at["quadratic_share"] == pytest.approx(0.5)


def test_a_tiny_share_of_the_work_is_not_said_as_zero():
    # one token: the L² stages are 0.03 % of the work, which "0.0%" called nothing
    demo = get("transformer-block")
    result = demo.run({**demo.defaults(), "seq_len": 1}, np.random.default_rng(0))
    share = 100 * result.metrics["quadratic_share"]
    assert 0 < share < 0.05
    for lang in ("en", "zh"):
        text = " ".join(result.notes[lang])
        assert "0.0%" not in text and f"{share:.1g}%" in text
