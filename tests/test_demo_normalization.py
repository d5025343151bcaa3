"""normalization demo: layer norm normalises rows (samples), batch norm columns (features);
N = 1 and inference behave as the cards say."""

from __future__ import annotations

import numpy as np
import pytest
from test_demos_all import assert_finite, knob_cases

from dlref.demos import get
from dlref.i18n import pick

DEMO = get("normalization")


def _run(seed=0, **values):
    return DEMO.run(DEMO.defaults() | values, np.random.default_rng(seed))


def columns(table, *names):
    """The cells under the columns whose English headers are `names`."""
    headers = [pick(c, "en") for c in table.columns]
    idx = [headers.index(n) for n in names]
    return [[row[i] for i in idx] for row in table.rows]


@pytest.mark.parametrize(("knob", "value"), knob_cases(DEMO))
def test_every_knob_bound_and_choice_is_finite(knob, value):
    assert_finite(_run(**{knob: value}))


def test_layer_norm_rows_and_batch_norm_columns():
    result = _run(batch_size=16)
    _, per_sample, per_feature = result.tables
    for mean, std in columns(per_sample, "LN mean", "LN std"):
        assert mean == pytest.approx(0, abs=1e-3) and std == pytest.approx(1, abs=2e-3)
    for mean, std in columns(per_feature, "BN mean", "BN std"):
        assert mean == pytest.approx(0, abs=1e-3) and std == pytest.approx(1, abs=2e-3)
    # and not the other way round: the sample scales differ, so LN's columns are not normalised
    assert max(abs(m) for (m,) in columns(per_feature, "LN mean")) > 0.1


def test_batch_norm_couples_the_batch_layer_norm_does_not():
    m = _run(batch_size=8).metrics
    assert m["ln_sample0_change"] == 0.0
    assert m["bn_sample0_change"] > 0.01
    assert _run(batch_size=8, training=False).metrics["bn_sample0_change"] == 0.0  # running stats


def test_batch_size_one():
    result = _run(batch_size=1, training=True)
    assert columns(result.tables[1], "BN mean", "BN std") == [[{"en": "n/a", "zh": "无"}] * 2]
    assert columns(result.tables[1], "LN mean")[0][0] == pytest.approx(0, abs=1e-3)
    assert any("N = 1" in n for n in result.notes["en"])
    assert [pick(s.label, "en") for s in result.plots[0].series] == ["x (sample 0)", "layer norm"]
    assert pick(result.plots[0].series[1].label, "zh") == "层规范化"
    inference = _run(batch_size=1, training=False)  # running statistics: fine with one sample
    assert isinstance(columns(inference.tables[1], "BN mean")[0][0], float)


def test_batch_size_one_reports_no_batch_norm_movement_it_cannot_measure():
    """Batch norm in training has no output for N = 1: no `moves by=0` as if it had measured
    one. Layer norm's number is measured (sample 0 alone vs with a batch-mate): 0."""
    train = _run(batch_size=1, training=True)
    assert "bn_sample0_change" not in train.metrics and "bn_col_mean_max" not in train.metrics
    assert train.metrics["ln_sample0_change"] == pytest.approx(0, abs=1e-12)
    assert any("batch-mate" in n for n in train.notes["en"])
    assert any("PyTorch" in n for n in train.notes["en"])
    assert any("PyTorch" in n for n in train.notes["zh"])
    inference = _run(batch_size=1, training=False)  # running statistics: measured, and 0
    assert inference.metrics["bn_sample0_change"] == pytest.approx(0, abs=1e-12)


def test_batch_size_one_on_the_command_line_says_why_in_both_languages():
    from click.testing import CliRunner

    from dlref.cli import main

    for lang, gone, why in (("en", "batch norm: sample 0 moves by", "PyTorch raises"),
                            ("zh", "批量规范化：样本 0 的变化", "PyTorch 会报错")):
        out = CliRunner().invoke(main, ["demo", "normalization", "--set", "batch_size=1",
                                        "--lang", lang, "--color", "never"])
        assert out.exit_code == 0, out.output
        squeezed = "".join(out.output.split())  # the note may wrap anywhere
        assert gone not in out.output and "".join(why.split()) in squeezed


def test_layer_norm_is_the_same_in_training_and_inference():
    train, infer = _run(training=True), _run(training=False)
    assert columns(train.tables[1], "LN mean", "LN std") == \
        columns(infer.tables[1], "LN mean", "LN std")
    assert columns(train.tables[1], "BN std") != columns(infer.tables[1], "BN std")
