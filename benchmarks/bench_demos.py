"""Time one step of every demo: `run` for plain demos, one frame for step-wise ones.

Usage: python benchmarks/bench_demos.py [--repeat N] [--json]
The target is under 20 ms per step with default knobs (what the app recomputes on a knob change
or an animation tick). Median and worst step in milliseconds: over N runs for plain demos (the
first, cold run included: it is what opening the demo costs), over one whole animation for
step-wise demos.
"""

from __future__ import annotations

import argparse
import json
import time

# isort: off
from dlref import demos  # first: its BLAS thread setting must precede NumPy's import
import numpy as np
# isort: on

# Knob settings that make a demo do the most work, timed too (the app recomputes on any change).
HEAVY = {
    "attention": {"d_k": 512, "scaled": False, "causal": True},
    "positional-encoding": {"length": 128, "d_model": 128},
    "normalization": {"batch_size": 64, "features": 16},
    "residual": {"depth": 60, "layer_norm": True},
    "transformer-block": {"seq_len": 4096, "batch": 64, "num_heads": 16, "head_dim": 128},
}


def run_ms(demo, repeat: int, knobs: dict | None = None) -> list[float]:
    """Milliseconds of each of `repeat` full runs (default knobs, overridden by `knobs`)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        demo.run(demo.defaults() | (knobs or {}), np.random.default_rng(0))
        times.append((time.perf_counter() - start) * 1000)
    return times


def frame_ms(demo) -> list[float]:
    """Milliseconds of each frame of one whole animation."""
    frames = demo.frames(demo.defaults(), np.random.default_rng(0))
    times = []
    while True:
        start = time.perf_counter()
        try:
            next(frames)
        except StopIteration:
            break
        times.append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="runs of each plain demo")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = []
    for name in demos.NAMES:
        demo = demos.get(name)
        stepwise = demo.frames is not None
        times = frame_ms(demo) if stepwise else run_ms(demo, args.repeat)
        rows.append({"demo": name, "kind": "frame" if stepwise else "run",
                     "median_ms": float(np.median(times)), "worst_ms": max(times)})
        if name in HEAVY:
            times = run_ms(demo, args.repeat, HEAVY[name])
            knobs = " ".join(f"{k}={v}" for k, v in HEAVY[name].items())
            rows.append({"demo": f"{name} ({knobs})", "kind": "run",
                         "median_ms": float(np.median(times)), "worst_ms": max(times)})
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print("| demo | step | median ms | worst ms |\n|---|---|---:|---:|")
    for r in rows:
        print(f"| {r['demo']} | {r['kind']} | {r['median_ms']:.1f} | {r['worst_ms']:.1f} |")


if __name__ == "__main__":
    main()
