"""The rules: what a scan needs to know about them, without reading the rule files.

``rules/*.yaml`` are the source of truth. This package is everything about them:

- here, the scan-time lookups (ids, scopes, severities, the texts of a finding) from ``_table.py``,
  which ``python scripts/generate.py`` writes from the YAML files (a test fails
  when it is stale). Parsing YAML (and importing PyYAML, 15 ms) on every pre-commit run only to learn
  them was most of a run's start-up;
- ``load``: the rule files themselves (:class:`~oai_lint.ruleset.load.Rule`), for ``oai-lint rule``,
  ``oai-lint rules``, SARIF, the generator and the tests;
- ``docs``: ``oai-lint rule ID``, a rule's documentation rendered from its file.
"""

from __future__ import annotations

FAMILIES = {
    "OAI0": "meta",  # about oai-lint's own suppression comments; produced by the engine, not by a check
    "OAI1": "credentials",
    "OAI2": "organization-project",
    "OAI3": "retries",
    "OAI4": "legacy-sdk",
}


class RuleFileError(Exception):
    pass


class RuleInfo:
    """The parts of a rule (``oai_lint.ruleset.load.Rule``) that a finding carries."""

    __slots__ = ("doc_url", "fix", "id", "message", "scope", "severity", "title")

    def __init__(self, id: str, scope: str, severity: str, title: str, message: str, fix: str,
                 doc_url: str) -> None:
        self.id, self.scope, self.severity, self.title = id, scope, severity, title
        self.message, self.fix, self.doc_url = message, fix, doc_url

    def render_message(self, params: dict[str, str]) -> str:
        """As ``Rule.render_message``."""
        try:
            return self.message.format(**params)
        except (KeyError, IndexError, ValueError):
            return self.title

    def __repr__(self) -> str:
        return f"RuleInfo({self.id!r})"


_TABLE: dict[str, RuleInfo] | None = None
_IDS: tuple[str, ...] | None = None


def _infos() -> dict[str, RuleInfo]:
    global _TABLE
    if _TABLE is None:
        # imported here, not at the top, so that the generator can import this package (through
        # ``load``) to write the table even when the table is missing or broken
        from oai_lint.ruleset._table import RULES

        _TABLE = {rid: RuleInfo(rid, *row) for rid, row in RULES.items()}
    return _TABLE


def rule_ids() -> tuple[str, ...]:
    global _IDS
    if _IDS is None:
        _IDS = tuple(sorted(_infos()))
    return _IDS


def rule_info(rule_id: str) -> RuleInfo:
    info = _infos().get(rule_id)
    if info is None:
        raise RuleFileError(f"unknown rule {rule_id}")
    return info


def rule_scope(rule_id: str) -> str:
    """``file``: a finding depends only on its file; ``repository``: also on other files."""
    return rule_info(rule_id).scope


def matches(rule_id: str, selectors: tuple[str, ...] | list[str]) -> bool:
    """True when a selector (an id or an id prefix such as ``OAI1``) names the rule."""
    return any(sel == "ALL" or rule_id.startswith(sel) for sel in selectors)


# A rule family's name selects its rules: the families are the id hundreds (a test keeps them so)
FAMILY_PREFIXES = {"meta": "OAI0", "credentials": "OAI1", "organization-project": "OAI2", "retries": "OAI3",
                   "legacy-sdk": "OAI4"}


def expand_families(selectors: list[str]) -> list[str]:
    """``--select credentials``: family names (any case) as the id prefix of their rules."""
    return [FAMILY_PREFIXES.get(sel.lower(), sel) for sel in selectors]


def unknown_selectors(selectors: tuple[str, ...] | list[str]) -> list[str]:
    ids = rule_ids()
    return [sel for sel in selectors if sel != "ALL" and not any(rid.startswith(sel) for rid in ids)]
