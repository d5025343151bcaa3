"""`dlref doctor` changes nothing, not even beside the file: it left an empty -wal and a 32 KB
-shm next to a sound, closed store (a read-only SQLite connection makes them for a WAL file
and, unable to checkpoint, cannot remove them)."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from dlref.cli import main
from dlref.quiz.store import Store
from tests.test_salvage import build


def listing(home: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in home.iterdir() if p.name.startswith("progress")}


@pytest.mark.parametrize("damaged", [False, True])
def test_doctor_leaves_the_directory_as_it_was(tmp_path: Path, monkeypatch, damaged: bool):
    monkeypatch.setenv("DLREF_HOME", str(tmp_path))
    path = tmp_path / "progress.sqlite3"
    build(path, 40).close()
    if damaged:
        with open(path, "r+b") as handle:
            handle.write(b"\0" * 16)
    before = listing(tmp_path)
    assert list(before) == ["progress.sqlite3"]
    result = CliRunner().invoke(main, ["doctor", "--lang", "en"])
    assert ("✓ 40 reviews" in result.stdout) != damaged, result.stdout
    assert listing(tmp_path) == before


def test_doctor_beside_an_open_store_reads_its_wal(tmp_path: Path, monkeypatch):
    """With a -wal there (another dlref has the file open), doctor reads through it."""
    monkeypatch.setenv("DLREF_HOME", str(tmp_path))
    path = tmp_path / "progress.sqlite3"
    build(path, 10).close()
    with Store.open(path) as store:
        build(path, 5, start=10, store=store)
        assert Path(f"{path}-wal").stat().st_size > 0
        result = CliRunner().invoke(main, ["doctor", "--lang", "en"])
    assert "✓ 15 reviews" in result.stdout, result.stdout
