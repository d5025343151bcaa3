"""Questions on attention and the Transformer: attention weights and outputs for tiny queries and
keys, causal masks, multi-head shapes and parameter counts, positional encodings, layer norm,
residual gradients, embeddings, encoder–decoder cross-attention, GELU and SiLU.

Values come from the dlref.nn kernels (scaled_dot_product_attention_forward, layer_norm_forward,
embedding_forward/backward, sinusoidal_positional_encoding, gelu, silu, the *_num_params
helpers); only quantities with no kernel (a score's variance, a wavelength, a count of
multiply-adds) are plain arithmetic. Prompts avoid "[" before a letter (Rich markup).
"""

from __future__ import annotations

import math

import numpy as np

from dlref import nn
from dlref.quiz.draw import clean, draw, draws, floats, pick, show, trap, vec
from dlref.quiz.draw import paren as _p
from dlref.quiz.draw import tup as _t
from dlref.quiz.questions import Question, template


def _shape(dims) -> str:
    return "(" + ", ".join(str(int(d)) for d in dims) + ")"


def _n(x: int) -> str:
    """A whole number grouped by thousands (1,050,624) for counts, as the other templates
    write them and as the answer parser reads them back ("1 050 624" is refused there)."""
    return f"{int(x):,}"


def _weights(q: np.ndarray, k: np.ndarray, causal: bool = False) -> np.ndarray:
    """Attention weights of queries q (L, E) over keys k (S, E), by the kernel."""
    _, cache = nn.scaled_dot_product_attention_forward(q, k, np.eye(len(k)), causal=causal)
    return nn.attention_weights(cache)


def _softmax_text(s, decimals: int = 4) -> tuple[str, str]:
    """The softmax steps for scores s: "e^s = (…), Σ = …" in both languages."""
    e = np.exp(np.asarray(s, dtype=float))
    return (f"e^s = {_t(e, decimals)}, Σ = {show(e.sum(), decimals)}",
            f"e^s = {_t(e, decimals)}，Σ = {show(e.sum(), decimals)}")


# ------------------------------------------------------------------------------ attention

@template("attention", "weights")
def attention_weights(rng) -> Question:
    q = np.array(draws(rng, 2, -2.0, 2.0))
    k = np.array([draws(rng, 2, -2.0, 2.0) for _ in range(3)])
    w = _weights(q[None], k)[0]
    raw = k @ q
    s = raw / math.sqrt(2)
    e_en, e_zh = _softmax_text(s)
    dots = ", ".join(f"{_p(q[0])}·{_p(kj[0])} + {_p(q[1])}·{_p(kj[1])}" for kj in k)
    keys = ", ".join(f"k{'₁₂₃'[j]} = {_t(k[j])}" for j in range(3))
    return Question(
        "attention", "weights",
        prompt={"en": f"Scaled dot-product attention with d_k = 2: query q = {_t(q)}, keys "
                      f"{keys}. The attention weights of q over the three keys?",
                "zh": f"缩放点积注意力，d_k = 2：查询 q = {_t(q)}，键 "
                      f"{keys.replace('), ', ')，')}。"
                      f"q 对三个键的注意力权重是多少？"},
        answer=floats(w), kind="vector", decimals=3,
        solution={"en": f"softmax(q·kⱼ/√d_k): q·kⱼ = {dots} = {_t(raw)}; ÷ √2 → s = {_t(s)}; "
                        f"{e_en}; weights = e^s/Σ = {_t(w)}",
                  "zh": f"softmax(q·kⱼ/√d_k)：q·kⱼ = {dots.replace(', ', '，')} = {_t(raw)}；"
                        f"除以 √2 → s = {_t(s)}；"
                        f"{e_zh}；权重 = e^s/Σ = {_t(w)}"},
        traps=[
            trap(nn.softmax(raw), "the ÷ √d_k left out: softmax of the raw q·k",
                 "漏了除以 √d_k：直接对原始的 q·k 做 softmax"),
        ],
    )


@template("attention", "output")
def attention_output(rng) -> Question:
    q = np.array(draws(rng, 2, -2.0, 2.0))
    k = np.array([draws(rng, 2, -2.0, 2.0) for _ in range(2)])
    v = np.array(draws(rng, 2, -5.0, 5.0))
    out, cache = nn.scaled_dot_product_attention_forward(q[None], k, v[:, None])
    w = nn.attention_weights(cache)[0]
    raw = k @ q
    s = raw / math.sqrt(2)
    y = float(out[0, 0])
    dots = [f"{_p(q[0])}·{_p(kj[0])} + {_p(q[1])}·{_p(kj[1])}" for kj in k]
    unscaled = float(nn.softmax(raw) @ v)  # softmax(q·k) V
    by_variance = float(nn.softmax(raw / 2) @ v)  # softmax(q·k/d_k) V, d_k = 2
    unnormalised = float(s @ v)  # the scaled scores weight the values directly
    return Question(
        "attention", "output",
        prompt={"en": f"d_k = 2. Query q = {_t(q)}; key k₁ = {_t(k[0])} with value v₁ = "
                      f"{show(v[0])}, key k₂ = {_t(k[1])} with value v₂ = {show(v[1])}. "
                      f"The attention output softmax(q Kᵀ/√d_k) V?",
                "zh": f"d_k = 2。查询 q = {_t(q)}；键 k₁ = {_t(k[0])} 对应值 v₁ = {show(v[0])}，"
                      f"键 k₂ = {_t(k[1])} 对应值 v₂ = {show(v[1])}。"
                      f"注意力输出 softmax(q Kᵀ/√d_k) V 是多少？"},
        answer=clean(y), decimals=3,
        solution={"en": f"q·k₁ = {dots[0]} = {show(raw[0])}, q·k₂ = {dots[1]} = {show(raw[1])}; "
                        f"scores q·kⱼ/√2 = {_t(s)}; weights softmax = {_t(w)}; output = "
                        f"{show(w[0])}·{_p(v[0])} + {show(w[1])}·{_p(v[1])} = {show(y)}",
                  "zh": f"q·k₁ = {dots[0]} = {show(raw[0])}，q·k₂ = {dots[1]} = {show(raw[1])}；"
                        f"分数 q·kⱼ/√2 = {_t(s)}；softmax 权重 = {_t(w)}；输出 = "
                        f"{show(w[0])}·{_p(v[0])} + {show(w[1])}·{_p(v[1])} = {show(y)}"},
        traps=[
            trap(unscaled, "the ÷ √d_k left out: softmax of the raw q·k",
                 "漏了除以 √d_k：直接对原始的 q·k 做 softmax"),
            trap(by_variance,
                 "÷ d_k instead of ÷ √d_k: the scores are divided by their standard deviation",
                 "除以了 d_k 而不是 √d_k：分数要除以的是它的标准差"),
            trap(unnormalised, "the softmax left out: the values weighted by the scores themselves",
                 "漏了 softmax：直接用分数给值加权"),
        ],
    )


@template("attention", "score-spread")
def attention_score_spread(rng) -> Question:
    d_k = int(rng.integers(2, 1025))
    return Question(
        "attention", "score-spread",
        prompt={"en": f"q and k have d_k = {d_k} independent components, each with mean 0 and "
                      f"variance 1. The standard deviation of the raw score q·k (before ÷ √d_k)?",
                "zh": f"q 和 k 各有 d_k = {d_k} 个相互独立的分量，每个均值为 0、方差为 1。"
                      f"原始分数 q·k（除以 √d_k 之前）的标准差是多少？"},
        answer=clean(math.sqrt(d_k)), decimals=2,
        solution={"en": f"Var(q·k) = Σᵢ Var(qᵢkᵢ) = d_k·1·1 = {d_k}, so std = √{d_k} = "
                        f"{show(math.sqrt(d_k), 2)}; scores that spread saturate softmax, which "
                        f"is why attention divides by √d_k (back to std 1)",
                  "zh": f"Var(q·k) = Σᵢ Var(qᵢkᵢ) = d_k·1·1 = {d_k}，所以标准差 = √{d_k} = "
                        f"{show(math.sqrt(d_k), 2)}；分数过于分散会使 softmax 饱和，"
                        f"这正是注意力要除以 √d_k 的原因（标准差回到 1）"},
        traps=[
            trap(float(d_k), "the variance d_k given for the standard deviation √d_k",
                 "把方差 d_k 当成了标准差 √d_k"),
            trap(1.0, "1: that is the spread after dividing by √d_k",
                 "给出了 1：那是除以 √d_k 之后的标准差"),
        ],
    )


