"""OAI304: retry handling that waits a fixed delay (no exponential backoff, no jitter): tenacity without
``wait=`` or with ``wait_fixed``, backoff's constant wait without jitter, a retry loop that sleeps a
constant, a JS retry library with factor 1 and no randomisation."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from oai_lint.analysis.jsflow import node_hit as js_hit
from oai_lint.analysis.pyflow import callee_names, keyword_value, node_hit, unparse
from oai_lint.analysis.retries.javascript import JsRetries
from oai_lint.analysis.retries.python import Backoff, PyRetries, RetryLoop, RetryRecursion, tenacity_options
from oai_lint.findings import Hit

_FIXED_WAITS = {"wait_fixed", "wait_none"}


def python_hits(sites: PyRetries) -> Iterator[Hit]:
    flow = sites.flow
    for helper in sites.helpers:
        what, anchor = helper.what, helper.anchor
        if isinstance(helper, Backoff):
            cfg = helper.cfg
            wait_gen = cfg.args[0] if cfg.args else keyword_value(cfg, "wait_gen")
            jitter = keyword_value(cfg, "jitter")
            if (
                wait_gen is not None
                and (flow.resolve(wait_gen) or "").endswith("constant")
                and isinstance(jitter, ast.Constant)
                and jitter.value is None
            ):
                yield node_hit(
                    "OAI304",
                    anchor,
                    {"what": what, "detail": "waits a constant interval with jitter=None"},
                    key=f"{what}:wait",
                )
            continue
        wait = tenacity_options(helper.cfg).get("wait")
        if wait is None:
            yield node_hit(
                "OAI304",
                anchor,
                {"what": what, "detail": "has no wait=, so tenacity retries immediately"},
                key=f"{what}:wait",
            )
        else:
            names = set(callee_names(wait))
            if names and names <= _FIXED_WAITS:
                yield node_hit(
                    "OAI304",
                    anchor,
                    {"what": what, "detail": f"waits a fixed `{unparse(wait)}`"},
                    key=f"{what}:wait",
                )
    retried: list[RetryLoop | RetryRecursion] = [*sites.loops, *sites.recursions]
    for loop in retried:
        what = "this retry loop" if isinstance(loop, RetryLoop) else "this retry (a call of the function again)"
        for sleep in loop.sleeps:
            arg = sleep.args[0] if sleep.args else keyword_value(sleep, "seconds", "delay", "secs")
            if arg is not None and flow.constant_number(arg, loop.scope):
                yield node_hit(
                    "OAI304",
                    sleep,
                    {
                        "what": what,
                        "detail": f"sleeps a fixed `{unparse(sleep)}` between attempts",
                    },
                    key=f"sleep:{unparse(arg)}",
                )


def js_hits(sites: JsRetries) -> Iterator[Hit]:
    flow = sites.flow
    tree = flow.tree
    for loop in sites.loops:
        for call, delay in loop.sleeps:
            if flow.const_number(delay):
                yield js_hit(
                    flow,
                    "OAI304",
                    call,
                    {
                        "what": "this retry loop",
                        "detail": f"sleeps a fixed `{flow.text(call)}` between attempts",
                    },
                    key=f"sleep:{flow.text(delay)}",
                )
    for site in sites.libs:
        opts, lib, what = site.opts, site.lib, site.what
        if lib == "exponential-backoff":
            factor, jitter = opts.get("timeMultiple"), opts.get("jitter")
            fixed = (
                factor is not None
                and flow.text(factor) == "1"
                and (jitter is None or tree.string_value(jitter) != "full")
            )
        else:
            factor, randomize = opts.get("factor"), opts.get("randomize")
            default_random = lib == "async-retry"
            randomized = (flow.text(randomize) == "true") if randomize is not None else default_random
            fixed = factor is not None and flow.text(factor) == "1" and not randomized
        if fixed:
            yield js_hit(
                flow,
                "OAI304",
                site.call,
                {"what": what, "detail": "waits a fixed interval (factor 1, no randomisation)"},
                key=f"{what}:wait",
            )
