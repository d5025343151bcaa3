"""Facts and numbers from the expert review of the attention, Transformer and training cards,
each recomputed here independently of dlref.nn (plain math and NumPy), so a card cannot drift
back to a wrong statement."""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

from dlref.cards import SECTION_KEYS, Library

LIBRARY = Library.load()
CARDS = list(LIBRARY.cards.values())
IDS = [c.id for c in CARDS]


def _text(card_id: str, lang: str, key: str) -> str:
    """One section, its line breaks and indentation folded to single spaces."""
    return " ".join(LIBRARY.cards[card_id].section(lang, key).text.split())


def _zh(card_id: str, key: str) -> str:
    """A Chinese section with its line breaks removed (Chinese wraps without spaces)."""
    return "".join(LIBRARY.cards[card_id].section("zh", key).text.split())


@pytest.mark.parametrize("card", CARDS, ids=IDS)
def test_code_in_backticks_keeps_ascii_quotes(card):
    """Inline code is code in every language: `activation="relu"` copied from the Chinese card
    must run. Chinese quotation marks or punctuation inside backticks break it."""
    for lang in card.languages:
        for key in SECTION_KEYS:
            text = re.sub(r"```.*?```", "", card.section(lang, key).text, flags=re.S)
            for span in re.findall(r"`([^`]*)`", text):
                assert not re.search(r"[“”‘’，；（）]", span), (lang, key, span)


def _gelu_grad(x: float) -> float:
    """GELU′(x) = Φ(x) + x·φ(x), from math.erf."""
    cdf = 0.5 * (1 + math.erf(x / math.sqrt(2)))
    return cdf + x * math.exp(-x * x / 2) / math.sqrt(2 * math.pi)


def _silu_grad(x: float) -> float:
    """SiLU′(x) = σ(x)·(1 + x·(1 − σ(x)))."""
    s = 1 / (1 + math.exp(-x))
    return s * (1 + x * (1 - s))


def _first_above_one(grad, start: float) -> float:
    """The x > 0 where the slope first exceeds 1, on a grid of 1e-4."""
    xs = np.arange(start, 5.0, 1e-4)
    return float(xs[np.argmax([grad(float(x)) > 1 for x in xs])])


@pytest.mark.parametrize(("card_id", "grad", "minimum", "shown"),
                         [("gelu", _gelu_grad, -0.7518, "0.75"),
                          ("silu", _silu_grad, -1.2785, "1.28")])
def test_the_slope_exceeds_1_only_past_the_mirror_of_the_minimum(card_id, grad, minimum, shown):
    """Both cards once said the slope exceeds 1 "for positive x"; it is below 1 from 0 up to
    the mirror image of the minimum, since f′(x) + f′(−x) = 1 for x·Φ(x) and x·σ(x)."""
    crossing = _first_above_one(grad, 0.0)
    assert crossing == pytest.approx(-minimum, abs=2e-4)
    assert abs(grad(minimum)) < 1e-4  # the minimum: slope 0
    for x in (0.3, 1.0, 2.0):
        assert grad(x) + grad(-x) == pytest.approx(1.0, abs=1e-12)
    assert grad(0.5) < 1 < grad(2.0)
    en = _text(card_id, "en", "misconceptions") + _text(card_id, "en", "example")
    zh = _zh(card_id, "misconceptions") + _zh(card_id, "example")
    assert f"{-minimum:.2f}" == shown and shown in en and shown in zh
    assert "above 1 for positive x" not in en and "exceeds 1 for positive x" not in en
    assert "正半轴上斜率略大于1" not in zh and "x为正时SiLU′会略超过1" not in zh


def test_transformer_layer_counts_say_which_parameters_are_left_out():
    """nn.TransformerEncoderLayer(512, 8, 2048): 3152384 in all. Leaving out the two LayerNorms
    gives 3150336; the weight matrices alone (no biases, no LayerNorms) give 12·d² = 3145728.
    The card once said "without them" (biases and LayerNorms) gives 3150336."""
    d, dff = 512, 2048
    attention = 4 * d * d + 4 * d  # in_proj (3d×d + 3d) and out_proj (d×d + d)
    ffn = (d * dff + dff) + (dff * d + d)
    norms = 2 * 2 * d
    assert attention + ffn + norms == 3152384
    assert attention + ffn == 3150336
    assert 4 * d * d + 2 * d * dff == 12 * d * d == 3145728
    en = _text("transformer", "en", "misconceptions")
    zh = _zh("transformer", "misconceptions")
    for text in (en, zh):
        assert "3152384" in text and "3150336" in text and "3145728" in text
    assert "without them the example" not in en


def test_l2_and_decoupled_decay_part_with_momentum_already():
    """adamw's Misconceptions: L2 and weight decay coincide for plain SGD only. With momentum
    the L2 term λθ enters the velocity; decoupled decay (SGDW) does not. θ = 1, no data
    gradient, η = λ = 0.1, μ = 0.9: both give 0.99 after one step, 0.9711 vs 0.9801 after two."""
    eta, lam, mu = 0.1, 0.1, 0.9

    def l2(momentum: float) -> float:
        theta, v = 1.0, 0.0
        for _ in range(2):
            v = momentum * v + lam * theta
            theta -= eta * v
        return theta

    def decoupled(momentum: float) -> float:
        theta, v = 1.0, 0.0
        for _ in range(2):
            v = momentum * v + 0.0  # the data gradient only
            theta = theta - eta * v - eta * lam * theta
        return theta

    assert l2(0.0) == pytest.approx(decoupled(0.0))  # plain SGD: the same
    assert l2(mu) == pytest.approx(0.9711) and decoupled(mu) == pytest.approx(0.9801)
    en = _text("adamw", "en", "misconceptions")
    zh = _zh("adamw", "misconceptions")
    assert "plain SGD (no momentum" in en and "普通SGD（无动量" in zh


def test_early_stopping_example_says_when_the_rule_of_thumb_misleads():
    """Gradient descent on (w − 3)² from 0 with η = 0.25 for t = 2 steps, against the L2 optimum
    argmin (w − 3)² + (λ/2)·w² = 6/(2 + λ): the λ that gives the same w is 2/3, while the rule of
    thumb 1/(η·t) says 2 — it assumes η·curvature (0.25·2) is small; the card says both."""
    eta, steps, w = 0.25, 2, 0.0
    for _ in range(steps):
        w -= eta * 2 * (w - 3)
    lam = 6 / w - 2  # solves 6/(2 + λ) = w
    assert w == pytest.approx(2.25) and lam == pytest.approx(2 / 3)
    rule = 1 / (eta * steps)
    assert rule == pytest.approx(2.0) and abs(rule - lam) > 1
    assert "λ = 2/3" in _text("early-stopping", "en", "example")
    assert "1/(η·t) would say 2" in _text("early-stopping", "en", "example")
    assert f"0.25·2 = {eta * 2}" in _text("early-stopping", "en", "example")
    assert "1/(η·t)在这里会给出2" in _zh("early-stopping", "example")
    assert f"0.25·2={eta * 2}" in _zh("early-stopping", "example")
