"""Bookkeeping of a training run: mini-batches per epoch and the early-stopping rule."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float, pos_int


def iterations_per_epoch(n_samples: int, batch_size: int, drop_last: bool = False) -> int:
    """Mini-batches (parameter updates) in one pass over the data, as len(DataLoader):
    ⌈N / B⌉, or ⌊N / B⌋ with drop_last (the last, partial batch thrown away)."""
    n = pos_int("iterations_per_epoch", "n_samples", n_samples)
    b = pos_int("iterations_per_epoch", "batch_size", batch_size)
    return n // b if drop_last else -(-n // b)


def early_stopping(val_losses: npt.ArrayLike, patience: int,
                   min_delta: float = 0.0) -> tuple[int, int]:
    """Where early stopping halts a run, given the validation loss after each epoch 0, 1, ….

    An epoch improves when its loss < best − min_delta (best: the lowest loss so far that
    counted as an improvement); after `patience` epochs in a row without improvement training
    stops. Returns (stop_epoch, best_epoch): the last epoch trained (the final one if the rule
    never fires) and the epoch whose weights are kept (restore_best_weights)."""
    v = as_float(val_losses)
    if v.ndim != 1 or v.size == 0:
        raise ValueError(f"early_stopping: val_losses must be a non-empty 1-D sequence; got "
                         f"shape {v.shape}")
    patience = pos_int("early_stopping", "patience", patience)
    if not min_delta >= 0.0:
        raise ValueError(f"early_stopping: min_delta must be >= 0; got {min_delta!r}")
    best, best_epoch, wait = np.inf, 0, 0
    for epoch, loss in enumerate(v):
        if loss < best - min_delta:
            best, best_epoch, wait = loss, epoch, 0
        else:
            wait += 1
            if wait >= patience:
                return epoch, best_epoch
    return len(v) - 1, best_epoch
