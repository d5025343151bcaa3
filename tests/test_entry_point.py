"""The installed `dlref` as a user runs it: a real process, real pipes, real environment."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIX = Path(__file__).parent / "fixtures"
#: (sqlite3 is not on the list: the card catalogue is an SQLite file, and reading a card's row
#: costs a lookup less than parsing its TOML would.)
HEAVY = ("numpy", "textual", "rich", "plotext", "fsrs", "genanki")


def dlref_bin() -> str:
    path = Path(sys.executable).parent / "dlref"
    assert path.exists(), "the dlref console script is not installed in this environment"
    return str(path)


def run(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None):
    full_env = {**os.environ, **(env or {})}
    return subprocess.run([dlref_bin(), *args], capture_output=True, text=True, env=full_env,
                          cwd=cwd, timeout=60)


def test_show_relu_piped_has_no_escape_codes(tmp_path: Path):
    result = run("show", "relu", "--lang", "zh", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "\x1b[" not in result.stdout
    assert "ReLU" in result.stdout


def test_unknown_card_exit_code_and_suggestion():
    result = run("show", "rleu")
    assert result.returncode == 1
    assert "relu" in result.stderr and "Traceback" not in result.stderr


def test_python_dash_m_works():
    result = subprocess.run([sys.executable, "-m", "dlref", "show", "relu", "--json"],
                            capture_output=True, text=True, timeout=60)
    assert json.loads(result.stdout)["id"] == "relu"


def test_show_imports_no_heavy_module():
    code = (
        "import sys\n"
        "from dlref.cli import main\n"
        "try:\n"
        "    main(['show', 'relu'], standalone_mode=False)\n"
        "finally:\n"
        f"    heavy = sorted({{m.split('.')[0] for m in sys.modules}} & set({HEAVY!r}))\n"
        "    print('HEAVY=' + ','.join(heavy), file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert "HEAVY=\n" in result.stderr, result.stderr


def test_core_layers_import_no_ui_library():
    code = (
        "import sys, dlref.cards, dlref.nn\n"
        "print(','.join(sorted({m.split('.')[0] for m in sys.modules} & "
        "{'click', 'rich', 'textual', 'plotext'})))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


def test_user_directory_from_environment(tmp_path: Path):
    result = run("show", "第一单元", env={"DLREF_PATH": str(FIX / "cards")}, cwd=tmp_path)
    assert result.returncode == 0 and "Alpha unit" in result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation",
                    "-q", "-w", str(out), str(ROOT)], check=True, timeout=300)
    return next(out.glob("dlref-*.whl"))


def test_wheel_ships_the_content(wheel: Path):
    names = zipfile.ZipFile(wheel).namelist()
    assert "dlref/content/relu.md" in names
    cards = [n for n in names if n.startswith("dlref/content/") and n.endswith(".md")]
    assert len(cards) == len(list((ROOT / "content").glob("*.md")))


def test_non_editable_install_runs_from_elsewhere(wheel: Path, tmp_path: Path):
    target = tmp_path / "site"
    subprocess.run([sys.executable, "-m", "pip", "install", "--no-deps", "-q", "--target",
                    str(target), str(wheel)], check=True, timeout=300)
    env = {**os.environ, "PYTHONPATH": str(target)}
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    result = subprocess.run([str(target / "bin" / "dlref"), "show", "relu", "--json"],
                            capture_output=True, text=True, env=env, cwd=elsewhere, timeout=60)
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["id"] == "relu"
    assert data["source"].startswith(str(target)), "content must come from the installed wheel"


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs Linux's /dev/full")
@pytest.mark.parametrize("args", [["show", "relu"], ["list"], ["glossary"]])
@pytest.mark.parametrize(("lang", "said"), [
    ("en", "dlref: cannot write the output: No space left on device\n"),
    ("zh", "dlref: 无法写入 输出：设备上没有剩余空间\n"),
    ("both", "dlref: cannot write the output: No space left on device\n"
             "无法写入 输出：设备上没有剩余空间\n")])
def test_an_output_that_cannot_be_written_is_one_line_not_a_traceback(args, lang, said):
    with open("/dev/full", "w") as full:
        result = subprocess.run([sys.executable, "-m", "dlref", *args], stdout=full,
                                stderr=subprocess.PIPE, text=True, timeout=60,
                                env={**os.environ, "DLREF_LANG": lang})
    assert result.returncode == 1
    assert result.stderr == said
