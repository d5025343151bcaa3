"""Data handling for training: one-hot labels, k-fold splits and simple image augmentations.

Images are arrays whose last two axes are (height, width), as torchvision's tensors (…, H, W);
augmentations return new arrays and never change their input.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import as_float, pos_int, rng_from


def kfold_indices(n_samples: int, n_splits: int = 5) -> list[tuple[np.ndarray, np.ndarray]]:
    """k-fold cross-validation without shuffling (scikit-learn's KFold(n_splits)): the indices
    0 … n−1 cut into k consecutive folds, the first n mod k of size ⌊n/k⌋ + 1 and the rest ⌊n/k⌋;
    split i validates on fold i and trains on the other k − 1. Returns [(train, val), …]."""
    n = pos_int("kfold_indices", "n_samples", n_samples)
    k = pos_int("kfold_indices", "n_splits", n_splits, minimum=2)
    if k > n:
        raise ValueError(f"kfold_indices: n_splits={k} cannot exceed n_samples={n} "
                         "(every fold needs a sample)")
    sizes = np.full(k, n // k)
    sizes[: n % k] += 1
    bounds = np.concatenate([[0], np.cumsum(sizes)])
    idx = np.arange(n)
    return [(np.concatenate([idx[:lo], idx[hi:]]), idx[lo:hi])
            for lo, hi in zip(bounds[:-1], bounds[1:], strict=True)]


def one_hot(labels: npt.ArrayLike, num_classes: int = -1) -> np.ndarray:
    """One-hot encoding (F.one_hot): class index k becomes the vector with a 1 at position k and
    0 elsewhere, y[..., k] = [labels[...] == k]; num_classes = −1 takes max(labels) + 1."""
    t = np.asarray(labels)
    if t.dtype.kind not in "iu":
        raise ValueError(f"one_hot: labels must be integer class indices; got dtype {t.dtype}")
    if t.size and t.min() < 0:
        raise ValueError(f"one_hot: labels must be >= 0; got {int(t.min())}")
    c = int(t.max()) + 1 if num_classes == -1 and t.size else num_classes
    c = pos_int("one_hot", "num_classes", c)
    if t.size and t.max() >= c:
        raise ValueError(f"one_hot: labels must be < num_classes={c}; got {int(t.max())}")
    return (t[..., None] == np.arange(c)).astype(np.int64)


def _image(name: str, x: npt.ArrayLike) -> np.ndarray:
    a = as_float(x)
    if a.ndim < 2:
        raise ValueError(f"{name}: x must have shape (..., H, W); got {a.shape}")
    return a


def hflip(x: npt.ArrayLike) -> np.ndarray:
    """Horizontal flip (mirror left ↔ right): y[..., i, j] = x[..., i, W − 1 − j]."""
    return _image("hflip", x)[..., ::-1].copy()


def vflip(x: npt.ArrayLike) -> np.ndarray:
    """Vertical flip (top ↔ bottom): y[..., i, j] = x[..., H − 1 − i, j]."""
    return _image("vflip", x)[..., ::-1, :].copy()


def crop(x: npt.ArrayLike, top: int, left: int, height: int, width: int,
         padding: int = 0) -> np.ndarray:
    """Pad the image with `padding` rows/columns of zeros on every side, then cut out the
    height × width window whose top-left corner is (top, left) in the padded image:
    y[..., i, j] = x_pad[..., top + i, left + j]."""
    a = _image("crop", x)
    p = pos_int("crop", "padding", padding, minimum=0)
    h, w = pos_int("crop", "height", height), pos_int("crop", "width", width)
    top, left = pos_int("crop", "top", top, minimum=0), pos_int("crop", "left", left, minimum=0)
    hp, wp = a.shape[-2] + 2 * p, a.shape[-1] + 2 * p
    if top + h > hp or left + w > wp:
        raise ValueError(f"crop: the {h}×{w} window at (top={top}, left={left}) does not fit the "
                         f"padded {hp}×{wp} image")
    padded = np.pad(a, [(0, 0)] * (a.ndim - 2) + [(p, p), (p, p)])
    return padded[..., top:top + h, left:left + w].copy()


def random_crop(x: npt.ArrayLike, size: int, padding: int = 0,
                rng: np.random.Generator | int | None = None
                ) -> tuple[np.ndarray, tuple[int, int]]:
    """torchvision's RandomCrop(size, padding): pad with zeros, then take a size × size window
    at a uniformly random corner (top, left) ∈ [0, H + 2p − size] × [0, W + 2p − size].
    Returns the crop and (top, left)."""
    a = _image("random_crop", x)
    s = pos_int("random_crop", "size", size)
    p = pos_int("random_crop", "padding", padding, minimum=0)
    hp, wp = a.shape[-2] + 2 * p, a.shape[-1] + 2 * p
    if s > hp or s > wp:
        raise ValueError(f"random_crop: size={s} exceeds the padded {hp}×{wp} image")
    gen = rng_from(rng)
    top, left = int(gen.integers(0, hp - s + 1)), int(gen.integers(0, wp - s + 1))
    return crop(a, top, left, s, s, p), (top, left)


def translate(x: npt.ArrayLike, dy: int, dx: int) -> np.ndarray:
    """Shift the image content dy pixels down and dx pixels right (negative: up / left), filling
    the uncovered border with zeros: y[..., i, j] = x[..., i − dy, j − dx] where that is inside.
    The same as crop(x, top=p − dy, left=p − dx, H, W, padding=p) for any p ≥ |dy|, |dx|."""
    a = _image("translate", x)
    for arg, v in (("dy", dy), ("dx", dx)):
        if isinstance(v, bool) or not isinstance(v, int | np.integer):
            raise ValueError(f"translate: {arg} must be an integer number of pixels; got {v!r}")
    h, w = a.shape[-2:]
    p = max(abs(int(dy)), abs(int(dx)))
    return crop(a, p - int(dy), p - int(dx), h, w, padding=p)
