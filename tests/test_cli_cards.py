"""`dlref show / list / search / check` through click's runner: output, errors, exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from dlref.cli import main

ANSI = re.compile(r"\x1b\[")
FIX = Path(__file__).parent / "fixtures"
GOLDEN = Path(__file__).parent / "golden"


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env)


@pytest.mark.usefixtures("fixture_cards")
class TestShow:
    def test_by_alias_in_chinese(self):
        result = run("show", "第一单元")
        assert result.exit_code == 0
        assert result.output.startswith("Alpha unit  (alpha-unit)")

    def test_golden_english_without_colour(self):
        result = run("show", "alpha-unit", "--color", "never")
        assert result.output == (GOLDEN / "alpha-unit.en.txt").read_text()

    def test_golden_side_by_side_at_120_columns(self):
        result = run("show", "alpha-unit", "--lang", "both", env={"COLUMNS": "120"})
        assert result.output == (GOLDEN / "alpha-unit.both.txt").read_text()

    def test_both_on_a_narrow_terminal_is_one_after_the_other(self):
        result = run("show", "alpha-unit", "--lang", "both", env={"COLUMNS": "80"})
        assert "│" not in result.output
        assert result.output.index("Definition") < result.output.index("定义")

    def test_language_from_environment(self):
        assert "阿尔法单元" in run("show", "alpha-unit", env={"LANG": "zh_CN.UTF-8"}).output
        assert "阿尔法单元" in run("show", "alpha-unit", env={"DLREF_LANG": "zh"}).output
        english = run("show", "alpha-unit", "--lang", "en", env={"DLREF_LANG": "zh"}).output
        assert english.startswith("Alpha unit")

    def test_missing_language_falls_back_with_notice(self):
        result = CliRunner().invoke(main, ["show", "beta-rate", "--lang", "zh"])
        assert result.exit_code == 0
        assert "Beta rate" in result.stdout
        assert "beta-rate 没有中文文本，改为显示英文" in result.stderr

    def test_colour_rules(self):
        assert not ANSI.search(run("show", "alpha-unit").output)  # not a terminal
        assert ANSI.search(run("show", "alpha-unit", "--color", "always").output)
        assert ANSI.search(run("show", "alpha-unit", env={"FORCE_COLOR": "1"}).output)
        plain = run("show", "alpha-unit", env={"FORCE_COLOR": "1", "NO_COLOR": "1"}).output
        assert not ANSI.search(plain)

    def test_json_has_fields_and_sections(self):
        data = json.loads(run("show", "alpha-unit", "--json").output)
        assert data["id"] == "alpha-unit"
        assert data["aliases"]["zh"] == ["第一单元"]
        assert data["sections"]["zh"]["example"]["text"] == "a(3) = 7。"

    def test_raw_prints_markdown(self):
        out = run("show", "alpha-unit", "--raw", "--lang", "zh").output
        assert out.startswith("# 阿尔法单元")
        assert "## 定义 {#definition}" in out and "**阿尔法单元**" in out

    def test_unknown_name_suggests_and_exits_1(self):
        result = CliRunner().invoke(main, ["show", "alpah"])
        assert result.exit_code == 1
        assert "no card named 'alpah'" in result.stderr
        assert "Did you mean: alpha-unit" in result.stderr
        assert "dlref search alpah" in result.stderr
        assert "Traceback" not in result.output


@pytest.mark.usefixtures("fixture_cards")
class TestListSearchCheck:
    def test_list_piped_is_ids(self):
        ids = run("list").output.split()
        assert "alpha-unit" in ids and "beta-rate" in ids

    def test_list_tag_and_json(self):
        data = json.loads(run("list", "--tag", "extra", "--json").output)
        assert [d["id"] for d in data] == ["beta-rate"]
        bad = CliRunner().invoke(main, ["list", "--tag", "nope"])
        assert bad.exit_code == 1 and "no card has the tag 'nope'" in bad.stderr

    def test_search_shows_matching_line(self):
        out = run("search", "奇数").output
        assert out.splitlines()[0].startswith("alpha-unit")
        assert "奇数" in out.splitlines()[1]
        assert json.loads(run("search", "奇数", "--json").output)[0]["lang"] == "zh"

    def test_search_nothing_exits_1(self):
        result = CliRunner().invoke(main, ["search", "qqqqzzzz"])
        assert result.exit_code == 1 and "nothing matches" in result.stderr

    def test_check_broken_directory(self):
        result = CliRunner().invoke(main, ["check", str(FIX / "broken")])
        assert result.exit_code == 1
        lines = result.stdout.splitlines()
        assert lines and all(re.match(r".+\.md:\d+: .+", line) for line in lines)
        assert any("bad-toml.md:4: invalid TOML" in line for line in lines)
        assert re.search(r"\d+ problems? found", result.stderr)

    def test_broken_user_file_warns_but_others_work(self, monkeypatch):
        monkeypatch.setenv("DLREF_PATH", f"{FIX / 'cards'}:{FIX / 'broken'}")
        result = CliRunner().invoke(main, ["show", "alpha-unit"])
        assert result.exit_code == 0
        assert "with errors skipped" in result.stderr


def _said_in_chinese(line: str) -> bool:
    """A `file:line: message` line whose message is Chinese (quoted code and names aside)."""
    message = re.sub(r"^.+?\.md:\d+: ", "", line)
    return message != line and bool(re.search("[\u4e00-\u9fff]", message)) and not re.search(
        r"\b(invalid|missing|unknown|must|needs|never|outside|before|closes)\b", message)


def test_check_speaks_chinese_in_a_chinese_locale(tmp_path: Path):
    """The learner's own broken card, and the broken fixtures: under LANG=zh_CN.UTF-8 every
    problem `dlref check` prints is Chinese after the same `file:line: `, and it exits 1."""
    import os
    import subprocess
    import sys

    home = tmp_path / "home"
    (home / "cards").mkdir(parents=True)
    (home / "cards" / "worse.md").write_text("garbage: [\n")
    env = {**os.environ, "LANG": "zh_CN.UTF-8", "DLREF_HOME": str(home),
           "DLREF_PATH": str(FIX / "broken")}
    done = subprocess.run([sys.executable, "-m", "dlref", "check"], capture_output=True,
                          text=True, env=env, timeout=120)
    assert done.returncode == 1, done.stderr
    lines = done.stdout.splitlines()
    assert len(lines) >= 8 and all(_said_in_chinese(line) for line in lines), lines
    assert f"{home / 'cards' / 'worse.md'}:1: 缺少前置元数据" in done.stdout
    assert any("bad-toml.md:4: 前置元数据不是有效的 TOML：" in line for line in lines)
    assert f"发现 {len(lines)} 个问题。" in done.stderr and "Traceback" not in done.stderr
    english = subprocess.run([sys.executable, "-m", "dlref", "check", "--lang", "en"],
                             capture_output=True, text=True, env=env, timeout=120)
    assert [line.split(": ", 1)[0] for line in english.stdout.splitlines()] == [
        line.split(": ", 1)[0] for line in lines]  # the same files and lines, in order


def test_check_in_both_languages_says_each_problem_in_english_then_chinese():
    result = run("check", str(FIX / "broken"), "--lang", "both")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    english, chinese = lines[0::2], lines[1::2]
    assert len(english) == len(chinese) > 5
    for en, zh in zip(english, chinese, strict=True):
        assert en.split(": ", 1)[0] == zh.split(": ", 1)[0]
        assert not re.search("[\u4e00-\u9fff]", en.split(": ", 1)[1]) and _said_in_chinese(zh)
    alone = run("check", str(FIX / "broken"), "--lang", "en").stdout.splitlines()
    assert alone == english
    assert re.search(r"\d+ problems? found\.", result.stderr) and "个问题。" in result.stderr


def test_a_name_clash_warning_is_chinese_too(tmp_path, monkeypatch):
    """The warning about a user card's name that a bundled card keeps goes to stderr in the
    learner's language."""
    text = (FIX / "cards" / "alpha-unit.md").read_text()
    text = text.replace('id = "alpha-unit"', 'id = "mine"').replace('related = ["beta-rate"]\n',
                                                                    "")
    text = text.replace('"first fixture", "AU"', '"ReLU"').replace('"第一单元"', '"我的"')
    (tmp_path / "mine.md").write_text(text)
    monkeypatch.setenv("DLREF_PATH", str(tmp_path))
    result = run("check", str(tmp_path), env={"LANG": "zh_CN.UTF-8"})
    assert result.exit_code == 0, result.output
    assert "mine.md:9: 警告：名称 'ReLU' 已属于内置卡片 relu，仍归它所有" in result.stderr
    assert "warning:" not in result.stderr and "keeps it" not in result.stderr


