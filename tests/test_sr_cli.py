"""Issue 12 as a learner meets it: `dlref quiz` (piped and on a real pseudo-terminal),
`dlref stats`, in-session undo, `dlref optimize`. Schedules are checked against fsrs itself."""

from __future__ import annotations

import json
import os
import pty
import re
import select
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import fsrs
import pytest
from click.testing import CliRunner

import dlref
from dlref.cli import main
from dlref.quiz.store import Store
from dlref.text.width import width_of

ROOT = str(Path(dlref.__file__).resolve().parent.parent)
FSRS = fsrs.Scheduler(enable_fuzzing=False)


def run(*args: str, stdin: str | None = None, env: dict | None = None):
    return CliRunner().invoke(main, list(args), input=stdin, env=env)


def questions(*args: str) -> list[dict]:
    out = run("quiz", *args, "--json-questions")
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)


def typed(q: dict) -> str:
    a = q["answer"]
    return " ".join(map(repr, a)) if isinstance(a, list) else repr(a)


def store() -> Store:
    return Store.open()


def state_card(card: str, template: str) -> fsrs.Card:
    with store() as s:
        return fsrs.Card.from_json(s.state(card, template))


# -- the "done when", piped ------------------------------------------------------------


def test_relu_n12_right_and_fast_schedules_each_item_once_then_practice():
    qs = questions("relu", "-n", "12", "--seed", "3")
    items = {(q["card"], q["template"]) for q in qs}
    assert len(qs) == len(items)  # each item once: no repeats of the fixed question
    before = datetime.now(UTC)
    result = run("quiz", "relu", "-n", "12", "--seed", "3",
                 stdin="".join(typed(q) + "\n" for q in qs))
    assert result.exit_code == 0, result.output
    assert "grade:" not in result.output  # piped: no grade prompt
    with store() as s:
        log = s.reviews()
        assert [r.kind for r in log] == ["review"] * len(items)
        assert all(r.rating == 3 for r in log)  # right and 0 ms: Good, never Easy
        states = {item: s.state(*item) for item in items}
    for (_card, template), state in states.items():
        card_state = fsrs.Card.from_json(state)
        assert card_state.due - before < timedelta(days=1), (template, card_state.due)
        # exactly what fsrs gives for one Good review at that time
        at = next(r.ts for r in log if r.template == template)
        expected, _ = FSRS.review_card(fsrs.Card(card_id=0, due=at), fsrs.Rating.Good, at)
        assert state == expected.to_json()
    # at once again: practice, every due date where it was
    again = run("quiz", "relu", "-n", "12", "--seed", "4",
                stdin="".join(typed(q) + "\n" for q in questions("relu", "-n", "12",
                                                                 "--seed", "4")))
    assert "practice" in again.output and "Nothing of relu is due" in again.output
    with store() as s:
        assert {item: s.state(*item) for item in items} == states
        assert [r.kind for r in s.reviews()][len(items):] == ["practice"] * len(items)
    assert f"0 reviews, {len(items)} practice" in again.output


def drawn_first(card: str, n: int) -> str:
    """A seed whose first question is drawn from a template (it has a worked solution), not
    one of the card's choice questions."""
    return next(str(seed) for seed in range(100)
                if questions(card, "-n", str(n), "--seed", str(seed))[0]["solution"])


def test_reveal_shows_the_solution_and_counts_as_again():
    seed = drawn_first("relu", 1)
    q = questions("relu", "-n", "1", "--seed", seed)[0]
    result = run("quiz", "relu", "-n", "1", "--seed", seed, stdin="?\n")
    assert "counted as Again" in result.output
    assert q["solution"]["en"].split()[0] in result.output
    with store() as s:
        (r,) = s.reviews()
        assert (r.correct, r.rating, r.answer) == (False, 1, "?")


def test_skip_records_nothing_and_moves_on():
    qs = questions("relu", "-n", "2", "--seed", "1")
    result = run("quiz", "relu", "-n", "2", "--seed", "1", stdin="skip\n" + typed(qs[1]) + "\n")
    assert "skipped — nothing recorded" in result.output
    assert "1 review, 0 practice, 1 skipped" in result.output
    with store() as s:
        assert [(r.template, r.correct) for r in s.reviews()] == [(qs[1]["template"], True)]


