"""`dlref new`, `dlref edit` and `dlref paths`: a user's own cards from the command line, and
where dlref keeps things (tealdeer's custom pages and `--show-paths`, cheat's `-e`)."""

from __future__ import annotations

import re
from pathlib import Path

import click

from dlref.commands.common import (
    clip,
    complete_card,
    config,
    fail,
    find_card,
    lang_option,
    load_library,
    print_json,
    say,
    ui_lang,
    warn,
)
from dlref.commands.helptext import command
from dlref.i18n import os_reason, t

ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

SKELETON = """\
+++
id = "{id}"
tags = ["mine"]
related = []

[title]
en = "{title}"
zh = "{title}"

[aliases]
en = []
zh = []
+++

::: en
## Definition {{#definition}}

What {title} is, in one or two sentences.

## Formula {{#formula}}

```
y = f(x)
```
:::

::: zh
## 定义 {{#definition}}

用一两句话说明 {title} 是什么。

## 公式 {{#formula}}

```
y = f(x)
```
:::
"""


def _first_user_dir() -> Path:
    from dlref.cards.library import user_dirs

    return user_dirs()[0]


def _make_card_dir(directory: Path, path: Path) -> None:
    """Create `directory` for the card file `path`, or fail saying why: a file where the
    directory (or one above it) should be is named as such (mkdir's reason, "File exists",
    was shown after the card's file name, which was never written)."""
    blocking = next((p for p in (directory, *directory.parents) if p.exists()), None)
    if blocking is not None and not blocking.is_dir():
        fail(say("mine.dir-is-file", dir=blocking))
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        fail(say("error.cannot-write", where=path, reason=os_reason(exc)))


def _no_editor_to_start() -> bool:
    """No $VISUAL/$EDITOR and no terminal: the fallback (vi, sensible-editor) would draw on a
    pipe and read a closed input, so none is started."""
    import os
    import sys

    named = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    return not named and not (sys.stdin.isatty() and sys.stdout.isatty())


def _open_and_check(path: Path, edit: bool) -> None:
    """Open `path` in $VISUAL/$EDITOR (unless not `edit`), then run `dlref check` on it.

    With no editor to start (see `_no_editor_to_start`) the card is only checked, and the
    user told how to open it later."""
    if edit and _no_editor_to_start():
        click.echo(say("mine.not-opened", id=path.stem), err=True)
        edit = False
    if edit:
        try:
            click.edit(filename=str(path))
        except (click.ClickException, ValueError) as exc:  # ValueError: shlex cannot split it
            import os

            # the editor as the learner named it (click's reason is English, and a quote
            # left open in EDITOR was a traceback from shlex)
            named = os.environ.get("VISUAL") or os.environ.get("EDITOR")
            fail(say("mine.no-editor", error=repr(clip(named)) if named else exc))
    from dlref.cards import Library
    from dlref.cards.library import content_dirs
    from dlref.cards.validate import alias_warnings, check_library, under

    dirs = content_dirs()
    if path.parent not in [d for d, _ in dirs]:
        dirs.append((path.parent, False))
    library = Library.load(dirs)
    errors = check_library(library, only=path)
    for error in errors:
        click.echo(error.text(ui_lang()), err=True)
    for warning in alias_warnings(library):
        if under(warning.path, path):
            click.echo(warning.text(ui_lang()), err=True)
    if errors:
        fail(say("mine.problems", path=path, count=len(errors), id=path.stem))
    click.echo(say("mine.ok", path=path), err=True)


@command()
@click.argument("card_id", metavar="ID")
@click.option("--no-edit", is_flag=True, help="Write the skeleton without opening an editor.")
@lang_option
def new(card_id: str, no_edit: bool, lang: str) -> None:
    """Write a new card ID into your first card directory and open it in $EDITOR.

    The directory is the first of DLREF_PATH, the config file's `paths`, else dlref's own
    (see `dlref paths`), created if need be. On save, `dlref check` runs on the card.

    \b
    Examples:
      dlref new swish
      EDITOR=nano dlref new my-activation
    """
    if not ID.match(card_id):
        raise click.BadParameter(say("mine.bad-id", id=card_id), param_hint="ID")
    library = load_library()
    if card_id in library.cards:
        fail(say("mine.exists", id=card_id, path=library.cards[card_id].path))
    named = library.lookup(card_id).card
    if named is not None and not library.lookup(card_id).via:  # a whole name, not a prefix
        warn(say("mine.takes-name", id=card_id, card=named.id))
    directory = _first_user_dir()
    path = directory / f"{card_id}.md"
    if path.exists():
        fail(say("mine.exists", id=card_id, path=path))
    title = card_id.replace("-", " ").capitalize()
    _make_card_dir(directory, path)
    try:
        path.write_text(SKELETON.format(id=card_id, title=title), encoding="utf-8")
    except OSError as exc:
        fail(say("error.cannot-write", where=path, reason=os_reason(exc)))
    click.echo(say("mine.wrote", path=path), err=True)
    _open_and_check(path, not no_edit)


