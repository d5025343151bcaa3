"""Plain-terminal rendering of cards and tables, with or without colour.

Hand-written rather than Rich so that `dlref show` imports almost nothing: the content uses a
small markdown subset (paragraphs, bullets, bold, italic, code, fences), and CJK characters are
measured as two columns so that English and Chinese line up side by side.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence

from dlref.cards.model import Card

STYLES = {
    "title": "1;36",
    "heading": "1;33",
    "bold": "1",
    "italic": "3",
    "code": "36",
    "fence": "32",
    "dim": "2",
    "ok": "32",
    "bad": "31",
}
_INLINE = re.compile(r"(\*\*.+?\*\*|`[^`]+`|(?<![A-Za-z0-9*])\*[^*\s][^*]*?\*(?![A-Za-z0-9*]))")

Run = tuple[str, str | None]  # (text, style)


def char_width(ch: str) -> int:
    if unicodedata.combining(ch):
        return 0
    return 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def width_of(text: str) -> int:
    """Columns the text takes in a terminal."""
    return sum(char_width(c) for c in text)


def paint(text: str, style: str | None, color: bool) -> str:
    if not color or not style or not text:
        return text
    return f"\x1b[{STYLES[style]}m{text}\x1b[0m"


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


def _tokens(runs: list[Run]) -> Iterable[tuple[str, str | None]]:
    """Break runs into wrap units: words with their trailing space, or single wide chars."""
    for text, style in runs:
        for piece in re.findall(r"[^\s]+\s*|\s+", text):
            word = ""
            for ch in piece:
                if char_width(ch) == 2:
                    if word:
                        yield word, style
                        word = ""
                    yield ch, style
                else:
                    word += ch
            if word:
                yield word, style


# Characters a line must not start with (CJK line-breaking rules, simplified).
NO_LINE_START = set("，。、；：？！）」』】》〉’”%,.;:?!)]}…·")
NO_LINE_END = set("（「『【《〈‘“([{")


# Over-long tokens (code, URLs) break after one of these; a hard break is the last resort.
BREAK_AFTER = set(".,(/")
# Brackets whose short groups are not split across lines.
OPENING, CLOSING = "(（", ")）"


def _split_long(token: str, room: int) -> list[str]:
    """A token wider than `room` columns in pieces that fit, broken after `BREAK_AFTER`
    characters where that keeps at least half the piece."""
    pieces = []
    while width_of(token.rstrip()) > room:
        cut = best = used = 0
        for i, ch in enumerate(token):
            used += char_width(ch)
            if used > room:
                break
            cut = i + 1
            if ch in BREAK_AFTER and token[i + 1:i + 2] not in NO_LINE_START:
                best = i + 1
        cut = best if width_of(token[:best]) * 2 >= room else max(cut, 1)
        pieces.append(token[:cut])
        token = token[cut:]
    return [*pieces, token]


def _open_group(line: list[Run], upcoming: list[Run], room: int) -> int | None:
    """Where the bracket left open at the end of `line` starts, if the whole group is short
    (a third of `room` at most) and so can move down whole rather than be split."""
    depth, start = 0, None
    for index in range(len(line) - 1, 1, -1):
        for ch in reversed(line[index][0]):
            if ch in CLOSING:
                depth += 1
            elif ch in OPENING:
                if depth == 0:
                    start = index
                    break
                depth -= 1
        if start is not None:
            break
    if start is None:
        return None
    size = sum(width_of(t) for t, _ in line[start:])
    depth = 1
    for token, _ in upcoming:
        for ch in token:
            depth += (ch in OPENING) - (ch in CLOSING)
            if depth == 0:
                return start if size + width_of(token.rstrip()) <= room // 3 else None
        size += width_of(token)
        if size > room // 3:
            return None
    return None


def _carry(line: list[Run], upcoming: list[Run], room: int) -> list[Run]:
    """Remove and return the end of `line` that must move down to the next line with the
    upcoming tokens: a short bracketed group, the character before closing punctuation,
    opening punctuation. Nothing moves if it would not fit in `room` columns."""
    bare = upcoming[0][0].rstrip()
    for keep_groups in (True, False):
        keep = list(line)
        moved: list[Run] = []
        start = _open_group(keep, upcoming, room) if keep_groups else None
        if start is not None:
            keep, moved = keep[:start], keep[start:]
        while len(keep) > 2 and (moved[0][0] if moved else bare)[:1] in NO_LINE_START:
            moved.insert(0, keep.pop())
        while len(keep) > 2 and keep[-1][0].rstrip()[-1:] in NO_LINE_END:
            moved.insert(0, keep.pop())
        if sum(width_of(t) for t, _ in moved) + width_of(bare) <= room:
            line[:] = keep
            return moved
    return []


def wrap_runs(runs: list[Run], width: int, first: str = "", rest: str = "") -> list[list[Run]]:
    """Greedy wrap to `width` columns; `first`/`rest` are the prefixes of the first/next lines.

    Closing punctuation never starts a line and opening punctuation never ends one: the
    character next to it moves down with it. A short bracketed group moves down whole rather
    than being split, and a token too long for any line is broken (see `_split_long`).
    """
    width = max(width, len(first) + 8)
    room = width - max(width_of(first), width_of(rest))
    tokens = [(piece, style) for token, style in _tokens(runs)
              for piece in _split_long(token, max(room, 2))]
    lines: list[list[Run]] = [[(first, None)]]
    used = width_of(first)
    for n, (token, style) in enumerate(tokens):
        bare = token.rstrip()
        prefix = rest if len(lines) > 1 else first
        if used + width_of(bare) > width and used > width_of(prefix):
            carried = _carry(lines[-1], tokens[n:], width - width_of(rest))
            lines.append([(rest, None), *carried])
            used = width_of(rest) + sum(width_of(t) for t, _ in carried)
            token = token.lstrip() if not carried else token
            if not token:
                continue
        lines[-1].append((token, style))
        used += width_of(token)
    return lines


def hard_wrap(line: str, width: int) -> list[str]:
    """Split a preformatted line into pieces of at most `width` columns."""
    pieces, current, used = [], "", 0
    for ch in line:
        w = char_width(ch)
        if used + w > width and current:
            pieces.append(current)
            current, used = "", 0
        current += ch
        used += w
    return [*pieces, current]


def emit(line: list[Run], color: bool) -> str:
    """One wrapped line as text, without trailing spaces."""
    while line and not line[-1][0].strip():
        line = line[:-1]
    if line:
        line = [*line[:-1], (line[-1][0].rstrip(), line[-1][1])]
    return "".join(paint(t, s, color) for t, s in line)


def _join_lines(lines: list[str]) -> str:
    """Join source lines of a paragraph; no space where either side is a CJK character."""
    out = ""
    for line in lines:
        line = line.strip()
        if out and line and char_width(out[-1]) != 2 and char_width(line[0]) != 2:
            out += " "
        out += line
    return out


def render_markdown(text: str, width: int, color: bool, indent: str = "  ") -> list[str]:
    """The card's markdown subset as terminal lines (no trailing newline)."""
    out: list[str] = []
    para: list[str] = []
    item: tuple[str, list[str]] | None = None

    def flush() -> None:
        nonlocal item
        if para:
            for line in wrap_runs(inline_runs(_join_lines(para)), width, indent, indent):
                out.append(emit(line, color))
            para.clear()
        if item is not None:
            bullet, body = item
            pad = indent + " " * width_of(bullet)
            for line in wrap_runs(inline_runs(_join_lines(body)), width, indent + bullet, pad):
                out.append(emit(line, color))
            item = None

    in_fence = False
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped.startswith("```"):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            pad = indent + "  "
            for piece in hard_wrap(raw.rstrip(), max(width - len(pad), 10)):
                out.append(pad + paint(piece, "fence", color))
            continue
        if not stripped:
            flush()
            if out and out[-1] != "":
                out.append("")
            continue
        bullet = re.match(r"^(\s*)([-*+]|\d+[.)])\s+(.*)$", raw)
        if bullet:
            flush()
            depth = len(bullet.group(1)) // 2
            mark = "•" if not bullet.group(2)[0].isdigit() else bullet.group(2)
            item = ("  " * depth + mark + " ", [bullet.group(3)])
        elif item is not None and raw.startswith(" "):
            item[1].append(stripped)
        elif stripped.startswith("###"):
            flush()
            out.append(indent + paint(stripped.lstrip("#").strip(), "bold", color))
        else:
            if item is not None:
                flush()
            para.append(stripped)
    flush()
    while out and out[-1] == "":
        out.pop()
    return out


