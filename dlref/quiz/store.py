"""Quiz progress in SQLite: an append-only review log and the FSRS state of every item.

An item is a (card id, template id) pair. Each answer is one `record()` call, committed in its
own transaction before it returns, so Ctrl-C or `kill -9` loses nothing already answered.

Choices, and why:

* Location: `$DLREF_HOME/progress.sqlite3` if DLREF_HOME is set, else the platform's user data
  directory (`platformdirs.user_data_dir("dlref")`).
* WAL journal, `synchronous=FULL`: in WAL mode NORMAL already survives a killed process (the
  commit is in the OS's hands once `record()` returns); FULL also fsyncs the WAL on every commit,
  so an answer survives a power cut too. That costs one fsync per answer, nothing next to the
  seconds a person takes to answer.
* Concurrency: `busy_timeout` of 5 s and `BEGIN IMMEDIATE` for every read-modify-write, so two
  dlref processes (say the CLI and the TUI) recording at once both land, one after the other.
* Damage: checked on open, on a read-only connection so the check itself changes nothing.
  A file that is not SQLite or fails `PRAGMA quick_check` is moved aside (with its
  `-wal`/`-shm` files) to `progress.sqlite3.corrupt-YYYYmmddTHHMMSS` (UTC) and a fresh store is
  started; `Store.recovered_from` says where the old file went. Nothing is ever overwritten.
  Then every review and state row that still reads back is copied into the new store (see
  `dlref.quiz.salvage`; a lost schedule is recomputed from the item's latest review), and
  `Store.recovery_message()` says how many were recovered and lost.
* A `-wal` that is not its database's (a stale copy left beside a restored file: replaying it
  would damage the file or roll it back) is moved aside alone to
  `progress.sqlite3-wal.foreign-YYYYmmddTHHMMSS`, and the intact main file is kept. It is
  recognised by reading the main file without its -wal: the WAL is foreign if the file is only
  damaged with it, or if the newest review the file holds is missing once it is applied.
* A schema version dlref did not write is refused with a one-line `StoreError`, file untouched:
  a newer one, a negative one, or 0 on a file holding tables dlref does not use (another
  program's database). So is a file that cannot be read, and, for a command that saves
  answers, one that cannot be written (`chattr +i`, permissions, a read-only file system, or
  a read-only directory, where SQLite must create the -wal and -shm files and says only
  "unable to open database file"): the message says which and why, before any question. A
  command that only reads (`create=False`) reads such a file as it stands through a
  read-only connection (`Store.read_only` then refuses every write with that message).
* A -wal SQLite would not apply a byte of (no WAL header, or frames failing their checksums;
  `salvage.read_wal`), which it would delete on closing, is moved aside beside a sound file
  to `progress.sqlite3-wal.invalid-YYYYmmddTHHMMSS`, only while no other connection has the
  file open. `dlref doctor` runs these checks on demand (`health()`),
  changing nothing. Every such message is a catalogue entry (`StoreError.said`), so the
  learner reads it in their language (`StoreError.text`), SQLite's reason in it too
  (`sqlite_reason`: damaged, locked, read-only, a full disk…; SQLite's English otherwise).
* Bad contents: a file that is sound SQLite but holds what dlref never writes (a missing table
  or column, a timestamp that is not ISO 8601, a flag that is not 0/1, scheduler state that is
  not fsrs JSON; SQLite does not enforce column types, so an edited file can hold anything) is
  refused with `StoreError` naming the file and the bad value, and left untouched: it is not
  damaged, and moving it aside would hide answers that may be easy to repair by hand.
* Reviews and practice (format 2): only an item that is new or due is *reviewed* (its FSRS
  state moves on); answering any other item is *practice*, logged with `kind = 'practice'`
  and leaving the item's state and due date exactly as they were. Each row also keeps the
  item's FSRS state before it (`phase`: 0 new, 1 learning, 2 review, 3 relearning) and FSRS's
  predicted recall at that moment (`predicted`), so statistics can tell true retention (due
  reviews passed) from the prediction, and set one against the other, without decoding JSON.
* Traps (format 3): a wrong answer that a known mistake explains (`Question.diagnose`) keeps
  that mistake's name in both languages (`trap`, JSON), so `stats` can count the mistakes a
  learner makes most without redrawing any question; NULL for every other answer.
* Undo: each review row keeps the item's state from before it (`state_before`), and undo always
  takes the latest review still in force, so undoing restores the state exactly.
* Time: everything is UTC; timestamps are stored as ISO 8601 strings with microseconds and
  `+00:00`, which sort as text in time order. Days (the daily new-item limit, streaks,
  per-day accuracy, "today") are the learner's local calendar days, in the system's time
  zone when they are counted (SQLite's `date(ts, 'localtime')`, `schedule.local_day`). An
  item in FSRS's Review state is due all of its local due date (`schedule.due_at`), so
  `due`, `next_due` and stats' `due_now` read its state with SQLite's JSON functions.
"""

from __future__ import annotations

import json
import os
import sqlite3
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import Any, NamedTuple

from dlref.i18n import BOTH, LANGS, Text, bilingual, listed, os_reason, t
from dlref.quiz import schedule
from dlref.quiz.salvage import Salvaged, read_wal, salvage

FILENAME = "progress.sqlite3"
SCHEMA_VERSION = 3
BUSY_TIMEOUT_MS = 5000

# SQLite primary result codes (extended codes are masked with 0xFF before comparing).
_SQLITE_BUSY = 5
_SQLITE_LOCKED = 6
_SQLITE_READONLY = 8
_SQLITE_IOERR, _SQLITE_FULL, _SQLITE_CANTOPEN = 10, 13, 14
_SQLITE_CORRUPT = 11  # these two mean "damaged, or not a database at all"
_SQLITE_NOTADB = 26
_SIDECARS = ("-wal", "-shm", "-journal")


class StoreError(Exception):
    """The progress file cannot be used (permissions, newer schema, locked, …); `str()` says why
    in English, `text(lang)` in the learner's language where the catalogue has the words."""

    def __init__(self, message: str, key: str | None = None, **fields: object) -> None:
        super().__init__(message)
        self.key, self.fields = key, fields

    @classmethod
    def said(cls, key: str, **fields: object) -> StoreError:
        """The error whose words are the catalogue entry `key` (English for `str()`)."""
        return cls(t(key, "en", **fields), key, **fields)

    def text(self, lang: str, sep: str = "\n") -> str:
        """Why, in `lang` (both: English, then Chinese, joined by `sep`: a line each)."""
        return str(self) if self.key is None else t(self.key, lang, sep=sep, **self.fields)

    @property
    def words(self) -> dict[str, str]:
        """Why, in each language: a bilingual field for a message that quotes the error."""
        return {code: self.text(code) for code in LANGS}

    def __reduce__(self) -> tuple[Any, ...]:
        return (_store_error, (str(self), self.key, self.fields))


def _store_error(message: str, key: str | None, fields: dict[str, object]) -> StoreError:
    return StoreError(message, key, **fields)


#: What decoding a stored value that dlref did not write can raise (json, datetime, fsrs, int()).
_DECODE_ERRORS = (ValueError, TypeError, KeyError, IndexError, AttributeError, ArithmeticError)

#: The columns dlref reads, per table; checked on open (extra tables or columns are fine).
REQUIRED_COLUMNS = {
    "reviews": ("id", "ts", "card", "template", "seed", "correct", "rating", "elapsed_ms",
                "answer", "expected", "state_before", "undone", "kind", "phase", "predicted",
                "trap"),
    "state": ("card", "template", "fsrs_card", "due"),
}


@dataclass(frozen=True)
class Review:
    """One row of the review log."""

    id: int
    ts: datetime
    card: str
    template: str
    seed: int | None
    correct: bool
    rating: int  # fsrs.Rating value: 1 Again, 2 Hard, 3 Good, 4 Easy
    elapsed_ms: int
    answer: str
    expected: str
    undone: bool
    kind: str = "review"  # "review" (moved the schedule) or "practice" (did not)
    phase: int | None = None  # FSRS state before: 0 new, 1 learning, 2 review, 3 relearning
    predicted: float | None = None  # FSRS's predicted recall just before (None if new)
    trap: dict[str, str] | None = None  # the known mistake it matched: {"en", "zh", "card"}

    @property
    def practice(self) -> bool:
        return self.kind == "practice"


def default_path() -> Path:
    """Where progress lives: `$DLREF_HOME/progress.sqlite3`, else the user data directory."""
    home = os.environ.get("DLREF_HOME")
    if home:
        return Path(home).expanduser() / FILENAME
    import platformdirs

    return Path(platformdirs.user_data_dir("dlref")) / FILENAME


# -- schema ------------------------------------------------------------------------------------


