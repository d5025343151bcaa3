"""`dlref doctor`: the health of the progress store and the content files, on demand."""

from __future__ import annotations

import sys

import click

from dlref.commands.common import fail, lang_option, say, wrapped
from dlref.commands.helptext import command
from dlref.i18n import BOTH, LANGS, t

#: How the two languages of one finding are joined: piped, on one line for grep; on a
#: terminal, a line each, wrapped under the mark.
SEP = " / "


def _sep() -> str:
    return "\n" if sys.stdout.isatty() else SEP


def _finding(mark: str, text: str) -> None:
    """One finding under its heading: `mark` (✓ ✗ →) and the text made safe to print; on a
    terminal each language on its own line, wrapped, indented under the text."""
    from dlref.cards.sanitize import clean

    for i, part in enumerate(text.split("\n")):
        for line in wrapped([(clean(part), None)], f"  {mark} " if i == 0 else "    ", "    ",
                            False, readable=False):
            click.echo(line)


def _quoted(lines: tuple[str, ...]) -> None:
    """Lines quoted as they are under a finding (SQLite's own report), indented past its text."""
    from dlref.cards.sanitize import clean

    for line in lines:
        for out in wrapped([(clean(line), None)], "      ", "      ", False, readable=False):
            click.echo(out)


def _said(lang: str, sep: str, *parts: tuple[str, dict[str, object]]) -> str:
    """Catalogue entries said one after another, a whole sentence per language: for `both`,
    the English run, `sep`, then the Chinese run (not each entry split in two)."""
    codes = LANGS if lang == BOTH else (lang,)
    return sep.join("".join(t(key, code, **fields) for key, fields in parts) for code in codes)


def _config_health(lang: str) -> bool:
    """Say whether the config file reads (a broken one stops most commands); True if so."""
    from dlref.config import ConfigError, config_file, load_config

    click.echo(say("doctor.config"))
    path = config_file()
    try:
        load_config()
    except ConfigError as exc:
        _finding("✗", exc.text(lang, _sep()))
        return False
    key = "doctor.config-ok" if path.is_file() else "doctor.config-none"
    _finding("✓", t(key, lang, sep=_sep(), path=path))
    return True


@command()
@click.option("--repair", is_flag=True,
              help="Open the store as every command does: set a damaged file aside and "
                   "recover what still reads, or set aside a -wal that is not its file's or "
                   "not a valid write-ahead log.")
@lang_option
def doctor(repair: bool, lang: str) -> None:
    """Check the progress store and the cards, changing nothing (unless --repair).

    Reports the progress file's format version, SQLite's quick_check, the -wal beside it and
    any stored value dlref cannot read; for a damaged file, what a repair would recover. A
    file that cannot be written is checked too, and said to be one. Then
    whether the config file reads, and counts the content files with problems (`dlref check`
    names them). Exit status 1 if anything is wrong.
    """
    from dlref.cards import Library
    from dlref.cards.sanitize import clean
    from dlref.quiz.store import Store, StoreError, default_path, health, problems

    path = default_path()
    findings = health(path, lang, _sep())
    found = problems(findings)  # one damaged file is one problem, however many lines say it
    repairable = any(not f.ok and f.repairable for f in findings)
    click.echo(say("doctor.progress"))
    for finding in findings:
        _finding("✓" if finding.ok else "✗", finding.text)
        _quoted(finding.quoted)
    if repair and found and not repairable:  # a directory, a newer format, bad rows…
        _finding("→", t("doctor.cannot-repair", lang, sep=_sep()))
    elif repair and found:
        try:
            with Store.open(path) as store:
                note = store.recovery_message(lang)
        except StoreError as exc:
            fail(clean(exc.text(lang)))
        _finding("→", note or t("doctor.nothing-changed", lang, sep=_sep()))
        found = problems(health(path, lang))
    others = not _config_health(lang)  # problems --repair does not touch
    library = Library.load()
    bad_files = {e.path for e in library.errors}
    click.echo(say("doctor.cards"))
    cards = [("doctor.cards-load", {"count": len(library.cards)})]
    if bad_files:
        cards.append(("doctor.bad-files", {"count": len(bad_files)}))
    _finding("✓" if not bad_files else "✗", _said(lang, _sep(), *cards))
    others += bool(bad_files)
    if repairable and not repair:  # damage or a foreign -wal, which opening the store mends
        fail(_said(lang, "\n", ("check.problems", {"count": found + others}),
                   ("doctor.try-repair", {})))
    if found or others:
        fail(say("check.problems", count=found + others))
    click.echo(say("doctor.all-good"))
