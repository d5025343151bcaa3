"""Diagnosed mistakes ("traps"): each is re-made here by actually making the mistake.

For every trapped template and many seeds, the numbers are read back from the prompt, the
wrong answer is computed with plain math the way a learner making that mistake would, typed as
a learner types it, and `Question.diagnose` must name that mistake. A right answer, and a wrong
answer no mistake explains, are never diagnosed; a trap that coincides with the right answer
for the drawn numbers is dropped.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest
from quiz_helpers import numbers

from dlref.quiz.answer import check_answer, parse_answer, uses_sig_figs
from dlref.quiz.draw import trap
from dlref.quiz.questions import Question, all_templates, generate

SEEDS = range(40)


def after(text: str, name: str) -> float:
    """The number following `name = ` in a prompt."""
    return float(re.search(re.escape(name) + r"\s*=\s*(-?\d+(?:\.\d+)?(?:e-?\d+)?)", text)[1])


def bracket(text: str, name: str) -> list[float]:
    m = re.search(re.escape(name) + r"\s*=\s*[\[(]([^\])]*)[\])]", text)
    return numbers(m[1])


def typed(value, q: Question, places: int | None = None) -> str:
    if isinstance(value, tuple):
        return "x".join(str(int(v)) for v in value)
    if places is None:  # as many decimals as asked; a mistake's fraction typed in full
        places = 6 if q.decimals in (None, 0) else q.decimals
        if uses_sig_figs(q.answer, q.decimals):  # the prompt asked for significant figures
            return typed_sig(value)
    if isinstance(value, list | np.ndarray):
        return "[" + ", ".join(f"{float(v):.{places}f}" for v in value) + "]"
    return f"{float(value):.{places}f}"


def typed_sig(value) -> str:
    """A value typed to four significant figures (the prompt asks for three)."""
    if isinstance(value, list | np.ndarray):
        return "[" + ", ".join(f"{float(v):.3e}" for v in value) + "]"
    return f"{float(value):.3e}"


def expect(q: Question, wrong, phrase: str) -> bool:
    """The learner's wrong answer is diagnosed as the mistake whose name holds `phrase`
    (False when, for these numbers, the mistake gives the right answer: nothing to tell)."""
    given = parse_answer(typed(wrong, q), kind=q.kind)
    if check_answer(given, q.answer, decimals=q.decimals):
        assert q.diagnose(given) is None  # a right answer is never diagnosed
        exact = parse_answer(typed(wrong, q, places=9), kind=q.kind)
        if check_answer(exact, q.answer, decimals=q.decimals):  # not just the typing's rounding
            assert all(phrase not in t.name["en"] for t in q.traps)  # dropped for this instance
        return False
    found = q.diagnose(given)
    assert found is not None, (q.prompt["en"], typed(wrong, q), q.traps)
    if phrase not in found.name["en"]:  # two mistakes give the same number: the first is named
        assert all(phrase not in t.name["en"] for t in q.traps), (phrase, found.name)
    assert found.name["zh"].strip() and re.search(r"[\u4e00-\u9fff]", found.name["zh"])
    return True


def each(card: str, tid: str):
    for seed in SEEDS:
        q = generate(card, tid, seed)
        yield q, q.prompt["en"]


def diagnosed_in(card: str, tid: str, phrase: str, mistake) -> int:
    """Of the SEEDS' instances of a template, how many diagnose the mistake made by hand from
    the prompt (each instance checked by `expect`)."""
    return sum(expect(q, mistake(p), phrase) for q, p in each(card, tid))


def row_ids(rows) -> list[str]:
    return [f"{r[0]}/{r[1]}/{r[2][:12]}" for r in rows]


def hits(results) -> None:
    """A mistake must be diagnosable for most seeds, not only in a corner."""
    results = list(results)
    assert sum(results) >= len(results) // 2, sum(results)


# --- the core ------------------------------------------------------------------------------


def test_a_trap_equal_to_the_answer_is_dropped_and_a_right_answer_never_diagnosed():
    q = Question("x", "y", {"en": "?", "zh": "？"}, answer=0.5, decimals=3,
                 traps=[trap(0.5004, "same", "同"), trap(0.25, "half", "半"),
                        trap(0.2502, "again", "再")])
    assert [t.name["en"] for t in q.live_traps()] == ["half"]
    assert q.diagnose(0.5) is None
    assert q.diagnose(0.25).name["en"] == "half"
    assert q.diagnose(0.2504).name["en"] == "half"  # within the question's tolerance
    assert q.diagnose(0.26) is None


def test_a_trap_the_answer_tolerates_but_not_as_typed_is_kept():
    """1.0007 is within half a unit of 1.0003, but the learner who makes the mistake types
    1.001, which is wrong: that answer is diagnosed. 1.0004 types as 1.000, which is right, so
    that mistake tells nothing here and is dropped."""
    q = Question("x", "y", {"en": "?", "zh": "？"}, answer=1.0003, decimals=3,
                 traps=[trap(1.0004, "same", "同"), trap(1.0007, "slip", "错")])
    assert [t.name["en"] for t in q.live_traps()] == ["slip"]
    assert not check_answer(1.001, q.answer, decimals=3)
    assert q.diagnose(1.001).name["en"] == "slip"
    assert q.diagnose(1.0) is None  # right
    # judged to three significant figures (±5e-08 here): 4.303e-05 types as 4.30e-05, right;
    # 4.306e-05 is within the tolerance too, but types as 4.31e-05, wrong
    small = Question("x", "y", {"en": "?", "zh": "？"}, answer=4.302e-05, decimals=3,
                     traps=[trap(4.303e-05, "near", "近"), trap(4.306e-05, "off", "偏")])
    assert check_answer(4.306e-05, small.answer, decimals=3)
    assert [t.name["en"] for t in small.live_traps()] == ["off"]
    assert small.diagnose(4.31e-05).name["en"] == "off"


def test_generate_keeps_only_live_traps_and_to_dict_lists_them():
    for seed in SEEDS:
        q = generate("relu", "derivative", seed)
        for t in q.traps:
            assert not check_answer(t.value, q.answer, decimals=q.decimals)
        assert len(q.to_dict().get("traps", [])) == len(q.traps)


def test_at_least_the_named_mistakes_are_trapped_and_a_share_of_templates():
    trapped = [(c, t) for c, ts in all_templates().items() for t in ts
               if any(generate(c, t, s).traps for s in range(10))]
    assert len(trapped) >= 68


def test_an_unexplained_wrong_answer_is_not_diagnosed():
    for card, tids in all_templates().items():
        for tid in tids:
            q = generate(card, tid, 1)
            if not q.traps or q.kind != "scalar":
                continue
            far = float(q.answer) + 1000.5
            assert q.diagnose(far) is None, (card, tid)


# --- each mistake, made by hand ------------------------------------------------------------


def test_adam_first_step_without_bias_correction():
    def results():
        for q, p in each("adam", "first-step"):
            lr, w, g = after(p, "η"), after(p, "w"), after(p, "g")
            m, v = 0.1 * g, 0.001 * g * g  # m₁ and v₁, then used as they are
            yield expect(q, w - lr * m / (math.sqrt(v) + 1e-8), "without bias correction")
            yield expect(q, w - lr * g, "plain SGD")
    hits(results())


def test_adam_m_hat_without_bias_correction():
    def results():
        for q, p in each("adam", "m-hat"):
            g1, g2 = after(p, "g₁"), after(p, "g₂")
            m = 0.0
            for g in (g1, g2):
                m = 0.9 * m + 0.1 * g
            yield expect(q, m, "without bias correction")
            yield expect(q, m / (1 - 0.9), "1 − β₁ instead")
    hits(results())


def test_adam_bias_correction_left_out():
    def results():
        for q, p in each("adam", "bias-correction"):
            b1, g = after(p, "β₁"), after(p, "g")
            m1 = (1 - b1) * g
            yield expect(q, [m1, m1], "without bias correction")
    hits(results())


def test_momentum_in_the_ema_form():
    def results():
        for q, p in each("momentum", "two-steps"):
            a = 1.0 if "= w²" in p else after(p, "f(w)")
            lr, mu, w = after(p, "η"), after(p, "μ"), after(p, "w₀")
            b = 0.0
            for _ in range(2):
                b = mu * b + (1 - mu) * 2 * a * w
                w = w - lr * b
            yield expect(q, w, "EMA form")
    hits(results())


def test_gradient_descent_step_sign_and_power_rule():
    def results():
        for q, p in each("gradient-descent", "one-step"):
            a = 1.0 if "= w²" in p else after(p, "f(w)")
            w, lr = after(p, "w"), after(p, "η")
            yield expect(q, w + lr * 2 * a * w, "up the gradient")
            yield expect(q, w - lr * a * w, "power rule")
    hits(results())


def test_dropout_without_rescale_and_with_p_as_keep_probability():
    def results():
        for q, p in each("dropout", "kept-value"):
            prob, x = after(p, "p"), after(p, "x")
            yield expect(q, x, "without the 1/(1 − p) rescale")
            yield expect(q, x / prob, "keep probability")
        for q, p in each("dropout", "expected-value"):
            prob, x = after(p, "p"), after(p, "x")
            yield expect(q, sum([x] * 1000) / 1000 * (1 - prob), "without the 1/(1 − p)")
        for q, p in each("dropout", "kept-count"):
            prob = after(p, "p")
            n = int(re.search(r"of (\d+) units", p)[1])
            yield expect(q, n * prob, "keep probability")
    hits(results())


def test_batch_norm_running_variance_biased():
    def results():
        for q, p in each("batch-normalization", "running-var"):
            xs = numbers(p[p.index("feature:"):])
            mu = sum(xs) / len(xs)
            biased = sum((x - mu) ** 2 for x in xs) / len(xs)
            yield expect(q, 0.9 * 1 + 0.1 * biased, "biased")
            unbiased = sum((x - mu) ** 2 for x in xs) / (len(xs) - 1)
            yield expect(q, 0.1 * 1 + 0.9 * unbiased, "old value")
    hits(results())


def test_batch_norm_running_mean_momentum_reversed():
    def results():
        for q, p in each("batch-normalization", "running-mean"):
            r0 = after(p, "running_mean")
            xs = numbers(p[p.index("feature:"):])
            yield expect(q, 0.1 * r0 + 0.9 * sum(xs) / len(xs), "old value")
    hits(results())


def test_conv_output_size_without_plus_one_or_padding():
    def results():
        for q, p in each("convolution", "output-shape"):
            h, w = (int(v) for v in re.search(r"A (\d+)×(\d+) input", p).groups())
            k = int(re.search(r"(\d+)×\d+ kernel", p)[1])
            s, pad = int(re.search(r"stride (\d+)", p)[1]), int(re.search(r"padding (\d+)", p)[1])
            yield expect(q, (math.floor((h + 2 * pad - k) / s), math.floor((w + 2 * pad - k) / s)),
                         "without the + 1")
            if pad:
                yield expect(q, (math.floor((h - k) / s) + 1, math.floor((w - k) / s) + 1),
                             "without the padding")
    hits(results())


def test_lstm_count_without_four_gates_or_second_bias():
    def results():
        for q, p in each("lstm", "param-count"):
            d, h = after(p, "input_size"), after(p, "hidden_size")
            layers = int(after(p, "num_layers"))
            one_gate = two_gate_bias = 0.0
            inp = d
            for _ in range(layers):
                one_gate += h * inp + h * h + h + h  # W_ih, W_hh, b_ih, b_hh of ONE block
                two_gate_bias += 4 * h * inp + 4 * h * h + 4 * h  # four gates, one bias
                inp = h
            yield expect(q, one_gate, "four blocks")
            yield expect(q, two_gate_bias, "one bias")
    hits(results())


def test_sigmoid_and_tanh_value_for_derivative():
    def results():
        for q, p in each("sigmoid", "derivative"):
            x = float(re.search(r"σ′\((-?[\d.]+)\)", p)[1])
            yield expect(q, 1 / (1 + math.exp(-x)), "σ(x) given for σ′(x)")
        for q, p in each("tanh", "derivative"):
            x = float(re.search(r"tanh′\((-?[\d.]+)\)", p)[1])
            yield expect(q, math.tanh(x), "tanh(x) given")
    hits(results())


def test_relu_derivative_as_sign_and_relu_as_abs():
    def results():
        for q, p in each("relu", "derivative"):
            xs = bracket(p, "x")
            sgn = [(x > 0) - (x < 0) for x in xs]
            if any(x < 0 for x in xs):
                yield expect(q, sgn, "sgn(x)")
        for q, p in each("relu", "value"):
            xs = numbers(p[p.index("["):p.index("]")])
            yield expect(q, [abs(x) for x in xs], "|x|")
    hits(results())


def test_mse_without_the_mean_and_its_gradient():
    def results():
        for q, p in each("mse", "value"):
            yh, y = bracket(p, "ŷ"), bracket(p, "y")
            yield expect(q, sum((a - b) ** 2 for a, b in zip(yh, y, strict=True)),
                         "without the mean")
        for q, p in each("mse", "gradient"):
            yh, y = bracket(p, "ŷ"), bracket(p, "y")
            yield expect(q, [2 * (a - b) for a, b in zip(yh, y, strict=True)], "1/n")
    hits(results())


def test_cross_entropy_with_log_base_ten():
    def results():
        for q, p in each("cross-entropy", "categorical"):
            z, k = bracket(p, "z"), int(re.search(r"true class (\d)", p)[1])
            prob = math.exp(z[k]) / sum(math.exp(v) for v in z)
            yield expect(q, -math.log10(prob), "log base 10")
        for q, p in each("cross-entropy", "binary"):
            prob, y = after(p, "p"), int(after(p, "y"))
            yield expect(q, -math.log10(prob if y == 1 else 1 - prob), "log base 10")
    hits(results())


def test_f1_as_the_arithmetic_mean():
    def results():
        for q, p in each("f1-score", "from-pr"):
            yield expect(q, (after(p, "P") + after(p, "R")) / 2, "arithmetic mean")
    hits(results())


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_trap_is_named_in_both_languages_and_points_to_a_card(lang: str):
    from dlref.cards import Library

    library = Library.load()
    for card, tids in all_templates().items():
        for tid in tids:
            for t in generate(card, tid, 0).traps:
                assert t.name[lang].strip()
                assert (t.card or card) in library.cards
