"""Time dlref.nn's vectorised kernels against naive Python loops and, if installed, PyTorch.

Usage: python benchmarks/bench_nn.py [--repeat N] [--naive-repeat N] [--json]
       python benchmarks/bench_nn.py --sweep [--repeat N] [--json] [--only NAME]
Each time is the best of N repeats (timeit-style), in milliseconds per call. dlref is imported
first, so NumPy runs as in the app: single-threaded (dlref asks BLAS for one thread). PyTorch,
when `import torch` works, runs on the CPU in float64 twice: on one thread, the like-for-like
comparison, and on the thread count it picks by itself in a clean environment (dlref's
OMP_NUM_THREADS=1 would otherwise cap it), what a PyTorch user gets by default.
The naive versions loop in Python over samples, channels and output positions; they are here
only to be timed, and run fewer repeats because they are slow.
--sweep times conv2d, max and average pooling, batch norm and the LSTM, forward and backward,
over a grid of sizes (images 8 to 224 px, batch 1 to 64, channels 3 to 64; batch norm widths 64
to 4096; LSTM T 10 to 200, H 32 to 256) against single-thread PyTorch, and prints the worst
ratio; no naive loops there. Both sides run on one thread, so the sweep times CPU time
(time.process_time), which other programs' load on the machine does not inflate the way it
does wall-clock time.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
import time
import timeit
from collections.abc import Callable

# isort: off
from dlref import nn  # first: its BLAS thread setting must precede NumPy's import
import numpy as np
# isort: on

try:
    import torch
    import torch.nn.functional as F  # noqa: N812
except ImportError:  # the torch column stays empty
    torch = None


def torch_default_threads() -> int:
    """The thread count torch chooses when no OMP_NUM_THREADS is set."""
    env = {k: v for k, v in os.environ.items() if k not in ("OMP_NUM_THREADS", "MKL_NUM_THREADS")}
    out = subprocess.run([sys.executable, "-c", "import torch; print(torch.get_num_threads())"],
                         capture_output=True, text=True, env=env, check=True)
    return int(out.stdout)


def best_ms(fns: list[Callable[[], object] | None], repeat: int, number: int = 1,
            setups: list[Callable[[], object]] | None = None,
            timer: Callable[[], float] = timeit.default_timer) -> list[float | None]:
    """Best of `repeat` runs of `number` calls of each fn, in ms per call; setups[k], untimed,
    precedes every run of fns[k]. The fns take turns within each round, so a burst of load
    elsewhere on the machine hits them alike."""
    setups = setups or [lambda: None] * len(fns)
    timers = [timeit.Timer(fn, setup, timer=timer) if fn else None
              for fn, setup in zip(fns, setups, strict=True)]
    best: list[float | None] = [float("inf") if fn else None for fn in fns]
    for fn, setup in zip(fns, setups, strict=True):
        if fn:
            setup()
            fn()  # warm up
    for _ in range(repeat):
        for k, timer in enumerate(timers):
            if timer:
                best[k] = min(best[k], timer.timeit(number) / number * 1000)
    return best


# ---------------------------------------------------------------- naive loop versions

def naive_conv_forward(x, w, b, stride, pad):
    n, c, h, wd = x.shape
    f, _, kh, kw = w.shape
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    oh, ow = (h + 2 * pad - kh) // stride + 1, (wd + 2 * pad - kw) // stride + 1
    out = np.zeros((n, f, oh, ow))
    for i in range(n):
        for k in range(f):
            for r in range(oh):
                for s in range(ow):
                    win = xp[i, :, r * stride:r * stride + kh, s * stride:s * stride + kw]
                    out[i, k, r, s] = np.sum(win * w[k]) + b[k]
    return out


def naive_conv_backward(dout, x, w, stride, pad):
    n, f, oh, ow = dout.shape
    kh, kw = w.shape[2:]
    xp = np.pad(x, ((0, 0), (0, 0), (pad, pad), (pad, pad)))
    dxp, dw = np.zeros_like(xp), np.zeros_like(w)
    for i in range(n):
        for k in range(f):
            for r in range(oh):
                for s in range(ow):
                    rs, cs = r * stride, s * stride
                    dw[k] += dout[i, k, r, s] * xp[i, :, rs:rs + kh, cs:cs + kw]
                    dxp[i, :, rs:rs + kh, cs:cs + kw] += dout[i, k, r, s] * w[k]
    db = dout.sum(axis=(0, 2, 3))
    return dxp[:, :, pad:pad + x.shape[2], pad:pad + x.shape[3]], dw, db


def naive_pool_forward(x, k, s, mode):
    n, c, h, w = x.shape
    oh, ow = (h - k) // s + 1, (w - k) // s + 1
    out = np.zeros((n, c, oh, ow))
    for i in range(n):
        for j in range(c):
            for r in range(oh):
                for q in range(ow):
                    win = x[i, j, r * s:r * s + k, q * s:q * s + k]
                    out[i, j, r, q] = win.max() if mode == "max" else win.mean()
    return out


def naive_pool_backward(dout, x, k, s, mode):
    n, c, oh, ow = dout.shape
    dx = np.zeros_like(x)
    for i in range(n):
        for j in range(c):
            for r in range(oh):
                for q in range(ow):
                    win = x[i, j, r * s:r * s + k, q * s:q * s + k]
                    if mode == "max":
                        a, b = np.unravel_index(np.argmax(win), win.shape)
                        dx[i, j, r * s + a, q * s + b] += dout[i, j, r, q]
                    else:
                        dx[i, j, r * s:r * s + k, q * s:q * s + k] += dout[i, j, r, q] / (k * k)
    return dx


def naive_batchnorm_forward(x, gamma, beta, eps=1e-5):
    n, d = x.shape
    out, xhat, inv = np.zeros_like(x), np.zeros_like(x), np.zeros(d)
    for j in range(d):
        mean = sum(x[i, j] for i in range(n)) / n
        var = sum((x[i, j] - mean) ** 2 for i in range(n)) / n
        inv[j] = 1.0 / (var + eps) ** 0.5
        for i in range(n):
            xhat[i, j] = (x[i, j] - mean) * inv[j]
            out[i, j] = gamma[j] * xhat[i, j] + beta[j]
    return out, (xhat, inv, gamma)


def naive_batchnorm_backward(dout, cache):
    xhat, inv, gamma = cache
    n, d = dout.shape
    dx = np.zeros_like(dout)
    for j in range(d):
        g = [dout[i, j] * gamma[j] for i in range(n)]
        mg = sum(g) / n
        mgx = sum(g[i] * xhat[i, j] for i in range(n)) / n
        for i in range(n):
            dx[i, j] = inv[j] * (g[i] - mg - xhat[i, j] * mgx)
    return dx


def _sig(a):
    return 1.0 / (1.0 + np.exp(-a))


def naive_lstm_forward(x, h0, c0, w_ih, w_hh, b_ih, b_hh):
    """One sample at a time, one step at a time, one matrix-vector product per gate."""
    t_steps, n, _ = x.shape
    hs = h0.shape[1]
    out = np.zeros((t_steps, n, hs))
    for s in range(n):
        h, c = h0[s].copy(), c0[s].copy()
        for t in range(t_steps):
            a = [w_ih[k * hs:(k + 1) * hs] @ x[t, s] + w_hh[k * hs:(k + 1) * hs] @ h
                 + b_ih[k * hs:(k + 1) * hs] + b_hh[k * hs:(k + 1) * hs] for k in range(4)]
            i, f, g, o = _sig(a[0]), _sig(a[1]), np.tanh(a[2]), _sig(a[3])
            c = f * c + i * g
            h = o * np.tanh(c)
            out[t, s] = h
    return out


def naive_lstm_backward(dh, x, h0, c0, w_ih, w_hh, b_ih, b_hh):
    """Recompute each sample's sequence, then backpropagate it step by step."""
    t_steps, n, _ = x.shape
    hs = h0.shape[1]
    dx, dw_ih, dw_hh, db = (np.zeros_like(x), np.zeros_like(w_ih), np.zeros_like(w_hh),
                            np.zeros_like(b_ih))
    for s in range(n):
        hist, h, c = [], h0[s].copy(), c0[s].copy()
        for t in range(t_steps):
            a = w_ih @ x[t, s] + w_hh @ h + b_ih + b_hh
            i, f, g, o = (_sig(a[:hs]), _sig(a[hs:2 * hs]), np.tanh(a[2 * hs:3 * hs]),
                          _sig(a[3 * hs:]))
            hist.append((h, c, i, f, g, o))
            c = f * c + i * g
            h = o * np.tanh(c)
        dh_next, dc_next = np.zeros(hs), np.zeros(hs)
        for t in reversed(range(t_steps)):
            h_prev, c_prev, i, f, g, o = hist[t]
            c_t = f * c_prev + i * g
            dht = dh[t, s] + dh_next
            tc = np.tanh(c_t)
            dc = dc_next + dht * o * (1 - tc * tc)
            da = np.concatenate([dc * g * i * (1 - i), dc * c_prev * f * (1 - f),
                                 dc * i * (1 - g * g), dht * tc * o * (1 - o)])
            dx[t, s] = w_ih.T @ da
            dw_ih += np.outer(da, x[t, s])
            dw_hh += np.outer(da, h_prev)
            db += da
            dh_next, dc_next = w_hh.T @ da, dc * f
    return dx, dw_ih, dw_hh, db


