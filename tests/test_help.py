"""`--help` speaks the learner's language: under zh every command's description, every
option's help and click's own headings are Chinese, broken to the terminal's width as a
terminal shows Chinese; under en (and both) it is click's English help, unchanged."""

from __future__ import annotations

import inspect
import re

import click
import pytest
from click.testing import CliRunner

from dlref.cli import main
from dlref.commands.helptext import option_help
from dlref.i18n.help import ZH
from dlref.text.width import width_of
from tests.test_render_width import run_on_terminal

HAN = re.compile(r"[\u4e00-\u9fff]")


def commands() -> list[tuple[str, click.Command]]:
    """Every command as (its path without `dlref`, the command), groups included."""
    found: list[tuple[str, click.Command]] = []

    def walk(path: str, command: click.Command) -> None:
        found.append((path, command))
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                walk(f"{path} {name}".strip(), command.get_command(ctx, name))

    walk("", main)
    return found


def options(command: click.Command) -> list[click.Option]:
    ctx = click.Context(command)
    return [p for p in command.get_params(ctx) if isinstance(p, click.Option) and p.help]


def help_of(args: list[str], lang: str = "zh", columns: int = 80) -> str:
    result = CliRunner().invoke(main, [*args, "--help"], terminal_width=columns,
                                env={"DLREF_LANG": lang})
    assert result.exit_code == 0, result.output
    return result.output


def test_every_command_and_option_has_its_chinese_and_no_entry_names_nothing():
    keys = set()
    for path, command in commands():
        assert path in ZH, f"no Chinese help for `dlref {path}`"
        keys.add(path)
        for option in options(command):
            assert option_help(ZH, path, option) is not None, (path, option.opts)
            long = next(o for o in option.opts if o.startswith("--")) if any(
                o.startswith("--") for o in option.opts) else option.opts[0]
            keys.update({f"{path} {long}".strip(), long})
    assert set(ZH) - keys == set(), "entries that name no command or option"
    for key, text in ZH.items():
        assert HAN.search(text), key


@pytest.mark.parametrize(("path", "command"), commands(), ids=lambda x: x if isinstance(
    x, str) else "")
def test_a_commands_help_under_zh_is_its_chinese_within_the_width(path, command):
    text = help_of(path.split(), columns=60)
    first = next(line for line in ZH[path].splitlines() if line.strip())
    assert first[:12] in text.replace("\n  ", ""), text
    assert text.startswith("用法：") and "选项：" in text and "Options:" not in text
    assert "Show this message and exit." not in text and "显示这段帮助并退出。" in text
    if command.help:  # the English description is not shown as well
        english = inspect.cleandoc(command.help).split()[:4]
        assert " ".join(english) not in text.replace("\n", " ")
    as_written = {line.strip() for block in ZH[path].split("\n\n") if block.startswith("\b")
                  for line in block.splitlines()}  # examples: kept whole, as click keeps them
    assert [line for line in text.splitlines()
            if width_of(line) > 60 and line.strip() not in as_written] == []


def test_click_notes_are_translated_and_kept_whole():
    text = help_of(["quiz"], columns=60)
    assert "[默认：10；1<=x<=500]" in text and "default" not in text
    assert "命令：" in help_of([]) and "Commands:" not in help_of([])


def test_the_list_of_commands_gives_each_its_first_sentence_or_a_marked_cut():
    text = help_of([], columns=60)
    rows = text.split("命令：\n")[1].splitlines()
    assert len(rows) == len(main.list_commands(click.Context(main)))
    for row in rows:
        assert width_of(row) <= 60 and row.rstrip().endswith(("。", "…")), row
        assert row.count("（") == row.count("）"), row  # cut after a clause, not inside one
    assert any(row.endswith("…") for row in rows)  # some were cut, at a clause


@pytest.mark.parametrize("lang", ["en", "both"])
def test_english_and_both_get_clicks_english_help(lang):
    text = help_of(["show"], lang=lang)
    assert text.startswith("Usage:") and "Options:" in text
    assert "Show the card for NAME" in text and not HAN.search(text.replace("线性整流函数", ""))


def test_lang_before_help_chooses_the_language_of_the_help():
    result = CliRunner().invoke(main, ["show", "--lang", "zh", "--help"],
                                env={"DLREF_LANG": "en"})
    assert result.exit_code == 0 and result.output.startswith("用法：")


def test_on_a_real_terminal_the_chinese_help_fits_its_width():
    lines = run_on_terminal("quiz", "--help", columns=50, color=True,
                            env={"DLREF_LANG": "zh"})
    assert lines[0].startswith("用法：")
    assert [line for line in lines if width_of(line) > 50] == []
    assert any("不会时" in line or "不会" in line for line in lines)


@pytest.mark.parametrize("typed", [["--lang", "zh"], ["--lang=zh"], ["-l", "zh"], ["-lzh"],
                                   ["--lang", "en", "--lang", "zh_CN.UTF-8"]])
@pytest.mark.parametrize("command", [["quiz"], ["demo"], ["export", "anki"], ["serve"]])
def test_help_typed_before_lang_is_said_in_that_language(command, typed):
    """click runs eager options in the order typed: `quiz --help --lang zh` was English."""
    result = CliRunner().invoke(main, [*command, "--help", *typed], env={"DLREF_LANG": "en"})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("用法：") and "选项：" in result.output, result.output


def test_a_lang_after_help_that_names_no_language_leaves_the_help_as_it_was():
    for typed in (["--lang", "fr"], ["--", "-l", "zh"]):
        result = CliRunner().invoke(main, ["quiz", "--help", *typed], env={"DLREF_LANG": "en"})
        assert result.exit_code == 0 and result.output.startswith("Usage:"), result.output


@pytest.mark.parametrize("args", [["--lang", "zh", "--help"], ["--help", "--lang", "zh"],
                                  ["-l", "zh", "-h"], ["--lang=zh", "--help"]])
def test_dlrefs_own_help_in_the_language_asked(args):
    """`dlref --lang zh --help` was a usage error: No such option '--lang'."""
    result = CliRunner().invoke(main, args, env={"DLREF_LANG": "en"})
    assert result.exit_code == 0, result.output
    assert result.output.startswith("用法：") and "命令：" in result.output


def test_dlrefs_help_with_a_lang_that_names_no_language_is_not_help():
    result = CliRunner().invoke(main, ["--lang", "fr", "--help"], env={"DLREF_LANG": "en"})
    assert result.exit_code == 2