def _to_v1(db: sqlite3.Connection) -> None:
    """Version 1: the review log and the per-item scheduler state."""
    db.execute("""
        CREATE TABLE IF NOT EXISTS reviews (
            id           INTEGER PRIMARY KEY,
            ts           TEXT    NOT NULL,             -- UTC ISO 8601, microseconds
            card         TEXT    NOT NULL,
            template     TEXT    NOT NULL,
            seed         INTEGER,
            correct      INTEGER NOT NULL,             -- 0 / 1
            rating       INTEGER NOT NULL,             -- fsrs.Rating
            elapsed_ms   INTEGER NOT NULL,
            answer       TEXT    NOT NULL,
            expected     TEXT    NOT NULL,
            state_before TEXT,                         -- fsrs Card JSON; NULL = first review
            undone       INTEGER NOT NULL DEFAULT 0
        )""")
    db.execute("CREATE INDEX IF NOT EXISTS reviews_item ON reviews (card, template)")
    db.execute("""
        CREATE TABLE IF NOT EXISTS state (
            card      TEXT NOT NULL,
            template  TEXT NOT NULL,
            fsrs_card TEXT NOT NULL,                   -- fsrs Card JSON
            due       TEXT NOT NULL,                   -- UTC ISO 8601, microseconds
            PRIMARY KEY (card, template)
        )""")
    db.execute("CREATE INDEX IF NOT EXISTS state_due ON state (due)")


def _extras(state_before: object, ts: object) -> tuple[int | None, float | None]:
    """(phase, predicted) of a review from its `state_before` and time; (None, None) if
    either does not decode (such a row is reported by the usual checks, not by migration)."""
    if state_before is None:
        return 0, None
    try:
        when = schedule.utc(datetime.fromisoformat(str(ts)))
        return (schedule.phase(str(state_before)),
                schedule.retrievability(str(state_before), when))
    except _DECODE_ERRORS:
        return None, None


def _to_v2(db: sqlite3.Connection) -> None:
    """Version 2: reviews say whether they were scheduled reviews or practice, the FSRS state
    they met, and FSRS's predicted recall then. Every version-1 row was a scheduled review
    (version 1 rescheduled every answer); its rating stays as recorded (speed-based Easy too)."""
    db.execute("ALTER TABLE reviews ADD COLUMN kind TEXT NOT NULL DEFAULT 'review'")
    db.execute("ALTER TABLE reviews ADD COLUMN phase INTEGER")
    db.execute("ALTER TABLE reviews ADD COLUMN predicted REAL")
    rows = db.execute("SELECT id, ts, state_before FROM reviews").fetchall()
    db.executemany("UPDATE reviews SET phase = ?, predicted = ? WHERE id = ?",
                   [(*_extras(before, ts), rid) for rid, ts, before in rows])
    # covers what `stats` reads, so 100 000 reviews are tallied without reading answers and
    # scheduler JSON (about five times less to read than the table itself)
    db.execute("CREATE INDEX IF NOT EXISTS reviews_stats ON reviews"
               " (card, ts, kind, phase, correct, rating, undone, predicted)")


def _to_v3(db: sqlite3.Connection) -> None:
    """Version 3: a wrong answer keeps the known mistake it matched (`trap`, JSON of its name
    in each language and the card that explains it). Older answers were not diagnosed: NULL."""
    db.execute("ALTER TABLE reviews ADD COLUMN trap TEXT")
    # only diagnosed answers are in it, so `stats` counts them without scanning the log
    db.execute("CREATE INDEX IF NOT EXISTS reviews_traps ON reviews (card, template, trap)"
               " WHERE trap IS NOT NULL")


#: MIGRATIONS[n] turns a version n-1 database into version n; every migration runs inside
#: the same IMMEDIATE transaction, after the same version checks on open.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {1: _to_v1, 2: _to_v2, 3: _to_v3}


def migrate(db: sqlite3.Connection) -> int:
    """Bring the schema to SCHEMA_VERSION in one transaction; returns the version found. A
    store already there (or newer: the caller refuses it) is only read, without the write
    lock: `stats` or a new quiz need not wait behind another dlref's answer being saved."""
    found = db.execute("PRAGMA user_version").fetchone()[0]
    if found >= SCHEMA_VERSION:
        return found
    db.execute("BEGIN IMMEDIATE")
    try:
        found = db.execute("PRAGMA user_version").fetchone()[0]
        for version in range(found + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version:d}")
        db.execute("COMMIT")
    except BaseException:
        db.execute("ROLLBACK")
        raise
    return found


# -- helpers -----------------------------------------------------------------------------------


def _iso(moment: datetime) -> str:
    return schedule.utc(moment).isoformat(timespec="microseconds")


def _is_corruption(exc: sqlite3.DatabaseError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if code is not None:
        return code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)
    text = str(exc)
    return "not a database" in text or "malformed" in text


def _aside_name(path: Path, moment: datetime) -> Path:
    """A free name `path.corrupt-YYYYmmddTHHMMSS[-k]` with no existing sidecars either."""
    stem = f"{path.name}.corrupt-{schedule.utc(moment):%Y%m%dT%H%M%S}"
    for k in range(1, 1000):
        name = stem if k == 1 else f"{stem}-{k}"
        candidate = path.with_name(name)
        if not any(Path(f"{candidate}{s}").exists() for s in ("", *_SIDECARS)):
            return candidate
    raise StoreError.said("store.too-many-aside", path=path)


def _identity(path: Path) -> tuple[int, int, int, int] | None:
    try:
        st = path.stat()
    except OSError:
        return None
    return (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)


def _move_aside(path: Path, identity: tuple[int, int, int, int] | None) -> Path | None:
    """Rename a damaged database and its sidecars to a fresh `.corrupt-…` name (no overwrite).

    Only if `path` is still the file found damaged (`identity`); returns the new name, or None
    if the file changed or vanished meanwhile (another process already moved it aside).
    """
    if identity is None or _identity(path) != identity:
        return None
    target = _aside_name(path, schedule.utc())
    try:
        os.rename(path, target)
        for suffix in _SIDECARS:
            side = Path(f"{path}{suffix}")
            if side.exists():
                os.rename(side, Path(f"{target}{suffix}"))
    except OSError as exc:
        raise StoreError.said("store.cannot-move-aside", path=path,
                              reason=os_reason(exc)) from exc
    return target


#: SQLite's primary result code → the catalogue's words for it (the English is SQLite's own)
_SQLITE_REASONS = {_SQLITE_CORRUPT: "sqlite.malformed", _SQLITE_NOTADB: "sqlite.not-a-database",
                   _SQLITE_BUSY: "sqlite.locked", _SQLITE_LOCKED: "sqlite.table-locked",
                   _SQLITE_READONLY: "sqlite.read-only", _SQLITE_IOERR: "sqlite.io-error",
                   _SQLITE_FULL: "sqlite.full", _SQLITE_CANTOPEN: "sqlite.cannot-open"}


def sqlite_reason(exc: sqlite3.Error) -> str | dict[str, str]:
    """Why SQLite refused the progress file, as a field of `t` (as `dlref.i18n.os_reason` does
    for the system): a common reason (damaged, locked, read-only, a full disk…) in every
    language, found by its result code or, without one, by SQLite's usual words; SQLite's own
    text where it says more than those words (in Chinese after them), else its text alone."""
    said = _one_line(exc)
    code = getattr(exc, "sqlite_errorcode", None)
    key = _SQLITE_REASONS.get(code & 0xFF) if code is not None else next(
        (k for k in _SQLITE_REASONS.values() if t(k, "en") == said), None)
    if key is None:
        return said
    words = bilingual(key)
    if said == words["en"]:
        return words
    # SQLite said more (which schema entry is malformed…): its words, after ours in Chinese
    return {code: said if code == "en" else words[code] + t("colon", code) + said
            for code in LANGS}


def _one_line(exc: BaseException) -> str:
    """An exception as short one-line text (a KeyError's own text is just the quoted key)."""
    text = f"missing {exc}" if isinstance(exc, KeyError) else str(exc)
    return " ".join(text.split())[:200] or type(exc).__name__


def _content_error(path: Path, where: Text, why: BaseException | Text) -> StoreError:
    """The StoreError for a stored value dlref cannot use: names the file, the place and why.

    One line (the CLI prints it after `dlref: `), and it says the file was kept, since bad
    contents are refused, never moved aside or repaired behind the user's back. `where` (and
    `why`, unless it is an exception, whose text is quoted as it is) is bilingual.
    """
    error = _one_line(why) if isinstance(why, BaseException) else why
    return StoreError.said("store.bad-contents", path=path, where=where, error=error)


def _at_review(review_id: object) -> Text:
    """Where a bad value is, in each language: the review with this id."""
    return bilingual("store.at-review", id=review_id)


def _at_item(card: object, template: object) -> Text:
    """Where a bad value is, in each language: the scheduler state of this item."""
    return bilingual("store.at-item", card=card, template=template)


def _unusable(key: str, path: Path, exc: BaseException) -> StoreError:
    """The StoreError for a file SQLite cannot open, read or set up (`key`: which): that the
    directory is read-only when it is (SQLite needs to create its -wal and -shm files there,
    and says only "unable to open database file"), else SQLite's own words."""
    if path.parent.is_dir() and not os.access(path.parent, os.W_OK | os.X_OK):
        return StoreError.said("store.dir-read-only", dir=path.parent)
    return StoreError.said(key, path=path, error=sqlite_reason(exc))


def _text(row: Mapping[str, Any], name: str) -> str:
    """A TEXT column's value; ValueError naming the column if it is not text."""
    value = row[name]
    if not isinstance(value, str):
        raise ValueError(f"{name} = {value!r} is not text")
    return value


