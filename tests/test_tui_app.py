"""The app as a daily home (issue 14): state kept across runs, knob errors beside the knob,
history, titles never cut without `…` after resizing, readable plots, palette actions."""

from __future__ import annotations

import asyncio
import json

import pytest
from click.testing import CliRunner
from textual.widgets import DataTable, Input, Static

from dlref import state
from dlref.cards import Library
from dlref.cli import main
from dlref.i18n import pick
from dlref.quiz.store import Store
from dlref.text.numbers import fmt_num
from dlref.text.width import width_of
from dlref.tui.app import DlrefApp
from dlref.tui.widgets.demo_view import DemoView, Legend
from dlref.tui.widgets.sidebar import CardList


def make_app(tmp_path, **kwargs) -> DlrefApp:
    return DlrefApp(store=Store.open(tmp_path / "progress.sqlite3"), library=Library.load(),
                    seed=1, **kwargs)


async def settle(pilot, app: DlrefApp) -> None:
    demo = app.query_one(DemoView)
    for _ in range(200):
        await pilot.pause()
        if not any(w.is_running for w in app.workers) and (
                demo.demo is None or demo.result is not None):
            break
        await asyncio.sleep(0.02)
    await app.workers.wait_for_complete()
    await pilot.pause()


# -- state kept between runs ---------------------------------------------------------------------


async def test_card_tab_language_theme_and_knobs_survive_a_restart(tmp_path):
    first = make_app(tmp_path)
    async with first.run_test(size=(120, 40)) as pilot:
        first.open_card("dropout")
        await pilot.press("2")
        await settle(pilot, first)
        first.query_one("#knob-p", Input).value = "0.3"
        await settle(pilot, first)
        first.theme = "gruvbox"
        await pilot.press("l")
        await pilot.pause()
        await pilot.press("ctrl+q")
    saved = json.loads(state.default_path().read_text())
    assert (saved["card"], saved["tab"], saved["lang"], saved["theme"]) == \
        ("dropout", "demo", "zh", "gruvbox")

    second = make_app(tmp_path)
    async with second.run_test(size=(120, 40)) as pilot:
        await settle(pilot, second)
        assert second.card.id == "dropout" and second.lang == "zh"
        assert second.theme == "gruvbox"
        assert second.query_one("#tabs").active == "demo"
        demo = second.query_one(DemoView)
        assert demo.values["p"] == pytest.approx(0.3)
        assert second.query_one("#knob-p", Input).value == "0.3"
        assert demo.result.metrics["p"] == pytest.approx(0.3)  # computed with it, too


def test_the_config_file_sets_the_apps_language_and_theme_over_the_saved_ones(tmp_path,
                                                                           monkeypatch):
    state.save(state.AppState(lang="en", theme="gruvbox"))
    assert (make_app(tmp_path).lang, make_app(tmp_path).theme) == ("en", "gruvbox")
    config = tmp_path / "config.toml"
    config.write_text('lang = "zh"\ntheme = "dracula"\n')
    monkeypatch.setenv("DLREF_CONFIG", str(config))
    app = make_app(tmp_path)
    assert (app.lang, app.theme) == ("zh", "dracula")
    monkeypatch.setenv("DLREF_LANG", "both")  # the environment wins over the file
    assert make_app(tmp_path).lang == "both"
    config.write_text('theme = "no-such-theme"\n')  # an unknown theme: the saved one
    assert make_app(tmp_path).theme == "gruvbox"
    config.write_text("theme = 3\n")  # a broken file: the saved choices (dlref tui reports it)
    assert make_app(tmp_path).theme == "gruvbox"


async def test_a_damaged_state_file_is_a_notice_not_a_crash(tmp_path):
    path = state.default_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("{broken")
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        notes = [n.message for n in app._notifications]
        assert any("state" in n and "not JSON" in n for n in notes)
        assert app.card is not None and app.lang == "en"