def test_a_failed_question_comes_back_with_new_numbers():
    qs = questions("sigmoid", "-n", "3", "--seed", "2")
    generated = next(q for q in qs if not q["template"].startswith("fixed"))
    lines = ["9999" if q is generated else typed(q) for q in qs]
    result = run("quiz", "sigmoid", "-n", "3", "--seed", "2", stdin="\n".join(lines) + "\n")
    assert "comes back later in this session with new numbers" in result.output
    prompts = [line for line in result.output.splitlines() if line.startswith("[")]
    assert len(prompts) == 4  # three, then the failed one again
    again = prompts[-1]
    assert generated["prompt"]["en"] not in again  # never word for word
    with store() as s:
        same = [r for r in s.reviews() if r.template == generated["template"]]
    assert len(same) == 1  # the retry was not answered (end of input): nothing more


def test_a_scalar_typed_for_a_vector_gets_a_hint_not_a_mark():
    qs = questions("softmax", "-n", "6", "--seed", "1")
    vector = next(q for q in qs if q["kind"] == "vector")
    at = qs.index(vector)
    lines = [typed(q) for q in qs[:at]] + ["0.5", typed(vector)]
    result = run("quiz", "softmax", "-n", "6", "--seed", "1", stdin="\n".join(lines) + "\n")
    assert f"The answer has {len(vector['answer'])} entries; you typed 1." in result.output
    with store() as s:
        assert all(r.correct for r in s.reviews()) and len(s.reviews()) == at + 1


def test_undo_in_the_session_takes_back_the_last_answer():
    seed = drawn_first("relu", 2)
    qs = questions("relu", "-n", "2", "--seed", seed)
    shape = qs[0]["answer"] if isinstance(qs[0]["answer"], list) else [qs[0]["answer"]]
    wrong = " ".join("9" for _ in shape)  # the right shape, the wrong values
    result = run("quiz", "relu", "-n", "2", "--seed", seed,
                 stdin=wrong + "\nundo\n" + typed(qs[0]) + "\n" + typed(qs[1]) + "\n")
    assert "took back: ReLU (rectified linear unit)" in result.output
    with store() as s:
        log = s.reviews()
        assert [(r.template, r.correct) for r in log] == [(qs[0]["template"], True),
                                                         (qs[1]["template"], True)]
        assert len(s.reviews(include_undone=True)) == 3
    assert run("quiz", "relu", "-n", "1", "--seed", "9", stdin="undo\n").output.count(
        "nothing to take back") == 1


def test_a_skip_after_the_answer_undo_takes_back_is_not_counted_when_asked_again():
    """Answer the first, skip the second, undo: both come round again, so the summary counts
    the skip once only if it is made again."""
    seed = drawn_first("relu", 3)
    qs = questions("relu", "-n", "3", "--seed", seed)
    result = run("quiz", "relu", "-n", "3", "--seed", seed,
                 stdin="".join(f"{x}\n" for x in (typed(qs[0]), "skip", "undo", *map(typed, qs))))
    assert "3 reviews, 0 practice, 0 skipped" in result.output, result.output
    assert "Score 3/3" in result.output


def test_daily_new_limit_and_nothing_due_says_when_next():
    env = {"DLREF_NEW_PER_DAY": "2"}
    qs = questions("-n", "10", "--seed", "5")
    assert len(questions("-n", "10", "--seed", "5", "--new", "2")) == 2
    result = run("quiz", "-n", "10", "--seed", "5", env=env,
                 stdin="".join(typed(q) + "\n" for q in qs[:2]))
    assert "2 reviews" in result.output
    nothing = run("quiz", "-n", "10", "--seed", "6", env=env, stdin="")
    assert "Nothing is due. Next review: in 10 min" in nothing.output
    assert "dlref quiz --practice" in nothing.output
    with store() as s:
        assert s.new_today() == 2 and len(s.reviews()) == 2


# -- stats ---------------------------------------------------------------------------------------


