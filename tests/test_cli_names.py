"""Issue 18 through the installed `dlref`: names first, the pager and the short view, strict
language and colour, search, completion per shell, own cards with a fake $EDITOR, the config."""

from __future__ import annotations

import fcntl
import json
import os
import pty
import select
import struct
import subprocess
import sys
import termios
from pathlib import Path

import pytest

from tests.test_entry_point import ROOT, dlref_bin, run


def run_in_terminal(*args: str, env: dict[str, str], rows: int = 24, cols: int = 80,
                    stdin: str | None = None) -> tuple[int, str]:
    """Run dlref with its stdout on a pseudo-terminal of rows × cols; (exit code, output)."""
    master, slave = pty.openpty()
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    full_env = {**os.environ, "LINES": str(rows), "COLUMNS": str(cols), **env}
    proc = subprocess.Popen([dlref_bin(), *args], stdin=slave, stdout=slave, stderr=slave,
                            env=full_env, close_fds=True)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            proc.kill()
            break
        try:
            data = os.read(master, 65536)
        except OSError:  # the terminal closed: the process is done
            break
        if not data:
            break
        chunks.append(data)
    os.close(master)
    return proc.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")


# -- names first --------------------------------------------------------------------------------


def test_bare_name_shows_the_card():
    result = run("relu")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("ReLU (rectified linear unit)  (relu)")


def test_several_words_without_quotes():
    result = run("show", "batch", "norm")
    assert result.returncode == 0, result.stderr
    assert "(batch-normalization)" in result.stdout.splitlines()[0]
    assert run("batch", "norm").stdout == result.stdout


def test_mistyped_command_is_a_usage_error_with_did_you_mean():
    result = run("shw", "relu")
    assert result.returncode == 2
    assert "Did you mean: show?" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(("first", "after"), [
    (["--lang", "zh", "relu"], ["relu", "--lang", "zh"]),
    (["-s", "--lang=zh", "batch", "norm"], ["show", "batch", "norm", "-s", "--lang=zh"]),
    (["--lang", "zh", "list"], ["list", "--lang", "zh"]),
    (["--color", "never", "search", "softmax"], ["search", "softmax", "--color", "never"]),
])
def test_options_may_come_before_the_name(first, after):
    """The tldr client specification writes `tldr [options] page`: the same here."""
    a, b = run(*first), run(*after)
    assert a.returncode == b.returncode == 0, a.stderr
    assert a.stdout == b.stdout and a.stdout and a.stderr == b.stderr


@pytest.mark.parametrize("argv", [["--lang", "fr", "relu"], ["--lang", "zh"], ["--lang"]])
def test_options_before_a_name_are_still_checked(argv):
    result = run(*argv)
    assert result.returncode == 2 and "Traceback" not in result.stderr


def test_a_command_name_still_wins():
    assert run("list").stdout.split()[:1] == ["accuracy"]


def test_ambiguous_prefix_lists_candidates():
    result = run("show", "batch")
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert "could be 3 cards" in lines[0]
    ids = [line.split()[0] for line in lines[1:]]
    assert ids == ["batch-normalization", "gradient-descent", "minibatch-sgd"]


def test_bare_ambiguous_prefix_near_a_command_lists_candidates():
    # `batch` is as close to the command `paths` as difflib's cutoff: it must still list the
    # cards it could be (exit 1), as `dlref show batch` does, not suggest a command (exit 2)
    bare, shown = run("batch"), run("show", "batch")
    assert bare.returncode == 1, bare.stderr
    assert "paths" not in bare.stderr and "Usage" not in bare.stderr
    assert bare.stderr == shown.stderr and "could be 3 cards" in bare.stderr


@pytest.mark.parametrize(("name", "card", "alias"), [
    ("bias", "overfitting", "bias-variance tradeoff"),
    ("二元", "cross-entropy", "二元交叉熵"),
])
def test_prefix_of_an_alias_says_which_alias(name, card, alias):
    result = run("show", name)
    assert result.returncode == 0
    assert f"({card})" in result.stdout.splitlines()[0]
    assert repr(alias) in result.stderr and card in result.stderr


def test_feature_is_ambiguous_not_convolution():
    result = run("feature")
    assert result.returncode == 1
    assert {"convolution", "transfer-learning"} <= {ln.split()[0] for ln in
                                                    result.stderr.splitlines()[1:]}


# -- language and colour ------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [
    ["show", "relu"], ["relu"], ["list"], ["search", "relu"], ["glossary"], ["check"],
    ["doctor"], ["demo", "relu"], ["quiz", "relu"], ["stats"], ["new", "x"], ["edit", "relu"],
    ["paths"], ["undo"], ["optimize"], ["tui"], ["serve"], ["export", "anki", "x.apkg"],
])
@pytest.mark.parametrize("bad", ["fr", "chinese"])
def test_unknown_language_is_a_usage_error_everywhere(argv, bad):
    result = run(*argv, "--lang", bad)
    assert result.returncode == 2, (argv, result.stderr)
    assert "en, zh or both" in result.stderr and "Traceback" not in result.stderr


