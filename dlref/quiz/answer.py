"""Typed quiz answers: a safe parser for numbers, vectors and shapes, and a tolerant checker.

Why a hand-written parser: answers are typed by people (and pasted from anywhere), so the
parser must accept what a learner would naturally type -- `0.731`, `73.1%`, `1/(1+e^-0.5)`,
`√2/2`, `[1/3, 2/3]`, `16x8x8`, full-width input from a Chinese input method -- and it must be
safe: no `eval`/`exec`/`compile`/`ast`, a fixed grammar with a fixed whitelist of functions
and constants, evaluated in floats, with limits on length, nesting, elements and exponents,
so that no input can run code, take more than a few milliseconds or raise anything but
`AnswerError`.

Grammar (after normalisation, whitespace is free between tokens)::

    expr    := expr ("+" | "-") expr | expr ("*" | "/") expr     left-associative
             | unary ("^" | "**") unary                          right-associative
             | ("-" | "+" | "√") unary | atom ["%"]
    atom    := number | "e" | "pi" | "π" | "(" expr ")" | func "(" expr ")"
    number  := 12 | 0.731 | .731 | 5. | 7.31e-1 | 7.31E-1
    func    := exp | ln | log (natural, as NumPy) | log2 | log10 | sqrt | tanh

`-2^2` is -4 and `√2/2` is (√2)/2: unary signs and `√` take a power as their operand.
`×`, `·` and `⋅` multiply, `÷` divides, `−` (and other dashes) is minus, superscripts are
exponents (`e⁻¹`, `2¹⁰`), `½` is `(1/2)`, `log₂`/`log₁₀` are `log2`/`log10`. Names are
case-insensitive. Functions need parentheses (`ln(2)`, not `ln 2` or `ln2`), and there is no
implicit multiplication (`2pi` is refused with a hint to write `2*pi`).

Kinds (the caller says which one the question expects):

* ``"scalar"``: one expression -> ``float``. A comma is only accepted as a thousands
  separator in a plain number with groups of exactly three digits (`1,000`, `12,345.5`);
  any other comma (`0,731`, `1,5`) is refused with a hint to use a decimal point, never
  guessed. `[0.5]` is refused (a vector, not a number).
* ``"vector"``: elements separated by commas, or by whitespace when there is no comma,
  optionally inside `[...]` or `(...)` -> ``list[float]``. Elements are expressions
  (`[1/3, 2/3]`). Without commas, `1 -2` is two elements and `1 - 2` one (as in MATLAB).
* ``"shape"``: non-negative whole numbers separated by `,`, `x`, `X`, `×`, `*` or spaces,
  optionally bracketed (`(16, 8, 8)`, `16x8x8`, `16×8×8`, `16*8*8`, `[16,8,8]`, `(16,)`)
  -> ``tuple[int, ...]``. Here `*` and `×` separate, they never multiply.
* ``None`` (auto): a vector if there are commas, square brackets or several
  whitespace-separated elements, otherwise a scalar. Never a shape.

Full-width and other compatibility forms are folded with NFKC (`０．７３１`, `１／３`,
`（１６，８，８）`). Chinese punctuation: `，` and `、` separate, `【】` are brackets, and `。`
is read as a decimal point (`0。731` is what the Chinese-punctuation mode of an input method
gives for `0.731`); one trailing `。` ending the answer like a sentence is dropped.
"""

from __future__ import annotations

import difflib
import math
import re
import sys
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Literal, NamedTuple, overload

Kind = Literal["scalar", "vector", "shape"]
Answer = float | list[float] | tuple[int, ...]

MAX_LENGTH = 200  # characters typed
MAX_DEPTH = 20  # nested parentheses and function calls
MAX_ELEMENTS = 64  # elements of a vector or dimensions of a shape
MAX_EXPONENT = 1024.0  # |b| in a^b, refused before computing anything
MAX_DIM_DIGITS = 12  # a shape dimension has at most this many digits
_MAX_LEVELS = 4 * MAX_DEPTH + 20  # recursion of the parser (operator chains like ----1)
_KINDS = ("scalar", "vector", "shape")


class AnswerError(ValueError):
    """An answer that cannot be read. Not a wrong answer: show the hint and ask again.

    `str(error)` is a short hint in English, `error.zh` the same hint in Chinese.
    """

    def __init__(self, message: str, zh: str) -> None:
        super().__init__(message)
        self.zh = zh

    @property
    def en(self) -> str:
        """The English hint (same as `str(error)`)."""
        return str(self.args[0])

    def text(self, lang: str) -> str:
        """The hint in `lang` (both: English, then Chinese)."""
        from dlref.i18n import pick

        return pick({"en": self.en, "zh": self.zh}, lang, " / ")

    def __reduce__(self) -> tuple[type[AnswerError], tuple[str, str]]:
        return (type(self), (self.en, self.zh))


