"""`dlref demo NAME --code` prints the kernels' source for every demo, classes included."""

from __future__ import annotations

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
