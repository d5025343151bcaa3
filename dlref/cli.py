"""The `dlref` command line: parse arguments, call the core, render for a terminal or a pipe.

Heavy imports (NumPy, Textual, plotext) happen inside the commands that need them, so that
`dlref show` starts as fast as Python and click allow.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import click

from dlref import __version__
from dlref.commands.common import CONTEXT, names_cards, say, ui_lang, warn
from dlref.commands.helptext import SpokenGroup, lang_typed

# -- the group ----------------------------------------------------------------------------------


COMMANDS = {  # name -> (module in dlref.commands, attribute)
    "show": ("show", "show"),
    "list": ("browse", "list_cards"),
    "search": ("browse", "search"),
    "glossary": ("browse", "glossary"),
    "check": ("check", "check"),
    "demo": ("demo", "demo"),
    "quiz": ("quiz", "quiz"),
    "stats": ("quiz", "stats"),
    "undo": ("quiz", "undo"),
    "optimize": ("quiz", "optimize"),
    "export": ("export", "export"),
    "tui": ("app", "tui"),
    "doctor": ("doctor", "doctor"),
    "serve": ("serve", "serve"),
    "new": ("mine", "new"),
    "edit": ("mine", "edit"),
    "paths": ("mine", "paths"),
}


@contextmanager
def _spoken() -> Iterator[None]:
    """Re-raise a click usage error said in the command's language (click's own are English:
    `dlref.commands.usage`); exit status and usage line stay click's."""
    try:
        yield
    except click.UsageError as error:
        from dlref.commands.usage import in_language

        spoken = in_language(error, ui_lang())
        if spoken is error:
            raise
        raise spoken from None


class LazyGroup(SpokenGroup):
    """A group that imports a subcommand's module only when that subcommand runs.

    Keeps `dlref show` from paying for the definitions of every other command.
    """

    def main(self, *args, **kwargs):  # noqa: ANN201 - click's own signature
        """Click's main, plus a one-line message for an output that cannot be written (a full
        disk behind `>`, say); click itself only quiets a closed pipe."""
        try:
            return super().main(*args, **kwargs)
        except OSError as exc:
            from dlref.i18n import bilingual, os_reason

            where = exc.filename or bilingual("error.the-output")
            warn(say("error.cannot-write", where=where, reason=os_reason(exc)))
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no 2nd error at exit
            sys.exit(1)

    def make_context(self, info_name: str | None, args: list[str],
                     parent: click.Context | None = None, **extra: Any) -> click.Context:
        """Click's, with its usage errors in the learner's language (see `_spoken`)."""
        with _spoken():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        """Click's, with its usage errors (a subcommand's too) in the learner's language, and
        Ctrl-C said in it too, with the shell's status for an interrupt (click: "Aborted!", 1)."""
        try:
            with _spoken():
                return super().invoke(ctx)
        except KeyboardInterrupt:
            warn(say("error.interrupted"))
            sys.exit(130)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """Options first, as the tldr client specification writes them: `dlref --lang zh relu`
        is `dlref show relu --lang zh`, and `dlref --lang zh list` is `dlref list --lang zh`.
        Leading options of `show` (but --help) move after the word that follows them;
        `dlref --lang zh --help` is dlref's own help in that language."""
        asked_in = _help_language(args)
        if asked_in is not None:
            ctx.meta["dlref.lang"] = asked_in
            args = ["--help"]
        elif args and args[0].startswith("-") and args[0] not in ("-h", "--help"):
            args = _options_after_name(args, self.get_command(ctx, "show"))
        return super().parse_args(ctx, args)

    def resolve_command(self, ctx: click.Context,
                        args: list[str]) -> tuple[str | None, click.Command | None, list[str]]:
        """Names first, as tldr and cheat do: `dlref relu` is `dlref show relu` when `relu` is
        not a command (a command's own name always wins: `dlref show list` reaches a card that
        shares one). A word close to a command's name that finds no card (nor several: an
        ambiguous prefix lists its candidates) is a usage error with "did you mean"."""
        name = args[0]
        if name in COMMANDS or name.startswith("-"):
            return super().resolve_command(ctx, args)
        import difflib

        from dlref.i18n import listed

        close = difflib.get_close_matches(name, sorted(COMMANDS), n=3, cutoff=0.6)
        if close and not names_cards(name) and not names_cards(" ".join(args)):
            ctx.fail(say("error.no-command", name=name, names=listed(close)))
        show = self.get_command(ctx, "show")
        assert show is not None
        return "show", show, args

    def shell_complete(self, ctx: click.Context, incomplete: str) -> list[Any]:
        """`dlref <TAB>`: the commands; once something is typed, every card name too (as
        `dlref NAME` shows a card)."""
        items = super().shell_complete(ctx, incomplete)
        if incomplete and not incomplete.startswith("-"):
            from dlref.commands.common import complete_card

            have = {i.value for i in items}
            items += [c for c in complete_card(ctx, self, incomplete) if c.value not in have]
        return items

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMANDS)

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name not in COMMANDS:
            return None
        import importlib

        module, attribute = COMMANDS[name]
        return getattr(importlib.import_module(f"dlref.commands.{module}"), attribute)