def test_undo_speaks_the_language_asked_for(tmp_path: Path):
    result = run("undo", "--lang", "zh", env={"DLREF_HOME": str(tmp_path)})
    assert result.returncode == 1 and "没有可以撤销的答案" in result.stderr


def test_locale_spelling_is_accepted():
    result = run("show", "relu", "--lang", "zh_CN.UTF-8")
    assert result.returncode == 0 and "修正线性单元" in result.stdout


def test_locale_spelling_is_accepted_by_the_anki_export(tmp_path: Path):
    deck = tmp_path / "deck.apkg"
    result = run("export", "anki", str(deck), "--lang", "zh_CN.UTF-8", "--parts", "concepts")
    assert result.returncode == 0, result.stderr
    import sqlite3
    import zipfile

    with zipfile.ZipFile(deck) as z:
        (tmp_path / "c.db").write_bytes(z.read("collection.anki2"))
    fields = [f for (f,) in sqlite3.connect(tmp_path / "c.db").execute("SELECT flds FROM notes")]
    assert fields and any("修正线性单元" in f for f in fields)
    assert not any("rectified linear unit" in f for f in fields)  # Chinese only, not both


def test_term_dumb_means_no_colour_even_forced():
    result = run("show", "relu", env={"TERM": "dumb", "FORCE_COLOR": "1"})
    assert result.returncode == 0 and "\x1b[" not in result.stdout
    assert "\x1b[" in run("show", "relu", env={"FORCE_COLOR": "1", "TERM": "xterm"}).stdout


def test_demo_colours_never_set_a_background():
    result = run("demo", "relu", "--color", "always")
    assert result.returncode == 0, result.stderr
    assert "\x1b[38;5;" in result.stdout  # the plot is coloured…
    import re

    codes = re.findall(r"\x1b\[([0-9;]*)m", result.stdout)
    assert not [c for c in codes if c.startswith("4") or ";4" in c.replace("38;5;", "")]


# -- pager and short view ------------------------------------------------------------------------


@pytest.fixture
def fake_pager(tmp_path: Path) -> tuple[dict[str, str], Path]:
    """A pager that records what it was given (and so proves it ran)."""
    out = tmp_path / "paged.txt"
    return {"DLREF_PAGER": f"cat > {out}", "TERM": "xterm"}, out


def test_tall_output_on_a_terminal_goes_through_the_pager(fake_pager):
    env, out = fake_pager
    code, screen = run_in_terminal("show", "relu", env=env)
    assert code == 0
    assert out.exists() and "ReLU (rectified linear unit)" in out.read_text()
    assert "Misconceptions" in out.read_text() and "Misconceptions" not in screen


def test_pager_from_pager_variable_when_no_dlref_pager(tmp_path: Path):
    out = tmp_path / "paged.txt"
    code, _ = run_in_terminal("show", "relu", env={"PAGER": f"cat > {out}", "TERM": "xterm"})
    assert code == 0 and "Definition" in out.read_text()


@pytest.mark.parametrize("extra", [["--no-pager"], ["--short"]])
def test_no_pager_with_flag_or_for_short_output(fake_pager, extra):
    env, out = fake_pager
    code, screen = run_in_terminal("show", "relu", *extra, env=env)
    assert code == 0 and not out.exists()
    assert "Definition" in screen


@pytest.mark.parametrize("argv", [["search", "gradient"], ["list"], ["glossary"]])
def test_other_tall_output_pages_too_and_no_pager_stops_it(fake_pager, argv):
    env, out = fake_pager
    code, screen = run_in_terminal(*argv, env=env)
    assert code == 0 and out.exists()
    paged = out.read_text()
    assert paged.count("\n") >= 24 and "adagrad" in paged.casefold()
    assert "adagrad" not in screen.casefold()  # on the screen only through the pager
    out.unlink()
    code, screen = run_in_terminal(*argv, "--no-pager", env=env)
    assert code == 0 and not out.exists() and "adagrad" in screen.casefold()


@pytest.mark.parametrize("argv", [["relu"], ["show", "relu", "--lang", "both"],
                                  ["search", "gradient"]])
def test_a_mistyped_pager_loses_no_output(argv):
    # the fast lookup (`dlref relu`) and click's commands alike print the text themselves
    code, screen = run_in_terminal(*argv, env={"DLREF_PAGER": "no-such-pager-v18",
                                               "TERM": "xterm"})
    assert code == 0
    assert "not found" in screen  # the shell's own word on the pager
    tail = "adagrad" if argv[0] == "search" else "References"
    assert tail in screen


def test_short_output_fits_a_24_row_screen_and_has_definition_and_formula():
    result = run("show", "relu", "--short")
    lines = result.stdout.splitlines()
    assert result.returncode == 0 and len(lines) < 24
    assert "Definition" in lines and "Formula" in lines and "Intuition" not in lines
    assert any("max(0, x)" in line for line in lines)