def wrap_text(text: str, width: int | None, first: str = "", rest: str = "") -> list[str]:
    """Plain text wrapped to `width` columns after the prefixes `first`/`rest`; one line when
    `width` is None (piped output stays one line per field, for grep)."""
    if width is None or width_of(first) + width_of(text) <= width:
        return [first + text]
    return [emit(line, False) for line in wrap_runs([(text, None)], width, first, rest)]


def card_header(card: Card, lang: str, color: bool, width: int | None = None) -> list[str]:
    """The title and the id, wrapped to `width` if they do not fit on one line."""
    title, tag = card.title_in(lang), f"({card.id})"
    if width is None or width_of(title) + 2 + width_of(tag) <= width:
        return [f"{paint(title, 'title', color)}  {paint(tag, 'dim', color)}"]
    runs: list[Run] = [(title, "title"), ("  ", None), (tag, "dim")]
    return [emit(line, color) for line in wrap_runs(runs, width)]


def card_footer(card: Card, lang: str, color: bool, width: int = 100) -> list[str]:
    """Related cards, the demo command and tags, wrapped to `width`."""
    label = {"zh": ("相关", "演示", "标签")}.get(lang, ("Related", "Demo", "Tags"))
    items = []
    if card.related:
        items.append((label[0], ", ".join(card.related)))
    if card.demo:
        items.append((label[1], f"dlref demo {card.id}"))
    items.append((label[2], ", ".join(card.tags)))
    lines = []
    for name, value in items:
        runs: list[Run] = [(name + ":", "bold"), (" " + value, None)]
        lines += [emit(line, color) for line in wrap_runs(runs, width, "", "  ")]
    return lines


