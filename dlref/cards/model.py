"""The card as data: what a content file holds once parsed."""

from __future__ import annotations

from dataclasses import dataclass, field
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


@dataclass(frozen=True)
class ContentError:
    """One problem in one content file, reported as `file:line: message`."""

    path: Path
    line: int
    message: str

    def __str__(self) -> str:
        from dlref.cards.sanitize import clean  # a file name can hold an escape sequence too

        # one line, whatever a key or file name held
        return clean(f"{self.path}:{self.line}: {self.message}").replace("\n", "\u2424")


@dataclass
class Section:
    key: str  # stable across languages: "definition", "formula", ...
    heading: str  # in the block's language
    text: str  # markdown below the heading
    line: int  # where the heading is in the file
    text_line: int = 0  # where `text` starts in the file


@dataclass
class Card:
    """A concept card. Bodies are parsed only when a command needs them."""

    id: str
    path: Path
    title: dict[str, str]
    aliases: dict[str, list[str]] = field(default_factory=dict)
    tags: list[str] = field(default_factory=list)
    related: list[str] = field(default_factory=list)
    demo: str | None = None
    demo_set: dict[str, Any] = field(default_factory=dict)
    errata: list[int] = field(default_factory=list)
    checks: list[dict[str, Any]] = field(default_factory=list)
    questions: list[dict[str, Any]] = field(default_factory=list)
    body_line: int = 1  # first line of the body in the file
    bundled: bool = True
    _blocks: dict[str, list[Section]] | None = field(default=None, repr=False)

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
