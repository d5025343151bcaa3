"""Fuzzing the card loader like the answer parser (issue 17): arbitrary bytes and arbitrary TOML
front matter give a card or `file:line` problems, never another exception, never a control
character in loaded text, and the bundled cards load as before."""

from __future__ import annotations

import math
import os
import tempfile
from datetime import date, datetime, time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dlref.cards import Library
from dlref.cards.library import bundled_dir
from dlref.cards.parse import load_card
from dlref.cards.validate import check_library
from tests.hostile import control_in

#: Examples per test; DLREF_FUZZ_EXAMPLES=5000 for a longer hunt (the default keeps CI quick).
N = int(os.environ.get("DLREF_FUZZ_EXAMPLES", "300"))
BUNDLED = sorted(Library.load([(bundled_dir(), True)], use_cache=False).cards)
KEYS = ["id", "title", "aliases", "tags", "related", "demo", "demo_set", "errata", "checks",
        "questions", "kernel", "args", "answer", "decimals", "kind", "prompt", "solution", "en",
        "zh", "expect", "pick", "tol", "steps", "kwargs", "shows"]


def toml_string(text: str) -> str:
    """A TOML basic string: controls and DEL as \\uXXXX (so escapes carry them in)."""
    out = []
    for ch in text:
        if ch in '"\\':
            out.append("\\" + ch)
        elif ord(ch) < 0x20 or ord(ch) == 0x7F:
            out.append(f"\\u{ord(ch):04x}")
        else:
            out.append(ch)
    return '"' + "".join(out) + '"'


def toml_key(key: str) -> str:
    bare = key and all(c.isascii() and (c.isalnum() or c in "-_") for c in key)
    return key if bare else toml_string(key)


def toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        return ("inf" if value > 0 else "-inf") if math.isinf(value) else repr(value)
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return toml_string(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items()) + "}"
    raise TypeError(value)


texts = st.text(alphabet=st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=20)
keys = st.one_of(st.sampled_from(KEYS), texts)
scalars = st.one_of(
    texts, st.booleans(), st.integers(min_value=-(2**63), max_value=2**63 - 1), st.integers(),
    st.floats(allow_nan=True), st.datetimes(), st.dates(), st.times(),
    st.sampled_from(["relu", "en", "activations", "scalar", "vector", "shape", "sigmoid"]),
)
values = st.recursive(scalars, lambda inner: st.one_of(
    st.lists(inner, max_size=4), st.dictionaries(keys, inner, max_size=4)), max_leaves=12)
front_matter = st.dictionaries(keys, values, max_size=8)

BODY = "\n::: en\n## Definition {#definition}\nText.\n:::\n"


def assert_clean_result(path: Path) -> None:
    card, errors = load_card(path, bundled=False)
    for error in errors:
        assert "\n" not in str(error) and control_in(str(error)) == []
        assert error.path == path and error.line >= 1
    if card is not None:
        assert control_in(repr(card.fields())) == [] or all(
            control_in(text) == [] for text in _texts(card.fields()))
        for sections in card.blocks().values():
            for section in sections:
                assert control_in(section.heading) == [] and control_in(section.text) == []


def _texts(value: object):
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for k, v in value.items():
            yield from _texts(k)
            yield from _texts(v)
    elif isinstance(value, list):
        for v in value:
            yield from _texts(v)


@settings(max_examples=N, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=600))
def test_arbitrary_bytes_are_a_card_or_problems(data: bytes):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.md"
        path.write_bytes(data)
        assert_clean_result(path)


@settings(max_examples=N, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=300), st.sampled_from([b"+++\n", b"\xef\xbb\xbf+++\r\n"]))
def test_bytes_after_a_fence_are_a_card_or_problems(data: bytes, head: bytes):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.md"
        path.write_bytes(head + data + b"\n+++\n" + BODY.encode())
        assert_clean_result(path)


@settings(max_examples=N, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter)
def test_arbitrary_toml_front_matter(data: dict):
    lines = [f"{toml_key(k)} = {toml_value(v)}" for k, v in data.items()]
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.md"
        path.write_text("+++\n" + "\n".join(lines) + "\n+++\n" + BODY, encoding="utf-8")
        assert_clean_result(path)


@settings(max_examples=max(1, N // 6), deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(front_matter)
def test_arbitrary_card_through_cache_and_check(data: dict):
    """A plausible card with fuzzed keys: loads (cache written and read back), checks without
    an exception, and every bundled card still loads beside it."""
    base = {"id": "fuzz", "title": {"en": "Fuzz"}, "tags": ["fuzz"], **data}
    lines = [f"{toml_key(k)} = {toml_value(v)}" for k, v in base.items()]
    with tempfile.TemporaryDirectory() as tmp:
        cards = Path(tmp) / "cards"
        cards.mkdir()
        (cards / "fuzz.md").write_text("+++\n" + "\n".join(lines) + "\n+++\n" + BODY,
                                       encoding="utf-8")
        dirs = [(bundled_dir(), True), (cards, False)]
        for _ in range(2):  # cold, then from the cache
            library = Library.load(dirs)
            assert set(BUNDLED) - {"fuzz"} <= set(library.cards)
        # check on the fuzzed card alone (the bundled cards' checks are test_content's job)
        for error in check_library(Library.load([(cards, False)], use_cache=False)):
            assert "\n" not in str(error) and control_in(str(error)) == []
        assert [p.name for p in Path(tmp).iterdir()] == ["cards"]  # no temp file left here
