"""OAI404: the openai-node v3 API that v4 removed (``Configuration``, ``OpenAIApi``, ``createChatCompletion``…)."""

from __future__ import annotations

from collections.abc import Iterator

from oai_lint.analysis.jsflow import JsFlow
from oai_lint.analysis.jsflow import node_hit as js_hit
from oai_lint.analysis.vocab import JS_KINDS, V3_METHODS, V3_TYPES
from oai_lint.checks import Context, check
from oai_lint.findings import Hit
from oai_lint.sources import Source

_RETRIES = "; v3 never retried rate limits and this call has no retry handling (migrating fixes both)"


@check(
    "OAI404",
    kinds=JS_KINDS,
    triggers=(b"OpenAIApi", b"Configuration", b"CompletionRequest", b"CompletionResponse", b"ImageRequest",
              b"EmbeddingRequest", b"ModerationRequest"),
    requires=b"openai",  # the v3 API is imported from the "openai" package
)
def node_v3_api(source: Source, ctx: Context) -> Iterator[Hit]:
    tree = source.js if source.openai_code else None
    if tree is None:
        return
    flow = JsFlow(tree)
    if not flow.is_v3_file():
        return
    v3 = flow.v3_names()
    for new in flow.news:
        callee = tree.callee_name(new) or ""
        head, _, last = callee.rpartition(".")
        name = (
            flow.imports.get(callee, ("", ""))[1]
            if callee in v3
            else (last if head and flow.imports.get(head, ("",))[0] == "openai" else "")
        )
        if name == "OpenAIApi":
            yield js_hit(
                flow,
                "OAI404",
                new,
                {"old": f"new {callee}(...)", "new": 'new OpenAI({ apiKey }) (import OpenAI from "openai")',
                 "retries": ""},
                key="OpenAIApi",
            )
        elif name == "Configuration":
            yield js_hit(
                flow,
                "OAI404",
                new,
                {
                    "old": f"new {callee}(...)",
                    "new": "options passed to new OpenAI({ apiKey, organization })",
                    "retries": "",
                },
                key="Configuration",
            )
    for call in flow.calls:
        callee = tree.callee_name(call) or ""
        parts = callee.split(".")
        if len(parts) >= 2 and parts[-1] in V3_METHODS:
            retries = "" if flow.covered(call) else _RETRIES  # (OAI303 leaves this call to this finding)
            yield js_hit(flow, "OAI404", call, {"old": f"{callee}()", "new": V3_METHODS[parts[-1]],
                                                "retries": retries}, key=parts[-1])
    for local, (module, imported) in flow.imports.items():
        if module == "openai" and imported in V3_TYPES:
            for ident in flow.identifiers.get(local, []):
                if flow._declares(ident):
                    yield js_hit(
                        flow,
                        "OAI404",
                        ident,
                        {
                            "old": f"the v3 type {imported}",
                            "new": "the types under OpenAI.Chat / OpenAI.* in v4+",
                            "retries": "",
                        },
                        key=imported,
                    )
                    break
