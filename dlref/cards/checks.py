"""Recomputing a card's worked example with dlref.nn, so a number in a card cannot drift.

A check names a kernel by its public name in `dlref.nn.__all__` (never an arbitrary attribute,
never code), literal arguments, and the expected value.
"""

from __future__ import annotations

import inspect
from typing import Any

ALLOWED_KEYS = {"kernel", "args", "kwargs", "steps", "pick", "expect", "tol", "shows"}
DEFAULT_TOL = 5e-4


class CheckError(Exception):
    """A check that is malformed or whose number disagrees with the code; `str()` says why in
    English, `text(lang)` in the learner's language (as `StoreError` does)."""

    def __init__(self, message: str, key: str | None = None, /, **fields: object) -> None:
        super().__init__(message)
        self.key, self.fields = key, fields

    @classmethod
    def said(cls, key: str, /, **fields: object) -> CheckError:
        """The error whose words are the catalogue entry `key` (English for `str()`)."""
        from dlref.i18n import t

        return cls(t(key, "en", **fields), key, **fields)

    def text(self, lang: str) -> str:
        """Why, in `lang` (both: English, then Chinese, one line each)."""
        from dlref.i18n import t

        return str(self) if self.key is None else t(self.key, lang, sep="\n", **self.fields)

    @property
    def words(self) -> dict[str, str]:
        """Why, in each language: a bilingual field for a message that quotes the error."""
        from dlref.i18n import LANGS

        return {code: self.text(code) for code in LANGS}


def _array(value: Any) -> Any:
    import numpy as np

    return np.asarray(value) if isinstance(value, list) else value


def evaluate(spec: dict[str, Any]) -> Any:
    """Run the kernel named by a check and return the picked part of its result."""
    import numpy as np

    from dlref import nn

    unknown = set(spec) - ALLOWED_KEYS
    if unknown:
        from dlref.cards.parse import listed

        raise CheckError.said("content.c.unknown-keys", keys=listed(sorted(unknown)))
    name = spec.get("kernel")
    if not isinstance(name, str) or name not in nn.__all__:
        raise CheckError.said("content.c.no-kernel", name=repr(name))
    kernel = getattr(nn, name)
    args = spec.get("args", [])
    kwargs = spec.get("kwargs", {})
    if not isinstance(args, list) or not isinstance(kwargs, dict):
        raise CheckError.said("content.c.args")
    kwargs = {k: _array(v) for k, v in kwargs.items()}
    try:
        if inspect.isclass(kernel):
            if not args or not isinstance(args[0], list):
                raise CheckError.said("content.c.optimiser-args")
            params = [np.asarray(p, dtype=float) for p in args[0]]
            optimiser = kernel(params, *[_array(a) for a in args[1:]], **kwargs)
            for grads in spec.get("steps", []):
                optimiser.step([np.asarray(g, dtype=float) for g in grads])
            result: Any = params
        else:
            result = kernel(*[_array(a) for a in args], **kwargs)
        for index in spec.get("pick", []):
            result = result[index]
    except CheckError:
        raise
    except Exception as exc:  # the kernel refused the arguments: report, don't crash check
        raise CheckError.said("content.c.raised", name=name, type=type(exc).__name__,
                              error=str(exc)) from None
    return result


def verify(spec: dict[str, Any]) -> None:
    """Raise CheckError unless the kernel's result matches `expect` within `tol`."""
    import numpy as np

    if "expect" not in spec:
        raise CheckError.said("content.c.no-expect")
    got = evaluate(spec)
    tol = spec.get("tol", DEFAULT_TOL)
    try:
        got_arr = np.asarray(got, dtype=float)
        want = np.asarray(spec["expect"], dtype=float)
    except (TypeError, ValueError) as exc:
        raise CheckError.said("content.c.not-numeric", error=str(exc)) from None
    if got_arr.shape != want.shape:
        raise CheckError.said("content.c.shape", kernel=spec["kernel"], got=str(got_arr.shape),
                              want=str(want.shape))
    if not np.allclose(got_arr, want, rtol=0, atol=tol, equal_nan=False):
        shown = np.array2string(got_arr, precision=6, separator=", ")
        raise CheckError.said("content.c.differs", kernel=spec["kernel"], got=shown,
                              expect=str(spec["expect"]), tol=f"{tol:g}")


def expected_strings(spec: dict[str, Any]) -> list[str]:
    """What the Example section must show: `shows`, or every number of `expect` as written."""
    if "shows" in spec:
        shows = spec["shows"]
        return [str(s) for s in (shows if isinstance(shows, list) else [shows])]
    out: list[str] = []

    def walk(value: Any) -> None:
        if isinstance(value, list):
            for v in value:
                walk(v)
        elif isinstance(value, bool):
            out.append(str(value).lower())
        elif isinstance(value, int | float):
            out.append(repr(value))

    walk(spec.get("expect"))
    return out
