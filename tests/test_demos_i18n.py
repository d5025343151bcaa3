"""Every demo speaks the learner's language: each word a learner reads in a result — plot and
table titles, column headers, axis labels, legend entries, metric labels, table cells and notes —
picked in Chinese holds no English word, and picked in English holds no Chinese.

Demos are discovered from `dlref.demos.NAMES`, so a demo added later is checked too. A result is
checked as the default run and, for a step-wise demo, its first frame.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

import numpy as np
import pytest
from test_demos_all import knob_cases

from dlref import demos
from dlref.demos.base import Result
from dlref.i18n import Text, pick

# What may stay in Latin letters inside Chinese text: notation, and the names of functions,
# methods, models, people and software that d2l-zh itself writes in Latin letters. Never
# ordinary words. Compared in lower case; hyphenated names are one token.
ALLOW = frozenset({
    # mathematical notation: functions and quantities
    "log", "sin", "cos", "sign", "max", "min", "var", "mse", "mae", "bce",
    "sigmoid", "tanh", "softmax", "relu", "leakyrelu", "elu", "prelu", "gelu", "silu",
    "swish", "swiglu",
    "logit", "logits",  # no standard Chinese term; d2l-zh and PyTorch's documentation keep it
    # named methods and models
    "sgd", "adam", "adamw", "adagrad", "rmsprop", "ista", "xavier", "kaiming", "rnn", "lstm",
    "gru", "alexnet", "transformer", "bert", "gpt", "llama",
    # people and software
    "mcculloch", "pitts", "rosenbrock", "pytorch", "scikit-learn",
})
GATES = frozenset({"AND", "NAND", "XOR"})  # logic gates: allowed in capitals only (not "and")
WORD = re.compile(r"[A-Za-z]+(?:-[A-Za-z]+)*")  # hyphenated names stay whole: scikit-learn
CODE = re.compile(r"[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+")  # snake_case in a note is code (a kernel)
CJK = re.compile(r"[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]")


def results(name: str) -> Iterator[tuple[str, Result]]:
    demo = demos.get(name)
    yield "default run", demo.run(demo.defaults(), np.random.default_rng(0))
    if demo.frames is not None:
        yield "first frame", next(iter(demo.frames(demo.defaults(), np.random.default_rng(0))))


def texts(result: Result) -> Iterator[tuple[str, Text]]:
    """(where, text) for every piece of text a learner reads in a result, except the notes."""
    for p in result.plots:
        yield "plot title", p.title
        yield f"x label of {p.title!r}", p.xlabel
        yield f"y label of {p.title!r}", p.ylabel
        for s in p.series:
            yield f"series of {p.title!r}", s.label
    for tb in result.tables:
        yield "table title", tb.title
        for c in tb.columns:
            yield f"column of {tb.title!r}", c
        for row in tb.rows:
            for cell in row:
                if isinstance(cell, str | Mapping):
                    yield f"cell of {tb.title!r}", cell
    for name in result.metrics:
        yield f"label of metric {name!r}", result.metric_label(name)


def english_words(text: str) -> list[str]:
    return [w for w in WORD.findall(text)
            if len(w) >= 3 and w.lower() not in ALLOW and w not in GATES]


def problems(result: Result) -> list[str]:
    found = []
    for where, text in texts(result):
        if words := english_words(pick(text, "zh")):
            found.append(f"zh {where}: {pick(text, 'zh')!r} has {words}")
        if CJK.search(pick(text, "en")):
            found.append(f"en {where}: {pick(text, 'en')!r} has Chinese")
    for note in result.notes_in("zh"):
        if words := english_words(CODE.sub("", note)):
            found.append(f"zh note {note!r} has {words}")
    for note in result.notes_in("en"):
        if CJK.search(note):
            found.append(f"en note {note!r} has Chinese")
    return found


@pytest.mark.parametrize("name", demos.NAMES)
def test_every_word_is_in_the_chosen_language(name):
    found = [f"{when}: {p}" for when, result in results(name) for p in problems(result)]
    assert not found, "\n".join(found)


@pytest.mark.parametrize("name", demos.NAMES)
def test_every_knob_bound_and_choice_too(name):
    """Notes and labels that only some knob values reach (a diverged run, another optimiser)."""
    demo = demos.get(name)
    found = []
    for knob, value in knob_cases(demo):
        result = demo.run(demo.defaults() | {knob: value}, np.random.default_rng(0))
        found += [f"{knob}={value}: {p}" for p in problems(result)]
    assert not found, "\n".join(dict.fromkeys(found))


def test_the_check_catches_english_in_chinese_and_chinese_in_english():
    from dlref.demos.base import Plot, Series, Table
    leaky = Result(plots=[Plot({"en": "loss", "zh": "损失"}, [Series("loss", [0.0], [1.0])],
                               xlabel="step", ylabel="x")],
                   tables=[Table("values", ["x", {"en": "gradient", "zh": "梯度"}], [])],
                   notes={"en": ["fine", "学习率"], "zh": ["学习率 lr 很大"]},
                   metrics={"accuracy": 1.0, "x": 0.0})
    found = problems(leaky)
    assert any("series" in p and "'loss'" in p for p in found)
    assert any("x label" in p and "'step'" in p for p in found)
    assert not any("y label" in p for p in found)  # "x" is notation
    assert any("table title" in p for p in found)
    assert any("'accuracy'" in p for p in found) and not any("'x'" in p for p in found)
    assert any(p.startswith("en note") for p in found)
    assert not any(p.startswith("zh note") for p in found)  # "lr" is two letters
    assert english_words("ReLU 与 Adam 和 SGD") == []
    assert english_words("训练 loss") == ["loss"]
    leaky_code = Result(notes={"en": ["x"], "zh": ["用 linear_backward 计算，loss的l1_grad"]})
    assert problems(leaky_code) == ["zh note '用 linear_backward 计算，loss的l1_grad' has ['loss']"]
    assert english_words("与 scikit-learn 一致") == [] and english_words("learn") == ["learn"]
    assert english_words("AND 与 XOR") == [] and english_words("w and b") == ["and"]
    leaky_cell = Result(tables=[Table("x", ["k"], [[{"en": "masked", "zh": "masked"}],
                                                    [{"en": "被掩蔽", "zh": "被掩蔽"}]])])
    found = problems(leaky_cell)  # bilingual cells are checked in both languages
    assert len(found) == 2 and "zh cell" in found[0] and found[1].startswith("en cell")


def test_a_metric_label_in_one_form_for_both_languages_is_a_symbol_not_a_word():
    """A label given once (not per language) is shown to Chinese readers too: ‖w‖₁, TP, ŷ are
    fine, an English word ("max p") is not."""
    import re

    import numpy as np

    from dlref import demos

    for name in demos.NAMES:
        demo = demos.get(name)
        result = demo.run(demo.defaults(), np.random.default_rng(0))
        for key in result.metrics:
            label = result.metric_label(key)
            if isinstance(label, str):
                assert not re.search(r"[a-z]{2,}", label), (name, key, label)


@pytest.mark.parametrize("name", demos.NAMES)
def test_every_choice_is_shown_in_the_chosen_language(name):
    """A choice knob's values as a learner reads them (the app's lists, `dlref demo --list`, a
    refused knob's message): in Chinese a word (二次函数, not quadratic) or a name d2l-zh writes
    in Latin letters (Adam, ReLU); in English no Chinese; in neither a code identifier
    (leaky_relu). The value itself stays what `--set` takes."""
    found = []
    for knob in demos.get(name).knobs:
        for value in knob.choices:
            zh, en = knob.choice_label(value, "zh"), knob.choice_label(value, "en")
            if words := english_words(zh):
                found.append(f"{knob.name}={value}: zh {zh!r} has {words}")
            if CJK.search(en):
                found.append(f"{knob.name}={value}: en {en!r} has Chinese")
            found += [f"{knob.name}={value}: {lang} {text!r} is code"
                      for lang, text in (("zh", zh), ("en", en)) if CODE.search(text)]
    assert not found, "\n".join(found)


# Chinese typesetting as d2l-zh sets it: Latin letters, digits, Greek and superscripts (a
# formula, a name, a number) are spaced from a Chinese character (`二次函数 0.1x² + 2y² 上`,
# `第 1 层`), and two Chinese characters are never spaced apart (`正态分布初始化`). A subscript
# index on a Chinese name (层规范化₁) is notation, not text, and may touch it.
HAN = "[\u4e00-\u9fff]"
LATIN = "[A-Za-z0-9\u0370-\u03ff\u00b2\u00b3\u00b9\u2070-\u2079\u2032]"
UNSPACED = re.compile(f"{LATIN}{HAN}|{HAN}{LATIN}|{HAN} +{HAN}")


def shown_texts(demo) -> Iterator[tuple[str, Text]]:
    """Every text of a demo a learner reads: its title, knob and choice labels, and the
    results (with their notes) of the default run and each knob at its bounds and choices."""
    yield "title", demo.title
    for knob in demo.knobs:
        yield f"knob {knob.name}", knob.label
        for value in knob.choices:
            yield f"choice {knob.name}={value}", knob.choice_labels.get(value, value)
    for knob, value in [(None, None), *knob_cases(demo)]:
        values = demo.defaults() if knob is None else demo.defaults() | {knob: value}
        runs = [demo.run(values, np.random.default_rng(0))]
        if demo.frames is not None:
            runs.append(next(iter(demo.frames(values, np.random.default_rng(0)))))
        for result in runs:
            yield from texts(result)
            for note in result.notes_in("zh"):
                yield "note", note


@pytest.mark.parametrize("name", demos.NAMES)
def test_chinese_is_spaced_from_latin_and_not_within(name):
    found = {f"{where}: {pick(text, 'zh')!r} at {UNSPACED.findall(pick(text, 'zh'))}"
             for where, text in shown_texts(demos.get(name)) if UNSPACED.search(pick(text, "zh"))}
    assert not found, "\n".join(sorted(found))


def test_the_spacing_check_tells_right_from_wrong():
    wrong = ["二次函数 0.1x² + 2y²上的下降路径", "第1层", "sigmoid的导数", "正态分布 初始化",
             "λ上"]
    right = ["二次函数 0.1x² + 2y² 上的下降路径", "第 1 层", "x 轴", "Rosenbrock 函数上",
             "正态分布初始化", "层规范化₁", "最大 |误差|", "（Adam）", "50% 的点", "3×3 重叠"]
    assert all(UNSPACED.search(text) for text in wrong)
    assert not any(UNSPACED.search(text) for text in right)
