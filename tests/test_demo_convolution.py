"""convolution demo: every choice runs, the feature map is the cross-correlation, shapes add up."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from test_demos_all import assert_finite as _finite

from dlref.demos import get
from dlref.demos.convolution import FILTERS, image

DEMO = get("convolution")


def _run(**values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(0))




@pytest.mark.parametrize("pattern,name", itertools.product(("square", "stripes", "diagonal"),
                                                           FILTERS))
def test_every_pattern_and_filter(pattern, name):
    _finite(_run(pattern=pattern, filter=name))


@pytest.mark.parametrize("stride,padding", itertools.product((1, 4), (0, 2)))
def test_stride_and_padding_bounds(stride, padding):
    result = _run(stride=stride, padding=padding)
    _finite(result)
    side = (8 + 2 * padding - 3) // stride + 1
    assert result.metrics["out_h"] == result.metrics["out_w"] == side
    assert len(result.tables[2].rows) == side


@pytest.mark.parametrize("stride,padding", [(1, 0), (2, 1), (3, 2)])
def test_feature_map_is_cross_correlation(stride, padding):
    result = _run(pattern="diagonal", filter="sharpen", stride=stride, padding=padding)
    x = np.pad(image("diagonal"), padding)
    k = FILTERS["sharpen"]
    fmap = [row[1:] for row in result.tables[2].rows]
    for i, row in enumerate(fmap):
        for j, value in enumerate(row):
            window = x[i * stride:i * stride + 3, j * stride:j * stride + 3]
            assert value == pytest.approx(float(np.sum(window * k)), abs=1e-3)


def test_edge_filters_see_only_their_edges():
    # vertical stripes change only left to right
    assert _run(pattern="stripes", filter="horizontal-edge").metrics["nonzero_outputs"] == 0
    assert _run(pattern="stripes", filter="vertical-edge").metrics["nonzero_outputs"] > 0


def test_same_seed_same_result():
    assert DEMO.run(DEMO.defaults(), np.random.default_rng(3)).to_dict() == \
        DEMO.run(DEMO.defaults(), np.random.default_rng(3)).to_dict()


def test_knob_contract():
    assert DEMO.knob("filter").choices == ("vertical-edge", "horizontal-edge", "blur", "sharpen")
