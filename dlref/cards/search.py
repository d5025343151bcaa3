"""Full-text search: an SQLite FTS5 index of every card's paragraphs, in the catalogue's file.

Ranking, best first:

1. a card one of whose names (id, title, alias; any language) *is* the query;
2. a card one of whose names contains the whole query (`vanishing gradient` → vanishing-gradient);
3. cards whose text holds the query as a phrase;
4. cards whose text holds every word, ranked by FTS5's bm25.

Every word must appear in a card (names or text). The FTS5 table uses the `trigram` tokenizer, so
matching is by substring and works for Chinese, which has no spaces; a word shorter than three
characters (`梯度`) is matched with LIKE, which the trigram index cannot serve but SQLite scans
fast. A word found nowhere is replaced by the closest word of the cards' vocabulary (typo
tolerance, as `show rleu` suggests relu), and the hit says so.

The index is a cache: rows are keyed by file path and stamp (size, mtime) and refreshed for
changed files only; if it cannot be written, search works from a copy in memory. Names are
matched in the catalogue's `names` table, so no pass over thousands of names runs in Python.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from dlref.cards.library import MAX_SUGGEST_CHARS, normalize

if TYPE_CHECKING:
    from dlref.cards.library import Library
    from dlref.cards.model import Card

#: Words of a query that are searched: each costs index queries and a pass over every name, so
#: a pasted page (2 000 words took over a minute) is cut here; no real query comes close.
MAX_QUERY_WORDS = 32
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9]{2,}|[\u3400-\u9fff]{2,}")
_SENTENCE = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9(\"“*`])|(?<=[。！？；])")


@dataclass
class Found:
    """A search result: the card, a score, the sentence(s) around the hit, where the query's
    words are in it, and the typed words replaced by typo tolerance (typed → used)."""

    card: Card
    score: float
    lang: str
    snippet: str
    spans: list[tuple[int, int]] = field(default_factory=list)
    corrected: dict[str, str] = field(default_factory=dict)


def _paragraphs(card: Card) -> list[tuple[str, str]]:
    """(lang, plain text) of every paragraph and list item of the card; a formula is one row
    per line (a snippet shows the line that matched, not the whole block)."""
    from dlref.text.paragraphs import parse_blocks

    out = []
    for lang, sections in card.blocks().items():
        for section in sections:
            for block in parse_blocks(section.text):
                parts = block.lines if block.kind == "formula" else [block.text]
                out += [(lang, part.strip()) for part in parts if part.strip()]
    return out


class Index:
    """The FTS5 table `text(path, lang, body)`, in the catalogue's file: `indexed` holds the
    stamp each file's rows were made from, `docs` which rows are whose, `words` the
    vocabulary for typo tolerance. Results are ids of the library's cards (a file another
    one replaces is not indexed)."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.memory: sqlite3.Connection | None = None  # a copy, when the file is read-only
        self.db.executescript("""
            CREATE VIRTUAL TABLE IF NOT EXISTS text USING fts5(
                path UNINDEXED, lang UNINDEXED, body, tokenize='trigram');
            CREATE TABLE IF NOT EXISTS docs(id INTEGER PRIMARY KEY, path TEXT);
            CREATE INDEX IF NOT EXISTS docs_path ON docs(path);
            CREATE TABLE IF NOT EXISTS words(word TEXT PRIMARY KEY, n INTEGER);
            CREATE TABLE IF NOT EXISTS indexed(path TEXT PRIMARY KEY, size INTEGER,
                                               mtime INTEGER);
            CREATE TABLE IF NOT EXISTS indexed_at(n INTEGER);
        """)

    @property
    def db(self) -> sqlite3.Connection:
        """The catalogue's connection (a rebuilt catalogue has a new one), or the copy."""
        return self.memory or self.library.catalog.db

    def refresh(self) -> None:
        """Index the files whose catalogue row changed since they were indexed; only those
        are read. A catalogue that cannot be written is copied to memory for this run."""
        if self.db.execute("SELECT n FROM generation").fetchone() == \
                self.db.execute("SELECT n FROM indexed_at").fetchone():
            return  # no file changed since the last indexing
        stale = [p for (p,) in self.db.execute(
            "SELECT i.path FROM indexed i LEFT JOIN files f USING (path) WHERE f.path IS NULL "
            "OR f.size IS NOT i.size OR f.mtime IS NOT i.mtime OR NOT f.ok")]
        new = [(p, size, mtime) for p, size, mtime in self.db.execute(
            "SELECT f.path, f.size, f.mtime FROM files f LEFT JOIN indexed i USING (path) "
            "WHERE f.ok AND (i.path IS NULL OR f.size IS NOT i.size OR f.mtime IS NOT i.mtime)")
            if p in self.library.id_of]
        try:
            self._write(stale, new)
        except sqlite3.Error:  # read-only or full: search a copy in memory
            memory = sqlite3.connect(":memory:")
            self.db.backup(memory)
            self.memory = memory
            self._write(stale, new)

    def _write(self, stale: list[str], new: list[tuple[str, int, int]]) -> None:
        with self.db:
            for path in [*stale, *(p for p, _, _ in new)]:
                self.db.execute("DELETE FROM text WHERE rowid IN "
                                "(SELECT id FROM docs WHERE path = ?)", (path,))
                self.db.execute("DELETE FROM docs WHERE path = ?", (path,))
                self.db.execute("DELETE FROM indexed WHERE path = ?", (path,))
            for path, size, mtime in new:
                rows = _paragraphs(self.library.cards[self.library.id_of[path]])
                for lang, body in rows:
                    rowid = self.db.execute("INSERT INTO docs(path) VALUES (?)",
                                            (path,)).lastrowid
                    self.db.execute("INSERT INTO text(rowid, path, lang, body) "
                                    "VALUES (?, ?, ?, ?)", (rowid, path, lang, body))
                words: dict[str, int] = {}
                for _, body in rows:
                    for w in _WORD.findall(body):
                        words[w.casefold()] = words.get(w.casefold(), 0) + 1
                self.db.executemany(
                    "INSERT INTO words(word, n) VALUES (?, ?) "
                    "ON CONFLICT(word) DO UPDATE SET n = n + excluded.n", words.items())
                self.db.execute("INSERT INTO indexed VALUES (?, ?, ?)", (path, size, mtime))
            self.db.execute("DELETE FROM indexed_at")
            self.db.execute("INSERT INTO indexed_at SELECT n FROM generation")

    def cards_with(self, word: str) -> dict[str, float]:
        """card id → best (lowest) bm25 of its paragraphs holding `word` (case-insensitive)."""
        if len(word) >= 3:
            rows = self.db.execute("SELECT path, bm25(text) FROM text WHERE text MATCH ?",
                                   (_quote(word),))
        else:
            rows = self.db.execute("SELECT path, -1.0 FROM text WHERE body LIKE ? ESCAPE '\\'",
                                   (f"%{_like(word)}%",))
        best: dict[str, float] = {}
        id_of = self.library.id_of
        for path, rank in rows:
            card_id = id_of.get(path)
            if card_id is not None and rank < best.get(card_id, 0.0):
                best[card_id] = rank
        return best

    def cards_with_phrase(self, phrase: str) -> set[str]:
        """The ids of the cards one of whose paragraphs holds `phrase` (3 characters or more):
        membership only, without the cost of ranking every paragraph."""
        id_of = self.library.id_of
        return {id_of[p] for (p,) in self.db.execute(
            "SELECT DISTINCT path FROM text WHERE text MATCH ?", (_quote(phrase),))
            if p in id_of}

    def named(self, fragment: str) -> dict[str, set[str]]:
        """Normalised name → card ids, for the names that contain `fragment`."""
        out: dict[str, set[str]] = {}
        id_of = self.library.id_of
        for key, path in self.library.catalog.containing(fragment):
            if path in id_of and isinstance(key, str) and fragment in key:
                out.setdefault(key, set()).add(id_of[path])
        return out

    def rows(self, card_id: str) -> list[tuple[str, str]]:
        path = str(self.library.cards[card_id].path)
        return self.db.execute("SELECT lang, body FROM text WHERE rowid IN "
                               "(SELECT id FROM docs WHERE path = ?)", (path,)).fetchall()

    def vocabulary(self) -> list[str]:
        return [w for (w,) in self.db.execute("SELECT word FROM words ORDER BY n DESC")]


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(library: Library, query: str, limit: int = 10, lang: str = "en") -> list[Found]:
    """The cards for `query`, best first (see the module's docstring for the order); a
    snippet that matches as well in `lang` as in another language is taken in `lang`."""
    words = [w for w in query.split() if normalize(w)][:MAX_QUERY_WORDS]
    if not words:
        return []
    try:
        return _search(library, words, limit, lang)
    except sqlite3.DatabaseError as exc:  # a damaged catalogue: made again, searched again
        library.catalog.rebuild(exc)
        return _search(library, words, limit, lang)


