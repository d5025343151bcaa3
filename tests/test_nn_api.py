"""The public surface of dlref.nn: names, docstrings, type hints, and import hygiene."""

from __future__ import annotations

import ast
import inspect
import subprocess
import sys
import typing
import warnings
from pathlib import Path

import numpy as np
import pytest

from dlref import nn

NN_DIR = Path(nn.__file__).parent


def test_all_names_exist_and_are_unique():
    assert len(nn.__all__) == len(set(nn.__all__))
    for name in nn.__all__:
        assert hasattr(nn, name), name


def test_every_public_module_name_is_exported():
    for path in NN_DIR.glob("*.py"):
        if path.name.startswith("_"):
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in tree.body:
            if isinstance(node, ast.FunctionDef | ast.ClassDef) and not node.name.startswith("_"):
                assert node.name in nn.__all__, f"{path.name}: {node.name} not in __all__"


@pytest.mark.parametrize("name", nn.__all__)
def test_documented_and_typed(name):
    obj = getattr(nn, name)
    assert inspect.getdoc(obj), f"{name} has no docstring"
    if inspect.isfunction(obj):
        hints = typing.get_type_hints(obj)
        params = inspect.signature(obj).parameters
        assert "return" in hints, f"{name}: no return annotation"
        assert set(params) <= set(hints), f"{name}: unannotated {set(params) - set(hints)}"


def test_imports_only_numpy_and_the_standard_library():
    allowed = {"numpy", "dlref.nn"} | set(sys.stdlib_module_names)
    for path in NN_DIR.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = ([a.name for a in node.names] if isinstance(node, ast.Import)
                     else [node.module or ""] if isinstance(node, ast.ImportFrom) else [])
            for mod in names:
                root = mod.split(".")[0]
                assert root in allowed or mod.startswith(("dlref.nn", "numpy")), \
                    f"{path.name} imports {mod}"
                assert root != "dlref" or mod.startswith("dlref.nn"), f"{path.name}: {mod}"


def test_importing_does_not_load_ui_libraries():
    code = ("import sys, dlref.nn; bad = [m for m in ('click', 'rich', 'textual', 'plotext', "
            "'torch') if m in sys.modules]; print(bad)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_float32_input_gives_float64_and_says_so_once(monkeypatch):
    from dlref.nn import _checks

    monkeypatch.setattr(_checks, "_said_float64", False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        assert nn.relu(np.ones(3)).dtype == np.float64  # float64 and ints: nothing to say
        assert nn.relu([1, 2]).dtype == np.float64
        assert not caught
        out, _ = nn.max_pool2d_forward(np.ones((1, 1, 4, 4), dtype=np.float32), 2)
        assert out.dtype == np.float64
        nn.sigmoid(np.float32(1.0))
        nn.relu(np.ones(2, dtype=np.float16))
    assert len(caught) == 1 and caught[0].category is UserWarning
    assert "computes in float64: float32 input gives float64 results" in str(caught[0].message)
