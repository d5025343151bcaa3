"""`dlref demo NAME --code` prints the kernels' source for every demo, classes included."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from dlref import demos
from dlref.cli import main


@pytest.mark.parametrize("name", demos.NAMES)
def test_code_prints_every_kernel(name):
    result = CliRunner().invoke(main, ["demo", name, "--code"])
    assert result.exit_code == 0, result.output
    kernels = demos.get(name).kernels
    shown = [k for k in kernels if f".{k.__name__}\n" in result.output]
    assert shown, result.output[:300]
    for kernel in shown:
        assert f"{'class' if isinstance(kernel, type) else 'def'} {kernel.__name__}" \
            in result.output


def test_code_of_a_class_shows_the_class_without_its_argument_checks():
    out = CliRunner().invoke(main, ["demo", "adamw", "--code"]).output
    assert "class AdamW(Optimizer)" in out and "def _update" in out
    assert "def _check_range" not in out  # argument checks would bury the update rule


def test_code_says_which_fast_kernel_a_plain_form_is_tested_against_in_the_language():
    zh = CliRunner().invoke(main, ["demo", "batchnorm", "--code", "--lang", "zh"]).output
    assert "# dlref.nn.batchnorm.batchnorm_steps_backward（batchnorm_backward 的朴素写法" in zh
    assert "(the plain form" not in zh
    data = json.loads(CliRunner().invoke(main, ["demo", "batchnorm", "--code", "--json"]).output)
    forms = {d["function"].rsplit(".", 1)[1]: d["plain_form_of"] for d in data}
    assert forms["batchnorm_steps"] == "batchnorm_forward"
    assert forms["batchnorm_steps_backward"] == "batchnorm_backward"
    assert forms["batchnorm_forward"] is None
    assert all("def " in d["source"] for d in data)
