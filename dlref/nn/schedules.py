"""Learning-rate schedules as functions of the step t: the lr that torch.optim.lr_scheduler's
StepLR, CosineAnnealingLR, LinearLR and OneCycleLR give after t calls of `scheduler.step()`.

Each takes t as an int (→ float) or an array of ints (→ array), so a whole curve is one call.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from dlref.nn._checks import pos_int


def _steps(name: str, step: npt.ArrayLike) -> tuple[np.ndarray, bool]:
    """t as an int64 array of steps >= 0, and whether it was a scalar."""
    t = np.asarray(step)
    if t.dtype.kind not in "iu" or (t.size and t.min() < 0):
        raise ValueError(f"{name}: step must be an integer >= 0 (or an array of them); got "
                         f"{step!r}")
    return t.astype(np.int64), t.ndim == 0


def _out(lr: np.ndarray, scalar: bool) -> float | np.ndarray:
    return float(lr) if scalar else lr.astype(np.float64)


def _positive(name: str, arg: str, value: float, allow_zero: bool = True) -> float:
    if not (value >= 0.0 if allow_zero else value > 0.0) or not np.isfinite(value):
        raise ValueError(f"{name}: {arg} must be {'>=' if allow_zero else '>'} 0; got {value!r}")
    return float(value)


def step_lr(step: npt.ArrayLike, base_lr: float, step_size: int,
            gamma: float = 0.1) -> float | np.ndarray:
    """Step decay (StepLR): lr(t) = base_lr · γ^⌊t / step_size⌋."""
    t, scalar = _steps("step_lr", step)
    base_lr = _positive("step_lr", "base_lr", base_lr)
    step_size = pos_int("step_lr", "step_size", step_size)
    gamma = _positive("step_lr", "gamma", gamma)
    return _out(base_lr * gamma ** (t // step_size), scalar)


def cosine_annealing_lr(step: npt.ArrayLike, base_lr: float, T_max: int,  # noqa: N803 (torch)
                        eta_min: float = 0.0) -> float | np.ndarray:
    """Cosine annealing (CosineAnnealingLR, SGDR without restarts):
    lr(t) = η_min + (base_lr − η_min) · (1 + cos(π·t / T_max)) / 2.
    It reaches η_min at t = T_max and, like torch, climbs back on the same cosine after it."""
    t, scalar = _steps("cosine_annealing_lr", step)
    base_lr = _positive("cosine_annealing_lr", "base_lr", base_lr)
    T_max = pos_int("cosine_annealing_lr", "T_max", T_max)  # noqa: N806
    eta_min = _positive("cosine_annealing_lr", "eta_min", eta_min)
    return _out(eta_min + (base_lr - eta_min) * (1 + np.cos(np.pi * t / T_max)) / 2, scalar)


def linear_lr(step: npt.ArrayLike, base_lr: float, start_factor: float = 1 / 3,
              end_factor: float = 1.0, total_iters: int = 5) -> float | np.ndarray:
    """Linear warm-up (LinearLR): the factor moves in a straight line from start_factor to
    end_factor over total_iters steps, then stays:
    lr(t) = base_lr · (s + (e − s) · min(t, total_iters) / total_iters)."""
    name = "linear_lr"
    t, scalar = _steps(name, step)
    base_lr = _positive(name, "base_lr", base_lr)
    if not (0.0 < start_factor <= 1.0):
        raise ValueError(f"{name}: start_factor must lie in (0, 1]; got {start_factor!r}")
    if not (0.0 <= end_factor <= 1.0):
        raise ValueError(f"{name}: end_factor must lie in [0, 1]; got {end_factor!r}")
    total_iters = pos_int(name, "total_iters", total_iters)
    frac = np.minimum(t, total_iters) / total_iters
    return _out(base_lr * (start_factor + (end_factor - start_factor) * frac), scalar)


def warmup_cosine_lr(step: npt.ArrayLike, base_lr: float, warmup_steps: int, total_steps: int,
                     start_factor: float = 0.1, eta_min: float = 0.0) -> float | np.ndarray:
    """Linear warm-up, then cosine decay (SequentialLR([LinearLR, CosineAnnealingLR],
    milestones=[w])): lr(t) = linear_lr(t, base_lr, start_factor, 1, w) for t < w, then
    cosine_annealing_lr(t − w, base_lr, T_max = total_steps − w, eta_min)."""
    name = "warmup_cosine_lr"
    t, scalar = _steps(name, step)
    w = pos_int(name, "warmup_steps", warmup_steps)
    total = pos_int(name, "total_steps", total_steps)
    if total <= w:
        raise ValueError(f"{name}: total_steps must exceed warmup_steps={w}; got {total}")
    warm = linear_lr(t, base_lr, start_factor, 1.0, w)
    cos = cosine_annealing_lr(np.maximum(t - w, 0), base_lr, total - w, eta_min)
    return _out(np.where(t < w, warm, cos), scalar)


def one_cycle_lr(step: npt.ArrayLike, max_lr: float, total_steps: int, pct_start: float = 0.3,
                 anneal_strategy: str = "cos", div_factor: float = 25.0,
                 final_div_factor: float = 1e4,
                 three_phase: bool = False) -> float | np.ndarray:
    """One-cycle policy (OneCycleLR; the learning rate only, not its momentum cycle).
    From initial = max_lr / div_factor up to max_lr by step pct_start·total − 1, then down to
    initial / final_div_factor at step total − 1 (three_phase: back to initial by
    2·pct_start·total − 2 first). Within a phase from a to b at fraction p of the way:
    cos: b + (a − b)·(1 + cos(π·p)) / 2;  linear: a + (b − a)·p.  Steps go up to total_steps."""
    name = "one_cycle_lr"
    t, scalar = _steps(name, step)
    max_lr = _positive(name, "max_lr", max_lr)
    total = pos_int(name, "total_steps", total_steps)
    if t.size and t.max() > total:
        raise ValueError(f"{name}: step must be <= total_steps={total} (torch raises past it); "
                         f"got {int(t.max())}")
    if not (0.0 < pct_start < 1.0):
        raise ValueError(f"{name}: pct_start must lie in (0, 1); got {pct_start!r}")
    if anneal_strategy not in ("cos", "linear"):
        raise ValueError(f"{name}: anneal_strategy must be 'cos' or 'linear'; got "
                         f"{anneal_strategy!r}")
    div_factor = _positive(name, "div_factor", div_factor, allow_zero=False)
    final_div_factor = _positive(name, "final_div_factor", final_div_factor, allow_zero=False)
    initial = max_lr / div_factor
    low = initial / final_div_factor
    up = float(pct_start * total) - 1
    if three_phase:
        phases = [(up, initial, max_lr), (2 * float(pct_start * total) - 2, max_lr, initial),
                  (total - 1.0, initial, low)]
    else:
        phases = [(up, initial, max_lr), (total - 1.0, max_lr, low)]
    ends = [0.0] + [end for end, _, _ in phases]
    if any(b == a for a, b in zip(ends[:-1], ends[1:], strict=True)):  # torch: ZeroDivision
        raise ValueError(f"{name}: pct_start={pct_start} with total_steps={total} leaves a phase "
                         f"with no steps (phase ends {ends[1:]})")
    lr = np.empty(t.shape)
    done = np.zeros(t.shape, dtype=bool)
    start = 0.0
    for k, (end, a, b) in enumerate(phases):
        here = ~done & ((t <= end) | (k == len(phases) - 1))
        with np.errstate(divide="ignore", invalid="ignore"):
            p = (t - start) / (end - start)
        lr[here] = (b + (a - b) * (1 + np.cos(np.pi * p)) / 2 if anneal_strategy == "cos"
                    else a + (b - a) * p)[here]
        done |= here
        start = end
    return _out(lr, scalar)
