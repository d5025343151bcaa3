"""L1 and L2 penalties: values and gradients."""

from __future__ import annotations

import numpy as np
from gradcheck import assert_grad

from dlref import nn


def test_known_values():
    w = np.array([[1.0, -2.0], [0.0, 3.0]])
    assert nn.l1_penalty(w, 0.1) == 0.1 * 6.0
    assert nn.l2_penalty(w, 0.1) == 0.05 * 14.0
    assert isinstance(nn.l1_penalty(w, 0.1), float) and isinstance(nn.l2_penalty(w, 1), float)
    np.testing.assert_array_equal(nn.l1_penalty_grad(w, 2.0), [[2.0, -2.0], [0.0, 2.0]])
    np.testing.assert_array_equal(nn.l2_penalty_grad(w, 2.0), 2.0 * w)
    assert nn.l1_penalty_grad([0.0], 1.0)[0] == 0.0


def test_gradients_match_finite_differences():
    w = np.random.default_rng(8).uniform(0.1, 2.0, (3, 4)) * np.array([1, -1, 1, -1])
    assert_grad(nn.l1_penalty_grad(w, 0.3), lambda: nn.l1_penalty(w, 0.3), w)
    assert_grad(nn.l2_penalty_grad(w, 0.3), lambda: nn.l2_penalty(w, 0.3), w)
