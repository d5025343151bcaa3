"""`dlref doctor` counts problems, not lines: a damaged progress file is one problem although
two lines say it (the damage, then what a repair would recover)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dlref.cli import main
from dlref.quiz.store import health, problems
from tests.test_salvage import build, damage_pages


@pytest.fixture
def home(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.setenv("DLREF_HOME", str(tmp_path))
    return tmp_path


def damaged(home: Path, how: str) -> Path:
    path = home / "progress.sqlite3"
    build(path, 600).close()
    if how == "pages":
        damage_pages(path, 2)
    else:
        with open(path, "r+b") as handle:
            handle.write(b"XXXXXXXXXXXXXXXX")
    return path


@pytest.mark.parametrize("how", ["pages", "header"])
@pytest.mark.parametrize(("lang", "said"), [("en", "dlref: 1 problem found."),
                                            ("zh", "dlref: 发现 1 个问题。")])
def test_one_damaged_file_is_one_problem(home: Path, how: str, lang: str, said: str):
    path = damaged(home, how)
    findings = health(path)
    assert sum(not f.ok for f in findings) == 2  # two lines say it…
    assert problems(findings) == 1  # …one problem
    result = CliRunner().invoke(main, ["doctor", "--lang", lang])
    assert result.exit_code == 1
    assert result.stdout.count("✗") == 2
    assert result.stderr.splitlines()[0].startswith(said), result.stderr


def test_damage_and_a_broken_card_file_are_two(home: Path, tmp_path: Path,
                                                monkeypatch):
    damaged(home, "pages")
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "broken.md").write_text("no front matter here\n", encoding="utf-8")
    monkeypatch.setenv("DLREF_PATH", str(cards))
    result = CliRunner().invoke(main, ["doctor", "--lang", "en"])
    assert "problems in 1 file" in result.stdout, result.stdout
    assert result.stderr.startswith("dlref: 2 problems found."), result.stderr