def render_sections(card: Card, lang: str, width: int, color: bool) -> list[list[str]]:
    """One list of lines per section (heading first), aligned by section key across languages."""
    return [
        [paint(s.heading, "heading", color), *render_markdown(s.text, width, color)]
        for s in card.sections(lang)
    ]


def render_card(card: Card, lang: str, width: int, color: bool) -> str:
    """A card in one language."""
    width = min(width, 100)
    lines = card_header(card, lang, color, width) + [""]
    for section in render_sections(card, lang, width, color):
        lines += section + [""]
    lines += card_footer(card, lang, color, width)
    return "\n".join(lines) + "\n"


def render_side_by_side(card: Card, left: str, right: str, width: int, color: bool) -> str:
    """Two languages in two columns, each section starting on the same row."""
    col = (width - 3) // 2
    by_key = {s.key: i for i, s in enumerate(card.sections(right))}
    left_secs = render_sections(card, left, col, color)
    right_secs = render_sections(card, right, col, color)
    rows: list[tuple[list[str], list[str]]] = [
        (card_header(card, left, color, col), card_header(card, right, color, col))
    ]
    used_right: set[int] = set()
    for i, section in enumerate(card.sections(left)):
        j = by_key.get(section.key)
        other = right_secs[j] if j is not None else []
        if j is not None:
            used_right.add(j)
        rows.append((left_secs[i], other))
    rows += [([], right_secs[j]) for j in range(len(right_secs)) if j not in used_right]
    rows.append((card_footer(card, left, color, col), card_footer(card, right, color, col)))
    out: list[str] = []
    for a, b in rows:
        for k in range(max(len(a), len(b))):
            la = a[k] if k < len(a) else ""
            lb = b[k] if k < len(b) else ""
            pad = col - width_of(strip_ansi(la))
            out.append((la + " " * max(pad, 0) + " │ " + lb).rstrip())
        out.append(" " * col + " │")
    return "\n".join(out[:-1]) + "\n"


