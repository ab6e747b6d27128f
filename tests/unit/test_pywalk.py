"""``oai_lint.sources.python.walk`` visits what ``ast.iter_child_nodes`` gives, in pre-order."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from oai_lint.sources.python import PyIndex, walk
from tests.conftest import REPO


def _reference(node: ast.AST) -> Iterator[ast.AST]:
    yield node
    for child in ast.iter_child_nodes(node):
        yield from _reference(child)


@pytest.mark.parametrize("path", sorted((REPO / "oai_lint").rglob("*.py")), ids=lambda p: p.name)
def test_walk_is_preorder_of_iter_child_nodes(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    assert [id(n) for n in walk(tree)] == [id(n) for n in _reference(tree)]
    some = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef, ast.Call, ast.Dict))][:50]
    for sub in some:  # a walk from inside the tree, as the checks do
        assert [id(n) for n in walk(sub)] == [id(n) for n in _reference(sub)]


def test_walk_of_a_leaf_and_of_code_with_every_kind_of_child() -> None:
    code = "async def f(a, *b, c=1, **d):\n    x: int = [y async for y in z if y] or {**e, 'k': v}\n" \
           "    match p:\n        case [1, *r] | {'a': q}: pass\n    try:\n        pass\n" \
           "    except* E as g:\n        raise\n    return lambda: (yield)\n"
    tree = ast.parse(code)
    assert [id(n) for n in walk(tree)] == [id(n) for n in _reference(tree)]
    leaf = ast.Name("x", ast.Load())
    assert [type(n).__name__ for n in walk(leaf)] == ["Name", "Load"]


def _reference_index(tree: ast.Module) -> dict[str, object]:
    """What PyIndex records, by the isinstance chain it used to run on every node."""
    parents: dict[int, int] = {}
    out: dict[str, list[object]] = {k: [] for k in ("strings", "imports", "tries", "calls", "names", "attrs",
                                                    "functions", "classes", "assigns")}
    for node in _reference(tree):
        for child in ast.iter_child_nodes(node):
            parents[id(child)] = id(node)
        if isinstance(node, ast.Constant):
            if isinstance(node.value, str):
                out["strings"].append(id(node))
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            out["imports"].append(id(node))
        elif type(node).__name__ in {"Try", "TryStar"}:
            out["tries"].append(id(node))
        elif isinstance(node, ast.Call):
            out["calls"].append(id(node))
        elif isinstance(node, ast.Name):
            out["names"].append((node.id, id(node)))
        elif isinstance(node, ast.Attribute):
            out["attrs"].append((node.attr, id(node)))
        elif isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            out["functions"].append((node.name, id(node)))
        elif isinstance(node, ast.ClassDef):
            out["classes"].append(id(node))
        if isinstance(node, ast.Assign):
            out["assigns"].extend((id(t), id(node.value), id(node)) for t in node.targets)
        elif isinstance(node, ast.AnnAssign) and node.value is not None:
            out["assigns"].append((id(node.target), id(node.value), id(node)))
        elif isinstance(node, (ast.With, ast.AsyncWith)):
            out["assigns"].extend((id(i.optional_vars), id(i.context_expr), id(node)) for i in node.items
                                  if i.optional_vars is not None)
        elif isinstance(node, ast.NamedExpr):
            out["assigns"].append((id(node.target), id(node.value), id(node)))
    return {"parents": parents, **out}


def _index(tree: ast.Module) -> dict[str, object]:
    idx = PyIndex(tree)

    def grouped(d: dict[str, list[Any]]) -> list[tuple[str, int]]:
        return sorted((k, id(n)) for k, nodes in d.items() for n in nodes)

    return {
        "parents": {id(c): id(p) for c, p in idx.parents.items()},
        "strings": [id(n) for n in idx.strings], "imports": [id(n) for n in idx.import_nodes],
        "tries": [id(n) for n in idx.tries], "calls": [id(n) for n in idx.calls],
        "names": grouped(idx.names), "attrs": grouped(idx.attrs), "functions": grouped(idx.functions),
        "classes": [id(n) for n in idx.classes],
        "assigns": [(id(t), id(v), id(s)) for t, v, s in idx.assigns],
    }


@pytest.mark.parametrize("path",
                         sorted((REPO / "oai_lint").rglob("*.py")) + sorted((REPO / "tests").rglob("test_*.py")),
                         ids=lambda p: p.name)
def test_pyindex_records_what_the_isinstance_chain_did(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    ref = _reference_index(tree)
    for key in ("names", "attrs", "functions"):
        ref[key] = sorted(ref[key])  # type: ignore[type-var]
    assert _index(tree) == ref
