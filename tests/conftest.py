"""Shared fixtures: fixture card directories and an environment free of the user's settings."""

from __future__ import annotations

from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture(autouse=True)
def clean_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test sees the developer's language, colour, content path or progress store."""
    for var in ("DLREF_PATH", "DLREF_LANG", "LANGUAGE", "LC_ALL", "LC_MESSAGES", "NO_COLOR",
                "FORCE_COLOR"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    monkeypatch.setenv("DLREF_HOME", str(tmp_path / "dlref-home"))
    monkeypatch.setenv("DLREF_CACHE", str(tmp_path / "cache" / "cards.json"))
    monkeypatch.setenv("COLUMNS", "80")


@pytest.fixture
def fixture_cards(monkeypatch: pytest.MonkeyPatch) -> Path:
    """Put the well-formed fixture cards on DLREF_PATH."""
    path = FIXTURES / "cards"
    monkeypatch.setenv("DLREF_PATH", str(path))
    return path
