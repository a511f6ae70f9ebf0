"""The layout in ``docs/architecture.md`` holds: one package per stage, imports only go down, no circles."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest
from conftest import REPO

SRC = REPO / "src" / "bmw_mentor"

# Lowest first. A module may import its own package and anything below it, never above.
LAYERS: list[set[str]] = [
    {"__init__", "errors", "messages"},
    {"files"},
    {"framework"},
    {"projectfile"},
    {"matching"},
    {"health"},
    {"documents"},
    {"wizard"},
    {"running"},
    {"privacy"},
    {"cliwords"},
    {"cli"},
    {"__main__"},
]
RANK = {name: i for i, layer in enumerate(LAYERS) for name in layer}
MAX_LINES = 600


def _modules() -> dict[str, Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        parts = path.relative_to(SRC).with_suffix("").parts
        name = ".".join(("bmw_mentor", *parts)).removesuffix(".__init__")
        found[name] = path
    return found


def _imports(name: str, path: Path, known: dict[str, Path]) -> set[str]:
    """Every module of ours that ``name`` imports, at the top, inside functions or for type checking."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parts = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*parts, base] if base else parts)
            out.add(base)
            out |= {f"{base}.{a.name}" for a in node.names}
    return {m for m in out if m in known and m != name and m != "bmw_mentor"}


def _stage(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "__init__"


GRAPH = {name: _imports(name, path, _modules()) for name, path in _modules().items()}


def test_every_package_and_top_level_module_has_a_place_in_the_layout() -> None:
    assert {_stage(m) for m in GRAPH} <= set(RANK), sorted({_stage(m) for m in GRAPH} - set(RANK))


def _upward(graph: dict[str, set[str]]) -> list[str]:
    return [
        f"{m} imports {d}"
        for m, deps in sorted(graph.items())
        for d in sorted(deps)
        if _stage(d) != _stage(m) and RANK[_stage(d)] >= RANK[_stage(m)]
    ]


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    circles: list[list[str]] = []
    state: dict[str, int] = {}  # 1: on the current path, 2: done
    path: list[str] = []

    def visit(m: str) -> None:
        state[m] = 1
        path.append(m)
        for d in sorted(graph[m]):
            if state.get(d) == 1:
                circles.append(path[path.index(d) :] + [d])
            elif d not in state:
                visit(d)
        path.pop()
        state[m] = 2

    for m in sorted(graph):
        if m not in state:
            visit(m)
    return circles


def test_imports_only_go_down() -> None:
    assert _upward(GRAPH) == []


def test_no_module_imports_itself_around_a_circle() -> None:
    assert _circles(GRAPH) == []


@pytest.mark.parametrize("module", sorted(GRAPH))
def test_no_module_is_too_long_to_read(module: str) -> None:
    lines = _modules()[module].read_text(encoding="utf-8").count("\n")
    assert lines <= MAX_LINES, f"{module}: {lines} lines; split it by job"


def test_the_checks_see_a_circle_and_an_upward_import(tmp_path: Path) -> None:
    # the rules above must be able to fail: a tiny package that breaks both, found through the same parser
    pkg = tmp_path / "bmw_mentor"
    (pkg / "files").mkdir(parents=True)
    (pkg / "wizard").mkdir()
    (pkg / "files" / "a.py").write_text("def f():\n    from bmw_mentor.wizard import b\n")
    (pkg / "wizard" / "b.py").write_text("from ..files import a\n")
    known = {"bmw_mentor.files.a": pkg / "files" / "a.py", "bmw_mentor.wizard.b": pkg / "wizard" / "b.py"}
    graph = {m: _imports(m, p, known) for m, p in known.items()}
    assert _upward(graph) == ["bmw_mentor.files.a imports bmw_mentor.wizard.b"]
    assert _circles(graph) == [["bmw_mentor.files.a", "bmw_mentor.wizard.b", "bmw_mentor.files.a"]]
