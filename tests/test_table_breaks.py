"""Table cells break where text may break: at spaces and at the places CJK allows, inside a
word only when the word alone is wider than its column, never with closing punctuation at the
start of a line; every line fits and each cell, read back, is its text.

Tables are read back from what a pseudo-terminal showed: the rule under the header gives the
columns; the same command on a terminal wide enough for one line per row gives the cells."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dlref.render.table import table
from dlref.text.width import char_width, width_of
from tests.test_render_width import run_on_terminal

CLOSING = set("，。、；：？！）」』】》〉’”%,.;:?!)]}…")
# `(` may end a line where an over-long token (code) breaks after it, as in dlref.text.wrap.
OPENING = set("（「『【《〈‘“([{")
WIDE = 5000  # columns enough for every table here to keep one line per row
WORD = re.compile(r"[^\W\u2e80-\uffef]+")  # a run of letters and digits, not CJK


def is_rule(line: str) -> bool:
    """A table's rule: runs of `─` separated by two spaces."""
    return "─" in line and set(line) <= {"─", " "}


def spans(rule: str) -> list[tuple[int, int]]:
    """The (start column, width) of each column, from the rule under its header."""
    out, at = [], 0
    for part in rule.split("  "):
        out.append((at, len(part)))
        at += len(part) + 2
    return out


def column_text(line: str, start: int, size: int) -> str:
    """What `line` shows from display column `start` for `size` columns."""
    out, at = "", 0
    for ch in line:
        if start <= at < start + size:
            out += ch
        at += width_of(ch)
    return out.rstrip()


def bare(text: str) -> str:
    """The text without its whitespace: what survives any line breaking."""
    return "".join(text.split())


def tables_on(lines: list[str]) -> list[tuple[list[str], list[list[str]]]]:
    """The (headers, rows) of each table of a wide output: one line per header and row, up
    to the first line that is blank or writes across a gap between two columns."""
    found = []
    for n, rule in enumerate(lines):
        if not is_rule(rule) or n == 0:
            continue
        cols = spans(rule)
        rows = []
        for line in lines[n + 1:]:
            if not line.strip() or not fits_gaps(line, cols):
                break
            rows.append([column_text(line, a, w) for a, w in cols])
        found.append(([column_text(lines[n - 1], a, w) for a, w in cols], rows))
    return found


def fits_gaps(line: str, cols: list[tuple[int, int]]) -> bool:
    """Whether `line` leaves blank the two columns between each pair of table columns and
    writes nothing past the last."""
    last = cols[-1][0] + cols[-1][1]
    gaps = [column_text(line, a + w, 2) for a, w in cols[:-1]]
    return not any(gaps) and width_of(line.rstrip()) <= last


def match_headers(lines: list[str], n: int, cols: list[tuple[int, int]],
                  wide: list[tuple[list[str], list[list[str]]]]) -> tuple[int, list[int], list]:
    """How many lines above rule `n` are the header, which columns of which wide table this
    (block of a) table shows, and that table's rows."""
    for k in range(1, 6):
        heads = [bare("".join(column_text(x, a, w) for x in lines[n - k:n])) for a, w in cols]
        for headers, rows in wide:
            names = [bare(h) for h in headers]
            if heads[0] != names[0]:
                continue
            for first in range(1, len(names) - len(heads) + 2):
                if names[first:first + len(heads) - 1] == heads[1:]:
                    return k, [0, *range(first, first + len(heads) - 1)], rows
    raise AssertionError(f"no table's header matches the one above line {n}: {lines[n - 2:n]}")


def cells_of(lines: list[str], cols: list[tuple[int, int]], first_column: list[str]
             ) -> list[list[list[str]]]:
    """The lines of each cell of each row under a rule: a row starts where the first column
    starts its next cell (the whole of the last one having been shown)."""
    rows: list[list[list[str]]] = []
    left = ""  # what of the current row's first cell is still to come
    for line in lines:
        pieces = [column_text(line, a, w) for a, w in cols]
        if not line.strip() or not left and pieces[0] and len(rows) == len(first_column):
            break
        if not left and pieces[0]:
            left = bare(first_column[len(rows)])
            rows.append([[] for _ in cols])
        for cell, piece in zip(rows[-1], pieces, strict=True):
            if piece:
                cell.append(piece)
        left = left[len(bare(pieces[0])):]
    return rows


