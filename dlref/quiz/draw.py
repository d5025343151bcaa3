"""Drawing friendly random numbers and writing them in prompts and solutions.

Shared by every quiz template module: numbers with one decimal, never an accidental 0 or -0,
shown without binary noise (-4.94, not -4.9399999999999995).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from dlref.quiz.questions import rounded


def draw(rng, low: float, high: float, *, nonzero: bool = True, decimals: int = 1) -> float:
    """A random number with `decimals` decimals in [low, high]; never 0 when `nonzero`."""
    while True:
        x = round(float(rng.uniform(low, high)), decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
        if x != 0.0 or not nonzero:
            return x


def draws(rng, n: int, low: float, high: float, **kw) -> list[float]:
    """`n` numbers from `draw`."""
    return [draw(rng, low, high, **kw) for _ in range(n)]


def pick(rng, options: Sequence):
    """One of `options`, as a plain Python value."""
    return options[int(rng.integers(len(options)))]


def vec(xs, decimals: int = 4) -> str:
    """[a, b, c] with the numbers shown as `rounded` shows them."""
    return "[" + ", ".join(show(float(x), decimals) for x in np.ravel(xs)) + "]"


def mat(rows, decimals: int = 4) -> str:
    """[[a, b], [c, d]]."""
    return "[" + ", ".join(vec(r, decimals) for r in rows) + "]"


def clean(x) -> float:
    """A kernel's number as a Python float without binary noise (-4.94, not -4.9399999999999995).

    Twelve decimals are far below any tolerance a question asks for.
    """
    return round(float(x), 12) + 0.0


def show(x, decimals: int = 4) -> str:
    """A number as prompts and solutions show it (`rounded`), never as "-0".

    A non-zero number too small to keep two significant digits at `decimals` decimals is
    written to three significant figures instead (4.58e-06, 0.000784): at four decimals it
    would read "-0" or "0.0008", a step no learner can carry on from, and such an answer is
    judged to three significant figures (`answer.is_small`).
    """
    v = clean(x)
    if v != 0 and abs(v) < 10.0 ** -(decimals - 1):
        return f"{v:.3g}"
    return rounded(v, decimals)


def floats(xs) -> list[float]:
    """A kernel's array output as a list of clean Python floats (what a vector answer is)."""
    return [clean(v) for v in np.ravel(xs)]


def paren(x: float, decimals: int = 4) -> str:
    """A number for a product or sum: negatives in parentheses, `3 × (-2)`."""
    s = show(x, decimals)
    return f"({s})" if s.startswith("-") else s


def tup(xs, decimals: int = 4) -> str:
    """(a, b, c): a point or a tuple, as opposed to a vector answer."""
    return "(" + ", ".join(show(float(x), decimals) for x in np.ravel(xs)) + ")"


def trap(value, en: str, zh: str, card: str = ""):
    """A known mistake's wrong answer for these numbers (`Question.traps`), named in both
    languages; `card` is the card whose Misconceptions explain it (default: the question's)."""
    from dlref.quiz.questions import Trap

    if isinstance(value, tuple):
        value = tuple(int(v) for v in value)
    elif isinstance(value, list | np.ndarray):
        value = floats(value)
    else:
        value = clean(value)
    return Trap(value, {"en": en, "zh": zh}, card)
