"""Questions on CNN and RNN layers: shapes, parameter counts and small forward passes.

Shapes and counts come from dlref.nn's helpers (conv_output_shape, pool2d_output_shape,
conv2d_num_params, linear_num_params, rnn/lstm/gru_num_params); values from the forward
kernels (conv2d_forward, max/avg_pool2d_forward, rnn/lstm/gru_forward) on tiny inputs.
"""

from __future__ import annotations

import math

import numpy as np

from dlref import nn
from dlref.quiz.draw import clean, draw, pick, show, trap
from dlref.quiz.draw import paren as _p
from dlref.quiz.questions import Question, template


def _mat(m) -> str:
    return "[" + ", ".join("[" + ", ".join(show(float(v)) for v in row) + "]"
                           for row in m) + "]"


def _shape(dims) -> str:
    return "(" + ", ".join(str(int(d)) for d in dims) + ")"


_CORNERS = [((0, 0), "top-left", "左上"), ((0, 1), "top-right", "右上"),
            ((1, 0), "bottom-left", "左下"), ((1, 1), "bottom-right", "右下")]


# ------------------------------------------------------------------------------ cnn

@template("cnn", "param-count")
def cnn_param_count(rng) -> Question:
    c_in, c_out = pick(rng, [1, 3, 6, 16, 32, 64]), pick(rng, [6, 16, 32, 64, 128])
    k = pick(rng, [1, 3, 5])
    count = nn.conv2d_num_params(c_in, c_out, k, k)
    return Question(
        "cnn", "param-count",
        prompt={"en": f"How many parameters does nn.Conv2d({c_in}, {c_out}, kernel_size={k}) "
                      f"have (with bias)?",
                "zh": f"nn.Conv2d({c_in}, {c_out}, kernel_size={k})（带偏置）有多少个参数？"},
        answer=float(count), decimals=0,
        solution={"en": f"F·(C·K·K + 1) = {c_out}·({c_in}·{k}·{k} + 1) = {count}, whatever the "
                        f"input's height and width",
                  "zh": f"F·(C·K·K + 1) = {c_out}·({c_in}·{k}·{k} + 1) = {count}，"
                        f"与输入的高和宽无关"},
        traps=[
            trap(c_out * c_in * k * k, "the weights only, without one bias per output channel",
                 "只算了权重，漏了每个输出通道一个偏置"),
            trap(c_out * k * k + c_out, "the input channels left out: each filter is C_in×K×K",
                 "漏了输入通道：每个卷积核是 C_in×K×K"),
        ],
    )


