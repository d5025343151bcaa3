"""What the template tests share: reading numbers out of prompts, typing answers as a person."""

from __future__ import annotations

import re

import numpy as np

from dlref.quiz.answer import check_answer, parse_answer
from dlref.quiz.questions import Question

NUMBER = r"-?\d+(?:\.\d+)?(?:e-?\d+)?"


def numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(NUMBER, text)]


def matrix(text: str, after: str) -> np.ndarray:
    """The [[...], [...]] matrix following `after` in a prompt."""
    start = text.index(after) + len(after)
    body = text[text.index("[[", start):text.index("]]", start) + 2]
    return np.array([numbers(row) for row in re.findall(r"\[([^\[\]]*)\]", body)])


def typed(q: Question) -> str:
    """The answer as a person would type it: to the asked decimals, or to three significant
    figures for an entry smaller than one unit in the last asked place (the hint says so)."""
    def one(v: float) -> str:
        if q.decimals and 0 < abs(v) < 10.0 ** -q.decimals:
            return f"{v:.2e}"
        return f"{v:.{q.decimals}f}"

    if q.kind == "shape":
        return "x".join(str(d) for d in q.answer)
    if q.kind == "vector":
        return " ".join(one(v) for v in q.answer)
    return one(q.answer) if q.decimals is not None else repr(q.answer)


def wrong(q: Question) -> str:
    """A clearly wrong answer: one more than the right one, everywhere."""
    if q.kind == "shape":
        return "x".join(str(d + 1) for d in q.answer)
    if q.kind == "vector":
        return " ".join(f"{v + 1:.{q.decimals}f}" for v in q.answer)
    return f"{q.answer + 1:.{q.decimals}f}"


def ok(q: Question, text: str) -> bool:
    return check_answer(parse_answer(text, kind=q.kind), q.answer, decimals=q.decimals)
