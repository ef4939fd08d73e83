"""The layers of design.md: core, exports and db never import Qt; core and db load no exporter.

The source is parsed (not grepped), so comments and strings that mention PySide6 do not count,
while ``import PySide6``, ``from PySide6.QtCore import ...`` and ``importlib.import_module("PySide6...")``
anywhere in a module (also inside functions) do. A second check imports each module in a fresh
interpreter and looks at what it loaded.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
NO_QT_DIRS = ["desktop/core", "desktop/exports", "db"]
QT = "PySide6"
HEAVY = ("PySide6", "reportlab", "openpyxl")  # what importing core or db must not load


def python_files(folder: str) -> list[Path]:
    base = ROOT / folder
    return sorted(p for p in base.rglob("*.py") if "__pycache__" not in p.parts) if base.is_dir() else []


def imported_roots(source: str, filename: str) -> set[tuple[str, int]]:
    """Top-level package names a module imports, with the line of each import."""
    tree = ast.parse(source, filename=filename)
    found: set[tuple[str, int]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update((alias.name.split(".")[0], node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.module.split(".")[0], node.lineno))
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)
            arg = node.args[0]
            if name in ("import_module", "__import__") and isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                found.add((arg.value.split(".")[0], node.lineno))
    return found


NO_QT_FILES = [p for d in NO_QT_DIRS for p in python_files(d)]


def test_there_is_something_to_check() -> None:
    assert any(p.relative_to(ROOT).parts[0] == "db" for p in NO_QT_FILES)


@pytest.mark.parametrize("path", NO_QT_FILES, ids=[str(p.relative_to(ROOT)) for p in NO_QT_FILES])
def test_module_does_not_import_qt(path: Path) -> None:
    bad = sorted(line for root, line in imported_roots(path.read_text(encoding="utf-8"), str(path)) if root == QT)
    assert not bad, f"{path.relative_to(ROOT)} imports {QT} on line(s) {bad}: this layer has no Qt"


def test_the_parser_sees_every_kind_of_import() -> None:
    source = (
        "import os\n"
        "def f():\n"
        "    from PySide6.QtCore import QObject\n"
        "import PySide6.QtWidgets as w\n"
        "importlib.import_module('PySide6.QtGui')\n"
        "x = 'import PySide6'  # import PySide6\n"
    )
    assert sorted(line for root, line in imported_roots(source, "<t>") if root == QT) == [3, 4, 5]


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def importable(folder: str) -> list[str]:
    """Modules under ``folder``, leaving out the Alembic scripts (they run only inside Alembic)."""
    return [
        module_name(p)
        for p in python_files(folder)
        if "migrations" not in p.relative_to(ROOT).parts
    ]


# (module, what importing it must not load)
IMPORT_CASES = [(m, HEAVY) for m in importable("db") + importable("desktop/core")] + [
    (m, (QT,)) for m in importable("desktop/exports")
]

PROBE = """
import importlib, json, sys
importlib.import_module(sys.argv[1])
print(json.dumps(sorted({name.split(".")[0] for name in sys.modules})))
"""


@pytest.mark.parametrize(("module", "forbidden"), IMPORT_CASES, ids=[m for m, _ in IMPORT_CASES])
def test_importing_loads_no_heavy_packages(module: str, forbidden: tuple[str, ...]) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(ROOT), env.get("PYTHONPATH")]))
    run = subprocess.run(
        [sys.executable, "-c", PROBE, module],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert run.returncode == 0, f"importing {module} failed:\n{run.stderr}"
    loaded = set(json.loads(run.stdout.strip().splitlines()[-1]))
    assert not loaded & set(forbidden), f"importing {module} loads {sorted(loaded & set(forbidden))}"


# -- no import cycles ---------------------------------------------------------------------------
#
# Every import counts: at the top of a module, inside a function (a lazy import is still a
# dependency) and under ``TYPE_CHECKING``. ``from package import name`` depends on the
# submodule ``package.name`` when there is one, else on the package itself.

CYCLE_FREE = ["db", "desktop"]


def _modules(folders: list[str]) -> dict[str, Path]:
    return {module_name(p): p for folder in folders for p in python_files(folder)}


def import_graph(modules: dict[str, Path]) -> dict[str, set[str]]:
    """Module → the modules of ``modules`` it imports."""

    def known(name: str) -> str | None:
        while name and name not in modules:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, path in modules.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), filename=str(path))):
            targets: list[str] = []
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*parts, *([base] if base else [])])
                subs = [f"{base}.{alias.name}" for alias in node.names if f"{base}.{alias.name}" in modules]
                targets = subs if len(subs) == len(node.names) else [base, *subs]
            for target in targets:
                found = known(target)
                if found is not None and found != name:
                    graph[name].add(found)
    return graph


def import_cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The groups of modules that import each other, directly or round a circle (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for other in sorted(graph[node]):
            if other not in index:
                visit(other)
                low[node] = min(low[node], low[other])
            elif other in on_stack:
                low[node] = min(low[node], index[other])
        if low[node] == index[node]:
            group: list[str] = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return cycles


def test_the_cycle_finder_finds_a_circle_and_only_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}, "e": set()}
    assert import_cycles(graph) == [["a", "b", "c"]]
    assert import_cycles({"a": {"b"}, "b": set()}) == []


def test_no_module_imports_one_that_imports_it_back() -> None:
    cycles = import_cycles(import_graph(_modules(CYCLE_FREE)))
    assert not cycles, "modules that import each other: " + "; ".join(" ↔ ".join(c) for c in cycles)


def test_sections_do_not_import_the_main_window() -> None:
    """The window assembles the sections; a section gets it as ``shell.window.Window``."""
    graph = import_graph(_modules(["desktop/ui"]))
    window = {"desktop.ui.shell.main_window", "desktop.ui.shell.app"}
    bad = sorted(f"{name} imports {sorted(graph[name] & window)}" for name in graph
                 if not name.startswith("desktop.ui.shell") and graph[name] & window)
    assert not bad, "; ".join(bad)