def test_user_card_id_may_take_a_bundled_alias(tmp_path, monkeypatch):
    """'swish' is an alias of activation-function; a user's own swish card wins, as in the
    README's walkthrough."""
    text = (FIX / "cards" / "alpha-unit.md").read_text()
    text = text.replace('id = "alpha-unit"', 'id = "swish"').replace('related = ["beta-rate"]\n',
                                                                     "")
    text = text.replace('"first fixture", "AU"', '"my swish"').replace('"第一单元"', '"我的单元"')
    (tmp_path / "swish.md").write_text(text)
    monkeypatch.setenv("DLREF_PATH", str(tmp_path))
    checked = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert checked.exit_code == 0, checked.output
    shown = CliRunner().invoke(main, ["show", "swish", "--json"])
    assert json.loads(shown.stdout)["id"] == "swish"
    (tmp_path / "gelu.md").write_text(text.replace('id = "swish"', 'id = "gelu"')
                                      .replace('"my swish"', '"swish"'))  # an alias: no
    clash = CliRunner().invoke(main, ["check", str(tmp_path)])
    assert clash.exit_code == 1 and "also belongs to" in clash.output


def test_help_on_every_command():
    commands = [[name] for name in main.list_commands(None)]
    commands += [["export", "anki"], ["export", "json"]]
    assert len(commands) >= 12
    for command in commands:
        result = run(*command, "--help")
        assert result.exit_code == 0, command
        assert "Usage:" in result.output
    assert "show" in run("--help").output