def test_stats_after_three_wrong_answers_claims_no_retention():
    run("quiz", "relu", "-n", "3", "--seed", "1", stdin="?\n?\n?\n")
    data = json.loads(run("stats", "--json").stdout)
    assert data["accuracy"] == 0 and data["true_retention"]["today"] is None
    assert "predicted_recall" in data
    text = run("stats").output
    assert "no due reviews yet" in text and "retention 100%" not in text
    assert "prediction, not a measurement" in text


def test_heatmap_cells_from_a_hand_built_year():
    from dlref.commands.quiz import heatmap

    today = date(2026, 3, 4)  # a Wednesday
    daily = {"2026-03-04": 8, "2026-03-02": 2, "2026-03-03": 4, "2025-03-03": 6,
             "2025-01-01": 9}  # the last is more than a year back: not drawn
    rows = heatmap({k: v for k, v in daily.items() if k >= "2025-03-05"} | {"2026-03-01": 1},
                   "en", today=today).splitlines()
    assert len(rows) == 7 and [r.split()[0] for r in rows] == list("MTWTFSS")
    grid = [r[4:] for r in rows]
    assert {len(g) for g in grid} == {53}  # 53 week columns, Monday-aligned
    assert grid[0][-1] == "░" and grid[1][-1] == "▒" and grid[2][-1] == "█"  # 2, 4, 8 of 8
    assert grid[6][-2] == "░"  # Sunday 1 March, the week before
    assert grid[3][-1] == " "  # Thursday 5 March has not happened yet
    assert sum(c not in "· " for g in grid for c in g) == 4


def test_heatmap_on_a_narrow_terminal_keeps_the_latest_weeks():
    from dlref.commands.quiz import heatmap

    today = date(2026, 3, 4)  # a Wednesday
    daily = {"2026-03-04": 8, "2026-03-02": 2, "2026-01-05": 4}  # the last: the 9th week
    full = [r[4:] for r in heatmap(daily, "en", today=today).splitlines()]
    for weeks in (1, 9, 10, 40):
        grid = [r[4:] for r in heatmap(daily, "en", today=today, weeks=weeks).splitlines()]
        assert {len(g) for g in grid} == {weeks}
        assert grid == [g[-weeks:] for g in full]  # the same cells, the oldest left out
    assert heatmap(daily, "en", today=today, weeks=9).splitlines()[0][4] == "▒"
    assert "▒" not in heatmap(daily, "en", today=today, weeks=8)


def test_stats_wraps_to_a_narrow_terminal():
    run("quiz", "relu", "-n", "2", "--seed", "1", stdin="?\n?\n")
    out = drive(["stats"], [], columns=44)
    lines = out.splitlines()
    assert all(width_of(line) <= 44 for line in lines), out
    assert "  M " in out and any(line.startswith("    ") for line in lines)  # a hanging line


@pytest.mark.parametrize(("lang", "columns"), [("both", 40), ("both", 60), ("zh", 40)])
def test_stats_tables_fit_a_narrow_terminal_in_every_language(lang, columns):
    # the per-card and per-tag tables too, whose headers are wider in two languages
    run("quiz", "relu", "-n", "2", "--seed", "1", stdin="?\n?\n")
    out = drive(["stats", "--lang", lang], [], columns=columns)
    assert [line for line in out.splitlines() if width_of(line) > columns] == []
    assert "\nrelu  " in out and "激活函" in out  # the card and the tag rows are still there


# -- the single-key grade on a real terminal ---------------------------------------------------