def test_piped_output_never_pages(fake_pager):
    env, out = fake_pager
    result = run("show", "relu", env=env)
    assert result.returncode == 0 and "References" in result.stdout
    assert not out.exists()


def test_a_big_screen_does_not_page(fake_pager):
    env, out = fake_pager
    code, screen = run_in_terminal("show", "relu", env=env, rows=200)
    assert code == 0 and not out.exists() and "References" in screen


def test_config_turns_the_pager_off_and_short_on(fake_pager, tmp_path: Path):
    env, out = fake_pager
    config = tmp_path / "config.toml"
    config.write_text("pager = false\nshort = true\n")
    env = {k: v for k, v in env.items() if k != "DLREF_PAGER"}
    env["PAGER"] = f"cat > {out}"
    code, screen = run_in_terminal("show", "relu", "--full", env={**env,
                                                                  "DLREF_CONFIG": str(config)})
    assert code == 0 and not out.exists() and "References" in screen
    short = run("show", "relu", env={"DLREF_CONFIG": str(config)})
    assert "Intuition" not in short.stdout and "Formula" in short.stdout


# -- the config file ------------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "key"), [
    ('lang = "fr"\n', "lang"),
    ('color = "sometimes"\n', "color"),
    ("daily_new = -1\n", "daily_new"),
    ('colour = "auto"\n', "colour"),
    ("short = 1\n", "short"),
])
def test_broken_config_is_one_line_naming_the_key(tmp_path: Path, text, key):
    config = tmp_path / "config.toml"
    config.write_text(text)
    result = run("show", "relu", env={"DLREF_CONFIG": str(config)})
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and f": {key}: " in lines[0] and str(config) in lines[0]


