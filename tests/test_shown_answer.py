"""What the verdict calls the answer is the answer as the prompt asks it to be typed: typed
back, it is right; it has the asked decimals, no more (one more showed 1.23235 for 1.2323547
asked to 4, a tie to the eye where the answer is 1.2324)."""

from __future__ import annotations

import re

from dlref.quiz.answer import check_answer, is_small, parse_answer
from dlref.quiz.questions import Question, all_templates, generate


def test_the_shown_answer_has_the_asked_decimals_not_one_more():
    q = Question("adamw", "decay-only", prompt={"en": "w?", "zh": "w？"}, answer=1.2323547,
                 decimals=4)
    assert q.shown_answer() == "1.2324"
    assert Question("x", "y", prompt={"en": "?"}, answer=-0.00001, decimals=3).shown_answer() \
        == "-1e-05"  # smaller than a unit of 3 decimals: three significant figures
    assert Question("x", "y", prompt={"en": "?"}, answer=7.0, decimals=0).shown_answer() == "7"
    assert Question("x", "y", prompt={"en": "?"}, answer=-0.0001, decimals=2,
                    ).shown_answer() == "-0.0001"


def test_every_templates_shown_answer_typed_back_is_right():
    for card, templates in all_templates().items():
        for template in templates:
            for seed in range(8):
                q = generate(card, template, seed)
                if q.options or q.kind == "shape":
                    continue
                shown = q.shown_answer()
                typed = parse_answer(shown, q.kind)
                assert check_answer(typed, q.answer, decimals=q.decimals), (card, template, shown)
                if q.decimals:
                    values = q.answer if isinstance(q.answer, list) else [q.answer]
                    parts = re.findall(r"-?\d+(?:\.\d+)?(?:e-?\d+)?", shown)
                    for value, part in zip(values, parts, strict=True):
                        if not is_small(float(value), q.decimals):
                            assert len(part.partition(".")[2]) == q.decimals, (card, shown)
