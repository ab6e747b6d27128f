"""OAI102: an openai-node client allowed to run in the browser (``dangerouslyAllowBrowser``)."""

from __future__ import annotations

from collections.abc import Iterator

from oai_lint.analysis.vocab import JS_KINDS
from oai_lint.checks import Context, check
from oai_lint.findings import Hit
from oai_lint.lazyre import lazy_compile
from oai_lint.sources import Source

_BROWSER_OPTION = lazy_compile(r"""["'`]?dangerouslyAllowBrowser["'`]?\s*:\s*(?!false\b)""")


@check("OAI102", kinds=JS_KINDS, triggers=(b"dangerouslyAllowBrowser",))
def browser_client(source: Source, ctx: Context) -> Iterator[Hit]:
    # (test code: vitest/jest under jsdom look like a browser to the SDK; oai_lint.testcode skips this rule
    # there by default)
    # Find the candidates in the text first: bundles that contain the SDK itself mention the option
    # without setting it, and are not worth a parse.
    text = source.text
    candidates = []
    pos = text.find("dangerouslyAllowBrowser")
    while pos != -1:  # the regular expression only where the name occurs (bundles are megabytes long)
        start = pos - 1 if pos and text[pos - 1] in "\"'`" else pos
        if _BROWSER_OPTION.match(text, start):
            candidates.append(start)
        pos = text.find("dangerouslyAllowBrowser", pos + 1)
    tree = source.js if candidates else None
    if tree is None:
        return
    for offset in candidates:
        node = tree.node_at(offset)
        while node is not None and node.type != "pair":
            node = node.parent
        if node is None:
            continue
        value = node.child_by_field_name("value")
        # any value but a literal false (an expression may well be true in the browser)
        if value is None or value.type in {"false", "null"}:
            continue
        line, col = tree.start(node)
        end_line, end_col = tree.end(node)
        yield Hit("OAI102", line, col, end_line, end_col, key="dangerouslyAllowBrowser")


# "PUBLIC_" covers NEXT_PUBLIC_, EXPO_PUBLIC_, NUXT_PUBLIC_ and the like
