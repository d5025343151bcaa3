"""The card as data: what a content file holds once parsed."""

from __future__ import annotations

from collections import namedtuple

TYPE_CHECKING = False  # typing's import is a tenth of a `dlref show` run: only for the checker
if TYPE_CHECKING:
    from pathlib import Path
    from typing import Any

SECTION_KEYS: tuple[str, ...] = (
    "definition",
    "formula",
    "intuition",
    "practice",
    "misconceptions",
    "example",
    "references",
)


class ContentError(namedtuple("ContentError", "path line key fields")):
    """One problem in one content file, reported as `file:line: message`: `str()` says it in
    English on one line, `text(lang)` in the learner's language (as `StoreError.text`). The
    words are the catalogue entry `key` (`content.*` in dlref.i18n.words) filled with `fields`;
    build one with `ContentError.said(path, line, key, **fields)`.

    `fields` is kept hashable and marshal-able (the catalogue stores it): a tuple of (name,
    value) pairs whose values are strings and numbers, or, for a field that is itself
    bilingual (a nested error's words), a tuple of (language, text) pairs.

    Cards, sections and errors are plain classes, not dataclasses: importing `dataclasses`
    (and `inspect` with it) costs a `dlref show` run a fifth of its time."""

    __slots__ = ()
    path: Path
    line: int
    key: str
    fields: tuple[tuple[str, Any], ...]

    @classmethod
    def said(cls, path: Path, line: int, key: str, /, **fields: object) -> ContentError:
        """The problem whose words are the catalogue entry `key`, filled with `fields` (a
        string, a number, or a bilingual {"en": …, "zh": …} text)."""
        return cls(path, line, key, tuple((name, _frozen(value)) for name, value in fields.items()))

    def text(self, lang: str) -> str:
        """`file:line: message` in `lang` (both: English, then Chinese, one line each), with
        whatever a field, key or file name held made visible and kept on one line."""
        from dlref.i18n import BOTH, LANGS, pick

        if lang == BOTH:
            return pick({code: self.text(code) for code in LANGS}, BOTH, "\n")
        from dlref.cards.sanitize import clean  # a file name can hold an escape sequence too

        return clean(f"{self.path}:{self.line}: {self.said_in(lang)}").replace("\n", "\u2424")

    def said_in(self, lang: str) -> str:
        """The message alone, in `lang` (`en` or `zh`), as the catalogue words it."""
        from dlref.i18n import t

        return t(self.key, lang, **{name: _thawed(value) for name, value in self.fields})

    @property
    def message(self) -> str:
        """The message in English, without its `file:line: ` (what tests and sorting use)."""
        return self.said_in("en")

    def __str__(self) -> str:
        return self.text("en")


def _frozen(value: object) -> object:
    """A field as ContentError keeps it: a bilingual mapping as (language, text) pairs, a
    string or number as it is, anything else as its text."""
    if isinstance(value, dict):
        return tuple((str(code), str(text)) for code, text in value.items())
    if isinstance(value, str | int | float):
        return value
    return str(value)


def _thawed(value: object) -> object:
    """A kept field as `t` takes it: (language, text) pairs become a bilingual mapping."""
    return dict(value) if isinstance(value, tuple) else value


class Section:
    """One `## Heading {#key}` of a language block and the markdown below it."""

    __slots__ = ("key", "heading", "text", "line", "text_line")

    def __init__(self, key: str, heading: str, text: str, line: int, text_line: int = 0) -> None:
        self.key = key  # stable across languages: "definition", "formula", ...
        self.heading = heading  # in the block's language
        self.text = text  # markdown below the heading
        self.line = line  # where the heading is in the file
        self.text_line = text_line  # where `text` starts in the file

    def __repr__(self) -> str:
        return f"Section({self.key!r}, {self.heading!r}, line {self.line})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Section) and all(
            getattr(self, k) == getattr(other, k) for k in self.__slots__)