def test_every_option_says_what_it_does():
    import click

    def bare(command: click.Command, path: str) -> list[str]:
        found = [f"{path} {'/'.join(p.opts)}" for p in command.params
                 if isinstance(p, click.Option) and not p.hidden and not p.help]
        if isinstance(command, click.Group):
            ctx = click.Context(command)
            for name in command.list_commands(ctx):
                found += bare(command.get_command(ctx, name), f"{path} {name}")
        return found

    assert bare(main, "dlref") == []


def test_version():
    from dlref import __version__

    assert run("--version").output.strip() == f"dlref, version {__version__}"


def test_no_command_when_piped_prints_help():
    result = run()
    assert result.exit_code == 0 and "Usage:" in result.output


def test_search_titles_follow_the_learners_language():
    """Found through an English phrase, the hit is titled in Chinese under `--lang zh` and in
    both under `--lang both`; the sentence shown is the English one that holds the words."""
    zh = run("search", "--lang", "zh", "vanishing", "gradient").output.splitlines()
    assert zh[0] == "vanishing-gradient  梯度消失"
    assert "vanishing gradient" in zh[1].casefold()
    both = run("search", "--lang", "both", "vanishing", "gradient").output.splitlines()
    assert both[0] == "vanishing-gradient  Vanishing gradient · 梯度消失"


def test_new_names_the_problems_of_the_edited_card_in_chinese(tmp_path: Path):
    """`dlref new` checks the card once the editor closes: its problems are the learner's
    language too (here the editor leaves the tags empty and adds an unknown key)."""
    import sys

    script = tmp_path / "editor.py"
    script.write_text("import sys, pathlib\np = pathlib.Path(sys.argv[1])\n"
                      "p.write_text(p.read_text().replace('tags = [\"mine\"]', "
                      "'tags = []\\nfoo = 1'))\n")
    home = tmp_path / "home"
    env = {"DLREF_HOME": str(home), "EDITOR": f"{sys.executable} {script}",
           "LANG": "zh_CN.UTF-8"}
    result = run("new", "swish", env=env)
    assert result.exit_code == 1
    card = home / "cards" / "swish.md"
    assert f"{card}:3: 'tags' 至少要有一个标签" in result.stderr
    assert f"{card}:4: 未知的键 'foo'；已知的键：id、title、" in result.stderr
    assert "unknown key" not in result.stderr and "needs at least" not in result.stderr


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_glossary_nothing_exits_1_with_and_without_json(extra):
    # as `dlref search` does: a script can tell "no term" from a match
    result = run("glossary", "qqqzzz-no-such-term", *extra)
    assert result.exit_code == 1
    if extra:
        assert json.loads(result.stdout) == []
    assert run("glossary", "梯度", *extra).exit_code == 0


