"""The language layer: choosing the language, the catalogue's completeness, and that the front
ends take their words from it rather than from literals of their own."""

from __future__ import annotations

import ast
import json
import re
import string
from pathlib import Path

import pytest
from click.testing import CliRunner

import dlref
from dlref.cli import main
from dlref.i18n import BOTH, bilingual, parse_choice, pick, resolve_language, t, tag_label
from dlref.i18n.words import WORDS

PACKAGE = Path(dlref.__file__).parent


@pytest.mark.parametrize(
    ("flag", "env", "want"),
    [
        ("zh", {"LANG": "en_US.UTF-8"}, "zh"),
        (None, {"DLREF_LANG": "both", "LANG": "zh_CN.UTF-8"}, "both"),
        (None, {"LANG": "zh_CN.UTF-8"}, "zh"),
        (None, {"LANGUAGE": "zh_TW:en", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"LANGUAGE": "fr:zh", "LANG": "fr_FR.UTF-8"}, "zh"),  # a priority list
        (None, {"LANGUAGE": "fr:de"}, "en"),  # nothing dlref speaks: English
        (None, {"LC_ALL": "C", "LANG": "zh_CN.UTF-8"}, "en"),  # LC_ALL wins, C is English
        (None, {"LC_ALL": "zh_CN.UTF-8", "LANG": "en_US.UTF-8"}, "zh"),
        (None, {"LC_MESSAGES": "zh_CN.UTF-8", "LANG": "en_GB.UTF-8"}, "zh"),
        (None, {"LC_MESSAGES": "POSIX", "LANG": "zh_CN.UTF-8"}, "en"),
        (None, {"LANG": "fr_FR.UTF-8"}, "en"),
        (None, {"LANG": "C.UTF-8"}, "en"),
        (None, {}, "en"),
        ("zh-CN", {}, "zh"),
        ("zh_CN.UTF-8", {}, "zh"),
        ("Both", {}, "both"),
        (None, {"DLREF_LANG": "zh_TW"}, "zh"),
        (None, {"DLREF_LANG": "fr", "LANG": "zh_CN.UTF-8"}, "zh"),  # unusable: next source
    ],
)
def test_language_resolution(flag, env, want):
    assert resolve_language(flag, env) == want


@pytest.mark.parametrize("value", ["fr", "chinese", "C", "", "zz_ZZ"])
def test_a_language_dlref_does_not_speak_is_not_a_choice(value):
    assert parse_choice(value) is None


def _fields(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(WORDS))
def test_every_interface_word_has_both_languages_with_the_same_fields(key):
    entry = WORDS[key]
    assert set(entry) == {"en", "zh"}, key
    assert entry["en"].strip() or key in ("colon", "list-sep")
    assert entry["zh"].strip() or key in ("colon", "list-sep")
    assert _fields(entry["en"]) == _fields(entry["zh"]), key


def test_pick_and_join():
    text = {"en": "loss", "zh": "损失"}
    assert pick(text, "zh") == "损失"
    assert pick(text, "en") == "loss"
    assert pick(text, BOTH) == "loss · 损失"
    assert pick({"en": "same", "zh": "same"}, BOTH) == "same"
    assert pick({"en": "only"}, "zh") == "only"
    assert pick("x", "zh") == "x"
    assert t("quiz.wrong", "zh", answer="0.5") == "✗ 答案是 0.5"
    assert t("quiz.right", BOTH) == "✓ right · ✓ 正确"
    assert bilingual("card.tags") == {"en": "Tags", "zh": "标签"}
    assert tag_label("activations", "zh") == "激活函数"
    assert tag_label("my-own-tag", "zh") == "my-own-tag"


def test_a_bilingual_field_is_picked_per_language():
    hint = {"en": "3 decimals", "zh": "保留 3 位小数"}
    assert t("quiz.hint", "zh", hint=hint) == "（保留 3 位小数）"
    assert t("quiz.hint", "en", hint=hint) == "(3 decimals)"
    assert t("quiz.hint", BOTH, hint=hint) == "(3 decimals) · （保留 3 位小数）"
    assert t("quiz.wrong", BOTH, answer=0.5) == "✗ the answer is 0.5 · ✗ 答案是 0.5"


# -- the front ends say nothing of their own ---------------------------------------------------

FRONT_ENDS = [PACKAGE / "cli.py", *sorted((PACKAGE / "commands").glob("*.py")),
              *sorted((PACKAGE / "tui").rglob("*.py")), *sorted((PACKAGE / "render").glob("*.py"))]
# Calls whose text argument a learner reads.
SPEAKING = {"fail", "echo", "notify", "Static", "Label", "Button", "Input", "update", "Option"}
WORD = re.compile(r"[A-Za-z]{3,}")
PROGRAM = {"dlref"}  # the program's own name prefixes its messages


