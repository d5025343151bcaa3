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


@dataclass(frozen=True)
class Trap:
    """A wrong answer that a known mistake produces, for the numbers drawn.

    `value` is computed by making the mistake; `name` says the mistake in each language;
    `card` is the card whose Misconceptions section explains it (the question's own card
    when empty).
    """

    value: Answer
    name: dict[str, str]
    card: str = ""

    def to_dict(self) -> dict[str, Any]:
        value: Any = list(self.value) if isinstance(self.value, tuple) else self.value
        return {"value": value, "name": dict(self.name), "card": self.card}


@dataclass(frozen=True)
class Option:
    """One option of a choice question, with the one-line reason shown after the answer."""

    text: dict[str, str]
    why: dict[str, str]
    right: bool = False


@dataclass
class Question:
    """One question, ready to ask in any language and to check."""

    card: str
    template: str
    prompt: dict[str, str]
    answer: Answer
    kind: str = "scalar"  # "scalar" | "vector" | "shape"; a choice question is a scalar
    # (its right option's number, exactly) that has `options`, so every answer path takes it
    decimals: int | None = 3  # answers rounded to this many decimals are right
    solution: dict[str, str] = field(default_factory=dict)
    seed: int = 0
    traps: list[Trap] = field(default_factory=list)  # wrong answers of known mistakes
    options: list[Option] = field(default_factory=list)  # a choice question's, in asked order

    def live_traps(self) -> list[Trap]:
        """The traps that can be told apart from the right answer (and from an earlier trap)
        within the question's tolerance; a trap that coincides for these numbers is dropped.

        A trap within the tolerance of the answer is kept when its value, typed to the asked
        decimals, is not: the learner who makes the mistake types that, and is marked wrong.
        A trap typed as an earlier one is dropped: that answer names the earlier mistake."""
        from dlref.quiz.answer import as_typed, check_answer, uses_sig_figs

        sig_figs = uses_sig_figs(self.answer, self.decimals)

        def typed(trap: Trap) -> Answer:
            return as_typed(trap.value, self.decimals, sig_figs)

        kept: list[Trap] = []
        for trap in self.traps:
            values = trap.value if isinstance(trap.value, list | tuple) else [trap.value]
            if not all(math.isfinite(float(v)) for v in values):
                continue  # a mistake that gives no number here (a division by 0) tells nothing
            if all(check_answer(v, self.answer, decimals=self.decimals)
                   for v in (trap.value, typed(trap))):
                continue
            if any(check_answer(trap.value, k.value, decimals=self.decimals)
                   or typed(trap) == typed(k) for k in kept):
                continue  # typed alike, the learner's answer names the earlier one
            kept.append(trap)
        return kept

    def diagnose(self, given: Answer) -> Trap | None:
        """The known mistake a parsed wrong answer matches, or None. The mistake's value is
        compared as the prompt asked the learner to type: to its decimals (however small the
        mistaken value is), or to significant figures where the prompt asked for those."""
        from dlref.quiz.answer import check_answer, tolerance_for_decimals, uses_sig_figs

        if self.options or check_answer(given, self.answer, decimals=self.decimals):
            return None
        typed_as: dict[str, float] = {}
        if self.decimals and not uses_sig_figs(self.answer, self.decimals):
            tol = tolerance_for_decimals(self.decimals)
            typed_as = {"rel_tol": tol.rel_tol, "abs_tol": tol.abs_tol}
        for trap in self.live_traps():
            if check_answer(given, trap.value, decimals=self.decimals, **typed_as):
                return trap
        return None

    def answer_text(self, text: str) -> str:
        """What to check for a typed answer: a choice question's option letter (or T/F)
        becomes its number, anything else is passed on as typed."""
        if self.options:
            number = self.choice_number(text)
            if number is not None:
                return str(number)
        return text

    def choice_number(self, text: str) -> int | None:
        """A choice answer (1, 2, … or a, b, …; T/F, 对/错 for true/false) as its option number
        (1-based), or None when the text names no option."""
        s = text.strip().lower().rstrip(".)）、")
        n = len(self.options)
        if s.isdecimal() and len(s) <= 3 and 1 <= int(s) <= n:  # not "²", nor 5000 digits
            return int(s)
        if len(s) == 1 and "a" <= s <= "z" and ord(s) - ord("a") < n:
            return ord(s) - ord("a") + 1
        if n == 2:  # true/false: the options are always True, False in that order
            if s in ("t", "true", "对", "正确", "是", "√"):
                return 1
            if s in ("f", "false", "错", "错误", "否", "×"):
                return 2
        return None

    def shown_given(self, given: str) -> str:
        """A recorded answer as the learner knows it: a choice question's option number (what
        the session records, whether a letter, T/F or the number was typed) as its number and
        letter, "2 (b)", as the options were listed; anything else (? included) as recorded."""
        s = given.strip()
        if self.options and s.isdecimal() and len(s) <= 3 and 1 <= int(s) <= len(self.options):
            return choice_label(int(s))
        return given

    def reasons_text(self, lang: str, sep: str = " / ") -> list[str]:
        """After a choice question is answered: each option's number, ✓ or ✗, and its reason."""
        from dlref.i18n import one, pick, t

        if len(self.options) == 2 and self.options[0].why == self.options[1].why:
            k = int(self.answer)  # true/false: one reason for the statement
            return [f"{k}) ✓ {pick(self.options[k - 1].text, lang, sep)}"
                    f"{t('colon', one(lang))}{pick(self.options[0].why, lang, sep)}"]
        return [f"{i}) {'✓' if o.right else '✗'} {pick(o.why, lang, sep)}"
                for i, o in enumerate(self.options, 1)]

    def choices_text(self, lang: str, sep: str = " / ") -> list[str]:
        """The options as printed under the prompt: "1) a. …"."""
        from dlref.i18n import pick

        return [f"{i}/{chr(ord('a') + i - 1)}) {pick(o.text, lang, sep)}"
                for i, o in enumerate(self.options, 1)]

    def hint(self, lang: str) -> str:
        """How to type the answer, e.g. "3 decimals" / "保留 3 位小数"; "3 significant
        figures" where the answer is too small for its decimals (see `answer.is_small`)."""
        from dlref.quiz.answer import SIG_FIGS, uses_sig_figs

        zh = lang == "zh"
        if self.options:
            n = len(self.options)
            if n == 2 and self.options[0].text.get("en") == "True":
                return ("1 或 t = 对，2 或 f = 错" if zh else
                        "1 or t = true, 2 or f = false")
            last = chr(ord("a") + n - 1)
            return (f"选项编号 1–{n} 或字母 a–{last}" if zh else
                    f"an option: 1–{n} or a–{last}")
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
        """The answer as the prompt asks it to be typed (the verdict says it, Anki's type-in
        note compares with it): to the asked decimals (0.7990 for 4, a whole number without a
        point, never -0.000), to SIG_FIGS significant figures where it is smaller than one
        unit of them, or to 6 decimals for an exact value; a vector's entries in [ ], a shape
        as (16, 8, 8), a choice as its number and letter. The solution beside it gives more
        digits. (One decimal more here, as it was, showed 1.23235 for 1.2323547 asked to 4:
        a tie to the eye where the answer is 1.2324.)"""
        if self.kind == "shape":
            return "(" + ", ".join(str(n) for n in self.answer) + ")"
        if self.options:
            return choice_label(int(self.answer))
        from dlref.quiz.answer import SIG_FIGS, is_small

        def one(x: float) -> str:
            if is_small(x, self.decimals):
                return f"{x:.{SIG_FIGS}g}"
            if self.decimals is None:
                return rounded(x, 6)
            text = f"{x:.{self.decimals}f}"
            return text.lstrip("-") if float(text) == 0 else text

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
            **({"traps": [t.to_dict() for t in self.live_traps()]} if self.traps else {}),
            **({"options": [{"text": dict(o.text), "why": dict(o.why), "right": o.right}
                            for o in self.options]} if self.options else {}),
        }