_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def strip_ansi(text: str) -> str:
    return _ANSI.sub("", text)


def _fit_columns(widths: list[int], room: int, floors: list[int]) -> list[int]:
    """Narrow the widest columns, one column at a time, until they fit in `room` columns (or
    are all down to their `floors`)."""
    widths = list(widths)
    while sum(widths) > room:
        narrower = [i for i, (w, f) in enumerate(zip(widths, floors, strict=True)) if w > f]
        if not narrower:
            break
        widths[max(narrower, key=widths.__getitem__)] -= 1
    return widths


def table(headers: Sequence[str], rows: Sequence[Sequence[object]], color: bool = False,
          width: int | None = None) -> str:
    """An aligned table with a rule under the header; CJK-aware widths.

    With `width`, the widest columns are narrowed until a line fits and their cells wrapped.
    Each rule is as long as the widest cell shown in its column.
    """
    cells = [[str(c) for c in r] for r in rows]
    widths = [width_of(h) for h in headers]
    for row in cells:
        widths = [max(w, width_of(c)) for w, c in zip(widths, row, strict=True)]
    if width is not None:
        # Columns narrow down to their longest word first (ids stay whole), then to 8.
        room = width - 2 * (len(widths) - 1)
        words = [max([0, *(width_of(t.rstrip()) for c in column for t, _ in _tokens([(c, None)]))])
                 for column in zip(*cells, strict=True)] if cells else [0] * len(widths)
        widths = _fit_columns(widths, room, [min(w, x) for w, x in zip(widths, words, strict=True)])
        widths = _fit_columns(widths, room, [min(w, 8) for w in widths])

    wrapped = [[wrap_text(c, w) for c, w in zip(row, widths, strict=True)] for row in cells]
    shown = [max([width_of(h), *(width_of(x) for row in wrapped for x in row[i])])
             for i, h in enumerate(headers)]

    def line(values: Sequence[str], style: str | None = None) -> str:
        parts = [paint(v, style, color) + " " * (w - width_of(v))
                 for v, w in zip(values, shown, strict=True)]
        return "  ".join(parts).rstrip()

    out = [line(headers, "bold"), "  ".join("─" * w for w in shown)]
    for row in wrapped:
        for k in range(max(len(c) for c in row)):
            out.append(line([c[k] if k < len(c) else "" for c in row]))
    return "\n".join(out) + "\n"


def render_plot(plot, lang: str, width: int, color: bool, height: int = 16) -> str:
    """A demo's plot drawn with plotext (imported here: only demos pay for it)."""
    import plotext as plt

    plt.clear_figure()
    plt.plot_size(min(width, 100), height)
    if not color:
        plt.theme("clear")
    draw = {"scatter": plt.scatter, "bar": plt.bar}.get(plot.kind, plt.plot)
    for series in plot.series:
        if series.x and series.y:
            draw(series.x, series.y, label=series.label)
    plt.title(plot.title.get(lang) or plot.title.get("en", ""))
    plt.xlabel(plot.xlabel)
    plt.ylabel(plot.ylabel)
    text = plt.build()
    return text if color else strip_ansi(text)


def render_result(result, lang: str, width: int, color: bool) -> str:
    """A demo's result for a terminal: metrics, plots, tables, then the notes."""
    out: list[str] = []
    if result.metrics:
        out.append("  ".join(f"{paint(k, 'bold', color)}={_num(v)}"
                             for k, v in result.metrics.items()))
        out.append("")
    for plot in result.plots:
        out.append(render_plot(plot, lang, width, color))
        out.append("")
    for tab in result.tables:
        out.append(paint(tab.title.get(lang) or tab.title.get("en", ""), "heading", color))
        rows = [[_num(c) for c in row] for row in tab.rows]
        out.append(table(tab.columns, rows, color, width))
    notes = result.notes.get(lang) or result.notes.get("en", [])
    for note in notes:
        out += [emit(line, color) for line in wrap_runs(inline_runs(note), min(width, 100),
                                                          "• ", "  ")]
    return "\n".join(out).rstrip() + "\n"


def _num(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return str(value)
