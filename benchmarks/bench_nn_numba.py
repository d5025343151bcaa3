"""What would a compiled, multi-threaded kernel buy against PyTorch's default threads?

Usage: python benchmarks/bench_nn_numba.py [--repeat N]   (needs `pip install numba torch`)
dlref.nn is NumPy on one thread, and on the README's table shapes it stays 1.1-2.8x behind
PyTorch on its default two threads (see bench_nn_threads.py for two Python threads). This
times one of those rows, batch norm's training forward on (256, 512), written once as a numba
kernel fused like PyTorch's (one pass for the statistics, one for y = x·a + b), on one and two
threads, against dlref and PyTorch on one and two; and what the kernel costs a learner: numba's
import time, the first call's compilation, the installed size. The kernel's output is checked
against dlref's before anything is timed. No numba code is part of dlref.
"""

from __future__ import annotations

import argparse
import importlib.util
import pathlib
import sys
import time

# isort: off
from dlref import nn  # first: its BLAS thread setting must precede NumPy's import
import numpy as np
# isort: on

from bench_nn import best_ms


def numba_forward():
    """Batch norm's training forward as one fused parallel numba kernel: each thread sums x and
    x² over its share of the rows, then y = x·a + b row by row. Not NaN-aware beyond what IEEE
    arithmetic gives; the cancellation fallback of dlref's one-pass variance is left out."""
    import numba
    from numba import njit, prange

    @njit(parallel=True, cache=False)
    def forward(x, gamma, beta, eps):
        n, d = x.shape
        k = numba.get_num_threads()
        sums, squares = np.zeros((k, d)), np.zeros((k, d))
        step = (n + k - 1) // k
        for part in prange(k):
            for i in range(part * step, min(n, (part + 1) * step)):
                for j in range(d):
                    sums[part, j] += x[i, j]
                    squares[part, j] += x[i, j] * x[i, j]
        mean = sums.sum(axis=0) / n
        var = squares.sum(axis=0) / n - mean * mean
        a = gamma / np.sqrt(var + eps)
        b = beta - mean * a
        y = np.empty_like(x)
        for i in prange(n):
            for j in range(d):
                y[i, j] = x[i, j] * a[j] + b[j]
        return y

    return forward


def installed_mb(*packages: str) -> float:
    """The size on disk of these installed packages, in MB."""
    total = 0
    for name in packages:
        spec = importlib.util.find_spec(name)
        if spec and spec.submodule_search_locations:
            root = pathlib.Path(next(iter(spec.submodule_search_locations)))
            total += sum(p.stat().st_size for p in root.rglob("*") if p.is_file())
    return total / 1e6


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    try:
        import torch
    except ImportError:
        sys.exit("needs torch: pip install torch==2.13.0")
    start = time.perf_counter()
    try:
        import numba
    except ImportError:
        sys.exit("needs numba: pip install numba")
    imported = time.perf_counter() - start

    rng = np.random.default_rng(0)
    x, gamma, beta = rng.standard_normal((256, 512)), rng.standard_normal(512), \
        rng.standard_normal(512)
    forward = numba_forward()
    start = time.perf_counter()
    y = forward(x, gamma, beta, 1e-5)
    compiled = time.perf_counter() - start
    ours = nn.batchnorm_forward(x, gamma, beta, None, None)[0]
    np.testing.assert_allclose(y, ours, rtol=1e-9, atol=1e-9)

    xt, gt, bt = (torch.from_numpy(a) for a in (x, gamma, beta))
    rows = [("dlref (NumPy, 1 thread)", lambda: nn.batchnorm_forward(x, gamma, beta, None, None),
             lambda: None)]
    for threads in (1, 2):
        rows.append((f"numba, {threads} thread{'s' * (threads > 1)}",
                     lambda: forward(x, gamma, beta, 1e-5),
                     lambda n=threads: numba.set_num_threads(n)))
        rows.append((f"torch, {threads} thread{'s' * (threads > 1)}",
                     lambda: torch.nn.functional.batch_norm(xt, None, None, gt, bt, True),
                     lambda n=threads: torch.set_num_threads(n)))
    times = best_ms([fn for _, fn, _ in rows], args.repeat, number=5,
                    setups=[setup for _, _, setup in rows])
    print("| batchnorm forward (256,512), training | ms |\n|---|---:|")
    for (name, _, _), ms in zip(rows, times, strict=True):
        print(f"| {name} | {ms:.3f} |")
    print(f"\nimport numba: {imported:.2f} s; first call (compilation): {compiled:.2f} s; "
          f"numba + llvmlite installed: {installed_mb('numba', 'llvmlite'):.0f} MB; "
          f"numba {numba.__version__}, NumPy {np.__version__}, torch {torch.__version__}")


if __name__ == "__main__":
    main()
