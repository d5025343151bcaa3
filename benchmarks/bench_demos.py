"""Time one step of every demo: `run` for plain demos, one frame for step-wise ones.

Usage: python benchmarks/bench_demos.py [--repeat N] [--json]
The target is under 20 ms per step with default knobs (what the app recomputes on a knob change
or an animation tick). Best of N runs, in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import time

import numpy as np

from dlref import demos


def best_ms(fn, repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def frame_ms(demo, repeat: int) -> tuple[float, float]:
    """(median, worst) milliseconds per frame over a whole animation."""
    values = demo.defaults()
    frames = demo.frames(values, np.random.default_rng(0))
    times = []
    while True:
        start = time.perf_counter()
        try:
            next(frames)
        except StopIteration:
            break
        times.append((time.perf_counter() - start) * 1000)
    return float(np.median(times)), float(max(times))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    rows = []
    for name in demos.NAMES:
        demo = demos.get(name)
        if demo.frames is not None:
            median, worst = frame_ms(demo, args.repeat)
            rows.append({"demo": name, "kind": "frame", "median_ms": median, "worst_ms": worst})
        else:
            ms = best_ms(lambda d=demo: d.run(d.defaults(), np.random.default_rng(0)),
                         args.repeat)
            rows.append({"demo": name, "kind": "run", "median_ms": ms, "worst_ms": ms})
    if args.json:
        print(json.dumps(rows, indent=2))
        return
    print("| demo | step | ms (best / median) | worst ms |\n|---|---|---:|---:|")
    for r in rows:
        print(f"| {r['demo']} | {r['kind']} | {r['median_ms']:.1f} | {r['worst_ms']:.1f} |")


if __name__ == "__main__":
    main()
