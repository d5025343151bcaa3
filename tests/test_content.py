"""The bundled cards hold to the content rules: complete, bilingual, consistent, their own words."""

from __future__ import annotations

import re
import sys
from pathlib import Path

import numpy as np
import pytest

from dlref import demos
from dlref.cards import SECTION_KEYS, Library, normalize
from dlref.cards.validate import check_library

sys.path.insert(0, str(Path(__file__).parent / "fixtures"))
from make_seed_shingles import RUN, digest, normalise  # noqa: E402

LIBRARY = Library.load()
CARDS = list(LIBRARY.cards.values())
IDS = [c.id for c in CARDS]
SEEDS = Path(__file__).parent / "fixtures" / "seed_shingles.bin"
REQUIRED = {
    "neuron", "neural-network", "supervised-learning", "activation-function",
    "universal-approximation", "sigmoid", "tanh", "relu", "leaky-relu", "elu", "prelu",
    "softmax", "gradient", "gradient-descent", "backpropagation", "vanishing-gradient",
    "exploding-gradient", "loss-function", "mse", "mae", "cross-entropy", "momentum",
    "adagrad", "rmsprop", "adam", "weight-initialization", "overfitting", "l1-regularization",
    "l2-regularization", "dropout", "batch-normalization", "cnn", "convolution", "pooling",
    "rnn", "lstm", "gru", "precision-recall", "f1-score", "deep-belief-network",
}


def test_every_concept_has_a_card():
    assert REQUIRED <= set(IDS), sorted(REQUIRED - set(IDS))


def test_check_passes_on_the_bundled_content():
    assert [str(e) for e in check_library(LIBRARY)] == []


@pytest.mark.parametrize("card", CARDS, ids=IDS)
def test_both_languages_with_every_section(card):
    for lang in ("en", "zh"):
        assert [s.key for s in card.sections(lang)] == list(SECTION_KEYS)
        assert card.title.get(lang)
    zh_text = " ".join(s.text for s in card.sections("zh"))
    assert len(re.findall(r"[\u4e00-\u9fff]", zh_text)) > 200, "the Chinese must be Chinese"


@pytest.mark.parametrize("card", CARDS, ids=IDS)
def test_every_alias_finds_its_card(card):
    for name in card.names():
        assert LIBRARY.find(name) is card, name


def test_no_name_belongs_to_two_cards():
    owners: dict[str, set[str]] = {}
    for card in CARDS:
        for name in card.names():
            owners.setdefault(normalize(name), set()).add(card.id)
    assert {k: v for k, v in owners.items() if len(v) > 1} == {}


@pytest.mark.parametrize(
    ("name", "card_id"),
    [("批归一化", "batch-normalization"), ("池化", "pooling"),
     ("weight decay", "l2-regularization"), ("xavier", "weight-initialization"),
     ("Batch Normalization", "batch-normalization"),
     ("线性整流函数", "relu"), ("ReLU", "relu"), ("暂退法", "dropout"), ("梯度", "gradient"),
     # issue 16: names that found nothing, or a card that said one line about them
     ("adamw", "adamw"), ("minibatch", "minibatch-sgd"),
     ("learning rate", "learning-rate-schedule"), ("early stopping", "early-stopping"),
     ("accuracy", "accuracy"), ("epoch", "minibatch-sgd"), ("validation set", "model-selection"),
     ("cross-validation", "model-selection"), ("hyperparameter", "model-selection"),
     ("fine-tuning", "transfer-learning"), ("transfer learning", "transfer-learning"),
     ("data augmentation", "data-augmentation"), ("label smoothing", "label-smoothing"),
     ("one-hot", "one-hot-encoding"), ("hidden layer", "multilayer-perceptron"),
     ("saddle point", "saddle-point"), ("超参数", "model-selection"),
     ("验证集", "model-selection"), ("迭代周期", "minibatch-sgd"), ("微调", "transfer-learning"),
     ("迁移学习", "transfer-learning"), ("数据增广", "data-augmentation"),
     ("标签平滑", "label-smoothing"), ("准确率", "accuracy"), ("独热编码", "one-hot-encoding")],
)
def test_names_a_learner_types(name, card_id):
    assert LIBRARY.find(name).id == card_id


@pytest.mark.parametrize("card", CARDS, ids=IDS)
def test_every_card_demo_runs(card):
    demo = demos.get(card.demo)
    values = demo.resolve({}, card.demo_set)
    result = demo.run(values, np.random.default_rng(0))
    assert result.plots or result.tables


def test_every_erratum_is_answered():
    rows = set(range(1, 19))
    claimed = {row for card in CARDS for row in card.errata}
    assert rows <= claimed, sorted(rows - claimed)
    for card in CARDS:
        if card.errata:
            for lang in ("en", "zh"):
                assert len(card.section(lang, "misconceptions").text) > 80


@pytest.mark.parametrize("card", CARDS, ids=IDS)
def test_no_run_of_the_source_sheets_is_copied(card):
    seeds = SEEDS.read_bytes()
    hashes = {seeds[i : i + 8] for i in range(0, len(seeds), 8)}
    text = normalise(card.path.read_text(encoding="utf-8"))
    copied = [text[i : i + RUN] for i in range(len(text) - RUN + 1)
              if digest(text[i : i + RUN]) in hashes]
    assert copied == []


@pytest.mark.parametrize("card_id", ["gradient", "backpropagation"])
def test_backward_costs_two_forward_passes_everywhere(card_id):
    """gradient and backpropagation, sections and questions in both languages, agree that the
    backward pass costs about two forward passes (a dense layer: two matrix products against
    one); a question once said one extra forward pass."""
    card = LIBRARY.cards[card_id]
    sections = {lang: " ".join(s.text for s in card.sections(lang)) for lang in ("en", "zh")}
    prompts = [q["prompt"] for q in card.questions if "prompt" in q]
    en = " ".join([sections["en"]] + [p["en"] for p in prompts])
    zh = "".join([sections["zh"]] + [p["zh"] for p in prompts])
    assert "two forward passes" in " ".join(en.split())
    assert "两次前向传播" in "".join(zh.split())
    for p in prompts:
        if "forward pass" in p["en"]:
            assert "two forward passes" in p["en"] and "两次前向传播" in p["zh"], p
    assert not re.search(r"cost of (one|a single)( extra)? forward pass", en)
    assert not re.search(r"一次(额外)?前向传播的代价", zh)


@pytest.mark.parametrize("card", CARDS, ids=IDS)
def test_chinese_prose_says_one_hot_one_way(card):
    """The review asked for one Chinese term for one-hot: 独热 (d2l-zh), never the English word
    in Chinese prose (formulas, code and notation such as p − onehot may keep it)."""
    for section in card.sections("zh"):
        prose = re.sub(r"`[^`]*`", "", re.sub(r"```.*?```", "", section.text, flags=re.S))
        assert not re.search(r"(?i)one[- ]hot", prose), (section.key, prose)


@pytest.mark.parametrize("card", CARDS, ids=IDS)
def test_chinese_prose_quotes_with_chinese_quotation_marks(card):
    """Chinese text quotes with “” (as d2l-zh and GB/T 15834 do), never ASCII ", which reads as
    code; code (fenced or in backticks) keeps its own quotes."""
    for key in SECTION_KEYS:
        text = card.section("zh", key).text
        prose = re.sub(r"```.*?```|`[^`]*`", "", text, flags=re.S)
        assert '"' not in prose, (key, prose[max(0, prose.find('"') - 30):][:80])
        assert prose.count("“") == prose.count("”"), key