# ------------------------------------------------------------------------------ self-attention

def _tokens(rng) -> np.ndarray:
    return np.array([draws(rng, 2, -2.0, 2.0) for _ in range(3)])


@template("self-attention", "weights")
def self_attention_weights(rng) -> Question:
    x = _tokens(rng)
    t = int(rng.integers(3))
    w = _weights(x, x)[t]
    raw = x @ x[t]
    s = raw / math.sqrt(2)
    e_en, e_zh = _softmax_text(s)
    toks = ", ".join(f"x{'₁₂₃'[j]} = {_t(x[j])}" for j in range(3))
    return Question(
        "self-attention", "weights",
        prompt={"en": f"Self-attention without projections (Q = K = V = X, d = 2) over three "
                      f"tokens {toks}. The weights of token {t + 1} over tokens 1, 2, 3?",
                "zh": f"不带投影的自注意力（Q = K = V = X，d = 2），三个词元 "
                      f"{toks.replace('), ', ')，')}。"
                      f"第 {t + 1} 个词元对词元 1、2、3 的权重是多少？"},
        answer=floats(w), kind="vector", decimals=3,
        solution={"en": f"x{'₁₂₃'[t]}·xⱼ = {_t(raw)}, ÷ √2 → s = {_t(s)} (token {t + 1} scores "
                        f"itself too); {e_en}; weights = e^s/Σ = {_t(w)}",
                  "zh": f"x{'₁₂₃'[t]}·xⱼ = {_t(raw)}，除以 √2 → s = {_t(s)}（第 {t + 1} 个词元也给"
                        f"自己打分）；{e_zh}；权重 = e^s/Σ = {_t(w)}"},
        traps=[
            trap(nn.softmax(x @ x[t]), "the ÷ √d left out: softmax of the raw xᵢ·xⱼ",
                 "漏了除以 √d：直接对原始的 xᵢ·xⱼ 做 softmax"),
        ],
    )


@template("self-attention", "output")
def self_attention_output(rng) -> Question:
    x = _tokens(rng)
    t = int(rng.integers(3))
    out, cache = nn.scaled_dot_product_attention_forward(x, x, x)
    w = nn.attention_weights(cache)[t]
    toks = ", ".join(f"x{'₁₂₃'[j]} = {_t(x[j])}" for j in range(3))
    terms = " + ".join(f"{show(w[j])}·{_t(x[j])}" for j in range(3))
    unscaled = nn.softmax(x @ x[t]) @ x  # softmax(xₜ·xⱼ) without the ÷ √2
    others = [j for j in range(3) if j != t]  # token t's own key and value left out
    without_self = nn.softmax(x[others] @ x[t] / math.sqrt(2)) @ x[others]
    return Question(
        "self-attention", "output",
        prompt={"en": f"Self-attention without projections (Q = K = V = X, d = 2) over {toks}. "
                      f"The output vector of token {t + 1}?",
                "zh": f"不带投影的自注意力（Q = K = V = X，d = 2），词元 "
                      f"{toks.replace('), ', ')，')}。"
                      f"第 {t + 1} 个词元的输出向量是多少？"},
        answer=floats(out[t]), kind="vector", decimals=3,
        solution={"en": f"weights softmax(x{'₁₂₃'[t]}·xⱼ/√2) = {_t(w)}; output = Σⱼ wⱼ xⱼ = "
                        f"{terms} = {vec(out[t])}",
                  "zh": f"权重 softmax(x{'₁₂₃'[t]}·xⱼ/√2) = {_t(w)}；输出 = Σⱼ wⱼ xⱼ = "
                        f"{terms} = {vec(out[t])}"},
        traps=[
            trap(unscaled, "the ÷ √d left out: softmax of the raw xᵢ·xⱼ",
                 "漏了除以 √d：直接对原始的 xᵢ·xⱼ 做 softmax"),
            trap(without_self, "the token's own key left out: a token attends to itself too",
                 "漏了词元自己的键：词元也关注它自己"),
        ],
    )


@template("self-attention", "weights-shape")
def self_attention_shape(rng) -> Question:
    n, length, e = pick(rng, [1, 2, 4, 8, 16, 32]), int(rng.integers(3, 513)), pick(
        rng, [64, 128, 256, 512, 768])
    return Question(
        "self-attention", "weights-shape",
        prompt={"en": f"Single-head self-attention on X of shape (N, L, E) = "
                      f"{_shape((n, length, e))}. The shape of the attention-weight tensor?",
                "zh": f"单头自注意力，输入 X 的形状为 (N, L, E) = {_shape((n, length, e))}。"
                      f"注意力权重张量的形状是？"},
        answer=(n, length, length), kind="shape", decimals=None,
        solution={"en": f"every token scores every token: Q Kᵀ is (N, L, E)·(N, E, L) → "
                        f"(N, L, L) = {_shape((n, length, length))}; E is summed away (the output "
                        f"weights · V is back to {_shape((n, length, e))})",
                  "zh": f"每个词元都给每个词元打分：Q Kᵀ 为 (N, L, E)·(N, E, L) → (N, L, L) = "
                        f"{_shape((n, length, length))}；E 在点积中被求和消去"
                        f"（权重 · V 的输出才回到 {_shape((n, length, e))}）"},
        traps=[
            trap((n, length, e), "the output's shape (N, L, E): the weights are L×L per example",
                 "给出了输出的形状 (N, L, E)：权重是每个样本一个 L×L"),
        ],
    )


# ------------------------------------------------------------------------------ multi-head

@template("multi-head-attention", "param-count")
def mha_param_count(rng) -> Question:
    h = pick(rng, [1, 2, 4, 8, 12, 16])
    e = h * pick(rng, [8, 16, 32, 64, 96, 128])
    count = nn.multi_head_attention_num_params(e)
    return Question(
        "multi-head-attention", "param-count",
        prompt={"en": f"How many parameters does nn.MultiheadAttention(embed_dim={e}, "
                      f"num_heads={h}) have (with biases)?",
                "zh": f"nn.MultiheadAttention(embed_dim={e}, num_heads={h})（带偏置）"
                      f"有多少个参数？"},
        answer=float(count), decimals=0,
        solution={"en": f"W_Q, W_K, W_V, W_O are E×E each and there are 4 bias vectors of E: "
                        f"4·E² + 4·E = 4·{e}² + 4·{e} = {4 * e * e} + {4 * e} = {count}; the "
                        f"{h} heads split E into {h}×{e // h} and add nothing",
                  "zh": f"W_Q、W_K、W_V、W_O 各为 E×E，另有 4 个长度为 E 的偏置：4·E² + 4·E = "
                        f"4·{e}² + 4·{e} = {4 * e * e} + {4 * e} = {count}；{h} 个头只是把 E "
                        f"切成 {h}×{e // h}，不增加参数"},
        traps=[
            trap(3 * e * e + 3 * e, "the output projection left out (only Q, K, V)",
                 "漏了输出投影（只算了 Q、K、V）"),
            trap(4 * e * e, "the weights only, without the biases", "只算了权重，漏了偏置"),
        ],
    )


