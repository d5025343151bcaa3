"""The configuration file: a user's defaults, in TOML, under the platform's config directory.

```toml
lang = "zh"            # en, zh or both (DLREF_LANG and --lang override it)
color = "auto"         # auto, always or never (NO_COLOR, TERM=dumb and --color override it)
pager = "less -FRX"    # a command, or false for none (DLREF_PAGER and --no-pager override it)
short = false          # `dlref show` prints title, definition and formula only (--full: all)
theme = "textual-dark" # the app's theme
daily_new = 20         # new quiz items a day
paths = ["~/cards"]    # more card directories, read after the default user directory
```

Where: `$DLREF_CONFIG`, else `$DLREF_HOME/config.toml`, else the platform's user config
directory. A missing file is an empty configuration; a broken one raises `ConfigError`, whose
message is one line naming the key. Standard library only (tomllib is imported only when the
file exists), so `dlref show` pays next to nothing for it.
"""

from __future__ import annotations

import os
import stat
import sys
from collections import namedtuple
from pathlib import Path

TYPE_CHECKING = False  # typing and dataclasses would be a quarter of a `dlref show` run
if TYPE_CHECKING:
    from typing import Any

FILENAME = "config.toml"
COLORS = ("auto", "always", "never")


class ConfigError(ValueError):
    """A broken configuration file; `str()` is one line in English: file, key and what is
    wrong (the catalogue entry `reason` filled with `fields`); `text(lang)` says it in `lang`."""

    def __init__(self, path: Path, key: str | None, reason: str, **fields: object) -> None:
        self.path, self.key, self.reason, self.fields = path, key, reason, fields
        super().__init__(self.text("en"))

    def text(self, lang: str, sep: str = "\n") -> str:
        """The one-line message in `lang` (both: English, then Chinese, joined by `sep`)."""
        from dlref.i18n import LANGS, t

        why = {code: t(self.reason, code, **self.fields) for code in LANGS}
        if self.key:
            return t("config.at-key", lang, sep=sep, path=self.path, name=self.key, why=why)
        return t("config.at", lang, sep=sep, path=self.path, why=why)


#: New quiz items a day when neither the config file nor DLREF_NEW_PER_DAY says (Anki's "new
#: cards/day" default), and the most `daily_new` (and `dlref quiz --new`) may ask for.
DAILY_NEW, DAILY_NEW_MAX = 20, 1000


class Config(namedtuple("Config", "lang color pager short theme daily_new paths source",
                        defaults=(None, "auto", None, False, None, DAILY_NEW, (), None))):
    """A user's defaults; every field has the value dlref uses when the file says nothing.

    `lang` None means "from the environment"; `pager` None means "DLREF_PAGER, PAGER, then
    less -FRX", False means no pager, a string is the pager command; `paths` is a tuple of
    directories; `source` is the file read, if any.
    """

    __slots__ = ()


def _platform_dir(kind: str) -> Path:
    """The user config/data directory for dlref, by the XDG rule on Linux (no platformdirs
    import on the fast path), else from platformdirs."""
    if sys.platform.startswith("linux"):
        var, default = {"config": ("XDG_CONFIG_HOME", ".config"),
                        "data": ("XDG_DATA_HOME", ".local/share")}[kind]
        return Path(os.environ.get(var) or Path.home() / default) / "dlref"
    import platformdirs

    getter = platformdirs.user_config_dir if kind == "config" else platformdirs.user_data_dir
    return Path(getter("dlref"))


def config_file() -> Path:
    """`$DLREF_CONFIG`, else `$DLREF_HOME/config.toml`, else the user config directory's."""
    if os.environ.get("DLREF_CONFIG"):
        return Path(os.environ["DLREF_CONFIG"]).expanduser()
    if os.environ.get("DLREF_HOME"):
        return Path(os.environ["DLREF_HOME"]).expanduser() / FILENAME
    return _platform_dir("config") / FILENAME


def user_cards_dir() -> Path:
    """The default directory of a user's own cards (`dlref new` writes here):
    `$DLREF_HOME/cards`, else `cards` in the user data directory."""
    if os.environ.get("DLREF_HOME"):
        return Path(os.environ["DLREF_HOME"]).expanduser() / "cards"
    return _platform_dir("data") / "cards"


