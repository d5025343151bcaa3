"""The Quiz tab on the spaced-repetition session (issues 12 and 14), driven by Pilot.

What the CLI does, the app does: `?` reveals the answer and rates Again, `skip` records nothing,
a/h/g/e regrade the answer just given (the store's review and the item's due date follow, as
the fsrs package computes them), a failed item comes back later in the round with new numbers,
input of the wrong shape is a hint, `undo` (typed, or from the palette) takes back the round's
last answer, practice is said when nothing is due, and the round ends with the summary.
"""

from __future__ import annotations

import re
from datetime import UTC

import fsrs
import pytest
from quiz_helpers import ok, typed, wrong
from textual.geometry import Region
from textual.widgets import Input

from dlref.cards import Library
from dlref.i18n import t
from dlref.quiz.session import build
from dlref.quiz.store import Store
from dlref.text.width import width_of
from dlref.tui.app import DlrefApp
from dlref.tui.widgets.quiz_view import QuizView

FSRS = fsrs.Scheduler(enable_fuzzing=False)


@pytest.fixture
def store(tmp_path) -> Store:
    return Store.open(tmp_path / "progress.sqlite3")


@pytest.fixture
def app(store) -> DlrefApp:
    return DlrefApp(store=store, library=Library.load(), seed=3, remember=False)


async def open_quiz(pilot, app: DlrefApp, card: str = "sigmoid") -> QuizView:
    app.open_card(card)
    await pilot.pause()
    await pilot.press("3")
    await pilot.pause()
    return app.query_one(QuizView)


async def submit(pilot, app: DlrefApp, text: str) -> None:
    """Type `text` into the answer box and press Enter."""
    box = app.query_one("#quiz-answer", Input)
    assert app.focused is box, "the answer box should have the cursor while a question waits"
    box.value = text
    await pilot.press("enter")
    await pilot.pause()


async def skip_until(pilot, app: DlrefApp, quiz: QuizView, wanted) -> object:
    """Skip questions until one for which `wanted(question)` holds; that question."""
    for _ in range(len(quiz.session.questions)):
        if wanted(quiz.question):
            break
        await submit(pilot, app, "skip")
    return quiz.question


def shown(app: DlrefApp, part: str) -> str:
    return str(app.query_one(f"#quiz-{part}").render())


def due_after(rating: int, ts) -> object:
    """When a new item is due after one review with `rating` at `ts`, by the fsrs package."""
    card, _ = FSRS.review_card(fsrs.Card(card_id=0, due=ts), fsrs.Rating(rating), ts)
    return card.due


def stored_due(store: Store, card: str, template: str):
    state = store.state(card, template)
    assert state is not None
    return fsrs.Card.from_json(state).due


async def test_an_input_methods_full_width_words_are_the_quizs_words(app, store):
    # a Chinese input method types ？ and ＳＫＩＰ: read as ? and skip, as the CLI reads them
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app)
        first = quiz.question
        await submit(pilot, app, "ＳＫＩＰ")
        assert quiz.question is not first and store.reviews() == []
        q = quiz.question
        await submit(pilot, app, "？")
        (review,) = store.reviews()
        assert (review.card, review.template, review.rating) == (q.card, q.template, 1)


async def test_question_mark_reveals_the_answer_and_rates_again(app, store):
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app)
        q = quiz.question
        await submit(pilot, app, "?")
        (review,) = store.reviews()
        assert (review.card, review.template, review.correct, review.rating) == (
            q.card, q.template, False, 1)
        feedback = shown(app, "feedback")
        assert q.shown_answer() in feedback and "counted as Again" in feedback
        assert q.solution["en"].splitlines()[0] in feedback  # the worked solution
        assert "graded Again" in feedback
        assert app.focused is quiz  # the verdict gives the keys back
        assert "[e]asy" not in feedback and "Enter / n: next" in feedback
        await pilot.press("e")  # "I don't know" stays Again, whatever is pressed after it
        await pilot.pause()
        assert [r.rating for r in store.reviews()] == [1]
        assert "graded Again" in shown(app, "feedback")


