"""The package's layout keeps its promises (README, Architecture): small modules, no import cycle, few
imports hidden inside functions, and an engine that knows no rule by id."""

from __future__ import annotations

import ast
import re
from pathlib import Path

from tests.conftest import REPO

PACKAGE = REPO / "oai_lint"
GENERATED = {"_manifest.py", "_table.py", "_rules.py"}
MAX_LINES = 500
MAX_FUNCTION_IMPORTS = 30


def _modules() -> dict[str, Path]:
    out = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        parts = list(path.relative_to(REPO).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        out[".".join(parts)] = path
    return out


def _own_imports(tree: ast.AST, module: str, is_package: bool) -> list[tuple[str, bool, int]]:
    """(imported name, at module level and not only for type checking, line) for each name of oai_lint
    imported."""
    found: list[tuple[str, bool, int]] = []

    def visit(node: ast.AST, top: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.If) and "TYPE_CHECKING" in ast.unparse(child.test):
                continue
            if isinstance(child, ast.Import):
                found.extend((a.name, top, child.lineno) for a in child.names if a.name.startswith("oai_lint"))
            elif isinstance(child, ast.ImportFrom):
                base = child.module or ""
                if child.level:
                    pkg = module.split(".") if is_package else module.split(".")[:-1]
                    pkg = pkg[: len(pkg) - (child.level - 1)]
                    base = ".".join([*pkg, base] if base else pkg)
                if base.startswith("oai_lint"):
                    found.extend((f"{base}.{a.name}", top, child.lineno) for a in child.names)
            elif isinstance(child, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                visit(child, False)
            else:
                visit(child, top)

    visit(tree, True)
    return found


def _resolve(name: str, modules: dict[str, Path]) -> str | None:
    while name and name not in modules:
        name = name.rpartition(".")[0]
    return name or None


def test_no_hand_written_module_is_over_500_lines() -> None:
    long = {
        str(p.relative_to(REPO)): n for p in _modules().values()
        if p.name not in GENERATED and (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, f"split these by concern: {long}"


def test_no_import_cycle_between_modules() -> None:
    modules = _modules()
    graph: dict[str, set[str]] = {}
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        deps = set()
        for imported, _, _ in _own_imports(tree, name, path.name == "__init__.py"):
            target = _resolve(imported, modules)
            # a package's own __init__ importing its submodules is how packages are built, not a cycle
            if target and target != name and not target.startswith(name + "."):
                deps.add(target)
        graph[name] = deps
    # Tarjan's strongly connected components
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def connect(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in graph.get(v, ()):
            if w not in index:
                connect(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            comp = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                comp.append(w)
                if w == v:
                    break
            if len(comp) > 1:
                cycles.append(sorted(comp))

    for v in sorted(graph):
        if v not in index:
            connect(v)
    # a parent package that imports a child which imports the parent package's names is fine in
    # Python, but still a cycle for a reader: none is allowed
    assert not cycles, f"import cycles: {cycles}"


def test_few_imports_hidden_in_functions() -> None:
    modules = _modules()
    hidden = []
    for name, path in modules.items():
        tree = ast.parse(path.read_text(encoding="utf-8"))
        statements = {line: imp for imp, top, line in _own_imports(tree, name, path.name == "__init__.py")
                      if not top}
        hidden += [f"{path.relative_to(REPO)}:{line}: {imp}" for line, imp in sorted(statements.items())]
    # each one is a seam where start-up cost needs it (the pre-commit run imports little)
    assert len(hidden) <= MAX_FUNCTION_IMPORTS, "\n".join(hidden)


def test_the_engine_knows_no_rule_by_id() -> None:
    rule_id = re.compile(r"OAI\d")
    named = [
        f"{p.relative_to(REPO)}:{n}" for p in sorted((PACKAGE / "engine").rglob("*.py"))
        for n, line in enumerate(p.read_text(encoding="utf-8").splitlines(), 1) if rule_id.search(line)
    ]
    assert not named, named
