"""What a learner sees on a real terminal, found wanting in an audit of every command at 40,
60, 80 and 200 columns: quiz lines that ran past the terminal's edge, hanging indents one
column short, blank lines left over, prose as wide as a 200-column terminal."""

from __future__ import annotations

import re
from itertools import pairwise

from click.testing import CliRunner

from dlref.cli import main
from dlref.text.width import width_of
from tests.test_render_width import run_on_terminal, too_wide


def quiz_on_terminal(args: list[str], answers: str, columns: int) -> list[str]:
    """`dlref quiz ARGS` printing to a pseudo-terminal `columns` wide, `answers` piped in."""
    return run_on_terminal("quiz", *args, columns=columns, stdin=answers)


def test_the_comes_back_line_fits_a_narrow_terminal():
    # a wrong answer is asked again later: that line was printed unwrapped, 55 columns wide
    # at 40, and 90 at 80 with --lang both
    for columns, lang in ((40, "en"), (80, "both")):
        lines = quiz_on_terminal(["relu", "-n", "4", "--seed", "3", "--lang", lang],
                                 "1\n3\n2\n", columns)
        assert any("comes back" in line for line in lines), lines
        assert too_wide(lines, columns) == []


def test_reasons_and_options_hang_under_their_text():
    # "    2) ✓ False: For negative inputs…": the next lines start under "False", not a
    # column to its left
    lines = quiz_on_terminal(["relu", "-n", "2", "--seed", "3"], "1\n3\n", 40)
    for n, line in enumerate(lines[:-1]):
        for mark in (") ✓ ", ") ✗ "):
            if line.startswith("    ") and mark in line and lines[n + 1].startswith("     "):
                text_at = width_of(line[:line.index(mark) + len(mark)])
                follow = lines[n + 1]
                assert len(follow) - len(follow.lstrip(" ")) == text_at, (line, follow)


def test_a_short_card_ends_without_a_blank_line_and_two_have_one_between():
    # `show --short` ended with an empty line, and `--lang both` had two between languages
    # (a whole card has neither)
    for lang in ("en", "both"):
        lines = run_on_terminal("show", "attention", "--short", "--no-pager", "--lang", lang,
                                columns=80)
        assert lines[-1].strip(), lines[-3:]
        assert all(a.strip() or b.strip() for a, b in pairwise(lines)), lines
    both = run_on_terminal("show", "attention", "--short", "--no-pager", "--lang", "both")
    assert "注意力机制  (attention)" in both
    assert both[both.index("注意力机制  (attention)") - 1] == ""


def test_prose_stops_at_a_readable_width_on_a_wide_terminal():
    # a card stops at 100 columns; search hits and the demo list ran to 196 at 200
    for args in (["search", "gradient"], ["demo", "--list"], ["demo", "--list", "--lang", "zh"]):
        lines = run_on_terminal(*args, columns=200)
        assert len(lines) > 5
        assert too_wide(lines, 100) == [], args


def test_less_reads_the_paged_text_as_utf_8_whatever_the_locale(tmp_path, monkeypatch):
    # dlref writes UTF-8 to the pager; under LANG=C, or a locale not installed (LANG=zh_CN.UTF-8
    # on a bare server), less showed every Chinese character as <E4><B8><AD>
    from dlref.render.pager import run_pager

    monkeypatch.setenv("LANG", "zh_CN.UTF-8")
    monkeypatch.delenv("LESSCHARSET", raising=False)
    seen = tmp_path / "charset"
    assert run_pager(f"printenv LESSCHARSET > {seen}; cat > /dev/null", "中文\n")
    assert seen.read_text().strip() == "utf-8"
    monkeypatch.setenv("LESSCHARSET", "latin1")  # the learner's own choice stands
    assert run_pager(f"printenv LESSCHARSET > {seen}; cat > /dev/null", "x\n")
    assert seen.read_text().strip() == "latin1"


def test_the_demo_list_on_a_narrow_terminal_keeps_names_whole():
    # at 40 columns the name column left 21 for the rest: `negative_slop`/`e`,
    # `(leaky_rel`/`u)`, `activation-`/`function`
    for lang in ("en", "zh"):
        lines = run_on_terminal("demo", "--list", "--lang", lang, columns=40)
        assert too_wide(lines, 40) == []
        text = "\n".join(lines)
        for name in ("negative_slope", "leaky_relu", "activation-function", "gradient-descent"):
            assert name in text, (lang, name)
        assert "activations" in lines  # the demo's name on a line of its own


def test_a_short_vector_or_range_is_not_split():
    # `k₃ = [-1,` / `-1]` in the attention card, `[-5,` / `5]` in the demo list: a short
    # group in square brackets moves down whole, as one in round brackets does
    from dlref.render import style
    from dlref.text import wrap as wrap_mod

    runs = [("one two three four five six [7, 8] nine", None)]
    lines = [style.emit(x, False) for x in wrap_mod.wrap_runs(runs, 32)]
    assert lines == ["one two three four five six", "[7, 8] nine"]
    text = "\n".join(run_on_terminal("show", "attention", "--lang", "zh", "--no-pager",
                                     columns=40))
    assert "[-1, -1]" in text


def test_paths_on_a_terminal_line_up_and_stay_tab_separated_when_piped():
    # tabs left the paths at column 8 after "cards" and 16 after "new cards"
    for lang in ("en", "both"):
        lines = run_on_terminal("paths", "--lang", lang, columns=80, color=True)
        assert not any("\t" in line for line in lines)
        heads = [line for line in lines if not line.startswith(" ")]
        assert len(heads) >= 5
        starts = {width_of(line[:re.search(r"  /", line).end() - 1]) for line in heads}
        assert len(starts) == 1, heads
    piped = CliRunner().invoke(main, ["paths", "--lang", "en"]).output.splitlines()
    assert all(line.count("\t") in (1, 2) for line in piped)


def test_help_fits_a_40_column_terminal():
    # click wraps help to 50 columns at least: every line of it ran past a 40-column edge
    for lang in ("en", "zh"):
        for command in ("show", "demo", "quiz"):
            lines = run_on_terminal(command, "--help", "--lang", lang, columns=40, color=True)
            prose = [line for line in lines if not line.startswith("    dlref ")]  # examples
            assert too_wide(prose, 40) == [], (command, lang)


def test_stats_keeps_each_day_of_the_week_ahead_with_its_count(tmp_path):
    # at 40 columns the week ahead broke as 'Wed' / '0' (zh: '周一' / '0')
    from dlref.quiz.store import Store

    with Store.open() as store:
        store.record("relu", "value", 1, True, 0, "1", "1")
    for lang in ("en", "zh"):
        lines = run_on_terminal("stats", "--lang", lang, columns=40)
        assert too_wide(lines, 40) == []
        assert not any(line.strip()[:1].isdigit() or line.endswith("周") for line in lines)
        assert not any("\u00a0" in line for line in lines)
    piped = CliRunner().invoke(main, ["stats"]).output
    assert "today 1  " in piped and "\u00a0" not in piped


def test_side_by_side_columns_stop_at_a_card_width_on_a_very_wide_terminal():
    # one language stops at 100 columns; two side by side grew to 148 each at 300
    lines = run_on_terminal("show", "adam", "--lang", "both", "--no-pager", columns=300)
    assert max(width_of(line.split("│")[0].rstrip()) for line in lines) <= 100
    assert too_wide(lines, 203) == []
