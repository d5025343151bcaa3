"""Time `dlref show relu` against the tldr Python client rendering a page of the same size,
and `show`, `search` and did-you-mean with 5 000 user cards against the bundled cards alone.

Usage: python benchmarks/bench_show.py [--runs N] [--user-cards N] [--json]
Needs the `tldr` client (`pip install -e '.[bench]'`). Each command runs N times as a fresh
process with stdout to /dev/null (no pager: not a terminal); we report the minimum and the
median wall time. The user cards come from benchmarks/make_user_cards.py; each content set has
its own warm cache (the first, index-building run is not timed). --user-cards 0 skips that part.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def time_command(argv: list[str], runs: int, env: dict[str, str]) -> list[float]:
    """Wall-clock milliseconds of each run of argv."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
                       check=True)
        out.append((time.perf_counter() - start) * 1000)
    return out


def tldr_page_like(text: str) -> str:
    """A tldr-format page holding the same amount of text as the card."""
    lines = ["# relu", "", "> A page as long as dlref's relu card.", ""]
    for paragraph in (p.strip() for p in text.split("\n") if p.strip()):
        lines += [f"- {paragraph}", "", "`dlref show relu`", ""]
    return "\n".join(lines)


def precompile() -> None:
    """Write dlref's bytecode, as `pip install` does, so an editable checkout (or an
    environment with PYTHONDONTWRITEBYTECODE) is not timed recompiling itself every run."""
    import compileall

    import dlref

    compileall.compile_dir(Path(dlref.__file__).parent, quiet=1)


def time_command_any(argv: list[str], runs: int, env: dict[str, str]) -> list[float]:
    """As time_command, for commands that exit 1 on purpose (a did-you-mean)."""
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
        out.append((time.perf_counter() - start) * 1000)
    return out


def scale(runs: int, count: int, env: dict[str, str]) -> dict[str, dict[str, float]]:
    """show, search and did-you-mean: bundled cards alone, and with `count` user cards. The
    two content sets take turns run by run, so a burst of load elsewhere on the machine hits
    both alike (the ratio is what matters)."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from make_user_cards import write_cards

    dlref = str(BIN / "dlref")
    probes = {
        "show relu": [dlref, "show", "relu"],
        "show 线性整流函数 (alias)": [dlref, "show", "线性整流函数"],
        "search vanishing gradient": [dlref, "search", "vanishing", "gradient"],
        "did-you-mean (show rleu)": [dlref, "show", "rleu"],
    }
    out: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        cards = Path(tmp) / "cards"
        write_cards(cards, count)
        sets = {"bundled": {}, f"+{count} user cards": {"DLREF_PATH": str(cards)}}
        envs = {label: {**env, **extra, "DLREF_CACHE": str(Path(tmp) / label / "cache"),
                        "DLREF_HOME": str(Path(tmp) / "home")}
                for label, extra in sets.items()}
        for name, argv in probes.items():
            times: dict[str, list[float]] = {label: [] for label in sets}
            for label in sets:
                time_command_any(argv, 2, envs[label])  # build the catalogue and the index
            for _ in range(runs):
                for label in sets:
                    times[label] += time_command_any(argv, 1, envs[label])
            for label in sets:
                out[f"{name} [{label}]"] = {"min_ms": min(times[label]),
                                            "median_ms": statistics.median(times[label])}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--user-cards", type=int, default=5000)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    precompile()
    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "100"}
    env.pop("DLREF_PATH", None)
    dlref = str(BIN / "dlref")
    card = subprocess.run([dlref, "show", "relu"], capture_output=True, text=True, env=env,
                          check=True).stdout
    commands = {
        "python -c pass (floor)": [sys.executable, "-c", "pass"],
        "dlref show relu": [dlref, "show", "relu"],
        "dlref show 线性整流函数 (alias)": [dlref, "show", "线性整流函数"],
    }
    tldr = shutil.which("tldr", path=str(BIN)) or shutil.which("tldr")
    with tempfile.TemporaryDirectory() as tmp:
        page = Path(tmp) / "relu.md"
        page.write_text(tldr_page_like(card), encoding="utf-8")
        if tldr:
            commands["tldr --render (same size)"] = [tldr, "--render", str(page)]
        results = {}
        for name, argv in commands.items():
            time_command(argv, 2, env)  # warm the file cache
            times = time_command(argv, args.runs, env)
            results[name] = {"min_ms": min(times), "median_ms": statistics.median(times)}
    if args.user_cards:
        results.update(scale(args.runs, args.user_cards, env))
    if args.json:
        print(json.dumps({"runs": args.runs, "card_bytes": len(card.encode()), **results},
                         indent=2))
        return
    print(f"{args.runs} runs each; card output {len(card.encode())} bytes\n")
    print("| command | min ms | median ms |\n|---|---:|---:|")
    for name, r in results.items():
        print(f"| {name} | {r['min_ms']:.1f} | {r['median_ms']:.1f} |")
    tldr_key = "tldr --render (same size)"
    if tldr_key in results:
        ratio = results["dlref show relu"]["median_ms"] / results[tldr_key]["median_ms"]
        print(f"\ndlref show relu / tldr --render, medians: {ratio:.2f}×")
    if args.user_cards:
        print()
        for name in ("show relu", "show 线性整流函数 (alias)", "search vanishing gradient",
                     "did-you-mean (show rleu)"):
            base = results[f"{name} [bundled]"]["median_ms"]
            big = results[f"{name} [+{args.user_cards} user cards]"]["median_ms"]
            print(f"{name}: {big / base:.2f}× with {args.user_cards} user cards")
    if not tldr:
        print("\n(tldr not installed: pip install -e '.[bench]' to compare)")


if __name__ == "__main__":
    main()
