"""`dlref check`: everything a content file must satisfy beyond parsing.

Schema and body errors come from the parser; here: languages and sections, links between
cards (related ids, demos, knob presets), alias collisions, and worked examples recomputed
against dlref.nn. Every problem is a `ContentError`, so the output is `file:line: message`.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from dlref.cards.checks import CheckError, expected_strings, verify
from dlref.cards.library import Library, normalize
from dlref.cards.model import SECTION_KEYS, Card, ContentError
from dlref.cards.parse import ReadError, key_line, read_text, split_file
from dlref.cards.sanitize import describe, unsafe_in, visible
from dlref.i18n import LANGS, listed, t

REQUIRED_LANGUAGES = ("en", "zh")
# A code line must fit one column of `show --lang both` at 120 columns: (120 - 3) // 2 - 4.
MAX_CODE_WIDTH = 54


@lru_cache(maxsize=256)
def _front(path: Path) -> tuple[str, int] | None:
    """A file's front matter and its first line, read once however many errors it has."""
    try:
        parts = split_file(read_text(path))
    except ReadError:
        return None
    return (parts[0], parts[1]) if parts else None


def _line(card: Card, key: str) -> int:
    front = _front(card.path)
    return key_line(front[0], front[1], key) if front else 1


def check_sections(card: Card) -> Iterable[ContentError]:
    """Bundled cards: English and Chinese, each with all seven sections in order."""
    required = REQUIRED_LANGUAGES if card.bundled else ("en",)
    for lang in required:
        if lang not in card.blocks():
            yield ContentError.said(card.path, card.body_line, "content.missing-block",
                                    code=lang)
    keys_wanted = list(SECTION_KEYS) if card.bundled else ["definition"]
    for lang, sections in card.blocks().items():
        keys = [s.key for s in sections]
        line = sections[0].line if sections else card.body_line
        missing = [k for k in keys_wanted if k not in keys]
        if missing:
            yield ContentError.said(card.path, line, "content.missing-sections", code=lang,
                                    keys=listed(missing))
        dupes = sorted({k for k in keys if keys.count(k) > 1})
        if dupes:
            yield ContentError.said(card.path, line, "content.repeated-sections", code=lang,
                                    keys=listed(dupes))
        if card.bundled and not missing and keys != [k for k in SECTION_KEYS if k in keys]:
            yield ContentError.said(card.path, line, "content.sections-order", code=lang,
                                    keys=listed(SECTION_KEYS))
        for s in sections:
            if not s.text.strip():
                yield ContentError.said(card.path, s.line, "content.empty-section",
                                        section=s.key, code=lang)
            if card.bundled:
                yield from _wide_code(card, s)


def _wide_code(card: Card, section) -> Iterable[ContentError]:
    """Code lines wider than a side-by-side column would wrap mid-formula."""
    from dlref.text.width import width_of

    fence = False
    for offset, line in enumerate(section.text.split("\n")):
        if line.strip().startswith("```"):
            fence = not fence
        elif fence and width_of(line.rstrip()) > MAX_CODE_WIDTH:
            yield ContentError.said(card.path, section.text_line + offset, "content.wide-code",
                                    width=width_of(line.rstrip()), limit=MAX_CODE_WIDTH)


def check_links(card: Card, library: Library) -> Iterable[ContentError]:
    """Related ids exist; the demo exists and its presets are valid knob values."""
    from dlref import demos

    for other in card.related:
        if other not in library.cards:
            yield ContentError.said(card.path, _line(card, "related"),
                                    "content.related-missing", id=other)
        elif other == card.id:
            yield ContentError.said(card.path, _line(card, "related"), "content.related-self")
    if card.demo is None:
        if card.bundled:
            yield ContentError.said(card.path, _line(card, "id"), "content.needs-demo")
        return
    if card.demo not in demos.NAMES:
        yield ContentError.said(card.path, _line(card, "demo"), "content.no-demo",
                                demo=card.demo, demos=listed(demos.NAMES))
        return
    try:
        demo = demos.get(card.demo)
    except Exception as exc:  # a demo module that fails to import is a bug worth reporting
        yield ContentError.said(card.path, _line(card, "demo"), "content.demo-failed",
                                demo=card.demo, error=str(exc))
        return
    for name, value in card.demo_set.items():
        try:
            demo.knob(name).check(value)
        except demos.KnobError as exc:  # the knob's own words, in each language
            yield ContentError.said(card.path, _line(card, "demo_set"), "content.bad-preset",
                                    error={code: exc.text(code) for code in LANGS})


