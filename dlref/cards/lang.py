"""Which language to show: flag, then DLREF_LANG, then the locale, then English."""

from __future__ import annotations

import os
from collections.abc import Mapping

BOTH = "both"
FALLBACK = "en"


def from_locale(value: str) -> str | None:
    """`zh_CN.UTF-8` → `zh`; `C`, `POSIX` and empty values say nothing."""
    code = value.split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    if not code or code in ("c", "posix"):
        return None
    return code


def resolve_language(flag: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """A language code, or `both`. LANGUAGE may list several (`fr:zh`); the first counts.
    The flag and DLREF_LANG may be spelt as locales too: `zh-CN`, `zh_CN.UTF-8` → `zh`."""
    env = os.environ if env is None else env
    for chosen in (flag or "", env.get("DLREF_LANG", "")):
        chosen = chosen.strip().lower()
        if chosen:
            return BOTH if chosen == BOTH else from_locale(chosen) or FALLBACK
    for var in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        for part in env.get(var, "").split(":"):
            code = from_locale(part.strip())
            if code:
                return code
    return FALLBACK
