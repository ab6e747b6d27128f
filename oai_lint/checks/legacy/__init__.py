"""OAI4xx: code and configuration written for SDKs, models and endpoints that no longer exist (or soon won't).

OAI401 removed openai<1.0 Python API, OAI402 module settings openai>=1.0 silently ignores, OAI403 pins that
install the old SDKs, OAI404 the openai-node v3 API, OAI405 shut-down models, OAI406 models and endpoints
announced for shutdown, OAI407 shut-down endpoints, OAI408 module settings an explicit client ignores. One
module per rule (``oai4NN_*.py``); a rule with a check of its own registers it there. The checks below read
a file once for several rules: Python for OAI401, OAI402 and OAI408; model uses for OAI405 and OAI406 (by
each id's status on the scan's date); endpoint uses for OAI406 and OAI407.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oai_lint.analysis import deprecations, endpoints, modeluse
from oai_lint.analysis.deprecations import ANNOUNCED, CODE_TRIGGERS, SHUT_DOWN, TRIGGERS
from oai_lint.analysis.repofacts.provider import PROVIDER
from oai_lint.analysis.vocab import JS_KINDS, PY_KINDS, V0_SYMBOLS
from oai_lint.checks import Context, check
from oai_lint.checks.legacy import (
    oai401_removed_python_api,
    oai402_ignored_python_setting,
    oai403_old_sdk_pin,
    oai404_node_v3_api,
    oai405_retired_model,
    oai406_shutdown_announced,
    oai407_shut_down_endpoint,
    oai408_module_settings_ignored,
)
from oai_lint.findings import Hit
from oai_lint.lazyre import lazy_compile
from oai_lint.repository import facts_for
from oai_lint.sources import Source

if TYPE_CHECKING:
    from oai_lint.analysis.repofacts.model import RepoFacts

__all__ = ["endpoint_call", "endpoint_use", "model_config", "model_use", "oai403_old_sdk_pin", "oai404_node_v3_api",
           "python_legacy_api"]


_V0_NAMES = sorted({*V0_SYMBOLS, "error", "embeddings_utils", "openai_object", "datalib", "InvalidRequestError",
                    "api_base", "api_key_path", "proxy", "api_type",
                    # module settings an explicit client ignores (OAI408)
                    *oai408_module_settings_ignored.MODULE_SETTINGS})
# a use of the pre-1.0 API or of a module setting in the text (the file is parsed and indexed only then):
# `openai.ChatCompletion`, `openai.error`, `from openai.error import …`, `from openai import ChatCompletion`,
# `import openai as oa`, `openai.api_key = …`
# (each pattern starts with a literal, which the regex engine looks for first: a leading `\b` made it try every
# position of the text, a tenth of a second in a large file; the word boundary before it is checked by hand)
_V0_ATTR = lazy_compile(r"openai\.(?:" + "|".join(_V0_NAMES) + r")\b")
_IMPORT_AS = lazy_compile(r"import\s+openai\s+as\b")
_FROM_OPENAI = lazy_compile(r"from\s+openai\s+import\s+(\([^)]*\)|[^\n]*)")
_V0_WORD = lazy_compile(r"\b(?:" + "|".join(_V0_NAMES) + r")\b")


def _starts_word(text: str, start: int) -> bool:
    return start == 0 or not (text[start - 1].isalnum() or text[start - 1] == "_")


def _may_use_v0(text: str) -> bool:
    if any(_starts_word(text, m.start()) for pattern in (_V0_ATTR, _IMPORT_AS) for m in pattern.finditer(text)):
        return True
    return any(_V0_WORD.search(m.group(1)) for m in _FROM_OPENAI.finditer(text))


# OAI402 asks the repository facts whether the repository pins openai below 1.0 (the provider is cheap; the
# facts are gathered only when OAI402 runs)
_FACTS = "oai_lint.analysis.repofacts.provider"


@check("OAI401", "OAI402", "OAI408", kinds=PY_KINDS, triggers=(b"openai",), facts=_FACTS)
def python_legacy_api(source: Source, ctx: Context) -> Iterator[Hit]:
    if not _may_use_v0(source.text):
        return  # no pre-1.0 name in the text: nothing to parse (most files of a large test suite)
    flow = source.openai_pyflow
    if flow is None or not flow.openai_module_file():
        return
    yield from oai401_removed_python_api.python_hits(flow)
    yield from oai408_module_settings_ignored.python_hits(flow)
    if ctx.enabled("OAI402"):
        yield from oai402_ignored_python_setting.python_hits(flow, lambda: _pinned_below_1(source, ctx))


def _pinned_below_1(source: Source, ctx: Context) -> bool:
    facts: RepoFacts = facts_for(ctx, PROVIDER, source.abspath)  # gathered only when a setting is set
    return facts.v0_pin is not None


def _model_hits(source: Source, ctx: Context) -> Iterator[Hit]:
    day = deprecations.as_of(ctx.options)
    for use in modeluse.uses(source):
        found = deprecations.lookup(use.model, day)
        if found.status == SHUT_DOWN:
            yield oai405_retired_model.hit(use, found)
        elif found.status == ANNOUNCED:
            yield oai406_shutdown_announced.hit(use.line, use.column, use.end_column, use.model, found)


@check("OAI405", "OAI406", kinds=PY_KINDS | JS_KINDS, triggers=CODE_TRIGGERS)
def model_use(source: Source, ctx: Context) -> Iterator[Hit]:
    yield from _model_hits(source, ctx)


@check("OAI405", "OAI406", kinds=modeluse.CONFIG_KINDS, triggers=TRIGGERS)
def model_config(source: Source, ctx: Context) -> Iterator[Hit]:
    yield from _model_hits(source, ctx)


def _endpoint_hits(source: Source, ctx: Context, calls: bool, paths: bool) -> Iterator[Hit]:
    day = deprecations.as_of(ctx.options)
    for use in endpoints.uses(source, calls=calls, paths=paths):
        found = deprecations.lookup(use.entry_id, day)
        if found.status == SHUT_DOWN:
            yield oai407_shut_down_endpoint.hit(use, found)
        elif found.status == ANNOUNCED:
            yield oai406_shutdown_announced.hit(use.line, use.column, use.end_column, use.shown, found)


# paths are named in files that name openai: other files skip the `/v1/` trigger
@check("OAI406", "OAI407", kinds=endpoints.KINDS, triggers=endpoints.TRIGGERS, requires=endpoints.REQUIRES)
def endpoint_use(source: Source, ctx: Context) -> Iterator[Hit]:
    yield from _endpoint_hits(source, ctx, calls=False, paths=True)


@check("OAI406", "OAI407", kinds=endpoints.KINDS, triggers=endpoints.CALL_TRIGGERS)
def endpoint_call(source: Source, ctx: Context) -> Iterator[Hit]:
    yield from _endpoint_hits(source, ctx, calls=True, paths=False)
