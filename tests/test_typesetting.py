"""One typesetting for every front end: the paragraph model, CJK line breaking, formulas that
never clip, and — for every bundled card — no space between two CJK characters in the CLI, the
app or the Anki export that the card's source line does not have."""

from __future__ import annotations

import html
import re

import pytest

from dlref.cards import Library
from dlref.export import note_fields
from dlref.render.card import render_card
from dlref.text.layout import layout_card
from dlref.text.paragraphs import join_lines, parse_blocks
from dlref.text.width import width_of
from dlref.text.wrap import (
    HANG,
    NO_FORMULA_START,
    NO_LINE_END,
    NO_LINE_START,
    plain,
    wrap_formula,
    wrap_runs,
)

CJK = r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]"
STRAY = re.compile(rf"(?<={CJK})[ \t]+(?={CJK})")
LIBRARY = Library.load()
CHINESE = [card for card in LIBRARY.cards.values() if "zh" in card.languages]


def source_spaces(card) -> int:
    """Spaces between two CJK characters inside the source lines of the card's Chinese text."""
    lines = [card.title_in("zh")]
    for section in card.sections("zh"):
        lines += [section.heading, *section.text.split("\n")]
    return sum(len(STRAY.findall(line)) for line in lines)


def shown_spaces(text: str) -> int:
    return sum(len(STRAY.findall(line.strip())) for line in text.split("\n"))


def test_joining_source_lines():
    assert join_lines(["稍大一些，", "导数趋近于 0"]) == "稍大一些，导数趋近于 0"
    assert join_lines(["甚至", "一步步被甩出山谷"]) == "甚至一步步被甩出山谷"
    assert join_lines(["the slope", "fades"]) == "the slope fades"
    assert join_lines(["使用", "ReLU", "函数"]) == "使用 ReLU 函数"
    # Chinese's dash and ellipsis are narrow to Unicode, yet join as its punctuation does
    assert join_lines(["步长几乎与梯度的尺度无关——", "梯度在 1000 上下"]) == \
        "步长几乎与梯度的尺度无关——梯度在 1000 上下"
    assert join_lines(["还有……", "更多"]) == "还有……更多"
    assert join_lines(["Adam——", "ReLU"]) == "Adam—— ReLU"  # beside Latin: a space, as before


def test_emphasis_next_to_cjk_is_styled_not_shown():
    [block] = parse_blocks('这叫**"死亡 ReLU"**，常见。')
    assert ('"死亡 ReLU"', "bold") in block.runs
    assert "*" not in block.text


def test_chinese_wraps_between_characters_and_keeps_punctuation_rules():
    text = "梯度下降沿负梯度方向反复小步更新参数，每一步的大小由学习率缩放（一个超参数）。" * 3
    for width in range(12, 40):
        lines = [plain(line) for line in wrap_runs([(text, None)], width)]
        assert all(width_of(line) <= width for line in lines)
        assert "".join(lines) == text  # no space added, nothing lost
        assert all(line[:1] not in NO_LINE_START for line in lines[1:])
        assert all(line[-1:] not in NO_LINE_END for line in lines)
        assert sum(width_of(line) for line in lines[:-1]) >= (len(lines) - 1) * (width - 2)


def test_a_formula_wraps_with_a_hanging_indent_instead_of_clipping():
    formula = "ReLU(x)  = max(0, x)             range [0, ∞)   and ReLU′(x) = 1 if x > 0"
    pieces = wrap_formula(formula, 30)
    assert len(pieces) > 1 and all(width_of(p) <= 30 for p in pieces)
    assert all(p.startswith("    ") for p in pieces[1:])
    assert " ".join(p.strip() for p in pieces).split() == formula.split()


def formula_lines() -> list[str]:
    """Every line of every formula block of the bundled cards, in both languages."""
    lines = set()
    for card in LIBRARY.cards.values():
        for lang in card.languages:
            for section in card.sections(lang):
                lines.update(line for block in parse_blocks(section.text)
                             if block.kind == "formula" for line in block.lines)
    return sorted(lines)


