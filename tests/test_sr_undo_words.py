"""What undo says names the item as a learner knows it: the card's title in their language
(read here from the card's own file), never the internal template id. `dlref undo`, the app's
palette undo and a session's `undo` say it alike."""

from __future__ import annotations

import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner

import dlref
from dlref.cards import Library
from dlref.cli import main
from dlref.quiz.store import Store
from dlref.tui.app import DlrefApp

CONTENT = Path(dlref.__file__).resolve().parent.parent / "content"
T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def title(card: str) -> dict[str, str]:
    """The card's title in each language, from its file's front matter."""
    text = (CONTENT / f"{card}.md").read_text(encoding="utf-8")
    return tomllib.loads(text.split("+++")[1])["title"]


def answered(card: str, template: str, answer: str = "3") -> None:
    with Store.open() as store:
        store.record(card, template, 1, True, 0, answer, answer, now=T0)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_dlref_undo_names_the_card_title_the_answer_and_its_time(lang):
    answered("relu", "bias-shift")
    result = CliRunner().invoke(main, ["undo", "--lang", lang])
    assert result.exit_code == 0, result.output
    assert title("relu")[lang] in result.stdout
    assert "bias-shift" not in result.stdout and "relu /" not in result.stdout
    assert "'3'" in result.stdout and "2026-03-02 09:00" in result.stdout


def test_another_template_is_named_by_its_card_title_too():
    answered("sigmoid", "value")
    result = CliRunner().invoke(main, ["undo", "--lang", "zh"])
    assert result.exit_code == 0, result.output
    assert title("sigmoid")["zh"] in result.stdout
    assert "value" not in result.stdout and "sigmoid /" not in result.stdout


def test_a_card_that_no_longer_exists_is_named_by_its_id():
    answered("no-such-card", "t1")
    result = CliRunner().invoke(main, ["undo"])
    assert result.exit_code == 0, result.output
    assert "no-such-card" in result.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_undo_in_a_session_names_the_card_by_its_title(lang):
    result = CliRunner().invoke(main, ["quiz", "relu", "-n", "2", "--seed", "5", "--lang", lang],
                                input="?\nundo\n")
    assert result.exit_code == 0, result.output
    took = {"en": "took back: ", "zh": "已撤销："}[lang]
    assert f"{took}{title('relu')[lang]}" in result.stdout, result.stdout
    assert "relu / " not in result.stdout
    with Store.open() as store:
        assert store.reviews() == [] and len(store.reviews(include_undone=True)) == 1


async def test_the_apps_palette_undo_says_the_same_words(tmp_path):
    store = Store.open(tmp_path / "progress.sqlite3")
    store.record("relu", "bias-shift", 1, False, 0, "9", "3", now=T0)
    app = DlrefApp(store=store, library=Library.load(), seed=3, remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        app.lang = "zh"
        app.action_undo_answer()  # no round open: the store's last answer, as `dlref undo`
        await pilot.pause()
        messages = [n.message for n in app._notifications]
    assert any(title("relu")["zh"] in m and "'9'" in m for m in messages), messages
    assert not any("bias-shift" in m for m in messages)
    assert store.reviews() == []


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_dlref_undo_shows_a_choice_answer_as_its_number_and_letter(lang):
    """The session records a choice answer as the option's number whichever was typed; undo
    says it as the options were listed (2/b) ...), not as a bare 2."""
    answered("convolution", "mc-same-padding", "2")
    result = CliRunner().invoke(main, ["undo", "--lang", lang])
    assert result.exit_code == 0, result.output
    assert "'2 (b)'" in result.stdout, result.stdout


def test_dlref_undo_shows_a_revealed_choice_as_recorded():
    answered("convolution", "mc-same-padding", "?")
    result = CliRunner().invoke(main, ["undo"])
    assert "'?'" in result.stdout, result.stdout


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_undo_in_a_session_shows_the_option_letter_typed(lang):
    # seed 14: the first question is convolution's four-option padding question
    result = CliRunner().invoke(
        main, ["quiz", "convolution", "-n", "2", "--seed", "14", "--practice", "--lang", lang],
        input="b\nundo\n")
    assert result.exit_code == 0, result.output
    assert "2/b)" in result.stdout
    took = {"en": "took back: ", "zh": "已撤销："}[lang]
    assert f"{took}{title('convolution')[lang]} '2 (b)'" in result.stdout, result.stdout