def test_config_that_is_not_toml(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text("lang = \n")
    result = run("relu", env={"DLREF_CONFIG": str(config)})
    assert result.returncode == 1 and len(result.stderr.splitlines()) == 1
    assert "not valid TOML" in result.stderr


@pytest.mark.parametrize(("text", "said"), [
    ('color = "sometimes"\n', "color：'sometimes' 不是 auto、always 或 never"),
    ('lang = "fr"\n', "lang：'fr' 不是 en、zh 或 both"),
    ('colour = "auto"\n', "colour：未知的设置项（你是不是想写 'color'？）"),
    ("zzz = 1\n", "zzz：未知的设置项；可用的设置项：lang、color、pager、short、theme、"
                  "daily_new、paths"),
    ("daily_new = -1\n", "daily_new：必须是 0 到 1000 之间的整数"),
    ("short = 1\n", "short：必须是 true 或 false"),
    ("lang = \n", "不是有效的 TOML（第 1 行第 8 列：无效的值）"),
    ('lang = "zh', "不是有效的 TOML（文件末尾：字符串没有闭合）"),
    ('lang = "zh"\nlang = "en"\n', "不是有效的 TOML（第 2 行第 12 列：不能覆盖已有的值）"),
    (b"\xff\xfe", "不是 UTF-8 文本"),
])
def test_a_broken_config_is_said_in_chinese(tmp_path: Path, text, said):
    config = tmp_path / "config.toml"
    if isinstance(text, bytes):
        config.write_bytes(text)
    else:
        config.write_text(text)
    env = {"DLREF_CONFIG": str(config), "LANG": "zh_CN.UTF-8"}
    for argv in (["relu"], ["stats"], ["quiz", "relu", "--lang", "zh"]):
        result = run(*argv, env=env)
        assert result.returncode == 1, argv
        assert result.stderr.startswith(f"dlref: 配置文件 {config}：{said}"), result.stderr
        assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.stderr
    both = run("stats", "--lang", "both", env=env).stderr.splitlines()
    assert len(both) == 2 and both[0].startswith(f"dlref: {config}: ") and said in both[1]


def test_a_config_directory_or_fifo_is_said_in_chinese(tmp_path: Path):
    directory, fifo = tmp_path / "dir.toml", tmp_path / "fifo.toml"
    directory.mkdir()
    os.mkfifo(fifo)
    for config, said in ((directory, "是目录，不是文件"),
                         (fifo, "不是普通文件；配置文件应是文本文件")):
        result = run("relu", env={"DLREF_CONFIG": str(config), "LANG": "zh_CN.UTF-8"})
        assert result.returncode == 1 and result.stderr == f"dlref: 配置文件 {config}：{said}\n"


def test_paths_warns_of_a_broken_config_in_its_language(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text("theme = 3\n")
    result = run("paths", "--lang", "zh", env={"DLREF_CONFIG": str(config)})
    assert result.returncode == 0 and "配置\t" in result.stdout
    assert result.stderr == f"dlref: 配置文件 {config}：theme：必须是主题名称（字符串）\n"
    both = run("paths", "--lang", "both", env={"DLREF_CONFIG": str(config)})
    assert "progress / 进度\t" in both.stdout and "config / 配置\t" in both.stdout


def test_paths_and_doctor_work_with_a_broken_config_and_say_what_is_wrong(tmp_path: Path):
    """The commands a learner runs to find a broken config are not stopped by it, even with
    no --lang (the language is chosen, from the config too, before the command runs)."""
    config = tmp_path / "config.toml"
    config.write_text('lang = "fr"\n')
    env = {"DLREF_CONFIG": str(config), "DLREF_HOME": str(tmp_path / "home")}
    paths = run("paths", env=env)
    assert paths.returncode == 0 and f"config\t{config}" in paths.stdout
    assert f"{config}: lang: " in paths.stderr
    doctor = run("doctor", env=env)
    assert doctor.returncode == 1
    assert f"  ✗ {config}: lang: " in doctor.stdout and "--repair" not in doctor.stderr
    assert doctor.stderr == "dlref: 1 problem found.\n"
    zh = run("doctor", env={**env, "LANG": "zh_CN.UTF-8"})
    assert zh.returncode == 1 and "配置文件\n  ✗ 配置文件" in zh.stdout
    config.unlink()
    fine = run("doctor", env=env)
    assert fine.returncode == 0 and f"  ✓ {config}: none (defaults apply)" in fine.stdout
    assert run("show", "relu", env=env).returncode == 0


@pytest.mark.parametrize("argv", [["list"], ["search", "mine"], ["glossary", "mine"], ["check"],
                                  ["export", "json"], ["quiz", "mine", "--json-questions"],
                                  ["new", "--no-edit", "other"], ["serve", "no-such-card"]])
@pytest.mark.parametrize(("lang", "said"), [("en", "colour: unknown key"),
                                            ("zh", "colour：未知的设置项")])
def test_a_broken_config_stops_every_command_that_reads_cards(tmp_path: Path, argv, lang, said):
    """The file's `paths` may be where the learner's cards are: a command that went on
    without it (as these did whenever the language came from DLREF_LANG, not the file) left
    those cards out without a word, and `new` wrote into another directory."""
    cards = tmp_path / "cards"
    cards.mkdir()
    (cards / "mine.md").write_text((ROOT / "content" / "relu.md").read_text()
                                   .replace('id = "relu"', 'id = "mine"'))
    config = tmp_path / "config.toml"
    config.write_text(f'paths = ["{cards}"]\ncolour = "never"\n')
    env = {"DLREF_CONFIG": str(config), "DLREF_HOME": str(tmp_path / "home"),
           "DLREF_LANG": lang}
    result = run(*argv, env=env)
    assert result.returncode == 1, result.stderr
    assert result.stderr.startswith("dlref: ") and str(config) in result.stderr
    assert said in result.stderr and len(result.stderr.splitlines()) == 1
    assert result.stdout == ""
    assert not (tmp_path / "home" / "cards" / "other.md").exists()


@pytest.mark.parametrize("argv", [["relu"], ["show", "relu", "--short"], ["list"]])
def test_a_fifo_or_huge_config_is_a_message_not_a_hang(tmp_path: Path, argv):
    fifo = tmp_path / "fifo.toml"
    os.mkfifo(fifo)  # opened for reading, it would wait for a writer that never comes
    huge = tmp_path / "huge.toml"
    huge.write_text("# " + "x" * 100_000 + "\n")
    for config, words in ((fifo, "not a regular file"), (huge, "byte limit")):
        result = run(*argv, env={"DLREF_CONFIG": str(config)})  # run's timeout: 60 s
        assert result.returncode == 1 and len(result.stderr.splitlines()) == 1
        assert words in result.stderr and str(config) in result.stderr


def test_config_language_is_overridden_by_env_and_flag(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text('lang = "zh"\n')
    env = {"DLREF_CONFIG": str(config)}
    assert "修正线性单元" in run("relu", env=env).stdout.splitlines()[0]
    assert run("relu", env={**env, "DLREF_LANG": "en"}).stdout.startswith("ReLU")
    assert run("relu", "--lang", "en", env=env).stdout.startswith("ReLU")


def test_config_daily_new_limits_a_fresh_quiz_below_env_and_flag(tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text("daily_new = 2\n")

    def asked(*extra: str, **env: str) -> int:
        result = run("quiz", "-n", "10", "--seed", "5", "--json-questions", *extra,
                     env={"DLREF_HOME": str(tmp_path / "home"), **env})
        assert result.returncode == 0, result.stderr
        return len(json.loads(result.stdout))

    assert asked() == 10  # a fresh store: only the daily limit can hold new items back
    assert asked(DLREF_CONFIG=str(config)) == 2
    assert asked(DLREF_CONFIG=str(config), DLREF_NEW_PER_DAY="3") == 3
    assert asked("--new", "4", DLREF_CONFIG=str(config)) == 4


def test_dlref_tui_reports_a_broken_config_in_one_line_before_the_screen_switches(
        tmp_path: Path):
    config = tmp_path / "config.toml"
    config.write_text('theme = 3\n')
    code, screen = run_in_terminal("tui", env={"DLREF_CONFIG": str(config), "TERM": "xterm"})
    assert code == 1
    assert screen.strip() == f"dlref: {config}: theme: must be a theme name (a string)"


def test_config_api_defaults_and_values(tmp_path: Path):
    from dlref.config import Config, load_config

    assert load_config(tmp_path / "none.toml") == Config()
    path = tmp_path / "c.toml"
    path.write_text('theme = "nord"\ndaily_new = 5\npaths = ["~/cards"]\npager = "more"\n')
    config = load_config(path)
    assert (config.theme, config.daily_new, config.pager) == ("nord", 5, "more")
    assert config.paths == (Path("~/cards").expanduser(),)


# -- search -------------------------------------------------------------------------------------


def test_search_puts_the_named_card_first():
    result = run("search", "vanishing", "gradient", "--json")
    hits = json.loads(result.stdout)
    assert result.returncode == 0 and hits[0]["id"] == "vanishing-gradient"
    assert "gradient" in {h["id"] for h in hits[:6]} or len(hits) >= 2


def test_search_tolerates_typos():
    result = run("search", "vanishng", "gradent")
    assert result.returncode == 0
    assert result.stdout.split()[0] == "vanishing-gradient"
    assert "vanishing gradient" in result.stderr


def test_search_corrects_a_slip_not_a_word_found_nowhere():
    # 'nosuch' is close to 'such' by difflib's ratio, but no slip of the keys turns one into
    # the other: searching 'such' instead gave ten unrelated hits and exit 0
    result = run("search", "nosuch")
    assert result.returncode == 1 and result.stdout == ""
    assert "such" not in result.stderr.replace("nosuch", "")
    slip = run("search", "atention")
    assert slip.returncode == 0 and slip.stdout.split()[0] == "attention"


def test_search_snippet_is_whole_sentences_without_markdown():
    result = run("search", "dying", "relu", "--json")
    hit = json.loads(result.stdout)[0]
    assert hit["id"] == "relu"
    line = hit["line"]
    assert "**" not in line and "`" not in line
    assert line[0].isupper() or line.startswith("…") or line.startswith('"')
    assert line.rstrip("…").endswith((".", "?", "!", '"'))


def test_search_highlights_words_with_colour():
    result = run("search", "softmax", env={"FORCE_COLOR": "1", "TERM": "xterm"})
    assert "\x1b[1mSoftmax\x1b[0m" in result.stdout


def test_search_chinese_two_characters():
    hits = json.loads(run("search", "梯度", "--json").stdout)
    assert hits[0]["id"] == "gradient" and "梯度" in hits[0]["line"]


@pytest.mark.parametrize("extra", [[], ["--json"]])
def test_search_nothing_exits_1_with_and_without_json(extra):
    result = run("search", "zzzqqq", *extra)
    assert result.returncode == 1
    if extra:
        assert json.loads(result.stdout) == []


def test_search_every_word_must_match():
    hits = json.loads(run("search", "relu", "attention", "--json").stdout)
    assert hits and all(h["id"] != "sigmoid" for h in hits)


# -- completion ---------------------------------------------------------------------------------


def complete(shell: str, words: str, cword: int | None = None) -> list[str]:
    env = {"_DLREF_COMPLETE": f"{shell}_complete", "COMP_WORDS": words}
    if shell == "fish":
        env["COMP_CWORD"] = words.split(" ")[-1]
    else:
        env["COMP_CWORD"] = str(len(words.split(" ")) - 1 if cword is None else cword)
    result = run(env=env)
    assert result.returncode == 0, result.stderr
    if shell == "bash":
        return [line.split(",", 1)[1] for line in result.stdout.splitlines()]
    if shell == "fish":
        return [line.split(",", 1)[1].split("\t")[0] for line in result.stdout.splitlines()]
    lines = result.stdout.splitlines()  # zsh: type, value, help, repeated
    return [lines[i + 1] for i in range(0, len(lines), 3)]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_offers_chinese_aliases(shell):
    names = complete(shell, "dlref show 线")
    assert "线性整流函数" in names and "线性整流单元" in names


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_of_knobs_and_their_choices(shell):
    assert "optimizer=" in complete(shell, "dlref demo gradient-descent --set opt")
    assert "optimizer=adam" in complete(shell, "dlref demo gradient-descent --set optimizer=")


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_of_lang_tags_demos_commands_and_bare_names(shell):
    assert complete(shell, "dlref show relu --lang ") == ["en", "zh", "both"]
    assert "activations" in complete(shell, "dlref list --tag act")
    assert "gradient-descent" in complete(shell, "dlref demo grad")
    assert {"show", "search"} <= set(complete(shell, "dlref s"))
    assert "relu" in complete(shell, "dlref rel")
    assert {"anki", "json"} <= set(complete(shell, "dlref export "))


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_of_quiz_offers_tags_then_cards(shell):
    # `dlref quiz` takes tags as well as cards; the tags are those the cards carry
    import tomllib

    tags = set()
    for path in (ROOT / "content").glob("*.md"):
        front = path.read_text(encoding="utf-8").split("+++")[1]
        tags.update(tomllib.loads(front)["tags"])
    assert "optimization" in tags and "activations" in tags
    offered = complete(shell, "dlref quiz relu opti")
    assert offered[0] == "optimization"
    assert set(offered) >= {t for t in tags if t.startswith("opti")}
    assert complete(shell, "dlref quiz activ")[:2] == ["activations", "activation-function"]


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_script_for_each_shell(shell):
    result = run(env={"_DLREF_COMPLETE": f"{shell}_source"})
    assert result.returncode == 0 and "_DLREF_COMPLETE" in result.stdout


# -- own cards -----------------------------------------------------------------------------------


def test_new_with_fake_editor_then_show(tmp_path: Path):
    home = tmp_path / "home"
    result = run("new", "swish", env={"DLREF_HOME": str(home), "EDITOR": "true"})
    assert result.returncode == 0, result.stderr
    assert (home / "cards" / "swish.md").exists()
    assert "checks out" in result.stderr
    shown = run("show", "swish", env={"DLREF_HOME": str(home)})
    assert shown.returncode == 0 and "(swish)" in shown.stdout
    assert "(relu)" in run("rectifier", env={"DLREF_HOME": str(home)}).stdout
    again = run("new", "swish", env={"DLREF_HOME": str(home), "EDITOR": "true"})
    assert again.returncode == 1 and "dlref edit swish" in again.stderr


def _editor(tmp_path: Path, old: str, new: str) -> str:
    """A fake $EDITOR that replaces `old` by `new` in the file it is given."""
    script = tmp_path / "editor.py"
    script.write_text("import sys, pathlib\n"
                      "p = pathlib.Path(sys.argv[1])\n"
                      f"p.write_text(p.read_text().replace({old!r}, {new!r}))\n")
    return f"{sys.executable} {script}"


def test_user_alias_clashing_with_bundled_alias_is_a_warning(tmp_path: Path):
    home = tmp_path / "home"
    editor = _editor(tmp_path, 'en = []', 'en = ["rectifier", "swish unit"]')
    result = run("new", "swish", env={"DLREF_HOME": str(home), "EDITOR": editor})
    assert result.returncode == 0, result.stderr
    assert "warning" in result.stderr and "rectifier" in result.stderr
    env = {"DLREF_HOME": str(home)}
    assert "(relu)" in run("show", "rectifier", env=env).stdout  # the bundled alias survives
    assert "(swish)" in run("show", "swish unit", env=env).stdout
    assert run("check", env=env).returncode == 0


def test_a_copied_card_takes_no_bundled_name_away_even_as_a_prefix(tmp_path: Path):
    # the old README recipe: copy relu.md and change its id; every alias then clashes
    mine = tmp_path / "mine"
    mine.mkdir()
    text = (ROOT / "content" / "relu.md").read_text(encoding="utf-8")
    assert '修正线性单元（ReLU）' in text  # so `修正线性` below is a prefix, not a name
    (mine / "myrelu.md").write_text(text.replace('id = "relu"', 'id = "myrelu"'),
                                    encoding="utf-8")
    env = {"DLREF_PATH": str(mine)}
    for name in (["修正线性"], ["线性整流函数"], ["rectifier"], ["ReLU", "(rect"], ["rectif"]):
        result = run("show", *name, env=env)
        assert result.returncode == 0, (name, result.stderr)
        assert result.stdout.splitlines()[0].endswith("(relu)"), name
    assert run("myrelu", env=env).stdout.splitlines()[0].endswith("(myrelu)")


def test_new_reports_problems_the_editor_left(tmp_path: Path):
    home = tmp_path / "home"
    editor = _editor(tmp_path, "## Definition {#definition}", "## Nothing")
    result = run("new", "swish", env={"DLREF_HOME": str(home), "EDITOR": editor})
    assert result.returncode == 1 and "section heading" in result.stderr
    assert "dlref edit swish" in result.stderr


def test_edit_reopens_a_card_that_does_not_load(tmp_path: Path):
    # what the message above says to do must work, though the broken card is no card to look
    # up, and its id is an alias of a bundled card (silu's `swish`)
    home = tmp_path / "home"
    env = {"DLREF_HOME": str(home)}
    broken = run("new", "swish", env={**env, "EDITOR": _editor(tmp_path, 'tags = ["mine"]',
                                                                 'tags = "mine"')})
    assert broken.returncode == 1 and "dlref edit swish" in broken.stderr
    before = run("show", "swish", env=env).stdout  # not the broken card: silu's alias swish
    assert "(silu)" in before.splitlines()[0]
    fixer = tmp_path / "fix"
    fixer.mkdir()
    fixed = run("edit", "swish", env={**env, "EDITOR": _editor(fixer, 'tags = "mine"',
                                                               'tags = ["mine"]')})
    assert fixed.returncode == 0, fixed.stderr
    assert "checks out" in fixed.stderr
    assert (home / "cards" / "swish.md").read_text().count('tags = ["mine"]') == 1
    assert "(swish)" in run("show", "swish", env=env).stdout


def test_new_rejects_a_bad_id():
    result = run("new", "Not An Id", env={"EDITOR": "true"})
    assert result.returncode == 2 and "lowercase" in result.stderr


def test_edit_copies_a_bundled_card_first(tmp_path: Path):
    home = tmp_path / "home"
    editor = _editor(tmp_path, 'en = "ReLU (rectified linear unit)"', 'en = "My ReLU"')
    result = run("edit", "relu", env={"DLREF_HOME": str(home), "EDITOR": editor})
    assert result.returncode == 0, result.stderr
    assert (home / "cards" / "relu.md").exists()
    assert run("relu", env={"DLREF_HOME": str(home)}).stdout.startswith("My ReLU")
    assert run("relu").stdout.startswith("ReLU (rectified")  # the bundled file is untouched


def test_paths_lists_every_place(tmp_path: Path):
    home = tmp_path / "home"
    result = run("paths", "--json", env={"DLREF_HOME": str(home)})
    data = json.loads(result.stdout)
    assert data["config"] == str(home / "config.toml")
    assert data["progress"] == str(home / "progress.sqlite3")
    assert data["new_cards"] == str(home / "cards")
    assert data["cards"][0]["bundled"] is True
    text = run("paths", env={"DLREF_HOME": str(home)}).stdout
    assert str(home / "config.toml") in text and "cache" in text


# -- did-you-mean over many names ----------------------------------------------------------------


def test_pruned_suggestions_match_the_plain_computation():
    from dlref.cards import Library
    from dlref.cards.library import _close_keys, _closeness, normalize

    keys = Library.load().catalog.name_list()
    assert keys and set(keys) == {k for k, _ in Library.load().catalog.names()}
    for typed in ("rleu", "sofmax", "atention", "batchnrom", "梯 度", "lstn", "x", "relu"):
        key = normalize(typed)
        plain = {k for k in keys if _closeness(key, k) >= 0.6}
        pruned = {k for _, k in _close_keys(key, keys)}
        assert pruned == plain, typed
        assert all(abs(score - _closeness(key, k)) < 1e-12 for score, k in
                   _close_keys(key, keys))


# -- the click-free lookup ------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [
    ["relu"], ["show", "relu"], ["show", "batch", "norm", "--short"], ["relu", "--lang", "both"],
    ["show", "relu", "-l", "zh", "--color", "always"], ["relu", "--short", "--full"],
    ["show", "relu", "--lang=zh_CN.UTF-8"],
])
def test_fast_lookup_writes_what_the_click_command_writes(argv):
    fast = run(*argv)
    code = "import sys; from dlref.cli import main; sys.argv[0] = 'dlref'; main()"
    slow = subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                          env={**os.environ}, timeout=60)
    assert fast.returncode == slow.returncode == 0
    assert fast.stdout == slow.stdout and fast.stdout
    assert fast.stderr == slow.stderr


def test_fast_lookup_imports_no_click():
    code = ("import sys\n"
            "sys.argv = ['dlref', 'show', 'relu']\n"
            "from dlref.launch import entry\n"
            "entry()\n"
            "print('MODULES=' + ','.join(sorted({m.split('.')[0] for m in sys.modules} & "
            "{'click', 'numpy', 'textual', 'tomllib'})), file=sys.stderr)\n")
    for _ in range(2):  # the first run parses relu.md and keeps its row: the second reads it
        result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                                timeout=60)
        assert result.returncode == 0 and "ReLU" in result.stdout
    assert "MODULES=\n" in result.stderr


