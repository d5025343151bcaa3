"""The app's keyboard model (issue 14, item 1) driven by Pilot: keys never trap the learner.

Typing on the Quiz tab goes into the answer box; after the verdict the box lets go, so `n`, `l`,
`1`/`2`/`3`, `?` are keys again; F-keys and ctrl chords work from inside any input; Escape
leaves an input and a second Escape clears the search; the help screen opens from anywhere.
"""

from __future__ import annotations

import pytest
from textual import events
from textual.widgets import Input
from tui_helpers import settle

from dlref.cards import Library
from dlref.i18n import t
from dlref.quiz.store import Store
from dlref.tui.app import DlrefApp
from dlref.tui.screens.help import HelpScreen
from dlref.tui.widgets.demo_view import DemoView
from dlref.tui.widgets.quiz_view import QuizView
from dlref.tui.widgets.sidebar import CardList


@pytest.fixture
def app(tmp_path) -> DlrefApp:
    return DlrefApp(store=Store.open(tmp_path / "progress.sqlite3"), library=Library.load(),
                    seed=3)


def answer_text(question) -> str:
    answer = question.answer
    return " ".join(map(str, answer)) if isinstance(answer, list | tuple) else str(answer)


def keys_for(text: str) -> list[str]:
    """Pilot key names for typing `text`."""
    names = {".": "full_stop", "-": "minus", " ": "space", ",": "comma", "e": "e"}
    return [names.get(ch, ch) for ch in text]


async def open_quiz(pilot, app: DlrefApp, card: str = "sigmoid") -> QuizView:
    app.open_card(card)
    await settle(pilot, app)
    await pilot.press("3")
    await pilot.pause()
    return app.query_one(QuizView)


async def test_typing_on_the_quiz_tab_goes_into_the_box(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app)
        box = app.query_one("#quiz-answer", Input)
        assert app.focused is box  # a question waits: the box has the keys
        await pilot.press("n", "l", "3", "question_mark", "q", "space", "slash")
        assert box.value == "nl3?q /"  # `/` too: answers like 1/4 have one
        assert app.lang == "en" and quiz.index == 0
        assert not isinstance(app.screen, HelpScreen) and app.is_running


async def test_after_the_verdict_letters_are_keys_again(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app)
        await pilot.press(*keys_for(answer_text(quiz.question)), "enter")
        await pilot.pause()
        assert quiz.answered and "✓" in str(app.query_one("#quiz-feedback").render())
        assert app.focused is quiz  # the box let go of the keys
        assert app.query_one("#quiz-answer", Input).disabled
        await pilot.press("n")  # n: the next question, whose box takes the keys again
        assert quiz.index == 1 and not quiz.answered
        assert app.focused is app.query_one("#quiz-answer", Input)
        await pilot.press("1")  # a digit of an answer, not a tab
        assert app.query_one("#quiz-answer", Input).value == "1"
        assert app.query_one("#tabs").active == "quiz"
        await pilot.press("escape")  # out of the box: keys again
        assert app.focused is quiz
        await pilot.press("l")
        await pilot.pause()
        assert app.lang == "zh"
        await pilot.press("1")
        assert app.query_one("#tabs").active == "card"
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_enter_moves_on_after_a_verdict_and_grade_keys_are_free(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app)
        await pilot.press(*keys_for("12345"), "enter")  # wrong: a verdict all the same
        await pilot.pause()
        assert quiz.answered and "✗" in str(app.query_one("#quiz-feedback").render())
        card, lang = app.card.id, app.lang
        # a/h/g/e are kept for grading (Again/Hard/Good/Easy): no app key takes them
        await pilot.press("a", "h", "g", "e")
        await pilot.pause()
        assert (app.card.id, app.lang, app.query_one("#tabs").active) == (card, lang, "quiz")
        assert quiz.answered and quiz.index == 0 and app.focused is quiz
        await pilot.press("enter")
        assert quiz.index == 1 and app.focused is app.query_one("#quiz-answer")


def test_no_app_key_takes_a_grade_key():
    keys = {key for binding in DlrefApp.BINDINGS for key in binding.key.split(",")}
    assert not keys & {"a", "h", "g", "e"}
    assert {"f1", "ctrl+q"} <= keys


