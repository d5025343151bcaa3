"""Time `table()` on the bundled tables, in-process, against the layout of a git revision, and
check that at normal widths both draw the same bytes.

Usage: python benchmarks/bench_table.py [--base REV] [--runs N] [--check-only]

The tables are the glossary's, `dlref list`'s and every demo's (default knobs, seed 0), with
English, Chinese and bilingual headers and cells. The base layout is `dlref/render/table.py`
and `dlref/text/wrap.py` as they are at REV (default: e63b951, the revert of the slow
narrow-table merge), loaded from git into modules of their own; the current one is imported
as usual. Timing: the best of N runs (default 15) of each layout, interleaved, for the
glossary, the list (English and Chinese tags) and the two largest demo tables at 30, 34, 40,
60, 80 and 120 columns. (Cards have no tables of their own.)
Check: every table at 80, 100 and 120 columns (and `width=None`) is drawn byte for byte
alike by both; exit status 1 if not.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

Table = Callable[..., str]
Case = tuple[str, tuple[str, ...], list[tuple[str, ...]]]  # name, headers, rows


def base_table(rev: str) -> Table:
    """`table` as it was at `rev`, with the `wrap` module of that revision."""
    def source(path: str) -> str:
        return subprocess.run(["git", "show", f"{rev}:{path}"], cwd=ROOT, check=True,
                              capture_output=True, text=True).stdout

    wrap = types.ModuleType("base_wrap")
    exec(compile(source("dlref/text/wrap.py"), "base/wrap.py", "exec"), wrap.__dict__)
    table = types.ModuleType("base_table")
    saved = sys.modules.get("dlref.text.wrap")
    sys.modules["dlref.text.wrap"] = wrap  # the base table imports the base wrap
    try:
        exec(compile(source("dlref/render/table.py"), "base/table.py", "exec"), table.__dict__)
    finally:
        if saved is not None:
            sys.modules["dlref.text.wrap"] = saved
    return table.table


def cases() -> list[Case]:
    """The bundled tables: glossary, list and demo tables, in each language."""
    import numpy as np

    from dlref import demos
    from dlref.commands.browse import _terms
    from dlref.commands.common import load_library
    from dlref.i18n import pick, t, tag_label
    from dlref.text.numbers import cell_text

    out: list[Case] = []
    terms = _terms(None)
    body = [("; ".join(r.get("en", [])), "；".join(r.get("zh", [])), r["id"]) for r in terms]
    cards = list(load_library().cards.values())
    for lang in ("en", "zh", "both"):
        one = "en" if lang == "both" else lang
        heads = tuple(t(k, lang) for k in ("col.english", "col.chinese", "col.card"))
        out.append((f"glossary-{lang}", heads, body))
        rows = [(c.id, c.title_in("en"), c.title.get("zh", ""),
                 t("list-sep", one).join(tag_label(tag, one) for tag in c.tags)) for c in cards]
        heads = tuple(t(k, lang) for k in ("col.id", "col.english", "col.chinese", "col.tags"))
        out.append((f"list-{lang}", heads, rows))
    for name in demos.NAMES:
        demo = demos.get(name)
        result = demo.run(demo.defaults(), np.random.default_rng(0))
        for n, tab in enumerate(result.tables):
            for lang in ("en", "zh", "both"):
                rows = [tuple(cell_text(c, lang) for c in row) for row in tab.rows]
                out.append((f"demo-{name}-{n}-{lang}",
                            tuple(pick(c, lang) for c in tab.columns), rows))
    return out


def best_ms(fn: Callable[[], object], runs: int) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - start)
    return best * 1000


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", default="e63b951")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--check-only", action="store_true")
    args = parser.parse_args()
    from dlref.render.table import table as work

    base = base_table(args.base)
    all_cases = cases()
    differ = [(name, width) for name, heads, rows in all_cases for width in (None, 80, 100, 120)
              if work(heads, rows, width=width) != base(heads, rows, width=width)]
    print(f"{len(all_cases)} tables at 80, 100, 120 columns and unbounded: "
          f"{len(differ)} drawn differently" + (f": {differ}" if differ else ""))
    if args.check_only:
        return 1 if differ else 0
    demo_cases = sorted((c for c in all_cases if c[0].startswith("demo") and c[0].endswith("en")),
                        key=lambda c: -sum(len(x) for row in c[2] for x in row))
    timed = [c for c in all_cases if c[0] in ("glossary-en", "list-en", "list-zh")] \
        + demo_cases[:2]
    print(f"best of {args.runs} runs, ms (base {args.base} → work)")
    print(f"{'table':34} {'width':>5} {'base':>8} {'work':>8} {'ratio':>6}")
    worst = 0.0
    for name, heads, rows in timed:
        for width in (30, 34, 40, 60, 80, 120):
            times = {"base": float("inf"), "work": float("inf")}
            for _ in range(3):  # interleaved, so drift in the machine's speed hits both
                for key, fn in (("base", base), ("work", work)):
                    times[key] = min(times[key], best_ms(
                        lambda fn=fn, h=heads, r=rows, w=width: fn(h, r, width=w),
                        max(args.runs // 3, 1)))
            ratio = times["work"] / times["base"]
            worst = max(worst, ratio)
            print(f"{name:34} {width:5} {times['base']:8.2f} {times['work']:8.2f} {ratio:6.2f}")
    print(f"worst ratio {worst:.2f}")
    return 1 if differ else 0


if __name__ == "__main__":
    sys.exit(main())