class Tolerance(NamedTuple):
    """How close is right: |given - expected| <= abs_tol + rel_tol * max(|given|, |expected|)."""

    rel_tol: float
    abs_tol: float


EXACT = Tolerance(rel_tol=1e-9, abs_tol=1e-12)
"""The tolerance when no number of decimals is asked for: agree to ~9 significant digits."""


#: How near a rounding tie counts as the tie, in half units of the last asked place. A value a
#: learner reaches by hand can sit exactly on a tie that the exact answer misses by a hair:
#: AdamW's first step is w(1 − ηλ) − η by hand (−1.04945), and Adam's ε moves it by
#: η·ε/|g| (to −1.0494499990…); both roundings of that hand value are right.
TIE_MARGIN = 0.01


def tolerance_for_decimals(decimals: int) -> Tolerance:
    """The tolerance for an answer "rounded to `decimals` decimals".

    Half a unit in the last asked place, widened by TIE_MARGIN: every correctly rounded
    answer is accepted (both roundings at a tie, or within a hundredth of half a unit of
    one), more digits are fine, and an answer one unit off in the last place is rejected. For
    an expected 0.73106 and 3 decimals: 0.731 and 0.7311 are right, 0.732 and 0.730 are wrong.
    0 decimals asks for a whole number (a count, a size, a slope of 0 or 1), so it is `EXACT`:
    7 and 7.0 are right for 7, but 6.6 is not, nor is 0.5 for 0.
    """
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"decimals must be a non-negative int, not {decimals!r}")
    if decimals == 0:
        return EXACT
    half_unit = 0.5 * 10.0 ** -min(decimals, 320)
    return Tolerance(rel_tol=4 * sys.float_info.epsilon, abs_tol=half_unit * (1 + TIE_MARGIN))


#: Small answers asked to n decimals are judged to this many significant figures instead.
SIG_FIGS = 3


def is_small(x: float, decimals: int | None) -> bool:
    """Whether `x`, asked to `decimals` decimals, is judged to SIG_FIGS significant figures:
    it is not zero and smaller than one unit in the last asked place (4.3e-05 to 3 decimals
    would round to 0, so "it all decays" would earn credit)."""
    return (decimals is not None and decimals > 0 and math.isfinite(x)
            and 0 < abs(x) < 10.0 ** -decimals)


def uses_sig_figs(expected: Answer | int, decimals: int | None) -> bool:
    """Whether any entry of this answer is judged to SIG_FIGS significant figures."""
    if isinstance(expected, tuple):
        return False
    values = expected if isinstance(expected, list) else [expected]
    return any(is_small(float(x), decimals) for x in values)


def as_typed(value: Answer, decimals: int | None, sig_figs: bool = False) -> Answer:
    """`value` as a learner who computed exactly it would type it: each entry rounded to the
    asked `decimals`, or to SIG_FIGS significant figures where the prompt asks for those
    (`sig_figs`, see `uses_sig_figs`). Shapes, and answers asked exactly, are as they are."""
    if isinstance(value, tuple) or decimals is None:
        return value

    def one(x: float) -> float:
        if not math.isfinite(x):
            return x
        return float(f"{x:.{SIG_FIGS - 1}e}") if sig_figs else round(x, decimals) + 0.0

    if isinstance(value, list):
        return [one(float(x)) for x in value]
    return one(float(value))


def tolerance_for_sig_figs(x: float, figures: int = SIG_FIGS) -> Tolerance:
    """Half a unit in the `figures`-th significant digit of `x`, widened by TIE_MARGIN as for
    decimals: for 4.3e-05 and 3 figures, 4.30e-05 ± 5.05e-08, so 0.000043 is right and 0 or
    0.00004 are not."""
    exponent = math.floor(math.log10(abs(x)))
    exponent += (10.0 ** (exponent + 1) <= abs(x)) - (10.0 ** exponent > abs(x))  # log10 rounds
    unit = 10.0 ** (exponent - (figures - 1))
    return Tolerance(rel_tol=4 * sys.float_info.epsilon, abs_tol=0.5 * unit * (1 + TIE_MARGIN))


