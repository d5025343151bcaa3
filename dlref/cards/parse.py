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
from dlref.i18n import listed, os_reason, toml_reason

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

#: The front matter's keys.
_SCHEMA: tuple[str, ...] = ("id", "title", "aliases", "tags", "related", "demo", "demo_set",
                            "errata", "checks", "questions")

#: Why a file is not a card: a catalogue entry (`content.*`) and the fields that fill it.
Problem = tuple[str, dict[str, object]]


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
    """A card file that cannot be read as text: why (`problem`, a catalogue entry and its
    fields; `str()` says it in English) and the line it is on (1 if nowhere)."""

    def __init__(self, problem: Problem, line: int = 1) -> None:
        from dlref.i18n import t

        super().__init__(t(problem[0], "en", **problem[1]))
        self.problem, self.line = problem, line

    def error(self, path: Path) -> ContentError:
        """The problem as `dlref check` reports it."""
        return ContentError.said(path, self.line, self.problem[0], **self.problem[1])


_KINDS = ((stat.S_ISDIR, "content.kind.directory"), (stat.S_ISFIFO, "content.kind.fifo"),
          (stat.S_ISSOCK, "content.kind.socket"), (stat.S_ISCHR, "content.kind.char-device"),
          (stat.S_ISBLK, "content.kind.block-device"))


def not_a_card_file(mode: int) -> Problem | None:
    """Why a file of this `st_mode` cannot be a card, or None for a regular file."""
    from dlref.i18n import bilingual

    if stat.S_ISREG(mode):
        return None
    kind = next((key for test, key in _KINDS if test(mode)), None)
    if kind is None:
        return "content.not-regular", {}
    return "content.special-file", {"kind": bilingual(kind)}


def stat_problem(path: Path) -> tuple[os.stat_result | None, Problem | None]:
    """The file's stat, or why it cannot be a card: a dangling or looping symlink, a FIFO or
    other non-regular file, one over MAX_CARD_BYTES, or one that cannot be looked at."""
    try:
        st = path.stat()
    except FileNotFoundError:
        if path.is_symlink():
            return None, ("content.broken-link", {"target": os.readlink(path)})
        return None, ("content.vanished", {})
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return None, ("content.link-loop", {})
        return None, ("content.cannot-read", {"error": os_reason(exc)})
    problem = not_a_card_file(st.st_mode)
    if problem is None and st.st_size > MAX_CARD_BYTES:
        problem = ("content.too-big", {"size": st.st_size, "limit": MAX_CARD_BYTES})
    return (st, None) if problem is None else (None, problem)