def _literal_words(node: ast.AST) -> list[str]:
    """English words in a string literal or in the literal parts of an f-string."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [w for w in WORD.findall(node.value) if w not in PROGRAM]
    if isinstance(node, ast.JoinedStr):
        return [w for v in node.values for w in _literal_words(v)]
    if isinstance(node, ast.BinOp):
        return _literal_words(node.left) + _literal_words(node.right)
    return []


def _spoken_literals(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
        if name not in SPEAKING:
            continue
        args = [*node.args[:1], *(k.value for k in node.keywords if k.arg == "placeholder")]
        for arg in args:
            words = _literal_words(arg)
            if words:
                out.append(f"{path.name}:{node.lineno}: {' '.join(words)}")
    return out


def test_front_ends_take_their_words_from_the_catalogue():
    found = [line for path in FRONT_ENDS for line in _spoken_literals(path)]
    assert found == []


def _bilingual_literals(path: Path) -> list[str]:
    """`{"en": "…", "zh": "…"}` written out in `path` (a text, not values computed elsewhere)."""
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Dict):
            keys = {k.value for k in node.keys if isinstance(k, ast.Constant)}
            if {"en", "zh"} <= keys and any(isinstance(v, ast.Constant | ast.JoinedStr)
                                            for v in node.values):
                out.append(f"{path.name}:{node.lineno}")
    return out


def test_front_ends_and_the_export_keep_no_words_of_their_own():
    """Interface words in two languages live in the catalogue, not beside a front end."""
    found = [where for path in [*FRONT_ENDS, PACKAGE / "export.py"]
             for where in _bilingual_literals(path)]
    assert found == []


def test_every_shown_app_binding_has_words_in_both_languages():
    from dlref.tui.app import DlrefApp

    for binding in DlrefApp.BINDINGS:
        assert binding.id and f"app.key.{binding.id}" in WORDS, binding


# -- the CLI in Chinese --------------------------------------------------------------------------


def run(*args: str, env: dict[str, str] | None = None, input: str | None = None):
    return CliRunner().invoke(main, list(args), env=env, input=input)


ZH = {"LANG": "zh_CN.UTF-8"}


def test_errors_speak_the_locale_language():
    result = run("show", "rleu", env=ZH)
    assert result.exit_code == 1
    assert "没有名为 'rleu' 的卡片" in result.stderr and "你是不是想找" in result.stderr
    result = run("demo", "dropout", "--set", "p=1.5", env=ZH)
    assert result.exit_code == 2 and "暂退概率 p：1.5 超出范围" in result.stderr


@pytest.mark.parametrize(("args", "error"), [
    (["export", "anki"], "错误：缺少参数 'FILE'。"),
    (["quiz", "-n", "0"], "错误：'-n' 的值无效：0 不在范围 1<=x<=500 内。"),
    (["quiz", "-n", "abc"], "错误：'-n' 的值无效：'abc' 不是有效的整数。"),
    (["list", "--color", "rainbow"],
     "错误：'--color' 的值无效：'rainbow' 不是可选值之一：'auto', 'always', 'never'。"),
    (["check", "/no/such/path"], "错误：'[PATH]' 的值无效：路径 '/no/such/path' 不存在。"),
    (["check", ""], "错误：'[PATH]' 的值无效：路径 '' 不存在。"),  # an empty path is a path too
    (["show", "relu", "--lagn", "zh"], "错误：没有选项 '--lagn'。你是不是想找：'--lang'？"),
    (["stats", "extra"], "错误：多余的参数：extra"),
    (["export", "foo"], "错误：没有命令 'foo'。"),
    (["demo", "dropout", "--set"], "错误：选项 '--set' 需要一个值。"),
    (["show", "relu", "--lang", "fr"], "错误：'--lang' / '-l' 的值无效：不支持语言 'fr'；"),
])
def test_clicks_usage_errors_speak_chinese(args, error):
    result = run(*args, env=ZH)
    assert result.exit_code == 2
    assert error in result.stderr
    assert not re.search(r"Usage|Try |Error|Invalid|Missing|No such|not a valid|not in the "
                         r"range|not one of|does not exist|unexpected|requires", result.stderr)
    if args[0] != "demo":  # click gives no usage line for an option without its value
        assert result.stderr.startswith("用法：")
        assert "--help' 查看帮助。\n\n错误：" in result.stderr


def test_clicks_usage_errors_stay_clicks_own_in_english():
    result = run("export", "anki", env={"LANG": "C.UTF-8"})
    assert result.exit_code == 2 and result.stderr.startswith("Usage: ")
    assert result.stderr.endswith("for help.\n\nError: Missing argument 'FILE'.\n")


def test_an_unknown_language_is_a_usage_error_in_every_command():
    for command in (["show", "relu"], ["demo", "relu"], ["quiz", "relu"], ["stats"]):
        result = run(*command, "--lang", "fr")
        assert result.exit_code == 2, command
        assert "choose en, zh or both" in result.stderr
        assert "Traceback" not in result.output


def test_a_foreign_locale_gives_english_without_a_notice():
    result = run("show", "relu", env={"LANG": "fr_FR.UTF-8"})
    assert result.exit_code == 0 and result.stdout.startswith("ReLU")
    assert result.stderr == ""


def test_the_quiz_and_stats_speak_chinese(tmp_path):
    env = {**ZH, "DLREF_HOME": str(tmp_path)}
    first = json.loads(run("quiz", "relu", "-n", "2", "--seed", "3", "--json-questions",
                           env=env).stdout)[0]
    # a wrong option for a choice question (7 would name no option: a hint, not a mark)
    wrong = str(int(first["answer"]) % len(first["options"]) + 1) if "options" in first else "7"
    result = run("quiz", "relu", "-n", "2", "--seed", "3", env=env,
                 input=f"abc\n{wrong}\n7\n")
    assert "请再试一次" in result.output
    assert "✗ 答案是" in result.output and "得分" in result.output
    stats = run("stats", env=env)
    assert stats.exit_code == 0
    assert "学习进度" in stats.output and "正确率" in stats.output
    assert "激活函数" in stats.output and "activations" not in stats.output  # relu's tag
    assert "reviews" not in stats.output and "accuracy" not in stats.output


def test_stats_with_no_reviews_in_chinese(tmp_path):
    result = run("stats", env={**ZH, "DLREF_HOME": str(tmp_path)})
    assert "还没有复习记录" in result.output


def test_table_headers_in_chinese():
    result = run("glossary", "梯度", "--color", "always", env={**ZH, "COLUMNS": "120"})
    assert "英文" in result.output and "卡片" in result.output


def test_a_count_says_its_noun_in_the_singular_or_the_plural():
    from dlref.i18n import t

    tally = {"practice": 0, "skipped": 2}
    assert t("quiz.tally", "en", reviews=1, **tally) == "1 review, 0 practice, 2 skipped"
    assert t("quiz.tally", "en", reviews=3, **tally).startswith("3 reviews,")
    assert t("check.ok", "en", count=1) == "1 card OK."
    assert t("check.ok", "en", count=0) == "0 cards OK."
    assert t("quiz.tally", "zh", reviews=1, **tally) == "复习 1 次，练习 0 次，跳过 2 次"


def test_no_count_is_followed_by_a_noun_with_an_s_in_brackets():
    """"3 review(s)" reads as a machine's; `{count:s}` gives "1 review", "3 reviews"."""
    import re

    from dlref.i18n.words import WORDS

    for key, entry in WORDS.items():
        assert not re.search(r"\{\w+\} (\w+ )?\w+\(s\)", entry.get("en", "")), key