def naive_mha_forward(x, w_in, b_in, w_out, b_out, h):
    """Self-attention one sample, one head, one query at a time."""
    n, length, e = x.shape
    d = e // h
    out = np.zeros_like(x)
    for s in range(n):
        q, k, v = np.split(x[s] @ w_in.T + b_in, 3, axis=1)
        heads = np.zeros((length, e))
        for j in range(h):
            cols = slice(j * d, (j + 1) * d)
            for i in range(length):
                scores = np.array([q[i, cols] @ k[t, cols] for t in range(length)]) / d ** 0.5
                w = np.exp(scores - scores.max())
                heads[i, cols] = (w / w.sum()) @ v[:, cols]
        out[s] = heads @ w_out.T + b_out
    return out


# ---------------------------------------------------------------- the cases

def conv_rows(rng: np.random.Generator) -> list:
    x, w, b = (rng.standard_normal((16, 3, 32, 32)), rng.standard_normal((16, 3, 3, 3)),
               rng.standard_normal(16))
    out, cache = nn.conv2d_forward(x, w, b, 1, 1)
    dout = rng.standard_normal(out.shape)
    tfwd = tbwd = None
    if torch:
        tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
        tout, tdout = F.conv2d(tx, tw, tb, 1, 1), torch.tensor(dout)

        def tfwd():
            return F.conv2d(tx, tw, tb, 1, 1)

        def tbwd():
            return torch.autograd.grad(tout, (tx, tw, tb), tdout, retain_graph=True)

    return [("conv2d forward (16,3,32,32), 16×3×3, pad 1",
             lambda: nn.conv2d_forward(x, w, b, 1, 1),
             lambda: naive_conv_forward(x, w, b, 1, 1), tfwd),
            ("conv2d backward", lambda: nn.conv2d_backward(dout, cache),
             lambda: naive_conv_backward(dout, x, w, 1, 1), tbwd)]


