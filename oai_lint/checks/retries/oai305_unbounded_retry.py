"""OAI305: retry handling with no attempt or time limit: tenacity without ``stop=`` (or ``stop_never``),
backoff without ``max_tries``/``max_time``, a ``while True`` retry loop with no way out on failure, a JS
retry loop that never gives up, a JS retry library told to retry forever."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from oai_lint.analysis.jsflow import JsFlow, Node
from oai_lint.analysis.jsflow import node_hit as js_hit
from oai_lint.analysis.pyflow import callee_names, keyword_value, node_hit
from oai_lint.analysis.retries.javascript import JsRetries
from oai_lint.analysis.retries.python import Backoff, PyRetries, tenacity_options
from oai_lint.findings import Hit
from oai_lint.sources.python import walk


def _always_true(test: ast.expr) -> bool:
    return isinstance(test, ast.Constant) and bool(test.value)


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


def python_hits(sites: PyRetries) -> Iterator[Hit]:
    for helper in sites.helpers:
        what, anchor = helper.what, helper.anchor
        if isinstance(helper, Backoff):
            if keyword_value(helper.cfg, "max_tries", "max_time") is None:
                yield node_hit(
                    "OAI305",
                    anchor,
                    {"what": what, "detail": "has no max_tries= or max_time=, so it retries forever"},
                    key=f"{what}:stop",
                )
            continue
        stop = tenacity_options(helper.cfg).get("stop")
        if stop is None or "stop_never" in set(callee_names(stop)):
            yield node_hit(
                "OAI305",
                anchor,
                {"what": what, "detail": "has no stop=, so tenacity retries forever"},
                key=f"{what}:stop",
            )
    for site in sites.loops:
        loop = site.loop
        if isinstance(loop, ast.While) and _always_true(loop.test) and not _has_exit(loop, site.attempt,
                                                                                      site.handler):
            yield node_hit(
                "OAI305",
                loop,
                {
                    "what": "this `while` retry loop",
                    "detail": "never gives up: no attempt limit, raise or break on failure",
                },
                key="while-retry",
            )


def _always_true_js(flow: JsFlow, loop: Node) -> bool:
    t = loop.type
    cond = loop.child_by_field_name("condition")
    if t == "for_statement":
        return cond is None or flow.text(cond).strip().rstrip(";").strip() in {"", "true", "1"}
    if cond is None:
        return False
    return flow.text(cond).strip().strip("()").strip() in {"true", "1", "!0"}


def _js_exit(flow: JsFlow, loop: Node, try_node: Node) -> bool:
    body = try_node.child_by_field_name("body")
    stack = list(loop.named_children)
    while stack:
        cur = stack.pop()
        if body is not None and cur == body:
            continue
        if cur.type in {"throw_statement", "return_statement", "break_statement"}:
            return True
        if cur.type in {"function_declaration", "function_expression", "arrow_function"}:
            continue
        stack.extend(cur.named_children)
    return False


def js_hits(sites: JsRetries) -> Iterator[Hit]:
    flow = sites.flow
    for site in sites.loops:
        if _always_true_js(flow, site.loop) and not _js_exit(flow, site.loop, site.attempt):
            yield js_hit(
                flow,
                "OAI305",
                site.loop,
                {
                    "what": "this retry loop",
                    "detail": "never gives up: no attempt limit, throw or break on failure",
                },
                key="loop-retry",
            )
    for lib in sites.libs:
        opts, what = lib.opts, lib.what
        forever = opts.get("forever")
        limit = opts.get("numOfAttempts" if lib.lib == "exponential-backoff" else "retries")
        if (forever is not None and flow.text(forever) == "true") or (
            limit is not None and flow.text(limit) in {"Infinity", "Number.POSITIVE_INFINITY"}
        ):
            yield js_hit(
                flow, "OAI305", lib.call, {"what": what, "detail": "retries forever"}, key=f"{what}:stop"
            )