def check_aliases(library: Library) -> Iterable[ContentError]:
    """No name may lead to two cards (a user card's name that a bundled card also has is only
    a warning, see `alias_warnings`: the bundled card keeps it)."""
    for claims, ids in _clashes(library):
        if _user_only_against_bundled(library, ids):
            continue
        for card_id in ids:
            card = library.cards[card_id]
            names = " / ".join(sorted({n for c, n in claims if c == card_id}))
            yield ContentError.said(card.path, _line(card, "aliases"), "content.name-taken",
                                    names=names, ids=listed(i for i in ids if i != card_id))


def alias_warnings(library: Library) -> list[ContentError]:
    """A user card's names that a bundled card also answers to: the bundled card keeps them
    (`dlref show NAME` still finds it), the user card answers to them only by its id."""
    out = []
    for claims, ids in _clashes(library):
        if not _user_only_against_bundled(library, ids):
            continue
        bundled = [i for i in ids if library.cards[i].bundled]
        for card_id in ids:
            card = library.cards[card_id]
            if card.bundled:
                continue
            names = " / ".join(sorted({n for c, n in claims if c == card_id}))
            out.append(ContentError.said(card.path, _line(card, "aliases"), "content.name-kept",
                                         names=names, id=bundled[0]))
    return sorted(set(out), key=lambda e: (str(e.path), e.line, e.message))


def _user_only_against_bundled(library: Library, ids: list[str]) -> bool:
    return sum(library.cards[i].bundled for i in ids) == 1


def _clashes(library: Library) -> Iterable[tuple[list[tuple[str, str]], list[str]]]:
    """(claims, ids) for every normalised name that more than one card answers to."""
    owners: dict[str, list[tuple[str, str]]] = {}
    for card in library.cards.values():
        seen: set[str] = set()
        for name in card.names():
            key = normalize(name)
            if key and key not in seen:
                seen.add(key)
                owners.setdefault(key, []).append((card.id, name))
    for _key, claims in sorted(owners.items()):
        if len(claims) > 1 and not _user_id_shadows(library, claims):
            yield claims, sorted({c for c, _ in claims})


def _user_id_shadows(library: Library, claims: list[tuple[str, str]]) -> bool:
    """Whether the clash is a user card's id against bundled cards' aliases: allowed, as ids
    are looked up before aliases (the way a user card with a bundled id replaces that card)."""
    own = [c for c, name in claims
           if normalize(name) == normalize(c) and not library.cards[c].bundled]
    return len(own) == 1 and all(library.cards[c].bundled for c, _ in claims if c != own[0])


def check_examples(card: Card) -> Iterable[ContentError]:
    """Every check recomputes, and its numbers appear in each language's worked example."""
    line = _line(card, "checks")
    for i, spec in enumerate(card.checks, start=1):
        try:
            verify(spec)
        except CheckError as exc:
            yield ContentError.said(card.path, line, "content.check", n=i, problem=exc.words)
            continue
        for lang in card.blocks():
            example = card.section(lang, "example")
            text = example.text if example else ""
            missing = [s for s in expected_strings(spec) if s not in text]
            if missing:
                yield ContentError.said(card.path, example.line if example else card.body_line,
                                        "content.example-lacks", n=i, code=lang,
                                        missing=listed(missing))


QUESTION_KEYS = {"id", "prompt", "answer", "kind", "decimals", "solution", "kernel", "args",
                 "kwargs", "steps", "pick", "tol", "options", "why"}
CHOICE_KINDS = ("choice", "true-false")


#: A problem of a fixed question, in each language: {"en": …, "zh": …}.
Words = dict[str, str]


def _words(key: str, /, **fields: object) -> Words:
    """The catalogue entry `key` in each language: a problem that a `question N:` or
    `option N:` message quotes."""
    return {code: t(key, code, **fields) for code in LANGS}


def _texts_missing(texts: object, langs: list[str]) -> list[str]:
    return [lang for lang in langs if not isinstance(texts, dict)
            or not isinstance(texts.get(lang), str) or not texts[lang].strip()]


