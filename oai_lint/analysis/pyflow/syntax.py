"""Python syntax helpers for the flow analysis: dotted chains, ``try``/``except`` parts, handlers that retry,
the loop around a node, keyword arguments, and the hit at a node."""

from __future__ import annotations

import ast
from collections.abc import Iterable, Iterator
from typing import cast

from oai_lint.analysis.vocab import (
    GENERIC_EXCEPTIONS,
    OPENAI_EXCEPTIONS,
    QUOTA_CODES,
)
from oai_lint.findings import Hit
from oai_lint.sources.python import PyIndex, dotted_name, walk


def is_retry_name(name: str | None) -> bool:
    """A callee or decorator that wraps code in retries: tenacity, backoff, stamina, retrying, and home-made
    ``retry_with_exponential_backoff``-style helpers."""
    if not name:
        return False
    last = name.rsplit(".", 1)[-1].lower()
    return "retry" in last or "backoff" in last or last in {"on_exception", "on_predicate"}


def chain(node: ast.AST) -> tuple[list[str], ast.AST]:
    """``a.b(x).c.d`` -> (["c", "d"], <call a.b(x)>): the attribute names up to the first non-attribute."""
    parts: list[str] = []
    while isinstance(node, ast.Attribute):
        parts.append(node.attr)
        node = node.value
    return list(reversed(parts)), node


def unparse(node: ast.AST) -> str:
    try:
        return ast.unparse(node)
    except (ValueError, RecursionError, AttributeError):  # pragma: no cover - defensive
        return ""


def exception_names(handler: ast.ExceptHandler) -> list[str]:
    """Last name segments of what an ``except`` clause catches; ["*"] for a bare ``except:``."""
    if handler.type is None:
        return ["*"]
    types = handler.type.elts if isinstance(handler.type, ast.Tuple) else [handler.type]
    out = []
    for t in types:
        name = dotted_name(t)
        if name:
            out.append(name.rsplit(".", 1)[-1])
    return out


def try_parts(node: ast.AST) -> tuple[list[ast.stmt], list[ast.ExceptHandler]] | None:
    """(body, handlers) of ``try`` and ``try``/``except*`` statements."""
    if type(node).__name__ not in {"Try", "TryStar"}:
        return None
    stmt = cast("ast.Try", node)
    return stmt.body, stmt.handlers


def handler_requeues(handler: ast.ExceptHandler) -> bool:
    """The handler hands the failure to a task queue's retry (``raise self.retry(exc=e)``)."""
    for sub in walk(handler):
        if isinstance(sub, ast.Call) and isinstance(sub.func, ast.Attribute) and sub.func.attr == "retry":
            return True
    return False


def _ends_loop_pass(stmts: list[ast.stmt]) -> bool:
    """Every way through ``stmts`` ends in ``raise``, ``return`` or ``break``: the loop is not repeated."""
    if not stmts:
        return False
    last = stmts[-1]
    if isinstance(last, (ast.Raise, ast.Return, ast.Break)):
        return True
    if isinstance(last, ast.If):
        return _ends_loop_pass(last.body) and _ends_loop_pass(last.orelse)
    return False


def _has_continue(stmts: list[ast.stmt]) -> bool:
    """A ``continue`` of the enclosing loop (not of a loop nested in ``stmts``)."""
    stack: list[ast.AST] = list(stmts)
    while stack:
        cur = stack.pop()
        if isinstance(cur, ast.Continue):
            return True
        if isinstance(cur, (ast.For, ast.AsyncFor, ast.While)):
            stack.extend(cur.orelse)
            continue
        if isinstance(cur, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            continue
        stack.extend(ast.iter_child_nodes(cur))
    return False


def handler_retries(handler: ast.ExceptHandler) -> bool:
    """The handler catches something a 429 raises and lets the loop try again: it does not always re-raise,
    return or break (``except APIError: return None`` gives up)."""
    names = exception_names(handler)
    if not any(n == "*" or n in OPENAI_EXCEPTIONS or n in GENERIC_EXCEPTIONS for n in names):
        return False
    return _has_continue(handler.body) or not _ends_loop_pass(handler.body)


def loop_of(idx: PyIndex, node: ast.AST) -> ast.For | ast.AsyncFor | ast.While | None:
    """The nearest loop around ``node`` within the same function."""
    for anc in idx.ancestors(node):
        if isinstance(anc, (ast.For, ast.AsyncFor, ast.While)):
            return anc
        if isinstance(anc, (ast.FunctionDef, ast.AsyncFunctionDef, ast.Lambda, ast.ClassDef)):
            return None
    return None


_ERROR_FIELDS = {"code", "type", "body", "error"}


def mentions_code_check(node: ast.AST, var: str | None) -> bool:
    """The handler looks at the error's ``code``/``type``/``body`` (or a quota string). For an ``except``
    clause only its body counts: ``except openai.error.RateLimitError`` names a module, it reads nothing."""
    roots: list[ast.AST] = list(node.body) if isinstance(node, ast.ExceptHandler) else [node]
    for sub in (n for root in roots for n in walk(root)):
        if (
            isinstance(sub, ast.Attribute)
            and sub.attr in _ERROR_FIELDS
            and (var is None or (isinstance(sub.value, ast.Name) and sub.value.id == var))
        ):
            return True
        if (
            isinstance(sub, ast.Call)
            and isinstance(sub.func, ast.Name)
            and sub.func.id == "getattr"
            and len(sub.args) >= 2
            and isinstance(sub.args[1], ast.Constant)
            and sub.args[1].value in _ERROR_FIELDS
        ):
            target = sub.args[0]
            if var is None or (isinstance(target, ast.Name) and target.id == var):
                return True
        if isinstance(sub, ast.Constant) and isinstance(sub.value, str):
            low = sub.value.lower()
            if "quota" in low or any(code in low for code in QUOTA_CODES):
                return True
    return False


def iter_calls(node: ast.AST) -> Iterator[ast.Call]:
    for sub in walk(node):
        if isinstance(sub, ast.Call):
            yield sub


def keyword_value(call: ast.Call, *names: str) -> ast.expr | None:
    for kw in call.keywords:
        if kw.arg in names:
            return kw.value
    return None


def callee_names(expr: ast.AST) -> Iterable[str]:
    for call in iter_calls(expr):
        name = dotted_name(call.func)
        if name:
            yield name.rsplit(".", 1)[-1]
    if isinstance(expr, (ast.Name, ast.Attribute)):
        name = dotted_name(expr)
        if name:
            yield name.rsplit(".", 1)[-1]


def node_hit(rule: str, node: ast.AST, params: dict[str, str], key: str) -> Hit:
    """A hit at an AST node (a node that spans lines is reported on its first line)."""
    line = getattr(node, "lineno", 1)
    col = getattr(node, "col_offset", 0) + 1
    end_line = getattr(node, "end_lineno", None) or line
    end_col = (getattr(node, "end_col_offset", None) or col - 1) + 1
    if end_line != line:
        end_line, end_col = line, col
    return Hit(rule, line, col, end_line, end_col, params=params, key=key)