def _conv_pool(rng):
    """A conv (stride 1) + 2×2 max-pool block on a square input, with its shapes."""
    c, h = pick(rng, [1, 3, 16]), pick(rng, [28, 32, 64])
    f, k = pick(rng, [6, 16, 32, 64]), pick(rng, [3, 5])
    pad = pick(rng, [0, k // 2])
    conv = nn.conv_output_shape(h, h, k, k, stride=1, padding=pad)
    pool = nn.pool2d_output_shape(*conv, kernel_size=2, stride=2)
    return c, h, f, k, pad, conv, pool


@template("cnn", "output-shape")
def cnn_output_shape(rng) -> Question:
    c, h, f, k, pad, conv, pool = _conv_pool(rng)
    shape = (f, *pool)
    return Question(
        "cnn", "output-shape",
        prompt={"en": f"Input ({c}, {h}, {h}) (C, H, W) → Conv2d({c}, {f}, kernel_size={k}, "
                      f"padding={pad}) → ReLU → MaxPool2d(2). Output shape (C, H, W)?",
                "zh": f"输入 ({c}, {h}, {h})（C, H, W）→ Conv2d({c}, {f}, kernel_size={k}, "
                      f"padding={pad}) → ReLU → MaxPool2d(2)。输出形状 (C, H, W) 是？"},
        answer=tuple(int(d) for d in shape), kind="shape", decimals=None,
        solution={"en": f"conv: ({h} + 2·{pad} − {k}) + 1 = {conv[0]} → ({f}, {conv[0]}, "
                        f"{conv[1]}); pool: ⌊{conv[0]}/2⌋ = {pool[0]} → {_shape(shape)}",
                  "zh": f"卷积：({h} + 2·{pad} − {k}) + 1 = {conv[0]} → ({f}, {conv[0]}, "
                        f"{conv[1]})；汇聚：⌊{conv[0]}/2⌋ = {pool[0]} → {_shape(shape)}"},
        traps=[
            trap((f, *conv), "the max-pooling left out", "漏了最大汇聚层"),
            trap((c, *pool), "the input's channels kept: the convolution outputs one per filter",
                 "保留了输入通道数：卷积层的输出通道数等于卷积核个数"),
        ],
    )


@template("cnn", "flatten-linear")
def cnn_flatten_linear(rng) -> Question:
    c, h, f, k, pad, conv, pool = _conv_pool(rng)
    n_out = pick(rng, [10, 84, 120, 256])
    features = f * pool[0] * pool[1]
    count = nn.linear_num_params(features, n_out)
    return Question(
        "cnn", "flatten-linear",
        prompt={"en": f"Input ({c}, {h}, {h}) → Conv2d({c}, {f}, kernel_size={k}, padding={pad})"
                      f" → MaxPool2d(2) → Flatten → Linear(?, {n_out}). Parameters of the Linear?",
                "zh": f"输入 ({c}, {h}, {h}) → Conv2d({c}, {f}, kernel_size={k}, padding={pad})"
                      f" → MaxPool2d(2) → Flatten → Linear(?, {n_out})。这个全连接层有多少参数？"},
        answer=float(count), decimals=0,
        solution={"en": f"conv: ({h} + 2·{pad} − {k}) + 1 = {conv[0]} → ({f}, {conv[0]}, "
                        f"{conv[1]}); pool: ⌊{conv[0]}/2⌋ = {pool[0]} → feature map ({f}, "
                        f"{pool[0]}, {pool[1]}) → {f}·{pool[0]}·{pool[1]} = {features} inputs; "
                        f"{features}·{n_out} + {n_out} = {count}",
                  "zh": f"卷积：({h} + 2·{pad} − {k}) + 1 = {conv[0]} → ({f}, {conv[0]}, "
                        f"{conv[1]})；汇聚：⌊{conv[0]}/2⌋ = {pool[0]} → 特征图 ({f}, "
                        f"{pool[0]}, {pool[1]}) → {f}·{pool[0]}·{pool[1]} = {features} 个输入；"
                        f"{features}·{n_out} + {n_out} = {count}"},
        traps=[
            trap(nn.linear_num_params(f * conv[0] * conv[1], n_out),
                 "the features counted before the pooling", "按汇聚之前的特征数算了"),
            trap(f * pool[0] * pool[1] * n_out, "the weights only, without the biases",
                 "只算了权重，漏了偏置"),
        ],
    )


# ------------------------------------------------------------------------------ convolution

@template("convolution", "output-shape")
def conv_output_shape(rng) -> Question:
    while True:
        h, w = int(rng.integers(5, 33)), int(rng.integers(5, 33))
        k, s, pad = pick(rng, [1, 2, 3, 5, 7]), pick(rng, [1, 2, 3]), pick(rng, [0, 1, 2, 3])
        if k <= min(h, w) + 2 * pad:
            break
    out = nn.conv_output_shape(h, w, k, k, stride=s, padding=pad)
    no_one = ((h + 2 * pad - k) // s, (w + 2 * pad - k) // s)
    no_pad = ((h - k) // s + 1, (w - k) // s + 1)
    return Question(
        "convolution", "output-shape",
        prompt={"en": f"A {h}×{w} input (H×W), {k}×{k} kernel, stride {s}, padding {pad}. "
                      f"Output (H_out, W_out)?",
                "zh": f"输入 {h}×{w}（H×W），卷积核 {k}×{k}，步幅 {s}，填充 {pad}。"
                      f"输出 (H_out, W_out) 是？"},
        answer=tuple(int(d) for d in out), kind="shape", decimals=None,
        solution={"en": f"⌊(H + 2P − K)/S⌋ + 1: ⌊({h} + {2 * pad} − {k})/{s}⌋ + 1 = {out[0]}, "
                        f"⌊({w} + {2 * pad} − {k})/{s}⌋ + 1 = {out[1]}",
                  "zh": f"⌊(H + 2P − K)/S⌋ + 1：⌊({h} + {2 * pad} − {k})/{s}⌋ + 1 = {out[0]}，"
                        f"⌊({w} + {2 * pad} − {k})/{s}⌋ + 1 = {out[1]}"},
        traps=[
            trap(no_one, "the output size without the + 1", "输出尺寸漏了 + 1"),
            trap(no_pad, "the output size without the padding", "输出尺寸漏了填充"),
            trap(((h + pad - k) // s + 1, (w + pad - k) // s + 1),
                 "the padding counted once instead of on both sides (2P)",
                 "填充只算了一边，而不是两边（2P）"),
        ],
    )


@template("convolution", "element")
def conv_element(rng) -> Question:
    x = rng.integers(-2, 4, size=(3, 3)).astype(float)
    kern = rng.integers(-1, 3, size=(2, 2)).astype(float)
    (i, j), en, zh = _CORNERS[int(rng.integers(4))]
    y, _ = nn.conv2d_forward(x[None, None], kern[None, None], None)
    ans = float(y[0, 0, i, j])
    patch = x[i:i + 2, j:j + 2]
    terms = " + ".join(f"{_p(a)}·{_p(b)}" for a, b in zip(patch.ravel(), kern.ravel(),
                                                             strict=True))
    return Question(
        "convolution", "element",
        prompt={"en": f"X = {_mat(x)}, kernel K = {_mat(kern)}, stride 1, no padding, no bias "
                      f"(PyTorch: no kernel flip). The {en} element of the 2×2 output?",
                "zh": f"X = {_mat(x)}，卷积核 K = {_mat(kern)}，步幅 1，无填充，无偏置"
                      f"（PyTorch：不翻转卷积核）。2×2 输出中{zh}的元素是多少？"},
        answer=ans, decimals=0,
        solution={"en": f"window {_mat(patch)} ⊙ K summed: {terms} = {show(ans)}",
                  "zh": f"窗口 {_mat(patch)} 与 K 逐元素相乘再求和：{terms} = {show(ans)}"},
        traps=[
            trap(float(np.sum(patch * kern[::-1, ::-1])),
                 "the kernel flipped (textbook convolution): PyTorch does not flip it",
                 "翻转了卷积核（教科书的卷积）：PyTorch 不翻转"),
        ],
    )


@template("convolution", "macs")
def conv_macs(rng) -> Question:
    c_in, c_out = pick(rng, [1, 3, 16, 32]), pick(rng, [8, 16, 32, 64])
    h, k = pick(rng, [8, 16, 28, 32]), pick(rng, [1, 3, 5])
    s, pad = pick(rng, [1, 2]), pick(rng, [0, k // 2])
    oh, ow = nn.conv_output_shape(h, h, k, k, stride=s, padding=pad)
    macs = c_out * oh * ow * c_in * k * k
    return Question(
        "convolution", "macs",
        prompt={"en": f"Conv2d({c_in}, {c_out}, kernel_size={k}, stride={s}, padding={pad}) on "
                      f"one {c_in}×{h}×{h} input. How many multiplications (bias ignored)?",
                "zh": f"Conv2d({c_in}, {c_out}, kernel_size={k}, stride={s}, padding={pad}) "
                      f"作用于一个 {c_in}×{h}×{h} 的输入。一共做多少次乘法（不计偏置）？"},
        answer=float(macs), decimals=0,
        solution={"en": f"output side ⌊(H + 2P − K)/S⌋ + 1 = ⌊({h} + 2·{pad} − {k})/{s}⌋ + 1 = "
                        f"{oh}, so the output is {c_out}×{oh}×{ow} = {c_out * oh * ow} elements; "
                        f"each needs C·K·K = {c_in}·{k}·{k} = {c_in * k * k}: "
                        f"{c_out * oh * ow}·{c_in * k * k} = {macs}",
                  "zh": f"输出边长 ⌊(H + 2P − K)/S⌋ + 1 = ⌊({h} + 2·{pad} − {k})/{s}⌋ + 1 = "
                        f"{oh}，所以输出为 {c_out}×{oh}×{ow} = {c_out * oh * ow} 个元素；"
                        f"每个需要 C·K·K = {c_in}·{k}·{k} = {c_in * k * k} 次："
                        f"{c_out * oh * ow}·{c_in * k * k} = {macs}"},
        traps=[
            trap(c_out * oh * ow * k * k, "the input channels left out: each output sums C_in·K·K",
                 "漏了输入通道：每个输出要累加 C_in·K·K 项"),
            trap(c_out * h * h * c_in * k * k,
                 "the input size used instead of the output size", "用了输入尺寸，而不是输出尺寸"),
        ],
    )


# ------------------------------------------------------------------------------ pooling

@template("pooling", "output-shape")
def pool_output_shape(rng) -> Question:
    c, h = pick(rng, [3, 16, 64, 96]), pick(rng, [13, 27, 28, 32, 55])
    w = pick(rng, [h, h + 1, h - 1])
    k, s = pick(rng, [(2, 2), (3, 2), (3, 3), (2, 1), (3, 1)])
    out = nn.pool2d_output_shape(h, w, kernel_size=k, stride=s)
    shape = (c, *out)
    overlap = " (overlapping windows)" if s < k else ""
    overlap_zh = "（窗口重叠）" if s < k else ""
    return Question(
        "pooling", "output-shape",
        prompt={"en": f"MaxPool2d(kernel_size={k}, stride={s}), no padding, on a ({c}, {h}, {w}) "
                      f"(C, H, W) input. Output shape?",
                "zh": f"MaxPool2d(kernel_size={k}, stride={s})，无填充，作用于 ({c}, {h}, {w})"
                      f"（C, H, W）的输入。输出形状是？"},
        answer=tuple(int(d) for d in shape), kind="shape", decimals=None,
        solution={"en": f"⌊(H − K)/S⌋ + 1 = ⌊({h} − {k})/{s}⌋ + 1 = {out[0]}, ⌊({w} − {k})/{s}⌋ "
                        f"+ 1 = {out[1]}; channels unchanged → {_shape(shape)}{overlap}",
                  "zh": f"⌊(H − K)/S⌋ + 1 = ⌊({h} − {k})/{s}⌋ + 1 = {out[0]}，⌊({w} − {k})/{s}⌋ "
                        f"+ 1 = {out[1]}；通道数不变 → {_shape(shape)}{overlap_zh}"},
        traps=[
            trap((c, (h - k) // s, (w - k) // s), "the output size without the + 1",
                 "输出尺寸漏了 + 1"),
            trap((c, h // k, w // k), "divided by the window size, ignoring the stride",
                 "按窗口大小相除，忽略了步幅"),
        ],
    )


@template("pooling", "max-pool")
def pool_max(rng) -> Question:
    x = rng.integers(0, 10, size=(4, 4)).astype(float)
    y, _ = nn.max_pool2d_forward(x[None, None], 2, 2)
    ans = [float(v) for v in y[0, 0].ravel()]
    return Question(
        "pooling", "max-pool",
        prompt={"en": f"2×2 max pooling, stride 2, on X = {_mat(x)}. The 2×2 output, row by row?",
                "zh": f"对 X = {_mat(x)} 做 2×2 最大汇聚，步幅 2。按行写出 2×2 输出。"},
        answer=ans, kind="vector", decimals=0,
        solution={"en": f"the maximum of each 2×2 block: {_mat(y[0, 0])} → "
                        f"{', '.join(show(v) for v in ans)}",
                  "zh": f"每个 2×2 块取最大值：{_mat(y[0, 0])} → "
                        f"{'、'.join(show(v) for v in ans)}"},
        traps=[
            trap(nn.avg_pool2d_forward(x[None, None], 2, 2)[0][0, 0].ravel(),
                 "average pooling instead of max", "算成了平均汇聚，而不是最大汇聚"),
        ],
    )


@template("pooling", "avg-element")
def pool_avg_element(rng) -> Question:
    x = rng.integers(0, 10, size=(4, 4)).astype(float)
    k, s = pick(rng, [(2, 2), (3, 1)])  # both give a 2×2 output on a 4×4 input
    (i, j), en, zh = _CORNERS[int(rng.integers(4))]
    y, _ = nn.avg_pool2d_forward(x[None, None], k, s)
    ans = float(y[0, 0, i, j])
    window = x[i * s:i * s + k, j * s:j * s + k]
    total = float(window.sum())
    return Question(
        "pooling", "avg-element",
        prompt={"en": f"{k}×{k} average pooling, stride {s}, on X = {_mat(x)}. The {en} element "
                      f"of the 2×2 output?",
                "zh": f"对 X = {_mat(x)} 做 {k}×{k} 平均汇聚，步幅 {s}。2×2 输出中{zh}的元素"
                      f"是多少？"},
        answer=ans, decimals=2,
        solution={"en": f"window {_mat(window)}: sum {show(total)} / {k * k} = {show(ans)}",
                  "zh": f"窗口 {_mat(window)}：和 {show(total)} / {k * k} = {show(ans)}"},
        traps=[
            trap(total, "the window's sum, not divided by K²", "算了窗口的和，没有除以 K²"),
        ],
    )


# ------------------------------------------------------------------------------ rnn

_INPUT_SIZES = [1, 8, 10, 28, 32, 50, 100, 128, 300]
_HIDDEN_SIZES = [8, 16, 20, 32, 64, 100, 128, 256]


@template("rnn", "param-count")
def rnn_param_count(rng) -> Question:
    d, h = pick(rng, _INPUT_SIZES), pick(rng, _HIDDEN_SIZES)
    count = nn.rnn_num_params(d, h)
    return Question(
        "rnn", "param-count",
        prompt={"en": f"How many parameters does nn.RNN(input_size={d}, hidden_size={h}) have "
                      f"(one layer, bias=True)?",
                "zh": f"nn.RNN(input_size={d}, hidden_size={h})（单层，bias=True）有多少个参数？"},
        answer=float(count), decimals=0,
        solution={"en": f"W_ih is H×D = {h}·{d} = {h * d}, W_hh is H×H = {h}·{h} = {h * h}, "
                        f"b_ih and b_hh have H each: 2·{h} = {2 * h}; total {h * d} + {h * h} + "
                        f"{2 * h} = {count}, shared by every time step",
                  "zh": f"W_ih 为 H×D = {h}·{d} = {h * d}，W_hh 为 H×H = {h}·{h} = {h * h}，"
                        f"b_ih 和 b_hh 各 H 个：2·{h} = {2 * h}；合计 {h * d} + {h * h} + "
                        f"{2 * h} = {count}，所有时间步共享"},
        traps=[
            trap(h * d + h * h + h, "one bias: PyTorch's RNN has b_ih and b_hh",
                 "只算了一个偏置：PyTorch 的 RNN 有 b_ih 和 b_hh"),
            trap(h * d + 2 * h, "the recurrent weights W_hh (H×H) left out",
                 "漏了循环权重 W_hh（H×H）"),
        ],
    )


def _rnn_1d(xs: list[float], h0: float, w: float, u: float, b: float) -> list[float]:
    """The hidden states of a tanh RNN with 1-D input and hidden state, by rnn_forward."""
    x = np.array(xs, dtype=float).reshape(len(xs), 1, 1)
    out, _ = nn.rnn_forward(x, [[h0]], [[w]], [[u]], [b], [0.0])
    return [float(v) for v in out[:, 0, 0]]


@template("rnn", "one-step")
def rnn_one_step(rng) -> Question:
    w, u, b = draw(rng, -1.5, 1.5), draw(rng, -1.5, 1.5), draw(rng, -0.5, 0.5, nonzero=False)
    x, h0 = draw(rng, -2.0, 2.0), draw(rng, -1.0, 1.0)
    [h1] = _rnn_1d([x], h0, w, u, b)
    a = w * x + u * h0 + b
    return Question(
        "rnn", "one-step",
        prompt={"en": f"tanh RNN, 1-D input and hidden state: h₁ = tanh(w·x₁ + u·h₀ + b) with "
                      f"w = {show(w)}, u = {show(u)}, b = {show(b)}, x₁ = {show(x)}, "
                      f"h₀ = {show(h0)}. h₁ = ?",
                "zh": f"tanh 循环神经网络，输入和隐状态都是一维：h₁ = tanh(w·x₁ + u·h₀ + b)，"
                      f"w = {show(w)}，u = {show(u)}，b = {show(b)}，x₁ = {show(x)}，"
                      f"h₀ = {show(h0)}。h₁ 是多少？"},
        answer=clean(h1), decimals=3,
        solution={"en": f"{_p(w)}·{_p(x)} + {_p(u)}·{_p(h0)} + {_p(b)} = {show(a)}; "
                        f"tanh({show(a)}) = {show(h1)}",
                  "zh": f"{_p(w)}·{_p(x)} + {_p(u)}·{_p(h0)} + {_p(b)} = {show(a)}；"
                        f"tanh({show(a)}) = {show(h1)}"},
        traps=[
            trap(a, "tanh left out: the pre-activation given", "漏了 tanh：给出了加权输入"),
        ],
    )


@template("rnn", "two-steps")
def rnn_two_steps(rng) -> Question:
    w, u = draw(rng, -1.5, 1.5), draw(rng, -1.5, 1.5)
    xs = [draw(rng, -2.0, 2.0), draw(rng, -2.0, 2.0)]
    h1, h2 = _rnn_1d(xs, 0.0, w, u, 0.0)
    a2 = w * xs[1] + u * h1
    return Question(
        "rnn", "two-steps",
        prompt={"en": f"tanh RNN, 1-D: hₜ = tanh(w·xₜ + u·hₜ₋₁), w = {show(w)}, "
                      f"u = {show(u)}, no bias, h₀ = 0, inputs x = ({show(xs[0])}, "
                      f"{show(xs[1])}). h₂ = ?",
                "zh": f"一维 tanh 循环神经网络：hₜ = tanh(w·xₜ + u·hₜ₋₁)，w = {show(w)}，"
                      f"u = {show(u)}，无偏置，h₀ = 0，输入 x = ({show(xs[0])}, "
                      f"{show(xs[1])})。h₂ 是多少？"},
        answer=clean(h2), decimals=3,
        solution={"en": f"h₁ = tanh({_p(w)}·{_p(xs[0])}) = {show(h1)}; h₂ = tanh({_p(w)}·"
                        f"{_p(xs[1])} + {_p(u)}·{_p(h1)}) = tanh({show(a2)}) = {show(h2)}",
                  "zh": f"h₁ = tanh({_p(w)}·{_p(xs[0])}) = {show(h1)}；h₂ = tanh({_p(w)}·"
                        f"{_p(xs[1])} + {_p(u)}·{_p(h1)}) = tanh({show(a2)}) = {show(h2)}"},
        traps=[
            trap(h1, "h₁: only one step taken", "给出了 h₁：只走了一步"),
        ],
    )


@template("rnn", "output-shape")
def rnn_output_shape(rng) -> Question:
    t, n = pick(rng, [5, 10, 20, 35]), pick(rng, [1, 4, 16, 32])
    d, h = pick(rng, [8, 10, 28, 50]), pick(rng, [16, 20, 32, 64])
    out, _ = nn.rnn_forward(np.zeros((t, n, d)), np.zeros((n, h)), np.zeros((h, d)),
                            np.zeros((h, h)), np.zeros(h), np.zeros(h))
    shape = tuple(int(v) for v in out.shape)
    return Question(
        "rnn", "output-shape",
        prompt={"en": f"nn.RNN({d}, {h}) (batch_first=False) on an input of shape ({t}, {n}, {d})"
                      f" (T, N, D). Shape of the output (all hidden states)?",
                "zh": f"nn.RNN({d}, {h})（batch_first=False）作用于形状为 ({t}, {n}, {d})"
                      f"（T, N, D）的输入。输出（所有时间步的隐状态）的形状是？"},
        answer=shape, kind="shape", decimals=None,
        solution={"en": f"one hidden state of size H = {h} per time step and sample: "
                        f"(T, N, H) = {_shape(shape)}",
                  "zh": f"每个时间步、每个样本一个大小为 H = {h} 的隐状态："
                        f"(T, N, H) = {_shape(shape)}"},
        traps=[
            trap((n, t, h), "(N, T, H): batch_first=False puts time first",
                 "写成了 (N, T, H)：batch_first=False 时时间维在前"),
            trap((t, n, d), "the input size D kept: the output has H features",
                 "保留了输入维度 D：输出有 H 个特征"),
        ],
    )


# ------------------------------------------------------------------------------ lstm

_LSTM_GATES = {"i": (0, "input gate", "输入门"), "f": (1, "forget gate", "遗忘门"),
               "o": (3, "output gate", "输出门")}


@template("lstm", "param-count")
def lstm_param_count(rng) -> Question:
    d, h = pick(rng, _INPUT_SIZES), pick(rng, _HIDDEN_SIZES)
    layers = pick(rng, [1, 1, 2])
    count = nn.lstm_num_params(d, h, num_layers=layers)
    first = 4 * (h * d + h * h + 2 * h)
    if layers == 1:
        how_en = how_zh = (f"4·(H·D + H·H + 2H) = 4·({h}·{d} + {h}·{h} + 2·{h}) = "
                           f"4·({h * d} + {h * h} + {2 * h}) = {count}")
    else:
        second = count - first
        one = f"4·({h}·{d} + {h}·{h} + 2·{h}) = {first}"
        two = f"4·({h}·{h} + {h}·{h} + 2·{h}) = {second}"
        how_en = (f"layer 1: 4·(H·D + H·H + 2H) = {one}; layer 2 (input H): "
                  f"4·(H·H + H·H + 2H) = {two}; total {first} + {second} = {count}")
        how_zh = (f"第 1 层：4·(H·D + H·H + 2H) = {one}；第 2 层（输入为 H）："
                  f"4·(H·H + H·H + 2H) = {two}；共 {first} + {second} = {count}")
    per_layer = [(d if n == 0 else h) for n in range(layers)]
    return Question(
        "lstm", "param-count",
        prompt={"en": f"How many parameters does nn.LSTM(input_size={d}, hidden_size={h}, "
                      f"num_layers={layers}) have (bias=True)?",
                "zh": f"nn.LSTM(input_size={d}, hidden_size={h}, num_layers={layers})"
                      f"（bias=True）有多少个参数？"},
        answer=float(count), decimals=0,
        solution={"en": how_en, "zh": how_zh},
        traps=[
            trap(sum(h * i + h * h + 2 * h for i in per_layer),
                 "the LSTM count without its four blocks i, f, g, o (one weight set, not four)",
                 "LSTM 参数漏了 i、f、g、o 四组（只算了一组权重，而不是四组）"),
            trap(sum(4 * (h * i + h * h + h) for i in per_layer),
                 "one bias per gate: PyTorch has two (b_ih and b_hh)",
                 "每个门只算了一个偏置：PyTorch 有两个（b_ih 和 b_hh）"),
            trap(4 * (h * d + h * h + 2 * h) * layers, "every layer counted with input size D",
                 "每一层都按输入维度 D 计算了"),
        ],
    )


def _logit(p: float) -> float:
    """The inverse of σ: σ(_logit(p)) = p."""
    return math.log(p / (1 - p))


def _lstm_cell(i: float, f: float, g: float, o: float, c: float) -> tuple[float, float]:
    """(c', h') of one lstm_forward step whose gates take exactly the values i, f, g, o
    (zero weights, biases at the inverse activations), from cell state c."""
    b_ih = [_logit(i), _logit(f), math.atanh(g), _logit(o)]
    _, cache = nn.lstm_forward(np.zeros((1, 1, 1)), [[0.0]], [[c]], np.zeros((4, 1)),
                               np.zeros((4, 1)), b_ih, np.zeros(4))
    return float(cache.c_n[0, 0]), float(cache.h_n[0, 0])


def _gate(rng) -> float:
    return round(float(rng.uniform(0.1, 0.9)), 1)


@template("lstm", "gate")
def lstm_gate(rng) -> Question:
    key = pick(rng, ["i", "f", "o"])
    row, en, zh = _LSTM_GATES[key]
    w, u, b = draw(rng, -1.5, 1.5), draw(rng, -1.5, 1.5), draw(rng, -1.0, 1.0, nonzero=False)
    x, h = draw(rng, -2.0, 2.0), draw(rng, -1.0, 1.0)
    w_ih, w_hh, b_ih = np.zeros((4, 1)), np.zeros((4, 1)), np.zeros(4)
    w_ih[row, 0], w_hh[row, 0], b_ih[row] = w, u, b
    _, cache = nn.lstm_forward([[[x]]], [[h]], [[0.0]], w_ih, w_hh, b_ih, np.zeros(4))
    value = float(nn.lstm_gates(cache)[key][0, 0, 0])
    a = w * x + u * h + b
    return Question(
        "lstm", "gate",
        prompt={"en": f"LSTM, 1-D input and hidden state: {en} {key} = σ(w·x + u·h + b) with "
                      f"w = {show(w)}, x = {show(x)}, u = {show(u)}, h = {show(h)}, "
                      f"b = {show(b)}. {key} = ?",
                "zh": f"LSTM，输入和隐状态都是一维：{zh} {key} = σ(w·x + u·h + b)，"
                      f"w = {show(w)}，x = {show(x)}，u = {show(u)}，h = {show(h)}，"
                      f"b = {show(b)}。{key} 是多少？"},
        answer=clean(value), decimals=3,
        solution={"en": f"{_p(w)}·{_p(x)} + {_p(u)}·{_p(h)} + {_p(b)} = {show(a)}; "
                        f"σ({show(a)}) = {show(value)}",
                  "zh": f"{_p(w)}·{_p(x)} + {_p(u)}·{_p(h)} + {_p(b)} = {show(a)}；"
                        f"σ({show(a)}) = {show(value)}"},
        traps=[
            trap(a, "the pre-activation given: σ was not applied", "给出了加权输入：没有套上 σ"),
            trap(math.tanh(a), "tanh instead of σ for a gate", "门用了 tanh，而不是 σ"),
        ],
    )


@template("lstm", "cell-update")
def lstm_cell_update(rng) -> Question:
    f, i = _gate(rng), _gate(rng)
    g, c = draw(rng, -0.9, 0.9), draw(rng, -2.0, 2.0)
    c1, _ = _lstm_cell(i, f, g, 0.5, c)
    return Question(
        "lstm", "cell-update",
        prompt={"en": f"LSTM cell update c′ = f·c + i·g with forget gate f = {show(f)}, "
                      f"old cell c = {show(c)}, input gate i = {show(i)}, candidate "
                      f"g = {show(g)}. c′ = ?",
                "zh": f"LSTM 记忆元更新 c′ = f·c + i·g：遗忘门 f = {show(f)}，旧记忆元 "
                      f"c = {show(c)}，输入门 i = {show(i)}，候选记忆元 g = {show(g)}。"
                      f"c′ 是多少？"},
        answer=clean(c1), decimals=3,
        solution={"en": f"{show(f)}·{_p(c)} + {show(i)}·{_p(g)} = {show(f * c)} + "
                        f"{_p(i * g)} = {show(c1)}",
                  "zh": f"{show(f)}·{_p(c)} + {show(i)}·{_p(g)} = {show(f * c)} + "
                        f"{_p(i * g)} = {show(c1)}"},
        traps=[
            trap(f * c + g, "the input gate left out: c′ = f·c + i·g",
                 "漏了输入门：c′ = f·c + i·g"),
            trap(i * c + f * g, "the forget and input gates swapped", "遗忘门和输入门弄反了"),
        ],
    )


@template("lstm", "hidden-state")
def lstm_hidden_state(rng) -> Question:
    f, i, o = _gate(rng), _gate(rng), _gate(rng)
    g, c = draw(rng, -0.9, 0.9), draw(rng, -2.0, 2.0)
    c1, h1 = _lstm_cell(i, f, g, o, c)
    cell = f"{show(f)}·{_p(c)} + {show(i)}·{_p(g)}"
    return Question(
        "lstm", "hidden-state",
        prompt={"en": f"LSTM step with gates f = {show(f)}, i = {show(i)}, "
                      f"g = {show(g)}, o = {show(o)} and old cell c = {show(c)}. "
                      f"New hidden state h′ = o·tanh(c′)?",
                "zh": f"LSTM 一步：f = {show(f)}，i = {show(i)}，g = {show(g)}，"
                      f"o = {show(o)}，旧记忆元 c = {show(c)}。新的隐状态 h′ = o·tanh(c′)"
                      f" 是多少？"},
        answer=clean(h1), decimals=3,
        solution={"en": f"c′ = f·c + i·g = {cell} = {show(c1)}; h′ = {show(o)}·tanh({show(c1)}) "
                        f"= {show(o)}·{_p(math.tanh(c1))} = {show(h1)}",
                  "zh": f"c′ = f·c + i·g = {cell} = {show(c1)}；h′ = {show(o)}·tanh({show(c1)}) "
                        f"= {show(o)}·{_p(math.tanh(c1))} = {show(h1)}"},
        traps=[
            trap(o * c1, "tanh left out: h′ = o·tanh(c′)", "漏了 tanh：h′ = o·tanh(c′)"),
            trap(math.tanh(c1), "the output gate left out", "漏了输出门"),
        ],
    )


# ------------------------------------------------------------------------------ gru

@template("gru", "param-count")
def gru_param_count(rng) -> Question:
    d, h = pick(rng, _INPUT_SIZES), pick(rng, _HIDDEN_SIZES)
    count = nn.gru_num_params(d, h)
    return Question(
        "gru", "param-count",
        prompt={"en": f"How many parameters does nn.GRU(input_size={d}, hidden_size={h}) have "
                      f"(one layer, bias=True)?",
                "zh": f"nn.GRU(input_size={d}, hidden_size={h})（单层，bias=True）有多少个参数？"},
        answer=float(count), decimals=0,
        solution={"en": f"3 gates (r, z, n): 3·(H·D + H·H + 2H) = 3·({h}·{d} + {h}·{h} + 2·{h}) = "
                        f"3·({h * d} + {h * h} + "
                        f"{2 * h}) = {count}",
                  "zh": f"3 组（r、z、n）：3·(H·D + H·H + 2H) = 3·({h}·{d} + {h}·{h} + 2·{h}) = "
                        f"3·({h * d} + {h * h} + "
                        f"{2 * h}) = {count}"},
        traps=[
            trap(4 * (h * d + h * h + 2 * h), "four weight blocks (an LSTM's): a GRU has three",
                 "按四组权重（LSTM 的）算了：GRU 只有三组"),
            trap(3 * (h * d + h * h + h), "one bias per gate: PyTorch has two (b_ih and b_hh)",
                 "每个门只算了一个偏置：PyTorch 有两个（b_ih 和 b_hh）"),
        ],
    )


@template("gru", "update")
def gru_update(rng) -> Question:
    z, n, h = _gate(rng), draw(rng, -0.9, 0.9), draw(rng, -1.0, 1.0)
    # zero weights; biases at the inverse activations give z and n exactly (r·0 adds nothing)
    b_ih = [0.0, _logit(z), math.atanh(n)]
    out, _ = nn.gru_forward(np.zeros((1, 1, 1)), [[h]], np.zeros((3, 1)), np.zeros((3, 1)),
                            b_ih, np.zeros(3))
    h1 = float(out[0, 0, 0])
    return Question(
        "gru", "update",
        prompt={"en": f"GRU step (PyTorch): h′ = (1 − z)·n + z·h with update gate "
                      f"z = {show(z)}, candidate n = {show(n)}, old state h = {show(h)}. "
                      f"h′ = ?",
                "zh": f"GRU 一步（PyTorch）：h′ = (1 − z)·n + z·h，更新门 z = {show(z)}，"
                      f"候选隐状态 n = {show(n)}，旧隐状态 h = {show(h)}。h′ 是多少？"},
        answer=clean(h1), decimals=3,
        solution={"en": f"{show(1 - z)}·{_p(n)} + {show(z)}·{_p(h)} = "
                        f"{show((1 - z) * n)} + {_p(z * h)} = {show(h1)}",
                  "zh": f"{show(1 - z)}·{_p(n)} + {show(z)}·{_p(h)} = "
                        f"{show((1 - z) * n)} + {_p(z * h)} = {show(h1)}"},
        traps=[
            trap(z * n + (1 - z) * h, "z and 1 − z swapped: PyTorch keeps z·h of the old state",
                 "z 和 1 − z 弄反了：PyTorch 保留旧状态的 z·h"),
        ],
    )


@template("gru", "gate")
def gru_gate(rng) -> Question:
    w, u, b = draw(rng, -1.5, 1.5), draw(rng, -1.5, 1.5), draw(rng, -1.0, 1.0, nonzero=False)
    x, h = draw(rng, -2.0, 2.0), draw(rng, -1.0, 1.0)
    w_ih, w_hh, b_ih = np.zeros((3, 1)), np.zeros((3, 1)), np.zeros(3)
    w_ih[1, 0], w_hh[1, 0], b_ih[1] = w, u, b  # row 1: the update gate z
    _, cache = nn.gru_forward([[[x]]], [[h]], w_ih, w_hh, b_ih, np.zeros(3))
    value = float(nn.gru_gates(cache)["z"][0, 0, 0])
    a = w * x + u * h + b
    return Question(
        "gru", "gate",
        prompt={"en": f"GRU, 1-D input and hidden state: update gate z = σ(w·x + u·h + b) with "
                      f"w = {show(w)}, x = {show(x)}, u = {show(u)}, h = {show(h)}, "
                      f"b = {show(b)}. z = ?",
                "zh": f"GRU，输入和隐状态都是一维：更新门 z = σ(w·x + u·h + b)，w = {show(w)}，"
                      f"x = {show(x)}，u = {show(u)}，h = {show(h)}，b = {show(b)}。"
                      f"z 是多少？"},
        answer=clean(value), decimals=3,
        solution={"en": f"{_p(w)}·{_p(x)} + {_p(u)}·{_p(h)} + {_p(b)} = {show(a)}; "
                        f"σ({show(a)}) = {show(value)}",
                  "zh": f"{_p(w)}·{_p(x)} + {_p(u)}·{_p(h)} + {_p(b)} = {show(a)}；"
                        f"σ({show(a)}) = {show(value)}"},
        traps=[
            trap(a, "the pre-activation given: σ was not applied", "给出了加权输入：没有套上 σ"),
        ],
    )


@template("gru", "vs-lstm")
def gru_vs_lstm(rng) -> Question:
    d, h = pick(rng, _INPUT_SIZES), pick(rng, _HIDDEN_SIZES)
    gru, lstm = nn.gru_num_params(d, h), nn.lstm_num_params(d, h)
    diff = lstm - gru
    return Question(
        "gru", "vs-lstm",
        prompt={"en": f"input_size={d}, hidden_size={h}, one layer with bias: how many fewer "
                      f"parameters does nn.GRU have than nn.LSTM?",
                "zh": f"input_size={d}，hidden_size={h}，单层带偏置：nn.GRU 比 nn.LSTM 少多少个"
                      f"参数？"},
        answer=float(diff), decimals=0,
        solution={"en": f"LSTM 4 and GRU 3 blocks of H·D + H·H + 2H: {lstm} − {gru} = {diff} "
                        f"(one block; GRU = 3/4 of LSTM)",
                  "zh": f"LSTM 有 4 组、GRU 有 3 组 H·D + H·H + 2H：{lstm} − {gru} = {diff}"
                        f"（正好一组；GRU 是 LSTM 的 3/4）"},
        traps=[
            trap(float(gru), "the GRU's count given, not the difference",
                 "给出了 GRU 的参数量，而不是差值"),
        ],
    )
