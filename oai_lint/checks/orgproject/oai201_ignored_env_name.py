"""OAI201: an OpenAI environment variable name that the SDKs do not read (``OPENAI_ORG``, ``OPENAI_API_BASE``
for the v1 SDK, …), set for code in this repository that does not read it either."""

from __future__ import annotations

from collections.abc import Iterator

from oai_lint.analysis.ids import (
    ignored_name,
)
from oai_lint.analysis.repofacts.questions import readers
from oai_lint.checks import Context
from oai_lint.findings import Hit
from oai_lint.sources import Source, is_env_template
from oai_lint.sources.settings import DEPLOY_CONTEXTS, Setting

_EFFECT = {
    "organization": "requests go out without an organization header, so usage is billed to the key's "
                    "default organization",
    "project": "requests go out without a project header",
    "base-url": "requests go to api.openai.com instead of this URL",
    "api-key": "the SDK does not find the key and the client fails at start-up",
    "key-file": "the v1+ SDKs do not read key files",
}


def _name_position(source: Source, name: str, line: int) -> tuple[int, int]:
    for n in range(line, max(0, line - 4), -1):
        col = source.line_text(n).find(name)
        if col >= 0:
            return n, col + 1
    return line, 1


def _third_party_lines(source: Source) -> set[int]:
    """Lines of compose ``environment:`` blocks of services that run a prebuilt image (``image:`` and no
    ``build:``): the code reading those variables is not in this repository."""
    lines: set[int] = set()
    for svc in source.compose_services:
        if svc.context is None:
            lines.update(range(svc.first_line, svc.last_line + 1))
    return lines


def setting_hits(source: Source, ctx: Context, settings: list[Setting]) -> Iterator[Hit]:
    """OAI201: a name the SDKs never read, set where the code that should read it runs."""
    if not ctx.enabled("OAI201"):
        return
    third_party: set[int] | None = None
    ignored = []
    for s in settings:
        ign = ignored_name(s.name)
        if ign is None:
            continue
        if s.context not in DEPLOY_CONTEXTS:
            continue
        if source.kind == "yaml":
            if third_party is None:
                third_party = _third_party_lines(source)
            if s.line in third_party:
                continue
        ignored.append((s, ign))
    if not ignored:
        return
    # does the repository's code (or a wrapper) read them after all? Asked of the files that can tell
    read = readers(ctx, source.abspath, (s.name for s, _ in ignored))
    for s, ign in ignored:
        if read[s.name] is not None:
            continue
        line, col = _name_position(source, s.name, s.line)
        yield Hit("OAI201", line, col, line, col + len(s.name),
                  params={"name": s.name, "replacement": ign.replacement, "effect": _EFFECT[ign.role],
                          "template": " (a template others copy)" if is_env_template(source.name) else ""},
                  key=s.name)
