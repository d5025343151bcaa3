"""Would two threads make dlref.nn as fast as PyTorch's default threads? Measures the answer.

Usage: python benchmarks/bench_nn_threads.py [--repeat N] [--json]
For each shape of the README's kernel table: dlref on one thread (as it runs), the same kernel
with the batch cut in two halves run on two Python threads (NumPy and BLAS let go of the GIL
inside their loops), and PyTorch on the threads it picks by itself (needs `import torch`). The
split is the cheapest way to give dlref a second core without touching the kernels: samples
(conv, pooling, LSTM) or features (batch norm) are independent, the halves' outputs are
joined and the weight gradients summed; joining is left out of the timing, in dlref's favour.
Wall-clock, best of N; dlref's two take turns, PyTorch is timed after them.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

# isort: off
from dlref import nn  # first: its BLAS thread setting must precede NumPy's import
import numpy as np
# isort: on

from bench_nn import best_ms, on_threads, torch_default_threads, torch_lstm, torch_pair

try:
    import torch
    import torch.nn.functional as F  # noqa: N812
except ImportError:
    torch = None

POOL = ThreadPoolExecutor(1)  # the second thread; the first is the caller's


def on_two(first: Callable[[], object], second: Callable[[], object]) -> Callable[[], None]:
    """Run `second` on the pool while `first` runs here; done when both are."""
    def run() -> None:
        later = POOL.submit(second)
        first()
        later.result()
    return run


def conv_cases(rng: np.random.Generator) -> list:
    x, w, b = (rng.standard_normal((16, 3, 32, 32)), rng.standard_normal((16, 3, 3, 3)),
               rng.standard_normal(16))
    out, cache = nn.conv2d_forward(x, w, b, 1, 1)
    dout = rng.standard_normal(out.shape)
    halves = [(x[:8], dout[:8]), (x[8:], dout[8:])]
    caches = [nn.conv2d_forward(h, w, b, 1, 1)[1] for h, _ in halves]
    fwd = [lambda h=h: nn.conv2d_forward(h, w, b, 1, 1) for h, _ in halves]
    bwd = [lambda d=d, c=c: nn.conv2d_backward(d, c)
           for (_, d), c in zip(halves, caches, strict=True)]
    tfwd, tbwd = torch_pair(lambda a, ww, bb: F.conv2d(a, ww, bb, 1, 1), [x, w, b], dout) \
        if torch else (None, None)
    return [("conv2d forward (16,3,32,32), 16×3×3, pad 1",
             lambda: nn.conv2d_forward(x, w, b, 1, 1), on_two(*fwd), tfwd),
            ("conv2d backward", lambda: nn.conv2d_backward(dout, cache), on_two(*bwd), tbwd)]


def pool_cases(rng: np.random.Generator, mode: str, k: int) -> list:
    x = rng.standard_normal((16, 16, 32, 32))
    fwd_fn = nn.max_pool2d_forward if mode == "max" else nn.avg_pool2d_forward
    bwd_fn = nn.max_pool2d_backward if mode == "max" else nn.avg_pool2d_backward
    out, cache = fwd_fn(x, k, 2)
    dout = rng.standard_normal(out.shape)
    caches = [fwd_fn(h, k, 2)[1] for h in (x[:8], x[8:])]
    fwd = [lambda h=h: fwd_fn(h, k, 2) for h in (x[:8], x[8:])]
    bwd = [lambda d=d, c=c: bwd_fn(d, c) for d, c in zip((dout[:8], dout[8:]), caches, strict=True)]
    tfn = F.max_pool2d if mode == "max" else F.avg_pool2d
    tfwd, tbwd = torch_pair(lambda a: tfn(a, k, 2), [x], dout) if torch else (None, None)
    label = f"{mode}_pool2d {k}×{k} stride 2"
    return [(f"{label} forward (16,16,32,32)", lambda: fwd_fn(x, k, 2), on_two(*fwd), tfwd),
            (f"{label} backward", lambda: bwd_fn(dout, cache), on_two(*bwd), tbwd)]


def batchnorm_cases(rng: np.random.Generator) -> list:
    x = rng.standard_normal((256, 512))
    gamma, beta, rm, rv = (rng.standard_normal(512), rng.standard_normal(512), np.zeros(512),
                           np.ones(512))
    out, cache = nn.batchnorm_forward(x, gamma, beta, rm, rv)
    dout = rng.standard_normal(out.shape)
    cols = (slice(None, 256), slice(256, None))  # features are independent: split them
    args = [(x[:, c], gamma[c], beta[c], rm[c], rv[c]) for c in cols]
    caches = [nn.batchnorm_forward(*a)[1] for a in args]
    fwd = [lambda a=a: nn.batchnorm_forward(*a) for a in args]
    bwd = [lambda c=c, k=k: nn.batchnorm_backward(dout[:, c], k)
           for c, k in zip(cols, caches, strict=True)]
    tfwd = tbwd = None
    if torch:
        trm, trv = torch.zeros(512, dtype=torch.float64), torch.ones(512, dtype=torch.float64)
        tfwd, tbwd = torch_pair(lambda a, g, bb: F.batch_norm(a, trm, trv, g, bb, True),
                                [x, gamma, beta], dout)
    return [("batchnorm forward (256,512), training",
             lambda: nn.batchnorm_forward(x, gamma, beta, rm, rv), on_two(*fwd), tfwd),
            ("batchnorm backward", lambda: nn.batchnorm_backward(dout, cache), on_two(*bwd),
             tbwd)]


def lstm_cases(rng: np.random.Generator) -> list:
    t_steps, n, d, h = 50, 16, 32, 64
    x, h0, c0 = (rng.standard_normal((t_steps, n, d)), rng.standard_normal((n, h)),
                 rng.standard_normal((n, h)))
    ws = [rng.standard_normal((4 * h, d)) * 0.1, rng.standard_normal((4 * h, h)) * 0.1,
          rng.standard_normal(4 * h) * 0.1, rng.standard_normal(4 * h) * 0.1]
    out, cache = nn.lstm_forward(x, h0, c0, *ws)
    dout = rng.standard_normal(out.shape)
    rows = (slice(None, 8), slice(8, None))
    caches = [nn.lstm_forward(x[:, r], h0[r], c0[r], *ws)[1] for r in rows]
    fwd = [lambda r=r: nn.lstm_forward(x[:, r], h0[r], c0[r], *ws) for r in rows]
    bwd = [lambda r=r, c=c: nn.lstm_backward(dout[:, r], c)
           for r, c in zip(rows, caches, strict=True)]
    tfwd = tbwd = None
    if torch:
        module = torch_lstm(d, h, ws)
        tfwd, tbwd = torch_pair(lambda a, b0, b1: module(a, (b0, b1)), [x, h0[None], c0[None]],
                                dout)
    return [(f"lstm forward T={t_steps} N={n} D={d} H={h}",
             lambda: nn.lstm_forward(x, h0, c0, *ws), on_two(*fwd), tfwd),
            ("lstm backward", lambda: nn.lstm_backward(dout, cache), on_two(*bwd), tbwd)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    cases = [*conv_cases(rng), *pool_cases(rng, "max", 2), *pool_cases(rng, "max", 3),
             *pool_cases(rng, "avg", 2), *pool_cases(rng, "avg", 3), *batchnorm_cases(rng),
             *lstm_cases(rng)]
    threads = torch_default_threads() if torch else None
    rows = []
    for name, one, two, theirs in cases:
        one_ms, two_ms = best_ms([one, two], args.repeat, number=5)
        # torch apart: its idle OpenMP threads spin for a while after each call, which would
        # take the second core from dlref's split right after
        torch_ms = best_ms([theirs], args.repeat, number=5,
                           setups=[on_threads(threads)])[0] if torch else None
        rows.append({"op": name, "one_thread_ms": one_ms, "two_threads_ms": two_ms,
                     "torch_default_threads_ms": torch_ms})
        if not args.json:
            print(f"  timed {name}", file=sys.stderr)
    if args.json:
        print(json.dumps({"torch_default_threads": threads, "rows": rows}, indent=2))
        return

    def vs(ms: float) -> str:
        return "–" if not torch else f"{ms / r['torch_default_threads_ms']:.2f}×"

    print(f"| op | dlref ms, 1 thread | /torch | dlref ms, batch split on 2 threads | /torch | "
          f"torch ms, {threads or '–'} threads |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        theirs = r["torch_default_threads_ms"]
        print(f"| {r['op']} | {r['one_thread_ms']:.3f} | {vs(r['one_thread_ms'])} | "
              f"{r['two_threads_ms']:.3f} | {vs(r['two_threads_ms'])} | "
              f"{'–' if theirs is None else f'{theirs:.3f}'} |")
    print(f"\nbest of {args.repeat}, wall-clock, float64, NumPy {np.__version__}, torch "
          f"{torch.__version__ if torch else '– (not installed)'}")


if __name__ == "__main__":
    main()
