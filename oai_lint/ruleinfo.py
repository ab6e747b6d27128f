"""What a scan needs to know about the rules, without reading the rule files.

``rules/*.yaml`` are the source of truth (``oai_lint.rules`` reads them for ``oai-lint rule``, SARIF and
the tests). A scan needs only each rule's id, scope, severity and the texts of a finding, which
``oai_lint/_rules.py`` holds: generated from the YAML files by ``python scripts/gen_rules_cache.py``
and checked current by ``tests/test_rules_cache.py``. Parsing YAML (and importing PyYAML, 15 ms) on
every pre-commit run only to learn them was most of a run's start-up.
"""

from __future__ import annotations

from typing import Any


class RuleFileError(Exception):
    pass


class RuleInfo:
    """The parts of a rule (``oai_lint.rules.Rule``) that a finding carries."""

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


def _table() -> dict[str, RuleInfo]:
    global _TABLE
    if _TABLE is None:
        rows: Any
        try:
            from oai_lint._rules import RULES as rows
        except ImportError:  # pragma: no cover - a source tree without the generated file
            from oai_lint.rules import all_rules

            rows = {r.id: (r.scope, r.severity, r.title, r.message, r.fix, r.doc_url) for r in all_rules()}
        _TABLE = {rid: RuleInfo(rid, *row) for rid, row in rows.items()}
    return _TABLE


def rule_ids() -> tuple[str, ...]:
    global _IDS
    if _IDS is None:
        _IDS = tuple(sorted(_table()))
    return _IDS


def rule_info(rule_id: str) -> RuleInfo:
    info = _table().get(rule_id)
    if info is None:
        raise RuleFileError(f"unknown rule {rule_id}")
    return info


def rule_scope(rule_id: str) -> str:
    """``file``: a finding depends only on its file; ``repository``: also on other files."""
    return rule_info(rule_id).scope


def matches(rule_id: str, selectors: tuple[str, ...] | list[str]) -> bool:
    """True when a selector (an id or an id prefix such as ``OAI1``) names the rule."""
    return any(sel == "ALL" or rule_id.startswith(sel) for sel in selectors)


def unknown_selectors(selectors: tuple[str, ...] | list[str]) -> list[str]:
    ids = rule_ids()
    return [sel for sel in selectors if sel != "ALL" and not any(rid.startswith(sel) for rid in ids)]