def _lacks(field: str, texts: object, langs: list[str]) -> list[Words]:
    """`'field' lacks en, zh` when `texts` misses a language, else nothing."""
    missing = _texts_missing(texts, langs)
    return [_words("content.q.lacks", field=field, langs=listed(missing))] if missing else []


def choice_problems(spec: dict, langs: list[str]) -> list[Words]:
    """What keeps a choice question (true/false, or one right option among 3-5) from being
    asked: a prompt and every option's text and reason in every language, one right option."""
    problems = _lacks("prompt", spec.get("prompt"), langs)
    if spec.get("kind") == "true-false":
        if not isinstance(spec.get("answer"), bool):
            problems.append(_words("content.q.tf-answer"))
        return problems + _lacks("why", spec.get("why"), langs)
    options = spec.get("options")
    if not isinstance(options, list) or not 3 <= len(options) <= 5 or not all(
            isinstance(o, dict) for o in options):
        return [*problems, _words("content.q.options")]
    for i, option in enumerate(options, 1):
        found = [*_lacks("text", option.get("text"), langs),
                 *_lacks("why", option.get("why"), langs)]
        if not isinstance(option.get("right", False), bool):
            found.append(_words("content.q.right-bool"))
        unknown = set(option) - {"text", "why", "right"}
        if unknown:
            found.append(_words("content.q.unknown-keys", keys=listed(sorted(unknown))))
        problems += [_words("content.q.option", n=i, problem=problem) for problem in found]
    right = sum(o.get("right") is True for o in options)
    if right != 1:
        problems.append(_words("content.q.one-right", count=right))
    return problems


def _number(v: object) -> bool:
    try:
        return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)
    except OverflowError:  # an integer too large for a float
        return False


def question_problems(spec: dict, langs: list[str]) -> list[Words]:
    """What keeps a fixed question from being asked and checked, in each language; empty when
    it can be. The quiz and the export skip a question with problems; `dlref check` reports
    them."""
    if spec.get("kind") in CHOICE_KINDS:
        return choice_problems(spec, langs)
    problems = [*_lacks("prompt", spec.get("prompt"), langs),
                *_lacks("solution", spec.get("solution"), langs)]
    answer = spec.get("answer")
    kind = spec.get("kind", "vector" if isinstance(answer, list) else "scalar")
    values = answer if isinstance(answer, list) else [answer]
    if kind == "scalar":
        good = _number(answer)
    elif kind == "vector":
        good = isinstance(answer, list) and bool(answer) and all(map(_number, values))
    elif kind == "shape":
        good = isinstance(answer, list) and bool(answer) and all(
            isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in values)
    else:
        return [*problems, _words("content.q.kind", kind=_short(kind))]
    if not good:
        return [*problems, _words(f"content.q.{kind}", answer=_short(answer))]
    from dlref.quiz.answer import MAX_DIM_DIGITS, MAX_ELEMENTS, MAX_LENGTH

    if kind != "scalar" and len(values) > MAX_ELEMENTS:
        return [*problems, _words(f"content.q.{kind}-length", count=len(values),
                                  limit=MAX_ELEMENTS)]
    if kind == "shape" and any(len(str(v)) > MAX_DIM_DIGITS for v in values):
        return [*problems, _words("content.q.dim-digits", limit=MAX_DIM_DIGITS)]
    decimals = spec.get("decimals", 3)
    if decimals is not None and (isinstance(decimals, bool) or not isinstance(decimals, int)
                                 or not 0 <= decimals <= MAX_DECIMALS):
        problems.append(_words("content.q.decimals", limit=MAX_DECIMALS, got=_short(decimals)))
    elif decimals == 0 and kind != "shape" and not all(v == round(v) for v in values):
        problems.append(_words("content.q.decimals-zero", answer=_short(answer)))
    elif kind != "shape":
        typed = _typed(values, decimals if decimals is not None else 3, kind)
        if len(typed) > MAX_LENGTH:
            problems.append(_words("content.q.too-long", count=len(typed), limit=MAX_LENGTH))
    return problems


#: More decimals than a float holds reliably cannot be honoured (nor typed within the limit).
MAX_DECIMALS = 12


def _typed(values: list, decimals: int, kind: str) -> str:
    """The shortest way a learner can type the answer to `decimals` decimals."""
    def one(v: float) -> str:
        fixed = f"{v:.{decimals}f}".rstrip("0").rstrip(".") if abs(v) < 1e16 else repr(v)
        return min(fixed, repr(float(v)), key=len)

    text = ", ".join(one(v) for v in values)
    return f"[{text}]" if kind == "vector" else text


