"""The app's remembered state (dlref/state.py): where it lives, what survives a damaged or
foreign file, atomic writes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dlref import state
from dlref.i18n import bilingual


def test_lives_under_dlref_home(tmp_path, monkeypatch):
    monkeypatch.setenv("DLREF_HOME", str(tmp_path / "home"))
    assert state.default_path() == tmp_path / "home" / "state.json"


def test_without_dlref_home_it_is_in_the_user_state_dir(monkeypatch):
    import platformdirs

    monkeypatch.delenv("DLREF_HOME")
    assert state.default_path() == Path(platformdirs.user_state_dir("dlref")) / "state.json"


def test_round_trip(tmp_path):
    path = tmp_path / "sub" / "state.json"  # the directory is made on first save
    saved = state.AppState(card="dropout", tab="demo", lang="zh", theme="gruvbox",
                           history=["relu", "dropout"], knobs={"dropout": {"p": 0.3}})
    state.save(saved, path)
    loaded, problem = state.load(path)
    assert problem is None and loaded == saved
    assert [p.name for p in path.parent.iterdir()] == ["state.json"]  # no temporary left
    assert json.loads(path.read_text())["format"] == "dlref-app-state"


def test_a_missing_file_is_a_first_run(tmp_path):
    assert state.load(tmp_path / "none.json") == (state.AppState(), None)


@pytest.mark.parametrize("text, why", [
    ("{not json", "not JSON"),
    ("[1, 2]", "not a dlref state file"),
    ('{"theme": "nord"}', "not a dlref state file"),  # another program's
    ('{"format": "dlref-app-state", "version": 99}', "newer dlref"),
    ('{"format": "dlref-app-state", "version": "1"}', "newer dlref"),
])
def test_a_damaged_or_foreign_file_is_ignored_with_a_reason(tmp_path, text, why):
    path = tmp_path / "state.json"
    path.write_text(text)
    loaded, problem = state.load(path)
    assert loaded == state.AppState()
    said = bilingual(problem[0], **problem[1])
    assert why in said["en"] and str(path) in said["en"]
    assert str(path) in said["zh"] and why not in said["zh"]  # said in Chinese too
    assert path.read_text() == text  # left alone until the next save


def test_binary_garbage_is_ignored(tmp_path):
    path = tmp_path / "state.json"
    path.write_bytes(b"\xff\xfe\x00garbage")
    loaded, problem = state.load(path)
    assert loaded == state.AppState() and problem


def test_bad_entries_cost_only_themselves(tmp_path):
    path = tmp_path / "state.json"
    path.write_text(json.dumps({
        "format": "dlref-app-state", "version": 1, "card": "relu", "tab": "settings",
        "lang": "fr", "theme": 7, "history": ["relu", 3, None, "sigmoid"],
        "knobs": {"dropout": {"p": 0.2, "grid": [1, 2]}, "relu": "x", "pool": {}}}))
    loaded, problem = state.load(path)
    assert problem is None
    assert loaded == state.AppState(card="relu", tab=None, lang=None, theme=None,
                                    history=["relu", "sigmoid"], knobs={"dropout": {"p": 0.2}})


def test_save_replaces_atomically(tmp_path, monkeypatch):
    path = tmp_path / "state.json"
    state.save(state.AppState(card="relu"), path)

    def broken_dump(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(state.json, "dump", broken_dump)
    with pytest.raises(OSError):
        state.save(state.AppState(card="sigmoid"), path)
    assert state.load(path)[0].card == "relu"  # the old file is whole
    assert [p.name for p in tmp_path.iterdir()] == ["state.json"]


def test_an_unwritable_place_raises_oserror(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")  # a file where the directory should be: no one can write there
    with pytest.raises(OSError):
        state.save(state.AppState(), blocker / "state.json")


async def test_the_app_says_why_it_ignored_its_state_in_the_learners_language(tmp_path,
                                                                              monkeypatch):
    from dlref.cards import Library
    from dlref.quiz.store import Store
    from dlref.tui.app import DlrefApp

    monkeypatch.setenv("DLREF_LANG", "zh")
    path = tmp_path / "state.json"
    path.write_text("{not json")
    app = DlrefApp(store=Store.open(tmp_path / "progress.sqlite3"), library=Library.load(),
                   seed=1, state_path=path)
    notes = []
    app.notify = lambda message, **kw: notes.append(message)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
    (said,) = [n for n in notes if str(path) in n]
    assert said.startswith("已忽略保存的应用状态") and "不是 JSON" in said
    assert "not JSON" not in said