async def test_skip_records_nothing_and_moves_on(app, store):
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app)
        first = quiz.question
        await submit(pilot, app, "skip")
        assert store.reviews(include_undone=True) == []
        assert quiz.index == 1 and quiz.question is not first and not quiz.answered
        assert "skipped — nothing recorded" in shown(app, "feedback")
        assert app.focused is app.query_one("#quiz-answer")  # the next question waits
        assert quiz.session.summary()["skipped"] == 1


async def test_grade_keys_regrade_a_wrong_answer(app, store):
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app)
        q = quiz.question
        await submit(pilot, app, wrong(q))
        (review,) = store.reviews()
        assert review.rating == 1 and "graded Again" in shown(app, "feedback")
        ts = review.ts.astimezone(UTC)
        assert stored_due(store, q.card, q.template) == due_after(1, ts)
        assert "comes back later" in shown(app, "feedback")
        total = len(quiz.session.questions)
        await pilot.press("g")
        (review,) = store.reviews()
        assert review.rating == 3 and "graded Good" in shown(app, "feedback")
        assert stored_due(store, q.card, q.template) == due_after(3, ts)
        # graded as known, it does not come back as a relearning step, and says so (the CLI's
        # words after its grade key)
        assert len(quiz.session.questions) == total - 1
        assert "does not come back" in " ".join(shown(app, "feedback").split())
        assert due_after(3, ts) != due_after(1, ts)  # the regrade is visible in the schedule
        await pilot.press("a")
        (review,) = store.reviews()
        assert review.rating == 1 and "graded Again" in shown(app, "feedback")
        assert stored_due(store, q.card, q.template) == due_after(1, ts)
        assert quiz.index == 0 and quiz.answered  # grading does not move on
        await pilot.press("e")
        assert store.reviews()[0].rating == 4
        await pilot.press("h")
        assert store.reviews()[0].rating == 2 and "graded Hard" in shown(app, "feedback")


async def test_grade_keys_are_shown_and_work_only_after_a_verdict(app, store):
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app)
        await pilot.press("escape")  # out of the box: the view has the keys, no verdict yet
        assert app.focused is quiz
        assert "grade" not in {b.binding.action.split("(")[0]
                               for b in app.screen.active_bindings.values()}
        await pilot.press("g")
        assert store.reviews() == []
        await pilot.press("enter")  # back into the box
        await submit(pilot, app, typed(quiz.question))
        assert "grade" in {b.binding.action.split("(")[0]
                           for b in app.screen.active_bindings.values()}
        await pilot.press("h")
        assert store.reviews()[0].rating == 2


async def test_a_failed_question_comes_back_with_new_numbers(app, store):
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app)
        failed = quiz.question
        total = len(quiz.session.questions)
        await submit(pilot, app, wrong(failed))
        assert len(quiz.session.questions) == total + 1
        assert "comes back later" in shown(app, "feedback")
        for _ in range(total + 1):
            await pilot.press("n")
            q = quiz.question
            assert q is not None, "the round ended before the failed item came back"
            if (q.card, q.template) == (failed.card, failed.template):
                break
            await submit(pilot, app, typed(q))
        else:
            pytest.fail("the failed item did not come back")
        assert q is not failed and q.prompt["en"] != failed.prompt["en"]  # new numbers
        assert q.prompt["en"] in shown(app, "prompt")
        assert quiz.index > 1  # after other questions, not at once
        await submit(pilot, app, typed(q))
        assert ok(q, typed(q)) and "✓" in shown(app, "feedback")
        assert [r.correct for r in store.reviews()
                if (r.card, r.template) == (failed.card, failed.template)] == [False, True]


async def test_wrong_shape_is_a_hint_not_a_mark(app, store):
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app, "relu")
        q = await skip_until(pilot, app, quiz, lambda q: q.kind == "vector")
        await submit(pilot, app, "0.5")  # a scalar for a vector
        assert store.reviews() == [] and not quiz.answered and quiz.question is q
        assert "Try again." in shown(app, "feedback")
        assert app.focused is app.query_one("#quiz-answer")
        await submit(pilot, app, " ".join(["1"] * (len(q.answer) + 1)))  # one entry too many
        assert store.reviews() == [] and not quiz.answered
        assert f"{len(q.answer)} entries" in shown(app, "feedback")
        await submit(pilot, app, typed(q))
        assert quiz.answered and store.reviews()[0].correct


