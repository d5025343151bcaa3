"""Every line of output fits the terminal: cards in one language or two, tables, search hits
and the demo list, measured with the renderer's own widths (CJK characters take two columns)."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

import dlref
from dlref.cards import Library
from dlref.cli import main
from dlref.render import style
from dlref.render import table as table_mod
from dlref.text import wrap as wrap_mod
from dlref.text.width import width_of

ROOT = str(Path(dlref.__file__).resolve().parent.parent)
CARDS = sorted(Library.load().cards)
CLOSING = set("）」』】〕》〉、。，．！？：；")
OPENING = set("（「『【〔《〈")


def run(*args: str, columns: int) -> str:
    result = CliRunner().invoke(main, [*args, "--color", "never"], env={"COLUMNS": str(columns)})
    assert result.exit_code == 0, result.output
    return result.output


def run_on_terminal(*args: str, columns: int = 80, color: bool = False,
                    env: dict[str, str] | None = None, stdin: str | None = None) -> list[str]:
    """The output lines of `dlref ARGS` (with `--color never` unless `color`, for commands
    that have no such option) written to a pseudo-terminal `columns` wide; `stdin` piped in
    (a quiz's answers), else none."""
    master, slave = pty.openpty()
    env = {**os.environ, **(env or {}), "COLUMNS": str(columns), "LINES": "24",
           "PYTHONPATH": ROOT, "DLREF_PAGER": ""}  # dlref's own lines, not a pager's screen
    proc = subprocess.Popen([sys.executable, "-m", "dlref", *args,
                             *(() if color else ("--color", "never"))],
                            stdin=subprocess.DEVNULL if stdin is None else subprocess.PIPE,
                            stdout=slave, stderr=subprocess.PIPE, env=env)
    os.close(slave)
    if stdin is not None:
        proc.stdin.write(stdin.encode())
        proc.stdin.close()
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=60) == 0, proc.stderr.read()
    proc.stderr.close()
    return b"".join(chunks).decode().replace("\r\n", "\n").splitlines()


def too_wide(lines: list[str], width: int) -> list[str]:
    return [line for line in lines if width_of(line) > width]


# 1. Tables, search hits and the demo list on a terminal.

@pytest.mark.parametrize("args", [["list"], ["glossary"], ["search", "gradient"],
                                  ["demo", "--list"], ["demo", "label-smoothing"]])
def test_terminal_output_fits_80_columns(args):
    lines = run_on_terminal(*args, columns=80)
    assert len(lines) > 5
    assert too_wide(lines, 80) == []


@pytest.mark.parametrize(("columns", "lang"), [(40, "en"), (60, "both"), (80, "both")])
def test_search_hits_fit_a_narrow_terminal(columns, lang):
    # a hit's first line (id and title) wraps too, not only the sentence under it
    lines = run_on_terminal("search", "gradient", "--lang", lang, columns=columns)
    assert len(lines) > 5
    assert too_wide(lines, columns) == []
    assert lines[0].startswith("gradient  Gradient")


def columns_of(line: str, start: int, size: int) -> str:
    """The part of `line` from display column `start`, `size` columns wide."""
    out, at = "", 0
    for ch in line:
        if start <= at < start + size:
            out += ch
        at += width_of(ch)
    return out.rstrip()


def assert_rules_match_cells(lines: list[str]) -> None:
    """Each rule under the header is as wide as the widest cell shown in its column."""
    rules, start = lines[1].split("  "), 0
    for rule in rules:
        assert set(rule) == {"─"}
        cells = [columns_of(line, start, len(rule)) for line in [lines[0], *lines[2:]]]
        assert len(rule) == max(width_of(c) for c in cells)
        start += len(rule) + 2


@pytest.mark.parametrize("args", [["list"], ["glossary"]])
def test_table_rules_are_no_longer_than_the_widest_cell_shown(args):
    assert_rules_match_cells(run_on_terminal(*args, columns=80))


def test_table_wraps_to_width_and_keeps_short_tables():
    rows = [("a-rather-long-identifier", "word " * 60, "梯度" * 40), ("b", "short", "短")]
    lines = table_mod.table(("id", "English", "中文"), rows, width=60).splitlines()
    assert too_wide(lines, 60) == []
    assert_rules_match_cells(lines)
    assert lines[2].startswith("a-rather-long-identifier  ")  # the id is not broken
    # A table that fits is as before, and without a width nothing is wrapped.
    small = [("x", "y")]
    assert table_mod.table(("a", "b"), small, width=60) == table_mod.table(("a", "b"), small)
    assert table_mod.table(("h",), [("z" * 200,)]).splitlines()[1] == "─" * 200


