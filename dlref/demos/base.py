"""What every demo is made of: knobs in, a frontend-neutral result out.

A demo never prints. The CLI renders a `Result` as tables and a plotext plot; the TUI renders the
same object with widgets; `--json` dumps `Result.to_dict()`.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from dlref.i18n import BOTH, LANGS, Text, listed, pick, t
from dlref.text.numbers import fmt_num

Bilingual = Mapping[str, str]  # {"en": "...", "zh": "..."}


class KnobError(ValueError):
    """A knob name or value a demo cannot take; the message says what it can take, in the
    learner's language (`text(lang)`), naming the knob by its label and giving its valid
    range or choices."""

    def __init__(self, key: str, knob: Knob | None = None, **fields: object) -> None:
        self.key, self.knob, self.fields = key, knob, fields
        super().__init__(self.text("en"))

    def text(self, lang: str, named: bool = True) -> str:
        """The message in `lang` (both, one per line): what was wrong, then what the knob
        takes. The knob is named by its label, followed by the name `--set` and a card's
        `demo_set` take where the label does not hold it already, unless `named` is false
        (the app, where the message sits under the knob's box)."""
        if lang == BOTH:
            return pick({code: self.text(code, named) for code in LANGS}, BOTH, "\n")
        fields = dict(self.fields)
        if self.knob is None:
            return t(self.key, lang, **fields)
        label = pick(self.knob.label, lang)
        if named and not re.search(rf"(?<!\w){re.escape(self.knob.name)}(?!\w)", label):
            label = t("knob.named", lang, label=label, name=self.knob.name)  # not `p (p)`
        fields.setdefault("label", label)
        return t(self.key, lang, **fields) + t("knob.takes", lang,
                                               what=self.knob.takes(lang))


@dataclass(frozen=True)
class Knob:
    """One input of a demo: its type, default and allowed values."""

    name: str
    label: Bilingual
    kind: str  # "float" | "int" | "choice" | "bool"
    default: Any
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    # what a learner reads for a choice, where it is not the value itself: a word in each
    # language ("quadratic" → 二次函数) or a proper name as it is written ("adam" → Adam)
    choice_labels: Mapping[str, Text] = field(default_factory=dict, hash=False)

    def choice_label(self, value: str, lang: str) -> str:
        """The choice `value` as a learner reads it in `lang` (the app's lists, a default):
        its label, else the value itself."""
        return pick(self.choice_labels.get(value, value), lang)

    def choice_text(self, value: str, lang: str) -> str:
        """The choice `value` as a command line lists it: its label, then the value to type
        where typing the label would not give it (`--set` takes any case): `动量法 (momentum)`,
        but `Adam`."""
        label = self.choice_label(value, lang)
        if label.lower() == value:
            return label
        return t("knob.choice-typed", lang, label=label, value=value)

    def describe(self, lang: str = "en") -> str:
        """The allowed values, for help and error messages: `lr: a number in [1e-05, 10]`."""
        if self.kind == "choice":
            return t("knob.choice", lang, name=self.name, choices=self._choices())
        if self.kind == "bool":
            return t("knob.bool", lang, name=self.name)
        return t(f"knob.{self.kind}", lang, name=self.name, low=_fmt(self.low),
                 high=_fmt(self.high))

    def takes(self, lang: str = "en") -> str:
        """The allowed values without the knob's name, for a message that names it by its
        label: `a number in [1e-05, 10]`."""
        if self.kind == "choice":
            return t("knob.takes-choice", lang, choices=self._choices())
        if self.kind == "bool":
            return t("knob.takes-bool", lang)
        return t(f"knob.takes-{self.kind}", lang, low=_fmt(self.low), high=_fmt(self.high))

    def _choices(self) -> dict[str, str]:
        """The choices as each language lists them, for `describe` and `takes`."""
        return {code: t("list-sep", code).join(self.choice_text(c, code) for c in self.choices)
                for code in LANGS}

    def parse(self, text: str) -> Any:
        """Turn user text (from `--set` or an input box) into a valid value, or raise KnobError."""
        text = text.strip()
        if self.kind == "choice":
            value = text.lower()
            if value not in self.choices:
                raise KnobError("knob.not-allowed", self, value=text)
            return value
        if self.kind == "bool":
            low = text.lower()
            if low in ("1", "true", "yes", "on"):
                return True
            if low in ("0", "false", "no", "off"):
                return False
            raise KnobError("knob.not-allowed", self, value=text)
        try:
            number = float(text)
        except ValueError:
            raise KnobError("knob.not-number", self, value=text) from None
        return self.check(number)

    def check(self, value: Any) -> Any:
        """Validate an already-typed value (e.g. from a card's `demo_set`)."""
        if self.kind == "choice":
            if value not in self.choices:
                raise KnobError("knob.not-allowed", self, value=value)
            return value
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise KnobError("knob.not-allowed", self, value=value)
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise KnobError("knob.not-number", self, value=value)
        if not math.isfinite(value):
            raise KnobError("knob.not-finite", self, value=value)
        if self.kind == "int":
            if value != int(value):
                raise KnobError("knob.not-whole", self, value=fmt_num(value))
            value = int(value)
        if (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        ):
            raise KnobError("knob.out-of-range", self, value=_fmt(value))
        return value


@dataclass
class Series:
    """One line of a plot; the label is plain text or bilingual."""

    label: Text
    x: list[float]
    y: list[float]


@dataclass
class Plot:
    """A plot; title, axis labels and series labels are plain text or bilingual."""

    title: Text
    series: list[Series]
    xlabel: Text = ""
    ylabel: Text = ""
    kind: str = "line"  # "line" | "scatter" | "bar"


@dataclass
class Table:
    """A table; the title and each column header are plain text or bilingual."""

    title: Text
    columns: list[Text]
    rows: list[list[Any]]


@dataclass
class Result:
    """What a demo shows for one set of knob values (or one step of an animation)."""

    plots: list[Plot] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)  # lang -> short notes
    metrics: dict[str, float] = field(default_factory=dict)  # headline numbers
    step: int | None = None  # for step-wise demos: which step this is
    labels: dict[str, Text] = field(default_factory=dict)  # metric name -> what a reader sees

    def metric_label(self, name: str) -> Text:
        """What a reader sees for the metric `name` (its bilingual label, else the name)."""
        return self.labels.get(name, name)

    def notes_in(self, lang: str) -> list[str]:
        """The notes in `lang`; for both languages, the English notes then the Chinese."""
        if lang == BOTH:
            return [n for code in LANGS for n in self.notes.get(code, [])]
        return self.notes.get(lang) or self.notes.get("en", [])

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (floats, strings, lists)."""
        return {
            "step": self.step,
            "metrics": {k: _jsonable(v) for k, v in self.metrics.items()},
            "labels": {k: _text(v) for k, v in self.labels.items()},
            "plots": [
                {
                    "title": _text(p.title),
                    "kind": p.kind,
                    "xlabel": _text(p.xlabel),
                    "ylabel": _text(p.ylabel),
                    "series": [
                        {"label": _text(s.label), "x": _jsonable(s.x), "y": _jsonable(s.y)}
                        for s in p.series
                    ],
                }
                for p in self.plots
            ],
            "tables": [
                {"title": _text(tb.title), "columns": [_text(c) for c in tb.columns],
                 "rows": _jsonable(tb.rows)}
                for tb in self.tables
            ],
            "notes": self.notes,
        }


@dataclass(frozen=True)
class Demo:
    """A runnable demo.

    `run(values, rng)` computes the whole result. Step-wise demos (training, descent) also give
    `frames(values, rng)`, an iterator of Results one step at a time, so a UI can animate them;
    for those, `run` returns the last frame.
    """

    name: str
    title: Bilingual
    knobs: tuple[Knob, ...]
    run: Callable[[dict[str, Any], Any], Result]
    kernels: tuple[Callable[..., Any], ...] = ()  # the dlref.nn code shown by `--code`
    frames: Callable[[dict[str, Any], Any], Iterator[Result]] | None = None

    def defaults(self) -> dict[str, Any]:
        return {k.name: k.default for k in self.knobs}

    def knob(self, name: str) -> Knob:
        for k in self.knobs:
            if k.name == name:
                return k
        raise KnobError("knob.unknown", demo=self.name, name=name,
                        knobs=listed(k.name for k in self.knobs))

    def resolve(self, settings: Mapping[str, str], typed: Mapping[str, Any] = ()) -> dict:
        """Defaults, overridden by typed values (a card's demo_set), then by user text."""
        values = self.defaults()
        for name, value in dict(typed).items():
            values[name] = self.knob(name).check(value)
        for name, text in settings.items():
            values[name] = self.knob(name).parse(text)
        return values


def _fmt(x: float | None) -> str:
    """A knob's bound or value as text; no bound is ∞."""
    return "∞" if x is None else fmt_num(x, 6)


def _text(value: Text) -> Any:
    """A label for JSON: plain text as it is, bilingual text as a dict."""
    return value if isinstance(value, str) else dict(value)


def _jsonable(value: Any) -> Any:
    """NumPy scalars/arrays and nested lists to plain Python; non-finite floats to None."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
