"""Odd bytes and characters typed on the command line: a message and an exit status, never a
traceback, and nothing sent to the terminal as a control sequence."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from dlref.cli import main

# A byte that is not UTF-8 (a Latin-1 terminal, a pasted binary): Python keeps it in argv as
# a lone surrogate, which SQLite cannot take.
NOT_UTF8 = "\udcffab"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


@pytest.mark.parametrize("argv", [["show", NOT_UTF8], [NOT_UTF8], ["quiz", NOT_UTF8],
                                  ["demo", NOT_UTF8], ["edit", NOT_UTF8],
                                  ["show", "relu", NOT_UTF8]])
def test_a_name_that_is_not_utf8_is_no_card_not_a_traceback(argv):
    result = run(*argv)
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    said = "no demo or card named '" if argv[0] == "demo" else "no card named '"
    assert said in result.stderr and "\ufffdab'" in result.stderr


def test_a_search_that_is_not_utf8_finds_nothing_and_says_so():
    result = run("search", NOT_UTF8, "--lang", "zh")
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert "没有找到与" in result.stderr


def test_serve_names_an_unknown_card_without_a_traceback_or_a_control_character():
    result = run("serve", NOT_UTF8 + "\x1b[2J")
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    assert "no card named '\ufffdab\\x1b[2J'" in result.stderr  # as show says it
    assert "\x1b" not in result.stderr


UNSAFE = ["\x1b", "\x9b", "\u202e", "\x7f"]  # ESC, a C1 CSI, a bidi override, DEL


@pytest.mark.parametrize("name", ["\x9b31mrelu", "\u202erelu", "re\x7flu", "\x1b]0;hi\x07relu"])
def test_the_search_hint_after_no_card_echoes_no_control_character(name):
    result = run("show", name)
    assert result.exit_code == 1
    assert "dlref search" in result.stderr
    assert not [c for c in UNSAFE if c in result.stderr], repr(result.stderr)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_check_names_a_path_without_its_control_characters(tmp_path, lang):
    odd = tmp_path / "\u202eevil\x9b.txt"
    odd.write_text("not a card")
    folder = tmp_path / "\x1b[2Jempty"
    folder.mkdir()
    for path in (odd, folder):
        # color=True: the runner must not strip an escape sequence the terminal would get
        result = CliRunner().invoke(main, ["check", str(path), "--lang", lang], color=True)
        assert result.exit_code == 1
        assert str(tmp_path) in result.stderr
        assert not [c for c in UNSAFE if c in result.stderr], repr(result.stderr)


@pytest.mark.parametrize("argv", [["show", ""], ["show", "  "], [""], ["quiz", ""],
                                  ["edit", " "], ["serve", ""]])
@pytest.mark.parametrize(("lang", "said"), [("en", "a card name is needed"),
                                            ("zh", "需要一个卡片名称")])
def test_an_empty_name_is_a_usage_error_not_a_search_for_nothing(argv, lang, said):
    result = run(*argv, env={"DLREF_LANG": lang})
    assert result.exit_code == 2, result.output
    assert said in result.stderr and "dlref list" in result.stderr
    assert "dlref search" not in result.stderr  # no search for "" suggested


def test_export_json_to_a_file_says_how_many_cards_it_wrote(tmp_path):
    import json

    out = tmp_path / "cards.json"
    result = run("export", "json", str(out), env={"DLREF_LANG": "zh"})
    assert result.exit_code == 0, result.output
    written = json.loads(out.read_text(encoding="utf-8"))
    assert result.stderr == f"已将 {len(written)} 张卡片写入 {out}\n"  # as export anki says it
    assert result.stdout == ""


@pytest.mark.parametrize("host", ["", " ", "local host", "\x1b]0;pwn\x07localhost",
                                  "\u202elocalhost", "a" * 100, NOT_UTF8])
@pytest.mark.parametrize(("lang", "said"), [("en", "is not a host name or address"),
                                            ("zh", "不是主机名或地址")])
def test_serve_refuses_a_host_that_is_no_host_before_it_listens(monkeypatch, host, lang, said):
    """An empty --host would listen on every interface, a control character would reach the
    terminal in textual-serve's banner, and a name IDNA cannot encode was a traceback."""
    from textual_serve.server import Server

    served = []
    monkeypatch.setattr(Server, "serve", lambda self, *a, **k: served.append(self.host))
    result = run("serve", "--host", host, "--port", "8123", env={"DLREF_LANG": lang})
    assert served == []
    assert result.exit_code == 2, result.output
    assert said in result.stderr and "--host" in result.stderr
    assert not [c for c in UNSAFE if c in result.stderr], repr(result.stderr)


