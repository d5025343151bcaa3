"""Line breaking for terminal columns: Latin text breaks at spaces, CJK text between any two
characters, with the usual rules (no line starts with closing punctuation such as `，。）`, none
ends with opening punctuation such as `（「`), and a token too long for any line is broken
after punctuation where possible. Works on runs of (text, style), so styles survive wrapping.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from dlref.text.width import char_width, width_of

Run = tuple[str, str | None]  # (text, style name or None)

# Characters a line must not start with, and characters it must not end with.
NO_LINE_START = set("，。、；：？！）」』】》〉’”%,.;:?!)]}…·")
NO_LINE_END = set("（「『【《〈‘“([{")
# Over-long tokens (code, URLs) break after one of these, or after a hyphen between letters
# (an id: activation-/function); a hard break is the last resort.
BREAK_AFTER = set(".,(/")
# Brackets whose short groups are not split across lines.
OPENING, CLOSING = "(（[", ")）]"
# A word: a run of letters and digits that are not CJK (CJK text may break anywhere).
WORD = re.compile(r"[^\W\u2e80-\uffef]+")


def quick_width(text: str) -> int:
    """`width_of`, at once for ASCII text (a column a character): for the loops over every
    token of a table's English cells."""
    return len(text) if text.isascii() else width_of(text)


#: A word with the spaces after it, or spaces. A no-break space (NO_BREAK) is part of a word,
#: and a word with one is a unit, CJK characters and all: `周一 0` is not broken.
NO_BREAK = "\u00a0"
_PIECE = re.compile(r"(?:[^\s]|\u00a0)+[^\S\u00a0]*|[^\S\u00a0]+")


def tokens(runs: Iterable[Run]) -> Iterable[Run]:
    """Break runs into wrap units: words with their trailing space, or single wide chars."""
    for text, style in runs:
        for piece in _PIECE.findall(text):
            if NO_BREAK in piece:
                yield piece, style
                continue
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


def _split_long(token: str, room: int, whole_words: bool = False) -> list[str]:
    """A token wider than `room` columns in pieces that fit, broken after `BREAK_AFTER`
    characters where that keeps at least half the piece. With `whole_words` (table cells),
    such a break, or one after an en dash (`Encoder–`/`decoder`), is taken however short
    the piece when a hard break would split a word that fits in `room` (`batch-`/
    `normalization`, not `batch-normaliz`/`ation`); prose keeps the rule above, so a card
    reads as it always has."""
    pieces = []
    dashes = "-–" if whole_words else "-"
    while quick_width(token.rstrip()) > room:
        cut = best = used = 0
        ascii = token.isascii()  # then every character is a column (see `quick_width`)
        for i, ch in enumerate(token):
            used += 1 if ascii else char_width(ch)
            if used > room:
                break
            cut = i + 1
            after = token[i + 1:i + 2]
            if (ch in BREAK_AFTER and after not in NO_LINE_START) or (
                    ch in dashes and after.isalpha() and i > 0):  # activation-/function, not -1
                best = i + 1
        while cut > 1 and token[cut:cut + 1] in NO_LINE_START:
            cut -= 1  # a hard break, but not one that starts the next piece with `.` or `)`
        cut = max(cut, 1)
        if quick_width(token[:best]) * 2 >= room or (
                whole_words and best and _cuts_a_word(token, cut, room)):
            cut = best
        pieces.append(token[:cut])
        token = token[cut:]
    return [*pieces, token]


def _cuts_a_word(token: str, cut: int, room: int) -> bool:
    """Whether cutting `token` at `cut` splits a word (see `WORD`) that a line of `room`
    columns could hold whole."""
    return bool(WORD.fullmatch(token, cut - 1, cut + 1)) and any(
        m.start() < cut < m.end() and quick_width(m.group()) <= room
        for m in WORD.finditer(token))


def glued_tokens(text: str) -> list[tuple[str, int]]:
    """The wrap units of `text` (see `tokens`), each with the columns of the punctuation glued
    to it (see `_glued`): `wrap_text` keeps a token whole in any line as wide as the two."""
    units = list(tokens([(text, None)]))
    return [(token, _glued(units, n)) for n, (token, _) in enumerate(units)]