async def test_another_round_after_the_last_question(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app)
        total = len(quiz.session.questions)
        await pilot.press("escape")
        for _ in range(total):
            await pilot.press("n")  # unanswered questions are skipped
            if app.focused is app.query_one("#quiz-answer"):
                await pilot.press("escape")
        assert quiz.question is None
        assert "another round" in str(app.query_one("#quiz-prompt").render())
        assert app.focused is quiz
        first = quiz.session
        await pilot.press("n")
        assert quiz.session is not first and quiz.index == 0 and quiz.question is not None
        assert app.focused is app.query_one("#quiz-answer")


async def test_function_keys_and_ctrl_chords_work_inside_an_input(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app)
        box = app.query_one("#quiz-answer", Input)
        await pilot.press("0", "ctrl+n")  # next, from inside the box
        assert quiz.index == 1 and app.focused is box
        await pilot.press("f5")
        await pilot.pause()
        assert app.lang == "zh" and box.value == ""
        await pilot.press("f3")
        assert app.query_one("#tabs").active == "demo"
        assert not isinstance(app.focused, Input) or app.focused.id != "quiz-answer"
        await pilot.press("f4")
        assert app.query_one("#tabs").active == "quiz" and app.focused is box
        await pilot.press("f2")
        assert app.query_one("#tabs").active == "card"
        await pilot.press("slash", "f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        await pilot.press("f1")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)
        await pilot.press("ctrl+q")
        await pilot.pause()
    assert not app.is_running


async def test_keys_typed_right_after_slash_land_in_the_search(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        for key, char in [("slash", "/"), *zip("relu", "relu", strict=True)]:
            app.post_message(events.Key(key, char))  # one burst: no pause between the keys
        await pilot.pause()
        await pilot.pause()
        assert app.query_one("#search", Input).value == "relu"
        assert app.lang == "en"  # the l went into the box, not to the language


async def test_escape_leaves_then_clears_the_search(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        cards = app.query_one(CardList)
        everything = cards.option_count
        await pilot.press("slash", *"relu")
        search = app.query_one("#search", Input)
        assert cards.option_count < 10
        await pilot.press("escape")
        assert app.focused is cards and search.value == "relu"
        await pilot.press("escape")
        await pilot.pause()
        assert search.value == "" and cards.option_count == everything


async def test_help_screen_speaks_the_language_and_closes(app: DlrefApp):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        app.lang = "zh"
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = " ".join(str(s.render()) for s in app.screen.query(".help-what, .help-heading"))
        assert "标签页" in text and "间隔重复" in text and "旋钮" in text
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


def first_row_in_view(scroll) -> int:
    """The index of the help's first row (title, heading or keys) in view."""
    return next(i for i, row in enumerate(scroll.children)
                if row.virtual_region_with_margin.bottom > scroll.scroll_y)


@pytest.mark.parametrize("keys", [("f5",), ("f5", "f5"), ("f5", "f5", "f5")])
async def test_f5_over_the_help_keeps_the_readers_place(app: DlrefApp, keys: tuple[str, ...]):
    """The reader scrolled down to the demo's keys and switched language: the same section is
    still at the top, not the help's first line."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f1")
        await settle(pilot, app)
        scroll = app.screen.query_one("#help-scroll")
        heading = next(h for h in app.screen.query(".help-heading")
                       if str(h.render()) == t("help.demo", "en"))
        scroll.scroll_to_widget(heading, top=True, animate=False)
        await settle(pilot, app)
        row = first_row_in_view(scroll)
        assert row > 0
        await pilot.press(*keys)
        await settle(pilot, app)
        scroll = app.screen.query_one("#help-scroll")
        assert str(scroll.children[row].render()) == t("help.demo", app.lang)
        top = scroll.children[row].virtual_region_with_margin.y
        assert scroll.scroll_y == min(top, scroll.max_scroll_y) > 0


async def test_held_l_coalesces(app: DlrefApp, monkeypatch):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        calls = []
        speak = DlrefApp._speak
        monkeypatch.setattr(DlrefApp, "_speak", lambda self: (calls.append(1), speak(self)))
        for _ in range(31):  # a held key: 31 presses queued before any is handled
            app.post_message(events.Key("l", "l"))
        await pilot.pause()
        await pilot.pause()
        assert app.lang == "zh"  # 31 steps round en → zh → both
        assert 1 <= len(calls) <= 3  # the words were redrawn once, not 31 times


async def test_the_footer_shows_help_and_quit_at_80_columns(app: DlrefApp):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        for focus in ("#cards", "#search"):
            app.screen.set_focus(app.query_one(focus))
            await pilot.pause()
            await pilot.pause()
            keys = {str(k.description): k for k in app.screen.query("FooterKey")}
            for word in ("Help", "Quit"):
                key = keys[word]
                assert key.region.right <= 80 and key.region.width > 0, (focus, word)
        # with the cursor in an input, the footer offers the keys that work there
        assert "Leave the input" in keys and "Search" not in keys


async def test_l_after_a_verdict_translates_the_question_too(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app)
        question = quiz.question
        await pilot.press(*keys_for(answer_text(question)), "enter", "l")
        await pilot.pause()
        assert app.lang == "zh" and quiz.answered
        assert question.prompt["zh"] in str(app.query_one("#quiz-prompt").render())
        assert "✓ 正确" in str(app.query_one("#quiz-feedback").render())


def footer_actions(app: DlrefApp) -> set[str]:
    """The actions the footer offers now."""
    return {key.action for key in app.screen.query("FooterKey")}


async def footer_settled(pilot) -> None:
    """The footer recomposes after a refresh: give it the frames to do so."""
    for _ in range(3):
        await pilot.pause()


async def test_play_is_offered_only_for_a_demo_that_animates(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.open_card("transformer")  # transformer-block: one result, nothing to play
        await footer_settled(pilot)
        assert app.card.demo == "transformer-block"
        assert "play" not in footer_actions(app) and "focus_search" in footer_actions(app)
        assert app.check_action("step", ()) is False
        app.open_card("gradient-descent")  # descends step by step
        await footer_settled(pilot)
        assert "play" in footer_actions(app)
        assert app.check_action("step", ()) is True
        app.open_card("transformer")  # and back: the key goes again
        await footer_settled(pilot)
        assert "play" not in footer_actions(app)


async def test_space_on_a_demo_that_cannot_play_changes_nothing(app: DlrefApp):
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_card("transformer")
        await pilot.press("2")
        await settle(pilot, app)
        demo = app.query_one(DemoView)
        before = demo.result.to_dict()
        await pilot.press("space", "s")
        await settle(pilot, app)
        assert app.is_running and not demo.playing
        assert app.query_one("#tabs").active == "demo" and app.card.id == "transformer"
        assert demo.result.to_dict() == before
        await pilot.press("1", "space")  # from the Card tab: no jump to a demo that is still
        await settle(pilot, app)
        assert app.query_one("#tabs").active == "card"


@pytest.mark.parametrize("key", ["f2", "1"])
async def test_a_tab_key_leaves_a_demo_whose_button_has_the_focus(app: DlrefApp, key):
    """From a step-wise demo's buttons, F2 or 1 shows the card; focus left on the hidden
    button once handed itself to the next button and pulled the Demo tab back."""
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_card("backpropagation")
        await settle(pilot, app)
        await pilot.press("2")
        await settle(pilot, app)
        app.query_one("#reset").focus()
        await pilot.pause()
        await pilot.press(key)
        await settle(pilot, app)
        assert app.query_one("#tabs").active == "card"
        assert isinstance(app.focused, CardList)


async def test_after_a_verdict_the_card_tab_takes_the_list_keys(app: DlrefApp):
    """From the quiz's verdict, `1` shows the card and the list has the keys (focus was left
    on the hidden quiz: nothing had it, and Down did nothing)."""
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app)
        app.query_one("#quiz-answer", Input).value = "?"
        await pilot.press("enter")
        await settle(pilot, app)
        assert quiz.answered
        await pilot.press("1")
        await settle(pilot, app)
        assert isinstance(app.focused, CardList)
        before = app.card.id
        await pilot.press("down")
        await settle(pilot, app)
        assert app.card.id != before


async def test_while_too_small_keys_reach_nothing_hidden_and_focus_comes_back(app: DlrefApp):
    """Shrunk below 80×24, the app hides behind a notice: typing must not answer the hidden
    quiz nor switch its tabs; back to size, the answer box has the keys again."""
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app)
        box = app.query_one("#quiz-answer", Input)
        await pilot.resize_terminal(60, 20)
        await settle(pilot, app)
        assert app.screen.has_class("-too-small")
        await pilot.press("0", "full_stop", "5", "enter", "2", "l")
        await settle(pilot, app)
        assert box.value == "" and not quiz.answered
        assert app.query_one("#tabs").active == "quiz" and app.lang == "en"
        await pilot.resize_terminal(120, 40)
        await settle(pilot, app)
        assert app.focused is box
        await pilot.press("7")
        assert box.value == "7"


@pytest.mark.parametrize(("card", "lang", "label"), [("lstm", "en", "step="),
                                                     ("lstm", "zh", "步数="),
                                                     ("backpropagation", "zh", "步数=")])
async def test_a_stepwise_demo_counts_its_steps_once_in_the_language(app: DlrefApp, card, lang,
                                                                     label):
    """The app's step counter is left out where the demo reports its own step ("step=1
    step=1" before), and it is called 步数, not 单步, the button's word."""
    async with app.run_test(size=(120, 40)) as pilot:
        app.lang = lang
        app.open_card(card)
        await settle(pilot, app)
        await pilot.press("2")
        await settle(pilot, app)
        await pilot.press("s")
        await settle(pilot, app)
        metrics = str(app.query_one("#metrics").render())
        assert metrics.count(label) == 1, metrics
        assert "单步=" not in metrics


POP_UPS = {"help": "f1", "related": "r", "palette": "ctrl+p"}


@pytest.mark.parametrize("pop_up", POP_UPS)
async def test_a_tab_key_over_a_pop_up_closes_it_then_shows_the_tab(app: DlrefApp, pop_up):
    """F3/F4 over the help, the related list or the palette switched the tab behind it,
    unseen; after Esc the answer box could have the cursor. They close the pop-up first, as
    `/` does, so what they do is seen."""
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        main = app.screen
        tabs = app.query_one("#tabs")
        for key, tab in (("f3", "demo"), ("f4", "quiz"), ("ctrl+n", "quiz"), ("f2", "card")):
            if isinstance(app.focused, Input):  # `r` is a key only outside an input
                await pilot.press("escape")
            await pilot.press(POP_UPS[pop_up])
            await settle(pilot, app)
            assert app.screen is not main, key
            await pilot.press(key)
            await settle(pilot, app)
            assert app.screen is main and tabs.active == tab, key
            if tab == "quiz":  # the answer box has the cursor, in view
                assert app.focused is app.query_one("#quiz-answer")


async def test_f5_over_the_help_changes_its_language_and_keeps_it_open(app: DlrefApp):
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot, app)
        await pilot.press("f1", "f5")
        await settle(pilot, app)
        assert app.lang == "zh" and isinstance(app.screen, HelpScreen)
        title = app.screen.query_one(".help-title")
        assert str(title.render()) == t("help.title", "zh")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, HelpScreen)


