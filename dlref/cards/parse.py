"""Reading one content file: TOML front matter between `+++` lines, then language blocks.

Parsing is pure data handling (tomllib and string splitting); nothing in a file is executed.
Every problem becomes a `ContentError` with the line it is on, so one bad file reports all its
problems and never hides the others.
"""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

from dlref.cards.model import SECTION_KEYS, Card, ContentError, Section
from dlref.cards.sanitize import clean, clean_data

TYPE_CHECKING = False  # importing typing costs `dlref show` more than its lookup
if TYPE_CHECKING:
    from typing import Any

#: The largest card file read, in bytes. The longest bundled card is about 10 kB; a file past
#: this is reported and skipped, never read into memory.
MAX_CARD_BYTES = 1_000_000

ID_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LANG_RE = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]+)?$")
BLOCK_OPEN = re.compile(r"^:::\s*([A-Za-z-]+)\s*$")
HEADING = re.compile(r"^##\s+(.*?)\s*\{#([a-z-]+)\}\s*$")
TOML_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)")

# key -> (type check, description) for the front matter schema
_LIST_OF_STR = "a list of strings"
_SCHEMA: dict[str, str] = {
    "id": "a string",
    "title": "a table of language = string",
    "aliases": "a table of language = list of strings",
    "tags": _LIST_OF_STR,
    "related": _LIST_OF_STR,
    "demo": "a string",
    "demo_set": "a table",
    "errata": "a list of integers",
    "checks": "an array of tables ([[checks]])",
    "questions": "an array of tables ([[questions]])",
}


def split_file(text: str) -> tuple[str, int, str, int] | None:
    """(front matter, its first line, body, body's first line), or None without `+++` fences."""
    lines = text.split("\n")
    if not lines or lines[0].strip() != "+++":
        return None
    for i in range(1, len(lines)):
        if lines[i].strip() == "+++":
            return "\n".join(lines[1:i]), 2, "\n".join(lines[i + 1 :]), i + 2
    return None


def key_line(front: str, first_line: int, key: str) -> int:
    """Best-effort line of `key` in the front matter, for error messages."""
    pattern = re.compile(rf"^\s*(\[\[?\s*{re.escape(key)}\s*\]\]?|{re.escape(key)}\s*=)")
    for offset, line in enumerate(front.split("\n")):
        if pattern.match(line):
            return first_line + offset
    return first_line


class ReadError(Exception):
    """A card file that cannot be read as text; `line` is where the problem is (1 if nowhere)."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.line = line


_KINDS = ((stat.S_ISDIR, "a directory"), (stat.S_ISFIFO, "a FIFO (named pipe)"),
          (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"))


def not_a_card_file(mode: int) -> str | None:
    """Why a file of this `st_mode` cannot be a card, or None for a regular file."""
    if stat.S_ISREG(mode):
        return None
    kind = next((name for test, name in _KINDS if test(mode)), "not a regular file")
    return f"{kind}, not a regular file; a card is a text file"


def stat_problem(path: Path) -> tuple[os.stat_result | None, str | None]:
    """The file's stat, or why it cannot be a card: a dangling or looping symlink, a FIFO or
    other non-regular file, one over MAX_CARD_BYTES, or one that cannot be looked at."""
    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return None, f"broken symbolic link (points to {os.readlink(path)})"
        return None, "vanished while being read"
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, "symbolic link loop"
        return None, f"cannot read: {exc.strerror or exc}"
    problem = not_a_card_file(st.st_mode)
    if problem is None and st.st_size > MAX_CARD_BYTES:
        problem = (f"{st.st_size} bytes is over the {MAX_CARD_BYTES} byte limit for a card "
                   "file")
    return (st, None) if problem is None else (None, problem)


def read_text(path: Path) -> str:
    """A card file as text, or ReadError. Never blocks (a FIFO is refused, not opened for a
    writer that never comes), never reads past MAX_CARD_BYTES, accepts a UTF-8 BOM and
    Windows line ends."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        _, problem = stat_problem(path)
        raise ReadError(problem or f"cannot read: {exc.strerror or exc}") from None
    try:
        problem = not_a_card_file(os.fstat(fd).st_mode)  # what was opened, not what was stat'ed
        if problem:
            raise ReadError(problem)
        raw = b""  # read one byte past the cap, so a file that grew since stat is caught
        while len(raw) <= MAX_CARD_BYTES and (chunk := os.read(fd, MAX_CARD_BYTES + 1 - len(raw))):
            raw += chunk
    except OSError as exc:
        raise ReadError(f"cannot read: {exc.strerror or exc}") from None
    finally:
        os.close(fd)
    if len(raw) > MAX_CARD_BYTES:
        raise ReadError(f"over the {MAX_CARD_BYTES} byte limit for a card file")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
        line = raw.count(b"\n", 0, exc.start + bom) + 1
        raise ReadError(f"not UTF-8 text ({exc.reason} at byte {exc.start + bom}); save the "
                        "file as UTF-8", line) from None
    return text.replace("\r\n", "\n")


