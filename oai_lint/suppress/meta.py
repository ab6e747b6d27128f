"""The meta rules: suppression comments that match no finding (OAI001) or give no reason (OAI002).

They report on the suppression comments themselves, after every check has run on a file (a comment is
unused only once no finding of the file used it), so the scanner asks this module for their hits last;
no suppression can hide them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

from oai_lint.findings import Hit
from oai_lint.ruleset import rule_ids
from oai_lint.suppress import Suppression, directive_at

if TYPE_CHECKING:
    from oai_lint.sources import Source

UNUSED, UNREASONED = "OAI001", "OAI002"
META_RULES = (UNUSED, UNREASONED)
# the bytes without which a file holds no suppression comment
TRIGGER = b"oai-lint"
# Kinds whose text is documentation: a directive there is a mention of the syntax, never reported unused.
DOC_KINDS = frozenset({"markdown", "text"})
_COMMENT_MARKERS = ("#", "//", "/*", "<!--", "--", ";", "%")
_PARSED_KINDS = frozenset({"python", "javascript", "typescript", "tsx"})


def suppressible(rule_id: str) -> bool:
    """Whether a suppression comment can hide a finding of this rule (never one of the meta rules)."""
    return rule_id not in META_RULES


class MetaRules:
    """The meta rules of one scan, given which rules it reports (``enabled``)."""

    def __init__(self, enabled: Callable[[str], bool], require_reason: bool) -> None:
        self.enabled = enabled
        self.report_unused = enabled(UNUSED)
        self.report_unreasoned = require_reason and enabled(UNREASONED)
        self.active = self.report_unused or self.report_unreasoned
        self._every_rule_enabled = all(enabled(r) for r in rule_ids() if r not in META_RULES)

    def trigger(self, kind: str) -> bytes | None:
        """The bytes a file of this kind must hold for the meta rules to fire (None: they never do)."""
        return TRIGGER if self.active and kind not in DOC_KINDS else None

    def wanted(self, source: Source) -> bool:
        return self.active and "oai-lint" in source.text

    def hits(self, source: Source, sups: dict[int, list[Suppression]]) -> Iterator[Hit]:
        unique = {id(s): s for group in sups.values() for s in group if not s.secret_pragma}
        comment_lines: dict[int, list[str]] | None = None  # line -> comments on it, built once per file
        if unique and source.kind in _PARSED_KINDS:
            comments = source.comments
            if comments is not None:
                comment_lines = {}
                for n, c in comments:
                    comment_lines.setdefault(n, []).append(c)
        for sup in sorted(unique.values(), key=lambda s: s.line):
            found = _directive(source, sup.line, comment_lines)
            if found is None:
                continue
            column, directive = found
            end = column + len(directive)
            if self.report_unreasoned and not sup.reason:
                yield Hit(UNREASONED, sup.line, column, sup.line, end, params={"directive": directive},
                          key=directive)
            if self.report_unused and not sup.used:
                unknown = [i for i in sup.ids if not any(r.startswith(i) for r in rule_ids())]
                if unknown or self._all_named_enabled(sup.ids):
                    detail = f" (no rule has the id {unknown[0]})" if unknown else ""
                    yield Hit(UNUSED, sup.line, column, sup.line, end,
                              params={"directive": directive, "detail": detail}, key=directive)

    def _all_named_enabled(self, ids: tuple[str, ...]) -> bool:
        """Whether every rule a suppression names runs now (else it may be needed by another run)."""
        if not ids:
            return self._every_rule_enabled
        return all(self.enabled(r) for i in ids for r in rule_ids() if r.startswith(i))


def _directive(source: Source, line: int, comment_lines: dict[int, list[str]] | None) -> tuple[int, str] | None:
    """Column and text of the directive on ``line`` when it is in a comment (not a mention of the
    syntax in documentation or inside a string literal)."""
    if source.kind in DOC_KINDS:
        return None
    text = source.line_text(line)
    found = directive_at(text)
    if found is None:
        return None
    if comment_lines is not None:  # searching every comment for each directive was quadratic
        in_comment = any(directive_at(c) for c in comment_lines.get(line, ()))
        return found if in_comment else None
    before = text[: found[0] - 1]
    if any(m in before for m in _COMMENT_MARKERS) or before.strip().upper() == "REM":
        return found
    return None
