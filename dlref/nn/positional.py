"""Sinusoidal positional encoding (Vaswani et al. 2017, "Attention Is All You Need")."""

from __future__ import annotations

import numpy as np

from dlref.nn._checks import pos_int


def sinusoidal_positional_encoding(length: int, d_model: int) -> np.ndarray:
    """PE[pos, 2i] = sin(pos / 10000^(2i/d)),  PE[pos, 2i+1] = cos(pos / 10000^(2i/d)).

    Shape (length, d_model), positions 0 … length − 1. Dimension pair i is a sine/cosine pair of
    wavelength 2π·10000^(2i/d): from 2π for i = 0 to almost 2π·10000, so every position gets a
    distinct pattern and PE[pos + k] is a fixed rotation of PE[pos] for each pair. An odd
    d_model ends with a lone sine.
    """
    n = pos_int("sinusoidal_positional_encoding", "length", length)
    d = pos_int("sinusoidal_positional_encoding", "d_model", d_model)
    pos = np.arange(n, dtype=np.float64)[:, None]
    two_i = np.arange(0, d, 2, dtype=np.float64)
    angle = pos / 10000.0 ** (two_i / d)  # (length, ⌈d/2⌉)
    pe = np.empty((n, d))
    pe[:, 0::2] = np.sin(angle)
    pe[:, 1::2] = np.cos(angle[:, : d // 2])
    return pe