async def test_undo_typed_or_from_the_palette_asks_the_question_again(app, store):
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app)
        first = quiz.question
        total = len(quiz.session.questions)
        await submit(pilot, app, wrong(first))
        assert len(store.reviews()) == 1 and len(quiz.session.questions) == total + 1
        await pilot.press("n")
        await submit(pilot, app, "undo")  # typed: the round's last answer
        assert store.reviews() == [] and quiz.question is first and not quiz.answered
        assert "took back" in shown(app, "feedback")
        assert first.prompt["en"] in shown(app, "prompt")
        assert len(quiz.session.questions) == total  # the fresh draw it queued is gone too
        await submit(pilot, app, typed(first))
        assert store.reviews()[0].correct
        app.action_undo_answer()  # the palette's "undo last answer"
        await pilot.pause()
        assert store.reviews() == [] and quiz.question is first
        assert app.focused is app.query_one("#quiz-answer")
        app.action_undo_answer()  # nothing left in this round: said, nothing else undone
        await pilot.pause()
        assert "nothing to take back" in shown(app, "feedback")


async def test_an_answer_typed_after_an_undone_question_mark_says_why_it_is_again(app, store):
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app)
        first = quiz.question
        await submit(pilot, app, "?")
        await pilot.press("n")
        await submit(pilot, app, "undo")
        assert quiz.question is first and store.reviews() == []
        await submit(pilot, app, typed(first))  # the answer the ? showed
        (review,) = store.reviews()
        assert not review.correct and review.rating == 1
        feedback = " ".join(shown(app, "feedback").split())
        assert "answer was shown with ? before" in feedback


async def test_palette_undo_leaves_earlier_sessions_alone(app, store):
    library = Library.load()
    earlier = build([library.find("relu")], 1, 5, store)
    earlier.answer(earlier.questions[0], typed(earlier.questions[0]), 1000)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_quiz(pilot, app)
        app.action_undo_answer()
        await pilot.pause()
        assert len(store.reviews()) == 1  # the CLI's answer stays: this round has none
        assert "nothing to take back" in shown(app, "feedback")


async def test_an_undo_refused_because_another_dlref_answered_says_why(app, store, tmp_path):
    from dlref.i18n import t

    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app)
        first = quiz.question
        await submit(pilot, app, wrong(first))
        mine = store.reviews()[0]
        with Store.open(store.path) as other:  # a CLI quiz in another terminal answers
            other.record("tanh", "value", 2, True, 5_000, "1", "1")
        notes = []
        app.notify = lambda message, **kw: notes.append((message, kw.get("severity")))
        await pilot.press("n")
        await submit(pilot, app, "undo")
        said = t("store.not-latest", "en", path=store.path, id=mine.id)
        assert notes == [(said, "warning")]  # why, not "could not save that answer"
        assert [r.card for r in store.reviews()] == [first.card, "tanh"]  # both answers kept


async def test_practice_is_said_when_nothing_is_due(app, store):
    library = Library.load()
    relu = library.find("relu")
    done = build([relu], 50, 11, store)
    for q in done.questions:
        done.answer(q, typed(q), 2000)
    before = {(r.card, r.template): stored_due(store, r.card, r.template)
              for r in store.reviews()}
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app, "relu")
        assert quiz.session.practice
        notice = shown(app, "notice")
        assert "Nothing of relu is due: this is practice" in notice
        q = quiz.question
        await submit(pilot, app, wrong(q))
        assert quiz.outcome.kind == "practice" and store.reviews()[-1].practice
        await pilot.press("e")  # a practice answer's grade changes, its due date does not
        assert store.reviews()[-1].rating == 4
        assert {k: stored_due(store, *k) for k in before} == before
        await pilot.press("l")
        await pilot.pause()
        assert "没有到期的题目" in shown(app, "notice")


