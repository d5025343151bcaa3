"""augmentation demo: every drawn image recomputed with plain index arithmetic."""

from __future__ import annotations

import numpy as np
import pytest
from test_demos_all import assert_finite, knob_cases

from dlref.demos import get
from dlref.demos.augmentation import PATTERNS

DEMO = get("augmentation")


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))


# image k (original, horizontal flip, vertical flip, crop, shift) → (table, column)
WHERE = [(0, 0), (0, 1), (0, 2), (1, 1), (1, 2)]


def picture(result, k):
    """Image k back as a 0/1 array from its table column (two characters per pixel)."""
    table, col = WHERE[k]
    return np.array([[1 if row[col][2 * j] == "█" else 0 for j in range(8)]
                     for row in result.tables[table].rows])


@pytest.mark.parametrize("pattern", list(PATTERNS))
@pytest.mark.parametrize(("seed", "p", "dy", "dx"), [(0, 2, 1, 2), (3, 0, -4, 0), (5, 4, 3, -3)])
def test_images(pattern, seed, p, dy, dx):
    result = _run(seed, pattern=pattern, padding=p, dx=dx, dy=dy)
    x = np.array([[1 if ch == "█" else 0 for ch in row] for row in PATTERNS[pattern]])
    np.testing.assert_array_equal(picture(result, 0), x)
    assert [row[0] for row in result.tables[1].rows] == [row[0] for row in result.tables[0].rows]
    np.testing.assert_array_equal(picture(result, 1), x[:, ::-1])
    np.testing.assert_array_equal(picture(result, 2), x[::-1])
    top, left = int(result.metrics["crop_top"]), int(result.metrics["crop_left"])
    assert 0 <= top <= 2 * p and 0 <= left <= 2 * p
    big = np.zeros((8 + 2 * p, 8 + 2 * p), dtype=int)
    big[p:p + 8, p:p + 8] = x
    np.testing.assert_array_equal(picture(result, 3), big[top:top + 8, left:left + 8])
    shifted = np.zeros_like(x)
    for i in range(8):
        for j in range(8):
            if 0 <= i - dy < 8 and 0 <= j - dx < 8:
                shifted[i, j] = x[i - dy, j - dx]
    np.testing.assert_array_equal(picture(result, 4), shifted)
    assert result.metrics["ink_lost_translate"] == x.sum() - shifted.sum()


def test_no_padding_means_the_crop_is_the_image():
    result = _run(padding=0)
    assert result.metrics["crop_top"] == result.metrics["crop_left"] == 0
    assert result.metrics["ink_lost_crop"] == 0


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_runs(knob, value):
    assert_finite(_run(**{knob: value}))


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("pattern", list(PATTERNS))
def test_every_picture_stays_whole_on_80_columns(lang, pattern):
    """`dlref demo augmentation` on an 80-column terminal: each line of pixels of each table is
    one output line, images side by side, never wrapped into pieces."""
    from click.testing import CliRunner

    from dlref.cli import main

    out = CliRunner().invoke(main, ["demo", "augmentation", "--set", f"pattern={pattern}",
                                    "--lang", lang, "--color", "never"],
                             env={"COLUMNS": "80"})
    assert out.exit_code == 0, out.output
    lines = [line.rstrip() for line in out.output.splitlines()]
    result = _run(pattern=pattern)
    for table in result.tables:
        for row in table.rows:
            assert "  ".join(row) in lines, row
