"""One Transformer encoder block, stage by stage: the tensor's shape, the parameters and the
multiply-adds of each stage, post-norm or pre-norm.

The model dimension is d_model = heads × head_dim, so it always divides. The counts are those of
torch.nn.TransformerEncoderLayer (dlref.nn.transformer_encoder_layer_num_params); the shapes are
those transformer_encoder_layer_forward produces (the tests run it on small sizes). The
attention scores are N·h·L² numbers: the only stage quadratic in the sequence length.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from dlref.demos.base import Demo, Knob, Plot, Result, Series, Table
from dlref.demos.terms import PARAMETERS
from dlref.i18n import Text
from dlref.nn import (
    linear_num_params,
    multi_head_attention_num_params,
    transformer_encoder_layer_forward,
    transformer_encoder_layer_num_params,
)

MACS = {"en": "multiply-adds", "zh": "乘加次数"}
RESIDUAL = {"en": "+ residual", "zh": "+ 残差连接"}
LABELS = {"d_model": {"en": "d_model", "zh": "模型维度 d"}, "params": PARAMETERS,
          "attention_params": {"en": "parameters of self-attention", "zh": "自注意力的参数量"},
          "macs": MACS,
          "attention_matrix_entries": {"en": "entries of the attention matrices",
                                       "zh": "注意力矩阵的元素个数"},
          "quadratic_share": {"en": "share of the work in the L² stages",
                              "zh": "L² 部分占计算量的比例"}}

KNOBS = (
    Knob("num_heads", {"en": "heads h", "zh": "头数 h"}, "int", 8, low=1, high=16),
    Knob("head_dim", {"en": "dimension per head d_k (d_model = h·d_k)",
                      "zh": "每个头的维度 d_k（d_model = h·d_k）"}, "int", 64, low=1, high=128),
    Knob("ff_mult", {"en": "feed-forward width d_ff / d_model", "zh": "前馈层宽度 d_ff / d_model"},
         "int", 4, low=1, high=8),
    Knob("seq_len", {"en": "sequence length L", "zh": "序列长度 L"}, "int", 10, low=1,
         high=4096),
    Knob("batch", {"en": "batch size N", "zh": "批量大小 N"}, "int", 2, low=1, high=64),
    Knob("norm_first", {"en": "pre-norm (LayerNorm before each sub-layer)",
                        "zh": "前置规范化（子层之前做层规范化）"}, "bool", False),
)


def _shape(*dims: int) -> str:
    return "(" + ", ".join(str(d) for d in dims) + ")"


def stages(n: int, length: int, h: int, dk: int, dff: int,
           norm_first: bool) -> list[tuple[Text, str, int, int]]:
    """(stage, output shape, parameters, multiply-adds) of each stage of the block."""
    d = h * dk
    x = _shape(n, length, d)
    norm1 = ({"en": "LayerNorm₁", "zh": "层规范化₁"}, x, 2 * d, 0)
    norm2 = ({"en": "LayerNorm₂", "zh": "层规范化₂"}, x, 2 * d, 0)
    attn = [
        ({"en": "Q, K, V projections", "zh": "Q、K、V 投影"}, f"3 × {x}",
         3 * linear_num_params(d, d), 3 * n * length * d * d),
        ({"en": "split into heads", "zh": "拆分为多个头"}, f"3 × {_shape(n, h, length, dk)}", 0,
         0),
        ({"en": "scores Q Kᵀ / √d_k", "zh": "分数 Q Kᵀ / √d_k"}, _shape(n, h, length, length), 0,
         n * h * length * length * dk),
        ({"en": "softmax (weights)", "zh": "softmax（注意力权重）"}, _shape(n, h, length, length),
         0, 0),
        ({"en": "weights · V", "zh": "注意力权重 · V"}, _shape(n, h, length, dk), 0,
         n * h * length * length * dk),
        ({"en": "concat heads", "zh": "拼接各头"}, x, 0, 0),
        ({"en": "output projection W_O", "zh": "输出投影 W_O"}, x, linear_num_params(d, d),
         n * length * d * d),
        (RESIDUAL, x, 0, 0),
    ]
    ff = [
        ({"en": "linear1 (d → d_ff)", "zh": "线性层 1（d → d_ff）"}, _shape(n, length, dff),
         linear_num_params(d, dff), n * length * d * dff),
        ({"en": "activation (ReLU/GELU)", "zh": "激活函数（ReLU/GELU）"}, _shape(n, length, dff),
         0, 0),
        ({"en": "linear2 (d_ff → d)", "zh": "线性层 2（d_ff → d）"}, x, linear_num_params(dff, d),
         n * length * dff * d),
        (RESIDUAL, x, 0, 0),
    ]
    start = ({"en": "input x", "zh": "输入 x"}, x, 0, 0)
    if norm_first:
        return [start, norm1, *attn, norm2, *ff]
    return [start, *attn, norm1, *ff, norm2]


def _share(fraction: float) -> str:
    """A share of the work as a percentage with a digit that is not 0: a one-token sequence's
    L² stages are 0.03 % of it, which "0.0%" called nothing."""
    return f"{fraction:.1%}" if fraction >= 0.0005 else f"{100 * fraction:.1g}%"


def run(values: dict[str, Any], rng: np.random.Generator) -> Result:
    h, dk, mult = int(values["num_heads"]), int(values["head_dim"]), int(values["ff_mult"])
    length, n, norm_first = int(values["seq_len"]), int(values["batch"]), bool(values["norm_first"])
    d, dff = h * dk, h * dk * mult
    rows = stages(n, length, h, dk, dff, norm_first)
    params = sum(r[2] for r in rows)
    macs = sum(r[3] for r in rows)
    quadratic = 2 * n * h * length * length * dk  # scores and weights · V
    table = Table(
        {"en": f"{'pre' if norm_first else 'post'}-norm encoder block, d_model = {h}·{dk} = {d}, "
               f"d_ff = {dff}",
         "zh": f"{'前置' if norm_first else '后置'}规范化编码器块，模型维度 d = {h}·{dk} = {d}，"
               f"d_ff = {dff}"},
        [{"en": "stage", "zh": "阶段"}, {"en": "shape", "zh": "形状"}, PARAMETERS, MACS],
        [[s, shape, p, m] for s, shape, p, m in rows]
        + [[{"en": "total", "zh": "合计"}, "", params, macs]])

    # multiply-adds against L: the L² part overtakes the linear part at L = (4d² + 2·d·d_ff)/(2d)
    crossover = (4 * d * d + 2 * d * dff) / (2 * d)
    ls = np.unique(np.geomspace(1, max(4 * length, 2 * crossover), 60).round())
    lin = [float(n * x * (4 * d * d + 2 * d * dff)) for x in ls]
    quad = [float(2 * n * x * x * d) for x in ls]
    plot = Plot({"en": "multiply-adds against the sequence length L",
                 "zh": "乘加次数随序列长度 L 的变化"},
                [Series({"en": "projections + FFN (∝ L)", "zh": "投影 + 前馈网络（∝ L）"},
                        [float(x) for x in ls], lin),
                 Series({"en": "scores + weights·V (∝ L²)", "zh": "分数 + 注意力权重·V（∝ L²）"},
                        [float(x) for x in ls], quad)],
                xlabel="L", ylabel=MACS)
    metrics = {"d_model": float(d), "params": float(params), "attention_params":
               float(multi_head_attention_num_params(d)), "macs": float(macs),
               "attention_matrix_entries": float(n * h * length * length),
               "quadratic_share": quadratic / macs}
    en = [f"Parameters: self-attention 4d² + 4d = {multi_head_attention_num_params(d):,}, "
          f"feed-forward 2·d·d_ff + d_ff + d = {2 * d * dff + dff + d:,}, two layer norms 4d = "
          f"{4 * d}: {params:,} in all, whatever L, N or the number of heads.",
          f"The attention matrix holds N·h·L² = {n * h * length * length:,} weights; the L² "
          f"stages are {_share(quadratic / macs)} of the work now and overtake the rest past "
          f"L ≈ {crossover:,.0f}.",
          "Post-norm (2017): x → LayerNorm(x + Sublayer(x)). Pre-norm (GPT-2 on): x → x + "
          "Sublayer(LayerNorm(x)); same parameters, a clean identity path, easier to train deep."]
    zh = [f"参数：自注意力 4d² + 4d = {multi_head_attention_num_params(d):,}，前馈网络 "
          f"2·d·d_ff + d_ff + d = {2 * d * dff + dff + d:,}，两个层规范化 4d = {4 * d}："
          f"共 {params:,} 个，与 L、N 和头数无关。",
          f"注意力矩阵共有 N·h·L² = {n * h * length * length:,} 个权重；L² 的部分目前占计算量的 "
          f"{_share(quadratic / macs)}，L 超过约 {crossover:,.0f} 后超过其余部分。",
          "后置规范化（2017）：x → 层规范化(x + 子层(x))。前置规范化（GPT-2 起）："
          "x → x + 子层(层规范化(x))；参数相同，恒等路径畅通，深层更容易训练。"]
    return Result(plots=[plot], tables=[table], notes={"en": en, "zh": zh}, metrics=metrics,
                  labels=LABELS)


DEMO = Demo(
    name="transformer-block",
    title={"en": "A Transformer block: shapes and parameters stage by stage",
           "zh": "Transformer 块：逐阶段的形状与参数量"},
    knobs=KNOBS,
    run=run,
    kernels=(transformer_encoder_layer_forward, transformer_encoder_layer_num_params),
)
