"""OAI306: retry handling that does not tell quota errors (``insufficient_quota``, which no retry fixes)
from rate limits: tenacity without ``retry=`` or retrying on exception types only, backoff retrying every
exception with no ``giveup=``, a retry loop whose handler never looks at the error code, a JS retry
library that retries every error. Only a retry without end is reported (an attempt or time limit turns a
quota error into a delay and then an error); nothing is reported when the file checks the quota codes
anywhere."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from oai_lint.analysis.jsflow import JsFlow, Node
from oai_lint.analysis.jsflow import node_hit as js_hit
from oai_lint.analysis.pyflow import (
    callee_names,
    exception_names,
    keyword_value,
    mentions_code_check,
    node_hit,
    unparse,
)
from oai_lint.analysis.retries.javascript import JsRetries, unbounded_js
from oai_lint.analysis.retries.python import (
    Backoff,
    PyRetries,
    RetryLoop,
    RetryRecursion,
    tenacity_options,
    unbounded,
)
from oai_lint.analysis.vocab import GENERIC_EXCEPTIONS, OPENAI_EXCEPTIONS
from oai_lint.findings import Hit
from oai_lint.sources.javascript import walk
from oai_lint.sources.python import dotted_name

_TYPE_ONLY_RETRY = {
    "retry_if_exception_type",
    "retry_if_not_exception_type",
    "retry_any",
    "retry_all",
    "retry_always",
}


def _backoff_hit(helper: Backoff) -> Hit | None:
    cfg, what = helper.cfg, helper.what
    exc = cfg.args[1] if len(cfg.args) > 1 else keyword_value(cfg, "exception")
    if exc is None or keyword_value(cfg, "giveup") is not None:
        return None
    names = {n for n in (dotted_name(e) for e in (exc.elts if isinstance(exc, ast.Tuple) else [exc])) if n}
    if any(n.rsplit(".", 1)[-1] in OPENAI_EXCEPTIONS | GENERIC_EXCEPTIONS for n in names):
        return node_hit(
            "OAI306",
            helper.anchor,
            {"what": what, "detail": f"retries every `{unparse(exc)}` with no giveup="},
            key=f"{what}:retry",
        )
    return None


def python_hits(sites: PyRetries) -> Iterator[Hit]:
    if sites.quota_ok:
        return
    for helper in sites.helpers:
        what, anchor = helper.what, helper.anchor
        if not unbounded(helper):
            continue  # an attempt or time limit ends a quota error's retries: a delay, not an outage
        if isinstance(helper, Backoff):
            hit = _backoff_hit(helper)
            if hit is not None:
                yield hit
            continue
        retry = tenacity_options(helper.cfg).get("retry")
        if retry is None:
            yield node_hit(
                "OAI306",
                anchor,
                {"what": what, "detail": "retries every exception (no retry=)"},
                key=f"{what}:retry",
            )
        elif set(callee_names(retry)) <= _TYPE_ONLY_RETRY and not mentions_code_check(retry, None):
            yield node_hit(
                "OAI306", anchor, {"what": what, "detail": f"retries on `{unparse(retry)}`"}, key=f"{what}:retry"
            )
    retried: list[RetryLoop | RetryRecursion] = [*sites.loops, *sites.recursions]
    for site in retried:
        handler = site.handler
        if unbounded(site) and not mentions_code_check(handler, handler.name):
            caught = ", ".join(exception_names(handler)).replace("*", "everything")
            yield node_hit(
                "OAI306",
                handler,
                {
                    "what": "this retry loop" if isinstance(site, RetryLoop) else "this retry by recursion",
                    "detail": f"retries every {caught} without checking the error code",
                },
                key=f"except:{caught}",
            )


def _checks_code(flow: JsFlow, handler: Node) -> bool:
    param = handler.child_by_field_name("parameter")
    var = flow.text(param) if param is not None else None
    for member in walk(handler, {"member_expression"}):
        obj = member.child_by_field_name("object")
        prop = member.child_by_field_name("property")
        if prop is None or flow.text(prop) not in {"code", "type", "error"}:
            continue
        root = flow.chain_text(obj).split(".")[0] if obj is not None else ""
        if var is None or root == var:
            return True
    return False


def js_hits(sites: JsRetries) -> Iterator[Hit]:
    if sites.quota_ok:
        return
    flow = sites.flow
    for site in sites.loops:
        if unbounded_js(flow, site) and not _checks_code(flow, site.handler):
            yield js_hit(
                flow,
                "OAI306",
                site.handler,
                {"what": "this retry loop", "detail": "retries every error without checking its code"},
                key="catch",
            )
    for lib in sites.libs:
        if not unbounded_js(flow, lib):
            continue
        fn_text = " ".join(flow.text(t) for t in lib.targets)
        opts = lib.opts
        if lib.lib == "p-retry":
            checked = "shouldRetry" in opts or "AbortError" in fn_text or "onFailedAttempt" in opts
        elif lib.lib == "async-retry":
            checked = "bail" in fn_text
        else:
            checked = "retry" in opts
        if not checked:
            yield js_hit(
                flow, "OAI306", lib.call, {"what": lib.what, "detail": "retries every error"},
                key=f"{lib.what}:retry"
            )