def _plain_data(value: Any, where: list[str]) -> Any:
    """TOML data as JSON-able values: a date or time (which no card key takes) becomes its ISO
    text, also appended to `where` so the loader can report it (and find its line)."""
    if isinstance(value, dict):
        return {k: _plain_data(v, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_data(v, where) for v in value]
    if hasattr(value, "isoformat"):  # datetime, date, time
        where.append(value.isoformat())
        return value.isoformat()
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        where.append(f"integer of {len(str(abs(value)))} digits")
        return 0
    return value


def load_card(path: Path, *, bundled: bool = True) -> tuple[Card | None, list[ContentError]]:
    """Parse one file's front matter; the body is kept as text and parsed when shown.

    Anything wrong with the file, however exotic, is a ContentError, never an exception."""
    try:
        text = read_text(path)
    except ReadError as exc:
        return None, [ContentError(path, exc.line, str(exc))]
    parts = split_file(text)
    if parts is None:
        return None, [ContentError(path, 1, "missing front matter: the file must start with a "
                                            "'+++' line and close it with another '+++'")]
    front, first, body, body_line = parts
    import tomllib

    try:
        data = tomllib.loads(front)
    except RecursionError:
        return None, [ContentError(path, first, "invalid TOML front matter: arrays or tables "
                                                "nested too deeply")]
    except tomllib.TOMLDecodeError as exc:
        match = TOML_AT.search(str(exc))
        line = first + int(match.group(1)) - 1 if match else first
        message = TOML_AT.sub("", str(exc))
        if match:
            message += f" (column {match.group(2)})"
        return None, [ContentError(path, line, f"invalid TOML front matter: {message}")]
    except ValueError as exc:  # what tomllib lets through, e.g. an integer of 5000 digits
        return None, [ContentError(path, first, "invalid TOML front matter: "
                                                f"{str(exc).split(';')[0]}")]
    try:
        exotic: list[str] = []  # dates, times and out-of-range integers met
        data = clean_data(_plain_data(data, exotic))
        card, errors = _build(path, data, front, first, body, body_line, bundled)
    except RecursionError:  # nesting tomllib accepts but is too deep to walk
        return None, [ContentError(path, first, "front matter nested too deeply")]
    for value in exotic:
        if value.startswith("integer"):
            errors.append(ContentError(path, first, f"an {value} is outside the 64-bit range "
                                                    "TOML allows"))
            continue
        errors.append(ContentError(path, _value_line(front, first, value),
                                   f"a TOML date or time ({clean(value)}) is not a value any "
                                   "card key takes; write it as a string"))
    return card, errors


def _value_line(front: str, first: int, iso: str) -> int:
    """Best-effort line of a date value (its ISO text, or the date part of it)."""
    for probe in (iso, iso[:10], iso[:8]):
        for offset, line in enumerate(front.split("\n")):
            if probe and probe in line:
                return first + offset
    return first


def _build(
    path: Path, data: dict[str, Any], front: str, first: int, body: str, body_line: int,
    bundled: bool,
) -> tuple[Card | None, list[ContentError]]:
    errors: list[ContentError] = []

    def err(key: str, message: str) -> None:
        errors.append(ContentError(path, key_line(front, first, key), message))

    for key in data:
        if key not in _SCHEMA:
            err(key, f"unknown key {key!r}; known keys: {', '.join(_SCHEMA)}")
    card_id = data.get("id")
    if not isinstance(card_id, str):
        err("id", "'id' is required and must be a string")
        card_id = path.stem
    elif not ID_RE.match(card_id):
        err("id", f"id {card_id!r} must be lowercase letters, digits and single hyphens")
    elif card_id != path.stem:
        err("id", f"id {card_id!r} must match the file name {path.stem!r}")

    title = data.get("title")
    if not _is_lang_table(title, str):
        err("title", "'title' is required: a table of language = string, e.g. title.en")
        title = {}
    elif "en" not in title:
        err("title", "'title.en' is required (English is the fallback language)")
    aliases = data.get("aliases", {})
    if not _is_lang_table(aliases, list) or not all(
        all(isinstance(a, str) and a.strip() for a in v) for v in aliases.values()
    ):
        err("aliases", "'aliases' must be a table of language = list of non-empty strings")
        aliases = {}
    for key in ("tags", "related"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            err(key, f"'{key}' must be {_LIST_OF_STR}")
            data[key] = []
    if not data.get("tags"):
        err("tags", "'tags' needs at least one tag")
    demo = data.get("demo")
    if demo is not None and not isinstance(demo, str):
        err("demo", "'demo' must be a string naming a demo")
        demo = None
    for key, kind in (("demo_set", dict), ("errata", list), ("checks", list), ("questions", list)):
        if not isinstance(data.get(key, kind()), kind):
            err(key, f"'{key}' must be {_SCHEMA[key]}")
            data[key] = kind()
    if not all(isinstance(e, int) for e in data.get("errata", [])):
        err("errata", "'errata' must be a list of integers (rows of ERRATA.md)")
    for key in ("checks", "questions"):
        if not all(isinstance(c, dict) for c in data.get(key, [])):
            err(key, f"every entry of '{key}' must be a table")
            data[key] = []

    blocks, body_errors = parse_body(body, body_line, path)
    errors.extend(body_errors)
    for lang in title:
        if lang not in blocks:
            errors.append(ContentError(path, body_line, f"title.{lang} given but no '::: {lang}' "
                                                        "block in the body"))
    for lang in blocks:
        if lang not in title:
            err("title", f"'::: {lang}' block has no title.{lang}")

    card = Card(
        id=card_id,
        path=path,
        title=title,
        aliases={k: list(v) for k, v in aliases.items()},
        tags=data.get("tags", []),
        related=data.get("related", []),
        demo=demo,
        demo_set=data.get("demo_set", {}),
        errata=[e for e in data.get("errata", []) if isinstance(e, int)],
        checks=data.get("checks", []),
        questions=data.get("questions", []),
        body_line=body_line,
        bundled=bundled,
        _blocks=blocks,
    )
    return card, errors


def _is_lang_table(value: Any, kind: type) -> bool:
    return isinstance(value, dict) and all(
        isinstance(k, str) and LANG_RE.match(k) and isinstance(v, kind) for k, v in value.items()
    )


def parse_body(
    body: str, first_line: int, path: Path
) -> tuple[dict[str, list[Section]], list[ContentError]]:
    """Split the body into `::: lang` blocks of `## Heading {#key}` sections."""
    blocks: dict[str, list[Section]] = {}
    errors: list[ContentError] = []
    lang: str | None = None
    current: Section | None = None
    buffer: list[str] = []
    in_fence = False

    def flush() -> None:
        if current is not None:
            lead = next((i for i, b in enumerate(buffer) if b.strip()), 0)
            current.text = "\n".join(buffer).strip("\n")
            current.text_line = current.line + 1 + lead
        buffer.clear()

    for offset, raw in enumerate(body.split("\n")):
        lineno = first_line + offset
        line = clean(raw)
        stripped = line.strip()
        if stripped.startswith("```"):
            in_fence = not in_fence
        if not in_fence and stripped.startswith(":::"):
            opener = BLOCK_OPEN.match(stripped)
            if stripped == ":::":
                if lang is None:
                    errors.append(ContentError(path, lineno, "':::' closes no block"))
                flush()
                lang, current = None, None
            elif opener and lang is None:
                lang = opener.group(1)
                if not LANG_RE.match(lang):
                    errors.append(ContentError(path, lineno, f"{lang!r} is not a language code"))
                if lang in blocks:
                    errors.append(ContentError(path, lineno, f"second '::: {lang}' block"))
                blocks[lang] = []
            else:
                errors.append(ContentError(path, lineno, f"'{stripped}' inside an open block; "
                                                         "close the block with ':::' first"))
            continue
        if lang is None:
            if stripped:
                errors.append(ContentError(path, lineno, "text outside a '::: lang' block"))
            continue
        if not in_fence and (line.startswith("## ") or line.startswith("# ")):
            heading = HEADING.match(line)
            if heading and heading.group(2) in SECTION_KEYS:
                flush()
                current = Section(heading.group(2), heading.group(1), "", lineno)
                blocks[lang].append(current)
            elif heading:
                errors.append(ContentError(path, lineno, f"unknown section key "
                                           f"{{#{heading.group(2)}}}; keys: "
                                           f"{', '.join(SECTION_KEYS)}"))
            else:
                errors.append(ContentError(path, lineno, "a section heading must be "
                                                         "'## Heading {#key}'"))
            continue
        if current is None:
            if stripped:
                errors.append(ContentError(path, lineno, "text before the first section heading"))
            continue
        buffer.append(line)
    flush()
    if lang is not None:
        errors.append(ContentError(path, first_line, f"'::: {lang}' block is never closed "
                                                     "with ':::'"))
    if in_fence:
        errors.append(ContentError(path, first_line, "a ``` code fence is never closed"))
    return blocks, errors