def pool_rows(rng: np.random.Generator, mode: str, k: int, s: int) -> list:
    x = rng.standard_normal((16, 16, 32, 32))
    fwd = nn.max_pool2d_forward if mode == "max" else nn.avg_pool2d_forward
    bwd = nn.max_pool2d_backward if mode == "max" else nn.avg_pool2d_backward
    out, cache = fwd(x, k, s)
    dout = rng.standard_normal(out.shape)
    tfwd = tbwd = None
    if torch:
        tfn = F.max_pool2d if mode == "max" else F.avg_pool2d
        tx = torch.tensor(x, requires_grad=True)
        tout, tdout = tfn(tx, k, s), torch.tensor(dout)

        def tfwd():
            return tfn(tx, k, s)

        def tbwd():
            return torch.autograd.grad(tout, (tx,), tdout, retain_graph=True)

    label = f"{mode}_pool2d {k}×{k} stride {s}"
    return [(f"{label} forward (16,16,32,32)", lambda: fwd(x, k, s),
             lambda: naive_pool_forward(x, k, s, mode), tfwd),
            (f"{label} backward", lambda: bwd(dout, cache),
             lambda: naive_pool_backward(dout, x, k, s, mode), tbwd)]


def batchnorm_rows(rng: np.random.Generator) -> list:
    x = rng.standard_normal((256, 512))
    gamma, beta = rng.standard_normal(512), rng.standard_normal(512)
    rm, rv = np.zeros(512), np.ones(512)
    out, cache = nn.batchnorm_forward(x, gamma, beta, rm, rv)
    dout = rng.standard_normal(out.shape)
    _, ncache = naive_batchnorm_forward(x, gamma, beta)
    tfwd = tbwd = None
    if torch:
        tx, tg, tbeta = (torch.tensor(a, requires_grad=True) for a in (x, gamma, beta))
        trm, trv = torch.zeros(512, dtype=torch.float64), torch.ones(512, dtype=torch.float64)
        tout, tdout = F.batch_norm(tx, trm, trv, tg, tbeta, True), torch.tensor(dout)

        def tfwd():
            return F.batch_norm(tx, trm, trv, tg, tbeta, True)

        def tbwd():
            return torch.autograd.grad(tout, (tx, tg, tbeta), tdout, retain_graph=True)

    return [("batchnorm forward (256,512), training",
             lambda: nn.batchnorm_forward(x, gamma, beta, rm, rv),
             lambda: naive_batchnorm_forward(x, gamma, beta), tfwd),
            ("batchnorm backward", lambda: nn.batchnorm_backward(dout, cache),
             lambda: naive_batchnorm_backward(dout, ncache), tbwd)]


