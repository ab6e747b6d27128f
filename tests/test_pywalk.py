"""``oai_lint.sources.python.walk`` visits what ``ast.iter_child_nodes`` gives, in pre-order."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

from oai_lint.sources.python import walk
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
