"""Python retry sites: tenacity and backoff configurations around OpenAI calls, and ``try``/``except``
loops that retry them."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import NamedTuple

from oai_lint.analysis.pyflow import (
    PyFlow,
    callee_names,
    exception_names,
    handler_retries,
    iter_calls,
    keyword_value,
    loop_of,
    try_parts,
)
from oai_lint.analysis.vocab import GENERIC_EXCEPTIONS, OPENAI_EXCEPTIONS
from oai_lint.sources.python import walk


# Records are NamedTuples: a frozen dataclass takes about 0.3 ms to create, on every run that imports it.
class Tenacity(NamedTuple):
    """``@retry(...)`` of tenacity on a function that calls OpenAI, or ``Retrying(...)``/``AsyncRetrying``."""
    cfg: ast.Call | None  # None: a bare ``@retry``
    anchor: ast.AST
    what: str


class Backoff(NamedTuple):
    """``@backoff.on_exception(...)`` on a function that calls OpenAI."""
    cfg: ast.Call
    anchor: ast.AST
    what: str


class RetryLoop(NamedTuple):
    """A loop around a ``try`` that calls OpenAI, with a handler that lets the loop try again."""
    loop: ast.For | ast.AsyncFor | ast.While
    attempt: ast.AST  # the ``try`` statement
    handler: ast.ExceptHandler
    sleeps: list[ast.Call]  # in the handler, or after the ``try`` in the loop body
    scope: ast.AST  # the function (or module) around the loop


class RetryRecursion(NamedTuple):
    """A function that calls itself again from the ``except`` handler of a ``try`` that calls OpenAI
    (``except RateLimitError: time.sleep(20); return ask(prompt)``): a retry by recursion."""
    function: ast.FunctionDef | ast.AsyncFunctionDef
    attempt: ast.AST  # the ``try`` statement
    handler: ast.ExceptHandler
    call: ast.Call  # the call of the function itself
    sleeps: list[ast.Call]  # in the handler
    scope: ast.AST  # the function


@dataclass
class PyRetries:
    flow: PyFlow
    quota_ok: bool  # the file tells quota errors from rate limits
    helpers: list[Tenacity | Backoff] = field(default_factory=list)
    loops: list[RetryLoop] = field(default_factory=list)
    recursions: list[RetryRecursion] = field(default_factory=list)


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
            if _passed_on(flow, call):
                continue
            if flow.calls_openai(scope) or openai_exception(flow, call):
                out.helpers.append(Tenacity(call, call, resolved.split(".")[-1] + "(...)"))
    for node in idx.tries:
        parts = try_parts(node)
        if parts is None:
            continue
        body, handlers = parts
        loop = loop_of(idx, node)
        if loop is None:
            out.recursions.extend(_recursions(flow, node, body, handlers))
            continue
        if not flow.is_retry_loop(loop, node):
            continue
        body_calls_openai = any(flow.calls_openai(stmt) for stmt in body)
        if body_calls_openai and _elsewhere_only(flow, body):
            continue
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


def _recursions(flow: PyFlow, attempt: ast.AST, body: list[ast.stmt],
                handlers: list[ast.ExceptHandler]) -> Iterator[RetryRecursion]:
    fn = flow.idx.enclosing_function(attempt)
    if not isinstance(fn, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return
    body_calls_openai: bool | None = None
    for handler in handlers:
        names = exception_names(handler)
        if not any(n == "*" or n in OPENAI_EXCEPTIONS or n in GENERIC_EXCEPTIONS for n in names):
            continue
        again = next((c for stmt in handler.body for c in iter_calls(stmt) if _calls_itself(c, fn.name)), None)
        if again is None or (handler.name and _guarded_by_error_content(flow, again, handler)):
            continue
        if body_calls_openai is None:
            body_calls_openai = any(flow.calls_openai(stmt) for stmt in body)
        if not (body_calls_openai or openai_exception(flow, handler)):
            continue
        yield RetryRecursion(fn, attempt, handler, again, sleep_calls(flow, handler.body), fn)


def _guarded_by_error_content(flow: PyFlow, call: ast.Call, handler: ast.ExceptHandler) -> bool:
    """The call runs only when the error says something (``if "Unsupported parameter" in str(e):``): a
    fallback for that one error (a parameter dropped, a timeout), not a retry of whatever failed."""
    for anc in flow.idx.ancestors(call):
        if anc is handler:
            return False
        if isinstance(anc, ast.If) and any(isinstance(n, ast.Name) and n.id == handler.name
                                            for n in walk(anc.test)):
            return True
        if isinstance(anc, ast.If) and any(isinstance(n, ast.Name) and n.id in _error_text_names(handler)
                                            for n in walk(anc.test)):
            return True
    return False


def _error_text_names(handler: ast.ExceptHandler) -> set[str]:
    """Names the handler binds to the error's text (``error_str = str(e)``) or to a test of it."""
    names: set[str] = set()
    for stmt in handler.body:
        if isinstance(stmt, ast.Assign) and any(isinstance(n, ast.Name) and n.id in ({handler.name} | names)
                                                for n in walk(stmt.value)):
            names |= {t.id for t in stmt.targets if isinstance(t, ast.Name)}
    return names