async def test_a_damaged_progress_file_is_a_notice_in_the_apps_language(tmp_path, monkeypatch):
    monkeypatch.setenv("DLREF_LANG", "zh")
    (tmp_path / "progress.sqlite3").write_bytes(b"this is not a database" * 100)
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        notes = [n.message for n in app._notifications]
        assert any(n.startswith("你的进度文件已损坏") and "原文件中没有任何内容可以读回" in n
                   for n in notes), notes
        assert not any("was damaged" in n for n in notes)


async def test_the_command_line_card_wins_over_the_saved_one(tmp_path):
    state.save(state.AppState(card="dropout", tab="card"))
    app = DlrefApp(start_card="relu", store=Store.open(tmp_path / "p.sqlite3"),
                   library=Library.load())
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        assert app.card.id == "relu"


# -- knob errors ---------------------------------------------------------------------------------


async def test_a_refused_knob_value_stays_visible_with_its_message_below(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_card("dropout")
        await pilot.press("2")
        await settle(pilot, app)
        demo = app.query_one(DemoView)
        good = demo.result.to_dict()
        knob = app.query_one("#knob-p", Input)
        knob.value = "400"
        await settle(pilot, app)
        error = app.query_one("#error-p", Static)
        assert knob.value == "400" and knob.has_class("-invalid")
        assert error.display and error.region.height >= 1
        message = str(error.render())
        assert "dropout probability" in message and "[0, 1]" in message
        assert error.region.y > knob.region.y  # right under its knob
        assert demo.result.to_dict() == good  # nothing recomputed from a refused value
        app.lang = "zh"
        await pilot.pause()
        assert "超出范围" in str(error.render()) and "[0, 1]" in str(error.render())
        knob.value = "0.25"
        await settle(pilot, app)
        assert not error.display and not knob.has_class("-invalid")
        assert demo.result.metrics["p"] == pytest.approx(0.25)


async def test_a_refused_knob_is_named_by_its_label_alone_under_its_box(tmp_path):
    """In the app the message sits under the knob's box: its label names it, without the
    name `--set` takes (it once read `…；lr：[0, 10] 之间的数`)."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.lang = "zh"
        app.open_card("gradient-descent")
        await pilot.press("2")
        await settle(pilot, app)
        app.query_one("#knob-lr", Input).value = "abc"
        await settle(pilot, app)
        error = app.query_one("#error-lr", Static)
        assert str(error.render()).replace("\n", "") == \
            "学习率（0 表示取推荐值）：'abc' 不是有效的数；应为 [0, 10] 之间的数"


# -- navigation ----------------------------------------------------------------------------------


async def test_back_and_forward_through_opened_cards(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_card("relu")
        app.action_open_card("leaky-relu")  # a related-card link
        app.open_card("dropout")
        await settle(pilot, app)
        await pilot.press("left_square_bracket")
        assert app.card.id == "leaky-relu"
        await pilot.press("left_square_bracket")
        assert app.card.id == "relu"
        await pilot.press("right_square_bracket")
        assert app.card.id == "leaky-relu"
        app.open_card("sigmoid")  # a new card drops the forward part
        await pilot.press("right_square_bracket")
        assert app.card.id == "sigmoid"
        assert app.history[-3:] == ["relu", "leaky-relu", "sigmoid"]


async def test_back_and_forward_resume_from_the_card_shown_after_a_restart(tmp_path):
    """Quit after going back: the next run shows that card, and `[` goes on back from it
    (it went to the card that was ahead, and `]` had nowhere to go)."""
    first = make_app(tmp_path)
    async with first.run_test(size=(120, 40)) as pilot:
        for card in ("relu", "leaky-relu", "dropout"):
            first.open_card(card)
        await settle(pilot, first)
        await pilot.press("left_square_bracket")
        assert first.card.id == "leaky-relu"
        await pilot.press("ctrl+q")
    again = make_app(tmp_path)
    async with again.run_test(size=(120, 40)) as pilot:
        await settle(pilot, again)
        assert again.card.id == "leaky-relu"
        await pilot.press("left_square_bracket")
        assert again.card.id == "relu"
        await pilot.press("right_square_bracket", "right_square_bracket")
        assert again.card.id == "dropout"


async def test_list_keys_preview_and_scroll_the_card(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        cards = app.query_one(CardList)
        assert app.focused is cards
        await pilot.press("G")
        await asyncio.sleep(0.3)
        await settle(pilot, app)
        last = cards.get_option_at_index(cards.option_count - 1).id
        assert app.card.id == last
        await pilot.press("g", "j")
        await asyncio.sleep(0.3)
        await settle(pilot, app)
        second = [cards.get_option_at_index(i) for i in range(cards.option_count)
                  if not cards.get_option_at_index(i).disabled][1]
        assert app.card.id == second.id
        await pilot.press("k")
        await asyncio.sleep(0.3)
        await pilot.pause()
        assert app.card.id != second.id
        pane = app.query_one("#card-left")
        assert pane.scroll_y == 0
        await pilot.press("pagedown")
        await pilot.pause()
        assert pane.scroll_y > 0 and app.focused is cards


# -- nothing cut without a mark ------------------------------------------------------------------


def visible_lines(widget) -> list[str]:
    return [widget.render_line(y).text.rstrip() for y in range(widget.size.height)]


async def test_sidebar_titles_end_in_ellipsis_after_resizing(tmp_path):
    app = make_app(tmp_path)
    titles = {card.title_in("en") for card in Library.load().cards.values()}
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.open_card("elu")
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        app.open_card("universal-approximation")
        await pilot.resize_terminal(100, 30)
        await pilot.pause()
        await pilot.resize_terminal(80, 24)
        await pilot.pause()
        cards = app.query_one(CardList)
        shown = [line.strip() for line in visible_lines(cards)]
        cut = [line for line in shown if line.endswith("…")]
        assert cut, shown  # at 80 columns some titles do not fit
        for line in shown:
            if not line or line in titles or not line.startswith(tuple(titles)):
                continue  # whole titles and group names
            assert line.endswith("…"), line  # a title shown in part ends in …
        for line in cut:
            assert any(t.startswith(line[:-1]) for t in titles), line
        for line in visible_lines(cards):
            assert width_of(line) <= cards.size.width


# -- plots ---------------------------------------------------------------------------------------


async def test_transformer_block_plot_has_short_round_y_ticks(tmp_path):
    from test_numbers import assert_readable_ticks, y_tick_labels

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_card("transformer")
        await pilot.press("2")
        await settle(pilot, app)
        plot = app.query_one(DemoView).result.plots[0]
        ys = [y for series in plot.series for y in series.y]
        drawing = app.query_one("#plot").render().plain
        assert "77309411328" not in drawing
        assert_readable_ticks(y_tick_labels(drawing), min(ys), max(ys))
        app.open_card("dropout")  # the next plot gets its own ticks, not these
        await settle(pilot, app)
        plot = app.query_one(DemoView).result.plots[0]
        ys = [y for series in plot.series for y in series.y]
        assert_readable_ticks(y_tick_labels(app.query_one("#plot").render().plain),
                              min(ys), max(ys))


async def test_dropout_plot_legend_below_the_data_and_values_view(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_card("dropout")
        await pilot.press("2")
        await settle(pilot, app)
        demo = app.query_one(DemoView)
        plot = demo.result.plots[0]
        legend = app.query_one(Legend)
        assert [label for label, _ in legend.entries] == [pick(s.label, "en") for s in plot.series]
        graph = app.query_one("#plot")
        assert legend.region.y >= graph.region.bottom  # below the data, never over it
        assert graph.region.height >= 12  # a plot worth reading at 80×24
        title = str(app.query_one("#plot-title").render())
        assert pick(plot.title, "en") in title
        await pilot.press("v")
        await pilot.pause()
        grid = app.query_one("#plot-values", DataTable)
        assert grid.display and not graph.display
        assert grid.row_count == len(plot.series[0].x)
        assert len(grid.columns) == 1 + len(plot.series)
        row = grid.get_row_at(3)
        assert row[0] == fmt_num(plot.series[0].x[3])
        assert row[1:] == [fmt_num(s.y[3]) for s in plot.series]
        await pilot.press("v")
        await pilot.pause()
        assert graph.display and not grid.display


async def test_a_long_plot_title_and_its_page_hint_stay(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_card("gradient-descent")
        await pilot.press("2")
        await settle(pilot, app)
        demo = app.query_one(DemoView)
        assert len(demo.result.plots) > 1
        await pilot.press("p")
        await pilot.pause()
        title = app.query_one("#plot-title", Static)
        text = str(title.render())
        assert pick(demo.result.plots[1].title, "en") in text and "(2/" in text
        assert title.region.height >= 1


async def test_stepping_updates_tables_in_place(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_card("gradient-descent")
        await pilot.press("2")
        await settle(pilot, app)
        demo = app.query_one(DemoView)
        grids = list(app.query(".demo-table").results(DataTable))
        assert grids
        step = demo.result.step
        await pilot.press("s")
        await settle(pilot, app)
        assert demo.result.step > step
        assert list(app.query(".demo-table").results(DataTable)) == grids  # the same widgets
        table = demo.result.tables[0]
        assert grids[0].get_row_at(0) == [fmt_num(c) for c in table.rows[0]]


# -- the palette ---------------------------------------------------------------------------------


async def test_palette_offers_app_actions_in_the_language(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        titles = [c.title for c in app.get_system_commands(app.screen)]
        for wanted in ("Language: next", "Tab: Demo", "Quiz: all due",
                       "Quiz: undo the last answer", "Demo: copy as a command line"):
            assert wanted in titles
        assert any("theme" in title.lower() for title in titles)  # Textual's own
        app.lang = "zh"
        titles = [c.title for c in app.get_system_commands(app.screen)]
        assert "测验：撤销上一个答案" in titles


async def test_copy_demo_gives_a_command_line_that_runs(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_card("dropout")
        await pilot.press("2")
        await settle(pilot, app)
        app.query_one("#knob-p", Input).value = "0.3"
        await settle(pilot, app)
        app.action_copy_demo()
        assert app.clipboard == "dlref demo dropout --set p=0.3"
    result = CliRunner().invoke(main, app.clipboard.split()[1:])
    assert result.exit_code == 0, result.output


async def test_undo_from_the_palette_takes_back_the_last_answer(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_card("sigmoid")
        await pilot.press("3")
        box = app.query_one("#quiz-answer", Input)
        box.value = "1"  # an answer to a number or a choice question alike (0.5 names no option)
        await pilot.press("enter")
        assert app.store.stats()["reviews"] == 1
        app.action_undo_answer()
        assert app.store.stats()["reviews"] == 0
        app.action_undo_answer()  # nothing left: a notice, not a crash
        await pilot.pause()


def latin(ch: str) -> bool:
    """A character of a Latin word or identifier (`leaky_relu`, `d_k`, `0.5`)."""
    return ch.isascii() and (ch.isalnum() or ch in "_.")


@pytest.mark.parametrize("lang", ["en", "zh", "both"])
@pytest.mark.parametrize("card", ["gradient-descent", "leaky-relu", "transformer"])
async def test_knob_labels_wrap_at_word_boundaries_and_buttons_stay_at_80_columns(
        tmp_path, card, lang):
    app = make_app(tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        app.open_card(card)  # long labels, Latin words inside Chinese ones, three buttons
        app.lang = lang
        await pilot.press("2")
        await settle(pilot, app)
        demo = app.query_one(DemoView)
        column = app.query_one("#knobs")
        for knob in demo.demo.knobs:
            label = app.query_one(f"#label-{knob.name}")  # sizes: it may be scrolled away
            width = label.content_size.width
            assert 0 < width <= column.content_size.width
            lines = label.render().plain.split("\n")
            assert len(lines) == label.size.height  # every line of the label is shown
            assert all(width_of(line) <= width for line in lines), lines
            text = "".join(run for run, _ in demo._knob_label(knob))
            assert text.startswith(pick(knob.label, lang))
            at = 0
            for line in lines:  # each line is the next piece of the text, in order
                while text[at].isspace():
                    at += 1
                assert text.startswith(line, at), (line, text)
                at += len(line)
                # a line ends between words (or between CJK characters), never inside one
                assert at == len(text) or not (latin(text[at - 1]) and latin(text[at])), lines
        for button in app.query("#demo-buttons Button"):
            if not button.display:  # play and step, for a demo that does not animate
                assert demo.demo.frames is None and button.id in ("play", "step")
                continue
            assert button.region.width > 0
            assert column.region.x <= button.region.x
            assert button.region.right <= column.region.right
            assert str(button.label).strip() in button.render().plain  # not cut


async def test_a_state_that_cannot_be_saved_is_said_once(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("")
    app = make_app(tmp_path, state_path=blocker / "state.json")
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        for card in ("relu", "sigmoid", "dropout"):
            app.open_card(card)
            app._save()
        await pilot.pause()
        said = [n.message for n in app._notifications if "save the app state" in n.message]
        assert len(said) == 1 and app.card.id == "dropout"


async def test_a_language_switch_on_another_tab_reaches_the_demo(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_card("dropout")
        await pilot.press("2")
        await settle(pilot, app)
        await pilot.press("1", "l")
        await pilot.pause()
        assert app.lang == "zh"
        await pilot.press("2")
        await pilot.pause()
        demo = app.query_one(DemoView)
        assert str(app.query_one("#demo-title").render()) == pick(demo.demo.title, "zh")
        assert str(app.query_one("#label-p").render()).startswith(
            pick(demo.demo.knob("p").label, "zh"))
        assert pick(demo.result.plots[0].title, "zh") in str(app.query_one("#plot-title").render())


async def test_copy_the_plot_values_as_tab_separated_lines(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_card("dropout")
        await pilot.press("2")
        await settle(pilot, app)
        plot = app.query_one(DemoView).result.plots[0]
        app.action_copy_values()
        lines = app.clipboard.split("\n")
        assert lines[0].split("\t") == [pick(plot.xlabel, "en"),
                                        *[pick(s.label, "en") for s in plot.series]]
        assert len(lines) == 1 + len(plot.series[0].x)
        assert lines[2].split("\t") == [fmt_num(plot.series[0].x[1]),
                                        *[fmt_num(s.y[1]) for s in plot.series]]


async def test_copy_values_from_the_card_tab_never_copies_another_cards_plot(tmp_path):
    """After moving to another card, the demo view still holds the old card's plot until its
    tab shows the new one: copying then says to show the demo, and copies nothing."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_card("dropout")
        await pilot.press("2")
        await settle(pilot, app)
        await pilot.press("1")
        app.open_card("relu")
        await settle(pilot, app)
        before = app.clipboard
        app.action_copy_values()
        await pilot.pause()
        assert app.clipboard == before  # nothing copied
        assert any("Show this card's demo first" in str(n.message)
                   for n in app._notifications)


async def test_relabelled_buttons_keep_their_whole_label(tmp_path):
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_card("gradient-descent")
        await pilot.press("2")
        await settle(pilot, app)
        for lang in ("both", "zh", "en"):
            app.lang = lang
            await pilot.pause()
            await pilot.pause()
            for button in app.query("#demo-buttons Button"):
                label = str(button.label).strip()
                assert label in button.render().plain, (lang, label)
                assert button.region.width >= width_of(label)


async def test_palette_finds_app_actions_by_their_name_in_either_language(tmp_path):
    from dlref.tui.commands import ActionProvider

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        app.lang = "zh"
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"language")  # the English name, typed while the app speaks Chinese
        await asyncio.sleep(0.3)
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.pause()
        assert app.lang == "both"  # the command ran: zh → both
        app.lang = "en"
        provider = ActionProvider(app.screen)
        hits = [hit async for hit in provider.search("语言")]
        shown = [hit.text for hit in hits]
        assert any(text.startswith("Language: next") and "语言" in text for text in shown), shown
        assert not any(text.startswith("Tab: Quiz") for text in shown)  # 语言 is not in 测验
        themes = [hit async for hit in provider.search("theme")]  # Textual's own still found
        assert any("theme" in hit.text.lower() for hit in themes)


