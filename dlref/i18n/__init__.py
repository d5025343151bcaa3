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
        if format_spec == "s":
            return plural_s(value)
        return super().format_field(value, format_spec)


def plural_s(count: object) -> str:
    """The English plural ending after a count, however it was passed (3, "3", 3.0): "" for
    one, else "s". For English built outside the catalogue (a demo's notes): "1 step"."""
    return "" if str(count) in ("1", "1.0") else "s"


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


#: tomllib's messages (English) → their Chinese; `{0}` is the key or character it names
_TOML_ZH = {
    "Cannot overwrite a value": "不能覆盖已有的值",
    "Escaped character is not a Unicode scalar value": "转义字符不是有效的 Unicode 标量值",
    "Expected '=' after a key in a key/value pair": "键值对中，键后面应当是 '='",
    "Expected ']' at the end of a table declaration": "表的声明应以 ']' 结束",
    "Expected ']]' at the end of an array declaration": "表数组的声明应以 ']]' 结束",
    "Expected newline or end of document after a statement": "一条语句之后应当换行或到文件末尾",
    "Invalid date or datetime": "无效的日期或日期时间",
    "Invalid hex value": "无效的十六进制值",
    "Invalid initial character for a key part": "键的开头字符无效",
    "Invalid statement": "无效的语句",
    "Invalid value": "无效的值",
    "Unclosed array": "数组没有闭合",
    "Unclosed inline table": "内联表没有闭合",
    "Unescaped '\\' in a string": "字符串中有未转义的 '\\'",
    "Unterminated string": "字符串没有闭合",
    "Cannot declare {0} twice": "不能重复声明 {0}",
    "Cannot mutate immutable namespace {0}": "不能修改不可变的命名空间 {0}",
    "Cannot redefine namespace {0}": "不能重新定义命名空间 {0}",
    "Duplicate inline table key {0}": "内联表的键 {0} 重复",
    "Expected {0}": "缺少 {0}",
    "Found invalid character {0}": "发现无效字符 {0}",
    "Illegal character {0}": "非法字符 {0}",
}
_TOML_AT = r"^(.*?)(?: \(at (?:line (\d+), column (\d+)|end of document)\))?$"


def toml_reason(exc: Exception, position: bool = True) -> dict[str, str]:
    """Why tomllib refused a text, as a bilingual field of `t`: its own English, and the
    Chinese of each of its messages (its words as they are for one it may add later); with
    `position`, where (line and column, or the end of the text), else without it."""
    import re

    what, line, column = re.match(_TOML_AT, str(exc), re.S).groups()  # type: ignore[union-attr]
    zh = _TOML_ZH.get(what)
    for english, chinese in _TOML_ZH.items():
        if zh is None and "{0}" in english:
            head, tail = english.split("{0}")
            if what.startswith(head) and what.endswith(tail) and len(what) > len(head + tail):
                zh = chinese.format(what[len(head):len(what) - len(tail)])
    zh = zh or what
    if not position:
        return {"en": what, "zh": zh}
    where = f"第 {line} 行第 {column} 列" if line else "文件末尾"
    return {"en": str(exc), "zh": f"{where}：{zh}" if line or str(exc) != what else zh}


def tag_label(tag: str, lang: str) -> str:
    """A card tag as a reader sees it: the catalogue's name for a known tag, else the tag."""
    from dlref.i18n.words import WORDS

    entry = WORDS.get(f"tag.{tag}")
    return pick(entry, lang) if entry else tag


def bilingual(key: str, **fields: object) -> dict[str, str]:
    """The interface word `key` in every language, for data that is picked later; a field
    may itself be bilingual, as in `t`."""
    return {code: t(key, code, **fields) for code in LANGS}


__all__ = ["BOTH", "CHOICES", "FALLBACK", "LANGS", "Text", "bilingual", "plural_s",
           "language_of", "listed", "one",
           "parse_choice", "pick", "resolve_language", "t", "tag_label",
           "toml_reason"]
