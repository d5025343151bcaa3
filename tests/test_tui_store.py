"""The app keeps no progress file until there is progress to keep: browsing cards, turning
knobs and reading the Quiz tab create nothing in the data directory; the first answer does.
A file made meanwhile by another dlref (a quiz in the CLI) is read."""

from __future__ import annotations

from pathlib import Path

from quiz_helpers import typed
from textual.widgets import Input
from tui_helpers import settle

from dlref.cards import Library
from dlref.quiz.store import Store, default_path
from dlref.tui.app import DlrefApp
from dlref.tui.widgets.quiz_view import QuizView


def leftovers(path: Path) -> list[Path]:
    """The store's file and its companions (-wal, -shm), and its directory if made."""
    return sorted(p for p in (path.parent, *path.parent.glob(path.name + "*")) if p.exists())


async def browse(pilot, app: DlrefApp) -> None:
    """What a learner does before answering: cards, the demo, the quiz's first question."""
    await settle(pilot, app)
    await pilot.press("j", "j", "enter", "2")
    await settle(pilot, app)
    app.open_card("sigmoid")
    await pilot.press("3")
    await settle(pilot, app)


async def test_browsing_creates_no_progress_file_and_an_answer_does():
    path = default_path()
    app = DlrefApp(library=Library.load(), seed=3, remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await browse(pilot, app)
        quiz = app.query_one(QuizView)
        assert quiz.question is not None  # the question is asked from the empty store
        assert leftovers(path) == []
        app.action_undo_answer()  # nothing to take back: said, and still nothing created
        await settle(pilot, app)
        assert leftovers(path) == []
        app.query_one("#quiz-answer", Input).value = typed(quiz.question)
        await pilot.press("enter")
        await settle(pilot, app)
        assert quiz.answered
    with Store.open(path, create=False) as store:
        assert not store.empty_stand_in
        assert [r.card for r in store.reviews()] == ["sigmoid"]


async def test_a_store_given_empty_becomes_the_file_when_an_answer_is_recorded(tmp_path):
    """`dlref tui` opens the store before the screen switches without creating it."""
    path = tmp_path / "data" / "progress.sqlite3"
    app = DlrefApp(store=Store.open(path, create=False), library=Library.load(), seed=3,
                   remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await browse(pilot, app)
        assert leftovers(path) == []
        quiz = app.query_one(QuizView)
        app.query_one("#quiz-answer", Input).value = typed(quiz.question)
        await pilot.press("enter")
        await settle(pilot, app)
        assert quiz.answered
        await pilot.press("g")  # a grade after the verdict goes to the file too
        await settle(pilot, app)
    with Store.open(path, create=False) as store:
        assert [(r.card, r.rating) for r in store.reviews()] == [("sigmoid", 3)]


async def test_a_file_another_dlref_made_meanwhile_is_read(tmp_path):
    path = tmp_path / "progress.sqlite3"
    app = DlrefApp(store=Store.open(path, create=False), library=Library.load(), seed=3,
                   remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        with Store.open(path) as other:  # a CLI quiz, answered while the app was open
            other.record("relu", "relu.forward", 1, True, 1000, "1", "1")
        review = app.store.undo()  # the app's palette: Undo last answer
        assert review is not None and review.card == "relu"


async def test_the_store_is_wrapped_once(tmp_path):
    """The palette's Undo asks for the store again: it stays the one `Progress`."""
    app = DlrefApp(store=Store.open(tmp_path / "p.sqlite3", create=False),
                   library=Library.load(), seed=3, remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        first = app.store
        app.action_undo_answer()
        await settle(pilot, app)
        assert app.store is first and isinstance(first.store, Store)


async def test_a_store_that_cannot_be_created_keeps_the_answer_in_the_box(tmp_path,
                                                                          monkeypatch):
    """Creating the file now happens at the first answer: when it fails (a read-only data
    directory), the learner is told and the answer stays typed, to send again."""
    from dlref.quiz.store import StoreError

    path = tmp_path / "progress.sqlite3"
    app = DlrefApp(store=Store.open(path, create=False), library=Library.load(), seed=3,
                   remember=False)
    opened = Store.open

    def refuse(where=None, create=True):
        if create:
            raise StoreError.said("store.cannot-create", path=tmp_path, reason="read-only")
        return opened(where, create)

    async with app.run_test(size=(120, 40)) as pilot:
        await browse(pilot, app)
        monkeypatch.setattr(Store, "open", staticmethod(refuse))
        quiz = app.query_one(QuizView)
        answer = typed(quiz.question)
        app.query_one("#quiz-answer", Input).value = answer
        await pilot.press("enter")
        await settle(pilot, app)
        assert not quiz.answered and app.is_running
        assert app.query_one("#quiz-answer", Input).value == answer
        assert any("read-only" in n.message for n in app._notifications)
        monkeypatch.setattr(Store, "open", opened)  # the directory is writable again
        await pilot.press("enter")
        await settle(pilot, app)
        assert quiz.answered
    assert leftovers(path)
