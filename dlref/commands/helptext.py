"""`--help` in the learner's language: click's help, its words taken from `dlref.i18n.help`
under zh and its Chinese lines broken as a terminal shows them (two columns a character, a
break allowed between any two, never before closing punctuation). English (and `both`, where
the English is read anyway) is click's help unchanged."""

from __future__ import annotations

from typing import Any

import click

from dlref.commands.common import ui_lang


def help_lang() -> str:
    """The language of `--help`: Chinese under zh, else click's English."""
    return "zh" if ui_lang() == "zh" else "en"


def _zh() -> tuple[dict[str, str], dict[str, str]]:
    from dlref.i18n.help import ZH, ZH_CLICK

    return ZH, ZH_CLICK


#: The narrowest help is wrapped to, whatever the terminal.
NARROWEST = 30


class Formatter(click.HelpFormatter):
    """click's layout; under zh, its headings in Chinese and text wrapped by `dlref.text`."""

    def __init__(self, indent_increment: int = 2, width: int | None = None,
                 max_width: int | None = None) -> None:
        super().__init__(indent_increment, width, max_width)
        if width is None and click.formatting.FORCED_WIDTH is None:
            import shutil

            # click's floor is 50 columns: on a narrower terminal every line ran past its edge
            columns = shutil.get_terminal_size().columns
            self.width = max(min(columns, max_width or 80) - 2, NARROWEST)
        self.lang = help_lang()

    def _word(self, english: str) -> str:
        return _zh()[1].get(english, english) if self.lang == "zh" else english

    def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
        if prefix is None:  # click's "Usage: ", or "用法：", whose colon holds its own space
            prefix = "用法：" if self.lang == "zh" else "Usage: "
        super().write_usage(prog, args, prefix)

    def write_heading(self, heading: str) -> None:
        if self.lang != "zh":
            return super().write_heading(heading)
        self.write(f"{'':>{self.current_indent}}{self._word(heading)}：\n")

    def write_text(self, text: str) -> None:
        if self.lang != "zh":
            return super().write_text(text)
        indent = " " * self.current_indent
        self.write("\n".join(_wrapped(text, self.width, indent, indent)) + "\n")

    def write_dl(self, rows: Any, col_max: int = 30, col_spacing: int = 2) -> None:
        if self.width < 50:  # a long option on a line of its own, its help under it
            col_max = min(col_max, self.width // 3)
        if self.lang != "zh":
            return super().write_dl(rows, col_max, col_spacing)
        from dlref.text.width import width_of

        rows = list(rows)
        first_col = min(max(width_of(first) for first, _ in rows), col_max) + col_spacing
        hang = " " * (self.current_indent + first_col)
        for first, second in rows:
            head = " " * self.current_indent + first
            if width_of(first) > first_col - col_spacing:
                self.write(head + "\n")
                head = hang
            else:
                head += " " * (first_col - width_of(first))
            if not second:
                self.write(head.rstrip() + "\n")
                continue
            body, _, extra = second.rpartition("  [") if second.endswith("]") else (second, "", "")
            lines = _wrapped(body or second, self.width, head, hang)
            if body and extra:  # click's "[默认：auto]" stays whole, after the help if it fits
                extra = "[" + extra
                if width_of(lines[-1]) + 2 + width_of(extra) <= self.width:
                    lines[-1] += "  " + extra
                else:  # on a line of its own, broken only when even that is too narrow
                    lines += _wrapped(extra, self.width, hang, hang)
            self.write("\n".join(lines) + "\n")


def _wrapped(text: str, width: int, first: str, rest: str) -> list[str]:
    """`text` in lines of at most `width` columns after `first`/`rest`: paragraphs apart by a
    blank line, each joined and broken again, except one that starts with click's `\\b`,
    whose lines stay as written."""
    from dlref.text.paragraphs import join_lines
    from dlref.text.wrap import wrap_text

    lines: list[str] = []
    for paragraph in text.split("\n\n"):
        if lines:
            lines.append("")
        if paragraph.startswith("\b"):
            lines += [rest + line for line in paragraph[1:].strip("\n").splitlines()]
            continue
        lines += wrap_text(join_lines(paragraph.splitlines()), width, first if not lines
                           else rest, rest)
    return lines


def _key(ctx: click.Context) -> str:
    """The command's path without the program's name: "" for dlref, "export anki"."""
    names = []
    while ctx.parent is not None:
        names.append(ctx.info_name or "")
        ctx = ctx.parent
    return " ".join(reversed(names))


def lang_typed(args: list[str]) -> str | None:
    """The language a `--lang`/`-l` among a command's arguments names (the last, as click
    takes it), or None: none typed, or one click will refuse with its own message."""
    from dlref.i18n import parse_choice

    found = None
    for i, arg in enumerate(args):
        if arg == "--":
            break
        if arg in ("--lang", "-l"):
            value = args[i + 1] if i + 1 < len(args) else ""
        elif arg.startswith("--lang="):
            value = arg.removeprefix("--lang=")
        elif arg.startswith("-l") and not arg.startswith("--"):  # -lzh
            value = arg.removeprefix("-l")
        else:
            continue
        found = parse_choice(value) or found
    return found


class SpokenHelp:
    """A click command whose help, under zh, reads from `dlref.i18n.help`."""

    context_class: type[click.Context]

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        """click's, with a `--lang` typed anywhere among the arguments taken first: click
        runs eager options in the order typed, so `quiz --help --lang zh` was English."""
        if any("--lang" in param.opts for param in self.params):  # type: ignore[attr-defined]
            lang = lang_typed(args)
            if lang is not None:
                ctx.meta["dlref.lang"] = lang
        return super().parse_args(ctx, args)  # type: ignore[misc]

    def format_help_text(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        text = _zh()[0].get(_key(ctx)) if help_lang() == "zh" else None
        if text is None:
            return super().format_help_text(ctx, formatter)  # type: ignore[misc]
        formatter.write_paragraph()
        with formatter.indentation():
            formatter.write_text(text)

    def format_options(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        if help_lang() != "zh":
            return super().format_options(ctx, formatter)  # type: ignore[misc]
        words, click_words = _zh()
        key, rows = _key(ctx), []
        for param in self.get_params(ctx):  # type: ignore[attr-defined]
            record = param.get_help_record(ctx)
            if record is None or isinstance(param, click.Argument):
                continue
            names, text = record
            zh = option_help(words, key, param)
            if zh is not None and param.help and text.startswith(param.help):
                text = zh + text[len(param.help):]
            for english in ("default: ", "required"):
                text = text.replace(english, click_words[english])
            if text.endswith("]"):  # click's note: "[默认：10；1<=x<=500]"
                body, _, note = text.rpartition("  [")
                text = f"{body}  [{note.replace('; ', '；')}" if body else text
            rows.append((names, text))
        if rows:
            with formatter.section("Options"):
                formatter.write_dl(rows)
        if isinstance(self, click.Group):
            self.format_commands(ctx, formatter)

    def get_short_help_str(self, limit: int = 45) -> str:
        if help_lang() == "zh":
            ctx = click.get_current_context(silent=True)
            name = getattr(self, "name", "")
            path = f"{_key(ctx)} {name}".strip() if ctx is not None else name
            text = _zh()[0].get(path)
            if text is not None:
                return short_help(text, limit)
        return super().get_short_help_str(limit)  # type: ignore[misc]


def short_help(text: str, limit: int) -> str:
    """The first sentence of a Chinese help, for the list of commands; when it is wider than
    `limit` columns, cut after its last clause that fits, marked with an ellipsis."""
    from dlref.text.paragraphs import join_lines
    from dlref.text.width import width_of

    sentence = join_lines(text.split("\n\n")[0].splitlines()).split("。")[0] + "。"
    if width_of(sentence) <= limit:
        return sentence
    depth, cuts = 0, []
    for i, ch in enumerate(sentence):  # after a clause, never inside brackets
        depth += (ch == "（") - (ch == "）")
        if ch in "，；：、（" and depth <= (ch == "（") and width_of(sentence[:i]) + 1 <= limit:
            cuts.append(i)
    end = cuts[-1] if cuts else max(i for i in range(len(sentence) + 1)
                                     if width_of(sentence[:i]) + 1 <= limit)
    return sentence[:end] + "…"


def option_help(words: dict[str, str], command: str, param: click.Parameter) -> str | None:
    """The Chinese help of `param` of `command`: the command's own, else the shared one."""
    long = next((o for o in param.opts if o.startswith("--")), param.opts[0])
    return words.get(f"{command} {long}".strip(), words.get(long))


class SpokenContext(click.Context):
    formatter_class = Formatter


class SpokenCommand(SpokenHelp, click.Command):
    context_class = SpokenContext


class SpokenGroup(SpokenHelp, click.Group):
    context_class = SpokenContext
    command_class = SpokenCommand


def command(name: str | None = None) -> Any:
    """`@click.command`, with dlref's help options and its help in the learner's language."""
    from dlref.commands.common import CONTEXT

    return click.command(name, cls=SpokenCommand, context_settings=CONTEXT)
