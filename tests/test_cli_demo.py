"""`dlref demo` and `dlref glossary` as a user runs them."""

from __future__ import annotations

import json

import numpy as np
import pytest
from click.testing import CliRunner

from dlref import nn
from dlref.cards import Library
from dlref.cli import main


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_demo_list_covers_every_card():
    data = json.loads(run("demo", "--list", "--json").stdout)
    covered = {card for row in data for card in row["cards"]}
    assert covered == set(Library.load().cards)
    assert "gradient-descent" in run("demo", "--list").stdout


def test_gradient_descent_with_adam_has_a_falling_loss():
    out = run("demo", "gradient-descent", "--set", "lr=0.1", "--set", "optimizer=adam", "--json")
    assert out.exit_code == 0, out.output
    data = json.loads(out.stdout)
    loss = data["plots"][0]["series"][0]["y"]
    assert loss[-1] < loss[0] - 3  # log10 f falls by orders of magnitude
    assert data["knobs"]["optimizer"] == "adam"
    text = run("demo", "gradient-descent", "--set", "lr=0.1", "--set", "optimizer=adam").stdout
    assert "┤" in text and "loss" in text  # a terminal plot


def test_pooling_tables_match_an_independent_max():
    out = run("demo", "pooling", "--set", "kernel_size=3", "--set", "stride=2", "--json")
    tables = json.loads(out.stdout)["tables"]
    grid = np.array([row[1:] for row in tables[0]["rows"]], dtype=float)
    pooled = np.array([row[1:] for row in tables[1]["rows"]], dtype=float)
    expect = [[grid[i:i + 3, j:j + 3].max() for j in range(0, grid.shape[1] - 2, 2)]
              for i in range(0, grid.shape[0] - 2, 2)]
    assert pooled.tolist() == expect
    text = run("demo", "pooling", "--set", "kernel_size=3", "--set", "stride=2").stdout
    assert "max pooled" in text


def test_demo_by_card_name_uses_the_card_presets():
    data = json.loads(run("demo", "线性整流函数", "--json").stdout)
    assert data["demo"] == "activations" and data["knobs"]["activation"] == "relu"


def test_code_prints_the_kernel_source():
    out = run("demo", "relu", "--code").stdout
    assert "def relu(" in out and "def sigmoid(" not in out


def test_code_includes_the_private_helpers_a_kernel_calls_once_each():
    out = run("demo", "pooling", "--code").stdout
    assert "def avg_pool2d_forward(" in out and "def _taps(" in out
    assert out.count("def _geometry(") == 1  # called by both pooling kernels


def test_code_shows_backward_and_the_plain_form_first_without_argument_checks():
    out = run("demo", "batchnorm", "--code").stdout
    steps = out.index("def batchnorm_steps(")
    assert steps < out.index("def batchnorm_forward(") < out.index("def batchnorm_backward(")
    assert "def batchnorm_steps_backward(" in out and "(the plain form batchnorm_forward is " \
        "tested against)" in out
    assert "def _check_options(" not in out and "def _batch_variance(" in out
    pooling = run("demo", "pooling", "--code").stdout
    assert "def max_pool2d_backward(" in pooling and "def avg_pool2d_sums(" in pooling
    # max pooling's fast form (offset codes, per-geometry plans) also follows its plain form
    assert pooling.index("def max_pool2d_windows(") < pooling.index("def max_pool2d_forward(")
    assert "# dlref.nn.pooling.max_pool2d_windows (the plain form max_pool2d_forward is " \
        "tested against)" in pooling


def test_bad_knobs_exit_2_with_the_valid_ranges():
    out = CliRunner().invoke(main, ["demo", "dropout", "--set", "p=1.5"])
    assert out.exit_code == 2
    assert "p: a number in [0, 1]" in out.stderr and "Traceback" not in out.output
    unknown = CliRunner().invoke(main, ["demo", "dropout", "--set", "rate=0.5"])
    assert unknown.exit_code == 2 and "has no knob 'rate'" in unknown.stderr
    malformed = CliRunner().invoke(main, ["demo", "dropout", "--set", "p"])
    assert malformed.exit_code == 2


def test_same_seed_same_output():
    a = run("demo", "dropout", "--seed", "3", "--json").stdout
    b = run("demo", "dropout", "--seed", "3", "--json").stdout
    c = run("demo", "dropout", "--seed", "4", "--json").stdout
    assert a == b and a != c


def test_dropout_demo_kept_fraction_matches_the_kernel():
    data = json.loads(run("demo", "dropout", "--set", "p=0.25", "--json").stdout)
    kept = data["metrics"]["kept_fraction"]
    out, _ = nn.dropout_forward(np.ones(20000), 0.25, rng=0)
    assert abs(kept - 0.75) < 0.1 and abs((out > 0).mean() - 0.75) < 0.02