class Card:
    """A concept card. Bodies are parsed only when a command needs them."""

    def __init__(self, id: str, path: Path, title: dict[str, str],  # noqa: A002 - the card's id
                 aliases: dict[str, list[str]] | None = None, tags: list[str] | None = None,
                 related: list[str] | None = None, demo: str | None = None,
                 demo_set: dict[str, Any] | None = None, errata: list[int] | None = None,
                 checks: list[dict[str, Any]] | None = None,
                 questions: list[dict[str, Any]] | None = None, body_line: int = 1,
                 bundled: bool = True, _blocks: dict[str, list[Section]] | None = None) -> None:
        self.id = id
        self.path = path
        self.title = title
        self.aliases = {} if aliases is None else aliases
        self.tags = [] if tags is None else tags
        self.related = [] if related is None else related
        self.demo = demo
        self.demo_set = {} if demo_set is None else demo_set
        self.errata = [] if errata is None else errata
        self.checks = [] if checks is None else checks
        self.questions = [] if questions is None else questions
        self.body_line = body_line  # first line of the body in the file
        self.bundled = bundled
        self._blocks = _blocks

    def __repr__(self) -> str:
        return f"Card({self.id!r}, {str(self.path)!r})"

    # Front-matter fields, as stored in the index cache.
    FIELDS = ("id", "title", "aliases", "tags", "related", "demo", "demo_set", "errata",
              "checks", "questions", "body_line")

    def fields(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.FIELDS}

    @property
    def languages(self) -> list[str]:
        """Languages that have a body block, in file order."""
        return list(self.blocks())

    def blocks(self) -> dict[str, list[Section]]:
        """Language → sections (parsed on first use)."""
        if self._blocks is None:
            from dlref.cards.parse import ReadError, parse_body, read_text

            try:  # the same careful read as loading (the file may have changed since)
                lines = read_text(self.path).split("\n")
            except ReadError:
                lines = []
            body = "\n".join(lines[self.body_line - 1 :])
            self._blocks, _ = parse_body(body, self.body_line, self.path)
        return self._blocks

    def sections(self, lang: str) -> list[Section]:
        return self.blocks().get(lang, [])

    def section(self, lang: str, key: str) -> Section | None:
        for s in self.sections(lang):
            if s.key == key:
                return s
        return None

    def title_in(self, lang: str) -> str:
        return self.title.get(lang) or self.title.get("en") or self.id

    def main_title_in(self, lang: str) -> str:
        """The title without the bracketed name at its end that expands or abbreviates it,
        for a list too narrow for the whole: `ReLU (rectified linear unit)` → `ReLU`,
        `修正线性单元（ReLU）` → `修正线性单元`; a title without one as it is."""
        title = self.title_in(lang)
        for opening, closing in (("(", ")"), ("（", "）")):
            head, _, rest = title.partition(opening)
            if rest.endswith(closing) and head.strip():
                return head.strip()
        return title

    def markdown(self, lang: str) -> str:
        """One language of the card as plain markdown: a title, then the sections."""
        parts = [f"# {self.title_in(lang)}"]
        parts += [f"## {s.heading} {{#{s.key}}}\n\n{s.text}" for s in self.sections(lang)]
        return "\n\n".join(parts)

    def to_dict(self) -> dict[str, Any]:
        """The card's fields and text as JSON-ready data (for `--json` and exports)."""
        return {
            "id": self.id,
            "title": dict(self.title),
            "aliases": {k: list(v) for k, v in self.aliases.items()},
            "tags": list(self.tags),
            "related": list(self.related),
            "demo": self.demo,
            "languages": self.languages,
            "sections": {
                lang: {s.key: {"heading": s.heading, "text": s.text} for s in sections}
                for lang, sections in self.blocks().items()
            },
            "source": str(self.path),
            "bundled": self.bundled,
        }

    def names(self) -> list[str]:
        """Every name the card answers to: id, titles and aliases of all languages."""
        out = [self.id, *self.title.values()]
        for values in self.aliases.values():
            out.extend(values)
        return out