def _search(library: Library, words: list[str], limit: int, lang: str) -> list[Found]:
    index = Index(library)
    index.refresh()
    found = _ranked(library, index, words, limit, {}, lang)
    if not found:
        corrected = _correct(index, words)
        if corrected:
            fixed = [corrected.get(w, w) for w in words]
            found = _ranked(library, index, fixed, limit, corrected, lang)
    return found


def _ranked(library: Library, index: Index, words: list[str], limit: int,
            corrected: dict[str, str], lang: str) -> list[Found]:
    phrase = normalize(" ".join(words))
    keys = [normalize(w) for w in words]
    by_word = [index.cards_with(w) for w in words]
    scores: dict[str, float] = {}
    tier: dict[str, int] = {}
    named = {fragment: index.named(fragment) for fragment in {phrase, *keys}}
    for key, owners in named[phrase].items():
        for card_id in owners:
            level = 0 if key == phrase else 1
            tier[card_id] = min(level, tier.get(card_id, level))
    # every word somewhere: in a name or in the text
    found_by_word = [{i for owners in named[key].values() for i in owners} | set(hits)
                     for key, hits in zip(keys, by_word, strict=True)]
    candidates = set.intersection(*found_by_word)
    if len(words) > 1:
        for card_id in index.cards_with_phrase(" ".join(words)) if len(" ".join(words)) >= 3 \
                else ():
            if card_id in candidates:
                tier.setdefault(card_id, 2)
    for card_id in candidates:
        # bm25 is negative, lower is better: a higher score is a better match
        scores[card_id] = sum(-hits.get(card_id, 0.0) for hits in by_word)
    order = sorted(candidates, key=lambda i: (tier.get(i, 3), -scores[i], i))[:limit]
    out = []
    for card_id in order:
        card = library.cards[card_id]
        rows = sorted(index.rows(card_id), key=lambda row: row[0] != lang)  # lang's first
        found_in, snippet, spans = _snippet(card, rows, words)
        score = round((4 - tier.get(card_id, 3)) * 100 + scores[card_id], 3)
        out.append(Found(card, score, found_in, snippet, spans, corrected))
    return out


