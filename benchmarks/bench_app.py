"""How fast the app feels: first paint in a real pseudo-terminal, a language switch, a held
key, and a knob redraw.

    python benchmarks/bench_app.py [--runs 7] [--size 120x40]

* **first paint**: from starting `python -m dlref tui relu` in a pseudo-terminal until the
  card list and the first card are both on screen (their text has been written to the
  terminal). Median of `--runs` starts; each run has a fresh DLREF_HOME.
* **language switch**: after the screen has settled, `l` is written; the time until the Chinese
  card title is on screen, and until the terminal has been quiet for 0.1 s (the whole frame,
  footer and all, written).
* **held l**: 91 `l` presses written at once (three seconds of key repeat arriving in one
  burst, the worst case); the time until the last language (Chinese) is on screen and until
  the app is quiet again, then how long one more `l` takes to show, and the app's memory
  before and after.
* **knob redraw** (in-process, Textual's Pilot): from a new knob value to the demo's result
  drawn on screen, median over several values.

Timings depend on the machine; the README quotes one run with the command used.
"""

from __future__ import annotations

import argparse
import asyncio
import fcntl
import os
import re
import select
import statistics
import struct
import subprocess
import sys
import tempfile
import termios
import time
from pathlib import Path

ANSI = re.compile(rb"\x1b\[[0-9;?<>=]*[ -/]*[@-~]|\x1b[PX^_].*?\x1b\\|\x1b\][^\x07]*\x07|\x1b.")


class Terminal:
    """dlref's app in a pseudo-terminal of a given size, read as plain text."""

    def __init__(self, columns: int, lines: int, home: str) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", lines, columns, 0, 0))
        env = {**os.environ, "DLREF_HOME": home, "TERM": "xterm-256color", "LANG": "C.UTF-8",
               "COLUMNS": str(columns), "LINES": str(lines)}
        env.pop("DLREF_LANG", None)
        self.started = time.perf_counter()
        self.proc = subprocess.Popen([sys.executable, "-m", "dlref", "tui", "relu"],
                                     stdin=slave, stdout=slave, stderr=slave, env=env,
                                     start_new_session=True, close_fds=True)
        os.close(slave)
        self.fd = master
        self.text = b""

    def read(self, timeout: float) -> bool:
        """Read what the app wrote within `timeout` seconds; False if it wrote nothing."""
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if not ready:
            return False
        try:
            data = os.read(self.fd, 1 << 16)
        except OSError:
            return False
        self.text += ANSI.sub(b"", data)
        return bool(data)

    def wait_for(self, *needles: str, limit: float = 20.0) -> float:
        """Seconds until every needle has been written (since the mark)."""
        start = time.perf_counter()
        wanted = [n.encode() for n in needles]
        while not all(w in self.text for w in wanted):
            if time.perf_counter() - start > limit:
                raise TimeoutError(f"never saw {needles}")
            self.read(0.05)
        return time.perf_counter() - start

    def settle(self, quiet: float = 0.1, limit: float = 600.0) -> float:
        """Seconds until the app has written nothing for `quiet` seconds (the quiet excluded)."""
        start = last = time.perf_counter()
        while time.perf_counter() - last < quiet:
            if time.perf_counter() - start > limit:
                break
            if self.read(quiet / 4):
                last = time.perf_counter()
        return last - start

    def mark(self) -> None:
        self.text = b""

    def send(self, keys: bytes) -> None:
        os.write(self.fd, keys)

    def rss_mb(self) -> float:
        status = Path(f"/proc/{self.proc.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", status).group(1)) / 1024

    def close(self) -> None:
        self.send(b"\x11")  # ctrl+q
        try:
            self.proc.wait(5)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self.fd)


def first_paint(columns: int, lines: int, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        with tempfile.TemporaryDirectory() as home:
            term = Terminal(columns, lines, home)
            # the card's title and a card further down the list
            times.append(term.wait_for("ReLU (rectified linear unit)", "Sigmoid"))
            term.settle()
            term.close()
    return times


def language_and_held_key(columns: int, lines: int, runs: int) -> dict[str, object]:
    shown, settled = [], []
    with tempfile.TemporaryDirectory() as home:
        term = Terminal(columns, lines, home)
        term.wait_for("ReLU (rectified linear unit)")
        term.settle(0.3)
        for _ in range(runs):
            for key, needle in ((b"l", "线性整流函数"), (b"l", "线性整流函数"),
                                (b"l", "ReLU (rectified")):  # en → zh → both → en
                term.mark()
                term.send(key)
                shown.append(term.wait_for(needle))
                settled.append(shown[-1] + term.settle())
        rss_before = term.rss_mb()
        term.mark()
        start = time.perf_counter()
        term.send(b"l" * 91)  # 91 presses: English → Chinese, drawn once
        held = term.wait_for("线性整流函数")
        held_quiet = time.perf_counter() - start + term.settle()
        term.mark()
        term.send(b"l")  # and the app answers the next key at once
        after = term.wait_for("ReLU (rectified")
        rss_after = term.rss_mb()
        term.close()
    return {"shown": shown, "settled": settled, "held": held, "held_quiet": held_quiet,
            "after": after,
            "rss": (rss_before, rss_after)}


async def knob_redraw(values: list[str]) -> list[float]:
    from dlref.cards import Library
    from dlref.quiz.store import Store
    from dlref.tui.app import DlrefApp
    from dlref.tui.widgets.demo_view import DemoView

    times = []
    with tempfile.TemporaryDirectory() as home:
        os.environ["DLREF_HOME"] = home
        app = DlrefApp(start_card="dropout", store=Store.open(Path(home) / "p.sqlite3"),
                       library=Library.load())
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.press("2")
            demo = app.query_one(DemoView)
            while demo.result is None:
                await asyncio.sleep(0.01)
            await pilot.pause()
            knob = app.query_one("#knob-p")
            for value in values:
                before = demo.result
                start = time.perf_counter()
                knob.value = value
                while demo.result is before:
                    await asyncio.sleep(0.001)
                await pilot.pause()  # and drawn
                times.append(time.perf_counter() - start)
    return times


def ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--size", default="120x40")
    args = parser.parse_args()
    columns, lines = map(int, args.size.split("x"))

    paint = first_paint(columns, lines, args.runs)
    print(f"first paint at {columns}x{lines}: median {ms(statistics.median(paint))} "
          f"(min {ms(min(paint))}, max {ms(max(paint))}, {args.runs} runs)")
    lang = language_and_held_key(columns, lines, max(1, args.runs // 2))
    print(f"language switch: shown median {ms(statistics.median(lang['shown']))}, "
          f"settled median {ms(statistics.median(lang['settled']))} "
          f"(max {ms(max(lang['settled']))}, {len(lang['settled'])} switches)")
    before, after = lang["rss"]
    print(f"held l (91 presses at once): Chinese shown after {ms(lang['held'])}, quiet after "
          f"{ms(lang['held_quiet'])}; one more l then shows in {ms(lang['after'])}; "
          f"memory {before:.0f} → {after:.0f} MB")
    knobs = asyncio.run(knob_redraw(["0.1", "0.2", "0.3", "0.4", "0.6", "0.7", "0.8", "0.9"]))
    print(f"knob redraw (dropout p, in-process): median {ms(statistics.median(knobs))} "
          f"(max {ms(max(knobs))}, {len(knobs)} values)")


if __name__ == "__main__":
    main()