def _short(value: object, limit: int = 60) -> str:
    """A value's repr, cut to `limit` characters for a one-line message."""
    text = repr(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_questions(card: Card) -> Iterable[ContentError]:
    """Fixed questions can be asked in every language, and a named kernel gives their answer."""
    line = _line(card, "questions")
    langs = list(card.blocks()) or ["en"]
    seen: set[str] = set()

    def error(n: int, key: str, /, **fields: object) -> ContentError:
        return ContentError.said(card.path, line, "content.question", n=n,
                                 problem=_words(key, **fields))

    for i, spec in enumerate(card.questions, start=1):
        unknown = set(spec) - QUESTION_KEYS
        if unknown:
            yield error(i, "content.q.unknown-keys", keys=listed(sorted(unknown)))
        qid = str(spec.get("id", ""))
        if not qid or qid in seen:
            yield error(i, "content.q.no-id")
        seen.add(qid)
        problems = question_problems(spec, langs)
        for problem in problems:
            yield ContentError.said(card.path, line, "content.question", n=i, problem=problem)
        if problems:
            continue
        if spec.get("kind") in CHOICE_KINDS:
            continue
        if "kernel" in spec:
            decimals = spec.get("decimals", 3)
            tol = spec.get("tol", 0.5 * 10.0 ** -decimals if decimals else 1e-9)
            check = {k: spec[k] for k in ("kernel", "args", "kwargs", "steps", "pick") if k in spec}
            try:
                verify({**check, "expect": spec["answer"], "tol": tol})
            except CheckError as exc:
                yield ContentError.said(card.path, line, "content.question", n=i,
                                        problem=exc.words)
        elif card.bundled:
            yield error(i, "content.q.needs-kernel")

def check_text(path: Path) -> list[ContentError]:
    """Each line of a card file holding characters that could control a terminal (escape
    sequences, C1 controls, bidi overrides): the card is shown with them made visible, and
    `dlref check` names them so the author can remove them."""
    try:
        text = read_text(path)
    except ReadError:
        return []  # already reported by the loader
    errors = []
    for number, line in enumerate(text.split("\n"), start=1):
        found = unsafe_in(line)
        if found:
            errors.append(ContentError.said(path, number, "content.control-chars",
                                            **_unsafe_fields(found)))
    parts = split_file(text)
    if parts is None:
        return errors
    import tomllib

    try:  # TOML escapes (\u001b, \e) put control characters in values without writing them
        data = tomllib.loads(parts[0])
    except (ValueError, RecursionError):  # the loader reports it (a TOMLDecodeError is one)
        return errors
    for key, value in data.items():
        found = list(dict.fromkeys(ch for text in _strings(value) for ch in unsafe_in(text)))
        if found:
            errors.append(ContentError.said(path, key_line(parts[0], parts[1], key),
                                            "content.control-chars-in", field=key,
                                            **_unsafe_fields(found)))
    return errors


def _unsafe_fields(found: list[str]) -> dict[str, object]:
    """The fields of a `content.control-chars` message: the characters named, and how they
    are shown."""
    return {"names": listed(describe(ch) for ch in found),
            "shown": "".join(visible(ch) for ch in found)}


def _strings(value: object) -> Iterable[str]:
    """Every string in parsed TOML data, keys included."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def under(path: Path, root: Path) -> bool:
    """Whether `path` is `root` or inside it, without following `path`'s own symlink (which
    may dangle or loop)."""
    try:
        where = path.parent.resolve() / path.name
    except (OSError, RuntimeError):
        return False
    return where == root or where.is_relative_to(root)


def check_library(library: Library, only: Path | None = None) -> list[ContentError]:
    """All problems, sorted by file and line; `only` limits the report to files under a path."""
    _front.cache_clear()  # files may have changed since the last check in this process
    errors = list(library.errors)
    errors += check_aliases(library)
    for card in library.cards.values():
        errors += check_sections(card)
        errors += check_links(card, library)
        errors += check_examples(card)
        errors += check_questions(card)
    for path in library.files:
        errors += check_text(path)
    if only is not None:
        root = only.parent.resolve() / only.name
        errors = [e for e in errors if under(e.path, root)]
    return sorted(set(errors), key=lambda e: (str(e.path), e.line, e.message))
