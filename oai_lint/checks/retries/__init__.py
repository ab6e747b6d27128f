"""OAI3xx: retry handling for 429s and 5xx.

The current SDKs retry 429/5xx twice with backoff by default, so plain calls on a default client are fine and
never reported. What is reported: retries turned off with nothing in their place (OAI301), HTTP requests that
bypass the SDK (OAI302), the pre-1.0 Python / v3 Node SDKs that never retried (OAI303), and retry code that
does the wrong thing: a fixed delay (OAI304), no bound (OAI305), retrying quota errors (OAI306).

Each rule's logic is in its module (``oai3NN_*.py``); the checks registered here read a file once (its flow
and its retry sites, :mod:`oai_lint.analysis.retries`) and hand it to every rule of the family.
"""

from __future__ import annotations

from collections.abc import Iterator

from oai_lint.analysis.jsflow import JsFlow
from oai_lint.analysis.retries import javascript as js_sites
from oai_lint.analysis.retries import python as py_sites
from oai_lint.analysis.vocab import JS_KINDS, PY_KINDS
from oai_lint.checks import Context, check
from oai_lint.checks.retries import (
    oai301_retries_off,
    oai302_http_without_retry,
    oai303_old_sdk_without_retry,
    oai304_fixed_delay,
    oai305_unbounded_retry,
    oai306_quota_retried,
    oai307_retries_off_elsewhere,
)
from oai_lint.findings import Hit
from oai_lint.sources import Source

RULES = ("OAI301", "OAI302", "OAI303", "OAI304", "OAI305", "OAI306")
__all__ = ["curl_without_retry", "js_retries", "oai307_retries_off_elsewhere", "python_retries"]
_TRIGGERS = (b"openai", b"OpenAI")


@check(*RULES, kinds=PY_KINDS, triggers=_TRIGGERS)
def python_retries(source: Source, ctx: Context) -> Iterator[Hit]:
    flow = source.openai_pyflow
    if flow is None:
        return
    yield from oai301_retries_off.python_hits(flow)
    yield from oai302_http_without_retry.python_hits(flow)
    yield from oai303_old_sdk_without_retry.python_hits(flow, ctx.enabled("OAI401"))
    sites = py_sites.retry_sites(flow)
    yield from oai304_fixed_delay.python_hits(sites)
    yield from oai305_unbounded_retry.python_hits(sites)
    yield from oai306_quota_retried.python_hits(sites)


@check(*RULES, kinds=JS_KINDS, triggers=_TRIGGERS)
def js_retries(source: Source, ctx: Context) -> Iterator[Hit]:
    tree = source.js if source.openai_code else None
    if tree is None:
        return
    flow = JsFlow(tree)
    yield from oai301_retries_off.js_hits(flow)
    yield from oai302_http_without_retry.js_hits(flow)
    yield from oai303_old_sdk_without_retry.js_hits(flow, ctx.enabled("OAI404"))
    sites = js_sites.retry_sites(flow)
    yield from oai304_fixed_delay.js_hits(sites)
    yield from oai305_unbounded_retry.js_hits(sites)
    yield from oai306_quota_retried.js_hits(sites)


@check("OAI302", kinds={"shell", "dockerfile", "makefile", "yaml"}, triggers=(b"api.openai.com",))
def curl_without_retry(source: Source, ctx: Context) -> Iterator[Hit]:
    return oai302_http_without_retry.curl_hits(source)
