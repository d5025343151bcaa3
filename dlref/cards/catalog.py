"""The catalogue: every card file's front matter and names in SQLite, one file per content set,
so a lookup reads the rows it needs (the names it matches, the one card it shows) and not every
card.

Each run stats every card file, the one cost that grows with the number of cards, and parses
only the files whose size or modification time differ from their row. The search index
(`dlref.cards.search`) keeps its tables in the same file. The catalogue is a cache: when its file
cannot be opened or written (read-only, full disk, not a database) the run builds it in memory
and nothing else changes, and rows of another version's layout are dropped and rebuilt.

Front matter is stored with `marshal`, as Python stores its bytecode caches: plain data (strings,
numbers, lists, tables) written and read by this module only, read back without importing a
parser. A row that does not read back is parsed again from its file.
"""

from __future__ import annotations

import functools
import marshal
import os
import sqlite3
import sys
from pathlib import Path

from dlref import __version__
from dlref.cards.model import Card, ContentError

#: The layout of every table in the file, the search index's too, and of what its blobs hold
#: (6: a problem is stored as its catalogue key and fields, not its English text).
SCHEMA = 6
MAX_SETS = 8  # content sets (installs, DLREF_PATH settings) whose catalogues are kept

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable
    from typing import TypeVar

    T = TypeVar("T")

#: A card file as the scan found it: (path, bundled?, size, mtime_ns).
Scanned = tuple[str, bool, int, int]


def cache_dir() -> Path:
    """`$DLREF_CACHE` (a directory), else the platform's user cache directory."""
    override = os.environ.get("DLREF_CACHE")
    if override:
        return Path(override).expanduser()
    if sys.platform.startswith("linux"):  # the XDG rule, without importing platformdirs
        base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
        return Path(base) / "dlref"
    import platformdirs

    return Path(platformdirs.user_cache_dir("dlref"))


def catalog_file(dirs: list[tuple[Path, bool]]) -> Path:
    """This content set's file: dlref's and Python's versions (the marshal format) and the
    directories read name it, so another install or DLREF_PATH keeps its own."""
    import zlib

    key = "\n".join([__version__, f"{sys.version_info[0]}.{sys.version_info[1]}",
                     str(marshal.version), *(f"{int(b)}{d}" for d, b in dirs)])
    return cache_dir() / f"cards-{zlib.crc32(key.encode('utf-8', 'surrogatepass')):08x}.sqlite3"


def keep_recent(path: Path, keep: int = MAX_SETS) -> None:
    """Mark `path` as used and delete all but the `keep` most recently used catalogues beside
    it; never raises."""
    try:
        if path.exists():
            os.utime(path)
        others = [p for p in path.parent.glob("cards-*.sqlite3") if p != path]
        if len(others) < keep:
            return
        others.sort(key=lambda p: p.stat().st_mtime, reverse=True)
        for old in others[keep - 1:]:
            for extra in ("", "-journal", "-wal", "-shm"):
                Path(f"{old}{extra}").unlink(missing_ok=True)
    except OSError:
        pass


def _heals(method: Callable[..., T]) -> Callable[..., T]:
    """A catalogue method that, meeting a damaged file (or one locked past the timeout),
    starts the catalogue again from the card files and runs once more."""

    @functools.wraps(method)
    def run(self: Catalog, *args: object) -> T:
        try:
            return method(self, *args)
        except sqlite3.DatabaseError as exc:
            self.rebuild(exc)
            return method(self, *args)

    return run