def read_text(path: Path) -> str:
    """A card file as text, or ReadError. Never blocks (a FIFO is refused, not opened for a
    writer that never comes), never reads past MAX_CARD_BYTES, accepts a UTF-8 BOM and
    Windows line ends."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        _, problem = stat_problem(path)
        raise ReadError(problem or ("content.cannot-read",
                                    {"error": os_reason(exc)})) from None
    try:
        problem = not_a_card_file(os.fstat(fd).st_mode)  # what was opened, not what was stat'ed
        if problem:
            raise ReadError(problem)
        raw = b""  # read one byte past the cap, so a file that grew since stat is caught
        while len(raw) <= MAX_CARD_BYTES and (chunk := os.read(fd, MAX_CARD_BYTES + 1 - len(raw))):
            raw += chunk
    except OSError as exc:
        raise ReadError(("content.cannot-read", {"error": os_reason(exc)})) from None
    finally:
        os.close(fd)
    if len(raw) > MAX_CARD_BYTES:
        raise ReadError(("content.grew", {"limit": MAX_CARD_BYTES}))
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        bom = 3 if raw.startswith(b"\xef\xbb\xbf") else 0
        line = raw.count(b"\n", 0, exc.start + bom) + 1
        raise ReadError(("content.not-utf8", {"reason": exc.reason, "byte": exc.start + bom}),
                        line) from None
    return text.replace("\r\n", "\n")


def _plain_data(value: Any, where: list[str | int]) -> Any:
    """TOML data as JSON-able values: a date or time (which no card key takes) becomes its ISO
    text, also appended to `where` so the loader can report it (and find its line); an
    integer outside 64 bits becomes 0, and its number of digits goes to `where`."""
    if isinstance(value, dict):
        return {k: _plain_data(v, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain_data(v, where) for v in value]
    if hasattr(value, "isoformat"):  # datetime, date, time
        where.append(value.isoformat())
        return value.isoformat()
    if isinstance(value, int) and not -(2**63) <= value < 2**63:
        where.append(len(str(abs(value))))
        return 0
    return value


def load_card(path: Path, *, bundled: bool = True) -> tuple[Card | None, list[ContentError]]:
    """Parse one file's front matter; the body is kept as text and parsed when shown.

    Anything wrong with the file, however exotic, is a ContentError, never an exception."""
    try:
        text = read_text(path)
    except ReadError as exc:
        return None, [exc.error(path)]
    parts = split_file(text)
    if parts is None:
        return None, [ContentError.said(path, 1, "content.no-front-matter")]
    front, first, body, body_line = parts
    import tomllib

    try:
        data = tomllib.loads(front)
    except RecursionError:
        return None, [ContentError.said(path, first, "content.toml-too-deep")]
    except tomllib.TOMLDecodeError as exc:
        match = TOML_AT.search(str(exc))
        if match is None:
            return None, [ContentError.said(path, first, "content.bad-toml",
                                            error=toml_reason(exc))]
        return None, [ContentError.said(path, first + int(match.group(1)) - 1,
                                        "content.bad-toml-at",
                                        error=toml_reason(exc, position=False),
                                        column=int(match.group(2)))]
    except ValueError as exc:  # what tomllib lets through, e.g. an integer of 5000 digits
        return None, [ContentError.said(path, first, "content.bad-toml",
                                        error=str(exc).split(";")[0])]
    try:
        exotic: list[str | int] = []  # dates and times (ISO text), big integers (digits) met
        data = clean_data(_plain_data(data, exotic))
        card, errors = _build(path, data, front, first, body, body_line, bundled)
    except RecursionError:  # nesting tomllib accepts but is too deep to walk
        return None, [ContentError.said(path, first, "content.too-deep")]
    for value in exotic:
        if isinstance(value, int):
            errors.append(ContentError.said(path, first, "content.big-integer", digits=value))
            continue
        errors.append(ContentError.said(path, _value_line(front, first, value),
                                        "content.toml-date", value=clean(value)))
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

    def err(where: str, key: str, /, **fields: object) -> None:
        errors.append(ContentError.said(path, key_line(front, first, where), key, **fields))

    for key in data:
        if key not in _SCHEMA:
            err(key, "content.unknown-key", field=key, keys=listed(_SCHEMA))
    card_id = data.get("id")
    if not isinstance(card_id, str):
        err("id", "content.id-required")
        card_id = path.stem
    elif not ID_RE.match(card_id):
        err("id", "content.id-form", id=card_id)
    elif card_id != path.stem:
        err("id", "content.id-file", id=card_id, stem=path.stem)

    title = data.get("title")
    if not _is_lang_table(title, str):
        err("title", "content.title-required")
        title = {}
    elif "en" not in title:
        err("title", "content.title-en")
    aliases = data.get("aliases", {})
    if not _is_lang_table(aliases, list) or not all(
        all(isinstance(a, str) and a.strip() for a in v) for v in aliases.values()
    ):
        err("aliases", "content.aliases-form")
        aliases = {}
    for key in ("tags", "related"):
        value = data.get(key, [])
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            err(key, "content.not-str-list", field=key)
            data[key] = []
    if not data.get("tags"):
        err("tags", "content.no-tags")
    demo = data.get("demo")
    if demo is not None and not isinstance(demo, str):
        err("demo", "content.demo-not-str")
        demo = None
    for key, kind, word in (("demo_set", dict, "content.not-table"),
                            ("errata", list, "content.not-int-list"),
                            ("checks", list, "content.not-table-array"),
                            ("questions", list, "content.not-table-array")):
        if not isinstance(data.get(key, kind()), kind):
            err(key, word, field=key)
            data[key] = kind()
    if not all(isinstance(e, int) for e in data.get("errata", [])):
        err("errata", "content.errata-ints")
    for key in ("checks", "questions"):
        if not all(isinstance(c, dict) for c in data.get(key, [])):
            err(key, "content.entries-tables", field=key)
            data[key] = []

    blocks, body_errors = parse_body(body, body_line, path)
    errors.extend(body_errors)
    for lang in title:
        if lang not in blocks:
            errors.append(ContentError.said(path, body_line, "content.title-no-block", code=lang))
    for lang in blocks:
        if lang not in title:
            err("title", "content.block-no-title", code=lang)

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

    def err(lineno: int, key: str, /, **fields: object) -> None:
        errors.append(ContentError.said(path, lineno, key, **fields))

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
                    err(lineno, "content.stray-close")
                flush()
                lang, current = None, None
            elif opener and lang is None:
                lang = opener.group(1)
                if not LANG_RE.match(lang):
                    err(lineno, "content.bad-lang", code=lang)
                if lang in blocks:
                    err(lineno, "content.second-block", code=lang)
                blocks[lang] = []
            else:
                err(lineno, "content.nested-block", line=stripped)
            continue
        if lang is None:
            if stripped:
                err(lineno, "content.text-outside")
            continue
        if not in_fence and (line.startswith("## ") or line.startswith("# ")):
            heading = HEADING.match(line)
            if heading and heading.group(2) in SECTION_KEYS:
                flush()
                current = Section(heading.group(2), heading.group(1), "", lineno)
                blocks[lang].append(current)
            elif heading:
                err(lineno, "content.unknown-section", section=heading.group(2),
                    keys=listed(SECTION_KEYS))
            else:
                err(lineno, "content.bad-heading")
            continue
        if current is None:
            if stripped:
                err(lineno, "content.text-before-heading")
            continue
        buffer.append(line)
    flush()
    if lang is not None:
        err(first_line, "content.unclosed-block", code=lang)
    if in_fence:
        err(first_line, "content.unclosed-fence")
    return blocks, errors
