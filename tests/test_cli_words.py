"""Commands' own errors in the learner's language: click's path checks on `export`, the
`--parts` choice, and `dlref doctor`'s lines in both languages, each from a real condition."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from dlref.cli import main
from dlref.i18n import t
from tests.test_store_words import read_only

ZH = {"LANG": "zh_CN.UTF-8"}


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


@pytest.mark.parametrize("command", ["anki", "json"])
def test_exporting_to_a_directory_is_said_in_chinese(tmp_path: Path, command):
    result = run("export", command, str(tmp_path), env=ZH)
    assert result.exit_code == 2
    assert f"' 的值无效：路径 '{tmp_path}' 是目录，这里需要文件。" in result.stderr
    assert "is a directory" not in result.stderr and result.stderr.startswith("用法：")


def test_exporting_over_a_file_that_cannot_be_written_is_said_in_chinese(tmp_path: Path):
    deck = tmp_path / "deck.apkg"
    deck.write_bytes(b"an older deck")
    with read_only(deck):
        result = run("export", "anki", str(deck), env=ZH)
        english = run("export", "anki", str(deck), env={"LANG": "C.UTF-8"})
    assert result.exit_code == 2 and english.exit_code == 2
    assert f"错误：'FILE' 的值无效：路径 '{deck}' 不可写。" in result.stderr
    assert f"Error: Invalid value for 'FILE': File '{deck}' is not writable." in english.stderr
    assert deck.read_bytes() == b"an older deck"


def test_exporting_over_a_file_that_cannot_be_read_is_said_in_chinese(tmp_path: Path):
    """click's path check also wants an existing FILE readable. Root reads everything, so as
    root the command runs without the capabilities that let it (setpriv)."""
    out = tmp_path / "cards.json"
    out.write_text("older")
    out.chmod(0)
    argv = [sys.executable, "-m", "dlref", "export", "json", str(out)]
    if os.geteuid() == 0:
        if shutil.which("setpriv") is None:
            pytest.skip("root, and no setpriv to give up reading every file")
        drop = "-dac_override,-dac_read_search"
        argv = ["setpriv", f"--bounding-set={drop}", f"--inh-caps={drop}", "--", *argv]
    try:
        result = subprocess.run(argv, capture_output=True, text=True, timeout=60,
                                env={**os.environ, **ZH})
    finally:
        out.chmod(0o644)
    assert result.returncode == 2, result.stderr
    said = t("click.not-readable", "zh", path=out)
    assert result.stderr.endswith(f"错误：'[FILE]' 的值无效：{said}\n"), result.stderr
    assert out.read_text() == "older"


def test_an_unknown_export_part_is_said_in_chinese(tmp_path: Path):
    result = run("export", "anki", str(tmp_path / "deck.apkg"), "--parts", "concepts,cards",
                 env=ZH)
    assert result.exit_code == 2
    assert "错误：'--parts' 的值无效：请从 concepts、quiz、choices 中选择；收到的是 " \
           "'concepts,cards'" in result.stderr
    assert not (tmp_path / "deck.apkg").exists()
    english = run("export", "anki", str(tmp_path / "deck.apkg"), "--parts", "cards")
    assert "Invalid value for '--parts': choose from concepts, quiz, choices; got 'cards'" \
           in english.stderr


def test_doctor_in_both_languages_keeps_each_sentence_whole(tmp_path: Path, monkeypatch):
    home = tmp_path / "home"
    (home / "cards").mkdir(parents=True)
    (home / "progress.sqlite3").write_bytes(b"not a database" * 100)
    (home / "cards" / "broken.md").write_text("no front matter\n")
    monkeypatch.setenv("DLREF_HOME", str(home))
    result = run("doctor", "--lang", "both")
    assert result.exit_code == 1
    cards = [line for line in result.stdout.splitlines() if "cards load" in line]
    assert len(cards) == 1 and re.fullmatch(
        r"  ✗ (\d+) cards load; problems in 1 file: run `dlref check` / "
        r"\1 张卡片可以加载；1 个文件有问题：运行 `dlref check`", cards[0]), cards
    assert result.stderr.splitlines() == [  # the damaged file and the broken card file
        "dlref: " + t("check.problems", "en", count=2) + t("doctor.try-repair", "en"),
        t("check.problems", "zh", count=2) + t("doctor.try-repair", "zh")]


def test_doctor_on_a_terminal_gives_each_language_a_line_that_fits(tmp_path: Path):
    from dlref.text.width import width_of
    from tests.test_render_width import run_on_terminal

    home = tmp_path / "a-rather-long-home-directory-name-for-the-progress-file"
    home.mkdir()
    lines = run_on_terminal("doctor", "--lang", "both", columns=60, color=True,
                            env={"DLREF_HOME": str(home)})
    assert [line for line in lines if width_of(line) > 60] == []
    english = next(i for i, line in enumerate(lines) if "cards load" in line)
    assert lines[english].startswith("  ✓ ") and " / " not in lines[english]
    assert re.fullmatch(r"    \d+ 张卡片可以加载", lines[english + 1])
    said = " ".join(line.strip() for line in lines)
    assert str(home / "progress.sqlite3") in said.replace(" ", "")  # the path, wrapped whole


@pytest.mark.parametrize("args", [["stats", "--json=1"], ["show", "relu", "--short=yes"]])
def test_a_flag_given_a_value_is_said_in_chinese(args):
    result = run(*args, env=ZH)
    name = args[-1].split("=")[0]
    assert result.exit_code == 2
    assert result.stderr.endswith(f"错误：选项 '{name}' 不接受值。\n"), result.stderr
    english = run(*args)
    assert english.stderr.endswith(f"Error: Option '{name}' does not take a value.\n")