def glued(text: str, start: int, end: int) -> int:
    """Columns of the word text[start:end] with what may not part from it: opening
    punctuation before it, closing punctuation after it and the rest of the token that
    follows such punctuation (`a）)bc`: no line may start with `)bc`)."""
    while start > 0 and text[start - 1] in OPENING:
        start -= 1
    while end < len(text) and text[end] in CLOSING:
        end += 1
        while end < len(text) and not text[end].isspace() and char_width(text[end]) == 1:
            end += 1
    return width_of(text[start:end])


def problems(cell: str, shown: list[str], size: int, last_resort: bool = False) -> list[str]:
    """What is wrong with how `cell` was broken into the lines `shown` of a column `size`
    wide: text lost or changed, a line that starts with closing or ends with opening
    punctuation, a word split that fits the column on its own (in a `last_resort` table,
    which cannot fit keeping such words whole: that fits with its punctuation)."""
    out = []
    if bare("".join(shown)) != bare(cell):
        return [f"read back {shown!r}, not {cell!r}"]
    out += [f"line starts with closing punctuation: {shown!r}"
            for line in shown[1:] if line.strip()[:1] in CLOSING]
    out += [f"line ends with opening punctuation: {shown!r}"
            for line in shown[:-1] if line.strip()[-1:] in OPENING - set("([{")]
    at, text = 0, cell
    for line in shown[:-1]:
        for ch in bare(line):  # step over this line's characters in the cell's text
            at = text.index(ch, at) + 1
        if at < len(text) and not text[at].isspace():
            for m in (m for m in WORD.finditer(text) if m.start() < at < m.end()):
                needs = glued(text, *m.span()) if last_resort else width_of(m.group())
                if needs <= size:
                    out.append(f"{m.group()!r} split though it fits {size} columns: {shown!r}")
    return out


def check_output(narrow: list[str], wide: list[str], columns: int,
                 last_resort: bool = False) -> int:
    """Assert that every line fits `columns` and every table cell of `narrow` is broken well
    (see `problems`), its cells taken from the `wide` output of the same command; returns the
    cells checked."""
    assert [x for x in narrow if width_of(x) > columns] == []
    originals = tables_on(wide)
    checked = 0
    for n, rule in enumerate(narrow):
        if not is_rule(rule) or n == 0:
            continue
        cols = spans(rule)
        _, which, rows = match_headers(narrow, n, cols, originals)
        shown = cells_of(narrow[n + 1:], cols, [row[0] for row in rows])
        assert len(shown) == len(rows), (narrow[n:], rows)
        for row, cells in zip(rows, shown, strict=True):
            for (_, size), index, lines in zip(cols, which, cells, strict=True):
                assert problems(row[index], lines, size, last_resort) == [], (row[index], narrow)
                checked += 1
    return checked


# 1. The checker itself: it finds each fault it is meant to find.

def test_the_checker_finds_each_fault():
    assert problems("Adam (adaptive moment estimation)",
                    ["Adam", "(adaptive", "moment", "estimation)"], 11) == []
    assert problems("Adam (adaptive moment estimation)",
                    ["Adam", "(adaptive", "moment", "estimatio", "n)"], 10)
    assert problems("backpropagation", ["backpropa", "gation"], 9) == []  # wider: must split
    assert problems("激活函数（PReLU）", ["激活函数", "（PReL", "U）"], 8)
    assert problems("激活函数（PReLU）", ["激活函数", "（PReLU", "）"], 8)
    assert problems("激活函数（PReLU）", ["激活函", "数（PReLU）"], 10) == []
    assert problems("dot-product", ["dot-", "product"], 8) == []
    assert problems("dot-product", ["dot-produ", "ct"], 9)
    assert problems("a b", ["a"], 9)  # text lost
    assert problems("暂退法（Dropout）；", ["暂退法", "（Dropou", "t）；"], 12)
    assert problems("暂退法（Dropout）；", ["暂退法", "（Dropou", "t）；"], 12, True) == []
    assert problems("暂退法（Dropout）", ["暂退法", "（Dropou", "t）"], 12, True)