def test_long_headers_wrap_inside_their_columns():
    headers = ("smoothed target probability of the true class", "cross-entropy loss")
    lines = table_mod.table(headers, [("0.9", "0.1"), ("0.8", "0.2")], width=30).splitlines()
    assert too_wide(lines, 30) == []
    rule = next(i for i, line in enumerate(lines) if set(line) <= {"─", " "})
    assert rule > 1  # the header took more than one line
    said = " ".join(" ".join(line.split()) for line in lines[:rule]).split()
    assert sorted(said) == sorted(" ".join(headers).split())  # every word shown, none broken


def test_a_table_too_wide_for_any_narrowing_continues_in_blocks():
    headers = ["position", *(f"{j} sin" for j in range(9))]
    rows = [[str(i), *(f"{-0.123456 * i * j:.5g}" for j in range(9))] for i in range(3)]
    lines = table_mod.table(headers, rows, width=50).splitlines()
    assert too_wide(lines, 50) == []
    blocks = [block.splitlines() for block in "\n".join(lines).split("\n\n")]
    assert len(blocks) >= 2
    for block in blocks:
        assert_rules_match_cells(block)
        assert block[0].startswith("position  ")  # each block names its rows
        assert [line.split()[0] for line in block[2:]] == ["0", "1", "2"]
    shown = [head.strip() for block in blocks for head in block[0].split("  ") if head.strip()]
    assert [h for h in shown if h != "position"] == headers[1:]  # each column once, in order
    numbers = [cell for block in blocks for line in block[2:] for cell in line.split()[1:]]
    assert sorted(numbers) == sorted(cell for row in rows for cell in row[1:])  # none broken


@pytest.mark.parametrize(("name", "lang"), [("positional-encoding", "en"), ("attention", "zh"),
                                            ("lr-schedule", "both"), ("residual", "both")])
def test_demo_tables_and_metrics_fit_a_narrow_terminal(name, lang):
    lines = run_on_terminal("demo", name, "--lang", lang, columns=60)
    assert too_wide(lines, 60) == []


def test_piped_output_keeps_its_machine_friendly_form():
    assert run("list", columns=80).split() == CARDS
    glossary = run("glossary", columns=80).splitlines()
    assert all(line.count("\t") == 2 for line in glossary)
    search = run("search", "gradient", columns=80).splitlines()
    assert len(search) % 2 == 0 and all(line.startswith("    ") for line in search[1::2])
    coloured = CliRunner().invoke(main, ["glossary", "--color", "always"],
                                  env={"COLUMNS": "80"}).output
    assert too_wide([style.strip_ansi(x) for x in coloured.splitlines()], 80) == []


# 2. Two languages side by side.

@pytest.mark.parametrize("columns", [100, 120])
def test_side_by_side_columns_stay_in_their_width(columns):
    col = (columns - 3) // 2
    for card in CARDS:
        lines = run("show", card, "--lang", "both", columns=columns).splitlines()
        assert "│" in lines[0], card
        assert too_wide(lines, columns) == [], card
        for line in lines:
            left, divider, right = line.partition(" │")
            assert divider and width_of(left) == col, (card, line)
            assert width_of(right) <= col + 1, (card, line)


def test_side_by_side_title_wraps():
    lines = run("show", "weight-initialization", "--lang", "both", columns=100).splitlines()
    assert width_of(lines[0]) <= 100
    assert lines[0].startswith("Weight initialization (Xavier/Glorot,")
    assert lines[1].startswith("He/Kaiming)  (weight-initialization)")


def test_an_over_long_token_breaks_after_punctuation():
    token = "torch.nn.utils.clip_grad_norm_(model.parameters(),"
    lines = [style.emit(x, False) for x in wrap_mod.wrap_runs([(token, "code")], 30, "  ", "  ")]
    assert too_wide(lines, 30) == []
    assert "".join(x.strip() for x in lines) == token
    assert lines[0].rstrip()[-1] in ".(,"
    assert wrap_mod.wrap_runs([("x" * 50, None)], 20, "", "")[1][1][0] == "x" * 20


# 3. Line breaks in one language.

@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("columns", [60, 80])
def test_single_language_fits_and_breaks_well(lang, columns):
    for card in CARDS:
        lines = run("show", card, "--lang", lang, columns=columns).splitlines()
        assert too_wide(lines, columns) == [], card
        for before, line in zip(lines, lines[1:], strict=False):
            text = line.strip()
            if before.strip() and text:
                assert text[0] not in CLOSING, (card, before, line)
                assert before.rstrip()[-1] not in OPENING, (card, before, line)


def test_closing_bracket_takes_the_character_before_it_down():
    out = run("show", "relu", "--lang", "zh", columns=80)
    assert "\n    ）" not in out
    assert not any(line.strip().startswith("）") for line in out.splitlines())


def test_a_short_bracketed_group_is_not_split():
    out = run("show", "relu", columns=80)
    assert "√(2 / fan_in)" in out
    runs = [("one two three four five six (seven eight) nine", None)]
    lines = [style.emit(x, False) for x in wrap_mod.wrap_runs(runs, 40)]
    assert lines == ["one two three four five six", "(seven eight) nine"]
