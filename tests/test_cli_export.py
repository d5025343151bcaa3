"""`dlref export` takes `--lang` where every other command does: before the command
(`dlref --lang zh export anki`), on `export`, and on each subcommand; its messages, its usage
errors and its help then speak that language, and the Anki deck is in it unless the deck's own
--lang says otherwise."""

from __future__ import annotations

import sqlite3
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from dlref.cli import main

EN = {"DLREF_LANG": "en"}


def run(*args: str):
    return CliRunner().invoke(main, list(args), env=EN)


def deck_fronts(deck: Path, tmp_path: Path) -> list[str]:
    """The first two fields of every note in the package, as Anki would read them."""
    with zipfile.ZipFile(deck) as package:
        package.extract("collection.anki2", tmp_path)
    conn = sqlite3.connect(tmp_path / "collection.anki2")
    try:
        rows = conn.execute("select flds from notes").fetchall()
        return [" ".join(flds.split("\x1f")[:2]) for (flds,) in rows]
    finally:
        conn.close()


@pytest.mark.parametrize("argv", [
    ["--lang", "zh", "export", "anki"],
    ["export", "--lang", "zh", "anki"],
    ["export", "anki", "--lang", "zh"],
])
def test_lang_anywhere_gives_a_chinese_deck_and_says_so_in_chinese(tmp_path, argv):
    deck = tmp_path / "dlref.apkg"
    result = run(*argv, str(deck), "--parts", "concepts")
    assert result.exit_code == 0, result.output
    assert result.stderr.startswith("已将 ") and "Wrote" not in result.stderr
    fronts = deck_fronts(deck, tmp_path)
    assert any("什么是" in f for f in fronts) and not any("What is" in f for f in fronts)


def test_the_decks_own_lang_wins_over_the_one_given_to_export(tmp_path):
    deck = tmp_path / "dlref.apkg"
    result = run("export", "--lang", "zh", "anki", str(deck), "--lang", "en",
                 "--parts", "concepts")
    assert result.exit_code == 0 and result.stderr.startswith("Wrote ")
    fronts = deck_fronts(deck, tmp_path)
    assert any("What is" in f for f in fronts) and not any("什么是" in f for f in fronts)


def test_without_lang_the_deck_stays_bilingual(tmp_path):
    deck = tmp_path / "dlref.apkg"
    assert run("export", "anki", str(deck), "--parts", "concepts").exit_code == 0
    fronts = deck_fronts(deck, tmp_path)
    assert any("What is" in f and "什么是" in f for f in fronts)


@pytest.mark.parametrize("argv", [
    ["--lang", "zh", "export", "json", "{dir}"],
    ["export", "--lang", "zh", "json", "{dir}"],
    ["export", "json", "{dir}", "--lang", "zh"],
    ["--lang", "zh", "export", "anki", "{dir}"],
    ["export", "anki", "{dir}", "--lang", "zh"],
])
def test_a_directory_for_file_is_a_chinese_usage_error(tmp_path, argv):
    result = run(*(a.format(dir=tmp_path) for a in argv))
    assert result.exit_code == 2
    assert result.stderr.startswith("用法：")
    assert f"的值无效：路径 '{tmp_path}' 是目录，这里需要文件。" in result.stderr


def test_the_deck_suffix_and_the_json_count_are_said_in_chinese(tmp_path):
    wrong = run("export", "anki", str(tmp_path / "deck.txt"), "--lang", "zh")
    assert wrong.exit_code == 2
    assert wrong.stderr == f"dlref: {tmp_path / 'deck.txt'}：Anki 卡组文件的扩展名必须是 .apkg\n"
    out = tmp_path / "cards.json"
    wrote = run("--lang", "zh", "export", "json", str(out))
    assert wrote.exit_code == 0 and wrote.stderr.startswith("已将 ") and out.is_file()


@pytest.mark.parametrize("argv", [
    ["export", "--lang", "zh", "--help"],
    ["--lang", "zh", "export", "--help"],
    ["export", "json", "--lang", "zh", "--help"],
    ["export", "anki", "--lang", "zh", "--help"],
])
def test_the_help_is_chinese_with_lang_before_it(argv):
    result = run(*argv)
    assert result.exit_code == 0 and result.output.startswith("用法：")