def _help_language(args: list[str]) -> str | None:
    """The language dlref's own help is asked in by `--lang zh --help` (either order, `-l zh`,
    `--lang=zh`), or None for any other arguments (a --lang that names no language included:
    click then says what is wrong)."""
    rest = [arg for arg in args if arg not in ("-h", "--help")]
    if len(rest) == len(args):
        return None
    if not (len(rest) == 2 and rest[0] in ("--lang", "-l")
            or len(rest) == 1 and rest[0].startswith(("--lang=", "-l")) and rest[0] != "-l"):
        return None
    return lang_typed(rest)


def _options_after_name(args: list[str], show: click.Command | None) -> list[str]:
    """`args` with the leading options of `show` moved after the first word that is not an
    option (a command, or a card's name); unchanged when they are not all `show`'s."""
    takes_value = {}
    for param in show.params if show else []:
        if isinstance(param, click.Option):
            for name in (*param.opts, *param.secondary_opts):
                takes_value[name] = not param.is_flag and not param.count
    for name in ("-h", "--help"):
        takes_value.pop(name, None)
    i, names = 0, set()
    while i < len(args) and args[i].startswith("-") and args[i] != "--":
        name, eq, _ = args[i].partition("=")
        if name not in takes_value:
            return args
        names.add(name)
        i += 2 if takes_value[name] and not eq else 1
    if i == 0 or args[i:i + 1] == ["--"]:
        return args
    if i >= len(args):  # options alone: `dlref --lang zh` is the app in Chinese (what plain
        # `dlref` opens); any other option of `show` asks for the card's name
        return ["tui" if names <= {"--lang", "-l"} else "show", *args]
    word = args[i]
    if word in COMMANDS:
        return [word, *args[:i], *args[i + 1:]]
    return ["show", *args]


@click.group(cls=LazyGroup, context_settings=CONTEXT, invoke_without_command=True)
@click.version_option(__version__, "-V", "--version", prog_name="dlref")
@click.pass_context
def main(ctx: click.Context) -> None:
    """dlref: deep-learning concepts in English and 中文 — cards, live demos and quizzes.

    `dlref NAME` shows the card NAME (as `dlref show NAME`) when NAME is not a command. With
    no command on a terminal, opens the interactive app; otherwise prints this help.
    """
    from dlref.i18n import parse_choice

    wanted = os.environ.get("DLREF_LANG", "")
    if wanted.strip() and parse_choice(wanted) is None:  # said, not silently English
        warn(say("error.bad-env-lang", value=wanted))
    if ctx.invoked_subcommand is not None:
        return
    if sys.stdin.isatty() and sys.stdout.isatty():
        ctx.invoke(main.get_command(ctx, "tui"))
    else:
        click.echo(ctx.get_help())
