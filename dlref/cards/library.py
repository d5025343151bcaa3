"""All cards: where they live, and how a name finds its card.

Bundled cards ship inside the package; directories in `DLREF_PATH` (colon-separated) are read
the same way and a user card with the same id replaces the bundled one, as tealdeer's custom
pages do. A load stats every card file and takes the rest from the catalogue
(`dlref.cards.catalog`): a lookup builds only the card it finds, and a lookup by id reads that
card's file alone (`card_by_file`), so `dlref show` stays instant with thousands of cards.
"""

from __future__ import annotations

import os
import re
import unicodedata
from collections.abc import ItemsView, Iterator, Mapping, ValuesView
from pathlib import Path
from stat import S_ISREG

from dlref.cards.model import Card, ContentError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dlref.cards.catalog import Catalog

#: How much of a typed name "did you mean" compares: no name is longer, and the cost of
#: comparing grows with the product of the lengths (a 100 kB name took 32 s uncapped).
MAX_SUGGEST_CHARS = 96
_SEPARATORS = re.compile(r"[\s\-_./·・,，、()（）'’\"]+")


def normalize(name: str) -> str:
    """Fold case, width (Ａ → A) and separators so `Batch-Norm` and `batch norm` meet."""
    return _SEPARATORS.sub("", unicodedata.normalize("NFKC", name).casefold())


def bundled_dir() -> Path:
    """The content shipped with dlref: inside the wheel, or the repository's `content/`."""
    here = Path(__file__).resolve().parent.parent
    packaged = here / "content"
    return packaged if packaged.is_dir() else here.parent / "content"


def user_dirs() -> list[Path]:
    """A user's card directories, the one `dlref new` writes to first: the entries of
    `DLREF_PATH`, then the config file's `paths`, then the default user directory."""
    from dlref.config import ConfigError, load_config, user_cards_dir

    dirs = [Path(p).expanduser() for p in os.environ.get("DLREF_PATH", "").split(os.pathsep)
            if p.strip()]
    try:
        dirs += [p for p in load_config().paths if p not in dirs]
    except ConfigError:  # the command reports it; cards still load
        pass
    default = user_cards_dir()
    return dirs if default in dirs else [*dirs, default]


def content_dirs() -> list[tuple[Path, bool]]:
    """(directory, bundled?) in load order: bundled first, so user directories override; the
    default user directory (when it exists) and the config's `paths` come before DLREF_PATH,
    whose entries load in order (a later one overrides an earlier one)."""
    from dlref.config import user_cards_dir

    env = [Path(p).expanduser() for p in os.environ.get("DLREF_PATH", "").split(os.pathsep)
           if p.strip()]
    others = [d for d in user_dirs() if d not in env]
    default = user_cards_dir()
    others = [d for d in others if d != default or d.is_dir()]
    return [(bundled_dir(), True), *((d, False) for d in reversed(others)),
            *((d, False) for d in env)]


def card_names(directory: Path) -> list[str]:
    """The names of one directory's card files, sorted (README.md and dotfiles are not
    cards); none when it cannot be listed."""
    try:
        names = os.listdir(directory)
    except OSError:
        return []
    return sorted(n for n in names
                  if n.endswith(".md") and not n.startswith(".") and n != "README.md")


def card_files(directory: Path) -> list[Path]:
    """The card files of one directory."""
    return [directory / n for n in card_names(directory)]


def card_by_file(name: str) -> Card | None:
    """The card whose id is `name`, found by its file alone: an id is its file's name (as a
    tldr page's), so the last content directory holding `NAME.md` defines it, as in
    `Library.load`. Read from the catalogue's row when that is of the file as it is now, else
    parsed. None when no file has that name or it has problems: the full lookup then decides
    (it also knows aliases and prefixes, and words the notice about broken files).

    This keeps `dlref relu` as fast with 5 000 user cards as with none; the price is that an
    id lookup does not mention broken files elsewhere (`dlref check`, `list` and the app do).
    """
    from dlref.cards.catalog import Catalog, catalog_file
    from dlref.cards.parse import ID_RE, MAX_CARD_BYTES

    if not ID_RE.match(name):
        return None
    dirs = content_dirs()
    for directory, bundled in reversed(dirs):
        path = directory / f"{name}.md"
        try:
            stat = os.stat(path)
        except FileNotFoundError:
            if os.path.islink(path):
                return None  # a dangling symbolic link: the full lookup reports it
            continue  # not here: the directory before may have it
        except OSError:
            return None
        if S_ISREG(stat.st_mode) and stat.st_size <= MAX_CARD_BYTES:
            catalog = Catalog(catalog_file(dirs))
            card, problems = catalog.card_at(str(path), bundled, stat)
            catalog.db.close()
        else:  # a FIFO, a huge file…: its problem is the full lookup's to report
            card, problems = None, []
        return card if card is not None and not problems else None
    return None


