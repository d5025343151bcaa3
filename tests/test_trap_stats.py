"""`dlref stats` lists the known mistakes (traps) a learner falls into most (issue 13).

The mistake is made here by hand (Adam's first step without bias correction, from the prompt's
numbers), answered in a session, and must come back out of the store and the CLI, counted;
right answers, wrong answers no mistake explains, and undone answers are not counted.
"""

from __future__ import annotations

import json
import math
import re
import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from dlref.cli import main
from dlref.quiz import store as store_module
from dlref.quiz.questions import generate
from dlref.quiz.session import Session
from dlref.quiz.store import Store, StoreError

NO_BIAS_CORRECTION = "Adam's step without bias correction"


def after(text: str, name: str) -> float:
    """The number following `name = ` in a prompt."""
    return float(re.search(re.escape(name) + r"\s*=\s*(-?\d+(?:\.\d+)?)", text)[1])


def adam_without_bias_correction(prompt: str) -> str:
    """Adam's first step made with m₁ and v₁ used as they are (not divided by 1 − βᵗ),
    typed to the 4 decimals the prompt asks for."""
    lr, w, g = after(prompt, "η"), after(prompt, "w"), after(prompt, "g")
    m, v = 0.1 * g, 0.001 * g * g
    return f"{w - lr * m / (math.sqrt(v) + 1e-8):.4f}"


def test_a_diagnosed_mistake_is_recorded_and_counted_until_undone(tmp_path: Path):
    with Store.open(tmp_path / "p.sqlite3") as store:
        qs = [generate("adam", "first-step", seed) for seed in (1, 2, 3)]
        session = Session(list(qs), store)
        first = session.answer(qs[0], adam_without_bias_correction(qs[0].prompt["en"]), 900)
        assert not first.correct and NO_BIAS_CORRECTION in first.trap.name["en"]
        session.answer(qs[1], adam_without_bias_correction(qs[1].prompt["en"]), 900)
        session.answer(qs[2], "123", 900)  # wrong, but no known mistake explains it
        assert session.outcomes[-1].trap is None
        [counted] = store.stats()["traps"]
        assert counted["count"] == 2 and counted["card"] == "adam"
        assert counted["item"] == "adam/first-step"
        assert NO_BIAS_CORRECTION in counted["mistake"]["en"]
        assert "偏差校正" in counted["mistake"]["zh"]
        assert [r.trap is not None for r in store.reviews()] == [True, True, False]
        session.undo()  # the wrong answer no mistake explains
        session.undo()  # the second mistake
        assert [t["count"] for t in store.stats()["traps"]] == [1]


def test_a_right_answer_records_no_mistake(tmp_path: Path):
    with Store.open(tmp_path / "p.sqlite3") as store:
        q = generate("adam", "first-step", 4)
        outcome = Session([q], store).answer(q, f"{q.answer:.4f}", 900)
        assert outcome.correct and outcome.trap is None
        assert store.stats()["traps"] == []


def _piped_mistake(*extra: str):
    """`dlref quiz adam` answered with the step computed without bias correction."""
    runner = CliRunner()
    qs = json.loads(runner.invoke(main, ["quiz", "adam", "--seed", "5", "-n", "8",
                                         "--json-questions"]).stdout)
    k = next(i for i, q in enumerate(qs) if q["template"] == "first-step")
    answers = ["skip"] * k + [adam_without_bias_correction(qs[k]["prompt"]["en"])]
    out = runner.invoke(main, ["quiz", "adam", "--seed", "5", "-n", str(k + 1), *extra],
                        input="\n".join(answers) + "\n")
    assert out.exit_code == 0, out.output
    return out


@pytest.mark.parametrize(("lang", "heading", "mistake"), [
    ("en", "Mistakes made most", "Adam's step without bias correction"),
    ("zh", "最常犯的错误", "Adam 这一步没做偏差校正"),
])
def test_stats_lists_the_mistakes_fallen_into(lang: str, heading: str, mistake: str):
    _piped_mistake()
    out = CliRunner().invoke(main, ["stats", "--lang", lang])
    assert out.exit_code == 0, out.output
    section = out.stdout.split(heading)[1]
    row = next(line for line in section.splitlines() if mistake in line)
    assert row.split()[-2:] == ["adam", "1"]
    data = json.loads(CliRunner().invoke(main, ["stats", "--json"]).stdout)
    assert [(t["item"], t["count"]) for t in data["traps"]] == [("adam/first-step", 1)]


def test_stats_without_mistakes_has_no_mistake_table():
    runner = CliRunner()
    runner.invoke(main, ["quiz", "relu", "--seed", "1", "-n", "1"], input="?\n")
    out = runner.invoke(main, ["stats"])
    assert out.exit_code == 0 and "Mistakes made most" not in out.stdout


def version_2_file(path: Path, card: str, template: str, correct: int, rating: int,
                   answer: str, expected: str) -> Path:
    """A progress file as dlref's schema version 2 wrote it, with one first review."""
    db = sqlite3.connect(path, isolation_level=None)
    store_module.MIGRATIONS[1](db)
    store_module.MIGRATIONS[2](db)
    db.execute("PRAGMA user_version = 2")
    db.execute("INSERT INTO reviews (ts, card, template, seed, correct, rating, elapsed_ms,"
               " answer, expected, state_before, kind, phase) VALUES"
               " ('2026-01-02T03:04:05.000000+00:00', ?, ?, 1, ?, ?, 900, ?, ?, NULL,"
               " 'review', 0)", (card, template, correct, rating, answer, expected))
    db.close()
    return path


def test_a_version_2_file_is_migrated_and_its_answers_have_no_mistake(tmp_path: Path):
    path = version_2_file(tmp_path / "p.sqlite3", "adam", "first-step", 0, 1, "0.7968", "0.799")
    with Store.open(path) as store:
        assert store._db.execute("PRAGMA user_version").fetchone()[0] == 3
        [old] = store.reviews()
        assert old.trap is None and old.answer == "0.7968"
        assert store.stats()["traps"] == []


def test_a_trap_dlref_did_not_write_is_refused_naming_the_review(tmp_path: Path):
    with Store.open(tmp_path / "p.sqlite3") as store:
        q = generate("adam", "first-step", 1)
        Session([q], store).answer(q, adam_without_bias_correction(q.prompt["en"]), 900)
        store._db.execute("UPDATE reviews SET trap = '[1, 2]'")
        with pytest.raises(StoreError, match=r"review 1: trap = '\[1, 2\]'"):
            store.stats()
        with pytest.raises(StoreError, match="review 1"):
            store.reviews()
