"""`dlref quiz / stats / undo / export` as a user drives them, through pipes and signals."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from dlref.cli import main
from tests.test_cli_demo import hearing_ctrl_c


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def answers_of(questions: list[dict]) -> str:
    lines = []
    for q in questions:
        a = q["answer"]
        lines.append(" ".join(map(str, a)) if isinstance(a, list) else repr(a))
    return "\n".join(lines) + "\n"


def test_json_questions_have_the_promised_fields_and_record_nothing():
    out = run("quiz", "--seed", "7", "-n", "5", "--json-questions")
    assert out.exit_code == 0, out.output
    questions = json.loads(out.stdout)
    assert len(questions) == 5
    for q in questions:
        assert {"card", "prompt", "answer", "solution"} <= set(q)
        assert {"en", "zh"} <= set(q["prompt"])
    assert json.loads(run("stats", "--json").stdout)["reviews"] == 0


def test_same_seed_same_questions():
    a = run("quiz", "--seed", "3", "-n", "6", "--json-questions").stdout
    b = run("quiz", "--seed", "3", "-n", "6", "--json-questions").stdout
    assert a == b


def test_feeding_the_answers_back_scores_full_marks():
    questions = json.loads(run("quiz", "--seed", "7", "-n", "5", "--json-questions").stdout)
    result = run("quiz", "--seed", "7", "-n", "5", stdin=answers_of(questions))
    assert result.exit_code == 0, result.output
    assert "Score 5/5" in result.stdout
    assert json.loads(run("stats", "--json").stdout)["reviews"] == 5


def test_garbage_is_a_hint_not_a_wrong_mark():
    questions = json.loads(run("quiz", "relu", "--seed", "1", "-n", "1",
                               "--json-questions").stdout)
    result = run("quiz", "relu", "--seed", "1", "-n", "1",
                 stdin="abc\n9**9**9\n" + answers_of(questions))
    assert "Try again." in result.stdout
    assert "Score 1/1" in result.stdout
    stats = json.loads(run("stats", "--json").stdout)
    assert stats["reviews"] == 1 and stats["correct"] == 1


def test_wrong_answer_shows_the_solution_and_counts():
    questions = json.loads(run("quiz", "sigmoid", "--seed", "2", "-n", "1",
                               "--json-questions").stdout)
    result = run("quiz", "sigmoid", "--seed", "2", "-n", "1", stdin="42\n")
    assert "✗ the answer is" in result.stdout
    assert questions[0]["solution"]["en"] in result.stdout
    assert "Score 0/1" in result.stdout


def test_chinese_quiz_gives_its_verdicts_in_chinese():
    questions = json.loads(run("quiz", "sigmoid", "--seed", "2", "-n", "2",
                               "--json-questions").stdout)
    right = repr(questions[0]["answer"])
    second = questions[1]  # a wrong option if it is a choice question (42 would name none)
    wrong = (str(int(second["answer"]) % len(second["options"]) + 1) if "options" in second
             else "42")
    result = run("quiz", "sigmoid", "--seed", "2", "-n", "2", "--lang", "zh",
                 stdin=f"{right}\n{wrong}\n")
    assert "✓ 正确" in result.stdout and "✗ 答案是" in result.stdout
    assert "right" not in result.stdout and "the answer is" not in result.stdout


def test_end_of_input_ends_cleanly_with_a_summary():
    result = run("quiz", "--seed", "4", "-n", "5", stdin="")
    assert result.exit_code == 0
    assert "Score 0/0" in result.stdout
    assert "(stopped after 0 of 5 questions)" in result.stdout


def test_undo_takes_back_the_last_answer():
    questions = json.loads(run("quiz", "--seed", "9", "-n", "2", "--json-questions").stdout)
    run("quiz", "--seed", "9", "-n", "2", stdin=answers_of(questions))
    result = run("undo")
    assert result.exit_code == 0 and result.stdout.startswith("Undid ✓")
    assert json.loads(run("stats", "--json").stdout)["reviews"] == 1
    run("undo")
    nothing = run("undo")
    assert nothing.exit_code == 1 and "nothing to undo" in nothing.stderr


def test_stats_json_counts_reviews_per_card():
    questions = json.loads(run("quiz", "relu", "--seed", "5", "-n", "2",
                               "--json-questions").stdout)
    run("quiz", "relu", "--seed", "5", "-n", "2", stdin="?\n" + answers_of(questions[1:]))
    data = json.loads(run("stats", "--json").stdout)
    assert data["reviews"] == 2
    assert data["by_card"]["relu"]["reviews"] == 2
    assert run("stats").exit_code == 0


def test_stats_shows_no_empty_tag_table_for_answers_on_cards_that_are_gone():
    from dlref.quiz.store import Store

    with Store.open() as store:
        store.record("a-deleted-card", "t1", 1, True, 5_000, "1", "1")
    out = run("stats", "--lang", "en")
    assert out.exit_code == 0 and "a-deleted-card" in out.stdout
    assert not any(line.split()[:1] == ["tag"] for line in out.stdout.splitlines()), out.stdout


def test_unknown_card_is_exit_1():
    result = run("quiz", "no-such-thing")
    assert result.exit_code == 1 and "no card named" in result.stderr


def test_corrupted_progress_file_is_moved_aside(tmp_path: Path):
    home = Path(os.environ["DLREF_HOME"])
    home.mkdir(parents=True, exist_ok=True)
    (home / "progress.sqlite3").write_bytes(b"this is not a database" * 100)
    result = run("stats")
    assert result.exit_code == 0
    assert "damaged" in result.stderr
    moved = list(home.glob("progress.sqlite3.corrupt-*"))
    assert moved and moved[0].read_bytes().startswith(b"this is not a database")


def test_export_anki_holds_every_card(tmp_path: Path):
    target = tmp_path / "dlref.apkg"
    result = run("export", "anki", str(target))
    assert result.exit_code == 0, result.output
    with zipfile.ZipFile(target) as package:
        names = package.namelist()
        assert "collection.anki2" in names
        package.extract("collection.anki2", tmp_path)
    db = sqlite3.connect(tmp_path / "collection.anki2")
    fields = [row[0].split("\x1f")[0] for row in db.execute("SELECT flds FROM notes")]
    from dlref.cards import Library

    ids = set(Library.load().cards)
    assert ids <= set(fields)
    guids = [row[0] for row in db.execute("SELECT guid FROM notes")]
    assert len(set(guids)) == len(guids)
    again = tmp_path / "again.apkg"
    run("export", "anki", str(again))
    with zipfile.ZipFile(again) as package:
        package.extract("collection.anki2", tmp_path / "b")
    guids2 = [r[0] for r in sqlite3.connect(tmp_path / "b" / "collection.anki2").execute(
        "SELECT guid FROM notes")]
    assert sorted(guids) == sorted(guids2), "GUIDs must be stable across exports"


def test_export_anki_refuses_a_wrong_suffix(tmp_path: Path):
    result = run("export", "anki", str(tmp_path / "deck.zip"))
    assert result.exit_code == 2 and ".apkg" in result.stderr


def test_ctrl_c_mid_quiz_keeps_the_answers(tmp_path: Path):
    """A real process: answer two questions through a pipe, then SIGINT while it waits."""
    dlref = str(Path(sys.executable).parent / "dlref")
    env = {**os.environ}
    questions = json.loads(subprocess.run([dlref, "quiz", "--seed", "11", "-n", "4",
                                           "--json-questions"], capture_output=True,
                                          text=True, env=env, check=True).stdout)
    proc = subprocess.Popen([dlref, "quiz", "--seed", "11", "-n", "4"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=hearing_ctrl_c)
    proc.stdin.write(answers_of(questions[:2]))
    proc.stdin.flush()
    deadline = time.monotonic() + 30
    home = Path(env["DLREF_HOME"]) / "progress.sqlite3"
    while time.monotonic() < deadline:
        if home.exists():
            try:
                count = sqlite3.connect(home).execute("SELECT count(*) FROM reviews").fetchone()
            except sqlite3.Error:
                count = (0,)
            if count[0] == 2:
                break
        time.sleep(0.05)
    proc.send_signal(signal.SIGINT)
    out, err = proc.communicate(timeout=30)
    assert proc.returncode == 130, err
    assert "interrupted" in out and "Traceback" not in err
    stats = json.loads(subprocess.run([dlref, "stats", "--json"], capture_output=True,
                                      text=True, env=env, check=True).stdout)
    assert stats["reviews"] == 2


@pytest.mark.parametrize("card", ["relu", "sigmoid"])
def test_quiz_on_one_card_asks_only_that_card(card: str):
    questions = json.loads(run("quiz", card, "-n", "3", "--seed", "0",
                               "--json-questions").stdout)
    assert {q["card"] for q in questions} == {card}


def test_a_malformed_user_question_is_skipped_not_a_crash(tmp_path: Path, monkeypatch):
    source = (Path(__file__).parent / "fixtures" / "cards" / "alpha-unit.md").read_text()
    head, rest = source.split("+++\n", 2)[1:]
    bad = ('[[questions]]\nid = "q"\nanswer = "abc"\nprompt = { en = "?", zh = "？" }\n'
           'solution = { en = "!", zh = "！" }\n')
    (tmp_path / "alpha-unit.md").write_text(f"+++\n{head}{bad}+++\n{rest}")
    monkeypatch.setenv("DLREF_PATH", str(tmp_path))
    checked = run("check", str(tmp_path))
    assert checked.exit_code == 1 and "a scalar answer must be a finite number" in checked.output
    asked = run("quiz", "alpha-unit", "-n", "1", "--json-questions")
    assert asked.exit_code == 1 and "no questions for these cards yet" in asked.output
    exported = run("export", "anki", str(tmp_path / "deck.apkg"))
    assert exported.exit_code == 0, exported.output


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_commands_that_only_read_create_no_home_and_no_file(lang):
    """stats, stats --json, undo and --json-questions on a DLREF_HOME that does not exist say
    there is nothing yet and leave the disk as it was; the first quiz answer then makes it."""
    from dlref.i18n import t

    home = Path(os.environ["DLREF_HOME"])
    assert not home.exists()
    stats = run("stats", "--lang", lang)
    assert stats.exit_code == 0, stats.output
    assert stats.stdout.strip() == t("stats.none", lang)
    figures = json.loads(run("stats", "--json").stdout)
    assert (figures["reviews"], figures["items"], figures["due_now"]) == (0, 0, 0)
    undo = run("undo", "--lang", lang)
    assert undo.exit_code == 1 and t("error.nothing-to-undo", lang) in undo.stderr
    assert run("quiz", "relu", "-n", "2", "--json-questions").exit_code == 0
    assert not home.exists()
    run("quiz", "relu", "-n", "1", "--seed", "1", stdin="?\n")
    assert sqlite3.connect(home / "progress.sqlite3").execute(
        "SELECT count(*) FROM reviews").fetchone()[0] == 1
    assert json.loads(run("stats", "--json").stdout)["reviews"] == 1


@pytest.mark.parametrize(("lang", "error"), [
    ("en", "Error: Invalid value for '--new': 1001 is not in the range 0<=x<=1000."),
    ("zh", "错误：'--new' 的值无效：1001 不在范围 0<=x<=1000 内。"),
])
def test_new_takes_at_most_what_the_configs_daily_new_may_say(lang, error):
    """--new is today's daily_new: the same bound (dlref.config.DAILY_NEW_MAX), refused as a
    usage error in the learner's language, as -n's 1..500 is."""
    from dlref.config import DAILY_NEW_MAX

    assert DAILY_NEW_MAX == 1000
    result = run("quiz", "relu", "--new", "1001", "--lang", lang)
    assert result.exit_code == 2 and error in result.stderr, result.output
    assert "Traceback" not in result.output
    result = run("quiz", "relu", "-n", "1", "--new", "1000", "--json-questions")
    assert result.exit_code == 0, result.output


@pytest.fixture
def ctrl_c_raises():
    """SIGINT raises KeyboardInterrupt here, as at a terminal, even where the tests run with
    SIGINT ignored (see `hearing_ctrl_c`); put back afterwards."""
    old = signal.signal(signal.SIGINT, signal.default_int_handler)
    yield
    signal.signal(signal.SIGINT, old)


def ctrl_c_after(monkeypatch, method: str) -> None:
    """Ctrl-C the moment the store has committed `method` (record, undo): a real SIGINT to
    this process, delivered before the session has heard back from the store."""
    from dlref.quiz.store import Store

    real = getattr(Store, method)

    def then_ctrl_c(self, *args, **kwargs):
        done = real(self, *args, **kwargs)
        os.kill(os.getpid(), signal.SIGINT)
        return done

    monkeypatch.setattr(Store, method, then_ctrl_c)


def saved() -> int:
    from dlref.quiz.store import Store

    with Store.open(create=False) as store:
        return len(store.reviews())


def test_ctrl_c_just_after_an_answer_is_saved_counts_it_in_the_summary(monkeypatch,
                                                                      ctrl_c_raises):
    """The store had the answer and the summary said 0/0: the interrupt came between the
    commit and the session's count of it."""
    ctrl_c_after(monkeypatch, "record")
    result = run("quiz", "relu", "-n", "3", "--seed", "4", "--practice", stdin="?\n")
    assert result.exit_code == 130, result.output
    assert saved() == 1
    assert "interrupted" in result.stdout and "Score 0/1 " in result.stdout, result.stdout
    assert "0 reviews, 1 practice" in result.stdout


def test_ctrl_c_just_after_undo_is_saved_leaves_the_answer_out_of_the_summary(monkeypatch,
                                                                             ctrl_c_raises):
    ctrl_c_after(monkeypatch, "undo")
    result = run("quiz", "relu", "-n", "3", "--seed", "4", "--practice", stdin="?\nundo\n")
    assert result.exit_code == 130, result.output
    assert saved() == 0
    assert "Score 0/0 " in result.stdout and "0 practice" in result.stdout, result.stdout


def test_a_chinese_input_methods_question_mark_is_i_dont_know():
    """？ (full width, what a Chinese input method types) was read as an answer, and the hint
    said the character '?' was not understood, though ? is the key for 'I don't know'."""
    result = run("quiz", "relu", "-n", "2", "--seed", "5", "--practice", "--lang", "zh",
                 stdin="？\nＳＫＩＰ\n")
    assert result.exit_code == 0, result.output
    assert "无法识别" not in result.stdout
    assert "得分 0/1" in result.stdout and "跳过 1 次" in result.stdout, result.stdout
