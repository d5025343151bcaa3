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


# --- every template: what a learner reads in a worked solution --------------------------------

#: A number as solutions write it: grouped counts (44 032 000, 211,047), decimals, 4.58e-05.
SHOWN = re.compile(r"(?<![\w.])-?(?:\d{1,3}(?:(?: \d{3})+|(?:,\d{3})+)(?![\d,])|\d+(?:\.\d+)?"
                   r"(?:e-?\d+)?)(?![\w.])")
CJK = r"[\u4e00-\u9fff]"
AUDIT_SEEDS = range(25)


def _all_questions(seeds=AUDIT_SEEDS):
    from dlref.quiz.questions import all_templates

    for card, templates in all_templates().items():
        for tid in templates:
            for seed in seeds:
                yield generate(card, tid, seed)


def _shown_numbers(text: str) -> list[float]:
    return [float(m.replace(" ", "").replace(",", "")) for m in SHOWN.findall(text)]


def test_every_answer_is_written_in_its_solution_to_the_asked_precision():
    """The solution ends at the answer, rounded as the hint asks: not at "-0" or "0" for
    4.58e-06, nor at "0.0008" for an answer judged to three significant figures."""
    from dlref.quiz.answer import check_answer

    missing = {}
    for q in _all_questions():
        if q.options or q.kind == "shape":
            continue
        entries = q.answer if isinstance(q.answer, list) else [q.answer]
        for lang in ("en", "zh"):
            shown = _shown_numbers(q.solution[lang])
            lost = [e for e in entries
                    if not any(check_answer(n, e, decimals=q.decimals) for n in shown)]
            if lost:
                missing[f"{q.card}/{q.template}/{q.seed}/{lang}"] = (lost, q.solution[lang])
    assert missing == {}


def test_answers_are_not_floating_point_noise():
    """An answer that cancels to 0 is 0: -2.8e-17 would be judged to three significant
    figures, so the learner's 0 would be marked wrong."""
    noisy = {}
    for q in _all_questions(range(200)):
        if q.kind == "shape":
            continue
        entries = q.answer if isinstance(q.answer, list) else [q.answer]
        if any(0 < abs(e) < 1e-9 for e in entries):
            noisy[f"{q.card}/{q.template}/{q.seed}"] = q.answer
    assert noisy == {}


def test_a_prompt_does_not_repeat_the_answer_form_its_hint_gives():
    """The hint after every prompt says "a vector, e.g. [0.1, 0.9], 3 decimals"; a prompt
    ending "(a vector)" made the line say it twice."""
    repeated = {}
    for q in _all_questions(range(3)):
        for lang, marks in (("en", ("(a vector)", "(a shape)")), ("zh", ("（向量）", "（形状）"))):
            if any(mark in q.prompt[lang] for mark in marks):
                repeated[f"{q.card}/{q.template}/{lang}"] = q.prompt[lang]
    assert repeated == {}


#: Notation that reads wrongly: "-0"; an operator before a bare negative (6·-4, y / -4.8);
#: a bare negative raised to a power (-0.2^2 and -4² are −(0.2²) and −16).
MISREAD = re.compile(r"(?<![\w.])-0(?:\.0+)?(?![\d.])|[·×/] ?-\d"
                     r"|(?<![\w)\].])-\d+(?:\.\d+)?(?:[²³]|\^)")


def test_prompts_and_solutions_write_no_minus_zero_and_parenthesise_negatives():
    found = {}
    for q in _all_questions():
        for lang in ("en", "zh"):
            for text in (q.prompt[lang], q.solution[lang]):
                if m := MISREAD.search(text):
                    found[f"{q.card}/{q.template}/{q.seed}"] = text[max(0, m.start() - 30):
                                                                    m.end() + 10]
    assert found == {}


def _clause_punctuation(text: str) -> list[str]:
    """Half-width ", ", "; " or ": " outside brackets (a Chinese sentence's own separators)."""
    depth, found = 0, []
    for i, ch in enumerate(text):
        if ch in "([（":
            depth += 1
        elif ch in ")]）":
            depth -= 1
        elif depth == 0 and ch in ",;:" and text[i + 1:i + 2] == " ":
            found.append(text[max(0, i - 20):i + 20])
    return found