@template("multi-head-attention", "head-shape")
def mha_head_shape(rng) -> Question:
    h = pick(rng, [2, 4, 8, 12, 16])
    e = h * pick(rng, [16, 32, 64])
    n, length = pick(rng, [1, 2, 8, 32]), int(rng.integers(5, 257))
    shape = (n, h, length, e // h)
    return Question(
        "multi-head-attention", "head-shape",
        prompt={"en": f"Multi-head attention with E = {e}, {h} heads, on queries of shape "
                      f"(N, L, E) = {_shape((n, length, e))}. After the projection, Q is split "
                      f"into heads: its shape (N, heads, L, d_k)?",
                "zh": f"多头注意力，E = {e}，{h} 个头，查询的形状为 (N, L, E) = "
                      f"{_shape((n, length, e))}。投影后 Q 被拆分成多个头，形状 "
                      f"(N, 头数, L, d_k) 是？"},
        answer=shape, kind="shape", decimals=None,
        solution={"en": f"d_k = E/h = {e}/{h} = {e // h}: (N, L, E) → (N, L, h, d_k) → "
                        f"transpose → {_shape(shape)}",
                  "zh": f"d_k = E/h = {e}/{h} = {e // h}：(N, L, E) → (N, L, h, d_k) → 转置 → "
                        f"{_shape(shape)}"},
        traps=[
            trap((n, length, h, e // h), "(N, L, heads, d_k): the heads axis comes before L",
                 "写成了 (N, L, 头数, d_k)：头数轴在 L 之前"),
        ],
    )


@template("multi-head-attention", "output-shape")
def mha_output_shape(rng) -> Question:
    h = pick(rng, [2, 4, 8])
    e = h * pick(rng, [16, 32, 64])
    n, length = pick(rng, [1, 2, 4, 16]), int(rng.integers(2, 65))
    s = int(rng.integers(2, 65))
    while s == length:
        s = int(rng.integers(2, 65))
    return Question(
        "multi-head-attention", "output-shape",
        prompt={"en": f"nn.MultiheadAttention({e}, {h}, batch_first=True) with query of shape "
                      f"{_shape((n, length, e))} and key = value of shape {_shape((n, s, e))}. "
                      f"The shape of the output?",
                "zh": f"nn.MultiheadAttention({e}, {h}, batch_first=True)，query 的形状为 "
                      f"{_shape((n, length, e))}，key 和 value 的形状为 {_shape((n, s, e))}。"
                      f"输出的形状是？"},
        answer=(n, length, e), kind="shape", decimals=None,
        solution={"en": f"one output per query: the weights are (N, h, L, S) = "
                        f"{_shape((n, h, length, s))}, weights · V gives (N, h, L, d_k), the "
                        f"heads concatenate to (N, L, E) = {_shape((n, length, e))}; S = {s} is "
                        f"summed away",
                  "zh": f"每个查询一个输出：权重为 (N, h, L, S) = {_shape((n, h, length, s))}，"
                        f"权重 · V 得到 (N, h, L, d_k)，拼接各头得到 (N, L, E) = "
                        f"{_shape((n, length, e))}；S = {s} 在加权求和中消去"},
        traps=[
            trap((n, s, e), "the key's length S: the output has one row per query",
                 "用了键的长度 S：输出每个查询一行"),
        ],
    )


# ------------------------------------------------------------------------------ causal

@template("causal-attention", "masked-count")
def causal_masked_count(rng) -> Question:
    length = int(rng.integers(2, 129))
    masked = int((~nn.causal_mask(length)).sum())
    return Question(
        "causal-attention", "masked-count",
        prompt={"en": f"Causal self-attention over L = {length} tokens. How many entries of the "
                      f"L×L score matrix are masked (set to −∞)?",
                "zh": f"对 L = {length} 个词元做因果自注意力。L×L 的分数矩阵中有多少个元素被掩蔽"
                      f"（置为 −∞）？"},
        answer=float(masked), decimals=0,
        solution={"en": f"token i sees keys 1…i, so the strict upper triangle is masked: "
                        f"L(L − 1)/2 = {length}·{length - 1}/2 = {masked} of {length * length} "
                        f"({length * (length + 1) // 2} remain)",
                  "zh": f"第 i 个词元只能看到键 1…i，严格上三角被掩蔽：L(L − 1)/2 = "
                        f"{length}·{length - 1}/2 = {masked}，共 {length * length} 个"
                        f"（剩 {length * (length + 1) // 2} 个）"},
        traps=[
            trap(length * (length + 1) / 2, "the kept entries (the diagonal and below) counted",
                 "数成了保留的元素（对角线及以下）"),
            trap(length * length / 2, "L²/2: the diagonal is not masked",
                 "算成了 L²/2：对角线不被掩蔽"),
        ],
    )


def _scalar_tokens(rng, n: int = 4) -> tuple[np.ndarray, np.ndarray]:
    return np.array(draws(rng, n, -2.0, 2.0)), np.array(draws(rng, n, -2.0, 2.0))


@template("causal-attention", "weights")
def causal_weights(rng) -> Question:
    q, k = _scalar_tokens(rng)
    t = int(rng.integers(1, 4))  # 0-based position; 1…3 so something is masked and seen
    w = _weights(q[:, None], k[:, None], causal=True)[t]
    s = q[t] * k[: t + 1]
    e_en, e_zh = _softmax_text(s)
    return Question(
        "causal-attention", "weights",
        prompt={"en": f"Causal attention with 1-dimensional queries q = {_t(q)} and keys "
                      f"k = {_t(k)} (d_k = 1, tokens 1–4). The weights of token {t + 1} over "
                      f"all four keys?",
                "zh": f"因果注意力，一维查询 q = {_t(q)}，键 k = {_t(k)}（d_k = 1，词元 1–4）。"
                      f"第 {t + 1} 个词元对全部四个键的权重是多少？"},
        answer=floats(w), kind="vector", decimals=3,
        solution={"en": f"token {t + 1} sees keys 1…{t + 1} only: scores s = q{'₁₂₃₄'[t]}·kⱼ = "
                        f"{_t(s)}; {e_en}; weights {_t(w[: t + 1])}"
                        + (f" and 0 for the {3 - t} masked key{'s' if 3 - t > 1 else ''}"
                           if t < 3 else " (the last token sees every key: nothing is masked)")
                        + f" → {vec(w, 3)}",
                  "zh": f"第 {t + 1} 个词元只能看到键 1…{t + 1}：分数 s = q{'₁₂₃₄'[t]}·kⱼ = "
                        f"{_t(s)}；{e_zh}；权重 {_t(w[: t + 1])}"
                        + (f"，被掩蔽的 {3 - t} 个键权重为 0" if t < 3 else
                           "（最后一个词元能看到所有键：没有被掩蔽的）")
                        + f" → {vec(w, 3)}"},
        traps=[
            trap(_weights(q[:, None], k[:, None])[t],
                 "the mask left out: a token may not attend to later tokens",
                 "漏了掩码：词元不能关注它后面的词元"),
        ],
    )


@template("causal-attention", "output")
def causal_output(rng) -> Question:
    q, k = _scalar_tokens(rng)
    v = np.array(draws(rng, 4, -5.0, 5.0))
    out, cache = nn.scaled_dot_product_attention_forward(q[:, None], k[:, None], v[:, None],
                                                         causal=True)
    w = nn.attention_weights(cache)[1]
    y = float(out[1, 0])
    unmasked, _ = nn.scaled_dot_product_attention_forward(q[:, None], k[:, None], v[:, None])
    return Question(
        "causal-attention", "output",
        prompt={"en": f"Causal attention, d_k = 1: q = {_t(q)}, k = {_t(k)}, values "
                      f"v = {_t(v)} for tokens 1–4. The output at token 2?",
                "zh": f"因果注意力，d_k = 1：q = {_t(q)}，k = {_t(k)}，值 v = {_t(v)}"
                      f"（词元 1–4）。第 2 个词元的输出是多少？"},
        answer=clean(y), decimals=3,
        solution={"en": f"token 2 sees tokens 1 and 2 only: scores q₂·(k₁, k₂) = "
                        f"{_t(q[1] * k[:2])}; weights {_t(w[:2])}; output = {show(w[0])}·"
                        f"{_p(v[0])} + {show(w[1])}·{_p(v[1])} = {show(y)} (tokens 3 and 4 "
                        f"do not count)",
                  "zh": f"第 2 个词元只能看到词元 1 和 2：分数 q₂·(k₁, k₂) = {_t(q[1] * k[:2])}；"
                        f"权重 {_t(w[:2])}；输出 = {show(w[0])}·{_p(v[0])} + {show(w[1])}·"
                        f"{_p(v[1])} = {show(y)}（词元 3、4 不参与）"},
        traps=[
            trap(unmasked[1, 0], "the mask left out: tokens 3 and 4 are in token 2's future",
                 "漏了掩码：词元 3、4 在词元 2 的后面，不能参与"),
        ],
    )


# ------------------------------------------------------------------------------ positional

@template("positional-encoding", "entry")
def pe_entry(rng) -> Question:
    d = pick(rng, [4, 8, 16, 32, 64, 128, 512])
    pos, j = int(rng.integers(1, 100)), int(rng.integers(0, min(d, 8)))
    value = float(nn.sinusoidal_positional_encoding(pos + 1, d)[pos, j])
    i = j // 2
    freq = 10000 ** (2 * i / d)
    angle = pos / freq
    fn = "sin" if j % 2 == 0 else "cos"
    return Question(
        "positional-encoding", "entry",
        prompt={"en": f"Sinusoidal positional encoding (Vaswani et al.), d_model = {d}, "
                      f"positions and dimensions counted from 0. PE at position {pos}, "
                      f"dimension {j}?",
                "zh": f"正弦位置编码（Vaswani 等），d_model = {d}，位置和维度都从 0 开始计数。"
                      f"位置 {pos}、维度 {j} 上的 PE 值是多少？"},
        answer=clean(value), decimals=4,
        solution={"en": f"dimension {j} is {'even' if fn == 'sin' else 'odd'} → {fn}, with "
                        f"2i = {2 * i}: angle = pos / 10000^(2i/d) = {pos} / 10000^({2 * i}/{d}) "
                        f"= {pos} / {show(freq)} = {show(angle, 6)} rad; {fn}({show(angle, 6)}) "
                        f"= {show(value)}",
                  "zh": f"维度 {j} 是{'偶数' if fn == 'sin' else '奇数'} → {fn}，2i = {2 * i}："
                        f"角度 = pos / 10000^(2i/d) = {pos} / 10000^({2 * i}/{d}) = {pos} / "
                        f"{show(freq)} = {show(angle, 6)} 弧度；{fn}({show(angle, 6)}) = "
                        f"{show(value)}"},
        traps=[
            trap(math.cos(angle) if j % 2 == 0 else math.sin(angle),
                 "sin and cos swapped: even dimensions take the sine, odd ones the cosine",
                 "sin 与 cos 弄反了：偶数维用正弦，奇数维用余弦"),
            trap(math.cos(pos / 10000 ** (j / d)) if j % 2 else value,
                 "2i taken as the dimension itself: dimensions 2i and 2i + 1 share one frequency",
                 "把维度本身当成了 2i：第 2i 维和第 2i + 1 维共用同一个频率"),
        ],
    )


@template("positional-encoding", "wavelength")
def pe_wavelength(rng) -> Question:
    d = pick(rng, [8, 16, 32, 64, 128, 256, 512])
    i = int(rng.integers(0, d // 4 + 1))
    lam = 2 * math.pi * 10000 ** (2 * i / d)
    return Question(
        "positional-encoding", "wavelength",
        prompt={"en": f"Sinusoidal positional encoding with d_model = {d}: after how many "
                      f"positions does dimension {2 * i} (a sine) repeat, i.e. its wavelength?",
                "zh": f"正弦位置编码，d_model = {d}：第 {2 * i} 维（正弦）每隔多少个位置重复一次，"
                      f"即它的波长是多少？"},
        answer=clean(lam), decimals=1,
        solution={"en": f"sin(pos·ω) with ω = 1/10000^(2i/d), 2i = {2 * i}: wavelength 2π/ω = "
                        f"2π·10000^({2 * i}/{d}) = 2π·{show(10000 ** (2 * i / d))} = "
                        f"{show(lam, 1)} positions (from 2π at dimension 0 to 2π·10000 at the "
                        f"end)",
                  "zh": f"sin(pos·ω)，ω = 1/10000^(2i/d)，2i = {2 * i}：波长 2π/ω = "
                        f"2π·10000^({2 * i}/{d}) = 2π·{show(10000 ** (2 * i / d))} = "
                        f"{show(lam, 1)} 个位置（从第 0 维的 2π 到最后的 2π·10000）"},
        traps=[
            trap(10000 ** (2 * i / d), "without the 2π", "漏了 2π"),
        ],
    )


@template("positional-encoding", "dot-product")
def pe_dot_product(rng) -> Question:
    d = pick(rng, [4, 6])
    p, k = int(rng.integers(0, 50)), int(rng.integers(1, 20))
    pe = nn.sinusoidal_positional_encoding(p + k + 1, d)
    dot = float(pe[p] @ pe[p + k])
    omegas = [10000 ** (-2 * i / d) for i in range(d // 2)]
    terms = " + ".join(f"cos({k}·{show(w, 6)})" for w in omegas)
    values = " + ".join(_p(math.cos(k * w), 4) for w in omegas)
    freq = f"ωᵢ = 1/10000^(2i/{d}) = {_t(omegas, 6)}"

    def own_frequencies(pos: int) -> np.ndarray:
        """The encoding with 2i taken as the dimension j itself: sin/cos(pos/10000^(j/d))."""
        return np.array([(math.sin if j % 2 == 0 else math.cos)(pos / 10000 ** (j / d))
                         for j in range(d)])

    return Question(
        "positional-encoding", "dot-product",
        prompt={"en": f"Sinusoidal positional encoding, d_model = {d}. The dot product of the "
                      f"encodings of positions {p} and {p + k}?",
                "zh": f"正弦位置编码，d_model = {d}。位置 {p} 与位置 {p + k} 的编码的点积是多少？"},
        answer=clean(dot), decimals=4,
        solution={"en": f"each sin/cos pair gives sin a·sin b + cos a·cos b = cos(a − b) = "
                        f"cos(ωᵢ·k), k = {k}, {freq}: Σᵢ cos(ωᵢk) = {terms} = {values} = "
                        f"{show(dot)} (position "
                        f"{p} itself does not matter)",
                  "zh": f"每对 sin/cos 给出 sin a·sin b + cos a·cos b = cos(a − b) = cos(ωᵢ·k)，"
                        f"k = {k}，{freq}：Σᵢ cos(ωᵢk) = {terms} = {values} = {show(dot)}"
                        f"（与起点 {p} 无关）"},
        traps=[
            trap(float(own_frequencies(p) @ own_frequencies(p + k)),
                 "2i taken as the dimension itself: dimensions 2i and 2i + 1 share one frequency",
                 "把维度本身当成了 2i：第 2i 维和第 2i + 1 维共用同一个频率"),
        ],
    )


# ------------------------------------------------------------------------------ transformer

def _model(rng) -> tuple[int, int, int]:
    h = pick(rng, [2, 4, 8, 12, 16])
    d = h * pick(rng, [16, 32, 64])
    return h, d, d * pick(rng, [2, 4])


@template("transformer", "layer-params")
def transformer_layer_params(rng) -> Question:
    h, d, dff = _model(rng)
    count = nn.transformer_encoder_layer_num_params(d, dff)
    attn = nn.multi_head_attention_num_params(d)
    ff = nn.linear_num_params(d, dff) + nn.linear_num_params(dff, d)
    return Question(
        "transformer", "layer-params",
        prompt={"en": f"Parameters of nn.TransformerEncoderLayer(d_model={d}, nhead={h}, "
                      f"dim_feedforward={dff})?",
                "zh": f"nn.TransformerEncoderLayer(d_model={d}, nhead={h}, "
                      f"dim_feedforward={dff}) 有多少个参数？"},
        answer=float(count), decimals=0,
        solution={"en": f"self-attention 4d² + 4d = 4·{d}² + 4·{d} = {attn}; feed-forward "
                        f"d·d_ff + d_ff + d_ff·d + d = {d}·{dff} + {dff} + {dff}·{d} + {d} = "
                        f"{ff}; two layer norms 2·2d = 2·2·{d} = {4 * d}; total "
                        f"{attn} + {ff} + {4 * d} = {count} (nhead changes nothing)",
                  "zh": f"自注意力 4d² + 4d = 4·{d}² + 4·{d} = {attn}；前馈网络 d·d_ff + d_ff + "
                        f"d_ff·d + d = {d}·{dff} + {dff} + {dff}·{d} + {d} = {ff}；两个层规范化 "
                        f"2·2d = 2·2·{d} = {4 * d}；合计 {attn} + {ff} + {4 * d} = "
                        f"{count}（与头数无关）"},
        traps=[
            trap(attn + ff, "the two layer norms left out (γ and β: 2·2d)",
                 "漏了两个层规范化（γ 和 β：2·2d）"),
        ],
    )


@template("transformer", "crossover")
def transformer_crossover(rng) -> Question:
    d = pick(rng, [64, 128, 192, 256, 320, 384, 512, 640, 768, 1024, 1280, 1536, 2048])
    dff = d * pick(rng, [1, 2, 3, 4, 8])
    cross = 2 * d + dff
    return Question(
        "transformer", "crossover",
        prompt={"en": f"An encoder layer with d_model = {d}, d_ff = {dff}. Per token, the "
                      f"projections and the feed-forward network cost 4d² + 2·d·d_ff "
                      f"multiply-adds; QKᵀ and weights·V cost 2·L·d. At what sequence length L "
                      f"are the two equal?",
                "zh": f"编码器层，d_model = {d}，d_ff = {dff}。每个词元上，投影和前馈网络需要 "
                      f"4d² + 2·d·d_ff 次乘加；QKᵀ 和权重·V 需要 2·L·d 次。序列长度 L 为多少时"
                      f"两者相等？"},
        answer=float(cross), decimals=0,
        solution={"en": f"2·L·d = 4d² + 2·d·d_ff → L = 2d + d_ff = 2·{d} + {dff} = {cross}; "
                        f"beyond it attention's L² term dominates the layer",
                  "zh": f"2·L·d = 4d² + 2·d·d_ff → L = 2d + d_ff = 2·{d} + {dff} = {cross}；"
                        f"超过它之后，注意力的 L² 项主导整层的计算量"},
    )


@template("transformer", "quadratic")
def transformer_quadratic(rng) -> Question:
    d = pick(rng, [64, 128, 256, 512])
    l1 = pick(rng, [16, 32, 64, 128])
    factor = pick(rng, [2, 3, 4, 5, 8])  # answers stay below 10⁹, where "exact" is exact
    macs = l1 * l1 * d
    ratio = (factor * l1) ** 2 * d / macs
    return Question(
        "transformer", "quadratic",
        prompt={"en": f"With d_model = {d}, computing QKᵀ for L = {l1} tokens takes "
                      f"{_n(macs)} multiply-adds. How many for L = {factor * l1} (same d_model)?",
                "zh": f"d_model = {d} 时，对 L = {l1} 个词元计算 QKᵀ 需要 {_n(macs)} 次乘加。"
                      f"L = {factor * l1}（d_model 不变）时需要多少次？"},
        answer=float(macs * ratio), decimals=0,
        solution={"en": f"QKᵀ costs L²·d: ×{factor} tokens → ×{factor}² = ×{int(ratio)}: "
                        f"{_n(macs)}·{int(ratio)} = {_n(macs * ratio)} (the projections grow "
                        f"only ×{factor})",
                  "zh": f"QKᵀ 的代价为 L²·d：词元数 ×{factor} → ×{factor}² = ×{int(ratio)}："
                        f"{_n(macs)}·{int(ratio)} = {_n(macs * ratio)}（投影只增长 ×{factor}）"},
        traps=[
            trap(macs * factor, "linear in L: QKᵀ has L² entries, so ×factor² not ×factor",
                 "当成了与 L 成正比：QKᵀ 有 L² 个元素，应乘以倍数的平方而不是倍数"),
        ],
    )


# ------------------------------------------------------------------------------ layer norm

def _row(rng) -> np.ndarray:
    while True:
        x = np.array(draws(rng, 4, -3.0, 3.0))
        if np.ptp(x) >= 0.5:
            return x


@template("layer-normalization", "output")
def layer_norm_output(rng) -> Question:
    x = _row(rng)
    y, _ = nn.layer_norm_forward(x, np.ones(4), np.zeros(4), eps=0.0)
    mu, var = float(x.mean()), float(x.var())
    ss = float(np.sum(np.square(x - mu)))
    return Question(
        "layer-normalization", "output",
        prompt={"en": f"Layer norm over the 4 features of x = {_t(x)}, γ = 1, β = 0, ε = 0. "
                      f"The output?",
                "zh": f"对 x = {_t(x)} 的 4 个特征做层规范化，γ = 1，β = 0，ε = 0。输出是多少？"},
        answer=floats(y), kind="vector", decimals=3,
        solution={"en": f"μ = {show(x.sum())}/4 = {show(mu)}; x − μ = {_t(x - mu)}; "
                        f"σ² = mean((x − μ)²) = {show(ss)}/4 = {show(var)} (biased, ÷4); "
                        f"σ = {show(math.sqrt(var))}; (x − μ)/σ = {_t(x - mu)}/"
                        f"{show(math.sqrt(var))} = {vec(y, 3)}",
                  "zh": f"μ = {show(x.sum())}/4 = {show(mu)}；x − μ = {_t(x - mu)}；"
                        f"σ² = mean((x − μ)²) = {show(ss)}/4 = {show(var)}（有偏，除以 4）；"
                        f"σ = {show(math.sqrt(var))}；(x − μ)/σ = {_t(x - mu)}/"
                        f"{show(math.sqrt(var))} = {vec(y, 3)}"},
        traps=[
            trap((x - mu) / float(x.std(ddof=1)),
                 "the unbiased variance (÷(n − 1)): layer norm uses the biased one",
                 "用了无偏方差（÷(n − 1)）：层规范化用有偏方差"),
        ],
    )


@template("layer-normalization", "affine")
def layer_norm_affine(rng) -> Question:
    x = _row(rng)
    gamma, beta = np.array(draws(rng, 4, 0.5, 2.0)), np.array(draws(rng, 4, -1.0, 1.0))
    j = int(rng.integers(4))
    y, cache = nn.layer_norm_forward(x, gamma, beta, eps=0.0)
    xhat = cache.xhat[j]
    centred = x[j] - x.mean()
    unbiased = gamma[j] * centred / float(x.std(ddof=1)) + beta[j]  # σ with ÷(n − 1)
    by_variance = gamma[j] * centred / float(x.var()) + beta[j]  # ÷ σ², not σ
    return Question(
        "layer-normalization", "affine",
        prompt={"en": f"Layer norm of x = {_t(x)} with γ = {_t(gamma)}, β = {_t(beta)}, ε = 0. "
                      f"Output feature {j + 1}?",
                "zh": f"对 x = {_t(x)} 做层规范化，γ = {_t(gamma)}，β = {_t(beta)}，ε = 0。"
                      f"输出的第 {j + 1} 个特征是多少？"},
        answer=clean(y[j]), decimals=3,
        solution={"en": f"μ = {show(x.mean())}, σ = {show(x.std())}; x̂{'₁₂₃₄'[j]} = "
                        f"({show(x[j])} − {_p(x.mean())})/{show(x.std())} = {show(xhat)}; "
                        f"y = γ·x̂ + β = {show(gamma[j])}·{_p(xhat)} + {_p(beta[j])} = "
                        f"{show(y[j])}",
                  "zh": f"μ = {show(x.mean())}，σ = {show(x.std())}；x̂{'₁₂₃₄'[j]} = "
                        f"({show(x[j])} − {_p(x.mean())})/{show(x.std())} = {show(xhat)}；"
                        f"y = γ·x̂ + β = {show(gamma[j])}·{_p(xhat)} + {_p(beta[j])} = "
                        f"{show(y[j])}"},
        traps=[
            trap(unbiased, "the unbiased variance (÷(n − 1)): layer norm uses the biased one",
                 "用了无偏方差（÷(n − 1)）：层规范化用有偏方差"),
            trap(xhat, "γ and β left out: the output is γ·x̂ + β",
                 "漏了 γ 和 β：输出是 γ·x̂ + β"),
            trap(by_variance, "divided by the variance σ² instead of the standard deviation σ",
                 "除以了方差 σ²，而不是标准差 σ"),
        ],
    )


@template("layer-normalization", "stats-count")
def layer_norm_stats_count(rng) -> Question:
    n, length = pick(rng, [1, 2, 4, 8, 16, 32]), int(rng.integers(2, 129))
    d = pick(rng, [64, 128, 256, 512, 768])
    # the kernel's statistics have shape (N, L, 1): one pair per position, whatever d is
    _, cache = nn.layer_norm_forward(np.zeros((n, length, 2)), np.ones(2), np.zeros(2))
    pairs = int(cache.inv_std.size)
    return Question(
        "layer-normalization", "stats-count",
        prompt={"en": f"nn.LayerNorm({d}) on a batch of shape (N, L, d) = "
                      f"{_shape((n, length, d))}. How many (mean, variance) pairs does it "
                      f"compute?",
                "zh": f"nn.LayerNorm({d}) 作用于形状为 (N, L, d) = {_shape((n, length, d))} "
                      f"的批量。它一共计算多少对（均值，方差）？"},
        answer=float(pairs), decimals=0,
        solution={"en": f"one pair per token, over its d = {d} features: N·L = {n}·{length} = "
                        f"{pairs} (batch norm would compute d = {d}, one per feature, over "
                        f"the N·L positions)",
                  "zh": f"每个词元一对，在它的 d = {d} 个特征上计算：N·L = {n}·{length} = "
                        f"{pairs}（批量规范化则是每个特征一对，共 d = {d} 对，跨 N·L 个位置计算）"},
        traps=[
            trap(float(d), "one pair per feature: layer norm computes one per token",
                 "每个特征一对：层规范化每个词元算一对"),
        ],
    )


# ------------------------------------------------------------------------------ residual

@template("residual-connection", "gradient")
def residual_gradient(rng) -> Question:
    x, w = draw(rng, -2.0, 2.0), draw(rng, -2.0, 2.0)
    dtanh = float(nn.tanh_grad(x))
    grad = 1.0 + w * dtanh
    return Question(
        "residual-connection", "gradient",
        prompt={"en": f"A scalar residual block y = x + F(x) with F(x) = {show(w)}·tanh(x). "
                      f"dy/dx at x = {show(x)}?",
                "zh": f"标量残差块 y = x + F(x)，F(x) = {show(w)}·tanh(x)。"
                      f"x = {show(x)} 处的 dy/dx 是多少？"},
        answer=clean(grad), decimals=3,
        solution={"en": f"dy/dx = 1 + F′(x) = 1 + w·(1 − tanh²x); tanh({show(x)}) = "
                        f"{show(float(nn.tanh(x)))}, 1 − tanh² = {show(dtanh)}; 1 + "
                        f"{_p(w)}·{show(dtanh)} = {show(grad)} (the 1 is the skip path)",
                  "zh": f"dy/dx = 1 + F′(x) = 1 + w·(1 − tanh²x)；tanh({show(x)}) = "
                        f"{show(float(nn.tanh(x)))}，1 − tanh² = {show(dtanh)}；1 + "
                        f"{_p(w)}·{show(dtanh)} = {show(grad)}（1 来自跳跃连接）"},
        traps=[
            trap(w * dtanh, "the branch alone: the identity adds 1",
                 "只算了分支：恒等映射还要加 1"),
        ],
    )


@template("residual-connection", "deep")
def residual_deep(rng) -> Question:
    a, n = draw(rng, -0.5, 0.5), int(rng.integers(2, 11))
    factors = np.full(n, 1.0 + a)
    grad = float(np.prod(factors))
    plain = a ** n
    return Question(
        "residual-connection", "deep",
        prompt={"en": f"A scalar network of {n} residual blocks hₗ₊₁ = hₗ + Fₗ(hₗ), where "
                      f"every branch has derivative Fₗ′ = {show(a)} at the current input. "
                      f"∂h_out/∂h_in?",
                "zh": f"由 {n} 个残差块 hₗ₊₁ = hₗ + Fₗ(hₗ) 组成的标量网络，每个分支在当前输入处的"
                      f"导数都是 Fₗ′ = {show(a)}。∂h_out/∂h_in 是多少？"},
        answer=clean(grad), decimals=4,
        solution={"en": f"chain rule: Πₗ (1 + Fₗ′) = (1 + {_p(a)})^{n} = {show(1 + a)}^{n} = "
                        f"{show(grad)}; without the skips it would be {_p(a)}^{n} = "
                        f"{plain:.3g}",
                  "zh": f"链式法则：Πₗ (1 + Fₗ′) = (1 + {_p(a)})^{n} = {show(1 + a)}^{n} = "
                        f"{show(grad)}；没有跳跃连接则是 {_p(a)}^{n} = {plain:.3g}"},
        traps=[
            trap(plain, "the branches alone (Fᵢ′ multiplied): each block gives 1 + F′",
                 "只乘了分支的导数：每个块贡献的是 1 + F′"),
            trap(1 + n * a, "1 + n·F′: the factors multiply", "算成了 1 + n·F′：各因子是相乘的"),
        ],
    )


@template("residual-connection", "forward")
def residual_forward(rng) -> Question:
    x = np.array(draws(rng, 3, -2.0, 2.0))
    a, b = draw(rng, -2.0, 2.0), draw(rng, -1.0, 1.0)
    branch = nn.relu(a * x + b)
    y = x + branch
    return Question(
        "residual-connection", "forward",
        prompt={"en": f"A residual block y = x + ReLU(a·x + b), elementwise, with a = {show(a)}, "
                      f"b = {show(b)}, on x = {_t(x)}. The output y?",
                "zh": f"残差块 y = x + ReLU(a·x + b)（逐元素），a = {show(a)}，b = {show(b)}，"
                      f"输入 x = {_t(x)}。输出 y 是多少？"},
        answer=floats(y), kind="vector", decimals=3,
        solution={"en": f"a·x + b = {_t(a * x + b)}; ReLU → F(x) = {_t(branch)}; y = x + F(x) = "
                        f"{vec(y)} (where the branch is 0 the block passes x unchanged)",
                  "zh": f"a·x + b = {_t(a * x + b)}；ReLU → F(x) = {_t(branch)}；y = x + F(x) = "
                        f"{vec(y)}（分支为 0 处，块原样输出 x）"},
        traps=[
            trap(branch, "the skip connection left out: y = x + F(x)",
                 "漏了跳跃连接：y = x + F(x)"),
        ],
    )


# ------------------------------------------------------------------------------ embedding

@template("embedding", "param-count")
def embedding_param_count(rng) -> Question:
    v = int(rng.integers(1, 101)) * 1000
    d = pick(rng, [64, 128, 256, 300, 512, 768, 1024])
    count = nn.embedding_num_params(v, d)
    return Question(
        "embedding", "param-count",
        prompt={"en": f"How many parameters does nn.Embedding({v}, {d}) have (a vocabulary of "
                      f"{_n(v)} tokens, {d}-dimensional vectors)?",
                "zh": f"nn.Embedding({v}, {d})（词表 {_n(v)} 个词元，{d} 维向量）"
                      f"有多少个参数？"},
        answer=float(count), decimals=0,
        solution={"en": f"one {d}-vector per token, no bias: V·D = {v}·{d} = {_n(count)}",
                  "zh": f"每个词元一个 {d} 维向量，没有偏置：V·D = {v}·{d} = {_n(count)}"},
        traps=[
            trap(float(v * d + d), "a bias counted: an embedding table has none",
                 "算了偏置：嵌入表没有偏置"),
        ],
    )


def _table(rng) -> np.ndarray:
    return rng.integers(-3, 4, size=(4, 2)).astype(float)


@template("embedding", "lookup")
def embedding_lookup(rng) -> Question:
    w = _table(rng)
    idx = rng.integers(0, 4, size=3)
    out, _ = nn.embedding_forward(idx, w)
    rows = "; ".join(f"row {r}: {_t(w[r])}" for r in range(4))
    rows_zh = "；".join(f"第 {r} 行 {_t(w[r])}" for r in range(4))
    return Question(
        "embedding", "lookup",
        prompt={"en": f"An embedding table W (4 tokens × 2) with {rows}. Token ids "
                      f"{_t(idx)} are looked up; the output, row by row (6 numbers)?",
                "zh": f"嵌入表 W（4 个词元 × 2 维）：{rows_zh}。查找词元编号 {_t(idx)}；"
                      f"输出逐行写出（6 个数）是？"},
        answer=floats(out), kind="vector", decimals=0,
        solution={"en": f"each id picks its row (= one-hot(id) · W): "
                        f"{', '.join(_t(w[i]) for i in idx)} → {vec(out)}",
                  "zh": f"每个编号取出对应的行（= 独热(编号) · W）："
                        f"{'，'.join(_t(w[i]) for i in idx)} → {vec(out)}"},
    )


@template("embedding", "gradient")
def embedding_gradient(rng) -> Question:
    idx = rng.integers(0, 4, size=4)
    dout = np.array([draws(rng, 2, -2.0, 2.0) for _ in range(4)])
    _, cache = nn.embedding_forward(idx, np.zeros((4, 2)))
    dw = nn.embedding_backward(dout, cache)
    counts = np.bincount(idx, minlength=4)
    r = int(pick(rng, [int(i) for i in np.flatnonzero(counts == counts.max())]
                 + [int(i) for i in range(4)]))
    where = [p for p in range(4) if idx[p] == r]
    grads = "; ".join(f"position {p + 1}: {_t(dout[p])}" for p in range(4))
    grads_zh = "；".join(f"位置 {p + 1}：{_t(dout[p])}" for p in range(4))
    if where:
        terms = " + ".join(_t(dout[p]) for p in where)
        how_en = f"row {r} was used at position(s) {', '.join(str(p + 1) for p in where)}: {terms}"
        how_zh = f"第 {r} 行在位置 {'、'.join(str(p + 1) for p in where)} 被使用：{terms}"
    else:
        how_en = f"row {r} was never looked up, so dW_{r}"
        how_zh = f"第 {r} 行没有被查找过，所以 dW_{r}"
    return Question(
        "embedding", "gradient",
        prompt={"en": f"Token ids {_t(idx)} go through nn.Embedding(4, 2); the gradients "
                      f"arriving at the four outputs are {grads}. The gradient of row {r} of "
                      f"the table?",
                "zh": f"词元编号 {_t(idx)} 经过 nn.Embedding(4, 2)；四个输出收到的梯度为 "
                      f"{grads_zh}。嵌入表第 {r} 行的梯度是多少？"},
        answer=floats(dw[r]), kind="vector", decimals=1,
        traps=[
            trap(dout[where[-1]],
                 "only the last use of the row: a repeated token's gradients add up",
                 "只取了该行最后一次被使用的梯度：重复出现的词元梯度要相加"),
            trap(dout[where].mean(axis=0),
                 "the uses averaged: a repeated token's gradients add up",
                 "把各次使用的梯度取了平均：重复出现的词元梯度要相加"),
        ] if where else [],
        solution={"en": f"dW_r = Σ of the output gradients at every position whose id is r; "
                        f"{how_en} = {vec(dw[r])}",
                  "zh": f"dW_r = 所有编号为 r 的位置上输出梯度之和；{how_zh} = {vec(dw[r])}"},
    )


# ------------------------------------------------------------------------------ encoder-decoder

@template("encoder-decoder", "cross-shape")
def cross_attention_shape(rng) -> Question:
    h = pick(rng, [2, 4, 8])
    d = h * pick(rng, [32, 64])
    n, t_len, s_len = pick(rng, [1, 2, 8, 32]), int(rng.integers(2, 65)), int(rng.integers(2, 65))
    while s_len == t_len:
        s_len = int(rng.integers(2, 65))
    shape = (n, h, t_len, s_len)
    return Question(
        "encoder-decoder", "cross-shape",
        prompt={"en": f"Encoder–decoder cross-attention with {h} heads, d_model = {d}: the "
                      f"decoder has T = {t_len} target positions, the encoder memory S = {s_len} "
                      f"source positions, batch N = {n}. Shape of the cross-attention weights "
                      f"(N, heads, ·, ·)?",
                "zh": f"编码器-解码器交叉注意力，{h} 个头，d_model = {d}：解码器有 T = {t_len} "
                      f"个目标位置，编码器输出（记忆）有 S = {s_len} 个源位置，批量 N = {n}。"
                      f"交叉注意力权重的形状 (N, 头数, ·, ·) 是？"},
        answer=shape, kind="shape", decimals=None,
        solution={"en": f"queries come from the decoder (T = {t_len}), keys and values from the "
                        f"encoder (S = {s_len}): one row per target position, one column per "
                        f"source position → {_shape(shape)}; no causal mask here",
                  "zh": f"查询来自解码器（T = {t_len}），键和值来自编码器（S = {s_len}）："
                        f"每个目标位置一行、每个源位置一列 → {_shape(shape)}；这里没有因果掩码"},
        traps=[
            trap((n, h, s_len, t_len), "(S, T): a row per target (query), a column per source",
                 "写成了 (S, T)：每个目标（查询）一行，每个源一列"),
        ],
    )


@template("encoder-decoder", "decoder-params")
def decoder_params(rng) -> Question:
    h = pick(rng, [2, 4, 8, 16])
    d = h * pick(rng, [16, 32, 64])
    dff = d * pick(rng, [2, 4])
    attn = nn.multi_head_attention_num_params(d)
    ff = nn.linear_num_params(d, dff) + nn.linear_num_params(dff, d)
    count = 2 * attn + ff + 3 * 2 * d
    biases = 2 * 4 * d + dff + d  # four per attention block, two in the feed-forward
    return Question(
        "encoder-decoder", "decoder-params",
        prompt={"en": f"Parameters of nn.TransformerDecoderLayer(d_model={d}, nhead={h}, "
                      f"dim_feedforward={dff}) (masked self-attention, cross-attention, "
                      f"feed-forward, three layer norms)?",
                "zh": f"nn.TransformerDecoderLayer(d_model={d}, nhead={h}, dim_feedforward={dff})"
                      f"（带掩码的自注意力、交叉注意力、前馈网络、三个层规范化）有多少个参数？"},
        answer=float(count), decimals=0,
        solution={"en": f"two attention blocks 2·(4d² + 4d) = 2·(4·{d}² + 4·{d}) = 2·{attn}; "
                        f"feed-forward 2·d·d_ff + d_ff + d = 2·{d}·{dff} + {dff} + {d} = {ff}; "
                        f"three layer norms 3·2d = 3·2·{d} = {6 * d}; total "
                        f"{2 * attn} + {ff} + {6 * d} = {count}",
                  "zh": f"两个注意力块 2·(4d² + 4d) = 2·(4·{d}² + 4·{d}) = 2·{attn}；前馈网络 "
                        f"2·d·d_ff + d_ff + d = 2·{d}·{dff} + {dff} + {d} = {ff}；三个层规范化 "
                        f"3·2d = 3·2·{d} = {6 * d}；合计 {2 * attn} + {ff} + {6 * d} = "
                        f"{count}"},
        traps=[
            trap(float(count - biases),
                 "the biases of the attention and feed-forward layers left out",
                 "漏了注意力和前馈网络中的偏置"),
            trap(float(count - 2 * (d * d + d)),
                 "the output projections left out (only Q, K, V in each attention block)",
                 "漏了输出投影（每个注意力块只算了 Q、K、V）"),
            trap(float(2 * attn + ff), "the three layer norms left out (γ and β: 3·2d)",
                 "漏了三个层规范化（γ 和 β：3·2d）"),
        ],
    )


@template("encoder-decoder", "cross-cost")
def cross_attention_cost(rng) -> Question:
    h = pick(rng, [1, 2, 4, 8])
    d = h * pick(rng, [16, 32, 64])
    t_len, s_len = int(rng.integers(2, 101)), int(rng.integers(2, 201))
    macs = t_len * s_len * d
    d_k = d // h
    return Question(
        "encoder-decoder", "cross-cost",
        prompt={"en": f"Cross-attention with {h} head(s), d_model = {d}, T = {t_len} target and "
                      f"S = {s_len} source positions, one sequence. Multiply-adds to compute the "
                      f"scores Q Kᵀ over all heads?",
                "zh": f"交叉注意力，{h} 个头，d_model = {d}，T = {t_len} 个目标位置、S = {s_len} "
                      f"个源位置，一条序列。计算所有头的分数 Q Kᵀ 需要多少次乘加？"},
        answer=float(macs), decimals=0,
        solution={"en": f"each head: T·S dot products of length d_k = {d}/{h} = {d // h}; "
                        f"all heads: h·T·S·d_k = T·S·d = {t_len}·{s_len}·{d} = {_n(macs)} "
                        f"(linear in T and in S, not T²)",
                  "zh": f"每个头：T·S 个长度为 d_k = {d}/{h} = {d // h} 的点积；所有头："
                        f"h·T·S·d_k = T·S·d = {t_len}·{s_len}·{d} = {_n(macs)}"
                        f"（对 T 和 S 各是线性的，而不是 T²）"},
        traps=[
            trap(float(h * t_len * s_len * d),
                 "d_model taken as each head's d_k: the heads split d, so h·T·S·d_k = T·S·d",
                 "把 d_model 当成了每个头的 d_k：各个头平分 d，所以 h·T·S·d_k = T·S·d"),
            trap(float(t_len * s_len * d_k), "one head only: the h heads together cost T·S·d",
                 "只算了一个头：h 个头合计 T·S·d"),
            trap(float(t_len * t_len * d), "T²·d, as in self-attention: the T queries meet S keys",
                 "算成了自注意力的 T²·d：T 个查询面对的是 S 个键"),
        ],
    )


# ------------------------------------------------------------------------------ gelu

@template("gelu", "value")
def gelu_value(rng) -> Question:
    x = draw(rng, -3.0, 3.0)
    erf = math.erf(x / math.sqrt(2))
    y = float(nn.gelu(x))
    return Question(
        "gelu", "value",
        prompt={"en": f"GELU(x) = x·Φ(x), Φ(x) = ½(1 + erf(x/√2)). Given erf({show(x)}/√2) = "
                      f"{show(erf, 6)}: GELU({show(x)}) = ?",
                "zh": f"GELU(x) = x·Φ(x)，Φ(x) = ½(1 + erf(x/√2))。已知 erf({show(x)}/√2) = "
                      f"{show(erf, 6)}，GELU({show(x)}) 等于多少？"},
        answer=clean(y), decimals=4,
        solution={"en": f"Φ({show(x)}) = ½(1 + {_p(erf, 6)}) = {show(0.5 * (1 + erf), 6)}; "
                        f"GELU = {show(x)} × {show(0.5 * (1 + erf), 6)} = {show(y)}",
                  "zh": f"Φ({show(x)}) = ½(1 + {_p(erf, 6)}) = {show(0.5 * (1 + erf), 6)}；"
                        f"GELU = {show(x)} × {show(0.5 * (1 + erf), 6)} = {show(y)}"},
        traps=[
            trap(x * erf, "erf taken for Φ: Φ(x) = ½(1 + erf(x/√2))",
                 "把 erf 当成了 Φ：Φ(x) = ½(1 + erf(x/√2))"),
        ],
    )


@template("gelu", "tanh-approx")
def gelu_tanh(rng) -> Question:
    x = draw(rng, -3.0, 3.0)
    u = math.sqrt(2 / math.pi) * (x + 0.044715 * x ** 3)
    y = float(nn.gelu(x, approximate="tanh"))
    # x·Φ(x), what F.gelu(x) gives, as typed to the four decimals asked: the two forms differ
    # by at most 5·10⁻⁴, so whether the mistake shows depends on the typed digits
    exact = round(x * 0.5 * (1 + math.erf(x / math.sqrt(2))), 4)
    no_half = x * (1 + math.tanh(u))
    return Question(
        "gelu", "tanh-approx",
        prompt={"en": f"The tanh approximation GELU(x) ≈ ½x(1 + tanh(√(2/π)(x + 0.044715x³))) "
                      f"(PyTorch's approximate='tanh'). Its value at x = {show(x)}?",
                "zh": f"GELU 的 tanh 近似 GELU(x) ≈ ½x(1 + tanh(√(2/π)(x + 0.044715x³)))"
                      f"（PyTorch 的 approximate='tanh'）。x = {show(x)} 时的值是多少？"},
        answer=clean(y), decimals=4,
        solution={"en": f"u = √(2/π)·({show(x)} + 0.044715·{_p(x)}³) = {show(u)}; tanh(u) = "
                        f"{show(math.tanh(u))}; ½·{_p(x)}·(1 + {_p(math.tanh(u))}) = {show(y)}",
                  "zh": f"u = √(2/π)·({show(x)} + 0.044715·{_p(x)}³) = {show(u)}；tanh(u) = "
                        f"{show(math.tanh(u))}；½·{_p(x)}·(1 + {_p(math.tanh(u))}) = {show(y)}"},
        traps=[
            trap(exact, "the exact GELU x·Φ(x) (PyTorch's default), not the tanh approximation",
                 "算成了精确的 GELU x·Φ(x)（PyTorch 的默认形式），而不是 tanh 近似"),
            trap(no_half, "the ½ left out: ½(1 + tanh(…)) stands in for Φ(x)",
                 "漏了 ½：½(1 + tanh(…)) 近似的是 Φ(x)"),
        ],
    )


@template("gelu", "derivative")
def gelu_derivative(rng) -> Question:
    x = draw(rng, -3.0, 3.0)
    cdf = 0.5 * (1 + math.erf(x / math.sqrt(2)))
    pdf = math.exp(-x * x / 2) / math.sqrt(2 * math.pi)
    d = float(nn.gelu_grad(x))
    return Question(
        "gelu", "derivative",
        prompt={"en": f"GELU′(x) = Φ(x) + x·φ(x), φ the standard normal density. Given "
                      f"Φ({show(x)}) = {show(cdf, 6)}: GELU′({show(x)}) = ?",
                "zh": f"GELU′(x) = Φ(x) + x·φ(x)，φ 为标准正态分布的密度函数。已知 "
                      f"Φ({show(x)}) = {show(cdf, 6)}，GELU′({show(x)}) 等于多少？"},
        answer=clean(d), decimals=4,
        solution={"en": f"φ({show(x)}) = e^(−x²/2)/√(2π) = {show(pdf, 6)}; "
                        f"{show(cdf, 6)} + {_p(x)}·{show(pdf, 6)} = {show(d)}",
                  "zh": f"φ({show(x)}) = e^(−x²/2)/√(2π) = {show(pdf, 6)}；"
                        f"{show(cdf, 6)} + {_p(x)}·{show(pdf, 6)} = {show(d)}"},
        traps=[
            trap(cdf, "Φ(x) alone: the product rule adds x·φ(x)",
                 "只算了 Φ(x)：乘积法则还要加上 x·φ(x)"),
        ],
    )


# ------------------------------------------------------------------------------ silu

@template("silu", "value")
def silu_value(rng) -> Question:
    x = draw(rng, -4.0, 4.0)
    s = float(nn.sigmoid(x))
    y = float(nn.silu(x))
    return Question(
        "silu", "value",
        prompt={"en": f"SiLU(x) = x·σ(x) (Swish). SiLU({show(x)}) = ?",
                "zh": f"SiLU(x) = x·σ(x)（Swish）。SiLU({show(x)}) 等于多少？"},
        answer=clean(y), decimals=4,
        solution={"en": f"σ({show(x)}) = 1/(1 + e^{-x:g}) = {show(s, 6)}; {show(x)} × "
                        f"{show(s, 6)} = {show(y)}",
                  "zh": f"σ({show(x)}) = 1/(1 + e^{-x:g}) = {show(s, 6)}；{show(x)} × "
                        f"{show(s, 6)} = {show(y)}"},
        traps=[
            trap(s, "σ(x) alone: SiLU multiplies it by x", "只算了 σ(x)：SiLU 还要再乘以 x"),
        ],
    )


@template("silu", "derivative")
def silu_derivative(rng) -> Question:
    x = draw(rng, -4.0, 4.0)
    s = float(nn.sigmoid(x))
    d = float(nn.silu_grad(x))
    return Question(
        "silu", "derivative",
        prompt={"en": f"SiLU′({show(x)}) = ? (SiLU(x) = x·σ(x))",
                "zh": f"SiLU′({show(x)}) 等于多少？（SiLU(x) = x·σ(x)）"},
        answer=clean(d), decimals=4,
        solution={"en": f"product rule: σ(x) + x·σ(x)(1 − σ(x)) = σ(x)(1 + x(1 − σ(x))); "
                        f"σ({show(x)}) = {show(s, 6)}; {show(s, 6)}·(1 + {_p(x)}·"
                        f"{show(1 - s, 6)}) = {show(d)}",
                  "zh": f"乘积法则：σ(x) + x·σ(x)(1 − σ(x)) = σ(x)(1 + x(1 − σ(x)))；"
                        f"σ({show(x)}) = {show(s, 6)}；{show(s, 6)}·(1 + {_p(x)}·"
                        f"{show(1 - s, 6)}) = {show(d)}"},
        traps=[
            trap(s, "σ(x) alone: the product rule adds x·σ′(x)",
                 "只算了 σ(x)：乘积法则还要加上 x·σ′(x)"),
        ],
    )


@template("silu", "vs-relu")
def silu_vs_relu(rng) -> Question:
    x = draw(rng, -4.0, 4.0)
    gap = float(nn.silu(x) - nn.relu(x))
    s = float(nn.sigmoid(x))
    distance = abs(gap)
    sigma_for_silu = s - max(x, 0.0)
    return Question(
        "silu", "vs-relu",
        prompt={"en": f"How far is SiLU from ReLU at x = {show(x)}: SiLU({show(x)}) − "
                      f"ReLU({show(x)}) = ?",
                "zh": f"在 x = {show(x)} 处 SiLU 与 ReLU 相差多少：SiLU({show(x)}) − "
                      f"ReLU({show(x)}) 等于多少？"},
        answer=clean(gap), decimals=4,
        solution={"en": f"SiLU({show(x)}) = {show(x)}·σ({show(x)}) = {show(x)}·{show(s, 6)} = "
                        f"{show(x * s)}; ReLU({show(x)}) = {show(max(x, 0.0))}; difference "
                        f"{show(gap)} (x > 0: −x·σ(−x); x < 0: x·σ(x); both → 0 as |x| grows)",
                  "zh": f"SiLU({show(x)}) = {show(x)}·σ({show(x)}) = {show(x)}·{show(s, 6)} = "
                        f"{show(x * s)}；ReLU({show(x)}) = {show(max(x, 0.0))}；差为 "
                        f"{show(gap)}（x > 0 时为 −x·σ(−x)，x < 0 时为 x·σ(x)，"
                        f"|x| 增大时都趋于 0）"},
        traps=[
            trap(distance,
                 "the distance |SiLU − ReLU|: SiLU lies below ReLU, so the difference is negative",
                 "给出了距离 |SiLU − ReLU|：SiLU 处处不高于 ReLU，差为负"),
            trap(sigma_for_silu, "σ(x) taken for SiLU(x) = x·σ(x)",
                 "把 σ(x) 当成了 SiLU(x) = x·σ(x)"),
        ],
    )
