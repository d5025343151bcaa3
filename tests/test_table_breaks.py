"""Table cells at narrow widths: a column is given the width to keep its English words whole
where another column can spare it (a CJK column, which may break between any two
characters, or one with room to spare); a word wider than its column is still split; every
line fits the terminal and each cell, read back, is its text; at 80 columns and more tables
are drawn as before.

Tables are read back from what was drawn: the rule under the header gives the columns; the
same table drawn wide enough for one line per row gives the cells."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import dlref.render.table as table_module
from dlref.render.table import table
from dlref.text.width import char_width, width_of
from dlref.text.wrap import words_split, wrap_text
from tests.test_render_width import columns_of as column_text
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
                  wide: list[tuple[list[str], list[list[str]]]]
                  ) -> tuple[list[str], list[int], list[list[str]]]:
    """The headers of the wide table this (block of a) table above rule `n` shows, which of
    its columns it shows, and its rows."""
    for k in range(1, 6):
        heads = [bare("".join(column_text(x, a, w) for x in lines[n - k:n])) for a, w in cols]
        for headers, rows in wide:
            names = [bare(h) for h in headers]
            if heads[0] != names[0]:
                continue
            for first in range(1, len(names) - len(heads) + 2):
                if names[first:first + len(heads) - 1] == heads[1:]:
                    return headers, [0, *range(first, first + len(heads) - 1)], rows
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


def problems(cell: str, shown: list[str], size: int) -> list[str]:
    """What is wrong with how `cell` was broken into the lines `shown` of a column `size`
    wide: text lost or changed, a line that starts with closing or ends with opening
    punctuation, a word split that fits the column on its own."""
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
            out += [f"{m.group()!r} split though it fits {size} columns: {shown!r}"
                    for m in WORD.finditer(text)
                    if m.start() < at < m.end() and width_of(m.group()) <= size]
    return out


def drawn_cells(narrow: list[str], wide: list[str], columns: int
                ) -> list[tuple[str, str, list[str], int]]:
    """Every table cell of the `narrow` output as (its column's header, its text, the lines
    it was drawn in, its column's width), its text taken from the `wide` output of the same
    command; asserts that every line fits `columns` and every row was found."""
    assert [x for x in narrow if width_of(x) > columns] == []
    originals = tables_on(wide)
    out = []
    for n, rule in enumerate(narrow):
        if not is_rule(rule) or n == 0:
            continue
        cols = spans(rule)
        headers, which, rows = match_headers(narrow, n, cols, originals)
        shown = cells_of(narrow[n + 1:], cols, [row[0] for row in rows])
        assert len(shown) == len(rows), (narrow[n:], rows)
        for row, cells in zip(rows, shown, strict=True):
            for (_, size), index, lines in zip(cols, which, cells, strict=True):
                out.append((headers[index], row[index], lines, size))
    return out


def table_problems(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int,
                   words: bool = True) -> list[str]:
    """What is wrong with the table of `rows` drawn `width` wide (see `problems`): with
    `words` false only lost text and misplaced punctuation count, not split words."""
    cells = drawn_cells(table(headers, rows, width=width).splitlines(),
                        table(headers, rows).splitlines(), width)
    assert len(cells) >= len(rows) * len(headers)
    return [p for _, text, lines, size in cells for p in problems(text, lines, size)
            if words or " split though it fits " not in p]


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


# 2. The count the layout steers by: the words wrapping splits, read from long tokens alone.

PHRASES = ["Adam (adaptive moment estimation)", "vanishing gradient);", "激活函数（PReLU）",
           "accuracy (and why it misleads on imbalanced data); classification accuracy",
           "批量规范化（BatchNorm），层规范化。", "dot-product attention, i.e. softmax(QKᵀ/√d)",
           "backpropagation", "AdamW（解耦权重衰减）", "交叉熵：−Σ y log p；", "top-5 accuracy;",
           "learning-rate-schedule", "batch-normalization", "nn.functional.softmax(x, dim=-1)"]


def seen_split(text: str, width: int) -> list[str]:
    """The words no wider than `width` that the lines of `text` wrapped as a table cell is
    split across."""
    at, cuts = 0, []
    for line in wrap_text(text, width, whole_words=True)[:-1]:
        for ch in bare(line):  # step over this line's characters in the text
            at = text.index(ch, at) + 1
        cuts.append(at)
    return [m.group() for m in WORD.finditer(text) if width_of(m.group()) <= width
            and any(m.start() < cut < m.end() for cut in cuts)]


@pytest.mark.parametrize("width", range(8, 31))
def test_words_split_counts_the_words_wrapping_splits(width):
    for text in PHRASES:
        assert Counter(words_split(text, width)) == Counter(seen_split(text, width)), text


def test_words_split_counts_every_split_in_the_glossary():
    """Every word wrapping splits is counted (rarely one is counted that the wrap, splitting
    a token in three, puts back together on one line)."""
    rows = [" ".join(r) for r in glossary_rows()]
    for width in range(8, 25):
        for text in rows:
            assert not Counter(seen_split(text, width)) - Counter(words_split(text, width))


# 3. Words stay whole where another column can give the room, on made-up and real tables.

ROWS = [
    ("Accuracy (and why it misleads on imbalanced data); classification accuracy; "
     "misclassification rate", "准确率；分类精度；误分类率；类别不平衡", "accuracy"),
    ("Adagrad (adaptive gradient); adaptive gradient algorithm", "自适应梯度；自适应梯度算法",
     "adagrad"),
    ("Adam (adaptive moment estimation); adaptive moment estimation",
     "自适应矩估计；常用的优化算法", "adam"),
    ("Activation function; activation; nonlinearity; transfer function",
     "激活函数；激励函数；非线性激活；传递函数", "activation-function"),
    ("Batch normalization; batch norm; internal covariate shift",
     "批量规范化；批归一化；内部协变量偏移", "batch-normalization"),
    ("Exploding gradient (and gradient clipping); gradient explosion",
     "梯度爆炸与梯度裁剪；梯度爆炸；梯度截断", "exploding-gradient"),
    ("Learning rate schedule; cosine annealing; warm-up; one-cycle",
     "学习率调度；余弦退火；学习率预热", "learning-rate-schedule"),
    ("Positional encoding; sinusoidal positional encoding; position embedding",
     "位置编码；正弦位置编码；位置嵌入", "positional-encoding"),
]


@pytest.mark.parametrize("width", range(34, 61, 2))
def test_words_stay_whole_beside_a_cjk_column(width):
    """The English column gets the room its words need (`estimation);`, `nonlinearity;`)
    from the Chinese one, which breaks anywhere, and the card column breaks its ids after
    their hyphens. Before, at 34 and 36 columns the table went on in blocks and split the id
    `batch-normalizat`/`ion`."""
    assert table_problems(("English", "中文", "card"), ROWS, width) == []


@pytest.mark.parametrize("width", [30, 34, 40, 50, 60])
def test_moving_width_splits_fewer_words_in_the_glossary(width, monkeypatch):
    """The glossary drawn with the widths the narrowing gives (all columns alike at 30-40)
    splits more words that fit than with width moved to the English column."""
    rows = glossary_rows()
    now = split_words_drawn(("English", "中文", "card"), rows, width)
    monkeypatch.setattr(table_module, "_keep_words", lambda columns, widths, floors: widths)
    before = split_words_drawn(("English", "中文", "card"), rows, width)
    assert len(now) < len(before)
    if width >= 40:
        assert [p for p in now if p[0] == "English"] == []


def split_words_drawn(headers: Sequence[str], rows: Sequence[Sequence[str]], width: int
                      ) -> list[tuple[str, str]]:
    """(column header, problem) for each word that fits its column and is split, in the
    table of `rows` drawn `width` wide."""
    cells = drawn_cells(table(headers, rows, width=width).splitlines(),
                        table(headers, rows).splitlines(), width)
    return [(header, p) for header, text, lines, size in cells
            for p in problems(text, lines, size) if " split though it fits " in p]


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


def split_on_terminal(args: Sequence[str], columns: int, env: dict[str, str]
                      ) -> list[tuple[str, str]]:
    """(column header, problem) for each cell of `dlref ARGS` on a terminal `columns` wide
    that is broken badly (see `problems`); asserts every line fits and no text is lost."""
    wide = run_on_terminal(*args, columns=WIDE, env=env)
    narrow = run_on_terminal(*args, columns=columns, env=env)
    cells = drawn_cells(narrow, wide, columns)
    assert cells
    found = [(header, p) for header, text, lines, size in cells
             for p in problems(text, lines, size)]
    assert [p for _, p in found if " split though it fits " not in p] == []
    return found


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_the_glossary_keeps_its_words_whole_at_40_and_60_columns(lang, home):
    """At 40 columns the English column was 12 wide and split some twenty words that fit
    (`dot-produc`/`t);`, `categorical;`); at 60 the Chinese one split `Dropout` and
    `Transformer`."""
    assert split_on_terminal(["glossary", "--lang", lang], 60, home) == []
    english = [p for header, p in split_on_terminal(["glossary", "--lang", lang], 40, home)
               if header in ("English", "英文")]
    assert english == []


def test_the_glossary_no_longer_splits_gradient_on_a_narrow_terminal(home):
    """At 30 columns the English column was 8 wide: `gradien`/`t);`."""
    for columns in (30, 34):
        found = split_on_terminal(["glossary"], columns, home)
        assert [p for _, p in found if p.startswith(("'gradient'", "'adaptive'"))] == []


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
def test_the_card_list_keeps_its_words_whole_at_60_columns(lang, home):
    """The id column, 14 wide, split its ids inside words (`batch-normaliz`/`ation`)."""
    assert split_on_terminal(["list", "--lang", lang], 60, home) == []


COMMANDS = [["list"], ["glossary"], ["stats"], ["demo", "f1"], ["demo", "imbalanced"]]


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
@pytest.mark.parametrize("args", COMMANDS, ids=" ".join)
def test_cli_tables_fit_narrow_terminals_with_their_text_intact(args, lang, home):
    """Every line fits (a column narrower than 8 used to be drawn 8 wide: `list --lang zh`
    at 30 columns wrote 33), every cell reads back whole, no line starts with closing
    punctuation."""
    for columns in (30, 34, 40):
        split_on_terminal([*args, "--lang", lang], columns, home)


# 4. CJK still wraps, over-long words still split, and too narrow a terminal still works.

def test_cjk_text_still_breaks_between_any_two_characters():
    text = "梯度下降沿着负梯度方向反复更新参数直到损失不再下降为止"
    lines = table(("id", "English", "中文"), [("gd", "Gradient descent", text)],
                  width=30).splitlines()
    cols = spans(lines[1])
    shown = [column_text(line, *cols[2]) for line in lines[2:]]
    assert "".join(shown) == text and len(shown) > 1
    assert all(width_of(x) <= cols[2][1] for x in shown)
    assert table_problems(("id", "中文"), [("x", text)], 16) == []


def test_a_word_wider_than_its_column_is_still_split():
    word = "pneumonoultramicroscopicsilicovolcanoconiosis"
    rows = [("x", f"a {word} b", "一个很长的词"), ("y", "short words", "短")]
    cells = drawn_cells(table(("id", "English", "中文"), rows, width=30).splitlines(),
                        table(("id", "English", "中文"), rows).splitlines(), 30)
    [(_, _, lines, size)] = [c for c in cells if word in c[1]]
    assert size < len(word) and len(lines) > 2 and all(width_of(x) <= size for x in lines)
    assert problems(f"a {word} b", lines, size) == []  # text intact, no word that fits split


def test_an_id_wider_than_its_column_breaks_after_its_hyphens():
    assert wrap_text("batch-normalization", 14, whole_words=True) == ["batch-",
                                                                      "normalization"]
    assert wrap_text("learning-rate-schedule", 8, whole_words=True) == [
        "learning", "-rate-", "schedule"]
    assert wrap_text("Encoder–decoder", 13, whole_words=True) == ["Encoder–", "decoder"]


def test_prose_breaks_over_long_tokens_as_before():
    """The table's rule (keep a word whole, however short the piece before it) is not
    prose's: a card's lines stay as they were."""
    code = "torch.nn.functional.scaled_dot_product_attention(q, k, v)"
    assert wrap_text(code, 44) == ["torch.nn.functional.scaled_dot_product_atten",
                                   "tion(q, k, v)"]
    assert wrap_text(code, 44, whole_words=True) == [
        "torch.nn.functional.", "scaled_dot_product_attention(q, k, v)"]


def test_a_table_too_narrow_for_its_columns_still_renders():
    rows = [[f"row{i}", *(f"{i * 1234567.891:.3f}" for _ in range(6))] for i in range(3)]
    headers = ["name", *(f"value{k}" for k in range(6))]
    for width in (20, 12, 6, 1):
        out = table(headers, rows, width=width)
        for row in rows:
            for cell in row:
                assert cell in bare(out)
    assert all(width_of(line) <= 20 for line in table(headers, rows, width=20).splitlines())


cjk = st.sampled_from("梯度下降激活函数规范化")
latin = st.text("abcdefghijklmnopqrstuvwxyz", min_size=1, max_size=14)
piece = st.one_of(latin, cjk, st.sampled_from(["（", "）", "(", ")", "，", "。", ", ", "; ", " "]))
# Spaces as text has them: single, none right after opening or before closing punctuation.
cell = st.lists(piece, min_size=1, max_size=12).map(
    lambda xs: re.sub(r"(?<=[（(]) | (?=[）)，。,;])", "", " ".join("".join(xs).split())))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(latin, cell, cell), min_size=1, max_size=4), st.integers(24, 60))
def test_any_cells_fit_and_read_back_whole(rows, width):
    rows = [row for row in rows if all(row)]
    if rows and all(char_width(row[0][0]) == 1 for row in rows):
        problems_found = table_problems(("id", "one", "two"), rows, width, words=False)
        assert [p for p in problems_found if p.startswith("read back")] == []


# 5. At normal widths the tables are drawn as they were before words were kept whole.

def glossary_rows() -> list[tuple[str, str, str]]:
    """The glossary's rows, as `dlref glossary` draws them."""
    import json

    from click.testing import CliRunner

    from dlref.cli import main

    terms = json.loads(CliRunner().invoke(main, ["glossary", "--json"]).output)
    return [("; ".join(r.get("en", [])), "；".join(r.get("zh", [])), r["id"]) for r in terms]


def bundled_tables() -> list[tuple[Sequence[str], list[Sequence[str]]]]:
    """The glossary's table, the card list's and every demo's (default knobs, seed 0)."""
    import numpy as np

    from dlref import demos
    from dlref.cards import Library
    from dlref.i18n import pick, t, tag_label
    from dlref.text.numbers import cell_text

    out: list[tuple[Sequence[str], list[Sequence[str]]]] = [
        (("English", "中文", "card"), list(glossary_rows()))]
    cards = list(Library.load().cards.values())
    for lang in ("en", "zh"):
        out.append((("id", "English", "中文", "tags"),
                    [(c.id, c.title_in("en"), c.title.get("zh", ""),
                      t("list-sep", lang).join(tag_label(tag, lang) for tag in c.tags))
                     for c in cards]))
    for name in demos.NAMES:
        demo = demos.get(name)
        for tab in demo.run(demo.defaults(), np.random.default_rng(0)).tables:
            for lang in ("en", "zh"):
                out.append(([pick(c, lang) for c in tab.columns],
                            [[cell_text(c, lang) for c in row] for row in tab.rows]))
    return out


def test_tables_at_normal_widths_are_drawn_as_before(monkeypatch):
    """At 80, 100 and 120 columns no bundled table's layout splits a word that fits, so the
    widths are the narrowing's alone, and no cell has a word wider than its column: drawing
    them without moving width and with prose's line breaking gives the same bytes."""
    tables = bundled_tables()
    drawn = [table(h, rows, width=w) for h, rows in tables for w in (80, 100, 120)]
    monkeypatch.setattr(table_module, "_keep_words", lambda columns, widths, floors: widths)
    monkeypatch.setattr(table_module, "wrap_text",
                        lambda text, width, whole_words=False: wrap_text(text, width))
    assert drawn == [table(h, rows, width=w) for h, rows in tables for w in (80, 100, 120)]
