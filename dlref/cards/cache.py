"""A JSON cache of parsed cards, so a lookup does not re-parse every card's TOML.

Each entry is keyed by the file's path, size and modification time; a changed file is parsed
again. The cache is a convenience: if it cannot be read or written, nothing else changes.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

from dlref import __version__
from dlref.cards.model import Card, ContentError

VERSION = 1


def cache_file() -> Path:
    """`$DLREF_CACHE`, else the platform's user cache directory."""
    override = os.environ.get("DLREF_CACHE")
    if override:
        return Path(override)
    if sys.platform.startswith("linux"):  # the XDG rule, without importing platformdirs
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "dlref" / "cards.json"
    import platformdirs

    return Path(platformdirs.user_cache_dir("dlref")) / "cards.json"


class CardCache:
    """Parsed cards by path; `get` answers only while the file is unchanged."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.entries: dict[str, dict[str, Any]] = {}
        self.dirty = False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == VERSION and data.get("dlref") == __version__:
                self.entries = data["entries"]
        except (OSError, ValueError, KeyError, TypeError, AttributeError):
            self.entries = {}

    @staticmethod
    def _stamp(stat: os.stat_result) -> list[int]:
        return [stat.st_size, stat.st_mtime_ns]

    def get(self, path: Path, stat: os.stat_result,
            bundled: bool) -> tuple[Card | None, list[ContentError]] | None:
        entry = self.entries.get(str(path))
        if entry is None or entry["stamp"] != self._stamp(stat):
            return None
        errors = [ContentError(path, line, message) for line, message in entry["errors"]]
        card = Card(path=path, bundled=bundled, **entry["card"]) if entry["card"] else None
        return card, errors

    def put(self, path: Path, stat: os.stat_result, card: Card | None,
            errors: list[ContentError]) -> None:
        self.entries[str(path)] = {
            "stamp": self._stamp(stat),
            "card": card.fields() if card is not None else None,
            "errors": [[e.line, e.message] for e in errors],
        }
        self.dirty = True

    def save(self, seen: set[str]) -> None:
        """Write the cache if it changed, dropping files that are gone; never raise."""
        stale = set(self.entries) - seen
        if not self.dirty and not stale:
            return
        for key in stale:
            del self.entries[key]
        import tempfile

        data = {"version": VERSION, "dlref": __version__, "entries": self.entries}
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".cards-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False)
            os.replace(tmp, self.path)
        except OSError:
            pass