async def test_round_ends_with_reviews_practice_and_skips(app, store):
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app)
        total = len(quiz.session.questions)
        await submit(pilot, app, typed(quiz.question))
        await pilot.press("n")
        await submit(pilot, app, "skip")
        while quiz.question is not None:
            await submit(pilot, app, "skip")
        prompt = shown(app, "prompt")
        assert "Done: 1/1 ✓" in prompt
        assert f"1 review, 0 practice, {total - 1} skipped" in prompt
        assert "another round" in prompt
        assert app.focused is quiz
        await pilot.press("n")
        assert quiz.question is not None and quiz.index == 0


async def test_all_due_when_nothing_is_due_says_when_the_next_review_is(app, store,
                                                                        monkeypatch):
    library = Library.load()
    earlier = build([library.find("relu")], 1, 5, store)
    earlier.answer(earlier.questions[0], typed(earlier.questions[0]), 1000)  # due in minutes
    assert not store.reviews()[0].practice
    monkeypatch.setenv("DLREF_NEW_PER_DAY", "0")  # no new items today either
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("d")
        await pilot.pause()
        quiz = app.query_one(QuizView)
        assert quiz.session.practice and quiz.card is None
        notice = shown(app, "notice")
        assert "Nothing is due. Next review: in " in notice and " min (" in notice
        assert "practice — due dates stay as they are" in notice
        q = quiz.question
        await submit(pilot, app, typed(q))
        assert store.reviews()[-1].practice and len(store.reviews()) == 2


async def test_a_choice_question_lists_its_options_and_takes_a_letter(app, store):
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app, "relu")
        q = await skip_until(pilot, app, quiz, lambda q: len(q.options) > 2)
        assert len(q.options) > 2, "relu has a question with more than two options"
        prompt = shown(app, "prompt")
        for i, option in enumerate(q.options, 1):
            assert f"{i}/{chr(ord('a') + i - 1)}) {option.text['en']}" in prompt
        # in the CLI's order: the prompt, how to answer, then the options
        assert prompt.index(q.hint("en")) < prompt.index("1/a) ")
        right = next(i for i, o in enumerate(q.options) if o.right)
        await submit(pilot, app, chr(ord("a") + right))  # the right option, by its letter
        (review,) = store.reviews()
        assert review.correct and quiz.answered
        feedback = shown(app, "feedback")
        for i, option in enumerate(q.options, 1):  # every option's reason, after the answer
            assert f"{i}) {'✓' if option.right else '✗'} {option.why['en']}" in feedback


async def test_a_known_mistake_is_diagnosed_in_the_verdict(app, store):
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app, "relu")
        q = await skip_until(pilot, app, quiz, lambda q: q.live_traps())
        trap = q.live_traps()[0]
        value = trap.value
        text = " ".join(str(v) for v in value) if isinstance(value, list | tuple) else str(value)
        await submit(pilot, app, text)
        assert not store.reviews()[0].correct
        feedback = shown(app, "feedback")
        assert f"Looks like: {trap.name['en']}" in feedback
        assert f"dlref show {trap.card or q.card}" in feedback
        await pilot.press("l")  # the diagnosis in Chinese too
        await pilot.pause()
        assert f"看来是：{trap.name['zh']}" in shown(app, "feedback")
        await pilot.press("l")  # and in both: each language once, in its own words
        await pilot.pause()
        feedback = " ".join(shown(app, "feedback").split())
        assert feedback.count("Looks like:") == 1 and feedback.count("看来是：") == 1
        zh = feedback.split("看来是：")[1]
        assert zh.startswith(" ".join(trap.name["zh"].split())) and trap.name["en"] not in zh
        assert "grade: [a]gain" in feedback and "评分：" in feedback


# -- the text typeset as the CLI's (`dlref.text.wrap`) ---------------------------------------

CLOSING = set("，。）：；")


def screen_lines(app: DlrefApp, part: str) -> list[str]:
    """The lines of a quiz text as the screen shows them (Textual's own wrapping included)."""
    widget = app.query_one(f"#quiz-{part}")
    return [strip.text.rstrip() for strip in widget.render_lines(Region(0, 0, *widget.size))]


def rendered_lines(app: DlrefApp, part: str) -> list[str]:
    """The lines the widget renders, before Textual would fold any that is too wide."""
    return str(app.query_one(f"#quiz-{part}").render()).split("\n")