def check_shape(given: Answer, expected: Answer | int) -> None:
    """AnswerError (a hint, not a wrong mark) if `given` has the wrong shape for `expected`:
    a different number of vector entries (a scalar typed for a vector reads as one entry)
    or of shape dimensions. Values are not looked at."""
    if isinstance(expected, list | tuple) and isinstance(given, list | tuple):
        if len(given) != len(expected):
            shape = isinstance(expected, tuple)
            what = ("dimensions", "个维度") if shape else ("entries", "个元素")
            raise AnswerError(
                f"The answer has {len(expected)} {what[0]}; you typed {len(given)}.",
                f"答案有 {len(expected)} {what[1]}，你输入了 {len(given)} 个。")
    elif isinstance(expected, list | tuple):
        raise AnswerError(f"The answer has {len(expected)} entries, e.g. [1, 2].",
                          f"答案有 {len(expected)} 个元素，如 [1, 2]。")


def check_answer(given: Answer, expected: Answer | int, *, decimals: int | None = None,
                 rel_tol: float | None = None, abs_tol: float | None = None) -> bool:
    """Whether a parsed answer is right.

    Scalars and vectors (elementwise, same length) are compared with a tolerance: by default
    `tolerance_for_decimals(decimals)`, or `EXACT` when `decimals` is None; `rel_tol` and
    `abs_tol` override either part. An expected value smaller than one unit in the last asked
    place (`is_small`) is judged to SIG_FIGS significant figures instead, unless a tolerance
    is given. Shapes (an expected tuple) are compared exactly.
    A given answer of the wrong structure (a number for a vector, ...) is simply wrong.
    """
    if isinstance(expected, tuple):
        return (isinstance(given, tuple | list) and len(given) == len(expected)
                and all(_same_int(g, e) for g, e in zip(given, expected, strict=True)))
    base = EXACT if decimals is None else tolerance_for_decimals(decimals)
    tol = Tolerance(base.rel_tol if rel_tol is None else rel_tol,
                    base.abs_tol if abs_tol is None else abs_tol)
    override = rel_tol is not None or abs_tol is not None

    def tol_for(e: object) -> Tolerance:
        if override or isinstance(e, str | bytes):
            return tol
        try:
            x = float(e)  # type: ignore[arg-type]
        except (TypeError, ValueError, OverflowError):
            return tol
        return tolerance_for_sig_figs(x) if is_small(x, decimals) else tol

    if isinstance(expected, list):
        return (isinstance(given, list | tuple) and len(given) == len(expected)
                and all(_close(g, e, tol_for(e)) for g, e in zip(given, expected, strict=True)))
    if isinstance(given, list | tuple):
        return False
    return _close(given, expected, tol_for(expected))


def _same_int(given: object, expected: object) -> bool:
    if isinstance(given, str | bytes):
        return False
    try:
        return float(given) == float(expected)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return False


def _close(given: object, expected: object, tol: Tolerance) -> bool:
    if isinstance(given, str | bytes) or isinstance(expected, str | bytes):
        return False
    try:
        g, e = float(given), float(expected)  # type: ignore[arg-type]
    except (TypeError, ValueError, OverflowError):
        return False
    if not (math.isfinite(g) and math.isfinite(e)):
        return False
    return abs(g - e) <= tol.abs_tol + tol.rel_tol * max(abs(g), abs(e))


@overload
def parse_answer(text: str, kind: Literal["scalar"]) -> float: ...
@overload
def parse_answer(text: str, kind: Literal["vector"]) -> list[float]: ...
@overload
def parse_answer(text: str, kind: Literal["shape"]) -> tuple[int, ...]: ...
@overload
def parse_answer(text: str, kind: str | None = None) -> Answer: ...


def parse_answer(text: str, kind: str | None = None) -> Answer:
    """Read a typed answer: a float (scalar), a list of floats (vector) or a tuple of ints
    (shape), as `kind` says; `kind=None` tells a scalar from a vector by its form.

    Raises AnswerError, with a hint in English and Chinese, for anything that cannot be
    read -- never any other exception for a string, and always within milliseconds.
    """
    if kind is not None and kind not in _KINDS:
        raise ValueError(f"kind must be one of {_KINDS} or None, not {kind!r}")
    if not isinstance(text, str):
        raise TypeError(f"an answer is a str, not {type(text).__name__}")
    normal = _normalise(text)
    if kind == "shape":
        return _parse_shape(normal)
    if kind == "scalar":
        return _parse_scalar(normal)
    return _parse_vector(normal, auto=kind is None)