async def test_copy_demo_from_the_card_tab_copies_this_cards_demo(tmp_path):
    """Before the Demo tab has shown the card's demo, the command is still this card's: it
    said "no demo" on a fresh start, and the previous card's demo after moving on."""
    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.open_card("activation-function")
        await settle(pilot, app)
        app.action_copy_demo()
        assert app.clipboard == "dlref demo activations"
        app.open_card("elu")
        await settle(pilot, app)
        app.action_copy_demo()
        assert app.clipboard == "dlref demo activations --set activation=elu"
        assert app.query_one("#tabs").active == "card"  # copying does not switch tabs


# -- choice knobs --------------------------------------------------------------------------------


async def test_a_choice_knob_lists_its_options_in_the_learners_language(tmp_path):
    """The options read 二次函数 / quadratic, SGD, 动量法; the value stays the one `--set`
    takes, and a language switch relabels the list without changing or recomputing it."""
    from textual.widgets import Select

    app = make_app(tmp_path)
    async with app.run_test(size=(120, 40)) as pilot:
        app.lang = "zh"
        app.open_card("gradient-descent")
        await pilot.press("2")
        await settle(pilot, app)
        demo = app.query_one(DemoView)
        function = app.query_one("#knob-function", Select)
        optimizer = app.query_one("#knob-optimizer", Select)
        assert function.value == "quadratic"
        assert options(function) == ["二次函数", "Rosenbrock 函数"]
        assert options(optimizer) == ["SGD", "动量法", "Adagrad", "RMSProp", "Adam"]
        assert shown(function) == "二次函数"
        optimizer.value = "adam"
        await settle(pilot, app)
        assert demo.values["optimizer"] == "adam"
        before = demo.result
        app.lang = "en"
        await settle(pilot, app)
        assert options(function) == ["quadratic", "Rosenbrock"]
        assert "SGD with momentum" in options(optimizer)
        assert optimizer.value == "adam" and demo.values["optimizer"] == "adam"
        assert function.value == "quadratic" and demo.result is before  # not recomputed
        assert shown(function) == "quadratic" and shown(optimizer) == "Adam"
        app.lang = "zh"
        await settle(pilot, app)
        assert shown(function) == "二次函数" and shown(optimizer) == "Adam"
        assert demo.result is before


