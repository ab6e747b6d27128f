"""OAI202, OAI203, OAI204: an organization, project or API-key setting whose value has the wrong format for its
slot (not org-…, not proj_…, an id where the key belongs). One decision for the three slots: the rule id
is the slot's."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from oai_lint.analysis.ids import (
    Problem,
    key_problem,
    organization_problem,
    project_problem,
    setting_role,
    shown,
)
from oai_lint.analysis.names import is_reference
from oai_lint.analysis.usage import (
    FileUsage,
    iter_org_project_values,
)
from oai_lint.findings import Hit

if TYPE_CHECKING:
    from oai_lint.sources.settings import Setting




_SLOT_RULE = {"organization": "OAI202", "project": "OAI203", "api-key": "OAI204"}
_PREFIX_CODES = {"key", "hyphen", "project-id", "org-id", "prefix"}


def _problem(slot: str, value: str, exact: bool) -> Problem | None:
    if slot == "organization":
        p = organization_problem(value)
    elif slot == "project":
        p = project_problem(value)
    else:
        p = key_problem(value)
    if p is not None and not exact and p.code not in _PREFIX_CODES:
        return None  # only the start of the value is known: judge the prefix, nothing else
    return p


def setting_hits(settings: list[Setting]) -> Iterator[Hit]:
    """A value in the wrong format for its slot, in env-style settings."""
    for s in settings:
        role = setting_role(s.name)
        value_ok = s.value.strip() and not is_reference(s.value) and s.context != "k8s-secret"
        if role is not None and value_ok:
            p = _problem(role, s.value, True)
            if p is not None:
                yield Hit(_SLOT_RULE[role], s.line, s.column, s.line, s.column + len(s.value),
                          params={"where": s.name, "value": shown(s.value), "problem": p.detail},
                          key=f"{s.name}:{p.code}", severity=p.severity)


def usage_hits(usage: FileUsage, severity: str | None) -> Iterator[Hit]:
    """A value in the wrong format for its slot, given in code, a header or a curl command."""
    seen: set[tuple[int, int, str]] = set()
    for slot, val, where in iter_org_project_values(usage):
        if val.text is None or val.none or (val.line, val.column, slot) in seen:
            continue
        seen.add((val.line, val.column, slot))
        p = _problem(slot, val.text, val.exact)
        if p is None:
            continue
        yield Hit(_SLOT_RULE[slot], val.line, val.column, val.end_line, val.end_column,
                  params={"where": where, "value": shown(val.text if val.exact else val.text + "…"),
                          "problem": p.detail},
                  key=f"{where}:{p.code}", severity=severity or p.severity)