def _half_width_asides(text: str) -> list[str]:
    """A Chinese aside in half-width parentheses, "… 0.8748 (普通准确率 0.5891)": words, no
    formula inside (a tuple "(准确率, F1)" or a function "独热(编号)" keeps its brackets)."""
    return [m for m in re.findall(r"(?:^|\s)\(([^()]*)\)", text)
            if re.search(CJK, m) and not re.search(r"[,·+/=−_]", m)]


def test_chinese_prompts_and_solutions_use_full_width_separators():
    """"，；：" between the clauses of a Chinese sentence, and （…） around a Chinese aside;
    half-width punctuation stays inside formulas, vectors and tuples."""
    found = {}
    for q in _all_questions(range(10)):
        for text in (q.prompt["zh"], q.solution["zh"]):
            bad = _clause_punctuation(text) + _half_width_asides(text)
            if bad:
                found[f"{q.card}/{q.template}"] = bad
    assert found == {}


# --- steps a learner redoes: each shown, and enough digits to land on the answer -------------

def _p(x: float) -> str:
    """A number as an operand: negatives in parentheses, "(-2.7)"."""
    s = _fmt(x)
    return f"({s})" if s.startswith("-") else s


def _between(text: str, before: str, after: str) -> str:
    start = text.index(before) + len(before)
    return text[start:text.index(after, start)]


def test_every_mean_is_worked_out_as_its_sum_over_the_count():
    """"mean 1.3233" alone hides the step; "3.97/3 = 1.3233" shows it, from the squares or
    absolute values the learner has just written down."""
    for seed in SEEDS:
        for card, tid in (("mse", "value"), ("mae", "value"), ("loss-function", "mse-and-mae"),
                          ("supervised-learning", "baseline")):
            q = generate(card, tid, seed)
            p = q.prompt["en"]
            lists = [numbers(m) for m in re.findall(r"\[([^\]]*)\]", p)]
            if card == "supervised-learning":
                y = lists[0]
                errors = [v - sum(y) / len(y) for v in y]
            else:
                errors = [a - b for a, b in zip(lists[0], lists[1], strict=True)]
            wanted = []
            if card != "mae":
                wanted.append([e * e for e in errors])
            if card in ("mae", "loss-function"):
                wanted.append([abs(e) for e in errors])
            for values in wanted:
                mean = f"{_fmt(sum(values))}/{len(values)} = {_fmt(sum(values) / len(values))}"
                for lang in ("en", "zh"):
                    assert mean in q.solution[lang], (mean, q.solution[lang])


def test_products_are_written_out_before_their_sum():
    """∂L/∂a, ∂L/∂x and W₂W₁ show each product with the drawn numbers, not just the result."""
    for seed in SEEDS:
        q = generate("prelu", "grad-slope", seed)
        p = q.prompt["en"]
        x = numbers(_between(p, "x = [", "]"))
        g = numbers(_between(p, "∂L/∂y = [", "]"))
        terms = " + ".join(f"{_p(gi)}·{_p(min(xi, 0.0))}" for gi, xi in zip(g, x, strict=True))
        q2 = generate("leaky-relu", "backward", seed)
        p2 = q2.prompt["en"]
        alpha = float(re.search(r"α = (\d+(?:\.\d+)?)", p2)[1])
        x2 = numbers(_between(p2, "x = [", "]"))
        g2 = numbers(_between(p2, "∂L/∂y = [", "]"))
        slopes = ", ".join(f"{_p(gi)}·{_fmt(1.0 if xi > 0 else alpha)}"
                           for gi, xi in zip(g2, x2, strict=True))
        q3 = generate("activation-function", "collapse", seed)
        p3 = q3.prompt["en"]
        w1 = [numbers(r) for r in re.findall(r"\[([^\[\]]*)\]", _between(p3, "W₁ = ", "W₂"))]
        w2 = numbers(_between(p3, "W₂ = [[", "]]"))
        columns = ", ".join(" + ".join(f"{_p(w2[k])}·{_p(w1[k][j])}" for k in range(2))
                            for j in range(2))
        for lang in ("en", "zh"):
            assert f"= {terms} =" in q.solution[lang], (terms, q.solution[lang])
            assert f"[{slopes}]" in q2.solution[lang], (slopes, q2.solution[lang])
            assert f"[{columns}]" in q3.solution[lang], (columns, q3.solution[lang])


