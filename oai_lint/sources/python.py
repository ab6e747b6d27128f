"""Python through the standard ``ast`` module, with helpers checks share."""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterator


def parse(text: str) -> tuple[ast.Module | None, str | None]:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return ast.parse(text), None
    except SyntaxError as exc:
        hint = " (Python 2 syntax?)" if _looks_py2(text) else ""
        return None, (
            f"Python does not parse at line {exc.lineno}: {exc.msg}{hint}; only text-level rules were applied"
        )
    except (RecursionError, MemoryError, ValueError):
        return None, "Python source too deeply nested or malformed to parse; only text-level rules were applied"


def _looks_py2(text: str) -> bool:
    import re

    # [ \t]*, not \s*: \s also matches newlines, and "^\s*" then rescans every run of blank lines from
    # each of its line starts (quadratic: a file of 200,000 blank lines took minutes)
    return bool(re.search(
        r"^[ \t]*print[ \t]+[\"'\w]|^[ \t]*exec[ \t]+[\"']|except[ \t]+\w+[ \t]*,[ \t]*\w+[ \t]*:", text, re.M
    ))


def dotted_name(node: ast.AST) -> str | None:
    """``a.b.c`` for Name/Attribute chains, else None."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    if isinstance(node, ast.Name):
        parts.append(node.id)
        return ".".join(reversed(parts))
    return None


def string_value(node: ast.AST | None) -> str | None:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    return None


def keyword(call: ast.Call, name: str) -> ast.keyword | None:
    for kw in call.keywords:
        if kw.arg == name:
            return kw
    return None


def walk(tree: ast.AST) -> Iterator[ast.AST]:
    """``ast.walk`` without recursion limits (iterative)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        stack.extend(reversed(list(ast.iter_child_nodes(node))))


class ImportMap:
    """Which local names refer to which imported modules/objects: ``{"OpenAI": "openai.OpenAI"}``."""

    def __init__(self, tree: ast.AST) -> None:
        self.names: dict[str, str] = {}
        for node in walk(tree):
            if isinstance(node, ast.Import):
                for alias in node.names:
                    local = alias.asname or alias.name.split(".")[0]
                    self.names[local] = alias.name if alias.asname else alias.name.split(".")[0]
            elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                for alias in node.names:
                    self.names[alias.asname or alias.name] = f"{node.module}.{alias.name}"

    def resolve(self, node: ast.AST) -> str | None:
        """The fully qualified name a Name/Attribute chain refers to, through the imports."""
        name = dotted_name(node)
        if name is None:
            return None
        head, _, rest = name.partition(".")
        if head in self.names:
            full = self.names[head]
            return f"{full}.{rest}" if rest else full
        return name

    def imports_module(self, prefix: str) -> bool:
        return any(v == prefix or v.startswith(prefix + ".") for v in self.names.values())
