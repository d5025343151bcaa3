"""Full-text search: an SQLite FTS5 index of every card's paragraphs, kept beside the card cache.

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
changed files only; if it cannot be opened or written, search works from an in-memory index.
`sqlite3` is imported here only, so `dlref show` never pays for it.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from dlref.cards.library import MAX_SUGGEST_CHARS, normalize

if TYPE_CHECKING:
    from dlref.cards.library import Library
    from dlref.cards.model import Card

SCHEMA = 3
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


def index_file() -> Path:
    """The index of this content set, beside the card cache: one file per content set (as the
    card cache keeps one entry set per set), so another install or DLREF_PATH does not evict
    this one's rows (re-indexing 1 000 user cards after a search elsewhere took 12 s). The
    MAX_SETS most recently used files are kept."""
    import hashlib

    from dlref.cards.cache import MAX_SETS, cache_file, content_key
    from dlref.cards.library import content_dirs

    digest = hashlib.sha256(content_key(content_dirs()).encode()).hexdigest()[:16]
    path = cache_file().with_name(f"search-{digest}.sqlite3")
    _keep_recent(path, MAX_SETS)
    return path


def _keep_recent(path: Path, keep: int) -> None:
    """Mark `path` as used and delete all but the `keep` most recently used indexes beside it;
    never raises. (The single `search.sqlite3` of earlier versions is left to them: deleting
    it would evict an older install's index on every search.)"""
    try:
        if path.exists():
            path.touch()
        others = [p for p in path.parent.glob("search-*.sqlite3") if p != path]
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[keep - 1:]:
            for extra in ("", "-journal", "-wal", "-shm"):
                Path(f"{old}{extra}").unlink(missing_ok=True)
    except OSError:
        pass


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
    """The FTS5 table `text(card, lang, body)` plus which file each card's rows came from."""

    def __init__(self, path: Path | None) -> None:
        self.db = self._open(path)

    @staticmethod
    def _open(path: Path | None) -> sqlite3.Connection:
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
                db = sqlite3.connect(path, timeout=2)
                version = db.execute("PRAGMA user_version").fetchone()[0]
                if version != SCHEMA:
                    db.executescript("DROP TABLE IF EXISTS text; DROP TABLE IF EXISTS files;"
                                     "DROP TABLE IF EXISTS words; DROP TABLE IF EXISTS docs;")
                    Index._create(db)
                return db
            except sqlite3.Error:  # not a database, locked, read-only: search in memory
                pass
        db = sqlite3.connect(":memory:")
        Index._create(db)
        return db

    @staticmethod
    def _create(db: sqlite3.Connection) -> None:
        db.executescript(f"""
            CREATE VIRTUAL TABLE IF NOT EXISTS text USING fts5(
                card UNINDEXED, lang UNINDEXED, body, tokenize='trigram');
            CREATE TABLE IF NOT EXISTS files(path TEXT PRIMARY KEY, stamp TEXT, card TEXT);
            CREATE TABLE IF NOT EXISTS docs(id INTEGER PRIMARY KEY, card TEXT);
            CREATE INDEX IF NOT EXISTS docs_card ON docs(card);
            CREATE TABLE IF NOT EXISTS words(word TEXT PRIMARY KEY, n INTEGER);
            PRAGMA user_version = {SCHEMA};
        """)

    def refresh(self, library: Library) -> None:
        """Bring the rows in line with the library's cards: only changed files are read."""
        stamps = library.stamps
        current = {}
        for card in library.cards.values():
            path = str(card.path)
            current[path] = (stamps.get(path) or _stamp(card.path), card)
        stored = dict(self.db.execute("SELECT path, stamp FROM files"))
        gone = [p for p, s in stored.items() if p not in current or current[p][0] != s]
        new = [p for p, (s, _) in current.items() if stored.get(p) != s]
        if not gone and not new:
            return
        try:
            with self.db:
                for path in gone:
                    row = self.db.execute("SELECT card FROM files WHERE path = ?", (path,))
                    for (card_id,) in row.fetchall():
                        self._forget(card_id)
                    self.db.execute("DELETE FROM files WHERE path = ?", (path,))
                for path in new:
                    stamp, card = current[path]
                    self._forget(card.id)
                    rows = _paragraphs(card)
                    for lang, body in rows:
                        rowid = self.db.execute("INSERT INTO docs(card) VALUES (?)",
                                                (card.id,)).lastrowid
                        self.db.execute("INSERT INTO text(rowid, card, lang, body) "
                                        "VALUES (?, ?, ?, ?)", (rowid, card.id, lang, body))
                    words: dict[str, int] = {}
                    for _, body in rows:
                        for w in _WORD.findall(body):
                            words[w.casefold()] = words.get(w.casefold(), 0) + 1
                    self.db.executemany(
                        "INSERT INTO words(word, n) VALUES (?, ?) "
                        "ON CONFLICT(word) DO UPDATE SET n = n + excluded.n", words.items())
                    self.db.execute("INSERT OR REPLACE INTO files VALUES (?, ?, ?)",
                                    (path, stamp, card.id))
        except sqlite3.Error:  # a read-only or full disk: this run searches what it has
            pass

    def _forget(self, card_id: str) -> None:
        """Drop a card's rows (found through `docs`: `text.card` is not indexed)."""
        self.db.execute("DELETE FROM text WHERE rowid IN (SELECT id FROM docs WHERE card = ?)",
                        (card_id,))
        self.db.execute("DELETE FROM docs WHERE card = ?", (card_id,))

    def cards_with(self, word: str) -> dict[str, float]:
        """card id → best (lowest) bm25 of its paragraphs holding `word` (case-insensitive)."""
        if len(word) >= 3:
            rows = self.db.execute("SELECT card, bm25(text) FROM text WHERE text MATCH ?",
                                   (_quote(word),))
        else:
            rows = self.db.execute("SELECT card, -1.0 FROM text WHERE body LIKE ? ESCAPE '\\'",
                                   (f"%{_like(word)}%",))
        best: dict[str, float] = {}
        for card_id, rank in rows:
            if rank < best.get(card_id, 0.0):
                best[card_id] = rank
        return best

    def rows(self, card_id: str) -> list[tuple[str, str]]:
        return self.db.execute("SELECT lang, body FROM text WHERE rowid IN "
                               "(SELECT id FROM docs WHERE card = ?)", (card_id,)).fetchall()

    def vocabulary(self) -> list[str]:
        return [w for (w,) in self.db.execute("SELECT word FROM words ORDER BY n DESC")]


def _stamp(path: Path) -> str:
    try:
        st = path.stat()
    except OSError:
        return ""
    return f"{st.st_size}:{st.st_mtime_ns}"


def _quote(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


def _like(word: str) -> str:
    return word.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def search(library: Library, query: str, limit: int = 10,
           path: Path | None = None) -> list[Found]:
    """The cards for `query`, best first (see the module's docstring for the order)."""
    words = [w for w in query.split() if normalize(w)][:MAX_QUERY_WORDS]
    if not words:
        return []
    index = Index(path if path is not None else index_file())
    try:
        index.refresh(library)
        found = _ranked(library, index, words, limit, {})
        if not found:
            corrected = _correct(library, index, words)
            if corrected:
                fixed = [corrected.get(w, w) for w in words]
                found = _ranked(library, index, fixed, limit, corrected)
        return found
    finally:
        index.db.close()


def _ranked(library: Library, index: Index, words: list[str], limit: int,
            corrected: dict[str, str]) -> list[Found]:
    phrase = normalize(" ".join(words))
    keys = [normalize(w) for w in words]
    by_word = [index.cards_with(w) for w in words]
    scores: dict[str, float] = {}
    tier: dict[str, int] = {}
    name_keys = library.keys()  # normalised name → card ids, built once per run
    for key, owners in name_keys.items():
        if phrase in key:
            for card_id in owners:
                level = 0 if key == phrase else 1
                tier[card_id] = min(level, tier.get(card_id, level))
    # every word somewhere: in a name or in the text
    candidates = set(library.cards)
    for key, hits in zip(keys, by_word, strict=True):
        in_names = {i for k, owners in name_keys.items() if key in k for i in owners}
        candidates &= in_names | set(hits)
    if len(words) > 1:
        for card_id in index.cards_with(" ".join(words)) if len(" ".join(words)) >= 3 else {}:
            if card_id in candidates:
                tier.setdefault(card_id, 2)
    for card_id in candidates:
        # bm25 is negative, lower is better: a higher score is a better match
        scores[card_id] = sum(-hits.get(card_id, 0.0) for hits in by_word)
    order = sorted(candidates, key=lambda i: (tier.get(i, 3), -scores[i], i))[:limit]
    out = []
    for card_id in order:
        card = library.cards[card_id]
        lang, snippet, spans = _snippet(card, index.rows(card_id), words)
        score = round((4 - tier.get(card_id, 3)) * 100 + scores[card_id], 3)
        out.append(Found(card, score, lang, snippet, spans, corrected))
    return out


def _correct(library: Library, index: Index, words: list[str]) -> dict[str, str]:
    """typed → the closest word of the cards' names and text, for each word found nowhere."""
    import difflib

    vocab = index.vocabulary()
    names = library.keys()
    out = {}
    for word in words:
        key = normalize(word)  # once, not once per name: a 100 kB word took seconds per name
        if index.cards_with(word) or any(key in n for n in names):
            continue
        folded = word.casefold()[:MAX_SUGGEST_CHARS]  # as did-you-mean: bounded comparing
        near = difflib.get_close_matches(folded, vocab, n=1, cutoff=0.75)
        if near:
            out[word] = near[0]
    return out


def _snippet(card: Card, rows: list[tuple[str, str]],
             words: list[str]) -> tuple[str, str, list[tuple[int, int]]]:
    """The whole sentence(s) of the card that hold most of the words, `…` where the paragraph
    goes on, and the (start, end) of each word in it."""
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