def test_intermediate_values_carry_enough_digits_to_reach_the_answer():
    """Redoing the last step from the numbers the solution shows lands on the answer at its
    precision: 0.1587·0.1779·0.1132 gave 0.00320 for 0.003195, log(0.9556/0.0056) gave 5.139
    for 5.1475, −ln 0.0025 is ±0.02 off."""
    from dlref.quiz.answer import check_answer

    for seed in range(40):
        q = generate("vanishing-gradient", "product", seed)
        factors = [float(v) for v in _between(q.solution["en"], "σ(z)): ", ";").split(" · ")]
        assert check_answer(math.prod(factors), q.answer, decimals=q.decimals), q.solution["en"]

        q = generate("label-smoothing", "optimal-gap", seed)
        ratio = float(re.search(r"= log\((\d+(?:\.\d+)?)\) =", q.solution["en"])[1])
        assert check_answer(math.log(ratio), q.answer, decimals=q.decimals), q.solution["en"]

        q = generate("cross-entropy", "categorical", seed)
        prob = float(re.search(r"−ln (\d+(?:\.\d+)?(?:e-?\d+)?) =", q.solution["en"])[1])
        assert check_answer(-math.log(prob), q.answer, decimals=q.decimals), q.solution["en"]

        q = generate("learning-rate-schedule", "cosine", seed)
        p = q.prompt["en"]
        eta_min = float(re.search(r"eta_min=(\d+(?:\.\d+)?)", p)[1])
        lr = float(re.search(r"learning rate (\d+(?:\.\d+)?)", p)[1])
        cos = float(re.search(r"\) = (-?\d+(?:\.\d+)?);", q.solution["en"])[1])
        value = eta_min + (lr - eta_min) * (1 + cos) / 2
        assert check_answer(value, q.answer, decimals=q.decimals), q.solution["en"]


def test_a_symbol_is_defined_before_a_solution_uses_it():
    """"1 − 2aη" on a prompt that only says f(w) = 2·w² needs "a = 2" first."""
    for seed in SEEDS:
        for tid in ("two-steps", "max-lr"):
            q = generate("gradient-descent", tid, seed)
            for lang in ("en", "zh"):
                sol = q.solution[lang]
                assert "a = " in sol.split("2aη")[0].split("2aw")[0], sol
    for q in _all_questions(range(5)):  # "e^s" needs the scores named s first
        for lang in ("en", "zh"):
            sol = q.solution[lang]
            if "e^s" in sol:
                assert "s = " in sol.split("e^s")[0], sol


def test_no_question_makes_its_concept_invisible():
    """A flat cosine schedule (η = η_min), a partial last batch that does not exist, an
    "epochs 6…6" span, "0 for the 0 masked key(s)"."""
    for seed in range(60):
        q = generate("learning-rate-schedule", "cosine-halfway", seed)
        eta_min = float(re.search(r"eta_min=(\d+(?:\.\d+)?)", q.prompt["en"])[1])
        lr = float(re.search(r"learning rate (\d+(?:\.\d+)?)", q.prompt["en"])[1])
        assert eta_min < lr, q.prompt["en"]

        q = generate("gradient-descent", "batches-per-epoch", seed)
        n, b = (int(v) for v in re.search(r"N = (\d+) .*B = (\d+)", q.prompt["en"]).groups())
        assert ("last batch has" in q.solution["en"]) == (n % b != 0), q.solution["en"]

        for tid in ("stop-epoch", "best-epoch", "min-delta"):
            q = generate("early-stopping", tid, seed)
            assert "1 epochs" not in q.prompt["en"], q.prompt["en"]
            assert not re.search(r"(\d+)…\1(?!\d)", q.solution["en"] + q.solution["zh"]), \
                q.solution

        q = generate("causal-attention", "weights", seed)
        assert not re.search(r"\b0 masked|被掩蔽的 0 ", q.solution["en"] + q.solution["zh"])
