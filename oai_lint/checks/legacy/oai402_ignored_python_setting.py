"""OAI402: openai-python 0.x module settings that 1.0 accepts and silently ignores (``openai.api_base``,
``openai.api_key_path``)."""

from __future__ import annotations

import ast
from collections.abc import Iterator

from oai_lint.analysis.pyflow import PyFlow, node_hit
from oai_lint.findings import Hit


def python_hits(flow: PyFlow) -> Iterator[Hit]:
    idx = flow.idx
    for target, _value, assign in idx.assigns:
        if isinstance(target, ast.Attribute):
            resolved = flow.resolve(target)
            if resolved in {"openai.api_base", "openai.api_key_path"}:
                setting = resolved.split(".", 1)[1]
                new = (
                    "OpenAI(base_url=...) or the OPENAI_BASE_URL environment variable"
                    if setting == "api_base"
                    else "read the file yourself and pass OpenAI(api_key=...), or set OPENAI_API_KEY"
                )
                yield node_hit("OAI402", assign, {"setting": f"openai.{setting}", "new": new}, key=setting)
