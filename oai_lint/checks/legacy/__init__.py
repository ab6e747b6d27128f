"""OAI4xx: code and configuration written for SDKs and models that no longer exist.

OAI401 removed openai<1.0 Python API, OAI402 module settings openai>=1.0 silently ignores, OAI403 pins that
install the old SDKs, OAI404 the openai-node v3 API, OAI405 retired model names. One module per rule
(``oai4NN_*.py``); a rule with a check of its own registers it there, and the check below reads a Python
file once for OAI401 and OAI402.
"""

from __future__ import annotations

from collections.abc import Iterator

from oai_lint.analysis.pyflow import PyFlow
from oai_lint.analysis.vocab import PY_KINDS, V0_SYMBOLS
from oai_lint.checks import Context, check
from oai_lint.checks.legacy import (
    oai401_removed_python_api,
    oai402_ignored_python_setting,
    oai403_old_sdk_pin,
    oai404_node_v3_api,
    oai405_retired_model,
)
from oai_lint.findings import Hit
from oai_lint.lazyre import lazy_compile
from oai_lint.sources import Source

__all__ = ["oai403_old_sdk_pin", "oai404_node_v3_api", "oai405_retired_model", "python_legacy_api"]


_V0_NAMES = sorted({*V0_SYMBOLS, "error", "embeddings_utils", "openai_object", "datalib", "InvalidRequestError",
                    "api_base", "api_key_path"})
# a use of the pre-1.0 API in the text (the file is parsed and indexed only then): `openai.ChatCompletion`,
# `openai.error`, `from openai.error import …`, `from openai import ChatCompletion`, `import openai as oa`
_V0_ATTR = lazy_compile(r"\bopenai\.(?:" + "|".join(_V0_NAMES) + r")\b|\bimport\s+openai\s+as\b")
_FROM_OPENAI = lazy_compile(r"from\s+openai\s+import\s+(\([^)]*\)|[^\n]*)")
_V0_WORD = lazy_compile(r"\b(?:" + "|".join(_V0_NAMES) + r")\b")


def _may_use_v0(text: str) -> bool:
    if _V0_ATTR.search(text):
        return True
    return any(_V0_WORD.search(m.group(1)) for m in _FROM_OPENAI.finditer(text))


@check("OAI401", "OAI402", kinds=PY_KINDS, triggers=(b"openai",))
def python_legacy_api(source: Source, ctx: Context) -> Iterator[Hit]:
    if not _may_use_v0(source.text):
        return  # no pre-1.0 name in the text: nothing to parse (most files of a large test suite)
    idx = source.pyindex if source.openai_code else None
    if idx is None:
        return
    flow = PyFlow(idx)
    if not flow.openai_module_file():
        return
    yield from oai401_removed_python_api.python_hits(flow)
    yield from oai402_ignored_python_setting.python_hits(flow)
