"""`dlref doctor --repair` on what a repair cannot mend (a store that is a directory, a file
from a newer dlref) keeps the report whole: the finding once, then the config and the cards,
and the problem count; before, it failed half-way, repeating the finding as an error."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from dlref.cli import main
from tests.test_salvage import build


def a_directory(path: Path) -> str:
    path.mkdir()
    return "is not a file"


def newer(path: Path) -> str:
    build(path, 5).close()
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    return "Upgrade dlref"


@pytest.mark.parametrize("make", [a_directory, newer])
def test_repair_of_what_it_cannot_mend_keeps_the_report_whole(tmp_path: Path, monkeypatch,
                                                              make):
    monkeypatch.setenv("DLREF_HOME", str(tmp_path))
    path = tmp_path / "progress.sqlite3"
    said = make(path)
    data = path.read_bytes() if path.is_file() else None
    result = CliRunner().invoke(main, ["doctor", "--repair", "--lang", "en"])
    assert result.exit_code == 1
    assert result.output.count(said) == 1, result.output
    assert "→ --repair cannot mend this" in result.stdout
    assert "Config" in result.stdout and "Cards" in result.stdout
    assert result.stderr == "dlref: 1 problem found.\n"
    assert (path.read_bytes() if path.is_file() else None) == data
    assert not list(tmp_path.glob("*corrupt*")) and not list(tmp_path.glob("*foreign*"))
    zh = CliRunner().invoke(main, ["doctor", "--repair", "--lang", "zh"])
    assert "→ --repair 无法修复这个问题" in zh.stdout and "发现 1 个问题。" in zh.stderr