def test_a_hand_edited_names_entry_in_the_cache_is_harmless(tmp_path: Path, monkeypatch):
    from dlref.cards import Library
    from dlref.cards.catalog import Catalog, catalog_file
    from dlref.cards.library import content_dirs

    monkeypatch.setenv("DLREF_CACHE", str(tmp_path / "c"))
    Library.load()
    catalog = Catalog(catalog_file(content_dirs()))
    with catalog.db:
        relu = catalog.db.execute("SELECT path FROM files WHERE id = 'relu'").fetchone()[0]
        catalog.db.executemany("INSERT INTO names(key, path) VALUES (?, ?)",
                               [(1, relu), (None, relu), ("zzznotaname", relu), (b"x", relu)])
    catalog.db.close()
    library = Library.load()
    assert library.find("zzznotaname").id == "relu"  # the stored strings are used as they are
    assert library.suggest("softmx") == ["softmax"]  # the non-strings are skipped, no crash
    assert library.find("softmax").id == "softmax"


# -- a lookup by id reads that card's file alone -------------------------------------------------


def _user_relu(tmp_path: Path, text: str) -> dict[str, str]:
    mine = tmp_path / "mine"
    mine.mkdir()
    (mine / "relu.md").write_text(text, encoding="utf-8")
    return {"DLREF_PATH": str(mine), "NO_COLOR": "1"}


