"""The paragraph model of card text: the markdown subset a card uses, parsed once into blocks
that every front end typesets the same way (terminal, app, Anki).

Source lines of a paragraph are joined as a reader expects: a space between Latin words, none
between two CJK characters or next to CJK punctuation. Inline `**bold**`, `*italic*` and
`` `code` `` become styled runs; nothing else in the text is interpreted. Tabs never reach a
front end: prose whitespace collapses to one space, a formula's tabs expand to spaces.
"""

from __future__ import annotations

import re
import unicodedata
from collections import namedtuple

from dlref.text.width import char_width, is_wide
from dlref.text.wrap import Run

_INLINE = re.compile(r"(\*\*.+?\*\*|`[^`]+`|(?<![A-Za-z0-9*])\*[^*\s][^*]*?\*(?![A-Za-z0-9*]))")
_BULLET = re.compile(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$")
_SPACES = re.compile(r"[ \t\n]+")
TAB_STOP = 8  # a terminal's, and a browser's in Anki's <pre>


class Block(namedtuple("Block", "kind runs lines marker", defaults=((), (), ""))):
    """One typeset unit: a paragraph, a list item, a formula (fenced, preformatted lines) or a
    small heading. `marker` is a list item's bullet (`• `, `2. `), indented by its depth.
    (A named tuple, not a dataclass: see `dlref.cards.model.ContentError`.)"""

    __slots__ = ()
    kind: str  # "paragraph" | "item" | "formula" | "heading"
    runs: tuple[Run, ...]
    lines: tuple[str, ...]
    marker: str

    @property
    def text(self) -> str:
        """The block as unstyled text (formula lines joined by newlines)."""
        if self.kind == "formula":
            return "\n".join(self.lines)
        return "".join(text for text, _ in self.runs)


#: Chinese's dash and ellipsis (——, ……), which Unicode counts as narrow, Latin's too:
#: beside a CJK character they join as its punctuation does (`无关——` + `梯度`, no space).
_DASHES = "—…"


def _cjk_punctuation(ch: str) -> bool:
    return is_wide(ch) and unicodedata.category(ch).startswith(("P", "S"))


def collapse(text: str) -> str:
    """Prose `text` stripped, each run of spaces, tabs and newlines in it one space, as HTML
    shows it (Anki): a tab reaching a terminal would jump to a tab stop the layout did not
    count, a newline would break a line the layout thinks is one."""
    return _SPACES.sub(" ", text.strip())


def expand_tabs(line: str, stop: int = TAB_STOP) -> str:
    """A preformatted line with each tab replaced by spaces up to the next tab stop, counted
    in terminal columns (a CJK character takes two), so a formula's alignment survives."""
    out, column = [], 0
    for ch in line:
        if ch == "\t":
            ch = " " * (stop - column % stop)
        out.append(ch)
        column += len(ch) if ch.startswith(" ") else char_width(ch)
    return "".join(out)


def join_lines(lines: list[str]) -> str:
    """Source lines of one paragraph as one line: no space between two CJK characters or next
    to CJK punctuation (a dash or an ellipsis beside a CJK character included), a space
    everywhere else (between Latin words, and between Latin text
    and a CJK character, as in `使用 ReLU 函数`). Emphasis marks at either end do not count."""
    out = ""
    for line in lines:
        line = collapse(line)
        if not line:
            continue
        if out:  # look through emphasis marks: `是` + `**反向…**` joins like `是反向…`
            a, b = (out.rstrip("*`") or out)[-1], (line.lstrip("*`") or line)[0]
            joined = (is_wide(a) and is_wide(b)) or _cjk_punctuation(a) or _cjk_punctuation(b) \
                or (a in _DASHES and is_wide(b)) or (b in _DASHES and is_wide(a))
            out += "" if joined else " "
        out += line
    return out


def inline_runs(text: str, base: str | None = None) -> list[Run]:
    """Split `**bold**`, `*italic*` and `` `code` `` into styled runs."""
    runs: list[Run] = []
    for part in _INLINE.split(text):
        if not part:
            continue
        if part.startswith("**") and part.endswith("**") and len(part) > 4:
            runs.append((part[2:-2], "bold"))
        elif part.startswith("`") and part.endswith("`") and len(part) > 2:
            runs.append((part[1:-1], "code"))
        elif part.startswith("*") and part.endswith("*") and len(part) > 2:
            runs.append((part[1:-1], "italic"))
        else:
            runs.append((part, base))
    return runs


def parse_blocks(text: str) -> list[Block]:
    """A section's markdown as blocks, in order."""
    blocks: list[Block] = []
    para: list[str] = []
    item: tuple[str, list[str]] | None = None
    fence: list[str] | None = None

    def flush() -> None:
        nonlocal item
        if para:
            blocks.append(Block("paragraph", tuple(inline_runs(join_lines(para)))))
            para.clear()
        if item is not None:
            blocks.append(Block("item", tuple(inline_runs(join_lines(item[1]))), marker=item[0]))
            item = None

    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped.startswith("```"):
            flush()
            if fence is None:
                fence = []
            else:
                blocks.append(Block("formula", lines=tuple(fence)))
                fence = None
            continue
        if fence is not None:
            fence.append(expand_tabs(raw.rstrip()))
            continue
        if not stripped:
            flush()
            continue
        bullet = _BULLET.match(raw)
        if bullet:
            flush()
            depth = len(bullet.group(1)) // 2
            mark = "•" if not bullet.group(2)[0].isdigit() else bullet.group(2)
            item = ("  " * depth + mark + " ", [bullet.group(3)])
        elif item is not None and raw.startswith(" "):
            item[1].append(stripped)
        elif stripped.startswith("###"):
            flush()
            blocks.append(Block("heading", tuple(inline_runs(collapse(stripped.lstrip("#"))))))
        else:
            if item is not None:
                flush()
            para.append(stripped)
    flush()
    if fence is not None:  # an unclosed fence still shows its lines
        blocks.append(Block("formula", lines=tuple(fence)))
    return blocks