class Lookup:
    """The answer to a name: a card, or the candidates of an ambiguous name or prefix.

    `via` is the alias a prefix matched when it matched neither the card's id nor a title.
    """

    __slots__ = ("card", "candidates", "via")

    def __init__(self, card: Card | None, candidates: list[str] | None = None,
                 via: str | None = None) -> None:
        self.card = card
        self.candidates = candidates or []
        self.via = via


#: The library the console script already loaded in this process, with its directories: the
#: click path it hands over to (a name that found no card, say) reuses it instead of reading
#: 5 000 user cards again. Set only by `dlref.launch`, for its one run.
_RUN: list[tuple[list[tuple[Path, bool]], Library]] = []


def keep_for_this_run(library: Library) -> None:
    """Let later `Library.load()` calls of this process reuse `library` (see `_RUN`)."""
    _RUN[:] = [(content_dirs(), library)]


class Library:
    """The cards of the content directories, the errors met reading them, and lookups.

    `cards` maps id → Card in id order; a card is built from the catalogue when first asked
    for, so a lookup among 5 000 user cards builds one. Names are matched in the catalogue's
    tables, not in Python, but for did-you-mean, which compares them all.
    """

    def __init__(self, catalog: Catalog, active: dict[str, tuple[str, bool]],
                 errors: list[ContentError], order: list) -> None:
        self.catalog = catalog
        self.cards: Cards = Cards(catalog, dict(sorted(active.items())))  # active: id → file
        self.errors = errors
        self._order = order  # every card file looked at, loaded or not: (path, …) or its error
        self.id_of = {path: card_id for card_id, (path, _) in active.items()}  # file → id

    @classmethod
    def load(cls, dirs: list[tuple[Path, bool]] | None = None, use_cache: bool = True) -> Library:
        """Read every card file; a broken file is reported and skipped, never fatal.

        Whatever is wrong with one file (a FIFO, a dangling or looping symlink, bad bytes,
        exotic TOML) is one ContentError for that file; every other card still loads.
        """
        from dlref.cards.catalog import Catalog, catalog_file, keep_recent

        if dirs is None and use_cache and _RUN:
            same = content_dirs()
            if _RUN[0][0] == same:
                return _RUN[0][1]
        dirs = dirs if dirs is not None else content_dirs()
        scanned, errors, order = _scan(dirs)
        path = catalog_file(dirs) if use_cache else None
        if path is not None:
            keep_recent(path)
        catalog = Catalog(path)
        info = catalog.refresh(scanned)
        active: dict[str, tuple[str, bool]] = {}
        if len(order) == len(scanned) and all(ok for _, ok in info.values()):
            for path, bundled, _, _ in scanned:  # the usual case: every file is a card
                active[info[path][0]] = (path, bundled)  # a later file replaces an earlier
            return cls(catalog, active, errors, order)
        problems = catalog.problems()
        for entry in order:  # load order: a later file with the same id replaces an earlier
            if isinstance(entry, ContentError):
                errors.append(entry)
                continue
            card_id, ok = info[entry[0]]
            errors.extend(problems.get(entry[0], []))
            if ok and card_id is not None:
                active[card_id] = (entry[0], entry[1])
        return cls(catalog, active, errors, order)

    @property
    def files(self) -> list[Path]:
        """Every card file looked at, loaded or not."""
        return [Path(e[0]) if isinstance(e, tuple) else e.path for e in self._order]

    # -- lookup -------------------------------------------------------------------------------

    def _ids(self, paths: list[str]) -> set[str]:
        return {self.id_of[p] for p in paths if p in self.id_of}

    def _owners(self, ids: set[str]) -> set[str]:
        """Who a name shared by several cards belongs to: a user alias never takes a bundled
        card's name away from it (the one bundled card keeps it), for a whole name and for a
        prefix alike; otherwise every card that has it."""
        if len(ids) > 1:
            bundled = {i for i in ids if self.cards.bundled(i)}
            if len(bundled) == 1:
                return bundled
        return ids

    def find(self, name: str) -> Card | None:
        """By id, then any title or alias in any language, then a unique prefix."""
        return self.lookup(name).card

    def lookup(self, name: str) -> Lookup:
        """What `name` finds: by id, then a title or alias in any language (a user card's
        name never takes one from a bundled card), then a unique prefix of a name; an
        ambiguous name or prefix gives its candidates instead of a card."""
        if name in self.cards:
            return Lookup(self.cards[name])
        key = normalize(name)
        if not key:
            return Lookup(None)
        ids = self._owners(self._ids(self.catalog.named(key)))
        if len(ids) > 1:
            return Lookup(None, sorted(ids))
        if len(ids) == 1:
            return Lookup(self.cards[next(iter(ids))])
        owners: dict[str, list[str]] = {}  # each name that starts so → the files that have it
        for k, path in self.catalog.prefixed(key):
            owners.setdefault(k, []).append(path)
        prefixed: dict[str, list[str]] = {}
        for k, paths in owners.items():
            for i in self._owners(self._ids(paths)):
                prefixed.setdefault(i, []).append(k)
        if len(prefixed) == 1:
            card_id, matched = prefixed.popitem()
            card = self.cards[card_id]
            own = {normalize(card.id), *(normalize(v) for v in card.title.values())}
            if any(k in own for k in matched):
                return Lookup(card)
            # only an alias starts so: say which, as `bias` may not mean the card it finds
            alias = next(n for n in card.names() if normalize(n) in matched)
            return Lookup(card, via=alias)
        return Lookup(None, sorted(prefixed))

    def matching(self, query: str) -> list[Card]:
        """Cards one of whose names (id, titles, aliases, any language) contains the query,
        best first: an exact name, then a name that starts with it, then the rest."""
        key = normalize(query)
        if not key:
            return list(self.cards.values())
        ranked = []
        for card in self.cards.values():
            names = [normalize(n) for n in card.names()]
            if key in names:
                ranked.append((0, card.id, card))
            elif any(n.startswith(key) for n in names):
                ranked.append((1, card.id, card))
            elif any(key in n for n in names):
                ranked.append((2, card.id, card))
        return [card for _, _, card in sorted(ranked, key=lambda t: t[:2])]

    def suggest(self, name: str, limit: int = 3) -> list[str]:
        """Up to `limit` card ids whose names are close to `name` (for "did you mean")."""
        key = normalize(name)[:MAX_SUGGEST_CHARS]  # bounded work whatever was typed
        if not key:
            return []
        scored = sorted(_close_keys(key, self.catalog.name_list()), reverse=True)
        floor = max(0.6, scored[0][0] - 0.1) if scored else 1.0
        close = [k for score, k in scored if score >= floor]
        prefixed = sorted({k for k, _ in self.catalog.prefixed(key)})
        ids: dict[str, set[str]] = {}
        for k, path in self.catalog.files_named([*prefixed, *close]):
            if path in self.id_of:
                ids.setdefault(k, set()).add(self.id_of[path])
        out: list[str] = []
        for k in [*prefixed, *close]:
            for card_id in sorted(ids.get(k, ())):
                if card_id not in out:
                    out.append(card_id)
        return out[:limit]

    def glossary(self, query: str = "") -> list[dict[str, object]]:
        """English ↔ Chinese terms from titles and aliases, sorted by English title.

        With a query, only the cards one of whose names contains it (normalised).
        """
        key = normalize(query)
        rows = []
        for card in self.cards.values():
            if key and not any(key in normalize(n) for n in card.names()):
                continue
            terms = {lang: [card.title[lang], *card.aliases.get(lang, [])] for lang in card.title}
            for lang, aliases in card.aliases.items():
                terms.setdefault(lang, list(aliases))
            rows.append({"id": card.id, **terms})
        return sorted(rows, key=lambda r: str(r.get("en", [""])[0]).casefold())

    def tags(self) -> list[str]:
        return sorted({t for c in self.cards.values() for t in c.tags})