def source_text(q) -> str:
    """Everything the quiz shows for `q` in Chinese, unwrapped: where a line may break."""
    texts = [*q.prompt.values(), *q.choices_text("zh"), *q.reasons_text("zh"),
             *(q.solution or {}).values(), q.shown_answer(), t("quiz.keys", "zh", sep=" / "),
             t("quiz.regrade-keys", "zh"), t("quiz.hint", "zh", hint=q.hint("zh"))]
    return "\n".join(texts)


async def each_question_in_zh(pilot, app: DlrefApp, quiz: QuizView):
    """Each question of the round in Chinese at 80×24, then its revealed answer."""
    for _ in range(len(quiz.session.questions)):
        q = quiz.question
        if q is None:
            return
        yield q
        await submit(pilot, app, "?")
        yield q
        await pilot.press("n")
        await pilot.pause()


async def quiz_zh_80(pilot, app: DlrefApp, card: str) -> QuizView:
    app.lang = "zh"
    quiz = await open_quiz(pilot, app, card)
    quiz.start([app.library.find(card)], n=8, seed=5)
    await pilot.pause()
    return quiz


@pytest.mark.parametrize("card", ["dropout", "relu"])
async def test_no_quiz_line_is_wider_than_its_widget(app, store, card):
    async with app.run_test(size=(80, 24)) as pilot:
        quiz = await quiz_zh_80(pilot, app, card)
        async for _q in each_question_in_zh(pilot, app, quiz):
            for part in ("prompt", "feedback"):
                width = app.query_one(f"#quiz-{part}").content_size.width
                for line in rendered_lines(app, part):
                    assert width_of(line) <= width, (part, width, line)


# a true/false statement that ends just at the edge: Textual put its `。` or `，` on a line alone
@pytest.mark.parametrize("card", ["multilayer-perceptron", "embedding"])
async def test_no_quiz_line_starts_with_closing_punctuation(app, store, card):
    async with app.run_test(size=(80, 24)) as pilot:
        quiz = await quiz_zh_80(pilot, app, card)
        async for _q in each_question_in_zh(pilot, app, quiz):
            for part in ("prompt", "feedback"):
                for line in screen_lines(app, part):
                    assert line.lstrip()[:1] not in CLOSING, (part, line)


def words_at_breaks(lines: list[str], source: str) -> None:
    """Where two ASCII words meet at a line break, the text has a space between them."""
    for above, below in zip(lines, lines[1:], strict=False):
        tail = re.search(r"[A-Za-z0-9_]+$", above)
        head = re.match(r"\s*([A-Za-z0-9_]+)", below)
        if tail and head:
            assert re.search(re.escape(tail[0]) + r"\s+" + re.escape(head[1]), source), \
                (above, below)


async def test_no_english_word_is_split_across_quiz_lines(app, store):
    async with app.run_test(size=(80, 24)) as pilot:
        quiz = await quiz_zh_80(pilot, app, "dropout")
        q = quiz.question
        # no space for Textual to break at: it folded at the edge, inside `DataLoader`
        text = "判断对错：" + "梯度下降" * 5 + "在DataLoader（drop_last=False）中不变。"
        assert width_of(text[:text.index("D")]) < 56 < width_of(text[:text.index("（")])
        q.prompt = {"en": "True or false: DataLoader(drop_last=False) keeps it.", "zh": text}
        app.lang = "en"  # the question shown again, in Chinese
        await pilot.pause()
        app.lang = "zh"
        await pilot.pause()
        lines = screen_lines(app, "prompt")
        assert any("DataLoader" in line for line in lines)
        words_at_breaks(lines, text)
        async for q in each_question_in_zh(pilot, app, quiz):  # and the real questions
            for part in ("prompt", "feedback"):
                words_at_breaks(screen_lines(app, part), source_text(q))


