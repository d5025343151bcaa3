"""The app's remembered state: the last card, tab, language and theme, the card history and the
knob values per demo, kept between runs in one small JSON file.

* Location: `$DLREF_HOME/state.json` if DLREF_HOME is set (like the progress store), else the
  platform's user state directory (`platformdirs.user_state_dir("dlref")`).
* A missing file is a first run. A damaged or foreign file (not JSON, not an object, another
  program's, a newer format) is ignored: `load` returns the defaults and a reason the app shows
  as a notice; the file is left alone until the next save replaces it.
* Values are checked one by one on load, so one bad entry (an unknown tab, a knob value that is
  not a number) costs that entry only.
* Saving writes a temporary file beside the real one and renames it over, so a crash or a full
  disk never leaves half a file.

Standard library only (platformdirs is imported only when DLREF_HOME is not set).
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

FILENAME = "state.json"
FORMAT = "dlref-app-state"
VERSION = 1
TABS = ("card", "demo", "quiz")
LANGS = ("en", "zh", "both")
HISTORY = 50  # cards remembered for back/forward

Scalar = bool | int | float | str


def default_path() -> Path:
    """Where the state lives: `$DLREF_HOME/state.json`, else the user state directory."""
    home = os.environ.get("DLREF_HOME")
    if home:
        return Path(home).expanduser() / FILENAME
    import platformdirs

    return Path(platformdirs.user_state_dir("dlref")) / FILENAME


@dataclass
class AppState:
    """What the app remembers. None means "not chosen yet": the app uses its own default."""

    card: str | None = None
    tab: str | None = None
    lang: str | None = None
    theme: str | None = None
    history: list[str] = field(default_factory=list)
    history_at: int | None = None  # the card shown, in `history` (None: the last)
    knobs: dict[str, dict[str, Scalar]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"format": FORMAT, "version": VERSION, "card": self.card, "tab": self.tab,
                "lang": self.lang, "theme": self.theme, "history": self.history[-HISTORY:],
                "history_at": self.history_at, "knobs": self.knobs}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AppState:
        """The state in `data`, keeping each entry that has the right shape (see module doc)."""

        def text(key: str, allowed: tuple[str, ...] | None = None) -> str | None:
            value = data.get(key)
            if not isinstance(value, str) or not value or (allowed and value not in allowed):
                return None
            return value

        history = [c for c in data.get("history") or [] if isinstance(c, str) and c]
        knobs: dict[str, dict[str, Scalar]] = {}
        raw = data.get("knobs")
        for demo, values in (raw.items() if isinstance(raw, dict) else ()):
            if isinstance(values, dict):
                kept = {k: v for k, v in values.items()
                        if isinstance(k, str) and isinstance(v, bool | int | float | str)}
                if kept:
                    knobs[str(demo)] = kept
        kept = history[-HISTORY:]
        at = data.get("history_at")  # an index into the history as written
        at = (at - (len(history) - len(kept)) if isinstance(at, int)
              and not isinstance(at, bool) and 0 <= at < len(history) else None)
        return cls(card=text("card"), tab=text("tab", TABS), lang=text("lang", LANGS),
                   theme=text("theme"), history=kept,
                   history_at=at if at is not None and at >= 0 else None, knobs=knobs)


def load(path: Path | None = None) -> tuple[AppState, tuple[str, dict[str, Any]] | None]:
    """The saved state and, when the file was unusable, why: an interface word's key and its
    fields, which the app says in the learner's language. Never raises."""
    path = path or default_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return AppState(), None
    except (OSError, UnicodeDecodeError) as exc:
        return AppState(), ("state.unreadable", {"path": path, "error": exc})
    try:
        data = json.loads(raw)
    except ValueError as exc:
        return AppState(), ("state.not-json", {"path": path, "error": exc})
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        return AppState(), ("state.foreign", {"path": path})
    if not isinstance(data.get("version"), int) or data["version"] > VERSION:
        return AppState(), ("state.newer", {"path": path, "version": data.get("version")})
    return AppState.from_dict(data), None


def save(state: AppState, path: Path | None = None) -> None:
    """Write the state atomically (a temporary file renamed over the old one).

    Raises OSError when the directory or the file cannot be written; the app reports it once.
    """
    path = path or default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".state-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(state.to_dict(), out, ensure_ascii=False, indent=1)
            out.write("\n")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