def _scan(dirs: list[tuple[Path, bool]]) -> tuple[list, list[ContentError], list]:
    """Stat every card file of `dirs`: (the readable ones as (path, bundled, size, mtime),
    errors met before any file, and every file in load order as that tuple or its error).
    This loop is the one cost that grows with the number of cards: it is kept to a stat."""
    from dlref.cards.parse import MAX_CARD_BYTES, stat_problem

    scanned: list[tuple[str, bool, int, int]] = []
    errors: list[ContentError] = []
    order: list = []
    for directory, bundled in dirs:
        if not bundled and not directory.is_dir():
            errors.append(ContentError.said(directory, 0, "content.path-not-dir"))
            continue
        if not os.access(directory, os.R_OK | os.X_OK):
            errors.append(ContentError.said(directory, 0, "content.cannot-list"))
            continue
        where = os.path.join(directory, "")
        paths = [where + name for name in card_names(directory)]
        try:
            stats = list(map(os.stat, paths))  # the loop in C: a third faster for 5 000 files
        except OSError:
            stats = [_stat(path) for path in paths]
        for path, st in zip(paths, stats, strict=True):
            if st is not None and S_ISREG(st.st_mode) and st.st_size <= MAX_CARD_BYTES:
                entry = (path, bundled, st.st_size, st.st_mtime_ns)
                scanned.append(entry)
                order.append(entry)
            else:  # say exactly what is wrong
                _, problem = stat_problem(Path(path))
                key, fields = problem or ("content.unreadable", {})
                order.append(ContentError.said(Path(path), 1, key, **fields))
    return scanned, errors, order


