"""Shared fixtures: fixture card directories and an environment free of the user's settings."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No test sees the developer's language, colour, content path, progress store or time
    zone: days a learner counts (new items a day, stats' "today") are local days, and tests
    written with UTC times mean UTC's days (a test wanting a zone sets TZ itself)."""
    for var in ("DLREF_PATH", "DLREF_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "NO_COLOR",
                "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("DLREF_HOME", str(tmp_path / "dlref-home"))
    monkeypatch.setenv("DLREF_CACHE", str(tmp_path / "cache" / "cards.json"))
    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def fixture_cards(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put the well-formed fixture cards on DLREF_PATH."""
    path = FIXTURES / "cards"
    monkeypatch.setenv("DLREF_PATH", str(path))
    return path