# --- normalisation -------------------------------------------------------------------------

_TRANSLATE = str.maketrans({
    "\u2212": "-", "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-",  # minus, dashes
    "\u00b7": "*", "\u22c5": "*", "\u2219": "*", "\u2217": "*",  # middle dots, asterisk op
    "\u00f7": "/", "\u2215": "/", "\u2044": "/",  # division sign, division/fraction slash
    "\u3002": ".", "\u3001": ",",  # ideographic full stop (decimal point), enumeration comma
    "\u3010": "[", "\u3011": "]",  # 【 】
})


def _tag(ch: str) -> str:
    """The compatibility tag of a character's decomposition, like "<super>", or ""."""
    d = unicodedata.decomposition(ch)
    return d[: d.index(">") + 1] if d.startswith("<") else ""


def _nfkc(s: str) -> str:
    return unicodedata.normalize("NFKC", s)


def _normalise(text: str) -> str:
    """Fold the many ways of typing the same answer into one ASCII-ish form.

    Superscripts, subscripts and vulgar fractions are handled *before* NFKC, which would turn
    `e⁻¹` into `e-1`, `2²` into `22` and `3½` into `31/2` -- a silently different number.
    """
    if len(text) > MAX_LENGTH:
        raise AnswerError(f"That answer is too long (at most {MAX_LENGTH} characters).",
                          f"答案太长了（最多 {MAX_LENGTH} 个字符）。")
    out: list[str] = []
    i, n = 0, len(text)
    while i < n:
        tag = _tag(text[i])
        if tag in ("<super>", "<sub>"):
            j = i + 1
            while j < n and _tag(text[j]) == tag:
                j += 1
            run = _nfkc(text[i:j])
            if tag == "<super>":
                out.append(f"^({run})")
            elif run.isascii() and run.isdigit() and _nfkc("".join(out)).lower().endswith("log"):
                out.append(run)  # log₂ -> log2, log₁₀ -> log10
            else:
                raise AnswerError("Subscripts are only understood in log₂ and log₁₀.",
                                  "下标只用于 log₂ 和 log₁₀。")
            i = j
            continue
        out.append(f"({_nfkc(text[i])})" if tag == "<fraction>" else text[i])
        i += 1
    s = _nfkc("".join(out)).strip()
    if s.endswith("\u3002"):
        s = s[:-1].rstrip()
    s = s.translate(_TRANSLATE)
    chars = []
    for ch in s:
        if ch.isspace() or unicodedata.category(ch) == "Cf":  # zero-width space, BOM, ...
            chars.append(" ")
        else:
            chars.append(ch)
    s = "".join(chars).strip()
    if not s:
        raise AnswerError("Type a number.", "请输入一个数。")
    if len(s) > 4 * MAX_LENGTH:
        raise AnswerError(f"That answer is too long (at most {MAX_LENGTH} characters).",
                          f"答案太长了（最多 {MAX_LENGTH} 个字符）。")
    return s


def _show(ch: str) -> str:
    """A character for a hint: itself if printable, else its code point."""
    if not ch.isprintable() or ch.isspace():
        return f"U+{ord(ch):04X}"
    return f'"{ch}"' if ch == "'" else f"'{ch}'"


# --- tokens --------------------------------------------------------------------------------

_TOKEN = re.compile(r"""
    (?P<space>\ +)
  | (?P<num>(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?)
  | (?P<name>[A-Za-z_][A-Za-z0-9_]*|π)
  | (?P<op>\*\*|[-+*/^%(),\[\]×√])
""", re.VERBOSE)


@dataclass(frozen=True, slots=True)
class _Tok:
    kind: str  # "num" | "name" | "op" | "end"
    text: str
    space: bool  # whitespace before this token


_END = _Tok("end", "", False)


def _tokenize(s: str) -> list[_Tok]:
    toks: list[_Tok] = []
    pos, space = 0, False
    while pos < len(s):
        m = _TOKEN.match(s, pos)
        if m is None:
            ch = s[pos]
            if ch == "\u221e":  # ∞
                raise _not_finite()
            raise AnswerError(f"Unexpected character {_show(ch)}.", f"无法识别的字符 {_show(ch)}。")
        pos = m.end()
        group = m.lastgroup or ""
        if group == "space":
            space = True
            continue
        text = m.group()
        if group == "name":
            text = "pi" if text == "π" else text.lower()
        elif text == "×":
            text = "*"
        toks.append(_Tok(group, text, space))
        space = False
    return toks


