"""The number formatter's axis ticks (`dlref.text.numbers.axis_ticks`): round steps inside the
data's range, labels short and exact enough to read back."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from dlref.text.numbers import axis_ticks

# what a demo plots: zero, or magnitudes between 1e-30 and 1e15 (two-digit exponents)
MAGNITUDE = st.floats(min_value=1e-30, max_value=1e15)
FINITE = st.one_of(st.just(0.0), MAGNITUDE, MAGNITUDE.map(lambda v: -v))


def test_whole_numbers_get_whole_round_ticks():
    assert axis_ticks([1.0, 2.0, 3.0, 4.0]) == ([1.0, 2.0, 3.0, 4.0], ["1", "2", "3", "4"])
    assert axis_ticks([0, 100])[1] == ["0", "20", "40", "60", "80", "100"]
    assert axis_ticks([0, 3]) == ([0.0, 1.0, 2.0, 3.0], ["0", "1", "2", "3"])  # never 0.5
    assert axis_ticks([0, 17])[1] == ["0", "5", "10", "15"]  # never 2.5


@given(st.lists(st.integers(-10**6, 10**6), min_size=2, max_size=20))
def test_whole_values_never_get_fractional_ticks(values):
    ticks, labels = axis_ticks(values)
    assert all(tick == int(tick) for tick in ticks)
    assert all(float(label) == int(float(label)) for label in labels)  # 7.5e+05 is whole


def test_large_counts_read_short():
    ticks, labels = axis_ticks([2048, 77309411328])
    assert labels == ["2e+10", "4e+10", "6e+10"]
    assert axis_ticks([1, 6144])[1] == ["1000", "2000", "3000", "4000", "5000", "6000"]
    assert axis_ticks([0, 2e6])[1][-1] == "2e+06"


def test_fractions_and_nothing():
    assert axis_ticks([0.0, 0.35])[1] == ["0", "0.05", "0.1", "0.15", "0.2", "0.25", "0.3",
                                          "0.35"]
    assert axis_ticks([5.0]) == ([5.0], ["5"])
    assert axis_ticks([]) is None
    assert axis_ticks([math.nan, math.inf]) is None
    assert axis_ticks([1e15, 1e15 + 0.5])[1] == ["1e+15"]  # no five ticks all reading 1e+15
    assert axis_ticks([-1e308, 1e308]) is None  # the span overflows: plotext's own ticks


@given(st.lists(FINITE, min_size=2, max_size=20))
@example([-512412363626794.0, -526417732349915.0])  # ticks 2.5e12 apart: -5.225e+14
def test_ticks_lie_in_range_and_labels_read_back(values):
    ticks, labels = axis_ticks(values)
    low, high = min(values), max(values)
    assert 1 <= len(ticks) <= 8 and len(labels) == len(ticks)
    assert ticks == sorted(ticks)
    if high - low <= 1e-9 * max(abs(low), abs(high)):  # one tick, at the value
        assert ticks[0] == pytest.approx(low, rel=1e-3) and float(labels[0]) == ticks[0]
        return
    span = high - low
    for tick, label in zip(ticks, labels, strict=True):
        assert low - 1e-9 * span <= tick <= high + 1e-9 * span
        assert len(label.removeprefix("-")) <= 9  # the sign aside, as short as 1.225e+14
        assert float(label) == pytest.approx(tick, rel=1e-9, abs=1e-9 * span)
    assert len(set(labels)) == len(labels)  # neighbours told apart


def y_tick_labels(drawing: str) -> list[str]:
    """The labels left of a plotext plot's y-axis ticks (`…┤`), top to bottom."""
    return [m.group(1) for line in drawing.splitlines()
            if (m := re.match(r"^\s*(\S+)┤", line))]


def assert_readable_ticks(labels: list[str], low: float, high: float) -> None:
    """Tick labels a learner can read: short numbers, evenly spaced, inside [low, high]."""
    assert len(labels) >= 2, labels
    assert all(len(label) <= 8 for label in labels), labels
    values = [float(label) for label in labels]
    steps = [a - b for a, b in zip(values, values[1:], strict=False)]  # top to bottom
    assert all(s > 0 for s in steps) and max(steps) == pytest.approx(min(steps), rel=1e-6)
    assert all(low <= v <= high for v in values), (values, low, high)
