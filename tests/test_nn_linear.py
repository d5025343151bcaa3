"""Linear layer: values, gradients against finite differences, shapes and errors."""

from __future__ import annotations

import numpy as np
import pytest
from gradcheck import assert_grad

from dlref import nn

RNG = np.random.default_rng(2)


def test_known_value():
    out, _ = nn.linear_forward([[1.0, 2.0]], [[1.0, 0.0], [0.5, -1.0], [0.0, 0.0]],
                               [0.0, 1.0, 2.0])
    np.testing.assert_allclose(out, [[1.0, -0.5, 2.0]])


@pytest.mark.parametrize("x_shape", [(4,), (3, 4), (2, 3, 4)])
@pytest.mark.parametrize("bias", [True, False])
def test_gradients_match_finite_differences(x_shape, bias):
    x = RNG.standard_normal(x_shape)
    w = RNG.standard_normal((5, 4))
    b = RNG.standard_normal(5) if bias else None
    out, cache = nn.linear_forward(x, w, b)
    assert out.shape == x_shape[:-1] + (5,)
    dout = RNG.standard_normal(out.shape)
    dx, dw, db = nn.linear_backward(dout, cache)

    def f():
        return nn.linear_forward(x, w, b)[0]

    assert_grad(dx, f, x, dout)
    assert_grad(dw, f, w, dout)
    if bias:
        assert_grad(db, f, b, dout)
    else:
        assert db is None


def test_errors_name_the_shapes():
    with pytest.raises(ValueError, match=r"x must have shape \(\.\.\., in_features\) with "
                                         r"in_features=4 matching w \(5, 4\); got \(2, 3\)"):
        nn.linear_forward(np.ones((2, 3)), np.ones((5, 4)), np.ones(5))
    with pytest.raises(ValueError, match=r"b must have shape \(out_features,\) = \(5,\)"):
        nn.linear_forward(np.ones((2, 4)), np.ones((5, 4)), np.ones(4))
    with pytest.raises(ValueError, match=r"w must have shape \(out_features, in_features\)"):
        nn.linear_forward(np.ones((2, 4)), np.ones(4), None)
    _, cache = nn.linear_forward(np.ones((2, 4)), np.ones((5, 4)), None)
    with pytest.raises(ValueError, match=r"dout must have shape .* = \(2, 5\)"):
        nn.linear_backward(np.ones((2, 4)), cache)


def test_num_params():
    assert nn.linear_num_params(784, 10) == 7850
    assert nn.linear_num_params(784, 10, bias=False) == 7840
