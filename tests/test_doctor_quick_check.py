"""`dlref doctor` on a file `PRAGMA quick_check` finds damaged: a summary in the learner's
language (how many problems SQLite found, and that its report is in English), then a few of
SQLite's own lines, quoted as they are, never translated; before, SQLite's English was the
whole finding, in Chinese too."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from click.testing import CliRunner

from dlref.cli import main
from dlref.quiz import store as store_module
from tests.test_salvage import build

PAGE = 4096


def scrambled(path: Path, cells: int) -> list[str]:
    """Point `cells` cells of a leaf page of the reviews table past the end of the page (the
    page is still read, so quick_check reports each cell rather than stopping); returns
    SQLite's own problem lines for the file, read with plain sqlite3."""
    db = sqlite3.connect(path)
    roots = {r[0] for r in db.execute("SELECT rootpage FROM sqlite_master")}
    db.close()
    data = bytearray(path.read_bytes())
    leaves = [p for p in range(2, len(data) // PAGE + 1)
              if data[(p - 1) * PAGE] == 0x0D and p not in roots
              and int.from_bytes(data[(p - 1) * PAGE + 3:(p - 1) * PAGE + 5], "big") >= cells]
    at = (leaves[len(leaves) // 2] - 1) * PAGE
    for i in range(cells):
        data[at + 8 + 2 * i:at + 10 + 2 * i] = (PAGE - 6).to_bytes(2, "big")
    path.write_bytes(bytes(data))
    db = sqlite3.connect(f"{path.as_uri()}?immutable=1", uri=True)
    try:
        found = [row[0] for row in db.execute("PRAGMA quick_check(100)")]
    finally:
        db.close()
    assert found != ["ok"]
    return [line for row in found for line in row.splitlines()
            if line and not line.startswith("*** in database ")]


@pytest.fixture
def damaged(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[Path, list[str]]:
    monkeypatch.setenv("DLREF_HOME", str(tmp_path))
    path = tmp_path / "progress.sqlite3"
    build(path, 2000).close()
    return path, scrambled(path, 6)


def doctor(*args: str):
    return CliRunner().invoke(main, ["doctor", *args])


def test_chinese_gets_a_chinese_summary_and_sqlites_lines_as_they_are(damaged):
    path, lines = damaged
    assert len(lines) >= 6 and any("Extends off end of page" in line for line in lines)
    data = path.read_bytes()
    result = doctor("--lang", "zh")
    assert result.exit_code == 1
    out = result.stdout.splitlines()
    summary = next(i for i, line in enumerate(out) if "quick_check" in line)
    assert out[summary] == (f"  ✗ quick_check：已损坏，发现 {len(lines)} 处问题"
                            "（下面是 SQLite 的检查结果，原文为英文）")
    # then at most four of SQLite's lines, word for word, and how many more there are
    quoted = out[summary + 1:summary + 6]
    assert quoted[:4] == [f"      {line}" for line in lines[:4]]
    assert quoted[4] == f"      ……SQLite 另有 {len(lines) - 4} 行检查结果"
    assert "*** in database" not in result.stdout
    assert "damaged" not in result.stdout and "problems found" not in result.stdout
    assert "打开 dlref 时会把它移到一旁，并恢复" in result.stdout  # what a repair would keep
    assert path.read_bytes() == data  # only reported


def test_english_and_both(damaged):
    _path, lines = damaged
    english = doctor("--lang", "en")
    assert (f"  ✗ quick_check: damaged, {len(lines)} problems found (SQLite's own report "
            "below)\n" f"      {lines[0]}\n") in english.stdout
    assert f"      … and {len(lines) - 4} more lines from SQLite" in english.stdout
    both = doctor("--lang", "both").stdout  # piped: one line, English / Chinese
    assert (f"  ✗ quick_check: damaged, {len(lines)} problems found (SQLite's own report "
            f"below) / quick_check：已损坏，发现 {len(lines)} 处问题") in both
    assert both.count(lines[0]) == 1  # SQLite's words once, not once per language


def test_a_few_problems_are_all_shown_and_many_are_counted_as_at_least(damaged, monkeypatch):
    monkeypatch.setattr(store_module, "QUICK_CHECK_LINES", 50)
    _path, lines = damaged
    result = doctor("--lang", "en")
    for line in lines:
        assert f"      {line}\n" in result.stdout
    assert "more lines from SQLite" not in result.stdout
    monkeypatch.setattr(store_module, "QUICK_CHECK_MOST", 3)  # SQLite stops at 3 problems
    capped = doctor("--lang", "zh")
    assert "✗ quick_check：已损坏，发现至少 3 处问题（下面是 SQLite 的检查结果" in capped.stdout


def test_the_rows_a_damaged_cell_drops_are_counted_lost(damaged):
    """Cells pointing off their page make SQLite skip their rows without any query failing:
    the salvage counted "0 reviews would be lost" with six gone. The table's index still
    lists every row, so those it lists that did not come back are counted."""
    path, _lines = damaged
    said = doctor("--lang", "en").stdout
    assert "recovers 1994 reviews and " in said and "; 6 reviews would be lost" in said
    repaired = doctor("--repair", "--lang", "en")
    assert repaired.exit_code == 0
    assert "recovered 1994 reviews and " in repaired.stdout
    assert "lost 6 reviews and " in repaired.stdout
    assert "✓ quick_check: ok" in doctor("--lang", "en").stdout
    assert list(path.parent.glob("*.corrupt-*"))
    db = sqlite3.connect(path)
    try:
        assert db.execute("SELECT count(*) FROM reviews").fetchone()[0] == 1994
    finally:
        db.close()