async def test_a_pop_up_closed_while_too_small_leaves_the_notice_and_no_keys(app: DlrefApp):
    """Shrunk with a pop-up open (the help, the palette), then the pop-up closed (F1, Esc):
    the "too small" notice shows and typing reaches nothing hidden, as without a pop-up. The
    app drew its panes at 70×20 instead, the answer box behind had the cursor, and back at
    size the main screen kept the layout of the size the pop-up had opened at."""
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app)
        box = app.query_one("#quiz-answer", Input)
        await pilot.press("f1")
        await settle(pilot, app)
        await pilot.resize_terminal(60, 20)
        await settle(pilot, app)
        await pilot.press("f1")  # the help closes: the main screen shows again, still small
        await settle(pilot, app)
        assert not isinstance(app.screen, HelpScreen)
        assert app.screen.has_class("-too-small") and app.query_one("#too-small").display
        assert app.focused is None
        shown = app.card.id
        await pilot.press("0", "full_stop", "5", "enter", "j")
        await settle(pilot, app)
        assert box.value == "" and not quiz.answered and app.card.id == shown
        await pilot.resize_terminal(120, 40)
        await settle(pilot, app)
        assert not app.screen.has_class("-too-small") and app.focused is box


async def test_the_layout_follows_a_resize_made_while_a_pop_up_is_open(app: DlrefApp):
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot, app)
        assert app.screen.has_class("-narrow", "-short")
        await pilot.press("f1")
        await settle(pilot, app)
        await pilot.resize_terminal(160, 50)
        await settle(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, HelpScreen)
        assert not app.screen.has_class("-narrow") and not app.screen.has_class("-short")
        assert app.query_one("#sidebar").outer_size.width == 30


async def test_started_too_small_no_key_reaches_the_hidden_list(app: DlrefApp):
    """Started in a terminal below 80×24, the card list behind the notice had the keys: `j`
    changed the card unseen. Back to size, the list has them."""
    async with app.run_test(size=(70, 20)) as pilot:
        await settle(pilot, app)
        shown = app.card.id
        assert app.screen.has_class("-too-small") and app.focused is None
        await pilot.press("j", "j")
        await settle(pilot, app)
        assert app.card.id == shown
        await pilot.resize_terminal(100, 30)
        await settle(pilot, app)
        assert isinstance(app.focused, CardList)