def torch_lstm(d: int, h: int, ws: list[np.ndarray]):
    """torch.nn.LSTM(d, h) in float64 holding dlref's weights ws = [w_ih, w_hh, b_ih, b_hh]."""
    module = torch.nn.LSTM(d, h).double()
    with torch.no_grad():
        for prm, a in zip(module.parameters(), ws, strict=True):
            prm.copy_(torch.tensor(a))
    return module


def lstm_rows(rng: np.random.Generator) -> list:
    t_steps, n, d, h = 50, 16, 32, 64
    x, h0, c0 = (rng.standard_normal((t_steps, n, d)), rng.standard_normal((n, h)),
                 rng.standard_normal((n, h)))
    ws = [rng.standard_normal((4 * h, d)) * 0.1, rng.standard_normal((4 * h, h)) * 0.1,
          rng.standard_normal(4 * h) * 0.1, rng.standard_normal(4 * h) * 0.1]
    out, cache = nn.lstm_forward(x, h0, c0, *ws)
    dout = rng.standard_normal(out.shape)
    tfwd = tbwd = None
    if torch:
        module = torch_lstm(d, h, ws)
        tx, th0, tc0 = (torch.tensor(a, requires_grad=True) for a in (x, h0[None], c0[None]))
        tout, tdout = module(tx, (th0, tc0))[0], torch.tensor(dout)
        targs = (tx, th0, tc0, *module.parameters())

        def tfwd():
            return module(tx, (th0, tc0))

        def tbwd():
            return torch.autograd.grad(tout, targs, tdout, retain_graph=True)

    return [(f"lstm forward T={t_steps} N={n} D={d} H={h}",
             lambda: nn.lstm_forward(x, h0, c0, *ws),
             lambda: naive_lstm_forward(x, h0, c0, *ws), tfwd),
            ("lstm backward", lambda: nn.lstm_backward(dout, cache),
             lambda: naive_lstm_backward(dout, x, h0, c0, *ws), tbwd)]


