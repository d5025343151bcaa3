"""Embedding lookup, as torch.nn.functional.embedding: row i of the table for token i."""

from __future__ import annotations

from typing import NamedTuple

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float, pos_int


class EmbeddingCache(NamedTuple):
    """What embedding_forward remembers: the indices, the table's shape, the padding row."""

    indices: np.ndarray
    weight_shape: tuple[int, int]
    padding_idx: int | None


def embedding_forward(indices: npt.ArrayLike, weight: npt.ArrayLike,
                      padding_idx: int | None = None) -> tuple[np.ndarray, EmbeddingCache]:
    """y[…] = W[indices[…]]: each index picks a row of W (V, D), so y has shape (…, D).

    The same as one_hot(indices, V) @ W, without building the one-hot matrix. `padding_idx`
    (negative counts from the end, as PyTorch) names a row that receives no gradient.
    """
    name = "embedding_forward"
    idx = np.asarray(indices)
    if not np.issubdtype(idx.dtype, np.integer):
        raise ValueError(f"{name}: indices must be integers; got dtype {idx.dtype}")
    w = as_float(weight)
    if w.ndim != 2:
        raise ValueError(f"{name}: weight must have shape (V, D) = (num_embeddings, "
                         f"embedding_dim); got {w.shape}")
    v = w.shape[0]
    if idx.size and (idx.min() < 0 or idx.max() >= v):
        bad = idx[(idx < 0) | (idx >= v)].ravel()[0]
        raise ValueError(f"{name}: indices must be in [0, {v - 1}] for a table of V={v} rows; "
                         f"got {bad}")
    if padding_idx is not None:
        if isinstance(padding_idx, bool) or not isinstance(padding_idx, int | np.integer) \
                or not -v <= padding_idx < v:
            raise ValueError(f"{name}: padding_idx must be an integer in [-{v}, {v - 1}] "
                             f"(negative counts from the end); got {padding_idx!r}")
        padding_idx = int(padding_idx) % v
    return w[idx], EmbeddingCache(idx, w.shape, padding_idx)


def embedding_backward(dout: npt.ArrayLike, cache: EmbeddingCache) -> np.ndarray:
    """dW[r] = Σ dy[…] over every position whose index is r (a repeated token accumulates),
    0 for rows never looked up and for the padding row. The indices get no gradient."""
    idx, (v, d), padding_idx = cache
    dout = as_float(dout)
    if dout.shape != idx.shape + (d,):
        raise ValueError(f"embedding_backward: dout must have shape (…, D) = "
                         f"{idx.shape + (d,)}; got {dout.shape}")
    dweight = np.zeros((v, d))
    np.add.at(dweight, idx, dout)
    if padding_idx is not None:
        dweight[padding_idx] = 0.0
    return dweight


def embedding_num_params(num_embeddings: int, embedding_dim: int) -> int:
    """Parameters of nn.Embedding(V, D): the V×D table, one D-vector per token."""
    v = pos_int("embedding_num_params", "num_embeddings", num_embeddings)
    return v * pos_int("embedding_num_params", "embedding_dim", embedding_dim)
