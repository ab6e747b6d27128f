"""OAI210: ``OPENAI_BASE_URL``, ``OPENAI_ORG_ID`` or ``OPENAI_PROJECT_ID`` set to an empty value for openai-python
code (which takes a set-but-empty variable as the value), or a compose ``${OPENAI_BASE_URL}`` without a default.
Only repositories with openai-python code (or a Python wrapper that builds its client) are checked."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from oai_lint.analysis.repofacts.provider import PROVIDER
from oai_lint.checks import Context
from oai_lint.findings import Hit
from oai_lint.repository import facts_for
from oai_lint.sources import Source, is_env_template
from oai_lint.sources.settings import DEPLOY_CONTEXTS

if TYPE_CHECKING:
    from oai_lint.analysis.repofacts.model import RepoFacts
    from oai_lint.sources.settings import Setting

# name -> (severity, what openai-python does with the empty value)
_EFFECT = {
    "OPENAI_BASE_URL": ("high", "openai-python takes '' as the base URL and every call fails with "
                                "APIConnectionError"),
    "OPENAI_ORG_ID": ("medium", "openai-python sends an empty OpenAI-Organization header"),
    "OPENAI_PROJECT_ID": ("medium", "openai-python sends an empty OpenAI-Project header"),
}
_SUBSTITUTION = re.compile(r"^\$\{?(\w+)\}?$")  # ${X} / $X: no default (`${X:-…}`, `${X:?…}` do not match)
_COMPOSE_EMPTY = re.compile(r"""[:=]\s*(?:""|'')\s*(?:#.*)?$|=\s*$""")


def _empty(source: Source, s: Setting) -> str | None:
    """Why the value is empty ("" for an empty literal), or None when it is not."""
    if s.context == "compose":
        sub = _SUBSTITUTION.match(s.value)
        if sub:
            return (f" (compose substitutes an empty string when {sub.group(1)} is not set where it runs: "
                    "give a default or make it required)")
        # `KEY:` with no value passes the host's variable through (unset stays unset): not empty
        return "" if not s.value and _COMPOSE_EMPTY.search(source.line_text(s.line)) else None
    return "" if not s.value.strip() else None


def setting_hits(source: Source, ctx: Context, settings: list[Setting]) -> Iterator[Hit]:
    if not ctx.enabled("OAI210"):
        return
    template = is_env_template(source.name)
    candidates = [(s, why) for s in settings if s.name in _EFFECT
                  and not (template and s.name != "OPENAI_BASE_URL")
                  and (why := _empty(source, s)) is not None]
    if not candidates:
        return
    candidates = [(s, why) for s, why in candidates if s.context in DEPLOY_CONTEXTS]
    if not candidates:
        return
    facts: RepoFacts = facts_for(ctx, PROVIDER, source.abspath)
    if not facts.python_client():
        return
    services = source.compose_services if source.kind == "yaml" else []
    for s, why in candidates:
        service = next((c for c in services if c.first_line <= s.line <= c.last_line), None)
        if service is not None and (service.context is None or not facts.python_client(service.context)):
            continue  # a prebuilt image (someone else's code), or a service with no openai-python code

        severity, effect = _EFFECT[s.name]
        line_text = source.line_text(s.line)
        col = line_text.find(s.name) + 1 or s.column
        yield Hit("OAI210", s.line, col, s.line, col + len(s.name),
                  params={"name": s.name, "where": why, "effect": effect}, key=s.name, severity=severity)
