"""What every `dlref` command shares: options (--lang, --color), the language of messages,
failing with a one-line message, loading the cards and finding one by name.

Commands import this module; `dlref.cli` (the group) imports the commands only by name, when
one runs, so there is no import cycle between the group and its commands.
"""

from __future__ import annotations

import os
import shutil
import sys
from typing import TYPE_CHECKING, Any, NoReturn

import click

from dlref.i18n import CHOICES, listed, parse_choice, resolve_language, t

if TYPE_CHECKING:
    from dlref.cards import Card, Library
    from dlref.config import Config

CONTEXT = {"help_option_names": ["-h", "--help"], "max_content_width": 100}
COLOR_CHOICE = click.Choice(["auto", "always", "never"])
_CONFIG: list[Config] = []


def config() -> Config:
    """The user's configuration file, read once; a broken one is a one-line message naming
    the key, and exit 1."""
    from dlref.config import ConfigError

    try:
        return config_or_error()
    except ConfigError as exc:
        fail(exc.text(ui_lang()))


# The commands that report a broken config file instead of stopping at it, as the others do:
# the ones a learner runs to find out what is wrong.
REPORT_BROKEN_CONFIG = frozenset({"paths", "doctor"})


def stop_at_broken_config() -> None:
    """Exit 1 with the config file's one-line message if it is broken, as `config()` does,
    unless this command reports it instead (`REPORT_BROKEN_CONFIG`). For the commands that
    read cards: the file's `paths` may name card directories, so going on without it would
    quietly leave the learner's cards out."""
    ctx = click.get_current_context(silent=True)
    if ctx is None or ctx.info_name not in REPORT_BROKEN_CONFIG:
        config()


def _config_lang() -> str | None:
    """The config file's `lang`; None when it sets none or cannot be read."""
    from dlref.config import ConfigError

    try:
        return config_or_error().lang
    except ConfigError:
        return None


def config_or_error() -> Config:
    """The user's configuration file, read once; ConfigError if it is broken."""
    if not _CONFIG:
        from dlref.config import load_config

        _CONFIG.append(load_config())
    return _CONFIG[0]


def use_color(choice: str = "auto", stream: Any = None) -> bool:
    """--color wins; then NO_COLOR and TERM=dumb (no colour), then FORCE_COLOR, then the
    config file's `color`, then whether the stream is a terminal."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR") or os.environ.get("TERM") == "dumb":
        return False
    if os.environ.get("FORCE_COLOR", "0") not in ("", "0"):
        return True
    if config().color != "auto":
        return config().color == "always"
    stream = stream or sys.stdout
    return bool(getattr(stream, "isatty", lambda: False)())


def terminal_width() -> int:
    return shutil.get_terminal_size((80, 24)).columns


#: The widest a line of prose gets on a wide terminal: longer lines are hard to read (a card's
#: width, `dlref.render.card.MAX_WIDTH`).
READABLE = 100


def wrapped(runs: list[tuple[str, str | None]], first: str, rest: str,
            colored: bool, readable: bool = True) -> list[str]:
    """Styled runs as terminal lines, wrapped at word (and CJK) boundaries to the terminal's
    width after the prefixes `first`/`rest`, at most `READABLE` columns unless not `readable`
    (a path that fits the terminal stays whole); piped, one line, so a script or grep sees
    each sentence whole."""
    from dlref.render.style import emit
    from dlref.text.wrap import NO_BREAK, wrap_runs

    width = terminal_width() if sys.stdout.isatty() else None
    if width and readable:
        width = min(width, READABLE)
    lines = wrap_runs(runs, width, first, rest) if width else [[(first, None), *runs]]
    return [emit(line, colored).replace(NO_BREAK, " ") for line in lines]  # a space again


def pager_command(no_pager: bool = False) -> str | None:
    """The pager to use on a terminal (see `dlref.render.pager.pager_command`)."""
    from dlref.render.pager import pager_command as choose

    return choose(config().pager, no_pager)


def page(text: str, color: bool, no_pager: bool = False) -> None:
    """Print `text`; on a terminal, through the pager when it is taller than the screen.
    Never when piped, never for output that fits."""
    from dlref.render.pager import needs_pager, run_pager

    if needs_pager(text, shutil.get_terminal_size((80, 24)).lines):
        command = pager_command(no_pager)
        if command is not None and run_pager(command, text):
            return
    click.echo(text, nl=False, color=color)


def color_option(fn: Any) -> Any:
    """`--color`, for a command that prints styled text (read with `use_color`)."""
    return click.option("--color", type=COLOR_CHOICE, default="auto", show_default=True,
                        help="Colour: auto follows the terminal, NO_COLOR, TERM=dumb and "
                             "FORCE_COLOR.")(fn)


def no_pager_option(fn: Any) -> Any:
    """`--no-pager`, for a command whose output goes through `page`."""
    return click.option("--no-pager", is_flag=True,
                        help="Never page (otherwise output taller than the terminal goes "
                             "through $DLREF_PAGER, the config's pager, $PAGER or "
                             "less -FRX).")(fn)


def ui_lang() -> str:
    """The language of this command's messages: its `--lang`, else the environment's."""
    ctx = click.get_current_context(silent=True)
    if ctx is not None and "dlref.lang" in ctx.meta:
        return ctx.meta["dlref.lang"]
    return resolve_language(None)


def say(key: str, **fields: object) -> str:
    """The interface word `key` in this command's language (both: one line each)."""
    return t(key, ui_lang(), sep="\n", **fields)


