"""Click's usage errors (exit 2) in the learner's language.

click writes a usage error itself — `Usage: …`, `Try '… --help' for help.`, `Error: …` — in
English, and so are its own messages (a missing argument, an unknown option or command, a value
its types refuse). dlref's own usage errors already speak through the catalogue; here click's
are said again in Chinese when the language is `zh`. For `en` and `both` click's English
stays, as its `--help` does. A message not in `MESSAGES` keeps click's words inside the Chinese
frame rather than being guessed at.
"""

from __future__ import annotations

import re
from typing import IO, Any

import click

from dlref.i18n import t

# click's English messages (click pins in constraints.txt; tests/test_i18n.py checks them) and
# the catalogue entry that says each in Chinese; the named groups are the entry's fields.
MESSAGES: list[tuple[re.Pattern[str], str]] = [(re.compile(pattern), key) for pattern, key in [
    (r"No such command '(?P<name>.+?)'\.", "click.no-command"),
    (r"No such option '(?P<name>.+?)'\.", "click.no-option"),
    (r"Missing argument (?P<name>.+?)\.", "click.missing-argument"),
    (r"Missing option (?P<name>.+?)\.", "click.missing-option"),
    (r"Option '(?P<name>.+?)' requires an argument\.", "click.needs-value"),
    (r"Option '(?P<name>.+?)' does not take a value\.", "click.takes-no-value"),
    (r"Got unexpected extra arguments? \((?P<args>.*)\)", "click.extra-arguments"),
    (r"Invalid value for (?P<name>.+?): (?P<message>.*)", "click.bad-value"),
    (r"'(?P<value>.*)' is not a valid (integer|integer range)\.", "click.not-an-integer"),
    (r"'(?P<value>.*)' is not a valid (float|float range)\.", "click.not-a-number"),
    (r"(?P<value>.+?) is not in the range (?P<range>.+)\.", "click.out-of-range"),
    (r"'(?P<value>.*)' is not (one of )?(?P<choices>.+)\.", "click.not-a-choice"),
    (r"(File|Directory|Path) '(?P<path>.*)' does not exist\.", "click.no-such-path"),
    (r"(File|Directory|Path) '(?P<path>.*)' is a directory\.", "click.is-a-directory"),
    (r"(File|Directory|Path) '(?P<path>.*)' is not readable\.", "click.not-readable"),
    (r"(File|Directory|Path) '(?P<path>.*)' is not writable\.", "click.not-writable"),
]]
_DID_YOU_MEAN = re.compile(r" (Did you mean (?P<one>.+)\?|\(Did you mean one of: (?P<any>.+)\?\))$")


def say_in(message: str, lang: str) -> str:
    """One of click's English messages in `lang` (zh: from the catalogue where it is known)."""
    if lang != "zh":
        return message
    close = _DID_YOU_MEAN.search(message)
    if close:
        message = message[:close.start()]
    for pattern, key in MESSAGES:
        found = pattern.fullmatch(message)
        if found:
            fields = {k: v for k, v in found.groupdict().items() if v is not None}
            if "message" in fields:  # the type's own complaint, said in Chinese too
                fields["message"] = say_in(fields["message"], lang)
            message = t(key, lang, **fields)
            break
    if close:
        message += t("error.did-you-mean", lang, names=close.group("one") or close.group("any"))
    return message


class SpokenUsageError(click.UsageError):
    """A click usage error re-said in Chinese: the same exit status (2), the same usage line,
    the frame and the message from the catalogue."""

    def __init__(self, original: click.UsageError, lang: str) -> None:
        super().__init__(say_in(original.format_message(), lang), original.ctx)
        self.lang = lang

    def show(self, file: IO[Any] | None = None) -> None:
        ctx = self.ctx
        color = ctx.color if ctx is not None else None

        def write(text: str = "") -> None:
            click.echo(text, file=file, err=file is None, color=color)

        if ctx is not None:
            usage = ctx.get_usage()
            if usage.startswith("Usage:"):
                usage = t("click.usage", self.lang) + usage.removeprefix("Usage:").lstrip()
            write(usage)
            if ctx.command.get_help_option(ctx) is not None:
                option = max(ctx.command.get_help_option_names(ctx), key=len)
                write(t("click.try-help", self.lang, command=ctx.command_path, option=option))
            write()
        write(t("click.error", self.lang, message=self.format_message()))


def in_language(error: click.UsageError, lang: str) -> click.UsageError:
    """`error` as the learner should read it: re-said for `zh`, else click's own."""
    if lang != "zh" or isinstance(error, SpokenUsageError):
        return error
    return SpokenUsageError(error, lang)