def _int(row: Mapping[str, Any], name: str, allowed: Iterable[int] | None = None) -> int:
    """An INTEGER column's value (optionally one of `allowed`); ValueError naming the column."""
    value = row[name]
    if type(value) is not int or (allowed is not None and value not in allowed):
        raise ValueError(f"{name} = {value!r} is not " +
                         ("a whole number" if allowed is None else
                          " or ".join(map(str, allowed))))
    return value


def _when(row: Mapping[str, Any], name: str) -> datetime:
    """A timestamp column as an aware UTC datetime; ValueError naming the column if not ISO."""
    value = _text(row, name)
    try:
        return schedule.utc(datetime.fromisoformat(value))
    except ValueError:
        raise ValueError(f"{name} = {value!r} is not an ISO 8601 time") from None


def _state_due(row: Mapping[str, Any], name: str) -> datetime:
    """When the fsrs Card JSON in column `name` is due; ValueError naming the column if bad."""
    value = _text(row, name)
    try:
        return schedule.due(value)
    except _DECODE_ERRORS as exc:
        raise ValueError(f"{name} is not fsrs scheduler state ({_one_line(exc)})") from None


def _has_col(row: Mapping[str, Any], name: str) -> bool:
    return name in row.keys()


def _row_review(row: Mapping[str, Any]) -> Review:
    """A `reviews` row as a Review, every column checked (ValueError names the bad one).

    A version-1 row (salvaged from an old file) has no kind/phase/predicted: it was a review.
    """
    kind = _text(row, "kind") if _has_col(row, "kind") else "review"
    if kind not in ("review", "practice"):
        raise ValueError(f"kind = {kind!r} is not 'review' or 'practice'")
    phase = row["phase"] if _has_col(row, "phase") else None
    if phase is not None:
        phase = _int(row, "phase", (0, 1, 2, 3))
    predicted = row["predicted"] if _has_col(row, "predicted") else None
    if predicted is not None and (type(predicted) not in (int, float)
                                  or not 0 <= predicted <= 1):
        raise ValueError(f"predicted = {predicted!r} is not a probability")
    trap = row["trap"] if _has_col(row, "trap") else None
    return Review(kind=kind, phase=phase, predicted=predicted,
        trap=None if trap is None else _trap(_text(row, "trap")),
        id=_int(row, "id"), ts=_when(row, "ts"), card=_text(row, "card"),
        template=_text(row, "template"),
        seed=None if row["seed"] is None else _int(row, "seed"),
        correct=bool(_int(row, "correct", (0, 1))),
        elapsed_ms=_int(row, "elapsed_ms"), answer=_text(row, "answer"),
        expected=_text(row, "expected"), undone=bool(_int(row, "undone", (0, 1))),
        rating=_rating(row),
    )


def _trap(text: str) -> dict[str, str]:
    """A stored trap: JSON {"en", "zh", "card"} of strings; ValueError naming the column."""
    try:
        value = json.loads(text)
    except ValueError:
        value = None
    if not isinstance(value, dict) or not isinstance(value.get("en"), str) or not all(
            isinstance(v, str) for v in value.values()):
        raise ValueError(f"trap = {text[:80]!r} is not a mistake's names as JSON")
    return value


def _rating(row: Mapping[str, Any]) -> int:
    value = _int(row, "rating")
    if value not in schedule.RATINGS:
        raise ValueError(f"rating = {value!r} is not 1, 2, 3 or 4")
    return value


def streak(days: Iterable[date], today: date) -> int:
    """Forgiving streak: days with a review in the run ending today (or yesterday).

    The run starts today if there is a review today, else yesterday (today is not over yet);
    if that day has none either, the streak is 0. Counting back, one missed day inside the run
    is forgiven (it does not count, and does not break the run); a second missed day, or two in
    a row, ends it. E.g. reviews today, yesterday, 3 and 4 days ago → 4.
    """
    have = set(days)
    day = today if today in have else today - timedelta(days=1)
    count, forgiven = 0, False
    while True:
        if day in have:
            count += 1
        elif count and not forgiven and day - timedelta(days=1) in have:
            forgiven = True
        else:
            return count
        day -= timedelta(days=1)


def _rebuild_state(db: sqlite3.Connection) -> int:
    """Recompute the schedule of every item that has a review in force but no state row: the
    state after its latest scheduled review in force is `review(state_before, rating, ts)`
    (what `record()` computed then; practice never moved a schedule, so it is passed over).
    Returns how many were rebuilt."""
    rows = db.execute(
        "SELECT * FROM reviews AS r WHERE undone = 0 AND kind = 'review'"
        " AND id = (SELECT max(id) FROM reviews WHERE card = r.card AND template = r.template"
        "           AND undone = 0 AND kind = 'review')"
        " AND NOT EXISTS (SELECT 1 FROM state WHERE card = r.card AND template = r.template)"
    ).fetchall()
    rebuilt = 0
    for row in rows:
        try:
            after, due = schedule.review(row["state_before"], row["rating"], _when(row, "ts"))
        except _DECODE_ERRORS:  # checked while salvaging, so not expected; skip, never abort
            continue
        db.execute("INSERT INTO state (card, template, fsrs_card, due) VALUES (?, ?, ?, ?)",
                   (row["card"], row["template"], after, _iso(due)))
        rebuilt += 1
    return rebuilt


def _wal_size(path: Path) -> int:
    """Bytes in `path-wal` (0 if there is none, or it vanished: another dlref closed)."""
    try:
        return os.stat(f"{path}-wal").st_size
    except OSError:
        return 0