def _broken_user_file(name: str) -> Path | None:
    """The user's file for card id `name` when it exists but does not load (bad TOML, a
    missing field: what `dlref new` or an earlier `edit` left), so `dlref edit NAME` can open
    it again, as their message says; the directory that would win, as cards load."""
    from dlref.cards.library import content_dirs

    if not ID.match(name):
        return None
    for directory, bundled in reversed(content_dirs()):
        path = directory / f"{name}.md"
        if not bundled and path.is_file():
            return path
    return None


@command()
@click.argument("name", nargs=-1, required=True, shell_complete=complete_card)
@lang_option
def edit(name: tuple[str, ...], lang: str) -> None:
    """Open your card NAME in $EDITOR; a bundled card is first copied into your card
    directory (your copy then replaces it). On save, `dlref check` runs on it.

    \b
    Examples:
      dlref edit swish
      dlref edit relu
    """
    library = load_library()
    text = " ".join(name)
    broken = None if text in library.cards else _broken_user_file(text)
    card = find_card(library, text) if broken is None else None
    if _no_editor_to_start():  # before a bundled card is copied: nothing changes
        fail(say("mine.no-terminal"))
    if broken is not None:  # a card that does not load is still yours to fix (its id, if it
        # loaded, would win over another card's alias, as `swish` over silu's)
        _open_and_check(broken, True)
        return
    path = card.path
    if card.bundled:
        import shutil

        path = _first_user_dir() / f"{card.id}.md"
        if not path.exists():
            _make_card_dir(path.parent, path)
            try:
                shutil.copyfile(card.path, path)
            except OSError as exc:
                fail(say("error.cannot-write", where=path, reason=os_reason(exc)))
            click.echo(say("mine.copied", id=card.id, path=path), err=True)
    _open_and_check(path, True)


@command()
@click.option("--json", "as_json", is_flag=True, help="Print the paths as JSON.")
@lang_option
def paths(as_json: bool, lang: str) -> None:
    """Where dlref reads cards, keeps progress, caches and finds its config file.

    Card directories are listed in load order: a later one's card replaces an earlier one's
    with the same id. `dlref new` writes to the first user directory listed under "new cards".
    """
    from dlref.cards.catalog import catalog_file
    from dlref.cards.library import content_dirs
    from dlref.config import ConfigError, config_file, load_config
    from dlref.quiz.store import default_path

    try:
        load_config()
        config_problem = None
    except ConfigError as exc:
        config_problem = exc.text(lang)
    data = {
        "cards": [{"path": str(d), "bundled": b, "exists": d.is_dir()}
                  for d, b in content_dirs()],
        "new_cards": str(_first_user_dir()),
        "progress": str(default_path()),
        "cache": str(catalog_file(content_dirs())),
        "config": str(config_file()),
    }
    if as_json:
        print_json(data)
    else:
        def label(key: str) -> str:  # one line a path, also in both languages
            return t(key, lang, sep=" / ")

        rows = []  # (label, path, remark after a tab or two spaces)
        for entry in data["cards"]:
            kind = label("paths.bundled") if entry["bundled"] else label("paths.user")
            there = _what_is_there(Path(entry["path"]), True, lang)
            rows.append((label("paths.cards"), entry["path"], f"\t{kind}{there}"))
        rows += [(label("paths.new-cards"), data["new_cards"],
                  _what_is_there(Path(data["new_cards"]), True, lang)),
                 (label("paths.progress"), data["progress"], ""),
                 (label("paths.cache"), data["cache"], ""),
                 (label("paths.config"), data["config"],
                  _what_is_there(config_file(), False, lang))]
        _print_paths(rows)
    if config_problem:
        warn(config_problem)


def _print_paths(rows: list[tuple[str, str, str]]) -> None:
    """`dlref paths`' lines: piped, tab-separated fields for `cut -f2`; on a terminal, the
    paths in one column after the labels (tabs left them at 8 or 16 columns), a remark that
    does not fit beside its path on the next line under it; a path is never broken."""
    import sys

    from dlref.commands.common import terminal_width
    from dlref.text.width import width_of

    if not sys.stdout.isatty():
        for name, path, remark in rows:
            click.echo(f"{name}\t{path}{remark}")
        return
    column = max(width_of(name) for name, _, _ in rows) + 2
    for name, path, remark in rows:
        head = name + " " * (column - width_of(name)) + path
        remark = remark.strip()
        if remark and width_of(head) + 2 + width_of(remark) > terminal_width():
            click.echo(head)
            click.echo(" " * column + remark)
        else:
            click.echo(f"{head}  {remark}" if remark else head)


def _what_is_there(path: Path, directory: bool, lang: str) -> str:
    """A remark after a path in `dlref paths`, '' when it is what dlref wants there (a
    directory of cards, the config file): not created yet, the other kind of thing (a file
    where cards are looked for is not 'not created yet', and creating it would fail), or
    cannot be looked at."""
    import errno
    import stat

    try:
        mode = path.stat().st_mode
    except OSError as exc:
        if exc.errno in (errno.ENOENT, errno.ENOTDIR):
            return "  " + t("paths.missing", lang, sep=" / ")
        return "  " + t("paths.unreadable", lang, sep=" / ", reason=os_reason(exc))
    if stat.S_ISDIR(mode) == directory:
        return ""
    return "  " + t("paths.not-a-dir" if directory else "paths.not-a-file", lang, sep=" / ")


__all__ = ["config", "edit", "new", "paths"]