PROG = "dlref: "  # every message on stderr starts with the program's name


def warn(message: str) -> None:
    """Print `dlref: message` on stderr and go on."""
    click.echo(PROG + message, err=True)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print `dlref: message` on stderr and exit with `code`."""
    warn(message)
    sys.exit(code)


class LangType(click.ParamType):
    """`--lang`: en, zh or both, or a locale spelling of one (`zh_CN.UTF-8`); anything else
    is a usage error (exit 2) rather than a silent fall-back to English."""

    name = "lang"

    def convert(self, value: Any, param: click.Parameter | None,
                ctx: click.Context | None) -> str:
        lang = parse_choice(str(value))
        if lang is None:
            self.fail(t("error.bad-lang", resolve_language(None), sep="\n", value=value),
                      param, ctx)
        return lang

    def shell_complete(self, ctx: click.Context, param: click.Parameter,
                       incomplete: str) -> list[Any]:
        from click.shell_completion import CompletionItem

        return [CompletionItem(c) for c in CHOICES if c.startswith(incomplete)]


def _remember_lang(ctx: click.Context, param: click.Parameter, value: str | None) -> str:
    if value is None and not os.environ.get("DLREF_LANG"):
        # the config file: below --lang and DLREF_LANG, above the locale
        value = _config_lang() if ctx.info_name in REPORT_BROKEN_CONFIG else config().lang
    ctx.meta["dlref.lang"] = resolve_language(value)
    return ctx.meta["dlref.lang"]


def lang_option(fn: Any) -> Any:
    """`--lang/-l`, passed to the command already resolved against DLREF_LANG and the locale,
    and used for the command's messages too (see `ui_lang`)."""
    return click.option("--lang", "-l", type=LangType(), callback=_remember_lang, is_eager=True,
                        help="en, zh or both (default: DLREF_LANG, then LANGUAGE, LC_ALL, "
                             "LC_MESSAGES, LANG; else en).")(fn)


def app_lang_option(fn: Any) -> Any:
    """`--lang/-l` for the app (`tui`, `serve`): the app's starting language, above the one it
    remembers; passed on as DLREF_LANG, which the app (and each served tab) reads."""
    def start_in(ctx: click.Context, param: click.Parameter, value: str | None) -> None:
        if value is not None:  # eager, and the command's own words too: its --help and its
            # usage errors (a bad --port) are said in it, whatever the order typed
            os.environ["DLREF_LANG"] = value
            ctx.meta["dlref.lang"] = value
    return click.option("--lang", "-l", type=LangType(), callback=start_in, expose_value=False,
                        is_eager=True,
                        help="en, zh or both to start in (default: the language used last "
                             "time; DLREF_LANG overrides it too).")(fn)


def load_library() -> Library:
    """All cards; a broken file is mentioned once on stderr, and the rest still work."""
    from dlref.cards import Library

    stop_at_broken_config()
    library = Library.load()
    if library.errors:
        files = {e.path for e in library.errors}
        warn(say("error.broken-files", count=len(files)))
    return library