def test_formulas_at_any_width_keep_every_character_and_start_no_line_with_a_closer():
    """From 12 columns up, every bundled formula line: pieces fit, continuation pieces hang,
    none starts with `)`, `）` or `,`, the first is not left blank by a wide alignment indent,
    and nothing but spaces is lost."""
    lines = formula_lines()
    assert len(lines) > 100
    for line in lines:
        for width in range(12, 61):
            pieces = wrap_formula(line, width)
            assert all(width_of(p) <= width for p in pieces), (width, line, pieces)
            assert pieces[0].strip() or not line.strip(), (width, line, pieces)
            for piece in pieces[1:]:
                assert piece.startswith(HANG) and piece.strip()
                assert piece.strip()[:1] not in NO_FORMULA_START, (width, line, pieces)
            assert "".join(pieces).replace(" ", "") == line.replace(" ", "")


def test_a_formula_breaks_before_a_bracketed_group_not_inside_it():
    assert wrap_formula("η_body ≈ η_head / 10 (typical)", 15) == [
        "η_body ≈", "    η_head /", "    10", "    (typical)"]
    assert wrap_formula("training:   mᵢ ~ Bernoulli(1 − p)    p = drop prob.", 30) == [
        "training:   mᵢ ~", "    Bernoulli(1 − p)", "    p = drop prob."]


def test_a_formula_breaks_between_its_clauses_where_they_are_set_apart():
    """Two or more spaces separate a formula's clauses; a line that must break breaks there,
    not inside the clause after (`i` left behind, `= 1 … K` on the next line)."""
    assert wrap_formula("softmax(z)ᵢ = e^(zᵢ) / Σⱼ e^(zⱼ)          i = 1 … K", 43) == [
        "softmax(z)ᵢ = e^(zᵢ) / Σⱼ e^(zⱼ)", "    i = 1 … K"]
    assert wrap_formula("stable form:  e^(zᵢ − m) / Σⱼ e^(zⱼ − m),  m = maxⱼ zⱼ", 43) == [
        "stable form:  e^(zᵢ − m) / Σⱼ e^(zⱼ − m),", "    m = maxⱼ zⱼ"]


CJK_CLOSING, CJK_OPENING = set("，。、；：？！）」』】》〉…"), set("（「『【《〈")


@pytest.mark.parametrize("card", CHINESE, ids=lambda c: c.id)
def test_no_chinese_line_starts_with_closing_or_ends_with_opening_punctuation(card):
    """From 40 columns (the app's narrowest card column), where code or a long name sits
    next to the punctuation (`BernoulliRBM。`, `（torchvision…`) and fills a line."""
    for width in [*range(40, 52), 60, 80, 100]:
        for line in layout_card(card, "zh", width):
            if any(style == "formula" for _, style in line):
                continue
            text = plain(line).strip()
            assert width_of(plain(line)) <= width
            assert text[:1] not in CJK_CLOSING and text[-1:] not in CJK_OPENING, (width, text)


@pytest.mark.parametrize("card", CHINESE, ids=lambda c: c.id)
def test_cli_adds_no_space_between_cjk(card):
    allowed = source_spaces(card)
    for width in (60, 80, 100):
        text = render_card(card, "zh", width, color=False)
        assert shown_spaces(text) <= allowed, width
        assert "**" not in text


@pytest.mark.parametrize("card", CHINESE, ids=lambda c: c.id)
def test_anki_paragraphs_have_no_break_or_mark_inside_a_sentence(card):
    _, back = note_fields(card, "zh")
    prose = re.sub(r"<pre>.*?</pre>", "", back, flags=re.S)
    assert "<br>" not in prose
    text = html.unescape(re.sub(r"<[^>]+>", "\n", prose))
    assert not re.search(r"\*\S|\S\*", text), text
    assert shown_spaces(text) <= source_spaces(card)


