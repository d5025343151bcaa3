"""pooling demo: pooled values checked against plain loops, shapes, overlap, too-large windows."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from test_demos_all import assert_finite as _finite

from dlref.demos import get

DEMO = get("pooling")


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))




def _grid(table) -> np.ndarray:
    return np.array([row[1:] for row in table.rows], dtype=float)


@pytest.mark.parametrize("mode,k,s,n", itertools.product(("max", "avg"), (1, 2, 3, 5),
                                                         (1, 2, 5), (4, 8)))
def test_pooled_values_match_loops(mode, k, s, n):
    result = _run(mode=mode, kernel_size=k, stride=s, size=n)
    _finite(result)
    x = _grid(result.tables[0])
    assert x.shape == (n, n)
    if k > n:
        assert len(result.tables) == 1 and result.metrics["windows"] == 0
        return
    out = _grid(result.tables[1])
    side = (n - k) // s + 1
    assert out.shape == (side, side)
    assert result.metrics["out_h"] == side
    for i in range(side):
        for j in range(side):
            window = [x[i * s + p][j * s + q] for p in range(k) for q in range(k)]
            expected = max(window) if mode == "max" else sum(window) / len(window)
            assert out[i, j] == pytest.approx(expected, rel=1e-3)


def test_kernel_larger_than_input_is_a_note_not_a_crash():
    result = _run(kernel_size=5, size=4)
    assert "does not fit" in result.notes["en"][0]
    assert result.notes["zh"]


def test_overlap_note():
    assert any("overlap" in n for n in _run(kernel_size=3, stride=2).notes["en"])
    assert not any("overlap" in n for n in _run(kernel_size=2, stride=2).notes["en"])


def test_identity_pooling_keeps_everything():
    result = _run(kernel_size=1, stride=1)
    assert np.array_equal(_grid(result.tables[0]), _grid(result.tables[1]))


def test_same_seed_same_result():
    assert _run(seed=5).to_dict() == _run(seed=5).to_dict()
    assert _run(seed=5).to_dict() != _run(seed=6).to_dict()


def test_card_presets_are_accepted():  # docs/demo-knobs.md
    assert DEMO.knob("mode").choices == ("max", "avg")
    for name in ("kernel_size", "stride"):
        assert DEMO.knob(name).check(1) == 1 and DEMO.knob(name).check(5) == 5


def test_no_overlap_note_when_only_one_window_fits():
    """kernel 5, stride 2 on a 6×6 input gives a single window: the note claimed 'neighbouring
    windows overlap and share inputs' where there is no neighbour."""
    result = _run(kernel_size=5, stride=2, size=6)
    assert result.metrics["windows"] == 1
    assert not any("overlap" in n for n in result.notes["en"])
    assert not any("重叠" in n for n in result.notes["zh"])
    assert any("overlap" in n for n in _run(kernel_size=5, stride=2, size=8).notes["en"])


def test_one_window_leaves_leftovers_not_gaps():
    """kernel 2, stride 5 on 4×4: one window, so the skipped values are the edge's leftovers,
    not gaps between windows."""
    en = " ".join(_run(kernel_size=2, stride=5, size=4).notes["en"])
    assert "leftover" in en and "gaps" not in en
    assert "gaps" in " ".join(_run(kernel_size=1, stride=2, size=6).notes["en"])
