"""What every demo is made of: knobs in, a frontend-neutral result out.

A demo never prints. The CLI renders a `Result` as tables and a plotext plot; the TUI renders the
same object with widgets; `--json` dumps `Result.to_dict()`.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

Bilingual = Mapping[str, str]  # {"en": "...", "zh": "..."}


class KnobError(ValueError):
    """A knob name or value a demo cannot take; the message says what it can take."""


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

    def describe(self) -> str:
        """The allowed values, for help and error messages: `lr: float in [1e-05, 10]`."""
        if self.kind == "choice":
            return f"{self.name}: one of {', '.join(self.choices)}"
        if self.kind == "bool":
            return f"{self.name}: true or false"
        return f"{self.name}: {self.kind} in [{_fmt(self.low)}, {_fmt(self.high)}]"

    def parse(self, text: str) -> Any:
        """Turn user text (from `--set` or an input box) into a valid value, or raise KnobError."""
        text = text.strip()
        if self.kind == "choice":
            value = text.lower()
            if value not in self.choices:
                raise KnobError(f"{self.name}={text!r} is not allowed; {self.describe()}")
            return value
        if self.kind == "bool":
            low = text.lower()
            if low in ("1", "true", "yes", "on"):
                return True
            if low in ("0", "false", "no", "off"):
                return False
            raise KnobError(f"{self.name}={text!r} is not allowed; {self.describe()}")
        try:
            number = float(text)
        except ValueError:
            raise KnobError(f"{self.name}={text!r} is not a number; {self.describe()}") from None
        return self.check(number)

    def check(self, value: Any) -> Any:
        """Validate an already-typed value (e.g. from a card's `demo_set`)."""
        if self.kind == "choice":
            if value not in self.choices:
                raise KnobError(f"{self.name}={value!r} is not allowed; {self.describe()}")
            return value
        if self.kind == "bool":
            if not isinstance(value, bool):
                raise KnobError(f"{self.name}={value!r} is not allowed; {self.describe()}")
            return value
        if isinstance(value, bool) or not isinstance(value, int | float):
            raise KnobError(f"{self.name}={value!r} is not a number; {self.describe()}")
        if not math.isfinite(value):
            raise KnobError(f"{self.name}={value!r} is not finite; {self.describe()}")
        if self.kind == "int":
            if value != int(value):
                raise KnobError(f"{self.name}={value!r} is not a whole number; {self.describe()}")
            value = int(value)
        if (self.low is not None and value < self.low) or (
            self.high is not None and value > self.high
        ):
            raise KnobError(f"{self.name}={_fmt(value)} is out of range; {self.describe()}")
        return value


@dataclass
class Series:
    """One line of a plot."""

    label: str
    x: list[float]
    y: list[float]


@dataclass
class Plot:
    title: Bilingual
    series: list[Series]
    xlabel: str = ""
    ylabel: str = ""
    kind: str = "line"  # "line" | "scatter" | "bar"


@dataclass
class Table:
    title: Bilingual
    columns: list[str]
    rows: list[list[Any]]


@dataclass
class Result:
    """What a demo shows for one set of knob values (or one step of an animation)."""

    plots: list[Plot] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    notes: dict[str, list[str]] = field(default_factory=dict)  # lang -> short notes
    metrics: dict[str, float] = field(default_factory=dict)  # headline numbers
    step: int | None = None  # for step-wise demos: which step this is

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-ready data (floats, strings, lists)."""
        return {
            "step": self.step,
            "metrics": {k: _jsonable(v) for k, v in self.metrics.items()},
            "plots": [
                {
                    "title": dict(p.title),
                    "kind": p.kind,
                    "xlabel": p.xlabel,
                    "ylabel": p.ylabel,
                    "series": [
                        {"label": s.label, "x": _jsonable(s.x), "y": _jsonable(s.y)}
                        for s in p.series
                    ],
                }
                for p in self.plots
            ],
            "tables": [
                {"title": dict(t.title), "columns": t.columns, "rows": _jsonable(t.rows)}
                for t in self.tables
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
        valid = "; ".join(k.describe() for k in self.knobs)
        raise KnobError(f"demo {self.name!r} has no knob {name!r}; knobs: {valid}")

    def resolve(self, settings: Mapping[str, str], typed: Mapping[str, Any] = ()) -> dict:
        """Defaults, overridden by typed values (a card's demo_set), then by user text."""
        values = self.defaults()
        for name, value in dict(typed).items():
            values[name] = self.knob(name).check(value)
        for name, text in settings.items():
            values[name] = self.knob(name).parse(text)
        return values


def _fmt(x: float | None) -> str:
    if x is None:
        return "∞"
    return f"{x:g}"


def _jsonable(value: Any) -> Any:
    """NumPy scalars/arrays and nested lists to plain Python; non-finite floats to None."""
    if hasattr(value, "tolist"):
        value = value.tolist()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value
