"""Small argument checks shared by the kernels; every failure is a ValueError naming the shape."""

from __future__ import annotations

import warnings
from typing import Any

import numpy as np
import numpy.typing as npt

_said_float64 = False  # whether the float32 → float64 notice has been given in this process
_NARROW_FLOATS = (np.dtype(np.float32), np.dtype(np.float16))


def as_float(x: npt.ArrayLike) -> np.ndarray:
    """x as a float64 array (no copy when it already is one). A narrower float (float32,
    float16) is converted too: the first time, dlref.nn says so once, with a UserWarning, so a
    learner comparing with a float32 model knows these are float64 reference values."""
    global _said_float64
    a = np.asarray(x, dtype=np.float64)
    # float64 input comes back as itself: one identity test on the kernels' hot path
    if a is not x and not _said_float64 and getattr(x, "dtype", None) in _NARROW_FLOATS:
        _said_float64 = True
        warnings.warn(f"dlref.nn computes in float64: {x.dtype} input gives float64 results "
                      f"(reference values to check a {x.dtype} model against); said once",
                      UserWarning, stacklevel=3)
    return a


def as_float_ndim(name: str, arg: str, x: npt.ArrayLike, ndim: int, shape: str) -> np.ndarray:
    """x as float64 with exactly ndim dimensions, or ValueError naming the expected shape."""
    a = as_float(x)
    if a.ndim != ndim:
        raise ValueError(f"{name}: {arg} must have shape {shape}; got {a.shape}")
    return a


def check_shape(name: str, arg: str, a: np.ndarray, shape: tuple[int, ...], text: str) -> None:
    """Raise ValueError unless a.shape == shape; text describes the expected shape in words."""
    if a.shape != shape:
        raise ValueError(f"{name}: {arg} must have shape {text}; got {a.shape}")


def pos_int(name: str, arg: str, value: Any, minimum: int = 1) -> int:
    """value as an int >= minimum (bools refused), or ValueError."""
    if isinstance(value, bool) or not isinstance(value, int | np.integer) or value < minimum:
        raise ValueError(f"{name}: {arg} must be an integer >= {minimum}; got {value!r}")
    return int(value)


def pair(name: str, arg: str, value: Any, minimum: int = 1) -> tuple[int, int]:
    """An int or a pair of ints, as (height, width)."""
    if isinstance(value, tuple | list):
        if len(value) != 2:
            raise ValueError(f"{name}: {arg} must be an int or a pair (h, w); got {value!r}")
        return pos_int(name, arg, value[0], minimum), pos_int(name, arg, value[1], minimum)
    v = pos_int(name, arg, value, minimum)
    return v, v


def rng_from(rng: np.random.Generator | int | None) -> np.random.Generator:
    """A Generator from a Generator, an int seed or None (fresh entropy)."""
    if isinstance(rng, bool) or not (rng is None or isinstance(rng, int | np.integer
                                                               | np.random.Generator)):
        raise ValueError(f"rng must be a numpy.random.Generator, an int seed or None; got {rng!r}")
    return np.random.default_rng(rng)