# 2. The renderer on made-up cells, at every width down to the narrowest.

PHRASES = ["Adam (adaptive moment estimation)", "vanishing gradient);", "激活函数（PReLU）",
           "accuracy (and why it misleads on imbalanced data); classification accuracy",
           "批量规范化（BatchNorm），层规范化。", "dot-product attention, i.e. softmax(QKᵀ/√d)",
           "backpropagation", "AdamW（解耦权重衰减）", "交叉熵：−Σ y log p；", "top-5 accuracy;"]


def check_table(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int,
                last_resort: bool = False) -> None:
    """Assert that the table of `rows` drawn `width` wide breaks every cell well (any cells
    may leave a table no layout that keeps each word whole: see `problems`)."""
    lines = table(headers, rows, width=width).splitlines()
    wide = table(headers, rows).splitlines()
    assert check_output(lines, wide, width, last_resort) >= len(rows) * len(headers)


@pytest.mark.parametrize("width", range(24, 61, 2))
def test_made_up_cells_break_well_at_every_width(width):
    rows = [[f"row-{i}", phrase, PHRASES[-1 - i]] for i, phrase in enumerate(PHRASES)]
    check_table(("id", "English", "中文"), rows, width)


def test_a_word_is_not_split_when_it_fits_but_its_punctuation_does_not():
    lines = table(("id", "title"), [("x", "moment estimation)")], width=15).splitlines()
    assert [line.split("  ")[-1].strip() for line in lines[2:]] == ["moment", "estimation)"]
    lines = table(("id", "标题"), [("x", "激活（PReLU）")], width=13).splitlines()
    assert "（PReLU）" in "".join(lines)


cjk = st.sampled_from("梯度下降激活函数规范化")
latin = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=14)
piece = st.one_of(latin, cjk, st.sampled_from(["（", "）", "(", ")", "，", "。", ", ", "; ", " "]))
# Spaces as text has them: single, none right after opening or before closing punctuation
# (`（ a`, `a )` are not written; that space would be the only place to break a line).
cell = st.lists(piece, min_size=1, max_size=12).map(
    lambda xs: re.sub(r"(?<=[（(]) | (?=[）)，。,;])", "", " ".join("".join(xs).split())))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(latin, cell, cell), min_size=1, max_size=4), st.integers(26, 60))
def test_any_cells_break_well(rows, width):
    rows = [row for row in rows if all(row)]
    if rows and all(char_width(row[0][0]) == 1 for row in rows):
        check_table(("id", "one", "two"), rows, width, last_resort=True)


# 3. The CLI's tables on a real terminal, in each language, at narrow widths.

@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    """A data directory with two answers to the relu quiz, so `stats` has tables."""
    import os
    import subprocess
    import sys

    root = tmp_path_factory.mktemp("home")
    env = {**os.environ, "DLREF_HOME": str(root),
           "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    subprocess.run([sys.executable, "-m", "dlref", "quiz", "relu", "-n", "2", "--seed", "1"],
                   input="?\n?\n", text=True, env=env, check=True, capture_output=True)
    return {"DLREF_HOME": str(root)}


COMMANDS = [["list"], ["glossary"], ["stats"], ["demo", "f1"], ["demo", "imbalanced"]]
# The glossary at 30 columns: its English column keeps its words whole from 17 columns, its
# Chinese one (`（Dropout）；`) from 13; with the two columns between them that is 32, so a
# word splits where its punctuation would not fit beside it.
LAST_RESORT = {("glossary", 30)}


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_cli_tables_break_well_on_a_terminal(args, lang, home):
    wide = run_on_terminal(*args, "--lang", lang, columns=WIDE, env=home)
    for columns in (30, 34, 40, 60):
        narrow = run_on_terminal(*args, "--lang", lang, columns=columns, env=home)
        last_resort = (args[0], columns) in LAST_RESORT
        assert check_output(narrow, wide, columns, last_resort) > 0, (args, lang, columns)
