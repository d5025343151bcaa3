"""Time `dlref stats` over a generated store of 100 000 reviews (issue 12: under 0.3 s).

Usage: python benchmarks/bench_stats.py [--reviews N] [--runs R] [--json]

Generates the store once (benchmarks/make_store.py) in a temporary DLREF_HOME, then times
`Store.stats()` in-process (the figures `dlref stats` and `--json` print) R times and reports
the minimum and the median; also one whole `dlref stats --json` process for reference.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from make_store import generate  # noqa: E402

from dlref.quiz.store import Store  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reviews", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as home:
        path = Path(home) / "progress.sqlite3"
        n = generate(path, args.reviews)
        times = []
        with Store.open(path) as store:
            for _ in range(args.runs):
                start = time.perf_counter()
                store.stats()
                times.append(time.perf_counter() - start)
        env = {**os.environ, "DLREF_HOME": home}
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "dlref", "stats", "--json"], env=env, check=True,
                       stdout=subprocess.DEVNULL)
        process = time.perf_counter() - start
    result = {"reviews": n, "stats_min_s": round(min(times), 4),
              "stats_median_s": round(statistics.median(times), 4),
              "process_s": round(process, 3)}
    if args.json:
        print(json.dumps(result))
    else:
        print(f"{n} reviews: Store.stats() min {result['stats_min_s']} s, median "
              f"{result['stats_median_s']} s over {args.runs} runs; whole `dlref stats --json` "
              f"process {result['process_s']} s")


if __name__ == "__main__":
    main()