def test_an_id_finds_the_user_card_that_replaces_a_bundled_one(tmp_path: Path):
    bundled = (ROOT / "content" / "relu.md").read_text(encoding="utf-8")
    env = _user_relu(tmp_path, bundled.replace('en = "ReLU (rectified linear unit)"',
                                               'en = "My own ReLU"'))
    for argv in (["relu"], ["show", "relu"]):
        result = run(*argv, env=env)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("My own ReLU  (relu)")


def test_a_broken_user_card_leaves_the_bundled_one_and_says_so(tmp_path: Path):
    env = _user_relu(tmp_path, "+++\nid = 'relu'\n+++\nno title, no tags\n")
    result = run("relu", env=env)
    assert result.returncode == 0
    assert result.stdout.startswith("ReLU (rectified linear unit)  (relu)")
    assert "with errors skipped" in result.stderr


def test_a_fifo_named_like_an_id_does_not_hang_the_lookup(tmp_path: Path):
    mine = tmp_path / "mine"
    mine.mkdir()
    os.mkfifo(mine / "relu.md")
    result = run("relu", env={"DLREF_PATH": str(mine), "NO_COLOR": "1"})
    assert result.returncode == 0
    assert result.stdout.startswith("ReLU (rectified linear unit)  (relu)")
    assert "with errors skipped" in result.stderr


