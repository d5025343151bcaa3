"""The app driven by Textual's Pilot: search, language, tabs, demo knobs, quiz, palette, resize."""

from __future__ import annotations

import asyncio

import pytest
from tui_helpers import settle

from dlref.cards import Library
from dlref.quiz.store import Store
from dlref.tui.app import DlrefApp
from dlref.tui.widgets.card_view import CardView
from dlref.tui.widgets.demo_view import DemoView
from dlref.tui.widgets.quiz_view import QuizView


@pytest.fixture
def app(tmp_path) -> DlrefApp:
    return DlrefApp(store=Store.open(tmp_path / "progress.sqlite3"), library=Library.load())


def shown(app: DlrefApp, selector: str) -> str:
    """The text a widget shows, without styles."""
    return app.query_one(selector).render().plain


async def test_search_then_enter_opens_the_card(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        assert app.focused.id == "search"
        await pilot.press(*"relu", "enter")
        await settle(pilot, app)
        assert app.card.id == "relu"
        assert shown(app, "#text-left").startswith("ReLU (rectified linear unit)")


async def test_search_filters_in_chinese(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("slash")
        await pilot.press(*"线性整流")
        await pilot.pause()
        cards = app.query_one("#cards")
        ids = [cards.get_option_at_index(i).id for i in range(cards.option_count)]
        assert ids[0] == "relu"


async def test_a_search_that_matches_nothing_says_so_and_offers_near_names(app: DlrefApp):
    """`rleu` finds no card: the list says so and offers the nearest, as `dlref show rleu`
    does; Enter opens the first. An empty search and Enter keep the card that was open."""
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_card("leaky-relu")
        await settle(pilot, app)
        await pilot.press("slash", "enter")
        await settle(pilot, app)
        assert app.card.id == "leaky-relu" and app.focused.id == "cards"
        await pilot.press("slash", *"rleu")
        await pilot.pause()
        cards = app.query_one("#cards")
        options = [cards.get_option_at_index(i) for i in range(cards.option_count)]
        assert str(options[0].prompt) == "No card matches\nDid you mean:"
        assert "relu" in [o.id for o in options[1:]]
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.card.id == options[1].id
        await pilot.press("slash", *"qqqqqzzzz")
        await pilot.pause()
        assert cards.option_count == 1 and "No card matches" in str(
            cards.get_option_at_index(0).prompt)


async def test_language_cycle(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_card("relu")
        await settle(pilot, app)
        await pilot.press("l")
        assert app.lang == "zh"
        await pilot.pause()
        assert shown(app, "#text-left").startswith("修正线性单元")
        assert str(app.query_one("#tabs").get_tab("demo").label) == "演示"
        await pilot.press("l")
        assert app.lang == "both"
        assert app.query_one("#card-right").display
        assert shown(app, "#text-left").startswith("ReLU")
        assert shown(app, "#text-right").startswith("修正线性单元")
        await pilot.press("l")
        assert app.lang == "en" and not app.query_one("#card-right").display


async def test_knob_change_updates_the_plotted_data(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_card("relu")
        await settle(pilot, app)
        await pilot.press("2")
        demo = app.query_one(DemoView)
        before = demo.result.to_dict()
        knob = app.query_one("#knob-xmax")
        knob.value = "2"
        await settle(pilot, app)
        after = demo.result.to_dict()
        assert max(after["plots"][0]["series"][0]["x"]) == pytest.approx(2.0)
        assert after != before


async def test_bad_knob_value_is_marked_not_a_crash(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_card("relu")
        await settle(pilot, app)
        await pilot.press("2")
        demo = app.query_one(DemoView)
        good = demo.result.to_dict()
        knob = app.query_one("#knob-xmax")
        knob.value = "banana"
        await settle(pilot, app)
        assert knob.has_class("-invalid")
        assert "not a number" in str(app.query_one("#error-xmax").render())
        assert demo.result.to_dict() == good


async def test_play_pause_advances_a_stepwise_demo(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_card("gradient-descent")
        await pilot.press("2")  # the demo loads when its tab is first shown
        await settle(pilot, app)
        demo = app.query_one(DemoView)
        first = demo.result.step
        await pilot.press("space")
        assert demo.playing
        await asyncio.sleep(0.6)
        await settle(pilot, app)
        await pilot.press("space")
        assert not demo.playing
        assert demo.result.step > first


async def test_answering_a_question_records_a_review(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_card("sigmoid")
        await settle(pilot, app)
        await pilot.press("3")
        quiz = app.query_one(QuizView)
        question = quiz.question
        answer = question.answer
        text = " ".join(map(str, answer)) if isinstance(answer, list | tuple) else str(answer)
        box = app.query_one("#quiz-answer")
        box.value = "abc"
        await pilot.press("enter")
        assert app.store.stats()["reviews"] == 0  # a hint, not a mark
        box.value = text
        await pilot.press("enter")
        await pilot.pause()
        stats = app.store.stats()
        assert stats["reviews"] == 1 and stats["correct"] == 1
        assert "✓" in str(app.query_one("#quiz-feedback").render())


async def test_command_palette_jumps_to_a_card(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"dropout")
        await asyncio.sleep(0.3)
        await pilot.pause()
        await pilot.press("enter")
        await settle(pilot, app)
        assert app.card.id == "dropout"
        cards = app.query_one("#cards")
        assert cards.get_option_at_index(cards.highlighted).id == "dropout"
        await pilot.resize_terminal(100, 30)  # the list is refilled: the mark stays
        await pilot.pause()
        assert cards.get_option_at_index(cards.highlighted).id == "dropout"


async def test_resize_to_tiny_and_back(app: DlrefApp):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        await pilot.resize_terminal(60, 20)
        await pilot.pause()
        assert app.screen.has_class("-too-small")
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        assert not app.screen.has_class("-too-small")
        assert app.query_one(CardView).display


async def test_quit_key(app: DlrefApp):
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_quiz_everything_due_spans_cards(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.action_leave_input()
        await pilot.press("d")
        quiz = app.query_one(QuizView)
        assert quiz.card is None and len(quiz.session.questions) == 10
        assert len({q.card for q in quiz.session.questions}) > 1
