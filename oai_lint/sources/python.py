"""Python through the standard ``ast`` module, with helpers checks share."""

from __future__ import annotations

import ast
import warnings
from collections.abc import Iterator
from typing import Any


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
    # ast.iter_child_nodes inlined: the walk is the inner loop of most Python checks (2-3 times faster)
    AST = ast.AST
    stack = [tree]
    while stack:
        node = stack.pop()
        yield node
        mark = len(stack)
        for field in node._fields:
            value = getattr(node, field, None)
            if isinstance(value, AST):
                stack.append(value)
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, AST):
                        stack.append(item)
        if len(stack) - mark > 1:  # children in source order come off the stack first
            stack[mark:] = stack[:mark - 1:-1] if mark else stack[::-1]


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


FunctionNode = ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda

# What PyIndex records for a node, by the node's class (looked up once per class: an isinstance chain per
# node was most of the time of indexing a module)
(_OTHER, _CONSTANT, _IMPORT, _TRY, _CALL, _NAME, _ATTRIBUTE, _FUNCTION, _CLASS, _ASSIGN, _ANN_ASSIGN, _WITH,
 _NAMED_EXPR) = range(13)
_KINDS: dict[type, int] = {}


def _kind_of(cls: type) -> int:
    """The old isinstance chain, once per class."""
    if issubclass(cls, ast.Constant):
        return _CONSTANT
    if issubclass(cls, (ast.Import, ast.ImportFrom)):
        return _IMPORT
    if cls.__name__ in {"Try", "TryStar"}:  # (by name: TryStar exists from Python 3.11)
        return _TRY
    for types, kind in (
        (ast.Call, _CALL), (ast.Name, _NAME), (ast.Attribute, _ATTRIBUTE),
        ((ast.FunctionDef, ast.AsyncFunctionDef), _FUNCTION), (ast.ClassDef, _CLASS), (ast.Assign, _ASSIGN),
        (ast.AnnAssign, _ANN_ASSIGN), ((ast.With, ast.AsyncWith), _WITH), (ast.NamedExpr, _NAMED_EXPR),
    ):
        if issubclass(cls, types):
            return kind
    return _OTHER


class PyIndex:
    """One pass over a module: parents, functions by name, calls, name references and simple assignments.

    Checks use it to follow a value from where it is built to where it is used (within one file).
    """

    def __init__(self, tree: ast.Module) -> None:
        self.tree = tree
        self.parents: dict[ast.AST, ast.AST] = {}
        self.functions: dict[str, list[ast.FunctionDef | ast.AsyncFunctionDef]] = {}
        self.classes: list[ast.ClassDef] = []
        self.calls: list[ast.Call] = []
        self.names: dict[str, list[ast.Name]] = {}
        self.attrs: dict[str, list[ast.Attribute]] = {}
        # (target, value, statement) for ``x = v``, ``x: T = v``, ``with v as x``, ``x := v``
        self.assigns: list[tuple[ast.expr, ast.expr, ast.AST]] = []
        self._values: dict[str, list[ast.expr]] = {}
        self.strings: list[ast.Constant] = []  # every string literal
        self.tries: list[ast.stmt] = []  # try statements (``try``/``except*``)
        parents = self.parents
        AST = ast.AST
        import_nodes: list[ast.stmt] = []
        stack: list[ast.AST] = [tree]
        kinds = _KINDS
        strings, calls, names, attrs = self.strings, self.calls, self.names, self.attrs
        node: Any  # one of the ast classes, as its kind says
        while stack:  # one pre-order pass (iterative: deep trees cannot overflow the stack)
            node = stack.pop()
            mark = len(stack)
            for field in node._fields:
                value = getattr(node, field, None)
                if isinstance(value, AST):
                    parents[value] = node
                    stack.append(value)
                elif isinstance(value, list):
                    for item in value:
                        if isinstance(item, AST):
                            parents[item] = node
                            stack.append(item)
            if len(stack) - mark > 1:  # children in source order come off the stack first
                stack[mark:] = stack[:mark - 1:-1] if mark else stack[::-1]
            cls = type(node)
            kind = kinds.get(cls)
            if kind is None:
                kind = kinds[cls] = _kind_of(cls)
            if kind == _OTHER:
                continue
            if kind == _CONSTANT:
                if isinstance(node.value, str):
                    strings.append(node)
            elif kind == _NAME:
                names.setdefault(node.id, []).append(node)
            elif kind == _ATTRIBUTE:
                attrs.setdefault(node.attr, []).append(node)
            elif kind == _CALL:
                calls.append(node)
            elif kind == _IMPORT:
                import_nodes.append(node)
            elif kind == _TRY:
                self.tries.append(node)
            elif kind == _FUNCTION:
                self.functions.setdefault(node.name, []).append(node)
            elif kind == _CLASS:
                self.classes.append(node)
            elif kind == _ASSIGN:
                for target in node.targets:
                    self.assigns.append((target, node.value, node))
            elif kind == _ANN_ASSIGN:
                if node.value is not None:
                    self.assigns.append((node.target, node.value, node))
            elif kind == _WITH:
                for item in node.items:
                    if item.optional_vars is not None:
                        self.assigns.append((item.optional_vars, item.context_expr, node))
            elif kind == _NAMED_EXPR:
                self.assigns.append((node.target, node.value, node))
        for target, value, _ in self.assigns:
            if isinstance(target, ast.Name):
                self._values.setdefault(target.id, []).append(value)
        self.import_nodes = import_nodes
        self.imports = ImportMap(ast.Module(body=import_nodes, type_ignores=[]))

    def parent(self, node: ast.AST) -> ast.AST | None:
        return self.parents.get(node)

    def ancestors(self, node: ast.AST) -> Iterator[ast.AST]:
        current = self.parents.get(node)
        while current is not None:
            yield current
            current = self.parents.get(current)

    def enclosing_function(self, node: ast.AST) -> FunctionNode | None:
        for anc in self.ancestors(node):
            if isinstance(anc, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda)):
                return anc
        return None

    def enclosing_class(self, node: ast.AST) -> ast.ClassDef | None:
        for anc in self.ancestors(node):
            if isinstance(anc, ast.ClassDef):
                return anc
        return None

    def values_of(self, name: str) -> list[ast.expr]:
        """Every value assigned to the plain name ``name`` anywhere in the module."""
        return self._values.get(name, [])

    def is_augmented(self, name: str, scope: ast.AST | None = None) -> bool:
        """Whether ``name`` is changed by ``+=``/``*=``... (or reassigned from itself) within ``scope``."""
        for node in walk(scope or self.tree):
            target = node.target if isinstance(node, ast.AugAssign) else None
            if isinstance(target, ast.Name) and target.id == name:
                return True
            if isinstance(node, ast.Assign) and any(
                isinstance(t, ast.Name) and t.id == name for t in node.targets
            ) and any(isinstance(n, ast.Name) and n.id == name for n in walk(node.value)):
                return True
        return False