def test_every_message_tomllib_can_give_has_its_chinese():
    """The messages are read out of tomllib's own source, so a Python whose parser says
    something new fails here rather than printing English in a Chinese sentence."""
    import re
    import tomllib._parser as parser

    from dlref.i18n import _TOML_ZH

    source = Path(parser.__file__).read_text(encoding="utf-8")
    said = set(re.findall(r'suffixed_err\(\s*src,\s*\w+,\s*(f?"[^"]*")', source))
    english = {re.sub(r"\{[^}]*\}", "{0}", m.lstrip("f").strip('"')).replace("\\\\", "\\")
               for m in said}
    assert len(english) >= 15 and english <= set(_TOML_ZH), english - set(_TOML_ZH)


@pytest.mark.parametrize(("text", "zh"), [
    ("a = = 1", "第 1 行第 5 列：无效的值"),
    ('a = "x', "文件末尾：字符串没有闭合"),
    ("[t]\nx = 1\n[t]", "第 3 行第 3 列：不能重复声明 ('t',)"),
    ("a = {b = 1, b = 2}", "第 1 行第 18 列：内联表的键 'b' 重复"),
    ("a b = 1", "第 1 行第 3 列：键值对中，键后面应当是 '='"),
])
def test_tomllibs_reasons_are_said_in_chinese_with_where(text, zh):
    import tomllib

    from dlref.i18n import toml_reason

    with pytest.raises(tomllib.TOMLDecodeError) as info:
        tomllib.loads(text)
    said = toml_reason(info.value)
    assert said == {"en": str(info.value), "zh": zh}
    assert toml_reason(info.value, position=False)["zh"] == zh.split("：", 1)[1]