def _check_version(path: Path, db: sqlite3.Connection) -> None:
    """StoreError (one line, file untouched) unless `PRAGMA user_version` is one dlref wrote:
    0 on a file with no tables of its own (new), or 1..SCHEMA_VERSION."""
    version = db.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise StoreError.said("store.newer", path=path, version=version, reads=SCHEMA_VERSION)
    if version < 0:
        raise StoreError.said("store.format-negative", path=path, version=version,
                              writes=SCHEMA_VERSION)
    if version == 0:
        tables = {row[0] for row in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")}
        foreign = sorted(tables - set(REQUIRED_COLUMNS))
        if foreign:
            shown = listed([*foreign[:5], *(["…"] if len(foreign) > 5 else [])])
            raise StoreError.said("store.foreign", path=path, tables=shown)


def _last_review(source: Path | sqlite3.Connection,
                 with_wal: bool = True) -> tuple[int, str] | None:
    """(id, ts) of the newest review, or None if there is none or it cannot be read; from a
    path (read-only; `with_wal=False` reads the main file alone) or an open connection."""
    try:
        db = source if isinstance(source, sqlite3.Connection) else sqlite3.connect(
            f"{source.resolve().as_uri()}?{'mode=ro' if with_wal else 'immutable=1'}", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = db.execute("SELECT id, ts FROM reviews ORDER BY id DESC LIMIT 1").fetchone()
        return (row[0], row[1]) if row else None
    except sqlite3.Error:
        return None
    finally:
        if db is not source:
            db.close()


def _has(db: sqlite3.Connection, review: tuple[int, str]) -> bool:
    """Whether the database holds this (id, ts) review."""
    try:
        return db.execute("SELECT 1 FROM reviews WHERE id = ? AND ts = ?", review).fetchone() \
            is not None
    except sqlite3.Error:
        return False


def _sound_alone(path: Path) -> bool:
    """Whether the main file passes `quick_check` read without its -wal."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?immutable=1", uri=True)
    except sqlite3.Error:
        return False
    try:
        return [row[0] for row in db.execute("PRAGMA quick_check")] == ["ok"]
    except sqlite3.Error:
        return False
    finally:
        db.close()


def _wal_aside(path: Path, moment: datetime | None = None, kind: str = "foreign") -> Path:
    """Move `path-wal` (and its index, `-shm`) to `path-wal.KIND-YYYYmmddTHHMMSS[-k]`
    (and `path-shm.KIND-…` with the same ending), `moment` (default: now) giving the time;
    `kind` is "foreign" (another file's WAL) or "invalid" (no WAL SQLite would apply)."""
    stamp = f"{schedule.utc(moment):%Y%m%dT%H%M%S}"
    for k in range(1, 1000):
        ending = stamp if k == 1 else f"{stamp}-{k}"
        target, shm = Path(f"{path}-wal.{kind}-{ending}"), Path(f"{path}-shm.{kind}-{ending}")
        if not target.exists() and not shm.exists():
            break
    else:
        raise StoreError.said("store.too-many-wal", path=path)
    try:
        os.rename(f"{path}-wal", target)
        if Path(f"{path}-shm").exists():
            os.rename(f"{path}-shm", shm)
    except OSError as exc:
        raise StoreError.said("store.cannot-move-wal", wal=f"{path}-wal", path=path,
                              reason=os_reason(exc)) from exc
    return target


def _write_refusal(path: Path) -> StoreError | None:
    """Why no answer can be saved in the existing file `path`, or None if it can: the file
    cannot be written (its permissions; `chattr +i`, which stops root too; a read-only file
    system), or its directory, where SQLite must make the -wal and -shm files, is read-only."""
    if not os.access(path, os.W_OK):
        try:
            with open(path, "r+b"):  # for the system's reason (opening to write changes nothing)
                pass
        except OSError as exc:
            return StoreError.said("store.file-read-only", path=path, reason=os_reason(exc))
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return StoreError.said("store.dir-read-only", dir=path.parent)
    return None


def _read_as_is(path: Path) -> sqlite3.Connection | None:
    """A connection that reads `path` as it stands and makes nothing beside it
    (`_report_mode`), once its format version is one dlref wrote and `quick_check` passes;
    None if it is damaged. StoreError if it cannot be used otherwise (a newer format…)."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?{_report_mode(path)}", uri=True,
                             timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None,
                             check_same_thread=False)
    except sqlite3.Error as exc:
        raise _unusable("store.cannot-open", path, exc) from exc
    try:
        _check_version(path, db)
        if [row[0] for row in db.execute("PRAGMA quick_check")] == ["ok"]:
            return db
    except sqlite3.DatabaseError as exc:
        if not _is_corruption(exc):
            db.close()
            raise _unusable("store.cannot-read", path, exc) from exc
    except BaseException:
        db.close()
        raise
    db.close()
    return None


#: `read_wal` statuses of a -wal SQLite would not apply a byte of, and would delete on closing.
_INVALID_WAL = ("not-wal", "bad-frames")


def _invalid_wal_aside(path: Path) -> Path | None:
    """Move aside a -wal SQLite would ignore and then delete (`_INVALID_WAL`), keeping it, while
    no other connection has the file open: holding SQLite's exclusive lock (taken at once, or
    not at all) nobody writes the -wal, and nobody is left holding a renamed one. Returns
    where it went, or None if it stays (another dlref has the file open, or it is no longer
    invalid once the lock is held: a write was under way)."""
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=rw", uri=True, timeout=0,
                             isolation_level=None)
    except sqlite3.Error:
        return None
    try:
        # without shared memory, and the lock kept: BEGIN EXCLUSIVE fails if anyone has it open
        db.execute("PRAGMA locking_mode = EXCLUSIVE")
        db.execute("BEGIN EXCLUSIVE")
        if read_wal(f"{path}-wal", first_commit=True).status not in _INVALID_WAL:
            return None
        return _wal_aside(path, kind="invalid")
    except (sqlite3.Error, StoreError):  # it cannot be moved (a read-only directory): it stays
        return None
    finally:
        if db.in_transaction:
            db.execute("ROLLBACK")
        db.close()


class Finding(NamedTuple):
    """One check of `health`: whether it passed, what it found (in the report's language),
    whether `dlref doctor --repair` (opening the store) would act on it, and whether it only
    says more about the finding before it (what a repair would recover from the damage), so
    that it is no problem of its own. `quoted`: lines of SQLite's own (English) report to
    show under the text as they are, not translated."""

    ok: bool
    text: str
    repairable: bool = False
    detail: bool = False
    quoted: tuple[str, ...] = ()


def problems(findings: Iterable[Finding]) -> int:
    """How many problems `findings` report: failed checks, not the lines that explain one."""
    return sum(not f.ok and not f.detail for f in findings)


def health(path: Path, lang: str = "en", sep: str = " / ") -> list[Finding]:
    """`dlref doctor`: the store's checks, run on demand without changing anything on disk.

    A Finding per check: the file, whether answers can be saved in it, its format version,
    `quick_check`, the -wal, and whether every row decodes; for a damaged file, what a
    salvage would recover. A file that cannot be written is still read and checked.
    In both languages a finding is the English, `sep`, then the Chinese.
    """
    def say(key: str, **fields: object) -> str:
        return t(key, lang, sep=sep, **fields)

    if not path.exists():
        if path.parent.is_dir() and not os.access(path.parent, os.W_OK | os.X_OK):
            return [Finding(False, say("store.dir-read-only", dir=path.parent))]  # cannot create it
        return [Finding(True, say("store.no-file", path=path))]
    if not path.is_file():
        return [Finding(False, say("store.not-a-file", path=path))]
    if not os.access(path, os.R_OK):
        return [Finding(False, say("store.denied", path=path))]
    out = [Finding(True, say("store.size", path=path, size=path.stat().st_size))]
    refusal = _write_refusal(path)  # every command that saves an answer stops; reading works
    if refusal is not None:
        out.append(Finding(False, refusal.text(lang, sep)))
    wal = Path(f"{path}-wal")
    log = read_wal(wal)
    has_wal = log.status == "pending"  # committed frames SQLite applies: read with them
    alone = _last_review(path, with_wal=False) if has_wal else None
    damaged = False
    try:
        db = sqlite3.connect(f"{path.resolve().as_uri()}?{_report_mode(path)}", uri=True,
                             timeout=BUSY_TIMEOUT_MS / 1000)
    except sqlite3.Error as exc:
        return [*out, *_said_once(out, _unusable("store.cannot-open", path, exc).text(lang, sep))]
    db.row_factory = sqlite3.Row
    try:
        try:
            _check_version(path, db)
            version = db.execute("PRAGMA user_version").fetchone()[0]
            out.append(Finding(True, say("store.format", version=version, writes=SCHEMA_VERSION)))
            found = [row[0] for row in db.execute(f"PRAGMA quick_check({QUICK_CHECK_MOST})")]
            damaged = found != ["ok"]
            out.append(_quick_check(found, say) if damaged else
                       Finding(True, say("store.quick-check-ok")))
        except StoreError as exc:
            return [*out, Finding(False, exc.text(lang, sep))]
        except sqlite3.DatabaseError as exc:
            if not _is_corruption(exc):  # locked, or a read-only directory: not damage
                return [*out, *_said_once(out, _unusable("store.cannot-read", path, exc).text(
                    lang, sep))]
            damaged = True
            out.append(Finding(False, say("store.damaged-now", error=sqlite_reason(exc)), True))
        if log.status in _INVALID_WAL:  # SQLite ignores it, and deletes it on closing
            why = say(f"store.wal-why-{log.problem or 'frames'}")
            out.append(Finding(False, say("store.wal-invalid", wal=wal, size=log.size, why=why),
                               refusal is None))
        elif log.status == "empty":
            out.append(Finding(True, say("store.wal-empty", wal=wal, size=log.size)))
        elif has_wal:
            mine = not damaged and (alone is None or _last_review(db) == alone or _has(db, alone))
            if not mine and _sound_alone(path):
                out.append(Finding(False, say("store.wal-foreign", wal=wal), refusal is None))
                damaged = False
            else:
                tail = (say("store.wal-tail", count=log.ignored) if log.ignored else "")
                out.append(Finding(True, say("store.wal-pending", wal=wal, commits=log.commits,
                                             frames=log.frames, tail=tail)))
        if not damaged:
            out += _decode_report(db, say)
    finally:
        db.close()
    if damaged:
        got = salvage(path, _row_review, lambda r: _state_due(r, "fsrs_card"))
        out.append(Finding(False, say("store.would-recover", reviews=len(got.reviews),
                                      states=len(got.state), lost=got.lost_reviews)
                           if got.readable else say("store.would-recover-nothing"), True,
                           detail=True))
    return out


#: How many problems `health` asks `quick_check` for, and how many of its lines it shows.
QUICK_CHECK_MOST = 100
QUICK_CHECK_LINES = 4


def _quick_check(found: list[str], say: Callable[..., str]) -> Finding:
    """A failed `quick_check` as one finding: a summary in the report's language (how many
    problems), then a few of SQLite's own lines, untranslated, quoted under it. SQLite gives
    one problem a line (older versions a row each); its "*** in database main ***" heading,
    which names the only database there is, is left out."""
    lines = [line.strip() for row in found for line in str(row).splitlines()
             if line.strip() and not line.startswith("*** in database ")]
    count = len(lines)
    key = "store.quick-check-bad-many" if count >= QUICK_CHECK_MOST else "store.quick-check-bad"
    quoted = [_one_line(ValueError(line)) for line in lines[:QUICK_CHECK_LINES]]
    if count > len(quoted):
        quoted.append(say("store.quick-check-more", count=count - len(quoted)))
    return Finding(False, say(key, count=count), True, quoted=tuple(quoted))


def _said_once(out: list[Finding], text: str) -> list[Finding]:
    """A failed finding saying `text`, unless one of `out` says it already (a read-only
    directory is why the file cannot be written and, sometimes, why it cannot be read)."""
    return [] if any(f.text == text for f in out) else [Finding(False, text)]


def _report_mode(path: Path) -> str:
    """How `health` opens the file so as to leave nothing behind: with no -wal, -shm or
    -journal beside it no connection has it open, so as it is (`immutable=1`, which creates no
    file); else `mode=ro`, which reads a live -wal but, unable to checkpoint, leaves the -wal
    and -shm it makes (here they were already). A -wal with nothing SQLite would apply (no WAL
    at all, or nothing committed in it) and no -shm beside it (which every connection to a WAL
    file makes) counts as none: read through, it would leave a -shm behind for nothing."""
    quiet = not any(os.path.lexists(f"{path}{suffix}") for suffix in ("-shm", "-journal")) and (
        not os.path.lexists(f"{path}-wal")
        or read_wal(f"{path}-wal", first_commit=True).status != "pending")
    return "immutable=1" if quiet else "mode=ro"


def _decode_report(db: sqlite3.Connection,
                   say: Callable[..., str]) -> list[Finding]:
    """Counts of reviews and items, and the first rows whose values dlref cannot decode
    (`say` turns a catalogue key and its fields into the report's language)."""
    try:
        reviews = db.execute("SELECT * FROM reviews").fetchall()
        states = db.execute("SELECT * FROM state").fetchall()
    except sqlite3.Error as exc:
        return [Finding(False, say("store.cannot-read-tables", error=sqlite_reason(exc)))]
    bad: list[tuple[Text, str]] = []  # (where, why) of each row that does not decode
    for row in reviews:
        try:
            _row_review(row)
        except _DECODE_ERRORS as exc:
            bad.append((_at_review(row["id"]), _one_line(exc)))
    for row in states:
        try:
            _when(row, "due"), _state_due(row, "fsrs_card")
        except _DECODE_ERRORS as exc:
            bad.append((_at_item(row["card"], row["template"]), _one_line(exc)))
    kept = sum(1 for r in reviews if "undone" not in r.keys() or not r["undone"])  # as stats
    out = [Finding(True, say("store.counts", reviews=kept, items=len(states)))]
    if bad:  # the rows and the "more" note per language, so `both` keeps each half whole
        rows = {code: "; ".join(t("store.bad-row", code, where=where, error=why)
                                for where, why in bad[:3]) for code in LANGS}
        more = bilingual("store.more-rows", count=len(bad) - 3) if len(bad) > 3 else ""
        out.append(Finding(False, say("store.bad-rows", count=len(bad), rows=rows, more=more)))
    return out


# -- the store ---------------------------------------------------------------------------------


class Store:
    """The progress store. Use `Store.open()` (or `Store(path)`), ideally as a context manager.

    `recovered_from` is the path the damaged old file was moved to, or None: show it to the user.
    Safe to share between threads (calls are serialised) and between processes (SQLite locks).
    """

    path: Path
    recovered_from: Path | None
    salvaged: Salvaged | None = None  # what came back from the damaged file
    wal_set_aside: Path | None = None  # where a -wal that was not this file's went
    wal_invalid: bool = False  # that -wal was no WAL SQLite would apply (not another file's)
    #: Why no answer can be saved (a file or directory that cannot be written): the store was
    #: opened to read only (`create=False`), and every write raises this StoreError.
    read_only: StoreError | None = None
    _damaged: tuple[int, int, int, int] | None = None

    def __init__(self, path: Path | str | None = None, create: bool = True) -> None:
        self.path = Path(path) if path is not None else default_path()
        self.recovered_from = None
        self._lock = threading.RLock()
        if not create and not os.path.lexists(self.path):
            blocker = next((p for p in (self.path.parent, *self.path.parent.parents)
                            if p.exists() or p.is_symlink()), None)
            if blocker is not None and not blocker.is_dir():  # DLREF_HOME=a file: said
                raise StoreError.said("store.parent-not-dir", dir=blocker)
            self._stand_in()
            return
        if not create and self.path.is_file() and os.access(self.path, os.R_OK):
            refusal = _write_refusal(self.path)
            if refusal is not None:
                db = _read_as_is(self.path)  # None if damaged: moved aside below, if it can be
                if db is not None:
                    self._open_read_only(db, refusal)
                    return
        for _attempt in range(3):
            if self._sound():
                break
            # Damaged: move it aside and start afresh. If another dlref process got there first
            # (the file at `path` is no longer the one we checked), check again instead.
            self.recovered_from = _move_aside(self.path, self._damaged) or self.recovered_from
        else:
            raise StoreError.said("store.keeps-damaged", path=self.path)
        if self.wal_set_aside is None and read_wal(
                f"{self.path}-wal", first_commit=True).status in _INVALID_WAL:
            # beside a sound file (a damaged one went aside with it), a -wal SQLite would
            # ignore, and delete on closing: kept aside instead
            target = _invalid_wal_aside(self.path)
            if target is not None:
                self.wal_set_aside, self.wal_invalid = target, True
        try:
            self._db = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_MS / 1000,
                                       isolation_level=None, check_same_thread=False)
        except sqlite3.Error as exc:
            raise _unusable("store.cannot-open", self.path, exc) from exc
        self._db.row_factory = sqlite3.Row
        try:
            self._setup()
        except BaseException:
            self._db.close()
            raise
        if self.recovered_from is not None:
            self.salvaged = self._restore(self.recovered_from)

    #: True for the empty stand-in of a file that does not exist (see `open`'s `create`).
    empty_stand_in: bool = False

    def _stand_in(self) -> None:
        """An empty store in memory, for a command that only reads: no file is created."""
        self.empty_stand_in = True
        self._db = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
        self._db.row_factory = sqlite3.Row
        migrate(self._db)

    def _open_read_only(self, db: sqlite3.Connection, refusal: StoreError) -> None:
        """Use `db`, a sound file that cannot be written, to read only. An older format is
        brought up to date in a copy in memory: the file itself is never changed."""
        self.read_only = refusal
        try:
            if db.execute("PRAGMA user_version").fetchone()[0] < SCHEMA_VERSION:
                copy = sqlite3.connect(":memory:", isolation_level=None, check_same_thread=False)
                db.backup(copy)
                db.close()
                db = copy
                migrate(db)
            db.row_factory = sqlite3.Row
            self._db = db
            self._check_tables()
        except sqlite3.Error as exc:
            db.close()
            raise _unusable("store.cannot-read", self.path, exc) from exc
        except BaseException:
            db.close()
            raise

    def recovery_message(self, lang: str = "en") -> str | None:
        """One line for the user in `lang` (for both: a line per language) if opening changed
        anything on disk, else None."""
        if lang == BOTH:
            lines = [self.recovery_message(code) for code in LANGS]
            return "\n".join(line for line in lines if line) or None
        notes = []
        if self.wal_set_aside is not None:
            notes.append(t("store.wal-invalid-set-aside" if self.wal_invalid else
                           "store.wal-set-aside", lang, path=self.path,
                           target=self.wal_set_aside))
        if self.recovered_from is not None:
            got = self.salvaged or Salvaged()
            if got.readable:
                rebuilt = (t("store.rebuilt", lang, count=got.rebuilt_state)
                           if got.rebuilt_state else "")
                kept = t("store.recovered", lang, reviews=len(got.reviews),
                         states=len(got.state) + got.rebuilt_state, rebuilt=rebuilt,
                         lost_reviews=got.lost_reviews,
                         lost_states=max(0, got.lost_state - got.rebuilt_state))
            else:
                kept = t("store.nothing-recovered", lang)
            notes.append(t("store.damaged", lang, target=self.recovered_from, kept=kept))
        return " ".join(notes) or None

    def _restore(self, source: Path) -> Salvaged:
        """Copy every review and state row that still reads from the damaged file `source`
        into this (new) store; never raises: a failed salvage is an empty one."""
        def check_review(row: Mapping[str, Any]) -> None:
            _row_review(row)
            if row["state_before"] is not None:
                _state_due(row, "state_before")

        def check_state(row: Mapping[str, Any]) -> None:
            _text(row, "card"), _text(row, "template"), _when(row, "due")
            _state_due(row, "fsrs_card")

        try:
            got = salvage(source, check_review, check_state)
            columns = REQUIRED_COLUMNS["reviews"]
            for r in got.reviews:  # a version-1 file: its rows were reviews (see `_to_v2`)
                if "kind" not in r:
                    r["kind"] = "review"
                    r["phase"], r["predicted"] = _extras(r["state_before"], r["ts"])
                r.setdefault("trap", None)  # before version 3 no answer was diagnosed
            with self._write() as db:
                db.executemany(
                    f"INSERT OR IGNORE INTO reviews ({', '.join(columns)}) VALUES "
                    f"({', '.join('?' * len(columns))})",
                    [tuple(r[c] for c in columns) for r in got.reviews])
                db.executemany(
                    "INSERT OR IGNORE INTO state (card, template, fsrs_card, due)"
                    " VALUES (?, ?, ?, ?)",
                    [(r["card"], r["template"], r["fsrs_card"], r["due"]) for r in got.state])
                got.rebuilt_state = _rebuild_state(db)
        except (sqlite3.Error, StoreError, OSError, KeyError):
            return Salvaged()
        return got

    @classmethod
    def open(cls, path: Path | str | None = None, create: bool = True) -> Store:
        """Open (creating if needed) the store at `path` or `default_path()`.

        With `create=False` (commands that only read: `stats`, `undo`, `--json-questions`), a
        file that does not exist is not created, nor its directory: the store is an empty one
        in memory, which refuses to record an answer (it would be lost).
        Raises StoreError, with a message for the user, if it cannot be used.
        """
        return cls(path, create)

    # connection set-up ------------------------------------------------------------------

    def _sound(self) -> bool:
        """Is the file usable (or absent)? False if damaged; StoreError if unusable otherwise.

        The check runs on a read-only connection so that it changes nothing: a read-write
        connection would, on closing, checkpoint and delete a `-wal` file beside a damaged
        database, and would switch a file from a newer dlref to our journal mode.
        """
        path = self.path
        if not path.exists():
            try:
                path.parent.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                blocker = next((p for p in (path.parent, *path.parent.parents)
                                if p.exists() or p.is_symlink()), None)
                if blocker is not None and not blocker.is_dir():  # DLREF_HOME=a file
                    raise StoreError.said("store.parent-not-dir", dir=blocker) from exc
                raise StoreError.said("store.cannot-create", path=path.parent,
                                      reason=os_reason(exc)) from exc
            if not os.access(path.parent, os.W_OK | os.X_OK):  # else "unable to open" below
                raise StoreError.said("store.dir-read-only", dir=path.parent)
            return True
        if not path.is_file():
            raise StoreError.said("store.not-a-file", path=path)
        if not os.access(path, os.R_OK):
            raise StoreError.said("store.denied", path=path)
        refusal = _write_refusal(path)
        if refusal is not None:  # no answer could be saved: said now, before any question
            db = _read_as_is(path)
            if db is not None:
                db.close()
                raise refusal
            # damaged: moved aside below if it can be (else the message says why not)
        has_wal = _wal_size(path) > 0
        # the main file's own last review, read (before the WAL view) without its -wal
        alone = _last_review(path, with_wal=False) if has_wal else None
        try:
            db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True,
                                 timeout=BUSY_TIMEOUT_MS / 1000)
        except sqlite3.Error as exc:
            raise _unusable("store.cannot-open", path, exc) from exc
        try:
            _check_version(path, db)
            if [row[0] for row in db.execute("PRAGMA quick_check")] == ["ok"]:
                if alone is None or _last_review(db) == alone or _has(db, alone):
                    return True
                # sound, but the WAL takes reviews away that the main file holds: it is a
                # stale -wal from another copy, and replaying it would lose them
                self.wal_set_aside = _wal_aside(path)
                return True
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorcode", 0) & 0xFF == _SQLITE_READONLY:
                return True  # e.g. a hot rollback journal: the read-write connection recovers it
            if not _is_corruption(exc):
                raise _unusable("store.cannot-read", path, exc) from exc
        finally:
            db.close()
        if has_wal and _sound_alone(path):
            # damaged only with the -wal: the WAL does not belong here; keep the intact file
            self.wal_set_aside = _wal_aside(path)
            return True
        self._damaged = _identity(path)
        return False

    def _setup(self) -> None:
        db = self._db
        try:
            self._use_wal()
            db.execute("PRAGMA synchronous = FULL")
            migrate(db)
            self._check_tables()
        except sqlite3.Error as exc:
            raise _unusable("store.cannot-set-up", self.path, exc) from exc

    def _check_tables(self) -> None:
        """Refuse (StoreError, file untouched) a file missing a table or column dlref reads.

        The schema version says these exist, so a gap means the file was edited; without this
        check the user would get "no such table" only from whichever command first needs it.
        """
        for table, needed in REQUIRED_COLUMNS.items():
            have = {row["name"] for row in self._db.execute(f"PRAGMA table_info({table})")}
            missing = [c for c in needed if c not in have]
            if missing:
                what = (bilingual("store.table-missing", table=table) if not have else
                        bilingual("store.columns-missing", table=table,
                                  columns=listed(missing)))
                raise _content_error(self.path, bilingual("store.at-schema"), what)

    @contextmanager
    def _decoding(self, where: Text) -> Iterator[None]:
        """Turn a stored value that cannot be decoded into a StoreError naming file and place.

        Used around everything that interprets stored values (timestamps, flags, fsrs JSON);
        inside `_write()` the error also rolls the transaction back, so nothing is changed.
        """
        try:
            yield
        except _DECODE_ERRORS as exc:
            raise _content_error(self.path, where, exc) from exc

    def _use_wal(self) -> None:
        """Switch the file to WAL (once; the mode is stored in the file).

        SQLite answers "database is locked" at once, without waiting for the busy timeout,
        when another process has the file open while the mode changes (two dlrefs creating
        the file together), so this retries for up to the busy timeout itself.
        """
        deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
        while True:
            try:
                if self._db.execute("PRAGMA journal_mode").fetchone()[0].lower() != "wal":
                    self._db.execute("PRAGMA journal_mode = WAL")
                return
            except sqlite3.OperationalError as exc:
                busy = getattr(exc, "sqlite_errorcode", 0) & 0xFF in (_SQLITE_BUSY, _SQLITE_LOCKED)
                if not busy or time.monotonic() > deadline:
                    raise
                time.sleep(0.005)

    def close(self) -> None:
        """Close the database (every answer is already committed)."""
        with self._lock:
            self._db.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, exc_type: type[BaseException] | None, exc: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One IMMEDIATE transaction (the write lock is taken up front, so no upgrade deadlock)."""
        if self.read_only is not None:  # refused before anything is asked of SQLite
            raise StoreError.said(self.read_only.key or "store.file-read-only",
                                  **self.read_only.fields)
        with self._lock:
            db = self._db
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise StoreError.said("store.cannot-write", path=self.path,
                                      reason=sqlite_reason(exc)) from exc
            try:
                yield db
                db.execute("COMMIT")
            except BaseException as exc:
                if db.in_transaction:
                    db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    raise StoreError.said("store.cannot-write", path=self.path,
                                          reason=sqlite_reason(exc)) from exc
                raise

    def _read(self, sql: str, params: Iterable[Any] = ()) -> list[sqlite3.Row]:
        with self._lock:
            try:
                return self._db.execute(sql, tuple(params)).fetchall()
            except sqlite3.Error as exc:
                raise _unusable("store.cannot-read", self.path, exc) from exc

    # writing ----------------------------------------------------------------------------

    def record(self, card: str, template: str, seed: int | None, correct: bool,
               elapsed_ms: int, answer: str, expected: str,
               now: datetime | None = None, rating: int | None = None,
               learn_ahead: bool = False, practice: bool = False,
               trap: Mapping[str, str] | None = None, new_limit: int | None = None) -> int:
        """Log one answer; committed before returning. Returns the row id.

        If the item is new or due (`schedule.is_due`; `learn_ahead` for an item failed earlier
        in the same session) and `practice` is False, this is a review and the item is
        rescheduled; otherwise it is practice: logged, its state and due date untouched.
        The rating defaults to `schedule.rating_for(correct)` (wrong → Again, right → Good);
        `elapsed_ms` is kept for the record and never changes the rating. `now` (default: the
        current time) is the answer's time. `trap` is the known mistake a wrong answer matched
        ({"en", "zh", "card"}), counted by `stats`. A new item beyond `new_limit` first
        reviews today (counted under the write lock, so two sessions at once cannot both take
        the day's last place) is practice too: it stays new for another day. Raises StoreError
        if the file cannot be written (nothing recorded), ValueError for a rating not 1..4.
        """
        rating = schedule.rating_for(correct) if rating is None else schedule.check_rating(rating)
        if self.empty_stand_in:
            raise RuntimeError("a store opened with create=False keeps no answers")
        with self._write() as db:
            # the clock is read under the write lock, so log order is time order across processes
            now = schedule.utc(now)
            row = db.execute("SELECT fsrs_card FROM state WHERE card = ? AND template = ?",
                             (card, template)).fetchone()
            before = row["fsrs_card"] if row else None
            with self._decoding(_at_item(card, template)):
                if row:
                    _state_due(row, "fsrs_card")  # checked first, for a message naming it
                due_now = not practice and schedule.is_due(before, now, learn_ahead)
                if due_now and before is None and new_limit is not None:
                    due_now = self.new_today(now) < new_limit
                phase, predicted = (0, None) if before is None else (
                    schedule.phase(before), schedule.retrievability(before, now))
                if due_now:
                    after, due = schedule.review(before, rating, now)
            cur = db.execute(
                "INSERT INTO reviews (ts, card, template, seed, correct, rating, elapsed_ms,"
                " answer, expected, state_before, kind, phase, predicted, trap)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (_iso(now), card, template, seed, int(bool(correct)), int(rating),
                 int(elapsed_ms), answer, expected, before,
                 "review" if due_now else "practice", phase, predicted,
                 None if trap is None else json.dumps(dict(trap), ensure_ascii=False)))
            if due_now:
                db.execute(
                    "INSERT INTO state (card, template, fsrs_card, due) VALUES (?, ?, ?, ?)"
                    " ON CONFLICT (card, template) DO UPDATE"
                    " SET fsrs_card = excluded.fsrs_card, due = excluded.due",
                    (card, template, after, _iso(due)))
            assert cur.lastrowid is not None
            return cur.lastrowid

    def regrade(self, review_id: int, rating: int) -> Review:
        """Change the rating of a review just given (Again/Hard/Good/Easy after the verdict).

        Only the latest answer in force may be regraded, so that the item's state can be
        recomputed exactly from the state before it; a scheduled review is re-run with the
        new rating at its own time, practice just keeps the new rating. Returns the updated
        review; StoreError, nothing changed, if `review_id` is no longer the latest answer in
        force (another dlref answered since); ValueError if the rating is not 1..4.
        """
        rating = schedule.check_rating(rating)
        with self._write() as db:
            row = db.execute("SELECT * FROM reviews WHERE undone = 0"
                             " ORDER BY id DESC LIMIT 1").fetchone()
            if row is None or row["id"] != review_id:
                raise StoreError.said("store.not-latest", id=review_id, path=self.path)
            review = self._review({**dict(row), "rating": rating})
            if not review.practice:
                with self._decoding(_at_review(review.id)):
                    before = row["state_before"]
                    if before is not None:
                        _state_due(row, "state_before")
                    after, due = schedule.review(before, rating, review.ts)
                db.execute("UPDATE state SET fsrs_card = ?, due = ? WHERE card = ? AND"
                           " template = ?", (after, _iso(due), review.card, review.template))
            db.execute("UPDATE reviews SET rating = ? WHERE id = ?", (rating, review.id))
        return review

    def histories(self) -> dict[tuple[str, str], list[tuple[datetime, int]]]:
        """Every item's scheduled reviews in force as (time, rating), oldest first: what the
        FSRS optimizer learns from (practice moved nothing, so it is left out)."""
        out: dict[tuple[str, str], list[tuple[datetime, int]]] = defaultdict(list)
        for r in self.reviews():
            if not r.practice:
                out[(r.card, r.template)].append((r.ts, r.rating))
        return dict(out)

    def get(self, review_id: int) -> Review | None:
        """One row of the log by id (undone or not), or None."""
        rows = self._read("SELECT * FROM reviews WHERE id = ?", (review_id,))
        return self._review(rows[0]) if rows else None

    def undo(self, review_id: int | None = None) -> Review | None:
        """Take back the latest review still in force; its item's state is restored exactly.

        Returns that review (marked undone), or None if there is nothing to undo. Repeated
        calls walk back through the log. The row stays in the log, flagged `undone`. With
        `review_id` (a session taking back its own answer), StoreError and nothing changed
        unless that review is the latest in force: another dlref may have answered since.
        """
        with self._write() as db:
            row = db.execute("SELECT * FROM reviews WHERE undone = 0"
                             " ORDER BY id DESC LIMIT 1").fetchone()
            if review_id is not None and (row is None or row["id"] != review_id):
                raise StoreError.said("store.not-latest", id=review_id, path=self.path)
            if row is None:
                return None
            # decoded before anything changes, and any error rolls the transaction back
            review = self._review({**dict(row), "undone": 1})
            if review.practice:
                pass  # practice never changed the item's state
            elif row["state_before"] is None:
                db.execute("DELETE FROM state WHERE card = ? AND template = ?",
                           (review.card, review.template))
            else:
                with self._decoding(_at_review(review.id)):
                    before = row["state_before"]
                    due = _iso(_state_due(row, "state_before"))
                db.execute("UPDATE state SET fsrs_card = ?, due = ? WHERE card = ? AND"
                           " template = ?", (before, due, review.card, review.template))
            db.execute("UPDATE reviews SET undone = 1 WHERE id = ?", (review.id,))
        return review

    # reading ----------------------------------------------------------------------------

    #: Whether an item is in FSRS's Review state (2), read by SQLite (`schedule.due_at`);
    #: NULL for state that is no JSON, which the answer that needs it then reports.
    _IN_REVIEW = ("CASE WHEN json_valid(fsrs_card) THEN json_extract(fsrs_card, '$.state') = 2"
                  " END")

    def due(self, now: datetime | None = None,
            limit: int | None = None) -> list[tuple[str, str, datetime]]:
        """Items due at `now` (default: now; `schedule.due_at`: an item in review all of its
        due date) as (card, template, due), earliest first."""
        rows = self._read(
            f"SELECT card, template, due, {self._IN_REVIEW} AS in_review FROM state"
            " WHERE due < ? ORDER BY due, card, template",
            (_iso(schedule.local_day(now)[1]),))
        with self._decoding(bilingual("store.at-state")):
            got = [(_text(r, "card"), _text(r, "template"), _when(r, "due")) for r in rows
                   if schedule.due_at(_when(r, "due"), bool(r["in_review"]), now)]
        return got if limit is None else got[:limit]

    def known_items(self) -> list[tuple[str, str]]:
        """Every (card, template) with a review in force, i.e. with scheduler state."""
        return [(r["card"], r["template"])
                for r in self._read("SELECT card, template FROM state ORDER BY card, template")]

    def state(self, card: str, template: str) -> str | None:
        """The item's fsrs Card JSON, or None if it has no review in force."""
        rows = self._read("SELECT fsrs_card FROM state WHERE card = ? AND template = ?",
                          (card, template))
        return rows[0]["fsrs_card"] if rows else None

    def reviews(self, include_undone: bool = False) -> list[Review]:
        """The review log, oldest first; undone reviews only if asked for."""
        where = "" if include_undone else " WHERE undone = 0"
        return [self._review(r) for r in self._read(f"SELECT * FROM reviews{where} ORDER BY id")]

    def _review(self, row: Mapping[str, Any]) -> Review:
        """`_row_review`, with a bad value reported as a StoreError naming the review."""
        with self._decoding(_at_review(row["id"])):
            return _row_review(row)

    def next_due(self, now: datetime | None = None) -> datetime | None:
        """When the next item falls due after `now` (`schedule.available_from`: an item in
        review at the start of its due date), or None if none is to come. An item due
        within a day of the first one not due yet can come before it, and no later one."""
        later = (f"due > ? AND (NOT coalesce({self._IN_REVIEW}, 0) OR due >= ?)",
                 (_iso(schedule.utc(now)), _iso(schedule.local_day(now)[1])))
        first = self._read(f"SELECT due FROM state WHERE {later[0]} ORDER BY due LIMIT 1",
                           later[1])
        if not first:
            return None
        with self._decoding(bilingual("store.at-state")):
            horizon = _when(first[0], "due") + timedelta(days=2)
            rows = self._read(f"SELECT card, template, due, {self._IN_REVIEW} AS in_review"
                              f" FROM state WHERE {later[0]} AND due < ?",
                              (*later[1], _iso(horizon)))
            return min(schedule.available_from(_when(r, "due"), bool(r["in_review"]))
                       for r in rows)

    def new_today(self, now: datetime | None = None) -> int:
        """How many items were seen for the first time today (the learner's local day of
        `now`, `schedule.local_day`), for the daily new-item limit; undone first reviews do
        not count."""
        start, end = schedule.local_day(now)
        return self._read("SELECT count(*) AS n FROM reviews WHERE undone = 0 AND kind ="
                          " 'review' AND state_before IS NULL AND ts >= ? AND ts < ?",
                          (_iso(start), _iso(end)))[0]["n"]

    # statistics -------------------------------------------------------------------------

    #: A review row dlref would not write, found in SQL so `stats` need not decode 100 000 rows
    #: in Python; the first such row is then decoded by `_row_review` for its exact message.
    _BAD_REVIEW = (
        "undone = 0 AND NOT (typeof(id) = 'integer' AND typeof(ts) = 'text'"
        " AND ts GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]*'"
        " AND typeof(card) = 'text' AND typeof(template) = 'text'"
        " AND (seed IS NULL OR typeof(seed) = 'integer')"
        " AND typeof(correct) = 'integer' AND correct IN (0, 1)"
        " AND typeof(rating) = 'integer' AND rating BETWEEN 1 AND 4"
        " AND typeof(elapsed_ms) = 'integer' AND typeof(answer) = 'text'"
        " AND typeof(expected) = 'text' AND typeof(undone) = 'integer'"
        " AND kind IN ('review', 'practice') AND (phase IS NULL OR phase IN (0, 1, 2, 3))"
        " AND (predicted IS NULL OR (typeof(predicted) IN ('real', 'integer')"
        " AND predicted BETWEEN 0 AND 1)))")

    #: The cheap checks `stats` makes on every review it counts (in the same scan as the
    #: counting); a row failing them sends `_snapshot` to `_BAD_REVIEW` for the message.
    _CHECK = (
        "typeof(ts) = 'text'"
        " AND ts GLOB '[0-9][0-9][0-9][0-9]-[01][0-9]-[0-3][0-9]T[0-2][0-9]:[0-5][0-9]*'"
        " AND typeof(card) = 'text' AND typeof(correct) = 'integer' AND correct IN (0, 1)"
        " AND typeof(rating) = 'integer' AND rating BETWEEN 1 AND 4"
        " AND kind IN ('review', 'practice') AND (phase IS NULL OR phase IN (0, 1, 2, 3))"
        " AND (predicted IS NULL OR (typeof(predicted) IN ('real', 'integer')"
        " AND predicted BETWEEN 0 AND 1))")
    #: 1 for a state row whose JSON has what fsrs needs, else 0 (never NULL; SQLite does not
    #: short-circuit AND, hence the CASE before any json_type on text that may not be JSON).
    _STATE_OK = (
        "coalesce(CASE WHEN typeof(due) = 'text' AND typeof(fsrs_card) = 'text'"
        " AND json_valid(fsrs_card) THEN json_type(fsrs_card, '$.card_id') = 'integer'"
        " AND json_type(fsrs_card, '$.state') = 'integer'"
        " AND json_type(fsrs_card, '$.step') IN ('integer', 'null')"
        " AND json_type(fsrs_card, '$.stability') IN ('real', 'integer', 'null')"
        " AND json_type(fsrs_card, '$.difficulty') IN ('real', 'integer', 'null')"
        " AND json_type(fsrs_card, '$.due') = 'text'"
        " AND json_type(fsrs_card, '$.last_review') IN ('text', 'null') END, 0)")

    def _snapshot(self, now: datetime) -> tuple[list[sqlite3.Row], list[sqlite3.Row],
                                                list[tuple[datetime, float, bool]],
                                                list[sqlite3.Row]]:
        """In one read transaction: per card and per (day, kind, due review?, calibration
        bin) tallies of the reviews in force, each item's (due, retrievability at `now`, in
        FSRS's Review state?), and
        how often each known mistake (trap) was made, per item.

        Every value counted is checked in the same scans (SQL: `_CHECK`, `_STATE_OK`); if one
        fails, the offending row is decoded as usual, so the StoreError names it exactly
        rather than a wrong figure appearing later.
        """
        with self._lock:
            try:
                self._db.execute("BEGIN")
            except sqlite3.Error as exc:
                raise _unusable("store.cannot-read", self.path, exc) from exc
            try:
                by_card = self._read(
                    f"SELECT card, count(*) AS n, sum(correct) AS k, sum(NOT ({self._CHECK}))"
                    " AS bad FROM reviews WHERE undone = 0 GROUP BY card ORDER BY card")
                by_day = self._read(
                    "SELECT date(ts, 'localtime') AS day, kind, phase = 2 AS due_review,"
                    " CASE WHEN kind = 'review' AND phase = 2 AND predicted IS NOT NULL"
                    " THEN min(CAST(predicted * 10 AS INTEGER), 9) END AS bin,"
                    " count(*) AS n, sum(correct) AS k, sum(rating > 1) AS passed,"
                    " sum(predicted) AS p"
                    " FROM reviews WHERE undone = 0 GROUP BY day, kind, due_review, bin"
                    " ORDER BY day")
                states = self._read(
                    f"SELECT card, template, due, ({self._STATE_OK}) AS ok,"
                    f" CASE WHEN {self._STATE_OK} THEN json_extract(fsrs_card, '$.stability')"
                    " END AS stability,"
                    f" CASE WHEN {self._STATE_OK} THEN json_extract(fsrs_card, '$.last_review')"
                    f" END AS last_review, CASE WHEN {self._STATE_OK} THEN {self._IN_REVIEW}"
                    " END AS in_review FROM state")
                bad = ([] if not any(r["bad"] for r in by_card) else self._read(
                    f"SELECT * FROM reviews WHERE {self._BAD_REVIEW} LIMIT 1"))
                bad_states = ([] if all(r["ok"] for r in states) else self._read(
                    f"SELECT * FROM state WHERE NOT ({self._STATE_OK})"))
                traps = self._read(
                    "SELECT card, template, trap, count(*) AS n, max(id) AS last FROM reviews"
                    " WHERE trap IS NOT NULL AND undone = 0 GROUP BY card, template, trap")
            finally:
                self._db.execute("COMMIT")
        for row in bad:
            self._review(row)  # raises, naming the review and the column
            raise _content_error(self.path, _at_review(row["id"]), bilingual("store.bad-values"))
        for st in bad_states:
            with self._decoding(_at_item(st["card"], st["template"])):
                _state_due(st, "fsrs_card")
                _when(st, "due")
        with self._decoding(bilingual("store.at-reviews")):
            for row in by_day:
                date.fromisoformat(_text(row, "day"))
        items = []
        for st in states:
            with self._decoding(_at_item(st["card"], st["template"])):
                last = st["last_review"]
                items.append((_when(st, "due"), schedule.recall(
                    st["stability"], None if last is None else datetime.fromisoformat(last),
                    now), bool(st["in_review"])))
        for row in traps:
            with self._decoding(_at_review(row["last"])):
                _trap(_text(row, "trap"))
        return by_card, by_day, items, traps

    def stats(self, now: datetime | None = None,
              tags: dict[str, list[str]] | None = None) -> dict[str, Any]:
        """Progress figures, all JSON-serialisable (dates as "YYYY-MM-DD": the learner's
        local days, in the system's time zone now, as `schedule.local_day`).

        Every answer in force counts in `reviews`, `correct`, `accuracy` (None if none),
        `by_card`, `by_tag` ({name: {"reviews", "correct", "accuracy"}}; a card's tags come
        from `tags`), `accuracy_by_day` ([(date, accuracy, count)], oldest first),
        `daily_reviews` ({date: answers} over the last 365 days, for the heatmap) and
        `streak` (see `streak()`); `practice` says how many of them were practice.

        Measured against predicted:
        * `true_retention`: {"today", "last_7_days", "last_30_days", "all"}, each the share of
          *due reviews* passed (scheduled reviews of items in FSRS's Review state, as Anki's
          "true retention"; learning steps and practice are not due reviews), None while
          there are none; `due_reviews` the same windows' counts. Passed means graded Hard,
          Good or Easy, as FSRS learns recall from the grade (and `dlref optimize` fits it):
          a slip graded Good was remembered, a lucky guess graded Again was not; `accuracy`
          counts the answers as marked.
        * `predicted_recall`: FSRS's prediction, the mean retrievability of the items with a
          schedule at `now` (None if none). fsrs counts whole days, so it is 1.0 on the day
          of a review: it is a prediction, not a measurement.
        * `calibration`: predicted recall against what happened, for due reviews in ten bins
          of the prediction at review time: [{"from", "to", "reviews", "predicted",
          "actual"}] for bins with reviews; `calibration_enough` once there are
          CALIBRATION_MIN due reviews.

        `items` (items with a schedule), `due_now`, `due_next_7_days` (7 counts: index 0 = due
        by the end of today, overdue included; index i = due on day today+i). Undone answers
        count nowhere.

        `traps`: the known mistakes fallen into, most frequent first: [{"mistake": {"en",
        "zh"}, "card" (whose Misconceptions explain it), "item" ("card/template" where it was
        made), "count"}], practice included (a mistake is a mistake either way).
        """
        now = schedule.utc(now)
        today = schedule.local_date(now)
        tags = tags or {}
        card_rows, day_rows, states, trap_rows = self._snapshot(now)
        by_day: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        by_card = {r["card"]: [r["n"], r["k"]] for r in card_rows}
        due_by_day: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        bins: dict[int, list[float]] = defaultdict(lambda: [0, 0, 0.0])
        practice = 0
        for row in day_rows:
            n, k = row["n"], row["k"]
            by_day[row["day"]][0] += n
            by_day[row["day"]][1] += k
            if row["kind"] == "practice":
                practice += n
            elif row["due_review"]:
                due_by_day[row["day"]][0] += n
                due_by_day[row["day"]][1] += row["passed"]
            if row["bin"] is not None:
                bins[row["bin"]][0] += n
                bins[row["bin"]][1] += row["passed"]
                bins[row["bin"]][2] += row["p"]
        by_tag: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for card, (n, k) in by_card.items():
            for tag in dict.fromkeys(tags.get(card, [])):
                by_tag[tag][0] += n
                by_tag[tag][1] += k
        total = sum(n for n, _ in by_day.values())
        right = sum(k for _, k in by_day.values())

        def window(days: int | None) -> tuple[int, int]:
            first = None if days is None else (today - timedelta(days=days - 1)).isoformat()
            got = [v for d, v in due_by_day.items() if first is None or d >= first]
            return sum(n for n, _ in got), sum(k for _, k in got)

        windows = {"today": 1, "last_7_days": 7, "last_30_days": 30, "all": None}
        counted = {name: window(days) for name, days in windows.items()}
        week, due_now = [0] * 7, 0
        for due, _, in_review in states:
            day = schedule.local_date(due)
            offset = max(0, (day - today).days)
            if offset < 7:
                week[offset] += 1
            due_now += day <= today if in_review else due <= now  # `schedule.due_at`'s rule
        recall = [r for _, r, _ in states]
        year_start = (today - timedelta(days=364)).isoformat()
        return {
            "reviews": total,
            "correct": right,
            "accuracy": right / total if total else None,
            "practice": practice,
            "by_card": _tally_counts(by_card),
            "by_tag": _tally_counts(by_tag),
            "items": len(states),
            "due_now": due_now,
            "due_next_7_days": week,
            "true_retention": {name: (k / n if n else None)
                               for name, (n, k) in counted.items()},
            "due_reviews": {name: n for name, (n, _) in counted.items()},
            "predicted_recall": sum(recall) / len(recall) if recall else None,
            "calibration": [{"from": b / 10, "to": (b + 1) / 10, "reviews": int(n),
                             "predicted": p / n, "actual": k / n}
                            for b, (n, k, p) in sorted(bins.items())],
            "calibration_enough": sum(n for n, _, _ in bins.values()) >= CALIBRATION_MIN,
            "streak": streak((date.fromisoformat(d) for d in by_day), today),
            "accuracy_by_day": [(d, k / n, n) for d, (n, k) in sorted(by_day.items())],
            "daily_reviews": {d: n for d, (n, _) in sorted(by_day.items()) if d >= year_start},
            "traps": _trap_counts(trap_rows),
        }


#: Due reviews needed before `dlref stats` shows the calibration table.
CALIBRATION_MIN = 50


def _trap_counts(rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Each (item, mistake) with how often it was made, most often first (ties by item)."""
    out = []
    for row in rows:
        trap = json.loads(row["trap"])
        out.append({"mistake": {k: v for k, v in trap.items() if k != "card"},
                     "card": trap.get("card") or row["card"],
                     "item": f"{row['card']}/{row['template']}", "count": row["n"]})
    return sorted(out, key=lambda t: (-t["count"], t["item"], t["mistake"]["en"]))


def _tally_counts(counts: Mapping[str, list[int]]) -> dict[str, dict[str, Any]]:
    return {key: {"reviews": n, "correct": k, "accuracy": k / n}
            for key, (n, k) in sorted(counts.items())}


__all__ = ["CALIBRATION_MIN", "FILENAME", "SCHEMA_VERSION", "Review", "Store", "StoreError",
           "default_path", "health", "migrate", "problems", "sqlite_reason", "streak"]