def attention_rows(rng: np.random.Generator) -> list:
    n, length, e, h, f = 8, 64, 128, 8, 512
    x = rng.standard_normal((n, length, e))
    layer = nn.transformer_encoder_layer_params(e, f, rng=1)
    mha = [layer[k] for k in ("self_attn.in_proj_weight", "self_attn.in_proj_bias",
                              "self_attn.out_proj.weight", "self_attn.out_proj.bias")]
    out, cache = nn.multi_head_attention_forward(x, x, x, *mha, h)
    _, lcache = nn.transformer_encoder_layer_forward(x, layer, h)
    dout = rng.standard_normal(out.shape)
    mfwd = mbwd = lfwd = lbwd = None
    if torch:
        module = torch.nn.TransformerEncoderLayer(e, h, f, dropout=0.0,
                                                  batch_first=True).double()
        module.load_state_dict({k: torch.tensor(v) for k, v in layer.items()})
        tx, tdout = torch.tensor(x, requires_grad=True), torch.tensor(dout)
        tmha = module.self_attn
        mout = tmha(tx, tx, tx, need_weights=False)[0]
        lt = module(tx)

        def mfwd():
            return tmha(tx, tx, tx, need_weights=False)

        def mbwd():
            return torch.autograd.grad(mout, (tx, *tmha.parameters()), tdout, retain_graph=True)

        def lfwd():
            return module(tx)

        def lbwd():
            return torch.autograd.grad(lt, (tx, *module.parameters()), tdout, retain_graph=True)

    label = f"(N={n}, L={length}, E={e}), {h} heads"
    return [(f"multi-head self-attention forward {label}",
             lambda: nn.multi_head_attention_forward(x, x, x, *mha, h),
             lambda: naive_mha_forward(x, *mha, h), mfwd),
            ("multi-head attention backward",
             lambda: nn.multi_head_attention_backward(dout, cache), None, mbwd),
            (f"transformer encoder layer forward {label}, d_ff={f}",
             lambda: nn.transformer_encoder_layer_forward(x, layer, h), None, lfwd),
            ("transformer encoder layer backward",
             lambda: nn.transformer_encoder_layer_backward(dout, lcache), None, lbwd)]


def cases(rng: np.random.Generator) -> list:
    """(name, dlref fn, naive fn, torch fn or None) for each row of the table."""
    return (conv_rows(rng) + pool_rows(rng, "max", 2, 2) + pool_rows(rng, "max", 3, 2)
            + pool_rows(rng, "avg", 2, 2) + pool_rows(rng, "avg", 3, 2) + batchnorm_rows(rng)
            + lstm_rows(rng) + attention_rows(rng))


# ---------------------------------------------------------------- the sweep

def _autonumber(fn: Callable[[], object], target_s: float = 0.005) -> int:
    """How many calls make one timed run last about target_s (at least 1)."""
    fn()
    start = time.process_time()
    fn()
    once = max(time.process_time() - start, 1e-6)
    return max(1, min(1000, int(target_s / once)))


def torch_pair(fwd: Callable[..., object], inputs: list, dout: np.ndarray):
    """torch forward and backward closures over float64 leaf tensors made from inputs."""
    tin = [torch.tensor(a, requires_grad=True) for a in inputs]
    tout, tdout = fwd(*tin), torch.tensor(dout)
    tout = tout[0] if isinstance(tout, tuple) else tout
    return (lambda: fwd(*tin),
            lambda: torch.autograd.grad(tout, tin, tdout, retain_graph=True))


IMAGE_GRID = [(n, c, px) for px in (8, 32, 64, 128, 224) for n, c in
              ((1, 3), (16, 16), (64, 3), (4, 64), (64, 16))
              if n * c * px * px <= 4 * 2 ** 20]