class Catalog:
    """The tables `files` (a card file's stamp, card id, front matter and problems) and
    `names` (each normalised name of a card that loads, with its file)."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self.db = _open(path)
        self._scanned: list[Scanned] | None = None  # what the rows were last made from

    def rebuild(self, error: sqlite3.DatabaseError) -> None:
        """Start again after `error`: a damaged file is deleted (it is only a cache) and made
        anew; one that is locked, read-only or cannot be deleted is left alone, and this run
        works in memory."""
        self.db.close()
        try:
            if self.path is None or not _damaged(error):
                raise OSError
            for extra in ("", "-journal", "-wal", "-shm"):
                Path(f"{self.path}{extra}").unlink(missing_ok=True)
        except OSError:
            self.path = None
        self.db = _open(self.path)
        if self._scanned is not None:
            self._refresh_rows(self._scanned)

    @_heals
    def refresh(self, scanned: list[Scanned]) -> dict[str, tuple[str | None, bool]]:
        """Bring the rows in line with the files (parsing only changed ones); path → (card
        id, loads without problems?) for every scanned file.

        The answer for the last scan is kept whole: when no file changed since (the usual
        case), it is one row to read instead of one per card."""
        self._scanned = scanned
        stamps = marshal.dumps(scanned)
        last = self.db.execute("SELECT stamps, info FROM scan").fetchone()
        if last is not None and last[0] == stamps:
            try:
                info = marshal.loads(last[1])
                if isinstance(info, dict) and all(entry[0] in info for entry in scanned):
                    return info
            except (ValueError, TypeError, EOFError):  # damaged: compare the rows instead
                pass
        info = self._refresh_rows(scanned)
        try:
            with self.db:
                self.db.execute("INSERT OR REPLACE INTO scan VALUES (1, ?, ?)",
                                (stamps, marshal.dumps(info)))
        except sqlite3.Error:  # read-only: next time compares the rows again
            pass
        return info

    def _refresh_rows(self, scanned: list[Scanned]) -> dict[str, tuple[str | None, bool]]:
        rows = self.db.execute("SELECT path, size, mtime, id, ok FROM files").fetchall()
        stored = {path: (size, mtime) for path, size, mtime, _, _ in rows}
        info = {path: (card_id, bool(ok)) for path, _, _, card_id, ok in rows}
        changed = [entry for entry in scanned if stored.get(entry[0]) != entry[2:]]
        gone = stored.keys() - {entry[0] for entry in scanned}
        if changed or gone:
            parsed = [(entry, *_parse(entry)) for entry in changed]
            try:
                self._write(gone, parsed)
            except sqlite3.Error:  # read-only, full, locked: this run keeps it in memory
                if self.path is None:
                    raise
                self.db.close()
                self.path, self.db = None, _open(None)
                return self._refresh_rows(scanned)
            for entry, card, problems in parsed:
                info[entry[0]] = (card.id if card else None, card is not None and not problems)
        return info

    def _write(self, gone: Iterable[str], parsed: list) -> None:
        with self.db:
            self.db.execute("UPDATE generation SET n = n + 1")
            paths = [(p,) for p in gone] + [(entry[0],) for entry, _, _ in parsed]
            self.db.executemany("DELETE FROM files WHERE path = ?", paths)
            self.db.executemany("DELETE FROM names WHERE path = ?", paths)
            for (path, _, size, mtime), card, problems in parsed:
                ok = card is not None and not problems
                front = _front(card) if card is not None else None
                errors = marshal.dumps([(e.line, e.key, e.fields) for e in problems]) \
                    if problems else None
                self.db.execute("INSERT INTO files VALUES (?, ?, ?, ?, ?, ?, ?)",
                                (path, size, mtime, card.id if card else None, ok, front, errors))
                if ok:
                    from dlref.cards.library import normalize

                    keys = {normalize(n) for n in card.names()} - {""}
                    self.db.executemany("INSERT INTO names(key, path) VALUES (?, ?)",
                                        [(k, path) for k in keys])

    @_heals
    def problems(self) -> dict[str, list[ContentError]]:
        """path → the problems of each file that has any."""
        out = {}
        for path, blob in self.db.execute("SELECT path, errors FROM files "
                                          "WHERE errors IS NOT NULL"):
            try:
                out[path] = [_problem(path, *row) for row in marshal.loads(blob)]
            except (ValueError, TypeError, EOFError, KeyError, IndexError, AttributeError):
                out[path] = _parse_problems(path)  # a damaged or hand-edited row
        return out

    @_heals
    def cards(self, wanted: dict[str, bool]) -> dict[str, Card]:
        """path → Card for the files `wanted` (path → bundled?), from their stored front
        matter (parsed again where a row does not read back)."""
        out = {}
        query = "SELECT path, front FROM files WHERE path = ?"
        if len(wanted) > 1:  # one query for all, not one per card
            query = "SELECT path, front FROM files WHERE front IS NOT NULL"
        rows = self.db.execute(query, (next(iter(wanted)),) if len(wanted) == 1 else ())
        for path, blob in rows:
            if path in wanted:
                out[path] = _card(path, wanted[path], blob)
        for path in wanted.keys() - out.keys():  # a row gone since: read the file
            out[path] = _card(path, wanted[path], None)
        return out

    @_heals
    def card_at(self, path: str, bundled: bool,
                stat: os.stat_result) -> tuple[Card | None, list[ContentError]]:
        """The card of file `path` and its problems: from its row when the row was made from
        the file as it is now (same size and mtime), else parsed and stored."""
        row = self.db.execute("SELECT size, mtime, ok, front FROM files WHERE path = ?",
                              (path,)).fetchone()
        if row is not None and row[:3] == (stat.st_size, stat.st_mtime_ns, 1):
            return _card(path, bundled, row[3]), []
        entry = (path, bundled, stat.st_size, stat.st_mtime_ns)
        card, problems = _parse(entry)
        try:
            self._write([], [(entry, card, problems)])
        except sqlite3.Error:  # read-only or full: only the next lookup pays again
            pass
        return card, problems

    @_heals
    def named(self, key: str) -> list[str]:
        """The files of the cards one of whose names is `key`."""
        return [p for (p,) in self.db.execute("SELECT path FROM names WHERE key = ?", (key,))]

    @_heals
    def prefixed(self, key: str) -> list[tuple[str, str]]:
        """(name, file) for every name that starts with `key` (an index range, not a scan)."""
        return self.db.execute("SELECT key, path FROM names WHERE key >= ? AND key < ?",
                               (key, key + "\U0010ffff")).fetchall()

    @_heals
    def names(self) -> list[tuple[str, str]]:
        """(name, file) for every name."""
        return self.db.execute("SELECT key, path FROM names").fetchall()

    @_heals
    def name_list(self) -> list[str]:
        """Every distinct name, sorted: kept as one text per generation, as reading 30 000
        rows (5 000 cards' names) costs a did-you-mean more than comparing them."""
        row = self.db.execute("SELECT l.names FROM name_list l, generation g "
                              "WHERE l.generation = g.n").fetchone()
        if row is not None:
            return row[0].split("\n") if row[0] else []
        names = sorted(k for (k,) in self.db.execute("SELECT DISTINCT key FROM names "
                                                      "WHERE typeof(key) = 'text'"))
        try:
            with self.db:
                self.db.execute("DELETE FROM name_list")
                self.db.execute("INSERT INTO name_list SELECT n, ? FROM generation",
                                ("\n".join(names),))
        except sqlite3.Error:  # read-only: the next did-you-mean reads the rows again
            pass
        return names

    @_heals
    def containing(self, fragment: str) -> list[tuple[str, str]]:
        """(name, file) for every name that contains `fragment`: through the trigram index
        when it has three characters or more, else by a scan."""
        if len(fragment) >= 3:
            return self.db.execute(
                "SELECT n.key, n.path FROM names_text t JOIN names n ON n.id = t.rowid "
                "WHERE names_text MATCH ?", ('"' + fragment.replace('"', '""') + '"',)).fetchall()
        return self.db.execute("SELECT key, path FROM names WHERE instr(key, ?)",
                               (fragment,)).fetchall()

    @_heals
    def files_named(self, keys: list[str]) -> list[tuple[str, str]]:
        """(name, file) for each of the names `keys`."""
        marks = ", ".join("?" * len(keys))
        return self.db.execute(f"SELECT key, path FROM names WHERE key IN ({marks})",
                               keys).fetchall() if keys else []


def _damaged(error: sqlite3.DatabaseError) -> bool:
    """Whether `error` says the file's contents are bad (rather than that it is busy,
    read-only or out of room)."""
    text = str(error).lower()
    return not isinstance(error, sqlite3.OperationalError) or any(
        word in text for word in ("malformed", "decode", "not a database", "corrupt"))


def _open(path: Path | None) -> sqlite3.Connection:
    """The catalogue at `path` (created, or rebuilt from another layout, as needed), else one
    in memory."""
    if path is not None:
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            return _connect(path)
        except sqlite3.DatabaseError as exc:  # not a database: it is only a cache, start again
            if not _damaged(exc):  # locked by another run, read-only: work in memory
                return _connect(":memory:")
            try:
                for extra in ("", "-journal", "-wal", "-shm"):
                    Path(f"{path}{extra}").unlink(missing_ok=True)
                return _connect(path)
            except (OSError, sqlite3.Error):
                pass
        except (OSError, sqlite3.Error):  # cannot create it, or locked: work in memory
            pass
    return _connect(":memory:")


def _connect(where: Path | str) -> sqlite3.Connection:
    db = sqlite3.connect(where, timeout=2, check_same_thread=False)
    try:
        if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
            with db:  # one process lays the tables out; another waits, then finds them
                db.execute("BEGIN IMMEDIATE")
                if db.execute("PRAGMA user_version").fetchone()[0] != SCHEMA:
                    _create(db)
        return db
    except sqlite3.Error:
        db.close()
        raise


#: Every table this file has held, the search index's included: a new layout drops them all.
TABLES = ("names_text", "files", "names", "scan", "generation", "name_list", "text", "docs",
          "words", "indexed", "indexed_at")


def _create(db: sqlite3.Connection) -> None:
    """The tables of this SCHEMA (the search index adds its own when it first runs)."""
    for table in TABLES:
        db.execute(f"DROP TABLE IF EXISTS {table}")
    db.execute("CREATE TABLE files(path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, "
               "id TEXT, ok INTEGER, front BLOB, errors BLOB)")
    db.execute("CREATE TABLE names(id INTEGER PRIMARY KEY, key TEXT, path TEXT)")
    db.execute("CREATE INDEX names_key ON names(key)")
    db.execute("CREATE INDEX names_path ON names(path)")
    # the names by trigram, for "which names contain this": kept in step by SQLite itself
    db.execute("CREATE VIRTUAL TABLE names_text USING fts5(key, content='names', "
               "content_rowid='id', tokenize='trigram')")
    db.execute("CREATE TRIGGER names_added AFTER INSERT ON names BEGIN "
               "INSERT INTO names_text(rowid, key) VALUES (new.id, new.key); END")
    db.execute("CREATE TRIGGER names_removed AFTER DELETE ON names BEGIN "
               "INSERT INTO names_text(names_text, rowid, key) VALUES ('delete', old.id, "
               "old.key); END")
    db.execute("CREATE TABLE scan(one INTEGER PRIMARY KEY CHECK (one = 1), stamps BLOB, "
               "info BLOB)")
    # bumped by every change of `files`: a reader that noted it knows when nothing changed
    db.execute("CREATE TABLE generation(n INTEGER)")
    db.execute("INSERT INTO generation VALUES (0)")
    db.execute("CREATE TABLE name_list(generation INTEGER, names TEXT)")
    db.execute(f"PRAGMA user_version = {SCHEMA}")


def _front(card: Card) -> bytes | None:
    """The card's front matter for its row; None (the file is read when the card is used) for
    data marshal refuses, such as nesting past its depth."""
    try:
        return marshal.dumps(card.fields())
    except ValueError:
        return None


def _parse(entry: Scanned) -> tuple[Card | None, list[ContentError]]:
    from dlref.cards.parse import load_card

    return load_card(Path(entry[0]), bundled=entry[1])


def _problem(path: str, line: int, key: str, fields: tuple) -> ContentError:
    """A stored problem as it was: raises (ValueError, KeyError…) unless it says something in
    every language, so a row that does not read back is parsed again instead of shown."""
    from dlref.i18n import LANGS

    if not isinstance(line, int) or not isinstance(fields, tuple):
        raise ValueError(f"not a stored problem: {line!r}, {fields!r}")
    error = ContentError(Path(path), line, key, fields)
    for code in LANGS:
        error.text(code)
    return error


def _parse_problems(path: str) -> list[ContentError]:
    from dlref.cards.parse import load_card

    return load_card(Path(path))[1]


def _card(path: str, bundled: bool, blob: bytes | None) -> Card:
    """A card from its stored front matter, or from its file when that does not read back."""
    if blob is not None:
        try:
            fields = marshal.loads(blob)
            return Card(path=Path(path), bundled=bundled, **fields)
        except (ValueError, TypeError, EOFError):  # a damaged or hand-edited row
            pass
    from dlref.cards.parse import load_card

    card, _ = load_card(Path(path), bundled=bundled)
    if card is None:  # the file broke since it was scanned: an empty card, not a crash
        return Card(path.rsplit(os.sep, 1)[-1].removesuffix(".md"), Path(path), {"en": ""},
                    bundled=bundled)
    return card