async def test_the_app_card_tab_adds_no_space_between_cjk(tmp_path):
    from dlref.quiz.store import Store
    from dlref.tui.app import DlrefApp

    app = DlrefApp(store=Store.open(tmp_path / "p.sqlite3"), library=LIBRARY)
    async with app.run_test(size=(100, 40)) as pilot:
        app.lang = "zh"
        for card in CHINESE:
            app.open_card(card.id)
            await pilot.pause()
            shown = app.query_one("#text-left").render().plain
            assert shown.startswith(card.title_in("zh"))
            assert shown_spaces(shown) <= source_spaces(card), card.id
            assert "**" not in shown
            width = app.query_one("#text-left").content_size.width
            assert max(width_of(line) for line in shown.split("\n")) <= width


def test_an_id_too_long_for_its_column_breaks_after_a_hyphen_not_inside_a_word():
    from dlref.text.wrap import wrap_text

    assert wrap_text("activation-function", 14) == ["activation-", "function"]
    assert wrap_text("[-1.5,-0.8,-2.25]", 12)[0].endswith(",")  # a minus sign stays put


def test_a_tab_in_card_text_reaches_no_front_end():
    """A tab counts one column in the layout but jumps to the next tab stop in a terminal (and
    collapses to a space in Anki's HTML), so lines overflowed and the three front ends differed.
    Prose whitespace collapses to one space, as HTML shows it; a formula's tabs become spaces
    to the next 8-column stop, counted in terminal columns, so its alignment survives."""
    from dlref.export import blocks_to_html
    from dlref.text.layout import layout_blocks

    source = ("Tabs\tinside\t\ta line,  twice.\n- an\titem\n"
              "```\ny\t=\tx\n值\t域\n```\n### a\theading")
    blocks = parse_blocks(source)
    assert [block.text for block in blocks] == [
        "Tabs inside a line, twice.", "an item", "y       =       x\n值      域", "a heading"]
    lines = [plain(line) for line in layout_blocks(blocks, 40)]
    assert not any("\t" in line for line in lines)
    assert "\t" not in blocks_to_html(blocks)


def test_anki_lists_keep_the_numbers_and_the_nesting_the_terminal_shows():
    """A numbered list that starts at 3 read `3.` in the CLI and the app but `1.` in Anki (an
    <ol> counts from one), and a nested item was set flush with its parent. Each numbered item
    now carries its own number, and a deeper item opens a list inside the one above."""
    from dlref.export import blocks_to_html
    from dlref.text.layout import layout_blocks

    source = "3. third\n4. fourth\n  - inside\n5. fifth\n\nAfter."
    blocks = parse_blocks(source)
    assert [plain(line) for line in layout_blocks(blocks, 40)] == [
        "", "  3. third", "  4. fourth", "    • inside", "  5. fifth", "", "  After."][1:]
    assert blocks_to_html(blocks) == "\n".join([
        "<ol>", '<li value="3">third</li>', '<li value="4">fourth</li>',
        "<ul>", "<li>inside</li>", "</ul>", '<li value="5">fifth</li>', "</ol>",
        "<p>After.</p>"])


def test_a_tab_or_newline_in_a_title_heading_or_tag_reaches_no_front_end(tmp_path):
    """A user card's title, section heading or tag with a tab or a newline (TOML's `\\t`,
    `\\n`) went into the header and footer runs as it was: the CLI and the app broke the title
    over two lines and jumped to a tab stop, while Anki's HTML showed one line. Each is shown
    as one line, its whitespace collapsed, in every front end that uses the layout."""
    from dlref.cards.parse import load_card
    from dlref.render.card import render_card, render_card_short

    path = tmp_path / "odd-title.md"
    path.write_text('+++\nid = "odd-title"\ntags = ["a\\tb", "c\\nd"]\n\n[title]\n'
                    'en = "Title\\twith\\ntwo lines"\n+++\n\n::: en\n'
                    "## Defi\tnition {#definition}\nText.\n:::\n", encoding="utf-8")
    card, _ = load_card(path, bundled=False)
    for text in (render_card(card, "en", 80, color=False),
                 render_card_short(card, "en", 80, color=False),
                 "\n".join(plain(line) for line in layout_card(card, "en", 80))):
        assert "\t" not in text
        assert text.startswith("Title with two lines  (odd-title)\n")
        assert "\nDefi nition\n" in text
    assert "Tags: a b, c d" in render_card(card, "en", 80, color=False)