def _check(path: Path, data: dict[str, Any]) -> Config:
    values: dict[str, Any] = {}
    for key, value in data.items():
        if key == "lang":
            from dlref.i18n import parse_choice

            lang = parse_choice(value) if isinstance(value, str) else None
            if lang is None:
                raise ConfigError(path, key, "config.bad-lang", value=value)
            values[key] = lang
        elif key == "color":
            if value not in COLORS:
                raise ConfigError(path, key, "config.bad-color", value=value)
            values[key] = value
        elif key == "pager":
            if value is True or not isinstance(value, str | bool):
                raise ConfigError(path, key, "config.bad-pager")
            values[key] = value if value else False
        elif key == "short":
            if not isinstance(value, bool):
                raise ConfigError(path, key, "config.bad-bool")
            values[key] = value
        elif key == "theme":
            if not isinstance(value, str) or not value:
                raise ConfigError(path, key, "config.bad-theme")
            values[key] = value
        elif key == "daily_new":
            if (isinstance(value, bool) or not isinstance(value, int)
                    or not 0 <= value <= DAILY_NEW_MAX):
                raise ConfigError(path, key, "config.bad-daily-new", most=DAILY_NEW_MAX)
            values[key] = value
        elif key == "paths":
            if not isinstance(value, list) or not all(isinstance(p, str) for p in value):
                raise ConfigError(path, key, "config.bad-paths")
            values[key] = tuple(Path(p).expanduser() for p in value)
        else:
            import difflib

            from dlref.i18n import listed

            near = difflib.get_close_matches(key, KEYS, n=1)
            if near:
                raise ConfigError(path, key, "config.unknown-near", near=near[0])
            raise ConfigError(path, key, "config.unknown", keys=listed(KEYS))
    return Config(**values, source=path)


KEYS = ("lang", "color", "pager", "short", "theme", "daily_new", "paths")


MAX_CONFIG_BYTES = 65_536


def _read_small(path: Path) -> bytes:
    """The file's bytes, never blocking: a FIFO or device (which would wait for a writer that
    never comes) and a file over MAX_CONFIG_BYTES are ConfigErrors saying so."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise ConfigError(path, None, "config.is-dir" if stat.S_ISDIR(mode) else
                              "config.not-regular")
        raw = b""
        while len(raw) <= MAX_CONFIG_BYTES and (chunk := os.read(fd, MAX_CONFIG_BYTES + 1)):
            raw += chunk
    finally:
        os.close(fd)
    if len(raw) > MAX_CONFIG_BYTES:
        raise ConfigError(path, None, "config.too-big", limit=MAX_CONFIG_BYTES)
    return raw


def load_config(path: Path | None = None) -> Config:
    """The configuration in `path` (default: `config_file()`); defaults if there is no file.

    Raises ConfigError (one line, naming the key) for a file that is not TOML, a value of the
    wrong kind or an unknown key.
    """
    path = path or config_file()
    try:
        raw = _read_small(path)
    except (FileNotFoundError, NotADirectoryError):  # no file there (DLREF_HOME=a file: the
        return Config()                              # progress store says so, not each lookup)
    except OSError as exc:
        if path.is_dir():
            raise ConfigError(path, None, "config.is-dir") from None
        from dlref.i18n import os_reason

        raise ConfigError(path, None, "config.os-error", error=os_reason(exc)) from None
    import tomllib

    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise ConfigError(path, None, "config.not-utf8") from None
    except tomllib.TOMLDecodeError as exc:
        from dlref.i18n import toml_reason

        raise ConfigError(path, None, "config.not-toml", error=toml_reason(exc)) from None
    return _check(path, data)


TEMPLATE = """\
# dlref's configuration. Every line is optional; flags and environment variables win.
# lang = "zh"            # en, zh or both
# color = "auto"         # auto, always or never
# pager = "less -FRX"    # a command, or false for no pager
# short = false          # `dlref show` prints title, definition and formula only
# theme = "textual-dark" # the app's theme
# daily_new = 20         # new quiz items a day
# paths = []             # more card directories
"""