def drive(args: list[str], keys: list[tuple[str, bytes]], columns: int = 100) -> str:
    """Run `dlref ARGS` on a pseudo-terminal; for each (wait_for, send), read until the text
    appears, then type the bytes. Returns everything the terminal showed."""
    master, slave = pty.openpty()
    env = {**os.environ, "PYTHONPATH": ROOT, "COLUMNS": str(columns)}
    proc = subprocess.Popen([sys.executable, "-m", "dlref", *args, "--color", "never"],
                            stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    seen = b""

    start = 0  # look for each text after what was there when the last keys were sent

    def read_until(text: bytes, limit: float = 30) -> None:
        nonlocal seen
        deadline = time.monotonic() + limit
        while text not in seen[start:]:
            ready, _, _ = select.select([master], [], [], max(0.0, deadline - time.monotonic()))
            assert ready, (text, seen.decode(errors="replace"))
            try:
                chunk = os.read(master, 4096)
            except OSError:
                break
            if not chunk:
                break
            seen += chunk

    for wait_for, send in keys:
        read_until(wait_for.encode())
        start = len(seen)
        os.write(master, send)
    proc.wait(timeout=60)
    while True:
        ready, _, _ = select.select([master], [], [], 0.2)
        if not ready:
            break
        try:
            chunk = os.read(master, 4096)
        except OSError:
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    assert proc.returncode == 0, seen.decode(errors="replace")
    return seen.decode(errors="replace").replace("\r\n", "\n")


def test_one_key_after_the_verdict_changes_the_grade_on_a_terminal():
    qs = questions("relu", "-n", "2", "--seed", "1")
    out = drive(["quiz", "relu", "-n", "2", "--seed", "1"],
                [("> ", typed(qs[0]).encode() + b"\n"),
                 ("Enter = Good", b"e"),  # one key, no Enter: Easy
                 ("> ", " ".join("9" for _ in qs[1]["answer"]).encode() + b"\n"),
                 ("Enter = Again", b"\r"),  # Enter keeps the default
                 ("> ", b"\x04")])  # the failed one comes back; Ctrl-D ends the session
    # the grade follows an arrow (the key may echo before the terminal leaves cooked mode)
    assert re.search(r"Enter = Good e?→ graded Easy", out), out
    assert re.search(r"Enter = Again\s*→ graded Again", out), out
    with store() as s:
        first, second = s.reviews()
        assert (first.rating, second.rating) == (4, 1)
        at = first.ts
        easy, _ = FSRS.review_card(fsrs.Card(card_id=0, due=at), fsrs.Rating.Easy, at)
        assert s.state("relu", qs[0]["template"]) == easy.to_json()


def test_a_narrow_terminal_wraps_question_and_reasons_between_words():
    """At 40 columns the question and the options' reasons break between words (any two CJK
    characters in Chinese), the reason's lines hang under its text, and nothing is lost."""
    for lang in ("en", "zh"):
        q = questions("relu", "-n", "1", "--seed", "1")[0]  # what is due changes each run
        out = drive(["quiz", "relu", "-n", "1", "--seed", "1", "--lang", lang],
                    [("> ", b"f\n"), ("Enter", b"\r")], columns=40)
        lines = [line for line in out.splitlines() if line.strip()]
        assert all(width_of(line) <= 40 for line in lines), out
        start = next(i for i, line in enumerate(lines) if line.startswith("[1/1] relu"))
        end = next(i for i, line in enumerate(lines) if line.startswith("    1/a)"))
        assert end - start >= 2, out  # the question took more than one line
        at = next(i for i, line in enumerate(lines) if line.startswith("    2) ✓"))
        reason = [lines[at].removeprefix("    2) ✓ ")]
        reason += [line[8:] for line in lines[at + 1:] if line.startswith(" " * 8)]
        assert len(reason) >= 2, out
        for text, shown in ((q["prompt"][lang], lines[start:end]),
                            (q["options"][1]["why"][lang], reason)):
            tokens = " ".join(line.strip() for line in shown).split()
            if lang == "en":  # every word of the text is whole on one line
                assert all(word in tokens for word in text.split()), (text, shown)
            assert "".join(text.split()) in "".join(tokens), (text, shown)


def test_i_dont_know_is_not_asked_for_a_grade_and_stays_again():
    """After `?` no grade is asked (the next question follows), and the review stays Again:
    a learner who said they did not know cannot rate it Easy."""
    qs = questions("relu", "-n", "2", "--seed", "1")
    out = drive(["quiz", "relu", "-n", "2", "--seed", "1"],
                [("> ", b"?\n"), ("[2/", b"\x04")])  # Ctrl-D waits in the terminal
    assert "counted as Again" in out and "[e]asy" not in out
    with store() as s:
        (review,) = s.reviews()
        assert (review.template, review.answer, review.rating) == (qs[0]["template"], "?", 1)


def test_both_languages_ask_and_grade_one_paragraph_per_language():
    q = questions("relu", "-n", "1", "--seed", "1")[0]
    out = drive(["quiz", "relu", "-n", "1", "--seed", "1", "--lang", "both"],
                [("> ", b"f\n"), ("Enter", b"\r")])
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith("[1/1] relu"))
    assert lines[start].endswith(f"{q['prompt']['en']}  ({q['hint']['en']})")
    assert lines[start + 1] == f"    {q['prompt']['zh']}  （{q['hint']['zh']}）"
    assert "  grade: [a]gain [h]ard [g]ood [e]asy · Enter = Good" in lines
    assert "  评分：[a] 重来 [h] 困难 [g] 良好 [e] 简单 · Enter = 良好" in out
    assert "graded Good · 评分：良好" in out


