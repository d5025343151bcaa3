"""The language layer: which language to speak, and the words to speak it with.

Every front end (CLI, app, Anki export) asks here: `resolve_language` chooses English, Chinese or
both; `pick` takes one language out of a bilingual text (a card title, a demo label, a quiz
prompt); `t` looks up an interface word in the catalogue (`dlref.i18n.words`). Standard library
only, so `dlref show` pays almost nothing for it.
"""

from __future__ import annotations

import os
import string
from collections.abc import Iterable, Mapping

LANGS: tuple[str, ...] = ("en", "zh")  # the languages of the interface and the bundled cards
BOTH = "both"
CHOICES: tuple[str, ...] = (*LANGS, BOTH)
FALLBACK = "en"

Text = str | Mapping[str, str]  # plain text (the same in every language) or {"en": …, "zh": …}


def language_of(locale: str) -> str | None:
    """The interface language a locale name asks for: `zh_CN.UTF-8` → `zh`, `en_GB` → `en`,
    `C` and `POSIX` → `en`; None for an empty value or a language dlref does not speak."""
    code = locale.strip().split(".")[0].split("@")[0].replace("-", "_").split("_")[0].lower()
    if code in ("c", "posix"):
        return "en"
    return code if code in LANGS else None


def parse_choice(value: str) -> str | None:
    """A `--lang` or DLREF_LANG value as `en`, `zh` or `both` (locale spellings accepted:
    `zh-CN`, `zh_CN.UTF-8`); None when it names no language dlref speaks."""
    value = value.strip().lower()
    if value == BOTH:
        return BOTH
    if value in ("c", "posix", ""):
        return None
    return language_of(value)


def resolve_language(flag: str | None = None, env: Mapping[str, str] | None = None) -> str:
    """`en`, `zh` or `both`, from the first of these that says something:

    1. the `--lang` flag, then DLREF_LANG (an unusable DLREF_LANG is ignored);
    2. LANGUAGE, a priority list (`fr:zh` → the first language dlref speaks, `zh`);
    3. the first set one of LC_ALL, LC_MESSAGES, LANG (`C`/`POSIX` mean English);
    4. English. A locale in another language falls back to English without a word.
    """
    env = os.environ if env is None else env
    for chosen in (flag, env.get("DLREF_LANG")):
        if chosen and (lang := parse_choice(chosen)):
            return lang
    for part in env.get("LANGUAGE", "").split(":"):
        code = language_of(part) if part.strip() else None
        if code and part.strip().lower() not in ("c", "posix"):
            return code
    for var in ("LC_ALL", "LC_MESSAGES", "LANG"):
        if env.get(var, "").strip():
            return language_of(env[var]) or FALLBACK
    return FALLBACK


def pick(text: Text | None, lang: str, sep: str = " · ") -> str:
    """One language out of a bilingual text (English where the wanted one is missing); for
    `both`, the two joined by `sep` (once, when they are the same). Plain strings pass through."""
    if text is None:
        return ""
    if isinstance(text, str):
        return text
    if lang == BOTH:
        parts = [text.get(code, "") for code in LANGS]
        return sep.join(p for p in dict.fromkeys(parts) if p)
    return text.get(lang) or text.get(FALLBACK) or next(iter(text.values()), "")


def one(lang: str) -> str:
    """The single language to use where there is room for only one: `both` → English."""
    return FALLBACK if lang == BOTH else lang


class _Words(string.Formatter):
    """str.format with one more spec for English plurals: `{count:s}` is "s" unless count is
    1, so "{count} review{count:s}" reads "1 review", "3 reviews"."""

    def format_field(self, value: object, format_spec: str) -> str:
        if format_spec == "s":  # a count, however it was passed (3, "3")
            return "" if str(value) == "1" else "s"
        return super().format_field(value, format_spec)


_WORDS = _Words()


def t(key: str, lang: str, sep: str = " · ", **fields: object) -> str:
    """The interface word `key` in `lang` (both languages for `both`), with `{fields}` filled.

    A field may itself be bilingual ({"en": …, "zh": …}): each language of the word is filled
    with the same language of the field, so `both` never repeats a field in both languages
    inside each half. An unknown key is a bug, so it raises KeyError rather than showing
    something half-made.
    """
    from dlref.i18n.words import WORDS

    entry = WORDS[key]

    def filled(code: str) -> str:
        return _WORDS.format(entry.get(code, entry[FALLBACK]),
                             **{k: pick(v, code) if isinstance(v, Mapping) else v
                                for k, v in fields.items()})

    if lang == BOTH:
        return pick({code: filled(code) for code in LANGS}, BOTH, sep)
    return filled(lang)


def listed(items: Iterable[object]) -> dict[str, str]:
    """Names (keys, ids, languages) as one bilingual field of `t`: `a, b` in English, `a、b`
    in Chinese."""
    names = [str(item) for item in items]
    return {code: t("list-sep", code).join(names) for code in LANGS}


#: errno name → the catalogue's words for a reason a file or socket operation commonly fails
#: (the English is the C library's own)
_OS_REASONS = {"ENOENT": "os.no-such-file", "ENOTDIR": "os.not-a-directory",
               "EISDIR": "os.is-a-directory", "EACCES": "os.permission-denied",
               "EPERM": "os.not-permitted", "EROFS": "os.read-only", "ENOSPC": "os.no-space",
               "EDQUOT": "os.quota", "ENAMETOOLONG": "os.name-too-long",
               "ELOOP": "os.symlink-loop", "EEXIST": "os.exists",
               "EADDRINUSE": "os.address-in-use", "EADDRNOTAVAIL": "os.address-not-here"}


def os_reason(exc: OSError) -> str | dict[str, str]:
    """Why an operating-system call failed, as a field of `t`: a common reason (a full disk,
    a missing directory, a taken port…) in every language, else the system's own words (its
    `strerror`, which Python gives in English)."""
    import errno

    key = _OS_REASONS.get(errno.errorcode.get(exc.errno or 0, ""))
    return bilingual(key) if key else exc.strerror or str(exc)


def tag_label(tag: str, lang: str) -> str:
    """A card tag as a reader sees it: the catalogue's name for a known tag, else the tag."""
    from dlref.i18n.words import WORDS

    entry = WORDS.get(f"tag.{tag}")
    return pick(entry, lang) if entry else tag


def bilingual(key: str, **fields: object) -> dict[str, str]:
    """The interface word `key` in every language, for data that is picked later; a field
    may itself be bilingual, as in `t`."""
    return {code: t(key, code, **fields) for code in LANGS}


__all__ = ["BOTH", "CHOICES", "FALLBACK", "LANGS", "Text", "bilingual",
           "language_of", "listed", "one",
           "parse_choice", "pick", "resolve_language", "t", "tag_label"]