@pytest.mark.parametrize("host", ["localhost", "127.0.0.1", "0.0.0.0", "::1", "例子.中国"])
def test_serve_takes_a_host_name_or_address(monkeypatch, host):
    from textual_serve.server import Server

    served = []
    monkeypatch.setattr(Server, "serve", lambda self, *a, **k: served.append(self.host))
    # whether the name resolves here, and the port is free, is not what is tested
    monkeypatch.setattr("dlref.commands.serve.can_listen", lambda host, port: None)
    result = run("serve", "--host", host, "--port", "8123")
    assert result.exit_code == 0, result.output
    assert served == [host]


@pytest.mark.parametrize("argv", [["export", "anki", "\x1b]0;pwn\x07deck"],  # not .apkg
                                  ["export", "anki", "\x9b2Jnowhere/deck.apkg"],  # no such dir
                                  ["export", "anki", "\u202edeck.apkg", "--parts", "concepts"],
                                  ["export", "json", "\x1b[2Jcards.json"]])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_export_names_its_file_without_its_control_characters(tmp_path, monkeypatch, argv,
                                                              lang):
    monkeypatch.chdir(tmp_path)
    # color=True: the runner must not strip an escape sequence the terminal would get
    result = CliRunner().invoke(main, [*argv, "--lang", lang] if argv[1] == "anki" else argv,
                                env={"DLREF_LANG": lang}, color=True)
    assert isinstance(result.exception, SystemExit | None), result.exception
    assert any(word in result.stderr for word in ("deck", "nowhere", "cards.json")), result.stderr
    assert not [c for c in UNSAFE if c in result.stderr], repr(result.stderr)


@pytest.mark.parametrize(("lang", "said"), [
    ("en", ["No such file or directory", "it is a file, not a directory"]),
    ("zh", ["文件或目录不存在", "它是文件而不是目录"]),
    ("both", ["No such file or directory\n", "文件或目录不存在", "it is a file, not a directory",
              "它是文件而不是目录"])])
def test_why_a_file_cannot_be_written_is_said_in_the_learners_language(tmp_path, lang, said):
    """The system's reason (its strerror, English) was said inside the Chinese sentence; a
    file where the card directory goes is named as such, in the learner's words too."""
    env = {"DLREF_LANG": lang}
    missing = run("export", "json", str(tmp_path / "nowhere" / "cards.json"), env=env)
    home = tmp_path / "home-is-a-file"
    home.write_text("")
    not_dir = run("new", "--no-edit", "swish", env={**env, "DLREF_HOME": str(home)})
    assert missing.exit_code == not_dir.exit_code == 1
    stderr = missing.stderr + not_dir.stderr
    assert all(words in stderr for words in said), stderr
    if lang == "zh":
        assert "directory" not in stderr


def test_an_unknown_reason_is_the_systems_own_words():
    import errno

    from dlref.i18n import os_reason, t

    assert os_reason(OSError(errno.ENOSPC, "No space left on device")) == {
        "en": "No space left on device", "zh": "设备上没有剩余空间"}
    assert os_reason(OSError(errno.EIO, "Input/output error")) == "Input/output error"
    assert t("error.cannot-write", "zh", where="x",
             reason=os_reason(OSError(errno.EACCES, "Permission denied"))) == "无法写入 x：没有权限"