def sweep_cases(rng: np.random.Generator, only: str | None) -> list:
    """(family, size label, dlref fwd, dlref bwd, torch fwd, torch bwd) over the grid."""
    out = []

    def want(family: str) -> bool:
        return only is None or only in family

    for n, c, px in IMAGE_GRID:
        x = rng.standard_normal((n, c, px, px))
        label = f"({n},{c},{px},{px})"
        if want("conv2d"):
            w, b = rng.standard_normal((16, c, 3, 3)), rng.standard_normal(16)
            y, cache = nn.conv2d_forward(x, w, b, 1, 1)
            dy = rng.standard_normal(y.shape)
            tf, tb = torch_pair(lambda a, ww, bb: F.conv2d(a, ww, bb, 1, 1), [x, w, b], dy) \
                if torch else (None, None)
            out.append(("conv2d 16×3×3 pad 1", label,
                        lambda x=x, w=w, b=b: nn.conv2d_forward(x, w, b, 1, 1),
                        lambda dy=dy, cache=cache: nn.conv2d_backward(dy, cache), tf, tb))
        for mode, k, s, p in (("max", 2, 2, 0), ("max", 3, 2, 1), ("avg", 2, 2, 0),
                              ("avg", 3, 2, 1)):
            if not want(f"{mode}_pool2d") or k > px:
                continue
            fwd = nn.max_pool2d_forward if mode == "max" else nn.avg_pool2d_forward
            bwd = nn.max_pool2d_backward if mode == "max" else nn.avg_pool2d_backward
            tfn = F.max_pool2d if mode == "max" else F.avg_pool2d
            y, cache = fwd(x, k, s, p)
            dy = rng.standard_normal(y.shape)
            tf, tb = torch_pair(lambda a, tfn=tfn, k=k, s=s, p=p: tfn(a, k, s, p), [x], dy) \
                if torch else (None, None)
            out.append((f"{mode}_pool2d {k}×{k}/{s} pad {p}", label,
                        lambda fwd=fwd, x=x, k=k, s=s, p=p: fwd(x, k, s, p),
                        lambda bwd=bwd, dy=dy, cache=cache: bwd(dy, cache), tf, tb))
    if want("batchnorm"):
        for n, d in ((16, 64), (256, 64), (16, 512), (256, 512), (64, 4096), (256, 4096)):
            x, g, b = rng.standard_normal((n, d)), rng.standard_normal(d), rng.standard_normal(d)
            rm, rv = np.zeros(d), np.ones(d)
            y, cache = nn.batchnorm_forward(x, g, b, rm, rv)
            dy = rng.standard_normal(y.shape)
            tf = tb = None
            if torch:
                trm, trv = torch.zeros(d, dtype=torch.float64), torch.ones(d, dtype=torch.float64)
                tf, tb = torch_pair(lambda a, gg, bb, trm=trm, trv=trv:
                                     F.batch_norm(a, trm, trv, gg, bb, True), [x, g, b], dy)
            out.append(("batchnorm (N, D), training", f"({n},{d})",
                        lambda x=x, g=g, b=b, rm=rm, rv=rv: nn.batchnorm_forward(x, g, b, rm, rv),
                        lambda dy=dy, cache=cache: nn.batchnorm_backward(dy, cache), tf, tb))
    if want("lstm"):
        n, d = 16, 32
        for t_steps in (10, 50, 200):
            for h in (32, 128, 256):
                x, h0, c0 = (rng.standard_normal((t_steps, n, d)), rng.standard_normal((n, h)),
                             rng.standard_normal((n, h)))
                ws = [rng.standard_normal((4 * h, d)) * 0.1, rng.standard_normal((4 * h, h)) * 0.1,
                      rng.standard_normal(4 * h) * 0.1, rng.standard_normal(4 * h) * 0.1]
                y, cache = nn.lstm_forward(x, h0, c0, *ws)
                dy = rng.standard_normal(y.shape)
                tf = tb = None
                if torch:
                    module = torch_lstm(d, h, ws)
                    tf, tb = torch_pair(lambda a, b0, b1, module=module: module(a, (b0, b1)),
                                         [x, h0[None], c0[None]], dy)
                out.append(("lstm", f"T={t_steps} N={n} D={d} H={h}",
                            lambda x=x, h0=h0, c0=c0, ws=ws: nn.lstm_forward(x, h0, c0, *ws),
                            lambda dy=dy, cache=cache: nn.lstm_backward(dy, cache), tf, tb))
    return out