def split_words(token: str, glued: int, width: int) -> list[str]:
    """The words (see `WORD`) no wider than `width` that `wrap_text(text, width,
    whole_words=True)` cuts inside `token`, one of the `glued_tokens` of a `text` wider than
    `width`. Only a token too long for a line is cut (see `_units`), so the table layout can
    ask this of its long tokens alone rather than wrap every cell: a word that fits is cut
    when the punctuation glued to it does not fit beside it (`estimation);` in 11 columns).
    Rarely the pieces of a cut come together again on one line (`/GEL` `U`): this counts the
    word all the same."""
    room = max(width, 8)  # as `wrap_runs` widens a narrower line
    limit = max(room - glued, 2)
    if quick_width(token.rstrip()) <= limit:
        return []
    cuts, at = [], 0
    for piece in _split_long(token, limit, whole_words=True)[:-1]:
        at += len(piece)
        cuts.append(at)
    return [m.group() for m in WORD.finditer(token) if quick_width(m.group()) <= width
            and any(m.start() < cut < m.end() for cut in cuts)]


def words_split(text: str, width: int) -> list[str]:
    """The words no wider than `width` that `wrap_text(text, width, whole_words=True)`
    splits across lines (see `split_words`)."""
    if width_of(text) <= width:
        return []
    return [word for token, glued in glued_tokens(text)
            for word in split_words(token, glued, width)]


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
    opening punctuation. Nothing moves if it would not fit in `room` columns, nor if it would
    leave opening punctuation at the end of `line`; as a last resort an ASCII `(` may stay
    there (where an over-long code token was broken: `clip_grad_norm_(` / `model…`)."""
    bare = upcoming[0][0].rstrip()
    for keep_groups, no_end in ((True, NO_LINE_END), (False, NO_LINE_END),
                                (False, NO_LINE_END - set("([{"))):
        keep = list(line)
        moved: list[Run] = []
        start = _open_group(keep, upcoming, room) if keep_groups else None
        if start is not None:
            keep, moved = keep[:start], keep[start:]
        while len(keep) > 2 and (moved[0][0] if moved else bare)[:1] in NO_LINE_START:
            moved.insert(0, keep.pop())
        while len(keep) > 2 and keep[-1][0].rstrip()[-1:] in no_end:
            moved.insert(0, keep.pop())
        if keep[-1][0].rstrip()[-1:] in no_end:
            continue  # opening punctuation would end the line, alone or not
        if sum(width_of(t) for t, _ in moved) + width_of(bare) <= room:
            line[:] = keep
            return moved
    return []


def _glued(tokens: list[Run], n: int) -> int:
    """Columns of the punctuation glued to token `n` that may not be parted from it: closing
    punctuation right after it (`BernoulliRBM）。`), opening punctuation right before it
    (`（torchvision…`)."""
    glued, k = 0, n
    while k + 1 < len(tokens) and tokens[k][0] == tokens[k][0].rstrip() \
            and tokens[k + 1][0][:1] in NO_LINE_START:
        k += 1
        glued += width_of(tokens[k][0].rstrip())
    k = n
    while k > 0 and tokens[k - 1][0] == tokens[k - 1][0].rstrip() \
            and tokens[k - 1][0][-1:] in NO_LINE_END:
        k -= 1
        glued += width_of(tokens[k][0])
    return glued


def _units(tokens: list[Run], room: int, whole_words: bool = False) -> list[Run]:
    """The wrap units: tokens, each too long for a line broken into pieces that fit — with
    room left for the punctuation glued to it, so that punctuation can move to the next line
    with a piece instead of starting or ending a line on its own (see `_split_long` for
    `whole_words`)."""
    return [(piece, style) for n, (token, style) in enumerate(tokens)
            for piece in _split_long(token, max(room - _glued(tokens, n), 2), whole_words)]


def wrap_runs(runs: list[Run], width: int, first: str = "", rest: str = "",
              whole_words: bool = False) -> list[list[Run]]:
    """Greedy wrap to `width` columns; `first`/`rest` are the prefixes of the first/next lines.

    Closing punctuation never starts a line and opening punctuation never ends one: the
    character next to it moves down with it. A short bracketed group moves down whole rather
    than being split, and a token too long for any line is broken (see `_split_long`, and
    there `whole_words`, for table cells).
    Each line starts with its prefix as a run of its own and keeps its trailing spaces (see
    `trim`).
    """
    width = max(width, len(first) + 8)
    room = width - max(width_of(first), width_of(rest))
    units = _units(list(tokens(runs)), room, whole_words)
    lines: list[list[Run]] = [[(first, None)]]
    used = width_of(first)
    for n, (token, style) in enumerate(units):
        bare = token.rstrip()
        prefix = rest if len(lines) > 1 else first
        if used + width_of(bare) > width and used > width_of(prefix):
            carried = _carry(lines[-1], units[n:], width - width_of(rest))
            lines.append([(rest, None), *carried])
            used = width_of(rest) + sum(width_of(t) for t, _ in carried)
            token = token.lstrip() if not carried else token
            if not token:
                continue
        lines[-1].append((token, style))
        used += width_of(token)
    return [trim(line) for line in lines]


def trim(line: list[Run]) -> list[Run]:
    """A wrapped line without its trailing spaces."""
    while line and not line[-1][0].strip() and len(line) > 1:
        line = line[:-1]
    if line:
        line = [*line[:-1], (line[-1][0].rstrip(), line[-1][1])]
    return line


def plain(line: list[Run]) -> str:
    """A line of runs as unstyled text."""
    return "".join(text for text, _ in line)


def wrap_text(text: str, width: int | None, first: str = "", rest: str = "",
              whole_words: bool = False) -> list[str]:
    """Plain text wrapped to `width` columns after the prefixes `first`/`rest`; one line when
    `width` is None (piped output stays one line per field, for grep). See `wrap_runs`."""
    if width is None or width_of(first) + width_of(text) <= width:
        return [first + text]
    return [plain(line) for line in wrap_runs([(text, None)], width, first, rest, whole_words)]


BREAK_FORMULA_AFTER = set(" ,;=+−-×·/")
# In a formula `…` and `·` are mathematics, free to start a line; closing brackets and commas
# are not.
NO_FORMULA_START = NO_LINE_START - set("…·")
HANG = "    "  # the hanging indent of a formula's continuation lines


def wrap_formula(line: str, width: int) -> list[str]:
    """A preformatted line (a formula, code) in pieces of at most `width` columns, broken
    after a space, operator or comma where possible; the pieces after the first carry a
    hanging indent, so a formula that goes on is never clipped and never looks finished.
    No piece after the first starts with closing punctuation (`)`, `）`, `,`), and an alignment
    indent wider than half the width shrinks to the hanging indent rather than fill a line."""
    body = line.lstrip(" ")
    if width_of(line) > width and len(line) - len(body) > width // 2:
        line = HANG + body
    pieces, rest, room = [], line, width
    while width_of(rest) > room:
        pieces.append(_formula_piece(rest, room))
        rest = rest[len(pieces[-1]):].lstrip()
        pieces[-1] = pieces[-1].rstrip()
        room = max(width - len(HANG), 8)
    pieces.append(rest)
    return [pieces[0], *(HANG + p for p in pieces[1:] if p)]


def _formula_piece(text: str, room: int) -> str:
    """The longest start of `text` that fits `room` columns and ends at a gap of two or more
    spaces, which separates a formula's clauses (`… / Σⱼ e^(zⱼ)      i = 1 … K`), if that
    leaves half the room used; else after a break character outside brackets
    (`Bernoulli(1 − p)` stays whole), or inside them when no such break leaves a third of the
    room used; a word is never cut while a break exists, and failing any a hard cut. Either
    way the rest does not start with closing punctuation."""
    indent = len(text) - len(text.lstrip(" "))
    cut = used = depth = gap = 0
    last = {True: 0, False: 0}  # the last break outside / inside brackets
    for i, ch in enumerate(text):
        used += char_width(ch)
        if used > room:
            break
        cut = i + 1
        depth = max(depth + (ch in "([{（") - (ch in ")]}）"), 0)
        if (ch in BREAK_FORMULA_AFTER and i >= indent
                and text[i + 1:].lstrip()[:1] not in NO_FORMULA_START):
            last[depth == 0] = i + 1
            if depth == 0 and text[i - 1:i + 2] == "  " + text[i + 1:i + 2].strip():
                gap = i + 1
    if gap > room // 2:
        return text[:gap]
    best = last[True] if last[True] > room // 3 else max(last.values())
    if best:
        return text[:best]
    while cut > indent + 1 and text[cut:cut + 1] in NO_FORMULA_START:
        cut -= 1  # a hard cut: step back over closing punctuation
    return text[:max(cut, 1)]
