"""Worked solutions that teach: the formula, the drawn numbers substituted, every intermediate."""

from __future__ import annotations

import math
import re

from quiz_helpers import numbers

from dlref.quiz.questions import generate

SEEDS = range(30)


def test_activation_value_substitutes_x_and_shows_the_steps():
    for seed in SEEDS:
        q = generate("activation-function", "value", seed)
        x = numbers(q.prompt["en"].split("(")[1])[0]
        for lang in ("en", "zh"):
            sol = q.solution[lang]
            assert f"{x:g}" in sol.split("=", 1)[1], sol  # x substituted after the formula
            if q.prompt["en"].startswith("σ"):
                assert f"{math.exp(-x):.4f}".rstrip("0") in sol
            if "ELU(" in q.prompt["en"] and x < 0:
                assert f"{math.exp(x):.4f}".rstrip("0") in sol and "− 1" in sol


def test_two_input_polynomial_count_says_why():
    seen = 0
    for seed in range(60):
        q = generate("overfitting", "poly-params", seed)
        if "two inputs" not in q.prompt["en"]:
            continue
        seen += 1
        d = int(re.search(r"≤ (\d+)", q.prompt["en"])[1])
        assert f"1 + 2 + … + {d + 1} = {d + 1}·{d + 2}/2" in q.solution["en"]
        assert (d + 1) * (d + 2) // 2 == q.answer
        assert "k + 1" in q.solution["zh"]
    assert seen >= 10


def test_rnn_param_count_names_each_block_with_its_numbers():
    for seed in SEEDS:
        q = generate("rnn", "param-count", seed)
        d = int(re.search(r"input_size=(\d+)", q.prompt["en"])[1])
        h = int(re.search(r"hidden_size=(\d+)", q.prompt["en"])[1])
        en = q.solution["en"]
        assert f"W_ih is H×D = {h}·{d} = {h * d}" in en
        assert f"W_hh is H×H = {h}·{h} = {h * h}" in en
        assert f"2·{h} = {2 * h}" in en and en.count(str(int(q.answer))) == 1


def test_vanishing_bound_shows_the_power_exactly():
    for seed in SEEDS:
        q = generate("vanishing-gradient", "bound", seed)
        shown = float(q.solution["en"].rsplit("= ", 1)[1])
        assert shown == q.answer  # 0.5^6 = 0.015625, not 0.01562


def test_every_template_has_at_least_twenty_distinct_instances():
    from dlref.quiz.questions import all_templates

    few = {(c, t): n for c, ts in all_templates().items() for t in ts
           if (n := len({generate(c, t, s).prompt["en"] for s in range(300)})) < 20}
    assert few == {}


#: English words that are prose, never notation: one in a Chinese text is an untranslated bit.
ENGLISH_PROSE = re.compile(r"(?<![A-Za-z_])(the|goes|is|of|and|with|from|instead|not|'s)"
                           r"(?![A-Za-z_])")


def test_chinese_prompts_solutions_and_mistakes_hold_no_english_prose():
    from dlref.quiz.questions import all_templates

    found = {}
    for card, templates in all_templates().items():
        for tid in templates:
            for seed in range(20):
                q = generate(card, tid, seed)
                for text in (q.prompt["zh"], q.solution["zh"], *(t.name["zh"] for t in q.traps)):
                    if ENGLISH_PROSE.search(text):
                        found[f"{card}/{tid}"] = text
    assert found == {}
    q = generate("softmax", "temperature-direction", 3)
    assert "最小 logit 的概率从" in q.solution["zh"]


def _products_shown(sol: str, w: list[float], x: list[float]) -> bool:
    """Every product wᵢ·xᵢ's value is in the solution, as `rounded` writes it."""
    def shown(value: float) -> str:
        return f"{value + 0.0:.4f}".rstrip("0").rstrip(".").replace("-0", "0") \
            if round(value, 4) == 0 else f"{value:.4f}".rstrip("0").rstrip(".")

    return all(re.search(rf"(?<![\d.]){re.escape(shown(wi * xi))}(?![\d])",
                         sol.replace("(", " ").replace(")", " "))
               for wi, xi in zip(w, x, strict=True))


def test_a_sigmoid_neuron_and_an_rbm_unit_show_each_product_and_e_to_the_minus_z():
    for card, tid, (wn, xn, bn) in (("neuron", "output", ("w", "x", "b")),
                                    ("deep-belief-network", "hidden-prob", ("w", "v", "c"))):
        for seed in SEEDS:
            q = generate(card, tid, seed)
            p = q.prompt["en"]
            w = numbers(re.search(rf"{wn} = \[([^\]]*)\]", p)[1])
            x = numbers(re.search(rf"{xn} = \[([^\]]*)\]", p)[1])
            b = float(re.search(rf"{bn} = (-?\d+(?:\.\d+)?)", p)[1])
            z = sum(wi * xi for wi, xi in zip(w, x, strict=True)) + b
            for lang in ("en", "zh"):
                sol = q.solution[lang]
                assert _products_shown(sol, w, x), sol
                assert f"{math.exp(-z):.4f}".rstrip("0").rstrip(".") in sol, sol
                assert f"1/(1 + e^{-z:g}".replace("e^--", "e^") in sol or z == 0, sol


def test_a_sum_of_relus_shows_each_unit_and_each_product():
    for seed in SEEDS:
        q = generate("universal-approximation", "value", seed)
        p = q.prompt["en"]
        kinks = numbers(re.search(r"k = \[([^\]]*)\]", p)[1])
        v = numbers(re.search(r"v = \[([^\]]*)\]", p)[1])
        x = float(re.search(r"ŷ\((-?\d+(?:\.\d+)?)\) = \?", p)[1])
        h = [max(0.0, x - k) for k in kinks]
        for lang in ("en", "zh"):
            assert _products_shown(q.solution[lang], v, h), q.solution[lang]


def _fmt(x: float) -> str:
    return f"{x + 0.0:.4f}".rstrip("0").rstrip(".")


def test_rmse_and_the_objective_work_the_mse_out_from_the_errors():
    for seed in SEEDS:
        for card, tid in (("mse", "rmse"), ("loss-function", "objective")):
            q = generate(card, tid, seed)
            p = q.prompt["en"]
            lists = [numbers(m) for m in re.findall(r"\[([^\]]*)\]", p)]
            pred, y = lists[0], lists[1]
            squares = [(a - b) ** 2 for a, b in zip(pred, y, strict=True)]
            for lang in ("en", "zh"):
                sol = q.solution[lang]
                assert f"{_fmt(sum(squares))}/{len(squares)} = " \
                       f"{_fmt(sum(squares) / len(squares))}" in sol, sol
                if card == "loss-function":
                    w = lists[2]
                    assert " + ".join(_fmt(v * v) for v in w) in sol, sol


def test_a_relu_net_shows_each_row_of_w1_x_and_the_output_products():
    for seed in SEEDS:
        q = generate("activation-function", "relu-net", seed)
        p = q.prompt["en"]
        x = numbers(re.search(r"x = \[([^\]]*)\]", p)[1])
        w1 = [numbers(r) for r in re.findall(r"\[([^\[\]]*)\]", p.split("W₁ = ")[1].split("W₂")[0])]
        w2 = numbers(p.split("W₂ = ")[1].split("]]")[0])
        z = [sum(a * b for a, b in zip(row, x, strict=True)) for row in w1]
        h = [max(0.0, v) for v in z]
        for lang in ("en", "zh"):
            sol = q.solution[lang]
            assert "[" + ", ".join(_fmt(v) for v in z) + "]" in sol, sol
            assert _products_shown(sol, w2, h), sol