def choice_label(k: int) -> str:
    """Option k (1-based) as the options are listed under the prompt ("2/b)"), for the verdict
    and what undo says: "2 (b)"."""
    return f"{k} ({chr(ord('a') + k - 1)})"


def _decimals(n: int | None) -> str:
    return f"{n} decimal" + ("" if n == 1 else "s")


CHOICE_KINDS = ("choice", "true-false")

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
    made.traps = made.live_traps()
    return made


def fixed_questions(card: Any) -> list[Question]:
    """The questions written in a card's file that can be asked; `dlref check` names the
    problems of the others (a user card may hold a malformed one)."""
    from dlref.cards.validate import question_problems

    langs = list(card.blocks()) or ["en"]
    return [_fixed_question(card.id, spec, index) for index, spec in enumerate(card.questions)
            if not question_problems(spec, langs)]


def seeded(questions: list[Question], seed: int) -> list[Question]:
    """Questions with every choice question's options shuffled by the session `seed`."""
    return [shuffled(q, item_seed(seed, q.card, q.template)) if q.options else q
            for q in questions]


def shuffled(question: Question, seed: int) -> Question:
    """A choice question with its options in an order drawn from `seed` (true/false keeps
    True, False); the answer follows the right option."""
    import copy

    import numpy as np

    q = copy.copy(question)
    q.seed = seed
    if len(q.options) > 2:
        order = np.random.default_rng(seed).permutation(len(q.options))
        q.options = [question.options[int(k)] for k in order]
    q.answer = float(next(i for i, o in enumerate(q.options, 1) if o.right))
    return q


def _choice_question(card_id: str, spec: dict[str, Any], index: int) -> Question:
    """A choice question from its spec: true/false (`answer = true|false`, one `why`) or
    `options`, each with `text`, `why` and (one of them) `right = true`."""
    if "options" in spec:
        options = [Option(dict(o["text"]), dict(o["why"]), bool(o.get("right", False)))
                   for o in spec["options"]]
    else:
        truth = bool(spec["answer"])
        why = dict(spec["why"])
        options = [Option({"en": "True", "zh": "对"}, why, truth),
                   Option({"en": "False", "zh": "错"}, why, not truth)]
    answer = float(next(i for i, o in enumerate(options, 1) if o.right))
    return Question(card=card_id, template=str(spec.get("id", f"fixed-{index}")),
                    prompt=dict(spec["prompt"]), answer=answer, kind="scalar", decimals=0,
                    solution=dict(spec.get("solution", {})), options=options)


def _fixed_question(card_id: str, spec: dict[str, Any], index: int) -> Question:
    """A question from a spec that passes `question_problems`."""
    if spec.get("kind") in CHOICE_KINDS:
        return _choice_question(card_id, spec, index)
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