def test_an_id_lookup_reads_no_other_card(tmp_path: Path):
    """With a thousand user cards (one of them unreadable), `dlref relu` opens relu.md and no
    other card file: its speed does not depend on how many cards there are."""
    mine = tmp_path / "mine"
    mine.mkdir()
    for i in range(1000):
        (mine / f"card-{i}.md").write_text("+++\nbroken\n", encoding="utf-8")
    code = ("import builtins, os, sys\n"
            "opened = []\n"
            "real = os.open\n"
            "def spy(path, *a, **k):\n"
            "    opened.append(str(path))\n"
            "    return real(path, *a, **k)\n"
            "os.open = spy\n"
            "sys.argv = ['dlref', 'relu']\n"
            "from dlref.launch import entry\n"
            "entry()\n"
            "cards = [p for p in opened if p.endswith('.md')]\n"
            "print('OPENED=' + ','.join(cards), file=sys.stderr)\n")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            env={**os.environ, "DLREF_PATH": str(mine), "NO_COLOR": "1"},
                            timeout=60)
    assert result.returncode == 0 and "ReLU" in result.stdout
    opened = result.stderr.split("OPENED=")[1].strip().split(",")
    assert [Path(p).name for p in opened] == ["relu.md"]


@pytest.mark.parametrize(("args", "env", "said"), [
    (["relu"], {"DLREF_LANG": "cn"},
     "dlref: DLREF_LANG='cn' names no language dlref speaks (en, zh or both): ignored"),
    (["relu"], {"DLREF_LANG": "cn", "LANG": "zh_CN.UTF-8"},
     "dlref: DLREF_LANG='cn' 不是 dlref 支持的语言（en、zh 或 both）：已忽略"),
    (["quiz", "relu", "-n", "1"], {"DLREF_NEW_PER_DAY": "abc"},
     "dlref: DLREF_NEW_PER_DAY='abc' is not a whole number from 0 to 1000: ignored"),
    # isdigit() passes '²', which int() refused with a traceback
    (["quiz", "relu", "-n", "1"], {"DLREF_NEW_PER_DAY": "²"},
     "dlref: DLREF_NEW_PER_DAY='²' is not a whole number from 0 to 1000: ignored"),
    # past the bound the config's daily_new and --new keep, not taken silently
    (["quiz", "relu", "-n", "1"], {"DLREF_NEW_PER_DAY": "1001", "LANG": "zh_CN.UTF-8"},
     "dlref: DLREF_NEW_PER_DAY='1001' 不是 0 到 1000 之间的整数：已忽略"),
])
def test_an_unusable_environment_setting_is_said_not_silently_ignored(tmp_path, args, env,
                                                                      said):
    """Through the console script, fast path included: the command still runs."""
    full = {k: v for k, v in os.environ.items() if not k.startswith(("DLREF_", "LC_"))}
    full |= {"DLREF_HOME": str(tmp_path), "LANG": "C.UTF-8", **env}
    script = Path(sys.executable).parent / "dlref"
    done = subprocess.run([str(script), *args], capture_output=True, text=True, env=full,
                          stdin=subprocess.DEVNULL, timeout=60)
    assert done.returncode == 0, done.stderr
    assert said in done.stderr.splitlines()