def _stat(path: str) -> os.stat_result | None:
    try:
        return os.stat(path)
    except OSError:
        return None


class Cards(Mapping):
    """id → Card in id order, each built from the catalogue when first asked for (all at once
    when iterated: one query, not one per card)."""

    def __init__(self, catalog: Catalog, active: dict[str, tuple[str, bool]]) -> None:
        self._catalog = catalog
        self._active = active  # id → (path, bundled)
        self._made: dict[str, Card] = {}

    def __getitem__(self, card_id: str) -> Card:
        card = self._made.get(card_id)
        if card is None:
            path, bundled = self._active[card_id]
            card = self._made[card_id] = self._catalog.cards({path: bundled})[path]
        return card

    def __iter__(self) -> Iterator[str]:
        return iter(self._active)

    def __len__(self) -> int:
        return len(self._active)

    def __contains__(self, card_id: object) -> bool:
        return card_id in self._active

    def bundled(self, card_id: str) -> bool:
        return self._active[card_id][1]

    def _all(self) -> dict[str, Card]:
        missing = {path: bundled for i, (path, bundled) in self._active.items()
                   if i not in self._made}
        if missing:
            made = self._catalog.cards(missing)
            for card_id, (path, _) in self._active.items():
                if card_id not in self._made:
                    self._made[card_id] = made[path]
        return {card_id: self._made[card_id] for card_id in self._active}

    def values(self) -> ValuesView[Card]:  # type: ignore[override]
        return self._all().values()

    def items(self) -> ItemsView[str, Card]:  # type: ignore[override]
        return self._all().items()


def _close_keys(query: str, keys: list[str]) -> list[tuple[float, str]]:
    """(closeness, key) for the keys that can score 0.6 or more (see `_closeness`).

    difflib's ratio is 2·M / (len(a) + len(b)), and the M matching characters can be no more
    than the characters of the key that occur in the query at all. Deleting the query's
    characters from all keys at once (in C) counts those for every key, so
    with thousands of user cards difflib runs on the few keys that could still be close. The
    start-of-name score is computed once per distinct start."""
    import difflib

    n = len(query)
    head_score: dict[str, float] = {}
    if n >= 3:
        head = difflib.SequenceMatcher(None, query, query)  # the typed name is the cached side
        for start in _could_match(query, list({key[:n] for key in keys}), 0.75):
            head.set_seq1(start)
            if head.quick_ratio() >= 0.75 and (score := head.ratio() - 0.15) >= 0.6:
                head_score[start] = score
    candidates = set(_could_match(query, keys, 0.6))
    if head_score:
        candidates.update(key for key in keys if key[:n] in head_score)
    whole = difflib.SequenceMatcher(None, query, query)
    out = []
    for key in candidates:
        best = head_score.get(key[:n], 0.0)
        whole.set_seq1(key)
        if whole.real_quick_ratio() >= max(0.6, best) and whole.quick_ratio() >= max(0.6, best):
            best = max(best, whole.ratio())
        if best >= 0.6:
            out.append((best, key))
    return out


def _could_match(query: str, texts: list[str], floor: float) -> list[str]:
    """The texts whose ratio to `query` can reach `floor`: 2·M / (n + len) with M at most
    the text's characters that occur in the query. Texts hold no newline (normalised names).
    (`str.replace` per character: `str.translate` takes a slow path on non-ASCII text.)"""
    n = len(query)
    rest = "\n".join(texts)
    for char in set(query):
        rest = rest.replace(char, "")
    rest = rest.split("\n")
    return [text for text, size, other in zip(texts, map(len, texts), map(len, rest), strict=True)
            if 2 * min(n, size - other) >= floor * (n + size)]


def _closeness(query: str, key: str) -> float:
    """Similarity of a typed name to a known one, also as the start of a longer name."""
    import difflib

    whole = difflib.SequenceMatcher(None, query, key).ratio()
    head = difflib.SequenceMatcher(None, query, key[: len(query)]).ratio() - 0.15
    return max(whole, head if len(query) >= 3 else 0.0)