def options(select) -> list[str]:
    """What a learner reads in a choice knob's list."""
    return [str(option.prompt) for option in select.query_one("SelectOverlay").options]


def shown(select) -> str:
    """What a learner reads in a choice knob's box: the chosen option."""
    return str(select.query_one("SelectCurrent #label").render()).strip()


@pytest.mark.parametrize("burst", [("j", "enter", "2"), ("2", "j", "enter", "j", "enter")])
async def test_a_burst_of_keys_that_changes_the_demo_twice_does_not_crash(tmp_path, burst):
    """`j Enter 2` typed in one burst (as tmux or a fast typist sends it) loaded a second
    demo while the first one's knobs were being mounted: the first load was cancelled and
    its half-mounted choice knob crashed the app (Select's "#label" gone)."""
    from textual import events
    from tui_helpers import settle

    app = DlrefApp(store=Store.open(tmp_path / "p.sqlite3"), library=Library.load(),
                   remember=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot, app)
        for key in burst:  # all queued before the first is handled
            app.post_message(events.Key(key, "\r" if key == "enter" else key))
        await settle(pilot, app)
        assert app.is_running and app.return_code is None
        view = app.query_one(DemoView)
        assert view.demo is not None and app.card is not None
        assert view.demo.name == app.card.demo
        assert len(view.query(".knob")) == len(view.demo.knobs)