# --- evaluation helpers --------------------------------------------------------------------

def _too_large() -> AnswerError:
    return AnswerError("That number is too large to check.", "这个数太大了，无法判断。")


def _not_finite() -> AnswerError:
    return AnswerError("Type a finite number (not inf or nan).",
                       "请输入有限的数（不能是 inf 或 nan）。")


def _finite(x: float) -> float:
    if not math.isfinite(x):
        raise _too_large()
    return x


def _div(a: float, b: float) -> float:
    if b == 0:
        raise AnswerError("Division by zero.", "除数不能为零。")
    return _finite(a / b)


def _power(a: float, b: float) -> float:
    if abs(b) > MAX_EXPONENT:
        raise AnswerError(f"That exponent is too large (at most {MAX_EXPONENT:g}).",
                          f"指数太大了（最多 {MAX_EXPONENT:g}）。")
    if a == 0 and b < 0:
        raise AnswerError("Division by zero (0 to a negative power).",
                          "除数不能为零（0 的负数次幂）。")
    if a < 0 and b != math.floor(b):
        raise AnswerError("A negative number to a fractional power is not a real number.",
                          "负数的分数次幂不是实数。")
    try:
        return _finite(math.pow(a, b))
    except OverflowError:
        raise _too_large() from None


def _positive(name: str) -> Callable[[float], float]:
    def check(x: float) -> float:
        if x <= 0:
            raise AnswerError(f"{name} needs a positive number.", f"{name} 的参数必须是正数。")
        return x
    return check


def _sqrt(x: float) -> float:
    if x < 0:
        raise AnswerError("The square root of a negative number is not real.",
                          "负数的平方根不是实数。")
    return math.sqrt(x)


_FUNCTIONS: dict[str, Callable[[float], float]] = {
    "exp": math.exp,
    "ln": lambda x: math.log(_positive("ln")(x)),
    "log": lambda x: math.log(_positive("log")(x)),
    "log2": lambda x: math.log2(_positive("log2")(x)),
    "log10": lambda x: math.log10(_positive("log10")(x)),
    "sqrt": _sqrt,
    "tanh": math.tanh,
}
_CONSTANTS = {"e": math.e, "pi": math.pi}
_NOT_FINITE = {"nan", "inf", "infinity", "infty"}
_KNOWN = "e, pi, exp, ln, log, log2, log10, sqrt, tanh"


def _call(name: str, x: float) -> float:
    try:
        return _finite(_FUNCTIONS[name](x))
    except OverflowError:
        raise _too_large() from None
    except ValueError as exc:
        if isinstance(exc, AnswerError):
            raise
        raise AnswerError(f"{name}({x:g}) is not a real number.",
                          f"{name}({x:g}) 不是实数。") from None


def _percent_of_literal(text: str) -> float:
    """`73.1%` -> 0.731 exactly as `float("0.731")`, by moving the decimal exponent."""
    mantissa, _, exponent = text.lower().partition("e")
    return _finite(float(f"{mantissa}e{int(exponent or '0') - 2}"))


# --- expressions ---------------------------------------------------------------------------

_INFIX = {"+": (10, 11), "-": (10, 11), "*": (20, 21), "/": (20, 21), "^": (31, 30),
          "**": (31, 30)}
_UNARY_BP = 25
_PERCENT_BP = 40


def _starts_operand(tok: _Tok) -> bool:
    return tok.kind in ("num", "name") or tok.text in ("(", "√")