def test_glossary_finds_gradient_terms():
    out = run("glossary", "梯度")
    assert out.exit_code == 0
    ids = {line.split("\t")[-1] for line in out.stdout.splitlines()}
    assert {"gradient", "gradient-descent", "vanishing-gradient"} <= ids
    data = json.loads(run("glossary", "--json").stdout)
    assert len(data) == len(Library.load().cards)
    english = [row["en"][0].casefold() for row in data]
    assert english == sorted(english)
    assert CliRunner().invoke(main, ["glossary", "qqqzzz"]).exit_code == 1


def test_negative_seed_is_a_usage_error_not_a_traceback():
    for args in (["demo", "relu", "--seed", "-1"], ["quiz", "relu", "--seed", "-1", "-n", "1",
                                                      "--json-questions"]):
        out = CliRunner().invoke(main, args)
        assert out.exit_code == 2 and "not in the range x>=0" in out.output, out.output
        assert "Traceback" not in out.output and out.exception is None or \
            isinstance(out.exception, SystemExit)


def test_transformer_block_plot_has_short_round_y_ticks():
    import numpy as np
    from test_numbers import assert_readable_ticks, y_tick_labels

    from dlref.demos import get

    out = run("demo", "transformer-block", "--color", "never").output
    assert "77309411328" not in out
    demo = get("transformer-block")
    result = demo.run(demo.defaults(), np.random.default_rng(0))
    ys = [y for series in result.plots[0].series for y in series.y]
    assert_readable_ticks(y_tick_labels(out), min(ys), max(ys))


def test_the_demo_listing_is_punctuated_as_each_language_writes():
    """Chinese lists names with 、 and separates knobs with ；; with both languages each label
    stays on its line (it once broke into "cards: " and "卡片：" on two lines)."""
    zh = run("demo", "--list", "--lang", "zh").output.splitlines()
    assert zh[1].split("卡片：")[1].startswith("activation-function、elu、gelu")
    assert "activation 可选：sigmoid、tanh、ReLU、LeakyReLU（leaky_relu）" in zh[2]
    assert "；xmin：" in zh[2]
    assert not any(", " in line.split("：", 1)[1] and "[" not in line for line in zh[1:3])
    both = run("demo", "--list", "--lang", "both").output.splitlines()
    assert both[1].strip().startswith("cards / 卡片: activation-function, elu")
    assert both[2].strip().startswith("knobs / 旋钮: activation: one of sigmoid, tanh")
    assert len(both) == len(run("demo", "--list", "--lang", "en").output.splitlines())


@pytest.mark.parametrize("lang", ["zh", "both"])
def test_a_bad_knob_lists_each_knob_once_per_language(lang):
    result = run("demo", "activations", "--set", "activation=foo", "--lang", lang)
    assert result.exit_code == 2
    lines = result.stderr.splitlines()
    zh = [line for line in lines if line.startswith("  activation 可选：")]
    assert zh == ["  activation 可选：sigmoid、tanh、ReLU、LeakyReLU（leaky_relu）、ELU、PReLU、"
                  "GELU、SiLU（默认：sigmoid）"]
    en = [line for line in lines if line.startswith("  activation: ")]
    assert en == ([] if lang == "zh" else
                  ["  activation: one of sigmoid, tanh, ReLU, LeakyReLU (leaky_relu), ELU, PReLU, "
                   "GELU, SiLU (default sigmoid)"])
    assert not any(line.startswith("（") for line in lines)


def test_a_demo_name_prefix_runs_that_demo_before_a_card_alias_of_the_same_word():
    """`sequence` starts sequence-memory and an alias of encoder-decoder ("sequence to
    sequence"); `norm`, normalization and an alias of softmax: the demo's own name wins."""
    for typed_name, demo in (("sequence", "sequence-memory"), ("seq", "sequence-memory"),
                             ("norm", "normalization"), ("drop", "dropout")):
        result = run("demo", typed_name, "--json")
        assert result.exit_code == 0, (typed_name, result.output)
        assert json.loads(result.stdout)["demo"] == demo, typed_name


@pytest.mark.parametrize(("lang", "said"), [("en", "no demo or card named 'dropuot'"),
                                            ("zh", "没有名为 'dropuot' 的演示或卡片")])
def test_an_unknown_demo_suggests_demo_names_and_where_they_are_listed(lang, said):
    result = run("demo", "dropuot", "--lang", lang)
    assert result.exit_code == 1
    assert said in result.stderr and "dropout" in result.stderr
    assert "dlref demo --list" in result.stderr


def test_every_plot_title_is_printed_in_each_language_and_in_both():
    """plotext drops a title wider than the plot, as "English · 中文" often is: the titles
    are printed above the plots, wrapped like the tables' titles."""
    from dlref import demos
    from dlref.i18n import pick

    for name in ("softmax", "neuron", "early-stopping"):
        result = demos.get(name).run(demos.get(name).defaults(), np.random.default_rng(0))
        for lang in ("en", "zh", "both"):
            out = "".join(run("demo", name, "--lang", lang, "--color", "never").output.split())
            for plot in result.plots:  # wrapped anywhere: compared without the spaces
                assert "".join(pick(plot.title, lang).split()) in out, (name, lang)


