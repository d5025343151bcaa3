"""Quiz questions: templates that draw numbers from a seeded RNG and answer with dlref.nn.

A template is a function `(rng) -> Question` registered for a card. The answer is computed by
the same kernels the cards and demos use, so a question can never disagree with the code.
Fixed questions written in a card's file (`[[questions]]`) become Questions too.
"""

from __future__ import annotations

import importlib
import math
import pkgutil
import zlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Answer = float | list[float] | tuple[int, ...]


@dataclass
class Question:
    """One question, ready to ask in any language and to check."""

    card: str
    template: str
    prompt: dict[str, str]
    answer: Answer
    kind: str = "scalar"  # "scalar" | "vector" | "shape"
    decimals: int | None = 3  # answers rounded to this many decimals are right
    solution: dict[str, str] = field(default_factory=dict)
    seed: int = 0

    def hint(self, lang: str) -> str:
        """How to type the answer, e.g. "3 decimals" / "保留 3 位小数"; "3 significant
        figures" where the answer is too small for its decimals (see `answer.is_small`)."""
        from dlref.quiz.answer import SIG_FIGS, uses_sig_figs

        zh = lang == "zh"
        if uses_sig_figs(self.answer, self.decimals):
            figures = f"保留 {SIG_FIGS} 位有效数字" if zh else f"{SIG_FIGS} significant figures"
            if self.kind == "vector":
                return ("向量，如 [0.1, 0.9]，" if zh else "a vector, e.g. [0.1, 0.9], ") + figures
            return figures
        if self.kind == "shape":
            return "形状，如 (16, 8, 8)" if zh else "a shape, e.g. (16, 8, 8)"
        if self.kind == "vector":
            head = "向量，如 [0.1, 0.9]" if zh else "a vector, e.g. [0.1, 0.9]"
            if self.decimals is None:
                return head
            if self.decimals == 0:
                return head + ("，元素为整数" if zh else ", whole numbers")
            return head + (f"，保留 {self.decimals} 位小数" if zh else
                           f", {_decimals(self.decimals)}")
        if self.decimals is None:
            return "精确值" if zh else "exact value"
        if self.decimals == 0:
            return "整数" if zh else "a whole number"
        return f"保留 {self.decimals} 位小数" if zh else _decimals(self.decimals)

    def shown_answer(self) -> str:
        """The answer as a person would write it: rounded to the asked decimals (plus one)."""
        if self.kind == "shape":
            return "(" + ", ".join(str(n) for n in self.answer) + ")"
        from dlref.quiz.answer import SIG_FIGS, is_small

        places = 6 if self.decimals is None else self.decimals + 1

        def one(x: float) -> str:
            return f"{x:.{SIG_FIGS}g}" if is_small(x, self.decimals) else rounded(x, places)

        if isinstance(self.answer, list):
            return "[" + ", ".join(one(float(x)) for x in self.answer) + "]"
        return one(float(self.answer))

    def to_dict(self) -> dict[str, Any]:
        answer: Any = list(self.answer) if isinstance(self.answer, tuple) else self.answer
        return {
            "card": self.card,
            "template": self.template,
            "seed": self.seed,
            "kind": self.kind,
            "decimals": self.decimals,
            "prompt": dict(self.prompt),
            "hint": {lang: self.hint(lang) for lang in self.prompt},
            "answer": answer,
            "solution": dict(self.solution),
        }


def _decimals(n: int | None) -> str:
    return f"{n} decimal" + ("" if n == 1 else "s")


Maker = Callable[[Any], Question]


@dataclass(frozen=True)
class Template:
    card: str
    id: str
    make: Maker


_REGISTRY: dict[str, dict[str, Template]] = {}


def template(card: str, template_id: str) -> Callable[[Maker], Maker]:
    """Register `make(rng) -> Question` as template `template_id` of `card`."""

    def register(make: Maker) -> Maker:
        _REGISTRY.setdefault(card, {})[template_id] = Template(card, template_id, make)
        return make

    return register


def _load_all() -> None:
    from dlref.quiz import templates

    for module in pkgutil.iter_modules(templates.__path__):
        importlib.import_module(f"dlref.quiz.templates.{module.name}")


def templates_for(card: str) -> dict[str, Template]:
    """The generated templates of one card (empty if it has none)."""
    if not _REGISTRY:
        _load_all()
    return _REGISTRY.get(card, {})


def all_templates() -> dict[str, dict[str, Template]]:
    if not _REGISTRY:
        _load_all()
    return _REGISTRY


def item_seed(session_seed: int, card: str, template_id: str) -> int:
    """A question's own seed: stable for the same session seed and item."""
    return zlib.crc32(f"{session_seed}:{card}:{template_id}".encode()) & 0x7FFFFFFF


def generate(card: str, template_id: str, seed: int) -> Question:
    """Build the question for one item and seed (answers computed now, by dlref.nn)."""
    import numpy as np

    made = templates_for(card)[template_id].make(np.random.default_rng(seed))
    made.card, made.template, made.seed = card, template_id, seed
    return made


def fixed_questions(card: Any) -> list[Question]:
    """The questions written in a card's file that can be asked; `dlref check` names the
    problems of the others (a user card may hold a malformed one)."""
    from dlref.cards.validate import question_problems

    langs = list(card.blocks()) or ["en"]
    return [_fixed_question(card.id, spec, index) for index, spec in enumerate(card.questions)
            if not question_problems(spec, langs)]


def _fixed_question(card_id: str, spec: dict[str, Any], index: int) -> Question:
    """A question from a spec that passes `question_problems`."""
    answer = spec["answer"]
    kind = spec.get("kind") or ("vector" if isinstance(answer, list) else "scalar")
    if kind == "shape":
        answer = tuple(int(a) for a in answer)
    elif isinstance(answer, list):
        answer = [float(a) for a in answer]
    else:
        answer = float(answer)
    return Question(
        card=card_id,
        template=str(spec.get("id", f"fixed-{index}")),
        prompt=dict(spec["prompt"]),
        answer=answer,
        kind=kind,
        decimals=None if kind == "shape" else spec.get("decimals", 3),
        solution=dict(spec.get("solution", {})),
    )


def rounded(x: float, decimals: int = 4) -> str:
    """A number as it appears in prompts and solutions: short, no trailing zeros."""
    if isinstance(x, float) and math.isfinite(x) and x == int(x) and abs(x) < 1e12:
        return str(int(x))
    return f"{x:.{decimals}f}".rstrip("0").rstrip(".")
