"""Python retry sites: tenacity and backoff configurations around OpenAI calls, and ``try``/``except``
loops that retry them."""

from __future__ import annotations

import ast
from dataclasses import dataclass, field

from oai_lint.analysis.pyflow import PyFlow, handler_retries, iter_calls, loop_of, try_parts
from oai_lint.analysis.vocab import OPENAI_EXCEPTIONS
from oai_lint.sources.python import walk


@dataclass(frozen=True)
class Tenacity:
    """``@retry(...)`` of tenacity on a function that calls OpenAI, or ``Retrying(...)``/``AsyncRetrying``."""
    cfg: ast.Call | None  # None: a bare ``@retry``
    anchor: ast.AST
    what: str


@dataclass(frozen=True)
class Backoff:
    """``@backoff.on_exception(...)`` on a function that calls OpenAI."""
    cfg: ast.Call
    anchor: ast.AST
    what: str


@dataclass(frozen=True)
class RetryLoop:
    """A loop around a ``try`` that calls OpenAI, with a handler that lets the loop try again."""
    loop: ast.For | ast.AsyncFor | ast.While
    attempt: ast.AST  # the ``try`` statement
    handler: ast.ExceptHandler
    sleeps: list[ast.Call]  # in the handler, or after the ``try`` in the loop body
    scope: ast.AST  # the function (or module) around the loop


@dataclass
class PyRetries:
    flow: PyFlow
    quota_ok: bool  # the file tells quota errors from rate limits
    helpers: list[Tenacity | Backoff] = field(default_factory=list)
    loops: list[RetryLoop] = field(default_factory=list)


def openai_exception(flow: PyFlow, node: ast.AST) -> bool:
    """``node`` names an exception of the openai package."""
    for sub in walk(node):
        if isinstance(sub, (ast.Name, ast.Attribute)):
            resolved = flow.resolve(sub) or ""
            if resolved.startswith("openai.") and resolved.rsplit(".", 1)[-1] in OPENAI_EXCEPTIONS:
                return True
    return False


def sleep_calls(flow: PyFlow, nodes: list[ast.stmt]) -> list[ast.Call]:
    out = []
    for stmt in nodes:
        for call in iter_calls(stmt):
            name = flow.resolve(call.func) or ""
            if name.rsplit(".", 1)[-1] == "sleep":
                out.append(call)
    return out


def retry_sites(flow: PyFlow) -> PyRetries:
    """Every retry helper and retry loop of the file (one walk)."""
    idx = flow.idx
    out = PyRetries(flow, flow.quota_checked())
    functions = [fn for fns in idx.functions.values() for fn in fns]
    for fn in functions:
        for dec in fn.decorator_list:
            target = dec.func if isinstance(dec, ast.Call) else dec
            resolved = flow.resolve(target) or ""
            cfg = dec if isinstance(dec, ast.Call) else None
            relevant = flow.calls_openai(fn) or openai_exception(flow, dec)
            if not relevant:
                continue
            if resolved.startswith("tenacity.") and resolved.endswith(".retry"):
                out.helpers.append(Tenacity(cfg, dec, f"@retry on {fn.name}()"))
            elif resolved == "backoff.on_exception" and cfg is not None:
                out.helpers.append(Backoff(cfg, dec, f"@backoff.on_exception on {fn.name}()"))
    for call in idx.calls:
        resolved = flow.resolve(call.func) or ""
        if resolved in {"tenacity.Retrying", "tenacity.AsyncRetrying"}:
            scope = idx.enclosing_function(call) or idx.tree
            if flow.calls_openai(scope) or openai_exception(flow, call):
                out.helpers.append(Tenacity(call, call, resolved.split(".")[-1] + "(...)"))
    for node in idx.tries:
        parts = try_parts(node)
        if parts is None:
            continue
        body, handlers = parts
        loop = loop_of(idx, node)
        if loop is None or not flow.is_retry_loop(loop, node):
            continue
        body_calls_openai = any(flow.calls_openai(stmt) for stmt in body)
        for handler in handlers:
            if not handler_retries(handler):
                continue
            if not (body_calls_openai or openai_exception(flow, handler)):
                continue
            sleeps = sleep_calls(flow, handler.body)
            if not sleeps:
                following = loop.body[loop.body.index(node) + 1 :] if node in loop.body else []
                sleeps = sleep_calls(flow, following)
            if not sleeps and not isinstance(loop, ast.While):
                continue
            scope = idx.enclosing_function(loop) or idx.tree
            out.loops.append(RetryLoop(loop, node, handler, sleeps, scope))
    return out


def tenacity_options(cfg: ast.Call | None) -> dict[str, ast.expr]:
    return {k.arg: k.value for k in cfg.keywords if k.arg} if cfg is not None else {}