def hearing_ctrl_c() -> None:
    """In the child: Ctrl-C as a terminal delivers it, even when the tests run where SIGINT is
    ignored (started with `&` by a script, or nohup), which a child would inherit."""
    import signal

    signal.signal(signal.SIGINT, signal.SIG_DFL)


# The demo runs its real training over and over, so it lasts until the Ctrl-C whatever the
# machine's speed, and says when it has started, so the Ctrl-C comes inside it, not during the
# imports (a sleep of 3 s was both: the demo took 1.8 s on a fast machine).
_ENDLESS_DEMO = """
import pathlib, sys
from dlref import demos
started = pathlib.Path(sys.argv[1])
demo = demos.get("sequence-memory")
once = demo.run
def endless(values, rng):
    started.write_text("started")
    while True:
        once(values, rng)
object.__setattr__(demo, "run", endless)
sys.argv = ["dlref", "demo", "sequence-memory", "--set", "steps=300"]
from dlref.launch import entry
entry()
"""


def test_ctrl_c_in_a_long_demo_is_said_in_the_language_with_status_130(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    env = {**os.environ, "DLREF_HOME": str(tmp_path), "DLREF_LANG": "zh"}
    started = tmp_path / "started"
    proc = subprocess.Popen([sys.executable, "-c", _ENDLESS_DEMO, str(started)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=env,
                            preexec_fn=hearing_ctrl_c)
    try:  # the child runs until told: never left behind by a failing assert
        deadline = time.monotonic() + 60
        while not started.exists() and proc.poll() is None and time.monotonic() < deadline:
            time.sleep(0.02)
        assert started.exists(), proc.returncode
        proc.send_signal(signal.SIGINT)
        out, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        proc.wait()
    assert proc.returncode == 130, err
    assert err.strip() == "dlref: 已中断" and out == ""


def test_a_choice_is_shown_by_its_label_and_typed_by_its_value():
    """A choice a learner reads is a word in their language or a proper name (二次函数, Adam);
    the value to type follows it where typing the label would not give it (`--set` takes any
    case): in the knob list of an error, in the defaults, and in `--list`."""
    refused = run("demo", "gradient-descent", "--set", "optimizer=foo", "--lang", "zh")
    assert refused.exit_code == 2
    lines = refused.stderr.splitlines()
    assert "  function 可选：二次函数（quadratic）、Rosenbrock 函数（rosenbrock）" \
        "（默认：二次函数）" in lines
    assert "  optimizer 可选：SGD、动量法（momentum）、Adagrad、RMSProp、Adam（默认：SGD）" in lines
    english = run("demo", "gradient-descent", "--set", "optimizer=foo").stderr.splitlines()
    assert "  optimizer: one of SGD, SGD with momentum (momentum), Adagrad, RMSProp, Adam " \
        "(default SGD)" in english
    listing = run("demo", "--list", "--lang", "zh").stdout
    assert "function 可选：二次函数（quadratic）、Rosenbrock 函数（rosenbrock）；" in listing
    for typed, value in (("adam", "adam"), ("Adam", "adam"), ("RMSProp", "rmsprop"),
                         ("momentum", "momentum")):
        out = run("demo", "gradient-descent", "--set", f"optimizer={typed}", "--set",
                  "steps=2", "--json")
        assert out.exit_code == 0 and json.loads(out.stdout)["knobs"]["optimizer"] == value


@pytest.mark.parametrize(("lang", "said"), [
    ("zh", "学习率（0 表示取推荐值）（lr）：'abc' 不是有效的数；应为 [0, 10] 之间的数"),
    ("en", "learning rate (0 = suggested) (lr): 'abc' is not a number; it takes a number in "
           "[0, 10]")])
def test_a_refused_knob_is_named_by_its_label_then_the_name_to_type(lang, said):
    """The message names the knob as the learner reads it, with the name `--set` takes after
    it; what it takes follows without naming it again by that name (it once read
    `…；lr：[0, 10] 之间的数`)."""
    result = run("demo", "gradient-descent", "--set", "lr=abc", "--lang", lang)
    assert result.exit_code == 2
    assert result.stderr.splitlines()[0] == f"dlref: {said}"
    choice = run("demo", "gradient-descent", "--set", "optimizer=foo", "--lang", "zh")
    assert choice.stderr.splitlines()[0] == \
        "dlref: 优化算法（optimizer）：不能取 'foo'；可选：SGD、动量法（momentum）、Adagrad、" \
        "RMSProp、Adam"
    in_label = run("demo", "dropout", "--set", "p=3", "--lang", "zh")  # 暂退概率 p: no （p）
    assert in_label.stderr.splitlines()[0] == "dlref: 暂退概率 p：3 超出范围；应为 [0, 1] 之间的数"


def test_json_for_no_such_demo_is_null_beside_the_message():
    """A script's JSON parser meets `null`, as with `show --json`, not empty output."""
    for name in ("zzqqxx", "softmax-regression-typo"):
        out = run("demo", name, "--json")
        assert out.exit_code == 1 and json.loads(out.stdout) is None
        assert "zzqqxx" in out.stderr or "softmax" in out.stderr
    assert run("demo", "", "--json").stdout == ""  # an empty name stays a usage error
