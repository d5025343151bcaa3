"""The house's layers (docs/architecture.md): which package may import which, read from every
import statement in the source (lazy ones inside functions included), and no import cycles
between modules."""

from __future__ import annotations

import ast
from pathlib import Path

import dlref

PACKAGE = Path(dlref.__file__).parent
UI = {"click", "rich", "textual", "textual_plotext", "plotext"}

# package -> the dlref packages it may import (besides itself). Keep docs/architecture.md true.
ALLOWED = {
    "i18n": set(),
    "nn": set(),
    "text": {"i18n", "cards"},
    # nn, demos and quiz only inside `dlref check`'s validation: worked examples recomputed,
    # demo knobs validated, fixed questions checked as the quiz will ask them
    "cards": {"text", "i18n", "nn", "demos", "quiz", "config"},
    "demos": {"nn", "i18n", "text"},
    "quiz": {"nn", "cards", "i18n", "text", "config"},
    "export": {"cards", "quiz", "i18n", "text"},
    "render": {"cards", "i18n", "text"},
    "tui": {"cards", "demos", "quiz", "i18n", "text", "state", "config"},
    "state": set(),  # the app's remembered state: standard library (and platformdirs) only
    "commands": {"cards", "demos", "quiz", "export", "render", "tui", "i18n", "text", "nn",
                 "config"},
    "config": {"i18n"},
    "cli": {"commands", "i18n"},
    "__main__": {"cli", "launch"},
    # the console script: a plain card lookup without click, else the click group
    "launch": {"cli", "cards", "config", "i18n", "render", "text"},
    "__init__": set(),
}
# packages that must never import a UI library (plotext is the CLI renderer's, in `render`)
NO_UI = {"i18n", "nn", "text", "cards", "demos", "quiz", "export", "state", "config"}


def _imports(path: Path) -> list[str]:
    out = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            out.append(node.module)
            out += [f"{node.module}.{a.name}" for a in node.names if node.module == "dlref"]
        elif isinstance(node, ast.Import):
            out += [a.name for a in node.names]
    return out


def _layer(path: Path) -> str:
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def test_each_layer_imports_only_what_it_may():
    wrong = []
    for path in PACKAGE.rglob("*.py"):
        layer = _layer(path)
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] == "dlref" and len(parts) > 1:
                target = parts[1]
                if target not in (layer, "__version__") and target not in ALLOWED[layer]:
                    wrong.append(f"{path.relative_to(PACKAGE)} imports dlref.{target}")
            elif layer in NO_UI and parts[0] in UI:
                wrong.append(f"{path.relative_to(PACKAGE)} imports {parts[0]}")
    assert wrong == []


def test_no_module_level_import_cycles():
    """Modules importing each other at load time, directly or through others."""
    graph: dict[str, set[str]] = {}
    for path in PACKAGE.rglob("*.py"):
        module = ".".join(("dlref", *path.relative_to(PACKAGE).with_suffix("").parts))
        module = module.removesuffix(".__init__")
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[module] = {n.module for n in tree.body
                         if isinstance(n, ast.ImportFrom) and n.module and n.level == 0
                         and n.module.startswith("dlref.")}
    seen: set[str] = set()

    def visit(module: str, stack: list[str]) -> None:
        if module in stack:
            raise AssertionError(" -> ".join([*stack[stack.index(module):], module]))
        if module in seen or module not in graph:
            return
        for target in graph[module]:
            visit(target, [*stack, module])
        seen.add(module)

    for module in graph:
        visit(module, [])
