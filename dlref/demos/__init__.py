"""Live demos: one module per concept family, each exposing `DEMO` (a `base.Demo`).

The registry below names demos without importing them, so listing demos stays cheap and a demo's
NumPy work happens only when it is asked for.
"""

from __future__ import annotations

import importlib

from dlref.demos.base import Demo, KnobError

__all__ = ["NAMES", "STEPWISE", "Demo", "KnobError", "get"]

NAMES: tuple[str, ...] = (
    "activations",
    "neuron",
    "backprop",
    "approximation",
    "gradient-descent",
    "gradient-flow",
    "losses",
    "softmax",
    "initialization",
    "overfitting",
    "regularization",
    "dropout",
    "batchnorm",
    "convolution",
    "pooling",
    "sequence-memory",
    "f1",
    "lr-schedule",
    "minibatch",
    "early-stopping",
    "adamw",
    "label-smoothing",
    "augmentation",
    "imbalanced",
    "attention",
    "positional-encoding",
    "normalization",
    "residual",
    "transformer-block",
)

# The demos that animate step by step (their `Demo.frames` is set), named here so the app can
# offer play and step for a card without importing its demo; tests check it against `frames`.
STEPWISE: frozenset[str] = frozenset({"backprop", "gradient-descent", "sequence-memory",
                                      "label-smoothing"})


def get(name: str) -> Demo:
    """The demo called `name`; KeyError if there is none."""
    if name not in NAMES:
        raise KeyError(name)
    module = importlib.import_module(f"dlref.demos.{name.replace('-', '_')}")
    return module.DEMO
