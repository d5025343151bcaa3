"""Options typed before anything else (`dlref --lang zh`, as tldr writes options first) are
taken as the options they are, never refused as unknown."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from dlref.cli import main


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


@pytest.mark.parametrize("argv", [["--lang", "zh"], ["-l", "zh"], ["--lang=zh"]])
def test_a_language_alone_is_the_apps_language(argv):
    # piped, the app cannot start: it says so in the language asked for
    result = run(*argv)
    assert result.exit_code == 2
    assert "No such option" not in result.stderr
    assert "应用需要在终端里运行" in result.stderr


def test_a_language_option_without_its_value_says_that():
    result = run("--lang")
    assert result.exit_code == 2
    assert "requires an argument" in result.stderr and "No such option" not in result.stderr


@pytest.mark.parametrize("argv", [["--short"], ["--color", "never", "--full"]])
def test_options_of_show_without_a_name_ask_for_the_name(argv):
    result = run(*argv, env={"LANG": "zh_CN.UTF-8"})
    assert result.exit_code == 2
    assert "缺少参数 'NAME...'" in result.stderr and "没有选项" not in result.stderr