async def test_options_and_reasons_hang_under_their_text(app, store):
    async with app.run_test(size=(80, 24)) as pilot:
        quiz = await quiz_zh_80(pilot, app, "dropout")
        hung = 0
        async for _q in each_question_in_zh(pilot, app, quiz):
            for part in ("prompt", "feedback"):
                lines = screen_lines(app, part)
                for above, below in zip(lines, lines[1:], strict=False):
                    start = re.match(r"\s*\d+(/[a-z])?\) (✓ |✗ )?", above)
                    if start and below.strip() and not re.match(r"\s*\d", below) \
                            and below.startswith(" "):
                        hung += 1
                        assert len(below) - len(below.lstrip()) == width_of(start[0]), \
                            (part, above, below)
        assert hung, "some option or reason of dropout takes two lines at 80 columns"


async def test_a_progress_file_that_cannot_be_written_is_said_before_any_question(
        tmp_path, monkeypatch):
    """As the CLI refuses a quiz before its first question, the Quiz tab says why no answer
    can be saved instead of asking one whose answer would then be refused; F5 says it again
    in the new language. Browsing still reads the file."""
    from dlref.quiz import store as store_module
    from dlref.quiz.store import StoreError

    path = tmp_path / "progress.sqlite3"
    with Store.open(path) as writer:
        writer.record("relu", "value", 1, True, 5_000, "1", "1")
    reason = {"en": "Operation not permitted", "zh": "不允许这个操作"}
    monkeypatch.setattr(store_module, "_write_refusal", lambda p: StoreError.said(
        "store.file-read-only", path=p, reason=reason))
    store = Store.open(path, create=False)
    assert store.read_only is not None
    app = DlrefApp(store=store, library=Library.load(), seed=1, remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app, "relu")
        assert quiz.question is None and not app.query_one("#quiz-answer", Input).display
        said = " ".join(shown(app, "feedback").split())
        assert "Operation not permitted" in said and str(path) in said
        app.lang = "zh"
        await pilot.pause()
        assert "不允许这个操作" in shown(app, "feedback")
    store.close()
    with Store.open(path, create=False) as reader:
        assert len(reader.reviews()) == 1  # nothing recorded, nothing lost


async def test_a_round_that_cannot_be_planned_is_said_again_after_f5(tmp_path):
    """A progress file that stops reading under the app (another program dropped its
    scheduling table): no round; the Quiz tab says why, and says it again in the language F5
    switches to."""
    import sqlite3

    store = Store.open(tmp_path / "progress.sqlite3")
    store.record("relu", "value", 1, True, 5_000, "1", "1")
    with sqlite3.connect(store.path) as db:
        db.execute("DROP TABLE state")
    db.close()
    app = DlrefApp(store=store, library=Library.load(), seed=1, remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app, "relu")
        assert quiz.question is None
        assert "Could not plan a quiz" in shown(app, "feedback")
        await pilot.press("f5")
        await pilot.pause()
        assert app.lang != "en" and "无法安排测验" in shown(app, "feedback")
    store.close()


async def test_what_the_feedback_line_says_before_an_answer_follows_f5(app, store):
    """A skip, an undo or a wrong-shape hint is said on the feedback line while the next
    question waits; F5 says it again in the new language (it stayed in the old one: English
    "Try again." under a Chinese question)."""
    async with app.run_test(size=(120, 40)) as pilot:
        quiz = await open_quiz(pilot, app, "relu")
        await submit(pilot, app, "skip")
        await pilot.press("f5")
        await pilot.pause()
        assert app.lang == "zh" and shown(app, "feedback") == t("quiz.skipped", "zh")
        q = await skip_until(pilot, app, quiz, lambda q: q.kind == "vector")
        await submit(pilot, app, "0.5")  # a scalar for a vector: a hint, in Chinese
        assert "请再试一次" in shown(app, "feedback")
        await pilot.press("f5", "f5")  # both, then English
        await pilot.pause()
        assert app.lang == "en" and quiz.question is q
        assert "Try again." in shown(app, "feedback") and "请再试" not in shown(app, "feedback")
        await submit(pilot, app, typed(q))
        await pilot.press("n")
        await submit(pilot, app, "undo")
        assert "took back" in shown(app, "feedback")
        await pilot.press("f5")
        await pilot.pause()
        assert "已撤销" in shown(app, "feedback") and "took back" not in shown(app, "feedback")
