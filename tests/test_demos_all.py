"""Every registered demo: bilingual knobs with valid defaults, a default run that JSON-dumps,
and the knob contract with the cards (docs/demo-knobs.md).

The helpers `knob_cases` and `assert_finite` are shared by the per-demo test files.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from dlref import demos
from dlref.demos.base import Demo, Knob, Result

DOC = Path(__file__).resolve().parent.parent / "docs" / "demo-knobs.md"


def knob_cases(demo: Demo) -> list[tuple[str, Any]]:
    """(knob, value) pairs: each numeric knob at both bounds, each choice, both booleans."""
    cases: list[tuple[str, Any]] = []
    for k in demo.knobs:
        if k.kind == "choice":
            cases += [(k.name, c) for c in k.choices]
        elif k.kind == "bool":
            cases += [(k.name, True), (k.name, False)]
        else:
            for bound in (k.low, k.high):
                cases.append((k.name, int(bound) if k.kind == "int" else float(bound)))
    return cases


def _finite_number(v: Any) -> bool:
    return not isinstance(v, float) or math.isfinite(v)


def assert_finite(result: Result, metrics: bool = True) -> None:
    """Plots, tables (and metrics unless told otherwise) hold only finite numbers; JSON dumps."""
    for plot in result.plots:
        for s in plot.series:
            assert len(s.x) == len(s.y), s.label
            assert all(isinstance(v, float) and math.isfinite(v) for v in s.x + s.y), s.label
    for table in result.tables:
        for row in table.rows:
            assert len(row) == len(table.columns)
            assert all(_finite_number(c) for c in row), row
    if metrics:
        assert all(math.isfinite(v) for v in result.metrics.values()), result.metrics
    for lang in ("en", "zh"):
        assert 1 <= len(result.notes[lang]) <= 4, result.notes
    json.dumps(result.to_dict())


@pytest.fixture(params=demos.NAMES)
def demo(request) -> Demo:
    return demos.get(request.param)


def test_registry_names_match_modules(demo):
    assert demo.name in demos.NAMES


def test_stepwise_registry_matches_the_demos_frames(demo):
    """The app offers play/step from `STEPWISE` without importing the demo: it must agree."""
    assert (demo.name in demos.STEPWISE) == (demo.frames is not None)


def test_knobs_are_bilingual_with_valid_defaults(demo):
    assert demo.title.get("en") and demo.title.get("zh")
    assert demo.knobs
    assert len({k.name for k in demo.knobs}) == len(demo.knobs)
    for k in demo.knobs:
        assert isinstance(k, Knob)
        assert k.label.get("en") and k.label.get("zh"), k.name
        assert k.kind in ("float", "int", "choice", "bool"), k.name
        assert k.check(k.default) == k.default, k.name
        if k.kind in ("float", "int"):
            assert k.low is not None and k.high is not None and k.low <= k.high, k.name
        if k.kind == "choice":
            assert k.default in k.choices and len(set(k.choices)) == len(k.choices)
            assert all(c == c.lower() for c in k.choices), k.name  # parse lower-cases input


def test_default_run_dumps_to_json(demo):
    result = demo.run(demo.defaults(), np.random.default_rng(0))
    assert isinstance(result, Result)
    text = json.dumps(result.to_dict())
    assert json.loads(text)["metrics"] is not None
    assert result.notes.get("en") and result.notes.get("zh")


def _labels(data: dict) -> list:
    """Every label in a `--json` dump: plot titles, axes, legends, table titles and columns."""
    out = []
    for plot in data["plots"]:
        out += [plot["title"], plot["xlabel"], plot["ylabel"]]
        out += [s["label"] for s in plot["series"]]
    for table in data["tables"]:
        out += [table["title"], *table["columns"]]
    return out


def test_cli_json_carries_each_label_as_text_or_both_languages(demo):
    from click.testing import CliRunner

    from dlref.cli import main

    out = CliRunner().invoke(main, ["demo", demo.name, "--json"])
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    assert data["demo"] == demo.name and data["notes"]["en"] and data["notes"]["zh"]
    labels = _labels(data)
    assert labels
    for label in labels:
        assert isinstance(label, str) or (set(label) == {"en", "zh"} and all(label.values())), \
            label


def test_first_frame_dumps_to_json(demo):
    if demo.frames is None:
        assert demo.run is not None
        return
    first = next(iter(demo.frames(demo.defaults(), np.random.default_rng(0))))
    assert isinstance(first, Result) and first.step is not None
    json.dumps(first.to_dict())


def _contract() -> list[tuple[str, str, list[str]]]:
    """(demo, knob, values) for each knob listed in docs/demo-knobs.md."""
    rows = []
    for line in DOC.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) != 2 or cells[0] in ("demo", "") or set(cells[0]) <= {"-"}:
            continue
        for name, values in re.findall(r"`([a-z_]+)`:\s*([^;]+)", cells[1]):
            rows.append((cells[0], name, [v.strip() for v in values.split(",")]))
    return rows


CONTRACT = _contract()


def test_contract_is_parsed():
    assert len({d for d, _, _ in CONTRACT}) == len(demos.NAMES)
    assert {d for d, _, _ in CONTRACT} == set(demos.NAMES)


@pytest.mark.parametrize(("name", "knob", "values"), CONTRACT,
                         ids=[f"{d}-{k}" for d, k, _ in CONTRACT])
def test_cards_can_preset_documented_values(name, knob, values):
    k = demos.get(name).knob(knob)
    if len(values) == 1 and "–" in values[0]:  # a range "low–high"
        low, high = (float(v) for v in values[0].split("–"))
        assert k.kind in ("int", "float")
        for v in (low, high):
            typed = int(v) if k.kind == "int" else v
            assert k.check(typed) == typed
    elif k.kind == "bool":
        assert [k.parse(v) for v in values] == [v == "true" for v in values]
    else:
        assert k.kind == "choice"
        for v in values:
            assert k.check(v) == v


def test_english_counts_agree_with_their_number(demo):
    """"(s)" is not English: a demo says "1 step" and "3 steps", as the catalogue's {count:s}
    does; checked at every knob's bounds, where counts of 1 turn up."""
    from dlref.i18n import pick

    for name, value in [(None, None), *knob_cases(demo)]:
        values = demo.defaults() if name is None else {**demo.defaults(), name: value}
        result = demo.run(values, np.random.default_rng(0))
        titles = [pick(p.title, "en") for p in result.plots] + [
            pick(t.title, "en") for t in result.tables]
        text = " ".join([*result.notes.get("en", []), *titles])
        assert "(s)" not in text, (name, value, text)
        assert not re.search(r"\b1 (updates|steps|epochs|kinks|rings|zeros|pixels|values)\b",
                             text), (name, value, text)
