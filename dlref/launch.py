"""The `dlref` console script: a card lookup without click, everything else through click.

`dlref relu`, `dlref show batch norm --short`, `dlref show relu --lang zh` are most of what
people type, and click (with `inspect`, `typing`, `shutil`…) is a third of such a run. So when
the arguments are a plain lookup that finds exactly one card, this module shows it with the
standard library and dlref's own renderer, and writes the same bytes `dlref show` writes.
Anything else — another command, an option it does not know, a name that finds no card or
several, `--help` — goes to the click group (`dlref.cli.main`) untouched, so messages, exit
codes and suggestions stay in one place.
"""

from __future__ import annotations

import os
import sys

TYPE_CHECKING = False
if TYPE_CHECKING:
    from dlref.cards.model import Card

#: Options of `show` the fast path understands: name → takes a value?
_OPTIONS = {"--lang": True, "-l": True, "--color": True, "--short": False, "-s": False,
            "--full": False, "--no-pager": False}
_COLORS = ("auto", "always", "never")


def entry() -> None:
    """The console script."""
    try:
        done = fast_show(sys.argv[1:])
    except Exception:  # noqa: BLE001 - anything unusual: let click do it properly
        done = False
    if not done:
        from dlref.cli import main

        main()


def _parse(argv: list[str]) -> tuple[list[str], dict[str, str | bool]] | None:
    """(name words, options) for a plain lookup, else None."""
    if argv and argv[0] == "show":
        argv = argv[1:]
    elif not argv or argv[0] in _commands() or (argv[0].startswith("-") and
                                                 argv[0].partition("=")[0] not in _OPTIONS):
        return None  # the group's own options (--help, --version) and commands: click
    words: list[str] = []
    opts: dict[str, str | bool] = {}
    i = 0
    while i < len(argv):
        arg = argv[i]
        if arg.startswith("-"):
            name, eq, value = arg.partition("=")
            if name not in _OPTIONS:
                return None
            if _OPTIONS[name]:
                if not eq:
                    i += 1
                    if i >= len(argv):
                        return None
                    value = argv[i]
                opts["--lang" if name == "-l" else name] = value
            elif eq:
                return None
            elif name in ("--short", "-s", "--full"):
                opts["short"] = name != "--full"  # the last one wins, as in click
            else:
                opts[name] = True
        else:
            words.append(arg)
        i += 1
    return (words, opts) if words else None


def _commands() -> set[str]:
    return {"show", "list", "search", "glossary", "check", "demo", "quiz", "stats", "undo",
            "export", "tui", "doctor", "new", "edit", "paths"}


def fast_show(argv: list[str]) -> bool:
    """Show the card if `argv` is a plain lookup of one card; False to hand over to click."""
    parsed = _parse(argv)
    if parsed is None:
        return False
    words, opts = parsed
    from dlref.config import ConfigError, load_config
    from dlref.i18n import BOTH, LANGS, parse_choice, resolve_language

    try:
        config = load_config()
    except ConfigError:
        return False
    wanted = os.environ.get("DLREF_LANG", "")
    if wanted.strip() and parse_choice(wanted) is None:
        return False  # click says DLREF_LANG is ignored
    lang_flag = opts.get("--lang")
    if lang_flag is not None:
        if parse_choice(str(lang_flag)) is None:
            return False  # click says it is a usage error
        lang = resolve_language(str(lang_flag))
    elif not os.environ.get("DLREF_LANG") and config.lang:
        lang = config.lang
    else:
        lang = resolve_language(None)
    color_choice = str(opts.get("--color", "auto"))
    if color_choice not in _COLORS:
        return False
    short = bool(opts.get("short", config.short))

    card = _find(" ".join(words))
    if card is None:
        return False
    wanted = list(LANGS) if lang == BOTH else [lang]
    shown = [code for code in wanted if code in card.languages]
    if len(shown) < len(wanted) and lang != BOTH:
        return False  # the notice about a missing language is click's path
    shown = shown or ["en"]
    color = _use_color(color_choice, config.color)
    columns, lines = _terminal_size()
    from dlref.render.card import render_card, render_card_short, render_side_by_side

    if short:
        text = "\n".join(render_card_short(card, code, columns, color) for code in shown)
    elif len(shown) == 2 and columns >= 100:
        text = render_side_by_side(card, shown[0], shown[1], columns, color)
    else:
        text = "\n".join(render_card(card, code, columns, color) for code in shown)
    from dlref.render.pager import needs_pager, pager_command, run_pager

    if needs_pager(text, lines):
        command = pager_command(config.pager, bool(opts.get("--no-pager")))
        if command is not None and run_pager(command, text):
            return True
    out = sys.stdout
    try:
        out.buffer.write(text.encode(out.encoding or "utf-8", "replace"))
        out.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
    return True


def _find(name: str) -> Card | None:
    """The one card `name` finds: by its file when it is an id, else by the full lookup;
    None for click to handle (no card, several, a prefix through an alias, broken files)."""
    from dlref.cards.library import Library, card_by_file, keep_for_this_run

    card = card_by_file(name)
    if card is not None:
        return card
    library = Library.load()
    keep_for_this_run(library)  # if click takes over, it does not read every card again
    if library.errors:
        return None  # click's path words the notice
    found = library.lookup(name)
    return found.card if found.via is None else None


def _use_color(choice: str, configured: str) -> bool:
    """As dlref.commands.common.use_color, without click."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if os.environ.get("FORCE_COLOR", "0") not in ("", "0"):
        return True
    if configured != "auto":
        return configured == "always"
    return sys.stdout.isatty()


def _terminal_size() -> tuple[int, int]:
    """As shutil.get_terminal_size((80, 24)), without importing shutil."""
    try:
        columns = int(os.environ.get("COLUMNS", "0"))
    except ValueError:
        columns = 0
    try:
        lines = int(os.environ.get("LINES", "0"))
    except ValueError:
        lines = 0
    if columns <= 0 or lines <= 0:
        try:
            size = os.get_terminal_size(sys.__stdout__.fileno())
        except (AttributeError, ValueError, OSError):
            size = os.terminal_size((80, 24))
        columns = columns if columns > 0 else size.columns or 80
        lines = lines if lines > 0 else size.lines or 24
    return columns, lines
