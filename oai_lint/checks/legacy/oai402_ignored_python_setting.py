"""OAI402: openai-python 0.x module settings that 1.0 accepts and silently ignores (``openai.api_base``,
``openai.api_key_path``, ``openai.proxy``). Not reported in a repository that pins openai below 1.0: the
settings work there (the pin is a repository fact, :mod:`oai_lint.analysis.repofacts`)."""

from __future__ import annotations

import ast
from collections.abc import Callable, Iterator

from oai_lint.analysis.pyflow import PyFlow, node_hit
from oai_lint.findings import Hit

SETTINGS = ("api_base", "api_key_path", "proxy")
_NEW = {
    "api_base": "OpenAI(base_url=...) or the OPENAI_BASE_URL environment variable",
    "api_key_path": "read the file yourself and pass OpenAI(api_key=...), or set OPENAI_API_KEY",
    "proxy": 'OpenAI(http_client=DefaultHttpxClient(proxy="http://...")) (from openai import DefaultHttpxClient)',
}
_AZURE_BASE = ("AzureOpenAI(azure_endpoint=..., api_version=...), or the AZURE_OPENAI_ENDPOINT and "
               "OPENAI_API_VERSION environment variables")


def _azure(flow: PyFlow) -> bool:
    """Whether the file sets ``openai.api_type = "azure"`` (the 0.x way to call Azure OpenAI)."""
    for target, value, _ in flow.idx.assigns:
        if (isinstance(target, ast.Attribute) and isinstance(value, ast.Constant)
                and isinstance(value.value, str) and value.value.lower().startswith("azure")
                and flow.resolve(target) == "openai.api_type"):
            return True
    return False


def python_hits(flow: PyFlow, pinned_below_1: Callable[[], bool]) -> Iterator[Hit]:
    """``pinned_below_1`` is asked once, and only when the file assigns one of the settings."""
    found = []
    for target, _value, assign in flow.idx.assigns:
        if isinstance(target, ast.Attribute) and target.attr in SETTINGS:
            resolved = flow.resolve(target)
            if resolved is not None and resolved.startswith("openai.") and resolved[7:] in SETTINGS:
                found.append((resolved[7:], assign))
    if not found or pinned_below_1():
        return
    azure = _azure(flow)
    for setting, assign in found:
        new = _AZURE_BASE if azure and setting == "api_base" else _NEW[setting]
        yield node_hit("OAI402", assign, {"setting": f"openai.{setting}", "new": new}, key=setting)
