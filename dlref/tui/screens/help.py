"""The help screen (`?` or F1): the tabs, the knobs, the quiz's answer forms and keys, and the
app's keys grouped by task, in the learner's language. Every word comes from the catalogue
(`help.*` entries in `dlref/i18n/words.py`)."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from dlref.i18n import t
from dlref.tui.widgets.footer import KeyFooter, PopUpKeys
from dlref.tui.widgets.wrapped import WrappedText, paragraphs

# (heading, [(keys, what they do)]); keys are the same in every language.
SECTIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    ("help.tabs", (
        ("1  2  3", "help.tab.card"),
        ("", "help.tab.demo"),
        ("", "help.tab.quiz"),
    )),
    ("help.anywhere", (
        ("F1", "help.key.help"),
        ("ctrl+q", "help.key.quit"),
        ("F2 F3 F4", "help.key.tabs"),
        ("F5", "help.key.lang"),
        ("ctrl+n", "help.key.next"),
        ("Esc", "help.key.escape"),
        ("ctrl+p", "help.key.palette"),
    )),
    ("help.keys", (
        ("?  q", "help.key.help-quit"),
        ("/", "help.key.search"),
        ("l", "help.key.lang"),
        ("r", "help.key.related"),
        ("[  ]", "help.key.history"),
    )),
    ("help.list", (
        ("↑ ↓  j k", "help.key.move"),
        ("g  G", "help.key.ends"),
        ("Enter", "help.key.open"),
        ("PgUp PgDn", "help.key.scroll"),
    )),
    ("help.demo", (
        ("", "help.demo.knobs"),
        ("space  s", "help.key.play"),
        ("p", "help.key.plot"),
        ("v", "help.key.values"),
    )),
    ("help.quiz", (
        ("", "help.quiz.forms"),
        ("Enter", "help.key.answer"),
        ("n", "help.key.quiz-next"),
        ("a h g e", "help.key.grades"),
        ("d", "help.key.due"),
    )),
)


def help_rows(lang: str) -> list[tuple[str, str, str]]:
    """The help as (kind, keys, text) rows: kind is title, heading, row or close."""
    rows = [("title", "", t("help.title", lang))]
    for heading, entries in SECTIONS:
        rows.append(("heading", "", t(heading, lang)))
        rows += [("row", keys, t(what, lang)) for keys, what in entries]
    rows.append(("close", "", t("help.close", lang)))
    return rows


class HelpScreen(PopUpKeys, ModalScreen[None]):
    """A modal over the app; Escape, F1, `?` or `q` close it. Its footer shows only its own
    keys (close, quit): the main screen's do nothing here."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,question_mark,q,f1", "dismiss", "Close", id="close"),
        # ctrl+q is the app's (a priority binding); bound here too so the footer shows it
        Binding("ctrl+q", "app.quit", "Quit", id="quit"),
    ]
    DEFAULT_CSS = """
    HelpScreen {
        align: center middle;
    }
    HelpScreen > #help-box {
        width: 90%;
        max-width: 100;
        height: 90%;
        border: round $accent;
        background: $surface;
    }
    HelpScreen #help-scroll {
        padding: 0 1;
        scrollbar-gutter: stable;  /* one layout: the rows' height does not wait on the bar */
    }
    HelpScreen .help-title {
        text-style: bold;
        color: $accent;
    }
    HelpScreen .help-heading {
        text-style: bold;
        color: $warning;
        margin-top: 1;
    }
    HelpScreen .help-close {
        color: $text-muted;
        margin-top: 1;
    }
    HelpScreen .help-row {
        height: auto;
    }
    HelpScreen .help-keys {
        width: 13;
        padding-left: 2;
        text-style: bold;
    }
    HelpScreen .help-what {
        width: 1fr;
    }
    """

    def compose(self) -> ComposeResult:
        with Vertical(id="help-box"):
            with VerticalScroll(id="help-scroll"):
                for kind, keys, text in help_rows(self.app.lang):
                    if kind == "row":  # keys in their column, the text wraps beside them
                        with Horizontal(classes="help-row"):
                            yield Static(Content(keys), classes="help-keys")
                            # broken as the CLI breaks lines: Textual's wrapping began a
                            # Chinese line with "；"
                            yield WrappedText(paragraphs(text), classes="help-what")
                    else:
                        yield Static(Content(text), classes=f"help-{kind}")
        yield KeyFooter(compact=True)

    _place: int | None = None  # the row to bring back to the top after a language switch
    _placed_at: float = -1.0  # where that left the scroll

    def on_mount(self) -> None:
        self.set_focus(self.query_one("#help-scroll"))
        self.watch(self.app, "lang", self._speak, init=False)

    async def _speak(self) -> None:
        """F5 over the help: the help in the new language, as the related list does (the
        language is not behind the pop-up: it is the app's, the pop-up's included). The
        reader keeps their place: the row at the top stays at the top (each language has
        the same rows), once the new rows are laid out."""
        scroll = self.query_one("#help-scroll", VerticalScroll)
        if self._place is None or scroll.scroll_y != self._placed_at:
            self._place = self._top_row()  # else the reader has not moved since the last switch
        await self.recompose()
        self.set_focus(self.query_one("#help-scroll"))
        self.refresh_bindings()  # the new footer shows the keys
        self.call_after_refresh(self._scroll_back)

    def _top_row(self) -> int:
        """The index of the first row (title, heading or keys) still in view."""
        scroll = self.query_one("#help-scroll", VerticalScroll)
        for index, child in enumerate(scroll.children):
            if child.virtual_region_with_margin.bottom > scroll.scroll_y:
                return index
        return 0

    def _scroll_back(self) -> None:
        """The row that was at the top before the switch, at the top again."""
        scroll = self.query_one("#help-scroll", VerticalScroll)
        if self._place is not None and self._place < len(scroll.children):
            top = scroll.children[self._place].virtual_region_with_margin.y
            scroll.scroll_to(y=top, animate=False, immediate=True)
            # near the end the row cannot reach the top: the next switch starts from the row,
            # not from where the end let it stop
            self._placed_at = scroll.scroll_y