def typed(text: str) -> str:
    """What the user typed, as text: bytes that are not UTF-8 (which Python keeps in argv as
    lone surrogates, and SQLite refuses) become U+FFFD, so a lookup finds nothing instead of
    failing."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def names_cards(name: str) -> bool:
    """Whether `name` finds a card, or is an ambiguous name or prefix of several (quietly: for
    deciding what a word on the command line is; `dlref batch` lists its candidates)."""
    from dlref.cards import Library

    found = Library.load().lookup(typed(name))
    return found.card is not None or bool(found.candidates)


def tag_named(library: Library, name: str) -> str | None:
    """The tag `name` names: the tag itself, or its name in any language (激活函数 for
    activations, as `dlref show` labels it); None if no tag is called that."""
    from dlref.i18n import LANGS, tag_label

    key = name.strip().casefold()
    for tag in library.tags():
        if key in {tag.casefold(), *(tag_label(tag, code).casefold() for code in LANGS)}:
            return tag
    return None


def find_card(library: Library, name: str) -> Card:
    """The card for `name`, or exit 1 with the candidates of an ambiguous name or prefix, or
    with suggestions (exit 2 for an empty name). A prefix that matched only an alias says
    which alias, on stderr."""
    name = typed(name)
    if not name.strip():  # `dlref show ''`: nothing to look up, nor to search for
        fail(say("error.empty-name"), 2)
    found = library.lookup(name)
    if found.card is not None:
        if found.via is not None:
            warn(say("lookup.via-alias", name=name, card=found.card.id, alias=found.via))
        return found.card
    if found.candidates:
        lines = [say("error.ambiguous", name=repr(clip(name)), count=len(found.candidates))]
        lines += [f"  {i:<28} {library.cards[i].title_in(_one_lang())}"
                  for i in found.candidates[:20]]
        if len(found.candidates) > 20:
            lines.append("  …")
        fail("\n".join(lines))
    short = len(name) <= 60  # a longer name is cut, and echoed only once
    lines = [say("error.no-card", name=repr(clip(name)))]
    suggestions = library.suggest(name)
    if suggestions:
        lines.append(say("error.did-you-mean", names=listed(suggestions)))
    lines.append(say("error.search-hint", query=_quote(name) if short else "WORDS"))
    fail("\n".join(lines))


def clip(text: str, limit: int = 60) -> str:
    """What the user typed, cut for a one-line message: a pasted page must not come back as a
    page of error."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _quote(text: str) -> str:
    """A name as the user could type it back: bare if it is a simple word, else quoted, with
    every control character escaped (JSON escapes only C0 ones; DEL, C1 and bidi controls
    would reach the terminal)."""
    if text.replace("-", "").isalnum():
        return text
    import json

    from dlref.cards.sanitize import UNSAFE

    return UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(text, ensure_ascii=False))


def _one_lang() -> str:
    lang = ui_lang()
    return lang if lang != "both" else "en"


def complete_card(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion over every name a card answers to: ids, titles and aliases in every
    language (`修` offers 修正线性单元…), each with its card's title as help."""
    from click.shell_completion import CompletionItem

    from dlref.cards import Library

    library = Library.load()
    lang = _one_lang()
    folded = incomplete.casefold()
    seen: set[str] = set()
    out = []
    for card_id, card in library.cards.items():
        for name in card.names():
            if name not in seen and name.casefold().startswith(folded):
                seen.add(name)
                help_text = card.title_in(lang) if name == card_id else card_id
                out.append(CompletionItem(name, help=help_text))
    return sorted(out, key=lambda c: (c.value not in library.cards, c.value.casefold()))


def complete_demo(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion for `dlref demo`: the demo names, then every card name."""
    from click.shell_completion import CompletionItem

    from dlref.demos import NAMES

    demos = [CompletionItem(n, help="demo") for n in NAMES if n.startswith(incomplete)]
    have = {d.value for d in demos}
    return demos + [c for c in complete_card(ctx, param, incomplete) if c.value not in have]


def complete_knob(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion after `--set`: the demo's knob names (`lr=`), then after `=` a
    choice knob's choices or true/false."""
    from click.shell_completion import CompletionItem

    from dlref import demos

    # while `--set` still waits for its value click leaves the demo's name in ctx.args
    name = ctx.params.get("name") or next((a for a in ctx.args if not a.startswith("-")), None)
    if not name:
        return []
    if name not in demos.NAMES:
        from dlref.cards import Library

        card = Library.load().find(name)
        if card is None or not card.demo:
            return []
        name = card.demo
    try:
        demo = demos.get(name)
    except Exception:  # noqa: BLE001 - completion must never print a traceback
        return []
    lang = _one_lang()
    if "=" in incomplete:
        knob_name, _, value = incomplete.partition("=")
        knob = next((k for k in demo.knobs if k.name == knob_name), None)
        if knob is None:
            return []
        values = list(knob.choices) if knob.kind == "choice" else \
            ["true", "false"] if knob.kind == "bool" else [str(knob.default)]
        return [CompletionItem(f"{knob_name}={v}") for v in values if v.startswith(value)]
    from dlref.i18n import pick

    return [CompletionItem(f"{k.name}=", help=pick(k.label, lang)) for k in demo.knobs
            if k.name.startswith(incomplete)]


def complete_tag(ctx: click.Context, param: click.Parameter, incomplete: str) -> list[Any]:
    """Shell completion over the cards' tags."""
    from click.shell_completion import CompletionItem

    from dlref.cards import Library

    return [CompletionItem(tag) for tag in Library.load().tags() if tag.startswith(incomplete)]


def complete_card_or_tag(ctx: click.Context, param: click.Parameter,
                         incomplete: str) -> list[Any]:
    """Shell completion for `dlref quiz`, which takes cards and tags: the tags (`activ`
    offers activations, with "tag" as help), then every card name."""
    from click.shell_completion import CompletionItem

    word = t("col.tag", _one_lang())
    tags = [CompletionItem(c.value, help=word) for c in complete_tag(ctx, param, incomplete)]
    have = {c.value for c in tags}
    return tags + [c for c in complete_card(ctx, param, incomplete) if c.value not in have]


def print_json(data: Any) -> None:
    import json

    click.echo(json.dumps(data, ensure_ascii=False, indent=2))