@pytest.mark.parametrize("argv", [["demo", ""], ["demo", "  "], ["demo", "", "--set", "p=2"]])
@pytest.mark.parametrize(("lang", "said"), [("en", "a demo or card name is needed"),
                                            ("zh", "需要一个演示或卡片名称")])
def test_an_empty_demo_name_is_a_usage_error_not_the_list(argv, lang, said):
    """`dlref demo ""` (an unset shell variable) printed the list of demos and exited 0, and
    its --set was never looked at; a blank name was 'no demo or card named'."""
    result = run(*argv, env={"DLREF_LANG": lang})
    assert result.exit_code == 2, result.output
    assert said in result.stderr and "dlref demo --list" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("argv", [["glossary", ""], ["glossary", "  "],
                                  ["glossary", "", "--json"]])
@pytest.mark.parametrize(("lang", "said"), [("en", "a word to look up is needed"),
                                            ("zh", "需要一个要查的词")])
def test_an_empty_glossary_filter_is_a_usage_error_not_every_term(argv, lang, said):
    """`dlref glossary ""` (an unset shell variable) listed the whole glossary and exited 0,
    as `dlref demo ""` listed every demo; it says a word is needed, as demo does."""
    result = run(*argv, env={"DLREF_LANG": lang})
    assert result.exit_code == 2, result.output
    assert said in result.stderr and "dlref glossary" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("argv", [["search", ""], ["search", "  "], ["search", "", " "],
                                  ["search", "", "--json"]])
@pytest.mark.parametrize(("lang", "said"), [("en", "a word to search for is needed"),
                                            ("zh", "需要一个要搜索的词")])
def test_an_empty_search_is_a_usage_error_as_an_empty_glossary_word_is(argv, lang, said):
    """`dlref search ""` (an unset shell variable) was 'nothing matches' with exit 1, as if
    it had looked; glossary, demo and show call it a usage error, and so does search."""
    result = run(*argv, env={"DLREF_LANG": lang})
    assert result.exit_code == 2, result.output
    assert said in result.stderr and "dlref list" in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("query", ["-", "·", "()"])
def test_a_glossary_filter_of_separators_only_matches_no_term(query):
    """Names are compared without separators, so '-' was '' and matched every term."""
    result = run("glossary", query)
    assert result.exit_code == 1 and f"no term matches {query!r}" in result.stderr
    assert result.stdout == ""
    found = run("glossary", "leaky-relu")  # separators inside a word still fold away
    assert found.exit_code == 0 and "\tleaky-relu" in found.stdout


@pytest.mark.parametrize(("lang", "said", "tag"), [("en", "no card has the tag ''", "activations"),
                                                   ("zh", "没有卡片带标签 ''", "激活函数")])
def test_list_with_an_empty_tag_says_no_card_has_it(lang, said, tag):
    """`dlref list --tag ""` listed every card and exited 0 (`--tag " "` said no card has it)."""
    result = run("list", "--tag", "", env={"DLREF_LANG": lang})
    assert result.exit_code == 1
    assert said in result.stderr and tag in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("kind", ["json", "anki"])
@pytest.mark.parametrize(("lang", "said"), [("en", "a file name is needed"),
                                            ("zh", "需要一个文件名")])
def test_an_empty_export_file_name_names_no_file(tmp_path, monkeypatch, kind, lang, said):
    """"" is no file (an unset variable in a script), not the current directory: a usage
    error in the learner's language, and nothing written."""
    monkeypatch.chdir(tmp_path)
    result = run("export", kind, "", env={"DLREF_LANG": lang})
    assert result.exit_code == 2 and said in result.stderr, result.output
    assert list(tmp_path.iterdir()) == []