def sweep(args: argparse.Namespace) -> None:
    if torch:
        torch.set_num_threads(1)
    rows = []
    for family, label, fwd, bwd, tf, tb in sweep_cases(np.random.default_rng(0), args.only):
        for direction, ours, theirs in (("forward", fwd, tf), ("backward", bwd, tb)):
            number = _autonumber(ours)
            mine, ref = best_ms([ours, theirs], args.repeat, number=number,
                                timer=time.process_time)
            rows.append({"op": f"{family} {direction}", "size": label, "dlref_ms": mine,
                         "torch_1_thread_ms": ref, "ratio": mine / ref if ref else None})
            if not args.json:
                print(f"  timed {family} {direction} {label}", file=sys.stderr)
    worst = max((r for r in rows if r["ratio"]), key=lambda r: r["ratio"], default=None)
    if args.json:
        print(json.dumps({"rows": rows, "worst": worst}, indent=2))
        return
    print("| op | size | dlref ms | torch ms, 1 thread | dlref/torch |")
    print("|---|---|---:|---:|---:|")
    for r in rows:
        ratio = "–" if r["ratio"] is None else f"{r['ratio']:.2f}×"
        ref = "–" if r["torch_1_thread_ms"] is None else f"{r['torch_1_thread_ms']:.3f}"
        print(f"| {r['op']} | {r['size']} | {r['dlref_ms']:.3f} | {ref} | {ratio} |")
    if worst:
        print(f"\nworst: {worst['op']} {worst['size']} at {worst['ratio']:.2f}× single-thread "
              f"PyTorch; {sum(r['ratio'] > 2 for r in rows if r['ratio'])} of {len(rows)} rows "
              f"above 2×. Best of {args.repeat}, float64, NumPy {np.__version__}, torch "
              f"{torch.__version__ if torch else '–'}.")


def on_threads(n: int) -> Callable[[], None]:
    """A setup that puts torch on n threads."""
    return lambda: torch.set_num_threads(n)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=20, help="repeats for dlref and torch")
    parser.add_argument("--naive-repeat", type=int, default=2, help="repeats for the loops")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--sweep", action="store_true",
                        help="time every size of the grid against single-thread PyTorch")
    parser.add_argument("--only", help="with --sweep: only the families whose name has this")
    args = parser.parse_args()
    if args.sweep:
        sweep(args)
        return
    threads = torch_default_threads() if torch else None
    results = []
    for name, ours, naive, theirs in cases(np.random.default_rng(0)):
        setups = [lambda: None, on_threads(1), on_threads(threads)] if torch else None
        dlref_ms, torch1_ms, torchn_ms = best_ms([ours, theirs, theirs], args.repeat, number=5,
                                                 setups=setups)
        results.append({
            "op": name, "dlref_ms": dlref_ms, "naive_ms": best_ms([naive], args.naive_repeat)[0],
            "torch_1_thread_ms": torch1_ms, "torch_default_threads_ms": torchn_ms,
            "dlref_over_torch_1_thread": dlref_ms / torch1_ms if theirs else None,
            "dlref_over_torch_default_threads": dlref_ms / torchn_ms if theirs else None})
        if not args.json:
            print(f"  timed {name}", file=sys.stderr)
    env = {"python": platform.python_version(), "numpy": np.__version__,
           "torch": torch.__version__ if torch else None, "torch_default_threads": threads,
           "machine": platform.machine()}
    if args.json:
        print(json.dumps({"env": env, "results": results}, indent=2))
        return

    def fmt(v):
        return "–" if v is None else f"{v:.3f}" if v < 10 else f"{v:.1f}"

    def ratio(v):
        return "–" if v is None else f"{v:.2f}×"

    print(f"| op | dlref ms | naive ms | torch ms, 1 thread | dlref/torch | "
          f"torch ms, {threads or '–'} threads | dlref/torch |")
    print("|---|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['op']} | {fmt(r['dlref_ms'])} | {fmt(r['naive_ms'])} | "
              f"{fmt(r['torch_1_thread_ms'])} | {ratio(r['dlref_over_torch_1_thread'])} | "
              f"{fmt(r['torch_default_threads_ms'])} | "
              f"{ratio(r['dlref_over_torch_default_threads'])} |")
    print(f"\nbest of {args.repeat}, float64; Python {env['python']}, NumPy {env['numpy']}, "
          f"torch {env['torch'] or '– (not installed)'}")


if __name__ == "__main__":
    main()