class _Parser:
    """A Pratt parser that evaluates as it parses (there is no tree to walk)."""

    def __init__(self, toks: list[_Tok], *, spaces_separate: bool = False,
                 commas: bool = False) -> None:
        self.toks = toks
        self.i = 0
        self.spaces_separate = spaces_separate  # vector without commas: "1 -2" is two
        self.commas = commas  # a vector with commas between its elements
        self.parens = 0
        self.levels = 0

    def peek(self, ahead: int = 0) -> _Tok:
        j = self.i + ahead
        return self.toks[j] if j < len(self.toks) else _END

    def take(self) -> _Tok:
        tok = self.peek()
        self.i += 1
        return tok

    def new_element_sign(self) -> bool:
        """A `+`/`-` after a space and before its operand starts an element: `1 -2`."""
        tok = self.peek()
        return (self.spaces_separate and tok.text in ("+", "-") and tok.space
                and not self.peek(1).space and self.peek(1).kind != "end")

    def expression(self, min_bp: int = 0) -> float:
        self.levels += 1
        if self.levels > _MAX_LEVELS:
            raise AnswerError("That expression is nested too deeply.", "表达式嵌套太深了。")
        first = self.peek()
        left = self.prefix()
        literal = first.text if first.kind == "num" and self.i > 0 and \
            self.toks[self.i - 1] is first else None
        while True:
            tok = self.peek()
            if tok.text == "%" and tok.kind == "op":
                self.take()
                left = _percent_of_literal(literal) if literal else _finite(left / 100)
                literal = None
                if self.peek().text == "%":
                    raise AnswerError("Only one % please.", "只能有一个 %。")
                continue
            if tok.kind != "op" or tok.text not in _INFIX or self.new_element_sign():
                break
            lbp, rbp = _INFIX[tok.text]
            if lbp < min_bp:
                break
            self.take()
            right = self.expression(rbp)
            literal = None
            if tok.text == "+":
                left = _finite(left + right)
            elif tok.text == "-":
                left = _finite(left - right)
            elif tok.text == "*":
                left = _finite(left * right)
            elif tok.text == "/":
                left = _div(left, right)
            else:
                left = _power(left, right)
        self.levels -= 1
        return left

    def open_paren(self) -> None:
        self.parens += 1
        if self.parens > MAX_DEPTH:
            raise AnswerError(f"Too many nested parentheses (at most {MAX_DEPTH}).",
                              f"括号嵌套太多了（最多 {MAX_DEPTH} 层）。")

    def close_paren(self) -> None:
        tok = self.peek()
        if tok.text == ")":
            self.take()
            self.parens -= 1
            return
        if tok.text == ",":
            raise AnswerError("Functions take one argument, and vectors cannot be nested.",
                              "函数只有一个参数，向量也不能嵌套。")
        if tok.kind == "end":
            raise AnswerError("A ')' is missing.", "缺少一个右括号“)”。")
        raise self.unexpected(tok)

    def grouped(self) -> float:
        """`( expr )`, with spaces not separating anything inside."""
        self.open_paren()
        saved, self.spaces_separate = self.spaces_separate, False
        if self.peek().text == ")":
            raise AnswerError("Empty parentheses.", "括号里是空的。")
        value = self.expression(0)
        self.close_paren()
        self.spaces_separate = saved
        return value

    def prefix(self) -> float:
        tok = self.take()
        if tok.kind == "num":
            return _finite(float(tok.text))  # the token pattern only admits valid floats
        if tok.kind == "name":
            return self.name(tok)
        if tok.text == "(":
            return self.grouped()
        if tok.text in ("-", "+"):
            value = self.expression(_UNARY_BP)
            return -value if tok.text == "-" else value
        if tok.text == "√":
            return _call("sqrt", self.expression(_UNARY_BP))
        if tok.kind == "end":
            raise AnswerError("The answer is incomplete: a number is missing at the end.",
                              "答案不完整：末尾缺少一个数。")
        if tok.text in _INFIX or tok.text == "%":
            raise AnswerError(f"A number is missing before '{tok.text}'.",
                              f"“{tok.text}”前面缺少一个数。")
        if tok.text == ",":
            raise AnswerError("A number is missing before ','.", "“,”前面缺少一个数。")
        if tok.text in ("[", "]"):
            raise AnswerError("Square brackets only go around a whole vector, e.g. [0.1, 0.9].",
                              "方括号只能括住整个向量，如 [0.1, 0.9]。")
        raise self.unexpected(tok)

    def name(self, tok: _Tok) -> float:
        name = tok.text
        if name in _CONSTANTS:
            return _CONSTANTS[name]
        if name in _FUNCTIONS:
            if self.peek().text != "(":
                raise AnswerError(f"Put the argument of {name} in parentheses: {name}(…).",
                                  f"请把 {name} 的参数放在括号里：{name}(…)。")
            self.take()
            self.open_paren()
            saved, self.spaces_separate = self.spaces_separate, False
            if self.peek().text == ")":
                raise AnswerError(f"{name}() needs an argument.", f"{name}() 缺少参数。")
            value = self.expression(0)
            self.close_paren()
            self.spaces_separate = saved
            return _call(name, value)
        if name in _NOT_FINITE:
            raise _not_finite()
        for known in sorted(_FUNCTIONS, key=len, reverse=True):
            rest = name[len(known):]
            if name.startswith(known) and rest.isdigit():
                raise AnswerError(f"Put the argument in parentheses: {known}({rest}).",
                                  f"请把参数放在括号里：{known}({rest})。")
        for const in _CONSTANTS:
            rest = name[len(const):]
            if name.startswith(const) and rest.isdigit():
                raise AnswerError(f"Write {const}^{rest} or {const}*{rest}.",
                                  f"请写成 {const}^{rest} 或 {const}*{rest}。")
        close = difflib.get_close_matches(name[:20], [*_FUNCTIONS, "pi"], n=1)
        shown = name if len(name) <= 20 else name[:20] + "…"
        tip_en = f" Did you mean {close[0]}?" if close else ""
        tip_zh = f"你是想写 {close[0]} 吗？" if close else ""
        raise AnswerError(f"Unknown name '{shown}' (known: {_KNOWN}).{tip_en}",
                          f"无法识别“{shown}”（可用：{_KNOWN}）。{tip_zh}")

    def unexpected(self, tok: _Tok) -> AnswerError:
        """The error for a token that cannot come where it is."""
        if tok.kind == "end":
            return AnswerError("The answer is incomplete.", "答案不完整。")
        if tok.text == ")":
            return AnswerError("There is a ')' without a matching '('.", "多了一个右括号“)”。")
        if tok.text == "(" and not tok.space:
            return AnswerError("Write * to multiply before '(' (e.g. 2*(1+3)).",
                               "在“(”前面用 * 表示乘法，如 2*(1+3)。")
        previous = self.toks[self.i - 1] if 0 < self.i <= len(self.toks) else _END
        if tok.kind == "num" and previous.kind == "num" and not tok.space:
            return AnswerError(f"The number {previous.text}{tok.text} is malformed.",
                               f"数字 {previous.text}{tok.text} 的格式不对。")
        if tok.kind == "name" and tok.text.startswith("e") and previous.kind == "num" \
                and not tok.space:
            return AnswerError(f"Write {previous.text}e3 for powers of ten, or"
                               f" {previous.text}*e to multiply by e.",
                               f"10 的幂请写成 {previous.text}e3，"
                               f"乘以 e 请写成 {previous.text}*e。")
        if self.commas and _starts_operand(tok):
            return AnswerError(f"A ',' is missing before '{tok.text[:20]}'.",
                               f"“{tok.text[:20]}”前面缺少逗号“,”。")
        if _starts_operand(tok):
            shown = tok.text if len(tok.text) <= 20 else tok.text[:20] + "…"
            if tok.space:
                return AnswerError(f"Expected a single number, but '{shown}' follows it."
                                   " To multiply, write *.",
                                   f"只需要一个数，但后面还有“{shown}”。乘法请用 *。")
            return AnswerError(f"Write * to multiply before '{shown}' (e.g. 2*pi).",
                               f"在“{shown}”前面用 * 表示乘法，如 2*pi。")
        if tok.text == ",":
            return AnswerError("Use a point for decimals (0.731); commas separate vector"
                               " elements.", "小数请用小数点（0.731）；逗号用于分隔向量元素。")
        if tok.text in ("[", "]"):
            return AnswerError("Expected a single number, not a vector.",
                               "只需要一个数，不是向量。")
        return AnswerError(f"Unexpected '{tok.text}'.", f"这里不能有“{tok.text}”。")


