"""Choice questions written as content, and the quiz's diagnosis of wrong answers."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dlref.cards import Library
from dlref.cards.validate import check_library
from dlref.cli import main
from dlref.quiz.questions import fixed_questions, seeded, shuffled

FIX = Path(__file__).parent / "fixtures"
LIBRARY = Library.load()


def run(*args: str, stdin: str | None = None):
    return CliRunner().invoke(main, list(args), input=stdin)


def choices(card_id: str):
    return [q for q in fixed_questions(LIBRARY.cards[card_id]) if q.options]


@pytest.mark.parametrize("card_id", sorted(LIBRARY.cards))
def test_every_bundled_card_has_two_choice_questions_with_one_right_option(card_id: str):
    qs = choices(card_id)
    assert len(qs) >= 2
    for q in qs:
        assert sum(o.right for o in q.options) == 1
        assert 2 <= len(q.options) <= 5
        assert q.options[int(q.answer) - 1].right
        for o in q.options:
            for lang in ("en", "zh"):
                assert o.text[lang].strip() and o.why[lang].strip()
        assert re.search(r"[\u4e00-\u9fff]", q.prompt["zh"])


def test_the_relu_sgn_question_is_true_false_and_false():
    [q] = [q for q in choices("relu") if "sgn(x)" in q.prompt["en"] and len(q.options) == 2]
    assert [o.text["en"] for o in q.options] == ["True", "False"]
    assert q.answer == 2.0


def test_options_are_shuffled_by_seed_and_the_answer_follows():
    [q] = [q for q in choices("convolution") if len(q.options) == 4]
    orders = set()
    for seed in range(30):
        s = shuffled(q, seed)
        assert s.options[int(s.answer) - 1].text["en"] == "1"
        assert shuffled(q, seed).options == s.options  # same seed, same order
        orders.add(tuple(o.text["en"] for o in s.options))
    assert len(orders) >= 6
    tf = [q for q in choices("relu") if len(q.options) == 2]
    assert all(seeded(tf, 5)[i].options == tf[i].options for i in range(len(tf)))


@pytest.mark.parametrize(("typed", "number"), [
    ("2", 2), ("b", 2), ("B", 2), ("b)", 2), (" 4 ", 4), ("d.", 4), ("5", None), ("e", None),
    ("0", None), ("true", None), ("1.5", None), ("２", 2), ("²", None), ("9" * 5000, None),
])
def test_an_option_is_named_by_number_or_letter(typed: str, number):
    [q] = [q for q in choices("convolution") if len(q.options) == 4]
    assert q.choice_number(typed) == number


@pytest.mark.parametrize(("typed", "number"), [
    ("t", 1), ("True", 1), ("对", 1), ("f", 2), ("FALSE", 2), ("错", 2), ("1", 1), ("b", 2),
    ("c", None),
])
def test_true_false_also_takes_t_and_f(typed: str, number):
    q = choices("relu")[0]
    assert q.choice_number(typed) == number


def _card_with(tmp_path: Path, question: str) -> Library:
    source = (FIX / "cards" / "alpha-unit.md").read_text()
    head, rest = source.split("+++\n", 2)[1:]
    (tmp_path / "alpha-unit.md").write_text(f"+++\n{head}{question}\n+++\n{rest}")
    return Library.load([(tmp_path, False)])


GOOD = '''
[[questions]]
id = "pick"
kind = "choice"
prompt = { en = "Which?", zh = "哪个？" }
options = [
  { text = { en = "A", zh = "甲" }, why = { en = "right", zh = "对" }, right = true },
  { text = { en = "B", zh = "乙" }, why = { en = "no", zh = "不" } },
  { text = { en = "C", zh = "丙" }, why = { en = "no", zh = "不" } },
]
'''


def _messages(tmp_path: Path, text: str) -> list[str]:
    return [e.message for e in check_library(_card_with(tmp_path, text))]


def test_a_good_choice_question_passes_check_and_is_asked(tmp_path: Path):
    assert [m for m in _messages(tmp_path, GOOD) if "question" in m] == []
    [q] = fixed_questions(_card_with(tmp_path, GOOD).cards["alpha-unit"])
    assert q.answer == 1.0 and len(q.options) == 3


@pytest.mark.parametrize(("change", "message"), [
    (lambda s: s.replace('why = { en = "no", zh = "不" } },\n  { text = { en = "C"',
                         'why = { en = "no", zh = "不" }, right = true },\n  { text = { en = "C"'),
     "exactly one option with right = true; found 2"),
    (lambda s: s.replace(', right = true', ''), "exactly one option with right = true; found 0"),
    (lambda s: s.replace('why = { en = "right", zh = "对" }', 'why = { en = "right" }'),
     "option 1: 'why' lacks zh"),
    (lambda s: s.replace('text = { en = "B", zh = "乙" }', 'text = { zh = "乙" }'),
     "option 2: 'text' lacks en"),
    (lambda s: s.replace('  { text = { en = "C", zh = "丙" }, why = { en = "no", zh = "不" } },\n',
                         ''), "3 to 5 tables"),
    (lambda s: s.replace('prompt = { en = "Which?", zh = "哪个？" }', 'prompt = { en = "Which?" }'),
     "'prompt' lacks zh"),
])
def test_check_names_what_is_wrong_with_a_choice_question(tmp_path: Path, change, message):
    text = change(GOOD)
    assert text != GOOD
    messages = _messages(tmp_path, text)
    assert any(message in m for m in messages), messages
    assert fixed_questions(_card_with(tmp_path, text).cards["alpha-unit"]) == []


def test_check_wants_a_boolean_answer_and_a_reason_for_true_false(tmp_path: Path):
    text = '''
[[questions]]
id = "tf"
kind = "true-false"
prompt = { en = "True or false: x.", zh = "判断对错：x。" }
answer = "yes"
'''
    messages = _messages(tmp_path, text)
    assert any("'answer' must be true or false" in m for m in messages), messages
    assert any("'why' lacks en, zh" in m for m in messages), messages


# --- the quiz, as a learner drives it ------------------------------------------------------


def _typed(q: dict) -> str:
    a = q["answer"]
    return " ".join(map(str, a)) if isinstance(a, list) else repr(a)


def _json(*args: str) -> list[dict]:
    out = run("quiz", *args, "--json-questions")
    assert out.exit_code == 0, out.output
    return json.loads(out.stdout)


def test_a_true_false_question_is_answered_by_its_option_number():
    qs = _json("relu", "--seed", "1", "-n", "8")
    k = next(i for i, q in enumerate(qs) if "sgn(x)" in q["prompt"]["en"] and "options" in q)
    answers = [_typed(q) for q in qs[:k]] + ["2"]
    out = run("quiz", "relu", "--seed", "1", "-n", str(k + 1), stdin="\n".join(answers) + "\n")
    assert out.exit_code == 0, out.output
    tail = out.stdout.split(f"[{k + 1}/{k + 1}]")[1]
    assert "1/a) True" in tail and "2/b) False" in tail
    assert "✓ right" in tail and "2) ✓ False: It is the step function" in tail
    out = run("quiz", "relu", "--seed", "1", "-n", str(k + 1), "--lang", "zh",
              stdin="\n".join(answers) + "\n")
    zh_tail = out.stdout.split(f"[{k + 1}/{k + 1}]")[1]  # the second run may plan another item
    assert re.search(r"\d\) ✓ [对错]：\S", zh_tail) and not re.search(r"[对错]: ", zh_tail)


def test_a_choice_question_is_answered_by_letter_and_a_wrong_one_shows_the_reasons(
        tmp_path: Path, monkeypatch):
    qs = _json("convolution", "--seed", "4", "-n", "12")
    k = next(i for i, q in enumerate(qs) if len(q.get("options", [])) == 4)
    right = int(qs[k]["answer"])
    wrong_letter = "abcd"[right % 4]
    answers = [_typed(q) for q in qs[:k]] + [wrong_letter]
    out = run("quiz", "convolution", "--seed", "4", "-n", str(k + 1),
              stdin="\n".join(answers) + "\n")
    tail = out.stdout.split(f"[{k + 1}/{k + 1}]")[1]
    assert f"✗ the answer is {right} ({'abcd'[right - 1]})" in tail
    assert "H − 3 + 1 = H − 2" in tail  # every option's reason
    answers[-1] = "abcd"[right - 1]
    monkeypatch.setenv("DLREF_HOME", str(tmp_path))  # a fresh store: the same plan again
    out = run("quiz", "convolution", "--seed", "4", "-n", str(k + 1),
              stdin="\n".join(answers) + "\n")
    assert "✓ right" in out.stdout.split(f"[{k + 1}/{k + 1}]")[1]


@pytest.mark.parametrize(("lang", "said"), [("en", "Looks like: Adam's step without bias "
                                                    "correction"),
                                            ("zh", "看来是：Adam 这一步没做偏差校正")])
def test_adam_without_bias_correction_is_diagnosed_in_the_learners_language(lang, said):
    qs = _json("adam", "--seed", "5", "-n", "8")
    k = next(i for i, q in enumerate(qs) if q["template"] == "first-step")
    trap = qs[k]["traps"][0]["value"]
    answers = [_typed(q) for q in qs[:k]] + [str(trap)]
    out = run("quiz", "adam", "--seed", "5", "-n", str(k + 1), "--lang", lang,
              stdin="\n".join(answers) + "\n")
    assert out.exit_code == 0, out.output
    tail = out.stdout.split(f"[{k + 1}/{k + 1}]")[1]
    assert said in tail
    assert "dlref show adam" in tail


def test_both_languages_say_each_hint_and_diagnosis_once_per_language():
    """--lang both: the English paragraph or half-line carries the English field, the Chinese
    one the Chinese field (not both languages inside each)."""
    qs = _json("adam", "--seed", "5", "-n", "8")
    k = next(i for i, q in enumerate(qs) if q["template"] == "first-step")
    answers = [_typed(q) for q in qs[:k]] + ["abc", str(qs[k]["traps"][0]["value"])]
    out = run("quiz", "adam", "--seed", "5", "-n", str(k + 1), "--lang", "both",
              stdin="\n".join(answers) + "\n")
    assert out.exit_code == 0, out.output
    lines = out.stdout.split(f"[{k + 1}/{k + 1}]")[1].split("\n")
    english_prompt, chinese_prompt = lines[0], lines[1]
    hint = qs[k]["hint"]
    assert english_prompt.count(hint["en"]) == 1 and hint["zh"] not in english_prompt, lines[:2]
    assert chinese_prompt.count(hint["zh"]) == 1 and hint["en"] not in chinese_prompt, lines[:2]
    names = "e, pi, exp, ln, log, log2, log10, sqrt, tanh"
    assert [line.strip() for line in lines if "Try again" in line or "请再试一次" in line] == [
        f"? Unknown name 'abc' (known: {names}). Try again.",
        f"? 无法识别“abc”（可用：{names}）。请再试一次。"]
    english = next(line for line in lines if "Looks like:" in line)
    chinese = next(line for line in lines if "看来是：" in line)
    assert "Adam's step without bias correction" in english and "偏差" not in english
    assert "Adam 这一步没做偏差校正" in chinese and "without" not in chinese


def test_a_wrong_answer_no_mistake_explains_gets_no_diagnosis():
    qs = _json("adam", "--seed", "5", "-n", "3")
    wrong = [str(int(q["answer"]) % len(q["options"]) + 1) if "options" in q  # another option
             else " ".join("123" for _ in q["answer"]) if isinstance(q["answer"], list)
             else "123" for q in qs]
    out = run("quiz", "adam", "--seed", "5", "-n", "3", stdin="\n".join(wrong) + "\n")
    assert out.stdout.count("✗") == 3
    assert "Looks like" not in out.stdout
    assert len(qs) == 3


@pytest.mark.parametrize("typed", ["5", "0", "1.5", "e", "pi", "x", "-1", "²", "9" * 5000])
def test_an_answer_that_names_no_option_is_a_hint_not_a_wrong_mark(tmp_path: Path, typed: str):
    from dlref.quiz.answer import AnswerError
    from dlref.quiz.session import Session
    from dlref.quiz.store import Store

    [q] = [q for q in choices("relu") if len(q.options) == 4]
    with Store.open(tmp_path / "p.sqlite3") as store:
        session = Session([q], store)
        with pytest.raises(AnswerError) as info:
            session.answer(q, typed, 900)
        assert "1–4 or a–d" in info.value.en and "1–4 或字母 a–d" in info.value.zh
        assert store.reviews() == [] and session.outcomes == []
        letter = "abcd"[int(q.answer) - 1]  # a letter is read in the session itself too
        assert session.answer(q, letter.upper(), 900).correct
        assert [r.answer for r in store.reviews()] == [str(int(q.answer))]


def test_the_cli_asks_again_when_an_answer_names_no_option():
    qs = _json("relu", "--seed", "1", "-n", "8")
    k = next(i for i, q in enumerate(qs) if "sgn(x)" in q["prompt"]["en"] and "options" in q)
    out = run("quiz", "relu", "--seed", "1", "-n", str(k + 1),
              stdin="skip\n" * k + "3\n2\n")
    tail = out.stdout.split(f"[{k + 1}/{k + 1}]")[1]
    assert "That names no option (1 or t = true, 2 or f = false)" in tail
    assert "✓ right" in tail
    data = json.loads(run("stats", "--json").stdout)
    assert data["reviews"] == 1 and data["correct"] == 1


def test_the_adam_diagnosis_points_to_a_misconception_that_explains_it():
    from dlref.quiz.questions import generate

    q = generate("adam", "first-step", 1)
    [trap] = [t for t in q.traps if "without bias correction" in t.name["en"]]
    card = LIBRARY.cards[trap.card or q.card]
    factor = f"{0.1 / 0.001 ** 0.5:.2f}"  # the first step without correction, in units of η
    en = card.section("en", "misconceptions").text
    zh = card.section("zh", "misconceptions").text
    assert "Bias correction is a detail you can leave out" in en and f"{factor}·η" in en
    assert "偏差校正只是细节" in zh and f"{factor}·η" in zh
