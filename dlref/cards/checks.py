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
    """A check that is malformed or whose number disagrees with the code."""


def _array(value: Any) -> Any:
    import numpy as np

    return np.asarray(value) if isinstance(value, list) else value


def evaluate(spec: dict[str, Any]) -> Any:
    """Run the kernel named by a check and return the picked part of its result."""
    import numpy as np

    from dlref import nn

    unknown = set(spec) - ALLOWED_KEYS
    if unknown:
        raise CheckError(f"unknown check keys: {', '.join(sorted(unknown))}")
    name = spec.get("kernel")
    if not isinstance(name, str) or name not in nn.__all__:
        raise CheckError(f"kernel {name!r} is not a public name of dlref.nn")
    kernel = getattr(nn, name)
    args = spec.get("args", [])
    kwargs = spec.get("kwargs", {})
    if not isinstance(args, list) or not isinstance(kwargs, dict):
        raise CheckError("'args' must be a list and 'kwargs' a table")
    kwargs = {k: _array(v) for k, v in kwargs.items()}
    try:
        if inspect.isclass(kernel):
            if not args or not isinstance(args[0], list):
                raise CheckError("an optimiser check needs args = [[param arrays...], ...]")
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
        raise CheckError(f"{name}(...) raised {type(exc).__name__}: {exc}") from None
    return result


def verify(spec: dict[str, Any]) -> None:
    """Raise CheckError unless the kernel's result matches `expect` within `tol`."""
    import numpy as np

    if "expect" not in spec:
        raise CheckError("a check needs 'expect'")
    got = evaluate(spec)
    tol = spec.get("tol", DEFAULT_TOL)
    try:
        got_arr = np.asarray(got, dtype=float)
        want = np.asarray(spec["expect"], dtype=float)
    except (TypeError, ValueError) as exc:
        raise CheckError(f"result or expect is not numeric: {exc}") from None
    if got_arr.shape != want.shape:
        raise CheckError(f"{spec['kernel']}: shape {got_arr.shape} but expect has {want.shape}")
    if not np.allclose(got_arr, want, rtol=0, atol=tol, equal_nan=False):
        shown = np.array2string(got_arr, precision=6, separator=", ")
        raise CheckError(f"{spec['kernel']} gives {shown}, card says {spec['expect']} "
                         f"(tol {tol:g})")


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