# --- kinds ---------------------------------------------------------------------------------

_THOUSANDS = re.compile(r"[+-]?[1-9][0-9]{0,2}(?:,[0-9]{3})+(?:\.[0-9]+)?")
_DECIMAL_COMMA = re.compile(r"[+-]?[0-9]*,[0-9]+")


def _parse_scalar(s: str) -> float:
    if _THOUSANDS.fullmatch(s):
        s = s.replace(",", "")
    elif _DECIMAL_COMMA.fullmatch(s):
        point = s.replace(",", ".")
        raise AnswerError(f"Use a decimal point: {point}.", f"请用小数点：{point}。")
    toks = _tokenize(s)
    if toks and toks[0].text == "[":
        raise AnswerError("Expected a single number, not a vector.", "只需要一个数，不是向量。")
    parser = _Parser(toks)
    value = parser.expression(0)
    if parser.peek().kind != "end":
        raise parser.unexpected(parser.peek())
    return value


def _matching(toks: Sequence[_Tok], start: int) -> int:
    """Index of the bracket closing the one at `start`, or -1."""
    opening = toks[start].text
    closing = ")" if opening == "(" else "]"
    depth = 0
    for j in range(start, len(toks)):
        if toks[j].text == opening:
            depth += 1
        elif toks[j].text == closing:
            depth -= 1
            if depth == 0:
                return j
    return -1