@pytest.mark.parametrize(("lang", "reason"), [("en", "No space left on device"),
                                              ("zh", "设备上没有剩余空间")])
def test_export_json_that_cannot_finish_keeps_the_last_good_file(tmp_path: Path, monkeypatch,
                                                                  lang, reason):
    """`export json FILE` wrote in place: a disk that filled half-way (or Ctrl-C then) left
    a truncated file where the learner's last good export was. Now it is written beside and
    renamed over, as `export anki` is."""
    import builtins
    import errno
    import io
    import os

    out = tmp_path / "out" / "cards.json"
    out.parent.mkdir()
    assert run("export", "json", str(out)).exit_code == 0
    before = out.read_bytes()

    real_open = io.open

    class FillingDisk:
        """A file in `out`'s directory on a disk that fills after 100 characters."""

        def __init__(self, file):
            self.file, self.room = file, 100

        def write(self, text):
            self.file.write(text[: self.room])
            self.file.flush()
            self.room -= min(len(text), self.room)
            if not self.room:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
            return len(text)

        def __getattr__(self, name):
            return getattr(self.file, name)

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.file.close()

    def filling_open(file, mode="r", *args, **kwargs):
        opened = real_open(file, mode, *args, **kwargs)
        in_out = not isinstance(file, int) and Path(os.fspath(file)).parent == out.parent
        return FillingDisk(opened) if in_out and "w" in mode else opened

    monkeypatch.setattr(io, "open", filling_open)
    monkeypatch.setattr(builtins, "open", filling_open)
    result = CliRunner().invoke(main, ["export", "json", str(out)], env={"DLREF_LANG": lang})
    assert result.exit_code == 1
    assert result.stderr.startswith("dlref: ") and reason in result.stderr
    assert str(out) in result.stderr and "Traceback" not in result.output
    assert out.read_bytes() == before
    assert list(out.parent.iterdir()) == [out]  # no partial file left beside it


def test_export_json_writes_through_a_link_and_into_a_pipe(tmp_path: Path):
    """Replacing FILE whole must not replace what FILE is: a link's target gets the cards
    (the link stays a link), and a named pipe is written into, not renamed over."""
    import json
    import os
    import threading

    real, link = tmp_path / "real.json", tmp_path / "link.json"
    real.write_text("old")
    link.symlink_to(real.name)
    assert run("export", "json", str(link)).exit_code == 0
    assert link.is_symlink() and json.loads(real.read_text(encoding="utf-8"))

    pipe = tmp_path / "pipe.json"
    os.mkfifo(pipe)
    got: list[bytes] = []
    reader = threading.Thread(target=lambda: got.append(pipe.read_bytes()))
    reader.start()
    result = run("export", "json", str(pipe))
    reader.join()
    assert result.exit_code == 0 and json.loads(got[0])
    assert not pipe.is_file() and not list(tmp_path.glob(".*.part"))


@pytest.mark.parametrize("kind", ["json", "anki"])
def test_an_export_over_a_file_keeps_its_permissions(tmp_path: Path, kind: str):
    """Written beside and renamed over, the new file took the default mode: a deck or dump a
    learner had made private (or shared read-only) lost that."""
    import stat

    target = tmp_path / ("cards.json" if kind == "json" else "deck.apkg")
    target.write_text("old")
    target.chmod(0o600)
    result = run("export", kind, str(target))
    assert result.exit_code == 0, result.output
    assert target.read_text(errors="replace") != "old"
    assert stat.S_IMODE(target.stat().st_mode) == 0o600


def test_export_json_dash_is_standard_output(tmp_path: Path, monkeypatch):
    """`-` is standard output, as in every Unix tool: it had written a file named "-" into
    the current directory; `./-` still names that file."""
    import json

    monkeypatch.chdir(tmp_path)
    result = run("export", "json", "-")
    assert result.exit_code == 0 and not (tmp_path / "-").exists()
    assert {card["id"] for card in json.loads(result.stdout)} >= {"relu", "attention"}
    assert run("export", "json", "./-").exit_code == 0
    assert json.loads((tmp_path / "-").read_text(encoding="utf-8"))