# -- optimize -------------------------------------------------------------------------------------


def test_optimize_with_too_few_reviews_says_how_many_more():
    run("quiz", "relu", "-n", "3", "--seed", "1", stdin="?\n?\n?\n")
    result = run("optimize")
    assert result.exit_code == 1
    assert "0 due reviews so far" in result.stderr and "(1000 more)" in result.stderr
    assert "Traceback" not in result.output


def test_nothing_due_on_a_terminal_offers_practice_that_moves_nothing():
    qs = questions("relu", "-n", "4", "--seed", "1")
    run("quiz", "relu", "-n", "4", "--seed", "1", stdin="".join(typed(q) + "\n" for q in qs))
    with store() as s:
        before = {(c, t): s.state(c, t) for c, t in s.known_items()}
    os.environ["DLREF_NEW_PER_DAY"] = "0"
    try:
        out = drive(["quiz", "-n", "1", "--seed", "2"],
                    [("[y/N]", b"y\n"),
                     ("> ", b"?\n"),
                     ("Enter = Again", b"\r"),
                     ("> ", b"\x04")])
    finally:
        del os.environ["DLREF_NEW_PER_DAY"]
    assert "Nothing is due. Next review: in" in out and "practice — due dates stay" in out
    with store() as s:
        assert {(c, t): s.state(c, t) for c, t in s.known_items()} == before
        assert s.reviews()[-1].kind == "practice" and s.reviews()[-1].rating == 1


def test_ctrl_d_on_a_terminal_ends_the_prompts_line():
    """Ctrl-D echoes nothing: the summary began right under '> ' with no blank line (piped,
    there is one), and declining the practice offer with Ctrl-D left the shell's prompt on
    the offer's line."""
    out = drive(["quiz", "relu", "-n", "2", "--seed", "5"], [("> ", b"\x04")])
    assert "\n> \n\nScore 0/0" in out, repr(out)
    os.environ["DLREF_NEW_PER_DAY"] = "0"  # nothing due, no new item: the offer
    try:
        out = drive(["quiz", "-n", "1", "--seed", "2"], [("[y/N]", b"\x04")])
    finally:
        del os.environ["DLREF_NEW_PER_DAY"]
    assert out.endswith("[y/N] \n"), repr(out)


def test_the_key_line_says_how_to_stop_on_a_terminal_only():
    # a learner at a terminal had no word for "stop"; piped, the input's end stops it
    out = drive(["quiz", "relu", "-n", "1", "--seed", "5"], [("> ", b"\x04")])
    assert "Ctrl-D = stop (answers are kept)" in out
    out = drive(["quiz", "relu", "-n", "1", "--seed", "5", "--lang", "zh"], [("> ", b"\x04")])
    assert "Ctrl-D = 结束（答案都已保存）" in out
    assert "Ctrl-D" not in run("quiz", "relu", "-n", "1", "--seed", "5", stdin="?\n").output


@pytest.mark.parametrize(("lang", "expected"), [
    ("en", "today 3  Thu 0  Fri 2  Sat 0  Sun 0  Mon 1  Tue 0"),
    ("zh", "今天 3  周四 0  周五 2  周六 0  周日 0  周一 1  周二 0"),
])
def test_the_week_ahead_names_each_day_unambiguously(lang, expected):
    # the heatmap's letters would say T for Tuesday and Thursday alike
    from dlref.commands.quiz import _week

    assert _week([3, 0, 2, 0, 0, 1, 0], lang, today=date(2026, 3, 4)) == expected  # a Wednesday