def _parse_vector(s: str, *, auto: bool) -> float | list[float]:
    toks = _tokenize(s)
    square = bool(toks) and toks[0].text == "["
    if square:
        end = _matching(toks, 0)
        if end == -1:
            raise AnswerError("A ']' is missing.", "缺少一个右方括号“]”。")
        if end != len(toks) - 1:
            raise AnswerError("Nothing can follow the closing ']'.", "“]”后面不能再有内容。")
        toks = toks[1:-1]
    elif toks and toks[0].text == "(" and _matching(toks, 0) == len(toks) - 1:
        toks = toks[1:-1]
    if any(t.text in ("[", "]") for t in toks):
        raise AnswerError("Vectors cannot be nested; use one pair of [ ].",
                          "向量不能嵌套；只用一对 [ ]。")
    if not toks:
        raise AnswerError("The vector is empty.", "向量是空的。")
    commas = any(t.text == "," for t in toks)
    parser = _Parser(toks, spaces_separate=not commas, commas=commas)
    values: list[float] = []
    while True:
        if len(values) == MAX_ELEMENTS:
            raise AnswerError(f"Too many elements (at most {MAX_ELEMENTS}).",
                              f"元素太多了（最多 {MAX_ELEMENTS} 个）。")
        values.append(parser.expression(0))
        tok = parser.peek()
        if tok.kind == "end":
            break
        if commas and tok.text == ",":
            parser.take()
            if parser.peek().kind == "end":  # one trailing comma, as in (0.5,)
                break
            if parser.peek().text == ",":
                raise AnswerError("An element is missing between two commas.",
                                  "两个逗号之间缺少一个元素。")
            continue
        if not commas and tok.space and (_starts_operand(tok) or tok.text in ("+", "-")):
            continue
        raise parser.unexpected(tok)
    if auto and len(values) == 1 and not commas and not square:
        return values[0]
    return values


_SHAPE_TOKEN = re.compile(r"([0-9]+)|([,xX×*])|( +)|(.)")
_SHAPE_HINT = ("A shape is whole numbers separated by commas or x, e.g. (16, 8, 8) or 16x8x8.",
               "形状是用逗号或 x 分隔的整数，如 (16, 8, 8) 或 16x8x8。")


def _parse_shape(s: str) -> tuple[int, ...]:
    pairs = {"(": ")", "[": "]"}
    if s[0] in pairs:
        if s[-1] != pairs[s[0]] or len(s) < 2:
            raise AnswerError(f"A '{pairs[s[0]]}' is missing at the end.",
                              f"末尾缺少“{pairs[s[0]]}”。")
        s = s[1:-1].strip()
    dims: list[int] = []
    explicit = False  # the last separator was a comma or x, not just spaces
    last_sep = ""
    for m in _SHAPE_TOKEN.finditer(s):
        digits, sep, space, other = m.groups()
        if digits is not None:
            if len(digits) > MAX_DIM_DIGITS:
                raise AnswerError("That dimension is too large.", "这个维度太大了。")
            if len(dims) == MAX_ELEMENTS:
                raise AnswerError(f"Too many dimensions (at most {MAX_ELEMENTS}).",
                                  f"维度太多了（最多 {MAX_ELEMENTS} 个）。")
            dims.append(int(digits))
            explicit = False
        elif sep is not None:
            if not dims or explicit:
                raise AnswerError("A dimension is missing between two separators.",
                                  "两个分隔符之间缺少一个维度。")
            explicit, last_sep = True, sep
        elif space is None:
            if other == ".":
                raise AnswerError("Shape dimensions are whole numbers.", "形状的维度是整数。")
            if other in "-−":
                raise AnswerError("Shape dimensions cannot be negative.", "形状的维度不能是负数。")
            raise AnswerError(*_SHAPE_HINT)
    if not dims:
        raise AnswerError("The shape is empty.", "形状是空的。")
    if explicit and last_sep != ",":
        raise AnswerError("A dimension is missing at the end.", "末尾缺少一个维度。")
    return tuple(dims)


__all__ = [
    "EXACT", "MAX_DEPTH", "MAX_ELEMENTS", "MAX_EXPONENT", "MAX_LENGTH", "Answer", "AnswerError",
    "Kind", "SIG_FIGS", "Tolerance", "check_answer", "check_shape", "is_small", "parse_answer",
    "tolerance_for_decimals", "tolerance_for_sig_figs", "uses_sig_figs",
]
