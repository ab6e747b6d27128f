"""OAI305: retry handling with no attempt or time limit: tenacity without ``stop=`` (or ``stop_never``),
backoff without ``max_tries``/``max_time``, a ``while True`` retry loop with no way out on failure, a JS
retry loop that never gives up, a JS retry library told to retry forever."""

from __future__ import annotations

from collections.abc import Iterator

from oai_lint.analysis.jsflow import node_hit as js_hit
from oai_lint.analysis.pyflow import node_hit
from oai_lint.analysis.retries.javascript import JsRetries, unbounded_js
from oai_lint.analysis.retries.python import Backoff, PyRetries, unbounded
from oai_lint.findings import Hit


def python_hits(sites: PyRetries) -> Iterator[Hit]:
    for helper in sites.helpers:
        if not unbounded(helper):
            continue
        detail = (
            "has no max_tries= or max_time=, so it retries forever"
            if isinstance(helper, Backoff)
            else "has no stop=, so tenacity retries forever"
        )
        yield node_hit("OAI305", helper.anchor, {"what": helper.what, "detail": detail}, key=f"{helper.what}:stop")
    for rec in sites.recursions:
        if unbounded(rec):
            yield node_hit(
                "OAI305",
                rec.call,
                {
                    "what": f"calling {rec.function.name}() again from its `except` handler",
                    "detail": "never gives up: no attempt counter is passed on and checked",
                },
                key=f"recursion:{rec.function.name}",
            )
    for site in sites.loops:
        loop = site.loop
        if unbounded(site):
            yield node_hit(
                "OAI305",
                loop,
                {
                    "what": "this `while` retry loop",
                    "detail": "never gives up: no attempt limit, raise or break on failure",
                },
                key="while-retry",
            )


def js_hits(sites: JsRetries) -> Iterator[Hit]:
    flow = sites.flow
    for site in sites.loops:
        if unbounded_js(flow, site):
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
        what = lib.what
        if unbounded_js(flow, lib):
            yield js_hit(
                flow, "OAI305", lib.call, {"what": what, "detail": "retries forever"}, key=f"{what}:stop"
            )