def _without_editor(tmp_path: Path) -> dict[str, str]:
    import os

    env = {k: v for k, v in os.environ.items() if k not in ("EDITOR", "VISUAL")}
    return {**env, "DLREF_HOME": str(tmp_path / "home"), "TERM": "xterm", "LANG": "C.UTF-8"}


def test_new_off_a_terminal_with_no_editor_writes_and_checks_without_starting_one(tmp_path):
    """Piped, with no EDITOR, `dlref new` must not start the fallback editor (vi would draw
    escape codes into the pipe and fail on the closed input): the card is written, checked,
    and the learner told how to open it."""
    import subprocess
    import sys

    result = subprocess.run([sys.executable, "-m", "dlref", "new", "swish"], text=True,
                            capture_output=True, stdin=subprocess.DEVNULL, timeout=60,
                            env=_without_editor(tmp_path))
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "home" / "cards" / "swish.md").is_file()
    assert "no editor was opened" in result.stderr and "dlref edit swish" in result.stderr
    assert "checks out" in result.stderr
    assert "\x1b" not in result.stdout + result.stderr


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_edit_off_a_terminal_with_no_editor_fails_before_copying(tmp_path, lang):
    import subprocess
    import sys

    env = {**_without_editor(tmp_path), "DLREF_LANG": lang}
    result = subprocess.run([sys.executable, "-m", "dlref", "edit", "relu"], text=True,
                            capture_output=True, stdin=subprocess.DEVNULL, timeout=60, env=env)
    assert result.returncode == 1
    said = {"en": "not on a terminal and no EDITOR set", "zh": "不在终端里，也没有设置 EDITOR"}
    assert said[lang] in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "home" / "cards" / "relu.md").exists()  # the bundled card not copied


def test_list_takes_a_tag_by_its_name_in_either_language():
    """`dlref show relu --lang zh` labels its tag 激活函数: that name lists the same cards."""
    zh, en = run("list", "--tag", "激活函数"), run("list", "--tag", "activations")
    assert zh.exit_code == 0 and zh.output == en.output and "relu" in zh.output.split()
    assert run("list", "--tag", "不存在的标签").exit_code == 1


def test_the_list_table_names_tags_in_the_learners_language():
    from test_render_width import run_on_terminal

    zh = "\n".join(run_on_terminal("list", "--lang", "zh", "--no-pager", columns=120))
    assert "模型评估" in zh and "evaluation" not in zh
    en = "\n".join(run_on_terminal("list", "--lang", "en", "--no-pager", columns=120))
    assert "evaluation" in en and "模型评估" not in en


def test_search_json_gives_titles_in_every_language_as_list_and_show_do():
    hit = json.loads(run("search", "relu", "--json").output)[0]
    listed = {c["id"]: c for c in json.loads(run("list", "--json").output)}
    assert hit["title"] == listed[hit["id"]]["title"] and set(hit["title"]) == {"en", "zh"}


def test_new_says_when_its_id_is_another_cards_name(tmp_path: Path):
    """`swish` is a name of the bundled silu card: the new card will answer to it instead,
    which `new` says; an id no card answers to says nothing of the kind."""
    env = {"DLREF_HOME": str(tmp_path / "home"), "EDITOR": "true"}
    taken = run("new", "swish", env=env)
    assert taken.exit_code == 0
    assert "swish is also a name of the card silu" in taken.stderr
    fresh = run("new", "my-unit", env=env)
    assert fresh.exit_code == 0 and "also a name" not in fresh.stderr


@pytest.mark.parametrize("editor", ["vi '", "/no/such/editor", "false"])
@pytest.mark.parametrize(("lang", "said"), [("en", "could not open an editor"),
                                            ("zh", "无法打开编辑器")])