def _calls_itself(call: ast.Call, name: str) -> bool:
    func = call.func
    if isinstance(func, ast.Name):
        return func.id == name
    return isinstance(func, ast.Attribute) and func.attr == name and isinstance(func.value, ast.Name) \
        and func.value.id in {"self", "cls"}


def _passed_on(flow: PyFlow, call: ast.Call) -> bool:
    """A ``Retrying(...)`` handed to another library as configuration (``max_retries=Retrying(...)``: instructor
    re-asks the model on validation errors with it), directly or through a name only ever passed on: not
    retry handling of this code's requests."""
    idx = flow.idx
    parent = idx.parent(call)
    if isinstance(parent, ast.keyword) or (isinstance(parent, ast.Call) and call in parent.args):
        return True
    if isinstance(parent, (ast.Assign, ast.AnnAssign)):
        targets = parent.targets if isinstance(parent, ast.Assign) else [parent.target]
        names = [t.id for t in targets if isinstance(t, ast.Name)]
        if len(names) != 1:
            return False
        uses = [n for n in idx.names.get(names[0], []) if isinstance(n.ctx, ast.Load)]
        if not uses:
            return False
        for use in uses:
            up = idx.parent(use)
            if not (isinstance(up, ast.keyword) or (isinstance(up, ast.Call) and use in up.args)):
                return False
        return True
    return False


def _elsewhere_only(flow: PyFlow, body: list[ast.stmt]) -> bool:
    """The OpenAI calls written in ``body`` all go to clients built with a ``base_url`` of another server
    (a Databricks serving endpoint, a local model): polling that server is not OpenAI rate-limit handling."""
    calls = [c for stmt in body for c in iter_calls(stmt) if flow.is_openai_call(c)]
    return bool(calls) and all(flow.client_elsewhere(c) for c in calls)


def unbounded(site: Tenacity | Backoff | RetryLoop | RetryRecursion) -> bool:
    """Whether the retry has no attempt or time limit: tenacity without ``stop=`` (or ``stop_never``), backoff
    without ``max_tries``/``max_time``, a ``while True`` loop with no way out on failure, a recursion that
    passes on no counter (``ask(prompt, retry_count + 1)`` checked against a limit is bounded)."""
    if isinstance(site, RetryRecursion):
        counted = {n.id for a in (*site.call.args, *(k.value for k in site.call.keywords))
                   if isinstance(a, ast.BinOp) for n in walk(a) if isinstance(n, ast.Name)}
        compared = {n.id for c in walk(site.function) if isinstance(c, ast.Compare)
                    for n in walk(c) if isinstance(n, ast.Name)}
        return not (counted & compared)
    if isinstance(site, Backoff):
        return keyword_value(site.cfg, "max_tries", "max_time") is None
    if isinstance(site, Tenacity):
        stop = tenacity_options(site.cfg).get("stop")
        return stop is None or "stop_never" in set(callee_names(stop))
    loop = site.loop
    return isinstance(loop, ast.While) and isinstance(loop.test, ast.Constant) and bool(loop.test.value) \
        and not _has_exit(loop, site.attempt, site.handler)


def _has_exit(loop: ast.While, attempt: ast.AST, handler: ast.ExceptHandler) -> bool:
    """A ``raise``/``break``/``return`` on the path ``handler`` takes: in the handler or elsewhere in the
    loop, but not in the attempt's ``try`` body, its ``else:`` (both run on success) or its other handlers
    (``except APIError: return None`` does not stop a loop that retries ``RateLimitError`` forever)."""
    skipped: list[ast.AST] = list(getattr(attempt, "body", [])) + list(getattr(attempt, "orelse", []))
    skipped += [h for h in getattr(attempt, "handlers", []) if h is not handler]
    inside = {id(n) for stmt in skipped for n in walk(stmt)}
    for stmt in loop.body:
        for sub in walk(stmt):
            if id(sub) in inside:
                continue
            if isinstance(sub, (ast.Raise, ast.Return, ast.Break)):
                return True
    return False


def tenacity_options(cfg: ast.Call | None) -> dict[str, ast.expr]:
    return {k.arg: k.value for k in cfg.keywords if k.arg} if cfg is not None else {}
