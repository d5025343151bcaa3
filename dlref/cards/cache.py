"""A JSON cache of parsed cards, so a lookup does not re-parse every card's TOML.

Each entry is keyed by the file's path, size and modification time; a changed file is parsed
again. Entries are grouped per content set (dlref version + the directories read), so two
installs, or two DLREF_PATH settings, sharing one cache file do not evict each other; the
MAX_SETS most recently written sets are kept. The cache is a convenience: if it cannot be read or
written, nothing else changes, and a failed write leaves no temporary file behind.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from dlref import __version__
from dlref.cards.model import Card, ContentError

TYPE_CHECKING = False  # importing typing costs `dlref show` more than its lookup
if TYPE_CHECKING:
    from typing import Any

VERSION = 2  # 2: entries per content set; card text sanitised
MAX_SETS = 8


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


def content_key(dirs: list[tuple[Path, bool]]) -> str:
    """What a content set is: dlref's version and the directories read (bundled or not)."""
    return "\n".join([__version__, *(f"{int(b)}{d}" for d, b in dirs)])


class CardCache:
    """Parsed cards by path; `get` answers only while the file is unchanged."""

    def __init__(self, path: Path, dirs: list[tuple[Path, bool]] | None = None) -> None:
        self.path = path
        self.key = content_key(dirs or [])
        self.sets: dict[str, dict[str, Any]] = {}
        self.entries: dict[str, dict[str, Any]] = {}
        self.dirty = False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == VERSION and isinstance(data.get("sets"), dict):
                self.sets = data["sets"]
                self.entries = self.sets.get(self.key, {}).get("entries", {})
                if not isinstance(self.entries, dict):
                    self.entries = {}
        except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
            self.sets, self.entries = {}, {}

    @staticmethod
    def _stamp(stat: os.stat_result) -> list[int]:
        return [stat.st_size, stat.st_mtime_ns]

    def get(self, path: Path, stat: os.stat_result, bundled: bool,
            key: str | None = None) -> tuple[Card | None, list[ContentError]] | None:
        entry = self.entries.get(key or str(path))
        try:
            if entry is None or entry["stamp"] != [stat.st_size, stat.st_mtime_ns]:
                return None
            errors = [ContentError(path, line, message) for line, message in entry["errors"]]
            card = Card(path=path, bundled=bundled, **entry["card"]) if entry["card"] else None
        except (KeyError, TypeError, ValueError):  # an edited or damaged entry: parse again
            return None
        return card, errors

    def put(self, path: Path, stat: os.stat_result, card: Card | None,
            errors: list[ContentError]) -> None:
        self.entries[str(path)] = {
            "stamp": self._stamp(stat),
            "card": card.fields() if card is not None else None,
            "errors": [[e.line, e.message] for e in errors],
        }
        if card is not None:  # the normalised names, so a lookup need not redo them
            from dlref.cards.library import normalize

            self.entries[str(path)]["keys"] = [normalize(n) for n in card.names()]
        self.dirty = True

    def keys_of(self, key: str) -> list[str] | None:
        """The stored normalised names of the card in file `key` (call after `get`); the
        library skips any that is not a string (a hand-edited cache)."""
        keys = self.entries.get(key, {}).get("keys")
        return keys if isinstance(keys, list) else None

    def save(self, seen: set[str]) -> None:
        """Write the cache if it changed, dropping files that are gone; never raise."""
        stale = set(self.entries) - seen
        if not self.dirty and not stale:
            return
        for key in stale:
            del self.entries[key]
        import tempfile
        import time

        self.sets[self.key] = {"used": time.time(), "entries": self.entries}
        keep = sorted(self.sets, key=lambda k: _used(self.sets[k]), reverse=True)[:MAX_SETS]
        data = {"version": VERSION, "sets": {k: self.sets[k] for k in keep}}
        tmp = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".cards-", suffix=".json")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(data, handle, ensure_ascii=False)
            os.replace(tmp, self.path)
            tmp = None
        except (OSError, ValueError, TypeError, RecursionError):
            pass
        finally:
            if tmp is not None:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass


def _used(entry: Any) -> float:
    try:
        return float(entry["used"])
    except (KeyError, TypeError, ValueError):
        return 0.0