def test_an_editor_that_cannot_run_is_named_in_the_learners_language(tmp_path, editor, lang,
                                                                      said):
    """An EDITOR with a quote left open was a traceback from shlex; one that is missing or
    fails was said with click's English ("Editing failed") inside the Chinese sentence."""
    env = {"DLREF_HOME": str(tmp_path / "home"), "EDITOR": editor, "VISUAL": "",
           "DLREF_LANG": lang}
    result = run("new", "swish", env=env)
    assert isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 1
    named = f"（{editor!r}）" if lang == "zh" else f" ({editor!r})"
    assert said + named in result.stderr
    assert "Editing failed" not in result.stderr


@pytest.mark.parametrize(("argv", "lang", "said"), [
    (["new", "swish-two"], "en", "cannot write your card under {dir}: it is a file, not a "
                                 "directory; move it away, or name another directory in "
                                 "DLREF_PATH (see dlref paths)"),
    (["edit", "relu"], "zh", "无法在 {dir} 下写入你的卡片：它是文件而不是目录；请把它移走，"
                             "或在 DLREF_PATH 中指定另一个目录（见 dlref paths）"),
])
def test_a_file_where_the_card_directory_goes_is_named_as_such(tmp_path, argv, lang, said):
    """mkdir's reason ("File exists") was shown after the card's own file name, which was
    never written: `cannot write …/cards/swish-two.md: File exists`."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "cards").write_text("not a directory")
    env = {"DLREF_HOME": str(home), "EDITOR": "true", "VISUAL": "", "DLREF_LANG": lang}
    result = run(*argv, env=env)
    assert result.exit_code == 1
    assert result.stderr == f"dlref: {said.format(dir=home / 'cards')}\n"
    assert (home / "cards").read_text() == "not a directory"


@pytest.mark.parametrize("args", [["list", "--tag", "no-such-tag"], ["list", "--tag", ""],
                                  ["search", "qqqzzz"], ["glossary", "qqqzzz"]])
def test_every_json_listing_that_finds_nothing_prints_an_empty_list_and_exits_1(args):
    """A script parses stdout whatever the exit status: nothing found is `[]`, not empty
    output, from every command that lists with --json."""
    result = run(*args, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == []


@pytest.mark.parametrize("name", ["qqqzzz", "batch"])
def test_show_json_of_a_name_that_finds_no_single_card_prints_null_and_exits_1(name):
    """No card (or several): valid JSON, `null`, on stdout; the message stays on stderr."""
    result = run("show", name, "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) is None
    assert result.stderr.startswith("dlref: ")


@pytest.mark.parametrize(("lang", "file_said", "dir_said"),
                         [("en", "(a file, not a directory)", "(a directory, not a file)"),
                          ("zh", "（是文件，不是目录）", "（是目录，不是文件）")])
def test_paths_says_a_file_where_cards_go_is_a_file_not_that_it_is_not_created(
        tmp_path: Path, lang, file_said, dir_said):
    """A card directory that exists as a file was '(not created yet)', which sent the
    learner looking for a directory to create; `dlref new` would fail on it."""
    home = tmp_path / "home"
    home.mkdir()
    (home / "cards").write_text("not a directory")
    (home / "config.toml").mkdir()
    extra = tmp_path / "extra"
    env = {"DLREF_HOME": str(home), "DLREF_PATH": f"{home / 'cards'}:{extra}",
           "DLREF_LANG": lang}
    lines = run("paths", env=env).stdout.splitlines()
    cards = next(line for line in lines if f"\t{home / 'cards'}\t" in line)
    assert cards.endswith(file_said)
    assert next(line for line in lines if f"{home / 'config.toml'}" in line).endswith(dir_said)
    missing = {"en": "(not created yet)", "zh": "（尚未创建）"}[lang]
    assert next(line for line in lines if f"\t{extra}\t" in line).endswith(missing)


def test_an_unknown_tag_lists_the_tags_as_the_learners_language_names_them():
    """In Chinese the list table and `show` name tags 激活函数…, but the message for an
    unknown tag listed them as `activations`…; each name it lists must still work."""
    said = run("list", "--tag", "不存在", env={"DLREF_LANG": "zh"}).stderr
    names = said.strip().split("现有标签：")[1].split("、")
    assert "激活函数" in names and "activations" not in names
    for name in names:
        assert run("list", "--tag", name).exit_code == 0, name
    assert "Tags: activations, " in run("list", "--tag", "x", env={"DLREF_LANG": "en"}).stderr