def _correct(index: Index, words: list[str]) -> dict[str, str]:
    """typed → the closest word of the cards' names and text, for each word found nowhere."""
    import difflib

    vocab = index.vocabulary()
    out = {}
    for word in words:
        key = normalize(word)  # once, not once per name: a 100 kB word took seconds per name
        if index.cards_with(word) or index.named(key):
            continue
        folded = word.casefold()[:MAX_SUGGEST_CHARS]  # as did-you-mean: bounded comparing
        # a slip of the keys keeps the word's first letter; a word found nowhere is not
        # another word it merely ends with ('nosuch' searched 'such', ten hits, exit 0)
        near = [w for w in difflib.get_close_matches(folded, vocab, n=5, cutoff=0.75)
                if w[:1] == folded[:1]]
        if near:
            out[word] = near[0]
    return out


def _snippet(card: Card, rows: list[tuple[str, str]],
             words: list[str]) -> tuple[str, str, list[tuple[int, int]]]:
    """The whole sentence(s) of the card that hold most of the words (the first such in `rows`
    on a tie), `…` where the paragraph goes on, and the (start, end) of each word in it."""
    folded = [w.casefold() for w in words]
    best = None
    for lang, body in rows:
        sentences = [s for s in _SENTENCE.split(body) if s.strip()]
        for i, sentence in enumerate(sentences):
            low = sentence.casefold()
            hits = sum(w in low for w in folded)
            phrase = " ".join(folded) in low
            if hits and (best is None or (phrase, hits) > best[0]):
                best = ((phrase, hits), lang, sentences, i)
    if best is None:
        return "en", card.title_in("en"), []
    _, lang, sentences, i = best
    text = sentences[i].strip()
    if len(text) < 60 and i + 1 < len(sentences):  # a short sentence: take the next as well
        text = text + ("" if lang == "zh" else " ") + sentences[i + 1].strip()
        last = i + 1
    else:
        last = i
    if len(text) > 300:
        text = text[:299].rstrip() + "…"
    if i > 0:
        text = "…" + text
    if last + 1 < len(sentences) and not text.endswith("…"):
        text = text + "…"
    spans = []
    low = text.casefold()
    for w in folded:
        start = low.find(w)
        while start != -1:
            spans.append((start, start + len(w)))
            start = low.find(w, start + len(w))
    return lang, text, sorted(spans)
